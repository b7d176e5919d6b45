/* Dense LPs through COIN-OR CLP's C interface (see include/relucap/lp.h). */
#include "relucap/lp.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef RELUCAP_HAVE_COIN
#include <coin/Clp_C_Interface.h>
#endif
#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif

int relucap_lp_available(void)
{
#ifdef RELUCAP_HAVE_COIN
  return 1;
#else
  return 0;
#endif
}

#ifdef RELUCAP_HAVE_COIN

struct relucap_lp {
  Clp_Simplex *clp;
  int m, n;
  double *rlo, *rup, *clo, *cup; /* bounds as last set; handed to CLP through its chg* calls
                                    (writing CLP's arrays in place is not seen by warm starts) */
  int bounds_changed;
  int out_of_range;   /* some datum is NaN or beyond LP_MAX_DATUM: no solve (relucap/lp.h) */
};

/* Finite data above this are refused (CLP asserted |bound| < 1e100 inside ClpNonLinearCost on
 * such data and aborted the process); bounds of magnitude >= 1e30 are infinite. */
#define LP_MAX_DATUM 1e20

static int datum_ok(double v) { return fabs(v) <= LP_MAX_DATUM; }                    /* NaN: 0 */
static int bound_ok(double v) { return fabs(v) <= LP_MAX_DATUM || fabs(v) >= 1e30; } /* NaN: 0 */

/* CLP treats |bound| >= 1e30 as infinite; map HUGE_VAL and NULL arrays onto DBL_MAX. */
static double clp_bound(const double *v, int i, double dflt)
{
  if (v == NULL) return dflt;
  if (v[i] >= 1e30) return DBL_MAX;
  if (v[i] <= -1e30) return -DBL_MAX;
  return v[i];
}

/* Dense row-major -> CLP column-major sparse, then load. */
static int load_dense(Clp_Simplex *clp, int m, int n, const double *A, const double *row_lo,
                      const double *row_up, const double *col_lo, const double *col_up,
                      const double *obj)
{
  int nnz = 0;
  for (int k = 0; k < m * n; k++) nnz += A[k] != 0.0;
  CoinBigIndex *start = malloc((size_t)(n + 1) * sizeof *start);
  int *index = malloc((size_t)(nnz > 0 ? nnz : 1) * sizeof *index);
  double *value = malloc((size_t)(nnz > 0 ? nnz : 1) * sizeof *value);
  double *clo = malloc((size_t)(n > 0 ? n : 1) * sizeof *clo);
  double *cup = malloc((size_t)(n > 0 ? n : 1) * sizeof *cup);
  double *rlo = malloc((size_t)(m > 0 ? m : 1) * sizeof *rlo);
  double *rup = malloc((size_t)(m > 0 ? m : 1) * sizeof *rup);
  double *c = calloc((size_t)(n > 0 ? n : 1), sizeof *c);
  int ok = start && index && value && clo && cup && rlo && rup && c;
  if (ok) {
    int p = 0;
    for (int j = 0; j < n; j++) {
      start[j] = p;
      for (int i = 0; i < m; i++)
        if (A[(size_t)i * n + j] != 0.0) {
          index[p] = i;
          value[p] = A[(size_t)i * n + j];
          p++;
        }
      clo[j] = clp_bound(col_lo, j, -DBL_MAX);
      cup[j] = clp_bound(col_up, j, DBL_MAX);
      if (obj) c[j] = obj[j];
    }
    start[n] = p;
    for (int i = 0; i < m; i++) {
      rlo[i] = clp_bound(row_lo, i, -DBL_MAX);
      rup[i] = clp_bound(row_up, i, DBL_MAX);
    }
    Clp_loadProblem(clp, n, m, start, index, value, clo, cup, c, rlo, rup);
  }
  free(start); free(index); free(value); free(clo); free(cup); free(rlo); free(rup); free(c);
  return ok ? RELUCAP_SUCCESS : RELUCAP_ENOMEM;
}

/* Every CLP model allocates and frees a few large blocks at the top of the heap; with glibc's
 * default trim threshold each free gives the memory back (a brk system call and fresh zeroed
 * pages on the next model): 5x slower on the region search of relucap check.  Keep up to
 * 256 MiB of freed heap instead (set once, process-wide; RSS grows only with what is touched). */
static void keep_freed_heap(void)
{
#ifdef M_TRIM_THRESHOLD
  static int done;
  if (done) return;
#pragma omp critical(relucap_lp_mallopt)
  if (!done) {
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_TOP_PAD, 16 << 20);
    done = 1;
  }
#endif
}

relucap_lp *relucap_lp_alloc(int m, int n, const double *A, const double *row_lo,
                             const double *row_up, const double *col_lo, const double *col_up,
                             const double *obj)
{
  if (m < 0 || n < 1 || (m > 0 && A == NULL)) return NULL;
  keep_freed_heap();
  relucap_lp *lp = calloc(1, sizeof *lp);
  if (!lp) return NULL;
  lp->clp = Clp_newModel();
  lp->m = m;
  lp->n = n;
  Clp_setLogLevel(lp->clp, 0);
  lp->rlo = malloc((size_t)(m > 0 ? m : 1) * sizeof(double));
  lp->rup = malloc((size_t)(m > 0 ? m : 1) * sizeof(double));
  lp->clo = malloc((size_t)n * sizeof(double));
  lp->cup = malloc((size_t)n * sizeof(double));
  if (!lp->rlo || !lp->rup || !lp->clo || !lp->cup ||
      load_dense(lp->clp, m, n, A, row_lo, row_up, col_lo, col_up, obj) != RELUCAP_SUCCESS) {
    relucap_lp_free(lp);
    return NULL;
  }
  for (int i = 0; i < m; i++) {
    lp->rlo[i] = clp_bound(row_lo, i, -DBL_MAX);
    lp->rup[i] = clp_bound(row_up, i, DBL_MAX);
    if (!bound_ok(lp->rlo[i]) || !bound_ok(lp->rup[i])) lp->out_of_range = 1;
  }
  for (int j = 0; j < n; j++) {
    lp->clo[j] = clp_bound(col_lo, j, -DBL_MAX);
    lp->cup[j] = clp_bound(col_up, j, DBL_MAX);
    if (!bound_ok(lp->clo[j]) || !bound_ok(lp->cup[j]) || (obj && !datum_ok(obj[j]))) lp->out_of_range = 1;
  }
  for (size_t e = 0; e < (size_t)m * (size_t)n; e++)
    if (!datum_ok(A[e])) lp->out_of_range = 1;
  return lp;
}

void relucap_lp_free(relucap_lp *lp)
{
  if (!lp) return;
  if (lp->clp) Clp_deleteModel(lp->clp);
  free(lp->rlo); free(lp->rup); free(lp->clo); free(lp->cup);
  free(lp);
}

void relucap_lp_set_col_bounds(relucap_lp *lp, int j, double lo, double up)
{
  lp->clo[j] = lo <= -1e30 ? -DBL_MAX : lo;
  lp->cup[j] = up >= 1e30 ? DBL_MAX : up;
  if (!bound_ok(lo) || !bound_ok(up)) lp->out_of_range = 1;
  lp->bounds_changed = 1;
}

void relucap_lp_set_row_bounds(relucap_lp *lp, int i, double lo, double up)
{
  lp->rlo[i] = lo <= -1e30 ? -DBL_MAX : lo;
  lp->rup[i] = up >= 1e30 ? DBL_MAX : up;
  if (!bound_ok(lo) || !bound_ok(up)) lp->out_of_range = 1;
  lp->bounds_changed = 1;
}

void relucap_lp_set_objective(relucap_lp *lp, const double *obj)
{
  Clp_chgObjCoefficients(lp->clp, obj);
  for (int j = 0; j < lp->n; j++)
    if (!datum_ok(obj[j])) lp->out_of_range = 1;
}

void relucap_lp_set_tolerances(relucap_lp *lp, double primal, double dual)
{
  if (primal > 0) Clp_setPrimalTolerance(lp->clp, primal);
  if (dual > 0) Clp_setDualTolerance(lp->clp, dual);
}

static relucap_lp_outcome outcome_of(int clp_status)
{
  switch (clp_status) {
  case 0: return RELUCAP_LP_OPTIMAL;
  case 1: return RELUCAP_LP_INFEASIBLE;
  case 2: return RELUCAP_LP_UNBOUNDED;
  default: return RELUCAP_LP_FAILED;
  }
}

int relucap_lp_resolve(relucap_lp *lp, double *x_out, double *y_out, double *objval,
                       relucap_lp_outcome *outcome)
{
  if (!lp || !outcome) RELUCAP_ERROR("null lp or outcome", RELUCAP_EINVAL);
  if (lp->out_of_range) { /* (sticky: the model holds such data until freed) */
    *outcome = RELUCAP_LP_FAILED;
    return RELUCAP_SUCCESS;
  }
  if (lp->bounds_changed) {
    Clp_chgColumnLower(lp->clp, lp->clo);
    Clp_chgColumnUpper(lp->clp, lp->cup);
    if (lp->m > 0) {
      Clp_chgRowLower(lp->clp, lp->rlo);
      Clp_chgRowUpper(lp->clp, lp->rup);
    }
    lp->bounds_changed = 0;
  }
  /* Primal simplex throughout: on these small dense problems CLP's dual simplex (and
   * initialSolve, which picks it) was seen to call feasible systems with free columns
   * infeasible (213 of 2000 random Gordan alternatives at n = 3); primal had no such case. */
  Clp_primal(lp->clp, 0);
  int st = Clp_status(lp->clp);
  if (st != 0 && st != 1 && st != 2) {
    /* A warm start that went wrong: retry once from scratch before giving up. */
    Clp_setNumberIterations(lp->clp, 0);
    Clp_primal(lp->clp, 0);
    st = Clp_status(lp->clp);
  }
  *outcome = outcome_of(st);
  if (*outcome == RELUCAP_LP_OPTIMAL) {
    if (x_out) memcpy(x_out, Clp_primalColumnSolution(lp->clp), (size_t)lp->n * sizeof *x_out);
    if (y_out && lp->m > 0)
      memcpy(y_out, Clp_dualRowSolution(lp->clp), (size_t)lp->m * sizeof *y_out);
    if (objval) *objval = Clp_objectiveValue(lp->clp);
  }
  return RELUCAP_SUCCESS;
}

int relucap_lp_solve(int m, int n, const double *A, const double *row_lo, const double *row_up,
                     const double *col_lo, const double *col_up, const double *obj,
                     double *x_out, double *y_out, double *objval, relucap_lp_outcome *outcome)
{
  if (m < 0 || n < 1 || (m > 0 && A == NULL) || outcome == NULL)
    RELUCAP_ERROR("bad LP dimensions or null pointer", RELUCAP_EINVAL);
  relucap_lp *lp = relucap_lp_alloc(m, n, A, row_lo, row_up, col_lo, col_up, obj);
  if (!lp) RELUCAP_ERROR("cannot allocate LP", RELUCAP_ENOMEM);
  int status = relucap_lp_resolve(lp, x_out, y_out, objval, outcome);
  relucap_lp_free(lp);
  return status;
}

#else /* no CLP */

struct relucap_lp { int unused; };
relucap_lp *relucap_lp_alloc(int m, int n, const double *A, const double *row_lo,
                             const double *row_up, const double *col_lo, const double *col_up,
                             const double *obj)
{
  (void)m; (void)n; (void)A; (void)row_lo; (void)row_up; (void)col_lo; (void)col_up; (void)obj;
  return NULL;
}
void relucap_lp_free(relucap_lp *lp) { (void)lp; }
void relucap_lp_set_col_bounds(relucap_lp *lp, int j, double lo, double up)
{
  (void)lp; (void)j; (void)lo; (void)up;
}
void relucap_lp_set_row_bounds(relucap_lp *lp, int i, double lo, double up)
{
  (void)lp; (void)i; (void)lo; (void)up;
}
void relucap_lp_set_objective(relucap_lp *lp, const double *obj) { (void)lp; (void)obj; }
void relucap_lp_set_tolerances(relucap_lp *lp, double primal, double dual) { (void)lp; (void)primal; (void)dual; }
int relucap_lp_resolve(relucap_lp *lp, double *x_out, double *y_out, double *objval,
                       relucap_lp_outcome *outcome)
{
  (void)lp; (void)x_out; (void)y_out; (void)objval; (void)outcome;
  RELUCAP_ERROR("relucap built without CLP", RELUCAP_EUNSUP);
}
int relucap_lp_solve(int m, int n, const double *A, const double *row_lo, const double *row_up,
                     const double *col_lo, const double *col_up, const double *obj,
                     double *x_out, double *y_out, double *objval, relucap_lp_outcome *outcome)
{
  (void)m; (void)n; (void)A; (void)row_lo; (void)row_up; (void)col_lo; (void)col_up; (void)obj;
  (void)x_out; (void)y_out; (void)objval; (void)outcome;
  RELUCAP_ERROR("relucap built without CLP", RELUCAP_EUNSUP);
}

#endif

/* Gordan's alternative for {a_i . x < 0, i in S}.  First the primal LP {A_S x <= -1} (x free);
 * if it is infeasible, the Gordan LP  lambda >= 0, A_S^T lambda = 0, 1^T lambda = 1  gives the
 * multipliers (its basic optimum has at most n+1 non-zeros). */
int relucap_lp_strict_feasible(int m, int n, const double *A, int k, const int *rows,
                               double *x_out, double *lambda_out, int *feasible)
{
  if (n < 1 || k < 0 || k > m || (k > 0 && (A == NULL || rows == NULL)) || feasible == NULL)
    RELUCAP_ERROR("bad strict-system arguments", RELUCAP_EINVAL);
  if (k == 0) {
    *feasible = 1;
    if (x_out) memset(x_out, 0, (size_t)n * sizeof *x_out);
    return RELUCAP_SUCCESS;
  }
  for (int j = 0; j < k; j++)
    if (rows[j] < 0 || rows[j] >= m) RELUCAP_ERROR("row index out of range", RELUCAP_EINVAL);
  double *AS = malloc((size_t)k * n * sizeof *AS);
  double *up = malloc((size_t)k * sizeof *up);
  double *G = malloc((size_t)(n + 1) * k * sizeof *G);
  double *rhs = malloc((size_t)(n + 1) * sizeof *rhs);
  double *lo0 = calloc((size_t)k, sizeof *lo0);
  if (!AS || !up || !G || !rhs || !lo0) {
    free(AS); free(up); free(G); free(rhs); free(lo0);
    RELUCAP_ERROR("out of memory", RELUCAP_ENOMEM);
  }
  for (int j = 0; j < k; j++) {
    memcpy(AS + (size_t)j * n, A + (size_t)rows[j] * n, (size_t)n * sizeof *AS);
    up[j] = -1.0;
  }
  relucap_lp_outcome out;
  int status = relucap_lp_solve(k, n, AS, NULL, up, NULL, NULL, NULL, x_out, NULL, NULL, &out);
  if (status == RELUCAP_SUCCESS && out == RELUCAP_LP_OPTIMAL) {
    *feasible = 1;
  } else if (status == RELUCAP_SUCCESS && out == RELUCAP_LP_INFEASIBLE) {
    /* Gordan LP: (n+1) x k, columns = rows of A_S, last row all ones. */
    for (int r = 0; r < n; r++)
      for (int j = 0; j < k; j++) G[(size_t)r * k + j] = AS[(size_t)j * n + r];
    for (int j = 0; j < k; j++) G[(size_t)n * k + j] = 1.0;
    for (int r = 0; r < n; r++) rhs[r] = 0.0;
    rhs[n] = 1.0;
    status = relucap_lp_solve(n + 1, k, G, rhs, rhs, lo0, NULL, NULL, lambda_out, NULL, NULL,
                              &out);
    if (status == RELUCAP_SUCCESS && out == RELUCAP_LP_OPTIMAL)
      *feasible = 0;
    else if (status == RELUCAP_SUCCESS)
      status = RELUCAP_ENOPROG; /* neither side of the alternative solved: numerical trouble */
  } else if (status == RELUCAP_SUCCESS) {
    status = RELUCAP_ENOPROG;
  }
  free(AS); free(up); free(G); free(rhs); free(lo0);
  return status;
}

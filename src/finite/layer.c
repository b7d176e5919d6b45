/* One layer: D(A) = min_{x != 0} #{i : a_i . x >= 0} (finite.h eq. (11), (F1), (F2)).
 *
 * Fast path: keep/drop branch-and-bound (notes/finite-n.md 1.4).  A node fixes rows as KEEP
 * (a_i . x <= -1 required) or DROP (counted); the rest are undecided (U).  Bounds at a node come
 * from disjoint Gordan simplices: the LP
 *     min sum_{i in U'} lambda_i  s.t.  sum lambda_i a_i = 0, sum lambda_i = 1, lambda >= 0,
 *     lambda_i = 0 outside N u U'                                                     (G)
 * returns an origin-containing simplex C using few undecided rows.  If C lies in N the node is
 * infeasible; if C meets U' in one row that row is forced into DROP; otherwise C's undecided
 * rows leave U' and the packing bound grows by one.  When (G) becomes infeasible, N u U' is
 * strictly feasible and its solution x recounts to an upper bound.
 * References: extreme-ray enumeration (enum.c below) and the CBC MILP (milp.c). */
#include "relucap/finite.h"
#include "relucap/lp.h"
#include "finite_internal.h"

#include <float.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { UNDEC = 0, KEEP = 1, DROP = 2, FORCED = 3 };

relucap_depth_opts relucap_depth_opts_default(void)
{
  relucap_depth_opts o = {RELUCAP_DEPTH_BB, 0, 0.0, 0.0, 0};
  return o;
}

void relucap_depth_result_free(relucap_depth_result *r)
{
  if (!r) return;
  free(r->witness);
  free(r->packing_rows);
  free(r->packing_lambda);
  r->witness = NULL;
  r->packing_rows = NULL;
  r->packing_lambda = NULL;
}

int finite_result_init(relucap_depth_result *res, int m, int n)
{
  memset(res, 0, sizeof *res);
  res->n = n;
  res->witness = calloc((size_t)n, sizeof(double));
  res->packing_rows = malloc((size_t)(m > 0 ? m : 1) * (n + 1) * sizeof(int));
  res->packing_lambda = calloc((size_t)(m > 0 ? m : 1) * (n + 1), sizeof(double));
  if (!res->witness || !res->packing_rows || !res->packing_lambda) {
    relucap_depth_result_free(res);
    return RELUCAP_ENOMEM;
  }
  for (long i = 0; i < (long)(m > 0 ? m : 1) * (n + 1); i++) res->packing_rows[i] = -1;
  return RELUCAP_SUCCESS;
}

/* Closed count #{i : a_i . x >= 0} in long double, with the relative distance from a tie. */
int relucap_depth_count_layer(int m, int n, const double *A, const double *x, double *margin)
{
  int count = 0;
  long double xn = 0;
  for (int j = 0; j < n; j++) xn += (long double)x[j] * x[j];
  xn = sqrtl(xn);
  double mg = HUGE_VAL;
  for (int i = 0; i < m; i++) {
    long double s = 0, an = 0;
    for (int j = 0; j < n; j++) {
      s += (long double)A[(size_t)i * n + j] * x[j];
      an += (long double)A[(size_t)i * n + j] * A[(size_t)i * n + j];
    }
    if (s >= 0) count++;
    long double sc = sqrtl(an) * xn;
    if (sc > 0) {
      double r = (double)(fabsl(s) / sc);
      if (r < mg) mg = r;
    }
  }
  if (margin) *margin = mg;
  return count;
}

int relucap_depth_check_simplex(int m, int n, const double *A, int k, const int *rows,
                                const double *lambda)
{
  if (k < 1 || k > n + 1) return 0;
  for (int j = 0; j < k; j++)
    if (rows[j] < 0 || rows[j] >= m) return 0;
  if (k == n + 1) {
    /* Barycentric system [a_C^T; 1^T] mu = e_{n+1} in long double, partial pivoting. */
    int N = n + 1;
    long double *M = malloc((size_t)N * (N + 1) * sizeof *M);
    if (!M) return 0;
    for (int r = 0; r < N; r++) {
      for (int j = 0; j < N; j++)
        M[(size_t)r * (N + 1) + j] = r < n ? (long double)A[(size_t)rows[j] * n + r] : 1.0L;
      M[(size_t)r * (N + 1) + N] = r == n ? 1.0L : 0.0L;
    }
    int ok = 1;
    for (int c = 0; c < N && ok; c++) {
      int p = c;
      for (int r = c + 1; r < N; r++)
        if (fabsl(M[(size_t)r * (N + 1) + c]) > fabsl(M[(size_t)p * (N + 1) + c])) p = r;
      if (fabsl(M[(size_t)p * (N + 1) + c]) < 1e-13L) {
        ok = 0;
        break;
      }
      if (p != c)
        for (int j = 0; j <= N; j++) {
          long double t = M[(size_t)c * (N + 1) + j];
          M[(size_t)c * (N + 1) + j] = M[(size_t)p * (N + 1) + j];
          M[(size_t)p * (N + 1) + j] = t;
        }
      for (int r = 0; r < N; r++) {
        if (r == c) continue;
        long double f = M[(size_t)r * (N + 1) + c] / M[(size_t)c * (N + 1) + c];
        if (f == 0) continue;
        for (int j = c; j <= N; j++) M[(size_t)r * (N + 1) + j] -= f * M[(size_t)c * (N + 1) + j];
      }
    }
    if (ok) {
      for (int j = 0; j < N && ok; j++) {
        long double mu = M[(size_t)j * (N + 1) + N] / M[(size_t)j * (N + 1) + j];
        if (!(mu >= -1e-12L)) ok = 0;
      }
      free(M);
      return ok;
    }
    free(M);
    /* singular barycentric matrix (degenerate data): fall through to the residual test */
  }
  if (!lambda) return 0;
  double sum = 0, scale = 0;
  for (int j = 0; j < k; j++) {
    if (!(lambda[j] >= 0)) return 0;
    sum += lambda[j];
  }
  if (!(sum > 0)) return 0;
  double worst = 0;
  for (int r = 0; r < n; r++) {
    long double s = 0;
    for (int j = 0; j < k; j++) {
      s += (long double)lambda[j] * A[(size_t)rows[j] * n + r];
      scale = fmax(scale, lambda[j] * fabs(A[(size_t)rows[j] * n + r]));
    }
    worst = fmax(worst, (double)fabsl(s));
  }
  return worst <= 1e-9 * fmax(scale, sum * 1e-300) + 1e-300;
}

/* ------------------------------------------------------------------ branch-and-bound state */

typedef struct {
  int m, n;
  const double *A;    /* rows normalised to unit length (scale does not change any count) */
  const double *A0;   /* the caller's rows, for recounts */
  relucap_lp *gordan; /* (G) over all m columns; excluded columns get upper bound 0 */
  relucap_lp *primal; /* {a_i . x <= -1}: rows switched off get upper bound +inf */
  finite_gordan *dense; /* built-in simplex replacing both CLP models (default) */
  int *cols;          /* column list for the dense solver */
  double *lamc;       /* its multipliers, per listed column */
  char *state;
  double *cost, *lam, *x;
  int *supp, *inU;
  int thr;            /* look for counts < thr */
  int best;
  double *best_x;
  int target;
  long nodes, lps, checked, failed;
  double t0, tlim;
  int timed_out, stop, lp_trouble;
  int record;         /* record the packing at the root */
  int npack, root_lb;
  int *prow;
  double *plam;
  const relucap_finite_net *net; /* cell mode (several layers): recount through the network */
  int no_branch;      /* bound the root only (witness search) */
} bb_t;

/* The per-row work arrays of a search over m rows in R^n (bb_free_work releases them). */
static int bb_alloc_work(bb_t *b, int m, int n)
{
  b->state = calloc((size_t)m, 1);
  b->cost = malloc((size_t)m * sizeof *b->cost);
  b->lam = malloc((size_t)m * sizeof *b->lam);
  b->x = malloc((size_t)n * sizeof *b->x);
  b->supp = malloc((size_t)(m + n + 1) * sizeof *b->supp);
  b->inU = malloc((size_t)m * sizeof *b->inU);
  b->cols = malloc((size_t)m * sizeof *b->cols);
  b->lamc = malloc((size_t)m * sizeof *b->lamc);
  if (!b->state || !b->cost || !b->lam || !b->x || !b->supp || !b->inU || !b->cols || !b->lamc)
    return RELUCAP_ENOMEM;
  return RELUCAP_SUCCESS;
}

static void bb_free_work(bb_t *b)
{
  free(b->state); free(b->cost); free(b->lam); free(b->x); free(b->supp); free(b->inU);
  free(b->cols); free(b->lamc);
}

/* A = A0 with every row scaled to unit length (zero rows stay zero): no count or strict system
 * depends on the scale of a row. */
static void unit_rows(int m, int n, const double *A0, double *A)
{
  for (int i = 0; i < m; i++) {
    double s = 0;
    for (int j = 0; j < n; j++) s += A0[(size_t)i * n + j] * A0[(size_t)i * n + j];
    s = s > 0 ? 1.0 / sqrt(s) : 0.0;
    for (int j = 0; j < n; j++) A[(size_t)i * n + j] = A0[(size_t)i * n + j] * s;
  }
}

static int time_up(bb_t *b)
{
  if (b->tlim > 0 && relucap_clock() - b->t0 > b->tlim) {
    b->timed_out = 1;
    b->stop = 1;
  }
  return b->stop;
}

/* Solve {a_i . x <= -1 : active[i]}; 1 if feasible (x filled), 0 if not, -1 on trouble. */
static int primal_solve(bb_t *b, const int *active, double *x)
{
  if (b->dense) {
    int k = 0;
    for (int i = 0; i < b->m; i++)
      if (active[i]) b->cols[k++] = i;
    b->lps++;
    if (k == 0) {
      memset(x, 0, (size_t)b->n * sizeof *x);
      return 1;
    }
    int r = finite_gordan_solve(b->dense, b->A, k, b->cols, NULL, b->lamc, x);
    return r == 1 ? 1 : r == 0 ? 0 : -1;
  }
  for (int i = 0; i < b->m; i++) relucap_lp_set_row_bounds(b->primal, i, -HUGE_VAL, active[i] ? -1.0 : HUGE_VAL);
  relucap_lp_outcome out;
  b->lps++;
  if (relucap_lp_resolve(b->primal, x, NULL, NULL, &out) != RELUCAP_SUCCESS) return -1;
  if (out == RELUCAP_LP_OPTIMAL) return 1;
  if (out == RELUCAP_LP_INFEASIBLE) return 0;
  return -1;
}

static void offer(bb_t *b, const double *x)
{
  int c = b->net ? relucap_depth_count(b->net, x, NULL)
                 : relucap_depth_count_layer(b->m, b->n, b->A0, x, NULL);
  if (c >= 0 && c < b->best) {
    b->best = c;
    memcpy(b->best_x, x, (size_t)b->n * sizeof *x);
    if (c < b->thr) b->thr = c;
    if (b->target > 0 && c < b->target) b->stop = 1; /* decision answered: D < target */
  }
}

/* Greedy first bound: best of the directions -a_i and a few random ones, then rows are added
 * to the negative set one at a time while {a_i . x <= -1} stays feasible (Chinneck-style). */
static void greedy(bb_t *b)
{
  int m = b->m, n = b->n;
  double *x = malloc((size_t)n * sizeof *x), *bx = malloc((size_t)n * sizeof *bx);
  int *act = calloc((size_t)m, sizeof *act);
  double *dot = malloc((size_t)m * sizeof *dot);
  int *ord = malloc((size_t)m * sizeof *ord);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  if (!x || !bx || !act || !dot || !ord || !r) goto out;
  gsl_rng_set(r, 20241227UL);
  int bc = m + 1;
  for (int t = 0; t < m + 4 * n; t++) {
    for (int j = 0; j < n; j++)
      x[j] = t < m ? -b->A[(size_t)t * n + j] : gsl_ran_gaussian_ziggurat(r, 1.0);
    int c = relucap_depth_count_layer(m, n, b->A0, x, NULL);
    if (c < bc) {
      bc = c;
      memcpy(bx, x, (size_t)n * sizeof *x);
    }
  }
  offer(b, bx);
  /* augment: rows with a_i . x >= 0, least positive first */
  int na = 0;
  for (int i = 0; i < m; i++) {
    double s = 0;
    for (int j = 0; j < n; j++) s += b->A[(size_t)i * n + j] * bx[j];
    dot[i] = s;
    act[i] = s < 0;
    if (s >= 0) ord[na++] = i;
  }
  for (int p = 1; p < na; p++) /* insertion sort by dot */
    for (int q = p; q > 0 && dot[ord[q]] < dot[ord[q - 1]]; q--) {
      int t = ord[q]; ord[q] = ord[q - 1]; ord[q - 1] = t;
    }
  if (primal_solve(b, act, x) == 1) {
    offer(b, x);
    for (int p = 0; p < na && !time_up(b); p++) {
      act[ord[p]] = 1;
      int f = primal_solve(b, act, x);
      if (f == 1) offer(b, x);
      else act[ord[p]] = 0;
    }
  }
out:
  free(x); free(bx); free(act); free(dot); free(ord);
  if (r) gsl_rng_free(r);
}

static void gordan_set_col(bb_t *b, int i, int open)
{
  if (b->gordan) relucap_lp_set_col_bounds(b->gordan, i, 0.0, open ? HUGE_VAL : 0.0);
}

/* One node.  nP = number of DROP rows.  Returns after exploring the subtree. */
static void node(bb_t *b, int nP)
{
  int m = b->m, n = b->n;
  if (time_up(b)) return;
  b->nodes++;
  int *forced = malloc((size_t)m * sizeof *forced);
  int *first = malloc((size_t)(n + 1) * sizeof *first);
  double *firstlam = malloc((size_t)(n + 1) * sizeof *firstlam);
  int nforced = 0, nfirst = 0, lb = 0, pruned = 0, have_x = 0;
  if (!forced || !first || !firstlam) {
    b->lp_trouble = 1;
    b->stop = 1;
    free(forced); free(first); free(firstlam);
    return;
  }
  for (int i = 0; i < m; i++) {
    b->inU[i] = b->state[i] == UNDEC;
    b->cost[i] = b->inU[i] ? 1.0 : 0.0;
    gordan_set_col(b, i, b->state[i] == KEEP || b->inU[i]);
  }
  if (b->gordan) relucap_lp_set_objective(b->gordan, b->cost);
  for (;;) {
    int infeasible;
    if (b->dense) {
      int kc = 0;
      for (int i = 0; i < m; i++)
        if (b->state[i] == KEEP || b->inU[i]) b->cols[kc++] = i;
      b->lps++;
      int r = kc ? finite_gordan_solve(b->dense, b->A, kc, b->cols, b->cost, b->lamc, b->x) : 1;
      if (r < 0) {
        b->lp_trouble = 1;
        break;
      }
      infeasible = r == 1;
      if (kc == 0) memset(b->x, 0, (size_t)n * sizeof *b->x);
      if (!infeasible) {
        memset(b->lam, 0, (size_t)m * sizeof *b->lam);
        for (int j = 0; j < kc; j++) b->lam[b->cols[j]] = b->lamc[j];
      } else {
        have_x = 1;
      }
    } else {
      relucap_lp_outcome out;
      b->lps++;
      if (relucap_lp_resolve(b->gordan, b->lam, NULL, NULL, &out) != RELUCAP_SUCCESS ||
          (out != RELUCAP_LP_OPTIMAL && out != RELUCAP_LP_INFEASIBLE)) {
        b->lp_trouble = 1;
        break;
      }
      infeasible = out == RELUCAP_LP_INFEASIBLE;
    }
    if (infeasible) break; /* N u U' strictly feasible */
    int k = 0, ku = 0, lastu = -1;
    double lsub[64];
    for (int i = 0; i < m; i++) {
      if (b->lam[i] > 1e-10 && (b->state[i] == KEEP || b->inU[i])) {
        if (k < n + 1) {
          b->supp[k] = i;
          lsub[k < 64 ? k : 63] = b->lam[i];
        }
        k++;
        if (b->inU[i]) {
          ku++;
          lastu = i;
        }
      }
    }
    if (k > n + 1 || k == 0) {
      b->lp_trouble = 1; /* a basic solution has at most n+1 non-zeros */
      break;
    }
    b->checked++;
    int proven = relucap_depth_check_simplex(m, n, b->A, k, b->supp, n + 1 <= 64 ? lsub : NULL);
    if (!proven) b->failed++;
    if (b->record) { /* at the root N is empty: every simplex found is disjoint from the others */
      for (int j = 0; j < k; j++) {
        b->prow[(size_t)b->npack * (n + 1) + j] = b->supp[j];
        b->plam[(size_t)b->npack * (n + 1) + j] = b->lam[b->supp[j]];
      }
      b->npack++;
    }
    if (ku == 0) { /* the kept rows alone contain 0 in their hull: infeasible node */
      pruned = 1;
      break;
    }
    if (ku == 1) { /* the simplex needs only this undecided row: it cannot be kept */
      b->state[lastu] = FORCED;
      b->inU[lastu] = 0;
      gordan_set_col(b, lastu, 0);
      forced[nforced++] = lastu;
      nP++;
    } else {
      lb++;
      for (int j = 0; j < k; j++) {
        int i = b->supp[j];
        if (b->inU[i]) {
          b->inU[i] = 0;
          gordan_set_col(b, i, 0);
          if (lb == 1) {
            firstlam[nfirst] = b->lam[i];
            first[nfirst++] = i;
          }
        }
      }
    }
    if (nP + lb >= b->thr) {
      pruned = 1;
      break;
    }
  }
  if (b->record) {
    b->root_lb = pruned ? b->thr : nP + lb;
    b->record = 0;
  }
  if (!pruned && !b->lp_trouble) {
    /* N u U' is feasible: its x bounds the count by nP + (rows removed from U'). */
    if (have_x) {
      offer(b, b->x); /* the dense solver's phase-1 duals already solve the system */
    } else {
      int *act = malloc((size_t)m * sizeof *act);
      if (act) {
        for (int i = 0; i < m; i++) act[i] = b->state[i] == KEEP || b->inU[i];
        int f = primal_solve(b, act, b->x);
        if (f == 1) offer(b, b->x);
        else b->lp_trouble = 1;
        free(act);
      }
    }
    if (lb > 0 && nP + lb < b->thr && !b->stop && !b->no_branch) {
      /* branch on the first simplex's undecided row with the largest multiplier (measured:
       * 40-45% fewer nodes than the lowest index at n = 8..10) */
      int i = first[0];
      for (int j = 1; j < nfirst; j++)
        if (firstlam[j] > firstlam[0]) {
          firstlam[0] = firstlam[j];
          i = first[j];
        }
      b->state[i] = KEEP;
      node(b, nP);
      b->state[i] = UNDEC;
      if (!b->stop && nP + 1 < b->thr) {
        b->state[i] = DROP;
        node(b, nP + 1);
        b->state[i] = UNDEC;
      }
    }
  }
  for (int j = 0; j < nforced; j++) b->state[forced[j]] = UNDEC;
  free(forced);
  free(first);
  free(firstlam);
}

static int bb_layer(int m, int n, const double *A0, const relucap_depth_opts *o,
                    relucap_depth_result *res)
{
  bb_t b = {.m = m, .n = n, .A0 = A0, .t0 = relucap_clock(), .tlim = o->time_limit, .target = o->target};
  double *A = malloc((size_t)m * n * sizeof *A);
  double *G = malloc((size_t)(n + 1) * m * sizeof *G);
  double *rhs = malloc((size_t)(n + 1) * sizeof *rhs);
  double *up = malloc((size_t)m * sizeof *up);
  int work = bb_alloc_work(&b, m, n);
  b.best_x = res->witness;
  b.prow = res->packing_rows;
  b.plam = res->packing_lambda;
  int status = RELUCAP_SUCCESS;
  if (!A || !G || !rhs || !up || work) {
    status = RELUCAP_ENOMEM;
    goto out;
  }
  unit_rows(m, n, A0, A);
  for (int i = 0; i < m; i++) up[i] = -1.0;
  b.A = A;
  for (int r = 0; r <= n; r++) {
    for (int i = 0; i < m; i++) G[(size_t)r * m + i] = r < n ? A[(size_t)i * n + r] : 1.0;
    rhs[r] = r < n ? 0.0 : 1.0;
  }
  for (int i = 0; i < m; i++) b.cost[i] = 1.0;
  if (o->lp_clp) {
    b.gordan = relucap_lp_alloc(n + 1, m, G, rhs, rhs, NULL, NULL, b.cost);
    b.primal = relucap_lp_alloc(m, n, A, NULL, up, NULL, NULL, NULL);
  } else {
    b.dense = finite_gordan_alloc(n, m);
  }
  if (o->lp_clp ? (!b.gordan || !b.primal) : !b.dense) {
    status = (o->lp_clp && !relucap_lp_available()) ? RELUCAP_EUNSUP : RELUCAP_ENOMEM;
    goto out;
  }
  /* start from the trivial bound: any x has at most m non-negative rows; x = 0 counts all */
  b.best = m + 1;
  b.thr = m + 1;
  for (int j = 0; j < n; j++) b.best_x[j] = 0.0;
  greedy(&b);
  if (b.best > m) { /* greedy could not even evaluate: use x = e_1 */
    double *e = calloc((size_t)n, sizeof *e);
    if (e) { e[0] = 1.0; offer(&b, e); free(e); }
  }
  if (b.target > 0 && b.thr > b.target) b.thr = b.target;
  b.record = 1;
  if (!b.stop) node(&b, 0);
  res->nodes = b.nodes;
  res->lps = b.lps;
  res->simplices_checked = b.checked;
  res->simplices_failed = b.failed;
  res->packing = b.npack;
  res->upper = b.best;
  int exhausted = !b.stop && !b.lp_trouble;
  int root_lower = b.record ? 0 : b.root_lb;
  if (exhausted)
    res->lower = b.target > 0 ? b.target : b.best; /* search over: nothing below thr exists */
  else
    res->lower = root_lower;
  if (b.npack > res->lower) res->lower = b.npack;
  if (res->lower > res->upper) res->lower = res->upper;
  res->timed_out = b.timed_out;
  res->certified = (b.target > 0 && b.best < b.target) || (exhausted && b.failed == 0);
  if (b.lp_trouble && !res->certified) status = RELUCAP_ENOPROG;
out:
  free(A); free(G); free(rhs); free(up);
  bb_free_work(&b);
  relucap_lp_free(b.gordan);
  relucap_lp_free(b.primal);
  finite_gordan_free(b.dense);
  if (status == RELUCAP_SUCCESS && res->timed_out) status = RELUCAP_ETIME;
  return status;
}

/* One activation cell of a deeper network (net.c): rows 0..nhard-1 are the cell's sign
 * constraints, written as rows that must be strictly negative (always KEEP, never counted);
 * rows nhard..k-1 are the output rows B_j (t = B x in the cell).  Runs the same search with
 * threshold min(*best, target) and updates *best / best_x (recounted through the network). */
int finite_bb_cell(const relucap_finite_net *net, int k, int nhard, int n, const double *rows,
                   int target, int *best, double *best_x, double t0, double tlim, long *nodes,
                   long *lps, long *checked, long *failed, int *timed_out, int *trouble,
                   finite_gordan *g)
{
  bb_t b = {.m = k, .n = n, .net = net, .t0 = t0, .tlim = tlim, .target = target, .best = *best};
  b.thr = target > 0 && target < *best ? target : *best;
  b.best_x = best_x;
  b.dense = g;
  double *A = malloc((size_t)k * n * sizeof *A);
  int st = bb_alloc_work(&b, k, n);
  if (!A || st) {
    st = RELUCAP_ENOMEM;
  } else {
    unit_rows(k, n, rows, A);
    for (int i = 0; i < k; i++) b.state[i] = i < nhard ? KEEP : UNDEC;
    b.A = A;
    b.A0 = A;
    node(&b, 0);
    *best = b.best;
  }
  *nodes += b.nodes;
  *lps += b.lps;
  *checked += b.checked;
  *failed += b.failed;
  if (b.timed_out) *timed_out = 1;
  if (b.lp_trouble) *trouble = 1;
  free(A);
  bb_free_work(&b);
  return st;
}

/* One-sided search: restarts of the greedy growth from random directions with a randomised
 * order; a cheap way to exhibit D < k (non-injectivity) at n far beyond the exact search. */
static void witness_search(bb_t *b, gsl_rng *r)
{
  int m = b->m, n = b->n;
  double *x = malloc((size_t)n * sizeof *x), *key = malloc((size_t)m * sizeof *key);
  int *act = malloc((size_t)m * sizeof *act), *ord = malloc((size_t)m * sizeof *ord);
  if (!x || !key || !act || !ord) goto out;
  while (!time_up(b) && !b->stop) {
    for (int j = 0; j < n; j++) x[j] = gsl_ran_gaussian_ziggurat(r, 1.0);
    int na = 0;
    for (int i = 0; i < m; i++) {
      double s = 0;
      for (int j = 0; j < n; j++) s += b->A[(size_t)i * n + j] * x[j];
      act[i] = s < 0;
      if (s >= 0) {
        key[i] = s * (0.5 + gsl_rng_uniform(r)); /* least positive first, randomised */
        ord[na++] = i;
      }
    }
    for (int p = 1; p < na; p++)
      for (int q = p; q > 0 && key[ord[q]] < key[ord[q - 1]]; q--) {
        int t = ord[q]; ord[q] = ord[q - 1]; ord[q - 1] = t;
      }
    offer(b, x);
    for (int p = 0; p < na && !b->stop; p++) {
      act[ord[p]] = 1;
      if (primal_solve(b, act, b->x) == 1) offer(b, b->x);
      else act[ord[p]] = 0;
      if ((p & 7) == 0 && time_up(b)) break;
    }
    b->nodes++; /* one start */
  }
out:
  free(x); free(key); free(act); free(ord);
}

static int search_layer(int m, int n, const double *A0, const relucap_depth_opts *o,
                        relucap_depth_result *res)
{
  relucap_depth_opts q = *o;
  if (!(q.time_limit > 0)) q.time_limit = 10.0;
  /* the root packing first (a B&B with threshold 0 stops after the root's packing) */
  bb_t b;
  memset(&b, 0, sizeof b);
  b.m = m;
  b.n = n;
  b.A0 = A0;
  b.t0 = relucap_clock();
  b.tlim = q.time_limit;
  b.target = q.target;
  double *A = malloc((size_t)m * n * sizeof *A);
  int work = bb_alloc_work(&b, m, n);
  b.dense = finite_gordan_alloc(n, m);
  b.best_x = res->witness;
  b.prow = res->packing_rows;
  b.plam = res->packing_lambda;
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  int status = RELUCAP_SUCCESS;
  if (!A || work || !b.dense || !r) {
    status = RELUCAP_ENOMEM;
    goto out;
  }
  unit_rows(m, n, A0, A);
  b.A = A;
  b.best = m + 1;
  b.thr = m + 1;
  greedy(&b);
  /* root packing only (no branching): a proven lower bound to report beside the witness */
  int best = b.best, thr = b.thr;
  b.no_branch = 1;
  b.record = 1;
  b.thr = m + 2;
  b.target = 0;
  node(&b, 0);
  b.thr = thr < b.best ? thr : b.best;
  if (best < b.best) b.best = best;
  b.target = q.target;
  if (b.target > 0 && b.thr > b.target) b.thr = b.target;
  gsl_rng_set(r, 0x5eedUL);
  if (!(b.target > 0 && b.best < b.target)) witness_search(&b, r);
  res->nodes = b.nodes;
  res->lps = b.lps;
  res->upper = b.best;
  res->lower = b.record ? 0 : b.root_lb;
  res->packing = b.npack;
  if (res->lower > res->upper) res->lower = res->upper;
  res->timed_out = 0;
  res->certified = b.target > 0 && b.best < b.target; /* a recounted witness below the target */
out:
  free(A);
  bb_free_work(&b);
  finite_gordan_free(b.dense);
  if (r) gsl_rng_free(r);
  return status;
}

/* ------------------------------------------------------------------ extreme-ray enumeration */

/* Kernel vector of the (n-1) x n matrix of rows T (long double elimination); 0 if rank < n-1. */
static int kernel_vector(int n, const double *A, const int *T, double *r)
{
  int k = n - 1;
  long double M[32][33];
  if (n > 32) return 0;
  for (int a = 0; a < k; a++)
    for (int j = 0; j < n; j++) M[a][j] = A[(size_t)T[a] * n + j];
  int piv[32], row = 0;
  int isp[33] = {0};
  for (int c = 0; c < n && row < k; c++) {
    int p = row;
    for (int a = row + 1; a < k; a++)
      if (fabsl(M[a][c]) > fabsl(M[p][c])) p = a;
    if (fabsl(M[p][c]) < 1e-12L) continue;
    for (int j = 0; j < n; j++) {
      long double t = M[row][j]; M[row][j] = M[p][j]; M[p][j] = t;
    }
    for (int a = 0; a < k; a++) {
      if (a == row) continue;
      long double f = M[a][c] / M[row][c];
      for (int j = 0; j < n; j++) M[a][j] -= f * M[row][j];
    }
    piv[row++] = c;
    isp[c] = 1;
  }
  if (row < k) return 0;
  int free_c = -1;
  for (int c = 0; c < n; c++)
    if (!isp[c]) free_c = c;
  for (int j = 0; j < n; j++) r[j] = 0;
  r[free_c] = 1;
  for (int a = 0; a < k; a++) r[piv[a]] = (double)(-M[a][free_c] / M[a][piv[a]]);
  return 1;
}

/* D = min over (n-1)-subsets T and signs s of #{i not in T : s a_i . r_T > 0} (notes 1.1); the
 * witness is s r_T pushed by d with a_t . d = -1 on T. */
static int enum_layer(int m, int n, const double *A, const relucap_depth_opts *o,
                      relucap_depth_result *res)
{
  double t0 = relucap_clock();
  int k = n - 1;
  int T[32];
  double r[32], bestr[32] = {0};
  int bestT[32], bestk = 0;
  if (n > 32) RELUCAP_ERROR("enum: n > 32", RELUCAP_EINVAL);
  for (int a = 0; a < k; a++) T[a] = a;
  int best = m + 1;
  long rays = 0;
  int done = k > m;
  while (!done) {
    if (kernel_vector(n, A, T, r)) {
      rays++;
      int cp = 0, cn = 0, a = 0;
      for (int i = 0; i < m; i++) {
        if (a < k && T[a] == i) { a++; continue; }
        double s = 0;
        for (int j = 0; j < n; j++) s += A[(size_t)i * n + j] * r[j];
        if (s > 0) cp++;
        else if (s < 0) cn++;
        else { cp++; cn++; }
      }
      if (cp < best || cn < best) {
        best = cp < cn ? cp : cn;
        double sg = cp <= cn ? 1.0 : -1.0;
        for (int j = 0; j < n; j++) bestr[j] = sg * r[j];
        memcpy(bestT, T, (size_t)k * sizeof *T);
        bestk = 1;
      }
    }
    if (o->time_limit > 0 && (rays & 1023) == 0 && relucap_clock() - t0 > o->time_limit) {
      res->timed_out = 1;
      break;
    }
    /* next combination */
    int a = k - 1;
    while (a >= 0 && T[a] == m - k + a) a--;
    if (a < 0) break;
    T[a]++;
    for (int c = a + 1; c < k; c++) T[c] = T[c - 1] + 1;
    if (k == 0) break;
  }
  /* Witness: the ray plus a push d (least-norm solution of a_t . d = -1 on T), scaled small. */
  if (bestk) {
    double d[32] = {0};
    if (k > 0) {
      /* d = A_T^T (A_T A_T^T)^{-1} (-1): Gram system of size k */
      long double Gm[32][33];
      for (int a = 0; a < k; a++) {
        for (int c = 0; c < k; c++) {
          long double s = 0;
          for (int j = 0; j < n; j++) s += (long double)A[(size_t)bestT[a] * n + j] * A[(size_t)bestT[c] * n + j];
          Gm[a][c] = s;
        }
        Gm[a][k] = -1;
      }
      for (int c = 0; c < k; c++) {
        int p = c;
        for (int a = c + 1; a < k; a++) if (fabsl(Gm[a][c]) > fabsl(Gm[p][c])) p = a;
        for (int j = 0; j <= k; j++) { long double t = Gm[c][j]; Gm[c][j] = Gm[p][j]; Gm[p][j] = t; }
        for (int a = 0; a < k; a++) {
          if (a == c || Gm[c][c] == 0) continue;
          long double f = Gm[a][c] / Gm[c][c];
          for (int j = c; j <= k; j++) Gm[a][j] -= f * Gm[c][j];
        }
      }
      for (int a = 0; a < k; a++) {
        long double y = Gm[a][a] != 0 ? Gm[a][k] / Gm[a][a] : 0;
        for (int j = 0; j < n; j++) d[j] += (double)(y * A[(size_t)bestT[a] * n + j]);
      }
    }
    /* shrink the push until the count of the pushed point equals the ray's count */
    double eps = 1e-3, x[32];
    for (int it = 0; it < 40; it++, eps *= 0.25) {
      for (int j = 0; j < n; j++) x[j] = bestr[j] + eps * d[j];
      if (relucap_depth_count_layer(m, n, A, x, NULL) <= best) break;
    }
    memcpy(res->witness, x, (size_t)n * sizeof *x);
    int c = relucap_depth_count_layer(m, n, A, x, NULL);
    res->upper = c;
  } else {
    res->upper = m;
    res->witness[0] = 1.0;
    res->upper = relucap_depth_count_layer(m, n, A, res->witness, NULL);
  }
  res->nodes = rays;
  if (res->timed_out) {
    res->lower = 0;
    return RELUCAP_ETIME;
  }
  res->lower = best < res->upper ? best : res->upper;
  /* the enumeration itself is the proof when the witness recounts to the enumerated minimum */
  res->certified = res->upper == best;
  if (!res->certified) res->lower = best; /* witness push failed; upper stays the recount */
  return RELUCAP_SUCCESS;
}

/* ------------------------------------------------------------------ dispatch */

int relucap_depth_layer(int m, int n, const double *A, const relucap_depth_opts *opts,
                        relucap_depth_result *res)
{
  if (m < 1 || n < 1 || !A || !res) RELUCAP_ERROR("depth: bad arguments", RELUCAP_EINVAL);
  relucap_depth_opts o = opts ? *opts : relucap_depth_opts_default();
  if (o.target < 0) RELUCAP_ERROR("depth: negative target", RELUCAP_EINVAL);
  for (long i = 0; i < (long)m * n; i++)
    if (!isfinite(A[i])) RELUCAP_ERROR("depth: non-finite weight", RELUCAP_EINVAL);
  int st = finite_result_init(res, m, n);
  if (st) RELUCAP_ERROR("depth: out of memory", st);
  double t0 = relucap_clock();
  switch (o.method) {
  case RELUCAP_DEPTH_BB: st = bb_layer(m, n, A, &o, res); break;
  case RELUCAP_DEPTH_ENUM: st = enum_layer(m, n, A, &o, res); break;
  case RELUCAP_DEPTH_MILP: st = finite_milp_layer(m, n, A, &o, res); break;
  case RELUCAP_DEPTH_SEARCH: st = search_layer(m, n, A, &o, res); break;
  default: st = RELUCAP_EINVAL; break;
  }
  res->seconds = relucap_clock() - t0;
  if (st != RELUCAP_SUCCESS && st != RELUCAP_ETIME) return st;
  /* the upper bound is whatever the witness recounts to, never a solver's claim */
  res->upper = relucap_depth_count_layer(m, n, A, res->witness, &res->witness_margin);
  if (res->lower > res->upper) {
    res->lower = res->upper;
    res->certified = 0;
  }
  res->exact = res->lower == res->upper;
  res->decided = res->exact || (o.target > 0 && (res->lower >= o.target || res->upper < o.target));
  /* the packing alone proves `lower` when it reaches it */
  res->certificate_complete = res->packing >= res->lower && res->packing > 0;
  if (res->lower == 0) res->certificate_complete = 1;
  if (!res->decided) res->certified = 0;
  return st;
}

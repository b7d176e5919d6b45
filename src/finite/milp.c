/* Reference MILPs for D solved by CBC (notes/finite-n.md 1.2 and 4).  A floating MILP optimum
 * is not a proof: results from here are never marked certified; the witness is recounted. */
#include "relucap/finite.h"
#include "finite_internal.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef RELUCAP_HAVE_COIN
#include <coin/Cbc_C_Interface.h>

/* A small dense MILP under construction. */
typedef struct {
  int ncols, nrows, cap;
  double *clo, *cup, *obj;
  char *isint;
  double *rows, *rlo, *rup; /* nrows x ncols dense */
  int oom;
} milp_t;

static int milp_init(milp_t *p, int ncols)
{
  memset(p, 0, sizeof *p);
  p->ncols = ncols;
  p->clo = calloc((size_t)ncols, sizeof(double));
  p->cup = calloc((size_t)ncols, sizeof(double));
  p->obj = calloc((size_t)ncols, sizeof(double));
  p->isint = calloc((size_t)ncols, 1);
  return p->clo && p->cup && p->obj && p->isint ? 0 : -1;
}

static void milp_free(milp_t *p)
{
  free(p->clo); free(p->cup); free(p->obj); free(p->isint); free(p->rows); free(p->rlo);
  free(p->rup);
}

/* Append a zeroed row with bounds [lo, up]; returns its coefficient array (NULL on OOM). */
static double *milp_row(milp_t *p, double lo, double up)
{
  if (p->nrows == p->cap) {
    int cap = p->cap ? 2 * p->cap : 64;
    double *r = realloc(p->rows, (size_t)cap * p->ncols * sizeof *r);
    if (r) p->rows = r;
    double *a = realloc(p->rlo, (size_t)cap * sizeof *a);
    if (a) p->rlo = a;
    double *b = realloc(p->rup, (size_t)cap * sizeof *b);
    if (b) p->rup = b;
    if (!r || !a || !b) {
      p->oom = 1;
      return NULL;
    }
    p->cap = cap;
  }
  double *row = p->rows + (size_t)p->nrows * p->ncols;
  memset(row, 0, (size_t)p->ncols * sizeof *row);
  p->rlo[p->nrows] = lo;
  p->rup[p->nrows] = up;
  p->nrows++;
  return row;
}

static double inf_to_max(double v) { return v >= 1e30 ? DBL_MAX : v <= -1e30 ? -DBL_MAX : v; }

/* Solve with CBC.  *sol (ncols) gets the best solution if one exists (*have_sol); *bound the
 * proven lower bound; *optimal whether CBC proved optimality (or infeasibility: *infeasible). */
static int milp_solve(milp_t *p, double time_limit, double *sol, int *have_sol, double *bound,
                      int *optimal, int *infeasible, long *nodes)
{
  if (p->oom) return RELUCAP_ENOMEM;
  int nc = p->ncols, nr = p->nrows, nnz = 0;
  for (long k = 0; k < (long)nr * nc; k++) nnz += p->rows[k] != 0.0;
  CoinBigIndex *start = malloc((size_t)(nc + 1) * sizeof *start);
  int *index = malloc((size_t)(nnz + 1) * sizeof *index);
  double *value = malloc((size_t)(nnz + 1) * sizeof *value);
  double *clo = malloc((size_t)nc * sizeof *clo), *cup = malloc((size_t)nc * sizeof *cup);
  double *rlo = malloc((size_t)(nr + 1) * sizeof *rlo), *rup = malloc((size_t)(nr + 1) * sizeof *rup);
  if (!start || !index || !value || !clo || !cup || !rlo || !rup) {
    free(start); free(index); free(value); free(clo); free(cup); free(rlo); free(rup);
    return RELUCAP_ENOMEM;
  }
  int q = 0;
  for (int j = 0; j < nc; j++) {
    start[j] = q;
    for (int i = 0; i < nr; i++) {
      double v = p->rows[(size_t)i * nc + j];
      if (v != 0.0) {
        index[q] = i;
        value[q++] = v;
      }
    }
    clo[j] = inf_to_max(p->clo[j]);
    cup[j] = inf_to_max(p->cup[j]);
  }
  start[nc] = q;
  for (int i = 0; i < nr; i++) {
    rlo[i] = inf_to_max(p->rlo[i]);
    rup[i] = inf_to_max(p->rup[i]);
  }
  Cbc_Model *cbc = Cbc_newModel();
  Cbc_loadProblem(cbc, nc, nr, start, index, value, clo, cup, p->obj, rlo, rup);
  for (int j = 0; j < nc; j++)
    if (p->isint[j]) Cbc_setInteger(cbc, j);
  Cbc_setLogLevel(cbc, 0);
  Cbc_setParameter(cbc, "threads", "1");
  if (time_limit > 0) Cbc_setMaximumSeconds(cbc, time_limit);
  Cbc_solve(cbc);
  *optimal = Cbc_isProvenOptimal(cbc);
  *infeasible = Cbc_isProvenInfeasible(cbc);
  const double *bs = Cbc_bestSolution(cbc);
  *have_sol = bs != NULL;
  if (bs) memcpy(sol, bs, (size_t)nc * sizeof *sol);
  *bound = Cbc_getBestPossibleObjValue(cbc);
  *nodes = Cbc_getNodeCount(cbc);
  Cbc_deleteModel(cbc);
  free(start); free(index); free(value); free(clo); free(cup); free(rlo); free(rup);
  return RELUCAP_SUCCESS;
}

/* min sum z  s.t.  a_i.x - M_i z_i <= -1, |x_j| <= R, z binary, M_i = 1 + R |a_i|_1 (rows
 * normalised).  Decision target k: objective 0 and the extra row sum z <= k - 1. */
int finite_milp_layer(int m, int n, const double *A0, const relucap_depth_opts *o,
                      relucap_depth_result *res)
{
  if (o->milp_box < 0) { /* exact normalisation |x|_inf = 1 (the multi-layer model at depth 1) */
    relucap_finite_net net1;
    memset(&net1, 0, sizeof net1);
    net1.depth = 1;
    net1.dims[0] = n;
    net1.dims[1] = m;
    net1.w[0] = (double *)A0;
    return finite_milp_net(&net1, o, res);
  }
  double R = o->milp_box > 0 ? o->milp_box : 1e5;
  milp_t p;
  if (milp_init(&p, n + m)) {
    milp_free(&p);
    return RELUCAP_ENOMEM;
  }
  for (int j = 0; j < n; j++) {
    p.clo[j] = -R;
    p.cup[j] = R;
  }
  for (int i = 0; i < m; i++) {
    p.clo[n + i] = 0;
    p.cup[n + i] = 1;
    p.isint[n + i] = 1;
    p.obj[n + i] = o->target > 0 ? 0.0 : 1.0;
  }
  for (int i = 0; i < m; i++) {
    double nrm = 0, l1 = 0;
    for (int j = 0; j < n; j++) nrm += A0[(size_t)i * n + j] * A0[(size_t)i * n + j];
    nrm = nrm > 0 ? 1.0 / sqrt(nrm) : 0.0;
    double *row = milp_row(&p, -HUGE_VAL, -1.0);
    if (!row) break;
    for (int j = 0; j < n; j++) {
      row[j] = A0[(size_t)i * n + j] * nrm;
      l1 += fabs(row[j]);
    }
    row[n + i] = -(1.0 + R * l1);
  }
  if (o->target > 0) {
    double *row = milp_row(&p, -HUGE_VAL, o->target - 1.0);
    if (row)
      for (int i = 0; i < m; i++) row[n + i] = 1.0;
  }
  double *sol = malloc((size_t)(n + m) * sizeof *sol);
  int have = 0, opt = 0, infeas = 0;
  double bound = 0;
  int st = sol ? milp_solve(&p, o->time_limit, sol, &have, &bound, &opt, &infeas, &res->nodes)
               : RELUCAP_ENOMEM;
  if (st == RELUCAP_SUCCESS) {
    if (have) memcpy(res->witness, sol, (size_t)n * sizeof *sol);
    else res->witness[0] = 1.0;
    res->upper = relucap_depth_count_layer(m, n, A0, res->witness, NULL);
    if (o->target > 0) {
      if (infeas) res->lower = o->target;
      else res->lower = 0;
    } else {
      res->lower = opt ? (int)floor(bound + 0.5) : (int)ceil(bound - 1e-6);
      if (res->lower < 0) res->lower = 0;
    }
    if (res->lower > res->upper) res->lower = res->upper;
    res->timed_out = !opt && !infeas && !(o->target > 0 && have);
    res->certified = 0; /* a floating MILP optimum is not a certificate */
    if (res->timed_out) st = RELUCAP_ETIME;
  }
  free(sol);
  milp_free(&p);
  return st;
}

/* Interval bounds of the pre-activations, layer by layer, for x in [-1,1]^n. */
static int preact_bounds(const relucap_finite_net *net, double **lo, double **up)
{
  int n = net->dims[0];
  for (int l = 0; l < net->depth; l++) {
    int mi = net->dims[l + 1], ni = net->dims[l];
    lo[l] = malloc((size_t)mi * sizeof(double));
    up[l] = malloc((size_t)mi * sizeof(double));
    if (!lo[l] || !up[l]) return -1;
    for (int i = 0; i < mi; i++) {
      double a = 0, b = 0;
      for (int j = 0; j < ni; j++) {
        double w = net->w[l][(size_t)i * ni + j];
        if (l == 0) {
          a -= fabs(w);
          b += fabs(w);
        } else {
          double hu = fmax(up[l - 1][j], 0.0);
          if (w > 0) b += w * hu;
          else a += w * hu;
        }
      }
      lo[l][i] = a;
      up[l][i] = b;
    }
  }
  (void)n;
  return 0;
}

/* min sum w_j s.t. |x|_inf = 1 (x in [-1,1]^n, selectors p_k, q_k), h = ReLU(z) exactly by
 * big-M from interval bounds (binary delta), t_j <= U_j w_j.  The optimum is D of eq. (11). */
int finite_milp_net(const relucap_finite_net *net, const relucap_depth_opts *o, relucap_depth_result *res)
{
  int L = net->depth, n = net->dims[0];
  double *lo[RELUCAP_FINITE_MAXDEPTH] = {0}, *up[RELUCAP_FINITE_MAXDEPTH] = {0};
  int hoff[RELUCAP_FINITE_MAXDEPTH], doff[RELUCAP_FINITE_MAXDEPTH];
  int nc = 3 * n;
  for (int l = 0; l + 1 < L; l++) {
    hoff[l] = nc;
    nc += net->dims[l + 1];
    doff[l] = nc;
    nc += net->dims[l + 1];
  }
  int woff = nc, mL = net->dims[L];
  nc += mL;
  milp_t p;
  int st = RELUCAP_SUCCESS;
  if (milp_init(&p, nc) || preact_bounds(net, lo, up)) {
    st = RELUCAP_ENOMEM;
    goto out;
  }
  /* x and the |x|_inf = 1 selectors: x_k >= 2 p_k - 1, x_k <= 1 - 2 q_k, sum p + q = 1 */
  double *srow = milp_row(&p, 1.0, 1.0);
  for (int k = 0; k < n && srow; k++) {
    p.clo[k] = -1; p.cup[k] = 1;
    for (int s = 1; s <= 2; s++) {
      int c = s * n + k;
      p.clo[c] = 0; p.cup[c] = 1; p.isint[c] = 1;
      srow[c] = 1.0;
    }
    double *r1 = milp_row(&p, -1.0, HUGE_VAL);
    if (r1) { r1[k] = 1; r1[n + k] = -2; }
    double *r2 = milp_row(&p, -HUGE_VAL, 1.0);
    if (r2) { r2[k] = 1; r2[2 * n + k] = 2; }
  }
  /* hidden layers */
  for (int l = 0; l + 1 < L; l++) {
    int mi = net->dims[l + 1], ni = net->dims[l];
    int in_off = l == 0 ? 0 : hoff[l - 1];
    for (int i = 0; i < mi; i++) {
      int h = hoff[l] + i, d = doff[l] + i;
      double a = lo[l][i], b = up[l][i];
      p.clo[h] = 0; p.cup[h] = fmax(b, 0.0);
      p.clo[d] = 0; p.cup[d] = 1; p.isint[d] = 1;
      const double *w = net->w[l] + (size_t)i * ni;
      if (b <= 0) { p.cup[h] = 0; p.cup[d] = 0; continue; }
      if (a >= 0) { /* always active: h = z */
        double *r = milp_row(&p, 0.0, 0.0);
        if (r) { r[h] = 1; for (int j = 0; j < ni; j++) r[in_off + j] = -w[j]; }
        p.clo[d] = 1;
        continue;
      }
      double *r = milp_row(&p, 0.0, HUGE_VAL); /* h >= z */
      if (r) { r[h] = 1; for (int j = 0; j < ni; j++) r[in_off + j] = -w[j]; }
      r = milp_row(&p, -HUGE_VAL, -a); /* h <= z - a (1 - delta) */
      if (r) { r[h] = 1; r[d] = -a; for (int j = 0; j < ni; j++) r[in_off + j] = -w[j]; }
      r = milp_row(&p, -HUGE_VAL, 0.0); /* h <= b delta */
      if (r) { r[h] = 1; r[d] = -b; }
    }
  }
  /* output rows: t_j - U_j w_j <= 0 */
  {
    int ni = net->dims[L - 1];
    int in_off = L == 1 ? 0 : hoff[L - 2];
    int sum_row = p.nrows; /* cardinality row sum w <= target - 1 (decision version) */
    if (o->target > 0) milp_row(&p, -HUGE_VAL, o->target - 1.0);
    for (int j = 0; j < mL; j++) {
      int c = woff + j;
      p.clo[c] = 0; p.cup[c] = 1; p.isint[c] = 1;
      p.obj[c] = o->target > 0 ? 0.0 : 1.0;
      double U = fmax(up[L - 1][j], 0.0) + 1e-9;
      double *r = milp_row(&p, -HUGE_VAL, 0.0);
      if (!r) break;
      const double *w = net->w[L - 1] + (size_t)j * ni;
      for (int k = 0; k < ni; k++) r[in_off + k] = w[k];
      r[c] = -U;
    }
    if (o->target > 0 && !p.oom) {
      double *row = p.rows + (size_t)sum_row * nc;
      for (int j = 0; j < mL; j++) row[woff + j] = 1.0;
    }
  }
  double *sol = malloc((size_t)nc * sizeof *sol);
  int have = 0, opt = 0, infeas = 0;
  double bound = 0;
  st = sol ? milp_solve(&p, o->time_limit, sol, &have, &bound, &opt, &infeas, &res->nodes)
           : RELUCAP_ENOMEM;
  if (st == RELUCAP_SUCCESS) {
    if (have) memcpy(res->witness, sol, (size_t)n * sizeof *sol);
    else res->witness[0] = 1.0;
    res->upper = relucap_depth_count(net, res->witness, NULL);
    if (o->target > 0) res->lower = infeas ? o->target : 0;
    else res->lower = opt ? (int)floor(bound + 0.5) : (int)ceil(bound - 1e-6);
    if (res->lower < 0) res->lower = 0;
    if (res->lower > res->upper) res->lower = res->upper;
    res->timed_out = !opt && !infeas && !(o->target > 0 && have);
    res->certified = 0;
    if (res->timed_out) st = RELUCAP_ETIME;
  }
  free(sol);
out:
  for (int l = 0; l < L; l++) { free(lo[l]); free(up[l]); }
  milp_free(&p);
  return st;
}

/* Pair check for two layers (notes 4(a)): exists x != y in [-1,1]^n with F(x) = F(y)?
 * h = ReLU(A1 x), g = ReLU(A1 y) (binaries), s = A2 h, t = A2 g, and per output row j either
 * s_j = t_j (w_j = 1) or s_j, t_j <= 0 (w_j = 0); maximise d <= x_k - y_k + 2 (1 - e_k) with one
 * e_k = 1.  Non-injective iff the optimum is > 0. */
int relucap_finite_pair_check(const relucap_finite_net *net, double time_limit, int *noninjective,
                              int *verified, double *x, double *y, double *seconds)
{
  if (!net || net->depth != 2 || !noninjective || !verified)
    RELUCAP_ERROR("pair check: needs a two-layer network", RELUCAP_EINVAL);
  double t0 = relucap_clock();
  int n = net->dims[0], m1 = net->dims[1], m2 = net->dims[2];
  double *lo[2] = {0}, *up[2] = {0};
  /* columns: x (n), y (n), h (m1), g (m1), dh (m1), dg (m1), w (m2), e (n), d (1) */
  int cx = 0, cy = n, ch = 2 * n, cg = ch + m1, cdh = cg + m1, cdg = cdh + m1, cw = cdg + m1,
      ce = cw + m2, cd = ce + n, nc = cd + 1;
  milp_t p;
  int st = RELUCAP_SUCCESS;
  if (milp_init(&p, nc) || preact_bounds(net, lo, up)) {
    st = RELUCAP_ENOMEM;
    goto out;
  }
  for (int k = 0; k < n; k++) {
    p.clo[cx + k] = p.clo[cy + k] = -1;
    p.cup[cx + k] = p.cup[cy + k] = 1;
    p.clo[ce + k] = 0; p.cup[ce + k] = 1; p.isint[ce + k] = 1;
  }
  p.clo[cd] = -2; p.cup[cd] = 2; p.obj[cd] = -1;
  double *r = milp_row(&p, 1, 1);
  for (int k = 0; k < n && r; k++) r[ce + k] = 1;
  for (int k = 0; k < n; k++) { /* d - x_k + y_k + 2 e_k <= 2 */
    r = milp_row(&p, -HUGE_VAL, 2);
    if (r) { r[cd] = 1; r[cx + k] = -1; r[cy + k] = 1; r[ce + k] = 2; }
  }
  for (int side = 0; side < 2; side++) {
    int in = side ? cy : cx, hc = side ? cg : ch, dc = side ? cdg : cdh;
    for (int i = 0; i < m1; i++) {
      const double *w = net->w[0] + (size_t)i * n;
      double a = lo[0][i], b = up[0][i];
      p.clo[hc + i] = 0; p.cup[hc + i] = fmax(b, 0);
      p.clo[dc + i] = 0; p.cup[dc + i] = 1; p.isint[dc + i] = 1;
      r = milp_row(&p, 0, HUGE_VAL); /* h >= z */
      if (r) { r[hc + i] = 1; for (int j = 0; j < n; j++) r[in + j] = -w[j]; }
      r = milp_row(&p, -HUGE_VAL, -a); /* h <= z - a (1 - delta) */
      if (r) { r[hc + i] = 1; r[dc + i] = -a; for (int j = 0; j < n; j++) r[in + j] = -w[j]; }
      r = milp_row(&p, -HUGE_VAL, 0); /* h <= b delta */
      if (r) { r[hc + i] = 1; r[dc + i] = -b; }
    }
  }
  for (int j = 0; j < m2; j++) {
    const double *w = net->w[1] + (size_t)j * m1;
    double U = fmax(up[1][j], 0) + 1e-9, M = up[1][j] - lo[1][j] + 1e-9;
    p.clo[cw + j] = 0; p.cup[cw + j] = 1; p.isint[cw + j] = 1;
    for (int sgn = -1; sgn <= 1; sgn += 2) { /* +-(s - t) <= M (1 - w) */
      r = milp_row(&p, -HUGE_VAL, M);
      if (r) { for (int i = 0; i < m1; i++) { r[ch + i] = sgn * w[i]; r[cg + i] = -sgn * w[i]; } r[cw + j] = M; }
    }
    for (int side = 0; side < 2; side++) { /* s <= U w, t <= U w */
      r = milp_row(&p, -HUGE_VAL, 0);
      if (r) { for (int i = 0; i < m1; i++) r[(side ? cg : ch) + i] = w[i]; r[cw + j] = -U; }
    }
  }
  double *sol = malloc((size_t)nc * sizeof *sol);
  int have = 0, opt = 0, infeas = 0;
  double bound = 0;
  long nodes = 0;
  st = sol ? milp_solve(&p, time_limit, sol, &have, &bound, &opt, &infeas, &nodes) : RELUCAP_ENOMEM;
  *noninjective = 0;
  *verified = 0;
  if (st == RELUCAP_SUCCESS) {
    if (have && sol[cd] > 1e-6) {
      *noninjective = 1;
      if (x) memcpy(x, sol + cx, (size_t)n * sizeof *x);
      if (y) memcpy(y, sol + cy, (size_t)n * sizeof *y);
      /* re-check F(x) = F(y) in long double, relative to the output scale */
      long double fx[512], fy[512], big = 0, diff = 0;
      int ok = m2 <= 512 && m1 <= 512;
      for (int side = 0; side < 2 && ok; side++) {
        const double *v = sol + (side ? cy : cx);
        long double hh[512];
        for (int i = 0; i < m1; i++) {
          long double z = 0;
          for (int k = 0; k < n; k++) z += (long double)net->w[0][(size_t)i * n + k] * v[k];
          hh[i] = z > 0 ? z : 0;
        }
        for (int j = 0; j < m2; j++) {
          long double z = 0;
          for (int i = 0; i < m1; i++) z += (long double)net->w[1][(size_t)j * m1 + i] * hh[i];
          (side ? fy : fx)[j] = z > 0 ? z : 0;
        }
      }
      for (int j = 0; j < m2 && ok; j++) {
        big = fmaxl(big, fmaxl(fx[j], fy[j]));
        diff = fmaxl(diff, fabsl(fx[j] - fy[j]));
      }
      *verified = ok && diff <= 1e-6L * (big > 1 ? big : 1);
    } else if (!opt) {
      st = RELUCAP_ETIME; /* neither a pair nor a proof of optimum 0 */
    }
  }
  if (seconds) *seconds = relucap_clock() - t0;
  free(sol);
out:
  for (int l = 0; l < 2; l++) { free(lo[l]); free(up[l]); }
  milp_free(&p);
  return st;
}

#else

int finite_milp_layer(int m, int n, const double *A0, const relucap_depth_opts *o,
                      relucap_depth_result *res)
{
  (void)m; (void)n; (void)A0; (void)o; (void)res;
  RELUCAP_ERROR("relucap built without CBC", RELUCAP_EUNSUP);
}
int finite_milp_net(const relucap_finite_net *net, const relucap_depth_opts *o, relucap_depth_result *res)
{
  (void)net; (void)o; (void)res;
  RELUCAP_ERROR("relucap built without CBC", RELUCAP_EUNSUP);
}
int relucap_finite_pair_check(const relucap_finite_net *net, double time_limit, int *noninjective,
                              int *verified, double *x, double *y, double *seconds)
{
  (void)net; (void)time_limit; (void)noninjective; (void)verified; (void)x; (void)y; (void)seconds;
  RELUCAP_ERROR("relucap built without CBC", RELUCAP_EUNSUP);
}

#endif

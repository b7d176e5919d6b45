/* Several layers: D(A_1..A_l) = min_{x != 0} #{i : t_i(x) > 0}, eq. (11) of arXiv 2412.19677.
 *
 * Exact search for small n (finite_bb_net): depth-first enumeration of the activation cells of
 * the hidden layers.  Inside a cell every pre-activation is linear in x, so the hidden signs are
 * linear constraints s_i (L_i . x) >= 0; cells are pruned as soon as these become infeasible
 * under the normalisation c . x = 1 (c = sum of the signed layer-1 rows decided so far; on a
 * full-dimensional cell c . x = sum |a_i . x| > 0).  Every x != 0 lies in the closure of such a
 * cell, where t = B x with B fixed, so the minimum over closed cells is D.  In a cell the output
 * count min #{j : B_j x > 0} is a keep/drop search over the output rows with LP feasibility
 * (kept rows B_j x <= 0), pruned by the incumbent. */
#include "relucap/finite.h"
#include "relucap/lp.h"
#include "finite_internal.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int relucap_depth_count(const relucap_finite_net *net, const double *x, double *margin)
{
  if (net->depth == 1)
    return relucap_depth_count_layer(net->dims[1], net->dims[0], net->w[0], x, margin);
  int maxw = 0;
  for (int l = 0; l <= net->depth; l++) maxw = net->dims[l] > maxw ? net->dims[l] : maxw;
  long double *u = malloc((size_t)maxw * sizeof *u), *v = malloc((size_t)maxw * sizeof *v);
  if (!u || !v) {
    free(u); free(v);
    return -1;
  }
  for (int j = 0; j < net->dims[0]; j++) u[j] = x[j];
  for (int l = 0; l < net->depth; l++) {
    int mi = net->dims[l + 1], ni = net->dims[l];
    for (int i = 0; i < mi; i++) {
      long double s = 0;
      for (int j = 0; j < ni; j++) s += (long double)net->w[l][(size_t)i * ni + j] * u[j];
      v[i] = (l + 1 < net->depth && s < 0) ? 0 : s;
    }
    long double *t = u; u = v; v = t;
  }
  int count = 0, mL = net->dims[net->depth];
  long double big = 0;
  for (int j = 0; j < mL; j++) big = fabsl(u[j]) > big ? fabsl(u[j]) : big;
  double mg = HUGE_VAL;
  for (int j = 0; j < mL; j++) {
    if (u[j] > 0) count++;
    if (big > 0 && u[j] != 0) mg = fmin(mg, (double)(fabsl(u[j]) / big));
  }
  if (margin) *margin = mg;
  free(u); free(v);
  return count;
}

typedef struct {
  const relucap_finite_net *net;
  int n, nh;          /* input dim, number of hidden neurons (all hidden layers) */
  int *lay, *idx;     /* hidden neuron k: layer and index */
  double *L;          /* nh x n: pre-activation of hidden neuron k as a linear function of x */
  int *sign;          /* +1 active, -1 inactive, 0 undecided */
  double *B;          /* mL x n output map of the current cell */
  int *keep;          /* output rows kept (B_j x <= 0) */
  int best;
  double *best_x;
  long nodes, lps;
  double t0, tlim;
  int timed_out, stop, trouble, target;
  double *A, *lo, *up, *obj, *xs; /* LP scratch */
} nb_t;

/* Pre-activation maps of layer l's neurons given all earlier signs (cell-wise linear). */
static void layer_maps(nb_t *b, int l, int first_k)
{
  const relucap_finite_net *net = b->net;
  int n = b->n, mi = net->dims[l + 1], ni = net->dims[l];
  const double *W = net->w[l];
  for (int i = 0; i < mi; i++) {
    double *Li = (l + 1 < net->depth) ? b->L + (size_t)(first_k + i) * n : b->B + (size_t)i * n;
    if (l == 0) {
      memcpy(Li, W + (size_t)i * ni, (size_t)n * sizeof *Li);
      continue;
    }
    memset(Li, 0, (size_t)n * sizeof *Li);
    int prev0 = first_k - ni;
    for (int j = 0; j < ni; j++) {
      if (b->sign[prev0 + j] <= 0) continue; /* inactive neuron: ReLU = 0 */
      double w = W[(size_t)i * ni + j];
      const double *Lp = b->L + (size_t)(prev0 + j) * n;
      for (int c = 0; c < n; c++) Li[c] += w * Lp[c];
    }
  }
}

/* max s s.t. sign_k L_k x >= 0 (decided hidden), c.x = 1, B_j x + s <= 0 (kept), 0 <= s <= 1.
 * Returns 1 feasible (x in b->xs, the slack as far from ties as possible), 0 infeasible. */
static int cell_lp(nb_t *b, int with_outputs)
{
  int n = b->n, mL = b->net->dims[b->net->depth], r = 0, nc = n + 1;
  double *c = b->A; /* normalisation row first */
  memset(c, 0, (size_t)nc * sizeof *c);
  int m1 = b->net->dims[1];
  for (int k = 0; k < m1; k++) { /* layer-1 neurons come first */
    if (b->sign[k] == 0) continue;
    const double *Lk = b->L + (size_t)k * n;
    for (int j = 0; j < n; j++) c[j] += b->sign[k] * Lk[j];
  }
  b->lo[0] = b->up[0] = 1.0;
  r = 1;
  for (int k = 0; k < b->nh; k++) {
    if (b->sign[k] == 0) continue;
    double *row = b->A + (size_t)r * nc;
    const double *Lk = b->L + (size_t)k * n;
    for (int j = 0; j < n; j++) row[j] = b->sign[k] * Lk[j];
    row[n] = 0;
    b->lo[r] = 0; b->up[r] = HUGE_VAL;
    r++;
  }
  if (with_outputs)
    for (int j = 0; j < mL; j++) {
      if (!b->keep[j]) continue;
      double *row = b->A + (size_t)r * nc;
      memcpy(row, b->B + (size_t)j * n, (size_t)n * sizeof *row);
      row[n] = 1.0;
      b->lo[r] = -HUGE_VAL; b->up[r] = 0;
      r++;
    }
  double clo[64], cup[64];
  for (int j = 0; j < n; j++) { clo[j] = -HUGE_VAL; cup[j] = HUGE_VAL; }
  clo[n] = 0; cup[n] = 1;
  for (int j = 0; j < n; j++) b->obj[j] = 0;
  b->obj[n] = -1;
  relucap_lp_outcome out;
  b->lps++;
  double sol[64];
  if (relucap_lp_solve(r, nc, b->A, b->lo, b->up, clo, cup, b->obj, sol, NULL, NULL, &out) !=
      RELUCAP_SUCCESS || (out != RELUCAP_LP_OPTIMAL && out != RELUCAP_LP_INFEASIBLE)) {
    b->trouble = 1;
    return 0;
  }
  if (out == RELUCAP_LP_OPTIMAL) memcpy(b->xs, sol, (size_t)n * sizeof *sol);
  return out == RELUCAP_LP_OPTIMAL;
}

static int nb_time(nb_t *b)
{
  if (b->tlim > 0 && relucap_clock() - b->t0 > b->tlim) {
    b->timed_out = 1;
    b->stop = 1;
  }
  return b->stop;
}

static void nb_offer(nb_t *b, const double *x)
{
  int c = relucap_depth_count(b->net, x, NULL);
  if (c >= 0 && c < b->best) {
    b->best = c;
    memcpy(b->best_x, x, (size_t)b->n * sizeof *x);
    if (b->target > 0 && c < b->target) b->stop = 1;
  }
}

static int nb_thr(nb_t *b) { return b->target > 0 && b->target < b->best ? b->target : b->best; }

/* Output rows of one cell: keep/drop over rows j >= next, nP dropped so far. */
static void out_search(nb_t *b, int next, int nP)
{
  int mL = b->net->dims[b->net->depth];
  if (nb_time(b) || nP >= nb_thr(b)) return;
  b->nodes++;
  /* optimistic: keep every remaining row */
  for (int j = next; j < mL; j++) b->keep[j] = 1;
  int f = cell_lp(b, 1);
  for (int j = next; j < mL; j++) b->keep[j] = 0;
  if (f) {
    nb_offer(b, b->xs);
    return;
  }
  if (next >= mL) return;
  b->keep[next] = 1;
  if (cell_lp(b, 1)) out_search(b, next + 1, nP);
  b->keep[next] = 0;
  if (!b->stop) out_search(b, next + 1, nP + 1);
}

/* Hidden neuron k gets a sign; at the end of each hidden layer the next layer's maps are built. */
static void cell_search(nb_t *b, int k)
{
  if (nb_time(b)) return;
  const relucap_finite_net *net = b->net;
  if (k == b->nh) {
    layer_maps(b, net->depth - 1, k);
    out_search(b, 0, 0);
    return;
  }
  if (b->idx[k] == 0) layer_maps(b, b->lay[k], k);
  for (int s = 1; s >= -1 && !b->stop; s -= 2) {
    b->sign[k] = s;
    b->nodes++;
    if (cell_lp(b, 0)) cell_search(b, k + 1);
  }
  b->sign[k] = 0;
}

int finite_bb_net(const relucap_finite_net *net, const relucap_depth_opts *o, relucap_depth_result *res)
{
  nb_t b;
  memset(&b, 0, sizeof b);
  b.net = net;
  b.n = net->dims[0];
  if (b.n > 62) RELUCAP_ERROR("multi-layer bb: n > 62", RELUCAP_EINVAL);
  for (int l = 1; l < net->depth; l++) b.nh += net->dims[l];
  int mL = net->dims[net->depth], rows = 1 + b.nh + mL;
  b.lay = malloc((size_t)(b.nh + 1) * sizeof *b.lay);
  b.idx = malloc((size_t)(b.nh + 1) * sizeof *b.idx);
  b.L = calloc((size_t)(b.nh + 1) * b.n, sizeof *b.L);
  b.sign = calloc((size_t)(b.nh + 1), sizeof *b.sign);
  b.B = calloc((size_t)mL * b.n, sizeof *b.B);
  b.keep = calloc((size_t)mL, sizeof *b.keep);
  b.A = malloc((size_t)rows * (b.n + 1) * sizeof *b.A);
  b.lo = malloc((size_t)rows * sizeof *b.lo);
  b.up = malloc((size_t)rows * sizeof *b.up);
  b.obj = malloc((size_t)(b.n + 1) * sizeof *b.obj);
  b.xs = malloc((size_t)b.n * sizeof *b.xs);
  int st = RELUCAP_SUCCESS;
  if (!b.lay || !b.idx || !b.L || !b.sign || !b.B || !b.keep || !b.A || !b.lo || !b.up || !b.obj || !b.xs) {
    st = RELUCAP_ENOMEM;
    goto out;
  }
  for (int l = 1, k = 0; l < net->depth; l++)
    for (int i = 0; i < net->dims[l]; i++, k++) {
      b.lay[k] = l - 1;
      b.idx[k] = i;
    }
  b.best_x = res->witness;
  b.best = mL + 1;
  b.target = o->target;
  b.t0 = relucap_clock();
  b.tlim = o->time_limit;
  /* first bound: random directions */
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  if (r) {
    gsl_rng_set(r, 7UL);
    double x[64];
    for (int t = 0; t < 200 + 20 * b.n && !b.stop; t++) {
      for (int j = 0; j < b.n; j++) x[j] = gsl_ran_gaussian_ziggurat(r, 1.0);
      nb_offer(&b, x);
    }
    gsl_rng_free(r);
  }
  if (!b.stop) cell_search(&b, 0);
  res->nodes = b.nodes;
  res->lps = b.lps;
  res->upper = b.best;
  int exhausted = !b.stop && !b.trouble;
  if (exhausted) res->lower = b.target > 0 ? b.target : b.best;
  else res->lower = 0;
  if (res->lower > res->upper) res->lower = res->upper;
  res->timed_out = b.timed_out;
  res->certified = (b.target > 0 && b.best < b.target) || exhausted;
  if (b.timed_out) st = RELUCAP_ETIME;
  else if (b.trouble && !res->certified) st = RELUCAP_ENOPROG;
out:
  free(b.lay); free(b.idx); free(b.L); free(b.sign); free(b.B); free(b.keep); free(b.A);
  free(b.lo); free(b.up); free(b.obj); free(b.xs);
  return st;
}

int relucap_depth_net(const relucap_finite_net *net, const relucap_depth_opts *opts,
                      relucap_depth_result *res)
{
  if (!net || !res) RELUCAP_ERROR("depth: null network", RELUCAP_EINVAL);
  if (net->depth == 1) return relucap_depth_layer(net->dims[1], net->dims[0], net->w[0], opts, res);
  relucap_depth_opts o = opts ? *opts : relucap_depth_opts_default();
  if (o.target < 0) RELUCAP_ERROR("depth: negative target", RELUCAP_EINVAL);
  int mL = net->dims[net->depth];
  int st = finite_result_init(res, mL, net->dims[0]);
  if (st) RELUCAP_ERROR("depth: out of memory", st);
  double t0 = relucap_clock();
  switch (o.method) {
  case RELUCAP_DEPTH_BB: st = finite_bb_net(net, &o, res); break;
  case RELUCAP_DEPTH_MILP: st = finite_milp_net(net, &o, res); break;
  default: st = RELUCAP_EUNSUP; break; /* enumeration is one-layer only */
  }
  res->seconds = relucap_clock() - t0;
  if (st != RELUCAP_SUCCESS && st != RELUCAP_ETIME) return st;
  res->upper = relucap_depth_count(net, res->witness, &res->witness_margin);
  if (res->lower > res->upper) {
    res->lower = res->upper;
    res->certified = 0;
  }
  res->exact = res->lower == res->upper;
  res->decided = res->exact || (o.target > 0 && (res->lower >= o.target || res->upper < o.target));
  if (!res->decided) res->certified = 0;
  res->certificate_complete = 0; /* the multi-layer lower bound is the search itself */
  return st;
}

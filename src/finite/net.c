/* Several layers: D(A_1..A_l) = min_{x != 0} #{i : t_i(x) > 0}, eq. (11) of arXiv 2412.19677.
 *
 * Exact search for small n (finite_bb_net): depth-first enumeration of the open activation cells
 * of the hidden layers.  Inside a cell every pre-activation is linear in x (L_k . x), so a sign
 * pattern is the strict homogeneous system s_k L_k . x > 0, tested by one Gordan solve (dense
 * simplex).  In a cell t = B x with B fixed, and the output count min #{j : B_j . x >= 0} over the
 * open cell is the one-layer keep/drop search (layer.c, finite_bb_cell) with the cell's sign
 * rows always kept.  Rows with B_j = 0 exactly (every path through an inactive neuron) give
 * t_j = 0 and are never counted.  Open cells and strict signs match the closed definition in
 * general position (notes/finite-n.md sec. 0, applied cell by cell); every witness is recounted
 * through the network with the strict count of eq. (11). */
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
  double *A, *lo, *up, *obj, *xs; /* LP scratch: A holds (hidden + output) rows x n */
  int *cols;
  double *lamc;
  finite_gordan *g;   /* dense Gordan simplex shared by all cells */
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

/* Strict-negative form of the decided hidden signs: row -s_k L_k (s_k L_k . x > 0), unit length,
 * into b->A; returns how many. */
static int hidden_rows(nb_t *b)
{
  int n = b->n, r = 0;
  for (int k = 0; k < b->nh; k++) {
    if (b->sign[k] == 0) continue;
    const double *Lk = b->L + (size_t)k * n;
    double q = 0;
    for (int j = 0; j < n; j++) q += Lk[j] * Lk[j];
    q = q > 0 ? 1.0 / sqrt(q) : 0.0;
    for (int j = 0; j < n; j++) b->A[(size_t)r * n + j] = -b->sign[k] * Lk[j] * q;
    r++;
  }
  return r;
}

/* Is the open cell of the decided signs non-empty?  One Gordan solve (dense simplex). */
static int cell_open(nb_t *b)
{
  int r = hidden_rows(b);
  for (int j = 0; j < r; j++) b->cols[j] = j;
  b->lps++;
  int st = finite_gordan_solve(b->g, b->A, r, b->cols, NULL, b->lamc, b->xs);
  if (st < 0) b->trouble = 1;
  return st == 1;
}

/* All hidden signs fixed: the output count in the cell by keep/drop search (layer.c). */
static void leaf(nb_t *b)
{
  int n = b->n, mL = b->net->dims[b->net->depth];
  int r = hidden_rows(b), k = r;
  for (int j = 0; j < mL; j++) {
    const double *Bj = b->B + (size_t)j * n;
    int zero = 1;
    for (int c = 0; c < n; c++) zero &= Bj[c] == 0.0;
    if (zero) continue; /* t_j = 0 on the whole cell: never positive, never counted */
    memcpy(b->A + (size_t)k * n, Bj, (size_t)n * sizeof *Bj);
    k++;
  }
  long checked = 0, failed = 0;
  int best = b->best;
  finite_bb_cell(b->net, k, r, n, b->A, b->target, &best, b->best_x, b->t0, b->tlim, &b->nodes,
                 &b->lps, &checked, &failed, &b->timed_out, &b->trouble, b->g);
  if (failed) b->trouble = 1;
  if (best < b->best) b->best = best;
  if (b->timed_out || (b->target > 0 && b->best < b->target)) b->stop = 1;
}

/* Hidden neuron k gets a sign; at the end of each hidden layer the next layer's maps are built. */
static void cell_search(nb_t *b, int k)
{
  if (nb_time(b)) return;
  const relucap_finite_net *net = b->net;
  if (k == b->nh) {
    layer_maps(b, net->depth - 1, k);
    leaf(b);
    return;
  }
  if (b->idx[k] == 0) layer_maps(b, b->lay[k], k);
  for (int s = 1; s >= -1 && !b->stop; s -= 2) {
    b->sign[k] = s;
    b->nodes++;
    if (cell_open(b)) cell_search(b, k + 1);
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
  b.cols = malloc((size_t)rows * sizeof *b.cols);
  b.lamc = malloc((size_t)rows * sizeof *b.lamc);
  b.g = finite_gordan_alloc(b.n, rows);
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
  if (!b.lay || !b.idx || !b.L || !b.sign || !b.B || !b.keep || !b.A || !b.lo || !b.up || !b.obj ||
      !b.xs || !b.cols || !b.lamc || !b.g) {
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
  free(b.lo); free(b.up); free(b.obj); free(b.xs); free(b.cols); free(b.lamc);
  finite_gordan_free(b.g);
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

static int count_verdict(int lower, int upper, int k) { return lower >= k ? 1 : upper < k ? 0 : -1; }

int relucap_depth_verdict(const relucap_finite_net *net, const relucap_depth_result *res, int tied_rows,
                          double time_limit, relucap_depth_verdicts *v)
{
  int n = net->dims[0];
  int strong_k = net->depth > 1 ? 2 * n : n;
  v->weak = count_verdict(res->lower, res->upper, n);
  v->strong = count_verdict(res->lower, res->upper, strong_k);
  v->span = -1;
  if (net->depth == 1 && tied_rows && v->weak == 1) {
    int inj = 0;
    int st = relucap_injective_layer(net->dims[1], n, net->w[0], time_limit > 0 ? time_limit : 60.0, &inj,
                                     NULL, NULL);
    v->span = st == RELUCAP_SUCCESS ? inj : 2;
    if (v->span != 1) v->weak = v->strong = v->span == 0 ? 0 : -1;
  }
  return RELUCAP_SUCCESS;
}

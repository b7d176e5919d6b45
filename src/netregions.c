/* Exact injectivity of a whole ReLU network by its linear regions (docs/check.md section 5a).
 *
 * f is affine, f(x) = J_s x + c_s, on each closed linear region
 *     R_s = { x : every pre-activation of every layer has the sign of pattern s },
 * and the full-dimensional regions cover R^n.  Hence
 *     f NOT injective  <=>  rank J_s < n for some region s, or for two regions s != t
 *         P_st = { (x1, x2) : x1 in R_s, x2 in R_t, J_s x1 + c_s = J_t x2 + c_t }
 *     holds a point with x1 != x2.
 * (<=: x1 in the interior of R_s and x1 + eps u, u in ker J_s, collide.  =>: a collision pair
 * lies in two closed regions; if it is one region s, J_s (x1 - x2) = 0.)
 * The regions are enumerated exactly, layer after layer and unit after unit, by a depth-first
 * split of each cell: one LP (largest inscribed ball) per hyperplane that may cut it.  P_st
 * holds x1 != x2 iff max v.(x1 - x2) > 0 over it for one of the n + 1 directions
 * v = e_1..e_n, -(e_1 + .. + e_n), which positively span R^n.  Pairs whose output images are
 * apart along a random projection of the output space skip the LP (a necessary condition).
 * Bias-free networks are positively homogeneous: regions are cones, and a collision y != 0 is
 * scaled onto the slice 1.y = 1 (y = 0 with x1 != x2 forces rank J_s < n). */
#define _POSIX_C_SOURCE 200809L
#include "netcheck_internal.h"
#include "parallel.h"
#include "relucap/lp.h"
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RG_MAX_REGIONS ((size_t)1000000)
#define RG_PROJECTIONS 12       /* random output projections for the separation filter */
#define RG_TOL_INRADIUS 1e-9    /* relative inradius below which a cell is lower-dimensional */
#define RG_TOL_DIFF 1e-9        /* relative v.(x1 - x2) above which a pair collides */

static double dot(const double *a, const double *b, size_t n)
{
  double s = 0;
  for (size_t j = 0; j < n; j++) s += a[j] * b[j];
  return s;
}

/* Every LP of the search: CLP with feasibility tolerances 1e-10 (default 1e-7) on the
 * unit-scale data, so that "feasible" means feasible to 1e-10. */
#define RG_LP_TOL 1e-10

static relucap_lp *rg_lp_alloc(int m, int n, const double *A, const double *lo, const double *up,
                               const double *clo, const double *cup, const double *obj)
{
  relucap_lp *lp = relucap_lp_alloc(m, n, A, lo, up, clo, cup, obj);
  if (lp) relucap_lp_set_tolerances(lp, RG_LP_TOL, RG_LP_TOL);
  return lp;
}

static int rg_lp_solve(int m, int n, const double *A, const double *lo, const double *up, const double *clo,
                       const double *cup, const double *obj, double *x, double *val, relucap_lp_outcome *out)
{
  relucap_lp *lp = rg_lp_alloc(m, n, A, lo, up, clo, cup, obj);
  if (!lp) return RELUCAP_ENOMEM;
  int st = relucap_lp_resolve(lp, x, NULL, val, out);
  relucap_lp_free(lp);
  return st;
}

/* ------------------------------------------------------------------ enumeration */

typedef struct {
  const relucap_net *orig;  /* the network as given: witnesses are verified on it */
  const relucap_net *net;   /* the same with |W_k|_F = 1 (b_k scaled alike): all LPs use it */
  size_t n, N, mo, w;
  int homogeneous;    /* no biases anywhere: regions are cones, x is boxed to [-1, 1]^n */
  double tol;         /* absolute inradius threshold */
  double bscale;      /* max_i |b_1i| / |w_1i|: the scale of the first layer's hyperplanes */
  double t_end;
  unsigned flags;     /* RELUCAP_REGIONS_* */
  int layer0_only;    /* store the cells of layer 0 instead of splitting them further */
  int status;         /* a parallel worker's return status */
  char *pat;          /* the pattern being built (N) */
  size_t nreg, cap;
  char *pats;         /* nreg x N */
  double *centers;    /* nreg x n: centre of an inscribed ball */
  double *radius;     /* nreg */
  double *rowtol;     /* N: |Z_i| at or below this makes unit i constant on a region (see below) */
  size_t lps;
  double near;        /* near-parallel hyperplanes met (docs/check.md 4b; 0: none) */
  const char *stopped;
} rg_state;

/* One layer's split of one cell of the layers before it (rows = cell constraints C x + c >= 0,
 * unit normals).  LP: max t s.t. C_r x - t >= -c_r, and for decided units j
 *     on:  zh_j x - t >= -zch_j,     off: zh_j x + t <= -zch_j      (zh = unit normal),
 * t <= 1; t* is the inscribed radius, the cell is full-dimensional iff t* > tol. */
typedef struct {
  size_t k, off, m, nc;   /* layer index, offset of its units in the pattern, width, cell rows */
  double *Z, *zc, *zn;    /* pre-activations Z x + zc (m x n, m) and row norms */
  const double *C, *c;    /* cell constraints (nc x n, nc), unit rows */
  relucap_lp *lp;
  double *xc, *tc;        /* (m + 1) centres and radii along the DFS path */
  double *sol;
} rg_layer;

static int enum_layer(rg_state *S, size_t k, size_t off, const double *G, const double *g,
                      const double *C, const double *c, size_t nc, const double *xc, double tc);

/* Near-degenerate arrangements (docs/check.md 4b): two hyperplanes of a cell whose unit
 * vectors (z, zc) / |(z, zc)| (normal and offset, in units of the data) are within
 * RG_NEAR_PARALLEL of parallel or antiparallel but not within 1e-12 (then they count as one)
 * bound wedges or slabs thinner than the LPs can resolve (their 1e-10 tolerance makes a thin cell
 * and no cell look alike), even when each layer is far from degenerate.  Returns the largest
 * such distance between the units of Z (m rows) and the cell rows C (nc), or between two units. */
#define RG_NEAR_PARALLEL 1e-8
static double unit_distance(const double *a, double an, const double *b, double bn, size_t n1)
{
  double dp = 0, dm = 0;
  for (size_t j = 0; j < n1; j++) {
    double u = a[j] / an, v = b[j] / bn;
    dp += (u - v) * (u - v);
    dm += (u + v) * (u + v);
  }
  return sqrt(fmin(dp, dm));
}

static double near_parallel(const double *Z, const double *zc, const double *zn, size_t m, const double *C,
                            const double *c, size_t nc, size_t n, double *row)
{
  double near = 0;
  for (size_t j = 0; j < m; j++) {
    if (zn[j] == 0) continue;
    memcpy(row, Z + j * n, n * sizeof *row);
    row[n] = zc[j];
    double rn = sqrt(dot(row, row, n + 1));
    for (size_t q = 0; q < nc + m; q++) {
      if (q >= nc && (q - nc <= j || zn[q - nc] == 0)) continue;
      double *o = row + n + 1;
      if (q < nc) { memcpy(o, C + q * n, n * sizeof *o); o[n] = c[q]; }
      else { memcpy(o, Z + (q - nc) * n, n * sizeof *o); o[n] = zc[q - nc]; }
      double d = unit_distance(row, rn, o, sqrt(dot(o, o, n + 1)), n + 1);
      if (d > 1e-12 && d <= RG_NEAR_PARALLEL && d > near) near = d;
    }
  }
  return near;
}

/* Z = W G, zc = W g + b: layer L's pre-activations as affine functions of x, and the row norms zn
 * (0 for a row that is zero up to rounding: |Z_i| <= 1e-13 sum_q |w_iq| |G_q|, constant on the cell). */
static void layer_preacts(const relucap_layer *L, const double *G, const double *g, size_t n,
                          double *Z, double *zc, double *zn)
{
  for (size_t i = 0; i < L->m; i++) {
    const double *w = L->W + i * L->n;
    double a = L->b ? L->b[i] : 0.0, z2 = 0, scale = 0;
    for (size_t q = 0; q < L->n; q++) a += w[q] * g[q];
    for (size_t j = 0; j < n; j++) {
      double s = 0;
      for (size_t q = 0; q < L->n; q++) s += w[q] * G[q * n + j];
      Z[i * n + j] = s;
      z2 += s * s;
    }
    zc[i] = a;
    for (size_t q = 0; q < L->n; q++) scale += fabs(w[q]) * sqrt(dot(G + q * n, G + q * n, n));
    zn[i] = sqrt(z2) > 1e-13 * scale ? sqrt(z2) : 0.0;
  }
}

/* The next layer's input G' x + g' on a cell whose units off..off+m have their pattern in S->pat
 * (off units give 0), and the cell's constraints: the rows C, c (nc) and one unit row per
 * non-constant unit.  Returns the number of rows written to Cn, cn. */
static size_t next_input(const rg_state *S, size_t off, size_t m, const double *Z, const double *zc,
                         const double *zn, const double *C, const double *c, size_t nc, double *G,
                         double *g, double *Cn, double *cn)
{
  size_t n = S->n, rows = nc;
  if (nc) { /* layer 0's cell is all of R^n: no rows */
    memcpy(Cn, C, nc * n * sizeof *Cn);
    memcpy(cn, c, nc * sizeof *cn);
  }
  for (size_t j = 0; j < m; j++) {
    int on = S->pat[off + j];
    for (size_t q = 0; q < n; q++) G[j * n + q] = on ? Z[j * n + q] : 0.0;
    g[j] = on ? zc[j] : 0.0;
    if (zn[j] == 0) continue; /* constant unit: no constraint */
    double s = (on ? 1.0 : -1.0) / zn[j];
    for (size_t q = 0; q < n; q++) Cn[rows * n + q] = s * Z[j * n + q];
    cn[rows++] = s * zc[j];
  }
  return rows;
}

static int lp_radius(rg_state *S, rg_layer *Y, double *x_out, double *r)
{
  relucap_lp_outcome out;
  int st = relucap_lp_resolve(Y->lp, Y->sol, NULL, NULL, &out);
  S->lps++;
  if (st) return st;
  if (out == RELUCAP_LP_FAILED) { S->stopped = "an LP of the region enumeration failed"; return RELUCAP_SUCCESS; }
  *r = out == RELUCAP_LP_OPTIMAL ? Y->sol[S->n] : -HUGE_VAL;
  if (out == RELUCAP_LP_OPTIMAL) memcpy(x_out, Y->sol, S->n * sizeof *x_out);
  if (S->t_end > 0 && relucap_clock() > S->t_end) S->stopped = "time limit reached";
  return RELUCAP_SUCCESS;
}

static void set_side(rg_layer *Y, size_t j, int side) /* side: 1 on, 0 off, -1 undecided */
{
  int r = (int)(Y->nc + 2 * j);
  double zch = Y->zc[j] / Y->zn[j];
  relucap_lp_set_row_bounds(Y->lp, r, side == 1 ? -zch : -HUGE_VAL, HUGE_VAL);
  relucap_lp_set_row_bounds(Y->lp, r + 1, -HUGE_VAL, side == 0 ? -zch : HUGE_VAL);
}

/* Room for cap regions in S (patterns, centres, radii). */
static int reserve_regions(rg_state *S, size_t cap)
{
  if (cap <= S->cap) return RELUCAP_SUCCESS;
  char *p = realloc(S->pats, cap * S->N);
  if (p) S->pats = p;
  double *q = p ? realloc(S->centers, cap * S->n * sizeof *q) : NULL;
  if (q) S->centers = q;
  double *rr = q ? realloc(S->radius, cap * sizeof *rr) : NULL;
  if (!rr) return RELUCAP_ENOMEM;
  S->radius = rr;
  S->cap = cap;
  return RELUCAP_SUCCESS;
}

static int store_region(rg_state *S, const double *xc, double r)
{
  if (S->nreg == RG_MAX_REGIONS) { S->stopped = "more than 10^6 linear regions"; return RELUCAP_SUCCESS; }
  if (S->nreg == S->cap) {
    size_t cap = S->cap ? 2 * S->cap : 256;
    int st = reserve_regions(S, cap < RG_MAX_REGIONS ? cap : RG_MAX_REGIONS);
    if (st) return st;
  }
  memcpy(S->pats + S->nreg * S->N, S->pat, S->N);
  memcpy(S->centers + S->nreg * S->n, xc, S->n * sizeof *xc);
  S->radius[S->nreg++] = r;
  return RELUCAP_SUCCESS;
}

/* The cell of layers 0..k is complete: store it (last layer, or layer 0 when only the cells of
 * layer 0 are collected) or split it by layer k + 1. */
static int cell_done(rg_state *S, rg_layer *Y)
{
  const double *xc = Y->xc + Y->m * S->n;
  double tc = Y->tc[Y->m];
  if (Y->k + 1 == S->net->depth || (Y->k == 0 && S->layer0_only)) return store_region(S, xc, tc);
  size_t n = S->n, m = Y->m, nc = Y->nc;
  double *G = malloc(m * n * sizeof *G), *g = malloc(m * sizeof *g);
  double *C = malloc((nc + m) * n * sizeof *C), *c = malloc((nc + m) * sizeof *c);
  int st = RELUCAP_ENOMEM;
  if (G && g && C && c) {
    size_t rows = next_input(S, Y->off, m, Y->Z, Y->zc, Y->zn, Y->C, Y->c, nc, G, g, C, c);
    st = enum_layer(S, Y->k + 1, Y->off + m, G, g, C, c, rows, xc, tc);
  }
  free(G); free(g); free(C); free(c);
  return st;
}

/* Decide units j, j+1, ... of the layer, depth first.  The centre's side of unit j keeps the
 * parent's ball when the hyperplane misses it (no LP); every other side costs one LP. */
static int cell_dfs(rg_state *S, rg_layer *Y, size_t j)
{
  if (S->stopped) return RELUCAP_SUCCESS;
  if (j == Y->m) return cell_done(S, Y);
  size_t n = S->n;
  const double *xc = Y->xc + j * n;
  double *xn = Y->xc + (j + 1) * n, tc = Y->tc[j];
  if (Y->zn[j] == 0) { /* constant pre-activation on the cell */
    S->pat[Y->off + j] = Y->zc[j] > 0;
    memcpy(xn, xc, n * sizeof *xn);
    Y->tc[j + 1] = tc;
    return cell_dfs(S, Y, j + 1);
  }
  double p = (dot(Y->Z + j * n, xc, n) + Y->zc[j]) / Y->zn[j];
  int first = p > 0;
  for (int pass = 0; pass < 2 && !S->stopped; pass++) {
    int on = pass == 0 ? first : !first;
    double r = -HUGE_VAL;
    set_side(Y, j, on);
    if (pass == 0 && fabs(p) >= tc) {
      memcpy(xn, xc, n * sizeof *xn);
      r = tc;
    } else {
      int st = lp_radius(S, Y, xn, &r);
      if (st) return st;
    }
    if (!S->stopped && r > S->tol) {
      S->pat[Y->off + j] = (char)on;
      Y->tc[j + 1] = r;
      int st = cell_dfs(S, Y, j + 1);
      if (st) return st;
    }
    set_side(Y, j, -1);
  }
  return RELUCAP_SUCCESS;
}

/* Split the cell {C x + c >= 0} (centre xc, radius tc) by layer k, whose input is G x + g. */
static int enum_layer(rg_state *S, size_t k, size_t off, const double *G, const double *g,
                      const double *C, const double *c, size_t nc, const double *xc, double tc)
{
  const relucap_layer *L = &S->net->layers[k];
  size_t n = S->n, m = L->m, nr = nc + 2 * m, ncol = n + 1;
  rg_layer Y = {.k = k, .off = off, .m = m, .nc = nc, .C = C, .c = c};
  Y.Z = malloc(m * n * sizeof *Y.Z);
  Y.zc = malloc(m * sizeof *Y.zc);
  Y.zn = malloc(m * sizeof *Y.zn);
  Y.xc = malloc((m + 1) * n * sizeof *Y.xc);
  Y.tc = malloc((m + 1) * sizeof *Y.tc);
  Y.sol = malloc(ncol * sizeof *Y.sol);
  double *A = calloc(nr * ncol, sizeof *A), *lo = malloc(nr * sizeof *lo), *up = malloc(nr * sizeof *up);
  double *clo = malloc(ncol * sizeof *clo), *cup = malloc(ncol * sizeof *cup), *obj = calloc(ncol, sizeof *obj);
  int st = RELUCAP_ENOMEM;
  if (!Y.Z || !Y.zc || !Y.zn || !Y.xc || !Y.tc || !Y.sol || !A || !lo || !up || !clo || !cup || !obj) goto done;
  layer_preacts(L, G, g, n, Y.Z, Y.zc, Y.zn);
  double *nrow = malloc(2 * (n + 1) * sizeof *nrow);
  if (!nrow) goto done;
  S->near = fmax(S->near, near_parallel(Y.Z, Y.zc, Y.zn, m, C, c, nc, n, nrow));
  free(nrow);
  for (size_t r = 0; r < nc; r++) {
    memcpy(A + r * ncol, C + r * n, n * sizeof *A);
    A[r * ncol + n] = -1;
    lo[r] = -c[r];
    up[r] = HUGE_VAL;
  }
  for (size_t i = 0; i < m; i++) {
    double *r1 = A + (nc + 2 * i) * ncol, *r2 = r1 + ncol;
    for (size_t j = 0; Y.zn[i] > 0 && j < n; j++) r1[j] = r2[j] = Y.Z[i * n + j] / Y.zn[i];
    r1[n] = -1;
    r2[n] = 1;
    lo[nc + 2 * i] = lo[nc + 2 * i + 1] = -HUGE_VAL;
    up[nc + 2 * i] = up[nc + 2 * i + 1] = HUGE_VAL;
  }
  for (size_t j = 0; j < n; j++) {
    clo[j] = S->homogeneous ? -1 : -HUGE_VAL;
    cup[j] = S->homogeneous ? 1 : HUGE_VAL;
  }
  clo[n] = -HUGE_VAL;
  cup[n] = 1;
  obj[n] = -1;
  Y.lp = rg_lp_alloc((int)nr, (int)ncol, A, lo, up, clo, cup, obj);
  if (!Y.lp) goto done;
  memcpy(Y.xc, xc, n * sizeof *Y.xc);
  Y.tc[0] = tc;
  st = cell_dfs(S, &Y, 0);
done:
  relucap_lp_free(Y.lp);
  free(Y.Z); free(Y.zc); free(Y.zn); free(Y.xc); free(Y.tc); free(Y.sol);
  free(A); free(lo); free(up); free(clo); free(cup); free(obj);
  return st;
}

/* ------------------------------------------------------------------ regions and pairs */

/* Affine data of one region: constraints s_i (Z_i x + zc_i) >= 0 and output J x + cj. */
typedef struct {
  double *Z, *zc, *J, *cj;
} rg_affine;

typedef struct {
  double *G, *g, *T, *t;   /* netcheck_region_affine work */
  double *A, *lo, *up, *obj, *sol;
} rg_work;

static void region_data(const rg_state *S, size_t s, rg_affine *F, rg_work *W)
{
  netcheck_region_affine(S->net, S->pats + s * S->N, S->n, F->Z, F->zc, F->J, F->cj, W->G, W->g, W->T, W->t);
}

/* Rows s_i (Z_i x + zc_i) >= 0 of region s written into columns [col, col + n) of A. */
static void region_rows(const rg_state *S, size_t s, const rg_affine *F, double *A, size_t ncol,
                        size_t col, double *lo, double *up)
{
  const char *pat = S->pats + s * S->N;
  for (size_t i = 0; i < S->N; i++) {
    double sg = pat[i] ? 1.0 : -1.0, *row = A + i * ncol + col;
    const double *z = F->Z + i * S->n;
    up[i] = HUGE_VAL;
    if (sqrt(dot(z, z, S->n)) <= S->rowtol[i]) { /* constant unit: its sign holds, no row */
      lo[i] = -HUGE_VAL;
      continue;
    }
    for (size_t j = 0; j < S->n; j++) row[j] = sg * z[j];
    lo[i] = -sg * F->zc[i];
  }
}

/* Interval [lo_p, hi_p] of r_p . f(x) over region s (on the slice 1.f = 1 for cones), p < P. */
static int region_intervals(rg_state *S, size_t s, const rg_affine *F, rg_work *W, const double *proj,
                            double *iv, size_t *lps)
{
  size_t n = S->n, N = S->N, mo = S->mo, nr = N + (size_t)S->homogeneous;
  memset(W->A, 0, nr * n * sizeof *W->A);
  region_rows(S, s, F, W->A, n, 0, W->lo, W->up);
  if (S->homogeneous) {
    for (size_t j = 0; j < n; j++) {
      double a = 0;
      for (size_t i = 0; i < mo; i++) a += F->J[i * n + j];
      W->A[N * n + j] = a;
    }
    W->lo[N] = W->up[N] = 1;
  }
  relucap_lp *lp = rg_lp_alloc((int)nr, (int)n, W->A, W->lo, W->up, NULL, NULL, NULL);
  if (!lp) return RELUCAP_ENOMEM;
  for (size_t p = 0; p < RG_PROJECTIONS; p++) {
    const double *r = proj + p * mo;
    double off = dot(r, F->cj, mo);
    for (int dir = 0; dir < 2; dir++) { /* dir 0: min, dir 1: max */
      for (size_t j = 0; j < n; j++) {
        double a = 0;
        for (size_t i = 0; i < mo; i++) a += r[i] * F->J[i * n + j];
        W->obj[j] = dir ? -a : a;
      }
      relucap_lp_set_objective(lp, W->obj);
      relucap_lp_outcome out;
      double val;
      int st = relucap_lp_resolve(lp, W->sol, NULL, &val, &out);
      ++*lps;
      if (st) { relucap_lp_free(lp); return st; }
      double v = out == RELUCAP_LP_OPTIMAL ? (dir ? -val : val) + off : dir ? HUGE_VAL : -HUGE_VAL;
      iv[2 * p + dir] = v; /* unbounded, or (conservatively) a failed LP: the whole line */
    }
  }
  relucap_lp_free(lp);
  return RELUCAP_SUCCESS;
}

static int intervals_meet(const double *a, const double *b)
{
  for (size_t p = 0; p < RG_PROJECTIONS; p++) {
    double slack = 1e-9 * (1 + fmax(fabs(a[2 * p + 1]), fabs(b[2 * p + 1])));
    if (b[2 * p] > a[2 * p + 1] + slack || a[2 * p] > b[2 * p + 1] + slack) return 0;
  }
  return 1;
}

/* A pair from an LP solves J_s x1 + c_s = J_t x2 + c_t only to the LP's tolerance: polish it by
 * least squares, (x1, x2) -= M^+ r with M = [J_s, -J_t], r the output gap (two rounds), so that a
 * true collision is exact to rounding and a near miss keeps its gap (then it fails the strict
 * check in pair_witness). */
static void polish_pair(const rg_state *S, const rg_affine *Fs, const rg_affine *Ft, double *x)
{
  size_t n = S->n, mo = S->mo, c = 2 * n, r = mo > c ? mo : c;
  double *M = malloc(mo * c * sizeof *M), *sv = malloc(c * sizeof *sv), *V = malloc(c * c * sizeof *V);
  double *U = malloc(r * c * sizeof *U), *res = malloc(mo * sizeof *res), *tmp = malloc(c * sizeof *tmp);
  if (M && sv && V && U && res && tmp) {
    for (size_t i = 0; i < mo; i++)
      for (size_t j = 0; j < n; j++) { M[i * c + j] = Fs->J[i * n + j]; M[i * c + n + j] = -Ft->J[i * n + j]; }
    if (netcheck_svd(M, mo, c, sv, V, U) == 0)
      for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < mo; i++) res[i] = dot(M + i * c, x, c) + Fs->cj[i] - Ft->cj[i];
        for (size_t k = 0; k < c; k++) { /* tmp = Sigma^+ U^T res */
          double a = 0;
          for (size_t i = 0; i < mo; i++) a += U[i * c + k] * res[i];
          tmp[k] = sv[k] > 1e-12 * sv[0] ? a / sv[k] : 0.0;
        }
        for (size_t j = 0; j < c; j++) x[j] -= dot(V + j * c, tmp, c);
      }
  }
  free(M); free(sv); free(V); free(U); free(res); free(tmp);
}

/* The pair's witness (in W->sol): polished, then accepted only as netcheck_witness_ok on the
 * given network (a tie to the precision of the forward passes). */
static int pair_witness(const rg_state *S, const rg_affine *Fs, const rg_affine *Ft, rg_work *W)
{
  polish_pair(S, Fs, Ft, W->sol);
  return netcheck_witness_ok(S->orig, W->sol, W->sol + S->n, NULL);
}

/* Pair outcome */
enum { PAIR_DISJOINT, PAIR_TOUCHING, PAIR_COLLIDE, PAIR_UNRESOLVED, PAIR_SAME_CELL };

/* Does P_st hold x1 != x2?  Columns (x1, x2); rows: region s on x1, region t on x2, equal
 * outputs, and the slice 1.J_s x1 = 1 for cones.  max v.(x1 - x2) over the n + 1 directions
 * dirs (a random orthonormal basis q_0..q_{n-1} and -(q_0 + .. + q_{n-1}): they positively span
 * R^n, so d != 0 has v.d > 0 for one of them). */
static int pair_test(rg_state *S, size_t s, size_t t, const rg_affine *Fs, const rg_affine *Ft,
                     rg_work *W, const double *dirs, size_t *lps)
{
  size_t n = S->n, N = S->N, mo = S->mo, nc = 2 * n, nr = 2 * N + mo + (size_t)S->homogeneous;
  double *A = W->A;
  memset(A, 0, nr * nc * sizeof *A);
  region_rows(S, s, Fs, A, nc, 0, W->lo, W->up);
  region_rows(S, t, Ft, A + N * nc, nc, n, W->lo + N, W->up + N);
  for (size_t i = 0; i < mo; i++) { /* J_s x1 - J_t x2 = cj_t - cj_s */
    double *row = A + (2 * N + i) * nc;
    for (size_t j = 0; j < n; j++) { row[j] = Fs->J[i * n + j]; row[n + j] = -Ft->J[i * n + j]; }
    W->lo[2 * N + i] = W->up[2 * N + i] = Ft->cj[i] - Fs->cj[i];
  }
  if (S->homogeneous) {
    double *row = A + (2 * N + mo) * nc;
    for (size_t j = 0; j < n; j++)
      for (size_t i = 0; i < mo; i++) row[j] += Fs->J[i * n + j];
    W->lo[nr - 1] = W->up[nr - 1] = 1;
  }
  relucap_lp *lp = rg_lp_alloc((int)nr, (int)nc, A, W->lo, W->up, NULL, NULL, NULL);
  if (!lp) return -RELUCAP_ENOMEM;
  int result = PAIR_TOUCHING;
  double *v = W->obj + nc; /* direction (n) */
  for (size_t q = 0; q <= n && result == PAIR_TOUCHING; q++) {
    memcpy(v, dirs + q * n, n * sizeof *v);
    for (size_t j = 0; j < n; j++) { W->obj[j] = -v[j]; W->obj[n + j] = v[j]; }
    relucap_lp_set_objective(lp, W->obj);
    relucap_lp_outcome out;
    int st = relucap_lp_resolve(lp, W->sol, NULL, NULL, &out);
    ++*lps;
    if (st) { relucap_lp_free(lp); return -st; }
    if (out == RELUCAP_LP_INFEASIBLE) { result = PAIR_DISJOINT; break; }
    if (out == RELUCAP_LP_FAILED) { result = PAIR_UNRESOLVED; break; }
    if (out == RELUCAP_LP_UNBOUNDED) {
      /* collisions with v.(x1 - x2) as large as we like: take one with v.(x1 - x2) = 1 */
      double *B = malloc((nr + 1) * nc * sizeof *B), *blo = malloc((nr + 1) * sizeof *blo);
      double *bup = malloc((nr + 1) * sizeof *bup);
      relucap_lp_outcome o2 = RELUCAP_LP_FAILED;
      if (B && blo && bup) {
        memcpy(B, A, nr * nc * sizeof *B);
        memcpy(blo, W->lo, nr * sizeof *blo);
        memcpy(bup, W->up, nr * sizeof *bup);
        for (size_t j = 0; j < n; j++) { B[nr * nc + j] = v[j]; B[nr * nc + n + j] = -v[j]; }
        blo[nr] = bup[nr] = 1;
        rg_lp_solve((int)nr + 1, (int)nc, B, blo, bup, NULL, NULL, NULL, W->sol, NULL, &o2);
        ++*lps;
      }
      free(B); free(blo); free(bup);
      result = o2 == RELUCAP_LP_OPTIMAL && pair_witness(S, Fs, Ft, W) ? PAIR_COLLIDE : PAIR_UNRESOLVED;
      break;
    }
    double gap = dot(v, W->sol, n) - dot(v, W->sol + n, n), scale = 0;
    for (size_t j = 0; j < nc; j++) scale = fmax(scale, fabs(W->sol[j]));
    /* (no near-degenerate band here: CLP's 1e-10 tolerances give touching pairs gaps and flat
     * cells inradii up to ~1e-10, so thinner features cannot be told from none) */
    if (gap > RG_TOL_DIFF * (scale + S->tol / RG_TOL_INRADIUS))
      result = pair_witness(S, Fs, Ft, W) ? PAIR_COLLIDE : PAIR_UNRESOLVED;
  }
  relucap_lp_free(lp);
  return result;
}

/* A region with rank J_s < n: its centre and centre + r/2 u (u in ker J_s) collide. */
static int rank_witness(rg_state *S, size_t s, const double *V, relucap_net_report *rep, double *x2)
{
  size_t n = S->n;
  const double *x = S->centers + s * n;
  for (size_t j = 0; j < n; j++) x2[j] = x[j] + 0.5 * S->radius[s] * V[j * n + n - 1];
  return netcheck_set_witness(rep, S->orig, x, x2);
}

static const double *g_sort_iv; /* qsort has no context argument in C11 */
static int cmp_lo(const void *a, const void *b)
{
  double x = g_sort_iv[*(const size_t *)a * 2 * RG_PROJECTIONS], y = g_sort_iv[*(const size_t *)b * 2 * RG_PROJECTIONS];
  return x < y ? -1 : x > y;
}

/* First layer after which the activations of x1 and x2 coincide (1-based), 0 if none. */
static size_t collision_layer(const relucap_net *net, const double *x1, const double *x2)
{
  size_t w = netcheck_max_width(net);
  double *h = malloc(4 * w * sizeof *h);
  size_t at = 0;
  if (!h) return 0;
  double *a = h, *b = h + w, *a2 = h + 2 * w, *b2 = h + 3 * w;
  memcpy(a, x1, net->layers[0].n * sizeof *a);
  memcpy(b, x2, net->layers[0].n * sizeof *b);
  for (size_t k = 0; k < net->depth && !at; k++) {
    const relucap_layer *L = &net->layers[k];
    double d = 0, s = 0;
    for (size_t i = 0; i < L->m; i++) {
      double za = dot(L->W + i * L->n, a, L->n) + (L->b ? L->b[i] : 0.0);
      double zb = dot(L->W + i * L->n, b, L->n) + (L->b ? L->b[i] : 0.0);
      a2[i] = za > 0 ? za : 0;
      b2[i] = zb > 0 ? zb : 0;
      d = fmax(d, fabs(a2[i] - b2[i]));
      s = fmax(s, fmax(fabs(a2[i]), fabs(b2[i])));
    }
    if (d <= 1e-9 * s || s == 0) at = k + 1;
    double *tmp = a; a = a2; a2 = tmp;
    tmp = b; b = b2; b2 = tmp;
  }
  free(h);
  return at;
}

/* W_k / s_k, b_k / (s_1 .. s_k) with s_k = |W_k|_F: f becomes f / (s_1 .. s_L), the same
 * collisions, and the LPs see data of unit scale (CLP's tolerances are absolute). */
static int normalized_copy(const relucap_net *net, relucap_net *out)
{
  out->depth = 0;
  out->layers = calloc(net->depth, sizeof *out->layers);
  if (!out->layers) return RELUCAP_ENOMEM;
  double cum = 1;
  for (size_t k = 0; k < net->depth; k++) {
    const relucap_layer *L = &net->layers[k];
    relucap_layer *M = &out->layers[k];
    double s = sqrt(dot(L->W, L->W, L->m * L->n));
    if (!(s > 0)) s = 1;
    cum *= s;
    *M = (relucap_layer){.m = L->m, .n = L->n, .W = malloc(L->m * L->n * sizeof(double)),
                         .b = L->b ? malloc(L->m * sizeof(double)) : NULL};
    out->depth = k + 1;
    if (!M->W || (L->b && !M->b)) return RELUCAP_ENOMEM;
    for (size_t i = 0; i < L->m * L->n; i++) M->W[i] = L->W[i] / s;
    for (size_t i = 0; L->b && i < L->m; i++) M->b[i] = L->b[i] / cum;
  }
  return RELUCAP_SUCCESS;
}

/* Sizes, the cone test, tolerances and the per-unit constant-row thresholds. */
static int state_init(rg_state *S, const relucap_net *orig, const relucap_net *net,
                      const relucap_net_report *rep, double t_end)
{
  *S = (rg_state){.orig = orig, .net = net, .n = rep->n, .mo = relucap_net_output_dim(net),
                  .w = netcheck_max_width(net), .homogeneous = 1, .t_end = t_end};
  double bscale = 0;
  for (size_t k = 0; k < net->depth; k++) {
    const relucap_layer *L = &net->layers[k];
    S->N += L->m;
    for (size_t i = 0; L->b && i < L->m; i++) {
      if (L->b[i] != 0) S->homogeneous = 0;
      double wn = sqrt(dot(L->W + i * L->n, L->W + i * L->n, L->n));
      if (k == 0 && wn > 0) bscale = fmax(bscale, fabs(L->b[i]) / wn);
    }
  }
  /* absolute: 1e-9, plus what LP data of size bscale can resolve (~4500 u bscale, 1e-12 bscale).
   * It was 1e-9 (1 + bscale): one bias of 1e6 dropped a slab of width 1e-3 at the origin, and
   * the next layer collided across it (certified "injective"; found by a review). */
  S->tol = RG_TOL_INRADIUS * (S->homogeneous ? 1.0 : 1.0 + 1e-3 * bscale);
  S->bscale = bscale;
  S->pat = malloc(S->N);
  S->rowtol = malloc(S->N * sizeof *S->rowtol);
  if (!S->pat || !S->rowtol) return RELUCAP_ENOMEM;
  /* The enumeration calls unit i constant when |Z_i| <= 1e-13 sum_q |w_iq| |G_q| (enum_layer);
   * that is <= 1e-13 |w_i| prod_{k < layer} |W_k|_F, the threshold used on region rows, so a
   * unit constant there is never turned back into a constraint. */
  double lip = 1;
  for (size_t k = 0, i0 = 0; k < net->depth; k++) {
    const relucap_layer *L = &net->layers[k];
    for (size_t i = 0; i < L->m; i++)
      S->rowtol[i0 + i] = 1e-13 * sqrt(dot(L->W + i * L->n, L->W + i * L->n, L->n)) * lip;
    i0 += L->m;
    lip *= sqrt(dot(L->W, L->W, L->m * L->n));
  }
  return RELUCAP_SUCCESS;
}

static void state_free(rg_state *S)
{
  free(S->pat); free(S->rowtol); free(S->pats); free(S->centers); free(S->radius);
}

/* The regions inside one cell of layer 0 (pattern pat0, centre xc, radius tc), into the empty
 * state L: layer 0's pre-activations are W_1 x + b_1, its cell rows come from the pattern. */
static int expand_cell0(rg_state *L, const char *pat0, const double *xc, double tc)
{
  const relucap_layer *L0 = &L->net->layers[0];
  size_t n = L->n, m = L0->m;
  double *I = calloc(n * n, sizeof *I), *zero = calloc(n, sizeof *zero), *Z = malloc(m * n * sizeof *Z);
  double *zc = malloc(m * sizeof *zc), *zn = malloc(m * sizeof *zn), *G = malloc(m * n * sizeof *G);
  double *g = malloc(m * sizeof *g), *C = malloc(m * n * sizeof *C), *c = malloc(m * sizeof *c);
  int st = RELUCAP_ENOMEM;
  if (I && zero && Z && zc && zn && G && g && C && c) {
    for (size_t j = 0; j < n; j++) I[j * n + j] = 1;
    memcpy(L->pat, pat0, m);
    layer_preacts(L0, I, zero, n, Z, zc, zn);
    size_t rows = next_input(L, 0, m, Z, zc, zn, NULL, NULL, 0, G, g, C, c);
    st = enum_layer(L, 1, m, G, g, C, c, rows, xc, tc);
  }
  free(I); free(zero); free(Z); free(zc); free(zn); free(G); free(g); free(C); free(c);
  return st;
}

/* Append the regions of L to S (cell order is kept: the result does not depend on threads). */
static int merge_regions(rg_state *S, const rg_state *L)
{
  if (L->nreg == 0) return RELUCAP_SUCCESS; /* (its arrays are NULL: memcpy from NULL is undefined) */
  if (S->nreg + L->nreg > RG_MAX_REGIONS) { S->stopped = "more than 10^6 linear regions"; return RELUCAP_SUCCESS; }
  int st = reserve_regions(S, S->nreg + L->nreg);
  if (st) return st;
  memcpy(S->pats + S->nreg * S->N, L->pats, L->nreg * S->N);
  memcpy(S->centers + S->nreg * S->n, L->centers, L->nreg * S->n * sizeof *S->centers);
  memcpy(S->radius + S->nreg, L->radius, L->nreg * sizeof *S->radius);
  S->nreg += L->nreg;
  return RELUCAP_SUCCESS;
}

/* Evidence that the enumeration is complete: the strict pattern of each of RG_SAMPLES random
 * inputs (Gaussian, at scales 10^{-1,0,1} (1 + bscale)) must be one of the regions found; a
 * region missed by the LPs would show up here with probability its share of the inputs. */
#define RG_SAMPLES 2000
static size_t g_sort_N;
static const char *g_sort_pats;
static int cmp_pat(const void *a, const void *b)
{
  return memcmp(g_sort_pats + *(const size_t *)a * g_sort_N, g_sort_pats + *(const size_t *)b * g_sort_N, g_sort_N);
}

static int sample_patterns(const rg_state *S, double bscale, size_t *missing)
{
  size_t n = S->n, N = S->N, w = S->w, *idx = malloc((S->nreg ? S->nreg : 1) * sizeof *idx);
  char *pat = malloc(N);
  double *h = malloc(2 * (w > n ? w : n) * sizeof *h), *x = malloc(n * sizeof *x);
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  *missing = 0;
  if (!idx || !pat || !h || !x || !rng) { free(idx); free(pat); free(h); free(x); gsl_rng_free(rng); return RELUCAP_ENOMEM; }
  for (size_t s = 0; s < S->nreg; s++) idx[s] = s;
  g_sort_N = N;
  g_sort_pats = S->pats;
  qsort(idx, S->nreg, sizeof *idx, cmp_pat);
  gsl_rng_set(rng, 99);
  for (int q = 0; q < RG_SAMPLES; q++) {
    double scale = (1 + bscale) * pow(10.0, (q % 3) - 1);
    for (size_t j = 0; j < n; j++) x[j] = scale * gsl_ran_gaussian(rng, 1.0);
    const double *in = x;
    double *out = h;
    for (size_t k = 0, off = 0; k < S->net->depth; k++) {
      const relucap_layer *L = &S->net->layers[k];
      for (size_t i = 0; i < L->m; i++) {
        double z = dot(L->W + i * L->n, in, L->n) + (L->b ? L->b[i] : 0.0), mag = L->b ? fabs(L->b[i]) : 0.0;
        for (size_t c = 0; c < L->n; c++) mag += fabs(L->W[i * L->n + c] * in[c]);
        /* a pre-activation that is 0 up to rounding (a unit constant 0 on the region, such as
         * h - h' of two equal units) is off, as in the enumeration */
        pat[off + i] = z > 1e-12 * mag;
        out[i] = z > 0 ? z : 0.0;
      }
      off += L->m;
      in = out;
      out = out == h ? h + w : h;
    }
    size_t lo = 0, hi = S->nreg; /* binary search among the sorted patterns */
    int found = 0;
    while (lo < hi && !found) {
      size_t mid = lo + (hi - lo) / 2;
      int c = memcmp(S->pats + idx[mid] * N, pat, N);
      if (c == 0) found = 1;
      else if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    if (!found) ++*missing;
  }
  free(idx); free(pat); free(h); free(x);
  gsl_rng_free(rng);
  return RELUCAP_SUCCESS;
}

/* 1. Every full-dimensional region, from the ball |x| <= 1 (cones: x boxed to [-1, 1]^n).  For
 * depth >= 2 the cells of layer 0 come first; the regions inside each are enumerated in parallel. */
static int enumerate_regions(rg_state *S)
{
  size_t n = S->n;
  double *I = calloc(n * n, sizeof *I), *zero = calloc(n, sizeof *zero);
  int st = RELUCAP_ENOMEM;
  if (I && zero) {
    for (size_t j = 0; j < n; j++) I[j * n + j] = 1;
    S->layer0_only = S->net->depth > 1;
    st = enum_layer(S, 0, 0, I, zero, NULL, NULL, 0, zero, 1.0);
    S->layer0_only = 0;
  }
  free(I); free(zero);
  if (st || S->stopped || S->net->depth == 1) return st;
  size_t ncell = S->nreg;
  char *cells = S->pats;
  double *centers = S->centers, *radius = S->radius;
  rg_state *part = calloc(ncell ? ncell : 1, sizeof *part);
  if (!part) return RELUCAP_ENOMEM;
  S->pats = NULL; S->centers = NULL; S->radius = NULL; S->nreg = S->cap = 0;
  int stop = 0;
#pragma omp parallel for schedule(dynamic, 1)
  for (size_t q = 0; q < ncell; q++) {
    int halt;
#pragma omp atomic read
    halt = stop;
    if (halt) continue;
    rg_state *L = &part[q];
    *L = *S;
    L->pats = NULL; L->centers = NULL; L->radius = NULL; L->nreg = L->cap = 0; L->lps = 0;
    L->stopped = NULL;
    L->pat = malloc(S->N);
    int e = L->pat ? expand_cell0(L, cells + q * S->N, centers + q * n, radius[q]) : RELUCAP_ENOMEM;
    if (e && !L->stopped) L->stopped = "out of memory";
    if (e || L->stopped) {
#pragma omp atomic write
      stop = 1;
    }
    L->status = e;
  }
  for (size_t q = 0; q < ncell; q++) {
    rg_state *L = &part[q];
    S->lps += L->lps;
    S->near = fmax(S->near, L->near);
    if (!st && L->status) st = L->status;
    if (!S->stopped && L->stopped) S->stopped = L->stopped;
    if (!st && !S->stopped && L->pat) st = merge_regions(S, L);
    free(L->pat); free(L->pats); free(L->centers); free(L->radius);
  }
  if (!st && stop && !S->stopped) S->stopped = "time limit reached";
  free(part); free(cells); free(centers); free(radius);
  return st;
}

/* One thread's scratch: two regions' affine data, LP arrays, SVD work. */
typedef struct {
  rg_affine F[2];
  rg_work W;
  double *sv, *V, *x2;
} rg_scratch;

/* Shared data (intervals, projections, pair directions) and one scratch per thread. */
typedef struct {
  double *iv;      /* nreg x 2P intervals */
  double *proj;    /* P x mo projections */
  double *dirs;    /* (n + 1) x n: the pair directions */
  int nthreads;
  rg_scratch *scr;
} rg_space;

static int scratch_alloc(rg_scratch *C, const rg_state *S)
{
  size_t n = S->n, N = S->N, mo = S->mo, w = S->w, prows = 2 * N + mo + 2, pcols = 2 * n;
  memset(C, 0, sizeof *C);
  for (int side = 0; side < 2; side++) {
    C->F[side].Z = malloc(N * n * sizeof(double));
    C->F[side].zc = malloc(N * sizeof(double));
    C->F[side].J = malloc(mo * n * sizeof(double));
    C->F[side].cj = malloc(mo * sizeof(double));
    if (!C->F[side].Z || !C->F[side].zc || !C->F[side].J || !C->F[side].cj) return RELUCAP_ENOMEM;
  }
  rg_work *W = &C->W;
  W->G = malloc(w * n * sizeof *W->G); W->g = malloc(w * sizeof *W->g);
  W->T = malloc(w * n * sizeof *W->T); W->t = malloc(w * sizeof *W->t);
  W->A = malloc((prows + 1) * pcols * sizeof *W->A); W->lo = malloc((prows + 1) * sizeof *W->lo);
  W->up = malloc((prows + 1) * sizeof *W->up); W->obj = malloc(3 * pcols * sizeof *W->obj);
  W->sol = malloc(pcols * sizeof *W->sol);
  C->sv = malloc(n * sizeof *C->sv);
  C->V = malloc(n * n * sizeof *C->V);
  C->x2 = malloc(n * sizeof *C->x2);
  if (!W->G || !W->g || !W->T || !W->t || !W->A || !W->lo || !W->up || !W->obj || !W->sol || !C->sv || !C->V || !C->x2)
    return RELUCAP_ENOMEM;
  return RELUCAP_SUCCESS;
}

static void scratch_free(rg_scratch *C)
{
  for (int side = 0; side < 2; side++) { free(C->F[side].Z); free(C->F[side].zc); free(C->F[side].J); free(C->F[side].cj); }
  rg_work *W = &C->W;
  free(W->G); free(W->g); free(W->T); free(W->t); free(W->A); free(W->lo); free(W->up); free(W->obj); free(W->sol);
  free(C->sv); free(C->V); free(C->x2);
}

static int space_alloc(rg_space *P, const rg_state *S)
{
  size_t n = S->n, mo = S->mo;
  memset(P, 0, sizeof *P);
#ifdef _OPENMP
  P->nthreads = omp_get_max_threads();
#else
  P->nthreads = 1;
#endif
  P->scr = calloc((size_t)P->nthreads, sizeof *P->scr);
  if (!P->scr) return RELUCAP_ENOMEM;
  for (int k = 0; k < P->nthreads; k++)
    if (scratch_alloc(&P->scr[k], S)) return RELUCAP_ENOMEM;
  P->iv = malloc((S->nreg ? S->nreg : 1) * 2 * RG_PROJECTIONS * sizeof *P->iv);
  P->proj = malloc(RG_PROJECTIONS * mo * sizeof *P->proj);
  P->dirs = calloc((n + 1) * n, sizeof *P->dirs);
  if (!P->iv || !P->proj || !P->dirs) return RELUCAP_ENOMEM;
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937); /* fixed seed: reproducible filter and order */
  if (!rng) return RELUCAP_ENOMEM;
  gsl_rng_set(rng, 2024);
  for (size_t q = 0; q < RG_PROJECTIONS * mo; q++) P->proj[q] = gsl_ran_gaussian(rng, 1.0);
  for (size_t q = 0; q < n; q++) { /* Gram-Schmidt on Gaussian vectors (twice, for rounding) */
    double *v = P->dirs + q * n;
    for (size_t j = 0; j < n; j++) v[j] = gsl_ran_gaussian(rng, 1.0);
    for (int pass = 0; pass < 2; pass++)
      for (size_t p = 0; p < q; p++) {
        double c = dot(v, P->dirs + p * n, n);
        for (size_t j = 0; j < n; j++) v[j] -= c * P->dirs[p * n + j];
      }
    double len = sqrt(dot(v, v, n));
    for (size_t j = 0; j < n; j++) v[j] /= len;
    for (size_t j = 0; j < n; j++) P->dirs[n * n + j] -= v[j];
  }
  gsl_rng_free(rng);
  return RELUCAP_SUCCESS;
}

static void space_free(rg_space *P)
{
  for (int k = 0; P->scr && k < P->nthreads; k++) scratch_free(&P->scr[k]);
  free(P->scr);
  free(P->iv); free(P->proj); free(P->dirs);
}


/* 2. Rank of every J_s (a deficient one gives a witness) and the output intervals, regions in
 * parallel (one CLP model per call; verdicts and counts do not depend on the thread count). */
static int check_regions(rg_state *S, rg_space *P, relucap_net_report *rep)
{
  relucap_region_report *R = &rep->regions;
  size_t n = S->n, lps = 0, deficient = S->nreg;
  double min_r = HUGE_VAL, min_ratio = HUGE_VAL;
  int st = RELUCAP_SUCCESS, stop = 0;
#pragma omp parallel for schedule(dynamic, 8) reduction(+ : lps) reduction(min : min_r, min_ratio)
  for (size_t s = 0; s < S->nreg; s++) {
    int halt;
#pragma omp atomic read
    halt = stop;
    if (halt) continue;
    rg_scratch *C = &P->scr[thread_id()];
    min_r = fmin(min_r, S->radius[s]);
    region_data(S, s, &C->F[0], &C->W);
    int e = netcheck_svd(C->F[0].J, S->mo, n, C->sv, C->V, NULL);
    double ratio = !e && C->sv[0] > 0 ? C->sv[n - 1] / C->sv[0] : 0.0;
    if (!e) min_ratio = fmin(min_ratio, ratio);
    if (!e && !(ratio > RELUCAP_CHECK_TOL_RANK)) {
#pragma omp critical(relucap_regions)
      if (s < deficient) deficient = s;
      continue;
    }
    if (!e) e = region_intervals(S, s, &C->F[0], &C->W, P->proj, P->iv + s * 2 * RG_PROJECTIONS, &lps);
    if (e || (S->t_end > 0 && relucap_clock() > S->t_end)) {
#pragma omp critical(relucap_regions)
      if (e && !st) st = e;
#pragma omp atomic write
      stop = 1;
    }
  }
  R->region_lps += lps;
  R->min_inradius = min_r;
  R->min_jacobian_ratio = min_ratio;
  if (st) return st;
  if (deficient < S->nreg) { /* the first rank-deficient region (in region order): its witness */
    rg_scratch *C = &P->scr[0];
    region_data(S, deficient, &C->F[0], &C->W);
    if ((st = netcheck_svd(C->F[0].J, S->mo, n, C->sv, C->V, NULL))) return st;
    if (rank_witness(S, deficient, C->V, rep, C->x2)) {
      R->complete = 1;
      R->collision_layer = collision_layer(S->orig, rep->x1, rep->x2);
      snprintf(rep->reason, sizeof rep->reason,
               "exhaustive region search: a linear region of the whole map has a rank-deficient "
               "Jacobian, collision at layer %zu", R->collision_layer);
    } else {
      R->stopped = "a region's Jacobian is numerically rank-deficient but no verified witness was found";
    }
    return RELUCAP_SUCCESS;
  }
  if (stop) R->stopped = "time limit reached";
  return RELUCAP_SUCCESS;
}

/* 3. Pairs: a sweep along projection 0 (regions sorted by lo_0) lists the candidates whose images
 * may meet, in chunks; each chunk is decided in parallel.  Outcomes are tallied in candidate order
 * up to the first collision, so verdict, witness and counts do not depend on the thread count. */
#define RG_CHUNK ((size_t)1 << 14)

typedef struct {
  size_t s, t;
  int outcome;   /* PAIR_*, or -1: not examined */
  int lps;
} rg_pair;

/* Two regions with the same pattern on layers 1..L-1 lie in one convex cell H of those layers,
 * where the head is one affine map h(x) = G x + g.  A collision x1 in R_s, x2 in R_t needs
 * w_i G (x1 - x2) = 0 for every unit i of layer L that is on in both (equal non-negative
 * pre-activations), i.e. J_s,i (x1 - x2) = 0 on those rows: if they have rank n, x1 = x2 and the
 * pair cannot collide (no LP).  Returns 1 for such a pair. */
static int same_cell_full_rank(const rg_state *S, size_t s, size_t t, const rg_affine *Fs, rg_scratch *C)
{
  size_t n = S->n, mL = S->net->layers[S->net->depth - 1].m, head = S->N - mL, k = 0;
  const char *ps = S->pats + s * S->N, *pt = S->pats + t * S->N;
  if (memcmp(ps, pt, head) != 0) return 0;
  double *B = C->W.A; /* scratch: at least mL x n */
  for (size_t i = 0; i < mL; i++)
    if (ps[head + i] && pt[head + i]) memcpy(B + k++ * n, Fs->J + i * n, n * sizeof *B);
  if (k < n || netcheck_svd(B, k, n, C->sv, C->V, NULL)) return 0;
  return C->sv[n - 1] > RELUCAP_CHECK_TOL_RANK * C->sv[0];
}

/* Decide the pairs cand[0..k); returns the index of the first collision (k if none). */
static size_t decide_chunk(rg_state *S, rg_space *P, rg_pair *cand, size_t k, double *wit, int *err)
{
  size_t first = k;
  int stop = 0;
#pragma omp parallel for schedule(dynamic, 4)
  for (size_t q = 0; q < k; q++) {
    size_t lim;
    int halt;
#pragma omp atomic read
    lim = first;
#pragma omp atomic read
    halt = stop;
    if (q > lim || halt) continue; /* a collision earlier in the order settles it */
    rg_scratch *C = &P->scr[thread_id()];
    region_data(S, cand[q].s, &C->F[0], &C->W);
    region_data(S, cand[q].t, &C->F[1], &C->W);
    size_t lps = 0;
    int r = !(S->flags & RELUCAP_REGIONS_NO_FILTER) && same_cell_full_rank(S, cand[q].s, cand[q].t, &C->F[0], C)
            ? PAIR_SAME_CELL : pair_test(S, cand[q].s, cand[q].t, &C->F[0], &C->F[1], &C->W, P->dirs, &lps);
    cand[q].lps = (int)lps;
    cand[q].outcome = r;
    if (r < 0 || (S->t_end > 0 && relucap_clock() > S->t_end)) {
#pragma omp critical(relucap_regions)
      if (r < 0 && !*err) *err = -r;
#pragma omp atomic write
      stop = 1;
    }
    if (r == PAIR_COLLIDE) {
#pragma omp critical(relucap_regions)
      if (q < first) {
        memcpy(wit, C->W.sol, 2 * S->n * sizeof *wit);
#pragma omp atomic write
        first = q;
      }
    }
  }
  if (stop && !*err && first == k) S->stopped = "time limit reached";
  return first;
}

static int check_pairs(rg_state *S, rg_space *P, relucap_net_report *rep)
{
  relucap_region_report *R = &rep->regions;
  size_t *order = malloc((S->nreg ? S->nreg : 1) * sizeof *order), candidates = 0, k = 0;
  rg_pair *cand = malloc(RG_CHUNK * sizeof *cand);
  double *wit = malloc(2 * S->n * sizeof *wit);
  if (!order || !cand || !wit) { free(order); free(cand); free(wit); return RELUCAP_ENOMEM; }
  R->pairs = S->nreg * (S->nreg - 1) / 2;
  for (size_t s = 0; s < S->nreg; s++) order[s] = s;
  g_sort_iv = P->iv;
  qsort(order, S->nreg, sizeof *order, cmp_lo);
  int st = RELUCAP_SUCCESS, filter = !(S->flags & RELUCAP_REGIONS_NO_FILTER), collided = 0;
  for (size_t a = 0; a < S->nreg && !collided && !st && !S->stopped; a++) {
    size_t s = order[a];
    const double *is = P->iv + s * 2 * RG_PROJECTIONS;
    for (size_t b = a + 1; b <= S->nreg; b++) {
      int last = a + 1 == S->nreg && b == S->nreg;
      if (b < S->nreg) {
        size_t t = order[b];
        const double *it = P->iv + t * 2 * RG_PROJECTIONS;
        if (filter && it[0] > is[1] + 1e-9 * (1 + fabs(is[1]))) b = S->nreg; /* no later region meets s */
        else if (!filter || intervals_meet(is, it)) cand[k++] = (rg_pair){s, t, -1, 0};
      }
      if (k < RG_CHUNK && !last) { if (b >= S->nreg) break; continue; }
      /* a full chunk, or the end of the sweep: decide and tally in candidate order */
      size_t first = decide_chunk(S, P, cand, k, wit, &st);
      for (size_t q = 0; q < k && q <= first; q++) {
        if (cand[q].outcome < 0) continue; /* skipped after the time limit */
        R->pairs_examined++;
        R->pair_lps += (size_t)cand[q].lps;
        candidates++;
        if (cand[q].outcome == PAIR_DISJOINT) R->pairs_disjoint++;
        else if (cand[q].outcome == PAIR_TOUCHING) R->pairs_touching++;
        else if (cand[q].outcome == PAIR_SAME_CELL) R->pairs_same_cell++;
        else if (cand[q].outcome == PAIR_UNRESOLVED) R->pairs_unresolved++;
      }
      collided = first < k;
      k = 0;
      if (collided || st || S->stopped || b >= S->nreg) break;
    }
  }
  free(order);
  free(cand);
  if (collided && netcheck_set_witness(rep, S->orig, wit, wit + S->n)) {
    R->complete = 1;
    R->collision_layer = collision_layer(S->orig, rep->x1, rep->x2);
    snprintf(rep->reason, sizeof rep->reason,
             "exhaustive region search: two linear regions share an output, collision at layer %zu",
             R->collision_layer);
  } else if (collided) {
    S->stopped = "a collision pair did not verify on the given weights";
  }
  free(wit);
  if (S->stopped) R->stopped = S->stopped;
  if (st || R->complete || R->stopped) return st;
  R->pairs_separated = R->pairs - candidates;
  R->pairs_examined = R->pairs;
  if (R->pairs_unresolved) {
    R->stopped = "some region pairs could not be settled numerically";
    return RELUCAP_SUCCESS;
  }
  if (S->near > 0) { /* a thin cell may have been missed */
    R->stopped = "near-degenerate arrangement: two hyperplanes of a cell within 1e-8 of parallel (docs/check.md 4b)";
    return RELUCAP_SUCCESS;
  }
  R->complete = 1;
  rep->verdict = RELUCAP_INJECTIVE;
  rep->certified = 1;
  snprintf(rep->reason, sizeof rep->reason,
           "exhaustive region search: %zu linear regions, all of full rank; no two share an output "
           "except at common inputs (cells thinner than 1e-9 relative count as lower-dimensional)", S->nreg);
  return RELUCAP_SUCCESS;
}

int netcheck_regions(const relucap_net *net, double t_end, unsigned flags, relucap_net_report *rep)
{
  double t0 = relucap_clock();
  relucap_region_report *R = &rep->regions;
  memset(R, 0, sizeof *R);
  R->run = 1;
  R->min_inradius = HUGE_VAL;
  R->min_jacobian_ratio = HUGE_VAL;
  rg_state S = {0};
  rg_space P;
  memset(&P, 0, sizeof P);
  relucap_net unit = {0, NULL};
  int st = normalized_copy(net, &unit);
  if (!st) st = state_init(&S, net, &unit, rep, t_end);
  S.flags = flags;
  if (!st) st = enumerate_regions(&S);
  R->regions = S.nreg;
  R->region_lps = S.lps;
  R->seconds_regions = relucap_clock() - t0;
  if (!st && S.stopped) R->stopped = S.stopped;
  if (!st && !R->stopped) {
    st = sample_patterns(&S, S.bscale, &R->samples_missing);
    R->samples = RG_SAMPLES;
    if (!st && R->samples_missing) R->stopped = "a sampled input lies in no enumerated region";
  }
  if (!st && !R->stopped) st = space_alloc(&P, &S);
  if (!st && !R->stopped) st = check_regions(&S, &P, rep);
  if (!st && !R->stopped && !R->complete) st = check_pairs(&S, &P, rep);
  space_free(&P);
  state_free(&S);
  relucap_net_free(&unit);
  R->seconds = relucap_clock() - t0;
  return st;
}

/* ------------------------------------------------------------------ exact inversion */

/* Rows of the preimage LP on head region s (columns x, then u): region rows, and per unit of the
 * last layer (pre-activation P_i x + p_i):  y_i > eps:  |P_i x + p_i - y_i| <= u_i,
 * y_i <= eps:  P_i x + p_i <= u_i;  u >= 0.  With `exact`, u is fixed at 0 (equalities). */
static size_t preimage_rows(const rg_state *S, size_t s, const rg_affine *F, const relucap_layer *last,
                            const double *y, double eps, int exact, double *A, double *lo, double *up)
{
  size_t n = S->n, N = S->N, m = last->m, nc = n + m, mh = last->n;
  memset(A, 0, (N + 2 * m) * nc * sizeof *A);
  region_rows(S, s, F, A, nc, 0, lo, up);
  for (size_t i = 0; i < m; i++) {
    double *ra = A + (N + 2 * i) * nc, *rb = ra + nc, p = last->b ? last->b[i] : 0.0;
    for (size_t j = 0; j < n; j++) {
      double a = 0;
      for (size_t q = 0; q < mh; q++) a += last->W[i * mh + q] * F->J[q * n + j];
      ra[j] = rb[j] = a;
    }
    for (size_t q = 0; q < mh; q++) p += last->W[i * mh + q] * F->cj[q];
    ra[n + i] = -1;
    rb[n + i] = 1;
    int active = y[i] > eps;
    lo[N + 2 * i] = -HUGE_VAL;
    up[N + 2 * i] = (active ? y[i] : 0.0) - p;
    lo[N + 2 * i + 1] = active ? y[i] - p : -HUGE_VAL;
    up[N + 2 * i + 1] = HUGE_VAL;
    if (exact) { ra[n + i] = rb[n + i] = 0; }
  }
  return N + 2 * m;
}

/* Is the preimage on region s more than the point x?  max v.(x' - x) over it for the n + 1
 * directions dirs; returns 1 (a continuum), 0 (the point), -1 (LP trouble). */
static int preimage_is_point(const rg_state *S, size_t s, const rg_affine *F, const relucap_layer *last,
                             const double *y, double eps, const double *x, const double *dirs, rg_work *W,
                             double *A, size_t *lps)
{
  size_t n = S->n, m = last->m, nc = n + m;
  size_t nr = preimage_rows(S, s, F, last, y, eps, 1, A, W->lo, W->up);
  double *clo = calloc(nc, sizeof *clo), *cup = calloc(nc, sizeof *cup), *obj = calloc(nc, sizeof *obj);
  double *sol = malloc(nc * sizeof *sol);
  int result = -1;
  relucap_lp *lp = clo && cup && obj && sol ? rg_lp_alloc((int)nr, (int)nc, A, W->lo, W->up, clo, cup, obj) : NULL;
  for (size_t j = 0; j < n && lp; j++) relucap_lp_set_col_bounds(lp, (int)j, -HUGE_VAL, HUGE_VAL);
  double scale = 0;
  for (size_t j = 0; j < n; j++) scale = fmax(scale, fabs(x[j]));
  for (size_t q = 0; lp && q <= n; q++) {
    for (size_t j = 0; j < n; j++) obj[j] = -dirs[q * n + j];
    relucap_lp_set_objective(lp, obj);
    relucap_lp_outcome out;
    if (relucap_lp_resolve(lp, sol, NULL, NULL, &out)) break;
    ++*lps;
    if (out == RELUCAP_LP_UNBOUNDED) { result = 1; break; }
    if (out != RELUCAP_LP_OPTIMAL) break; /* the point itself is feasible: infeasible is trouble */
    double gap = dot(dirs + q * n, sol, n) - dot(dirs + q * n, x, n);
    if (gap > 1e-7 * (scale + 1e-300)) { result = 1; break; }
    if (q == n) result = 0;
  }
  relucap_lp_free(lp);
  free(clo); free(cup); free(obj); free(sol);
  return result;
}

/* The fast path of (12): when layer L's active rows P_A have rank n on region s, P_A x = y_A - p_A
 * has at most one solution, the least-squares x; it is a preimage iff its residual is rounding and
 * it satisfies the region's rows and the inactive rows (to 1e-9 of their terms).  Rows as written by
 * preimage_rows.  Returns 1 (x is the preimage in R_s), 0 (none in R_s), -1 (rank < n: use the LP). */
static int preimage_by_rank(const rg_state *S, const relucap_layer *last, const double *y, double eps,
                            const double *A, const double *lo, const double *up, rg_scratch *C, double *x)
{
  size_t n = S->n, N = S->N, m = last->m, nc = n + m, k = 0;
  double *B = malloc(m * n * sizeof *B), *rhs = malloc(m * sizeof *rhs);
  double *U = malloc((m > n ? m : n) * n * sizeof *U), *t = malloc(n * sizeof *t);
  int result = -1;
  if (!B || !rhs || !U || !t) goto done;
  for (size_t i = 0; i < m; i++)
    if (y[i] > eps) {
      memcpy(B + k * n, A + (N + 2 * i) * nc, n * sizeof *B);
      rhs[k++] = up[N + 2 * i];
    }
  if (k < n || netcheck_svd(B, k, n, C->sv, C->V, U) || !(C->sv[n - 1] > RELUCAP_CHECK_TOL_RANK * C->sv[0])) goto done;
  for (size_t c = 0; c < n; c++) { /* x = V Sigma^-1 U^T rhs */
    double a = 0;
    for (size_t i = 0; i < k; i++) a += U[i * n + c] * rhs[i];
    t[c] = a / C->sv[c];
  }
  double xmax = 0, rmax = 0;
  for (size_t j = 0; j < n; j++) { x[j] = dot(C->V + j * n, t, n); xmax = fmax(xmax, fabs(x[j])); }
  for (size_t i = 0; i < k; i++) rmax = fmax(rmax, fabs(rhs[i]));
  result = 0;
  for (size_t i = 0; i < k; i++) { /* the equations hold to rounding? */
    double mag = fabs(rhs[i]);
    for (size_t j = 0; j < n; j++) mag += fabs(B[i * n + j] * x[j]);
    if (fabs(dot(B + i * n, x, n) - rhs[i]) > 1e-9 * mag) goto done;
  }
  for (size_t r = 0; r < N + 2 * m; r++) { /* region rows (>= lo) and inactive rows (<= up) */
    if (r >= N && ((r - N) % 2 == 1 || y[(r - N) / 2] > eps)) continue; /* an active row: checked */
    const double *row = A + r * nc;
    double v = dot(row, x, n), mag = 0, bound = r < N ? lo[r] : up[r];
    if (!isfinite(bound)) continue;
    for (size_t j = 0; j < n; j++) mag += fabs(row[j] * x[j]);
    mag += fabs(bound);
    if (r < N ? v < bound - 1e-9 * mag : v > bound + 1e-9 * mag) goto done;
  }
  (void)xmax; (void)rmax;
  result = 1;
done:
  free(B); free(rhs); free(U); free(t);
  return result;
}

int netcheck_invert_regions(const relucap_net *net, const double *y, double tol, double t_end,
                            relucap_invert_result *res)
{
  memset(res, 0, sizeof *res);
  res->by_regions = 1;
  size_t n = relucap_net_input_dim(net), mo = relucap_net_output_dim(net);
  relucap_net unit = {0, NULL};
  relucap_net_report hrep = {.n = n};
  rg_state S = {0};
  rg_space P;
  memset(&P, 0, sizeof P);
  double *yy = malloc(mo * sizeof *yy), *A = NULL, *sol = NULL, *xbest = NULL, *xs = NULL;
  int st = yy ? normalized_copy(net, &unit) : RELUCAP_ENOMEM;
  if (st) goto done;
  /* the normalised map is f / prod |W_k|_F: scale y alike */
  double cum = 1, ynorm = 0, ymax = 0;
  for (size_t k = 0; k < net->depth; k++) {
    double s = sqrt(dot(net->layers[k].W, net->layers[k].W, net->layers[k].m * net->layers[k].n));
    cum *= s > 0 ? s : 1;
  }
  for (size_t i = 0; i < mo; i++) { yy[i] = y[i] / cum; ynorm += fabs(yy[i]); ymax = fmax(ymax, fabs(yy[i])); }
  double eps = 1e-9 * ymax; /* active: above the rounding noise of recovered values */
  relucap_net head = {net->depth - 1, unit.layers};
  const relucap_layer *last = &unit.layers[net->depth - 1];
  if ((st = state_init(&S, net, &head, &hrep, t_end))) goto done;
  if ((st = enumerate_regions(&S))) goto done;
  res->regions = S.nreg;
  if ((st = space_alloc(&P, &S))) goto done;
  size_t m = last->m, nc = n + m, nr = S.N + 2 * m, lps = 0;
  A = malloc(nr * nc * sizeof *A);
  double *lo = malloc(nr * sizeof *lo), *up = malloc(nr * sizeof *up);
  double *clo = calloc(nc, sizeof *clo), *cup = malloc(nc * sizeof *cup), *obj = calloc(nc, sizeof *obj);
  sol = malloc(nc * sizeof *sol);
  xbest = malloc(n * sizeof *xbest);
  xs = malloc(2 * n * sizeof *xs); /* the distinct solutions found (at most two are kept) */
  double best = HUGE_VAL;
  if (!A || !lo || !up || !clo || !cup || !obj || !sol || !xbest || !xs) { st = RELUCAP_ENOMEM; goto loop_done; }
  rg_work *W0 = &P.scr[0].W;
  double *lo2 = realloc(W0->lo, nr * sizeof *lo2);
  if (lo2) W0->lo = lo2;
  double *up2 = lo2 ? realloc(W0->up, nr * sizeof *up2) : NULL;
  if (up2) W0->up = up2;
  if (!lo2 || !up2) { st = RELUCAP_ENOMEM; goto loop_done; }
  for (size_t j = 0; j < nc; j++) { clo[j] = j < n ? -HUGE_VAL : 0; cup[j] = HUGE_VAL; obj[j] = j < n ? 0 : 1; }
  res->complete = S.stopped == NULL;
  for (size_t s = 0; s < S.nreg; s++) {
    if (t_end > 0 && relucap_clock() > t_end) { res->complete = 0; break; }
    region_data(&S, s, &P.scr[0].F[0], &P.scr[0].W);
    preimage_rows(&S, s, &P.scr[0].F[0], last, yy, eps, 0, A, lo, up);
    int by_rank = preimage_by_rank(&S, last, yy, eps, A, lo, up, &P.scr[0], sol);
    if (by_rank == 0) continue; /* full rank, and its one candidate is not in R_s */
    relucap_lp_outcome out = RELUCAP_LP_OPTIMAL;
    double val = 0;
    if (by_rank < 0) {
      if ((st = rg_lp_solve((int)nr, (int)nc, A, lo, up, clo, cup, obj, sol, &val, &out))) break;
      lps++;
    }
    if (out != RELUCAP_LP_OPTIMAL) continue; /* infeasible cannot happen (u is free above) */
    if (val < best) { best = val; memcpy(xbest, sol, n * sizeof *xbest); }
    if (!(val <= tol * (ynorm > 0 ? ynorm : 1))) continue;
    /* a preimage: new, or one already found (regions share boundaries)? */
    double scale = 0;
    for (size_t j = 0; j < n; j++) scale = fmax(scale, fabs(sol[j]));
    int known = 0;
    for (size_t q = 0; q < res->solutions && q < 2 && !known; q++) {
      double d = 0;
      for (size_t j = 0; j < n; j++) d = fmax(d, fabs(sol[j] - xs[q * n + j]));
      known = d <= 1e-7 * (scale + 1e-300);
    }
    if (!known) {
      if (res->solutions < 2) memcpy(xs + res->solutions * n, sol, n * sizeof *xs);
      res->solutions++;
    }
    int cont = by_rank > 0 ? 0 : preimage_is_point(&S, s, &P.scr[0].F[0], last, yy, eps, sol, P.dirs, &P.scr[0].W, A, &lps);
    if (cont < 0) res->complete = 0;
    if (cont > 0) {
      if (res->solutions < 2) res->solutions = 2;
      /* dimension of that set: at most n - rank of the active rows of layer L on region s */
      double *B = malloc(m * n * sizeof *B);
      size_t k = 0;
      for (size_t i = 0; B && i < m; i++)
        if (yy[i] > eps) memcpy(B + k++ * n, A + (S.N + 2 * i) * nc, n * sizeof *B); /* x-part of row a */
      size_t rk = 0;
      if (B && k > 0 && netcheck_svd(B, k, n, P.scr[0].sv, P.scr[0].V, NULL) == 0)
        while (rk < n && P.scr[0].sv[rk] > RELUCAP_CHECK_TOL_RANK * P.scr[0].sv[0]) rk++;
      free(B);
      res->dim = res->dim > n - rk ? res->dim : n - rk;
    }
    if (res->solutions >= 2 && res->dim > 0) break; /* not unique: nothing more to learn */
  }
loop_done:
  free(lo); free(up); free(clo); free(cup); free(obj);
  if (st) goto done;
  res->unique = res->complete && res->solutions == 1;
  if (!res->unique && res->solutions >= 1) res->dim_layer = net->depth;
  res->x = malloc(n * sizeof *res->x);
  if (!res->x) { st = RELUCAP_ENOMEM; goto done; }
  if (res->solutions) memcpy(res->x, xs, n * sizeof *res->x);
  else if (best < HUGE_VAL) memcpy(res->x, xbest, n * sizeof *res->x);
  else memset(res->x, 0, n * sizeof *res->x);
  /* the residual on the given network */
  size_t w = netcheck_max_width(net);
  double *fy = malloc((mo + 2 * w) * sizeof *fy);
  if (!fy) { st = RELUCAP_ENOMEM; goto done; }
  relucap_net_forward(net, res->x, fy, fy + mo);
  double d2 = 0, y2 = 0;
  for (size_t i = 0; i < mo; i++) { d2 += (fy[i] - y[i]) * (fy[i] - y[i]); y2 += y[i] * y[i]; }
  free(fy);
  res->residual = y2 > 0 ? sqrt(d2 / y2) : sqrt(d2);
  st = res->solutions && res->residual <= tol ? RELUCAP_SUCCESS : RELUCAP_EINFEAS;
done:
  free(yy); free(A); free(sol); free(xbest); free(xs);
  space_free(&P);
  state_free(&S);
  relucap_net_free(&unit);
  return st;
}

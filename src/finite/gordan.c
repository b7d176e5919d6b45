/* A small dense simplex for the Gordan LP of the branch-and-bound inner loop.
 *
 *   min  c^T lambda   s.t.   sum_j lambda_j a_{S_j} = 0,  sum_j lambda_j = 1,  lambda >= 0   (G)
 *
 * over the columns S (rows of A, unit length).  Two-phase tableau simplex with one artificial
 * per row (the right-hand side e_{n+1} is >= 0).  If phase 1 ends with a positive artificial
 * sum, (G) is infeasible and the phase-1 duals y (y_r = 1 - reduced cost of artificial r) give
 *     a_i . y_{1:n} <= -y_{n+1} < 0  for every column,
 * i.e. x = y_{1:n} / y_{n+1} solves {a_i . x <= -1, i in S}: Gordan's alternative from one
 * solve.  Dantzig pricing, switched to Bland's rule after many pivots (no cycling).  CLP gives
 * the same answers (tests/test_finite.c compares them) at ~10-50x the cost on these sizes. */
#include "finite_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TOL 1e-10

struct finite_gordan {
  int n, cap;   /* rows R = n + 1; capacity in columns */
  double *T;    /* R x (cap + R + 1), row-major: real columns, artificials, rhs */
  double *d;    /* reduced costs (cap + R) */
  int *basis;   /* basic column of each row */
};

finite_gordan *finite_gordan_alloc(int n, int cap)
{
  finite_gordan *g = calloc(1, sizeof *g);
  if (!g) return NULL;
  int R = n + 1, W = cap + R + 1;
  g->n = n;
  g->cap = cap;
  g->T = malloc((size_t)R * W * sizeof *g->T);
  g->d = malloc((size_t)W * sizeof *g->d);
  g->basis = malloc((size_t)R * sizeof *g->basis);
  if (!g->T || !g->d || !g->basis) {
    finite_gordan_free(g);
    return NULL;
  }
  return g;
}

void finite_gordan_free(finite_gordan *g)
{
  if (!g) return;
  free(g->T);
  free(g->d);
  free(g->basis);
  free(g);
}

static void pivot(finite_gordan *g, int k, int W, int r, int c)
{
  int R = g->n + 1;
  double *Tr = g->T + (size_t)r * W;
  double p = Tr[c];
  for (int j = 0; j < W; j++) Tr[j] /= p;
  Tr[c] = 1.0;
  for (int q = 0; q < R; q++) {
    if (q == r) continue;
    double *Tq = g->T + (size_t)q * W;
    double f = Tq[c];
    if (f == 0.0) continue;
    for (int j = 0; j < W; j++) Tq[j] -= f * Tr[j];
    Tq[c] = 0.0;
  }
  double f = g->d[c];
  if (f != 0.0) {
    for (int j = 0; j < W - 1; j++) g->d[j] -= f * Tr[j];
    g->d[c] = 0.0;
  }
  g->basis[r] = c;
  (void)k;
}

/* Simplex iterations on the current reduced costs; columns >= ncand never enter. */
static int iterate(finite_gordan *g, int ncand, int W)
{
  int R = g->n + 1, it = 0, bland_after = 20 * (ncand + R);
  for (;;) {
    int c = -1;
    double best = -1e-9;
    for (int j = 0; j < ncand; j++) {
      if (g->d[j] < best) {
        c = j;
        if (it >= bland_after) break; /* Bland: first improving column */
        best = g->d[j];
      }
    }
    if (c < 0) return 0;
    int r = -1;
    double ratio = HUGE_VAL;
    for (int q = 0; q < R; q++) {
      double a = g->T[(size_t)q * W + c];
      if (a > TOL) {
        double t = g->T[(size_t)q * W + W - 1] / a;
        if (t < ratio - 1e-12 || (t <= ratio + 1e-12 && r >= 0 && g->basis[q] < g->basis[r])) {
          ratio = t;
          r = q;
        }
      }
    }
    if (r < 0) return -1; /* unbounded: impossible for (G) with c >= 0 */
    pivot(g, 0, W, r, c);
    if (++it > 50 * (ncand + R) + 1000) return -2;
  }
}

int finite_gordan_solve(finite_gordan *g, const double *A, int k, const int *cols,
                        const double *cost, double *lam, double *x)
{
  int n = g->n, R = n + 1, W = k + R + 1;
  if (k > g->cap) return -3;
  /* tableau: real columns, artificials (identity), rhs e_{n+1} */
  for (int r = 0; r < R; r++) {
    double *Tr = g->T + (size_t)r * W;
    for (int j = 0; j < k; j++) Tr[j] = r < n ? A[(size_t)cols[j] * n + r] : 1.0;
    for (int j = 0; j < R; j++) Tr[k + j] = r == j ? 1.0 : 0.0;
    Tr[W - 1] = r == n ? 1.0 : 0.0;
    g->basis[r] = k + r;
  }
  /* phase 1: minimise the artificial sum; reduced costs d_j = -sum_r T[r][j] */
  for (int j = 0; j < W - 1; j++) {
    if (j >= k) {
      g->d[j] = 0.0;
      continue;
    }
    double s = 0;
    for (int r = 0; r < R; r++) s += g->T[(size_t)r * W + j];
    g->d[j] = -s;
  }
  int st = iterate(g, k, W);
  if (st < 0) return st;
  double w = 0;
  for (int r = 0; r < R; r++)
    if (g->basis[r] >= k) w += g->T[(size_t)r * W + W - 1];
  if (w > 1e-9) {
    /* infeasible: y_r = 1 - d(artificial r); x = y_{1:n} / y_{n+1} */
    double yn = 1.0 - g->d[k + n];
    if (!(yn > 1e-12)) return -4;
    for (int j = 0; j < n; j++) x[j] = (1.0 - g->d[k + j]) / yn;
    return 1;
  }
  /* drive zero-level artificials out of the basis where a real column can replace them */
  for (int r = 0; r < R; r++) {
    if (g->basis[r] < k) continue;
    for (int j = 0; j < k; j++)
      if (fabs(g->T[(size_t)r * W + j]) > 1e-9) {
        pivot(g, 0, W, r, j);
        break;
      }
  }
  /* phase 2: reduced costs for c (artificials cost 0 and never re-enter) */
  for (int j = 0; j < k; j++) {
    double s = cost ? cost[cols[j]] : 0.0;
    for (int r = 0; r < R; r++) {
      int b = g->basis[r];
      if (b < k && cost) s -= cost[cols[b]] * g->T[(size_t)r * W + j];
    }
    g->d[j] = s;
  }
  for (int j = k; j < W - 1; j++) g->d[j] = 0.0;
  st = iterate(g, k, W);
  if (st < 0) return st;
  for (int j = 0; j < k; j++) lam[j] = 0.0;
  for (int r = 0; r < R; r++)
    if (g->basis[r] < k) lam[g->basis[r]] = fmax(0.0, g->T[(size_t)r * W + W - 1]);
  return 0;
}

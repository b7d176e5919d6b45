/* Exact injectivity check of a concrete ReLU layer / network, and inversion.
 * Derivation: docs/check.md.  LPs through relucap/lp.h (CLP). */
#define _POSIX_C_SOURCE 200809L
#include "relucap/netcheck.h"
#include "netcheck_internal.h"
#include "relucap/finite.h"
#include "relucap/lp.h"
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ dense helpers */

static double dot(const double *a, const double *b, size_t n)
{
  double s = 0;
  for (size_t j = 0; j < n; j++) s += a[j] * b[j];
  return s;
}

static double norm2(const double *a, size_t n) { return sqrt(dot(a, a, n)); }

static double frobenius(const relucap_layer *L) { return norm2(L->W, L->m * L->n); }

/* SVD of the k x n row-major A, zero-padded to max(k, n) rows so that V is a full basis:
 * s[0..n) descending; V[j*n + c] = entry j of right singular vector c; U (max(k,n) x n,
 * row-major, left vectors in columns) if not NULL.  One-sided Jacobi (accurate small values). */
int netcheck_svd(const double *A, size_t k, size_t n, double *s, double *V, double *U)
{
  size_t r = k > n ? k : n;
  gsl_matrix *a = gsl_matrix_calloc(r, n), *v = gsl_matrix_alloc(n, n);
  gsl_vector *sv = gsl_vector_alloc(n);
  if (!a || !v || !sv) {
    gsl_matrix_free(a); gsl_matrix_free(v); gsl_vector_free(sv);
    return RELUCAP_ENOMEM;
  }
  for (size_t i = 0; i < k; i++)
    for (size_t j = 0; j < n; j++) gsl_matrix_set(a, i, j, A[i * n + j]);
  int st = gsl_linalg_SV_decomp_jacobi(a, v, sv);
  for (size_t j = 0; j < n; j++) {
    s[j] = gsl_vector_get(sv, j);
    for (size_t c = 0; c < n; c++) V[j * n + c] = gsl_matrix_get(v, j, c);
  }
  if (U)
    for (size_t i = 0; i < r; i++)
      for (size_t c = 0; c < n; c++) U[i * n + c] = gsl_matrix_get(a, i, c);
  gsl_matrix_free(a); gsl_matrix_free(v); gsl_vector_free(sv);
  return st ? RELUCAP_ESING : RELUCAP_SUCCESS;
}

/* Tolerances of one pass of the layer check (docs/check.md section 4b).  A quantity <= its tol
 * counts as zero: a degeneracy of the data (parallel rows, a row in a hyperplane, a rank drop, a
 * Farkas certificate, a witness).  One in (floor, tol] is near-degenerate: the verdict would then
 * hang on the tolerance, so it is recorded and the layer re-checked at the tight tolerances; a
 * verdict survives only from a pass that met no near-degenerate quantity. */
typedef struct {
  double plane, rank, floor;
} check_tol;
static const check_tol TOL_DEFAULT = {RELUCAP_CHECK_TOL_PLANE, RELUCAP_CHECK_TOL_RANK, RELUCAP_CHECK_TOL_TIGHT};
static const check_tol TOL_TIGHT = {RELUCAP_CHECK_TOL_TIGHT, RELUCAP_CHECK_TOL_TIGHT, 1e-14};

/* q <= tol is zero; q in (floor, tol] also raises *near to q. */
static int negligible(double q, double tol, double floor, double *near)
{
  if (q <= tol && q > floor && near && q > *near) *near = q;
  return q <= tol;
}

/* Number of singular values above RELUCAP_CHECK_TOL_RANK * s[0]. */
static size_t num_rank(const double *s, size_t n)
{
  size_t r = 0;
  if (n == 0 || s[0] <= 0) return 0;
  while (r < n && s[r] > RELUCAP_CHECK_TOL_RANK * s[0]) r++;
  return r;
}

/* y = ReLU(W x + b) of one layer. */
static void layer_forward(const relucap_layer *L, const double *x, double *y)
{
  for (size_t i = 0; i < L->m; i++) {
    double z = dot(L->W + i * L->n, x, L->n) + (L->b ? L->b[i] : 0.0);
    y[i] = z > 0 ? z : 0.0;
  }
}

/* |f(x1) - f(x2)| / (|W|_F |x1 - x2|) for one layer: ~1e-16 for an exact witness. */
static double layer_witness_diff(const relucap_layer *L, const double *x1, const double *x2)
{
  double *y = malloc(2 * L->m * sizeof *y), d2 = 0, dx2 = 0;
  if (!y) return HUGE_VAL;
  layer_forward(L, x1, y);
  layer_forward(L, x2, y + L->m);
  for (size_t i = 0; i < L->m; i++) d2 += (y[i] - y[L->m + i]) * (y[i] - y[L->m + i]);
  for (size_t j = 0; j < L->n; j++) dx2 += (x1[j] - x2[j]) * (x1[j] - x2[j]);
  free(y);
  double den = frobenius(L) * sqrt(dx2);
  if (den == 0 && dx2 > 0) return d2 == 0 ? 0.0 : HUGE_VAL; /* W = 0: every pair collides */
  return den > 0 ? sqrt(d2) / den : HUGE_VAL;
}

/* ------------------------------------------------------------------ exact rescaling */

/* Binary exponent of the largest |a_i|; `none` for an all-zero or empty array. */
static int max_exponent_or(const double *a, size_t k, int none)
{
  double m = 0;
  for (size_t i = 0; a && i < k; i++) m = fmax(m, fabs(a[i]));
  return m > 0 ? ilogb(m) : none;
}

static int max_exponent(const double *a, size_t k) { return max_exponent_or(a, k, 0); }

/* Copy of L with W and b multiplied by 2^e (exact in floating point). */
static int layer_scaled_copy(const relucap_layer *L, int eW, int eb, relucap_layer *out)
{
  *out = (relucap_layer){.m = L->m, .n = L->n, .W = malloc(L->m * L->n * sizeof(double)),
                         .b = L->b ? malloc(L->m * sizeof(double)) : NULL};
  if (!out->W || (L->b && !out->b)) {
    free(out->W); free(out->b);
    out->W = out->b = NULL;
    return RELUCAP_ENOMEM;
  }
  for (size_t i = 0; i < L->m * L->n; i++) out->W[i] = ldexp(L->W[i], eW);
  for (size_t i = 0; L->b && i < L->m; i++) out->b[i] = ldexp(L->b[i], eb);
  return RELUCAP_SUCCESS;
}

/* The network in units of its own scale (docs/check.md section 4a): hidden values h_k = 2^{C_k} h'_k,
 *     W'_k = 2^{C_{k-1} - C_k} W_k,   b'_k = 2^{-C_k} b_k,   C_0 = 0,
 *     C_k = max(C_{k-1} + e(W_k), e(b_k))   (e = binary exponent of the largest entry),
 * so f' = 2^{-C_L} f: the same inputs, activation patterns and collisions, every entry below 2
 * in magnitude (no overflow in norms, SVDs or LPs, e.g. for weights of 1e300), and the scaling
 * by powers of two is exact.  Ratios such as |f(x1)-f(x2)|/|f(x1)| are unchanged. */
typedef struct {
  relucap_net net;
  int *C; /* C[0..depth] */
} scaled_net;

static void scaled_net_free(scaled_net *S)
{
  for (size_t k = 0; S->net.layers && k < S->net.depth; k++) {
    free(S->net.layers[k].W);
    free(S->net.layers[k].b);
  }
  free(S->net.layers);
  free(S->C);
  memset(S, 0, sizeof *S);
}

static int scaled_net_init(scaled_net *S, const relucap_net *net)
{
  memset(S, 0, sizeof *S);
  S->net.layers = calloc(net->depth, sizeof *S->net.layers);
  S->C = calloc(net->depth + 1, sizeof *S->C);
  if (!S->net.layers || !S->C) { scaled_net_free(S); return RELUCAP_ENOMEM; }
  for (size_t k = 0; k < net->depth; k++) {
    const relucap_layer *L = &net->layers[k];
    int eW = max_exponent(L->W, L->m * L->n), c = S->C[k] + eW;
    if (L->b) {
      int eb = max_exponent(L->b, L->m);
      if (eb > c) c = eb;
    }
    S->C[k + 1] = c;
    if (layer_scaled_copy(L, S->C[k] - c, -c, &S->net.layers[k])) { scaled_net_free(S); return RELUCAP_ENOMEM; }
    S->net.depth = k + 1;
  }
  return RELUCAP_SUCCESS;
}

/* A layer witness found on the scaled network, back in the layer's own input units
 * (x = 2^{C_{k-1}} x'); dropped (NULL) if those units overflow. */
static void unscale_layer_witness(relucap_layer_report *r, int c)
{
  int ok = 1;
  for (size_t j = 0; r->x1 && r->x2 && j < r->n; j++) {
    r->x1[j] = ldexp(r->x1[j], c);
    r->x2[j] = ldexp(r->x2[j], c);
    ok = ok && isfinite(r->x1[j]) && isfinite(r->x2[j]);
  }
  if (!ok) {
    free(r->x1); free(r->x2);
    r->x1 = r->x2 = NULL;
  }
}

/* The number of s[i] (descending) not negligible against s[0] at the rank tolerance of tol. */
static size_t rank_tol(const double *s, size_t n, const check_tol *tol, double *near)
{
  size_t r = 0;
  while (r < n && s[0] > 0 && !negligible(s[r] / s[0], tol->rank, tol->floor, near)) r++;
  for (size_t i = r + 1; i < n && s[0] > 0; i++) negligible(s[i] / s[0], tol->rank, tol->floor, near);
  return r;
}

/* Numerical rank of W (m x n) and, when it is < n, a unit vector of ker W in kern[0..n).  For
 * m < n the SVD is taken of W^T (n x m: O(n m^2), where the padded n x n one costs O(n^3) and
 * n^2 memory - a 1 x 10000 layer took minutes); ker W is then the complement of the columns of
 * U, and e_j minus its projection, for the j least in span(U), is a kernel vector.  s gets
 * min(m, n) entries. */
static int layer_rank(const relucap_layer *L, const check_tol *tol, double *near, double *s, double *kern,
                      size_t *rank)
{
  size_t m = L->m, n = L->n;
  if (m >= n) {
    double *V = malloc(n * n * sizeof *V);
    if (!V) return RELUCAP_ENOMEM;
    int st = netcheck_svd(L->W, m, n, s, V, NULL);
    *rank = rank_tol(s, n, tol, near);
    for (size_t j = 0; j < n; j++) kern[j] = V[j * n + n - 1];
    free(V);
    return st;
  }
  double *At = malloc(n * m * sizeof *At), *U = malloc(n * m * sizeof *U), *Vm = malloc(m * m * sizeof *Vm);
  int st = At && U && Vm ? RELUCAP_SUCCESS : RELUCAP_ENOMEM;
  if (!st) {
    for (size_t i = 0; i < m; i++)
      for (size_t j = 0; j < n; j++) At[j * m + i] = L->W[i * n + j];
    st = netcheck_svd(At, n, m, s, Vm, U);
  }
  if (!st) {
    size_t r = rank_tol(s, m, tol, near), best = 0;
    double bw = HUGE_VAL;
    *rank = r;
    for (size_t j = 0; j < n; j++) { /* |P e_j|^2 = sum_c U_jc^2 over the row space */
      double w = 0;
      for (size_t c = 0; c < r; c++) w += U[j * m + c] * U[j * m + c];
      if (w < bw) { bw = w; best = j; }
    }
    for (size_t j = 0; j < n; j++) {
      double p = 0;
      for (size_t c = 0; c < r; c++) p += U[j * m + c] * U[best * m + c];
      kern[j] = (j == best) - p;
    }
    double kn = norm2(kern, n);
    for (size_t j = 0; j < n; j++) kern[j] /= kn;
  }
  free(At); free(U); free(Vm);
  return st;
}

/* #{i : w_i x + b_i >= 0}: the closed active count (an upper bound on its minimum over x). */
static size_t active_count(const relucap_layer *L, const double *x)
{
  size_t c = 0;
  for (size_t i = 0; i < L->m; i++)
    if (dot(L->W + i * L->n, x, L->n) + (L->b ? L->b[i] : 0.0) >= 0) c++;
  return c;
}

/* ------------------------------------------------------------------ strict systems */

/* Residual of a Farkas certificate lambda (k entries, >= 0) for the rows rows[0..k) of A: the
 * violation of "(A^T lambda)_j = 0 (free j), >= 0 (cone j)", in two blocks, each relative to its
 * own scale: the row directions (coordinates < nu), |viol_u| / sum lambda_i |u_i|, and the bias
 * coordinate (>= nu), |viol_b| / sum lambda_i |beta_i|; the larger.  One norm over both let
 * biases 2e6 times the rows hide a violation of 5e-9 in the directions (a slab 1e-8 wide was
 * "closed"): the blocks do not depend on the input unit. */
static double farkas_residual(const double *A, size_t dim, size_t nu, const size_t *rows, size_t k,
                              const char *cone, const double *lam)
{
  double viol[2] = {0, 0}, scale[2] = {0, 0};
  for (size_t i = 0; i < k; i++) {
    const double *a = A + rows[i] * dim;
    scale[0] += lam[i] * norm2(a, nu);
    scale[1] += lam[i] * norm2(a + nu, dim - nu);
  }
  for (size_t j = 0; j < dim; j++) {
    double g = 0;
    for (size_t i = 0; i < k; i++) g += lam[i] * A[rows[i] * dim + j];
    double v = cone && cone[j] ? (g < 0 ? -g : 0) : fabs(g);
    viol[j >= nu] += v * v;
  }
  if (!(scale[0] > 0) && !(scale[1] > 0)) return HUGE_VAL;
  double r = 0;
  for (int b = 0; b < 2; b++)
    if (viol[b] > 0) r = fmax(r, scale[b] > 0 ? sqrt(viol[b]) / scale[b] : HUGE_VAL);
  return r;
}

/* CLP's multipliers satisfy the equalities only to its tolerances (residuals up to ~1e-11 on
 * the orthant); project them onto them: with S the support of lambda and E the free coordinates
 * plus the cone coordinates where g = A_S^T lambda is ~0, M = (A_S^T)_E, lambda_S -= M^+ M lambda_S
 * (the least change with M lambda = 0), renormalised to sum 1.  Kept only if it stays >= 0 and
 * the residual drops: roundoff-level certificates on sound data, so that a residual above 1e-12
 * means near-degenerate data (docs/check.md 4b). */
static void polish_certificate(const double *A, size_t dim, size_t nu, const size_t *rows, size_t k,
                               const char *cone, double *lam, double *resid)
{
  size_t ns = 0, ne = 0;
  double scale = 0;
  for (size_t i = 0; i < k; i++)
    if (lam[i] > 0) { ns++; scale += lam[i] * norm2(A + rows[i] * dim, dim); }
  if (ns == 0 || !(*resid > 0)) return;
  size_t *S = malloc(ns * sizeof *S), *E = malloc(dim * sizeof *E), r = ns > dim ? ns : dim;
  double *M = malloc(dim * ns * sizeof *M), *sv = malloc(ns * sizeof *sv), *V = malloc(ns * ns * sizeof *V);
  double *U = malloc(r * ns * sizeof *U), *g = malloc(dim * sizeof *g), *c = malloc(ns * sizeof *c);
  double *trial = malloc(k * sizeof *trial);
  if (!S || !E || !M || !sv || !V || !U || !g || !c || !trial) goto done;
  ns = 0;
  for (size_t i = 0; i < k; i++)
    if (lam[i] > 0) S[ns++] = i;
  for (size_t j = 0; j < dim; j++) {
    g[j] = 0;
    for (size_t q = 0; q < ns; q++) g[j] += lam[S[q]] * A[rows[S[q]] * dim + j];
    if (!(cone && cone[j]) || g[j] <= 1e-9 * scale) E[ne++] = j;
  }
  if (ne == 0) goto done;
  for (size_t e = 0; e < ne; e++)
    for (size_t q = 0; q < ns; q++) M[e * ns + q] = A[rows[S[q]] * dim + E[e]];
  if (netcheck_svd(M, ne, ns, sv, V, U)) goto done;
  /* c = V Sigma^+ U^T (M lambda), over the singular values above 1e-12 sigma_max */
  for (size_t q = 0; q < ns; q++) c[q] = 0;
  for (size_t a = 0; a < ns; a++) {
    if (!(sv[a] > 1e-12 * sv[0])) break;
    double ur = 0;
    for (size_t e = 0; e < ne; e++) ur += U[e * ns + a] * g[E[e]];
    for (size_t q = 0; q < ns; q++) c[q] += V[q * ns + a] * ur / sv[a];
  }
  double sum = 0;
  memcpy(trial, lam, k * sizeof *trial);
  for (size_t q = 0; q < ns; q++) {
    trial[S[q]] -= c[q];
    if (!(trial[S[q]] >= 0)) goto done;
    sum += trial[S[q]];
  }
  if (!(sum > 0)) goto done;
  for (size_t q = 0; q < ns; q++) trial[S[q]] /= sum;
  double r2 = farkas_residual(A, dim, nu, rows, k, cone, trial);
  if (r2 < *resid) { memcpy(lam, trial, k * sizeof *lam); *resid = r2; }
done:
  free(S); free(E); free(M); free(sv); free(V); free(U); free(g); free(c); free(trial);
}

/* Farkas/Gordan side of the strict system {a_i . z < 0 (i in rows[0..k)), z_j >= 0 (cone j)}:
 * the LP  lambda >= 0, sum lambda = 1, (A^T lambda)_j = 0 (free j) or >= 0 (cone j).  A solution
 * proves the system infeasible (docs/check.md (5)).  *found = 1 when one was found and its
 * residual (farkas_residual) is <= tol; lam (k entries) and *resid are filled. */
static int farkas_lp(const double *A, size_t dim, size_t nu, const size_t *rows, size_t k, const char *cone,
                     double tol, double *lam, double *resid, int *found)
{
  double *G = malloc((dim + 1) * k * sizeof *G), *glo = malloc((dim + 1) * sizeof *glo);
  double *gup = malloc((dim + 1) * sizeof *gup), *zero = calloc(k, sizeof *zero);
  int status = RELUCAP_ENOMEM;
  *found = 0;
  *resid = HUGE_VAL;
  if (k == 0) { free(G); free(glo); free(gup); free(zero); return RELUCAP_SUCCESS; } /* nothing to combine */
  if (G && glo && gup && zero) {
    for (size_t j = 0; j < dim; j++) {
      for (size_t i = 0; i < k; i++) G[j * k + i] = A[rows[i] * dim + j];
      glo[j] = 0.0;
      gup[j] = cone && cone[j] ? HUGE_VAL : 0.0;
    }
    for (size_t i = 0; i < k; i++) G[dim * k + i] = 1.0;
    glo[dim] = gup[dim] = 1.0;
    relucap_lp_outcome out;
    status = relucap_lp_solve((int)dim + 1, (int)k, G, glo, gup, zero, NULL, NULL, lam, NULL, NULL, &out);
    if (status == RELUCAP_SUCCESS && out == RELUCAP_LP_OPTIMAL) {
      for (size_t i = 0; i < k; i++)
        if (lam[i] < 0) lam[i] = 0;
      *resid = farkas_residual(A, dim, nu, rows, k, cone, lam);
      polish_certificate(A, dim, nu, rows, k, cone, lam, resid);
      *found = *resid <= tol;
    }
  }
  free(G); free(glo); free(gup); free(zero);
  return status;
}

/* Primal side: is {a_i . z < 0 (i in rows), z_j >= 0 (cone j), z_j > 0 (strict j)} feasible?
 * Solved as the bounded LP  min tau  s.t.  a_i . z <= tau, -z_j <= tau (strict j),
 * z in [-1,1] (free) / [0,1] (cone): feasible iff tau* < -tol, then z (dim) is filled and checked
 * in plain arithmetic.  (The unbounded form {a_i z <= -1, z free} was sometimes declared
 * infeasible by CLP although feasible: docs/check.md section 4.) */
static int witness_lp(const double *A, size_t dim, const size_t *rows, size_t k, const char *cone,
                      const char *strict, double tol, double *z, double *tau_out, int *feasible)
{
  size_t ns = 0;
  for (size_t j = 0; strict && j < dim; j++) ns += strict[j] != 0;
  size_t nr = k + ns, nc = dim + 1;
  double *B = calloc(nr * nc + 1, sizeof *B), *bup = calloc(nr + 1, sizeof *bup);
  double *clo = malloc(nc * sizeof *clo), *cup = malloc(nc * sizeof *cup), *obj = calloc(nc, sizeof *obj);
  double *sol = malloc(nc * sizeof *sol);
  int status = RELUCAP_ENOMEM;
  *feasible = 0;
  if (!B || !bup || !clo || !cup || !obj || !sol) goto done;
  if (nr == 0) { /* no row to make negative: z = 1 on the cone coordinates, 0 elsewhere */
    for (size_t j = 0; j < dim; j++) z[j] = cone && cone[j] ? 1.0 : 0.0;
    *tau_out = -1.0;
    *feasible = 1;
    status = RELUCAP_SUCCESS;
    goto done;
  }
  for (size_t i = 0; i < k; i++) {
    memcpy(B + i * nc, A + rows[i] * dim, dim * sizeof *B);
    B[i * nc + dim] = -1.0;
  }
  for (size_t j = 0, q = k; strict && j < dim; j++)
    if (strict[j]) { B[q * nc + j] = -1.0; B[q * nc + dim] = -1.0; q++; }
  for (size_t j = 0; j < dim; j++) { clo[j] = cone && cone[j] ? 0.0 : -1.0; cup[j] = 1.0; }
  clo[dim] = -HUGE_VAL;
  cup[dim] = HUGE_VAL;
  obj[dim] = 1.0;
  relucap_lp_outcome out;
  status = relucap_lp_solve((int)nr, (int)nc, B, NULL, bup, clo, cup, obj, sol, NULL, NULL, &out);
  if (status) goto done;
  if (out != RELUCAP_LP_OPTIMAL) { status = RELUCAP_ENOPROG; goto done; }
  double tau = sol[dim];
  *tau_out = tau;
  if (tau < -tol) {
    for (size_t j = 0; j < dim; j++) {
      z[j] = sol[j];
      if (cone && cone[j] && z[j] < 0) z[j] = 0; /* CLP may return -1e-15 */
    }
    *feasible = 1;
    for (size_t i = 0; i < nr; i++)
      if (dot(B + i * nc, z, dim) > 0.5 * tau) *feasible = 0; /* not clearly negative: no claim */
  }
done:
  free(B); free(bup); free(clo); free(cup); free(obj); free(sol);
  return status;
}

/* ------------------------------------------------------------------ one layer */

/* The layer in normalised form: nonzero rows u_i = w_i / |w_i|, beta_i = b_i / |w_i|, grouped
 * into lines (directions up to sign); A holds (u_i, beta_i) rows of length dim. */
typedef struct {
  const relucap_layer *L;
  size_t n, k, dim;      /* input dim, nonzero rows, LP dimension (n, or n+1 with a bias) */
  int orthant;
  const check_tol *tol;  /* this pass's tolerances */
  double near;           /* largest near-degenerate quantity met (0: none) */
  double *A;             /* k x dim */
  size_t *line_of;       /* k: line index of row */
  size_t nlines, *line_rep; /* representative row of each line */
  char *partner;         /* row has an antipodal partner with beta_i + beta_j >= 0 */
  char *cone;            /* dim: which LP coordinates are sign-constrained */
  char *strict;          /* dim: coordinates that must be > 0 for an interior witness */
  int lp_trouble;        /* hyperplanes where neither LP answer could be verified */
  double *lam;           /* k: Farkas multipliers of the last LP */
  int *forbidden;        /* nlines: >0 = excluded from H in this branch (hitting-set search) */
  char *in_span;         /* nlines: line lies in span(Q[0..d)) */
  size_t *branch;        /* n * m: lines to branch on, per depth */
  size_t *orig;          /* k: index of the row in W */
  double *lam_pool;      /* multipliers of the cached certificates, parallel to cert_pool */
  int cert_dropped;      /* a certificate did not fit in the cache (proof list incomplete) */
  size_t ncert, pool_len, pool_cap, *cert_pool, cert_start[4096], cert_len[4096]; /* verified
                            certificates (supports), reused for later hyperplanes */
  /* enumeration state */
  double *Q, *v, *z;     /* (n-1) x n orthonormal basis of the current lines, normal, LP point */
  size_t *sel, *rows;
  char *in_plane;
  double t_end;
  long nodes;
  int timed_out, open_planes, status;
  relucap_layer_report *rep;
} layer_problem;

static double *row_u(const layer_problem *P, size_t i) { return P->A + i * P->dim; }

/* A unit-scale quantity that is zero at the plane tolerance of this pass (near-degenerate ones
 * are recorded in P->near). */
static int tiny(layer_problem *P, double q) { return negligible(q, P->tol->plane, P->tol->floor, &P->near); }

static void problem_free(layer_problem *P)
{
  free(P->A); free(P->line_of); free(P->line_rep); free(P->partner); free(P->cone); free(P->strict); free(P->lam); free(P->cert_pool); free(P->orig); free(P->lam_pool); free(P->forbidden); free(P->in_span); free(P->branch);
  free(P->Q); free(P->v); free(P->z); free(P->sel); free(P->rows); free(P->in_plane);
}

/* Rows i, j are an antipodal pair u, -u whose biases close the Farkas system, beta + beta' >= 0:
 * lambda = (1/2, 1/2) is a certificate without an LP. */
static int antipodal(const layer_problem *P, size_t i, size_t j)
{
  return P->line_of[i] == P->line_of[j] && dot(row_u(P, i), row_u(P, j), P->n) < 0 &&
         (!P->L->b || row_u(P, i)[P->n] + row_u(P, j)[P->n] >= 0);
}

static int problem_init(layer_problem *P, const relucap_layer *L, int orthant, const check_tol *tol)
{
  size_t m = L->m, n = L->n, dim = n + (L->b ? 1 : 0);
  memset(P, 0, sizeof *P);
  P->L = L; P->n = n; P->dim = dim; P->orthant = orthant; P->tol = tol;
  P->A = malloc(m * dim * sizeof *P->A);
  P->line_of = malloc(m * sizeof *P->line_of);
  P->line_rep = malloc(m * sizeof *P->line_rep);
  P->partner = calloc(m, 1);
  P->cone = calloc(dim, 1);
  P->strict = calloc(dim, 1);
  P->lam = malloc(m * sizeof *P->lam);
  P->orig = malloc(m * sizeof *P->orig);
  P->forbidden = calloc(m, sizeof *P->forbidden);
  P->in_span = malloc(m);
  P->branch = malloc(n * m * sizeof *P->branch);
  P->v = malloc(n * sizeof *P->v);
  P->z = malloc(dim * sizeof *P->z);
  P->sel = malloc(n * sizeof *P->sel);
  P->rows = malloc(m * sizeof *P->rows);
  P->in_plane = malloc(m);
  if (!P->A || !P->line_of || !P->line_rep || !P->partner || !P->cone || !P->strict || !P->lam || !P->orig || !P->forbidden || !P->in_span || !P->branch || !P->v ||
      !P->z || !P->sel || !P->rows || !P->in_plane)
    return RELUCAP_ENOMEM;
  double wmax = 0;
  for (size_t i = 0; i < m; i++) {
    double w = norm2(L->W + i * n, n);
    if (w > wmax) wmax = w;
  }
  for (size_t i = 0; i < m; i++) {
    double w = norm2(L->W + i * n, n);
    if (w <= 1e-14 * wmax || w == 0) continue; /* a zero row never matters (docs/check.md 2) */
    double *a = P->A + P->k * dim;
    for (size_t j = 0; j < n; j++) a[j] = L->W[i * n + j] / w;
    if (L->b) a[n] = L->b[i] / w;
    P->orig[P->k++] = i;
  }
  if (L->b) P->cone[n] = 1; /* homogenising coordinate t >= 0 */
  if (orthant)
    for (size_t j = 0; j < n; j++) P->cone[j] = P->strict[j] = 1;
  /* lines: u and -u (and their duplicates) share one */
  for (size_t i = 0; i < P->k; i++) {
    size_t l;
    double *u = row_u(P, i);
    for (l = 0; l < P->nlines; l++) { /* same line: |u - sign(c) u'| small */
      const double *u2 = row_u(P, P->line_rep[l]);
      double sg = dot(u, u2, n) < 0 ? -1 : 1, d2 = 0;
      for (size_t j = 0; j < n; j++) d2 += (u[j] - sg * u2[j]) * (u[j] - sg * u2[j]);
      if (tiny(P, sqrt(d2))) break;
    }
    if (l == P->nlines) P->line_rep[P->nlines++] = i;
    P->line_of[i] = l;
  }
  /* antipodal pairs: 0 = (u + (-u))/2, and beta + beta' >= 0 closes the Farkas system */
  for (size_t i = 0; i < P->k; i++)
    for (size_t j = 0; j < P->k; j++)
      if (antipodal(P, i, j)) P->partner[i] = 1;
  return RELUCAP_SUCCESS;
}

/* A witness pair is accepted when its output difference (layer_witness_diff) is within 10 tol of
 * zero beyond the rounding error of the two forward passes, gamma (|W|_F (|x1| + |x2|) + 2 |b|) /
 * (|W|_F |x1 - x2|) with gamma = 2 (n + 1) u; above NETCHECK_TOL_WITNESS (what a witness of the whole
 * network must meet) it is near-degenerate. */
static int witness_accepted(layer_problem *P, const double *x1, const double *x2, double diff)
{
  const relucap_layer *L = P->L;
  size_t n = L->n;
  double d2 = 0, wf = frobenius(L), bn = L->b ? norm2(L->b, L->m) : 0;
  for (size_t j = 0; j < n; j++) d2 += (x1[j] - x2[j]) * (x1[j] - x2[j]);
  double gamma = 2.0 * (double)(n + 1) * DBL_EPSILON;
  double rounding = wf > 0 && d2 > 0 ? gamma * (wf * (norm2(x1, n) + norm2(x2, n)) + 2 * bn) / (wf * sqrt(d2)) : 0;
  if (!(diff <= 10 * P->tol->plane + rounding)) return 0;
  /* the final word is the network's witness test (one layer): a pair it rejects is near-degenerate */
  relucap_net one = {1, (relucap_layer *)L};
  if (!netcheck_witness_ok(&one, x1, x2, NULL)) P->near = fmax(P->near, fmax(diff, 2 * NETCHECK_TOL_WITNESS));
  return 1;
}

/* Witness from a point x with the rows outside the hyperplane v^perp strictly negative:
 * x2 = x + eps v keeps every sign (docs/check.md (4)).  In the orthant both must be >= 0. */
static int make_witness(layer_problem *P, const double *x, const double *v)
{
  size_t n = P->n;
  const relucap_layer *L = P->L;
  double eps = HUGE_VAL;
  for (size_t i = 0; i < L->m; i++) {
    double wv = dot(L->W + i * n, v, n), wn = norm2(L->W + i * n, n);
    double zi = dot(L->W + i * n, x, n) + (L->b ? L->b[i] : 0.0);
    if (zi >= 0) {                   /* must be a row of the hyperplane: unchanged along v */
      if (wn > 0 && !tiny(P, fabs(wv) / wn)) return 0; /* (a zero row is in every hyperplane) */
      continue;
    }
    if (wv != 0 && -zi / fabs(wv) < eps) eps = -zi / fabs(wv); /* negative rows stay negative */
  }
  double sign = 1;
  if (P->orthant) { /* stay in the orthant: go along +v or -v, whichever has room */
    double room[2] = {HUGE_VAL, HUGE_VAL};
    for (size_t j = 0; j < n; j++) {
      if (v[j] < 0) room[0] = fmin(room[0], x[j] / -v[j]);
      if (v[j] > 0) room[1] = fmin(room[1], x[j] / v[j]);
    }
    sign = room[0] >= room[1] ? 1 : -1;
    eps = fmin(eps, fmax(room[0], room[1]));
    if (!(eps > 0)) return 0;
  }
  if (!isfinite(eps)) eps = 1.0 + norm2(x, n);
  eps *= 0.5;
  double *x1 = malloc(n * sizeof *x1), *x2 = malloc(n * sizeof *x2);
  if (!x1 || !x2) { free(x1); free(x2); return 0; }
  for (size_t j = 0; j < n; j++) {
    x1[j] = x[j];
    x2[j] = x[j] + sign * eps * v[j];
    if (P->orthant && x2[j] < 0) x2[j] = 0;
  }
  double diff = layer_witness_diff(L, x1, x2);
  if (!witness_accepted(P, x1, x2, diff)) { free(x1); free(x2); return 0; }
  relucap_layer_report *r = P->rep;
  free(r->x1); free(r->x2);
  r->x1 = x1; r->x2 = x2; r->witness_diff = diff;
  size_t c = active_count(L, x1);
  if (c < r->active_upper) r->active_upper = c;
  return 1;
}

/* Keep the support of the verified multipliers P->lam over P->rows[0..k) for later hyperplanes:
 * it proves infeasibility for every row set that contains it (docs/check.md (5)). */
static void remember_certificate(layer_problem *P, size_t k)
{
  if (P->ncert >= sizeof P->cert_start / sizeof P->cert_start[0]) { P->cert_dropped = 1; return; }
  size_t len = 0;
  for (size_t i = 0; i < k; i++) len += P->lam[i] > 0;
  if (P->pool_len + len > P->pool_cap) {
    size_t cap = 2 * (P->pool_cap + len) + 64;
    size_t *pool = realloc(P->cert_pool, cap * sizeof *pool);
    if (pool) P->cert_pool = pool;
    double *lp = pool ? realloc(P->lam_pool, cap * sizeof *lp) : NULL;
    if (lp) P->lam_pool = lp;
    if (!pool || !lp) { P->cert_dropped = 1; return; } /* only a cache */
    P->pool_cap = cap;
  }
  P->cert_start[P->ncert] = P->pool_len;
  P->cert_len[P->ncert++] = len;
  for (size_t i = 0; i < k; i++)
    if (P->lam[i] > 0) {
      P->lam_pool[P->pool_len] = P->lam[i];
      P->cert_pool[P->pool_len++] = P->rows[i];
    }
}

/* t = 0 in the witness LP: z_x is a recession direction with u_i.z_x <= mu < 0 on the rows
 * P->rows[0..k); x = M z_x with M = 2 (max(beta, 0) + 1) / |mu| makes every
 * u_i.x + beta_i <= M mu + beta_i < 0 (docs/check.md (5)). */
static void recession_point(layer_problem *P, size_t k, double *x)
{
  size_t n = P->n;
  double mu = -HUGE_VAL, bmax = 0;
  for (size_t q = 0; q < k; q++) {
    const double *a = P->A + P->rows[q] * P->dim;
    mu = fmax(mu, dot(a, P->z, n));
    bmax = fmax(bmax, a[n]);
  }
  double M = mu < 0 ? 2 * (bmax + 1) / -mu : 1;
  for (size_t j = 0; j < n; j++) x[j] = M * P->z[j];
}

/* q -= its projection on span(Q[0..d)) (the orthonormal rows so far), twice for accuracy. */
static void project_out(const layer_problem *P, size_t d, double *q)
{
  size_t n = P->n;
  for (int pass = 0; pass < 2; pass++)
    for (size_t c = 0; c < d; c++) {
      double p = dot(P->Q + c * n, q, n);
      for (size_t j = 0; j < n; j++) q[j] -= p * P->Q[c * n + j];
    }
}

/* A unit vector orthogonal to span(Q[0..d)) (the standard basis vector with the largest part
 * outside, projected twice). */
static void complement_vector(layer_problem *P, size_t d, double *v)
{
  size_t n = P->n;
  double best = -1;
  for (size_t e = 0; e < n; e++) {
    double r2 = 1;
    for (size_t c = 0; c < d; c++) r2 -= P->Q[c * n + e] * P->Q[c * n + e];
    if (r2 > best) {
      best = r2;
      for (size_t j = 0; j < n; j++) v[j] = (j == e);
    }
  }
  project_out(P, d, v);
  double vn = norm2(v, n);
  for (size_t j = 0; j < n; j++) v[j] /= vn;
}

/* Farkas LP on the rows P->rows[0..k): a verified certificate is cached (remember_certificate)
 * and its residual recorded; *found says whether there was one.  Returns the LP status. */
static int new_certificate(layer_problem *P, size_t k, int *found)
{
  double resid = 0;
  int st = farkas_lp(P->A, P->dim, P->n, P->rows, k, P->cone, P->tol->plane, P->lam, &resid, found);
  if (!st) negligible(resid, P->tol->plane, P->tol->floor, &P->near);
  if (st || !*found) return st;
  if (resid > P->rep->max_cert_residual) P->rep->max_cert_residual = resid;
  remember_certificate(P, k);
  return RELUCAP_SUCCESS;
}

/* No certificate for the rows P->rows[0..k): find x making them all negative (witness LP) and
 * try the witness pair x, x + eps P->v (make_witness).  Sets the verdict, or counts the
 * hyperplane as open (LP trouble / unverified pair), or sets P->status. */
static void witness_from_rows(layer_problem *P, size_t k)
{
  size_t n = P->n;
  int feasible = 0;
  double tau = 0;
  int st = witness_lp(P->A, P->dim, P->rows, k, P->cone, P->orthant ? P->strict : NULL, P->tol->plane, P->z, &tau,
                      &feasible);
  if (!st) negligible(-tau, P->tol->plane, P->tol->floor, &P->near); /* a margin the tight pass may use */
  if (st == RELUCAP_ENOPROG || (st == 0 && !feasible)) { P->open_planes++; P->lp_trouble += !P->orthant; return; }
  if (st) { P->status = st; return; }
  double *x = malloc(n * sizeof *x);
  if (!x) { P->status = RELUCAP_ENOMEM; return; }
  double t = P->L->b ? P->z[n] : 1.0, zx = norm2(P->z, n);
  if (t > 1e-9 * zx) {
    for (size_t j = 0; j < n; j++) x[j] = P->z[j] / t;
  } else {
    recession_point(P, k, x);
  }
  if (make_witness(P, x, P->v)) P->rep->verdict = RELUCAP_NOT_INJECTIVE;
  else P->open_planes++;
  free(x);
}

/* Leaf of the enumeration: the hyperplane H = v^perp spanned by the lines sel[0..n-1). */
static void plane_leaf(layer_problem *P)
{
  size_t n = P->n, d = n - 1;
  complement_vector(P, d, P->v); /* the normal of H */
  /* lines in H; canonical test: the greedy basis of H's lines (in index order) is sel */
  for (size_t l = 0; l < P->nlines; l++)
    P->in_plane[l] = tiny(P, fabs(dot(row_u(P, P->line_rep[l]), P->v, n)));
  size_t s = 0;
  for (size_t l = 0; d > 0 && l < P->sel[d - 1]; l++) {
    if (s < d && P->sel[s] == l) { s++; continue; }
    if (!P->in_plane[l]) continue;
    /* l must depend on the selected lines before it, span(Q[0..s)).  Only lines clearly in H
     * (|u.v| <= 1e-12) may make us skip H as "examined through another basis": near-degenerate
     * hyperplanes are then examined twice rather than possibly never (docs/check.md 4). */
    const double *u = row_u(P, P->line_rep[l]);
    if (fabs(dot(u, P->v, n)) > fmin(1e-12, P->tol->plane)) continue;
    double r2 = 1;
    for (size_t c = 0; c < s; c++) { double p = dot(P->Q + c * n, u, n); r2 -= p * p; }
    if (r2 > 1e-12) return; /* seen as another basis */
  }
  relucap_layer_report *rep = P->rep;
  rep->hyperplanes++;
  size_t k = 0;
  int antipodal = 0;
  for (size_t i = 0; i < P->k; i++)
    if (!P->in_plane[P->line_of[i]]) {
      P->rows[k++] = i;
      if (P->partner[i]) antipodal = 1;
    }
  if (antipodal) { rep->by_antipodal++; return; }
  /* a certificate found for an earlier hyperplane whose rows all lie outside this one */
  for (size_t c = 0; c < P->ncert; c++) {
    const size_t *cr = P->cert_pool + P->cert_start[c];
    size_t len = P->cert_len[c], q = 0;
    while (q < len && !P->in_plane[P->line_of[cr[q]]]) q++;
    if (q == len) {
      rep->by_cache++;
      if (c > 0) { /* keep useful certificates near the front */
        size_t t0 = P->cert_start[c], t1 = P->cert_len[c];
        P->cert_start[c] = P->cert_start[c - 1]; P->cert_len[c] = P->cert_len[c - 1];
        P->cert_start[c - 1] = t0; P->cert_len[c - 1] = t1;
      }
      return;
    }
  }
  int found = 0;
  int st = new_certificate(P, k, &found);
  if (st) { P->status = st; return; }
  if (found) {
    rep->by_lp++;
    return;
  }
  /* no certificate: the rows outside H can all be made negative (or numerical trouble) */
  witness_from_rows(P, k);
}

/* Depth-first over (n-1)-subsets of lines (indices increasing), pruning dependent prefixes. */
static void plane_dfs(layer_problem *P, size_t depth, size_t start)
{
  size_t n = P->n, d = n - 1;
  if (P->status || P->timed_out || P->rep->verdict == RELUCAP_NOT_INJECTIVE) return;
  if (depth == d) { plane_leaf(P); return; }
  for (size_t l = start; l + (d - depth) <= P->nlines; l++) {
    if ((++P->nodes & 63) == 0 && P->t_end > 0 && relucap_clock() > P->t_end) { P->timed_out = 1; return; }
    double *q = P->Q + depth * n;
    memcpy(q, row_u(P, P->line_rep[l]), n * sizeof *q);
    project_out(P, depth, q);
    double qn = norm2(q, n);
    if (tiny(P, qn)) continue; /* dependent on the prefix */
    for (size_t j = 0; j < n; j++) q[j] /= qn;
    P->sel[depth] = l;
    plane_dfs(P, depth + 1, l + 1);
    if (P->status || P->timed_out || P->rep->verdict == RELUCAP_NOT_INJECTIVE) return;
  }
}

/* Hitting-set search over hyperplanes (docs/check.md (3')).  Node: independent lines Q[0..d)
 * (T).  Every hyperplane H containing span(T) and not closed by a certificate C (C has no row in
 * H) must contain a row of C; so: find a certificate with no row in span(T) (cached, or from the
 * Farkas LP on the rows outside span(T)); if there is none, those rows can all be made negative
 * and any hyperplane through span(T) gives a witness; at d = n-1 the certificate closes H;
 * otherwise branch on the lines of C, excluding the lines of earlier branches (a partition). */
static void hs_search(layer_problem *P, size_t d)
{
  size_t n = P->n;
  relucap_layer_report *rep = P->rep;
  if (P->status || P->timed_out || rep->verdict == RELUCAP_NOT_INJECTIVE) return;
  if (++P->nodes, 1 && P->t_end > 0 && relucap_clock() > P->t_end) { P->timed_out = 1; return; }
  for (size_t l = 0; l < P->nlines; l++) {
    /* |u - proj_span(T) u| explicitly (1 - sum p^2 would cancel to ~1e-16, not 1e-18) */
    const double *u = row_u(P, P->line_rep[l]);
    double *r = P->v;
    memcpy(r, u, n * sizeof *r);
    for (size_t c = 0; c < d; c++) {
      double p = dot(P->Q + c * n, u, n);
      for (size_t j = 0; j < n; j++) r[j] -= p * P->Q[c * n + j];
    }
    P->in_span[l] = tiny(P, norm2(r, n));
    if (P->in_span[l] && P->forbidden[l]) return; /* covered by an earlier branch */
  }
  /* a cached certificate with no row in span(T) */
  size_t cert = (size_t)-1, how = 0; /* how: 1 cache, 2 new LP */
  /* among those, the one with the fewest lines still allowed in H: the fewest branches */
  size_t best_free = (size_t)-1;
  for (size_t c = 0; c < P->ncert && best_free > 0; c++) {
    const size_t *cr = P->cert_pool + P->cert_start[c];
    size_t len = P->cert_len[c], q = 0, nfree = 0;
    while (q < len && !P->in_span[P->line_of[cr[q]]]) nfree += !P->forbidden[P->line_of[cr[q++]]];
    if (q == len && nfree < best_free) {
      best_free = nfree;
      cert = c;
      how = 1;
    }
  }
  size_t *br = P->branch + d * P->k, nbr = 0;
  if (cert != (size_t)-1) {
    const size_t *cr = P->cert_pool + P->cert_start[cert];
    for (size_t q = 0; q < P->cert_len[cert]; q++) br[nbr++] = P->line_of[cr[q]];
  } else {
    size_t k = 0;
    for (size_t i = 0; i < P->k; i++)
      if (!P->in_span[P->line_of[i]]) P->rows[k++] = i;
    int found = 0;
    int st = new_certificate(P, k, &found);
    if (st) { P->status = st; return; }
    if (found) {
      how = 2;
      for (size_t i = 0; i < k; i++)
        if (P->lam[i] > 0) br[nbr++] = P->line_of[P->rows[i]];
    } else {
      /* any hyperplane through span(T) will do: the one orthogonal to a complement vector */
      complement_vector(P, d, P->v);
      witness_from_rows(P, k);
      return;
    }
  }
  if (d == n - 1) { /* H = span(T) is closed */
    rep->hyperplanes++;
    if (nbr == 2 && br[0] == br[1]) rep->by_antipodal++; /* two rows of one line: u, -u */
    else if (how == 1) rep->by_cache++;
    else rep->by_lp++;
    return;
  }
  /* distinct lines of the certificate, then branch: line j in H, lines before j excluded */
  size_t nd = 0;
  for (size_t q = 0; q < nbr; q++) {
    size_t r = 0;
    while (r < nd && br[r] != br[q]) r++;
    if (r == nd) br[nd++] = br[q];
  }
  size_t j;
  for (j = 0; j < nd; j++) {
    size_t l = br[j];
    if (P->forbidden[l]) { P->forbidden[l]++; continue; } /* excluded higher up: covered there */
    double *q = P->Q + d * n;
    memcpy(q, row_u(P, P->line_rep[l]), n * sizeof *q);
    project_out(P, d, q);
    double qn = norm2(q, n);
    if (!tiny(P, qn)) {
      for (size_t i = 0; i < n; i++) q[i] /= qn;
      hs_search(P, d + 1);
    }
    P->forbidden[l]++;
    if (P->status || P->timed_out || rep->verdict == RELUCAP_NOT_INJECTIVE) { j++; break; }
  }
  for (size_t i = 0; i < j; i++) P->forbidden[br[i]]--;
}

/* Seed the certificate cache with the antipodal pairs: rows u, -u with beta + beta' >= 0 have
 * lambda = (1/2, 1/2) (no LP needed; this closes every hyperplane of [B; -B]). */
static void seed_antipodal(layer_problem *P)
{
  for (size_t i = 0; i < P->k; i++)
    for (size_t j = i + 1; j < P->k; j++)
      if (antipodal(P, i, j)) {
        P->rows[0] = i;
        P->rows[1] = j;
        P->lam[0] = P->lam[1] = 0.5;
        remember_certificate(P, 2);
        break;
      }
}

/* Issue 6's depth solver is meant for small n; on a 2000 x 200 layer it overran a 0.5 s time
 * limit by 7.5 s (measured), so it is only called on layers of moderate size. */
static int depth_solver_fits(const relucap_layer *L) { return L->n <= 30 && L->m <= 300; }

/* Fast path for bias-free layers on R^n: issue 6's depth solver decides "min_{x != 0} |S(x)| >= n?"
 * (relucap/finite.h).  A point x with fewer than n rows in S(x) = {w_i.x >= 0} is a witness for
 * any data (fewer than n rows cannot span): v orthogonal to S(x), x2 = x + eps v, as in (4). */
static int count_witness(layer_problem *P, double budget)
{
  const relucap_layer *L = P->L;
  size_t n = L->n, m = L->m;
  relucap_depth_opts o = relucap_depth_opts_default();
  o.target = (int)n;
  o.time_limit = budget;
  relucap_depth_result d;
  memset(&d, 0, sizeof d);
  int found = 0, ds = relucap_depth_layer((int)m, (int)n, L->W, &o, &d);
  if ((ds == RELUCAP_SUCCESS || ds == RELUCAP_ETIME) && d.witness && d.upper >= 0 && (size_t)d.upper < n &&
      !tiny(P, d.witness_margin)) {
    double *WS = malloc(m * n * sizeof *WS), *sv = malloc(n * sizeof *sv), *V = malloc(n * n * sizeof *V);
    double *v = malloc(n * sizeof *v);
    size_t k = 0;
    if (WS && sv && V && v) {
      for (size_t i = 0; i < m; i++)
        if (dot(L->W + i * n, d.witness, n) >= 0) memcpy(WS + k++ * n, L->W + i * n, n * sizeof *WS);
      if (k < n && netcheck_svd(WS, k, n, sv, V, NULL) == 0) {
        for (size_t j = 0; j < n; j++) v[j] = V[j * n + n - 1]; /* a null vector of W_S */
        found = make_witness(P, d.witness, v);
      }
    }
    free(WS); free(sv); free(V); free(v);
  }
  relucap_depth_result_free(&d);
  if (found) P->rep->verdict = RELUCAP_NOT_INJECTIVE;
  return found;
}

/* Copy the certificates into the report in the caller's terms: rows of W (0-based) and
 * multipliers mu_i = (lambda_i / |w_i|) / sum, so that sum mu_i (w_i, b_i) lies in K* (5). */
static int export_certificates(layer_problem *P, relucap_layer_report *rep)
{
  rep->ncert = P->ncert;
  rep->certificates_complete = !P->cert_dropped;
  rep->cert_start = malloc((P->ncert + 1) * sizeof *rep->cert_start);
  rep->cert_rows = malloc((P->pool_len + 1) * sizeof *rep->cert_rows);
  rep->cert_lambda = malloc((P->pool_len + 1) * sizeof *rep->cert_lambda);
  if (!rep->cert_start || !rep->cert_rows || !rep->cert_lambda) return -1;
  size_t q = 0;
  for (size_t c = 0; c < P->ncert; c++) {
    rep->cert_start[c] = q;
    double sum = 0;
    size_t q0 = q;
    for (size_t e = 0; e < P->cert_len[c]; e++) {
      size_t i = P->cert_pool[P->cert_start[c] + e], r = P->orig[i];
      double mu = P->lam_pool[P->cert_start[c] + e] / norm2(P->L->W + r * P->n, P->n);
      rep->cert_rows[q] = r;
      rep->cert_lambda[q++] = mu;
      sum += mu;
    }
    for (size_t e = q0; e < q; e++) rep->cert_lambda[e] /= sum;
  }
  rep->cert_start[P->ncert] = q;
  return 0;
}

static double binomial(double a, double b)
{
  if (b < 0 || b > a) return 0;
  return exp(lgamma(a + 1) - lgamma(b + 1) - lgamma(a - b + 1));
}

/* Upper bound on the min active count from random points of the domain. */
static void sample_active(const relucap_layer *L, int orthant, relucap_layer_report *rep)
{
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  double *x = malloc(L->n * sizeof *x), bmax = 0;
  if (!r || !x) { gsl_rng_free(r); free(x); return; }
  gsl_rng_set(r, 20250101);
  for (size_t i = 0; L->b && i < L->m; i++) {
    double w = norm2(L->W + i * L->n, L->n);
    if (w > 0) bmax = fmax(bmax, fabs(L->b[i]) / w);
  }
  for (int s = 0; s < 400; s++) {
    double scale = (1 + bmax) * pow(10.0, (s % 4) - 1);
    for (size_t j = 0; j < L->n; j++) {
      x[j] = scale * gsl_ran_gaussian(r, 1.0);
      if (orthant) x[j] = fabs(x[j]);
    }
    size_t c = active_count(L, x);
    if (c < rep->active_upper) rep->active_upper = c;
  }
  gsl_rng_free(r);
  free(x);
}

/* exhaustive: enumerate the hyperplanes instead of the hitting-set search.  lean: the verdict
 * only - no count fast path, no active-count bounds from the depth solver (its callers in
 * src/finite/ have run that solver already), no exported certificates. */
static int check_layer(const relucap_layer *L, int orthant, double time_limit, int exhaustive,
                       int lean, relucap_layer_report *rep);

int relucap_netcheck_layer(const relucap_layer *L, int orthant, double time_limit,
                           relucap_layer_report *rep)
{
  return check_layer(L, orthant, time_limit, 0, 0, rep);
}

int relucap_netcheck_layer_enum(const relucap_layer *L, int orthant, double time_limit,
                                relucap_layer_report *rep)
{
  return check_layer(L, orthant, time_limit, 1, 0, rep);
}

/* relucap/finite.h: exact one-layer injectivity for any rows (ties, repeats, zero rows).  The
 * same criterion as relucap_netcheck_layer on R^n without bias, decided by the same hyperplane
 * search (docs/check.md (3')); kept as issue 6's entry point.  The witness pair x1, x2 = x1 + z
 * has every row with a_i.x1 >= 0 orthogonal to z (to RELUCAP_CHECK_TOL_PLANE). */
int relucap_injective_layer(int m, int n, const double *A, double time_limit, int *injective,
                            double *x_out, double *z_out)
{
  if (m < 1 || n < 1 || n > 32 || !A || !injective) RELUCAP_ERROR("rank test: bad arguments", RELUCAP_EINVAL);
  relucap_layer L = {(size_t)m, (size_t)n, (double *)A, NULL};
  relucap_layer_report rep;
  int st = check_layer(&L, 0, time_limit, 0, 1, &rep); /* arguments valid: rep is initialised */
  if (st) {
    relucap_layer_report_free(&rep);
    return st;
  }
  *injective = rep.verdict == RELUCAP_INJECTIVE;
  if (rep.verdict == RELUCAP_NOT_INJECTIVE)
    for (int j = 0; j < n; j++) {
      if (x_out) x_out[j] = rep.x1[j];
      if (z_out) z_out[j] = rep.x2[j] - rep.x1[j];
    }
  if (rep.verdict == RELUCAP_UNDECIDED) st = rep.timed_out ? RELUCAP_ETIME : RELUCAP_ENOPROG;
  relucap_layer_report_free(&rep);
  return st;
}

/* One pass of the layer check at the tolerances tol (the scaled layer L, time from t0): rank
 * (docs/check.md (2)), then the count witness and the hyperplane search.  Sets the verdict and
 * the search fields of rep; P is left to the caller to free (its certificates are exported). */
static int layer_pass(const relucap_layer *L, int orthant, double t0, double time_limit, int exhaustive, int lean,
                      const check_tol *tol, relucap_layer_report *rep, layer_problem *P)
{
  size_t n = L->n;
  memset(P, 0, sizeof *P);
  double near = 0;
  double *s = malloc(n * sizeof *s), *V = malloc(n * sizeof *V); /* s: singular values, V: a kernel vector */
  if (!s || !V) { free(s); free(V); return RELUCAP_ENOMEM; }
  int st = layer_rank(L, tol, &near, s, V, &rep->rank);
  if (!st) st = problem_init(P, L, orthant, tol);
  if (st) goto done;
  P->rep = rep;
  P->near = fmax(P->near, near); /* the rank's, and problem_init's line merges */
  rep->zero_rows = L->m - P->k;
  rep->lines = P->nlines;
  rep->hyperplanes_bound = binomial((double)P->nlines, (double)n - 1);
  if (rep->rank < n) {
    double *x1 = malloc(n * sizeof *x1), *x2 = malloc(n * sizeof *x2);
    if (!x1 || !x2) { free(x1); free(x2); st = RELUCAP_ENOMEM; goto done; }
    /* every row is "in the hyperplane": x2 = x1 + v/2 (v in ker W scaled to max |v_j| = 1) with
     * x1 = 0, or 1 in the orthant (room 1/2 either way) */
    double vmax = 0;
    for (size_t j = 0; j < n; j++) vmax = fmax(vmax, fabs(V[j]));
    for (size_t j = 0; j < n; j++) { x1[j] = orthant ? 1.0 : 0.0; x2[j] = x1[j] + 0.5 * V[j] / vmax; }
    rep->x1 = x1; rep->x2 = x2;
    rep->witness_diff = layer_witness_diff(L, x1, x2);
    rep->verdict = witness_accepted(P, x1, x2, rep->witness_diff) ? RELUCAP_NOT_INJECTIVE : RELUCAP_UNDECIDED;
    size_t c = active_count(L, x1);
    if (c < rep->active_upper) rep->active_upper = c;
    goto done;
  }
  if (!exhaustive && !lean && !L->b && !orthant && depth_solver_fits(L) &&
      count_witness(P, time_limit > 0 ? fmin(2.0, 0.1 * time_limit) : 2.0))
    goto done;
  P->t_end = time_limit > 0 ? t0 + time_limit : 0;
  if (!(P->Q = malloc(n * n * sizeof *P->Q))) { st = RELUCAP_ENOMEM; goto done; } /* the search's basis */
  if (exhaustive) {
    plane_dfs(P, 0, 0);
  } else {
    seed_antipodal(P);
    hs_search(P, 0);
  }
  rep->nodes = (size_t)P->nodes;
  st = P->status;
  if (st || rep->verdict == RELUCAP_NOT_INJECTIVE) goto done;
  rep->timed_out = P->timed_out;
  rep->open_hyperplanes = (size_t)P->open_planes;
  if (P->timed_out || P->open_planes) { rep->verdict = RELUCAP_UNDECIDED; goto done; }
  rep->verdict = RELUCAP_INJECTIVE;
  rep->active_lower = n; /* every S(x) spans R^n, so it has >= n rows */
done:
  free(s); free(V);
  return st;
}

/* The witness arrays of rep, dropped. */
static void drop_witness(relucap_layer_report *rep)
{
  free(rep->x1); free(rep->x2);
  rep->x1 = rep->x2 = NULL;
  rep->witness_diff = 0;
}

static int check_layer(const relucap_layer *L0, int orthant, double time_limit, int exhaustive,
                       int lean, relucap_layer_report *rep)
{
  if (!L0 || !rep || !L0->W || L0->m == 0 || L0->n == 0) RELUCAP_ERROR("empty layer", RELUCAP_EINVAL);
  double t0 = relucap_clock();
  memset(rep, 0, sizeof *rep);
  /* W' = 2^{-eW} W, b' = 2^{-eb} b, e. the binary exponents of their largest entries, on the
   * input x' = 2^{-s} x, s = eb - eW: W' x' + b' = 2^{-eb} (W x + b), the same layer up to a
   * positive factor on inputs and outputs (same verdict and certificates; witnesses are mapped
   * back at the end), with entries of unit scale even for weights of 1e300 or 1e-300. */
  int eW = max_exponent(L0->W, L0->m * L0->n), eb = max_exponent_or(L0->b, L0->m, eW);
  int sx = eb - eW;
  relucap_layer Ls;
  if (layer_scaled_copy(L0, -eW, -eb, &Ls)) RELUCAP_ERROR("out of memory", RELUCAP_ENOMEM);
  const relucap_layer *L = &Ls;
  size_t n = L->n;
  rep->checked = 1;
  rep->verdict = RELUCAP_UNDECIDED;
  rep->orthant = orthant;
  rep->m = L->m;
  rep->n = L->n;
  rep->active_upper = L->m;
  if (!lean) sample_active(L, orthant, rep);
  relucap_layer_report fresh = *rep; /* the state before a pass */
  layer_problem P;
  int st = RELUCAP_SUCCESS;
  /* The rank's Jacobi SVD alone costs ~1.5e-8 m n min(m, n) s (a 400 x 400 layer: 0.93 s) and
   * cannot be interrupted: with a limit a quarter of that, stop before it ("time limit"). */
  if (time_limit > 0 && 1.5e-8 * (double)L->m * (double)n * (double)(L->m < n ? L->m : n) > 4 * time_limit) {
    memset(&P, 0, sizeof P);
    rep->timed_out = 1;
  } else {
    st = layer_pass(L, orthant, t0, time_limit, exhaustive, lean, &TOL_DEFAULT, rep, &P);
  }
  if (!st && P.near > 0) {
    /* near-degenerate data (docs/check.md 4b): the verdict at the default tolerances treats them
     * as degenerate; decide the data as given at the tight tolerances, or not at all */
    double near = P.near, left = time_limit > 0 ? t0 + time_limit - relucap_clock() : 0;
    problem_free(&P);
    drop_witness(rep);
    *rep = fresh;
    st = layer_pass(L, orthant, relucap_clock(), time_limit > 0 ? fmax(left, 1e-9) : 0, exhaustive, lean, &TOL_TIGHT,
                    rep, &P);
    if (!st && P.near > 0) {
      drop_witness(rep);
      rep->verdict = RELUCAP_UNDECIDED;
      rep->active_lower = 0;
    }
    rep->near_degenerate = fmax(near, P.near);
  }
  rep->tolerance = P.tol ? P.tol->plane : RELUCAP_CHECK_TOL_PLANE;
  if (!st && !lean && !L->b && !orthant && depth_solver_fits(L)) {
    /* The closed count min_{x != 0} |S(x)| exactly: issue 6's depth solver (relucap/finite.h),
     * which counts negative rows and is exact for any data; a bounded share of the time. */
    double left = time_limit > 0 ? t0 + time_limit - relucap_clock() : 20;
    relucap_depth_opts o = relucap_depth_opts_default();
    o.time_limit = fmin(10.0, fmax(0.05, 0.5 * left));
    relucap_depth_result d;
    memset(&d, 0, sizeof d);
    int ds = relucap_depth_layer((int)L->m, (int)n, L->W, &o, &d);
    /* a count witness closer to a tie than the plane tolerance is not used: the rank test
     * treats such rows as exactly degenerate (e.g. a square built from cos/sin, docs/check.md 4) */
    if (d.witness_margin < rep->tolerance) d.upper = -1;
    if (ds == RELUCAP_SUCCESS || ds == RELUCAP_ETIME) {
      /* cross-check: a recounted point with fewer than n active rows contradicts "injective" */
      if (rep->verdict == RELUCAP_INJECTIVE && d.upper >= 0 && (size_t)d.upper < n) {
        rep->verdict = RELUCAP_UNDECIDED;
        rep->conflict = 1;
      }
      /* its lower bound rests on Gordan simplices accepted at residual 1e-9 (finite/layer.c):
       * not a proof for data closer than that to a degeneracy */
      if (rep->near_degenerate == 0 && (size_t)d.lower > rep->active_lower) rep->active_lower = (size_t)d.lower;
      if (d.upper >= 0 && (size_t)d.upper < rep->active_upper) rep->active_upper = (size_t)d.upper;
      rep->active_exact = d.upper >= 0 && rep->active_lower == rep->active_upper;
    }
    relucap_depth_result_free(&d);
  }
  if (rep->active_upper < rep->active_lower) rep->conflict = 1; /* inconsistent numerics: say so */
  if (!st && !lean && rep->verdict == RELUCAP_INJECTIVE && export_certificates(&P, rep)) st = RELUCAP_ENOMEM;
  problem_free(&P);
  free(Ls.W); free(Ls.b);
  unscale_layer_witness(rep, sx);
  if (!rep->x1 && rep->verdict == RELUCAP_NOT_INJECTIVE) rep->verdict = RELUCAP_UNDECIDED; /* not representable */
  rep->seconds = relucap_clock() - t0;
  if (st) RELUCAP_ERROR("layer check failed (LP solver)", st);
  return RELUCAP_SUCCESS;
}

void relucap_layer_report_free(relucap_layer_report *rep)
{
  if (!rep) return;
  free(rep->x1); free(rep->x2);
  free(rep->cert_start); free(rep->cert_rows); free(rep->cert_lambda);
  rep->x1 = rep->x2 = NULL;
  rep->cert_start = rep->cert_rows = NULL;
  rep->cert_lambda = NULL;
  rep->ncert = 0;
}

/* ------------------------------------------------------------------ networks */

size_t netcheck_max_width(const relucap_net *net)
{
  size_t w = 0;
  for (size_t k = 0; k < net->depth; k++) {
    if (net->layers[k].m > w) w = net->layers[k].m;
    if (net->layers[k].n > w) w = net->layers[k].n;
  }
  return w;
}

/* |f(x1) - f(x2)| / (|x1 - x2| prod_k |W_k|_F) with both forward passes in long double, and in
 * *rounding its bound: a pass of x is within e_L of the exact one, e_k = |W_k|_F e_{k-1} +
 * gamma_k (|W_k|_F |h_{k-1}| + |b_k|), e_0 = 0, gamma_k = 2 (n_k + 1) u_ld, so the bound is
 * (e_L(x1) + e_L(x2)) / (|x1 - x2| prod_k |W_k|_F).  (In double the bound, ~1e-15 |x| / |x1 - x2|
 * relative, admitted a pair 600 times closer than its norm with a true difference of 1.2e-12.) */
static double forward_diff_ld(const relucap_net *net, const double *x1, const double *x2, double *rounding)
{
  size_t n = relucap_net_input_dim(net), w = netcheck_max_width(net), mo = relucap_net_output_dim(net);
  long double *buf = malloc(5 * w * sizeof *buf);
  double lip = 1, dx2 = 0, diff = HUGE_VAL, err = 0;
  *rounding = HUGE_VAL;
  if (!buf) return HUGE_VAL;
  long double *out = buf + 4 * w, d2 = 0;
  for (size_t k = 0; k < net->depth; k++) lip *= frobenius(&net->layers[k]);
  for (int p = 0; p < 2; p++) {
    long double *cur = buf, *next = buf + w;
    const double *x = p ? x2 : x1;
    for (size_t j = 0; j < n; j++) cur[j] = x[j];
    double e = 0;
    for (size_t k = 0; k < net->depth; k++) {
      const relucap_layer *L = &net->layers[k];
      double wf = frobenius(L), hn = 0, gamma = 2.0 * (double)(L->n + 1) * (double)LDBL_EPSILON;
      for (size_t j = 0; j < L->n; j++) hn += (double)(cur[j] * cur[j]);
      e = wf * e + gamma * (wf * sqrt(hn) + (L->b ? norm2(L->b, L->m) : 0.0));
      for (size_t i = 0; i < L->m; i++) {
        long double z = L->b ? L->b[i] : 0.0L;
        for (size_t j = 0; j < L->n; j++) z += (long double)L->W[i * L->n + j] * cur[j];
        next[i] = z > 0 ? z : 0.0L;
      }
      long double *t = cur; cur = next; next = t;
    }
    if (p == 0) memcpy(out, cur, mo * sizeof *out);
    else
      for (size_t i = 0; i < mo; i++) d2 += (out[i] - cur[i]) * (out[i] - cur[i]);
    err += e;
  }
  for (size_t j = 0; j < n; j++) dx2 += (x1[j] - x2[j]) * (x1[j] - x2[j]);
  free(buf);
  if (dx2 > 0 && lip == 0) { /* a zero layer: f is constant */
    diff = d2 == 0 ? 0.0 : HUGE_VAL;
    *rounding = 0;
  } else if (dx2 > 0 && isfinite(err)) {
    diff = sqrt((double)d2) / (sqrt(dx2) * lip);
    *rounding = err / (sqrt(dx2) * lip);
  }
  return diff;
}

/* For x1, x2 with one activation pattern, robustly (every pre-activation of both points farther
 * from 0 than 8 times its rounding bound): f(x1) - f(x2) = J (x1 - x2) with J = D_L W_L ... D_1 W_1,
 * so propagate d = x1 - x2 through the pattern, |J d| / (|d| prod_k |W_k|_F), accurate where two
 * forward passes of nearby points cancel (a pair 1e-11 apart in a thin cone).  -1: the patterns
 * differ or are not robust. */
static double same_pattern_diff(const relucap_net *net, const double *x1, const double *x2)
{
  size_t n = relucap_net_input_dim(net), w = netcheck_max_width(net);
  double *buf = malloc(6 * w * sizeof *buf), result = -1, lip = 1;
  if (!buf) return -1;
  double *h1 = buf, *h2 = buf + w, *d = buf + 2 * w, *t1 = buf + 3 * w, *t2 = buf + 4 * w, *td = buf + 5 * w;
  memcpy(h1, x1, n * sizeof *h1);
  memcpy(h2, x2, n * sizeof *h2);
  for (size_t j = 0; j < n; j++) d[j] = x1[j] - x2[j];
  double dn = norm2(d, n);
  for (size_t k = 0; k < net->depth; k++) {
    const relucap_layer *L = &net->layers[k];
    double gamma = 8 * 2.0 * (double)(L->n + 1) * DBL_EPSILON;
    lip *= frobenius(L);
    for (size_t i = 0; i < L->m; i++) {
      const double *wi = L->W + i * L->n;
      double b = L->b ? L->b[i] : 0.0, a1 = fabs(b), a2 = fabs(b);
      for (size_t j = 0; j < L->n; j++) { a1 += fabs(wi[j] * h1[j]); a2 += fabs(wi[j] * h2[j]); }
      double z1 = dot(wi, h1, L->n) + b, z2 = dot(wi, h2, L->n) + b;
      if (a1 == fabs(b) && a2 == fabs(b)) { /* every product is 0 (structurally): z = b at both, exactly */
        t1[i] = t2[i] = b > 0 ? b : 0.0;
        td[i] = 0;
        continue;
      }
      if ((z1 > 0) != (z2 > 0) || !(fabs(z1) > gamma * a1) || !(fabs(z2) > gamma * a2)) goto done;
      t1[i] = z1 > 0 ? z1 : 0.0;
      t2[i] = z2 > 0 ? z2 : 0.0;
      td[i] = z1 > 0 ? dot(wi, d, L->n) : 0.0;
    }
    memcpy(h1, t1, L->m * sizeof *h1);
    memcpy(h2, t2, L->m * sizeof *h2);
    memcpy(d, td, L->m * sizeof *d);
  }
  if (dn > 0 && lip == 0) result = 0; /* a zero layer: f is constant (and d propagated to 0) */
  else if (dn > 0) result = norm2(d, relucap_net_output_dim(net)) / (dn * lip);
done:
  free(buf);
  return result;
}

int netcheck_witness_ok(const relucap_net *net, const double *x1, const double *x2, double *diff_out)
{
  /* one activation pattern: f(x1) - f(x2) = J (x1 - x2), without the cancellation of two forward
   * passes (the propagation's own rounding is ~n u) */
  /* (No allowance for the rounding of the stored pair, 2 u |x| / |x1 - x2|: it admitted
   * near-degenerate Jacobians at 1e-11; a pair 5e-4 apart at |x| = 2 in a slab is then undecided.) */
  double tol = NETCHECK_TOL_WITNESS;
  double ds = same_pattern_diff(net, x1, x2);
  if (ds >= 0) {
    if (diff_out) *diff_out = ds;
    return ds <= tol;
  }
  /* else two forward passes in long double, when their rounding is small against |x1 - x2| */
  double rounding, diff = forward_diff_ld(net, x1, x2, &rounding);
  if (diff_out) *diff_out = diff;
  return rounding <= NETCHECK_TOL_RESOLVE && diff <= tol + rounding;
}

int netcheck_set_witness(relucap_net_report *rep, const relucap_net *net, const double *x1,
                         const double *x2)
{
  size_t n = rep->n;
  double diff;
  if (!netcheck_witness_ok(net, x1, x2, &diff)) return 0;
  rep->x1 = malloc(n * sizeof *rep->x1);
  rep->x2 = malloc(n * sizeof *rep->x2);
  if (!rep->x1 || !rep->x2) {
    free(rep->x1); free(rep->x2); rep->x1 = rep->x2 = NULL;
    return 0;
  }
  memcpy(rep->x1, x1, n * sizeof *x1);
  memcpy(rep->x2, x2, n * sizeof *x2);
  rep->witness_diff = diff;
  rep->verdict = RELUCAP_NOT_INJECTIVE;
  rep->certified = 1;
  return 1;
}

/* Search linear regions of the whole map for a rank-deficient Jacobian J = D_L W_L ... D_1 W_1
 * (docs/check.md (7)): then x and x + eps u, u in ker J, give equal outputs. */
static int jacobian_search(const relucap_net *net, relucap_net_report *rep, double t_end)
{
  size_t n = rep->n, w = netcheck_max_width(net), L = net->depth;
  double *J = malloc(w * n * sizeof *J), *J2 = malloc(w * n * sizeof *J2);
  double *h = malloc(w * sizeof *h), *h2 = malloc(w * sizeof *h2), *x = malloc(n * sizeof *x);
  double *s = malloc(n * sizeof *s), *V = malloc(n * n * sizeof *V), *x2 = malloc(n * sizeof *x2);
  double *dh = malloc(w * sizeof *dh), *dh2 = malloc(w * sizeof *dh2);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  int found = 0;
  if (!J || !J2 || !h || !h2 || !x || !s || !V || !x2 || !dh || !dh2 || !r) goto done;
  gsl_rng_set(r, 7);
  double bmax = 0;
  for (size_t k = 0; k < L; k++)
    for (size_t i = 0; net->layers[k].b && i < net->layers[k].m; i++) bmax = fmax(bmax, fabs(net->layers[k].b[i]));
  /* one sample's SVD (w x n, ~1.5e-8 w n min(w, n) s) must fit in a quarter of the time left */
  double svd_cost = 1.5e-8 * (double)w * (double)n * (double)(w < n ? w : n);
  for (int sample = 0; sample < 2000 && !found; sample++) {
    if (t_end > 0 && (relucap_clock() > t_end || svd_cost > 4 * (t_end - relucap_clock()))) break;
    double scale = (1 + bmax) * pow(10.0, (sample % 3) - 1);
    for (size_t j = 0; j < n; j++) x[j] = h[j] = scale * gsl_ran_gaussian(r, 1.0);
    size_t rows = n; /* J starts as the identity */
    for (size_t i = 0; i < n; i++)
      for (size_t j = 0; j < n; j++) J[i * n + j] = (i == j);
    for (size_t k = 0; k < L; k++) {
      const relucap_layer *Lk = &net->layers[k];
      for (size_t i = 0; i < Lk->m; i++) {
        double z = dot(Lk->W + i * Lk->n, h, Lk->n) + (Lk->b ? Lk->b[i] : 0.0);
        h2[i] = z > 0 ? z : 0;
        for (size_t j = 0; j < n; j++) {
          double g = 0;
          if (z > 0)
            for (size_t c = 0; c < rows; c++) g += Lk->W[i * Lk->n + c] * J[c * n + j];
          J2[i * n + j] = g;
        }
      }
      memcpy(h, h2, Lk->m * sizeof *h);
      memcpy(J, J2, Lk->m * n * sizeof *J);
      rows = Lk->m;
    }
    if (netcheck_svd(J, rows, n, s, V, NULL)) continue;
    /* rank relative to the Lipschitz scale, so that J = 0 counts as rank 0 */
    double lip = 1;
    for (size_t k = 0; k < L; k++) lip *= frobenius(&net->layers[k]);
    size_t rk = 0;
    while (rk < n && s[rk] > RELUCAP_CHECK_TOL_RANK * lip) rk++;
    if (rk == n) continue;
    /* u = last right singular vector; eps keeps every pre-activation's sign */
    double eps = HUGE_VAL;
    for (size_t j = 0; j < n; j++) { h[j] = x[j]; dh[j] = V[j * n + n - 1]; }
    for (size_t k = 0; k < L; k++) {
      const relucap_layer *Lk = &net->layers[k];
      for (size_t i = 0; i < Lk->m; i++) {
        double z = dot(Lk->W + i * Lk->n, h, Lk->n) + (Lk->b ? Lk->b[i] : 0.0);
        double dz = dot(Lk->W + i * Lk->n, dh, Lk->n);
        if (fabs(dz) > 1e-12 * frobenius(Lk) && fabs(z) / fabs(dz) < eps) eps = fabs(z) / fabs(dz);
        h2[i] = z > 0 ? z : 0;
        dh2[i] = z > 0 ? dz : 0;
      }
      memcpy(h, h2, Lk->m * sizeof *h);
      memcpy(dh, dh2, Lk->m * sizeof *dh);
    }
    if (!isfinite(eps)) eps = scale;
    for (size_t j = 0; j < n; j++) x2[j] = x[j] + 0.5 * eps * V[j * n + n - 1];
    found = netcheck_set_witness(rep, net, x, x2);
  }
done:
  free(J); free(J2); free(h); free(h2); free(x); free(s); free(V); free(x2); free(dh); free(dh2);
  gsl_rng_free(r);
  return found;
}

/* Affine form of the whole network on the linear region of pattern pat (one char per neuron,
 * layer after layer): pre-activations z = Z x + zc (Ntot x n, Ntot) and output y = J x + cj
 * (mo x n, mo).  Work arrays G (w x n), g (w), T (w x n), t (w), w = max width. */
void netcheck_region_affine(const relucap_net *net, const char *pat, size_t n, double *Z, double *zc,
                          double *J, double *cj, double *G, double *g, double *T, double *t)
{
  size_t rows = n, off = 0;
  for (size_t i = 0; i < n; i++) {
    g[i] = 0;
    for (size_t j = 0; j < n; j++) G[i * n + j] = (i == j);
  }
  for (size_t k = 0; k < net->depth; k++) {
    const relucap_layer *L = &net->layers[k];
    for (size_t i = 0; i < L->m; i++) {
      for (size_t j = 0; j < n; j++) {
        double a = 0;
        for (size_t c = 0; c < rows; c++) a += L->W[i * L->n + c] * G[c * n + j];
        Z[(off + i) * n + j] = a;
      }
      double a = L->b ? L->b[i] : 0.0;
      for (size_t c = 0; c < rows; c++) a += L->W[i * L->n + c] * g[c];
      zc[off + i] = a;
      int on = pat[off + i];
      for (size_t j = 0; j < n; j++) T[i * n + j] = on ? Z[(off + i) * n + j] : 0.0;
      t[i] = on ? a : 0.0;
    }
    memcpy(G, T, L->m * n * sizeof *G);
    memcpy(g, t, L->m * sizeof *g);
    rows = L->m;
    off += L->m;
  }
  memcpy(J, G, rows * n * sizeof *J);
  memcpy(cj, g, rows * sizeof *cj);
}

/* Collisions between two linear regions (docs/check.md (8)): for sampled regions a != b, the LP
 *   max mu  s.t.  s_i (Z_a x1 + zc_a)_i >= mu |Z_a,i|,  s_i (Z_b x2 + zc_b)_i >= mu |Z_b,i|,
 *                 J_a x1 + cj_a = J_b x2 + cj_b,  |x| <= R,  mu <= 1;
 * mu* > 0 puts x1, x2 in the interiors of two different regions (so x1 != x2) with equal
 * outputs.  This finds folds such as relu(x) + relu(-x) that have full-rank Jacobians. */
static int region_pair_search(const relucap_net *net, relucap_net_report *rep, double t_end)
{
  size_t n = rep->n, w = netcheck_max_width(net), mo = relucap_net_output_dim(net), N = 0;
  for (size_t k = 0; k < net->depth; k++) N += net->layers[k].m;
  enum { MAXREG = 32 };
  char *pats = malloc(MAXREG * N);
  double *Z = malloc(2 * N * n * sizeof *Z), *zc = malloc(2 * N * sizeof *zc);
  double *J = malloc(2 * mo * n * sizeof *J), *cj = malloc(2 * mo * sizeof *cj);
  double *G = malloc(w * n * sizeof *G), *g = malloc(w * sizeof *g), *T = malloc(w * n * sizeof *T);
  double *t = malloc(w * sizeof *t), *x = malloc(n * sizeof *x), *h = malloc(w * sizeof *h), *h2 = malloc(w * sizeof *h2);
  size_t nr = 2 * N + mo, nc = 2 * n + 1;
  double *A = malloc(nr * nc * sizeof *A), *lo = malloc(nr * sizeof *lo), *up = malloc(nr * sizeof *up);
  double *clo = malloc(nc * sizeof *clo), *cup = malloc(nc * sizeof *cup), *obj = calloc(nc, sizeof *obj);
  double *sol = malloc(nc * sizeof *sol);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  int found = 0, nreg = 0;
  if (!pats || !Z || !zc || !J || !cj || !G || !g || !T || !t || !x || !h || !h2 || !A || !lo || !up ||
      !clo || !cup || !obj || !sol || !r)
    goto done;
  gsl_rng_set(r, 11);
  double bmax = 0;
  for (size_t k = 0; k < net->depth; k++)
    for (size_t i = 0; net->layers[k].b && i < net->layers[k].m; i++) bmax = fmax(bmax, fabs(net->layers[k].b[i]));
  double R = 10 * (1 + bmax);
  for (int sample = 0; sample < 400 && nreg < MAXREG; sample++) { /* distinct regions */
    double scale = (1 + bmax) * pow(10.0, (sample % 3) - 1);
    for (size_t j = 0; j < n; j++) h[j] = scale * gsl_ran_gaussian(r, 1.0);
    char *pat = pats + (size_t)nreg * N;
    size_t off = 0;
    for (size_t k = 0; k < net->depth; k++) {
      const relucap_layer *L = &net->layers[k];
      for (size_t i = 0; i < L->m; i++) {
        double z = dot(L->W + i * L->n, h, L->n) + (L->b ? L->b[i] : 0.0);
        pat[off + i] = z > 0;
        h2[i] = z > 0 ? z : 0;
      }
      memcpy(h, h2, L->m * sizeof *h);
      off += L->m;
    }
    int seen = 0;
    for (int q = 0; q < nreg && !seen; q++) seen = memcmp(pats + (size_t)q * N, pat, N) == 0;
    if (!seen) nreg++;
  }
  for (int a = 0; a < nreg && !found; a++)
    for (int b = a + 1; b < nreg && !found; b++) {
      if (t_end > 0 && relucap_clock() > t_end) goto done;
      netcheck_region_affine(net, pats + (size_t)a * N, n, Z, zc, J, cj, G, g, T, t);
      netcheck_region_affine(net, pats + (size_t)b * N, n, Z + N * n, zc + N, J + mo * n, cj + mo, G, g, T, t);
      memset(A, 0, nr * nc * sizeof *A);
      for (int side = 0; side < 2; side++) {
        const char *pat = pats + (size_t)(side ? b : a) * N;
        for (size_t i = 0; i < N; i++) {
          const double *zi = Z + (side * N + i) * n;
          double sgn = pat[i] ? 1.0 : -1.0, zn = norm2(zi, n);
          double *row = A + (side * N + i) * nc;
          /* -s z_i . x + |z_i| mu <= s zc_i */
          for (size_t j = 0; j < n; j++) row[side * n + j] = -sgn * zi[j];
          row[2 * n] = zn;
          lo[side * N + i] = -HUGE_VAL;
          up[side * N + i] = sgn * zc[side * N + i];
        }
      }
      for (size_t i = 0; i < mo; i++) { /* J_a x1 - J_b x2 = cj_b - cj_a */
        double *row = A + (2 * N + i) * nc;
        for (size_t j = 0; j < n; j++) { row[j] = J[i * n + j]; row[n + j] = -J[(mo + i) * n + j]; }
        lo[2 * N + i] = up[2 * N + i] = cj[mo + i] - cj[i];
      }
      for (size_t j = 0; j < 2 * n; j++) { clo[j] = -R; cup[j] = R; }
      clo[2 * n] = -1;
      cup[2 * n] = 1;
      obj[2 * n] = -1;
      relucap_lp_outcome out;
      if (relucap_lp_solve((int)nr, (int)nc, A, lo, up, clo, cup, obj, sol, NULL, NULL, &out)) continue;
      if (out != RELUCAP_LP_OPTIMAL || !(sol[2 * n] > 1e-9 * R)) continue;
      found = netcheck_set_witness(rep, net, sol, sol + n); /* (CLP is feasible to 1e-7 only: the check decides) */
    }
done:
  free(pats); free(Z); free(zc); free(J); free(cj); free(G); free(g); free(T); free(t); free(x);
  free(h); free(h2); free(A); free(lo); free(up); free(clo); free(cup); free(obj); free(sol);
  gsl_rng_free(r);
  return found;
}

static int report_init(const relucap_net *net, relucap_net_report *rep)
{
  memset(rep, 0, sizeof *rep);
  rep->verdict = RELUCAP_UNDECIDED;
  rep->n = relucap_net_input_dim(net);
  rep->depth = net->depth;
  rep->layers = calloc(net->depth, sizeof *rep->layers);
  if (!rep->layers) RELUCAP_ERROR("out of memory", RELUCAP_ENOMEM);
  for (size_t k = 0; k < net->depth; k++) { /* layers after a decisive layer 1 stay unchecked */
    rep->layers[k].verdict = RELUCAP_UNDECIDED;
    rep->layers[k].m = net->layers[k].m;
    rep->layers[k].n = net->layers[k].n;
    rep->layers[k].orthant = k > 0;
    rep->layers[k].active_upper = net->layers[k].m;
  }
  return RELUCAP_SUCCESS;
}

int relucap_netcheck_by_regions(const relucap_net *net, double time_limit, relucap_net_report *rep)
{
  return relucap_netcheck_by_regions_flags(net, time_limit, 0, rep);
}

int relucap_netcheck_by_regions_flags(const relucap_net *net, double time_limit, unsigned flags,
                                      relucap_net_report *rep)
{
  if (!net || !rep || net->depth == 0) RELUCAP_ERROR("empty network", RELUCAP_EINVAL);
  double t0 = relucap_clock();
  scaled_net S;
  int st = report_init(net, rep);
  if (st) return st;
  if ((st = scaled_net_init(&S, net))) RELUCAP_ERROR("out of memory", st);
  st = netcheck_regions(&S.net, time_limit > 0 ? t0 + time_limit : 0, flags, rep);
  scaled_net_free(&S);
  if (!st && rep->verdict == RELUCAP_UNDECIDED)
    snprintf(rep->reason, sizeof rep->reason, "region search stopped: %s",
             rep->regions.stopped ? rep->regions.stopped : "no verdict");
  rep->seconds = relucap_clock() - t0;
  return st;
}

static int check_net(const relucap_net *net, double time_limit, relucap_net_report *rep);
static int invert_net(const relucap_net *net, const double *y, double tol, relucap_invert_result *res);

int relucap_netcheck(const relucap_net *net, double time_limit, relucap_net_report *rep)
{
  if (!net || !rep || net->depth == 0) RELUCAP_ERROR("empty network", RELUCAP_EINVAL);
  scaled_net S;
  if (scaled_net_init(&S, net)) {
    memset(rep, 0, sizeof *rep);
    RELUCAP_ERROR("out of memory", RELUCAP_ENOMEM);
  }
  int st = check_net(&S.net, time_limit, rep);
  for (size_t k = 0; rep->layers && k < rep->depth; k++) unscale_layer_witness(&rep->layers[k], S.C[k]);
  scaled_net_free(&S);
  return st;
}

/* relucap_netcheck on the scaled network (the network witness is in input units: C_0 = 0). */
static int check_net(const relucap_net *net, double time_limit, relucap_net_report *rep)
{
  double t0 = relucap_clock(), t_end = time_limit > 0 ? t0 + time_limit : 0;
  int st0 = report_init(net, rep);
  if (st0) return st0;
  size_t first_bad = net->depth;
  for (size_t k = 0; k < net->depth; k++) {
    double left = t_end > 0 ? t_end - relucap_clock() : 0;
    if (t_end > 0 && left <= 0 && first_bad < net->depth) break; /* out of time, undecided anyway: the
                                  rest stays unchecked (a 400 x 400 layer's SVD alone took 1 s) */
    if (t_end > 0 && left <= 0) left = 1e-9;
    int st = relucap_netcheck_layer(&net->layers[k], k > 0, left, &rep->layers[k]);
    rep->layers[k].checked = 1;
    if (st) { rep->seconds = relucap_clock() - t0; return st; }
    if (first_bad == net->depth && rep->layers[k].verdict != RELUCAP_INJECTIVE) first_bad = k;
    if (k == 0 && rep->layers[0].verdict == RELUCAP_NOT_INJECTIVE) break; /* decided */
  }
  if (first_bad == net->depth) {
    rep->verdict = RELUCAP_INJECTIVE;
    rep->certified = 1;
    snprintf(rep->reason, sizeof rep->reason,
             "layer 1 is injective on R^n and every later layer on the non-negative orthant");
  } else if (first_bad == 0 && rep->layers[0].verdict == RELUCAP_NOT_INJECTIVE &&
             netcheck_set_witness(rep, net, rep->layers[0].x1, rep->layers[0].x2)) {
    snprintf(rep->reason, sizeof rep->reason, "layer 1 is not injective: its witness pair passes through the network");
  } else {
    /* a later layer fails (or layer 1 is undecided): look for a witness of the whole map */
    int found = 0;
    const relucap_layer_report *bad = &rep->layers[first_bad];
    if (first_bad > 0 && bad->verdict == RELUCAP_NOT_INJECTIVE) {
      /* does the layer's witness pair lie in the image of the layers before it? */
      relucap_net head = {first_bad, net->layers};
      relucap_invert_result r1 = {0}, r2 = {0};
      if (invert_net(&head, bad->x1, 1e-10, &r1) == RELUCAP_SUCCESS &&
          invert_net(&head, bad->x2, 1e-10, &r2) == RELUCAP_SUCCESS)
        found = netcheck_set_witness(rep, net, r1.x, r2.x);
      relucap_invert_result_free(&r1);
      relucap_invert_result_free(&r2);
      if (found)
        snprintf(rep->reason, sizeof rep->reason, "layer %zu is not injective on the image of the layers before it", first_bad + 1);
    }
    if (!found && jacobian_search(net, rep, t_end > 0 ? t_end : relucap_clock() + 30))
      snprintf(rep->reason, sizeof rep->reason, "a linear region of the whole map has a rank-deficient Jacobian");
    else if (!found && net->depth > 1 && region_pair_search(net, rep, t_end > 0 ? t_end : relucap_clock() + 30))
      snprintf(rep->reason, sizeof rep->reason, "two linear regions of the whole map overlap in their images");
    else if (!found && first_bad > 0) {
      /* layer 1 is injective: decide the whole map exactly by its linear regions */
      int st = netcheck_regions(net, t_end, 0, rep);
      if (st) { rep->seconds = relucap_clock() - t0; return st; }
      relucap_region_report *R = &rep->regions;
      double near = 0;
      for (size_t k = 0; k < net->depth; k++) near = fmax(near, rep->layers[k].near_degenerate);
      if (rep->verdict == RELUCAP_INJECTIVE && near > 0) {
        /* the regions' LPs (tolerance 1e-10) cannot resolve the thin cells of such layers */
        rep->verdict = RELUCAP_UNDECIDED;
        rep->certified = 0;
        R->complete = 0;
        R->stopped = "near-degenerate layers: cells thinner than the LP tolerances may be missed";
      }
      if (rep->verdict == RELUCAP_UNDECIDED)
        snprintf(rep->reason, sizeof rep->reason,
                 "layer %zu fails the layer-wise test and the exhaustive region search stopped (%s) after "
                 "%zu regions and %zu of %zu region pairs, no witness: undecided",
                 first_bad + 1, R->stopped ? R->stopped : "no verdict", R->regions, R->pairs_examined, R->pairs);
    }
    else if (!found && bad->verdict == RELUCAP_UNDECIDED && bad->near_degenerate > 0)
      snprintf(rep->reason, sizeof rep->reason,
               "layer %zu undecided: a near-degenerate quantity of %.2g (relative: a tie, rank drop or parallel "
               "pair inside the tolerances, or a witness unresolved below 1e-13), also at tolerance %g; no witness",
               first_bad + 1, bad->near_degenerate, RELUCAP_CHECK_TOL_TIGHT);
    else if (!found && bad->verdict == RELUCAP_UNDECIDED)
      snprintf(rep->reason, sizeof rep->reason,
               "layer %zu undecided: %s; %zu of at most %.3g hyperplanes closed, %zu open, no witness",
               first_bad + 1, bad->timed_out ? "time limit reached" : "some hyperplanes unresolved",
               bad->hyperplanes, bad->hyperplanes_bound, bad->open_hyperplanes);
    else if (!found && first_bad == 0)
      snprintf(rep->reason, sizeof rep->reason,
               "layer 1's witness pair did not pass the network's witness test (relative output difference "
               "%.2g, above 1e-13 or unresolved): undecided", bad->witness_diff);
    else if (!found)
      snprintf(rep->reason, sizeof rep->reason,
               "layer %zu is not injective on the non-negative orthant, no witness in the image of the "
               "layers before it was found (layer-wise tests are only sufficient): undecided", first_bad + 1);
  }
  rep->seconds = relucap_clock() - t0;
  return RELUCAP_SUCCESS;
}

void relucap_net_report_free(relucap_net_report *rep)
{
  if (!rep) return;
  for (size_t k = 0; rep->layers && k < rep->depth; k++) relucap_layer_report_free(&rep->layers[k]);
  free(rep->layers);
  free(rep->x1);
  free(rep->x2);
  memset(rep, 0, sizeof *rep);
}

/* ------------------------------------------------------------------ inversion */

/* Preimage of y under one layer (docs/check.md section 6): least squares on the active rows,
 * then, if they leave a null space N, the max-slack point of {h0 + N z : inactive rows <= 0,
 * (h >= 0 if nonneg)}.  *dim = dimension of the solution set (upper bound if degenerate). */
/* z = T^+ g (T = U S V^T, k x d, full column rank d, the tight rows of G) replaces the LP solution sol[0..d) if it
 * keeps every constraint G z <= gup of the inversion LP (t = 0, units of hscale) within 1e-9. */
static void polish_point(const double *G, const double *gup, size_t nrow, size_t ncol, const double *g,
                         size_t k, const double *s, const double *V, const double *U, double *sol)
{
  size_t d = ncol - 1;
  double *z = calloc(d, sizeof *z);
  if (!z) return;
  for (size_t c = 0; c < d; c++) {
    double p = 0;
    for (size_t i = 0; i < k; i++) p += U[i * d + c] * g[i];
    for (size_t j = 0; j < d; j++) z[j] += V[j * d + c] * p / s[c];
  }
  int ok = 1;
  for (size_t i = 0; i < nrow && ok; i++) ok = dot(G + i * ncol, z, d) - gup[i] <= 1e-9;
  if (ok) memcpy(sol, z, d * sizeof *z);
  free(z);
}

static int invert_layer(const relucap_layer *L, const double *y, int nonneg, double *h, size_t *dim)
{
  size_t m = L->m, n = L->n, na = 0;
  double ymax = 0;
  for (size_t i = 0; i < m; i++) ymax = fmax(ymax, fabs(y[i]));
  double tau = 1e-9 * ymax; /* "active": y_i above the noise of recovered values */
  size_t r = m > n ? m : n;
  double *WA = malloc(m * n * sizeof *WA), *rhs = malloc(m * sizeof *rhs), *s = malloc(n * sizeof *s);
  double *V = malloc(n * n * sizeof *V), *U = malloc(r * n * sizeof *U);
  size_t *act = malloc(m * sizeof *act);
  char *is_act = calloc(m, 1);
  int st = RELUCAP_SUCCESS;
  double *G = NULL, *gup = NULL, *clo = NULL, *cup = NULL, *obj = NULL, *sol = NULL;
  if (!WA || !rhs || !s || !V || !U || !act || !is_act) { st = RELUCAP_ENOMEM; goto done; }
  for (size_t i = 0; i < m; i++)
    if (y[i] > tau) {
      memcpy(WA + na * n, L->W + i * n, n * sizeof *WA);
      rhs[na] = y[i] - (L->b ? L->b[i] : 0.0);
      act[na++] = i;
      is_act[i] = 1;
    }
  for (size_t j = 0; j < n; j++) h[j] = 0;
  size_t rank = 0;
  if (na > 0) {
    if ((st = netcheck_svd(WA, na, n, s, V, U))) goto done;
    /* the rank at the tight tolerance (docs/check.md 4b): y is given, and an ill-conditioned but
     * invertible active system (B = [[1,0],[1,1e-10]]) has one exact preimage, which truncation
     * at 1e-10 replaced by a "1-dimensional" set with residual 5e-11 */
    rank = 0;
    while (rank < n && s[rank] > RELUCAP_CHECK_TOL_TIGHT * s[0]) rank++;
    for (size_t c = 0; c < rank; c++) { /* h0 = V S^+ U^T rhs */
      double p = 0;
      for (size_t i = 0; i < na; i++) p += U[i * n + c] * rhs[i];
      for (size_t j = 0; j < n; j++) h[j] += V[j * n + c] * p / s[c];
    }
  } else {
    for (size_t j = 0; j < n; j++)
      for (size_t c = 0; c < n; c++) V[j * n + c] = (j == c);
  }
  size_t d = n - rank;
  *dim = 0;
  if (d == 0) goto done;
  /* LP in (z, t): maximise t s.t. (w_i N) z + |w_i| t <= -(w_i h0 + b_i) for inactive i,
   * -(N z)_j + t <= h0_j if nonneg;  t <= 1. */
  size_t nrow = (m - na) + (nonneg ? n : 0), ncol = d + 1;
  G = calloc(nrow * ncol, sizeof *G);
  gup = malloc(nrow * sizeof *gup);
  clo = malloc(ncol * sizeof *clo);
  cup = malloc(ncol * sizeof *cup);
  obj = calloc(ncol, sizeof *obj);
  sol = malloc(ncol * sizeof *sol);
  if (!G || !gup || !clo || !cup || !obj || !sol) { st = RELUCAP_ENOMEM; goto done; }
  size_t q = 0;
  double hscale = 1 + norm2(h, n);
  for (size_t i = 0; i < m; i++) {
    if (is_act[i]) continue;
    const double *w = L->W + i * n;
    for (size_t c = 0; c < d; c++) {
      double g = 0;
      for (size_t j = 0; j < n; j++) g += w[j] * V[j * n + rank + c];
      G[q * ncol + c] = g;
    }
    G[q * ncol + d] = norm2(w, n);
    gup[q++] = -(dot(w, h, n) + (L->b ? L->b[i] : 0.0));
  }
  for (size_t j = 0; nonneg && j < n; j++) {
    for (size_t c = 0; c < d; c++) G[q * ncol + c] = -V[j * n + rank + c];
    G[q * ncol + d] = 1.0;
    gup[q++] = h[j];
  }
  for (size_t c = 0; c < ncol; c++) { clo[c] = -HUGE_VAL; cup[c] = HUGE_VAL; }
  /* in units of hscale: CLP's tolerances are absolute (y ~ 1e25 through the fold |x| failed
   * the LP and was then called unique) */
  for (size_t i = 0; i < nrow; i++) gup[i] /= hscale;
  cup[d] = 1.0; /* bounded slack */
  obj[d] = -1.0;
  relucap_lp_outcome out;
  int lst = relucap_lp_solve((int)nrow, (int)ncol, G, NULL, gup, clo, cup, obj, sol, NULL, NULL, &out);
  if (lst == RELUCAP_SUCCESS && out == RELUCAP_LP_OPTIMAL) {
    double t = sol[d];
    if (t > 1e-9) *dim = d;  /* an interior point: the set is d-dimensional */
    else if (t >= -1e-9) {   /* feasible but flat: d minus the tight directions */
      size_t tight = 0, rt = d > nrow ? d : nrow;
      double *T = malloc(nrow * d * sizeof *T), *gt = malloc(nrow * sizeof *gt);
      double *s2 = malloc(d * sizeof *s2), *V2 = malloc(d * d * sizeof *V2), *U2 = malloc(rt * d * sizeof *U2);
      if (T && gt && s2 && V2 && U2) {
        for (size_t i = 0; i < nrow; i++) {
          double sl = gup[i] - dot(G + i * ncol, sol, d) - G[i * ncol + d] * t;
          if (sl <= 1e-9) {
            memcpy(T + tight * d, G + i * ncol, d * sizeof *T);
            gt[tight++] = gup[i];
          }
        }
        if (tight > 0 && netcheck_svd(T, tight, d, s2, V2, U2) == 0) {
          size_t r2 = num_rank(s2, d);
          *dim = d - r2;
          /* a single point: the tight rows as equalities T z = g locate it to rounding, where
           * the LP vertex carries its tolerance (y = 0 of [B; -B] gave x ~ 1e-12, not 0) */
          if (r2 == d) polish_point(G, gup, nrow, ncol, gt, tight, s2, V2, U2, sol);
        } else if (tight == 0) *dim = d;
      }
      free(s2); free(V2); free(U2); free(T); free(gt);
    }
    for (size_t j = 0; j < n; j++)
      for (size_t c = 0; c < d; c++) h[j] += V[j * n + rank + c] * sol[c] * hscale;
  } else {
    *dim = d; /* the LP failed: no claim that the preimage is a point */
  }
done:
  free(WA); free(rhs); free(s); free(V); free(U); free(act); free(is_act);
  free(G); free(gup); free(clo); free(cup); free(obj); free(sol);
  return st;
}

/* |f(x) - y| / |y| (|f(x) - y| when y = 0); work: mo + 2 w doubles. */
static double relative_residual(const relucap_net *net, const double *x, const double *y, double *work)
{
  size_t mo = relucap_net_output_dim(net);
  relucap_net_forward(net, x, work, work + mo);
  double d2 = 0, y2 = 0, sc = 0; /* sums of squares in units of the largest entry: no overflow */
  for (size_t i = 0; i < mo; i++) sc = fmax(sc, fmax(fabs(y[i]), fabs(work[i] - y[i])));
  if (!(sc > 0)) return isfinite(sc) ? 0.0 : HUGE_VAL;
  for (size_t i = 0; i < mo; i++) {
    double d = (work[i] - y[i]) / sc, v = y[i] / sc;
    d2 += d * d;
    y2 += v * v;
  }
  return y2 > 0 ? sqrt(d2 / y2) : sqrt(d2) * sc;
}

/* Newton steps on the whole map: with the pattern of x, f = J x + c near x; on the active outputs
 * (y_i > 1e-9 max|y|) x += J_A^+ (y_A - J_A x - c_A), kept while the residual falls.  The layer by
 * layer solve accumulates rounding through the layers (3.7e-10 relative at depth 4); this takes it
 * back to ~1e-16 when J_A has rank n. */
static void refine_input(const relucap_net *net, const double *y, double *x)
{
  size_t n = relucap_net_input_dim(net), mo = relucap_net_output_dim(net), w = netcheck_max_width(net), N = 0;
  for (size_t k = 0; k < net->depth; k++) N += net->layers[k].m;
  char *pat = malloc(N);
  double *Z = malloc(N * n * sizeof *Z), *zc = malloc(N * sizeof *zc), *J = malloc(mo * n * sizeof *J);
  double *cj = malloc(mo * sizeof *cj), *G = malloc(w * n * sizeof *G), *g = malloc(w * sizeof *g);
  double *T = malloc(w * n * sizeof *T), *t = malloc(w * sizeof *t), *B = malloc(mo * n * sizeof *B);
  double *r = malloc(mo * sizeof *r), *sv = malloc(n * sizeof *sv), *V = malloc(n * n * sizeof *V);
  double *U = malloc((mo > n ? mo : n) * n * sizeof *U), *x2 = malloc(n * sizeof *x2), *h = malloc(2 * w * sizeof *h);
  double *work = malloc((mo + 2 * w) * sizeof *work);
  if (!pat || !Z || !zc || !J || !cj || !G || !g || !T || !t || !B || !r || !sv || !V || !U || !x2 || !h || !work) goto done;
  double ymax = 0;
  for (size_t i = 0; i < mo; i++) ymax = fmax(ymax, fabs(y[i]));
  double best = relative_residual(net, x, y, work);
  for (int step = 0; step < 3 && best > 0; step++) {
    const double *in = x; /* the pattern of x */
    double *out = h;
    for (size_t k = 0, off = 0; k < net->depth; k++) {
      const relucap_layer *L = &net->layers[k];
      for (size_t i = 0; i < L->m; i++) {
        double z = dot(L->W + i * L->n, in, L->n) + (L->b ? L->b[i] : 0.0);
        pat[off + i] = z > 0;
        out[i] = z > 0 ? z : 0.0;
      }
      off += L->m;
      in = out;
      out = out == h ? h + w : h;
    }
    netcheck_region_affine(net, pat, n, Z, zc, J, cj, G, g, T, t);
    size_t k = 0;
    for (size_t i = 0; i < mo; i++)
      if (y[i] > 1e-9 * ymax) {
        memcpy(B + k * n, J + i * n, n * sizeof *B);
        r[k++] = y[i] - dot(J + i * n, x, n) - cj[i];
      }
    if (k < n || netcheck_svd(B, k, n, sv, V, U) || !(sv[n - 1] > RELUCAP_CHECK_TOL_RANK * sv[0])) break;
    for (size_t c = 0; c < n; c++) { /* delta = V Sigma^-1 U^T r */
      double a = 0;
      for (size_t i = 0; i < k; i++) a += U[i * n + c] * r[i];
      t[c] = a / sv[c];
    }
    for (size_t j = 0; j < n; j++) x2[j] = x[j] + dot(V + j * n, t, n);
    double res2 = relative_residual(net, x2, y, work);
    if (!(res2 < best)) break;
    best = res2;
    memcpy(x, x2, n * sizeof *x);
  }
done:
  free(pat); free(Z); free(zc); free(J); free(cj); free(G); free(g); free(T); free(t); free(B); free(r);
  free(sv); free(V); free(U); free(x2); free(h); free(work);
}

/* The scaled problem of relucap_net_invert: y' = 2^{-C_L} y on the scaled network (x in input
 * units; the relative residual is unchanged).  Returns NULL after setting *st on failure. */
static double *scaled_output(const relucap_net *net, const double *y, scaled_net *S, int *st)
{
  size_t mo = relucap_net_output_dim(net);
  double *ys = malloc(mo * sizeof *ys);
  *st = ys ? scaled_net_init(S, net) : RELUCAP_ENOMEM;
  if (*st) { free(ys); return NULL; }
  for (size_t i = 0; i < mo; i++) ys[i] = ldexp(y[i], -S->C[net->depth]);
  return ys;
}

/* The residual |f(x) - y| / |y| on the GIVEN network whenever its forward pass is representable
 * (the scaled one can lose y to underflow: 1e300 x 1e300 weights, y = 1 needs x = 1e-600): a
 * success whose given-network residual exceeds tol becomes RELUCAP_EINFEAS. */
static int residual_on_given(const relucap_net *net, const double *y, double tol, relucap_invert_result *res, int st)
{
  if (!res->x || (st != RELUCAP_SUCCESS && st != RELUCAP_EINFEAS)) return st;
  size_t mo = relucap_net_output_dim(net), w = netcheck_max_width(net);
  double *work = malloc((mo + 2 * w) * sizeof *work);
  if (!work) return st;
  double r = relative_residual(net, res->x, y, work);
  free(work);
  if (!isfinite(r)) return st; /* the given network overflows at x: keep the scaled residual */
  res->residual = r;
  if (st == RELUCAP_SUCCESS && !(r <= (tol > 0 ? tol : 1e-8))) st = RELUCAP_EINFEAS;
  return st;
}

static int invert_scaled(const relucap_net *net, const double *y, double tol, double time_limit, int exact,
                         relucap_invert_result *res);

int relucap_net_invert(const relucap_net *net, const double *y, double tol, relucap_invert_result *res)
{
  return invert_scaled(net, y, tol, 0, 0, res);
}

/* Layer-by-layer inversion (docs/check.md section 6). */
static int invert_net(const relucap_net *net, const double *y, double tol, relucap_invert_result *res)
{
  memset(res, 0, sizeof *res);
  res->unique = 1;
  if (!(tol > 0)) tol = 1e-8;
  size_t w = netcheck_max_width(net), n = relucap_net_input_dim(net), mo = relucap_net_output_dim(net);
  double *cur = malloc(w * sizeof *cur), *prev = malloc(w * sizeof *prev);
  double *fy = malloc((mo + 2 * w) * sizeof *fy);
  if (!cur || !prev || !fy) {
    free(cur); free(prev); free(fy);
    RELUCAP_ERROR("out of memory", RELUCAP_ENOMEM);
  }
  memcpy(cur, y, mo * sizeof *cur);
  int st = RELUCAP_SUCCESS;
  for (size_t k = net->depth; k-- > 0;) {
    size_t dim = 0;
    st = invert_layer(&net->layers[k], cur, k > 0, prev, &dim);
    if (st) break;
    if (dim > 0 && res->unique) {
      res->unique = 0;
      res->dim = dim;
      res->dim_layer = k + 1;
    }
    memcpy(cur, prev, net->layers[k].n * sizeof *cur);
  }
  if (st == RELUCAP_SUCCESS) {
    res->x = malloc(n * sizeof *res->x);
    if (!res->x) st = RELUCAP_ENOMEM;
    else {
      memcpy(res->x, cur, n * sizeof *cur);
      if (res->unique) refine_input(net, y, res->x);
      res->residual = relative_residual(net, res->x, y, fy);
      if (!(res->residual <= tol)) st = RELUCAP_EINFEAS;
    }
  }
  free(cur); free(prev); free(fy);
  if (st == RELUCAP_EINFEAS) return st; /* a result, not a malfunction: no error report */
  if (st) RELUCAP_ERROR("inversion failed", st);
  return RELUCAP_SUCCESS;
}

int relucap_net_invert_exact(const relucap_net *net, const double *y, double tol, double time_limit,
                             relucap_invert_result *res)
{
  return invert_scaled(net, y, tol, time_limit, 1, res);
}

/* Both inversions on the scaled network (y' = 2^{-C_L} y); exact: the region route when layer by
 * layer fails or is not unique.  The residual is then taken on the given network. */
static int invert_scaled(const relucap_net *net, const double *y, double tol, double time_limit, int exact,
                         relucap_invert_result *res)
{
  if (!net || net->depth == 0 || !y || !res) RELUCAP_ERROR("empty network or NULL vector", RELUCAP_EINVAL);
  memset(res, 0, sizeof *res);
  scaled_net S;
  int st;
  double *ys = scaled_output(net, y, &S, &st);
  if (!ys) RELUCAP_ERROR("out of memory", st);
  st = invert_net(&S.net, ys, tol, res);
  if (exact && net->depth > 1 && (st == RELUCAP_EINFEAS || (st == RELUCAP_SUCCESS && !res->unique))) {
    relucap_invert_result ex;
    double t_end = time_limit > 0 ? relucap_clock() + time_limit : 0;
    int st2 = netcheck_invert_regions(&S.net, ys, tol > 0 ? tol : 1e-8, t_end, &ex);
    if (st2 == RELUCAP_SUCCESS || (st2 == RELUCAP_EINFEAS && ex.complete)) {
      relucap_invert_result_free(res);
      *res = ex;
      st = st2;
    } else {
      relucap_invert_result_free(&ex); /* incomplete: keep the layer-by-layer answer */
    }
  }
  st = residual_on_given(net, y, tol, res, st);
  free(ys);
  scaled_net_free(&S);
  return st;
}

void relucap_invert_result_free(relucap_invert_result *res)
{
  if (!res) return;
  free(res->x);
  res->x = NULL;
}

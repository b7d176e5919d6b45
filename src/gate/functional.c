/* The zero-temperature k-RSB (Crisanti-Sommers) functional of one ReLU layer, evaluated level
 * by level on a grid of the cavity field (docs/gate.md sec. 2-3).
 *
 * The innermost level is the closed form log n(w) (flrdt.md sec. 2.3); every outer level is a
 * Gaussian convolution of exp(chim_j G_j) computed with the trapezoidal rule on the grid.  The
 * convolved functions are analytic in a strip whose width is the smallest Gaussian width of the
 * recursion, so with a spacing of that width / ppw the trapezoidal rule converges
 * geometrically (the error falls like exp(-2 pi d / h)); docs/gate.md sec. 4 gives the numbers.
 * The cost is O(k N M) with N grid nodes and M kernel nodes, never N^k. */
#include "gate_internal.h"
#include "relucap/common.h"
#include "relucap/gauss.h"
#include <math.h>
#include <stdlib.h>

/* Kernel truncation in standard deviations: phi(9.5)/phi(0) ~ 2e-20. */
#define KERNEL_SDS 9.5

/* Widths W[0..k] of the recursion: W[0] = sqrt(Q_0) (outer average), W[j] = sqrt(Q_j - Q_{j-1}),
 * W[k] = sqrt(1 - Q_{k-1}) (innermost closed form); a zero width (skipped level) is +inf. */
static void widths(int k, const double *Q, double *W)
{
  for (int j = 0; j <= k; j++) {
    double lo = j ? Q[j - 1] : 0.0, hi = j < k ? Q[j] : 1.0;
    W[j] = hi > lo ? sqrt(hi - lo) : INFINITY;
  }
}

gate_grid *gate_grid_alloc(double h, double cut)
{
  if (!(h > 0.0) || !(cut > 0.0) || cut / h > 2e6) return NULL;
  gate_grid *g = calloc(1, sizeof *g);
  if (!g) return NULL;
  g->h = h;
  g->n0 = GATE_MAX_STRIDE * (int)ceil(cut / h / GATE_MAX_STRIDE);
  g->N = 2 * g->n0 + 1;
  g->mmax = GATE_MAX_STRIDE * ((int)ceil(KERNEL_SDS / h / GATE_MAX_STRIDE) + 1);
  g->G = malloc((size_t)g->N * sizeof(double));
  g->Fpad = malloc((size_t)(g->N + 2 * g->mmax) * sizeof(double));
  g->kern = malloc((size_t)(2 * g->mmax + 1) * sizeof(double));
  if (!g->G || !g->Fpad || !g->kern) {
    gate_grid_free(g);
    return NULL;
  }
  return g;
}

void gate_grid_plan(gate_grid *g, int k, const double *Q, double ppw)
{
  double W[RELUCAP_GATE_MAXSTEPS + 1];
  widths(k, Q, W);
  int t = GATE_MAX_STRIDE;
  for (int j = 0; j < k; j++) {
    double want = fmin(W[j], W[j + 1]) / (ppw * g->h);
    int r = 1;
    while (!g->dense && 2 * r <= want && 2 * r <= GATE_MAX_STRIDE) r *= 2;
    if (r < t) t = r;
    g->stride[j] = t;
  }
  g->plan_k = k;
}

int gate_grid_plan_ok(const gate_grid *g, int k, const double *Q, double ppw)
{
  double W[RELUCAP_GATE_MAXSTEPS + 1];
  widths(k, Q, W);
  for (int j = 0; j < k; j++) {
    int t = g->plan_k == k ? g->stride[j] : 1;
    if (fmin(W[j], W[j + 1]) < ppw * t * g->h) return 0;
  }
  return 1;
}

void gate_grid_free(gate_grid *g)
{
  if (!g) return;
  free(g->G);
  free(g->Fpad);
  free(g->kern);
  free(g);
}

/* log(1 - e^d) for d < 0 (Maechler's split keeps both branches accurate). */
static double log1mexp(double d)
{
  return d > -0.69314718055994530942 ? log(-expm1(d)) : log1p(-exp(d));
}

/* log(Phi(x2) - Phi(x1)) for x1 < x2, through whichever tail keeps the difference accurate. */
static double log_ncdf_diff(double x1, double x2)
{
  if (x1 >= 0.0) {
    double l1 = relucap_log_ncdf(-x1), l2 = relucap_log_ncdf(-x2);
    return l1 + log1mexp(l2 - l1);
  }
  if (x2 <= 0.0) {
    double l1 = relucap_log_ncdf(x1), l2 = relucap_log_ncdf(x2);
    return l2 + log1mexp(l1 - l2);
  }
  return log1p(-(relucap_nsf(x2) + relucap_ncdf(x1)));
}

static double logsumexp3(double a, double b, double c)
{
  double m = fmax(a, fmax(b, c));
  return m + log(exp(a - m) + exp(b - m) + exp(c - m));
}

/* log n(w) = log E_z exp(-c cost_chi(w + s z)), cost_chi(u) = min(u_+^2/(2 chi), 1):
 *   n = Phi(-w/s) + e^{-c} Phi((w - b)/s)
 *       + sqrt(chi/(chi + c s^2)) exp(-c w^2/(2(chi + c s^2))) [Phi((b - mu) sqrt a) - Phi(-mu sqrt a)],
 * b = sqrt(2 chi), a = 1/s^2 + c/chi, mu = (w/s^2)/a   (flrdt.md sec. 2.3). */
double gate_log_n(double w, double s, double chi, double c)
{
  double b = sqrt(2.0 * chi), s2 = s * s;
  double a = 1.0 / s2 + c / chi, sa = sqrt(a), mu = (w / s2) / a;
  double lam = chi + c * s2;
  double t_neg = relucap_log_ncdf(-w / s);
  double t_top = -c + relucap_log_ncdf((w - b) / s);
  double t_mid = 0.5 * log(chi / lam) - c * w * w / (2.0 * lam) + log_ncdf_diff(-mu * sa, (b - mu) * sa);
  return logsumexp3(t_neg, t_top, t_mid);
}

double gate_entropy(int k, const double *Q, const double *chim, double chi)
{
  /* Lambda_k = chi, Lambda_{j-1} = Lambda_j + chim_j (Q_j - Q_{j-1}), Q_k = 1;
   * S = -Q_0/(2 Lambda_0) - sum_j log1p(chim_j (Q_j - Q_{j-1})/Lambda_j)/(2 chim_j). */
  double lam = chi, s = 0.0;
  for (int j = k; j >= 1; j--) {
    double qj = (j == k) ? 1.0 : Q[j], dq = qj - Q[j - 1];
    double x = chim[j - 1] * dq / lam;
    s -= log1p(x) / (2.0 * chim[j - 1]);
    lam += chim[j - 1] * dq;
  }
  return s - Q[0] / (2.0 * lam);
}

double gate_min_width(int k, const double *Q)
{
  /* Coincident overlaps (width 0) are skipped: such a level is the identity (collapse to k-1). */
  double w = sqrt(1.0 - Q[k - 1]);
  for (int j = 1; j < k; j++)
    if (Q[j] > Q[j - 1]) w = fmin(w, sqrt(Q[j] - Q[j - 1]));
  if (Q[0] > 0.0) w = fmin(w, sqrt(Q[0]));
  return w;
}

/* Fill g->kern[mmax + m] = normalised trapezoid weights of N(0, s^2) at m t h; return half-width. */
static int gaussian_kernel(gate_grid *g, double s, int t)
{
  int M = (int)ceil(KERNEL_SDS * s / (t * g->h));
  if (M * t > g->mmax) M = g->mmax / t;
  double *kw = g->kern + g->mmax, sum = 0.0;
  for (int m = -M; m <= M; m++) {
    double x = m * t * g->h / s;
    kw[m] = exp(-0.5 * x * x);
    sum += kw[m];
  }
  for (int m = -M; m <= M; m++) kw[m] /= sum;
  return M;
}

/* One outer level: G <- (1/c) log sum_m kern_m exp(c G(w + m h)) with the limits of G beyond
 * the grid (0 on the left, -1 on the right: the cost is 0 for w -> -inf and 1 for w -> +inf). */
/* G_j differs from its limits (0 left, -1 right) by less than Phibar(CLIP_SDS) ~ 1e-28 outside
 * [-CLIP_SDS sd, sqrt(2 chi) + CLIP_SDS sd], sd^2 = 1 - Q_j the variance still to come: nodes
 * outside are set to the limits without computing (most of the grid at the inner levels). */
#define CLIP_SDS 11.0

/* Index range [*lo, *hi] of the nodes where G with remaining variance v must be computed. */
static void active_range(const gate_grid *g, double v, double b, int *lo, int *hi)
{
  double R = CLIP_SDS * sqrt(v);
  if (g->dense) {
    *lo = 0;
    *hi = g->N - 1;
    return;
  }
  *lo = g->n0 + (int)floor(-R / g->h);
  *hi = g->n0 + (int)ceil((b + R) / g->h);
  if (*lo < 0) *lo = 0;
  if (*hi > g->N - 1) *hi = g->N - 1;
}

static void convolve_level(gate_grid *g, double s, double c, int t_in, int t_out, double v_out, double b)
{
  int M = gaussian_kernel(g, s, t_in), N = g->N, P = g->mmax, lo, hi;
  double *F = g->Fpad + P; /* F[i] for i in [-P, N + P), used at multiples of t_in */
  double right = exp(-c);
  for (int i = -P; i < 0; i += t_in) F[i] = 1.0;
  for (int i = 0; i < N; i += t_in) F[i] = g->G[i] == 0.0 ? 1.0 : (g->G[i] == -1.0 ? right : exp(c * g->G[i]));
  for (int i = N + (t_in - N % t_in) % t_in; i < N + P; i += t_in) F[i] = right;
  const double *kw = g->kern + g->mmax;
  active_range(g, v_out, b, &lo, &hi);
  for (int i = 0; i < N; i += t_out) {
    if (i < lo || i > hi) {
      g->G[i] = i < lo ? 0.0 : -1.0;
      continue;
    }
    double acc = 0.0;
    const double *Fi = F + i;
    for (int m = -M; m <= M; m++) acc += kw[m] * Fi[m * t_in];
    g->G[i] = log(acc) / c;
  }
}

/* E_xi G(sqrt(Q0) xi) by the trapezoidal rule on the grid (G(0) when Q0 = 0). */
static double outer_average(gate_grid *g, double q0, int t)
{
  if (q0 <= 0.0) return g->G[g->n0];
  int M = gaussian_kernel(g, sqrt(q0), t);
  const double *kw = g->kern + g->mmax;
  double acc = 0.0;
  for (int m = -M; m <= M; m++) {
    int i = g->n0 + m * t;
    double gv = i < 0 ? 0.0 : (i >= g->N ? -1.0 : g->G[i]);
    acc += kw[m] * gv;
  }
  return acc;
}

int gate_grid_eval(gate_grid *g, int k, const double *Q, const double *chim, double chi,
                   double *S, double *T)
{
  /* Innermost: G_{k-1}(w) = (1/chim_k) log n(w; sqrt(1 - Q_{k-1}), chi, chim_k). */
  int one[RELUCAP_GATE_MAXSTEPS], *t = one;
  if (g->plan_k == k) t = g->stride;
  else for (int j = 0; j < k; j++) one[j] = 1;
  double s = sqrt(1.0 - Q[k - 1]), c = chim[k - 1], b = sqrt(2.0 * chi);
  int lo, hi;
  active_range(g, 1.0 - Q[k - 1], b, &lo, &hi);
  for (int i = 0; i < g->N; i += t[k - 1])
    g->G[i] = i < lo ? 0.0 : (i > hi ? -1.0 : gate_log_n((i - g->n0) * g->h, s, chi, c) / c);
  /* Outer levels j = k-1..1: G_{j-1} = (1/chim_j) log E exp(chim_j G_j(w + sqrt(Q_j - Q_{j-1}) z)),
   * read at stride t_j, written at stride t_{j-1} (a multiple of t_j). */
  for (int j = k - 1; j >= 1; j--)
    if (Q[j] > Q[j - 1]) convolve_level(g, sqrt(Q[j] - Q[j - 1]), chim[j - 1], t[j], t[j - 1], 1.0 - Q[j - 1], b);
  *T = -outer_average(g, Q[0], t[0]);
  *S = gate_entropy(k, Q, chim, chi);
  if (!isfinite(*S) || !isfinite(*T)) return RELUCAP_EBADFUNC;
  return RELUCAP_SUCCESS;
}

/* E cost_chi(g) = (Phi(c) - 1/2 - c phi(c))/(2 chi) + Phibar(c), c = sqrt(2 chi). */
static double rs_cost(double chi)
{
  double c = sqrt(2.0 * chi);
  return (relucap_ncdf(c) - 0.5 - c * relucap_npdf(c)) / (2.0 * chi) + relucap_nsf(c);
}

int relucap_gate_functional(int k, const double *Q, const double *chim, double chi, double ppw,
                            double cut, double *S, double *T)
{
  if (k < 0 || k > RELUCAP_GATE_MAXSTEPS || !(chi > 0.0) || !(ppw >= 2.0) || !(cut >= 1.0))
    RELUCAP_ERROR("gate_functional: bad k, chi, ppw or cut", RELUCAP_EINVAL);
  if (k == 0) { /* RS: f = -1/(2 chi) + alpha E cost_chi(g) */
    *S = -1.0 / (2.0 * chi);
    *T = rs_cost(chi);
    return RELUCAP_SUCCESS;
  }
  for (int j = 0; j < k; j++) {
    double lo = j ? Q[j - 1] : 0.0;
    if (!(Q[j] >= lo) || !(Q[j] < 1.0) || !(chim[j] > 0.0))
      RELUCAP_ERROR("gate_functional: need 0 <= Q_0 <= ... < 1 and chim > 0", RELUCAP_EDOM);
  }
  double w = gate_min_width(k, Q);
  if (!(w > 0.0)) RELUCAP_ERROR("gate_functional: zero-width level (coincident overlaps)", RELUCAP_EDOM);
  gate_grid *g = gate_grid_alloc(w / ppw, cut);
  if (!g) RELUCAP_ERROR("gate_functional: grid allocation", RELUCAP_ENOMEM);
  gate_grid_plan(g, k, Q, ppw);
  int st = gate_grid_eval(g, k, Q, chim, chi, S, T);
  gate_grid_free(g);
  return st;
}

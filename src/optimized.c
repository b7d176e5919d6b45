/* Plain RDT bounds minimised over the dual-norm ratios (docs/optimized-rdt.md). */
#include "relucap/optimized.h"
#include "relucap/common.h"
#include "relucap/saddle.h"
#include <float.h>
#include <math.h>
#include <string.h>

#define DEFAULT_NODES 64
#define DEFAULT_RATIO_MIN 5e-2
#define DEFAULT_RATIO_MAX 20.0
#define DEFAULT_SCAN 21
#define RELUCAP_SCAN_MAX 201
#define CURVATURE_STEP 1e-3   /* relative step of the central second difference in the ratio */
#define GRID_N 12             /* (gb, gam) check grid: GRID_N x GRID_N log-spaced points */
#define GRID_TOL 1e-9         /* a grid point this far (relative) below the polished G is a failure */

/* One hidden layer i at its optimal ratio. */
typedef struct {
  double alpha, T;          /* alpha_i and the target V_i */
  double pi, V;             /* the optimal ratio pi_{i+1} and V_{i+1} */
  relucap_plain_block b;    /* block at the optimum (input u = pi V) */
  double d2V;               /* d^2 V_{i+1} / d pi^2 at the optimum */
  double residual;          /* max |equation| of the polish system */
  double grid_gap, scan_gap;
  double scan_lo, scan_hi;  /* the ratio range the continuation scan covered */
} opt_layer;

typedef struct {
  const relucap_quad *q;
  double pi_min, pi_max;
  int n_scan;
  double step;              /* ratio of neighbouring grid points */
} opt_settings;

/* V with G_{alpha, pi}(pi V) = T.  G is increasing in V with slope pi rho (envelope theorem),
 * so Newton with that slope; *V (if > 0) and b are the warm start. */
static int invert_layer(const relucap_quad *q, double alpha, double pi, double T,
                        relucap_plain_block *b, double *V)
{
  double v = *V > 0 ? *V : T;
  for (int it = 0; it < 60; it++) {
    int st = relucap_plain_block_solve(q, alpha, pi * v, pi, b);
    if (st) return st;
    double resid = b->G - T;
    if (fabs(resid) <= 4e-15 * T) {
      *V = v;
      return RELUCAP_SUCCESS;
    }
    double step = resid / (b->rho * pi);
    v = step < v ? v - step : 0.5 * v; /* stay positive */
  }
  return RELUCAP_EMAXITER;
}

/* For a fixed ratio pi: (E1), (E2) and G = T as one 3x3 system in (log gb, log gam, log V) - a
 * single hybrid solve instead of Newton in V around 2x2 block solves.  Falls back to that nested
 * solve (invert_layer) when the joint system does not converge. */
typedef struct {
  const relucap_quad *q;
  double alpha, T, pi;
} fixed_params;

static int fixed_equations(const double *x, void *params, double *f)
{
  const fixed_params *fp = params;
  double gb = exp(x[0]), gam = exp(x[1]), u = fp->pi * exp(x[2]), val[4];
  int st = relucap_plain_f1(fp->q, gb, gam, fp->pi, val, NULL);
  if (st) return st;
  f[0] = fp->alpha * val[1] / (4 * gb * gb) - 1;
  f[1] = fp->alpha * val[2] * (2 * gam / u) * (2 * gam / u) - 1;
  f[2] = (gb + fp->alpha * val[0] + u * u / (4 * gam)) / fp->T - 1;
  return 0;
}

/* G_{alpha, pi}(u) by alternating minimisation, robust where the Newton-type block solver loses
 * its branch: with (gb, gam) fixed the inner minimum over z is the closed form of f1; with z* fixed
 * the minimum over (gb, gam) is gb = sqrt(alpha E(g - z*)^2) / 2, gam = u / (2 sqrt(alpha E z*_+^2))
 * (the square-root trick).  Each half-step lowers the joint objective, so the iteration descends;
 * it is polished by the block solver afterwards.  Returns RELUCAP_EDOM when the objective is
 * unbounded below (G = -inf: u too small) or degenerates (gb -> 0: no interior stationary point). */
static int block_descent(const relucap_quad *q, double alpha, double u, double pi,
                         relucap_plain_block *b, int *unbounded)
{
  double gb = b->gbar > 0 ? b->gbar : 0.5, gam = b->gamma > 0 ? b->gamma : 0.3, G = INFINITY;
  *unbounded = 0;
  for (int it = 0; it < 3000; it++) {
    double val[4];
    int st = relucap_plain_f1(q, gb, gam, pi, val, NULL);
    if (st) return st;
    double Gn = gb + alpha * val[0] + u * u / (4 * gam);
    if (!(Gn > -1e3) || gb > 1e6) { *unbounded = 1; return RELUCAP_EDOM; }
    if (!(val[1] > 1e-300) || !(val[2] > 1e-300)) return RELUCAP_EDOM;
    double gbn = sqrt(alpha * val[1]) / 2, gamn = u / (2 * sqrt(alpha * val[2]));
    if (fabs(G - Gn) <= 1e-11 * fabs(Gn) && fabs(gbn - gb) <= 1e-8 * gb) break;
    G = Gn; gb = gbn; gam = gamn;
  }
  b->gbar = gb;
  b->gamma = gam;
  return relucap_plain_block_solve(q, alpha, u, pi, b);
}

/* Cold inversion G_{alpha, pi}(pi V) = T: bracket V (G is increasing in V; -inf for small V), then
 * bisection-safeguarded secant steps with descent-started block solves. */
static int invert_cold(const relucap_quad *q, double alpha, double pi, double T,
                       relucap_plain_block *b, double *V)
{
  double lo = 0, hi = 0, Glo = -INFINITY, Ghi = INFINITY, v = *V > 0 ? *V : T;
  relucap_plain_block bb = *b;
  for (int it = 0; it < 80; it++) {
    int unb, st = block_descent(q, alpha, pi * v, pi, &bb, &unb);
    double G = st ? (unb ? -INFINITY : NAN) : bb.G;
    if (isnan(G)) return st;
    if (fabs(G - T) <= 4e-15 * T) { *b = bb; *V = v; return RELUCAP_SUCCESS; }
    if (G < T) { lo = v; Glo = G; } else { hi = v; Ghi = G; *b = bb; }
    if (!(hi > 0)) { v *= 1.5; continue; }          /* still no upper end */
    if (!(lo > 0)) { v /= 1.5; continue; }          /* still no lower end */
    double vs = isfinite(Glo) ? lo + (T - Glo) * (hi - lo) / (Ghi - Glo) : 0;
    v = (vs > lo + 0.05 * (hi - lo) && vs < hi - 0.05 * (hi - lo)) ? vs : 0.5 * (lo + hi);
    if (hi - lo <= 1e-15 * hi) break;
  }
  /* close to the root: the Newton inversion from the bracket's upper end */
  *V = hi > 0 ? hi : v;
  return invert_layer(q, alpha, pi, T, b, V);
}

/* thorough = 0: the warm-started joint solve only (a continuation step; failing is cheap). */
static int solve_fixed_ratio(const relucap_quad *q, double alpha, double pi, double T,
                             relucap_plain_block *b, double *V, int thorough)
{
  if (b->gbar > 0 && b->gamma > 0 && *V > 0) {
    fixed_params fp = {q, alpha, T, pi};
    relucap_system sys = {fixed_equations, 3, &fp};
    double x[3] = {log(b->gbar), log(b->gamma), log(*V)};
    relucap_solve_info info;
    int st = relucap_solve_system(&sys, x, 2e-15, thorough ? 100 : 25, &info);
    /* stalled at rounding level: as good as converged (the residual is reported) */
    if (st == RELUCAP_SUCCESS || (st == RELUCAP_ENOPROG && info.residual < 1e-13)) {
      double val[4];
      b->gbar = exp(x[0]);
      b->gamma = exp(x[1]);
      *V = exp(x[2]);
      st = relucap_plain_f1(q, b->gbar, b->gamma, pi, val, NULL);
      if (st) return st;
      b->rho = pi * *V / (2 * b->gamma);
      b->G = b->gbar + alpha * val[0] + pi * *V * pi * *V / (4 * b->gamma);
      b->residual = info.residual;
      return RELUCAP_SUCCESS;
    }
  }
  if (!thorough) return RELUCAP_ENOPROG;
  relucap_plain_block warm = *b;
  double Vw = *V;
  if (invert_layer(q, alpha, pi, T, b, V) == RELUCAP_SUCCESS) return RELUCAP_SUCCESS;
  *b = warm;
  *V = Vw;
  return invert_cold(q, alpha, pi, T, b, V);
}

/* The optimum of one layer as a 4x4 stationarity system in (log gb, log gam, log pi, log V):
 *   (E1) a E(g - z*)^2 / (4 gb^2) = 1          (E2) a E z*_+^2 (2 gam / (pi V))^2 = 1
 *   (G)  gb + a f1_pi + (pi V)^2 / (4 gam) = T  (envelope) a E[h z*_+] + pi V^2 / (2 gam) = 0. */
typedef struct {
  const relucap_quad *q;
  double alpha, T;
} polish_params;

static int polish_equations(const double *x, void *params, double *f)
{
  const polish_params *pp = params;
  double gb = exp(x[0]), gam = exp(x[1]), pi = exp(x[2]), V = exp(x[3]), u = pi * V, val[4];
  int st = relucap_plain_f1(pp->q, gb, gam, pi, val, NULL);
  if (st) return st;
  f[0] = pp->alpha * val[1] / (4 * gb * gb) - 1;
  f[1] = pp->alpha * val[2] * (2 * gam / u) * (2 * gam / u) - 1;
  f[2] = (gb + pp->alpha * val[0] + u * u / (4 * gam)) / pp->T - 1;
  f[3] = 1 + pp->alpha * val[3] * 2 * gam / (pi * V * V);
  return 0;
}

/* Polish (gb, gam, pi, V) in lay from its current values; fills lay->b, lay->residual. */
static int polish_layer(const relucap_quad *q, opt_layer *lay)
{
  polish_params pp = {q, lay->alpha, lay->T};
  relucap_system sys = {polish_equations, 4, &pp};
  double x[4] = {log(lay->b.gbar), log(lay->b.gamma), log(lay->pi), log(lay->V)};
  relucap_solve_info info;
  int st = relucap_solve_system(&sys, x, 1e-13, 100, &info);
  if (st) return st;
  lay->b.gbar = exp(x[0]);
  lay->b.gamma = exp(x[1]);
  lay->pi = exp(x[2]);
  lay->V = exp(x[3]);
  lay->residual = info.residual;
  /* The block at the polished point: its value and rho from one more evaluation. */
  double val[4], u = lay->pi * lay->V;
  st = relucap_plain_f1(q, lay->b.gbar, lay->b.gamma, lay->pi, val, NULL);
  if (st) return st;
  lay->b.G = lay->b.gbar + lay->alpha * val[0] + u * u / (4 * lay->b.gamma);
  lay->b.rho = u / (2 * lay->b.gamma);
  lay->b.residual = fmax(fabs(lay->alpha * val[1] / (4 * lay->b.gbar * lay->b.gbar) - 1),
                         fabs(lay->alpha * val[2] * (2 * lay->b.gamma / u) * (2 * lay->b.gamma / u) - 1));
  return RELUCAP_SUCCESS;
}

/* Evidence that the block minimum over (gb, gam) is global: H = gb + a f1_pi + u^2/(4 gam) on a
 * log grid gb in [1e-3, 20], gam in [1e-3, 50]; returns (min grid H - G) / G (>= 0 expected), and
 * polishes from the grid's best point, which must land on the same stationary point. */
static int block_global_check(const relucap_quad *q, const opt_layer *lay, double *gap)
{
  double u = lay->pi * lay->V, best = INFINITY, bgb = 0, bgam = 0;
  for (int i = 0; i < GRID_N; i++) {
    double gb = 1e-3 * pow(2e4, i / (GRID_N - 1.0));
    for (int j = 0; j < GRID_N; j++) {
      double gam = 1e-3 * pow(5e4, j / (GRID_N - 1.0)), val[4];
      int st = relucap_plain_f1(q, gb, gam, lay->pi, val, NULL);
      if (st) return st;
      double H = gb + lay->alpha * val[0] + u * u / (4 * gam);
      if (H < best) { best = H; bgb = gb; bgam = gam; }
    }
  }
  *gap = (best - lay->b.G) / lay->b.G;
  relucap_plain_block b = {0};
  b.gbar = bgb;
  b.gamma = bgam;
  int st = relucap_plain_block_solve(q, lay->alpha, u, lay->pi, &b);
  if (st) return st;
  if (fabs(b.gbar - lay->b.gbar) > 1e-8 * lay->b.gbar || fabs(b.gamma - lay->b.gamma) > 1e-8 * lay->b.gamma)
    *gap = fmin(*gap, -1.0); /* a second stationary point: not a unique minimum */
  return RELUCAP_SUCCESS;
}

static double grid_ratio(const opt_settings *s, int j)
{
  return s->pi_min * pow(s->pi_max / s->pi_min, j / (s->n_scan - 1.0));
}

/* One continuation step of the scan from ratio p0 (solved: b, V) to p1: a warm joint solve, and if
 * that fails, through the geometric midpoint, recursively down to level 4 (the grid walk starts at
 * level 2: up to 4 sub-steps, cheap where the walk ends anyway; the extension from the polished
 * optimum starts at 0: up to 16 - near the optimum the block changes fast: gb goes from 0.17 to 0.81
 * between pi = 0.41 and 0.55 in strong layer 2). */
static int continuation_step(const opt_settings *s, const opt_layer *lay, double p0, double p1,
                             relucap_plain_block *b, double *V, int depth) /* depth: levels used */
{
  relucap_plain_block w = *b;
  double Vw = *V;
  if (!solve_fixed_ratio(s->q, lay->alpha, p1, lay->T, &w, &Vw, 0)) { *b = w; *V = Vw; return RELUCAP_SUCCESS; }
  if (depth >= 4) return RELUCAP_ENOPROG;
  double mid = sqrt(p0 * p1);
  w = *b;
  Vw = *V;
  if (continuation_step(s, lay, p0, mid, &w, &Vw, depth + 1) ||
      continuation_step(s, lay, mid, p1, &w, &Vw, depth + 1))
    return RELUCAP_ENOPROG;
  *b = w;
  *V = Vw;
  return RELUCAP_SUCCESS;
}

/* Scan V_{i+1}(pi) on a log grid by continuation: start at the grid point nearest the warm start
 * lay->pi (with lay->b, lay->V as the initial guess), then walk outwards in both directions, each
 * point warm-started from its neighbour (a cold block solve loses its branch easily for T < 1 and
 * large alpha).  A direction stops at its first failure, so the scanned range may be shorter than
 * the search range; the best point must be interior to what was scanned, else RELUCAP_EBOUNDARY. */
static int scan_layer(const opt_settings *s, opt_layer *lay)
{
  double Vs[RELUCAP_SCAN_MAX];
  relucap_plain_block bs[RELUCAP_SCAN_MAX];
  int n = s->n_scan, j0 = (int)lround((n - 1) * log(lay->pi / s->pi_min) / log(s->pi_max / s->pi_min));
  j0 = j0 < 0 ? 0 : (j0 > n - 1 ? n - 1 : j0);
  /* the first point: warm start, else the plain solver's cold starts at grid points nearer first */
  int first = -1;
  for (int d = 0; d < n && first < 0; d++) {
    for (int sign = 1; sign >= -1 && first < 0; sign -= 2) {
      int j = j0 + sign * d;
      if (j < 0 || j >= n || (d == 0 && sign < 0)) continue;
      relucap_plain_block b = d == 0 ? lay->b : (relucap_plain_block){0};
      double V = d == 0 ? lay->V : 0;
      if (!solve_fixed_ratio(s->q, lay->alpha, grid_ratio(s, j), lay->T, &b, &V, 1)) {
        first = j; Vs[j] = V; bs[j] = b;
      }
    }
  }
  if (first < 0) RELUCAP_ERROR("optimized: no ratio in the search range has a block solution", RELUCAP_EDOM);
  int lo = first, hi = first;
  while (hi + 1 < n) {
    relucap_plain_block b = bs[hi];
    double V = Vs[hi];
    if (continuation_step(s, lay, grid_ratio(s, hi), grid_ratio(s, hi + 1), &b, &V, 2)) break;
    hi++; Vs[hi] = V; bs[hi] = b;
  }
  while (lo > 0) {
    relucap_plain_block b = bs[lo];
    double V = Vs[lo];
    if (continuation_step(s, lay, grid_ratio(s, lo), grid_ratio(s, lo - 1), &b, &V, 2)) break;
    lo--; Vs[lo] = V; bs[lo] = b;
  }
  int best = lo;
  for (int j = lo; j <= hi; j++)
    if (Vs[j] < Vs[best]) best = j;
  lay->scan_lo = grid_ratio(s, lo);
  lay->scan_hi = grid_ratio(s, hi);
  if (lo == hi) RELUCAP_ERROR("optimized: the scan reached a single ratio only", RELUCAP_EBOUNDARY);
  lay->pi = grid_ratio(s, best);
  lay->V = Vs[best];
  lay->b = bs[best];
  return RELUCAP_SUCCESS;
}

/* d^2 V_{i+1} / d pi^2 by a central second difference at the optimum. */
static int layer_curvature(const relucap_quad *q, opt_layer *lay)
{
  double h = CURVATURE_STEP * lay->pi, Vp = lay->V, Vm = lay->V;
  relucap_plain_block bp = lay->b, bm = lay->b;
  int st = solve_fixed_ratio(q, lay->alpha, lay->pi + h, lay->T, &bp, &Vp, 1);
  if (!st) st = solve_fixed_ratio(q, lay->alpha, lay->pi - h, lay->T, &bm, &Vm, 1);
  if (st) return st;
  lay->d2V = (Vp + Vm - 2 * lay->V) / (h * h);
  return RELUCAP_SUCCESS;
}

/* The full optimisation of one layer: scan, polish, interior and global checks, curvature. */
static int optimize_layer(const opt_settings *s, opt_layer *lay)
{
  int st = scan_layer(s, lay);
  if (st) return st;
  double scanned = lay->V;
  st = polish_layer(s->q, lay);
  if (st) return st;
  lay->scan_gap = (scanned - lay->V) / lay->V;
  /* A polished optimum just outside the scanned range (the scan stopped at a hard step): continue
   * from the optimum to the next grid ratio beyond it; if that point has a solution and a larger
   * value, the range is extended to it. */
  for (int side = 0; side < 2; side++) {
    double edge = side ? lay->scan_hi : lay->scan_lo, next = side ? edge * s->step : edge / s->step;
    if ((side ? lay->pi < edge : lay->pi > edge) || (side ? next > s->pi_max * (1 + 1e-12) : next < s->pi_min * (1 - 1e-12)))
      continue;
    /* the next grid ratio, else a quarter or a sixteenth grid step beyond the optimum (towards
     * pi -> 0 the interior solution ends where the corner z* = g takes over: gb -> 0, docs sec. 5;
     * for alpha = 80 the optimum 0.162 lies 4 % above that end) */
    double probes[3] = {next, side ? lay->pi * pow(s->step, 0.25) : lay->pi / pow(s->step, 0.25),
                        side ? lay->pi * pow(s->step, 1.0 / 16) : lay->pi / pow(s->step, 1.0 / 16)};
    for (int k = 0; k < 3; k++) {
      relucap_plain_block b = lay->b;
      double V = lay->V;
      if (!continuation_step(s, lay, lay->pi, probes[k], &b, &V, 0) && V > lay->V) {
        if (side) lay->scan_hi = probes[k];
        else lay->scan_lo = probes[k];
        break;
      }
    }
  }
  /* Interior: strictly inside the scanned range (where the scan's best point may sit on an end only
   * because the next grid point had no solution), and no scanned value below the optimum. */
  if (!(lay->pi > lay->scan_lo && lay->pi < lay->scan_hi))
    RELUCAP_ERROR(lay->scan_lo <= s->pi_min * (1 + 1e-12) || lay->scan_hi >= s->pi_max * (1 - 1e-12)
                      ? "optimized: the optimal ratio is on the end of the search range"
                      : "optimized: the optimal ratio is on the end of the range the scan could reach",
                  RELUCAP_EBOUNDARY);
  if (lay->scan_gap < -1e-12) RELUCAP_ERROR("optimized: a scanned ratio beats the polished optimum", RELUCAP_ETOL);
  st = layer_curvature(s->q, lay);
  if (st) return st;
  if (!(lay->d2V > 0)) RELUCAP_ERROR("optimized: the stationary ratio is not a minimum", RELUCAP_ETOL);
  return block_global_check(s->q, lay, &lay->grid_gap);
}

/* ---------- the capacity ---------- */

/* State shared by the capacity and the chain: layers are added one at a time. */
typedef struct {
  opt_settings s;
  relucap_quad *q, *qh;
  relucap_kind kind;
  opt_layer lay[RELUCAP_MAX_DEPTH + 1];   /* layers 1..depth-1 */
  double Vh[RELUCAP_MAX_DEPTH + 1];       /* the V chain with the half-order rule */
  int n;                                  /* layers so far */
} opt_state;

static int state_init(opt_state *st, relucap_kind kind, relucap_quad_method quad, size_t nodes,
                      double pi_min, double pi_max, int n_scan)
{
  memset(st, 0, sizeof *st);
  nodes = nodes ? nodes : DEFAULT_NODES;
  st->q = relucap_quad_alloc(quad, nodes, 12.0);
  /* The error estimate compares with a 3N/4-node rule: Gauss-Legendre converges geometrically
   * here, so |Q_N - Q_{3N/4}| bounds the error of Q_{3N/4} and hence of Q_N (an N/2 rule is
   * visibly under-resolved when gb is small and overstates the error by 10^4). */
  /* With the adaptive rule the comparison is a 2N-node Gauss-Legendre rule instead (a coarser GL
   * rule would measure its own error, not the adaptive one's). */
  st->qh = relucap_quad_alloc(RELUCAP_QUAD_GL, quad == RELUCAP_QUAD_ADAPTIVE ? 2 * nodes : 3 * nodes / 4, 12.0);
  st->kind = kind;
  st->s.q = st->q;
  st->s.pi_min = pi_min > 0 ? pi_min : DEFAULT_RATIO_MIN;
  st->s.pi_max = pi_max > 0 ? pi_max : DEFAULT_RATIO_MAX;
  st->s.n_scan = n_scan >= 3 ? (n_scan > RELUCAP_SCAN_MAX ? RELUCAP_SCAN_MAX : n_scan) : DEFAULT_SCAN;
  st->s.step = pow(st->s.pi_max / st->s.pi_min, 1.0 / (st->s.n_scan - 1));
  st->Vh[1] = 1.0;
  if (!st->q || !st->qh) return RELUCAP_ENOMEM;
  return RELUCAP_SUCCESS;
}

static void state_free(opt_state *st)
{
  relucap_quad_free(st->q);
  relucap_quad_free(st->qh);
}

/* Add hidden layer n+1 with width ratio alpha, optimising its ratio; also the half-order chain. */
static int state_add_layer(opt_state *st, double alpha)
{
  int i = st->n + 1;
  opt_layer *lay = &st->lay[i];
  memset(lay, 0, sizeof *lay);
  lay->alpha = alpha;
  lay->T = i == 1 ? 1.0 : st->lay[i - 1].V;
  /* Warm start (continuation in depth): the previous layer's optimum, scaled to the new target;
   * the first layer starts at the paper's ratio 1 with the plain solver's cold starts. */
  if (i == 1) {
    lay->pi = 1.0;
  } else {
    const opt_layer *prev = &st->lay[i - 1];
    lay->pi = prev->pi;
    lay->b = prev->b;
    lay->V = prev->V * lay->T / prev->T;
  }
  int status = optimize_layer(&st->s, lay);
  if (status) return status;
  /* The same layer with the half-order rule, polished from this solution. */
  opt_layer h = *lay;
  h.T = st->Vh[i];
  status = polish_layer(st->qh, &h);
  if (status) return status;
  st->Vh[i + 1] = h.V;
  st->n = i;
  return RELUCAP_SUCCESS;
}

/* dq/dalpha by a central difference (for the curvature in alpha). */
static double q_slope(double alpha, relucap_kind kind)
{
  double h = 1e-5 * alpha;
  return (relucap_plain_q(alpha + h, kind, NULL) - relucap_plain_q(alpha - h, kind, NULL)) / (2 * h);
}

/* The depth-(n+1) result from the first n layers. */
static int state_result(const opt_state *st, relucap_optimized_result *res)
{
  int l = st->n + 1;
  memset(res, 0, sizeof *res);
  res->V[1] = 1.0;
  res->grid_gap = INFINITY;
  res->scan_gap = INFINITY;
  for (int i = 1; i < l; i++) {
    const opt_layer *lay = &st->lay[i];
    res->V[i + 1] = lay->V;
    res->ratios[i + 1] = lay->pi;
    res->gbar[i] = lay->b.gbar;
    res->gamma[i] = lay->b.gamma;
    res->rho[i] = lay->b.rho;
    res->residual = fmax(res->residual, fmax(lay->residual, lay->b.residual));
    res->half_gap = fmax(res->half_gap, fabs(lay->b.gbar - lay->T / 2));
    res->root_residual = fmax(res->root_residual, fabs(lay->b.G - lay->T) / lay->T);
    res->grid_gap = fmin(res->grid_gap, lay->grid_gap);
    res->scan_gap = fmin(res->scan_gap, lay->scan_gap);
  }
  if (l == 1) res->grid_gap = res->scan_gap = 0;
  int status = relucap_plain_q_inverse(res->V[l], st->kind, &res->capacity, &res->c);
  if (status) return status;
  res->q = res->V[l];
  res->nu1 = 0.5 * res->c * res->c;
  /* d alpha_l / d V_{k+1} = prod_{j > k} dV_{j+1}/dV_j / q'(alpha_l), dV_{j+1}/dV_j = 1/(pi rho_j);
   * at the optimum dV_{k+1}/dpi = 0, so d^2 alpha_l / d pi^2 = (d alpha_l / d V_{k+1}) V_{k+1}''. */
  double factor = 1.0 / q_slope(res->capacity, st->kind);
  for (int k = l - 1; k >= 1; k--) {
    res->curvature[k + 1] = factor * st->lay[k].d2V;
    factor /= st->lay[k].pi * st->lay[k].b.rho;
  }
  double cap_h;
  status = relucap_plain_q_inverse(st->Vh[l], st->kind, &cap_h, NULL);
  if (status) return status;
  /* plus a rounding floor: two rules agreeing to the last bit still carry rounding error */
  res->quad_error = fabs(cap_h - res->capacity) + 4 * DBL_EPSILON * res->capacity;
  if (res->grid_gap < -GRID_TOL)
    RELUCAP_ERROR("optimized: a (gb, gam) grid point lies below the polished block minimum", RELUCAP_ETOL);
  return RELUCAP_SUCCESS;
}

static int check_problem(const relucap_optimized_problem *prob)
{
  if (prob->depth < 1 || prob->depth > RELUCAP_MAX_DEPTH) RELUCAP_ERROR("depth out of range", RELUCAP_EINVAL);
  if (prob->kind != RELUCAP_WEAK && prob->kind != RELUCAP_STRONG) RELUCAP_ERROR("unknown kind", RELUCAP_EINVAL);
  for (int i = 0; i < prob->depth - 1; i++)
    if (!prob->alphas || !(prob->alphas[i] > 0) || !isfinite(prob->alphas[i]))
      RELUCAP_ERROR("alphas must be positive and finite", RELUCAP_EINVAL);
  if (prob->ratio_min < 0 || prob->ratio_max < 0 ||
      (prob->ratio_min > 0 && prob->ratio_max > 0 && !(prob->ratio_min < prob->ratio_max)) ||
      !isfinite(prob->ratio_min) || !isfinite(prob->ratio_max))
    RELUCAP_ERROR("ratio range must satisfy 0 < ratio_min < ratio_max", RELUCAP_EINVAL);
  return RELUCAP_SUCCESS;
}

int relucap_optimized_capacity(const relucap_optimized_problem *prob, relucap_optimized_result *res)
{
  double t0 = relucap_clock();
  int status = check_problem(prob);
  if (status) return status;
  memset(res, 0, sizeof *res);
  opt_state st;
  status = state_init(&st, prob->kind, prob->quad, prob->nodes, prob->ratio_min, prob->ratio_max,
                      prob->scan_points);
  for (int i = 1; i < prob->depth && !status; i++) {
    status = state_add_layer(&st, prob->alphas[i - 1]);
    if (status == RELUCAP_EBOUNDARY) res->boundary_layer = i;
  }
  if (!status) status = state_result(&st, res);
  state_free(&st);
  if (status == RELUCAP_EBOUNDARY) {
    int layer = res->boundary_layer;
    memset(res, 0, sizeof *res);
    res->boundary_layer = layer;
  }
  res->seconds = relucap_clock() - t0;
  return status;
}

int relucap_optimized_at_ratios(const relucap_optimized_problem *prob, const double *ratios,
                                relucap_optimized_result *res)
{
  double t0 = relucap_clock();
  int status = check_problem(prob);
  if (status) return status;
  for (int i = 0; i < prob->depth - 1; i++)
    if (!ratios || !(ratios[i] > 0) || !isfinite(ratios[i]))
      RELUCAP_ERROR("ratios must be positive and finite", RELUCAP_EINVAL);
  memset(res, 0, sizeof *res);
  opt_state st;
  status = state_init(&st, prob->kind, prob->quad, prob->nodes, 0, 0, 0);
  for (int i = 1; i < prob->depth && !status; i++) {
    opt_layer *lay = &st.lay[i];
    memset(lay, 0, sizeof *lay);
    lay->alpha = prob->alphas[i - 1];
    lay->pi = ratios[i - 1];
    lay->T = i == 1 ? 1.0 : st.lay[i - 1].V;
    if (i > 1) { /* continuation in depth: the previous layer's block, V scaled to the new target */
      lay->b = st.lay[i - 1].b;
      lay->V = st.lay[i - 1].V * lay->T / st.lay[i - 1].T;
    }
    status = solve_fixed_ratio(st.q, lay->alpha, lay->pi, lay->T, &lay->b, &lay->V, 1);
    if (status) break;
    lay->residual = lay->b.residual;
    relucap_plain_block bh = lay->b;
    double Vh = lay->V;
    status = solve_fixed_ratio(st.qh, lay->alpha, lay->pi, st.Vh[i], &bh, &Vh, 1);
    st.Vh[i + 1] = Vh;
    st.n = i;
  }
  if (!status) {
    status = state_result(&st, res);
    for (int k = 2; k <= prob->depth; k++) res->curvature[k] = 0;
    res->half_gap = res->grid_gap = res->scan_gap = 0;
  }
  state_free(&st);
  res->seconds = relucap_clock() - t0;
  return status;
}

int relucap_optimized_chain(double alpha1, relucap_kind kind, int L, relucap_quad_method quad,
                            size_t nodes, double *caps, relucap_optimized_result *res,
                            int *failed_depth)
{
  if (L < 1 || L > RELUCAP_MAX_DEPTH) RELUCAP_ERROR("chain: depth out of range", RELUCAP_EINVAL);
  if (!(alpha1 > 0) || !isfinite(alpha1)) RELUCAP_ERROR("chain: alpha_1 must be positive", RELUCAP_EINVAL);
  if (kind != RELUCAP_WEAK && kind != RELUCAP_STRONG) RELUCAP_ERROR("chain: unknown kind", RELUCAP_EINVAL);
  opt_state st;
  int status = state_init(&st, kind, quad, nodes, 0, 0, 0);
  caps[1] = alpha1;
  if (failed_depth) *failed_depth = 0;
  int k = 2;
  for (; k <= L && !status; k++) {
    double t0 = relucap_clock();
    status = state_add_layer(&st, caps[k - 1]);
    relucap_optimized_result r;
    if (!status) status = state_result(&st, &r);
    if (status) break;
    r.seconds = relucap_clock() - t0;
    caps[k] = r.capacity;
    if (res) res[k] = r;
  }
  if (status && failed_depth) *failed_depth = k;
  state_free(&st);
  return status;
}

/* ---------- the linear-first-layer sanity model ---------- */

/* f(A, B) = sqrt((s - A)^2 + B^2) + w sqrt(A^2 + B^2) + t B, w = rho q, t = rho s: convex. */
typedef struct {
  double s, w, t, B;
} lf_params;

static double lf_value(double A, const lf_params *p)
{
  return hypot(p->s - A, p->B) + p->w * hypot(A, p->B) + p->t * p->B;
}

/* Golden-section minimum of a convex function on [lo, hi] (no bracketing condition needed). */
static double golden_min(double (*f)(double, void *), void *params, double lo, double hi, int iters)
{
  const double r = 0.6180339887498949;
  double a = lo, b = hi, x1 = b - r * (b - a), x2 = a + r * (b - a), f1 = f(x1, params), f2 = f(x2, params);
  for (int it = 0; it < iters; it++) {
    if (f1 <= f2) { b = x2; x2 = x1; f2 = f1; x1 = b - r * (b - a); f1 = f(x1, params); }
    else          { a = x1; x1 = x2; f1 = f2; x2 = a + r * (b - a); f2 = f(x2, params); }
  }
  return fmin(f1, f2);
}

static double lf_over_A(double A, void *params) { return lf_value(A, params); }

/* For fixed B the minimiser in A lies in [0, s] (outside it both norms grow). */
static double lf_over_B(double B, void *params)
{
  lf_params p = *(const lf_params *)params;
  p.B = B;
  return golden_min(lf_over_A, &p, 0.0, p.s, 70);
}

/* min_{A,B} f - 1; -inf when the linear term wins (t >= 1 + w: f unbounded below). */
static double lf_dual(double q, double rho, double s)
{
  lf_params p = {s, rho * q, rho * s, 0};
  double slack = 1 + p.w - p.t;
  if (!(slack > 0)) return -INFINITY;
  /* f >= (1 + w - t)|B| and f(0, 0) = s, so the minimiser has |B| <= s / slack. */
  double Bmax = s / slack;
  return golden_min(lf_over_B, &p, -Bmax, Bmax, 70) - 1;
}

double relucap_optimized_linear_first_dual(double alpha1, double rho, double q)
{
  return lf_dual(q, rho, sqrt(alpha1));
}

typedef struct {
  double rho, s;
} lf_root_params;

static double lf_root_fn(double q, void *params)
{
  const lf_root_params *p = params;
  double v = lf_dual(q, p->rho, p->s);
  return isfinite(v) ? v : -1.0;
}

int relucap_optimized_linear_first_at(double alpha1, double rho, relucap_kind kind, double *alpha2)
{
  if (!(alpha1 > 1) || !isfinite(alpha1)) RELUCAP_ERROR("linear-first: need alpha_1 > 1", RELUCAP_EINVAL);
  if (!(rho > 0) || !isfinite(rho)) RELUCAP_ERROR("linear-first: need rho > 0", RELUCAP_EINVAL);
  lf_root_params p = {rho, sqrt(alpha1)};
  /* The dual is increasing in q, -inf or negative for small q, and tends to s - 1 > 0. */
  double lo = 0, hi = 1;
  while (lf_root_fn(hi, &p) <= 0) {
    lo = hi;
    hi *= 2;
    if (hi > 1e8) RELUCAP_ERROR("linear-first: no root in q", RELUCAP_EDOM);
  }
  double q;
  int st = relucap_root_bracket(lf_root_fn, &p, lo, hi, 1e-14, &q);
  if (st) return st;
  return relucap_plain_q_inverse(q, kind, alpha2, NULL);
}

typedef struct {
  double alpha1;
  relucap_kind kind;
  int failed;
} lf_min_params;

static double lf_bound_of_logrho(double x, void *params)
{
  lf_min_params *p = params;
  double a2;
  if (relucap_optimized_linear_first_at(p->alpha1, exp(x), p->kind, &a2)) { p->failed = 1; return INFINITY; }
  return a2;
}

int relucap_optimized_linear_first(double alpha1, relucap_kind kind, double *alpha2, double *rho_out)
{
  if (!(alpha1 > 1) || !isfinite(alpha1)) RELUCAP_ERROR("linear-first: need alpha_1 > 1", RELUCAP_EINVAL);
  lf_min_params p = {alpha1, kind, 0};
  /* Scan log rho in [log 1e-2, log 1e2], then Brent inside the best point's neighbours. */
  enum { N = 25 };
  double xs[N], fs[N];
  int best = 0;
  for (int j = 0; j < N; j++) {
    xs[j] = log(1e-2) + j * (log(1e4) / (N - 1));
    fs[j] = lf_bound_of_logrho(xs[j], &p);
    if (fs[j] < fs[best]) best = j;
  }
  if (p.failed && !isfinite(fs[best])) RELUCAP_ERROR("linear-first: no finite bound", RELUCAP_EDOM);
  if (best == 0 || best == N - 1) RELUCAP_ERROR("linear-first: optimum on the range end", RELUCAP_EBOUNDARY);
  double x, f;
  p.failed = 0;
  int st = relucap_min_bracket(lf_bound_of_logrho, &p, xs[best - 1], xs[best], xs[best + 1], 1e-6, &x, &f);
  if (st) return st;
  if (p.failed) RELUCAP_ERROR("linear-first: a bound evaluation failed", RELUCAP_EDOM);
  *alpha2 = f;
  if (rho_out) *rho_out = exp(x);
  return RELUCAP_SUCCESS;
}

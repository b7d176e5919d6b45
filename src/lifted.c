/* Partially lifted RDT for deep ReLU networks (docs/lifted-rdt.md; paper arXiv 2412.19677,
 * section 5, eqs (73)-(94) with the typos fixed). */
#include "relucap/lifted.h"
#include "relucap/common.h"
#include "relucap/saddle.h"
#include <gsl/gsl_blas.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <string.h>

#define INV_SQRT_2PI 0.39894228040143267794

/* ---------- layer functions (notes 2.1) ---------- */

typedef struct {
  double c, gb, k;   /* lifting parameter, gbar, k = sqrt(1 + 4 gam gb) */
  double k2;         /* 1 + 4 gam gb */
  double c4;         /* c / (4 gb) */
  double B, w, sw;   /* B = c gb / k^2, w = 1 - 2B, sw = sqrt(w) */
  double half_log_w; /* ln(w) / 2 */
  int grad;          /* also the three partial derivatives */
} f1_lift_params;

/* phi(g) E_h exp(-c fq1(g, h)) with the h-integral in closed form (eqs (84)-(85)):
 *   g > 0 : exp(-c g^2/(4gb)) [Phibar(A) + J(A, A)],
 *   g <= 0: Phibar(C) + exp(-c g^2/(4gb)) J(A, C),
 * J(A, C) = w^{-1/2} exp(B A^2 / w) Phi((2AB + wC)/sqrt w), A = g/(2gb), C = g(1 + k)/(2gb).
 * The exponentials are combined in log space so exp(B A^2/w) never overflows alone.
 *
 * With p->grad, out[1..3] = the integrands of dF1/dc, dF1/dgb, dF1/dgam: E_h[-d(c fq1)/d theta
 * e^{-c fq1}] (fq1 is continuous in h, so the moving switch point C adds nothing).  Where the
 * minimiser is active (h < C), with u = h - A,
 *   fq1 = g^2/(4gb) - gb u^2/k^2,  d fq1/d gb = -(A + u/k^2)^2,  d fq1/d gam = 4 gb^2 u^2/k^4,
 * and the h-moments E[u^j e^{B u^2} 1(h < C)] = J (1, m1, m2) come from the normal N(mu, 1/w),
 * mu = -2AB/w, truncated above at C: with beta = (C - mu) sqrt(w), lam = phi(beta)/Phi(beta),
 * delta = mu - A = -A/w:  m1 = delta - lam/sqrt(w),  m2 = (1 - beta lam)/w - 2 delta lam/sqrt(w) + delta^2.
 * Where it is inactive fq1 = g^2/(4gb) (g > 0) or 0 (g <= 0). */
static int f1_lift_integrand(double g, void *params, double *out)
{
  const f1_lift_params *p = params;
  double A = g / (2 * p->gb), g2 = g * g;
  double base = -g2 * (0.5 + p->c4);           /* log of phi(g) exp(-c g^2/(4gb)), without 1/sqrt(2 pi) */
  double jlog = base + p->B * A * A / p->w - p->half_log_w;
  double C = g > 0 ? A : g * (1 + p->k) / (2 * p->gb);
  double beta = (2 * A * p->B + p->w * C) / p->sw;
  double logPhi = relucap_log_ncdf(beta);
  double kept = g > 0 ? exp(base) * relucap_nsf(A) : exp(-0.5 * g2) * relucap_nsf(C);
  double T = INV_SQRT_2PI * exp(jlog + logPhi); /* phi(g) e^{-c g^2/(4gb)} J(A, C) */
  out[0] = INV_SQRT_2PI * kept + T;
  if (!p->grad) return 0;
  double lam = exp(-0.5 * beta * beta - logPhi) * INV_SQRT_2PI;
  double delta = -A / p->w, s = 1 / p->sw;
  double m1 = delta - s * lam;
  double m2 = (1 - beta * lam) * s * s - 2 * delta * s * lam + delta * delta;
  double keptE = g > 0 ? INV_SQRT_2PI * kept : 0.0; /* inactive part that carries e^{-c g^2/(4gb)} */
  double k2 = p->k2;
  out[1] = -(T * (g2 / (4 * p->gb) - p->gb * m2 / k2) + keptE * g2 / (4 * p->gb));
  out[2] = p->c * (T * (A * A + 2 * A * m1 / k2 + m2 / (k2 * k2)) + keptE * A * A);
  out[3] = -p->c * T * 4 * p->gb * p->gb * m2 / (k2 * k2);
  return 0;
}

/* F1 and (grad != NULL) its partials in (c, gb, gam), with the error estimate of F1. */
static int f1_lift(const relucap_quad *q, double c, double gb, double gam, double *F1, double grad[3], double *err)
{
  f1_lift_params p;
  double k2 = 1 + 4 * gam * gb;
  if (!(gb > 0) || !(k2 > 0) || !isfinite(c) || !isfinite(gam))
    RELUCAP_ERROR("F1: need gb > 0, 1 + 4 gam gb > 0", RELUCAP_EDOM);
  p.c = c;
  p.gb = gb;
  p.k2 = k2;
  p.k = sqrt(k2);
  p.c4 = c / (4 * gb);
  p.B = c * gb / k2;
  p.w = 1 - 2 * p.B;
  p.grad = grad != NULL;
  if (!(p.w > 0)) RELUCAP_ERROR("F1: need 1 - 2 c gb/(1 + 4 gam gb) > 0", RELUCAP_EDOM);
  p.sw = sqrt(p.w);
  p.half_log_w = 0.5 * log(p.w);
  /* the integrand decays like exp(-beta g^2); beta <= 0 means F1 = +inf */
  double beta = 0.5 + p.c4 - p.B / (4 * gb * gb * p.w);
  if (!(beta > 0.02)) RELUCAP_ERROR("F1: the g-integral diverges (c too large)", RELUCAP_EDOM);
  size_t dim = grad ? 4 : 1;
  double neg[4], pos[4], eneg[4] = {0}, epos[4] = {0};
  int st = relucap_quad_halfline(q, f1_lift_integrand, &p, dim, -1, neg, err ? eneg : NULL);
  if (!st) st = relucap_quad_halfline(q, f1_lift_integrand, &p, dim, +1, pos, err ? epos : NULL);
  if (st) return st;
  *F1 = neg[0] + pos[0];
  if (!(*F1 > 0)) RELUCAP_ERROR("F1: non-positive value", RELUCAP_EBADFUNC);
  if (grad)
    for (int k = 0; k < 3; k++) grad[k] = neg[k + 1] + pos[k + 1];
  if (err) {
    /* GL truncates at its cut L = 12: add the mass exp(-beta L^2) the rule does not see */
    double tail = relucap_quad_get_method(q) == RELUCAP_QUAD_GL ? exp(-beta * 144.0) * 12.0 : 0.0;
    *err = eneg[0] + epos[0] + tail;
  }
  return RELUCAP_SUCCESS;
}

int relucap_lifted_log_f1(const relucap_quad *q, double c, double gb, double gam, double *logf1, double *err)
{
  double F1;
  int st = f1_lift(q, c, gb, gam, &F1, NULL, err);
  if (st) return st;
  *logf1 = log(F1);
  if (err) *err /= F1;
  return RELUCAP_SUCCESS;
}

int relucap_lifted_log_f1_grad(const relucap_quad *q, double c, double gb, double gam, double *logf1,
                               double grad[3], double *err)
{
  double F1;
  int st = f1_lift(q, c, gb, gam, &F1, grad, err);
  if (st) return st;
  *logf1 = log(F1);
  for (int k = 0; k < 3; k++) grad[k] /= F1;
  if (err) *err /= F1;
  return RELUCAP_SUCCESS;
}

double relucap_lifted_log_f2(double c, double nu1, double *d_c, double *d_nu)
{
  if (!(c > -0.5) || !(nu1 >= 0) || !isfinite(c) || !isfinite(nu1)) return NAN;
  double a = sqrt(2 * nu1), s = sqrt(1 + 2 * c);
  double low = exp(-2 * c * nu1) * relucap_nsf(a); /* e^{-c nu1} Phibar(a) / e^{c nu1} */
  double P = 0.5 * erf(a * s * M_SQRT1_2);          /* Phi(a s) - 1/2 */
  double F = 0.5 + low + P / s;                     /* F2 / e^{c nu1} */
  /* dF2/dnu1 = c D and dF2/dc = nu1 D + e^{c nu1} (a phi(a s)/s^2 - P/s^3), with
   * D = e^{c nu1}/2 - e^{-c nu1} Phibar(a) + e^{c nu1} P / s (the phi(a) terms cancel). */
  double D = 0.5 - low + P / s;
  if (d_nu) *d_nu = c * D / F;
  if (d_c) *d_c = (nu1 * D + a * relucap_npdf(a * s) / (s * s) - P / (s * s * s)) / F;
  return c * nu1 + log(F);
}

double relucap_lifted_S(double c, double *dS, double *gs)
{
  double g = (c + sqrt(c * c + 4)) / 4;
  if (gs) *gs = g;
  if (c == 0) {
    if (dS) *dS = -0.25;
    return -1.0;
  }
  double u = c / (2 * g), l = log1p(-u);
  /* envelope: dS/dc = d/dc [ln(1 - c/(2 gs))/(2c)] at fixed gs */
  if (dS) *dS = -l / (2 * c * c) - 1 / (2 * c * (2 * g - c));
  return -g + l / (2 * c);
}

/* ---------- the objective Psi (notes 2.2) ---------- */

typedef struct {
  double l;              /* log F1 */
  double dx, dgb, dgam;  /* partials in (x = c r_{i-1}, gb, gam) */
  double err;
} log_f1_point;

/* log F1 and, if wanted, its partials (closed-form h-moments, relucap_lifted_log_f1_grad). */
static int log_f1_partials(const relucap_quad *q, double x, double gb, double gam, int want,
                           int want_err, log_f1_point *o)
{
  if (!want) return relucap_lifted_log_f1(q, x, gb, gam, &o->l, want_err ? &o->err : NULL);
  double g[3];
  int st = relucap_lifted_log_f1_grad(q, x, gb, gam, &o->l, g, want_err ? &o->err : NULL);
  o->dx = g[0];
  o->dgb = g[1];
  o->dgam = g[2];
  return st;
}

int relucap_lifted_psi(const relucap_quad *q, relucap_kind kind, const double *alphas,
                       const relucap_lifted_params *p, double *value, relucap_lifted_derivs *d, double *err)
{
  int L = p->depth;
  double c = p->c3;
  if (L < 1 || L > RELUCAP_LIFTED_MAX_DEPTH) RELUCAP_ERROR("psi: bad depth", RELUCAP_EINVAL);
  if (!(c > 0) || !isfinite(c)) RELUCAP_ERROR("psi: need c3 > 0", RELUCAP_EDOM);
  for (int i = 1; i < L; i++)
    if (!(p->r[i] > 0) || !(p->gbar[i] > 0)) RELUCAP_ERROR("psi: need r_i, gb_i > 0", RELUCAP_EDOM);
  if (!(p->gbar[L] > 0) || !(p->nu >= 0)) RELUCAP_ERROR("psi: need gb_L > 0, nu >= 0", RELUCAP_EDOM);
  double kappa = relucap_kappa(kind);
  /* gradient layout: r_1..r_{L-1} | gb_1..gb_L | gam_1..gam_{L-1} | nu */
  double *gr = NULL, *ggb = NULL, *ggam = NULL;
  if (d) {
    memset(d, 0, sizeof *d);
    gr = d->grad;
    ggb = d->grad + (L - 1);
    ggam = d->grad + (2 * L - 1);
  }
  double sum_r2 = 1.0; /* r_0 = 1 */
  for (int i = 1; i < L; i++) sum_r2 += p->r[i] * p->r[i];
  double psi = 0.5 * c * sum_r2, e = 0;
  if (d) {
    d->dc3 = 0.5 * sum_r2;
    for (int i = 1; i < L; i++) gr[i - 1] = c * p->r[i];
  }
  /* hidden layers */
  for (int i = 1; i < L; i++) {
    double a = alphas[i - 1], rp = p->r[i - 1], ri = p->r[i], gb = p->gbar[i], gam = p->gamma[i];
    log_f1_point f;
    int st = log_f1_partials(q, c * rp, gb, gam, d != NULL, err != NULL, &f);
    if (st) return st;
    psi += rp * gb - (a / c) * f.l - gam * ri * ri / rp;
    if (err) e += (a / c) * f.err;
    if (d) {
      if (i >= 2) gr[i - 2] += gb - a * f.dx + gam * ri * ri / (rp * rp);
      gr[i - 1] += -2 * gam * ri / rp;
      ggb[i - 1] = rp - (a / c) * f.dgb;
      ggam[i - 1] = -(a / c) * f.dgam - ri * ri / rp;
      d->dc3 += -(a / c) * rp * f.dx + (a / (c * c)) * f.l;
    }
  }
  /* last layer: k = r_{L-1}^2/(4 gb_L), F2 at (c k, nu/k) */
  double a = alphas[L - 1], rl = p->r[L - 1], gbl = p->gbar[L], nu = p->nu;
  double k = rl * rl / (4 * gbl), mc, mn;
  double m = relucap_lifted_log_f2(c * k, nu / k, &mc, &mn);
  if (!isfinite(m)) RELUCAP_ERROR("psi: F2 undefined", RELUCAP_EDOM);
  psi += gbl - (a / c) * m - nu * (kappa - a);
  if (d) {
    double dm_dk = mc * c - mn * nu / (k * k);
    if (L >= 2) gr[L - 2] += -(a / c) * dm_dk * (2 * k / rl);
    ggb[L - 1] = 1 + (a / c) * dm_dk * k / gbl;
    d->grad[3 * L - 2] = -(a / c) * mn / k - (kappa - a);
    d->dc3 += -(a / c) * mc * k + (a / (c * c)) * m;
    d->dalpha = -m / c + nu;
  }
  double dS;
  psi += relucap_lifted_S(c, &dS, NULL);
  if (d) d->dc3 += dS;
  if (!isfinite(psi)) RELUCAP_ERROR("psi: non-finite value", RELUCAP_EBADFUNC);
  *value = psi;
  if (err) *err = e;
  return RELUCAP_SUCCESS;
}

/* ---------- the stationarity system ---------- */

/* Unknowns y: r_1..r_{L-1} | gb_1..gb_L | gam_1..gam_{L-1} | nu | alpha_L [| c3 when free].
 * Equations: grad Psi = 0 (3L - 1), Psi = 0 [, dPsi/dc3 = 0]. */
typedef struct {
  const relucap_quad *q;
  relucap_kind kind;
  int L;
  const double *alphas; /* alpha_1..alpha_{L-1} */
  double c3;            /* used when !free_c */
  int free_c;
} lifted_system;

static int sys_size(const lifted_system *s) { return 3 * s->L + (s->free_c ? 1 : 0); }

static void unpack(const lifted_system *s, const double *y, relucap_lifted_params *p, double *alphas)
{
  int L = s->L;
  memset(p, 0, sizeof *p);
  p->depth = L;
  p->r[0] = 1.0;
  for (int i = 1; i < L; i++) {
    p->r[i] = y[i - 1];
    p->gamma[i] = y[2 * L - 1 + i - 1];
    alphas[i - 1] = s->alphas[i - 1];
  }
  for (int i = 1; i <= L; i++) p->gbar[i] = y[L - 1 + i - 1];
  p->nu = y[3 * L - 2];
  alphas[L - 1] = y[3 * L - 1];
  p->c3 = s->free_c ? y[3 * L] : s->c3;
}

static void pack(const lifted_system *s, const relucap_lifted_params *p, double alpha, double *y)
{
  int L = s->L;
  for (int i = 1; i < L; i++) {
    y[i - 1] = p->r[i];
    y[2 * L - 1 + i - 1] = p->gamma[i];
  }
  for (int i = 1; i <= L; i++) y[L - 1 + i - 1] = p->gbar[i];
  y[3 * L - 2] = p->nu;
  y[3 * L - 1] = alpha;
  if (s->free_c) y[3 * L] = p->c3;
}

static int sys_eval(const lifted_system *s, const double *y, double *F)
{
  relucap_lifted_params p;
  relucap_lifted_derivs d;
  double alphas[RELUCAP_LIFTED_MAX_DEPTH], val;
  unpack(s, y, &p, alphas);
  int st = relucap_lifted_psi(s->q, s->kind, alphas, &p, &val, &d, NULL);
  if (st) return st;
  int L = s->L;
  for (int k = 0; k < 3 * L - 1; k++) F[k] = d.grad[k];
  F[3 * L - 1] = val;
  if (s->free_c) F[3 * L] = d.dc3;
  return RELUCAP_SUCCESS;
}

static double max_abs(const double *v, int n)
{
  double m = 0;
  for (int i = 0; i < n; i++) m = fmax(m, fabs(v[i]));
  return m;
}

#define NEWTON_TOL 1e-12   /* target max |F| */
#define NEWTON_ACCEPT 1e-10 /* stagnation below this counts as converged (reported as residual) */

/* Damped Newton with a central-difference Jacobian and step halving (also away from points where
 * Psi is undefined).  y is updated in place; *resid receives max |F|. */
static int newton(const lifted_system *s, double *y, double *resid)
{
  int n = sys_size(s), status = RELUCAP_EMAXITER;
  double F[3 * RELUCAP_LIFTED_MAX_DEPTH + 1], Fp[3 * RELUCAP_LIFTED_MAX_DEPTH + 1],
      Fm[3 * RELUCAP_LIFTED_MAX_DEPTH + 1], yt[3 * RELUCAP_LIFTED_MAX_DEPTH + 1];
  int st = sys_eval(s, y, F);
  if (st) return st;
  double nrm = max_abs(F, n);
  gsl_matrix *J = gsl_matrix_alloc((size_t)n, (size_t)n);
  gsl_vector *rhs = gsl_vector_alloc((size_t)n), *dx = gsl_vector_alloc((size_t)n);
  gsl_permutation *perm = gsl_permutation_alloc((size_t)n);
  gsl_error_handler_t *old = gsl_set_error_handler_off();
  if (!J || !rhs || !dx || !perm) { status = RELUCAP_ENOMEM; goto done; }
  for (int it = 0; it < 40; it++) {
    if (nrm <= NEWTON_TOL) { status = RELUCAP_SUCCESS; break; }
    for (int j = 0; j < n; j++) {
      double h = 1e-6 * fmax(1.0, fabs(y[j]));
      memcpy(yt, y, (size_t)n * sizeof *y);
      yt[j] = y[j] + h;
      if ((st = sys_eval(s, yt, Fp))) { status = st; goto done; }
      yt[j] = y[j] - h;
      if ((st = sys_eval(s, yt, Fm))) { status = st; goto done; }
      for (int i = 0; i < n; i++) gsl_matrix_set(J, (size_t)i, (size_t)j, (Fp[i] - Fm[i]) / (2 * h));
    }
    for (int i = 0; i < n; i++) gsl_vector_set(rhs, (size_t)i, -F[i]);
    int sgn;
    gsl_linalg_LU_decomp(J, perm, &sgn);
    if (gsl_linalg_LU_solve(J, perm, rhs, dx) || !isfinite(gsl_blas_dnrm2(dx))) { status = RELUCAP_ESING; break; }
    double t = 1.0;
    int accepted = 0;
    for (int ls = 0; ls < 30 && !accepted; ls++, t *= 0.5) {
      for (int i = 0; i < n; i++) yt[i] = y[i] + t * gsl_vector_get(dx, (size_t)i);
      if (sys_eval(s, yt, Fp)) continue;
      double nt = max_abs(Fp, n);
      if (nt < (1 - 1e-4 * t) * nrm) {
        memcpy(y, yt, (size_t)n * sizeof *y);
        memcpy(F, Fp, (size_t)n * sizeof *F);
        nrm = nt;
        accepted = 1;
      }
    }
    if (!accepted) {
      status = nrm <= NEWTON_ACCEPT ? RELUCAP_SUCCESS : RELUCAP_ENOPROG;
      break;
    }
  }
  if (status == RELUCAP_EMAXITER && nrm <= NEWTON_ACCEPT) status = RELUCAP_SUCCESS;
done:
  gsl_set_error_handler(old);
  gsl_matrix_free(J);
  gsl_vector_free(rhs);
  gsl_vector_free(dx);
  gsl_permutation_free(perm);
  *resid = nrm;
  return status;
}

/* ---------- the first-order slope at c3 = 0+ (notes section 4) ---------- */

int relucap_lifted_slope0(const relucap_quad *q, relucap_kind kind, const double *alphas,
                          const relucap_plain_params *pp, double *slope)
{
  int L = pp->depth;
  if (L < 1 || L > RELUCAP_LIFTED_MAX_DEPTH) RELUCAP_ERROR("slope0: bad depth", RELUCAP_EINVAL);
  double phi0;
  int st = relucap_plain_phi(q, kind, alphas, pp, &phi0, NULL, NULL);
  if (st) return st;
  relucap_lifted_params p;
  memset(&p, 0, sizeof p);
  p.depth = L;
  for (int i = 0; i <= L; i++) {
    p.r[i] = pp->r[i];
    p.gbar[i] = pp->gbar[i];
    p.gamma[i] = pp->gamma[i];
  }
  p.r[0] = 1.0;
  p.nu = pp->nu;
  /* D(c) = (Psi(c) - Phi)/c = s + t c + u c^2 + ...;  s = (8 D(h) - 6 D(2h) + D(4h)) / 3 */
  static const double wt[3] = {8, -6, 1};
  /* the expansion is in powers of c r_{i-1} (hidden layer i) and c k (last layer): scale the step
   * so that every lifting parameter stays below 2e-3 * 4 */
  double scale = 1.0;
  for (int i = 1; i < L; i++) scale = fmax(scale, pp->r[i - 1] * pp->gbar[i] / (1 + 4 * pp->gamma[i] * pp->gbar[i]) * 4);
  scale = fmax(scale, pp->r[L - 1] * pp->r[L - 1] / (4 * pp->gbar[L]));
  const double h = 2e-3 / scale;
  double acc = 0;
  for (int j = 0; j < 3; j++) {
    double v;
    p.c3 = h * (1 << j);
    st = relucap_lifted_psi(q, kind, alphas, &p, &v, NULL, NULL);
    if (st) return st;
    acc += wt[j] * (v - phi0) / p.c3;
  }
  *slope = acc / 3;
  return RELUCAP_SUCCESS;
}

/* ---------- the capacity ---------- */

typedef struct {
  lifted_system sys;
  double y[3 * RELUCAP_LIFTED_MAX_DEPTH + 1]; /* warm start, updated by each solve */
  int solves;
} c3_search;

/* alpha_L(c3): the root of the saddle value at fixed c3, warm-started from the last solution. */
static int alpha_at(c3_search *cs, double c3, double *alpha, double *resid)
{
  double y[3 * RELUCAP_LIFTED_MAX_DEPTH + 1];
  int n = 3 * cs->sys.L;
  memcpy(y, cs->y, sizeof y);
  cs->sys.c3 = c3;
  cs->sys.free_c = 0;
  int st = newton(&cs->sys, y, resid);
  cs->solves++;
  if (st) return st;
  /* Branch guard: a solve that moves some r_i or gb_i by more than half its value has jumped to
   * another family of stationary points (for 3 layers one exists past a fold in c3, and it is not
   * a min-max saddle); the caller shortens the step instead. */
  for (int k = 0; k < 2 * cs->sys.L - 1; k++)
    if (fabs(y[k] - cs->y[k]) > 0.5 * fabs(cs->y[k])) return RELUCAP_ENOPROG;
  memcpy(cs->y, y, (size_t)n * sizeof *y);
  *alpha = y[n - 1];
  return RELUCAP_SUCCESS;
}

/* Continuation from the current warm start at c_from to c_to (> c_from) in steps of at most a
 * factor 2, shortened (down to 1%) where a step fails. */
static int continue_to(c3_search *cs, double c_from, double c_to, double *alpha, double *resid)
{
  double c = c_from, factor = 2;
  while (c < c_to) {
    double next = fmin(c * factor, c_to);
    int st = alpha_at(cs, next, alpha, resid);
    if (st) {
      if (factor < 1.01) return st;
      factor = sqrt(factor);
      continue;
    }
    c = next;
    factor = fmin(2, factor * factor);
  }
  return RELUCAP_SUCCESS;
}

typedef struct {
  c3_search *cs;
  int failed;
} brent_call;

static double alpha_of_c3(double c3, void *params)
{
  brent_call *b = params;
  double alpha, resid;
  if (alpha_at(b->cs, c3, &alpha, &resid)) { b->failed = 1; return INFINITY; }
  return alpha;
}

static int check_problem(const relucap_lifted_problem *prob)
{
  if (prob->depth < 1 || prob->depth > RELUCAP_LIFTED_MAX_DEPTH) RELUCAP_ERROR("lifted: depth out of range", RELUCAP_EINVAL);
  if (prob->kind != RELUCAP_WEAK && prob->kind != RELUCAP_STRONG) RELUCAP_ERROR("lifted: unknown kind", RELUCAP_EINVAL);
  if (prob->c3 < 0 || !isfinite(prob->c3)) RELUCAP_ERROR("lifted: c3 must be >= 0 and finite", RELUCAP_EINVAL);
  for (int i = 0; i < prob->depth - 1; i++)
    if (!prob->alphas || !(prob->alphas[i] > 0) || !isfinite(prob->alphas[i]))
      RELUCAP_ERROR("lifted: alphas must be positive and finite", RELUCAP_EINVAL);
  return RELUCAP_SUCCESS;
}

static void params_from_plain(const relucap_plain_params *pp, relucap_lifted_params *p)
{
  memset(p, 0, sizeof *p);
  p->depth = pp->depth;
  for (int i = 0; i <= pp->depth; i++) {
    p->r[i] = pp->r[i];
    p->gbar[i] = pp->gbar[i];
    p->gamma[i] = pp->gamma[i];
  }
  p->r[0] = 1.0;
  p->nu = pp->nu;
}

/* Search c3 > 0 for the smallest alpha_L(c3): a doubling scan from C3_FIRST with continuation until
 * alpha_L turns up, then the envelope system (grad, Psi, dPsi/dc3 = 0) from the best grid point,
 * with Brent on alpha_L(c3) inside the bracket as the fallback. */
#define C3_FIRST 0.02
#define C3_LAST 20.0
static int optimise_c3(c3_search *cs, double alpha_plain, double *c3_out, double *alpha_out, double *resid)
{
  int n = 3 * cs->sys.L;
  double c_prev2 = 0, c_prev = 0, a_prev = alpha_plain, c = C3_FIRST, a, r;
  double y_best[3 * RELUCAP_LIFTED_MAX_DEPTH + 1];
  memcpy(y_best, cs->y, sizeof y_best);
  int st = RELUCAP_SUCCESS, turned = 0;
  double factor = 2;
  while (c <= C3_LAST) {
    st = alpha_at(cs, c, &a, &r);
    if (st) {
      /* too long a continuation step (or the edge of the domain): retry with a shorter one */
      if (factor < 1.05) break;
      factor = sqrt(factor);
      c = (c_prev > 0 ? c_prev : C3_FIRST / factor) * factor;
      continue;
    }
    if (a > a_prev) { turned = 1; break; }
    memcpy(y_best, cs->y, sizeof y_best);
    c_prev2 = c_prev;
    c_prev = c;
    a_prev = a;
    c *= factor;
  }
  if (c_prev == 0) {
    /* alpha_L(C3_FIRST) is already above plain although the slope says it falls: the optimum
     * sits below C3_FIRST; bracket (0, C3_FIRST) */
    if (!turned) return st ? st : RELUCAP_ENOPROG;
    c_prev = C3_FIRST / 2;
    memcpy(cs->y, y_best, sizeof y_best);
    st = continue_to(cs, C3_FIRST / 4, c_prev, &a_prev, &r);
    if (st) return st;
    memcpy(y_best, cs->y, sizeof y_best);
  }
  double lo = c_prev2, hi = turned ? c : c_prev; /* the minimum lies in [lo, hi] */
  /* the envelope system from the best grid point */
  lifted_system aug = cs->sys;
  aug.free_c = 1;
  double y[3 * RELUCAP_LIFTED_MAX_DEPTH + 1];
  memcpy(y, y_best, sizeof y);
  y[n] = c_prev;
  st = newton(&aug, y, &r);
  cs->solves++;
  if (!st && y[n] > lo && y[n] <= hi && y[n - 1] <= a_prev + 1e-12) {
    memcpy(cs->y, y, sizeof y);
    cs->sys.c3 = y[n];
    *c3_out = y[n];
    *alpha_out = y[n - 1];
    *resid = r;
    return RELUCAP_SUCCESS;
  }
  /* fallback: Brent on alpha_L(c3) in [lo, hi] (lo = 0 is replaced by a small positive c3) */
  memcpy(cs->y, y_best, sizeof y_best);
  brent_call b = {cs, 0};
  double xmin, fmin;
  st = relucap_min_bracket(alpha_of_c3, &b, lo > 0 ? lo : c_prev / 4, c_prev, hi, 1e-7, &xmin, &fmin);
  if (st || b.failed) return st ? st : RELUCAP_ENOPROG;
  st = alpha_at(cs, xmin, alpha_out, resid);
  *c3_out = xmin;
  return st;
}

/* d alpha_L / d c3 at the current fixed-c3 solution: -(dPsi/dc3)/(dPsi/d alpha_L) (envelope). */
static int alpha_slope(const c3_search *cs, double *g)
{
  relucap_lifted_params p;
  relucap_lifted_derivs d;
  double alphas[RELUCAP_LIFTED_MAX_DEPTH], v;
  unpack(&cs->sys, cs->y, &p, alphas);
  int st = relucap_lifted_psi(cs->sys.q, cs->sys.kind, alphas, &p, &v, &d, NULL);
  if (st) return st;
  *g = -d.dc3 / d.dalpha;
  return RELUCAP_SUCCESS;
}

/* Fast path of the c3 search: secant iteration on g(c3) = d alpha_L / d c3 = 0, each g from a
 * warm-started fixed-c3 solve, starting from g(0+) (the first-order slope) and g(C3_FIRST); steps
 * are limited to a factor 4 for the continuation.  Then the envelope system polishes the point.
 * Returns non-zero when it does not converge (the caller falls back to the scan). */
static int secant_c3(c3_search *cs, double g0, double *c3_out, double *alpha_out, double *resid)
{
  int n = 3 * cs->sys.L, st;
  double y_start[3 * RELUCAP_LIFTED_MAX_DEPTH + 1];
  memcpy(y_start, cs->y, sizeof y_start);
  double c0 = 0, c1 = C3_FIRST, g1, a, r;
  if ((st = alpha_at(cs, c1, &a, &r)) || (st = alpha_slope(cs, &g1))) goto fail;
  for (int it = 0; it < 40; it++) {
    double c2;
    if (g1 > g0 && g1 < 0) c2 = c1 - g1 * (c1 - c0) / (g1 - g0);
    else if (g1 >= 0 && g0 < 0) c2 = c1 - g1 * (c1 - c0) / (g1 - g0);
    else c2 = 2 * c1;
    c2 = fmin(fmax(c2, c1 / 4), 4 * c1);
    if (!(c2 > 0)) { st = RELUCAP_ENOPROG; goto fail; }
    double g2;
    if ((st = alpha_at(cs, c2, &a, &r)) || (st = alpha_slope(cs, &g2))) goto fail;
    double step = fabs(c2 - c1);
    c0 = c1; g0 = g1; c1 = c2; g1 = g2;
    if (step < 1e-4 * c1 || fabs(g1) < 1e-9) break;
  }
  if (!(fabs(g1) < 1e-3)) { st = RELUCAP_ENOPROG; goto fail; }
  /* polish: grad Psi = 0, Psi = 0, dPsi/dc3 = 0 */
  lifted_system aug = cs->sys;
  aug.free_c = 1;
  double y[3 * RELUCAP_LIFTED_MAX_DEPTH + 1];
  memcpy(y, cs->y, sizeof y);
  y[n] = c1;
  st = newton(&aug, y, &r);
  cs->solves++;
  if (st || !(y[n] > 0) || fabs(y[n] - c1) > 0.1 * c1) { st = st ? st : RELUCAP_ENOPROG; goto fail; }
  memcpy(cs->y, y, sizeof y);
  cs->sys.c3 = y[n];
  *c3_out = y[n];
  *alpha_out = y[n - 1];
  *resid = r;
  return RELUCAP_SUCCESS;
fail:
  memcpy(cs->y, y_start, sizeof y_start);
  return st;
}

/* Second-order check of the returned point (as the notes' saddle check): the Hessian of Psi in
 * x = (r, gb, gam, nu) by central differences of the analytic gradient; the block of the max
 * variables (gam, nu) must be negative definite and its Schur complement on the min variables
 * (r, gb) positive definite.  *max_y = largest eigenvalue of the first, *min_x = smallest of the second. */
static int saddle_check(const c3_search *cs, double *max_y, double *min_x)
{
  int L = cs->sys.L, n = 3 * L - 1, nx = 2 * L - 1, ny = L;
  double x[3 * RELUCAP_LIFTED_MAX_DEPTH + 1], H[3 * RELUCAP_LIFTED_MAX_DEPTH][3 * RELUCAP_LIFTED_MAX_DEPTH];
  memcpy(x, cs->y, sizeof x);
  for (int j = 0; j < n; j++) {
    double h = 1e-5 * (1 + fabs(x[j])), gp[3 * RELUCAP_LIFTED_MAX_DEPTH + 1], gm[3 * RELUCAP_LIFTED_MAX_DEPTH + 1];
    double xs = x[j];
    x[j] = xs + h;
    int st = sys_eval(&cs->sys, x, gp);
    x[j] = xs - h;
    if (!st) st = sys_eval(&cs->sys, x, gm);
    x[j] = xs;
    if (st) return st;
    for (int i = 0; i < n; i++) H[i][j] = (gp[i] - gm[i]) / (2 * h);
  }
  gsl_matrix *Y = gsl_matrix_alloc((size_t)ny, (size_t)ny), *S = gsl_matrix_alloc((size_t)nx, (size_t)nx);
  gsl_matrix *Yinv = gsl_matrix_alloc((size_t)ny, (size_t)ny);
  gsl_vector *ey = gsl_vector_alloc((size_t)ny), *ex = gsl_vector_alloc((size_t)nx);
  gsl_permutation *perm = gsl_permutation_alloc((size_t)ny);
  gsl_eigen_symm_workspace *wy = gsl_eigen_symm_alloc((size_t)ny), *wx = gsl_eigen_symm_alloc((size_t)nx);
  int status = RELUCAP_ENOMEM;
  if (!Y || !S || !Yinv || !ey || !ex || !perm || !wy || !wx) goto done;
  gsl_error_handler_t *old = gsl_set_error_handler_off();
  for (int i = 0; i < ny; i++)
    for (int j = 0; j < ny; j++) gsl_matrix_set(Y, (size_t)i, (size_t)j, 0.5 * (H[nx + i][nx + j] + H[nx + j][nx + i]));
  int sgn;
  gsl_linalg_LU_decomp(Y, perm, &sgn);
  status = gsl_linalg_LU_invert(Y, perm, Yinv) ? RELUCAP_ESING : RELUCAP_SUCCESS;
  for (int i = 0; i < ny; i++)
    for (int j = 0; j < ny; j++) gsl_matrix_set(Y, (size_t)i, (size_t)j, 0.5 * (H[nx + i][nx + j] + H[nx + j][nx + i]));
  for (int i = 0; i < nx; i++)
    for (int j = 0; j < nx; j++) {
      double acc = 0.5 * (H[i][j] + H[j][i]);
      for (int a = 0; a < ny; a++)
        for (int b = 0; b < ny; b++) acc -= H[i][nx + a] * gsl_matrix_get(Yinv, (size_t)a, (size_t)b) * H[nx + b][j];
      gsl_matrix_set(S, (size_t)i, (size_t)j, acc);
    }
  for (int i = 0; i < nx; i++)
    for (int j = 0; j < i; j++) {
      double m = 0.5 * (gsl_matrix_get(S, (size_t)i, (size_t)j) + gsl_matrix_get(S, (size_t)j, (size_t)i));
      gsl_matrix_set(S, (size_t)i, (size_t)j, m);
      gsl_matrix_set(S, (size_t)j, (size_t)i, m);
    }
  if (!status && (gsl_eigen_symm(Y, ey, wy) || gsl_eigen_symm(S, ex, wx))) status = RELUCAP_ESING;
  gsl_set_error_handler(old);
  if (!status) {
    *max_y = gsl_vector_max(ey);
    *min_x = gsl_vector_min(ex);
  }
done:
  gsl_matrix_free(Y); gsl_matrix_free(S); gsl_matrix_free(Yinv);
  gsl_vector_free(ey); gsl_vector_free(ex);
  gsl_permutation_free(perm);
  gsl_eigen_symm_free(wy); gsl_eigen_symm_free(wx);
  return status;
}

/* Fill the result from the solution in cs: parameters, Psi, residual, and the quadrature check. */
static int finish(const relucap_lifted_problem *prob, c3_search *cs, relucap_lifted_result *res)
{
  int L = prob->depth, n = 3 * L;
  double alphas[RELUCAP_LIFTED_MAX_DEPTH];
  relucap_lifted_derivs d;
  unpack(&cs->sys, cs->y, &res->params, alphas);
  res->capacity = alphas[L - 1];
  double perr;
  int st = relucap_lifted_psi(cs->sys.q, prob->kind, alphas, &res->params, &res->value, &d, &perr);
  if (st) return st;
  res->dpsi_dc3 = d.dc3;
  /* scale-free residual (as relucap_plain_capacity): each partial times its variable, over the
   * objective's weight sum_i r_{i-1} */
  double x[3 * RELUCAP_LIFTED_MAX_DEPTH + 1], weight = 0;
  pack(&cs->sys, &res->params, res->capacity, x);
  for (int i = 1; i <= L; i++) weight += res->params.r[i - 1];
  res->gradient_max = max_abs(d.grad, n - 1);
  for (int k = 0; k < n - 1; k++) res->residual = fmax(res->residual, fabs(d.grad[k] * x[k]) / weight);
  if (!prob->c3) {
    res->gradient_max = fmax(res->gradient_max, fabs(d.dc3));
    res->residual = fmax(res->residual, fabs(d.dc3 * res->params.c3) / weight);
  }
  res->value /= weight;
  /* a stationary point that is not a min-max saddle is no bound: refuse it */
  st = saddle_check(cs, &res->saddle_max_eig_max, &res->saddle_min_eig_min);
  if (st) return st;
  if (!(res->saddle_max_eig_max < 0 && res->saddle_min_eig_min > 0))
    RELUCAP_ERROR("lifted: the stationary point is not a min-max saddle", RELUCAP_ESING);
  relucap_lifted_S(res->params.c3, NULL, &res->gs);
  res->gain = res->plain_capacity - res->capacity;
  /* quadrature check: the same fixed-c3 solve with the half-order rule, warm-started */
  size_t nodes = prob->nodes ? prob->nodes : 64;
  relucap_quad *qh = relucap_quad_alloc(RELUCAP_QUAD_GL, nodes / 2, 12.0);
  if (!qh) return RELUCAP_ENOMEM;
  c3_search half = *cs;
  half.sys.q = qh;
  double a_half, r;
  st = alpha_at(&half, res->params.c3, &a_half, &r);
  relucap_quad_free(qh);
  if (st) return st;
  res->quad_error = fabs(a_half - res->capacity) + perr / fmax(fabs(d.dalpha), 1e-300);
  return RELUCAP_SUCCESS;
}

int relucap_lifted_capacity(const relucap_lifted_problem *prob, relucap_lifted_result *res)
{
  double t0 = relucap_clock();
  int st = check_problem(prob);
  if (st) return st;
  memset(res, 0, sizeof *res);
  int L = prob->depth;
  size_t nodes = prob->nodes ? prob->nodes : 64;
  relucap_quad *q = relucap_quad_alloc(prob->quad, nodes, 12.0);
  if (!q) return RELUCAP_ENOMEM;

  /* 1. the plain saddle (the c3 -> 0 limit) */
  relucap_plain_problem pp = {L, prob->kind, prob->alphas, NULL, prob->quad, prob->nodes, 0};
  relucap_plain_result pr;
  st = relucap_plain_capacity(&pp, &pr);
  if (st) goto done;
  res->plain_capacity = pr.capacity;
  double alphas[RELUCAP_LIFTED_MAX_DEPTH];
  for (int i = 0; i < L - 1; i++) alphas[i] = prob->alphas[i];
  alphas[L - 1] = pr.capacity;

  /* 2. the first-order slope at c3 = 0+ and d alpha_L / d c3 there */
  st = relucap_lifted_slope0(q, prob->kind, alphas, &pr.params, &res->slope);
  if (st) goto done;
  {
    double R = pr.params.r[L - 1] * pr.params.r[L - 1], gbl = pr.params.gbar[L];
    double dphi_dalpha = R * relucap_plain_f2(4 * gbl * pr.params.nu / R) / (4 * gbl) + pr.params.nu;
    res->dalpha_dc3_0 = -res->slope / dphi_dalpha;
  }

  c3_search cs;
  memset(&cs, 0, sizeof cs);
  cs.sys = (lifted_system){q, prob->kind, L, prob->alphas, 0, 0};
  relucap_lifted_params start;
  params_from_plain(&pr.params, &start);
  pack(&cs.sys, &start, pr.capacity, cs.y);

  double c3 = 0, alpha = pr.capacity, resid;
  if (prob->c3 > 0) {
    /* 3a. c3 held: continuation from small c3 up to the requested value */
    double c0 = fmin(C3_FIRST, prob->c3);
    st = alpha_at(&cs, c0, &alpha, &resid);
    if (!st && c0 < prob->c3) st = continue_to(&cs, c0, prob->c3, &alpha, &resid);
    c3 = prob->c3;
  } else if (res->slope <= 0) {
    /* 3b. lifting cannot lower the bound to first order: report the plain point, c3 = 0 */
    res->no_gain = 1;
    res->capacity = pr.capacity;
    params_from_plain(&pr.params, &res->params);
    res->value = pr.value;
    res->residual = pr.residual;
    res->gradient_max = pr.gradient_max;
    res->quad_error = pr.quad_error;
    res->gs = 0.5;
    goto done;
  } else {
    /* 3c. c3 free: the scan, then the envelope condition dPsi/dc3 = 0 */
    st = secant_c3(&cs, res->dalpha_dc3_0, &c3, &alpha, &resid);
    if (st) st = optimise_c3(&cs, pr.capacity, &c3, &alpha, &resid);
  }
  res->evaluations = cs.solves;
  if (st) goto done;
  cs.sys.c3 = c3;
  st = finish(prob, &cs, res);
  /* with the slope positive at 0+, the optimum over c3 lies below plain; anything else is a failed search */
  if (!st && !(prob->c3 > 0) && !(res->capacity <= res->plain_capacity)) st = RELUCAP_ENOPROG;
done:
  relucap_quad_free(q);
  res->seconds = relucap_clock() - t0;
  return st;
}

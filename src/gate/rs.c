/* Level 1 (replica symmetric, zero temperature) in closed form, and the de Almeida-Thouless
 * point of the finite-temperature RS solution (docs/gate.md sec. 5). */
#include "gate_internal.h"
#include "relucap/common.h"
#include "relucap/gauss.h"
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>

/* Brent root of f on [lo, hi] to absolute tolerance xtol; NAN if not bracketed. */
static double brent_root(double (*f)(double, void *), void *p, double lo, double hi, double xtol)
{
  double flo = f(lo, p), fhi = f(hi, p);
  if (!(flo * fhi <= 0.0)) return NAN;
  gsl_function F = {f, p};
  gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
  if (!s) return NAN;
  gsl_root_fsolver_set(s, &F, lo, hi);
  double x = NAN;
  for (int it = 0; it < 200; it++) {
    if (gsl_root_fsolver_iterate(s)) break;
    x = gsl_root_fsolver_root(s);
    if (gsl_root_test_interval(gsl_root_fsolver_x_lower(s), gsl_root_fsolver_x_upper(s), xtol, 0.0) == GSL_SUCCESS)
      break;
  }
  gsl_root_fsolver_free(s);
  return x;
}

/* RS threshold in c = sqrt(2 chi): Phibar(c) = Phi(c) - 1/2 - c phi(c). */
static double rs_equation(double c, void *p)
{
  (void)p;
  return relucap_nsf(c) - (relucap_ncdf(c) - 0.5 - c * relucap_npdf(c));
}

int relucap_gate_rs(double *capacity, double *chi)
{
  double c = brent_root(rs_equation, NULL, 0.1, 4.0, 1e-15);
  if (!isfinite(c)) RELUCAP_ERROR("gate_rs: root not bracketed", RELUCAP_ENOPROG);
  *capacity = 1.0 / relucap_nsf(c);
  if (chi) *chi = 0.5 * c * c;
  return RELUCAP_SUCCESS;
}

/* ---- finite-temperature RS (Maillard et al. 2023, their run_RS.py) ----
 * n(u) = 1 - eps Phi(u), eps = 1 - e^{-beta}, u = xi sqrt(x), x = q/(1-q):
 *   overlap   x = alpha E[(n'(u)/n(u))^2]
 *   energy    e = alpha E[e^{-beta} Phi(u)/n(u)]
 *   AT        alpha E[((log n)''(u))^2] = 1, stable below. */
#define AT_NODES 801
#define AT_CUT 10.0
#define AT_BETA_MAX 10.0

typedef struct {
  double alpha, beta, x;
} rs_state;

/* Trapezoidal E_xi over [-AT_CUT, AT_CUT] of what(u) (smooth, Gaussian-weighted: geometric convergence). */
static double rs_average(const rs_state *st, int what)
{
  double h = 2.0 * AT_CUT / (AT_NODES - 1), eps = -expm1(-st->beta), sx = sqrt(st->x), acc = 0.0;
  for (int i = 0; i < AT_NODES; i++) {
    double xi = -AT_CUT + i * h, u = xi * sx;
    double n = 1.0 - eps * relucap_ncdf(u), n1 = -eps * relucap_npdf(u), n2 = eps * u * relucap_npdf(u);
    double v;
    if (what == 0) v = (n1 / n) * (n1 / n);
    else if (what == 1) v = exp(-st->beta) * relucap_ncdf(u) / n;
    else {
      double l2 = n2 / n - (n1 / n) * (n1 / n);
      v = l2 * l2;
    }
    acc += relucap_npdf(xi) * v;
  }
  return acc * h;
}

static double overlap_equation(double lx, void *p)
{
  rs_state *st = p;
  st->x = exp(lx);
  return st->x - st->alpha * rs_average(st, 0);
}

/* Solve the overlap equation at (alpha, beta); x in [1e-5, 1e5] as in the reference code. */
static int rs_overlap(rs_state *st)
{
  /* No sign change at the lower end: the paramagnetic solution q = 0 (as the reference code). */
  if (overlap_equation(log(1e-5), st) >= 0.0) {
    st->x = 0.0;
    return RELUCAP_SUCCESS;
  }
  double lx = brent_root(overlap_equation, st, log(1e-5), log(1e5), 1e-13);
  if (!isfinite(lx)) return RELUCAP_ENOPROG;
  st->x = exp(lx);
  return RELUCAP_SUCCESS;
}

static double energy_equation(double beta, void *p)
{
  rs_state *st = p;
  st->beta = beta;
  if (rs_overlap(st)) return NAN;
  return st->alpha * rs_average(st, 1) - 1.0;
}

static double at_equation(double alpha, void *p)
{
  rs_state *st = p;
  st->alpha = alpha;
  /* beta*(alpha): the temperature at which the RS energy equals 1, capped at beta = 10 as in the
   * reference code (the energy decreases in beta). */
  double beta = AT_BETA_MAX;
  if (energy_equation(AT_BETA_MAX, st) < 0.0) beta = brent_root(energy_equation, st, 1e-3, AT_BETA_MAX, 1e-12);
  if (!isfinite(beta)) return NAN;
  energy_equation(beta, st);
  return 1.0 / alpha - rs_average(st, 2);
}

int relucap_gate_at_point(double *alpha_at, double *beta_at)
{
  double alpha_rs;
  int status = relucap_gate_rs(&alpha_rs, NULL);
  if (status) return status;
  rs_state st = {0.0, 1.0, 1.0};
  double a = brent_root(at_equation, &st, 3.0, alpha_rs, 1e-11);
  if (!isfinite(a)) RELUCAP_ERROR("gate_at_point: AT root not bracketed", RELUCAP_ENOPROG);
  at_equation(a, &st);
  if (!(st.beta < AT_BETA_MAX)) RELUCAP_ERROR("gate_at_point: beta* hit its cap", RELUCAP_ETOL);
  *alpha_at = a;
  if (beta_at) *beta_at = st.beta;
  return RELUCAP_SUCCESS;
}

/* Stationarity systems (GSL hybrids) and scalar roots/minima (GSL Brent), with honest status. */
#include "relucap/saddle.h"
#include "relucap/common.h"
#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_multiroots.h>
#include <gsl/gsl_roots.h>
#include <math.h>

typedef struct {
  const relucap_system *sys;
  int status; /* first non-zero status the system returned */
} system_call;

static int gsl_adapter(const gsl_vector *x, void *p, gsl_vector *f)
{
  system_call *c = p;
  double xv[RELUCAP_SYSTEM_MAXN] = {0}, fv[RELUCAP_SYSTEM_MAXN];
  size_t n = c->sys->n;
  for (size_t i = 0; i < n; i++) xv[i] = gsl_vector_get(x, i);
  int st = c->sys->f(xv, c->sys->params, fv);
  if (st) {
    if (!c->status) c->status = st;
    return GSL_EDOM;
  }
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(fv[i])) return GSL_EDOM;
    gsl_vector_set(f, i, fv[i]);
  }
  return GSL_SUCCESS;
}

static double max_abs(const gsl_vector *v)
{
  double m = 0;
  for (size_t i = 0; i < v->size; i++) m = fmax(m, fabs(gsl_vector_get(v, i)));
  return m;
}

int relucap_solve_system(const relucap_system *sys, double *x, double epsabs, int maxiter,
                         relucap_solve_info *info)
{
  size_t n = sys->n;
  if (n == 0 || n > RELUCAP_SYSTEM_MAXN) RELUCAP_ERROR("system size out of range", RELUCAP_EINVAL);
  system_call call = {sys, 0};
  gsl_multiroot_function F = {gsl_adapter, n, &call};
  gsl_multiroot_fsolver *s = gsl_multiroot_fsolver_alloc(gsl_multiroot_fsolver_hybrids, n);
  gsl_vector *x0 = gsl_vector_alloc(n);
  if (!s || !x0) {
    if (s) gsl_multiroot_fsolver_free(s);
    if (x0) gsl_vector_free(x0);
    RELUCAP_ERROR("out of memory", RELUCAP_ENOMEM);
  }
  gsl_error_handler_t *old = gsl_set_error_handler_off();
  for (size_t i = 0; i < n; i++) gsl_vector_set(x0, i, x[i]);
  int status = gsl_multiroot_fsolver_set(s, &F, x0) ? RELUCAP_EBADFUNC : RELUCAP_CONTINUE;
  int it = 0;
  double best = status == RELUCAP_CONTINUE ? max_abs(s->f) : INFINITY;
  while (status == RELUCAP_CONTINUE) {
    if (best <= epsabs) { status = RELUCAP_SUCCESS; break; }
    if (it++ >= maxiter) { status = RELUCAP_EMAXITER; break; }
    int rc = gsl_multiroot_fsolver_iterate(s);
    best = max_abs(s->f);
    if (best <= epsabs) { status = RELUCAP_SUCCESS; break; }
    if (rc == GSL_ENOPROG || rc == GSL_ENOPROGJ) status = RELUCAP_ENOPROG;
    else if (rc) status = call.status ? call.status : RELUCAP_EBADFUNC;
  }
  gsl_set_error_handler(old);
  for (size_t i = 0; i < n; i++) x[i] = gsl_vector_get(s->x, i);
  if (info) { info->residual = best; info->iterations = it; }
  gsl_multiroot_fsolver_free(s);
  gsl_vector_free(x0);
  return status;
}

typedef struct {
  double (*f)(double, void *);
  void *params;
} scalar_call;

int relucap_root_bracket(double (*f)(double, void *), void *params, double lo, double hi,
                         double epsrel, double *root)
{
  double flo = f(lo, params), fhi = f(hi, params);
  if (!isfinite(flo) || !isfinite(fhi)) RELUCAP_ERROR("root: non-finite value at the bracket", RELUCAP_EBADFUNC);
  if (flo == 0) { *root = lo; return RELUCAP_SUCCESS; }
  if (fhi == 0) { *root = hi; return RELUCAP_SUCCESS; }
  if ((flo > 0) == (fhi > 0)) RELUCAP_ERROR("root: not bracketed", RELUCAP_EDOM);
  gsl_function F = {f, params};
  gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
  if (!s) RELUCAP_ERROR("out of memory", RELUCAP_ENOMEM);
  gsl_error_handler_t *old = gsl_set_error_handler_off();
  int status = gsl_root_fsolver_set(s, &F, lo, hi) ? RELUCAP_EBADFUNC : RELUCAP_CONTINUE;
  for (int it = 0; status == RELUCAP_CONTINUE; it++) {
    if (it >= 200) { status = RELUCAP_EMAXITER; break; }
    if (gsl_root_fsolver_iterate(s)) { status = RELUCAP_EBADFUNC; break; }
    double a = gsl_root_fsolver_x_lower(s), b = gsl_root_fsolver_x_upper(s);
    if (gsl_root_test_interval(a, b, 0.0, epsrel) == GSL_SUCCESS) status = RELUCAP_SUCCESS;
  }
  *root = gsl_root_fsolver_root(s);
  gsl_set_error_handler(old);
  gsl_root_fsolver_free(s);
  return status;
}

int relucap_min_bracket(double (*f)(double, void *), void *params, double lo, double mid, double hi,
                        double epsabs, double *xmin, double *fmin)
{
  gsl_function F = {f, params};
  gsl_min_fminimizer *s = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
  if (!s) RELUCAP_ERROR("out of memory", RELUCAP_ENOMEM);
  gsl_error_handler_t *old = gsl_set_error_handler_off();
  int status = gsl_min_fminimizer_set(s, &F, mid, lo, hi) ? RELUCAP_EDOM : RELUCAP_CONTINUE;
  for (int it = 0; status == RELUCAP_CONTINUE; it++) {
    if (it >= 200) { status = RELUCAP_EMAXITER; break; }
    if (gsl_min_fminimizer_iterate(s)) { status = RELUCAP_EBADFUNC; break; }
    double a = gsl_min_fminimizer_x_lower(s), b = gsl_min_fminimizer_x_upper(s);
    if (gsl_min_test_interval(a, b, epsabs, 0.0) == GSL_SUCCESS) status = RELUCAP_SUCCESS;
  }
  *xmin = gsl_min_fminimizer_x_minimum(s);
  *fmin = gsl_min_fminimizer_f_minimum(s);
  gsl_set_error_handler(old);
  gsl_min_fminimizer_free(s);
  return status;
}

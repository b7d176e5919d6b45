/* Standard normal functions and Gaussian-weighted quadrature (docs/plain-rdt.md, section 3). */
#include "relucap/gauss.h"
#include "relucap/common.h"
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_sf_erf.h>
#include <math.h>
#include <stdlib.h>

double relucap_npdf(double x) { return exp(-0.5 * x * x) * 0.39894228040143267794; }
double relucap_ncdf(double x) { return 0.5 * erfc(-x * M_SQRT1_2); }
double relucap_nsf(double x) { return 0.5 * erfc(x * M_SQRT1_2); }

double relucap_log_ncdf(double x)
{
  /* log(erfc(-x/sqrt2)/2): GSL's log_erfc stays accurate where erfc underflows. */
  if (x > -5.0) return log(relucap_ncdf(x));
  return gsl_sf_log_erfc(-x * M_SQRT1_2) - M_LN2;
}

double relucap_nsf_inv(double p) { return gsl_cdf_ugaussian_Qinv(p); }

struct relucap_quad {
  relucap_quad_method method;
  size_t nodes;
  double cut;
  double *x, *w;       /* GL nodes/weights on [0, cut], N points */
  double *xh, *wh;     /* half-order rule (N/2 points) for the error estimate */
};

/* Gauss-Legendre nodes and weights on [0, cut]: Newton on P_n from the Tricomi initial guesses,
 * the three-term recurrence for P_n and P_n' (accurate to rounding for any n, unlike tables
 * interpolated for untabulated orders). */
static int gl_rule(size_t n, double cut, double **x, double **w)
{
  *x = malloc(n * sizeof **x);
  *w = malloc(n * sizeof **w);
  if (!*x || !*w) return RELUCAP_ENOMEM;
  for (size_t i = 0; i < (n + 1) / 2; i++) {
    double z = cos(M_PI * ((double)i + 0.75) / ((double)n + 0.5)), dp = 1;
    for (int it = 0; it < 100; it++) {
      double p0 = 1, p1 = z;
      for (size_t k = 2; k <= n; k++) {
        double pk = ((2.0 * (double)k - 1) * z * p1 - ((double)k - 1) * p0) / (double)k;
        p0 = p1;
        p1 = pk;
      }
      dp = (double)n * (z * p1 - p0) / (z * z - 1);
      double dz = p1 / dp;
      z -= dz;
      if (fabs(dz) < 1e-16) break;
    }
    double weight = 2 / ((1 - z * z) * dp * dp);
    /* map [-1, 1] -> [0, cut] */
    (*x)[i] = 0.5 * cut * (1 - z);
    (*x)[n - 1 - i] = 0.5 * cut * (1 + z);
    (*w)[i] = (*w)[n - 1 - i] = 0.5 * cut * weight;
  }
  return RELUCAP_SUCCESS;
}

relucap_quad *relucap_quad_alloc(relucap_quad_method method, size_t nodes, double cut)
{
  if (nodes < 8 || nodes > 100000 || !(cut > 0) || (method != RELUCAP_QUAD_GL && method != RELUCAP_QUAD_ADAPTIVE)) {
    relucap_error("invalid quadrature rule", __FILE__, __LINE__, RELUCAP_EINVAL);
    return NULL;
  }
  relucap_quad *q = calloc(1, sizeof *q);
  if (!q) goto fail;
  q->method = method;
  q->nodes = nodes;
  q->cut = cut;
  if (gl_rule(nodes, cut, &q->x, &q->w) || gl_rule(nodes / 2, cut, &q->xh, &q->wh)) goto fail;
  return q;
fail:
  relucap_quad_free(q);
  relucap_error("out of memory", __FILE__, __LINE__, RELUCAP_ENOMEM);
  return NULL;
}

void relucap_quad_free(relucap_quad *q)
{
  if (!q) return;
  free(q->x); free(q->w); free(q->xh); free(q->wh);
  free(q);
}

relucap_quad_method relucap_quad_get_method(const relucap_quad *q) { return q->method; }
size_t relucap_quad_get_nodes(const relucap_quad *q) { return q->nodes; }

static int gl_sum(const double *x, const double *w, size_t n, relucap_vfunc *f, void *params,
                  size_t dim, int side, double *val)
{
  double out[RELUCAP_QUAD_MAXDIM];
  for (size_t k = 0; k < dim; k++) val[k] = 0.0;
  for (size_t i = 0; i < n; i++) {
    if (f(side * x[i], params, out)) return RELUCAP_EBADFUNC;
    for (size_t k = 0; k < dim; k++) val[k] += w[i] * out[k];
  }
  for (size_t k = 0; k < dim; k++)
    if (!isfinite(val[k])) return RELUCAP_EBADFUNC;
  return RELUCAP_SUCCESS;
}

/* GSL wants scalar integrands: pick component k of the vector one. */
typedef struct {
  relucap_vfunc *f;
  void *params;
  size_t k;
  int failed;
} component;

static double component_eval(double x, void *p)
{
  component *c = p;
  double out[RELUCAP_QUAD_MAXDIM];
  if (c->f(x, c->params, out) || !isfinite(out[c->k])) {
    c->failed = 1;
    return 0.0;
  }
  return out[c->k];
}

static int adaptive(relucap_vfunc *f, void *params, size_t dim, int side, double *val, double *err)
{
  enum { LIMIT = 2000 };
  gsl_integration_workspace *ws = gsl_integration_workspace_alloc(LIMIT);
  if (!ws) RELUCAP_ERROR("out of memory", RELUCAP_ENOMEM);
  gsl_error_handler_t *old = gsl_set_error_handler_off();
  int status = RELUCAP_SUCCESS;
  for (size_t k = 0; k < dim && status == RELUCAP_SUCCESS; k++) {
    component c = {f, params, k, 0};
    gsl_function F = {component_eval, &c};
    double e;
    int rc = side > 0 ? gsl_integration_qagiu(&F, 0.0, 1e-15, 1e-13, LIMIT, ws, &val[k], &e)
                      : gsl_integration_qagil(&F, 0.0, 1e-15, 1e-13, LIMIT, ws, &val[k], &e);
    if (c.failed) status = RELUCAP_EBADFUNC;
    /* GSL flags round-off when the tolerance is below what doubles allow; keep its error
     * estimate and let the caller judge it, but fail on anything else. */
    else if (rc && rc != GSL_EROUND) status = RELUCAP_ETOL;
    if (err) err[k] = e;
  }
  gsl_set_error_handler(old);
  gsl_integration_workspace_free(ws);
  return status;
}

int relucap_quad_halfline(const relucap_quad *q, relucap_vfunc *f, void *params, size_t dim,
                          int side, double *val, double *err)
{
  if (!q || !f || dim == 0 || dim > RELUCAP_QUAD_MAXDIM || (side != 1 && side != -1))
    RELUCAP_ERROR("invalid quadrature call", RELUCAP_EINVAL);
  if (q->method == RELUCAP_QUAD_ADAPTIVE) return adaptive(f, params, dim, side, val, err);
  int status = gl_sum(q->x, q->w, q->nodes, f, params, dim, side, val);
  if (status || !err) return status;
  double half[RELUCAP_QUAD_MAXDIM];
  status = gl_sum(q->xh, q->wh, q->nodes / 2, f, params, dim, side, half);
  /* The neglected tail beyond the cut is below phi(L) * poly(L); charge phi(L) L^4. */
  double tail = relucap_npdf(q->cut) * pow(q->cut, 4);
  for (size_t k = 0; k < dim; k++) err[k] = fabs(val[k] - half[k]) + tail;
  return status;
}

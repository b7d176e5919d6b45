/* relucap/gauss.h - the standard normal distribution and Gaussian quadrature.
 *
 * Every RDT formula is a Gaussian expectation E f(g), g ~ N(0,1), of a function that is smooth
 * on each half-line (kinks sit at g = 0).  Two independent rules evaluate them:
 *   RELUCAP_QUAD_GL        Gauss-Legendre with N nodes on [-L, 0] and on [0, L] (fast, default);
 *                          its error estimate is |Q_N - Q_{N/2}| (+ the tail mass beyond L).
 *   RELUCAP_QUAD_ADAPTIVE  GSL's adaptive Gauss-Kronrod on the infinite half-lines (QAGIL/QAGIU),
 *                          its own error estimate; used as the cross-check. */
#ifndef RELUCAP_GAUSS_H
#define RELUCAP_GAUSS_H

#include <stddef.h>

/* phi(x) = exp(-x^2/2)/sqrt(2 pi). */
double relucap_npdf(double x);
/* Phi(x) = P(g <= x). */
double relucap_ncdf(double x);
/* Phibar(x) = 1 - Phi(x), accurate in the upper tail. */
double relucap_nsf(double x);
/* log Phi(x), accurate for x -> -inf. */
double relucap_log_ncdf(double x);
/* Phibar^{-1}(p) for p in (0, 1). */
double relucap_nsf_inv(double p);

typedef enum {
  RELUCAP_QUAD_GL = 0,      /* fixed-order Gauss-Legendre on truncated half-lines */
  RELUCAP_QUAD_ADAPTIVE = 1 /* GSL QAGIL/QAGIU adaptive Gauss-Kronrod */
} relucap_quad_method;

/* A vector integrand: out[0..dim-1] = f(x); return 0, or non-zero to abort. */
typedef int relucap_vfunc(double x, void *params, double *out);

/* A quadrature rule; alloc/free pair, reusable, read-only after alloc (thread-safe use). */
typedef struct relucap_quad relucap_quad;

/* nodes: Gauss-Legendre nodes per half-line (>= 8; ignored by ADAPTIVE);
 * cut: truncation point L of each half-line for GL (the integrand must carry phi(x)). */
relucap_quad *relucap_quad_alloc(relucap_quad_method method, size_t nodes, double cut);
void relucap_quad_free(relucap_quad *q);                /* NULL is a no-op */
relucap_quad_method relucap_quad_get_method(const relucap_quad *q);
size_t relucap_quad_get_nodes(const relucap_quad *q);

/* val[k] = int_{-inf}^{0} f_k(x) dx (side = -1) or int_{0}^{inf} f_k(x) dx (side = +1).
 * err (may be NULL): estimated absolute error per component (GL: costs one extra half-order pass).
 * dim <= RELUCAP_QUAD_MAXDIM.  Returns RELUCAP_SUCCESS, RELUCAP_EBADFUNC or RELUCAP_ETOL. */
#define RELUCAP_QUAD_MAXDIM 8
int relucap_quad_halfline(const relucap_quad *q, relucap_vfunc *f, void *params, size_t dim,
                          int side, double *val, double *err);

#endif

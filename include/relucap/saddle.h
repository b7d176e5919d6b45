/* relucap/saddle.h - the root and saddle-point solvers every RDT variant uses.
 *
 * Saddle points of the RDT objectives are solved as stationarity systems F(x) = 0 (GSL's
 * MINPACK-style hybrid method with a finite-difference Jacobian, hybrids), and scalar roots by Brent
 * on a bracket.  Both report the residual they reached; neither pretends to converge. */
#ifndef RELUCAP_SADDLE_H
#define RELUCAP_SADDLE_H

#include <stddef.h>

/* F: R^n -> R^n.  Return 0, or a relucap status to abort (e.g. RELUCAP_EDOM). */
typedef int relucap_system_fn(const double *x, void *params, double *f);

typedef struct {
  relucap_system_fn *f;
  size_t n;     /* number of unknowns = number of equations (<= RELUCAP_SYSTEM_MAXN) */
  void *params;
} relucap_system;

#define RELUCAP_SYSTEM_MAXN 64

typedef struct {
  double residual; /* max_k |F_k(x)| at the returned x */
  int iterations;
} relucap_solve_info;

/* Solve F(x) = 0 from x (in place) until max|F| <= epsabs.  Returns RELUCAP_SUCCESS,
 * RELUCAP_EMAXITER, RELUCAP_ENOPROG, or the status the system returned. */
int relucap_solve_system(const relucap_system *sys, double *x, double epsabs, int maxiter,
                         relucap_solve_info *info);

/* Root of f on [lo, hi] (f(lo), f(hi) of opposite signs) to relative tolerance epsrel (Brent). */
int relucap_root_bracket(double (*f)(double, void *), void *params, double lo, double hi,
                         double epsrel, double *root);

/* Minimum of f on [lo, hi] given an interior point mid with f(mid) < f(lo), f(hi) (Brent). */
int relucap_min_bracket(double (*f)(double, void *), void *params, double lo, double mid, double hi,
                        double epsabs, double *xmin, double *fmin);

#endif

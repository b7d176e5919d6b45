/* relucap/common.h - status codes, results with error estimates, the error handler.
 * Shared by every relucap module.  The library never prints and never exits:
 * it returns a status and (optionally) reports through a replaceable handler. */
#ifndef RELUCAP_COMMON_H
#define RELUCAP_COMMON_H

#include <stddef.h>

#define RELUCAP_VERSION "0.1.0"

typedef enum {
  RELUCAP_SUCCESS  = 0,
  RELUCAP_CONTINUE = -2, /* not yet converged; not an error */
  RELUCAP_EDOM     = 1,  /* input outside the domain where the quantity is defined */
  RELUCAP_EINVAL   = 4,  /* invalid argument supplied by caller */
  RELUCAP_ENOMEM   = 8,  /* allocation failed */
  RELUCAP_EBADFUNC = 9,  /* callback or integrand returned NaN or Inf */
  RELUCAP_EMAXITER = 11, /* iteration limit reached before tolerance */
  RELUCAP_ETOL     = 14, /* tolerance not met (e.g. quadrature error too large) */
  RELUCAP_ESING    = 21, /* singular Jacobian / degenerate saddle point */
  RELUCAP_ENOPROG  = 27, /* iteration makes no progress */
  RELUCAP_EIO      = 30, /* file missing, unreadable or malformed */
  RELUCAP_ETIME    = 31, /* time limit reached; partial (bounded) answer only */
  RELUCAP_EINFEAS  = 32, /* LP/MILP infeasible where a solution was required */
  RELUCAP_EUNSUP   = 41  /* feature or backend not available */
} relucap_status;

/* A computed value with its absolute error estimate (quadrature error, MC standard error, ...). */
typedef struct {
  double val; /* the value */
  double err; /* estimated absolute error of val */
} relucap_result;

/* Text for a status code (static storage). */
const char *relucap_strerror(int status);

/* Error handler: called with a reason, file, line and status whenever a relucap
 * function fails.  The default does nothing.  Returns the previous handler. */
typedef void relucap_error_handler_t(const char *reason, const char *file, int line, int status);
relucap_error_handler_t *relucap_set_error_handler(relucap_error_handler_t *handler);
void relucap_error(const char *reason, const char *file, int line, int status);

/* Report and return (GSL's GSL_ERROR). */
#define RELUCAP_ERROR(reason, status) \
  do { relucap_error((reason), __FILE__, __LINE__, (status)); return (status); } while (0)

/* Wall-clock seconds since an arbitrary origin (monotonic). */
double relucap_clock(void);

#endif

/* Status strings, the replaceable error handler, a monotonic clock. */
#define _POSIX_C_SOURCE 200809L
#include "relucap/common.h"
#include <time.h>

const char *relucap_strerror(int status)
{
  switch (status) {
  case RELUCAP_SUCCESS:  return "success";
  case RELUCAP_CONTINUE: return "not yet converged";
  case RELUCAP_EDOM:     return "input outside the domain of the bound";
  case RELUCAP_EINVAL:   return "invalid argument";
  case RELUCAP_ENOMEM:   return "out of memory";
  case RELUCAP_EBADFUNC: return "function returned NaN or Inf";
  case RELUCAP_EMAXITER: return "iteration limit reached before convergence";
  case RELUCAP_ETOL:     return "tolerance not met";
  case RELUCAP_ESING:    return "singular Jacobian";
  case RELUCAP_ENOPROG:  return "iteration is not making progress";
  case RELUCAP_EIO:      return "input/output error";
  case RELUCAP_ETIME:    return "time limit reached";
  case RELUCAP_EINFEAS:  return "infeasible";
  case RELUCAP_EUNSUP:   return "not supported in this build";
  default:               return "unknown status";
  }
}

static void quiet_handler(const char *reason, const char *file, int line, int status)
{
  (void)reason; (void)file; (void)line; (void)status;
}

static relucap_error_handler_t *current_handler = quiet_handler;

relucap_error_handler_t *relucap_set_error_handler(relucap_error_handler_t *handler)
{
  relucap_error_handler_t *previous = current_handler;
  current_handler = handler ? handler : quiet_handler;
  return previous;
}

void relucap_error(const char *reason, const char *file, int line, int status)
{
  current_handler(reason, file, line, status);
}

double relucap_clock(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

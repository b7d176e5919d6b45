/* Normal functions and the two quadrature rules against closed forms. */
#include "relucap.h"
#include "testlib.h"
#include <math.h>

static int moments(double x, void *p, double *out)
{
  (void)p;
  double w = relucap_npdf(x);
  out[0] = w;             /* int_0^inf phi = 1/2 */
  out[1] = x * x * w;     /* int_0^inf g^2 phi = 1/2 */
  out[2] = fabs(x) * w;   /* int_0^inf g phi = 1/sqrt(2 pi) */
  return 0;
}

int main(void)
{
  test_rel(relucap_ncdf(1.12281350710), 0.869, 1e-3, "Phi(1.1228)");
  test_rel(relucap_nsf(-1.3) + relucap_ncdf(-1.3), 1.0, 1e-15, "Phi + Phibar = 1");
  test_rel(relucap_nsf(10.0), 7.61985302416047e-24, 1e-13, "Phibar(10) upper tail");
  test_rel(relucap_log_ncdf(-40.0), -804.608442013754, 1e-13, "log Phi(-40)");
  test_rel(relucap_log_ncdf(0.3), log(relucap_ncdf(0.3)), 1e-15, "log Phi(0.3)");
  test_rel(relucap_nsf(relucap_nsf_inv(0.1307)), 0.1307, 1e-14, "Phibar(Phibar^-1(p)) = p");

  for (int m = 0; m < 2; m++) {
    relucap_quad *q = relucap_quad_alloc(m ? RELUCAP_QUAD_ADAPTIVE : RELUCAP_QUAD_GL, 64, 12.0);
    for (int side = -1; side <= 1; side += 2) {
      double val[3], err[3];
      int st = relucap_quad_halfline(q, moments, NULL, 3, side, val, err);
      test_true(st == RELUCAP_SUCCESS, "quad method %d side %d status", m, side);
      test_rel(val[0], 0.5, 1e-14, "int phi (method %d side %d)", m, side);
      test_rel(val[1], 0.5, 1e-14, "int g^2 phi (method %d side %d)", m, side);
      test_rel(val[2], 0.3989422804014327, 1e-14, "int |g| phi (method %d side %d)", m, side);
      test_true(err[1] < 1e-12, "error estimate small (method %d side %d): %g", m, side, err[1]);
    }
    relucap_quad_free(q);
  }
  test_true(relucap_quad_alloc(RELUCAP_QUAD_GL, 2, 12.0) == NULL, "too few nodes rejected");
  return test_summary("test_gauss");
}

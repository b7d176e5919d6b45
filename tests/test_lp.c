/* The CLP wrapper against LPs with known optima, and Gordan's alternative on tiny systems. */
#include "relucap.h"
#include "testlib.h"
#include <math.h>

int main(void)
{
  if (!relucap_lp_available()) {
    test_true(relucap_lp_solve(1, 1, (double[]){1}, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                               NULL, &(relucap_lp_outcome){0}) == RELUCAP_EUNSUP, "no CLP: EUNSUP");
    return test_summary("test_lp");
  }
  /* max x + y s.t. x + 2y <= 4, 3x + y <= 6, x, y >= 0 -> (8/5, 6/5), value 14/5; duals 2/5, 1/5. */
  double A[4] = {1, 2, 3, 1}, up[2] = {4, 6}, lo0[2] = {0, 0}, c[2] = {-1, -1};
  double x[2], y[2], f;
  relucap_lp_outcome out;
  int st = relucap_lp_solve(2, 2, A, NULL, up, lo0, NULL, c, x, y, &f, &out);
  test_true(st == RELUCAP_SUCCESS && out == RELUCAP_LP_OPTIMAL, "small LP optimal");
  test_rel(f, -2.8, 1e-12, "objective -14/5");
  test_rel(x[0], 1.6, 1e-12, "x = 8/5");
  test_rel(x[1], 1.2, 1e-12, "y = 6/5");
  test_rel(fabs(y[0]), 0.4, 1e-12, "|dual 1| = 2/5");
  test_rel(fabs(y[1]), 0.2, 1e-12, "|dual 2| = 1/5");
  /* Infeasible: x >= 1 and x <= 0. */
  double B[2] = {1, 1}, blo[2] = {1, -HUGE_VAL}, bup[2] = {HUGE_VAL, 0};
  st = relucap_lp_solve(2, 1, B, blo, bup, NULL, NULL, NULL, x, NULL, NULL, &out);
  test_true(st == RELUCAP_SUCCESS && out == RELUCAP_LP_INFEASIBLE, "infeasible LP detected");
  /* Unbounded: min -x, x >= 0 free above. */
  st = relucap_lp_solve(1, 1, (double[]){1}, (double[]){0}, NULL, NULL, NULL, (double[]){-1}, x,
                        NULL, NULL, &out);
  test_true(st == RELUCAP_SUCCESS && out == RELUCAP_LP_UNBOUNDED, "unbounded LP detected");

  /* Finite data beyond 1e20 (or NaN) are refused, not handed to CLP (which aborted on bounds near 1e100);
   * bounds of 1e30 and more are infinite. */
  st = relucap_lp_solve(1, 1, (double[]){1}, (double[]){-1e25}, (double[]){1}, NULL, NULL, (double[]){1}, x, NULL,
                        NULL, &out);
  test_true(st == RELUCAP_SUCCESS && out == RELUCAP_LP_FAILED, "row bound -1e25: refused (outcome %d)", out);
  st = relucap_lp_solve(1, 1, (double[]){NAN}, NULL, (double[]){1}, NULL, NULL, NULL, x, NULL, NULL, &out);
  test_true(st == RELUCAP_SUCCESS && out == RELUCAP_LP_FAILED, "NaN matrix entry: refused (outcome %d)", out);
  st = relucap_lp_solve(1, 1, (double[]){1}, (double[]){-1e30}, (double[]){1}, NULL, NULL, (double[]){-1}, x, NULL,
                        &f, &out);
  test_true(st == RELUCAP_SUCCESS && out == RELUCAP_LP_OPTIMAL && f == -1, "bound -1e30 is -infinity: min -x = -1");
  relucap_lp *big = relucap_lp_alloc(1, 1, (double[]){1}, NULL, (double[]){1}, NULL, NULL, (double[]){-1});
  relucap_lp_set_row_bounds(big, 0, -HUGE_VAL, 5e25);
  test_true(big && relucap_lp_resolve(big, x, NULL, NULL, &out) == RELUCAP_SUCCESS && out == RELUCAP_LP_FAILED,
            "a bound of 5e25 set later: refused");
  relucap_lp_free(big);

  /* Gordan: rows (1,0),(0,1),(-1,-1) contain the origin in their hull (lambda = 1/3 each). */
  double G[8] = {1, 0, 0, 1, -1, -1, 1, 1};
  int S3[3] = {0, 1, 2}, S2[2] = {0, 3}, feas;
  double lam[3], xs[2];
  st = relucap_lp_strict_feasible(4, 2, G, 3, S3, xs, lam, &feas);
  test_true(st == RELUCAP_SUCCESS && feas == 0, "triangle around 0: strict system infeasible");
  for (int j = 0; j < 3; j++) test_rel(lam[j], 1.0 / 3, 1e-12, "Gordan multiplier %d = 1/3", j);
  st = relucap_lp_strict_feasible(4, 2, G, 2, S2, xs, lam, &feas);
  test_true(st == RELUCAP_SUCCESS && feas == 1, "rows (1,0),(1,1): strict system feasible");
  test_true(xs[0] <= -1 + 1e-9 && xs[0] + xs[1] <= -1 + 1e-9, "returned x satisfies a_i.x <= -1");
  test_true(relucap_lp_strict_feasible(4, 2, G, 1, (int[]){7}, xs, lam, &feas) == RELUCAP_EINVAL,
            "row index out of range -> EINVAL");

  /* Persistent model: same LP, then tighten x <= 1 -> optimum (1, 1.5), value -2.5. */
  relucap_lp *lp = relucap_lp_alloc(2, 2, A, NULL, up, lo0, NULL, c);
  test_true(lp != NULL, "lp alloc");
  st = relucap_lp_resolve(lp, x, NULL, &f, &out);
  test_rel(f, -2.8, 1e-12, "persistent: first solve");
  relucap_lp_set_col_bounds(lp, 0, 0, 1);
  st = relucap_lp_resolve(lp, x, NULL, &f, &out);
  test_true(out == RELUCAP_LP_OPTIMAL, "persistent: re-solve optimal");
  test_rel(f, -2.5, 1e-12, "persistent: tightened bound -> -5/2");
  relucap_lp_set_objective(lp, (double[]){-1, 0});
  st = relucap_lp_resolve(lp, x, NULL, &f, &out);
  test_rel(f, -1.0, 1e-12, "persistent: new objective -> -1");
  relucap_lp_free(lp);
  return test_summary("test_lp");
}

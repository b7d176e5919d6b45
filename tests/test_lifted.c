/* Partially lifted RDT: the paper's Tables 8 and 9, the single-layer value, the c3 -> 0 limit,
 * lifted <= plain, quadrature agreement, no gain beyond two layers, and the layer functions
 * against independent brute-force integrals. */
#include "relucap.h"
#include "testlib.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int lifted(int depth, relucap_kind kind, const double *alphas, double c3, size_t nodes,
                  relucap_lifted_result *r)
{
  relucap_lifted_problem p = {depth, kind, alphas, RELUCAP_QUAD_GL, nodes, c3};
  return relucap_lifted_capacity(&p, r);
}

/* fq1(g, h) = min_z [(g - z)^2/(4 gb) + h max(z,0) + gam max(z,0)^2], by its closed form. */
static double fq1(double g, double h, double gb, double gam)
{
  double m = fmax(g - 2 * h * gb, 0), v = g * g / (4 * gb) - m * m / (4 * gb * (1 + 4 * gam * gb));
  return g <= 0 ? fmin(0, v) : v;
}

/* E exp(-c fq1) by a 2-D product Gauss-Legendre rule on [-10, 10]^2 split at the kinks of fq1
 * (g = 0; h = the switch point of the minimiser): independent of the closed h-integral. */
static double f1_brute(double c, double gb, double gam)
{
  enum { M = 200 };
  static double X[M], W[M];
  static int ready = 0;
  if (!ready) {
    /* Gauss-Legendre nodes on [0, 1] by Newton on P_M (own rule, independent of the library's) */
    for (int i = 0; i < M; i++) {
      double x = cos(3.14159265358979323846 * (i + 0.75) / (M + 0.5)), dp = 1;
      for (int it = 0; it < 100; it++) {
        double p0 = 1, p1 = x;
        for (int k = 2; k <= M; k++) { double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k; p0 = p1; p1 = p2; }
        dp = M * (x * p1 - p0) / (x * x - 1);
        double dx = p1 / dp;
        x -= dx;
        if (fabs(dx) < 1e-16) break;
      }
      X[i] = 0.5 * (x + 1);
      W[i] = 1.0 / ((1 - x * x) * dp * dp);
    }
    ready = 1;
  }
  double s = 0, L = 10, k = sqrt(1 + 4 * gam * gb);
  double gs[3] = {-L, 0, L};
  for (int a = 0; a < 2; a++)
    for (int i = 0; i < M; i++) {
      double g = gs[a] + (gs[a + 1] - gs[a]) * X[i], wg = W[i] * (gs[a + 1] - gs[a]) * relucap_npdf(g);
      double kink = g > 0 ? g / (2 * gb) : g * (1 + k) / (2 * gb);
      double hs[3] = {-L, kink, L};
      for (int b = 0; b < 2; b++)
        for (int j = 0; j < M; j++) {
          double h = hs[b] + (hs[b + 1] - hs[b]) * X[j], wh = W[j] * (hs[b + 1] - hs[b]) * relucap_npdf(h);
          s += wg * wh * exp(-c * fq1(g, h, gb, gam));
        }
    }
  return s;
}

static void test_layer_functions(void)
{
  relucap_quad *q = relucap_quad_alloc(RELUCAP_QUAD_GL, 64, 12.0);
  relucap_quad *qa = relucap_quad_alloc(RELUCAP_QUAD_ADAPTIVE, 64, 12.0);
  double l, la, e;
  /* F1 against the brute-force 2-D integral of exp(-c fq1) */
  test_true(relucap_lifted_log_f1(q, 0.4, 0.786, 0.5729, &l, &e) == RELUCAP_SUCCESS, "log F1 status");
  test_rel(l, log(f1_brute(0.4, 0.786, 0.5729)), 1e-7, "log F1(0.4, 0.786, 0.5729) vs 2-D brute force");
  test_true(e < 1e-12, "log F1 error estimate %g", e);
  relucap_lifted_log_f1(qa, 0.4, 0.786, 0.5729, &la, NULL);
  test_abs(l, la, 1e-13, "log F1: GL vs adaptive");
  /* the closed-form partials of log F1 against 4th-order differences of log F1 */
  {
    double g3[3], x0[3] = {0.83, 0.786, 0.5729}, hs = 1e-3;
    test_true(relucap_lifted_log_f1_grad(q, x0[0], x0[1], x0[2], &l, g3, NULL) == RELUCAP_SUCCESS, "log F1 grad status");
    for (int j = 0; j < 3; j++) {
      double acc = 0, f, x[3];
      static const double off[4] = {-2, -1, 1, 2}, wt[4] = {1, -8, 8, -1};
      for (int s = 0; s < 4; s++) {
        x[0] = x0[0]; x[1] = x0[1]; x[2] = x0[2];
        x[j] += off[s] * hs;
        relucap_lifted_log_f1(q, x[0], x[1], x[2], &f, NULL);
        acc += wt[s] * f;
      }
      test_abs(g3[j], acc / (12 * hs), 1e-10, "d log F1 / d(c, gb, gam)[%d]", j);
    }
    /* at c -> 0: d log F1/dc = -E fq1 */
    relucap_lifted_log_f1_grad(q, 0.0, 0.8938, 0.3077, &l, g3, NULL);
    test_abs(l, 0.0, 1e-15, "log F1(0) = 0");
  }
  /* small c: -(1/c) log F1 -> E fq1 = the plain f1 */
  double v[4];
  relucap_plain_f1(q, 0.8938, 0.3077, 1.0, v, NULL);
  relucap_lifted_log_f1(q, 1e-6, 0.8938, 0.3077, &l, NULL);
  test_abs(-l / 1e-6, v[0], 1e-6, "-(1/c) log F1 -> plain f1 as c -> 0");
  {
    double g3[3];
    relucap_lifted_log_f1_grad(q, 0.0, 0.8938, 0.3077, &l, g3, NULL);
    test_abs(-g3[0], v[0], 1e-13, "-d log F1/dc at c = 0 is the plain f1 = E fq1");
  }
  /* domain: w = 1 - 2 c gb/(1 + 4 gam gb) <= 0 */
  test_true(relucap_lifted_log_f1(q, 3.0, 1.0, 0.1, &l, NULL) == RELUCAP_EDOM, "F1 outside its domain: EDOM");

  /* F2: closed form vs quadrature of exp(-c' m(g)), and its derivatives vs differences */
  double c = 0.3, nu1 = 0.7, a = sqrt(2 * nu1), dc, dn, s = 0;
  for (int i = 0; i < 200000; i++) {
    double g = -10 + 20 * (i + 0.5) / 200000;
    double m = g < 0 ? -nu1 : (g < a ? g * g - nu1 : nu1);
    s += relucap_npdf(g) * exp(-c * m) * 20.0 / 200000;
  }
  test_rel(relucap_lifted_log_f2(c, nu1, &dc, &dn), log(s), 1e-6, "log F2 vs midpoint quadrature");
  double h = 1e-5;
  test_rel(dc, (relucap_lifted_log_f2(c + h, nu1, NULL, NULL) - relucap_lifted_log_f2(c - h, nu1, NULL, NULL)) / (2 * h),
           1e-8, "d log F2 / dc");
  test_rel(dn, (relucap_lifted_log_f2(c, nu1 + h, NULL, NULL) - relucap_lifted_log_f2(c, nu1 - h, NULL, NULL)) / (2 * h),
           1e-8, "d log F2 / dnu1");
  test_abs(relucap_lifted_log_f2(0.2, 0.0, NULL, NULL), 0.0, 1e-15, "F2(c, 0) = 1");

  /* S(c): gs solves 4 gs^2 - 2 c gs - 1 = 0 (eq 87 corrected), the value is the max over gs */
  double gs, dS;
  double S = relucap_lifted_S(0.1091, &dS, &gs);
  test_abs(gs, 0.5280184, 1e-7, "gs_hat(0.1091)");
  double best = -INFINITY;
  for (int i = 1; i < 200000; i++) {
    double g = 0.06 + 1.0 * i / 200000;
    best = fmax(best, -g + log1p(-0.1091 / (2 * g)) / (2 * 0.1091));
  }
  test_abs(S, best, 1e-10, "S(0.1091) = max over gs");
  test_rel(dS, (relucap_lifted_S(0.1091 + h, NULL, NULL) - relucap_lifted_S(0.1091 - h, NULL, NULL)) / (2 * h), 1e-8, "S'(c)");
  test_abs(relucap_lifted_S(1e-7, NULL, NULL), -1.0, 1e-7, "S(0+) = -1");
  relucap_quad_free(q);
  relucap_quad_free(qa);
}

/* The derivatives relucap_lifted_psi returns, against central differences of its value. */
static void test_psi_derivatives(void)
{
  relucap_quad *q = relucap_quad_alloc(RELUCAP_QUAD_GL, 64, 12.0);
  relucap_lifted_params p;
  memset(&p, 0, sizeof p);
  p.depth = 3;
  p.r[0] = 1; p.r[1] = 1.8; p.r[2] = 3.9;
  p.gbar[1] = 0.9; p.gbar[2] = 1.13; p.gbar[3] = 2.35;
  p.gamma[1] = 0.31; p.gamma[2] = 0.30;
  p.nu = 1.2;
  p.c3 = 0.05;
  double alphas[3] = {6.7004, 8.267, 9.5}, v0, vp, vm;
  relucap_lifted_derivs d;
  test_true(relucap_lifted_psi(q, RELUCAP_WEAK, alphas, &p, &v0, &d, NULL) == RELUCAP_SUCCESS, "psi status");
  double *vars[8] = {&p.r[1], &p.r[2], &p.gbar[1], &p.gbar[2], &p.gbar[3], &p.gamma[1], &p.gamma[2], &p.nu};
  for (int k = 0; k < 8; k++) {
    double x = *vars[k], h = 1e-5;
    *vars[k] = x + h; relucap_lifted_psi(q, RELUCAP_WEAK, alphas, &p, &vp, NULL, NULL);
    *vars[k] = x - h; relucap_lifted_psi(q, RELUCAP_WEAK, alphas, &p, &vm, NULL, NULL);
    *vars[k] = x;
    test_abs(d.grad[k], (vp - vm) / (2 * h), 1e-7, "dPsi/dx[%d]", k);
  }
  double c = p.c3, h = 1e-6;
  p.c3 = c + h; relucap_lifted_psi(q, RELUCAP_WEAK, alphas, &p, &vp, NULL, NULL);
  p.c3 = c - h; relucap_lifted_psi(q, RELUCAP_WEAK, alphas, &p, &vm, NULL, NULL);
  p.c3 = c;
  test_abs(d.dc3, (vp - vm) / (2 * h), 1e-6, "dPsi/dc3");
  alphas[2] += 1e-4; relucap_lifted_psi(q, RELUCAP_WEAK, alphas, &p, &vp, NULL, NULL); alphas[2] -= 1e-4;
  test_abs(d.dalpha, (vp - v0) / 1e-4, 1e-8, "dPsi/dalpha_L");
  relucap_quad_free(q);
}

int main(void)
{
  const double a1[1] = {6.7004};
  relucap_lifted_result r, rh;
  test_layer_functions();
  test_psi_derivatives();

  /* Table 8 (2-layer weak): capacity 8.264, optimum c3 ~ 0.1095 (the notes' 8.2641006) */
  test_true(lifted(2, RELUCAP_WEAK, a1, 0, 0, &r) == RELUCAP_SUCCESS, "Table 8 status");
  test_abs(r.capacity, 8.2641006, 1e-7, "Table 8 capacity (paper 8.264)");
  test_abs(r.capacity, 8.264, 5e-4, "Table 8 capacity to the paper's digits");
  test_abs(r.plain_capacity, 8.2667293108, 1e-9, "Table 8 plain column (computed 8.2667293)");
  test_abs(r.params.c3, 0.1095, 2e-3, "Table 8 optimal c3 (paper 0.1091)");
  test_true(r.gain > 0 && !r.no_gain, "Table 8: lifting lowers the bound (gain %g)", r.gain);
  test_true(r.residual < 1e-8, "Table 8 stationarity residual %g", r.residual);
  /* a genuine local min-max (the notes' saddle check: max block eigenvalues -11.3, -3.65; Schur 0.21, ...) */
  test_abs(r.saddle_max_eig_max, -3.65, 0.01, "Table 8: largest eigenvalue of the (nu, gamma) block");
  test_abs(r.saddle_min_eig_min, 0.21, 0.01, "Table 8: smallest eigenvalue of the Schur complement on (r, gb)");
  test_true(r.quad_error < 1e-9, "Table 8 quadrature error %g", r.quad_error);
  /* the first-order slope at c3 = 0+, against the brute-force variances (see docs/lifted-rdt.md sec. 4) */
  test_abs(r.slope, 0.0120609, 2e-6, "dPsi/dc3(0+) for Table 8");
  double slope_weak = r.slope, dadc = r.dalpha_dc3_0;

  /* Table 8 parameters with c3 held at the printed 0.1091 */
  test_true(lifted(2, RELUCAP_WEAK, a1, 0.1091, 0, &r) == RELUCAP_SUCCESS, "Table 8 held-c3 status");
  test_abs(r.params.r[1], 1.7933, 1e-4, "Table 8 r");
  test_abs(r.params.gbar[1], 0.88106, 1e-5, "Table 8 gbar_1");
  test_abs(r.params.gbar[2], 0.90534, 1e-5, "Table 8 gbar_2");
  test_abs(r.params.nu, 0.55048, 1e-5, "Table 8 nu");
  test_abs(r.params.gamma[1], 0.33607, 1e-5, "Table 8 gamma");
  test_abs(r.params.gbar[1], 0.8810, 1e-4, "Table 8 gbar_1 to the paper's digits");
  test_abs(r.params.gbar[2], 0.9053, 1e-4, "Table 8 gbar_2 to the paper's digits");
  test_abs(r.params.gamma[1], 0.3361, 1e-4, "Table 8 gamma to the paper's digits");
  test_abs(r.capacity, 8.2641006, 1e-7, "Table 8 capacity at the printed c3 (flat optimum)");
  test_true(r.residual < 1e-8, "Table 8 held-c3 residual %g", r.residual);
  /* the derivative at 0+ against a small held c3 */
  test_true(lifted(2, RELUCAP_WEAK, a1, 0.0025, 0, &rh) == RELUCAP_SUCCESS, "small c3 status");
  test_rel((rh.capacity - rh.plain_capacity) / 0.0025, dadc, 0.03, "d alpha/d c3 at 0+ vs alpha(0.0025)");

  /* Table 9 (2-layer strong): parameters at the printed c3 = 0.8315; capacity computed */
  test_true(lifted(2, RELUCAP_STRONG, a1, 0.8315, 0, &r) == RELUCAP_SUCCESS, "Table 9 held-c3 status");
  test_abs(r.params.r[1], 1.90586, 1e-5, "Table 9 r");
  test_abs(r.params.gbar[1], 0.78617, 1e-5, "Table 9 gbar_1");
  test_abs(r.params.gbar[2], 0.57071, 1e-5, "Table 9 gbar_2");
  test_abs(r.params.nu, 0.35603, 1e-5, "Table 9 nu");
  test_abs(r.params.gamma[1], 0.57287, 1e-5, "Table 9 gamma");
  test_true(lifted(2, RELUCAP_STRONG, a1, 0, 0, &r) == RELUCAP_SUCCESS, "Table 9 status");
  test_true(r.capacity < 12.3504210, "Table 9 capacity %.8f below plain 12.3504210", r.capacity);
  test_abs(r.capacity, 12.1833129, 2e-7, "Table 9 capacity (computed, absent from the paper)");
  test_abs(r.params.c3, 0.8315, 2e-3, "Table 9 optimal c3");
  test_true(r.residual < 1e-8 && fabs(r.dpsi_dc3) < 1e-8, "Table 9 residual %g, dPsi/dc3 %g", r.residual, r.dpsi_dc3);
  test_abs(r.saddle_max_eig_max, -10.3, 0.05, "Table 9: largest eigenvalue of the (nu, gamma) block");
  test_abs(r.saddle_min_eig_min, 0.19, 0.01, "Table 9: smallest eigenvalue of the Schur complement");
  test_true(r.slope > slope_weak, "strong lifts more than weak (slopes %g > %g)", r.slope, slope_weak);

  /* Depth 1: the single-layer partially lifted value */
  test_true(lifted(1, RELUCAP_WEAK, NULL, 0, 0, &r) == RELUCAP_SUCCESS, "depth 1 status");
  test_abs(r.capacity, 7.4486387263, 2e-10, "depth-1 lifted capacity");
  test_abs(r.plain_capacity, 7.6476949354, 1e-9, "depth-1 plain capacity");
  {
    /* the same number by another route: the single-layer 1RSB with Q_0 = 0 (gate level 2p) */
    relucap_gate_opts go;
    relucap_gate_result gr;
    relucap_gate_opts_default(&go);
    go.partial = 1;
    test_true(relucap_gate_capacity(&go, &gr) == RELUCAP_SUCCESS, "gate level 2p status");
    test_abs(r.capacity, gr.capacity, 1e-10, "depth-1 lifted = gate level 2p (%.13f)", gr.capacity);
  }

  /* Two quadratures agree: 128 vs 64 GL nodes, and the adaptive rule on Psi at the solution */
  test_true(lifted(2, RELUCAP_STRONG, a1, 0.8315, 128, &rh) == RELUCAP_SUCCESS, "128-node status");
  test_true(lifted(2, RELUCAP_STRONG, a1, 0.8315, 0, &r) == RELUCAP_SUCCESS, "64-node status");
  test_abs(rh.capacity, r.capacity, 1e-11, "capacity: 128 vs 64 GL nodes");
  {
    relucap_quad *qa = relucap_quad_alloc(RELUCAP_QUAD_ADAPTIVE, 64, 12.0);
    double alphas[2] = {6.7004, r.capacity}, va;
    test_true(relucap_lifted_psi(qa, RELUCAP_STRONG, alphas, &r.params, &va, NULL, NULL) == RELUCAP_SUCCESS,
              "adaptive psi status");
    test_abs(va, 0.0, 1e-11, "Psi = 0 at the solution under the adaptive rule");
    relucap_quad_free(qa);
  }

  /* c3 -> 0: Psi tends to the plain objective (72) at the same point, at the slope's rate */
  {
    relucap_plain_problem pp = {2, RELUCAP_WEAK, a1, NULL, RELUCAP_QUAD_GL, 0, 0};
    relucap_plain_result pr;
    relucap_quad *q = relucap_quad_alloc(RELUCAP_QUAD_GL, 64, 12.0);
    test_true(relucap_plain_capacity(&pp, &pr) == RELUCAP_SUCCESS, "plain status");
    double alphas[2] = {6.7004, pr.capacity}, phi, psi;
    relucap_plain_phi(q, RELUCAP_WEAK, alphas, &pr.params, &phi, NULL, NULL);
    relucap_lifted_params lp;
    memset(&lp, 0, sizeof lp);
    lp.depth = 2;
    lp.r[0] = 1; lp.r[1] = pr.params.r[1] * 1.01; /* off the saddle too */
    lp.gbar[1] = pr.params.gbar[1]; lp.gbar[2] = pr.params.gbar[2];
    lp.gamma[1] = pr.params.gamma[1]; lp.nu = pr.params.nu;
    relucap_plain_params off = pr.params;
    off.r[1] = lp.r[1];
    relucap_plain_phi(q, RELUCAP_WEAK, alphas, &off, &phi, NULL, NULL);
    for (double c = 1e-2; c >= 1e-5; c /= 10) {
      lp.c3 = c;
      relucap_lifted_psi(q, RELUCAP_WEAK, alphas, &lp, &psi, NULL, NULL);
      test_abs(psi, phi, 0.2 * c, "Psi(c3 = %g) -> plain Phi", c);
    }
    relucap_quad_free(q);
  }

  /* lifted <= plain for the same inputs (the optimum over c3 includes c3 -> 0) */
  {
    const double a2[1] = {7.647695};
    test_true(lifted(2, RELUCAP_STRONG, a2, 0, 0, &r) == RELUCAP_SUCCESS, "2L strong a1 = 7.647695 status");
    test_true(r.capacity <= r.plain_capacity && r.gain > 0, "lifted %.8f <= plain %.8f", r.capacity, r.plain_capacity);
    test_true(lifted(2, RELUCAP_WEAK, a2, 0, 0, &r) == RELUCAP_SUCCESS, "2L weak a1 = 7.647695 status");
    test_true(r.no_gain && r.slope < 0 && r.capacity == r.plain_capacity,
              "2L weak a1 = 7.647695: no first-order gain (slope %g)", r.slope);
  }

  /* 3 layers: no gain; the slope is negative and alpha_3(c3) rises with c3 */
  {
    const double a3[2] = {6.7004, 8.267};
    test_true(lifted(3, RELUCAP_WEAK, a3, 0, 0, &r) == RELUCAP_SUCCESS, "3L weak status");
    test_true(r.no_gain && r.params.c3 == 0 && r.slope < 0, "3L weak: no gain, slope %g", r.slope);
    test_abs(r.capacity, 9.4715305108, 1e-9, "3L weak = plain value");
    test_true(lifted(3, RELUCAP_WEAK, a3, 0.05, 0, &rh) == RELUCAP_SUCCESS, "3L weak c3 = 0.05 status");
    test_true(rh.capacity > r.capacity, "3L weak: alpha_3(0.05) = %.8f above plain", rh.capacity);
    /* alpha_3(c3) rises along the min-max branch up to its fold near c3 = 0.212 (Schur eigenvalue -> 0);
     * the solver must not jump to the other stationary family (alpha_3 < plain there, but not a saddle) */
    test_true(lifted(3, RELUCAP_WEAK, a3, 0.125, 0, &rh) == RELUCAP_SUCCESS, "3L weak c3 = 0.125 status");
    test_abs(rh.capacity, 9.5599851913, 1e-8, "3L weak alpha_3(0.125) on the min-max branch");
    test_true(rh.saddle_min_eig_min > 0 && rh.saddle_max_eig_max < 0, "3L weak c3 = 0.125 is a min-max saddle");
    test_true(lifted(3, RELUCAP_WEAK, a3, 0.3, 0, &rh) != RELUCAP_SUCCESS, "3L weak c3 = 0.3 (past the fold): no number");
    const double a3s[2] = {6.7004, 12.35};
    test_true(lifted(3, RELUCAP_STRONG, a3s, 0, 0, &r) == RELUCAP_SUCCESS, "3L strong status");
    test_true(r.no_gain && r.slope < 0, "3L strong: no gain, slope %g", r.slope);
  }

  /* bad input */
  test_true(lifted(2, RELUCAP_WEAK, a1, -1, 0, &r) == RELUCAP_EINVAL, "c3 < 0 rejected");
  test_true(lifted(0, RELUCAP_WEAK, a1, 0, 0, &r) == RELUCAP_EINVAL, "depth 0 rejected");
  test_true(lifted(2, RELUCAP_WEAK, NULL, 0, 0, &r) == RELUCAP_EINVAL, "missing alphas rejected");
  return test_summary("test_lifted");
}

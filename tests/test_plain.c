/* Plain RDT: the notes' test vectors, the paper's numbers, the full formula at the computed point,
 * two quadratures, deep chains. */
#include "relucap.h"
#include "testlib.h"
#include <math.h>
#include <stdlib.h>

static int capacity(int depth, relucap_kind kind, const double *alphas, relucap_quad_method m,
                    size_t nodes, relucap_plain_result *r)
{
  relucap_plain_problem p = {depth, kind, alphas, NULL, m, nodes, 0};
  return relucap_plain_capacity(&p, r);
}

static void test_vectors(void)
{
  relucap_quad *q = relucap_quad_alloc(RELUCAP_QUAD_GL, 64, 12.0);
  double v[4];
  /* docs/plain-rdt.md, test vectors (independent scipy evaluation) */
  relucap_plain_f1(q, 0.8938, 0.3077, 1.0, v, NULL);
  test_rel(v[0], -0.1281221273128036, 1e-13, "f1(0.8938, 0.3077)");
  test_rel(v[1], 0.476899395033459, 1e-13, "E(g-z*)^2 (0.8938, 0.3077)");
  test_rel(v[2], 0.4678945188095035, 1e-13, "E z*_+^2 (0.8938, 0.3077)");
  relucap_plain_f1(q, 2.17, 0.1958, 1.0, v, NULL);
  test_rel(v[0], -0.35212978088338853, 1e-13, "f1(2.17, 0.1958)");
  test_rel(v[1], 1.525146161068289, 1e-13, "E(g-z*)^2 (2.17, 0.1958)");
  test_rel(v[2], 1.3516079954243914, 1e-13, "E z*_+^2 (2.17, 0.1958)");
  test_rel(relucap_plain_f2(0.5), -0.24197072451914337, 1e-14, "f2(0.5)");
  double c;
  test_rel(relucap_plain_q(8.266729310837066, RELUCAP_WEAK, &c), 1.0896399514203767, 1e-14, "q_weak(8.2667)");
  test_rel(c, 1.1701672971754962, 1e-13, "c weak");
  test_rel(relucap_plain_q(12.3504209735165, RELUCAP_STRONG, &c), 1.0896399514203765, 1e-14, "q_strong(12.35)");
  relucap_plain_block b = {0};
  test_true(relucap_plain_block_solve(q, 6.7004, 1.0896399514203765, 1.0, &b) == 0, "block solves");
  test_rel(b.gbar, 0.8937590395489781, 1e-12, "block gbar");
  test_rel(b.gamma, 0.30770883982246405, 1e-12, "block gamma");
  test_rel(b.rho, 1.7705697893649335, 1e-12, "block rho");
  test_rel(b.G, 1.0, 1e-13, "block G");

  /* Envelope derivatives against central differences: d f1/d gb = -E(g-z*)^2/(4 gb^2),
   * d f1/d gam = E z*_+^2, d f1/d ratio = E h z*_+. */
  double gb = 1.2385, gam = 0.2741, ratio = 0.8123, h = 1e-5, p[4], m[4];
  relucap_plain_f1(q, gb, gam, ratio, v, NULL);
  relucap_plain_f1(q, gb + h, gam, ratio, p, NULL); relucap_plain_f1(q, gb - h, gam, ratio, m, NULL);
  test_rel((p[0] - m[0]) / (2 * h), -v[1] / (4 * gb * gb), 1e-8, "d f1/d gb envelope");
  relucap_plain_f1(q, gb, gam + h, ratio, p, NULL); relucap_plain_f1(q, gb, gam - h, ratio, m, NULL);
  test_rel((p[0] - m[0]) / (2 * h), v[2], 1e-8, "d f1/d gam envelope");
  relucap_plain_f1(q, gb, gam, ratio + h, p, NULL); relucap_plain_f1(q, gb, gam, ratio - h, m, NULL);
  test_rel((p[0] - m[0]) / (2 * h), v[3], 1e-8, "d f1/d ratio envelope");
  /* f2' against a central difference */
  test_rel((relucap_plain_f2(0.6 + h) - relucap_plain_f2(0.6 - h)) / (2 * h), relucap_plain_f2_prime(0.6), 1e-8, "f2'");

  /* Brute force: the pointwise minimum over a z-grid, integrated by a 2-D tensor rule, agrees
   * with the closed form (independent of the h-integration algebra). */
  {
    double sum = 0, gw[200], gx[200];
    int n = 200;
    for (int i = 0; i < n; i++) { gx[i] = -8 + 16.0 * (i + 0.5) / n; gw[i] = 16.0 / n * relucap_npdf(gx[i]); }
    gb = 0.8938; gam = 0.3077;
    double k2 = 1 + 4 * gam * gb;
    for (int i = 0; i < n; i++)
      for (int j = 0; j < n; j++) {
        double g = gx[i], hh = gx[j];
        double zpos = (g - 2 * gb * hh) / k2;  /* stationary point on z > 0 */
        double best = g > 0 ? g * g / (4 * gb) : 0; /* best z <= 0 */
        if (zpos > 0) {
          double val = (g - zpos) * (g - zpos) / (4 * gb) + hh * zpos + gam * zpos * zpos;
          if (val < best) best = val;
        }
        sum += gw[i] * gw[j] * best;
      }
    test_rel(sum, -0.1281221273128036, 2e-5, "f1 by brute-force 2-D minimisation");
  }
  relucap_quad_free(q);
}

static void test_paper_numbers(void)
{
  relucap_plain_result r;
  double a2[] = {6.7004}, a3w[] = {6.7004, 8.267}, a3s[] = {6.7004, 12.35}, a4w[] = {6.7004, 8.267, 9.49};
  test_true(capacity(1, RELUCAP_WEAK, NULL, RELUCAP_QUAD_GL, 0, &r) == 0, "depth 1 solves");
  test_rel(r.capacity, 7.6476949354, 1e-11, "1 layer: 7.6477 (12 digits: %.12f)", r.capacity);
  test_rel(r.c, 1.1228135071, 1e-10, "1 layer: c = 1.12281");
  capacity(2, RELUCAP_WEAK, a2, RELUCAP_QUAD_GL, 0, &r);
  test_rel(r.capacity, 8.2667293108, 1e-10, "Table 2: 8.267");
  test_abs(r.params.r[1], 1.7705698, 1e-7, "Table 2: r (converged)");
  test_abs(r.params.gbar[1], 0.8937590, 1e-7, "Table 2: gbar_1");
  test_abs(r.params.gbar[2], 0.9646418, 1e-7, "Table 2: gbar_2");
  test_abs(r.params.nu, 0.5562448, 1e-7, "Table 2: nu");
  test_abs(r.params.gamma[1], 0.3077088, 1e-7, "Table 2: gamma");
  test_true(fabs(r.capacity - 8.267) < 5e-4, "Table 2: agrees with the printed 8.267");
  capacity(2, RELUCAP_STRONG, a2, RELUCAP_QUAD_GL, 0, &r);
  test_rel(r.capacity, 12.3504209735, 1e-10, "Table 3: 12.35");
  test_abs(r.params.nu, 0.3953540, 1e-7, "Table 3: nu");
  test_abs(r.params.r[1], 1.7705698, 1e-7, "Table 3: r equals the weak r (layer 1 depends on alpha_1 only)");
  capacity(3, RELUCAP_STRONG, a3s, RELUCAP_QUAD_GL, 0, &r);
  test_rel(r.capacity, 17.1266089565, 1e-10, "Table 5: 17.13");
  test_abs(r.params.r[2], 7.233099, 1e-6, "Table 5: r_2");
  test_abs(r.params.gbar[3], 5.786303, 1e-6, "Table 5: gbar_3");
  test_abs(r.params.gamma[2], 0.195824, 1e-6, "Table 5: gamma_2");
  capacity(3, RELUCAP_WEAK, a3w, RELUCAP_QUAD_GL, 0, &r);
  test_rel(r.capacity, 9.4715305108, 1e-10, "Table 4 recomputed: 9.4715305 (printed 9.49 is not the root)");
  test_abs(r.params.r[2], 3.816327, 1e-6, "Table 4 recomputed: r_2");
  capacity(4, RELUCAP_WEAK, a4w, RELUCAP_QUAD_GL, 0, &r);
  test_rel(r.capacity, 10.7887954955, 1e-10, "Table 6 recomputed: 10.7887955 (printed 10.124 is not the root)");
  test_abs(r.params.r[3], 8.488872, 1e-6, "Table 6 recomputed: r_3");
  test_abs(r.params.nu, 2.617142, 1e-6, "Table 6 recomputed: nu");
  double slip[] = {6.7004, 8.267, 8.267};
  capacity(4, RELUCAP_WEAK, slip, RELUCAP_QUAD_GL, 0, &r);
  test_rel(r.capacity, 10.1122787, 1e-8, "the slip alpha_3 := alpha_2 gives 10.1123 (close to the printed 10.124)");
}

/* Evidence: the full formula (72) at the printed Table 6 point is far from stationary and its
 * inner max is negative at 10.124; at the computed point the gradient vanishes. */
static void test_evidence(void)
{
  relucap_quad *q = relucap_quad_alloc(RELUCAP_QUAD_GL, 64, 12.0);
  relucap_plain_params p = {4, {1, 1.73, 3.68, 6.7}, {0, 0.8751, 1.1205, 0.9983, 4.4858}, {0, 0.3184, 0.2960, 0.3683}, 2.0769};
  double alphas[] = {6.7004, 8.267, 9.49, 10.124}, val, grad[11], gmax = 0;
  relucap_plain_phi(q, RELUCAP_WEAK, alphas, &p, &val, grad, NULL);
  for (int k = 0; k < 11; k++) gmax = fmax(gmax, fabs(grad[k]));
  test_true(gmax > 1.0, "Table 6 printed point: gradient far from zero (%.3g)", gmax);
  relucap_plain_phi_inner_max(q, RELUCAP_WEAK, alphas, &p, &val);
  test_abs(val, -0.473, 2e-3, "Table 6 printed point: inner max -0.473 at 10.124");

  relucap_plain_result r;
  capacity(4, RELUCAP_WEAK, alphas, RELUCAP_QUAD_GL, 0, &r);
  test_true(r.residual < 1e-12 && fabs(r.value) < 1e-12, "computed 4-layer point stationary (%.1e) and a root (%.1e)", r.residual, r.value);
  /* Gradient of the full formula vs central differences at a generic point (checks relucap_plain_phi). */
  relucap_plain_params x = {3, {1, 1.61, 3.9}, {0, 0.91, 1.07, 2.2}, {0, 0.29, 0.31}, 1.13};
  double a3[] = {6.7004, 8.9, 9.7}, g[8], h = 1e-6;
  relucap_plain_phi(q, RELUCAP_WEAK, a3, &x, &val, g, NULL);
  double *slots[8] = {&x.r[1], &x.r[2], &x.gbar[1], &x.gbar[2], &x.gbar[3], &x.gamma[1], &x.gamma[2], &x.nu};
  for (int k = 0; k < 8; k++) {
    double keep = *slots[k], fp, fm;
    *slots[k] = keep + h; relucap_plain_phi(q, RELUCAP_WEAK, a3, &x, &fp, NULL, NULL);
    *slots[k] = keep - h; relucap_plain_phi(q, RELUCAP_WEAK, a3, &x, &fm, NULL, NULL);
    *slots[k] = keep;
    test_abs(g[k], (fp - fm) / (2 * h), 1e-7, "gradient of (72), component %d, vs finite difference", k);
  }
  relucap_quad_free(q);
}

/* Two independent quadratures (Gauss-Legendre and GSL adaptive) agree to >= 10 digits. */
static void test_two_quadratures(void)
{
  double a[] = {6.7004, 8.2667293108, 9.4713697963, 10.7776502488, 12.1751731};
  for (int depth = 2; depth <= (getenv("RELUCAP_SANITIZE") ? 3 : 5); depth++)
    for (int k = 0; k < 2; k++) {
      relucap_plain_result gl, ad;
      capacity(depth, (relucap_kind)k, a, RELUCAP_QUAD_GL, 64, &gl);
      int st = capacity(depth, (relucap_kind)k, a, RELUCAP_QUAD_ADAPTIVE, 64, &ad);
      test_true(st == 0, "adaptive quadrature solve, depth %d kind %d", depth, k);
      test_rel(ad.capacity, gl.capacity, 1e-10, "GL vs adaptive, depth %d kind %d", depth, k);
      test_true(gl.quad_error < 1e-11, "quadrature error estimate small (%.1e)", gl.quad_error);
    }
  /* two Gauss-Legendre orders */
  relucap_plain_result r1, r2;
  double a3[] = {6.7004, 8.267, 9.49};
  capacity(4, RELUCAP_WEAK, a3, RELUCAP_QUAD_GL, 48, &r1);
  capacity(4, RELUCAP_WEAK, a3, RELUCAP_QUAD_GL, 200, &r2);
  test_rel(r1.capacity, r2.capacity, 1e-12, "GL 48 vs 200 nodes, depth 4");
}

/* Chains to depth 12: monotone growth, expansions > 1 and decreasing, stationary at every depth. */
static void test_deep_chains(void)
{
  for (int k = 0; k < 2; k++) {
    double alphas[12] = {6.7004}, prev_exp = 1e9;
    for (int d = 2; d <= 12; d++) {
      relucap_plain_result r;
      int st = capacity(d, (relucap_kind)k, alphas, RELUCAP_QUAD_GL, 0, &r);
      test_true(st == 0, "chain kind %d depth %d solves", k, d);
      test_true(r.residual < 1e-10 && fabs(r.value) < 1e-10, "chain kind %d depth %d: residual %.1e", k, d, r.residual);
      test_true(r.quad_error < 1e-9 * r.capacity, "chain kind %d depth %d: quad error %.1e", k, d, r.quad_error);
      double e = r.capacity / alphas[d - 2];
      if (d >= 3) test_true(e > 1 && e < prev_exp, "chain kind %d depth %d: expansion %.4f in (1, %.4f)", k, d, e, prev_exp);
      prev_exp = e;
      alphas[d - 1] = r.capacity;
    }
  }
}

/* The dual-ratio scan of ../shared/notes/dual-ratio.md through the plain recursion (ratio != 1). */
static void test_ratio_scan(void)
{
  double a[] = {6.7004};
  const double ratio[] = {0.5, 0.6, 0.8, 0.9, 1.2}, want[] = {8.3593, 7.6440, 7.6942, 7.9604, 8.8841};
  for (int k = 0; k < 5; k++) {
    relucap_plain_problem p = {2, RELUCAP_WEAK, a, &ratio[k], RELUCAP_QUAD_GL, 0, 0};
    relucap_plain_result r;
    int st = relucap_plain_capacity(&p, &r);
    test_true(st == 0, "ratio %.1f solves", ratio[k]);
    test_abs(r.capacity, want[k], 6e-5, "ratio %.1f: the notes' scan value", ratio[k]);
  }
}

static void test_bad_input(void)
{
  relucap_plain_result r;
  double bad[] = {-1.0}, nan_[] = {NAN}, small[] = {0.5};
  test_true(capacity(0, RELUCAP_WEAK, NULL, RELUCAP_QUAD_GL, 0, &r) == RELUCAP_EINVAL, "depth 0 rejected");
  test_true(capacity(2, RELUCAP_WEAK, bad, RELUCAP_QUAD_GL, 0, &r) == RELUCAP_EINVAL, "negative alpha rejected");
  test_true(capacity(2, RELUCAP_WEAK, nan_, RELUCAP_QUAD_GL, 0, &r) == RELUCAP_EINVAL, "NaN alpha rejected");
  test_true(capacity(2, RELUCAP_WEAK, small, RELUCAP_QUAD_GL, 0, &r) != RELUCAP_SUCCESS, "alpha_1 = 0.5 outside the domain");
  double adm[] = {6.7004, 8.0};
  relucap_plain_problem p = {3, RELUCAP_WEAK, adm, NULL, RELUCAP_QUAD_GL, 0, 6.70039};
  relucap_plain_capacity(&p, &r);
  test_true(!r.admissible, "alpha_2 = 8.0 below the 2-layer capacity 8.2667: not admissible");
  adm[1] = 8.3;
  relucap_plain_capacity(&p, &r);
  test_true(r.admissible, "alpha_2 = 8.3: admissible");
}

int main(void)
{
  test_vectors();
  test_paper_numbers();
  test_evidence();
  test_two_quadratures();
  test_deep_chains();
  test_ratio_scan();
  test_bad_input();
  return test_summary("test_plain");
}

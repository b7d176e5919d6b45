/* Optimised dual ratios against the numbers of dual-ratio.md, the plain solver, the linear-first
 * sanity model (known answer), a second quadrature, and provoked failures. */
#include "relucap.h"
#include "testlib.h"
#include <math.h>
#include <stdlib.h>

static const double A1 = 6.7004;

static double plain_at(int depth, relucap_kind kind, const double *alphas, const double *ratios)
{
  relucap_plain_problem p = {depth, kind, alphas, ratios, RELUCAP_QUAD_GL, 64, 0};
  relucap_plain_result r;
  int st = relucap_plain_capacity(&p, &r);
  test_true(st == RELUCAP_SUCCESS, "plain depth %d status %d", depth, st);
  return st ? NAN : r.capacity;
}

/* The same bound with this module's continuation solver (reaches nets the plain solver's cold
 * starts miss, e.g. strong depth >= 3). */
static double robust_at(int depth, relucap_kind kind, const double *alphas, const double *ratios)
{
  relucap_optimized_problem p = {depth, kind, alphas, RELUCAP_QUAD_GL, 0, 0, 0, 0};
  relucap_optimized_result r;
  int st = relucap_optimized_at_ratios(&p, ratios, &r);
  test_true(st == RELUCAP_SUCCESS, "at_ratios depth %d status %d", depth, st);
  return st ? NAN : r.capacity;
}

static int optimized_at(int depth, relucap_kind kind, const double *alphas, relucap_quad_method quad,
                        relucap_optimized_result *r)
{
  relucap_optimized_problem p = {depth, kind, alphas, quad, 0, 0, 0, 0};
  return relucap_optimized_capacity(&p, r);
}

/* 2 layers, alpha_1 = 6.7004: the optimum, its evidence, and the paper's ratio 1. */
static void two_layers(void)
{
  static const double want[2] = {7.5307951, 11.4480706}, paper[2] = {8.2667293, 12.3504210};
  for (int kind = 0; kind < 2; kind++) {
    relucap_optimized_result r;
    int st = optimized_at(2, (relucap_kind)kind, &A1, RELUCAP_QUAD_GL, &r);
    test_true(st == RELUCAP_SUCCESS, "2 layers kind %d status %d", kind, st);
    test_abs(r.capacity, want[kind], 5e-8, "2 layers kind %d optimised bound", kind);
    test_abs(r.ratios[2], 0.6775501, 5e-8, "2 layers kind %d optimal ratio", kind);
    test_abs(r.gbar[1], 0.5, 1e-12, "gb_1 = 1/2 at the optimum (kind %d)", kind);
    test_true(r.half_gap < 1e-12 && r.residual < 1e-12, "kind %d residuals %g %g", kind, r.half_gap, r.residual);
    test_true(r.grid_gap >= 0 && r.scan_gap >= 0, "kind %d global checks %g %g", kind, r.grid_gap, r.scan_gap);
    test_true(r.quad_error < 1e-7, "kind %d quad error %g", kind, r.quad_error);
    test_true(r.curvature[2] > 0, "kind %d curvature %g > 0", kind, r.curvature[2]);
    /* the curvature against a second difference of the plain bound in the ratio */
    double h = 1e-3 * r.ratios[2], rp = r.ratios[2] + h, rm = r.ratios[2] - h, r0 = r.ratios[2];
    double ap = plain_at(2, (relucap_kind)kind, &A1, &rp), am = plain_at(2, (relucap_kind)kind, &A1, &rm);
    double a0 = plain_at(2, (relucap_kind)kind, &A1, &r0);
    test_rel(r.curvature[2], (ap + am - 2 * a0) / (h * h), 1e-4, "kind %d curvature vs plain second difference", kind);
    test_abs(a0, r.capacity, 1e-11, "kind %d plain solver at the optimal ratio", kind);
    /* the paper's normalisation, ratio 1 */
    double one = 1.0;
    test_abs(plain_at(2, (relucap_kind)kind, &A1, &one), paper[kind], 5e-8, "kind %d ratio 1", kind);
  }
  /* the notes' scan (2 layers, weak), printed to 4 decimals */
  static const double rho[] = {0.9, 0.8, 0.7, 0.68, 0.6, 0.5, 1.2};
  static const double val[] = {7.9604, 7.6942, 7.5379, 7.5309, 7.6440, 8.3593, 8.8841};
  for (int k = 0; k < 7; k++)
    test_abs(robust_at(2, RELUCAP_WEAK, &A1, &rho[k]), val[k], 5.1e-5, "scan rho = %g", rho[k]);
}

/* Linear first layer: optimised bound = the one-layer plain bound at rho* = 1/sqrt(alpha_1 - 1). */
static void linear_first(void)
{
  static const double a1[] = {4.0, 6.7004, 10.0};
  double one_layer[2];
  for (int kind = 0; kind < 2; kind++)
    relucap_plain_q_inverse(1.0, (relucap_kind)kind, &one_layer[kind], NULL);
  test_abs(one_layer[0], 7.6476949, 5e-8, "one-layer plain bound");
  for (int k = 0; k < 3; k++) {
    for (int kind = 0; kind < 2; kind++) {
      double a2, rho;
      int st = relucap_optimized_linear_first(a1[k], (relucap_kind)kind, &a2, &rho);
      test_true(st == RELUCAP_SUCCESS, "linear-first %g kind %d status %d", a1[k], kind, st);
      test_rel(a2, one_layer[kind], 1e-10, "linear-first %g kind %d bound", a1[k], kind);
      test_rel(rho, 1 / sqrt(a1[k] - 1), 1e-6, "linear-first %g kind %d optimal ratio", a1[k], kind);
      for (double f = 0.5; f <= 2.0; f *= 1.4142) { /* never less than the optimum */
        double at;
        relucap_optimized_linear_first_at(a1[k], f * rho, (relucap_kind)kind, &at);
        test_true(at >= a2 - 1e-12, "linear-first %g: rho %g gives %g >= %g", a1[k], f * rho, at, a2);
      }
    }
  }
  double ratio_one;
  relucap_optimized_linear_first_at(A1, 1.0, RELUCAP_WEAK, &ratio_one);
  test_abs(ratio_one, 13.27, 5e-3, "linear-first ratio 1 at 6.7004 (far looser)");
  double bad;
  test_true(relucap_optimized_linear_first(0.5, RELUCAP_WEAK, &bad, NULL) == RELUCAP_EINVAL, "linear-first alpha_1 <= 1");
  test_true(relucap_optimized_linear_first_at(A1, -1, RELUCAP_WEAK, &bad) == RELUCAP_EINVAL, "linear-first rho <= 0");
}

/* Deeper chains fall slowly with depth; each bound below the paper's ratio-1 bound for the same
 * net; the optimal ratios fed to the plain solver reproduce the bound; perturbing them raises it. */
static void chains(int L)
{
  for (int kind = 0; kind < 2; kind++) {
    double caps[RELUCAP_MAX_DEPTH + 1];
    relucap_optimized_result res[RELUCAP_MAX_DEPTH + 1];
    int failed;
    int st = relucap_optimized_chain(A1, (relucap_kind)kind, L, RELUCAP_QUAD_GL, 0, caps, res, &failed);
    test_true(st == RELUCAP_SUCCESS, "chain kind %d status %d (depth %d)", kind, st, failed);
    if (st) continue;
    for (int k = 3; k <= L; k++) {
      test_true(caps[k] < caps[k - 1], "chain kind %d: depth %d %g < depth %d %g", kind, k, caps[k], k - 1, caps[k - 1]);
      test_true(caps[k - 1] - caps[k] < 0.15, "chain kind %d: slow fall at depth %d", kind, k);
    }
    for (int k = 2; k <= L; k++)
      test_true(res[k].grid_gap >= 0 && res[k].curvature[k] > 0 && res[k].residual < 1e-12,
                "chain kind %d depth %d evidence", kind, k);
    /* depth 4 of the chain, independently: plain with ratio 1, plain at the optimal ratios, perturbed */
    double alphas[3] = {caps[1], caps[2], caps[3]};
    double *ratios = &res[4].ratios[2];
    test_abs(robust_at(4, (relucap_kind)kind, alphas, ratios), caps[4], 1e-11, "kind %d depth 4: bound at the ratios", kind);
    if (kind == RELUCAP_WEAK)
      test_abs(plain_at(4, RELUCAP_WEAK, alphas, ratios), caps[4], 1e-11, "weak depth 4: plain solver at the ratios");
    double ones[3] = {1, 1, 1};
    test_true(robust_at(4, (relucap_kind)kind, alphas, ones) > caps[4] + 0.5, "kind %d depth 4 below ratio 1", kind);
    for (int j = 0; j < 3; j++)
      for (int sgn = -1; sgn <= 1; sgn += 2) {
        double pr[3] = {ratios[0], ratios[1], ratios[2]};
        pr[j] *= 1 + sgn * 0.01;
        test_true(robust_at(4, (relucap_kind)kind, alphas, pr) > caps[4], "kind %d depth 4: pi_%d %+d%% raises the bound", kind, j + 2, sgn);
      }
  }
}

/* At ratio 1 the continuation solver reproduces plain-rdt.md's deeper values (paper alphas) and
 * the plain solver. */
static void ratio_one_tables(void)
{
  double ones[3] = {1, 1, 1}, weak[3] = {A1, 8.267, 9.49}, strong[2] = {A1, 12.35};
  test_abs(robust_at(3, RELUCAP_WEAK, weak, ones), 9.4715305, 5e-8, "ratio 1: weak 3 layers (T4)");
  test_abs(robust_at(4, RELUCAP_WEAK, weak, ones), 10.7887955, 5e-8, "ratio 1: weak 4 layers (T6)");
  test_abs(robust_at(3, RELUCAP_STRONG, strong, ones), 17.1266090, 5e-8, "ratio 1: strong 3 layers (T5)");
  test_abs(robust_at(3, RELUCAP_WEAK, weak, ones), plain_at(3, RELUCAP_WEAK, weak, ones), 1e-11, "weak 3 layers: both solvers");
  test_abs(robust_at(3, RELUCAP_STRONG, strong, ones), plain_at(3, RELUCAP_STRONG, strong, ones), 1e-11, "strong 3 layers: both solvers");
  double bad[1] = {0};
  relucap_optimized_problem p = {2, RELUCAP_WEAK, &A1, RELUCAP_QUAD_GL, 0, 0, 0, 0};
  relucap_optimized_result r;
  test_true(relucap_optimized_at_ratios(&p, bad, &r) == RELUCAP_EINVAL, "at_ratios: ratio 0 rejected");
}

/* The ratio-dependent expectation against a brute-force 2-D quadrature of the directly minimised
 * integrand (golden section over z at each node: independent of the closed form), and
 * d f1/d pi = E[h z*_+] against a central difference (the envelope condition's ingredient). */
static double pointwise(double z, const double *c) /* c = {g, h, gb, pi, gam} */
{
  double zp = z > 0 ? z : 0;
  return (c[0] - z) * (c[0] - z) / (4 * c[2]) + c[3] * c[1] * zp + c[4] * zp * zp;
}

static double direct_min(double g, double h, double gb, double pi, double gam)
{
  double c[5] = {g, h, gb, pi, gam}, lo = fmin(g, 0) - 1, hi = fmax(g, 0) + 1 + 2 * gb * pi * fabs(h);
  const double r = 0.6180339887498949;
  /* the minimand is convex on z <= 0 and on z >= 0: minimise on each side, keep the smaller */
  double best = INFINITY;
  for (int side = 0; side < 2; side++) {
    double a = side ? 0 : lo, b = side ? hi : 0;
    for (int it = 0; it < 80; it++) {
      double x1 = b - r * (b - a), x2 = a + r * (b - a);
      if (pointwise(x1, c) <= pointwise(x2, c)) b = x2; else a = x1;
    }
    best = fmin(best, pointwise(0.5 * (a + b), c));
  }
  return best;
}

static void brute_force_f1(int n)
{
  double gb = 0.5, gam = 0.2162910632, pi = 0.6775501425, val[4], vp[4], vm[4];
  relucap_quad *q = relucap_quad_alloc(RELUCAP_QUAD_GL, 64, 12.0);
  relucap_plain_f1(q, gb, gam, pi, val, NULL);
  relucap_plain_f1(q, gb, gam, pi * (1 + 1e-5), vp, NULL);
  relucap_plain_f1(q, gb, gam, pi * (1 - 1e-5), vm, NULL);
  test_rel(val[3], (vp[0] - vm[0]) / (2e-5 * pi), 1e-8, "d f1/d pi = E h z*_+");
  /* 2-D midpoint rule on [-8, 8]^2 with n^2 cells, weight phi(g) phi(h) */
  double sum = 0, hcell = 16.0 / n;
  for (int i = 0; i < n; i++) {
    double g = -8 + (i + 0.5) * hcell;
    for (int j = 0; j < n; j++) {
      double h = -8 + (j + 0.5) * hcell;
      sum += relucap_npdf(g) * relucap_npdf(h) * direct_min(g, h, gb, pi, gam);
    }
  }
  test_abs(sum * hcell * hcell, val[0], n >= 400 ? 2e-6 : 2e-5, "f1_pi: closed form vs brute-force 2-D quadrature (n = %d)", n);
  relucap_quad_free(q);
}

/* The curvature d^2 alpha_l / d pi_k^2 at depth 3 against second differences of the bound at given
 * ratios (pi_2 acts through the later layer). */
static void curvature_depth3(void)
{
  double alphas[2] = {A1, 7.5307950677};
  relucap_optimized_result r;
  int st = optimized_at(3, RELUCAP_WEAK, alphas, RELUCAP_QUAD_GL, &r);
  test_true(st == RELUCAP_SUCCESS, "depth 3 status %d", st);
  for (int k = 2; k <= 3; k++) {
    double pr[2] = {r.ratios[2], r.ratios[3]}, h = 1e-3 * pr[k - 2], a[3];
    for (int s = -1; s <= 1; s++) {
      double p2[2] = {pr[0], pr[1]};
      p2[k - 2] += s * h;
      a[s + 1] = robust_at(3, RELUCAP_WEAK, alphas, p2);
    }
    test_rel(r.curvature[k], (a[0] + a[2] - 2 * a[1]) / (h * h), 1e-3, "depth 3: curvature in pi_%d", k);
    test_true(a[0] > a[1] && a[2] > a[1], "depth 3: pi_%d is a local minimum", k);
  }
}

/* Lifting combined with the optimised ratio (2 layers; dual-ratio.md sec. 5). */
static void lifted_with_ratio(int sanitize)
{
  relucap_quad *q = relucap_quad_alloc(RELUCAP_QUAD_GL, 64, 12.0);
  double al[2] = {A1, 8.3}, mine, theirs;
  relucap_lifted_params lp = {0};
  lp.depth = 2; lp.r[0] = 1; lp.r[1] = 1.8; lp.gbar[1] = 0.9; lp.gbar[2] = 0.95; lp.gamma[1] = 0.31;
  lp.nu = 0.55; lp.c3 = 0.4;
  relucap_lifted_psi(q, RELUCAP_WEAK, al, &lp, &theirs, NULL, NULL);
  relucap_optimized_lifted2_psi(q, RELUCAP_WEAK, A1, 8.3, 0.4, 1.0, 1.8, 0.9, 0.95, 0.31, 0.55, &mine);
  test_abs(mine, theirs, 1e-14, "lifted Psi at rho = 1 = the lifted module's Psi");
  relucap_quad_free(q);
  static const double at_one[2] = {8.2641006, 12.1833129};
  for (int kind = 0; kind < 2; kind++) {
    relucap_optimized_lifted_result r;
    int st = relucap_optimized_lifted2(A1, (relucap_kind)kind, RELUCAP_QUAD_GL, 96, 0, 1.0, &r);
    test_true(st == RELUCAP_SUCCESS, "lifted, rho = 1, kind %d: status %d", kind, st);
    test_abs(r.capacity, at_one[kind], 5e-8, "lifted, rho = 1, kind %d (dual-ratio.md sec. 5)", kind);
    st = relucap_optimized_lifted2(A1, (relucap_kind)kind, RELUCAP_QUAD_GL, 96, 0, 0, &r);
    test_true(st == RELUCAP_SUCCESS, "lifted + ratio, kind %d: status %d", kind, st);
    test_true(r.residual < 1e-12 && r.d2_c3 > 0 && r.d2_rho > 0 && r.quad_error < 1e-10,
              "lifted + ratio, kind %d: evidence (res %g, curvatures %g %g, quad %g)", kind, r.residual, r.d2_c3, r.d2_rho, r.quad_error);
    double gain = (r.plain_ratio_capacity - r.capacity) / r.plain_ratio_capacity;
    if (kind == RELUCAP_WEAK) {
      /* the replica 1RSB value with zero outer overlaps (dual-ratio.md, introduction) */
      test_abs(r.capacity, 7.408123381512, 2e-11, "lifted + ratio, weak = replica 1RSB 7.408123381512");
      test_true(gain > 0.015 && gain < 0.017 && r.c3 > 0.8 && r.c3 < 1.5, "weak: gain %g (about 1.6 %%), c3* %g near 1", gain, r.c3);
    } else {
      test_true(gain > 0.035 && gain < 0.039 && r.c3 > 1.5 && r.c3 < 2.5, "strong: gain %g (about 3.7 %%), c3* %g near 2", gain, r.c3);
    }
  }
  /* c3 -> 0 with the ratio free gives back the optimised plain bound (linear extrapolation) */
  relucap_optimized_lifted_result a, b;
  int sa = relucap_optimized_lifted2(A1, RELUCAP_WEAK, RELUCAP_QUAD_GL, 96, 0.002, 0, &a);
  int sb = relucap_optimized_lifted2(A1, RELUCAP_WEAK, RELUCAP_QUAD_GL, 96, 0.004, 0, &b);
  test_true(sa == 0 && sb == 0, "held c3 = 0.002, 0.004: status %d %d", sa, sb);
  test_abs(2 * a.capacity - b.capacity, 7.5307951, 2e-6, "c3 -> 0 limit of the lifted + ratio bound");
  if (!sanitize) {
    relucap_optimized_lifted_result ad, gl;
    relucap_optimized_lifted2(A1, RELUCAP_STRONG, RELUCAP_QUAD_ADAPTIVE, 0, 0, 0, &ad);
    relucap_optimized_lifted2(A1, RELUCAP_STRONG, RELUCAP_QUAD_GL, 96, 0, 0, &gl);
    test_rel(gl.capacity, ad.capacity, 1e-11, "lifted + ratio, strong: GL vs adaptive");
  }
}

/* Lifting with optimised ratios at any depth: the objective against the lifted module (ratios 1,
 * depth 3) and the 2-layer function; its optimum at depth 2 and 3; no gain at ratio 1 (as the lifted
 * module finds beyond two layers); the weak combined chain loses its gain at depth 5. */
static void lifted_deep(int sanitize)
{
  relucap_quad *q = relucap_quad_alloc(RELUCAP_QUAD_GL, 64, 12.0);
  double al[3] = {A1, 8.3, 9.5}, theirs, mine;
  relucap_lifted_params lp = {0};
  lp.depth = 3; lp.r[0] = 1; lp.r[1] = 1.8; lp.r[2] = 3.9; lp.gbar[1] = 0.9; lp.gbar[2] = 1.1; lp.gbar[3] = 2.3;
  lp.gamma[1] = 0.31; lp.gamma[2] = 0.29; lp.nu = 1.1; lp.c3 = 0.3;
  relucap_lifted_psi(q, RELUCAP_WEAK, al, &lp, &theirs, NULL, NULL);
  double ones[2] = {1, 1}, r[2] = {1.8, 3.9}, gb[3] = {0.9, 1.1, 2.3}, gam[2] = {0.31, 0.29};
  relucap_optimized_lifted_deep_psi(q, RELUCAP_WEAK, 3, al, 0.3, ones, r, gb, gam, 1.1, &mine);
  test_abs(mine, theirs, 1e-13, "deep Psi, depth 3, ratios 1 = the lifted module's Psi");
  double two, al2[2] = {A1, 8.3}, pi = 0.7, r2 = 1.8, gb2[2] = {0.9, 0.95}, gam2 = 0.31;
  relucap_optimized_lifted2_psi(q, RELUCAP_WEAK, A1, 8.3, 0.4, 0.7, 1.8, 0.9, 0.95, 0.31, 0.55, &two);
  relucap_optimized_lifted_deep_psi(q, RELUCAP_WEAK, 2, al2, 0.4, &pi, &r2, gb2, &gam2, 0.55, &mine);
  test_abs(mine, two, 1e-14, "deep Psi, depth 2 = the 2-layer Psi");
  relucap_quad_free(q);

  relucap_optimized_lifted_deep_result d;
  int st = relucap_optimized_lifted_deep(2, RELUCAP_WEAK, &A1, RELUCAP_QUAD_GL, 96, 0, NULL, &d);
  test_true(st == RELUCAP_SUCCESS && !d.no_gain, "deep, depth 2: status %d", st);
  test_abs(d.capacity, 7.408123381512, 2e-11, "deep, depth 2 = 7.408123381512");
  double a3[2] = {A1, 7.5307950677391995};
  st = relucap_optimized_lifted_deep(3, RELUCAP_WEAK, a3, RELUCAP_QUAD_GL, 96, 0, NULL, &d);
  test_true(st == RELUCAP_SUCCESS && !d.no_gain && d.residual < 1e-12 && d.d2_c3 > 0,
            "deep, depth 3 weak: status %d, evidence", st);
  test_true(d.saddle_max_yy < -1 && d.saddle_min_schur > 0.1, "depth 3 weak: min-max saddle (%g, %g)",
            d.saddle_max_yy, d.saddle_min_schur);
  test_true(d.capacity < d.plain_ratio_capacity - 0.05, "depth 3 weak: lifting still gains (%g < %g)",
            d.capacity, d.plain_ratio_capacity);
  test_abs(d.plain_ratio_capacity, 7.4277873227, 1e-9, "depth 3 weak: the c3 -> 0 start is the optimised bound");
  if (!sanitize) {
    relucap_optimized_lifted_deep_result ad;
    relucap_optimized_lifted_deep(3, RELUCAP_WEAK, a3, RELUCAP_QUAD_ADAPTIVE, 0, 0, NULL, &ad);
    test_rel(ad.capacity, d.capacity, 1e-11, "deep, depth 3 weak: GL vs adaptive");
  }
  st = relucap_optimized_lifted_deep(3, RELUCAP_WEAK, a3, RELUCAP_QUAD_GL, 96, 0, ones, &d);
  test_true(st == RELUCAP_SUCCESS && d.no_gain, "deep, depth 3, ratios 1: no gain (status %d)", st);
  test_abs(d.capacity, robust_at(3, RELUCAP_WEAK, a3, ones), 1e-11, "no gain: the plain bound at ratios 1");
  double chain[4] = {A1, 7.4081233815116239, 7.3644132387980, 7.3105541020500};
  st = relucap_optimized_lifted_deep(5, RELUCAP_WEAK, chain, RELUCAP_QUAD_GL, 96, 0, NULL, &d);
  test_true(st == RELUCAP_SUCCESS && d.no_gain, "weak combined chain, depth 5: no gain (status %d)", st);
}

/* Two quadratures (Gauss-Legendre and adaptive Gauss-Kronrod) agree. */
static void quadratures(int depth)
{
  double alphas[3] = {A1, 7.5307950677, 7.4277873227};
  for (int kind = 0; kind < 2; kind++) {
    relucap_optimized_result g, a;
    int sg = optimized_at(depth, (relucap_kind)kind, alphas, RELUCAP_QUAD_GL, &g);
    int sa = optimized_at(depth, (relucap_kind)kind, alphas, RELUCAP_QUAD_ADAPTIVE, &a);
    test_true(sg == 0 && sa == 0, "quadratures kind %d status %d %d", kind, sg, sa);
    test_rel(g.capacity, a.capacity, 1e-11, "kind %d depth %d: GL vs adaptive bound", kind, depth);
    for (int i = 2; i <= depth; i++)
      test_rel(g.ratios[i], a.ratios[i], 1e-8, "kind %d depth %d: GL vs adaptive pi_%d", kind, depth, i);
  }
}

static void depth_one_and_errors(void)
{
  relucap_optimized_result r;
  test_true(optimized_at(1, RELUCAP_WEAK, NULL, RELUCAP_QUAD_GL, &r) == RELUCAP_SUCCESS, "depth 1");
  test_abs(r.capacity, 7.6476949354, 1e-9, "depth 1 = one-layer plain bound");
  test_true(optimized_at(0, RELUCAP_WEAK, NULL, RELUCAP_QUAD_GL, &r) == RELUCAP_EINVAL, "depth 0 rejected");
  double neg = -1;
  test_true(optimized_at(2, RELUCAP_WEAK, &neg, RELUCAP_QUAD_GL, &r) == RELUCAP_EINVAL, "negative alpha rejected");
  relucap_optimized_problem p = {2, RELUCAP_WEAK, &A1, RELUCAP_QUAD_GL, 0, 2.0, 1.0, 0};
  test_true(relucap_optimized_capacity(&p, &r) == RELUCAP_EINVAL, "ratio_min > ratio_max rejected");
  /* A search range that excludes the optimum (0.6776): the minimum sits on its end. */
  p.ratio_min = 0.8; p.ratio_max = 5.0;
  int st = relucap_optimized_capacity(&p, &r);
  test_true(st == RELUCAP_EBOUNDARY && r.boundary_layer == 1 && r.capacity == 0,
            "range [0.8, 5]: EBOUNDARY at layer 1 (status %d, layer %d)", st, r.boundary_layer);
  p.ratio_min = 0.52; p.ratio_max = 0.64; p.scan_points = 7;
  st = relucap_optimized_capacity(&p, &r);
  test_true(st == RELUCAP_EBOUNDARY, "range [0.52, 0.64]: EBOUNDARY (status %d)", st);
  /* depth 3 with the boundary in the second layer only */
  double alphas[2] = {A1, 7.53};
  relucap_optimized_problem p3 = {3, RELUCAP_WEAK, alphas, RELUCAP_QUAD_GL, 0, 0.64, 5.0, 0};
  st = relucap_optimized_capacity(&p3, &r);
  test_true(st == RELUCAP_EBOUNDARY && r.boundary_layer == 2, "depth 3: EBOUNDARY at layer 2 (status %d layer %d)",
            st, r.boundary_layer);
}

int main(void)
{
  int sanitize = getenv("RELUCAP_SANITIZE") != NULL;
  two_layers();
  linear_first();
  chains(sanitize ? 4 : 8);
  ratio_one_tables();
  brute_force_f1(sanitize ? 100 : 400);
  curvature_depth3();
  lifted_with_ratio(sanitize);
  lifted_deep(sanitize);
  quadratures(sanitize ? 2 : 4);
  depth_one_and_errors();
  return test_summary("test_optimized");
}

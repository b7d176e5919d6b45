/* The one-layer capacity ladder: reference values (flrdt.md sec. 0, Maillard et al. 2023), the
 * collapse of k-RSB to (k-1)-RSB, grid-order agreement, the type of the stationary point, the
 * monotone ladder, the extrapolation, and the error paths. */
#include "relucap.h"
#include "testlib.h"
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdlib.h>

static int sanitized(void) { return getenv("RELUCAP_SANITIZE") != NULL; }

static double f_at(int k, const double *Q, const double *chim, double chi, double alpha, double ppw)
{
  double S, T;
  if (relucap_gate_functional(k, Q, chim, chi, ppw, 9.0, &S, &T)) return NAN;
  return S + alpha * T;
}

static void test_reference_values(void)
{
  double a, chi;
  test_true(relucap_gate_rs(&a, &chi) == RELUCAP_SUCCESS, "RS status");
  test_rel(a, 7.6476949354, 1e-11, "level 1 (RS) capacity");
  test_rel(chi, 0.630355086, 1e-8, "level 1 chi");

  relucap_gate_opts o;
  relucap_gate_result r;
  relucap_gate_opts_default(&o);
  o.partial = 1;
  test_true(relucap_gate_capacity(&o, &r) == RELUCAP_SUCCESS, "level 2p status");
  test_rel(r.capacity, 7.4486387263, 2e-10, "level 2p capacity");
  test_rel(r.chi, 0.27851589, 1e-6, "level 2p chi");
  test_rel(r.chim[0], 0.70847601, 1e-6, "level 2p chim");
  test_abs(r.Q[0], 0.0, 0.0, "level 2p Q_0 = 0");

  relucap_gate_opts_default(&o);
  o.level = 3;
  test_true(relucap_gate_capacity(&o, &r) == RELUCAP_SUCCESS, "level 3 status");
  test_abs(r.capacity, 6.7003919, 5e-7, "level 3 (2RSB) capacity");
  test_abs(r.capacity, 6.70039194, 2e-8, "level 3 against the fl RDT table value");
  test_abs(r.Q[0], 0.7411021, 2e-5, "level 3 Q_0");
  test_abs(r.Q[1], 0.9766373, 2e-5, "level 3 Q_1");
  test_rel(r.chim[0], 2.6673845, 1e-4, "level 3 chim_1");
  test_rel(r.chim[1], 5.3535440, 1e-4, "level 3 chim_2");
  test_rel(r.chi, 0.0356721, 1e-4, "level 3 chi");
  test_true(r.residual < 1e-6, "level 3 stationarity residual %g", r.residual);
  test_true(r.energy_residual < 1e-10, "level 3 |e*(alpha) - 1| = %g", r.energy_residual);
  test_true(r.quad_error < 1e-10, "level 3 quad_error %g", r.quad_error);

  double c2;
  test_true(relucap_gate_capacity_level(2, &c2) == RELUCAP_SUCCESS, "level 2 status");
  test_rel(c2, 6.715696838, 2e-10, "level 2 (1RSB) capacity, Maillard et al. 6.715696838");
}

static void test_at_point(void)
{
  double a, beta;
  test_true(relucap_gate_at_point(&a, &beta) == RELUCAP_SUCCESS, "AT status");
  test_abs(a, 5.323766896, 1e-7, "de Almeida-Thouless point (Maillard et al. 5.323766896)");
  test_true(beta > 0.0 && beta < 10.0, "AT beta* = %g inside (0, 10)", beta);
}

/* The k-RSB functional equals the (k-1)-RSB one when a block has zero width or two Parisi
 * parameters coincide (checked at unrelated parameter values, alpha = 6.7). */
static void test_collapse(void)
{
  double alpha = 6.7, chi = 0.04;
  double Q1[1] = {0.74}, c1[1] = {3.1};
  double f1 = f_at(1, Q1, c1, chi, alpha, 6.0);
  double Qa[2] = {0.74, 0.93}, ca[2] = {3.1, 3.1};
  test_rel(f_at(2, Qa, ca, chi, alpha, 6.0), f1, 1e-12, "2RSB with chim_1 = chim_2 is 1RSB");
  double Qb[2] = {0.74, 0.74}, cb[2] = {1.7, 3.1};
  test_rel(f_at(2, Qb, cb, chi, alpha, 6.0), f1, 1e-12, "2RSB with Q_1 = Q_0 is 1RSB");
  double Q2[2] = {0.7, 0.95}, c2[2] = {2.4, 5.0};
  double f2 = f_at(2, Q2, c2, chi, alpha, 6.0);
  double Qc[3] = {0.7, 0.95, 0.985}, cc[3] = {2.4, 5.0, 5.0};
  test_rel(f_at(3, Qc, cc, chi, alpha, 6.0), f2, 1e-12, "3RSB with chim_2 = chim_3 is 2RSB");
  double Qd[3] = {0.7, 0.83, 0.95}, cd[3] = {2.4, 2.4, 5.0};
  test_rel(f_at(3, Qd, cd, chi, alpha, 6.0), f2, 1e-12, "3RSB with chim_1 = chim_2 is 2RSB");
  /* ... and a genuine third step changes the value */
  double Qe[3] = {0.7, 0.95, 0.985}, ce[3] = {2.4, 5.0, 8.0};
  test_true(fabs(f_at(3, Qe, ce, chi, alpha, 6.0) - f2) > 1e-6, "a distinct third step changes f");
}

static void test_grid_orders(void)
{
  double Q[3] = {0.7314215, 0.9506087, 0.9930571}, c[3] = {2.4865324, 3.8381408, 7.2949761};
  double chi = 0.0307728, S1, T1, S2, T2, S3, T3;
  test_true(relucap_gate_functional(3, Q, c, chi, 4.0, 9.0, &S1, &T1) == RELUCAP_SUCCESS, "ppw 4");
  test_true(relucap_gate_functional(3, Q, c, chi, 9.0, 9.0, &S2, &T2) == RELUCAP_SUCCESS, "ppw 9");
  test_true(relucap_gate_functional(3, Q, c, chi, 6.0, 14.0, &S3, &T3) == RELUCAP_SUCCESS, "cut 14");
  test_rel(T1, T2, 1e-12, "3RSB T: 4 and 9 nodes per width agree");
  test_rel(T2, T3, 1e-13, "3RSB T: cut 9 and 14 agree");
  test_rel((1 - S1) / T1, 6.6986878, 1e-7, "3RSB a(p) near its minimum");
  /* 1RSB against an independent route: direct Gauss-Legendre-free trapezoid on xi of log n */
  double Q1[1] = {0.77723075}, c1[1] = {3.2866577}, chi1 = 0.0533008, S, T;
  relucap_gate_functional(1, Q1, c1, chi1, 6.0, 9.0, &S, &T);
  double acc = 0.0, h = 0.01;
  for (int i = -1200; i <= 1200; i++) {
    double xi = i * h;
    /* log n by brute force: Simpson on z of exp(-c cost(w + s z)) phi(z) */
    double w = sqrt(Q1[0]) * xi, s = sqrt(1 - Q1[0]), b = sqrt(2 * chi1), n = 0.0, hz = 0.0005;
    for (int m = -20000; m <= 20000; m++) {
      double z = m * hz, u = w + s * z;
      double cost = u <= 0 ? 0 : (u < b ? u * u / (2 * chi1) : 1.0);
      n += relucap_npdf(z) * exp(-c1[0] * cost) * hz;
    }
    acc += relucap_npdf(xi) * log(n) / c1[0] * h;
    if (sanitized()) i += 30;
  }
  if (!sanitized()) test_rel(T, -acc, 1e-7, "1RSB T against brute-force quadrature");
}

/* At the level-2 and level-3 solutions, f at alpha_c decreases along every coordinate in both
 * directions and along mixed directions: the stationary point is a maximum (flrdt.md sec. 1). */
static void test_maximum(void)
{
  relucap_gate_opts o;
  relucap_gate_opts_default(&o);
  for (int L = 2; L <= 3; L++) {
    relucap_gate_result r;
    o.level = L;
    relucap_gate_capacity(&o, &r);
    int k = r.steps;
    double f0 = f_at(k, r.Q, r.chim, r.chi, r.capacity, 6.0);
    test_rel(f0, 1.0, 1e-12, "level %d: f(alpha_c) = 1 at the solution", L);
    int all_down = 1;
    for (int i = 0; i < 2 * k + 1; i++)
      for (int sgn = -1; sgn <= 1; sgn += 2) {
        double Q[4], c[4], chi = r.chi;
        for (int j = 0; j < k; j++) { Q[j] = r.Q[j]; c[j] = r.chim[j]; }
        if (i < k) Q[i] += sgn * 2e-3 * (1.0 - Q[k - 1]);
        else if (i < 2 * k) c[i - k] *= 1.0 + sgn * 2e-2;
        else chi *= 1.0 + sgn * 2e-2;
        if (!(f_at(k, Q, c, chi, r.capacity, 6.0) < f0)) all_down = 0;
      }
    test_true(all_down, "level %d: f decreases along every coordinate", L);
    double Q[4], c[4], chi = r.chi * 1.01;
    for (int j = 0; j < k; j++) { Q[j] = r.Q[j] - 1e-3 * (1.0 - r.Q[k - 1]); c[j] = r.chim[j] * 0.99; }
    test_true(f_at(k, Q, c, chi, r.capacity, 6.0) < f0, "level %d: f decreases along a mixed direction", L);
  }
}

static void test_ladder(void)
{
  relucap_gate_opts o;
  relucap_gate_opts_default(&o);
  int L = sanitized() ? 3 : 6;
  relucap_gate_result r[7];
  test_true(relucap_gate_ladder(&o, L, r) == RELUCAP_SUCCESS, "ladder to level %d", L);
  for (int i = 1; i < L; i++) {
    test_true(r[i].capacity < r[i - 1].capacity, "ladder monotone: level %d < level %d", i + 1, i);
    test_true(r[i].residual < 1e-6, "level %d residual %g", i + 1, r[i].residual);
    test_true(r[i].energy_residual < 1e-10, "level %d |e* - 1| %g", i + 1, r[i].energy_residual);
  }
  if (L >= 6) {
    test_abs(r[3].capacity, 6.6986878381, 1e-9, "level 4 (3RSB) reproducible");
    test_true(r[5].capacity > 6.69789, "level 6 above the smallest published FRSB value");
  }
  relucap_gate_opts_default(&o);
  o.partial = 1;
  relucap_gate_result p;
  relucap_gate_capacity(&o, &p);
  test_true(p.capacity < r[0].capacity && p.capacity > r[1].capacity, "level 2p between levels 1 and 2");
}

static void test_extrapolation(void)
{
  double lad[9];
  for (int k = 0; k <= 8; k++) lad[k] = 6.5 + 0.3 * pow(k + 1.0, -3.0);
  for (int k = 0; k <= 8; k++) lad[k] = k ? 6.5 + 0.3 * pow(k, -3.0) : 8.0;
  double a, err, p;
  test_true(relucap_gate_extrapolate(lad, 8, &a, &err, &p) == RELUCAP_SUCCESS, "extrapolate status");
  test_abs(a, 6.5, 1e-10, "extrapolation of an exact power law");
  test_abs(p, 3.0, 1e-8, "fitted exponent");
  lad[7] = lad[8] - 1e-3; /* non-monotone */
  test_true(relucap_gate_extrapolate(lad, 8, &a, &err, NULL) == RELUCAP_ETOL, "non-monotone ladder -> ETOL");

  if (sanitized()) return;
  relucap_gate_opts o;
  relucap_gate_result r;
  relucap_gate_opts_default(&o);
  o.full = 1;
  o.full_kmax = 5;
  test_true(relucap_gate_capacity(&o, &r) == RELUCAP_SUCCESS, "full RSB (kmax 5) status");
  test_abs(r.capacity, 6.698, 5e-4, "full RSB 6.698 (Maillard et al. 6.69803)");
  test_true(r.extrap_error < 1e-4 && r.extrap_error > 0, "full RSB error estimate %g", r.extrap_error);
  test_true(r.capacity < r.ladder[5], "full RSB below 5-RSB");
}

static void test_errors(void)
{
  relucap_gate_opts o;
  relucap_gate_result r;
  relucap_gate_opts_default(&o);
  o.level = 0;
  test_true(relucap_gate_capacity(&o, &r) == RELUCAP_EINVAL, "level 0 -> EINVAL");
  o.level = RELUCAP_GATE_MAXSTEPS + 2;
  test_true(relucap_gate_capacity(&o, &r) == RELUCAP_EINVAL, "level too large -> EINVAL");
  relucap_gate_opts_default(&o);
  o.ppw = 1.0;
  test_true(relucap_gate_capacity(&o, &r) == RELUCAP_EINVAL, "ppw 1 -> EINVAL");
  relucap_gate_opts_default(&o);
  o.cut = 100.0;
  test_true(relucap_gate_capacity(&o, &r) == RELUCAP_EINVAL, "cut 100 -> EINVAL");
  relucap_gate_opts_default(&o);
  o.full = 1;
  o.full_kmax = 2;
  test_true(relucap_gate_capacity(&o, &r) == RELUCAP_EINVAL, "full_kmax 2 -> EINVAL");
  double S, T, Q[2] = {0.9, 0.8}, c[2] = {1.0, 2.0};
  test_true(relucap_gate_functional(2, Q, c, 0.05, 6.0, 9.0, &S, &T) == RELUCAP_EDOM, "decreasing Q -> EDOM");
  test_true(relucap_gate_functional(2, Q, c, -1.0, 6.0, 9.0, &S, &T) == RELUCAP_EINVAL, "chi < 0 -> EINVAL");
  test_true(relucap_gate_functional(0, Q, c, 0.630355086, 6.0, 9.0, &S, &T) == RELUCAP_SUCCESS, "RS functional");
  test_rel(S + 7.6476949354 * T, 1.0, 1e-9, "RS functional at the RS threshold is 1");
}

static double energy_minus_one(double alpha, void *p)
{
  relucap_gate_result r;
  int st = relucap_gate_energy(p, alpha, &r);
  return st ? NAN : r.energy - 1.0;
}

/* The route of the notes: e*(alpha) by maximisation at fixed alpha, then Brent on e*(alpha) = 1.
 * It must reproduce the capacity found as min (1 - S)/T. */
static void test_brent_route(void)
{
  const char *name[3] = {"1", "2p", "3"};
  int levels[3] = {1, 2, 3}, partial[3] = {0, 1, 0};
  for (int i = 0; i < 3; i++) {
    relucap_gate_opts o;
    relucap_gate_result r;
    relucap_gate_opts_default(&o);
    o.level = levels[i];
    o.partial = partial[i];
    relucap_gate_capacity(&o, &r);
    double lo = r.capacity - 0.05, hi = r.capacity + 0.05;
    double elo = energy_minus_one(lo, &o), ehi = energy_minus_one(hi, &o);
    test_true(elo < 0 && ehi > 0, "level %s: e*(alpha) - 1 changes sign around the capacity", name[i]);
    gsl_function F = {energy_minus_one, &o};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    gsl_root_fsolver_set(s, &F, lo, hi);
    for (int it = 0; it < 60; it++) {
      gsl_root_fsolver_iterate(s);
      if (gsl_root_test_interval(gsl_root_fsolver_x_lower(s), gsl_root_fsolver_x_upper(s), 1e-11, 0) == GSL_SUCCESS) break;
    }
    test_abs(gsl_root_fsolver_root(s), r.capacity, 2e-9, "level %s: Brent on e*(alpha) = 1 gives the capacity", name[i]);
    gsl_root_fsolver_free(s);
  }
  relucap_gate_opts o;
  relucap_gate_result r;
  relucap_gate_opts_default(&o);
  o.level = 2;
  relucap_gate_energy(&o, 6.0, &r);
  test_true(r.energy < 1.0 && r.residual < 1e-6, "1RSB e*(6.0) = %g < 1 (not injective below the capacity)", r.energy);
}

/* Strided/clipped grid against the dense grid, and one thread against two. */
static void test_grid_variants(void)
{
  relucap_gate_opts o;
  relucap_gate_result a, b, c;
  relucap_gate_opts_default(&o);
  o.level = 4;
  relucap_gate_capacity(&o, &a);
  o.dense_grid = 1;
  relucap_gate_capacity(&o, &b);
  test_abs(a.capacity, b.capacity, 1e-12, "level 4: strided, clipped grid = dense grid");
  o.dense_grid = 0;
  o.threads = 2;
  relucap_gate_capacity(&o, &c);
  test_true(a.capacity == c.capacity, "level 4: one thread and two threads give identical results");
}

/* Doubling the steps: 2-RSB split into a 4-RSB start and refined lands on the sequential 4-RSB
 * (level 5) solution; refine rejects bad starts. */
static void test_refine(void)
{
  relucap_gate_opts o;
  relucap_gate_result lad[5], r;
  relucap_gate_opts_default(&o);
  relucap_gate_ladder(&o, 5, lad);
  double Q[RELUCAP_GATE_MAXSTEPS], c[RELUCAP_GATE_MAXSTEPS], chi;
  int k2 = 0;
  test_true(relucap_gate_split_start(&lad[2], Q, c, &chi, &k2) == RELUCAP_SUCCESS && k2 == 4, "split 2RSB -> 4 steps");
  test_true(relucap_gate_refine(&o, k2, Q, c, chi, &r) == RELUCAP_SUCCESS, "refine status");
  test_abs(r.capacity, lad[4].capacity, 1e-11, "4RSB from a split 2RSB start = sequential level 5");
  Q[1] = Q[0];
  test_true(relucap_gate_refine(&o, k2, Q, c, chi, &r) == RELUCAP_EDOM, "refine: coincident overlaps -> EDOM");
  lad[2].steps = RELUCAP_GATE_MAXSTEPS;
  test_true(relucap_gate_split_start(&lad[2], Q, c, &chi, &k2) == RELUCAP_EINVAL, "split beyond max steps -> EINVAL");
}

int main(void)
{
  test_reference_values();
  test_at_point();
  test_collapse();
  test_grid_orders();
  test_maximum();
  test_ladder();
  test_extrapolation();
  test_errors();
  test_brent_route();
  test_grid_variants();
  test_refine();
  return test_summary("test_gate");
}

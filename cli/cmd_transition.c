/* relucap transition: the 1/2-crossing of P(injective) for several n, extrapolated in 1/n and
 * in 1/sqrt(n), beside the RDT bounds. */
#include "cli.h"
#include "commands.h"
#include "finite_cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The RDT bounds for the same depth, hidden ratios and kind, computed by the plain and lifted
 * modules (plain.h, lifted.h).  A failed solve gives NAN, printed as "not available". */
static void rdt_bounds(long depth, const double *alphas, int strong, double *plain, double *lifted)
{
  relucap_kind kind = (strong && depth > 1) ? RELUCAP_STRONG : RELUCAP_WEAK;
  relucap_plain_problem pp;
  memset(&pp, 0, sizeof pp);
  pp.depth = (int)depth;
  pp.kind = kind;
  pp.alphas = depth > 1 ? alphas : NULL;
  relucap_plain_result pr;
  *plain = relucap_plain_capacity(&pp, &pr) == RELUCAP_SUCCESS ? pr.capacity : NAN;
  relucap_lifted_problem lp;
  memset(&lp, 0, sizeof lp);
  lp.depth = (int)depth;
  lp.kind = kind;
  lp.alphas = depth > 1 ? alphas : NULL;
  relucap_lifted_result lr;
  *lifted = relucap_lifted_capacity(&lp, &lr) == RELUCAP_SUCCESS ? lr.capacity : NAN;
}

static void help(void)
{
  printf(
    "NAME\n  relucap transition - finite-size scaling of the injectivity transition\n\n"
    "SYNOPSIS\n  relucap transition --depth L [--alphas a1,...] --ns n1,n2,... --sweep FROM:TO:STEP\n"
    "                     --trials T [--seed S] [--kind weak|strong] [--law LAW] [--threads K]\n"
    "                     [--time-limit SEC] [--json]\n\n"
    "DESCRIPTION\n"
    "  Runs the Monte Carlo sweep of 'relucap mc' for every n, finds alpha_1/2(n) (P(injective) =\n"
    "  1/2) with its 95%% band, and fits alpha_1/2(n) = a + b/n and a + b/sqrt(n) by weighted least\n"
    "  squares (sigma = band half-width / 1.96).  Both extrapolations a are printed with their\n"
    "  standard errors and chi^2: with n <= 10 they can disagree by more than their error bars, and\n"
    "  neither is preferred.  Printed beside them: the plain and partially lifted RDT upper bounds\n"
    "  for the same depth, hidden ratios and kind (plain.h, lifted.h).\n\n"
    "OPTIONS\n  As for 'relucap mc', with --ns LIST (each n in [1, 64]) instead of --n.\n\n"
    "OUTPUT KEYS (--json)\n"
    "  per_n: [{n, crossing, ci_low, ci_high, sweep: <relucap mc JSON rows>}],\n"
    "  fit_inv_n: {a_inf, a_err, slope, chi2, points}, fit_inv_sqrt_n: {...} (null if < 2 usable n),\n"
    "  probit_fit_inv_n, probit_fit_inv_sqrt_n: the same on the probit crossings (per_n: probit_alpha,\n"
    "  probit_err, probit_width),\n"
    "  reference: {plain_rdt, lifted_rdt} (null if not available), depth, kind, law, seed.\n\n"
    "EXAMPLE\n  relucap transition --depth 1 --ns 4,5,6 --sweep 3:8:0.5 --trials 100 --seed 1\n");
}

typedef struct { int ok, k; double a, aerr, b, chi2; } fit_t;

static fit_t fit(int k, const double *nv, const double *y, const double *sig, int sqrt_law)
{
  double u[64];
  fit_t f = {0, k, 0, 0, 0, 0};
  for (int j = 0; j < k; j++) u[j] = sqrt_law ? 1.0 / sqrt(nv[j]) : 1.0 / nv[j];
  if (k >= 2) f.ok = relucap_linfit(k, u, y, sig, &f.a, &f.aerr, &f.b, &f.chi2) == RELUCAP_SUCCESS;
  return f;
}

static void json_fit(cli_json *j, const char *key, fit_t f)
{
  if (!f.ok) {
    json_null(j, key);
    return;
  }
  json_object(j, key);
  json_num(j, "a_inf", f.a);
  json_num(j, "a_err", f.aerr);
  json_num(j, "slope", f.b);
  json_num(j, "chi2", f.chi2);
  json_int(j, "points", f.k);
  json_close_object(j);
}

int cmd_transition(int argc, char **argv)
{
  const char *cmd = "transition";
  long n = 0, depth = 0, trials = 0, seed = 1, threads = 0;
  double alphas[RELUCAP_FINITE_MAXDEPTH], sw[3], tlim = 0;
  int nal = 0, strong = 0, fmt = 0, shown = 0, ns[32], nns = 0;
  relucap_law law = {RELUCAP_LAW_GAUSS, 1.0};
  int rc = fcli_parse_mc(cmd, argc, argv, 1, &n, ns, &nns, &depth, alphas, &nal, sw, &trials,
                         &seed, &strong, &law, &threads, &tlim, &fmt, &shown, help);
  if (rc || shown) return rc;
  if (fmt == 2) return cli_usage_error(cmd, "--csv: not available for transition (use --json)");
  fcli_mpi_begin(&argc, &argv);
  fcli_sweep_result *r = malloc((size_t)nns * sizeof *r);
  if (!r) return cli_numeric_error("out of memory");
  double t0 = relucap_clock();
  for (int k = 0; k < nns && rc == 0; k++)
    rc = fcli_run_sweep(ns[k], (int)depth, alphas, sw[0], sw[1], sw[2], trials,
                        (unsigned long)seed, strong, &law, (int)threads, tlim, &r[k]);
  if (rc || fcli_rank() != 0) {
    free(r);
    fcli_mpi_end();
    return rc;
  }
  /* usable crossings: bracketed with a finite band on both sides */
  double nv[32], y[32], sig[32];
  int kk = 0;
  for (int k = 0; k < nns; k++)
    if (r[k].have_cross && isfinite(r[k].cross_lo) && isfinite(r[k].cross_hi) && r[k].cross_hi > r[k].cross_lo) {
      nv[kk] = ns[k];
      y[kk] = r[k].cross;
      sig[kk] = (r[k].cross_hi - r[k].cross_lo) / (2 * 1.96);
      kk++;
    }
  fit_t f1 = fit(kk, nv, y, sig, 0), f2 = fit(kk, nv, y, sig, 1);
  /* the same two laws on the probit crossings with their standard errors */
  double pn[32], py[32], ps[32];
  int kp = 0;
  for (int k = 0; k < nns; k++)
    if (r[k].have_probit && r[k].probit_err > 0) {
      pn[kp] = ns[k];
      py[kp] = r[k].probit_mu;
      ps[kp] = r[k].probit_err;
      kp++;
    }
  fit_t g1 = fit(kp, pn, py, ps, 0), g2 = fit(kp, pn, py, ps, 1);
  char lawname[32];
  relucap_law_name(&law, lawname, sizeof lawname);
  double plain, lifted;
  rdt_bounds(depth, alphas, strong, &plain, &lifted);
  if (fmt == 1) {
    cli_json j;
    json_begin(&j, stdout);
    json_int(&j, "depth", depth);
    json_str(&j, "kind", strong ? "strong" : "weak");
    json_str(&j, "law", lawname);
    json_int(&j, "seed", seed);
    json_int(&j, "trials", trials);
    json_array(&j, "per_n");
    for (int k = 0; k < nns; k++) {
      json_object(&j, NULL);
      json_int(&j, "n", ns[k]);
      if (r[k].have_cross) {
        json_num(&j, "crossing", r[k].cross);
        json_num(&j, "ci_low", r[k].cross_lo);
        json_num(&j, "ci_high", r[k].cross_hi);
      } else {
        json_null(&j, "crossing");
        json_null(&j, "ci_low");
        json_null(&j, "ci_high");
      }
      if (r[k].have_probit) {
        json_num(&j, "probit_alpha", r[k].probit_mu);
        json_num(&j, "probit_err", r[k].probit_err);
        json_num(&j, "probit_width", r[k].probit_sigma);
      } else {
        json_null(&j, "probit_alpha");
        json_null(&j, "probit_err");
        json_null(&j, "probit_width");
      }
      json_array(&j, "sweep");
      for (int q = 0; q < r[k].npts; q++) {
        json_object(&j, NULL);
        json_num(&j, "alpha", r[k].alpha[q]);
        json_num(&j, "p_injective", r[k].p[q]);
        json_num(&j, "ci_low", r[k].lo[q]);
        json_num(&j, "ci_high", r[k].hi[q]);
        json_int(&j, "trials", r[k].trials);
        json_int(&j, "undecided", r[k].und[q]);
        json_close_object(&j);
      }
      json_close_array(&j);
      json_close_object(&j);
    }
    json_close_array(&j);
    json_fit(&j, "fit_inv_n", f1);
    json_fit(&j, "fit_inv_sqrt_n", f2);
    json_fit(&j, "probit_fit_inv_n", g1);
    json_fit(&j, "probit_fit_inv_sqrt_n", g2);
    json_object(&j, "reference");
    json_num(&j, "plain_rdt", plain);
    json_num(&j, "lifted_rdt", lifted);
    json_str(&j, "source", "relucap_plain_capacity, relucap_lifted_capacity (n -> infinity upper bounds)");
    json_close_object(&j);
    json_num(&j, "seconds", relucap_clock() - t0);
    json_end(&j);
  } else {
    printf("depth %ld, %s injectivity, law %s, seed %ld, %ld trials per point\n", depth,
           strong ? "strong" : "weak", lawname, seed, trials);
    printf("%4s %10s %24s %22s\n", "n", "alpha_1/2", "95% band (interp.)", "probit mu +- s.e.");
    for (int k = 0; k < nns; k++) {
      if (r[k].have_cross)
        printf("%4d %10.4f   [%9.4f, %9.4f]", ns[k], r[k].cross, r[k].cross_lo, r[k].cross_hi);
      else
        printf("%4d %10s   %-23s", ns[k], "-", "(no crossing in sweep)");
      if (r[k].have_probit) printf("   %8.4f +- %.4f\n", r[k].probit_mu, r[k].probit_err);
      else printf("   %8s\n", "-");
    }
    if (f1.ok)
      printf("extrapolation a + b/n:       alpha_inf = %.3f +- %.3f  (b = %.3f, chi2 = %.2f, %d points)\n",
             f1.a, f1.aerr, f1.b, f1.chi2, f1.k);
    if (f2.ok)
      printf("extrapolation a + b/sqrt(n): alpha_inf = %.3f +- %.3f  (b = %.3f, chi2 = %.2f, %d points)\n",
             f2.a, f2.aerr, f2.b, f2.chi2, f2.k);
    if (g1.ok)
      printf("probit crossings, a + b/n:       alpha_inf = %.3f +- %.3f  (b = %.3f, chi2 = %.2f, %d points)\n",
             g1.a, g1.aerr, g1.b, g1.chi2, g1.k);
    if (g2.ok)
      printf("probit crossings, a + b/sqrt(n): alpha_inf = %.3f +- %.3f  (b = %.3f, chi2 = %.2f, %d points)\n",
             g2.a, g2.aerr, g2.b, g2.chi2, g2.k);
    if (!f1.ok) printf("extrapolation: needs at least two n with a bounded crossing band\n");
    else if (fabs(f1.a - f2.a) > f1.aerr + f2.aerr)
      printf("note: the two laws disagree by more than their error bars; small n cannot tell them apart\n");
    if (isfinite(plain)) printf("plain RDT bound (n -> infinity):   %.4f\n", plain);
    else printf("plain RDT bound: not available for these inputs\n");
    if (isfinite(lifted)) printf("partially lifted RDT bound:        %.4f\n", lifted);
    else printf("lifted RDT bound: not available for these inputs\n");
    printf("time %.2f s\n", relucap_clock() - t0);
  }
  free(r);
  fcli_mpi_end();
  return EXIT_OK;
}

/* The exact region decision of relucap check (docs/check.md section 5a) on bias-free Gaussian
 * 2-layer networks (fixed seed), against the same search with every region pair decided by LP
 * (RELUCAP_REGIONS_NO_FILTER), the baseline, on the same instances in the same run.
 * CSV: name,n,widths,seconds,regions,pair_lps,ratio_vs_baseline (ratio = baseline / search).
 * The baseline is skipped where it would take minutes (R^2/2 pairs). */
#include "relucap.h"
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdio.h>
#include <stdlib.h>

static void gaussian(gsl_rng *rng, double *A, size_t k)
{
  for (size_t i = 0; i < k; i++) A[i] = gsl_ran_gaussian(rng, 1.0);
}

/* One timed decision; *regions and *lps from its report. */
static double run(const relucap_net *net, unsigned flags, size_t *regions, size_t *lps, int *verdict)
{
  relucap_net_report rep;
  double t0 = relucap_clock();
  int st = relucap_netcheck_by_regions_flags(net, 600, flags, &rep);
  double t = relucap_clock() - t0;
  *regions = rep.regions.regions;
  *lps = rep.regions.pair_lps;
  *verdict = st ? -2 : rep.verdict;
  relucap_net_report_free(&rep);
  return t;
}

int main(void)
{
  /* n, m1, m2, baseline?, seed (chosen so that every case is injective: all pairs are decided) */
  static const size_t cases[][5] = {{2, 16, 16, 1, 7}, {2, 30, 40, 1, 8}, {3, 10, 14, 1, 16}, {3, 20, 25, 0, 10},
                                    {3, 30, 40, 0, 11}};
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  printf("name,n,widths,seconds,regions,pair_lps,ratio_vs_baseline\n");
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    size_t n = cases[c][0], m1 = cases[c][1], m2 = cases[c][2];
    double *W1 = malloc(m1 * n * sizeof *W1), *W2 = malloc(m2 * m1 * sizeof *W2);
    gsl_rng_set(rng, cases[c][4]);
    gaussian(rng, W1, m1 * n);
    gaussian(rng, W2, m2 * m1);
    relucap_layer ls[2] = {{m1, n, W1, NULL}, {m2, m1, W2, NULL}};
    relucap_net net = {2, ls};
    size_t reg, lps, reg0, lps0;
    int v, v0;
    double t = run(&net, 0, &reg, &lps, &v);
    if (cases[c][3]) {
      double t0 = run(&net, RELUCAP_REGIONS_NO_FILTER, &reg0, &lps0, &v0);
      if (v0 != v || reg0 != reg) { fprintf(stderr, "bench_regions: baseline disagrees\n"); return 1; }
      printf("regions_all_pairs,%zu,%zux%zu,%.6g,%zu,%zu,1\n", n, m1, m2, t0, reg0, lps0);
      printf("regions_filtered,%zu,%zux%zu,%.6g,%zu,%zu,%.4g\n", n, m1, m2, t, reg, lps, t0 / t);
    } else {
      printf("regions_filtered,%zu,%zux%zu,%.6g,%zu,%zu,\n", n, m1, m2, t, reg, lps);
    }
    if (v < 0) { fprintf(stderr, "bench_regions: no verdict (%d)\n", v); return 1; }
    free(W1);
    free(W2);
  }
  gsl_rng_free(rng);
  return 0;
}

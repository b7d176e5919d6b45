/* Exact injectivity check of one Gaussian layer (m = 7n, fixed seed): the hitting-set search
 * (relucap_netcheck_layer) against the exhaustive hyperplane enumeration
 * (relucap_netcheck_layer_enum), the baseline, on the same instances in the same run.
 * CSV: name,n,reps,seconds,value,ratio_vs_baseline; seconds = median per instance, value = number
 * of injective instances, ratio = median(enumeration) / median(search) ("_enum" rows carry 1).
 * The enumeration is skipped above n = 6 (13-23 s per instance at n = 7). */
#include "relucap.h"
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdio.h>
#include <stdlib.h>

static int cmp(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *v, int k)
{
  qsort(v, (size_t)k, sizeof *v, cmp);
  return k % 2 ? v[k / 2] : 0.5 * (v[k / 2 - 1] + v[k / 2]);
}

/* Median seconds over reps instances (seed 1); *injective = number of injective verdicts. */
static double run(int n, int reps, int exhaustive, int *injective)
{
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 1);
  size_t m = (size_t)(7 * n);
  double *W = malloc(m * (size_t)n * sizeof *W), t[16];
  *injective = 0;
  for (int r = 0; r < reps; r++) {
    for (size_t i = 0; i < m * (size_t)n; i++) W[i] = gsl_ran_gaussian(rng, 1.0);
    relucap_layer L = {m, (size_t)n, W, NULL};
    relucap_layer_report rep;
    double t0 = relucap_clock();
    if (exhaustive) relucap_netcheck_layer_enum(&L, 0, 120, &rep);
    else relucap_netcheck_layer(&L, 0, 120, &rep);
    t[r] = relucap_clock() - t0;
    *injective += rep.verdict == RELUCAP_INJECTIVE;
    relucap_layer_report_free(&rep);
  }
  free(W);
  gsl_rng_free(rng);
  return median(t, reps);
}

int main(void)
{
  printf("name,n,reps,seconds,value,ratio_vs_baseline\n");
  for (int n = 3; n <= 8; n++) {
    int reps = n <= 5 ? 5 : 3, inj_s, inj_e;
    double ts = run(n, reps, 0, &inj_s);
    if (n <= 6) {
      double te = run(n, reps, 1, &inj_e);
      printf("check_layer_enum,%d,%d,%.6g,%d,1\n", n, reps, te, inj_e);
      printf("check_layer_search,%d,%d,%.6g,%d,%.4g\n", n, reps, ts, inj_s, te / ts);
    } else {
      printf("check_layer_search,%d,%d,%.6g,%d,\n", n, reps, ts, inj_s);
    }
    fflush(stdout);
  }
  return 0;
}

/* Benchmark of the optimised-ratio bound: one optimised capacity at depths 2, 4, 8, 12 (the
 * optimised weak chain's alphas), and the optimised weak chain to 12 (incremental: one new layer
 * per depth).  Baseline, measured in the same run: the same bound with GSL's adaptive quadrature
 * (the straightforward evaluation); "ratio" = baseline time / fast time.  Median of repeats.
 * Goal: <= 20 ms for a 4-layer optimised bound.  CSV: name,n,reps,seconds,value,ratio_vs_baseline */
#include "relucap.h"
#include <stdio.h>
#include <stdlib.h>

static int cmp(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double chain_alphas[RELUCAP_MAX_DEPTH + 1];

static double solve(int depth, relucap_quad_method m, double *value)
{
  relucap_optimized_problem p = {depth, RELUCAP_WEAK, chain_alphas, m, 0, 0, 0, 0};
  relucap_optimized_result r;
  double t0 = relucap_clock();
  if (relucap_optimized_capacity(&p, &r)) { fprintf(stderr, "bench: solve failed at depth %d\n", depth); exit(3); }
  *value = r.capacity;
  return relucap_clock() - t0;
}

static double median_solve(int reps, int depth, relucap_quad_method m, double *value)
{
  double t[64];
  for (int i = 0; i < reps; i++) t[i] = solve(depth, m, value);
  qsort(t, (size_t)reps, sizeof t[0], cmp);
  return t[reps / 2];
}

static double chain(relucap_quad_method m, double *value)
{
  double caps[RELUCAP_MAX_DEPTH + 1], t0 = relucap_clock();
  int failed;
  if (relucap_optimized_chain(6.7004, RELUCAP_WEAK, 12, m, 0, caps, NULL, &failed)) {
    fprintf(stderr, "bench: chain failed at depth %d\n", failed);
    exit(3);
  }
  *value = caps[12];
  return relucap_clock() - t0;
}

int main(void)
{
  double caps[RELUCAP_MAX_DEPTH + 1];
  int failed;
  if (relucap_optimized_chain(6.7004, RELUCAP_WEAK, 12, RELUCAP_QUAD_GL, 0, caps, NULL, &failed)) return 3;
  for (int d = 1; d < 12; d++) chain_alphas[d - 1] = caps[d];
  printf("name,n,reps,seconds,value,ratio_vs_baseline\n");
  int depths[] = {2, 4, 8, 12};
  double t4 = 0;
  for (int k = 0; k < 4; k++) {
    double v, vb;
    double t = median_solve(9, depths[k], RELUCAP_QUAD_GL, &v);
    double tb = median_solve(1, depths[k], RELUCAP_QUAD_ADAPTIVE, &vb);
    if (depths[k] == 4) t4 = t;
    printf("optimized_depth,%d,9,%.6f,%.12f,%.1f\n", depths[k], t, v, tb / t);
  }
  double ts[5], v, vb;
  for (int i = 0; i < 5; i++) ts[i] = chain(RELUCAP_QUAD_GL, &v);
  qsort(ts, 5, sizeof ts[0], cmp);
  double tb = chain(RELUCAP_QUAD_ADAPTIVE, &vb);
  printf("optimized_weak_chain,12,5,%.6f,%.12f,%.1f\n", ts[2], v, tb / ts[2]);
  /* lifting combined with the optimised ratio (2 layers), against its adaptive-quadrature run */
  double tl[5], tlb;
  relucap_optimized_lifted_result lr;
  for (int i = 0; i < 5; i++) {
    if (relucap_optimized_lifted2(6.7004, RELUCAP_WEAK, RELUCAP_QUAD_GL, 96, 0, 0, &lr)) return 3;
    tl[i] = lr.seconds;
  }
  qsort(tl, 5, sizeof tl[0], cmp);
  if (relucap_optimized_lifted2(6.7004, RELUCAP_WEAK, RELUCAP_QUAD_ADAPTIVE, 0, 0, 0, &lr)) return 3;
  tlb = lr.seconds;
  printf("optimized_lifted_depth,2,5,%.6f,%.12f,%.1f\n", tl[2], lr.capacity, tlb / tl[2]);
  printf("# goal: 4-layer optimised bound <= 20 ms: %s (%.1f ms)\n", t4 <= 0.02 ? "met" : "NOT met", 1e3 * t4);
  return 0;
}

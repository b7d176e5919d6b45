/* Benchmark of the plain RDT path: one capacity at depths 1, 2, 4, 8, 12 (weak chain alphas),
 * a weak chain to depth 6, and the set of solves behind `relucap paper`.  Median of repeats.
 * Baseline, measured in the same run: the same solves with GSL's adaptive quadrature (the
 * straightforward evaluation); "ratio" = baseline time / fast time.  Also prints the growth of
 * cost with depth (time(depth) / time(2)).  CSV: name,n,reps,seconds,value,ratio_vs_baseline */
#include "relucap.h"
#include <stdio.h>
#include <stdlib.h>

static int cmp(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The weak chain from 6.7004 (computed once, used as the architecture of every depth). */
static double chain_alphas[12];

static double solve(int depth, relucap_kind kind, relucap_quad_method m, double *value)
{
  relucap_plain_problem p = {depth, kind, chain_alphas, NULL, m, 64, 0};
  relucap_plain_result r;
  double t0 = relucap_clock();
  if (relucap_plain_capacity(&p, &r)) { fprintf(stderr, "bench: solve failed at depth %d\n", depth); exit(3); }
  *value = r.capacity;
  return relucap_clock() - t0;
}

static double median_time(int reps, double (*run)(relucap_quad_method, int, double *), relucap_quad_method m,
                          int arg, double *value)
{
  double t[64];
  for (int i = 0; i < reps; i++) t[i] = run(m, arg, value);
  qsort(t, (size_t)reps, sizeof t[0], cmp);
  return t[reps / 2];
}

static double run_capacity(relucap_quad_method m, int depth, double *value)
{
  return solve(depth, RELUCAP_WEAK, m, value);
}

static double run_chain(relucap_quad_method m, int depth, double *value)
{
  double t = 0;
  for (int d = 2; d <= depth; d++) t += solve(d, RELUCAP_WEAK, m, value);
  return t;
}

/* The solves `relucap paper` performs: depths 1-4 weak, 2-3 strong, the chain to 4, the slip. */
static double run_paper(relucap_quad_method m, int unused, double *value)
{
  (void)unused;
  double t = 0;
  for (int d = 1; d <= 4; d++) t += solve(d, RELUCAP_WEAK, m, value);
  for (int d = 2; d <= 3; d++) t += solve(d, RELUCAP_STRONG, m, value);
  t += run_chain(m, 4, value);
  t += solve(4, RELUCAP_WEAK, m, value);
  return t;
}

int main(void)
{
  chain_alphas[0] = 6.7004;
  for (int d = 2; d <= 12; d++) {
    double v;
    solve(d, RELUCAP_WEAK, RELUCAP_QUAD_GL, &v);
    chain_alphas[d - 1] = v;
  }
  printf("name,n,reps,seconds,value,ratio_vs_baseline\n");
  int depths[] = {1, 2, 4, 8, 12};
  double t2 = 0;
  for (int k = 0; k < 5; k++) {
    double v, vb;
    double t = median_time(15, run_capacity, RELUCAP_QUAD_GL, depths[k], &v);
    double tb = median_time(3, run_capacity, RELUCAP_QUAD_ADAPTIVE, depths[k], &vb);
    if (depths[k] == 2) t2 = t;
    printf("capacity_depth,%d,15,%.6f,%.12f,%.1f\n", depths[k], t, v, tb / t);
  }
  double v, vb;
  double t = median_time(9, run_chain, RELUCAP_QUAD_GL, 6, &v);
  double tb = median_time(3, run_chain, RELUCAP_QUAD_ADAPTIVE, 6, &vb);
  printf("weak_chain,6,9,%.6f,%.12f,%.1f\n", t, v, tb / t);
  t = median_time(9, run_paper, RELUCAP_QUAD_GL, 0, &v);
  tb = median_time(3, run_paper, RELUCAP_QUAD_ADAPTIVE, 0, &vb);
  printf("paper_solves,0,9,%.6f,%.12f,%.1f\n", t, v, tb / t);
  printf("# growth of cost with depth, time(depth)/time(2):");
  for (int k = 2; k < 5; k++) {
    double tk = median_time(9, run_capacity, RELUCAP_QUAD_GL, depths[k], &v);
    printf(" depth %d: %.1f (depth/2 = %.1f, (depth/2)^2 = %.0f);", depths[k], tk / t2, depths[k] / 2.0,
           depths[k] * depths[k] / 4.0);
  }
  printf("\n# goals: 2-layer capacity <= 5 ms, weak chain to 6 <= 10 ms, paper <= 0.5 s, cost <= quadratic in depth\n");
  return 0;
}

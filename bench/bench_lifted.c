/* Benchmark of the partially lifted RDT path: the lifted capacity (c3 optimised) at depths 2
 * (weak and strong), 4 and 8 (weak chain alphas from 6.7004), and the 2-layer weak capacity with c3
 * held at Table 8's 0.1091.  Median of repeats.  Baseline, measured in the same run: the same
 * solves with GSL's adaptive quadrature; "ratio" = baseline time / fast time.  A comment line gives
 * the largest difference between the two rules' capacities.
 * CSV: name,n,reps,seconds,value,ratio_vs_baseline */
#include "relucap.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int cmp(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double chain_alphas[8];

static double solve(int depth, relucap_kind kind, double c3, relucap_quad_method m, double *value)
{
  relucap_lifted_problem p = {depth, kind, chain_alphas, m, 64, c3};
  relucap_lifted_result r;
  double t0 = relucap_clock();
  if (relucap_lifted_capacity(&p, &r)) {
    fprintf(stderr, "bench_lifted: solve failed at depth %d\n", depth);
    exit(3);
  }
  *value = r.capacity;
  return relucap_clock() - t0;
}

static double median(int reps, int depth, relucap_kind kind, double c3, relucap_quad_method m, double *value)
{
  double t[32];
  for (int i = 0; i < reps; i++) t[i] = solve(depth, kind, c3, m, value);
  qsort(t, (size_t)reps, sizeof t[0], cmp);
  return t[reps / 2];
}

int main(void)
{
  /* the weak plain chain from alpha_1 = 6.7004 (the architecture at every depth) */
  chain_alphas[0] = 6.7004;
  for (int d = 2; d <= 7; d++) {
    relucap_plain_problem p = {d, RELUCAP_WEAK, chain_alphas, NULL, RELUCAP_QUAD_GL, 64, 0};
    relucap_plain_result r;
    if (relucap_plain_capacity(&p, &r)) return 3;
    chain_alphas[d - 1] = r.capacity;
  }
  struct {
    const char *name;
    int depth;
    relucap_kind kind;
    double c3;
  } cases[] = {
    {"lifted_weak_depth", 2, RELUCAP_WEAK, 0},
    {"lifted_strong_depth", 2, RELUCAP_STRONG, 0},
    {"lifted_weak_held_c3_0.1091_depth", 2, RELUCAP_WEAK, 0.1091},
    {"lifted_weak_depth", 4, RELUCAP_WEAK, 0},
    {"lifted_weak_depth", 8, RELUCAP_WEAK, 0},
  };
  printf("name,n,reps,seconds,value,ratio_vs_baseline\n");
  double worst = 0, t2 = 0;
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    double v, vb;
    double t = median(15, cases[k].depth, cases[k].kind, cases[k].c3, RELUCAP_QUAD_GL, &v);
    double tb = median(3, cases[k].depth, cases[k].kind, cases[k].c3, RELUCAP_QUAD_ADAPTIVE, &vb);
    if (k == 1) t2 = t;
    worst = fmax(worst, fabs(v - vb));
    printf("%s,%d,15,%.6f,%.12f,%.1f\n", cases[k].name, cases[k].depth, t, v, tb / t);
  }
  printf("# largest |capacity(GL 64) - capacity(adaptive)| over the cases: %.1e\n", worst);
  printf("# goal: a 2-layer lifted capacity (c3 optimised) <= 50 ms; strong 2-layer took %.1f ms\n", 1e3 * t2);
  return 0;
}

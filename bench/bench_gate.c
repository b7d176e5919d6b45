/* Benchmark of relucap gate: the time of each level (1, 2p, 2, ..., 8; every level computes the
 * lower ones as warm starts, as the CLI does) and, for full RSB, time against digits (kmax = 4..10,
 * digits = -log10(extrapolation error estimate)).  Median of repeats.
 * Baseline, measured in the same run for levels 2..5: the same solve with opts.dense_grid = 1,
 * the straightforward grid (every level on the finest spacing over the whole field range, no
 * clipping); ratio = baseline time / time (the speed-up of the strided, clipped grid).  For
 * levels 6..8 and full RSB the dense solve is too slow to repeat; ratio = time / time(level 3),
 * the growth of the cost.  Last rows: 12-RSB by doubling (6 steps split into 12, refined) against
 * the sequential ladder to 12 steps (ratio = ladder time / doubling time; the values agree to ~1e-12).
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

static double time_level(const relucap_gate_opts *o, int reps, relucap_gate_result *r)
{
  double t[16];
  for (int i = 0; i < reps; i++) {
    double t0 = relucap_clock();
    if (relucap_gate_capacity(o, r)) {
      fprintf(stderr, "bench_gate: solve failed (level %d, partial %d, full %d)\n", o->level, o->partial, o->full);
      exit(3);
    }
    t[i] = relucap_clock() - t0;
  }
  qsort(t, (size_t)reps, sizeof t[0], cmp);
  return t[reps / 2];
}

int main(void)
{
  relucap_gate_opts o;
  relucap_gate_result r;
  printf("name,n,reps,seconds,value,ratio_vs_baseline\n");
  relucap_gate_opts_default(&o);
  o.level = 3;
  double t3 = time_level(&o, 5, &r);
  for (int L = 1; L <= 8; L++) {
    relucap_gate_opts_default(&o);
    o.level = L;
    int reps = L <= 4 ? 5 : 3;
    double t = time_level(&o, reps, &r);
    double ratio = t / t3;
    if (L >= 2 && L <= 5) {
      o.dense_grid = 1;
      ratio = time_level(&o, L <= 4 ? 3 : 1, &r) / t;
      o.dense_grid = 0;
    }
    printf("gate_level_%d,%d,%d,%.6f,%.12f,%.3f\n", L, L, reps, t, r.capacity, ratio);
    if (L == 2) {
      o.partial = 1;
      t = time_level(&o, 5, &r);
      printf("gate_level_2p,2,5,%.6f,%.12f,%.3f\n", t, r.capacity, t / t3);
    }
  }
  for (int K = 4; K <= 10; K += 2) {
    relucap_gate_opts_default(&o);
    o.full = 1;
    o.full_kmax = K;
    double t = time_level(&o, 1, &r);
    printf("gate_full_kmax%d_digits%.1f,%d,1,%.6f,%.10f,%.3f\n", K, -log10(r.extrap_error / r.capacity), K, t,
           r.capacity, t / t3);
  }
  /* 12-RSB by doubling: ladder to 6 steps, split into a 12-step start, refine; baseline the
   * sequential ladder to 12 steps (level 13). */
  {
    relucap_gate_result lad[14], rr;
    double Q[RELUCAP_GATE_MAXSTEPS], c[RELUCAP_GATE_MAXSTEPS], chi;
    int k2;
    relucap_gate_opts_default(&o);
    double t0 = relucap_clock();
    if (relucap_gate_ladder(&o, 7, lad) || relucap_gate_split_start(&lad[6], Q, c, &chi, &k2) ||
        relucap_gate_refine(&o, k2, Q, c, chi, &rr)) {
      fprintf(stderr, "bench_gate: doubling failed\n");
      return 3;
    }
    double td = relucap_clock() - t0;
    t0 = relucap_clock();
    if (relucap_gate_ladder(&o, 13, lad)) {
      fprintf(stderr, "bench_gate: ladder to 13 failed\n");
      return 3;
    }
    double ts = relucap_clock() - t0;
    printf("gate_refine_k12_from_k6,12,1,%.6f,%.12f,%.3f\n", td, rr.capacity, ts / td);
    printf("gate_ladder_to_k12,12,1,%.6f,%.12f,1.000\n", ts, lad[12].capacity);
  }
  return 0;
}

/* Exact injectivity counts: keep/drop branch-and-bound (bb) against the CBC big-M MILP on the
 * same instances (Gaussian, m = 7n, seed 1, streams 0..reps-1).  One CSV row per case:
 * name,n,reps,seconds,value,ratio_vs_baseline where seconds is the median per instance, value
 * the mean D (full) or the number of injective instances (decide), and the ratio is
 * median(CBC) / median(bb) (the baseline is CBC; "_cbc" rows carry ratio 1).  CBC runs get a
 * time limit; a row "..._cbc_timeouts" counts the instances where it expired (then the ratio is
 * a lower bound).  RELUCAP_BENCH_LONG=1 adds n = 12. */
#include "relucap.h"
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

/* Run reps instances; returns the median seconds, *value the mean answer, *timeouts. */
static double run(int depth, const int *dims, int reps, relucap_depth_method meth, int target,
                  double tlim, double *value, int *timeouts)
{
  double t[16], v = 0;
  relucap_law law = {RELUCAP_LAW_GAUSS, 1.0};
  *timeouts = 0;
  for (int r = 0; r < reps; r++) {
    relucap_finite_net *net = relucap_finite_net_alloc(depth, dims);
    relucap_finite_net_sample(net, &law, 1, (unsigned long)r);
    relucap_depth_opts o = relucap_depth_opts_default();
    o.method = meth;
    o.target = target;
    o.time_limit = tlim;
    relucap_depth_result res;
    int st = relucap_depth_net(net, &o, &res);
    t[r] = res.seconds;
    if (st == RELUCAP_ETIME || !res.decided) (*timeouts)++;
    v += target > 0 ? (res.lower >= target) : res.lower;
    relucap_depth_result_free(&res);
    relucap_finite_net_free(net);
  }
  *value = target > 0 ? v : v / reps;
  return median(t, reps);
}

static void pair(const char *name, int depth, const int *dims, int reps, int target, double cbc_limit)
{
  double vb, vc;
  int tb, tc;
  double sb = run(depth, dims, reps, RELUCAP_DEPTH_BB, target, 0.0, &vb, &tb);
  double sc = run(depth, dims, reps, RELUCAP_DEPTH_MILP, target, cbc_limit, &vc, &tc);
  printf("%s_bb,%d,%d,%.6g,%.6g,%.6g\n", name, dims[0], reps, sb, vb, sc / sb);
  printf("%s_cbc,%d,%d,%.6g,%.6g,1\n", name, dims[0], reps, sc, vc);
  printf("%s_cbc_timeouts,%d,%d,%g,%d,%s\n", name, dims[0], reps, cbc_limit, tc, tc ? "ratio_is_lower_bound" : "0");
  fflush(stdout);
}

int main(void)
{
  printf("name,n,reps,seconds,value,ratio_vs_baseline\n");
  if (!relucap_lp_available()) {
    printf("# built without CBC: no baseline\n");
    return 0;
  }
  int d6[2] = {6, 42}, d8[2] = {8, 56};
  pair("layer1_decide", 1, d6, 2, 6, 8.0);
  pair("layer1_full", 1, d6, 2, 0, 8.0);
  pair("layer1_decide", 1, d8, 2, 8, 8.0);
  pair("layer1_full", 1, d8, 2, 0, 8.0);
  /* n = 10: bb alone (CBC does not finish in a minute, notes/finite-n.md section 2) */
  int d10[2] = {10, 70}, to;
  double v, s = run(1, d10, 3, RELUCAP_DEPTH_BB, 10, 60.0, &v, &to);
  printf("layer1_decide_bb_only,10,3,%.6g,%.6g,%d_timeouts\n", s, v, to);
  if (getenv("RELUCAP_BENCH_LONG")) {
    int d12[2] = {12, 84};
    s = run(1, d12, 2, RELUCAP_DEPTH_BB, 12, 60.0, &v, &to);
    printf("layer1_decide_bb_only,12,2,%.6g,%.6g,%d_timeouts\n", s, v, to);
  }
  /* two layers, weak decision D >= n, m1 = m2 = 7n */
  int t3[3] = {3, 21, 21};
  pair("layer2_decide_weak", 2, t3, 1, 3, 10.0);
  return 0;
}

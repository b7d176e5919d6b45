/* Monte Carlo over sampled networks: one random stream per trial, OpenMP over trials. */
#include "relucap/finite.h"

#include <stdlib.h>
#ifdef _OPENMP
#include <omp.h>
#endif

int relucap_finite_mc_point(int depth, const int *dims, const relucap_law *law, int target,
                            unsigned long seed, unsigned long stream0, long trials, int threads,
                            double time_limit, long *yes, long *undecided)
{
  if (depth < 1 || depth > RELUCAP_FINITE_MAXDEPTH || !dims || !law || target < 1 || trials < 1 ||
      !yes || !undecided)
    RELUCAP_ERROR("mc: bad arguments", RELUCAP_EINVAL);
  long y = 0, u = 0;
  int bad = 0;
#ifdef _OPENMP
  int nt = threads > 0 ? threads : omp_get_max_threads();
#pragma omp parallel for schedule(dynamic, 1) reduction(+ : y, u, bad) num_threads(nt)
#else
  (void)threads;
#endif
  for (long t = 0; t < trials; t++) {
    relucap_finite_net *net = relucap_finite_net_alloc(depth, dims);
    if (!net) {
      bad++;
      continue;
    }
    relucap_finite_net_sample(net, law, seed, stream0 + (unsigned long)t);
    relucap_depth_opts o = relucap_depth_opts_default();
    o.target = target;
    o.time_limit = time_limit;
    relucap_depth_result r = {0};
    int st = relucap_depth_net(net, &o, &r);
    int discrete = law->kind == RELUCAP_LAW_RADEMACHER || law->kind == RELUCAP_LAW_SPARSE;
    if (st == RELUCAP_SUCCESS && r.decided && r.lower >= target && depth == 1 && discrete) {
      /* ties possible: D >= n is only necessary; settle by the exact rank criterion */
      int inj = 0, s2;
      /* The exact check solves its LPs with CLP, whose thread safety is not documented: one
       * sample at a time (the count above, the expensive part, stays parallel). */
#ifdef _OPENMP
#pragma omp critical(relucap_clp)
#endif
      s2 = relucap_injective_layer(dims[1], dims[0], net->w[0], time_limit, &inj, NULL, NULL);
      if (s2 == RELUCAP_SUCCESS) y += inj;
      else if (s2 == RELUCAP_ETIME) u++;
      else bad++;
    } else if (st == RELUCAP_SUCCESS && r.decided) {
      if (r.lower >= target) y++;
    } else if (st == RELUCAP_SUCCESS || st == RELUCAP_ETIME) {
      u++;
    } else {
      bad++;
    }
    relucap_depth_result_free(&r);
    relucap_finite_net_free(net);
  }
  *yes = y;
  *undecided = u;
  if (bad) RELUCAP_ERROR("mc: a trial failed", RELUCAP_ENOPROG);
  return RELUCAP_SUCCESS;
}

/* Finite-size exact counts: every method agrees on random instances, Wendel's laws hold by
 * Monte Carlo, certificates check (and a tampered one does not), time limits give bounds only. */
#include "relucap.h"
#include "testlib.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int sanitize;

static void one_layer_agreement(void)
{
  int cases = sanitize ? 30 : 200, milp_every = sanitize ? 10 : 4;
  int agree_enum = 0, agree_milp = 0, milp_runs = 0, certified = 0, decisions_ok = 0;
  int agree_clp = 0, clp_runs = 0;
  relucap_law law = {RELUCAP_LAW_GAUSS, 1.0};
  for (int c = 0; c < cases; c++) {
    int n = 1 + c % 4, m = n + 1 + (c * 7) % (4 * n + 1);
    int dims[2] = {n, m};
    relucap_finite_net *net = relucap_finite_net_alloc(1, dims);
    relucap_finite_net_sample(net, &law, 2024, (unsigned long)c);
    relucap_depth_opts o = relucap_depth_opts_default();
    relucap_depth_result bb, en, dec;
    int s1 = relucap_depth_net(net, &o, &bb);
    o.method = RELUCAP_DEPTH_ENUM;
    int s2 = relucap_depth_net(net, &o, &en);
    test_true(s1 == RELUCAP_SUCCESS && s2 == RELUCAP_SUCCESS, "case %d: bb and enum succeed", c);
    agree_enum += bb.exact && en.exact && bb.lower == en.lower;
    certified += bb.certified;
    /* the decision "D >= n?" must agree with the full value */
    o.method = RELUCAP_DEPTH_BB;
    o.target = n;
    relucap_depth_net(net, &o, &dec);
    decisions_ok += dec.decided && dec.certified && ((dec.lower >= n) == (bb.lower >= n));
    relucap_depth_result_free(&dec);
    if (relucap_lp_available() && c % 2 == 0) { /* the same search with CLP inner LPs */
      relucap_depth_result cl;
      o.target = 0;
      o.lp_clp = 1;
      int s4 = relucap_depth_net(net, &o, &cl);
      agree_clp += s4 == RELUCAP_SUCCESS && cl.exact && cl.lower == bb.lower;
      clp_runs++;
      o.lp_clp = 0;
      relucap_depth_result_free(&cl);
    }
    if (relucap_lp_available() && c % milp_every == 0) {
      relucap_depth_result mi;
      o.method = RELUCAP_DEPTH_MILP;
      o.target = 0;
      if (relucap_depth_net(net, &o, &mi) == RELUCAP_SUCCESS) {
        milp_runs++;
        agree_milp += mi.upper == bb.lower;
        test_true(!mi.certified, "case %d: a MILP optimum is never called certified", c);
        test_true(mi.upper >= bb.lower, "case %d: MILP witness count %d >= D %d", c, mi.upper, bb.lower);
      }
      relucap_depth_result_free(&mi);
    }
    /* certificate pieces: witness recount and the root packing, checked independently */
    test_true(relucap_depth_count(net, bb.witness, NULL) == bb.upper, "case %d: witness recounts", c);
    int pack_ok = 1;
    for (int k = 0; k < bb.packing; k++) {
      int rows[8], cnt = 0;
      double lam[8];
      for (int j = 0; j <= n; j++)
        if (bb.packing_rows[k * (n + 1) + j] >= 0) {
          rows[cnt] = bb.packing_rows[k * (n + 1) + j];
          lam[cnt++] = bb.packing_lambda[k * (n + 1) + j];
        }
      pack_ok &= relucap_depth_check_simplex(m, n, net->w[0], cnt, rows, lam);
    }
    test_true(pack_ok && bb.packing <= bb.lower, "case %d: packing of %d simplices checks", c,
              bb.packing);
    relucap_depth_result_free(&bb);
    relucap_depth_result_free(&en);
    relucap_finite_net_free(net);
  }
  test_true(agree_enum == cases, "bb = enum on %d of %d instances", agree_enum, cases);
  test_true(certified == cases, "bb certified %d of %d", certified, cases);
  test_true(decisions_ok == cases, "decision D >= n consistent on %d of %d", decisions_ok, cases);
  if (clp_runs) test_true(agree_clp == clp_runs, "bb with CLP = bb with the dense simplex on %d of %d", agree_clp, clp_runs);
  if (milp_runs) test_true(agree_milp == milp_runs, "CBC = bb on %d of %d", agree_milp, milp_runs);
}

static void tampered_certificate(void)
{
  /* rows (1,0), (0,1), (-1,-1), (1,2): the first three contain 0, the last three do not */
  double A[8] = {1, 0, 0, 1, -1, -1, 1, 2};
  test_true(relucap_depth_check_simplex(4, 2, A, 3, (int[]){0, 1, 2}, NULL), "true simplex accepted");
  test_true(!relucap_depth_check_simplex(4, 2, A, 3, (int[]){1, 2, 3}, NULL), "false simplex rejected");
  test_true(!relucap_depth_check_simplex(4, 2, A, 2, (int[]){0, 3}, (double[]){0.5, 0.5}),
            "bad multipliers rejected");
  relucap_finite_net *net = relucap_finite_net_alloc(1, (int[]){2, 4});
  memcpy(net->w[0], A, sizeof A);
  relucap_depth_result r;
  relucap_depth_net(net, NULL, &r);
  /* D = 1: x = (-1, -0.2) leaves only (-1,-1) non-negative, and 0 is in conv of rows 0-2 */
  test_true(r.exact && r.lower == 1 && r.certified, "4 rows in the plane: D = 1 (got %d..%d)",
            r.lower, r.upper);
  relucap_depth_result_free(&r);
  relucap_finite_net_free(net);
}

static void multi_layer_agreement(void)
{
  if (!relucap_lp_available()) return;
  int cases = sanitize ? 4 : 24, agree = 0, runs = 0;
  relucap_law law = {RELUCAP_LAW_GAUSS, 1.0};
  for (int c = 0; c < cases; c++) {
    int n = 2 + c % 2;
    int dims[3] = {n, 2 * n + c % 3, 2 * n + (c / 3) % 3};
    relucap_finite_net *net = relucap_finite_net_alloc(2, dims);
    relucap_finite_net_sample(net, &law, 77, (unsigned long)c);
    relucap_depth_opts o = relucap_depth_opts_default();
    relucap_depth_result bb, mi;
    int s1 = relucap_depth_net(net, &o, &bb);
    o.method = RELUCAP_DEPTH_MILP;
    int s2 = relucap_depth_net(net, &o, &mi);
    test_true(s1 == RELUCAP_SUCCESS && bb.exact && bb.certified, "2-layer case %d: bb exact", c);
    test_true(relucap_depth_count(net, bb.witness, NULL) == bb.upper, "2-layer %d: witness", c);
    if (s2 == RELUCAP_SUCCESS) {
      runs++;
      agree += mi.lower == bb.lower;
      test_true(mi.upper >= bb.lower, "2-layer %d: MILP witness %d >= D %d", c, mi.upper, bb.lower);
    }
    relucap_depth_result_free(&bb);
    relucap_depth_result_free(&mi);
    relucap_finite_net_free(net);
  }
  /* three layers: the cell search through two hidden layers against the chained MILP */
  for (int c = 0; c < (sanitize ? 2 : 8); c++) {
    int dims[4] = {2, 6, 7, 8};
    relucap_finite_net *net = relucap_finite_net_alloc(3, dims);
    relucap_finite_net_sample(net, &law, 78, (unsigned long)c);
    relucap_depth_opts o = relucap_depth_opts_default();
    relucap_depth_result bb, mi;
    int s1 = relucap_depth_net(net, &o, &bb);
    o.method = RELUCAP_DEPTH_MILP;
    int s2 = relucap_depth_net(net, &o, &mi);
    test_true(s1 == RELUCAP_SUCCESS && bb.exact && bb.certified, "3-layer case %d: bb exact", c);
    if (s2 == RELUCAP_SUCCESS) {
      runs++;
      agree += mi.lower == bb.lower;
    }
    relucap_depth_result_free(&bb);
    relucap_depth_result_free(&mi);
    relucap_finite_net_free(net);
  }
  /* CBC's optimum must equal D; its witness may recount higher (t_j <= 0 is accepted up to
   * CBC's tolerance), which the test above allows */
  test_true(agree == runs, "multi-layer: CBC optimum = bb on %d of %d", agree, runs);
}

static void wendel(void)
{
  relucap_law law = {RELUCAP_LAW_GAUSS, 1.0};
  struct { int n, m; long trials; } pts[] = {{1, 3, 2000}, {1, 5, 2000}, {2, 4, 1500}, {3, 6, 1000}, {3, 9, 800}};
  for (int k = 0; k < 5; k++) {
    long N = sanitize ? pts[k].trials / 10 : pts[k].trials, yes, und;
    int dims[2] = {pts[k].n, pts[k].m};
    int st = relucap_finite_mc_point(1, dims, &law, 1, 5, 1000UL * k, N, 0, 0.0, &yes, &und);
    double p = relucap_wendel(pts[k].m, pts[k].n), ph = (double)yes / N;
    test_true(st == RELUCAP_SUCCESS && und == 0, "Wendel point %d ran", k);
    test_abs(ph, p, 4.0 * sqrt(p * (1 - p) / N) + 1e-12, "Wendel n=%d m=%d: P(D>=1) %g vs %g",
             pts[k].n, pts[k].m, ph, p);
  }
  test_rel(relucap_wendel(5, 1), 1 - pow(2, -4), 1e-14, "Wendel n=1 closed form 1-2^(1-m)");
  test_rel(relucap_wendel(10, 5), 0.5, 1e-14, "Wendel m=2n gives 1/2");
}

static void threads_and_laws(void)
{
  relucap_law law;
  test_true(relucap_law_parse("sparse:0.3", &law) == RELUCAP_SUCCESS && law.p == 0.3, "parse sparse");
  test_true(relucap_law_parse("sparse:0", &law) == RELUCAP_EINVAL, "sparse:0 rejected");
  test_true(relucap_law_parse("sparse:1.5", &law) == RELUCAP_EINVAL, "sparse:1.5 rejected");
  test_true(relucap_law_parse("cauchy", &law) == RELUCAP_EINVAL, "unknown law rejected");
  const char *laws[4] = {"gauss", "rademacher", "uniform", "sparse:0.5"};
  for (int k = 0; k < 4; k++) {
    relucap_law_parse(laws[k], &law);
    relucap_finite_net *net = relucap_finite_net_alloc(1, (int[]){100, 200});
    relucap_finite_net_sample(net, &law, 9, 1);
    double s = 0, s2 = 0;
    for (int i = 0; i < 20000; i++) { s += net->w[0][i]; s2 += net->w[0][i] * net->w[0][i]; }
    test_abs(s / 20000, 0.0, 0.04, "%s: mean 0", laws[k]);
    test_abs(s2 / 20000, 1.0, 0.06, "%s: variance 1", laws[k]);
    relucap_finite_net_free(net);
  }
  relucap_law_parse("gauss", &law);
  long y1, u1, y2, u2;
  int dims[2] = {4, 20};
  relucap_finite_mc_point(1, dims, &law, 4, 11, 0, sanitize ? 20 : 80, 1, 0.0, &y1, &u1);
  relucap_finite_mc_point(1, dims, &law, 4, 11, 0, sanitize ? 20 : 80, 2, 0.0, &y2, &u2);
  test_true(y1 == y2 && u1 == u2 && y1 > 0, "1 and 2 threads give the same count (%ld, %ld)", y1, y2);
}

/* The one-sided search: its bounds must bracket the exact D; on non-injective samples at small
 * n it should find a witness below n almost always. */
static void witness_search(void)
{
  relucap_law law = {RELUCAP_LAW_GAUSS, 1.0};
  int cases = sanitize ? 4 : 20, found = 0, noninj = 0;
  for (int c = 0; c < cases; c++) {
    int n = 4 + c % 3, dims[2] = {n, 5 * n};
    relucap_finite_net *net = relucap_finite_net_alloc(1, dims);
    relucap_finite_net_sample(net, &law, 31, (unsigned long)c);
    relucap_depth_result ex, se;
    relucap_depth_net(net, NULL, &ex);
    relucap_depth_opts o = relucap_depth_opts_default();
    o.method = RELUCAP_DEPTH_SEARCH;
    o.target = n;
    o.time_limit = 0.05;
    int st = relucap_depth_net(net, &o, &se);
    test_true(st == RELUCAP_SUCCESS && se.lower <= ex.lower && se.upper >= ex.lower,
              "search %d: %d <= D = %d <= %d", c, se.lower, ex.lower, se.upper);
    test_true(!se.certified || se.upper < n, "search %d: certified only by a witness below n", c);
    if (ex.lower < n) {
      noninj++;
      found += se.certified;
    }
    relucap_depth_result_free(&ex);
    relucap_depth_result_free(&se);
    relucap_finite_net_free(net);
  }
  test_true(noninj == 0 || found * 10 >= noninj * 8, "search found %d of %d non-injective", found, noninj);
}

static void probit(void)
{
  double x[9];
  long yes[9], N[9];
  for (int j = 0; j < 9; j++) {
    x[j] = 1.0 + j;
    N[j] = 100000;
    yes[j] = lround(N[j] * relucap_ncdf((x[j] - 5.3) / 1.7));
  }
  double mu, err, sig;
  int st = relucap_probit_crossing(9, x, yes, N, &mu, &err, &sig);
  test_true(st == RELUCAP_SUCCESS, "probit fit converges");
  test_abs(mu, 5.3, 1e-3, "probit mu of exact data");
  test_abs(sig, 1.7, 1e-3, "probit width of exact data");
  test_true(err > 0 && err < 0.02, "probit s.e. small for 9e5 samples (%g)", err);
  long none[9] = {0};
  test_true(relucap_probit_crossing(9, x, none, N, &mu, &err, &sig) == RELUCAP_EDOM,
            "probit without a crossing: EDOM");
}

/* Exact rank criterion: equals "D >= n" for Gaussian rows; catches tied rows where D >= n but the
 * active rows do not span; the returned (x, z) is a checkable pair. */
static void rank_criterion(void)
{
  relucap_law law = {RELUCAP_LAW_GAUSS, 1.0};
  int cases = sanitize ? 10 : 60, agree = 0;
  for (int c = 0; c < cases; c++) {
    int n = 1 + c % 4, m = 2 * n + c % (3 * n);
    int dims[2] = {n, m};
    relucap_finite_net *net = relucap_finite_net_alloc(1, dims);
    relucap_finite_net_sample(net, &law, 41, (unsigned long)c);
    relucap_depth_result r;
    relucap_depth_net(net, NULL, &r);
    int inj = -1;
    relucap_injective_layer(m, n, net->w[0], 0.0, &inj, NULL, NULL);
    agree += inj == (r.lower >= n);
    relucap_depth_result_free(&r);
    relucap_finite_net_free(net);
  }
  test_true(agree == cases, "rank criterion = (D >= n) on %d of %d Gaussian layers", agree, cases);
  /* rows +-e1 three times each and e2: D = 3 >= 2, yet x = (eps, -1) leaves only e1-rows active */
  double A[14] = {1, 0, 1, 0, 1, 0, -1, 0, -1, 0, -1, 0, 0, 1};
  relucap_depth_result r;
  relucap_depth_layer(7, 2, A, NULL, &r);
  double x[2], z[2];
  int inj = -1;
  relucap_injective_layer(7, 2, A, 0.0, &inj, x, z);
  test_true(r.lower >= 2 && inj == 0, "tied rows: D = %d >= n but not injective", r.lower);
  int pair_ok = fabs(z[0]) + fabs(z[1]) > 0;
  for (int i = 0; i < 7; i++)
    if (A[2 * i] * x[0] + A[2 * i + 1] * x[1] >= 0)
      pair_ok &= fabs(A[2 * i] * z[0] + A[2 * i + 1] * z[1]) < 1e-12;
  test_true(pair_ok, "tied rows: every active row is orthogonal to z (a second preimage)");
  relucap_depth_result_free(&r);
  /* adding -e2 makes every active set span: injective */
  double B[16] = {1, 0, 1, 0, 1, 0, -1, 0, -1, 0, -1, 0, 0, 1, 0, -1};
  relucap_injective_layer(8, 2, B, 0.0, &inj, NULL, NULL);
  test_true(inj == 1, "tied rows with +-e2: injective");
}

static void time_limit_path(void)
{
  relucap_law law = {RELUCAP_LAW_GAUSS, 1.0};
  relucap_finite_net *net = relucap_finite_net_alloc(1, (int[]){9, 63});
  relucap_finite_net_sample(net, &law, 3, 0);
  relucap_depth_opts o = relucap_depth_opts_default();
  o.time_limit = 0.02;
  relucap_depth_result r;
  int st = relucap_depth_net(net, &o, &r);
  test_true(st == RELUCAP_ETIME && r.timed_out && !r.certified, "time limit: ETIME, not certified");
  test_true(r.lower <= r.upper && relucap_depth_count(net, r.witness, NULL) == r.upper,
            "time limit: bounds %d <= %d with a recounted witness", r.lower, r.upper);
  relucap_depth_result_free(&r);
  relucap_finite_net_free(net);
  double lo, hi;
  relucap_wilson(50, 100, 1.96, &lo, &hi);
  test_rel(lo, 0.403831, 1e-5, "Wilson 50/100 lower");
  test_rel(hi, 0.596169, 1e-5, "Wilson 50/100 upper");
}

/* Issue item 5: the count criterion against a direct search for two inputs with one output.
 * Must hold (general position): D < n => a verified pair exists; D >= 2n => no pair. */
static void reduction_check(void)
{
  if (!relucap_lp_available()) return;
  relucap_law law = {RELUCAP_LAW_GAUSS, 1.0};
  struct { int n, m1, m2; } cfg[2] = {{1, 4, 4}, {2, 5, 5}};
  int low = 0, high = 0, mid = 0, bad = 0, runs = sanitize ? 2 : 6;
  for (int c = 0; c < 2; c++)
    for (int t = 0; t < runs; t++) {
      int dims[3] = {cfg[c].n, cfg[c].m1, cfg[c].m2}, n = cfg[c].n;
      relucap_finite_net *net = relucap_finite_net_alloc(2, dims);
      relucap_finite_net_sample(net, &law, 5, (unsigned long)t);
      relucap_depth_result r;
      relucap_depth_net(net, NULL, &r);
      int ni = 0, ver = 0;
      int st = relucap_finite_pair_check(net, 30.0, &ni, &ver, NULL, NULL, NULL);
      test_true(st == RELUCAP_SUCCESS && r.exact, "pair check n=%d t=%d ran", n, t);
      if (ni) test_true(ver, "pair n=%d t=%d: F(x) = F(y) re-checks", n, t);
      if (r.lower < n) {
        low++;
        bad += !(ni && ver);
      } else if (r.lower >= 2 * n) {
        high++;
        bad += ni;
      } else {
        mid++; /* n <= D < 2n: the count alone does not decide strong injectivity */
      }
      relucap_depth_result_free(&r);
      relucap_finite_net_free(net);
    }
  test_true(bad == 0, "reduction: count and pair search agree (%d disagreements)", bad);
  test_true(low > 0 && high > 0, "reduction: both regimes sampled (D<n: %d, D>=2n: %d, between: %d)",
            low, high, mid);
}

int main(void)
{
  sanitize = getenv("RELUCAP_SANITIZE") != NULL;
  tampered_certificate();
  one_layer_agreement();
  multi_layer_agreement();
  wendel();
  threads_and_laws();
  time_limit_path();
  rank_criterion();
  probit();
  witness_search();
  reduction_check();
  return test_summary("test_finite");
}

/* Tests of the exact injectivity check and of inversion: hand-made cases whose truth is known by
 * construction, an independent general-position check (extreme-ray depth), and round trips. */
#include "relucap/netcheck.h"
#include "relucap/finite.h"
#include "relucap/lp.h"
#include "testlib.h"
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static relucap_layer make_layer(size_t m, size_t n, const double *W, const double *b)
{
  relucap_layer L = {m, n, malloc(m * n * sizeof(double)), b ? malloc(m * sizeof(double)) : NULL};
  memcpy(L.W, W, m * n * sizeof(double));
  if (b) memcpy(L.b, b, m * sizeof(double));
  return L;
}

static void free_layer(relucap_layer *L) { free(L->W); free(L->b); }

/* Independent check of an "injective" proof on R^n (n <= 3): every certificate is a valid
 * Farkas certificate (mu >= 0, sum 1, sum mu w = 0, sum mu b >= 0), and every hyperplane spanned
 * by rows (n = 2: one row; n = 3: two independent rows) misses all rows of some certificate. */
static void check_proof(const char *name, const relucap_layer *L, const relucap_layer_report *r)
{
  size_t n = L->n, m = L->m;
  test_true(r->certificates_complete && r->ncert > 0, "%s: proof has %zu certificates", name, r->ncert);
  for (size_t c = 0; c < r->ncert; c++) {
    double g[4] = {0, 0, 0, 0}, gb = 0, sum = 0, scale = 0;
    int ok = 1;
    for (size_t e = r->cert_start[c]; e < r->cert_start[c + 1]; e++) {
      size_t i = r->cert_rows[e];
      double mu = r->cert_lambda[e], wn = 0;
      ok &= mu >= 0 && i < m;
      for (size_t j = 0; j < n; j++) { g[j] += mu * L->W[i * n + j]; wn += L->W[i * n + j] * L->W[i * n + j]; }
      if (L->b) gb += mu * L->b[i];
      sum += mu;
      scale += mu * sqrt(wn);
    }
    double gn = 0;
    for (size_t j = 0; j < n; j++) gn += g[j] * g[j];
    ok &= fabs(sum - 1) <= 1e-12 && sqrt(gn) <= 1e-9 * scale && gb >= -1e-12;
    test_true(ok, "%s: certificate %zu is a Farkas certificate", name, c);
  }
  if (n < 2 || n > 3) return;
  for (size_t a = 0; a < m; a++)
    for (size_t b = (n == 2 ? a : a + 1); b < (n == 2 ? a + 1 : m); b++) {
      double v[3];
      const double *wa = L->W + a * n, *wb = L->W + b * n;
      if (n == 2) { v[0] = -wa[1]; v[1] = wa[0]; }
      else { v[0] = wa[1] * wb[2] - wa[2] * wb[1]; v[1] = wa[2] * wb[0] - wa[0] * wb[2]; v[2] = wa[0] * wb[1] - wa[1] * wb[0]; }
      double vn = 0;
      for (size_t j = 0; j < n; j++) vn += v[j] * v[j];
      if (vn <= 1e-20) continue; /* zero or dependent rows span no hyperplane */
      int closed = 0;
      for (size_t c = 0; c < r->ncert && !closed; c++) {
        int misses = 1;
        for (size_t e = r->cert_start[c]; e < r->cert_start[c + 1] && misses; e++) {
          const double *w = L->W + r->cert_rows[e] * n;
          double d = 0, wn = 0;
          for (size_t j = 0; j < n; j++) { d += w[j] * v[j]; wn += w[j] * w[j]; }
          misses = fabs(d) > 1e-9 * sqrt(vn * wn);
        }
        closed = misses;
      }
      test_true(closed, "%s: hyperplane of rows %zu,%zu is closed by a certificate", name, a, b);
    }
}

/* Check one layer on R^n: verdict, and a verified witness when not injective. */
static void expect_layer(const char *name, relucap_layer L, int want)
{
  relucap_layer_report r;
  int s = relucap_netcheck_layer(&L, 0, 60, &r);
  test_true(s == RELUCAP_SUCCESS, "%s: status %d", name, s);
  test_true(r.verdict == want, "%s: verdict %d, want %d (planes %zu, antipodal %zu, lp %zu)", name,
            r.verdict, want, r.hyperplanes, r.by_antipodal, r.by_lp);
  if (r.verdict == RELUCAP_NOT_INJECTIVE) {
    double dx = 0;
    for (size_t j = 0; j < L.n; j++) dx = fmax(dx, fabs(r.x1[j] - r.x2[j]));
    test_true(dx > 0, "%s: witness x1 != x2", name);
    test_true(r.witness_diff <= 1e-13, "%s: witness output difference %.3g", name, r.witness_diff);
    /* recompute independently */
    double m1 = 0;
    for (size_t i = 0; i < L.m; i++) {
      double z1 = L.b ? L.b[i] : 0, z2 = z1;
      for (size_t j = 0; j < L.n; j++) { z1 += L.W[i * L.n + j] * r.x1[j]; z2 += L.W[i * L.n + j] * r.x2[j]; }
      m1 = fmax(m1, fabs(fmax(z1, 0) - fmax(z2, 0)));
    }
    test_true(m1 <= 1e-12 * (1 + dx), "%s: outputs equal (max diff %.3g)", name, m1);
  }
  if (r.verdict == RELUCAP_INJECTIVE) {
    test_true(r.max_cert_residual <= 1e-9 && r.active_lower >= L.n && !r.conflict, "%s: certificates verified", name);
    check_proof(name, &L, &r);
  }
  relucap_layer_report_free(&r);
  free_layer(&L);
}

static void random_matrix(gsl_rng *rng, double *A, size_t m, size_t n)
{
  for (size_t i = 0; i < m * n; i++) A[i] = gsl_ran_gaussian(rng, 1.0);
}

static void test_hand_made(gsl_rng *rng)
{
  double W[400], b[40];
  /* [B; -B], B invertible: injective (every hyperplane closed by antipodal pairs) */
  random_matrix(rng, W, 3, 3);
  for (int i = 0; i < 9; i++) W[9 + i] = -W[i];
  relucap_layer_report r;
  relucap_layer L = make_layer(6, 3, W, NULL);
  relucap_netcheck_layer(&L, 0, 60, &r);
  test_true(r.verdict == RELUCAP_INJECTIVE && r.by_antipodal == r.hyperplanes && r.by_lp == 0,
            "[B;-B]: injective by antipodal pairs (%zu planes)", r.hyperplanes);
  relucap_layer_report_free(&r);
  free_layer(&L);
  /* m < n: never */
  random_matrix(rng, W, 2, 3);
  expect_layer("m < n (2 x 3)", make_layer(2, 3, W, NULL), RELUCAP_NOT_INJECTIVE);
  /* all rows in the halfspace x_1 > 0: x = -e_1 makes every row negative */
  random_matrix(rng, W, 12, 3);
  for (int i = 0; i < 12; i++) W[3 * i] = fabs(W[3 * i]) + 0.1;
  expect_layer("rows in one halfspace", make_layer(12, 3, W, NULL), RELUCAP_NOT_INJECTIVE);
  /* [B; -B; 0; 0] and duplicates and positive scalings: still injective */
  random_matrix(rng, W, 3, 3);
  for (int i = 0; i < 9; i++) W[9 + i] = -W[i];
  memset(W + 18, 0, 6 * sizeof *W);
  for (int i = 0; i < 9; i++) W[24 + i] = 2.5 * W[i]; /* scaled duplicates of B */
  expect_layer("[B;-B;0;0;2.5B]", make_layer(11, 3, W, NULL), RELUCAP_INJECTIVE);
  /* zero rows do not help: [B; 0; 0; 0] is not injective */
  random_matrix(rng, W, 3, 3);
  memset(W + 9, 0, 9 * sizeof *W);
  expect_layer("[B;0;0;0]", make_layer(6, 3, W, NULL), RELUCAP_NOT_INJECTIVE);
  /* duplicated rows fool the count test: rows e1, e1, -e1, -e1, e2 in R^2 have
   * min_x #{w x > 0} = 2 = n, yet x = (0,-1) leaves only +-e1 active: not injective */
  const double dup[10] = {1, 0, 1, 0, -1, 0, -1, 0, 0, 1};
  expect_layer("e1,e1,-e1,-e1,e2 (count test says yes)", make_layer(5, 2, dup, NULL), RELUCAP_NOT_INJECTIVE);
  /* [I; -I] in R^2: min open count is 1 < n, yet injective */
  const double sq[8] = {1, 0, 0, 1, -1, 0, 0, -1};
  expect_layer("[I;-I] (count test says no)", make_layer(4, 2, sq, NULL), RELUCAP_INJECTIVE);
  /* regular polygons in R^2: the triangle is not injective, k >= 4 is */
  for (int k = 3; k <= 8; k++) {
    for (int j = 0; j < k; j++) { W[2 * j] = cos(2 * M_PI * j / k); W[2 * j + 1] = sin(2 * M_PI * j / k); }
    char name[64];
    snprintf(name, sizeof name, "regular %d-gon", k);
    expect_layer(name, make_layer((size_t)k, 2, W, NULL), k >= 4 ? RELUCAP_INJECTIVE : RELUCAP_NOT_INJECTIVE);
  }
  /* Rademacher rows: all of {+-1}^3 is [B;-B] (injective); dropping one row breaks it */
  for (int i = 0; i < 8; i++)
    for (int j = 0; j < 3; j++) W[3 * i + j] = (i >> j) & 1 ? 1 : -1;
  expect_layer("all 8 sign vectors in R^3", make_layer(8, 3, W, NULL), RELUCAP_INJECTIVE);
  /* dropping (1,1,1) keeps it injective: any plane through two of the four diagonals leaves
   * a complete pair +-d outside; dropping (1,1,1) and (1,1,-1) as well breaks it: the plane
   * of the other two diagonals leaves -(1,1,1), -(1,1,-1), both negative at x = (1,1,0) */
  expect_layer("7 sign vectors in R^3", make_layer(7, 3, W, NULL), RELUCAP_INJECTIVE);
  memmove(W + 9, W + 12, 9 * sizeof *W); /* rows 0,1,2,4,5,6: drop (1,1,-1) = row 3 and row 7 */
  expect_layer("6 sign vectors in R^3", make_layer(6, 3, W, NULL), RELUCAP_NOT_INJECTIVE);
  /* rank-deficient with many rows: [B;-B] with B of rank 2 in R^3 */
  random_matrix(rng, W, 2, 3);
  for (int j = 0; j < 3; j++) W[6 + j] = W[j] + 2 * W[3 + j];
  for (int i = 0; i < 9; i++) W[9 + i] = -W[i];
  expect_layer("[B;-B], rank B = 2", make_layer(6, 3, W, NULL), RELUCAP_NOT_INJECTIVE);

  /* biases, n = 1 */
  const double one2[2] = {1, 1}, pm[2] = {1, -1};
  const double b01[2] = {0, -1}, b00[2] = {0, 0}, bmm[2] = {-1, -1}, bpp[2] = {1, 1};
  expect_layer("relu(x), relu(x-1)", make_layer(2, 1, one2, b01), RELUCAP_NOT_INJECTIVE);
  expect_layer("relu(x), relu(-x)", make_layer(2, 1, pm, b00), RELUCAP_INJECTIVE);
  expect_layer("relu(x-1), relu(-x-1) (dead band)", make_layer(2, 1, pm, bmm), RELUCAP_NOT_INJECTIVE);
  expect_layer("relu(x+1), relu(1-x)", make_layer(2, 1, pm, bpp), RELUCAP_INJECTIVE);
  /* biases in R^2: [I;-I] with b = -1 has a dead square around 0 */
  for (int i = 0; i < 4; i++) b[i] = -1;
  expect_layer("[I;-I], b = -1", make_layer(4, 2, sq, b), RELUCAP_NOT_INJECTIVE);
  for (int i = 0; i < 4; i++) b[i] = 0.5;
  expect_layer("[I;-I], b = 0.5", make_layer(4, 2, sq, b), RELUCAP_INJECTIVE);
}

/* Independent check in general position: D(A) = min over (n-1)-subsets T and signs of
 * #{i not in T : <a_i, s r_T> > 0} (extreme-ray enumeration, finite-n.md 1.1); injective iff
 * D >= n.  Brute force, small n only. */
static int depth_enum(const double *A, int m, int n)
{
  int best = m, idx[8];
  for (int i = 0; i < n - 1; i++) idx[i] = i;
  for (;;) {
    /* r = kernel of the rows idx: last right singular vector of the (n-1) x n matrix */
    gsl_matrix *a = gsl_matrix_calloc((size_t)n, (size_t)n), *v = gsl_matrix_alloc((size_t)n, (size_t)n);
    gsl_vector *s = gsl_vector_alloc((size_t)n);
    for (int i = 0; i < n - 1; i++)
      for (int j = 0; j < n; j++) gsl_matrix_set(a, (size_t)i, (size_t)j, A[idx[i] * n + j]);
    gsl_linalg_SV_decomp_jacobi(a, v, s);
    for (int sg = -1; sg <= 1; sg += 2) {
      int c = 0;
      for (int i = 0; i < m; i++) {
        int in = 0;
        for (int t = 0; t < n - 1; t++) in |= idx[t] == i;
        if (in) continue;
        double p = 0;
        for (int j = 0; j < n; j++) p += A[i * n + j] * sg * gsl_matrix_get(v, (size_t)j, (size_t)n - 1);
        c += p > 0;
      }
      if (c < best) best = c;
    }
    gsl_matrix_free(a); gsl_matrix_free(v); gsl_vector_free(s);
    int t = n - 2;
    while (t >= 0 && idx[t] == m - (n - 1) + t) t--;
    if (t < 0) break;
    idx[t]++;
    for (int u = t + 1; u < n - 1; u++) idx[u] = idx[u - 1] + 1;
  }
  return best;
}

static void test_random_vs_depth(gsl_rng *rng)
{
  int agree = 0, total = 0, inj = 0;
  double W[400];
  for (int n = 2; n <= 4; n++)
    for (int rep = 0; rep < 12; rep++) {
      int m = (int)(5.5 * n) + (rep % 3) - 1; /* near the finite-n threshold alpha ~ 5-6 */
      random_matrix(rng, W, (size_t)m, (size_t)n);
      relucap_layer L = make_layer((size_t)m, (size_t)n, W, NULL);
      relucap_layer_report r;
      relucap_netcheck_layer(&L, 0, 60, &r);
      int D = depth_enum(W, m, n);
      int want = D >= n ? RELUCAP_INJECTIVE : RELUCAP_NOT_INJECTIVE;
      total++;
      agree += r.verdict == want;
      inj += want == RELUCAP_INJECTIVE;
      test_true(r.verdict == want, "random %d x %d: verdict %d, depth D = %d", m, n, r.verdict, D);
      if (r.verdict == RELUCAP_NOT_INJECTIVE) test_true(r.witness_diff <= 1e-13, "random %d x %d: witness", m, n);
      /* issue 6's exact depth solver (relucap_depth_layer) agrees with the enumeration here */
      test_true(r.active_exact && r.active_lower == (size_t)D, "random %d x %d: min active count [%zu, %zu] = D = %d",
                m, n, r.active_lower, r.active_upper, D);
      relucap_layer_report_free(&r);
      free_layer(&L);
    }
  test_true(inj > 3 && inj < total - 3, "random layers near the threshold: both verdicts occur (%d of %d injective)", inj, total);
}

/* The hitting-set search and the exhaustive enumeration must agree (two methods, one answer),
 * on random layers near the threshold, with biases, on the orthant, and on degenerate rows. */
static void test_search_vs_enum(gsl_rng *rng)
{
  int agree = 0, total = 0;
  double W[600], b[100];
  for (int rep = 0; rep < 60; rep++) {
    size_t n = 2 + (size_t)rep % 4, m = (size_t)((4.0 + (rep % 5) * 0.6) * (double)n);
    int with_bias = rep % 3 == 1, orthant = rep % 3 == 2, degenerate = rep % 4 == 3;
    random_matrix(rng, W, m, n);
    if (degenerate) /* duplicates, sign flips, integer rows */
      for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++) {
          if (i % 3 == 1) W[i * n + j] = -W[(i - 1) * n + j];
          if (i % 3 == 2) W[i * n + j] = round(W[i * n + j]);
        }
    for (size_t i = 0; i < m; i++) b[i] = 0.5 * gsl_ran_gaussian(rng, 1.0);
    relucap_layer L = make_layer(m, n, W, with_bias ? b : NULL);
    relucap_layer_report r1, r2;
    relucap_netcheck_layer(&L, orthant, 60, &r1);
    relucap_netcheck_layer_enum(&L, orthant, 60, &r2);
    if (!with_bias && !orthant) { /* issue 6's entry point (relucap/finite.h): since the refactor the same search, lean mode */
      int inj = -1;
      int st6 = relucap_injective_layer((int)m, (int)n, W, 60, &inj, NULL, NULL);
      test_true(st6 == RELUCAP_SUCCESS && inj == (r1.verdict == RELUCAP_INJECTIVE),
                "issue 6's relucap_injective_layer agrees, %zu x %zu%s: %d vs %d", m, n,
                degenerate ? ", degenerate" : "", inj, r1.verdict);
    }
    total++;
    agree += r1.verdict == r2.verdict;
    test_true(r1.verdict == r2.verdict && r1.verdict != RELUCAP_UNDECIDED,
              "search vs enumeration, %zu x %zu%s%s%s: %d vs %d", m, n, with_bias ? ", bias" : "",
              orthant ? ", orthant" : "", degenerate ? ", degenerate" : "", r1.verdict, r2.verdict);
    relucap_layer_report_free(&r1);
    relucap_layer_report_free(&r2);
    free_layer(&L);
  }
  if (getenv("RELUCAP_TEST_VERBOSE")) printf("search vs enumeration: %d of %d agree\n", agree, total);
}

static relucap_net net_of(size_t depth, relucap_layer *layers)
{
  relucap_net net = {depth, layers};
  return net;
}

static void test_networks(gsl_rng *rng)
{
  double W[400];
  relucap_net_report r;
  /* [B;-B] then the identity: the identity is not injective on R^m, but it is on the orthant */
  relucap_layer ls[3];
  random_matrix(rng, W, 2, 2);
  for (int i = 0; i < 4; i++) W[4 + i] = -W[i];
  ls[0] = make_layer(4, 2, W, NULL);
  double I4[16] = {0};
  for (int i = 0; i < 4; i++) I4[5 * i] = 1;
  ls[1] = make_layer(4, 4, I4, NULL);
  relucap_net net = net_of(2, ls);
  int s = relucap_netcheck(&net, 60, &r);
  test_true(s == 0 && r.verdict == RELUCAP_INJECTIVE && r.certified, "[B;-B] then identity: injective (%s)", r.reason);
  test_true(r.layers[1].verdict == RELUCAP_INJECTIVE && r.layers[1].orthant, "identity is injective on the orthant");
  relucap_net_report_free(&r);
  /* ... then keep two of the four units: a dead region, found by the Jacobian search */
  double P2[8] = {1, 0, 0, 0, 0, 1, 0, 0};
  free_layer(&ls[1]);
  ls[1] = make_layer(2, 4, P2, NULL);
  s = relucap_netcheck(&net, 60, &r);
  test_true(s == 0 && r.verdict == RELUCAP_NOT_INJECTIVE && r.certified && r.witness_diff <= 1e-14,
            "[B;-B] then a 2 x 4 projection: not injective (%s)", r.reason);
  relucap_net_report_free(&r);
  free_layer(&ls[1]);
  /* first layer not injective: its witness passes through */
  random_matrix(rng, W, 2, 3);
  free_layer(&ls[0]);
  ls[0] = make_layer(2, 3, W, NULL);
  random_matrix(rng, W, 6, 2);
  ls[1] = make_layer(6, 2, W, NULL);
  s = relucap_netcheck(&net, 60, &r);
  test_true(s == 0 && r.verdict == RELUCAP_NOT_INJECTIVE && r.certified && !r.layers[1].checked,
            "first layer 2 x 3: not injective, layer 2 not needed");
  relucap_net_report_free(&r);
  free_layer(&ls[0]);
  free_layer(&ls[1]);
  /* the fold |x| = relu(x) + relu(-x): injective first layer, full-rank Jacobian on every
   * region; found by the region-pair LP (x1 = -x2) */
  const double pm[2] = {1, -1}, sum[2] = {1, 1};
  ls[0] = make_layer(2, 1, pm, NULL);
  ls[1] = make_layer(1, 2, sum, NULL);
  s = relucap_netcheck(&net, 5, &r);
  test_true(s == 0 && r.verdict == RELUCAP_NOT_INJECTIVE && r.certified && fabs(r.x1[0] + r.x2[0]) <= 1e-12 * fabs(r.x1[0]),
            "fold |x|: not injective, x1 = -x2 (verdict %d: %s)", r.verdict, r.reason);
  relucap_net_report_free(&r);
  free_layer(&ls[0]);
  free_layer(&ls[1]);
}

/* relucap_netcheck and the region search alone must agree, and the region search must decide. */
static void expect_net(const char *name, relucap_net *net, int want)
{
  relucap_net_report a, b;
  int sa = relucap_netcheck(net, 60, &a), sb = relucap_netcheck_by_regions(net, 60, &b);
  test_true(sa == 0 && sb == 0, "%s: both routes run (%d, %d)", name, sa, sb);
  test_true(b.regions.run && b.regions.complete && b.certified, "%s: the region search decides (%s)", name, b.reason);
  test_true(b.regions.samples == 2000 && b.regions.samples_missing == 0,
            "%s: every sampled input lies in an enumerated region (%zu of %zu outside)", name,
            b.regions.samples_missing, b.regions.samples);
  if (want >= 0) {
    test_true(a.verdict == want, "%s: netcheck verdict %d, want %d (%s)", name, a.verdict, want, a.reason);
    test_true(b.verdict == want, "%s: region verdict %d, want %d (%s)", name, b.verdict, want, b.reason);
  } else {
    test_true(a.verdict == b.verdict || a.verdict == RELUCAP_UNDECIDED, "%s: routes agree (%d vs %d)", name, a.verdict, b.verdict);
  }
  if (b.verdict == RELUCAP_NOT_INJECTIVE)
    test_true(b.witness_diff <= 1e-8 && b.regions.collision_layer >= 1 && b.regions.collision_layer <= net->depth,
              "%s: witness verified (%.2g), collision layer %zu", name, b.witness_diff, b.regions.collision_layer);
  relucap_net_report_free(&a);
  relucap_net_report_free(&b);
}

static void test_region_decision(gsl_rng *rng)
{
  /* [I; -I] then a rank-2 layer that reproduces [x; -x]: not injective on the orthant, but on
   * the image of layer 1; only the region search can say "injective" */
  const double I2[8] = {1, 0, 0, 1, -1, 0, 0, -1};
  const double rep4[16] = {1, 0, -1, 0, 0, 1, 0, -1, -1, 0, 1, 0, 0, -1, 0, 1};
  relucap_layer ls[3] = {make_layer(4, 2, I2, NULL), make_layer(4, 4, rep4, NULL)};
  relucap_net net = net_of(2, ls);
  relucap_net_report r;
  int s = relucap_netcheck(&net, 60, &r);
  test_true(s == 0 && r.verdict == RELUCAP_INJECTIVE && r.certified && r.regions.run && r.regions.complete &&
            r.layers[1].verdict == RELUCAP_NOT_INJECTIVE,
            "[I;-I] then [x;-x] from the image: injective by regions, layer 2 alone not (%s)", r.reason);
  test_true(r.regions.regions == 4 && r.regions.pairs_touching == 4, "... 4 quadrant regions, 4 adjacent pairs (%zu, %zu)",
            r.regions.regions, r.regions.pairs_touching);
  relucap_net_report_free(&r);
  expect_net("[I;-I] then [x;-x]", &net, RELUCAP_INJECTIVE);
  { /* layer by layer picks a preimage of layer 2 outside the image of layer 1; over regions: exact */
    const double y[4] = {0.7, 0, 0, 0.7}, bad[4] = {0.7, 0.1, 0, 0.7};
    relucap_invert_result inv;
    int si = relucap_net_invert(&net, y, 1e-8, &inv);
    test_true(si == RELUCAP_EINFEAS || !inv.unique, "[I;-I], [x;-x]: layer by layer cannot settle y (%d)", si);
    relucap_invert_result_free(&inv);
    si = relucap_net_invert_exact(&net, y, 1e-8, 60, &inv);
    test_true(si == 0 && inv.by_regions && inv.unique && inv.complete && inv.solutions == 1 &&
              fabs(inv.x[0] - 0.7) <= 1e-15 && fabs(inv.x[1] + 0.7) <= 1e-15 && inv.regions == 4,
              "... over the 4 regions: x = (0.7, -0.7), unique");
    relucap_invert_result_free(&inv);
    si = relucap_net_invert_exact(&net, bad, 1e-8, 60, &inv);
    test_true(si == RELUCAP_EINFEAS && inv.complete && inv.residual > 0.01,
              "... an output no input produces: EINFEAS, residual %.3g", inv.residual);
    relucap_invert_result_free(&inv);
  }
  /* the same with tied rows: a duplicated unit, a zero unit, and a unit h1 - h1' that is zero
   * up to rounding on every region (Z = w - w) */
  double tied[7 * 4];
  memcpy(tied, rep4, sizeof rep4);
  memcpy(tied + 16, rep4, 4 * sizeof(double));
  for (int j = 0; j < 4; j++) tied[20 + j] = 0;
  const double I2dup[10] = {1, 0, 0, 1, -1, 0, 0, -1, 0.1, 0.3};
  free_layer(&ls[0]); free_layer(&ls[1]);
  ls[0] = make_layer(5, 2, I2dup, NULL);
  double tied5[7 * 5];
  for (int i = 0; i < 6; i++) {
    for (int j = 0; j < 4; j++) tied5[i * 5 + j] = tied[i * 4 + j];
    tied5[i * 5 + 4] = 0;
  }
  const double cancel[5] = {0.1, 0.3, 0, 0, -1}; /* 0.1 h1 + 0.3 h2 - h5 = 0 where x >= 0 */
  memcpy(tied5 + 30, cancel, sizeof cancel);
  ls[1] = make_layer(7, 5, tied5, NULL);
  expect_net("tied rows (duplicate, zero, cancelling)", &net, RELUCAP_INJECTIVE);
  free_layer(&ls[0]); free_layer(&ls[1]);
  /* biases: y = relu(x + 5), relu(-x - 5) from h = (relu x, relu -x): injective */
  const double pm[2] = {1, -1}, z2[2] = {0, 0}, W2[4] = {1, -1, -1, 1}, b2[2] = {5, -5};
  ls[0] = make_layer(2, 1, pm, z2);
  ls[1] = make_layer(2, 2, W2, b2);
  expect_net("biased 1-D: relu(x+5), relu(-x-5)", &net, RELUCAP_INJECTIVE);
  free_layer(&ls[0]); free_layer(&ls[1]);
  /* y = relu(x) + relu(-x - 1) vanishes on [-1, 0]: not injective (a flat region) */
  const double b1[2] = {0, -1}, sum[2] = {1, 1};
  ls[0] = make_layer(2, 1, pm, b1);
  ls[1] = make_layer(1, 2, sum, NULL);
  expect_net("biased 1-D: relu(x) + relu(-x-1)", &net, RELUCAP_NOT_INJECTIVE);
  free_layer(&ls[1]);
  /* the fold |x|: two full-rank regions with the same image */
  ls[1] = make_layer(1, 2, sum, NULL);
  free_layer(&ls[0]);
  ls[0] = make_layer(2, 1, pm, NULL);
  relucap_net_report b;
  s = relucap_netcheck_by_regions(&net, 60, &b);
  test_true(s == 0 && b.verdict == RELUCAP_NOT_INJECTIVE && b.regions.collision_layer == 2 &&
            fabs(b.x1[0] + b.x2[0]) <= 1e-12 * fabs(b.x1[0]),
            "fold |x| by regions: x1 = -x2, collision at layer 2 (%s)", b.reason);
  relucap_net_report_free(&b);
  free_layer(&ls[0]); free_layer(&ls[1]);
  /* random bias-free 2-layer nets in R^2 around the transition: both routes agree; when
   * injective the regions are sectors in a cycle, so exactly `regions` pairs touch */
  double W[400], V[400];
  int seen[2] = {0, 0};
  int trials = getenv("RELUCAP_SANITIZE") ? 4 : 40; /* CLP under ASan: ~6 ms per LP */
  for (int trial = 0; trial < trials; trial++) {
    size_t m1 = 4 + gsl_rng_uniform_int(rng, 9), m2 = 3 + gsl_rng_uniform_int(rng, 10);
    random_matrix(rng, W, m1, 2);
    random_matrix(rng, V, m2, m1);
    ls[0] = make_layer(m1, 2, W, NULL);
    ls[1] = make_layer(m2, m1, V, NULL);
    char name[64];
    snprintf(name, sizeof name, "random 2 -> %zu -> %zu (#%d)", m1, m2, trial);
    expect_net(name, &net, -1);
    s = relucap_netcheck_by_regions(&net, 60, &b);
    if (s == 0 && b.verdict >= 0) seen[b.verdict]++;
    if (s == 0 && b.verdict == RELUCAP_INJECTIVE)
      test_true(b.regions.pairs_touching + b.regions.pairs_same_cell >= b.regions.regions &&
                b.regions.pairs_separated + b.regions.pairs_disjoint + b.regions.pairs_touching +
                b.regions.pairs_same_cell == b.regions.pairs,
                "%s: %zu sectors, %zu touching + %zu same-cell pairs, the rest apart", name,
                b.regions.regions, b.regions.pairs_touching, b.regions.pairs_same_cell);
    /* the projection filter never hides a collision: every pair by LP gives the same verdict */
    if (trial < 12) {
      relucap_net_report d;
      int s3 = relucap_netcheck_by_regions_flags(&net, 60, RELUCAP_REGIONS_NO_FILTER, &d);
      test_true(s3 == 0 && d.verdict == b.verdict && d.regions.regions == b.regions.regions &&
                (d.verdict != RELUCAP_INJECTIVE || (d.regions.pairs_separated == 0 && d.regions.pairs_same_cell == 0 &&
                 d.regions.pairs_disjoint + d.regions.pairs_touching == d.regions.pairs &&
                 d.regions.pairs_touching == d.regions.regions)),
                "%s: without the filter: same verdict, every pair by LP, the %zu sectors touch in a cycle (%zu)",
                name, d.regions.regions, d.regions.pairs_touching);
      relucap_net_report_free(&d);
    }
    /* exact inversion: injective -> the input back, unique; not injective -> the witness's
     * output has at least two preimages */
    if (s == 0 && b.verdict != RELUCAP_UNDECIDED) {
      double x[2], y[16], work[64];
      if (b.verdict == RELUCAP_INJECTIVE) { x[0] = gsl_ran_gaussian(rng, 1.0); x[1] = gsl_ran_gaussian(rng, 1.0); }
      else memcpy(x, b.x1, sizeof x);
      relucap_net_forward(&net, x, y, work);
      relucap_invert_result inv;
      int si = relucap_net_invert_exact(&net, y, 1e-8, 60, &inv);
      if (b.verdict == RELUCAP_INJECTIVE) {
        double err = hypot(inv.x[0] - x[0], inv.x[1] - x[1]) / hypot(x[0], x[1]);
        test_true(si == 0 && inv.unique && err <= 1e-10 && inv.residual <= 1e-12,
                  "%s: inverted, unique, error %.2g (by regions %d)", name, err, inv.by_regions);
      } else {
        test_true(si == 0 && !inv.unique && inv.residual <= 1e-8 && (!inv.by_regions || inv.solutions >= 2),
                  "%s: the witness's output has several preimages (%zu)", name, inv.solutions);
      }
      relucap_invert_result_free(&inv);
    }
    /* scaling the weights changes nothing */
    for (size_t i = 0; i < m2 * m1; i++) ls[1].W[i] *= 1e3;
    relucap_net_report c;
    int s2 = relucap_netcheck_by_regions(&net, 60, &c);
    test_true(s2 == 0 && c.verdict == b.verdict, "%s: same verdict with W2 scaled by 1e3 (%d: %s / %d: %s)", name,
              b.verdict, b.reason, c.verdict, c.reason);
    relucap_net_report_free(&b);
    relucap_net_report_free(&c);
    free_layer(&ls[0]); free_layer(&ls[1]);
  }
  test_true(trials < 40 || (seen[0] >= 5 && seen[1] >= 5), "random nets: both verdicts occur (%d not injective, %d injective)", seen[0], seen[1]);
  if (!getenv("RELUCAP_SANITIZE")) { /* the parallel search gives the same report for any thread count */
    gsl_rng *r16 = gsl_rng_alloc(gsl_rng_mt19937); /* bench_regions' injective 3 -> 10 -> 14 */
    gsl_rng_set(r16, 16);
    random_matrix(r16, W, 10, 3);
    random_matrix(r16, V, 14, 10);
    gsl_rng_free(r16);
    ls[0] = make_layer(10, 3, W, NULL);
    ls[1] = make_layer(14, 10, V, NULL);
    relucap_net_report one, two;
#ifdef _OPENMP
    int saved = omp_get_max_threads();
    omp_set_num_threads(1);
#endif
    int s1 = relucap_netcheck_by_regions(&net, 60, &one);
#ifdef _OPENMP
    omp_set_num_threads(2);
#endif
    int s2 = relucap_netcheck_by_regions(&net, 60, &two);
#ifdef _OPENMP
    omp_set_num_threads(saved);
#endif
    const relucap_region_report *a = &one.regions, *c = &two.regions;
    test_true(s1 == 0 && s2 == 0 && one.verdict == two.verdict && a->regions == c->regions &&
              a->region_lps == c->region_lps && a->pairs_examined == c->pairs_examined &&
              a->pairs_disjoint == c->pairs_disjoint && a->pairs_touching == c->pairs_touching &&
              a->pairs_same_cell == c->pairs_same_cell &&
              a->pair_lps == c->pair_lps && a->min_inradius == c->min_inradius &&
              (one.verdict != RELUCAP_NOT_INJECTIVE || (one.x1[0] == two.x1[0] && one.x2[1] == two.x2[1])),
              "3 -> 10 -> 14: 1 and 2 threads give the same report (verdict %d, %zu regions, %zu pair LPs)",
              one.verdict, a->regions, a->pair_lps);
    test_true(one.verdict == RELUCAP_INJECTIVE && a->pair_lps > 1000, "... injective, with many pair LPs");
    relucap_net_report_free(&one);
    relucap_net_report_free(&two);
    free_layer(&ls[0]); free_layer(&ls[1]);
  }
  { /* a typical Gaussian 2-layer net, m1 = m2 = 7n: layer 2 has fewer active rows than inputs,
     * so layer by layer fails; over the regions of layer 1 the input comes back exactly */
    size_t n = getenv("RELUCAP_SANITIZE") ? 2 : 3, m = 7 * n;
    double *A1 = malloc(m * n * sizeof *A1), *A2 = malloc(m * m * sizeof *A2), x[3], y[21], work[64];
    random_matrix(rng, A1, m, n);
    random_matrix(rng, A2, m, m);
    for (size_t j = 0; j < n; j++) x[j] = gsl_ran_gaussian(rng, 1.0);
    ls[0] = make_layer(m, n, A1, NULL);
    ls[1] = make_layer(m, m, A2, NULL);
    relucap_net_forward(&net, x, y, work);
    relucap_invert_result a, e;
    int sa = relucap_net_invert(&net, y, 1e-8, &a), se = relucap_net_invert_exact(&net, y, 1e-8, 60, &e);
    double err = 0, xn = 0;
    for (size_t j = 0; j < n; j++) { err = fmax(err, fabs(e.x[j] - x[j])); xn = fmax(xn, fabs(x[j])); }
    test_true(sa == RELUCAP_EINFEAS || !a.unique, "%zu -> %zu -> %zu: layer by layer cannot settle y (%d)", n, m, m, sa);
    test_true(se == 0 && e.by_regions && e.unique && e.complete && e.solutions == 1 && err <= 1e-12 * xn,
              "%zu -> %zu -> %zu: exact inversion over %zu regions, error %.2g", n, m, m, e.regions, err / xn);
    relucap_invert_result_free(&a);
    relucap_invert_result_free(&e);
    free(A1); free(A2);
    free_layer(&ls[0]); free_layer(&ls[1]);
  }
  /* depth 3, and a time limit: undecided, never a guess */
  random_matrix(rng, W, 10, 2);
  random_matrix(rng, V, 10, 10);
  double U[100];
  random_matrix(rng, U, 10, 10);
  ls[0] = make_layer(10, 2, W, NULL);
  ls[1] = make_layer(10, 10, V, NULL);
  ls[2] = make_layer(10, 10, U, NULL);
  net.depth = 3;
  expect_net("random 2 -> 10 -> 10 -> 10", &net, -1);
  for (int k = 0; k < 3; k++) free_layer(&ls[k]);
  random_matrix(rng, W, 30, 3);
  random_matrix(rng, V, 12, 30);
  ls[0] = make_layer(30, 3, W, NULL);
  ls[1] = make_layer(12, 30, V, NULL);
  net.depth = 2;
  s = relucap_netcheck_by_regions(&net, 0.02, &b);
  test_true(s == 0 && (b.verdict == RELUCAP_UNDECIDED ? !b.certified && b.regions.stopped && !b.regions.complete
                                                        : b.certified),
            "3 -> 30 -> 12 in 0.02 s: undecided with the reason, or certified (%s)", b.reason);
  relucap_net_report_free(&b);
  free_layer(&ls[0]); free_layer(&ls[1]);
}

/* Injective by construction: W = [B; -B; G] (adding rows never breaks injectivity),
 * biases b, -b + |c| so that b_i + b'_i >= 0. */
static relucap_layer injective_layer(gsl_rng *rng, size_t n, size_t extra)
{
  size_t m = 2 * n + extra;
  relucap_layer L = {m, n, malloc(m * n * sizeof(double)), malloc(m * sizeof(double))};
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      L.W[i * n + j] = gsl_ran_gaussian(rng, 1.0);
      L.W[(n + i) * n + j] = -L.W[i * n + j];
    }
  for (size_t i = 2 * n; i < m; i++)
    for (size_t j = 0; j < n; j++) L.W[i * n + j] = gsl_ran_gaussian(rng, 1.0);
  for (size_t i = 0; i < n; i++) {
    L.b[i] = 0.3 * gsl_ran_gaussian(rng, 1.0);
    L.b[n + i] = -L.b[i] + 0.1 * fabs(gsl_ran_gaussian(rng, 1.0));
  }
  for (size_t i = 2 * n; i < m; i++) L.b[i] = 0.3 * gsl_ran_gaussian(rng, 1.0);
  return L;
}

static void test_invert(gsl_rng *rng)
{
  double worst = 0;
  for (int depth = 1; depth <= 4; depth++)
    for (int rep = 0; rep < 5; rep++) {
      relucap_layer ls[4];
      size_t n0 = 2 + (size_t)rep % 3, n = n0;
      for (int k = 0; k < depth; k++) {
        ls[k] = injective_layer(rng, n, (size_t)rep % 2 ? 1 : 0);
        n = ls[k].m;
      }
      relucap_net net = net_of((size_t)depth, ls);
      double x[8], y[256];
      for (size_t j = 0; j < n0; j++) x[j] = 2.385 * gsl_ran_gaussian(rng, 1.0);
      relucap_net_forward(&net, x, y, NULL);
      relucap_invert_result res;
      int s = relucap_net_invert(&net, y, 0, &res);
      double e = 0, xn = 0;
      for (size_t j = 0; j < n0; j++) { e += (res.x[j] - x[j]) * (res.x[j] - x[j]); xn += x[j] * x[j]; }
      e = sqrt(e / xn);
      worst = fmax(worst, e);
      test_true(s == 0 && res.unique && e <= 1e-10 && res.residual <= 1e-10,
                "invert depth %d, n %zu: status %d, rel error %.3g, residual %.3g, unique %d", depth, n0, s,
                e, res.residual, res.unique);
      relucap_invert_result_free(&res);
      if (depth <= 2 && rep < 2) { /* and the check agrees: injective */
        relucap_net_report r;
        relucap_netcheck(&net, 60, &r);
        test_true(r.verdict == RELUCAP_INJECTIVE, "constructed network depth %d is certified injective", depth);
        relucap_net_report_free(&r);
      }
      for (int k = 0; k < depth; k++) free_layer(&ls[k]);
    }
  if (getenv("RELUCAP_TEST_VERBOSE")) printf("worst inversion error %.3g\n", worst);

  /* non-unique: rows in one halfspace, y = 0 -> the whole dead cone, dimension n */
  const double hs[6] = {1, 0.5, 1, -0.5, 2, 0};
  relucap_layer L = make_layer(3, 2, hs, NULL);
  relucap_net net = net_of(1, &L);
  double y0[3] = {0, 0, 0};
  relucap_invert_result res;
  int s = relucap_net_invert(&net, y0, 0, &res);
  test_true(s == 0 && !res.unique && res.dim == 2 && res.residual == 0, "y = 0 of a halfspace layer: dim %zu", res.dim);
  relucap_invert_result_free(&res);
  /* one active row in R^2, others inactive: a 1-dimensional set of preimages */
  double y1[3] = {0.75, 0, 0};
  const double one_row[6] = {1, 0, -1, 0.1, -1, -0.1};
  free_layer(&L);
  L = make_layer(3, 2, one_row, NULL);
  s = relucap_net_invert(&net, y1, 0, &res);
  test_true(s == 0 && !res.unique && res.dim == 1 && res.residual <= 1e-15, "one active row: dim %zu, residual %.3g", res.dim, res.residual);
  relucap_invert_result_free(&res);
  /* an output no input produces: relu(x), relu(x) with y = (1, 2) */
  const double two[2] = {1, 1};
  free_layer(&L);
  L = make_layer(2, 1, two, NULL);
  double y2[2] = {1, 2};
  s = relucap_net_invert(&net, y2, 0, &res);
  test_true(s == RELUCAP_EINFEAS && res.residual > 0.1 && res.x != NULL, "impossible output: residual %.3g", res.residual);
  relucap_invert_result_free(&res);
  free_layer(&L);
}

/* Weights of 1e300 or 1e-300 (products overflow or underflow in plain arithmetic): the
 * verdict is that of the unit-scale network, witnesses verify, inversion round-trips
 * (the network is rescaled exactly by powers of two inside, docs/check.md section 4a). */
static void test_extreme_scales(gsl_rng *rng)
{
  static const double scales[3][2] = {{1e300, 1e-300}, {1e-300, 1e-300}, {1e250, 1e50}};
  double W[64], V[256], b1[16], b2[16];
  int trials = getenv("RELUCAP_SANITIZE") ? 3 : 12, same = 0, total = 0, seen[2] = {0, 0};
  for (int trial = 0; trial < trials; trial++) {
    size_t m1 = 6 + gsl_rng_uniform_int(rng, 8), m2 = 6 + gsl_rng_uniform_int(rng, 8);
    int biased = trial % 3 == 2;
    random_matrix(rng, W, m1, 2);
    random_matrix(rng, V, m2, m1);
    random_matrix(rng, b1, m1, 1);
    random_matrix(rng, b2, m2, 1);
    relucap_layer ls[2] = {make_layer(m1, 2, W, biased ? b1 : NULL), make_layer(m2, m1, V, biased ? b2 : NULL)};
    relucap_net net = net_of(2, ls);
    relucap_net_report a;
    int sa = relucap_netcheck(&net, 60, &a);
    for (int c = 0; c < 3; c++) {
      double c1 = scales[c][0], c2 = scales[c][1];
      /* f -> c1 c2 f: layer 1 times c1, layer 2 times c2, b2 times c1 c2 (may underflow to 0
       * in the product: then keep the net's biases of the same sign by scaling b2 only by c1) */
      for (size_t i = 0; i < m1 * 2; i++) ls[0].W[i] = c1 * W[i];
      for (size_t i = 0; i < m2 * m1; i++) ls[1].W[i] = c2 * V[i];
      for (size_t i = 0; biased && i < m1; i++) ls[0].b[i] = c1 * b1[i];
      for (size_t i = 0; biased && i < m2; i++) ls[1].b[i] = c2 * (c1 * b2[i]);
      if (biased && c1 * c2 * 1e300 == 0) continue; /* b2 underflows: a different network */
      relucap_net_report r;
      int sr = relucap_netcheck(&net, 60, &r);
      total++;
      same += sa == 0 && sr == 0 && r.verdict == a.verdict;
      if (sr == 0 && r.verdict >= 0) seen[r.verdict]++;
      test_true(sa == 0 && sr == 0 && r.verdict == a.verdict,
                "2 -> %zu -> %zu%s scaled (%g, %g): verdict %d, unit scale %d (%s)", m1, m2,
                biased ? " biased" : "", c1, c2, r.verdict, a.verdict, r.reason);
      if (sr == 0 && r.verdict == RELUCAP_NOT_INJECTIVE)
        test_true(r.x1 && r.x2 && r.witness_diff <= 1e-8 && isfinite(r.witness_diff),
                  "scaled (%g, %g): witness re-verified (%.2g)", c1, c2, r.witness_diff);
      if (sr == 0 && r.verdict == RELUCAP_INJECTIVE && c1 * c2 >= 1e-10) {
        double x[2] = {gsl_ran_gaussian(rng, 1.0), gsl_ran_gaussian(rng, 1.0)}, y[16], work[64];
        relucap_net_forward(&net, x, y, work);
        relucap_invert_result inv;
        int si = relucap_net_invert_exact(&net, y, 1e-8, 60, &inv);
        double err = si == 0 ? hypot(inv.x[0] - x[0], inv.x[1] - x[1]) / hypot(x[0], x[1]) : HUGE_VAL;
        test_true(si == 0 && inv.unique && err <= 1e-10, "scaled (%g, %g): inverted, error %.2g", c1, c2, err);
        relucap_invert_result_free(&inv);
      }
      relucap_net_report_free(&r);
    }
    relucap_net_report_free(&a);
    free_layer(&ls[0]); free_layer(&ls[1]);
  }
  test_true(same == total && total > 0 && (trials < 12 || (seen[0] > 0 && seen[1] > 0)),
            "extreme scales: %d of %d verdicts as at unit scale (%d not injective, %d injective)", same, total,
            seen[0], seen[1]);
  /* one biased layer whose weights are 1e-300 of its biases: the input units change, not the verdict */
  for (int trial = 0; trial < 6; trial++) {
    random_matrix(rng, W, 7, 2);
    random_matrix(rng, b1, 7, 1);
    relucap_layer L = make_layer(7, 2, W, b1), T = make_layer(7, 2, W, b1);
    for (size_t i = 0; i < 14; i++) T.W[i] *= 1e-300;
    relucap_layer_report p, q;
    int sp = relucap_netcheck_layer(&L, 0, 60, &p), sq = relucap_netcheck_layer(&T, 0, 60, &q);
    test_true(sp == 0 && sq == 0 && p.verdict == q.verdict && p.verdict != RELUCAP_UNDECIDED,
              "biased layer with weights 1e-300: verdict %d, at unit scale %d", q.verdict, p.verdict);
    if (sq == 0 && q.verdict == RELUCAP_NOT_INJECTIVE)
      test_true(q.x1 && fabs(q.x1[0]) + fabs(q.x1[1]) > 1e250, "... its witness lives at |x| ~ 1e300 (%g)", q.x1 ? q.x1[0] : 0);
    relucap_layer_report_free(&p); relucap_layer_report_free(&q);
    free_layer(&L); free_layer(&T);
  }
}

/* m < n is never injective; the rank comes from the SVD of W^T (n x m), not of a padded n x n
 * matrix (a 1 x 10000 layer took minutes and 1.5 GB before): a 2 x 3000 layer in well under 2 s. */
static void test_wide_layer(gsl_rng *rng)
{
  size_t m = 2, n = 3000;
  double *W = malloc(m * n * sizeof *W);
  random_matrix(rng, W, m, n);
  relucap_layer L = make_layer(m, n, W, NULL);
  relucap_layer_report r;
  double t0 = relucap_clock();
  int st = relucap_netcheck_layer(&L, 0, 60, &r);
  double t = relucap_clock() - t0;
  test_true(st == 0 && r.verdict == RELUCAP_NOT_INJECTIVE && r.rank == 2 && r.witness_diff <= 1e-12 && t < 2.0,
            "2 x 3000 layer: not injective, rank %zu, witness %.2g, %.3g s", r.rank, r.witness_diff, t);
  relucap_layer_report_free(&r);
  free_layer(&L);
  free(W);
}

/* Near-degenerate rows (docs/check.md 4b).  sq(e): rows (1,0), (0,1), (-1,0), (e,-1); for e > 0
 * the thin cone {x1 < 0, e x1 < x2 < 0} has one active row: not injective (x = (-1, -e/2) and
 * (-1, -e/4) collide); e = 0 is [e1; e2; -e1; -e2]-like with an antipodal pair: injective.
 * bb(e) = [B; -B], B = [[1,0],[1,e]]: injective for e > 0 (B invertible), rank 1 at e = 0.
 * Inside the default tolerances (1e-9) the data are decided at 1e-12; at 2e-12 not at all; at
 * or below 1e-13 the near-tie counts as exact (the documented convention).  Through a network
 * ([I;-I] first, the same rows on x = h1 - h3, h2 - h4 next) near-degenerate layers give
 * "undecided", never a wrong certified verdict. */
static void test_near_degenerate(void)
{
  const double eps[] = {1e-6, 1e-9, 1e-10, 1e-11, 2e-12, 1e-13, 0};
  /* expected verdicts for sq, bb; -1 undecided */
  const int want_sq[] = {0, 0, 0, 0, -1, 1, 1}, want_bb[] = {1, 1, 1, 1, -1, 0, 0};
  const int net_sq[] = {0, -1, -1, -1, -1, 1, 1}, net_bb[] = {1, -1, -1, -1, -1, 0, 0};
  double pm2[] = {1, 0, 0, 1, -1, 0, 0, -1};
  for (size_t q = 0; q < sizeof eps / sizeof eps[0]; q++) {
    double e = eps[q];
    double sq[] = {1, 0, 0, 1, -1, 0, e, -1}, bb[] = {1, 0, 1, e, -1, 0, -1, -e};
    double sq4[] = {1, 0, -1, 0, 0, 1, 0, -1, -1, 0, 1, 0, e, -1, -e, 1};
    double bb4[] = {1, 0, -1, 0, 1, e, -1, -e, -1, 0, 1, 0, -1, -e, 1, e};
    for (int which = 0; which < 2; which++) {
      const char *name = which ? "bb" : "sq";
      relucap_layer L = make_layer(4, 2, which ? bb : sq, NULL);
      relucap_layer_report r;
      int st = relucap_netcheck_layer(&L, 0, 60, &r), want = which ? want_bb[q] : want_sq[q];
      test_true(st == 0 && r.verdict == want, "near-degenerate %s(%g): verdict %d, want %d (near %g, tolerance %g)",
                name, e, r.verdict, want, r.near_degenerate, r.tolerance);
      int inside = e > 1e-13 && e <= 1e-9;
      test_true(inside ? r.near_degenerate > 0 && r.tolerance == RELUCAP_CHECK_TOL_TIGHT
                       : r.near_degenerate == 0 && r.tolerance == RELUCAP_CHECK_TOL_PLANE,
                "near-degenerate %s(%g): flagged %g at tolerance %g", name, e, r.near_degenerate, r.tolerance);
      if (r.verdict == RELUCAP_NOT_INJECTIVE) { /* recomputed here: x1 != x2, equal outputs */
        double dy = 0, dx = 0;
        for (size_t i = 0; i < 4; i++) {
          double z1 = L.W[2 * i] * r.x1[0] + L.W[2 * i + 1] * r.x1[1], z2 = L.W[2 * i] * r.x2[0] + L.W[2 * i + 1] * r.x2[1];
          dy = fmax(dy, fabs(fmax(z1, 0) - fmax(z2, 0)));
        }
        for (size_t j = 0; j < 2; j++) dx = fmax(dx, fabs(r.x1[j] - r.x2[j]));
        test_true(dx > 0 && dy <= 1e-13 * dx, "near-degenerate %s(%g): witness |dx| %g, |dy| %g", name, e, dx, dy);
      }
      relucap_layer_report_free(&r);
      free_layer(&L);
      relucap_layer ls[2] = {make_layer(4, 2, pm2, NULL), make_layer(4, 4, which ? bb4 : sq4, NULL)};
      relucap_net net = net_of(2, ls);
      relucap_net_report nr;
      st = relucap_netcheck(&net, 60, &nr);
      want = which ? net_bb[q] : net_sq[q];
      test_true(st == 0 && nr.verdict == want && nr.certified == (want >= 0),
                "near-degenerate net [I;-I] -> %s(%g): verdict %d (certified %d), want %d (%s)", name, e, nr.verdict,
                nr.certified, want, nr.reason);
      relucap_net_report_free(&nr);
      free_layer(&ls[0]);
      free_layer(&ls[1]);
    }
    /* thin only after composition: layer 2 = rows (1,0,-1,0), (0,1,0,-1), (-1,0,1,0), (e,-1,-e,2)
     * is far from degenerate on the orthant, but on the cell x2 < 0 of [I;-I] its rows 2 and 4
     * are x2 and e x1 - 2 x2: the e-thin cone x1 < 0, e x1 / 2 < x2 < 0 has one active row.  Not
     * injective for e > 0; e = 0 injective. */
    double c4[] = {1, 0, -1, 0, 0, 1, 0, -1, -1, 0, 1, 0, e, -1, -e, 2};
    relucap_layer lc[2] = {make_layer(4, 2, pm2, NULL), make_layer(4, 4, c4, NULL)};
    relucap_net cnet = net_of(2, lc);
    relucap_net_report cr;
    int cst = relucap_netcheck(&cnet, 60, &cr);
    int cwant = e >= 1e-8 ? RELUCAP_NOT_INJECTIVE : e == 0 ? RELUCAP_INJECTIVE : RELUCAP_UNDECIDED;
    if (e > 0 && e < 1e-12) cwant = cr.verdict; /* below the convention: either is allowed */
    test_true(cst == 0 && cr.verdict == cwant && cr.certified == (cwant >= 0),
              "composed thin cell, e = %g: verdict %d (certified %d), want %d (%s)", e, cr.verdict, cr.certified, cwant,
              cr.reason);
    relucap_net_report_free(&cr);
    free_layer(&lc[0]);
    free_layer(&lc[1]);
  }
}

/* |f(x1) - f(x2)| / (|x1 - x2| prod |W_k|_F) in long double, independently of the library. */
static double witness_diff_long(const relucap_net *net, const double *x1, const double *x2)
{
  long double a[64], b[64], t[64], d2 = 0, dx = 0, lip = 1;
  size_t n = net->layers[0].n, w = n;
  for (size_t j = 0; j < n; j++) { a[j] = x1[j]; b[j] = x2[j]; dx += (a[j] - b[j]) * (a[j] - b[j]); }
  for (size_t k = 0; k < net->depth; k++) {
    const relucap_layer *L = &net->layers[k];
    long double fro = 0;
    for (size_t e = 0; e < L->m * L->n; e++) fro += (long double)L->W[e] * L->W[e];
    lip *= sqrtl(fro);
    for (int p = 0; p < 2; p++) {
      long double *h = p ? b : a;
      for (size_t i = 0; i < L->m; i++) {
        long double z = L->b ? L->b[i] : 0;
        for (size_t j = 0; j < L->n; j++) z += (long double)L->W[i * L->n + j] * h[j];
        t[i] = z > 0 ? z : 0;
      }
      memcpy(h, t, L->m * sizeof *t);
    }
    w = L->m;
  }
  for (size_t i = 0; i < w; i++) d2 += (a[i] - b[i]) * (a[i] - b[i]);
  return (double)(sqrtl(d2) / (sqrtl(dx) * lip));
}

/* A "witness" 600 times closer together than its norm, through rows 2e-11 from parallel, whose
 * outputs differ by 1.2e-12 relative (in long double) was accepted by the rounding bound of two
 * double forward passes (2.4e-12); found by an adversarial review. */
static void test_close_witness(void)
{
  double W1[] = {-4, 2.0000000001, -2, 1, 4, -2.0000000001, 2, -1, -3, 0};
  double W2[] = {2, 3, 0, 0, 2, 0, 1, 3, 2, 3, 1, 0, 2, 0, 2, 2, 3, 1, 3, 0, 2, 3, 0, 0, 2};
  relucap_layer ls[2] = {make_layer(5, 2, W1, NULL), make_layer(5, 5, W2, NULL)};
  relucap_net net = net_of(2, ls);
  relucap_net_report r;
  int st = relucap_netcheck(&net, 60, &r);
  double dl = r.verdict == RELUCAP_NOT_INJECTIVE ? witness_diff_long(&net, r.x1, r.x2) : 0;
  test_true(st == 0 && (r.verdict != RELUCAP_NOT_INJECTIVE || dl <= 1e-13),
            "close witness: verdict %d, its difference in long double %.3g (%s)", r.verdict, dl, r.reason);
  relucap_net_report_free(&r);
  free_layer(&ls[0]);
  free_layer(&ls[1]);
}

/* From the review: biases of a very different size than the rows (or rows of different sizes)
 * hid a Farkas violation of 5e-9 in one norm over rows and biases, and a slab 1e-8 wide was
 * certified "closed" (injective); both layers collide (x = (-0.999999995, 0), (-0.999999993, 1e-9)
 * resp. (-0.99999995, 0), (-0.99999993, 1e-8)).  And a 2-layer net whose region merge copied from
 * NULL (UBSan). */
static void test_mixed_sizes(void)
{
  double W1[] = {-1, 0, -1e6, 2e6, 1, 0, 1e6, -2e6}, b1[] = {-1, 0, 0.99999999, 0};
  double W2[] = {-1, 0, -1, 2, 1, 0, 1, -2}, b2[] = {-1, 1e6, 0.9999999, -1e6};
  for (int c = 0; c < 2; c++) {
    relucap_layer L = make_layer(4, 2, c ? W2 : W1, c ? b2 : b1);
    relucap_net net = net_of(1, &L);
    relucap_net_report r;
    int st = relucap_netcheck(&net, 60, &r);
    double dl = r.verdict == RELUCAP_NOT_INJECTIVE ? witness_diff_long(&net, r.x1, r.x2) : 0;
    test_true(st == 0 && r.verdict != RELUCAP_INJECTIVE && dl <= 1e-13,
              "mixed sizes %d: not 'injective' (verdict %d, witness %.2g: %s)", c, r.verdict, dl, r.reason);
    relucap_net_report_free(&r);
    free_layer(&L);
  }
  /* a slab 0 < x1 < 1e-3 at the origin, dropped as thinner than 1e-9 (1 + max |b|/|w|) = 1e-3
   * because of one bias of 1e6; the next layer is constant across it */
  double S1[] = {1, 0, 1, 0, 1, 0, -1, 0, 0, 1, 0, -1}, s1[] = {0, -0.001, 1e6, -1e6, 0, 0};
  double S2[] = {-1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1};
  relucap_layer sl[2] = {make_layer(6, 2, S1, s1), make_layer(4, 6, S2, NULL)};
  relucap_net snet = net_of(2, sl);
  relucap_net_report sr;
  int sst = relucap_netcheck(&snet, 60, &sr);
  double sd = sr.verdict == RELUCAP_NOT_INJECTIVE ? witness_diff_long(&snet, sr.x1, sr.x2) : 1;
  test_true(sst == 0 && sr.verdict == RELUCAP_NOT_INJECTIVE && sd <= 1e-13, "slab below a far bias: verdict %d, witness %.2g (%s)",
            sr.verdict, sd, sr.reason);
  relucap_net_report_free(&sr);
  free_layer(&sl[0]);
  free_layer(&sl[1]);
  double V1[] = {-1, 1, 3, -2, -1, -2, -4, -2, -4.0000001, 1, -1, -3, 2, 1, 2, 4, 2, 4.0000001};
  double V2[] = {2, 0, 3, 3, 2, 0, 2, 2, 3, 2, 2, 0, 0, 0, 3, 3, 2, 1, 0, 2, 0, 2, 1, 1, 2, 1, 3, 3, 3, 0};
  relucap_layer ls[2] = {make_layer(6, 3, V1, NULL), make_layer(5, 6, V2, NULL)};
  relucap_net net = net_of(2, ls);
  relucap_net_report r;
  int st = relucap_netcheck(&net, 60, &r);
  test_true(st == 0, "net with an empty region cell: status %d (%s)", st, r.reason);
  relucap_net_report_free(&r);
  free_layer(&ls[0]);
  free_layer(&ls[1]);
}

/* No false alarms: sound random layers (R^n, orthant, bias) are not near-degenerate, and their
 * CLP certificates are polished to roundoff (the 1e-12 band starts far above it). */
static void test_not_near_degenerate(gsl_rng *rng)
{
  double W[2400], b[200];
  int flagged = 0;
  double worst = 0;
  for (int rep = 0; rep < 24; rep++) {
    size_t n = 2 + (size_t)rep % 5, m = (size_t)((3.0 + (rep % 4)) * (double)n);
    int with_bias = rep % 3 == 1, orthant = rep % 3 == 2;
    random_matrix(rng, W, m, n);
    for (size_t i = 0; i < m; i++) b[i] = 0.5 * gsl_ran_gaussian(rng, 1.0);
    relucap_layer L = make_layer(m, n, W, with_bias ? b : NULL);
    relucap_layer_report r;
    relucap_netcheck_layer(&L, orthant, 60, &r);
    flagged += r.near_degenerate > 0;
    worst = fmax(worst, r.max_cert_residual);
    relucap_layer_report_free(&r);
    free_layer(&L);
  }
  test_true(flagged == 0 && worst <= 1e-14, "random layers: %d of 24 flagged near-degenerate, worst certificate residual %.2g",
            flagged, worst);
}

int main(void)
{
  if (!relucap_lp_available()) {
    printf("SKIP: no LP solver in this build\n");
    return test_summary("test_netcheck");
  }
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 2385);
  test_hand_made(rng);
  test_random_vs_depth(rng);
  test_search_vs_enum(rng);
  test_networks(rng);
  test_region_decision(rng);
  test_invert(rng);
  test_extreme_scales(rng);
  test_wide_layer(rng);
  test_near_degenerate();
  test_close_witness();
  test_mixed_sizes();
  test_not_near_degenerate(rng);
  gsl_rng_free(rng);
  return test_summary("test_netcheck");
}

/* Tests of the flat FFI entry points (include/relucap/ffi.h): they must give exactly what the
 * library's own calls give (relucap_depth_net, relucap_netcheck), reject bad arguments, and run
 * clean under ASan/UBSan (the Python tests that use them are not run under the sanitizers). */
#include "relucap.h"
#include "testlib.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* sample + depth through the FFI equal sample + relucap_depth_net directly. */
static void test_depth_matches_library(int depth, const int *dims, unsigned long seed)
{
  size_t total = 0;
  for (int k = 0; k < depth; k++) total += (size_t)dims[k] * (size_t)dims[k + 1];
  double *w = malloc(total * sizeof *w), x[64];
  test_true(relucap_ffi_sample(depth, dims, "gauss", seed, 0, w) == RELUCAP_SUCCESS, "ffi_sample");
  relucap_finite_net *net = relucap_finite_net_alloc(depth, dims);
  relucap_law law = {RELUCAP_LAW_GAUSS, 1.0};
  relucap_finite_net_sample(net, &law, seed, 0);
  size_t off = 0;
  int same = 1;
  for (int k = 0; k < depth; k++) {
    size_t len = (size_t)dims[k] * (size_t)dims[k + 1];
    same = same && memcmp(net->w[k], w + off, len * sizeof *w) == 0;
    off += len;
  }
  test_true(same, "ffi_sample weights = relucap_finite_net_sample (depth %d, seed %lu)", depth, seed);
  relucap_depth_opts o = relucap_depth_opts_default();
  relucap_depth_result r;
  memset(&r, 0, sizeof r);
  int st = relucap_depth_net(net, &o, &r);
  relucap_ffi_depth_out out;
  int st2 = relucap_ffi_depth(depth, dims, w, RELUCAP_DEPTH_BB, 0, 0.0, x, &out);
  test_true(st == RELUCAP_SUCCESS && st2 == RELUCAP_SUCCESS, "depth statuses %d %d", st, st2);
  test_true(out.lower == r.lower && out.upper == r.upper && out.depth_count == (r.exact ? r.lower : -1) &&
            out.nodes == r.nodes && out.certified == r.certified && out.n == dims[0],
            "ffi_depth = relucap_depth_net: D %d [%d, %d] vs [%d, %d]", out.depth_count, out.lower, out.upper,
            r.lower, r.upper);
  test_true(r.witness && memcmp(x, r.witness, (size_t)dims[0] * sizeof *x) == 0, "same witness");
  test_true(out.witness_count == relucap_depth_count(net, x, NULL), "witness_count is the recount");
  int n = dims[0], strong = depth > 1 ? 2 * n : n;
  test_true(out.injective_weak == (r.lower >= n ? 1 : r.upper < n ? 0 : -1) || out.span_criterion >= 0,
            "weak verdict from the bounds");
  test_true(out.injective_strong == (r.lower >= strong ? 1 : r.upper < strong ? 0 : -1) || out.span_criterion >= 0,
            "strong verdict from the bounds");
  relucap_depth_result_free(&r);
  relucap_finite_net_free(net);
  free(w);
}

/* [B; -B] (det B = 7) is injective; with bias -1 it is not, and the witness pair collides. */
static void test_check_bminusb(void)
{
  const double W[18] = {2, 1, 0, 0, 1, 1, 1, 0, 3, -2, -1, 0, 0, -1, -1, -1, 0, -3};
  const double bneg[6] = {-1, -1, -1, -1, -1, -1};
  const int dims[2] = {3, 6};
  double x1[3], x2[3];
  relucap_ffi_check_out out;
  relucap_ffi_layer_out lay;
  if (!relucap_lp_available()) {
    test_true(relucap_ffi_check(1, dims, W, NULL, NULL, 10, x1, x2, &out, &lay) != RELUCAP_SUCCESS,
              "no LP solver: check fails with a status");
    return;
  }
  int st = relucap_ffi_check(1, dims, W, NULL, NULL, 10, x1, x2, &out, &lay);
  test_true(st == RELUCAP_SUCCESS && out.verdict == RELUCAP_INJECTIVE && out.certified && out.n == 3 &&
            out.depth == 1 && lay.checked && lay.rank == 3 && lay.m == 6 && lay.n == 3,
            "[B;-B] injective: status %d verdict %d rank %ld", st, out.verdict, lay.rank);
  st = relucap_ffi_check(1, dims, W, bneg, NULL, 10, x1, x2, &out, NULL);
  test_true(st == RELUCAP_SUCCESS && out.verdict == RELUCAP_NOT_INJECTIVE && out.certified,
            "[B;-B] with bias -1 is not injective (verdict %d)", out.verdict);
  double gap = 0, dist = 0;
  for (int i = 0; i < 6; i++) {
    double a = -1, b = -1;
    for (int j = 0; j < 3; j++) a += W[i * 3 + j] * x1[j], b += W[i * 3 + j] * x2[j];
    gap = fmax(gap, fabs(fmax(a, 0) - fmax(b, 0)));
  }
  for (int j = 0; j < 3; j++) dist = fmax(dist, fabs(x1[j] - x2[j]));
  test_true(dist > 1e-6 && gap <= 1e-9, "witness pair: |x1-x2| %g, |f(x1)-f(x2)| %g", dist, gap);
  int has[1] = {0};
  st = relucap_ffi_check(1, dims, W, bneg, has, 10, x1, x2, &out, NULL);
  test_true(st == RELUCAP_SUCCESS && out.verdict == RELUCAP_INJECTIVE, "has_bias[0] = 0 ignores the bias");
}

static void test_bad_arguments(void)
{
  const int dims[3] = {2, 3, 0};
  double w[6] = {1, 0, 0, 1, -1, -1}, x[2], x2[2];
  relucap_ffi_depth_out out;
  relucap_ffi_check_out cout;
  test_true(relucap_ffi_depth(2, dims, w, 0, 0, 0, x, &out) == RELUCAP_EINVAL, "zero width refused");
  test_true(relucap_ffi_depth(1, dims, w, 7, 0, 0, x, &out) == RELUCAP_EINVAL, "unknown method refused");
  test_true(relucap_ffi_depth(1, dims, w, 0, -1, 0, x, &out) == RELUCAP_EINVAL, "negative target refused");
  test_true(relucap_ffi_depth(0, dims, w, 0, 0, 0, x, &out) == RELUCAP_EINVAL, "depth 0 refused");
  test_true(relucap_ffi_sample(1, dims, "cauchy", 1, 0, w) == RELUCAP_EINVAL, "unknown law refused");
  test_true(relucap_ffi_check(2, dims, w, NULL, NULL, 1, x, x2, &cout, NULL) == RELUCAP_EINVAL,
            "check: zero width refused");
  test_true(relucap_ffi_sizeof(0) == sizeof(relucap_ffi_depth_out) && relucap_ffi_sizeof(3) == 0, "sizeof");
  /* rows (1,0), (0,1), (-1,-1): 0 is inside their hull, x = (-1,-1) leaves one row: D = 1 < n */
  int st = relucap_ffi_depth(1, dims, w, 0, 0, 0, x, &out);
  test_true(st == RELUCAP_SUCCESS && out.depth_count == 1 && out.injective_weak == 0 && out.witness_count == 1,
            "rows (1,0), (0,1), (-1,-1): status %d, D = %d", st, out.depth_count);
  /* rows (1,0), (1,1), (2,-1) lie in a halfspace: x = -e_1 makes all negative, D = 0 */
  double h[6] = {1, 0, 1, 1, 2, -1};
  st = relucap_ffi_depth(1, dims, h, 0, 0, 0, x, &out);
  test_true(st == RELUCAP_SUCCESS && out.depth_count == 0 && out.injective_weak == 0,
            "halfspace rows: status %d, D = %d", st, out.depth_count);
}

int main(void)
{
  const int d1[2] = {4, 30}, d2[3] = {3, 12, 8};
  test_depth_matches_library(1, d1, 3);
  test_depth_matches_library(2, d2, 2);
  test_check_bminusb();
  test_bad_arguments();
  return test_summary("test_ffi");
}

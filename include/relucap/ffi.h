/* relucap/ffi.h - flat entry points for foreign-function interfaces (Python ctypes, ...).
 *
 * The library's own result structs hold pointers the caller must free (relucap_depth_result,
 * relucap_net_report).  These wrappers take every network as plain arrays and return plain,
 * fixed-size structs (int, long, double only) plus caller-provided output buffers, so a binding
 * needs no allocation, no freeing and no pointer-chasing:
 *
 *     depth   L >= 1 layers, dims[0] = n (inputs), dims[k] = m_k (outputs of layer k);
 *     weights W_1, W_2, ..., W_L concatenated, each row-major (m_k x m_{k-1}):
 *             sum_k dims[k] * dims[k-1] doubles.
 *
 * relucap_ffi_sizeof lets a binding check its mirror of the structs below (layout guard).
 * Every function returns a relucap status (RELUCAP_SUCCESS, RELUCAP_EINVAL for bad arguments,
 * RELUCAP_ENOMEM, or the solver's status); nothing is printed. */
#ifndef RELUCAP_FFI_H
#define RELUCAP_FFI_H

#include "relucap/common.h"

/* The count D of eq. (11) (relucap/finite.h) for given bias-free weights, with the verdicts of
 * `relucap depth --layer ... --json` (same numbers). */
typedef struct {
  int depth_count;      /* D when lower == upper, else -1 */
  int lower, upper;     /* proven lower <= D <= upper */
  int injective_weak;   /* 1 / 0 / -1 undecided: D >= n */
  int injective_strong; /* 1 / 0 / -1: D >= 2n (depth >= 2), D >= n (one layer) */
  int span_criterion;   /* one layer: -1 not run, 0/1 relucap_injective_layer's answer, 2 timed out */
  int certified;        /* the question asked is settled with a checked certificate */
  int timed_out;
  int witness_count;    /* #{i : t_i(witness) > 0}, recounted (relucap_depth_count) */
  int n;                /* input dimension = length of the witness */
  int certificate_complete; /* one layer: the root packing alone proves lower */
  long nodes, lps, simplices_checked, simplices_failed;
  double witness_margin;
  double seconds;
} relucap_ffi_depth_out;

/* Per-layer summary of the exact check (relucap_layer_report without its pointers). */
typedef struct {
  int checked, verdict, orthant, active_exact, timed_out, conflict, certificates_complete;
  long m, n, rank, zero_rows, lines, hyperplanes, nodes, by_antipodal, by_lp, by_cache;
  long active_lower, active_upper, ncert, open_hyperplanes;
  double hyperplanes_bound, max_cert_residual, seconds;
  double near_degenerate, tolerance; /* docs/check.md 4b */
} relucap_ffi_layer_out;

/* The exact region decision's evidence (relucap_region_report; `regions` of check --json). */
typedef struct {
  int run, complete;
  long regions, region_lps, collision_layer;
  long pairs_disjoint, pairs_touching, pairs_same_cell, pairs_unresolved;
  long samples, samples_missing, pair_lps;
  double pairs, pairs_examined, pairs_separated; /* up to R^2 / 2: beyond long on 32-bit */
  double min_inradius, min_jacobian_ratio, seconds_regions, seconds;
  char stopped[96];     /* why the search stopped early; "" when complete */
} relucap_ffi_region_out;

/* The whole-network check (relucap_net_report without its pointers). */
typedef struct {
  int verdict;          /* relucap_verdict: 1 injective, 0 not injective, -1 undecided */
  int certified;
  int n, depth;
  double witness_diff;  /* relative |f(x1) - f(x2)| when not injective */
  double seconds;
  char reason[256];
  relucap_ffi_region_out regions; /* regions.run = 0 when the region search did not run */
} relucap_ffi_check_out;

/* sizeof of the struct named by which: 0 relucap_ffi_depth_out, 1 relucap_ffi_layer_out,
 * 2 relucap_ffi_check_out; 0 for any other value. */
size_t relucap_ffi_sizeof(int which);

/* Fill weights (layout above) i.i.d. from the law named law_name ("gauss", "rademacher",
 * "uniform", "sparse:P") with the random stream (seed, stream): exactly the weights
 * `relucap depth --n dims[0] --widths dims[1..] --law L --seed S --stream T` samples
 * (relucap_finite_net_sample).  depth <= RELUCAP_FINITE_MAXDEPTH. */
int relucap_ffi_sample(int depth, const int *dims, const char *law_name, unsigned long seed,
                       unsigned long stream, double *weights);

/* D(W_1..W_L) = min_{x != 0} #{i : t_i(x) > 0} (eq. (11)) by relucap_depth_net, solver method
 * (relucap_depth_method), target 0 (exact D) or k > 0 (decide D >= k), time_limit seconds
 * (<= 0: none).  Weakly injective iff D >= n, strongly iff D >= 2n.  A one-layer network whose
 * count passes (D >= n) is then settled by the exact span criterion (relucap_injective_layer),
 * as the CLI does for weights from files (they need not be in general position).  witness gets
 * n doubles (the x attaining upper).  Returns RELUCAP_SUCCESS or RELUCAP_ETIME (bounds valid,
 * *out filled) or an error (out->seconds only). */
int relucap_ffi_depth(int depth, const int *dims, const double *weights, int method, int target,
                      double time_limit, double *witness, relucap_ffi_depth_out *out);

/* Exact injectivity of f(x) = ReLU(W_L ... ReLU(W_1 x + b_1) ... + b_L) by relucap_netcheck
 * (relucap/netcheck.h).  biases: b_1..b_L concatenated (sum dims[k] doubles) or NULL (all zero);
 * has_bias[k] = 0 marks a layer without bias (may be NULL: all layers have one when biases is
 * given).  x1, x2: n doubles each, filled with the witness pair when out->verdict == 0.  layers:
 * depth entries or NULL.  Returns RELUCAP_SUCCESS (read out->verdict) or the solver's status. */
int relucap_ffi_check(int depth, const int *dims, const double *weights, const double *biases,
                      const int *has_bias, double time_limit, double *x1, double *x2,
                      relucap_ffi_check_out *out, relucap_ffi_layer_out *layers);

#endif

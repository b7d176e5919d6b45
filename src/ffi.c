/* Flat entry points for FFI bindings (include/relucap/ffi.h): the depth count D and the exact
 * check of a given network, taking plain arrays and returning pointer-free structs.  Each one
 * repeats exactly what the CLI command does with the library (cli/cmd_depth.c with --layer,
 * cli/cmd_check.c), so a binding reports the same numbers as the CLI. */
#include "relucap/ffi.h"
#include "relucap/finite.h"
#include "relucap/io.h"
#include "relucap/netcheck.h"

#include <stdio.h>
#include <string.h>

size_t relucap_ffi_sizeof(int which)
{
  switch (which) {
  case 0: return sizeof(relucap_ffi_depth_out);
  case 1: return sizeof(relucap_ffi_layer_out);
  case 2: return sizeof(relucap_ffi_check_out);
  default: return 0;
  }
}

/* depth in 1..maxdepth and every width >= 1. */
static int dims_valid(int depth, const int *dims, int maxdepth)
{
  if (depth < 1 || depth > maxdepth || !dims) return 0;
  for (int k = 0; k <= depth; k++)
    if (dims[k] < 1) return 0;
  return 1;
}

int relucap_ffi_sample(int depth, const int *dims, const char *law_name, unsigned long seed,
                       unsigned long stream, double *weights)
{
  relucap_law law;
  if (!dims_valid(depth, dims, RELUCAP_FINITE_MAXDEPTH) || !law_name || !weights) return RELUCAP_EINVAL;
  if (relucap_law_parse(law_name, &law)) return RELUCAP_EINVAL;
  relucap_finite_net *net = relucap_finite_net_alloc(depth, dims);
  if (!net) return RELUCAP_ENOMEM;
  int st = relucap_finite_net_sample(net, &law, seed, stream);
  size_t off = 0;
  for (int k = 0; k < depth && st == RELUCAP_SUCCESS; k++) {
    size_t len = (size_t)dims[k + 1] * (size_t)dims[k];
    memcpy(weights + off, net->w[k], len * sizeof(double));
    off += len;
  }
  relucap_finite_net_free(net);
  return st;
}

/* 1 (yes), 0 (no) or -1 (undecided) for "D >= k" from the proven bounds. */

int relucap_ffi_depth(int depth, const int *dims, const double *weights, int method, int target,
                      double time_limit, double *witness, relucap_ffi_depth_out *out)
{
  if (!out) return RELUCAP_EINVAL;
  memset(out, 0, sizeof *out);
  out->depth_count = -1;
  if (!dims_valid(depth, dims, RELUCAP_FINITE_MAXDEPTH) || !weights || !witness || target < 0 ||
      method < RELUCAP_DEPTH_BB || method > RELUCAP_DEPTH_SEARCH)
    return RELUCAP_EINVAL;
  relucap_finite_net *net = relucap_finite_net_alloc(depth, dims);
  if (!net) return RELUCAP_ENOMEM;
  size_t off = 0;
  for (int k = 0; k < depth; k++) {
    size_t len = (size_t)dims[k + 1] * (size_t)dims[k];
    memcpy(net->w[k], weights + off, len * sizeof(double));
    off += len;
  }
  relucap_depth_opts o = relucap_depth_opts_default();
  o.method = (relucap_depth_method)method;
  o.time_limit = time_limit;
  o.target = target;
  relucap_depth_result r;
  memset(&r, 0, sizeof r);
  int st = relucap_depth_net(net, &o, &r);
  if (st != RELUCAP_SUCCESS && st != RELUCAP_ETIME) {
    out->seconds = r.seconds;
    relucap_depth_result_free(&r);
    relucap_finite_net_free(net);
    return st;
  }
  int n = dims[0];
  out->lower = r.lower;
  out->upper = r.upper;
  out->depth_count = r.exact ? r.lower : -1;
  /* Given weights need not be in general position: the rows may tie (as relucap depth --layer). */
  relucap_depth_verdicts ver;
  relucap_depth_verdict(net, &r, 1, time_limit, &ver);
  out->injective_weak = ver.weak;
  out->injective_strong = ver.strong;
  out->span_criterion = ver.span;
  out->certified = r.certified;
  out->timed_out = r.timed_out;
  out->n = n;
  out->certificate_complete = r.certificate_complete;
  out->nodes = r.nodes;
  out->lps = r.lps;
  out->simplices_checked = r.simplices_checked;
  out->simplices_failed = r.simplices_failed;
  out->witness_margin = r.witness_margin;
  out->seconds = r.seconds;
  if (r.witness) memcpy(witness, r.witness, (size_t)n * sizeof(double));
  else memset(witness, 0, (size_t)n * sizeof(double));
  out->witness_count = relucap_depth_count(net, r.witness ? r.witness : witness, NULL);
  relucap_depth_result_free(&r);
  relucap_finite_net_free(net);
  return st;
}

/* The pointer-free part of one layer report. */
static void layer_summary(const relucap_layer_report *r, relucap_ffi_layer_out *o)
{
  memset(o, 0, sizeof *o);
  o->checked = r->checked;
  o->verdict = r->verdict;
  o->orthant = r->orthant;
  o->active_exact = r->active_exact;
  o->timed_out = r->timed_out;
  o->conflict = r->conflict;
  o->certificates_complete = r->certificates_complete;
  o->m = (long)r->m;
  o->n = (long)r->n;
  o->rank = (long)r->rank;
  o->zero_rows = (long)r->zero_rows;
  o->lines = (long)r->lines;
  o->hyperplanes = (long)r->hyperplanes;
  o->nodes = (long)r->nodes;
  o->by_antipodal = (long)r->by_antipodal;
  o->by_lp = (long)r->by_lp;
  o->by_cache = (long)r->by_cache;
  o->active_lower = (long)r->active_lower;
  o->active_upper = (long)r->active_upper;
  o->ncert = (long)r->ncert;
  o->open_hyperplanes = (long)r->open_hyperplanes;
  o->hyperplanes_bound = r->hyperplanes_bound;
  o->max_cert_residual = r->max_cert_residual;
  o->near_degenerate = r->near_degenerate;
  o->tolerance = r->tolerance;
  o->seconds = r->seconds;
}

static void region_summary(const relucap_region_report *R, relucap_ffi_region_out *o)
{
  *o = (relucap_ffi_region_out){
    .run = R->run, .complete = R->complete, .regions = (long)R->regions, .region_lps = (long)R->region_lps,
    .collision_layer = (long)R->collision_layer, .pairs_disjoint = (long)R->pairs_disjoint,
    .pairs_touching = (long)R->pairs_touching, .pairs_same_cell = (long)R->pairs_same_cell,
    .pairs_unresolved = (long)R->pairs_unresolved, .samples = (long)R->samples,
    .samples_missing = (long)R->samples_missing, .pair_lps = (long)R->pair_lps, .pairs = (double)R->pairs,
    .pairs_examined = (double)R->pairs_examined, .pairs_separated = (double)R->pairs_separated,
    .min_inradius = R->min_inradius, .min_jacobian_ratio = R->min_jacobian_ratio,
    .seconds_regions = R->seconds_regions, .seconds = R->seconds};
  snprintf(o->stopped, sizeof o->stopped, "%s", R->stopped ? R->stopped : "");
}

int relucap_ffi_check(int depth, const int *dims, const double *weights, const double *biases,
                      const int *has_bias, double time_limit, double *x1, double *x2,
                      relucap_ffi_check_out *out, relucap_ffi_layer_out *layers)
{
  if (!out) return RELUCAP_EINVAL;
  memset(out, 0, sizeof *out);
  out->verdict = RELUCAP_UNDECIDED;
  if (!dims_valid(depth, dims, 1 << 20) || !weights || !x1 || !x2) return RELUCAP_EINVAL;
  relucap_net net = {0, NULL};
  size_t woff = 0, boff = 0;
  char err[256];
  for (int k = 0; k < depth; k++) {
    relucap_matrix W = {(size_t)dims[k + 1], (size_t)dims[k], (double *)(weights + woff)};
    const double *b = biases && (!has_bias || has_bias[k]) ? biases + boff : NULL;
    int st = relucap_net_add_layer(&net, &W, b, b ? (size_t)dims[k + 1] : 0, "layer", err, sizeof err);
    if (st) {
      relucap_net_free(&net);
      return st;
    }
    woff += W.rows * W.cols;
    boff += W.rows;
  }
  relucap_net_report rep;
  memset(&rep, 0, sizeof rep);
  int st = relucap_netcheck(&net, time_limit, &rep);
  if (st == RELUCAP_SUCCESS) {
    out->verdict = rep.verdict;
    out->certified = rep.certified;
    out->n = (int)rep.n;
    out->depth = (int)rep.depth;
    out->witness_diff = rep.witness_diff;
    out->seconds = rep.seconds;
    snprintf(out->reason, sizeof out->reason, "%s", rep.reason);
    if (rep.verdict == RELUCAP_NOT_INJECTIVE && rep.x1 && rep.x2) {
      memcpy(x1, rep.x1, rep.n * sizeof(double));
      memcpy(x2, rep.x2, rep.n * sizeof(double));
    }
    for (size_t k = 0; layers && k < rep.depth; k++) layer_summary(&rep.layers[k], &layers[k]);
    region_summary(&rep.regions, &out->regions);
  }
  relucap_net_report_free(&rep);
  relucap_net_free(&net);
  return st;
}

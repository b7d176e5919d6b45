/* --method optimized and --method best for relucap capacity and chain (docs/optimized-rdt.md):
 * the plain RDT bound minimised over the dual-norm ratios pi_2..pi_L, the bound at ratios given by
 * hand (--ratios), the linear-first-layer sanity model (--linear-first), and the smallest valid
 * bound relucap computes (best). */
#include "rdt.h"
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

int rdt_parse_optimized(const char *cmd, int argc, char **argv, int *i, rdt_opts *o)
{
  const char *a = argv[*i], *v;
  int rc;
  if (strcmp(a, "--ratios") == 0) {
    if (strcmp(cmd, "capacity") != 0)
      return cli_usage_error(cmd, "--ratios: applies to relucap capacity only (one depth)");
    if ((rc = cli_value(cmd, argc, argv, i, &v)) ||
        (rc = cli_double_list(cmd, "--ratios", v, o->ratios, CLI_MAX_DEPTH, &o->n_ratios)))
      return rc;
    o->have_ratios = 1;
    return 0;
  }
  if (strcmp(a, "--ratio-range") == 0) {
    int n;
    if ((rc = cli_value(cmd, argc, argv, i, &v)) ||
        (rc = cli_double_list(cmd, "--ratio-range", v, o->ratio_range, 2, &n)))
      return rc;
    if (n != 2 || !(o->ratio_range[0] < o->ratio_range[1]))
      return cli_usage_error(cmd, "--ratio-range: expected LO,HI with 0 < LO < HI, got '%s'", v);
    return 0;
  }
  if (strcmp(a, "--linear-first") == 0) {
    if (strcmp(cmd, "capacity") != 0)
      return cli_usage_error(cmd, "--linear-first: applies to relucap capacity only (depth 2)");
    o->linear_first = 1;
    return 0;
  }
  return -1;
}

static void add(char *names, size_t width, double *values, int *n, const char *name, int index, double value)
{
  if (*n >= RDT_MAX_PARAMS) return;
  if (index > 0) snprintf(names + *n * width, width, "%s_%d", name, index);
  else snprintf(names + *n * width, width, "%s", name);
  values[(*n)++] = value;
}

#define PARAM(b, name, index, value) \
  add(&(b)->names[0][0], sizeof (b)->names[0], (b)->values, &(b)->n_params, name, index, value)
#define EXTRA(b, name, index, value) \
  add(&(b)->extra_names[0][0], sizeof (b)->extra_names[0], (b)->extra_values, &(b)->n_extra, name, index, value)

static char why_buf[256];

/* The sanity model: a linear first layer, then one ReLU layer (depth 2 only). */
static int compute_linear_first(const rdt_opts *o, const double *alphas, rdt_bound *b, const char **why)
{
  if (o->depth != 2) { *why = "--linear-first: the sanity model has depth 2 (a linear layer, then a ReLU layer)"; return RELUCAP_EINVAL; }
  if (!(alphas[0] > 1)) { *why = "--linear-first: alpha_1 must exceed 1"; return RELUCAP_EINVAL; }
  double t0 = relucap_clock(), a2, rho, at_one, one_layer;
  int st;
  if (o->have_ratios) {
    rho = o->ratios[0];
    st = relucap_optimized_linear_first_at(alphas[0], rho, o->kind, &a2);
  } else {
    st = relucap_optimized_linear_first(alphas[0], o->kind, &a2, &rho);
  }
  if (!st) st = relucap_optimized_linear_first_at(alphas[0], 1.0, o->kind, &at_one);
  if (!st) st = relucap_plain_q_inverse(1.0, o->kind, &one_layer, NULL);
  if (st == RELUCAP_EBOUNDARY) { *why = "the optimal ratio lies on the end of the search range [0.01, 100]"; return st; }
  if (st) return st;
  double q = relucap_plain_q(a2, o->kind, NULL);
  b->capacity = a2;
  PARAM(b, "pi", 2, rho);
  PARAM(b, "q", 0, q);
  b->ratios[0] = rho;
  b->n_ratios = 1;
  b->residual = fabs(relucap_optimized_linear_first_dual(alphas[0], rho, q)); /* the root in q */
  b->value = b->residual;
  b->gradient_max = b->residual;
  b->quad_error = 0; /* no quadrature: the model's dual is a 2-D convex minimum */
  b->seconds = relucap_clock() - t0;
  b->admissible = 1;
  EXTRA(b, "bound_at_ratio_1", 0, at_one);
  EXTRA(b, "one_layer_plain", 0, one_layer);
  EXTRA(b, "optimal_ratio_exact", 0, 1 / sqrt(alphas[0] - 1));
  return RELUCAP_SUCCESS;
}

int rdt_compute_optimized(const rdt_opts *o, const double *alphas, double alpha1_min, rdt_bound *b, const char **why)
{
  memset(b, 0, sizeof *b);
  if (o->have_ratios && o->n_ratios != o->depth - 1) {
    snprintf(why_buf, sizeof why_buf, "--ratios: depth %d needs %d value(s) (pi_2..pi_%d), got %d",
             o->depth, o->depth - 1, o->depth, o->n_ratios);
    *why = why_buf;
    return RELUCAP_EINVAL;
  }
  if (o->linear_first) return compute_linear_first(o, alphas, b, why);
  relucap_optimized_problem p = {o->depth, o->kind, alphas, o->quad, (size_t)o->nodes,
                                 o->ratio_range[0], o->ratio_range[1], 0};
  relucap_optimized_result r;
  int st = o->have_ratios ? relucap_optimized_at_ratios(&p, o->ratios, &r) : relucap_optimized_capacity(&p, &r);
  if (st == RELUCAP_EBOUNDARY) {
    snprintf(why_buf, sizeof why_buf, "the optimal ratio pi_%d (layer %d) lies on the end of the range the "
             "ratio search covers: no interior optimum", r.boundary_layer + 1, r.boundary_layer);
    *why = why_buf;
    return st;
  }
  if (st == RELUCAP_EDOM) { *why = "no hidden-layer block solution was found along the ratio scan"; return RELUCAP_ENOPROG; }
  if (st) return st;
  int l = o->depth;
  b->capacity = r.capacity;
  for (int k = 2; k <= l; k++) PARAM(b, "pi", k, r.ratios[k]);
  for (int i = 1; i < l; i++) PARAM(b, "gbar", i, r.gbar[i]);
  for (int i = 1; i < l; i++) PARAM(b, "gamma", i, r.gamma[i]);
  for (int i = 1; i < l; i++) PARAM(b, "rho", i, r.rho[i]);
  for (int k = 2; k <= l; k++) PARAM(b, "V", k, r.V[k]);
  PARAM(b, "c", 0, r.c);
  PARAM(b, "q", 0, r.q);
  for (int k = 2; k <= l; k++) b->ratios[k - 2] = r.ratios[k];
  b->n_ratios = l - 1;
  b->residual = fmax(r.residual, r.root_residual);
  b->value = r.root_residual;
  b->gradient_max = b->residual; /* the same equations, unscaled already (relative forms) */
  b->quad_error = r.quad_error;
  b->seconds = r.seconds;
  /* admissible: alpha_1 >= the single-layer bound, alpha_k >= the optimised depth-k bound
   * q^{-1}(V_k) (the first k-1 layers' optimum is depth k's, the optimisation being sequential) */
  b->admissible = !(alpha1_min > 0 && l > 1 && alphas[0] < alpha1_min);
  for (int k = 2; k < l && b->admissible; k++) {
    double cap_k;
    if (relucap_plain_q_inverse(r.V[k], o->kind, &cap_k, NULL) == RELUCAP_SUCCESS && alphas[k - 1] < cap_k)
      b->admissible = 0;
  }
  if (!o->have_ratios) {
    for (int k = 2; k <= l; k++) EXTRA(b, "curvature", k, r.curvature[k]);
    EXTRA(b, "half_gap", 0, r.half_gap);
    EXTRA(b, "grid_gap", 0, r.grid_gap);
    EXTRA(b, "scan_gap", 0, r.scan_gap);
  } else {
    EXTRA(b, "ratios_given", 0, 1);
  }
  return RELUCAP_SUCCESS;
}

/* Lifting combined with the optimised ratios (depth 2..RELUCAP_OPTLIFT_MAX_DEPTH). */
int rdt_compute_optimized_lifted(const rdt_opts *o, const double *alphas, double alpha1_min, rdt_bound *b,
                                 const char **why)
{
  memset(b, 0, sizeof *b);
  if (o->depth < 2 || o->depth > RELUCAP_OPTLIFT_MAX_DEPTH) {
    snprintf(why_buf, sizeof why_buf, "--method optimized-lifted: depth 2..%d", RELUCAP_OPTLIFT_MAX_DEPTH);
    *why = why_buf;
    return RELUCAP_EINVAL;
  }
  if (o->have_ratios && o->n_ratios != o->depth - 1) {
    snprintf(why_buf, sizeof why_buf, "--ratios: depth %d needs %d value(s) (pi_2..pi_%d), got %d",
             o->depth, o->depth - 1, o->depth, o->n_ratios);
    *why = why_buf;
    return RELUCAP_EINVAL;
  }
  relucap_optimized_lifted_deep_result r;
  /* at least 96 nodes: the lifted integrands need more than the plain ones (64 nodes: the error
   * estimate against 48 nodes is 8e-9 for strong, against 3e-12 true) */
  size_t nodes = o->nodes > 96 ? (size_t)o->nodes : 96;
  int st = relucap_optimized_lifted_deep(o->depth, o->kind, alphas, o->quad, nodes, 0,
                                         o->have_ratios ? o->ratios : NULL, &r);
  if (st == RELUCAP_EBOUNDARY) { *why = "the best lifting parameter c3 lies beyond 50 (or below the continuation start 0.02 with a gain): no interior optimum"; return st; }
  if (st == RELUCAP_EDOM) { *why = "the lifted objective is undefined along the continuation in c3"; return RELUCAP_ENOPROG; }
  if (st) return st;
  int l = o->depth;
  b->capacity = r.capacity;
  for (int k = 2; k <= l; k++) PARAM(b, "pi", k, r.ratios[k]);
  PARAM(b, "c3", 0, r.c3);
  if (!r.no_gain) {
    for (int i = 1; i < l; i++) PARAM(b, "r", i, r.r[i]);
    for (int i = 1; i <= l; i++) PARAM(b, "gbar", i, r.gbar[i]);
    for (int i = 1; i < l; i++) PARAM(b, "gamma", i, r.gamma[i]);
    PARAM(b, "nu", 0, r.nu);
  }
  for (int k = 2; k <= l; k++) b->ratios[k - 2] = r.ratios[k];
  b->n_ratios = l - 1;
  b->residual = b->gradient_max = r.residual;
  b->value = 0; /* Psi = 0 is one of the solved equations; residual covers it */
  b->quad_error = r.no_gain ? 4 * DBL_EPSILON * r.capacity : r.quad_error;
  b->seconds = r.seconds;
  b->admissible = !(alpha1_min > 0 && alphas[0] < alpha1_min);
  EXTRA(b, "no_gain", 0, r.no_gain);
  if (!r.no_gain) {
    EXTRA(b, "d2_alpha_d_c3", 0, r.d2_c3);
    EXTRA(b, "saddle_max_eig_max_block", 0, r.saddle_max_yy);
    EXTRA(b, "saddle_min_eig_schur", 0, r.saddle_min_schur);
  }
  EXTRA(b, "unlifted_capacity", 0, r.plain_ratio_capacity);
  EXTRA(b, "gain_from_lifting", 0, r.plain_ratio_capacity - r.capacity);
  return RELUCAP_SUCCESS;
}

int rdt_compute_best(const rdt_opts *o, const double *alphas, double alpha1_min, rdt_bound *b, const char **why)
{
  static const char *const candidates[] = {"plain", "lifted", "optimized", "optimized-lifted"};
  enum { N = sizeof candidates / sizeof candidates[0] };
  if (o->have_ratios || o->linear_first) {
    *why = "--ratios and --linear-first need --method optimized";
    return RELUCAP_EINVAL;
  }
  rdt_bound cand[N];
  int status[N], best = -1;
  const char *whys[N];
  for (int m = 0; m < N; m++) {
    rdt_opts om = *o;
    om.method = candidates[m];
    if (strcmp(candidates[m], "optimized-lifted") == 0 && (o->depth < 2 || o->depth > RELUCAP_OPTLIFT_MAX_DEPTH)) {
      status[m] = RELUCAP_EUNSUP;
      whys[m] = "depth 2..8 only";
      continue;
    }
    if (strcmp(candidates[m], "lifted") == 0 && o->depth > RELUCAP_LIFTED_MAX_DEPTH) {
      status[m] = RELUCAP_EUNSUP;
      whys[m] = "depth <= 16 only";
      continue;
    }
    status[m] = rdt_compute(&om, alphas, alpha1_min, &cand[m], &whys[m]);
    if (!status[m] && (best < 0 || cand[m].capacity < cand[best].capacity)) best = m;
  }
  if (best < 0) { /* every method failed: report the optimized method's reason */
    *why = whys[2];
    return status[2];
  }
  *b = cand[best];
  b->best_of = candidates[best];
  for (int m = 0; m < N; m++) {
    char name[32];
    snprintf(name, sizeof name, "%s_capacity", candidates[m]);
    for (char *c = name; *c; c++) if (*c == '-') *c = '_';
    if (!status[m]) EXTRA(b, name, 0, cand[m].capacity);
  }
  return RELUCAP_SUCCESS;
}

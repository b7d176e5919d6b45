/* Shared options and the method dispatch of the RDT commands. */
#include "rdt.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rdt_defaults(rdt_opts *o)
{
  memset(o, 0, sizeof *o);
  o->depth = 0;
  o->kind = RELUCAP_WEAK;
  o->method = "plain";
  o->quad = RELUCAP_QUAD_GL;
  o->nodes = 64;
}

const char *rdt_kind_name(relucap_kind kind) { return kind == RELUCAP_STRONG ? "strong" : "weak"; }

static const char *const methods[] = {"plain", "lifted", "optimized", "optimized-lifted", "best"};

int rdt_check_method(const char *cmd, const char *method)
{
  for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
    if (strcmp(method, methods[i]) == 0) return 0;
  return cli_usage_error(cmd, "--method: unknown method '%s' (allowed: plain, lifted, optimized, optimized-lifted, best)", method);
}

int rdt_parse_shared(const char *cmd, int argc, char **argv, int *i, rdt_opts *o)
{
  const char *a = argv[*i], *v;
  int rc = rdt_parse_optimized(cmd, argc, argv, i, o);
  if (rc >= 0) return rc;
  if (strcmp(a, "--json") == 0) { o->json = 1; return 0; }
  if (strcmp(a, "--csv") == 0) { o->csv = 1; return 0; }
  if (strcmp(a, "--depth") == 0) {
    long d;
    if ((rc = cli_value(cmd, argc, argv, i, &v)) || (rc = cli_int(cmd, "--depth", v, 1, CLI_MAX_DEPTH, &d))) return rc;
    o->depth = (int)d;
    return 0;
  }
  if (strcmp(a, "--kind") == 0) {
    int k;
    if ((rc = cli_value(cmd, argc, argv, i, &v)) || (rc = cli_either(cmd, "--kind", v, "weak", "strong", &k))) return rc;
    o->kind = k ? RELUCAP_STRONG : RELUCAP_WEAK;
    return 0;
  }
  if (strcmp(a, "--method") == 0) {
    if ((rc = cli_value(cmd, argc, argv, i, &v)) || (rc = rdt_check_method(cmd, v))) return rc;
    o->method = v;
    return 0;
  }
  if (strcmp(a, "--quad") == 0) {
    int k;
    if ((rc = cli_value(cmd, argc, argv, i, &v)) || (rc = cli_either(cmd, "--quad", v, "gl", "adaptive", &k))) return rc;
    o->quad = k ? RELUCAP_QUAD_ADAPTIVE : RELUCAP_QUAD_GL;
    return 0;
  }
  if (strcmp(a, "--nodes") == 0) {
    if ((rc = cli_value(cmd, argc, argv, i, &v)) || (rc = cli_int(cmd, "--nodes", v, 16, 4096, &o->nodes))) return rc;
    o->nodes_given = 1;
    return 0;
  }
  return -1;
}

int rdt_parse_common(const char *cmd, int argc, char **argv, int *i, rdt_opts *o, void (*help)(void))
{
  if (cli_is_help(argv[*i])) {
    help();
    return EXIT_OK;
  }
  int rc = rdt_parse_shared(cmd, argc, argv, i, o);
  return rc == 0 ? RDT_OPT_PARSED : rc < 0 ? RDT_OPT_OTHER : rc;
}

int rdt_best_single_layer(double *alpha1, const char **source)
{
  rdt_bound b;
  const char *why;
  int code = rdt_alpha1("capacity", "gate:3", alpha1, &b, source, &why);
  return code ? RELUCAP_ETOL : RELUCAP_SUCCESS;
}

static void add_param(rdt_bound *b, const char *name, int index, double value)
{
  if (b->n_params >= RDT_MAX_PARAMS) return;
  if (index >= 0 && strcmp(name, "nu") && strcmp(name, "c") && strcmp(name, "q") && strcmp(name, "chi"))
    snprintf(b->names[b->n_params], sizeof b->names[0], "%s_%d", name, index);
  else snprintf(b->names[b->n_params], sizeof b->names[0], "%s", name);
  b->values[b->n_params++] = value;
}

static int compute_plain(const rdt_opts *o, const double *alphas, double alpha1_min, rdt_bound *b)
{
  relucap_plain_problem p = {o->depth, o->kind, alphas, NULL, o->quad, (size_t)o->nodes, alpha1_min};
  relucap_plain_result r;
  int st = relucap_plain_capacity(&p, &r);
  if (st) return st;
  memset(b, 0, sizeof *b);
  b->capacity = r.capacity;
  for (int i = 1; i < o->depth; i++) add_param(b, "r", i, r.params.r[i]);
  for (int i = 1; i <= o->depth; i++) add_param(b, "gbar", i, r.params.gbar[i]);
  for (int i = 1; i < o->depth; i++) add_param(b, "gamma", i, r.params.gamma[i]);
  add_param(b, "nu", 0, r.params.nu);
  add_param(b, "c", 0, r.c);
  add_param(b, "q", 0, r.q);
  b->residual = r.residual > r.block_residual ? r.residual : r.block_residual;
  b->gradient_max = r.gradient_max;
  b->value = r.value;
  b->quad_error = r.quad_error;
  b->seconds = r.seconds;
  b->admissible = r.admissible;
  return RELUCAP_SUCCESS;
}

/* Partially lifted RDT (relucap_lifted_capacity): the plain parameters plus c3. */
static int compute_lifted(const rdt_opts *o, const double *alphas, double alpha1_min, rdt_bound *b)
{
  if (o->depth > RELUCAP_LIFTED_MAX_DEPTH) return RELUCAP_EUNSUP;
  relucap_lifted_problem p = {o->depth, o->kind, alphas, o->quad, (size_t)o->nodes, o->c3};
  relucap_lifted_result r;
  int st = relucap_lifted_capacity(&p, &r);
  if (st) return st;
  memset(b, 0, sizeof *b);
  b->capacity = r.capacity;
  for (int i = 1; i < o->depth; i++) add_param(b, "r", i, r.params.r[i]);
  for (int i = 1; i <= o->depth; i++) add_param(b, "gbar", i, r.params.gbar[i]);
  for (int i = 1; i < o->depth; i++) add_param(b, "gamma", i, r.params.gamma[i]);
  add_param(b, "nu", 0, r.params.nu);
  add_param(b, "c3", -1, r.params.c3);
  add_param(b, "gs", -1, r.gs);
  b->residual = r.residual;
  b->gradient_max = r.gradient_max;
  b->value = r.value;
  b->quad_error = r.quad_error;
  b->seconds = r.seconds;
  /* admissibility as for plain (the inputs are the same) */
  b->admissible = !(alpha1_min > 0 && o->depth > 1 && alphas[0] < alpha1_min);
  b->lifted = 1;
  b->plain_capacity = r.plain_capacity;
  b->gain = r.gain;
  b->no_gain = r.no_gain;
  b->slope = r.slope;
  b->c3 = r.params.c3;
  b->saddle_max_y = r.saddle_max_eig_max;
  b->saddle_min_x = r.saddle_min_eig_min;
  return RELUCAP_SUCCESS;
}

void rdt_json_lifted(cli_json *j, const rdt_bound *b)
{
  if (!b->lifted) return;
  json_num(j, "plain_capacity", b->plain_capacity);
  json_num(j, "gain", b->gain);
  json_bool(j, "no_gain", b->no_gain);
  json_num(j, "slope_c3_0", b->slope);
  json_num(j, "saddle_max_eig_max_vars", b->saddle_max_y);
  json_num(j, "saddle_min_eig_min_vars", b->saddle_min_x);
}

static int compute_once(const rdt_opts *o, const double *alphas, double alpha1_min, rdt_bound *b, const char **why);

/* The bound by the chosen method, behind the evidence gates.  When only the quadrature gate fails
 * and the node count is the default, the rule is refined (x2, x4): deep layers with large alphas
 * or small dual ratios need more Gauss-Legendre nodes than the default. */
int rdt_compute(const rdt_opts *o, const double *alphas, double alpha1_min, rdt_bound *b, const char **why)
{
  int st = compute_once(o, alphas, alpha1_min, b, why);
  rdt_opts finer = *o;
  for (int k = 0; k < 2 && st == RELUCAP_ETOL && !o->nodes_given && o->quad == RELUCAP_QUAD_GL &&
                  strstr(*why, "quadrature"); k++) {
    finer.nodes *= 2;
    st = compute_once(&finer, alphas, alpha1_min, b, why);
  }
  return st;
}

static int compute_once(const rdt_opts *o, const double *alphas, double alpha1_min, rdt_bound *b, const char **why)
{
  int st = RELUCAP_EINVAL;
  *why = "";
  if ((o->linear_first && strcmp(o->method, "optimized") != 0) ||
      (o->have_ratios && strcmp(o->method, "optimized") != 0 && strcmp(o->method, "optimized-lifted") != 0)) {
    *why = "--ratios and --linear-first need --method optimized (--ratios: also optimized-lifted)";
    return RELUCAP_EINVAL;
  }
  if (o->ratio_range[0] > 0 && strcmp(o->method, "plain") == 0) {
    *why = "--ratio-range needs --method optimized or best";
    return RELUCAP_EINVAL;
  }
  if (strcmp(o->method, "plain") == 0) st = compute_plain(o, alphas, alpha1_min, b);
  else if (strcmp(o->method, "optimized") == 0) st = rdt_compute_optimized(o, alphas, alpha1_min, b, why);
  else if (strcmp(o->method, "optimized-lifted") == 0) st = rdt_compute_optimized_lifted(o, alphas, alpha1_min, b, why);
  else if (strcmp(o->method, "best") == 0) st = rdt_compute_best(o, alphas, alpha1_min, b, why);
  else if (strcmp(o->method, "lifted") == 0) {
    st = compute_lifted(o, alphas, alpha1_min, b);
    if (st == RELUCAP_EUNSUP) {
      *why = "the lifted method supports depth <= 16";
      return RELUCAP_EINVAL;
    }
    if (st == RELUCAP_EDOM && o->c3 > 0) {
      *why = "the alphas are outside the domain, or --c3 lies beyond where the lifted objective is "
             "defined (E exp(-c3 fq1) diverges)";
      return RELUCAP_EINVAL;
    }
  }
  if (st) {
    if (!**why) *why = relucap_strerror(st);
    return st;
  }
  /* Evidence gates: an unconverged number is never reported as a result. */
  if (!(b->residual < 1e-10) || !isfinite(b->capacity)) {
    *why = "the saddle point did not reach stationarity (residual >= 1e-10)";
    return RELUCAP_ETOL;
  }
  if (!(b->quad_error < 1e-9 * fabs(b->capacity))) {
    *why = "the quadrature error estimate exceeds 1e-9 relative";
    return RELUCAP_ETOL;
  }
  return RELUCAP_SUCCESS;
}

int rdt_fail(const char *cmd, int status, const char *why)
{
  if (status == RELUCAP_EDOM)
    return cli_usage_error(cmd, "--alphas: outside the domain where the bound is defined (%s): every "
                                "hidden-layer alpha must exceed 2, where its saddle equations stop having a solution", why);
  if (status == RELUCAP_EINVAL) return cli_usage_error(cmd, "invalid input: %s", why);
  return cli_numeric_error("%s: numerical failure: %s (no number is reported)", cmd, why);
}

void rdt_json_params(cli_json *j, const rdt_bound *b)
{
  json_object(j, "params");
  for (int k = 0; k < b->n_params; k++) json_num(j, b->names[k], b->values[k]);
  if (b->n_ratios > 0) json_nums(j, "ratios", b->ratios, b->n_ratios);
  json_close_object(j);
  if (b->best_of) json_str(j, "best_of", b->best_of);
  if (b->n_extra > 0) {
    json_object(j, "optimization");
    for (int k = 0; k < b->n_extra; k++) json_num(j, b->extra_names[k], b->extra_values[k]);
    json_close_object(j);
  }
}

/* alpha_1 from a spec: a number, "plain" (plain RDT = level 1), or "gate:L" (fl RDT level L: 1, 2p,
 * 2, 3, ..., or full).  For computed specs *b receives the single-layer evidence. */
int rdt_alpha1(const char *cmd, const char *spec, double *alpha1, rdt_bound *b, const char **source,
               const char **why)
{
  memset(b, 0, sizeof *b);
  *why = "";
  if (strcmp(spec, "plain") == 0 || strcmp(spec, "gate:1") == 0) {
    relucap_plain_problem p = {1, RELUCAP_WEAK, NULL, NULL, RELUCAP_QUAD_GL, 0, 0};
    relucap_plain_result r;
    if (relucap_plain_capacity(&p, &r)) return cli_numeric_error("%s: the plain single-layer bound failed", cmd);
    *alpha1 = b->capacity = r.capacity;
    add_param(b, "nu", 0, r.params.nu);
    add_param(b, "c", 0, r.c);
    b->residual = r.residual;
    b->gradient_max = r.gradient_max;
    b->seconds = r.seconds;
    *source = spec[0] == 'p' ? "plain" : "gate:1";
    return 0;
  }
  if (strncmp(spec, "gate:", 5) == 0) {
    const char *level = spec + 5;
    relucap_gate_opts go;
    relucap_gate_opts_default(&go);
    char *end;
    long L = strtol(level, &end, 10);
    if (strcmp(level, "2p") == 0) go.partial = 1;
    else if (strcmp(level, "full") == 0) go.full = 1;
    else if (end != level && *end == '\0' && L >= 1 && L <= RELUCAP_GATE_MAXSTEPS + 1) go.level = (int)L;
    else
      return cli_usage_error(cmd, "--alpha1: expected a number, 'plain', or gate:L with L in 1, 2p, 2, ..., %d, full; got '%s'",
                             RELUCAP_GATE_MAXSTEPS + 1, spec);
    relucap_gate_result r;
    int st = relucap_gate_capacity(&go, &r);
    if (st || !isfinite(r.capacity))
      return cli_numeric_error("%s: the single-layer capacity (%s) did not converge: %s", cmd, spec, relucap_strerror(st));
    *alpha1 = b->capacity = r.capacity;
    for (int k = 0; k < r.steps; k++) add_param(b, "Q", k, r.Q[k]);
    for (int k = 0; k < r.steps; k++) add_param(b, "chim", k + 1, r.chim[k]);
    add_param(b, "chi", 0, r.chi);
    b->residual = r.residual;
    b->quad_error = r.quad_error + r.extrap_error;
    b->seconds = r.seconds;
    *source = spec;
    return 0;
  }
  *source = "given";
  return cli_double(cmd, "--alpha1", spec, 0, 1, 1e6, 0, alpha1);
}

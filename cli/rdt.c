/* Shared options and the method dispatch of the RDT commands. */
#include "rdt.h"
#include <math.h>
#include <stdio.h>
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

static const char *const methods[] = {"plain"};

int rdt_check_method(const char *cmd, const char *method)
{
  for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
    if (strcmp(method, methods[i]) == 0) return 0;
  return cli_usage_error(cmd, "--method: unknown method '%s' (allowed: plain)", method);
}

int rdt_parse_shared(const char *cmd, int argc, char **argv, int *i, rdt_opts *o)
{
  const char *a = argv[*i], *v;
  int rc;
  if (strcmp(a, "--json") == 0) { o->json = 1; return 0; }
  if (strcmp(a, "--csv") == 0) { o->csv = 1; return 0; }
  if (strcmp(a, "--depth") == 0) {
    long d;
    if ((rc = cli_value(cmd, argc, argv, i, &v)) || (rc = cli_int(cmd, "--depth", v, 1, CLI_MAX_DEPTH, &d))) return rc;
    o->depth = (int)d;
    return 0;
  }
  if (strcmp(a, "--kind") == 0) {
    if ((rc = cli_value(cmd, argc, argv, i, &v))) return rc;
    if (strcmp(v, "weak") == 0) o->kind = RELUCAP_WEAK;
    else if (strcmp(v, "strong") == 0) o->kind = RELUCAP_STRONG;
    else return cli_usage_error(cmd, "--kind: expected 'weak' or 'strong', got '%s'", v);
    return 0;
  }
  if (strcmp(a, "--method") == 0) {
    if ((rc = cli_value(cmd, argc, argv, i, &v)) || (rc = rdt_check_method(cmd, v))) return rc;
    o->method = v;
    return 0;
  }
  if (strcmp(a, "--quad") == 0) {
    if ((rc = cli_value(cmd, argc, argv, i, &v))) return rc;
    if (strcmp(v, "gl") == 0) o->quad = RELUCAP_QUAD_GL;
    else if (strcmp(v, "adaptive") == 0) o->quad = RELUCAP_QUAD_ADAPTIVE;
    else return cli_usage_error(cmd, "--quad: expected 'gl' or 'adaptive', got '%s'", v);
    return 0;
  }
  if (strcmp(a, "--nodes") == 0) {
    if ((rc = cli_value(cmd, argc, argv, i, &v)) || (rc = cli_int(cmd, "--nodes", v, 16, 4096, &o->nodes))) return rc;
    return 0;
  }
  return -1;
}

int rdt_best_single_layer(double *alpha1, const char **source)
{
  relucap_plain_problem p = {1, RELUCAP_WEAK, NULL, NULL, RELUCAP_QUAD_GL, 0, 0};
  relucap_plain_result r;
  int st = relucap_plain_capacity(&p, &r);
  *alpha1 = r.capacity;
  *source = "plain";
  return st;
}

static void add_param(rdt_bound *b, const char *name, int index, double value)
{
  if (b->n_params >= RDT_MAX_PARAMS) return;
  if (index > 0) snprintf(b->names[b->n_params], sizeof b->names[0], "%s_%d", name, index);
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

int rdt_compute(const rdt_opts *o, const double *alphas, double alpha1_min, rdt_bound *b, const char **why)
{
  int st = RELUCAP_EINVAL;
  *why = "";
  if (strcmp(o->method, "plain") == 0) st = compute_plain(o, alphas, alpha1_min, b);
  if (st) {
    *why = relucap_strerror(st);
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
  json_close_object(j);
}

/* Options and output shared by the RDT commands (capacity, chain, paper). */
#ifndef RELUCAP_CLI_RDT_H
#define RELUCAP_CLI_RDT_H

#include "cli.h"
#include "relucap.h"

#define CLI_MAX_DEPTH 64 /* deepest network the commands accept */

typedef struct {
  int depth;
  relucap_kind kind;
  const char *method;        /* "plain", ... */
  double alphas[CLI_MAX_DEPTH];
  int n_alphas;
  int have_alphas;
  relucap_quad_method quad;
  long nodes;
  int json, csv;
} rdt_opts;

void rdt_defaults(rdt_opts *o);
/* If argv[*i] is one of the shared options (--depth, --kind, --method, --quad, --nodes, --json,
 * --csv), parse it and return 0 (advancing *i past its value) or EXIT_USAGE on a bad value.
 * Return -1 when the option is not a shared one. */
int rdt_parse_shared(const char *cmd, int argc, char **argv, int *i, rdt_opts *o);
/* Check the method name; EXIT_USAGE with the list of methods otherwise. */
int rdt_check_method(const char *cmd, const char *method);
const char *rdt_kind_name(relucap_kind kind);

/* One bound by the chosen method, with its evidence, in a method-independent form. */
#define RDT_MAX_PARAMS (4 * CLI_MAX_DEPTH + 8)
typedef struct {
  double capacity;
  int n_params;
  char names[RDT_MAX_PARAMS][24];
  double values[RDT_MAX_PARAMS];
  double residual, gradient_max, value, quad_error, seconds;
  int admissible;
} rdt_bound;

/* Compute the bound for depth, kind, alphas (depth - 1 entries) by method.  Returns a relucap
 * status; on failure *why receives a message for the user. */
int rdt_compute(const rdt_opts *o, const double *alphas, double alpha1_min, rdt_bound *b, const char **why);

/* Map a relucap status from rdt_compute to an exit code with a one-line message. */
int rdt_fail(const char *cmd, int status, const char *why);

/* The best single-layer capacity relucap computes (used as the default alpha_1 and for the
 * admissibility of alpha_1). */
int rdt_best_single_layer(double *alpha1, const char **source);

void rdt_json_params(cli_json *j, const rdt_bound *b);

#endif

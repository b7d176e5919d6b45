/* Options and output shared by the RDT commands (capacity, chain, paper). */
#ifndef RELUCAP_CLI_RDT_H
#define RELUCAP_CLI_RDT_H

#include "cli.h"
#include "relucap.h"

#define CLI_MAX_DEPTH 64 /* deepest network the commands accept */

typedef struct {
  int depth;
  relucap_kind kind;
  const char *method;        /* "plain" or "lifted" */
  double c3;                 /* lifted: > 0 holds c3 at this value; 0 optimises over c3 */
  double alphas[CLI_MAX_DEPTH];
  int n_alphas;
  int have_alphas;
  relucap_quad_method quad;
  long nodes;
  int nodes_given;            /* --nodes was given: no automatic refinement */
  int json, csv;
  /* --method optimized (cli/rdt_optimized.c) */
  double ratios[CLI_MAX_DEPTH]; /* --ratios pi_2..pi_L given by hand */
  int n_ratios, have_ratios;
  int linear_first;             /* --linear-first: the sanity model (depth 2) */
  double ratio_range[2];        /* --ratio-range LO,HI: the search range of every ratio (0: default) */
} rdt_opts;

void rdt_defaults(rdt_opts *o);
/* If argv[*i] is one of the shared options (--depth, --kind, --method, --quad, --nodes, --json,
 * --csv), parse it and return 0 (advancing *i past its value) or EXIT_USAGE on a bad value.
 * Return -1 when the option is not a shared one. */
int rdt_parse_shared(const char *cmd, int argc, char **argv, int *i, rdt_opts *o);
/* One step of an RDT command's option loop for what every such command accepts: --help (help()
 * is called) and the shared options above.  Returns RDT_OPT_PARSED (go on with the next
 * argument), RDT_OPT_OTHER (argv[*i] is not one of them), or an exit code for the command to
 * return (EXIT_OK after --help, EXIT_USAGE for a bad value). */
#define RDT_OPT_OTHER (-1)
#define RDT_OPT_PARSED (-2)
int rdt_parse_common(const char *cmd, int argc, char **argv, int *i, rdt_opts *o, void (*help)(void));
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
  /* --method optimized / best: the dual-norm ratios pi_2..pi_L and the optimisation's evidence */
  double ratios[CLI_MAX_DEPTH];
  int n_ratios;
  int n_extra;
  char extra_names[RDT_MAX_PARAMS][32];
  double extra_values[RDT_MAX_PARAMS];
  const char *best_of; /* method "best": the method that gave the smallest bound */
  /* method "lifted" only (docs/lifted-rdt.md): */
  int lifted;                /* 1 when the fields below are set */
  double plain_capacity;     /* the plain bound for the same inputs */
  double gain;               /* plain_capacity - capacity */
  int no_gain;               /* 1: the best c3 is 0+ (capacity = plain) */
  double slope;              /* dPsi/dc3 at c3 = 0+ (positive: lifting lowers the bound) */
  double c3;                 /* the lifting parameter used (0 when no_gain) */
  double saddle_max_y, saddle_min_x; /* saddle check: max eig of the (gam, nu) block < 0, min eig of its
                                        Schur complement on (r, gb) > 0 (0, 0 when no_gain) */
} rdt_bound;

/* Compute the bound for depth, kind, alphas (depth - 1 entries) by method.  Returns a relucap
 * status; on failure *why receives a message for the user. */
int rdt_compute(const rdt_opts *o, const double *alphas, double alpha1_min, rdt_bound *b, const char **why);

/* Map a relucap status from rdt_compute to an exit code with a one-line message. */
int rdt_fail(const char *cmd, int status, const char *why);

/* The best single-layer capacity relucap computes by default: fl RDT level 3 (= 2RSB, relucap gate),
 * used as the default alpha_1 and for the admissibility of alpha_1. */
int rdt_best_single_layer(double *alpha1, const char **source);

void rdt_json_params(cli_json *j, const rdt_bound *b);
/* The lifted method's extra top-level JSON keys (plain_capacity, gain, no_gain, slope); nothing
 * for other methods. */
void rdt_json_lifted(cli_json *j, const rdt_bound *b);

/* --method optimized and best (cli/rdt_optimized.c).  rdt_parse_optimized: --ratios, --linear-first
 * (same contract as rdt_parse_shared); rdt_compute_optimized / rdt_compute_best: as rdt_compute's
 * per-method helpers (status; *why for the user). */
int rdt_parse_optimized(const char *cmd, int argc, char **argv, int *i, rdt_opts *o);
int rdt_compute_optimized(const rdt_opts *o, const double *alphas, double alpha1_min, rdt_bound *b, const char **why);
int rdt_compute_optimized_lifted(const rdt_opts *o, const double *alphas, double alpha1_min, rdt_bound *b, const char **why);
int rdt_compute_best(const rdt_opts *o, const double *alphas, double alpha1_min, rdt_bound *b, const char **why);
/* alpha_1 from --alpha1: a number, "plain", or "gate:L" (L = 1, 2p, 2, 3, ..., full).  Returns 0 or
 * an exit code (message printed); *source names where the value came from; b holds the evidence of
 * a computed value (empty for a number). */
int rdt_alpha1(const char *cmd, const char *spec, double *alpha1, rdt_bound *b, const char **source,
               const char **why);

#endif

/* relucap design: the minimal width of every layer of an L-layer ReLU network on N inputs that
 * the chosen capacity bound allows to be injective.
 *
 * Layer by layer (docs/design.md):  m_0 = N,
 *   alpha_1 = the best single-layer value relucap computes (rdt_alpha1 "gate:3", the default of
 *             relucap chain too: fl RDT level 3) or --alpha1 (a number, plain, gate:L),
 *   alpha_k = the depth-k bound given the ratios m_1/N .. m_{k-1}/N actually chosen (k >= 2),
 *   m_k     = ceil(alpha_k N).
 * Rounding an earlier width up raises the later bounds a little (the bound increases with the
 * earlier ratios), so each bound is taken at the integer widths above it, not at the unrounded
 * chain of `relucap chain`; for large N the two agree. */
#include "rdt.h"
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DESIGN_MAX_N 1000000000L /* keeps every width and the total exact in a double */

static void help(void)
{
  printf(
    "NAME\n  relucap design - minimal layer widths of an injective ReLU network\n\n"
    "SYNOPSIS\n  relucap design --input-dim N --depth L [--kind weak|strong] [--method plain]\n"
    "                 [--alpha1 X|plain|gate:L] [--quad gl|adaptive] [--nodes N] [--json|--csv]\n\n"
    "DESCRIPTION\n"
    "  For x in R^N -> ReLU(A_L ... ReLU(A_1 x)) with i.i.d. Gaussian A_k of size m_k x m_{k-1},\n"
    "  prints the smallest widths m_1..m_L the RDT bound allows: m_k = ceil(alpha_k N), where\n"
    "  alpha_1 is the single-layer capacity and alpha_k (k >= 2) is the depth-k bound given the\n"
    "  ratios m_1/N..m_{k-1}/N of the widths already chosen (as relucap chain, at integer widths).\n"
    "  The bounds are upper bounds on the injectivity capacity: narrower networks are (with\n"
    "  probability -> 1 as N grows) not injective; these widths are where injectivity can start.\n\n"
    "OPTIONS\n"
    "  --input-dim N        input dimension n = m_0, 1..%ld\n"
    "  --depth L            number of layers, 1..%d\n"
    "  --kind weak|strong   notion of injectivity of the last layer (default weak)\n"
    "  --method NAME        capacity bound: plain (default)\n"
    "  --alpha1 SPEC        ratio of the first layer: a number, 'plain' (plain RDT, 7.6477), or\n"
    "                       gate:L (fully lifted RDT level L = 1, 2p, 2, 3, ..., full, as relucap\n"
    "                       gate); default gate:3 (6.70039), the best single-layer value, as chain\n"
    "  --quad, --nodes      quadrature, as for relucap capacity\n"
    "  --verify T           sample T Gaussian networks of exactly these widths and decide each\n"
    "                       exactly (relucap depth's solver; N <= 64; practical for small N)\n"
    "  --seed S             seed of --verify (default 1)\n"
    "  --time-limit SEC     per-network limit of --verify (default 10); beyond it: undecided\n"
    "  --json               one JSON object (keys below)\n"
    "  --csv                layer,alpha,width,expansion,residual\n\n"
    "OUTPUT (--json)\n"
    "  input_dim, depth, kind, method, alpha1_source, widths (m_1..m_L), alphas (the bounds\n"
    "  alpha_k), expansions (m_k / m_{k-1}, m_0 = N), total_units (m_1 + ... + m_L), residuals\n"
    "  (stationarity residual of each bound; null for a given alpha_1), seconds; with --verify,\n"
    "  verify {trials, injective, undecided, ci_low, ci_high, seed, time_limit, seconds}.\n\n"
    "EXIT STATUS\n  0 success; 2 usage error; 3 numerical failure (nothing is printed).\n\n"
    "EXAMPLE\n  relucap design --input-dim 784 --depth 3 --kind weak\n", DESIGN_MAX_N, CLI_MAX_DEPTH);
}

typedef struct {
  long n;                          /* input dimension */
  int depth;
  double alpha[CLI_MAX_DEPTH + 1]; /* alpha_k, k = 1..L (the bound at depth k) */
  double ratio[CLI_MAX_DEPTH + 1]; /* m_k / n: the ratios fed to the deeper bounds */
  double width[CLI_MAX_DEPTH + 1]; /* m_k (integers, exact in a double) */
  double residual[CLI_MAX_DEPTH + 1];
  double total, seconds;
  const char *alpha1_source;
  /* --verify: sampled Gaussian networks of exactly these widths, decided exactly (relucap mc's path) */
  long verify_trials, verify_yes, verify_undecided, verify_seed;
  double verify_time_limit, verify_lo, verify_hi, verify_seconds;
} design_result;

/* m = ceil(alpha n), ignoring the last few ulps of alpha n (so 6.7004 * 10000 gives 67004). */
static double min_width(double alpha, long n)
{
  double x = alpha * (double)n;
  return ceil(x * (1 - 4 * DBL_EPSILON));
}

/* The widths, layer by layer; on failure returns the exit code (message printed). */
static int design(const char *cmd, const rdt_opts *o, long n, const char *alpha1_spec, design_result *d)
{
  double t0 = relucap_clock();
  int rc;
  memset(d, 0, sizeof *d);
  d->n = n;
  d->depth = o->depth;
  {
    rdt_bound b1;
    const char *why;
    if ((rc = rdt_alpha1(cmd, alpha1_spec, &d->alpha[1], &b1, &d->alpha1_source, &why))) return rc;
    /* the evidence of a computed alpha_1 (none for a given number) */
    d->residual[1] = strcmp(d->alpha1_source, "given") == 0 ? NAN : b1.residual;
  }
  for (int k = 1; k <= o->depth; k++) {
    if (k >= 2) {
      rdt_opts ok = *o;
      rdt_bound b;
      const char *why;
      ok.depth = k;
      int st = rdt_compute(&ok, &d->ratio[1], 0, &b, &why);
      if (st == RELUCAP_EDOM) /* only a given alpha_1 can be out of the domain: computed ones exceed kappa */
        return cli_usage_error(cmd, "--alpha1: '%s' is outside the domain where the bound is defined: a hidden "
                               "layer's ratio must exceed 2, where its saddle equations stop having a solution",
                               alpha1_spec);
      if (st) {
        char msg[160];
        snprintf(msg, sizeof msg, "layer %d: %s", k, why);
        return rdt_fail(cmd, st, msg);
      }
      d->alpha[k] = b.capacity;
      d->residual[k] = b.residual;
    }
    d->width[k] = min_width(d->alpha[k], n);
    d->ratio[k] = d->width[k] / (double)n;
    d->total += d->width[k];
  }
  d->seconds = relucap_clock() - t0;
  return EXIT_OK;
}

static double expansion(const design_result *d, int k)
{
  return d->width[k] / (k == 1 ? (double)d->n : d->width[k - 1]);
}

static void print_json(const rdt_opts *o, const design_result *d)
{
  cli_json j;
  double e[CLI_MAX_DEPTH];
  for (int k = 1; k <= d->depth; k++) e[k - 1] = expansion(d, k);
  json_begin(&j, stdout);
  json_int(&j, "input_dim", d->n);
  json_int(&j, "depth", d->depth);
  json_str(&j, "kind", rdt_kind_name(o->kind));
  json_str(&j, "method", o->method);
  json_str(&j, "alpha1_source", d->alpha1_source);
  json_array(&j, "widths");
  for (int k = 1; k <= d->depth; k++) json_int(&j, NULL, (long)d->width[k]);
  json_close_array(&j);
  json_nums(&j, "alphas", &d->alpha[1], d->depth);
  json_nums(&j, "expansions", e, d->depth);
  json_int(&j, "total_units", (long)d->total);
  json_nums(&j, "residuals", &d->residual[1], d->depth);
  json_num(&j, "seconds", d->seconds);
  if (d->verify_trials > 0) {
    json_object(&j, "verify");
    json_int(&j, "trials", d->verify_trials);
    json_int(&j, "injective", d->verify_yes);
    json_int(&j, "undecided", d->verify_undecided);
    json_num(&j, "ci_low", d->verify_lo);
    json_num(&j, "ci_high", d->verify_hi);
    json_int(&j, "seed", d->verify_seed);
    json_num(&j, "time_limit", d->verify_time_limit);
    json_num(&j, "seconds", d->verify_seconds);
    json_close_object(&j);
  }
  json_end(&j);
}

static void print_csv(const design_result *d)
{
  printf("layer,alpha,width,expansion,residual\n");
  for (int k = 1; k <= d->depth; k++)
  {
    printf("%d,%.17g,%.0f,%.17g,", k, d->alpha[k], d->width[k], expansion(d, k));
    if (isfinite(d->residual[k])) printf("%.3g", d->residual[k]);
    putchar('\n');
  }
}

static void print_text(const rdt_opts *o, const design_result *d)
{
  printf("relucap design: N = %ld inputs, %d layer%s, %s injectivity, %s RDT bound, alpha_1 (%s)\n\n",
         d->n, d->depth, d->depth == 1 ? "" : "s", rdt_kind_name(o->kind), o->method, d->alpha1_source);
  printf("  layer     alpha_k    width m_k   m_k/m_{k-1}\n");
  printf("  %5d  %10s  %11ld\n", 0, "", d->n);
  for (int k = 1; k <= d->depth; k++)
    printf("  %5d  %10.6f  %11.0f  %12.6f\n", k, d->alpha[k], d->width[k], expansion(d, k));
  printf("\n  total units: %.0f\n", d->total);
  if (d->verify_trials > 0) {
    long decided = d->verify_trials - d->verify_undecided;
    printf("\n  verify: %ld sampled Gaussian networks of these widths (seed %ld), decided exactly:\n"
           "          %ld injective, %ld not injective, %ld undecided (time limit %g s each);\n"
           "          P(injective) among decided in [%.4f, %.4f] (Wilson 95%%), %.2f s\n",
           d->verify_trials, d->verify_seed, d->verify_yes, decided - d->verify_yes, d->verify_undecided,
           d->verify_time_limit, d->verify_lo, d->verify_hi, d->verify_seconds);
  }
}

/* --verify T: sample T Gaussian networks with exactly the designed widths and decide each one's
 * injectivity exactly ("D >= n?" for weak and one layer, "D >= 2n?" for strong with l >= 2: the
 * counts of relucap depth / mc), with a time limit per network (undecided beyond it). */
static int verify_design(const char *cmd, const rdt_opts *o, design_result *d)
{
  if (d->n > 64 || d->depth > RELUCAP_FINITE_MAXDEPTH)
    return cli_usage_error(cmd, "--verify: the exact check handles input dimensions up to 64 and depths up to %d "
                                "(got N = %ld, L = %d)", RELUCAP_FINITE_MAXDEPTH, d->n, d->depth);
  int dims[RELUCAP_FINITE_MAXDEPTH + 1];
  dims[0] = (int)d->n;
  for (int k = 1; k <= d->depth; k++) {
    if (d->width[k] > 100000) return cli_usage_error(cmd, "--verify: layer %d is too wide for the exact check", k);
    dims[k] = (int)d->width[k];
  }
  relucap_law law;
  relucap_law_parse("gauss", &law);
  int target = (o->kind == RELUCAP_STRONG && d->depth > 1) ? 2 * (int)d->n : (int)d->n;
  double t0 = relucap_clock();
  int st = relucap_finite_mc_point(d->depth, dims, &law, target, (unsigned long)d->verify_seed, 0,
                                   d->verify_trials, 0, d->verify_time_limit, &d->verify_yes, &d->verify_undecided);
  d->verify_seconds = relucap_clock() - t0;
  if (st) return cli_numeric_error("%s: --verify: the exact check failed (%s)", cmd, relucap_strerror(st));
  relucap_wilson(d->verify_yes, d->verify_trials - d->verify_undecided, 1.96, &d->verify_lo, &d->verify_hi);
  return EXIT_OK;
}

int cmd_design(int argc, char **argv)
{
  const char *cmd = "design", *alpha1_spec = "gate:3", *v;
  long n = 0, verify_trials = 0, verify_seed = 1;
  double verify_tlim = 10.0;
  rdt_opts o;
  rdt_defaults(&o);
  for (int i = 1; i < argc; i++) {
    if (cli_is_help(argv[i])) { help(); return EXIT_OK; }
    int rc = rdt_parse_shared(cmd, argc, argv, &i, &o);
    if (rc > 0) return rc;
    if (rc == 0) continue;
    if (strcmp(argv[i], "--input-dim") == 0) {
      if ((rc = cli_value(cmd, argc, argv, &i, &v)) || (rc = cli_int(cmd, "--input-dim", v, 1, DESIGN_MAX_N, &n)))
        return rc;
      continue;
    }
    if (strcmp(argv[i], "--alpha1") == 0) {
      if ((rc = cli_value(cmd, argc, argv, &i, &alpha1_spec))) return rc;
      continue;
    }
    if (strcmp(argv[i], "--verify") == 0) {
      if ((rc = cli_value(cmd, argc, argv, &i, &v)) || (rc = cli_int(cmd, "--verify", v, 1, 100000, &verify_trials)))
        return rc;
      continue;
    }
    if (strcmp(argv[i], "--seed") == 0) {
      if ((rc = cli_value(cmd, argc, argv, &i, &v)) || (rc = cli_int(cmd, "--seed", v, 0, 2147483647L, &verify_seed)))
        return rc;
      continue;
    }
    if (strcmp(argv[i], "--time-limit") == 0) {
      if ((rc = cli_value(cmd, argc, argv, &i, &v)) || (rc = cli_double(cmd, "--time-limit", v, 0, 1, 1e6, 0, &verify_tlim)))
        return rc;
      continue;
    }
    return cli_usage_error(cmd, "unknown option '%s'", argv[i]);
  }
  if (n == 0) return cli_usage_error(cmd, "--input-dim is required (an integer in [1, %ld])", DESIGN_MAX_N);
  if (o.depth == 0) return cli_usage_error(cmd, "--depth is required (an integer in [1, %d])", CLI_MAX_DEPTH);
  if (o.json && o.csv) return cli_usage_error(cmd, "--json and --csv exclude each other");

  design_result *d = malloc(sizeof *d);
  if (!d) return cli_numeric_error("%s: out of memory", cmd);
  int code = design(cmd, &o, n, alpha1_spec, d);
  if (code == EXIT_OK && verify_trials > 0) {
    d->verify_trials = verify_trials;
    d->verify_seed = verify_seed;
    d->verify_time_limit = verify_tlim;
    code = verify_design(cmd, &o, d);
  }
  if (code == EXIT_OK) {
    if (o.json) print_json(&o, d);
    else if (o.csv) print_csv(d);
    else print_text(&o, d);
  }
  free(d);
  return code;
}

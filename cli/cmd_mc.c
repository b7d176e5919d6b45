/* relucap mc: P(injective) of sampled networks against the last layer's width ratio. */
#include "cli.h"
#include "commands.h"
#include "finite_cli.h"
#include "plot.h"
#include "rdt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void help(void)
{
  printf(
    "NAME\n  relucap mc - Monte Carlo probability of injectivity, exact decisions per sample\n\n"
    "SYNOPSIS\n  relucap mc --n N --depth L [--alphas a1,...,a{L-1}] --sweep FROM:TO:STEP --trials T\n"
    "             [--seed S] [--kind weak|strong] [--law LAW] [--threads K] [--time-limit SEC]\n"
    "             [--json|--csv] [--plot FILE.svg|FILE.png]\n\n"
    "DESCRIPTION\n"
    "  For each alpha_L on the sweep, samples T networks with widths m_i = round(alpha_i n) and\n"
    "  m_L = round(alpha_L n) and decides 'D >= n?' (weak) or 'D >= 2n?' (strong; one layer: D >= n)\n"
    "  exactly (branch-and-bound; non-injective answers carry a recounted witness).  Sweep points\n"
    "  that round to the same m_L are merged; alpha is reported as m_L / n.  Prints P(injective)\n"
    "  with Wilson 95%% intervals and the alpha where P crosses 1/2 (linear interpolation), with\n"
    "  the interval where the Wilson band contains 1/2.  Trial t of width m uses random stream\n"
    "  m*2^32 + t of seed S, so results are identical for any --threads.  A sample left undecided\n"
    "  by --time-limit widens the interval to both possible verdicts.  One rademacher/sparse layer:\n"
    "  samples with D >= n are decided by the exact span criterion (tied rows; one LP per row-spanned hyperplane, pruned by certificates).\n\n"
    "OPTIONS\n"
    "  --n N            input dimension (>= 1)       --depth L   number of layers (1..%d)\n"
    "  --alphas LIST    hidden width ratios a1..a{L-1} (> 0; exactly L-1 of them; none for L = 1)\n"
    "  --sweep F:T:S    alpha_L from F to T step S (0 < F <= T, S > 0)\n"
    "  --trials T       samples per point (>= 1)    --seed S   (default 1)\n"
    "  --kind K         weak (default) or strong    --law LAW  gauss, rademacher, uniform, sparse:P\n"
    "  --threads K      OpenMP threads (>= 1, default: all)\n"
    "  --time-limit SEC per-sample limit (undecided samples are reported, never guessed)\n"
    "  --json | --csv   machine-readable output\n"
    "  --plot FILE      also draw P(injective) with its intervals, the 1/2-crossing and the RDT\n"
    "                   bounds (depth 1: plain and fl RDT level 3; deeper: plain at --alphas) to\n"
    "                   FILE (.svg or .png, by gnuplot; FILE.dat and FILE.gp beside it)\n\n"
    "OUTPUT KEYS (--json)\n"
    "  rows: [{alpha, m, p_injective, ci_low, ci_high, trials, injective, undecided}],\n"
    "  crossing: {alpha, ci_low, ci_high} (null entries when P never crosses 1/2 or the band is\n"
    "  open on that side), probit: {alpha, err, width} (maximum-likelihood fit of\n"
    "  Phi((alpha - mu)/width) to all points; null if it fails), n, depth, kind, law, seed, seconds.\n\n"
    "EXIT STATUS\n  0 success, 2 usage error, 3 a sample failed.\n\n"
    "EXAMPLE\n  relucap mc --n 5 --depth 1 --sweep 3:8:0.4 --trials 200 --seed 1 --json\n",
    RELUCAP_FINITE_MAXDEPTH);
}

int fcli_parse_mc(const char *cmd, int argc, char **argv, int allow_ns, long *n, int *ns, int *nns,
                  long *depth, double *alphas, int *nal, double *sw, long *trials, long *seed,
                  int *strong, relucap_law *law, long *threads, double *tlim, int *fmt, int *help_shown,
                  void (*helpf)(void))
{
  int have_sweep = 0;
  *nal = -1;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v;
    if (cli_is_help(a)) {
      helpf();
      *help_shown = 1;
      return EXIT_OK;
    } else if (strcmp(a, "--json") == 0) {
      *fmt = 1;
    } else if (strcmp(a, "--csv") == 0) {
      *fmt = 2;
    } else if (!allow_ns && strcmp(a, "--n") == 0) {
      if (cli_value(cmd, argc, argv, &i, &v) || cli_int(cmd, "--n", v, 1, 64, n)) return EXIT_USAGE;
    } else if (allow_ns && strcmp(a, "--ns") == 0) {
      if (cli_value(cmd, argc, argv, &i, &v) || fcli_int_list(cmd, "--ns", v, ns, 32, nns)) return EXIT_USAGE;
      for (int k = 0; k < *nns; k++)
        if (ns[k] > 64) return cli_usage_error(cmd, "--ns: each n must be in [1, 64], got '%s'", v);
    } else if (strcmp(a, "--depth") == 0) {
      if (cli_value(cmd, argc, argv, &i, &v) || cli_int(cmd, "--depth", v, 1, RELUCAP_FINITE_MAXDEPTH, depth)) return EXIT_USAGE;
    } else if (strcmp(a, "--alphas") == 0) {
      if (cli_value(cmd, argc, argv, &i, &v)) return EXIT_USAGE;
      if (cli_double_list(cmd, "--alphas", v, alphas, RELUCAP_FINITE_MAXDEPTH, nal)) return EXIT_USAGE;
    } else if (strcmp(a, "--sweep") == 0) {
      if (cli_value(cmd, argc, argv, &i, &v) || fcli_sweep(cmd, v, &sw[0], &sw[1], &sw[2])) return EXIT_USAGE;
      have_sweep = 1;
    } else if (strcmp(a, "--trials") == 0) {
      if (cli_value(cmd, argc, argv, &i, &v) || cli_int(cmd, "--trials", v, 1, 100000000L, trials)) return EXIT_USAGE;
    } else if (strcmp(a, "--seed") == 0) {
      if (cli_value(cmd, argc, argv, &i, &v) || cli_int(cmd, "--seed", v, 0, 2147483647L, seed)) return EXIT_USAGE;
    } else if (strcmp(a, "--kind") == 0) {
      if (cli_value(cmd, argc, argv, &i, &v) || cli_either(cmd, "--kind", v, "weak", "strong", strong)) return EXIT_USAGE;
    } else if (strcmp(a, "--law") == 0) {
      if (cli_value(cmd, argc, argv, &i, &v) || fcli_law(cmd, v, law)) return EXIT_USAGE;
    } else if (strcmp(a, "--threads") == 0) {
      if (cli_value(cmd, argc, argv, &i, &v) || cli_int(cmd, "--threads", v, 1, 1024, threads)) return EXIT_USAGE;
    } else if (strcmp(a, "--time-limit") == 0) {
      if (cli_value(cmd, argc, argv, &i, &v) || cli_double(cmd, "--time-limit", v, 0, 1, 1e7, 0, tlim)) return EXIT_USAGE;
    } else {
      return cli_usage_error(cmd, "unknown option '%s'", a);
    }
  }
  if (!allow_ns && *n == 0) return cli_usage_error(cmd, "--n is required (input dimension >= 1)");
  if (allow_ns && *nns == 0) return cli_usage_error(cmd, "--ns is required (e.g. 4,6,8)");
  if (*depth == 0) return cli_usage_error(cmd, "--depth is required (1..%d)", RELUCAP_FINITE_MAXDEPTH);
  if (*nal < 0) *nal = 0;
  if (*nal != *depth - 1)
    return cli_usage_error(cmd, "--alphas: depth %ld needs exactly %ld hidden ratios, got %d", *depth, *depth - 1, *nal);
  if (!have_sweep) return cli_usage_error(cmd, "--sweep FROM:TO:STEP is required");
  if (*trials == 0) return cli_usage_error(cmd, "--trials is required (>= 1)");
  return 0;
}

void fcli_print_sweep(FILE *f, int fmt, const fcli_sweep_result *r, int n, long depth, int strong,
                      const char *lawname, long seed, double seconds, int close)
{
  (void)close;
  if (fmt == 1) {
    cli_json j;
    json_begin(&j, f);
    json_int(&j, "n", n);
    json_int(&j, "depth", depth);
    json_str(&j, "kind", strong ? "strong" : "weak");
    json_str(&j, "law", lawname);
    json_int(&j, "seed", seed);
    json_array(&j, "rows");
    for (int k = 0; k < r->npts; k++) {
      json_object(&j, NULL);
      json_num(&j, "alpha", r->alpha[k]);
      json_int(&j, "m", r->m[k]);
      json_num(&j, "p_injective", r->p[k]);
      json_num(&j, "ci_low", r->lo[k]);
      json_num(&j, "ci_high", r->hi[k]);
      json_int(&j, "trials", r->trials);
      json_int(&j, "injective", r->yes[k]);
      json_int(&j, "undecided", r->und[k]);
      json_close_object(&j);
    }
    json_close_array(&j);
    json_object(&j, "crossing");
    if (r->have_cross) {
      json_num(&j, "alpha", r->cross);
      json_num(&j, "ci_low", r->cross_lo);
      json_num(&j, "ci_high", r->cross_hi);
    } else {
      json_null(&j, "alpha");
      json_null(&j, "ci_low");
      json_null(&j, "ci_high");
    }
    json_close_object(&j);
    json_object(&j, "probit");
    if (r->have_probit) {
      json_num(&j, "alpha", r->probit_mu);
      json_num(&j, "err", r->probit_err);
      json_num(&j, "width", r->probit_sigma);
    } else {
      json_null(&j, "alpha");
      json_null(&j, "err");
      json_null(&j, "width");
    }
    json_close_object(&j);
    json_num(&j, "seconds", seconds);
    json_end(&j);
  } else if (fmt == 2) {
    fprintf(f, "alpha,m,p_injective,ci_low,ci_high,trials,injective,undecided\n");
    for (int k = 0; k < r->npts; k++) {
      fprintf(f, "%.17g,%d,", r->alpha[k], r->m[k]);
      if (isfinite(r->p[k])) fprintf(f, "%.17g", r->p[k]); /* empty field: nothing decided */
      fprintf(f, ",%.17g,%.17g,%ld,%ld,%ld\n", r->lo[k], r->hi[k], r->trials, r->yes[k], r->und[k]);
    }
  } else {
    fprintf(f, "n = %d, depth %ld, %s injectivity, law %s, seed %ld, %ld trials per point\n", n,
            depth, strong ? "strong" : "weak", lawname, seed, r->trials);
    fprintf(f, "%8s %5s %10s %21s %9s\n", "alpha", "m", "P(inj)", "Wilson 95%", "undecided");
    for (int k = 0; k < r->npts; k++) {
      fprintf(f, "%8.4f %5d ", r->alpha[k], r->m[k]);
      if (isfinite(r->p[k])) fprintf(f, "%10.4f", r->p[k]);
      else fprintf(f, "%10s", "-");
      fprintf(f, "   [%7.4f, %7.4f] %9ld\n", r->lo[k], r->hi[k], r->und[k]);
    }
    if (r->have_cross)
      fprintf(f, "P = 1/2 at alpha = %.4f, 95%% band [%s%.4f, %s%.4f]%s\n", r->cross,
              isfinite(r->cross_lo) ? "" : "<", isfinite(r->cross_lo) ? r->cross_lo : r->alpha[0],
              isfinite(r->cross_hi) ? "" : ">", isfinite(r->cross_hi) ? r->cross_hi : r->alpha[r->npts - 1],
              (isfinite(r->cross_lo) && isfinite(r->cross_hi)) ? "" : " (band leaves the sweep: widen it)");
    else
      fprintf(f, "P does not cross 1/2 inside the sweep\n");
    if (r->have_probit)
      fprintf(f, "probit fit P = Phi((alpha - mu)/sigma): mu = %.4f +- %.4f, sigma = %.3f\n",
              r->probit_mu, r->probit_err, r->probit_sigma);
    fprintf(f, "time %.2f s\n", seconds);
  }
}

/* The asymptotic bounds drawn by --plot: depth 1 the plain and the level-3 single-layer values,
 * deeper the plain bound at the given hidden ratios.  Returns how many were computed. */
static int mc_bounds(int depth, int strong, const double *alphas, double *bound, const char **label)
{
  int nb = 0;
  if (depth == 1) {
    rdt_bound b;
    const char *source, *why;
    if (rdt_alpha1("mc", "plain", &bound[nb], &b, &source, &why) == 0) label[nb++] = "plain RDT";
    if (rdt_alpha1("mc", "gate:3", &bound[nb], &b, &source, &why) == 0) label[nb++] = "fl RDT level 3";
    return nb;
  }
  relucap_plain_problem pp = {depth, strong ? RELUCAP_STRONG : RELUCAP_WEAK, alphas, NULL, RELUCAP_QUAD_GL, 0, 0};
  relucap_plain_result pr;
  if (relucap_plain_capacity(&pp, &pr) == RELUCAP_SUCCESS) { bound[nb] = pr.capacity; label[nb++] = "plain RDT"; }
  return nb;
}

int cmd_mc(int argc, char **argv)
{
  const char *cmd = "mc", *plot_path = NULL;
  /* --plot FILE is taken out here; the remaining options go to the shared parser */
  char *args[256];
  int nargs = 0;
  for (int i = 0; i < argc && nargs < 255; i++) {
    if (i > 0 && strcmp(argv[i], "--plot") == 0) {
      if (i + 1 >= argc) return cli_usage_error(cmd, "--plot: missing value");
      plot_path = argv[++i];
      continue;
    }
    args[nargs++] = argv[i];
  }
  args[nargs] = NULL;
  argc = nargs;
  argv = args;
  long n = 0, depth = 0, trials = 0, seed = 1, threads = 0;
  double alphas[RELUCAP_FINITE_MAXDEPTH], sw[3], tlim = 0;
  int nal = 0, strong = 0, fmt = 0, shown = 0, ns[1], nns = 0;
  relucap_law law = {RELUCAP_LAW_GAUSS, 1.0};
  int rc = fcli_parse_mc(cmd, argc, argv, 0, &n, ns, &nns, &depth, alphas, &nal, sw, &trials, &seed,
                         &strong, &law, &threads, &tlim, &fmt, &shown, help);
  if (rc || shown) return rc;
  if (plot_path && (rc = plot_check_output(cmd, plot_path))) return rc;
  fcli_mpi_begin(&argc, &argv);
  fcli_sweep_result *r = malloc(sizeof *r);
  if (!r) return cli_numeric_error("out of memory");
  double t0 = relucap_clock();
  rc = fcli_run_sweep((int)n, (int)depth, alphas, sw[0], sw[1], sw[2], trials, (unsigned long)seed,
                      strong, &law, (int)threads, tlim, r);
  if (rc == 0 && fcli_rank() == 0 && plot_path) {
    double bound[4];
    const char *label[4];
    int nb = mc_bounds((int)depth, strong, alphas, bound, label);
    rc = mc_plot(plot_path, plot_command_line("relucap", argc, argv), (int)n, (int)depth, strong, r->npts,
                 r->alpha, r->p, r->lo, r->hi, r->have_cross ? r->cross : NAN, nb, bound, label);
  }
  if (rc == 0 && fcli_rank() == 0) {
    char lawname[32];
    relucap_law_name(&law, lawname, sizeof lawname);
    fcli_print_sweep(stdout, fmt, r, (int)n, depth, strong, lawname, seed, relucap_clock() - t0, 1);
  }
  free(r);
  fcli_mpi_end();
  return rc;
}

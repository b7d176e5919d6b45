/* relucap depth: the exact count D(A_1..A_l) of one sampled network, with its certificate. */
#include "cli.h"
#include "commands.h"
#include "finite_cli.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void help(void)
{
  printf(
    "NAME\n  relucap depth - exact injectivity count D of a sampled ReLU network, with certificate\n\n"
    "SYNOPSIS\n  relucap depth --n N --widths m1[,m2,...] [--law LAW] [--seed S] [--stream K]\n"
    "                [--solver bb|milp|enum|search] [--decide weak|strong] [--time-limit SEC] [--json]\n\n"
    "DESCRIPTION\n"
    "  Samples A_1 (m1 x n), A_2 (m2 x m1), ... i.i.d. from LAW (random stream (S, K)) and computes\n"
    "  D = min_{x != 0} #{i : t_i(x) > 0}, t = A_l ReLU(... ReLU(A_1 x)) (arXiv 2412.19677 eq. 11).\n"
    "  Weakly injective iff D >= n, strongly iff D >= 2n (one layer: both mean D >= n).\n"
    "  bb (default) is an exact branch-and-bound: one layer by keep/drop search with disjoint\n"
    "  Gordan-simplex bounds, several layers by activation-cell search (small n only).  milp is the\n"
    "  CBC big-M reference (never 'certified': a floating MILP optimum is not a proof).  enum is\n"
    "  exhaustive extreme-ray enumeration (one layer, n <= 7).  search is a one-sided witness\n"
    "  search for large n (random starts grown greedily by LP, until --time-limit, default 10 s, or\n"
    "  until it beats the --decide target): it can prove non-injectivity, never injectivity; its\n"
    "  lower bound is the root packing.  The witness x is always recounted.\n"
    "  For one layer the count is the closed one, #{i : a_i.x >= 0}, equal to eq. 11 in general\n"
    "  position (a.s. for gauss/uniform).  For one rademacher/sparse layer with D >= n the exact span\n"
    "  criterion (rows with a_i.x >= 0 span R^n for every x) then decides injectivity.\n"
    "  --layer W.csv|W.npy (repeatable, first layer first) takes the weights from files instead of\n"
    "  sampling them; they need not be in general position, so one layer is also settled by the\n"
    "  exact span criterion.\n\n"
    "OPTIONS\n"
    "  --n N              input dimension (>= 1)\n"
    "  --widths LIST      layer widths m1,...,ml (1 <= l <= %d)\n"
    "  --law LAW          gauss (default), rademacher, uniform, sparse:P with 0 < P <= 1\n"
    "  --seed S           random seed (default 1); --stream K picks trial K of that seed (default 0)\n"
    "  --solver NAME      bb (default), milp, enum, search\n"
    "  --decide KIND      only decide 'D >= n?' (weak) or 'D >= 2n?' (strong): much faster\n"
    "  --time-limit SEC   stop after SEC seconds: bounds so far, certified = false\n"
    "  --json             one JSON object on stdout\n\n"
    "OUTPUT KEYS (--json)\n"
    "  depth_count (D, or null if only bounded), depth_lower, depth_upper, injective_weak,\n"
    "  injective_strong (true/false, null when undecided), witness, witness_count, witness_margin,\n"
    "  span_criterion (one discrete layer: result of the exact span test, else null),\n"
    "  certified, certificate_complete, packing (disjoint simplices: rows and lambda), nodes, lps,\n"
    "  simplices_checked, simplices_failed, timed_out, seconds, n, widths, law, seed, stream, solver.\n\n"
    "EXIT STATUS\n  0 success (also when a time limit left bounds only), 2 usage error, 3 solver failure.\n\n"
    "EXAMPLE\n  relucap depth --n 6 --widths 42 --seed 3 --json\n", RELUCAP_FINITE_MAXDEPTH);
}

int cmd_depth(int argc, char **argv)
{
  const char *cmd = "depth";
  long n = 0, seed = 1, stream = 0;
  int widths[RELUCAP_FINITE_MAXDEPTH], nw = 0, json = 0, decide = 0;
  double tlim = 0;
  relucap_law law = {RELUCAP_LAW_GAUSS, 1.0};
  relucap_depth_method method = RELUCAP_DEPTH_BB;
  relucap_net files = {0, NULL}; /* weights given with --layer */
  const char *solver = "bb";
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v;
    if (cli_is_help(a)) {
      help();
      return EXIT_OK;
    } else if (strcmp(a, "--json") == 0) {
      json = 1;
    } else if (strcmp(a, "--n") == 0) {
      if (cli_value(cmd, argc, argv, &i, &v) || cli_int(cmd, "--n", v, 1, 64, &n)) return EXIT_USAGE;
    } else if (strcmp(a, "--widths") == 0) {
      if (cli_value(cmd, argc, argv, &i, &v) ||
          fcli_int_list(cmd, "--widths", v, widths, RELUCAP_FINITE_MAXDEPTH, &nw))
        return EXIT_USAGE;
    } else if (strcmp(a, "--law") == 0) {
      if (cli_value(cmd, argc, argv, &i, &v) || fcli_law(cmd, v, &law)) return EXIT_USAGE;
    } else if (strcmp(a, "--seed") == 0) {
      if (cli_value(cmd, argc, argv, &i, &v) || cli_int(cmd, "--seed", v, 0, 2147483647L, &seed)) return EXIT_USAGE;
    } else if (strcmp(a, "--stream") == 0) {
      if (cli_value(cmd, argc, argv, &i, &v) || cli_int(cmd, "--stream", v, 0, 2147483647L, &stream)) return EXIT_USAGE;
    } else if (strcmp(a, "--time-limit") == 0) {
      if (cli_value(cmd, argc, argv, &i, &v) || cli_double(cmd, "--time-limit", v, 0, 1, 1e7, 0, &tlim)) return EXIT_USAGE;
    } else if (strcmp(a, "--solver") == 0) {
      if (cli_value(cmd, argc, argv, &i, &v)) return EXIT_USAGE;
      if (strcmp(v, "bb") == 0) method = RELUCAP_DEPTH_BB;
      else if (strcmp(v, "milp") == 0) method = RELUCAP_DEPTH_MILP;
      else if (strcmp(v, "enum") == 0) method = RELUCAP_DEPTH_ENUM;
      else if (strcmp(v, "search") == 0) method = RELUCAP_DEPTH_SEARCH;
      else return cli_usage_error(cmd, "--solver: expected bb, milp, enum or search, got '%s'", v);
      solver = v;
    } else if (strcmp(a, "--decide") == 0) {
      int k;
      if (cli_value(cmd, argc, argv, &i, &v) || cli_either(cmd, "--decide", v, "weak", "strong", &k)) return EXIT_USAGE;
      decide = k + 1;
    } else if (strcmp(a, "--layer") == 0) {
      char err[512];
      if (cli_value(cmd, argc, argv, &i, &v)) return EXIT_USAGE;
      if (relucap_net_add_spec(&files, v, err, sizeof err)) {
        relucap_net_free(&files);
        return cli_usage_error(cmd, "--layer: %s", err);
      }
    } else {
      return cli_usage_error(cmd, "unknown option '%s'", a);
    }
  }
  int from_files = files.depth > 0;
  if (files.depth > 0) {
    /* Weights from files: D counts bias-free layers (eq. 11); the shapes give n and the widths. */
    int bad = (n != 0 || nw != 0) ? 1 : files.depth > RELUCAP_FINITE_MAXDEPTH ? 2 : 0;
    for (size_t l = 0; l < files.depth && !bad; l++)
      if (files.layers[l].b) bad = 3;
    if (bad) {
      relucap_net_free(&files);
      return cli_usage_error(cmd, bad == 1 ? "--layer excludes --n and --widths (the files give the shapes)"
                                  : bad == 2 ? "--layer: too many layers"
                                             : "--layer: D counts bias-free layers; for biased layers use relucap check");
    }
    n = (long)relucap_net_input_dim(&files);
    if (n > 64) {
      relucap_net_free(&files);
      return cli_usage_error(cmd, "--layer: input dimension %ld exceeds 64, the largest the exact solver accepts", n);
    }
    nw = (int)files.depth;
    for (int l = 0; l < nw; l++) widths[l] = (int)files.layers[l].m;
  }
  if (n == 0) return cli_usage_error(cmd, "--n is required (input dimension >= 1)");
  if (nw == 0) return cli_usage_error(cmd, "--widths is required (m1,...,ml)");
  if ((method == RELUCAP_DEPTH_ENUM || method == RELUCAP_DEPTH_SEARCH) && nw > 1)
    return cli_usage_error(cmd, "--solver %s: one layer only, got %d widths", solver, nw);
  if (method == RELUCAP_DEPTH_ENUM && n > 16)
    return cli_usage_error(cmd, "--solver enum: n <= 16 (it visits C(m, n-1) rays), got --n %ld", n);
  if (method == RELUCAP_DEPTH_MILP && !relucap_lp_available())
    return cli_usage_error(cmd, "--solver milp: this build has no CBC");
  int dims[RELUCAP_FINITE_MAXDEPTH + 1];
  dims[0] = (int)n;
  for (int l = 0; l < nw; l++) dims[l + 1] = widths[l];
  relucap_finite_net *net = relucap_finite_net_alloc(nw, dims);
  if (!net) return cli_numeric_error("out of memory");
  if (files.depth > 0) {
    for (int l = 0; l < nw; l++)
      memcpy(net->w[l], files.layers[l].W, files.layers[l].m * files.layers[l].n * sizeof(double));
    relucap_net_free(&files);
  } else {
    relucap_finite_net_sample(net, &law, (unsigned long)seed, (unsigned long)stream);
  }
  relucap_depth_opts o = relucap_depth_opts_default();
  o.method = method;
  o.time_limit = tlim;
  int strong_k = nw > 1 ? 2 * (int)n : (int)n;
  o.target = decide == 1 ? (int)n : decide == 2 ? strong_k : 0;
  relucap_depth_result r;
  memset(&r, 0, sizeof r);
  int st = relucap_depth_net(net, &o, &r);
  if (st != RELUCAP_SUCCESS && st != RELUCAP_ETIME) {
    relucap_depth_result_free(&r);
    relucap_finite_net_free(net);
    return cli_numeric_error("depth: solver failed (%s); no value reported", relucap_strerror(st));
  }
  /* tied rows are possible for discrete laws and for given weights (no general position) */
  int tied = law.kind == RELUCAP_LAW_RADEMACHER || law.kind == RELUCAP_LAW_SPARSE || from_files;
  relucap_depth_verdicts ver;
  relucap_depth_verdict(net, &r, tied, tlim, &ver);
  int vw = ver.weak, vs = ver.strong, span = ver.span;
  char lawname[32];
  relucap_law_name(&law, lawname, sizeof lawname);
  if (from_files) snprintf(lawname, sizeof lawname, "given");
  int wc = relucap_depth_count(net, r.witness, NULL);
  if (json) {
    cli_json j;
    json_begin(&j, stdout);
    json_int(&j, "n", n);
    json_array(&j, "widths");
    for (int l = 0; l < nw; l++) json_int(&j, NULL, widths[l]);
    json_close_array(&j);
    json_str(&j, "law", lawname);
    json_int(&j, "seed", seed);
    json_int(&j, "stream", stream);
    json_str(&j, "solver", solver);
    if (r.exact) json_int(&j, "depth_count", r.lower);
    else json_null(&j, "depth_count");
    json_int(&j, "depth_lower", r.lower);
    json_int(&j, "depth_upper", r.upper);
    if (vw < 0) json_null(&j, "injective_weak");
    else json_bool(&j, "injective_weak", vw);
    if (vs < 0) json_null(&j, "injective_strong");
    else json_bool(&j, "injective_strong", vs);
    json_nums(&j, "witness", r.witness, (int)n);
    json_int(&j, "witness_count", wc);
    if (span == 0 || span == 1) json_bool(&j, "span_criterion", span);
    else json_null(&j, "span_criterion");
    json_num(&j, "witness_margin", r.witness_margin);
    json_bool(&j, "certified", r.certified);
    json_bool(&j, "certificate_complete", r.certificate_complete);
    json_array(&j, "packing");
    for (int k = 0; k < r.packing; k++) {
      json_object(&j, NULL);
      json_array(&j, "rows");
      for (int q = 0; q <= n; q++)
        if (r.packing_rows[k * (n + 1) + q] >= 0) json_int(&j, NULL, r.packing_rows[k * (n + 1) + q]);
      json_close_array(&j);
      json_array(&j, "lambda");
      for (int q = 0; q <= n; q++)
        if (r.packing_rows[k * (n + 1) + q] >= 0) json_num(&j, NULL, r.packing_lambda[k * (n + 1) + q]);
      json_close_array(&j);
      json_close_object(&j);
    }
    json_close_array(&j);
    json_int(&j, "nodes", r.nodes);
    json_int(&j, "lps", r.lps);
    json_int(&j, "simplices_checked", r.simplices_checked);
    json_int(&j, "simplices_failed", r.simplices_failed);
    json_bool(&j, "timed_out", r.timed_out);
    json_num(&j, "seconds", r.seconds);
    json_end(&j);
  } else {
    printf("network      n = %ld, widths", n);
    for (int l = 0; l < nw; l++) printf("%s%d", l ? "," : " ", widths[l]);
    printf(" (depth %d), law %s, seed %ld, stream %ld, solver %s\n", nw, lawname, seed, stream, solver);
    if (r.exact) printf("D            %d\n", r.lower);
    else if (r.timed_out) printf("D            %d <= D <= %d (bounds only: time limit)\n", r.lower, r.upper);
    else printf("D            %d <= D <= %d (decision run: only 'D >= %d?' was asked)\n", r.lower, r.upper, o.target);
    const char *vt[3] = {"undecided", "no", "yes"};
    printf("injective    weak (D >= %ld): %s,  strong (D >= %d): %s\n", n, vt[vw + 1], strong_k, vt[vs + 1]);
    if (span >= 0)
      printf("tied rows    %s law: D >= n is only necessary; exact span criterion: %s\n", lawname,
             span == 1 ? "injective" : span == 0 ? "NOT injective" : "undecided (time limit)");
    printf("witness      x = [");
    for (int q = 0; q < n; q++) printf("%s%.6g", q ? ", " : "", r.witness[q]);
    printf("]  recounts to %d (relative margin %.2g)\n", wc, r.witness_margin);
    printf("certified    %s", r.certified ? "yes" : "no");
    if (method == RELUCAP_DEPTH_MILP) printf(" (MILP optimum: reference only)");
    printf("\n");
    if (nw == 1 && method == RELUCAP_DEPTH_BB)
      printf("certificate  %d disjoint Gordan simplices prove D >= %d%s; %ld simplices checked, %ld failed\n",
             r.packing, r.packing, r.certificate_complete ? " (complete)" : "; the rest by the search tree",
             r.simplices_checked, r.simplices_failed);
    printf("search       %ld nodes, %ld LPs, %.3f s\n", r.nodes, r.lps, r.seconds);
  }
  relucap_depth_result_free(&r);
  relucap_finite_net_free(net);
  return EXIT_OK;
}

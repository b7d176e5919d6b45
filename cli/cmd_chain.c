/* relucap chain: capacities at depths 1..L, each layer's ratio fixed at the previous capacity
 * (the paper's Table 7 construction). */
#include "plot.h"
#include "rdt.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void help(void)
{
  printf(
    "NAME\n  relucap chain - injectivity capacity bounds and layer expansions for depths 1..L\n\n"
    "SYNOPSIS\n  relucap chain --depth L [--kind weak|strong] [--alpha1 X|plain|gate:L]\n"
    "                [--method plain|lifted|optimized|optimized-lifted|best] [--ratio-range LO,HI]\n"
    "                [--compare] [--quad gl|adaptive] [--nodes N] [--json|--csv] [--plot FILE.svg|FILE.png]\n\n"
    "DESCRIPTION\n"
    "  Row 1 is alpha_1 (the single-layer capacity); row k >= 2 is the depth-k bound with\n"
    "  alpha_1..alpha_{k-1} fixed at the rows above (Table 7 of arXiv 2412.19677), and the\n"
    "  expansion alpha_k / alpha_{k-1}.\n\n"
    "OPTIONS\n"
    "  --depth L            deepest network, 1..%d\n"
    "  --kind weak|strong   notion of injectivity (default weak)\n"
    "  --alpha1 SPEC        alpha_1: a number (6.7004 reproduces the paper), 'plain' (the plain\n"
    "                       single-layer bound), or gate:L, the single-layer capacity at fl RDT level\n"
    "                       L = 1, 2p, 2, 3, ..., full (relucap gate); default gate:3 (= 2RSB, 6.70039)\n"
    "  --method NAME        plain (default); lifted (partially lifted RDT, c3 optimised; its own\n"
    "                       single-layer value is gate:2p = 7.44864); optimized (minimised over the\n"
    "                       dual-norm ratios, see relucap capacity --help); optimized-lifted (lifting\n"
    "                       with the optimised ratios, depth <= 8); best (the smallest valid bound)\n"
    "  --ratio-range LO,HI  optimized: the search range of every ratio (default 0.05,20)\n"
    "  --compare            plain and lifted bounds side by side for the same alphas (rows >= 2; the\n"
    "                       chain follows --method), with gain = plain - lifted, c3 and dPsi/dc3(0+),\n"
    "                       and the optimised-ratio bound without and with lifting (depth <= 8)\n"
    "  --quad, --nodes      quadrature, as for relucap capacity\n"
    "  --json               {\"rows\": [{\"depth\",\"capacity\",\"expansion\",\"params\",\"residual\",\"quad_error\"}...]}\n"
    "  --csv                depth,capacity,expansion,residual,quad_error,seconds\n"
    "                       (--compare appends plain,lifted,gain,c3,slope_c3_0,optimized,optimized_lifted;\n"
    "                       JSON rows gain the same keys)\n"
    "  --plot FILE          also draw capacity and expansion against depth, with the paper's printed\n"
    "                       values (and with --compare the plain and lifted bounds), to FILE (.svg or\n"
    "                       .png, by gnuplot); FILE.dat and FILE.gp are written beside it\n\n"
    "EXIT STATUS\n  0 success; 2 usage error; 3 numerical failure.\n\n"
    "EXAMPLES\n  relucap chain --depth 6 --kind weak --alpha1 6.7004\n"
    "  relucap chain --depth 4 --kind strong --alpha1 6.7004 --compare\n"
    "  relucap chain --depth 12 --kind weak --alpha1 6.7004 --method optimized --csv\n", CLI_MAX_DEPTH);
}

typedef struct {
  double capacity, expansion;
  rdt_bound bound;
  int computed; /* 0 for a given alpha_1 */
  rdt_bound plain, lifted; /* --compare: both methods for this row's alphas */
  rdt_bound optimized, optimized_lifted; /* --compare: the optimised ratios, and with lifting */
  int have_optimized_lifted;
  int compared;            /* 1 when plain and lifted are set (rows >= 2 with --compare) */
} chain_row;

/* --compare: the optimised-ratio bound, and (depth 2) its combination with lifting. */
static int compare_optimized(const rdt_opts *od, const double *alphas, chain_row *row, const char **why)
{
  rdt_opts oo = *od;
  oo.method = "optimized";
  int st = rdt_compute(&oo, alphas, 0, &row->optimized, why);
  row->have_optimized_lifted = 0;
  if (!st && od->depth >= 2 && od->depth <= RELUCAP_OPTLIFT_MAX_DEPTH) {
    /* The combination is a comparison column: if it fails its evidence gates the column is left
     * empty (with the reason on stderr) rather than failing the whole table. */
    const char *why_ol;
    oo.method = "optimized-lifted";
    int st_ol = rdt_compute(&oo, alphas, 0, &row->optimized_lifted, &why_ol);
    row->have_optimized_lifted = !st_ol;
    if (st_ol) cli_warning("depth %d: the optimized-lifted column is left empty: %s", od->depth, why_ol);
  }
  return st;
}

/* --compare: the plain and the lifted bound for the same alphas. */
static int compare_row(const char *cmd, const rdt_opts *od, const double *alphas, chain_row *row)
{
  rdt_opts op = *od, ol = *od;
  op.method = "plain";
  ol.method = "lifted";
  ol.c3 = 0;
  const char *why = "";
  int st = RELUCAP_SUCCESS;
  /* The row's own bound already is the plain one when the chain is plain: no second solve. */
  if (strcmp(od->method, "plain") == 0) row->plain = row->bound;
  else st = rdt_compute(&op, alphas, 0, &row->plain, &why);
  if (!st) st = rdt_compute(&ol, alphas, 0, &row->lifted, &why);
  if (!st) st = compare_optimized(od, alphas, row, &why);
  if (st) {
    char msg[200];
    snprintf(msg, sizeof msg, "depth %d (--compare): %s", od->depth, why);
    return rdt_fail(cmd, st, msg);
  }
  row->compared = 1;
  return 0;
}

static void json_compare(cli_json *j, const chain_row *row)
{
  json_num(j, "plain", row->plain.capacity);
  json_num(j, "lifted", row->lifted.capacity);
  json_num(j, "gain", row->plain.capacity - row->lifted.capacity);
  json_num(j, "c3", row->lifted.c3);
  json_num(j, "slope_c3_0", row->lifted.slope);
  json_num(j, "optimized", row->optimized.capacity);
  json_num(j, "optimized_lifted", row->have_optimized_lifted ? row->optimized_lifted.capacity : NAN);
}

int cmd_chain(int argc, char **argv)
{
  const char *cmd = "chain", *alpha1_spec = "gate:3", *plot_path = NULL;
  int compare = 0;
  rdt_opts o;
  rdt_defaults(&o);
  for (int i = 1; i < argc; i++) {
    int rc = rdt_parse_common(cmd, argc, argv, &i, &o, help);
    if (rc == RDT_OPT_PARSED) continue;
    if (rc != RDT_OPT_OTHER) return rc;
    if (strcmp(argv[i], "--compare") == 0) {
      compare = 1;
      continue;
    }
    if (strcmp(argv[i], "--alpha1") == 0) {
      if ((rc = cli_value(cmd, argc, argv, &i, &alpha1_spec))) return rc;
      continue;
    }
    if (strcmp(argv[i], "--plot") == 0) {
      if ((rc = cli_value(cmd, argc, argv, &i, &plot_path)) || (rc = plot_check_output(cmd, plot_path))) return rc;
      continue;
    }
    return cli_usage_error(cmd, "unknown option '%s'", argv[i]);
  }
  if (o.depth == 0) return cli_usage_error(cmd, "--depth is required (an integer in [1, %d])", CLI_MAX_DEPTH);
  if (o.json && o.csv) return cli_usage_error(cmd, "--json and --csv exclude each other");

  chain_row *rows = calloc((size_t)o.depth + 1, sizeof *rows);
  if (!rows) return cli_numeric_error("chain: out of memory");
  int code = EXIT_OK;
  double alphas[CLI_MAX_DEPTH];
  const char *source = "given";
  {
    const char *why;
    if ((code = rdt_alpha1(cmd, alpha1_spec, &alphas[0], &rows[1].bound, &source, &why))) goto out;
    rows[1].computed = strcmp(source, "given") != 0;
  }
  if (o.depth > 1 && alphas[0] <= 2.0) {
    code = cli_usage_error(cmd, "--alpha1: '%s' is outside the domain where the deeper bounds are defined: "
                                "a hidden layer's alpha must exceed 2", alpha1_spec);
    goto out;
  }
  rows[1].capacity = alphas[0];
  rows[1].expansion = alphas[0];
  for (int d = 2; d <= o.depth; d++) {
    rdt_opts od = o;
    od.depth = d;
    const char *why;
    int st = rdt_compute(&od, alphas, 0, &rows[d].bound, &why);
    if (st) {
      char msg[160];
      snprintf(msg, sizeof msg, "depth %d: %s", d, why);
      code = rdt_fail(cmd, st, msg);
      goto out;
    }
    rows[d].computed = 1;
    if (compare && (code = compare_row(cmd, &od, alphas, &rows[d]))) goto out;
    rows[d].capacity = alphas[d - 1] = rows[d].bound.capacity;
    rows[d].expansion = rows[d].capacity / rows[d - 1].capacity;
  }

  if (plot_path) { /* --compare: every computed bound except the chain's own method */
    double e[CLI_MAX_DEPTH], other[4][CLI_MAX_DEPTH];
    const char *names[4] = {"plain", "lifted", "optimized", "optimized-lifted"}, *other_names[4];
    const double *others[4];
    int n_other = 0;
    for (int d = 1; d <= o.depth; d++) e[d - 1] = rows[d].expansion;
    for (int m = 0; m < 4 && compare; m++) {
      if (strcmp(names[m], o.method) == 0) continue;
      for (int d = 1; d <= o.depth; d++) {
        const chain_row *r = &rows[d];
        other[n_other][d - 1] = !r->compared ? NAN : m == 0 ? r->plain.capacity : m == 1 ? r->lifted.capacity
                                : m == 2 ? r->optimized.capacity
                                : r->have_optimized_lifted ? r->optimized_lifted.capacity : NAN;
      }
      other_names[n_other] = names[m];
      others[n_other] = other[n_other];
      n_other++;
    }
    code = chain_plot(plot_path, plot_command_line("relucap", argc, argv), o.kind == RELUCAP_STRONG, o.method,
                      o.depth, alphas, e, n_other, other_names, others);
    if (code) goto out;
  }
  if (o.json) {
    cli_json j;
    json_begin(&j, stdout);
    json_str(&j, "kind", rdt_kind_name(o.kind));
    json_str(&j, "method", o.method);
    json_str(&j, "alpha1_source", source);
    json_array(&j, "rows");
    for (int d = 1; d <= o.depth; d++) {
      json_object(&j, NULL);
      json_int(&j, "depth", d);
      json_num(&j, "capacity", rows[d].capacity);
      json_num(&j, "expansion", rows[d].expansion);
      if (d == 1) json_str(&j, "source", source);
      if (rows[d].computed) {
        rdt_json_params(&j, &rows[d].bound);
        json_num(&j, "residual", rows[d].bound.residual);
        json_num(&j, "quad_error", rows[d].bound.quad_error);
        json_num(&j, "seconds", rows[d].bound.seconds);
        if (rows[d].compared) json_compare(&j, &rows[d]);
      } else {
        json_object(&j, "params");
        json_close_object(&j);
      }
      json_close_object(&j);
    }
    json_close_array(&j);
    json_end(&j);
  } else if (o.csv) {
    printf("depth,capacity,expansion,residual,quad_error,seconds%s\n",
           compare ? ",plain,lifted,gain,c3,slope_c3_0,optimized,optimized_lifted" : "");
    for (int d = 1; d <= o.depth; d++) {
      printf("%d,%.17g,%.17g,%.3g,%.3g,%.6f", d, rows[d].capacity, rows[d].expansion,
             rows[d].bound.residual, rows[d].bound.quad_error, rows[d].bound.seconds);
      if (rows[d].compared)
        printf(",%.17g,%.17g,%.17g,%.17g,%.17g", rows[d].plain.capacity, rows[d].lifted.capacity,
               rows[d].plain.capacity - rows[d].lifted.capacity, rows[d].lifted.c3, rows[d].lifted.slope);
      if (rows[d].compared) {
        printf(",%.17g,", rows[d].optimized.capacity);
        if (rows[d].have_optimized_lifted) printf("%.17g", rows[d].optimized_lifted.capacity);
      } else if (compare) {
        printf(",,,,,,,");
      }
      printf("\n");
    }
  } else {
    printf("relucap chain: %s RDT, %s injectivity, alpha_1 = %.10g (%s)\n\n", o.method,
           rdt_kind_name(o.kind), alphas[0], source);
    printf("  depth      capacity   expansion    residual   quad err%s\n",
           compare ? "         plain        lifted       gain       c3  dPsi/dc3(0+)     optimized  optim+lifted" : "");
    for (int d = 1; d <= o.depth; d++) {
      printf("  %5d  %12.8f  %10.6f", d, rows[d].capacity, rows[d].expansion);
      if (rows[d].computed) printf("   %9.1e  %9.1e", rows[d].bound.residual, rows[d].bound.quad_error);
      else printf("   %9s  %9s", "given", "");
      if (rows[d].compared)
        printf("  %12.8f  %12.8f  %9.2e  %7.4f  %12.6f%s", rows[d].plain.capacity, rows[d].lifted.capacity,
               rows[d].plain.capacity - rows[d].lifted.capacity, rows[d].lifted.c3, rows[d].lifted.slope,
               rows[d].lifted.no_gain ? "  no gain" : "       ");
      if (rows[d].compared) {
        printf("  %12.8f", rows[d].optimized.capacity);
        if (rows[d].have_optimized_lifted) printf("  %12.8f", rows[d].optimized_lifted.capacity);
        else printf("  %12s", "-");
      }
      printf("\n");
    }
  }
out:
  free(rows);
  return code;
}

/* relucap chain: capacities at depths 1..L, each layer's ratio fixed at the previous capacity
 * (the paper's Table 7 construction). */
#include "rdt.h"
#include <stdlib.h>
#include <string.h>

static void help(void)
{
  printf(
    "NAME\n  relucap chain - injectivity capacity bounds and layer expansions for depths 1..L\n\n"
    "SYNOPSIS\n  relucap chain --depth L [--kind weak|strong] [--alpha1 X|plain] [--method plain]\n"
    "                [--quad gl|adaptive] [--nodes N] [--json|--csv]\n\n"
    "DESCRIPTION\n"
    "  Row 1 is alpha_1 (the single-layer capacity); row k >= 2 is the depth-k bound with\n"
    "  alpha_1..alpha_{k-1} fixed at the rows above (Table 7 of arXiv 2412.19677), and the\n"
    "  expansion alpha_k / alpha_{k-1}.\n\n"
    "OPTIONS\n"
    "  --depth L            deepest network, 1..%d\n"
    "  --kind weak|strong   notion of injectivity (default weak)\n"
    "  --alpha1 X|plain     alpha_1: a number (6.7004 reproduces the paper) or 'plain' (the plain\n"
    "                       single-layer bound relucap computes; the default)\n"
    "  --method NAME        plain (default)\n"
    "  --quad, --nodes      quadrature, as for relucap capacity\n"
    "  --json               {\"rows\": [{\"depth\",\"capacity\",\"expansion\",\"params\",\"residual\",\"quad_error\"}...]}\n"
    "  --csv                depth,capacity,expansion,residual,quad_error,seconds\n\n"
    "EXIT STATUS\n  0 success; 2 usage error; 3 numerical failure.\n\n"
    "EXAMPLE\n  relucap chain --depth 6 --kind weak --alpha1 6.7004\n", CLI_MAX_DEPTH);
}

typedef struct {
  double capacity, expansion;
  rdt_bound bound;
  int computed; /* 0 for a given alpha_1 */
} chain_row;

int cmd_chain(int argc, char **argv)
{
  const char *cmd = "chain", *alpha1_spec = "plain";
  rdt_opts o;
  rdt_defaults(&o);
  for (int i = 1; i < argc; i++) {
    if (cli_is_help(argv[i])) { help(); return EXIT_OK; }
    int rc = rdt_parse_shared(cmd, argc, argv, &i, &o);
    if (rc > 0) return rc;
    if (rc == 0) continue;
    if (strcmp(argv[i], "--alpha1") == 0) {
      if ((rc = cli_value(cmd, argc, argv, &i, &alpha1_spec))) return rc;
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
  if (strcmp(alpha1_spec, "plain") == 0) {
    if (rdt_best_single_layer(&alphas[0], &source)) { code = cli_numeric_error("chain: the single-layer bound failed"); goto out; }
    rdt_opts one = o;
    one.depth = 1;
    one.kind = RELUCAP_WEAK;
    const char *why;
    int st = rdt_compute(&one, NULL, 0, &rows[1].bound, &why);
    if (st) { code = rdt_fail(cmd, st, why); goto out; }
    rows[1].computed = 1;
  } else if ((code = cli_double(cmd, "--alpha1", alpha1_spec, 0, 1, 1e6, 0, &alphas[0]))) {
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
    rows[d].capacity = alphas[d - 1] = rows[d].bound.capacity;
    rows[d].expansion = rows[d].capacity / rows[d - 1].capacity;
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
      if (rows[d].computed) {
        rdt_json_params(&j, &rows[d].bound);
        json_num(&j, "residual", rows[d].bound.residual);
        json_num(&j, "quad_error", rows[d].bound.quad_error);
        json_num(&j, "seconds", rows[d].bound.seconds);
      } else {
        json_object(&j, "params");
        json_close_object(&j);
        json_str(&j, "source", "given");
      }
      json_close_object(&j);
    }
    json_close_array(&j);
    json_end(&j);
  } else if (o.csv) {
    printf("depth,capacity,expansion,residual,quad_error,seconds\n");
    for (int d = 1; d <= o.depth; d++)
      printf("%d,%.17g,%.17g,%.3g,%.3g,%.6f\n", d, rows[d].capacity, rows[d].expansion,
             rows[d].bound.residual, rows[d].bound.quad_error, rows[d].bound.seconds);
  } else {
    printf("relucap chain: %s RDT, %s injectivity, alpha_1 = %.10g (%s)\n\n", o.method,
           rdt_kind_name(o.kind), alphas[0], source);
    printf("  depth      capacity   expansion    residual   quad err\n");
    for (int d = 1; d <= o.depth; d++) {
      printf("  %5d  %12.8f  %10.6f", d, rows[d].capacity, rows[d].expansion);
      if (rows[d].computed) printf("   %9.1e  %9.1e\n", rows[d].bound.residual, rows[d].bound.quad_error);
      else printf("   %9s  %9s\n", "given", "");
    }
  }
out:
  free(rows);
  return code;
}

/* relucap capacity: the RDT upper bound on alpha_l for one architecture. */
#include "rdt.h"
#include <string.h>

static void help(void)
{
  printf(
    "NAME\n  relucap capacity - RDT upper bound on the injectivity capacity of an l-layer ReLU network\n\n"
    "SYNOPSIS\n  relucap capacity --depth L [--kind weak|strong] [--alphas a1,...,a{L-1}] [--method plain]\n"
    "                   [--quad gl|adaptive] [--nodes N] [--json]\n\n"
    "DESCRIPTION\n"
    "  For x -> ReLU(A_L ... ReLU(A_1 x)) with i.i.d. Gaussian A_k of size m_k x m_{k-1} (m_0 = n),\n"
    "  alpha_k = m_k / n, prints the bound alpha_L above which the network is injective (weakly: at\n"
    "  least n positive outputs for every input; strongly: at least 2n), given alpha_1..alpha_{L-1}.\n"
    "  Method plain: Stojnic's plain RDT (arXiv 2412.19677, eq. (72), typos fixed; docs/plain-rdt.md).\n"
    "  The saddle point is solved through an exact layer recursion and checked on the full formula.\n\n"
    "OPTIONS\n"
    "  --depth L            number of layers, 1..%d\n"
    "  --kind weak|strong   notion of injectivity (default weak)\n"
    "  --alphas LIST        alpha_1,...,alpha_{L-1}, positive (required when L > 1)\n"
    "  --method NAME        plain (default)\n"
    "  --quad gl|adaptive   quadrature: Gauss-Legendre (default) or GSL adaptive (cross-check)\n"
    "  --nodes N            Gauss-Legendre nodes per half-line, 16..4096 (default 64)\n"
    "  --json               one JSON object instead of text\n\n"
    "OUTPUT (--json)\n"
    "  capacity, depth, kind, method, alphas, params {r_i, gbar_i, gamma_i, nu, c, q}, residual\n"
    "  (max_k |x_k dPhi/dx_k| / sum_i r_{i-1}: the gradient of the objective at the saddle, scale-free),\n"
    "  gradient_max (raw max |dPhi/dx_k|), value (objective there / sum_i r_{i-1}, 0 at the root),\n"
    "  quad_error (estimated absolute error of capacity from quadrature), seconds, admissible, status.\n\n"
    "EXIT STATUS\n  0 success; 2 usage error or alphas outside the domain; 3 numerical failure.\n\n"
    "EXAMPLE\n  relucap capacity --depth 2 --kind weak --alphas 6.7004 --json\n", CLI_MAX_DEPTH);
}

int cmd_capacity(int argc, char **argv)
{
  const char *cmd = "capacity";
  rdt_opts o;
  rdt_defaults(&o);
  for (int i = 1; i < argc; i++) {
    if (cli_is_help(argv[i])) { help(); return EXIT_OK; }
    int rc = rdt_parse_shared(cmd, argc, argv, &i, &o);
    if (rc > 0) return rc;
    if (rc == 0) continue;
    if (strcmp(argv[i], "--alphas") == 0) {
      const char *v;
      if ((rc = cli_value(cmd, argc, argv, &i, &v)) ||
          (rc = cli_double_list(cmd, "--alphas", v, o.alphas, CLI_MAX_DEPTH, &o.n_alphas)))
        return rc;
      o.have_alphas = 1;
      continue;
    }
    return cli_usage_error(cmd, "unknown option '%s'", argv[i]);
  }
  if (o.depth == 0) return cli_usage_error(cmd, "--depth is required (an integer in [1, %d])", CLI_MAX_DEPTH);
  if (o.depth > 1 && !o.have_alphas)
    return cli_usage_error(cmd, "--alphas is required for depth %d (%d values: alpha_1..alpha_%d)", o.depth, o.depth - 1, o.depth - 1);
  if (o.n_alphas != o.depth - 1)
    return cli_usage_error(cmd, "--alphas: depth %d needs %d value(s), got %d", o.depth, o.depth - 1, o.n_alphas);
  if (o.csv) return cli_usage_error(cmd, "--csv is not available for capacity (use --json, or relucap chain --csv)");

  double alpha1_min = 0;
  const char *source = "";
  if (o.depth > 1 && rdt_best_single_layer(&alpha1_min, &source))
    return cli_numeric_error("capacity: the single-layer reference value failed to converge");
  rdt_bound b;
  const char *why;
  int st = rdt_compute(&o, o.alphas, alpha1_min, &b, &why);
  if (st) return rdt_fail(cmd, st, why);
  if (!b.admissible)
    cli_warning("the alphas are not injectively admissible (alpha_1 below the single-layer %s capacity "
                "%.6g, or some alpha_k below the capacity of the k-layer net before it); the bound is still computed",
                source, alpha1_min);

  if (o.json) {
    cli_json j;
    json_begin(&j, stdout);
    json_num(&j, "capacity", b.capacity);
    json_int(&j, "depth", o.depth);
    json_str(&j, "kind", rdt_kind_name(o.kind));
    json_str(&j, "method", o.method);
    json_nums(&j, "alphas", o.alphas, o.n_alphas);
    rdt_json_params(&j, &b);
    json_num(&j, "residual", b.residual);
    json_num(&j, "gradient_max", b.gradient_max);
    json_num(&j, "value", b.value);
    json_num(&j, "quad_error", b.quad_error);
    json_num(&j, "seconds", b.seconds);
    json_bool(&j, "admissible", b.admissible);
    json_str(&j, "quadrature", o.quad == RELUCAP_QUAD_GL ? "gauss-legendre" : "adaptive");
    json_str(&j, "status", "success");
    json_end(&j);
    return EXIT_OK;
  }
  printf("relucap capacity: %s RDT, %s injectivity, depth %d", o.method, rdt_kind_name(o.kind), o.depth);
  for (int k = 0; k < o.n_alphas; k++) printf("%s%.10g", k ? "," : ", alphas ", o.alphas[k]);
  printf("\n\n  alpha_%d = %.12f\n\n  saddle point:\n", o.depth, b.capacity);
  for (int k = 0; k < b.n_params; k++) printf("    %-10s %.10f\n", b.names[k], b.values[k]);
  printf("\n  evidence: residual (scaled max|grad|) = %.1e, objective = %.1e, quadrature error = %.1e, %.4f s\n",
         b.residual, b.value, b.quad_error, b.seconds);
  return EXIT_OK;
}

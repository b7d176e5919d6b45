/* relucap capacity: the RDT upper bound on alpha_l for one architecture. */
#include "rdt.h"
#include <string.h>

static void help(void)
{
  printf(
    "NAME\n  relucap capacity - RDT upper bound on the injectivity capacity of an l-layer ReLU network\n\n"
    "SYNOPSIS\n  relucap capacity --depth L [--kind weak|strong] [--alphas a1,...,a{L-1}]\n"
    "                   [--method plain|lifted|optimized|optimized-lifted|best] [--c3 X]\n"
    "                   [--ratios p2,...,pL] [--ratio-range LO,HI] [--linear-first]\n"
    "                   [--quad gl|adaptive] [--nodes N] [--json]\n\n"
    "DESCRIPTION\n"
    "  For x -> ReLU(A_L ... ReLU(A_1 x)) with i.i.d. Gaussian A_k of size m_k x m_{k-1} (m_0 = n),\n"
    "  alpha_k = m_k / n, prints the bound alpha_L above which the network is injective (weakly: at\n"
    "  least n positive outputs for every input; strongly: at least 2n), given alpha_1..alpha_{L-1}.\n"
    "  Method plain: Stojnic's plain RDT (arXiv 2412.19677, eq. (72), typos fixed; docs/plain-rdt.md).\n"
    "  The saddle point is solved through an exact layer recursion and checked on the full formula.\n"
    "  Method optimized: the same bound minimised over the dual-norm ratios pi_k = sqrt(n)|y_k|/|y_{k-1}|\n"
    "  (the paper fixes pi_k = 1; every choice is a valid bound; docs/optimized-rdt.md).  Each ratio is\n"
    "  scanned on a log grid in [0.05, 20], polished on the envelope condition, checked to be interior\n"
    "  (an optimum on the end of the range: exit 3, no number) with positive curvature, and each block\n"
    "  minimum is checked against a (gbar, gamma) grid.  Method best: the smallest of the valid bounds\n"
    "  relucap computes (plain, lifted, optimized, optimized-lifted), named in best_of.\n"
    "  Method optimized-lifted (depth 2..8): the partially lifted objective with the dual ratios,\n"
    "  minimised over c3 and the ratios together (docs/optimized-rdt.md sec. 9-10; --ratios holds them).\n"
    "  Method lifted: the partially lifted RDT (section 5, eqs (73)-(94) corrected; docs/lifted-rdt.md),\n"
    "  optimised over the lifting parameter c3; it never exceeds the plain bound.  When the best c3 is\n"
    "  0+ (no first-order gain: dPsi/dc3(0+) <= 0, as beyond two layers) it reports the plain value, c3 = 0.\n\n"
    "OPTIONS\n"
    "  --depth L            number of layers, 1..%d\n"
    "  --kind weak|strong   notion of injectivity (default weak)\n"
    "  --alphas LIST        alpha_1,...,alpha_{L-1}, positive (required when L > 1)\n"
    "  --method NAME        plain (default), lifted, optimized, optimized-lifted, or best\n"
    "  --ratios LIST        optimized: the bound at ratios pi_2,...,pi_L given by hand (positive, finite)\n"
    "  --ratio-range LO,HI  optimized: the search range of every ratio (default 0.05,20)\n"
    "  --linear-first       optimized, depth 2: the sanity model with a linear first layer (its optimised\n"
    "                       bound is the single-layer plain bound for every alpha_1, at pi_2 = 1/sqrt(alpha_1 - 1))\n"
    "  --c3 X               lifted only: hold c3 at X > 0 instead of optimising it\n"
    "  --quad gl|adaptive   quadrature: Gauss-Legendre (default) or GSL adaptive (cross-check)\n"
    "  --nodes N            Gauss-Legendre nodes per half-line, 16..4096 (default 64)\n"
    "  --json               one JSON object instead of text\n\n", CLI_MAX_DEPTH);
  /* split: ISO C limits string literals to 4095 characters */
  printf(
    "OUTPUT (--json)\n"
    "  capacity, depth, kind, method, alphas, params {r_i, gbar_i, gamma_i, nu, c, q}, residual\n"
    "  (max_k |x_k dPhi/dx_k| / sum_i r_{i-1}: the gradient of the objective at the saddle, scale-free),\n"
    "  gradient_max (raw max |dPhi/dx_k|), value (objective there / sum_i r_{i-1}, 0 at the root),\n"
    "  quad_error (estimated absolute error of capacity from quadrature), seconds, admissible, status.\n"
    "  optimized: params {pi_k, gbar_i, gamma_i, rho_i, V_k, c, q, ratios [pi_2..pi_L]}, optimization\n"
    "  {curvature_k = d^2 alpha_L/d pi_k^2, half_gap = max|gbar_i - V_i/2|, grid_gap, scan_gap (>= 0: no grid\n"
    "  or scan point below the optimum)}; residual = stationarity, value = recursion residual at the root.\n"
    "  optimized-lifted: params {pi_k, c3, r_i, gbar_i, gamma_i, nu, ratios}, optimization {no_gain,\n"
    "  d2_alpha_d_c3, saddle_max_eig_max_block (< 0), saddle_min_eig_schur (> 0), unlifted_capacity,\n"
    "  gain_from_lifting}; no_gain = 1: the best c3 is 0+ and the optimised-ratio plain bound is\n"
    "  reported (c3 = 0).\n"
    "  best: also best_of and optimization {<method>_capacity for each method that succeeded}.\n"
    "  lifted: params gains c3 and gs (the spherical multiplier), no c/q; plus plain_capacity, gain\n"
    "  (plain - lifted), no_gain, slope_c3_0 (dPsi/dc3 at c3 = 0+ at the plain saddle),\n"
    "  saddle_max_eig_max_vars (< 0) and saddle_min_eig_min_vars (> 0): the second-order min-max check\n"
    "  (0 when no_gain; a point failing it is refused with exit 3).\n\n"
    "EXIT STATUS\n  0 success; 2 usage error or alphas outside the domain; 3 numerical failure.\n\n"
    "EXAMPLES\n  relucap capacity --depth 2 --kind weak --alphas 6.7004 --json\n"
    "  relucap capacity --depth 2 --kind strong --alphas 6.7004 --method lifted\n"
    "  relucap capacity --depth 2 --kind weak --alphas 6.7004 --method optimized\n");
}

int cmd_capacity(int argc, char **argv)
{
  const char *cmd = "capacity";
  rdt_opts o;
  rdt_defaults(&o);
  for (int i = 1; i < argc; i++) {
    int rc = rdt_parse_common(cmd, argc, argv, &i, &o, help);
    if (rc == RDT_OPT_PARSED) continue;
    if (rc != RDT_OPT_OTHER) return rc;
    if (strcmp(argv[i], "--alphas") == 0) {
      const char *v;
      if ((rc = cli_value(cmd, argc, argv, &i, &v)) ||
          (rc = cli_double_list(cmd, "--alphas", v, o.alphas, CLI_MAX_DEPTH, &o.n_alphas)))
        return rc;
      o.have_alphas = 1;
      continue;
    }
    if (strcmp(argv[i], "--c3") == 0) {
      const char *v;
      if ((rc = cli_value(cmd, argc, argv, &i, &v)) || (rc = cli_double(cmd, "--c3", v, 0, 1, 1e3, 0, &o.c3)))
        return rc;
      continue;
    }
    return cli_usage_error(cmd, "unknown option '%s'", argv[i]);
  }
  if (o.c3 > 0 && strcmp(o.method, "lifted") != 0)
    return cli_usage_error(cmd, "--c3 needs --method lifted (method '%s' has no c3)", o.method);
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
    rdt_json_lifted(&j, &b);
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
  if (b.lifted)
    printf("\n  plain RDT: %.12f   gain: %.3e%s\n  dPsi/dc3 at c3 = 0+: %.6f\n", b.plain_capacity, b.gain,
           b.no_gain ? "   (no gain: the best c3 is 0+, plain value reported)" : "", b.slope);
  printf("\n  evidence: residual (scaled max|grad|) = %.1e, objective = %.1e, quadrature error = %.1e, %.4f s\n",
         b.residual, b.value, b.quad_error, b.seconds);
  return EXIT_OK;
}

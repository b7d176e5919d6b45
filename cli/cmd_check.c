/* relucap check: is a given ReLU network injective?  Exact verdicts with certificates. */
#include "netargs.h"
#include <math.h>
#include <string.h>

static void help(void)
{
  printf(
    "NAME\n  relucap check - decide whether a given ReLU network is injective, with a certificate\n\n"
    "SYNOPSIS\n  relucap check --layer W.csv[,b.csv] [--layer W2.npy ...] [--net MANIFEST]\n"
    "                [--time-limit S] [--json]\n\n"
    "DESCRIPTION\n"
    "  f(x) = ReLU(W_L ... ReLU(W_1 x + b_1) ... + b_L).  A layer is injective iff for every input\n"
    "  the rows with w_i.x + b_i >= 0 span the input space (Puthawala et al. 2022, Thm 2).  This is\n"
    "  decided exactly, with no general-position assumption (duplicate, scaled or zero rows,\n"
    "  rank-deficient W, [B;-B], +-1 entries): rank of W, then one Gordan/Farkas LP per hyperplane\n"
    "  spanned by rows (docs/check.md).  Layer 1 is checked on R^n, later layers on the non-negative\n"
    "  orthant (they only see ReLU outputs).  All layers injective: the network is injective.\n"
    "  Not injective: a pair x1 != x2 with f(x1) = f(x2), re-verified by forward passes.\n"
    "  Otherwise (layer 1 injective, a later layer not on the whole orthant) the whole map is\n"
    "  decided exactly by its linear regions: every full-dimensional region is enumerated, each\n"
    "  Jacobian must have rank n, and no two regions may share an output except at common inputs\n"
    "  (LPs on the pairs whose output images may meet; docs/check.md section 5a).  When the time\n"
    "  limit stops that search the verdict is 'undecided', never a guess; large undecided layers\n"
    "  get the RDT prediction for a Gaussian layer of the same shape as context.\n\n"
    "OPTIONS\n"
    "  --layer W[,b]     a layer: weight matrix W (m x n) and optional bias b (m entries); CSV\n"
    "                    (comma or blank separated, # comments) or NumPy .npy (float32/64)\n"
    "  --net FILE        a manifest: one layer per line 'W_PATH [B_PATH]', # comments, paths\n"
    "                    relative to the manifest\n"
    "  --time-limit S    seconds for the whole check, > 0 (default 60)\n"
    "  --json            one JSON object instead of text\n\n"
    "OUTPUT (--json)\n"
    "  injective (true, false, or null when undecided), certified, reason, witness ({x1, x2,\n"
    "  relative_output_difference} when false, else null), layers (one object per layer: shape\n"
    "  [m, n], ratio m/n, domain, verdict, rank, rows_zero, directions, hyperplanes, search_nodes, hyperplanes_bound,\n"
    "  closed_by_antipodal_pairs, closed_by_lp, closed_by_earlier_certificate, max_certificate_residual, min_active_count {lower,\n"
    "  upper, exact} (min over x of #{i : w_i.x + b_i >= 0}), near_degenerate (0, or how close the rows\n"
    "  are to a degenerate configuration inside the default tolerances: the layer was then re-checked\n"
    "  at 1e-12, or undecided), tolerance (of the pass that decided), proof (injective layers: certificates\n"
    "  [{rows (1-based rows of W), lambda}], the first 1000, with sum lambda_i (w_i, b_i) = (0, >= 0);\n"
    "  every hyperplane spanned by rows misses all rows of one of them), seconds, and\n"
    "  rdt_plain_capacity_gaussian when undecided), regions (when the region search ran: complete,\n"
    "  stopped (why it stopped early, else null), regions, region_lps, min_inradius,\n"
    "  min_jacobian_ratio, pairs, pairs_examined, pairs_separated, pairs_disjoint, pairs_touching,\n"
    "  pairs_same_cell (one cell of layers 1..L-1, common active outputs of rank n: no LP),\n"
    "  pairs_unresolved, samples, samples_missing (random inputs whose pattern is no region found:\n"
    "  must be 0), pair_lps, collision_layer (with a witness), seconds_regions, seconds),\n"
    "  seconds.\n\n"
    "EXIT STATUS\n  0 a verdict (also 'undecided'); 2 bad option or bad input file (one line naming file,\n"
    "  line and column); 3 numerical failure or no LP solver in this build.\n\n"
    "EXAMPLE\n  relucap check --layer tests/data/bminusb.csv --layer tests/data/id6.csv --json\n");
}

static const char *verdict_name(const relucap_layer_report *r)
{
  if (!r->checked) return "not checked";
  return r->verdict == RELUCAP_INJECTIVE ? "injective"
       : r->verdict == RELUCAP_NOT_INJECTIVE ? "not injective" : "undecided";
}

/* The one-layer plain RDT capacity bound for a Gaussian layer (weak injectivity), computed. */
static int rdt_one_layer(double *cap)
{
  relucap_plain_problem p;
  memset(&p, 0, sizeof p);
  p.depth = 1;
  p.kind = RELUCAP_WEAK;
  p.quad = RELUCAP_QUAD_GL;
  relucap_plain_result r;
  int st = relucap_plain_capacity(&p, &r);
  if (st == RELUCAP_SUCCESS) *cap = r.capacity;
  return st;
}

static void print_vec(FILE *f, const double *x, size_t n)
{
  fputc('(', f);
  for (size_t j = 0; j < n; j++) fprintf(f, "%s%.17g", j ? ", " : "", x[j] == 0 ? 0.0 : x[j]); /* no -0 */
  fputc(')', f);
}

/* The exhaustive region decision's evidence (docs/check.md section 5a). */
static void region_json(cli_json *j, const relucap_region_report *R)
{
  json_object(j, "regions");
  json_bool(j, "complete", R->complete);
  if (R->stopped) json_str(j, "stopped", R->stopped);
  else json_null(j, "stopped");
  json_int(j, "regions", (long)R->regions);
  json_int(j, "region_lps", (long)R->region_lps);
  if (R->regions && isfinite(R->min_inradius)) json_num(j, "min_inradius", R->min_inradius);
  if (R->regions && isfinite(R->min_jacobian_ratio)) json_num(j, "min_jacobian_ratio", R->min_jacobian_ratio);
  json_num(j, "pairs", (double)R->pairs);
  json_num(j, "pairs_examined", (double)R->pairs_examined);
  json_num(j, "pairs_separated", (double)R->pairs_separated);
  json_int(j, "pairs_disjoint", (long)R->pairs_disjoint);
  json_int(j, "pairs_touching", (long)R->pairs_touching);
  json_int(j, "pairs_same_cell", (long)R->pairs_same_cell);
  json_int(j, "pairs_unresolved", (long)R->pairs_unresolved);
  json_int(j, "samples", (long)R->samples);
  json_int(j, "samples_missing", (long)R->samples_missing);
  json_int(j, "pair_lps", (long)R->pair_lps);
  if (R->collision_layer) json_int(j, "collision_layer", (long)R->collision_layer);
  json_num(j, "seconds_regions", R->seconds_regions);
  json_num(j, "seconds", R->seconds);
  json_close_object(j);
}

static void region_text(const relucap_region_report *R)
{
  printf("regions: %zu full-dimensional linear regions (%zu LPs, smallest inradius %.3g, smallest "
         "sigma_min/sigma_max of a Jacobian %.3g, %zu of %zu random inputs outside them); %.0f region pairs: %.0f examined, %.0f apart along a "
         "projection, %zu disjoint by LP, %zu meeting only at common inputs, %zu in one cell of the layers before "
         "the last (rank test), %zu unresolved (%zu LPs); %s; %.3g s\n",
         R->regions, R->region_lps, R->regions ? R->min_inradius : 0.0, R->regions ? R->min_jacobian_ratio : 0.0,
         R->samples_missing, R->samples, (double)R->pairs, (double)R->pairs_examined, (double)R->pairs_separated, R->pairs_disjoint,
         R->pairs_touching, R->pairs_same_cell, R->pairs_unresolved, R->pair_lps, R->complete ? "complete" : R->stopped ? R->stopped : "stopped",
         R->seconds);
}

int cmd_check(int argc, char **argv)
{
  const char *cmd = "check";
  relucap_net net = {0, NULL};
  double time_limit = 60;
  int json = 0, rc;
  for (int i = 1; i < argc; i++) {
    rc = netargs_parse_common(cmd, argc, argv, &i, &net, help, &time_limit);
    if (rc == NETARGS_PARSED) continue;
    if (rc != NETARGS_OTHER) return rc;
    if (strcmp(argv[i], "--json") == 0) { json = 1; continue; }
    relucap_net_free(&net);
    return cli_usage_error(cmd, "unknown option '%s'", argv[i]);
  }
  if ((rc = netargs_need_network(cmd, &net))) return rc;
  if (!relucap_lp_available()) {
    relucap_net_free(&net);
    return cli_numeric_error("check: this build has no LP solver (COIN-OR CLP); run scripts/install-deps.sh and rebuild");
  }
  relucap_net_report rep;
  int st = relucap_netcheck(&net, time_limit, &rep);
  if (st) {
    relucap_net_report_free(&rep);
    relucap_net_free(&net);
    return cli_numeric_error("check: the exact solver failed (%s); no verdict", relucap_strerror(st));
  }
  double rdt_cap = NAN;
  for (size_t k = 0; k < rep.depth; k++)
    if (rep.layers[k].checked && rep.layers[k].verdict == RELUCAP_UNDECIDED && isnan(rdt_cap))
      if (rdt_one_layer(&rdt_cap)) rdt_cap = NAN; /* context only: leave it out if it fails */

  if (json) {
    cli_json j;
    json_begin(&j, stdout);
    if (rep.verdict == RELUCAP_UNDECIDED) json_null(&j, "injective");
    else json_bool(&j, "injective", rep.verdict == RELUCAP_INJECTIVE);
    json_bool(&j, "certified", rep.certified);
    json_str(&j, "reason", rep.reason);
    if (rep.verdict == RELUCAP_NOT_INJECTIVE) {
      json_object(&j, "witness");
      json_nums(&j, "x1", rep.x1, (int)rep.n);
      json_nums(&j, "x2", rep.x2, (int)rep.n);
      json_num(&j, "relative_output_difference", rep.witness_diff);
      json_close_object(&j);
    } else {
      json_null(&j, "witness");
    }
    json_array(&j, "layers");
    for (size_t k = 0; k < rep.depth; k++) {
      const relucap_layer_report *r = &rep.layers[k];
      json_object(&j, NULL);
      json_array(&j, "shape");
      json_int(&j, NULL, (long)r->m);
      json_int(&j, NULL, (long)r->n);
      json_close_array(&j);
      json_num(&j, "ratio", (double)r->m / (double)r->n);
      json_str(&j, "domain", r->orthant ? "orthant" : "R^n");
      json_str(&j, "verdict", verdict_name(r));
      if (r->checked) {
        json_int(&j, "rank", (long)r->rank);
        json_int(&j, "rows_zero", (long)r->zero_rows);
        json_int(&j, "directions", (long)r->lines);
        json_int(&j, "hyperplanes", (long)r->hyperplanes);
        json_int(&j, "search_nodes", (long)r->nodes);
        json_num(&j, "hyperplanes_bound", r->hyperplanes_bound < 9e15 ? floor(r->hyperplanes_bound + 0.5) : r->hyperplanes_bound);
        json_int(&j, "closed_by_antipodal_pairs", (long)r->by_antipodal);
        json_int(&j, "closed_by_lp", (long)r->by_lp);
        json_int(&j, "closed_by_earlier_certificate", (long)r->by_cache);
        json_num(&j, "max_certificate_residual", r->max_cert_residual);
        json_object(&j, "min_active_count");
        json_int(&j, "lower", (long)r->active_lower);
        json_int(&j, "upper", (long)r->active_upper);
        json_bool(&j, "exact", r->active_exact);
        json_close_object(&j);
        if (r->conflict) json_bool(&j, "solver_conflict", 1);
        json_num(&j, "near_degenerate", r->near_degenerate);
        json_num(&j, "tolerance", r->tolerance);
        if (r->verdict == RELUCAP_INJECTIVE) { /* the proof: Farkas certificates (docs/check.md (5)) */
          json_object(&j, "proof");
          json_int(&j, "certificates_total", (long)r->ncert);
          json_bool(&j, "complete", r->certificates_complete);
          json_array(&j, "certificates");
          for (size_t c = 0; c < r->ncert && c < 1000; c++) {
            json_object(&j, NULL);
            json_array(&j, "rows");
            for (size_t e = r->cert_start[c]; e < r->cert_start[c + 1]; e++) json_int(&j, NULL, (long)r->cert_rows[e] + 1);
            json_close_array(&j);
            json_nums(&j, "lambda", r->cert_lambda + r->cert_start[c], (int)(r->cert_start[c + 1] - r->cert_start[c]));
            json_close_object(&j);
          }
          json_close_array(&j);
          json_close_object(&j);
        }
        if (r->verdict == RELUCAP_UNDECIDED) json_num(&j, "rdt_plain_capacity_gaussian", rdt_cap);
        json_num(&j, "seconds", r->seconds);
      }
      json_close_object(&j);
    }
    json_close_array(&j);
    if (rep.regions.run) region_json(&j, &rep.regions);
    json_num(&j, "seconds", rep.seconds);
    json_end(&j);
  } else {
    char shape[512];
    netargs_shape(&net, shape, sizeof shape);
    printf("network: %s (depth %zu), time limit %g s\n", shape, net.depth, time_limit);
    for (size_t k = 0; k < rep.depth; k++) {
      const relucap_layer_report *r = &rep.layers[k];
      printf("layer %zu: %zu x %zu, ratio %.6g, on %s: %s", k + 1, r->m, r->n, (double)r->m / (double)r->n,
             r->orthant ? "the orthant" : "R^n", verdict_name(r));
      if (r->checked)
        printf("; rank %zu, %zu zero rows, %zu directions, %zu hyperplanes (%zu by antipodal pairs, %zu by new LP certificates, "
               "%zu by earlier ones, max residual %.2g); min active count in [%zu, %zu]%s; %.3g s",
               r->rank, r->zero_rows, r->lines, r->hyperplanes, r->by_antipodal, r->by_lp, r->by_cache, r->max_cert_residual,
               r->active_lower, r->active_upper, r->conflict ? " (CONFLICT between solvers: numerics)" : "", r->seconds);
      if (r->checked && r->near_degenerate > 0)
        printf("; near-degenerate data (a tie, rank drop or parallel pair off by %.2g relative): %s", r->near_degenerate,
               r->verdict == RELUCAP_UNDECIDED ? "not decidable at tolerance 1e-12 either"
                                               : "decided for the weights as given, at tolerance 1e-12");
      if (r->checked && r->verdict == RELUCAP_UNDECIDED && !isnan(rdt_cap))
        printf("; context: for a Gaussian layer the one-layer plain RDT upper bound on the injectivity "
               "capacity (ratio m/n) is %.10g, this layer's ratio is %.6g", rdt_cap, (double)r->m / (double)r->n);
      printf("\n");
    }
    if (rep.regions.run) region_text(&rep.regions);
    printf("injective: %s%s: %s\n",
           rep.verdict == RELUCAP_INJECTIVE ? "yes" : rep.verdict == RELUCAP_NOT_INJECTIVE ? "no" : "undecided",
           rep.certified ? " (certified)" : "", rep.reason);
    if (rep.verdict == RELUCAP_NOT_INJECTIVE) {
      printf("witness: x1 = ");
      print_vec(stdout, rep.x1, rep.n);
      printf("\n         x2 = ");
      print_vec(stdout, rep.x2, rep.n);
      printf("\n         relative output difference %.3g\n", rep.witness_diff);
    }
    printf("seconds: %.3g\n", rep.seconds);
  }
  relucap_net_report_free(&rep);
  relucap_net_free(&net);
  return EXIT_OK;
}

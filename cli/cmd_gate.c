/* relucap gate: the injectivity capacity of one random ReLU layer at every lifting level
 * (fl RDT level L = replica (L-1)-RSB), the ladder of all levels, and full RSB (docs/gate.md). */
#include "cli.h"
#include "commands.h"
#include "relucap.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CMD "gate"

/* The CLI climbs the ladder level by level; beyond 12 steps that takes minutes (the library reaches
 * 24 steps by doubling: relucap_gate_split_start + relucap_gate_refine). */
#define CLI_MAXSTEPS 12

/* Published replica values (Maillard, Bandeira, Belius, Dokmanic, Nakajima 2023), comparison only. */
#define MAILLARD_RS 7.647694915
#define MAILLARD_1RSB 6.715696838
#define MAILLARD_FRSB 6.69803
#define MAILLARD_AT 5.323766896

static void help(void)
{
  printf(
    "NAME\n"
    "  relucap gate - injectivity capacity of one random ReLU layer at every lifting level\n\n"
    "SYNOPSIS\n"
    "  relucap gate --level L [--json] [--ppw X] [--cut X] [--kmax K] [--tol X]\n"
    "  relucap gate --ladder [--max-level N] [--json | --csv] [--ppw X] [--cut X] [--kmax K] [--tol X]\n"
    "  relucap gate --level L --alpha A [--json]\n\n"
    "DESCRIPTION\n"
    "  Level L of fully lifted random duality theory (Stojnic, arXiv 2410.20646) equals the replica\n"
    "  prediction with L-1 steps of replica symmetry breaking (Maillard et al. 2023).  The capacity\n"
    "  alpha = m/n solves e*(alpha) = 1, e* the stationary value of the zero-temperature k-RSB\n"
    "  functional, computed on a grid of the cavity field (docs/gate.md).\n\n"
    "OPTIONS\n"
    "  --level L      1 (RS), 2p (1RSB with Q_0 = 0), 2 (1RSB), 3 (2RSB), ..., %d, or full\n"
    "                 (full RSB: k-RSB for k = 1..kmax extrapolated in k, with an error estimate)\n"
    "  --ladder       all levels 1, 2p, 2..N and full side by side, the relative change level to\n"
    "                 level, Maillard et al.'s published values, and the RS de Almeida-Thouless point\n"
    "  --alpha A      instead of the capacity, the ground-state energy e*(A) (max of the functional\n"
    "                 at alpha = A; the layer is injective where e* >= 1); not for full\n"
    "  --threads N    OpenMP threads for the derivatives, in [0, 64] (0: OpenMP default; default 1)\n"
    "  --max-level N  highest integer level of the ladder, in [2, %d] (default 6)\n"
    "  --kmax K       RSB steps used by full, in [4, %d] (default 8)\n"
    "  --ppw X        grid nodes per smallest Gaussian width, in [2, 64] (default 4)\n"
    "  --cut X        cavity-field grid half-width, in [5, 30] (default 9)\n"
    "  --tol X        stationarity tolerance (scale-free gradient), in (0, 0.01] (default 1e-6)\n"
    "  --json         one JSON object on stdout\n"
    "  --csv          (with --ladder) one CSV row per level\n\n"
    "OUTPUT KEYS (--json)\n"
    "  level            the level: an integer, or \"2p\" / \"full\"\n"
    "  replica          the replica equivalent (RS, 1RSB, ..., FRSB)\n"
    "  capacity         alpha_c with e*(alpha_c) = 1\n"
    "  params           {\"Q\": overlaps Q_0..Q_{k-1}, \"chim\": Parisi parameters chim_1..chim_k, \"chi\"}\n"
    "  energy_residual  |e*(alpha_c) - 1|, e* re-maximised independently at alpha_c\n"
    "  residual         stationarity: max |df/dtheta| * scale(theta) over the parameters\n"
    "  quad_error       change of alpha_c on a grid with 1.6x the nodes per width\n"
    "  seconds          wall-clock time\n"
    "  full only: extrap_error (error estimate of the k -> infinity limit), kmax, ladder (k-RSB\n"
    "  capacities for k = 0..kmax).\n"
    "  --alpha: level, replica, alpha, energy, params, residual, seconds.\n"
    "  --ladder --json: {\"levels\": [{level, replica, capacity, rel_change, maillard_et_al, ...}],\n"
    "  \"at_point\": {alpha, beta, maillard_et_al}, \"seconds\"}.\n\n"
    "EXIT STATUS\n"
    "  0 success, 2 bad option or value, 3 stationarity not reached (no capacity printed).\n\n"
    "EXAMPLE\n"
    "  relucap gate --level 3 --json\n"
    "  relucap gate --ladder --max-level 8\n",
    CLI_MAXSTEPS + 1, CLI_MAXSTEPS + 1, CLI_MAXSTEPS);
}

/* "2p" -> partial, "full" -> full, digits -> integer level; anything else is a usage error. */
static int parse_level(const char *s, relucap_gate_opts *o)
{
  if (strcmp(s, "2p") == 0) { o->partial = 1; return 0; }
  if (strcmp(s, "full") == 0) { o->full = 1; return 0; }
  size_t n = strlen(s);
  int digits = n > 0 && n < 4;
  for (size_t i = 0; i < n && digits; i++) digits = s[i] >= '0' && s[i] <= '9';
  long v = digits ? strtol(s, NULL, 10) : -1;
  if (!digits || v < 1 || v > CLI_MAXSTEPS + 1)
    return cli_usage_error(CMD, "--level: expected 1, 2p, 2, 3, ..., %d or full, got '%s'",
                           CLI_MAXSTEPS + 1, s);
  o->level = (int)v;
  return 0;
}

static void replica_name(int k, char *buf, size_t n)
{
  if (k == 0) snprintf(buf, n, "RS");
  else snprintf(buf, n, "%dRSB", k);
}

static void json_params(cli_json *j, const relucap_gate_result *r)
{
  json_object(j, "params");
  json_nums(j, "Q", r->Q, r->steps);
  json_nums(j, "chim", r->chim, r->steps);
  json_num(j, "chi", r->chi);
  json_close_object(j);
}

static void print_vec(const char *name, const double *v, int n)
{
  printf("%s = [", name);
  for (int i = 0; i < n; i++) printf("%s%.10g", i ? ", " : "", v[i]);
  printf("]");
}

static int run_level(const relucap_gate_opts *o, int json)
{
  relucap_gate_result r;
  int st = relucap_gate_capacity(o, &r);
  if (st || !isfinite(r.capacity))
    return cli_numeric_error("gate: no converged capacity (%s; level %d residual %.3g, tolerance %.3g)",
                             relucap_strerror(st), r.level, r.residual, o->tol);
  char lev[16], rep[32];
  if (o->partial) { strcpy(lev, "2p"); strcpy(rep, "1RSB with Q_0 = 0"); }
  else if (o->full) { strcpy(lev, "full"); strcpy(rep, "FRSB"); }
  else { snprintf(lev, sizeof lev, "%d", o->level); replica_name(o->level - 1, rep, sizeof rep); }
  if (json) {
    cli_json j;
    json_begin(&j, stdout);
    if (o->partial || o->full) json_str(&j, "level", lev);
    else json_int(&j, "level", o->level);
    json_str(&j, "replica", rep);
    json_num(&j, "capacity", r.capacity);
    json_params(&j, &r);
    json_num(&j, "energy_residual", r.energy_residual);
    json_num(&j, "residual", r.residual);
    json_num(&j, "quad_error", r.quad_error);
    if (o->full) {
      json_num(&j, "extrap_error", r.extrap_error);
      json_int(&j, "kmax", o->full_kmax);
      json_nums(&j, "ladder", r.ladder, r.nladder);
    }
    json_num(&j, "seconds", r.seconds);
    json_str(&j, "status", "success");
    json_end(&j);
    return EXIT_OK;
  }
  printf("level %s (%s)\n", lev, rep);
  if (o->full) printf("capacity          %.10f +- %.2g (k-RSB, k = 1..%d, extrapolated)\n", r.capacity, r.extrap_error, o->full_kmax);
  else printf("capacity          %.12f\n", r.capacity);
  printf("params            ");
  print_vec("Q", r.Q, r.steps);
  printf("  ");
  print_vec("chim", r.chim, r.steps);
  printf("  chi = %.10g%s\n", r.chi, o->full ? "  (k = kmax)" : "");
  printf("energy_residual   %.3g\nresidual          %.3g\nquad_error        %.3g\nseconds           %.3f\n",
         r.energy_residual, r.residual, r.quad_error, r.seconds);
  return EXIT_OK;
}

static int run_energy(const relucap_gate_opts *o, double alpha, int json)
{
  relucap_gate_result r;
  int st = relucap_gate_energy(o, alpha, &r);
  if (st || !isfinite(r.energy))
    return cli_numeric_error("gate: no converged energy at alpha %g (%s)", alpha, relucap_strerror(st));
  char lev[16], rep[32];
  if (o->partial) { strcpy(lev, "2p"); strcpy(rep, "1RSB with Q_0 = 0"); }
  else { snprintf(lev, sizeof lev, "%d", o->level); replica_name(o->level - 1, rep, sizeof rep); }
  if (json) {
    cli_json j;
    json_begin(&j, stdout);
    if (o->partial) json_str(&j, "level", lev);
    else json_int(&j, "level", o->level);
    json_str(&j, "replica", rep);
    json_num(&j, "alpha", alpha);
    json_num(&j, "energy", r.energy);
    json_params(&j, &r);
    json_num(&j, "residual", r.residual);
    json_num(&j, "seconds", r.seconds);
    json_end(&j);
    return EXIT_OK;
  }
  printf("level %s (%s) at alpha = %g\nenergy e*         %.12f (%s)\nparams            ", lev, rep, alpha, r.energy,
         r.energy >= 1.0 ? "injective at this level's prediction" : "not injective");
  print_vec("Q", r.Q, r.steps);
  printf("  ");
  print_vec("chim", r.chim, r.steps);
  printf("  chi = %.10g\nresidual          %.3g\nseconds           %.3f\n", r.chi, r.residual, r.seconds);
  return EXIT_OK;
}

/* One row of the ladder. */
typedef struct {
  char level[16], replica[32];
  double capacity, err, rel_change, published, residual, energy_residual, quad_error, seconds;
} ladder_row;

static int run_ladder(relucap_gate_opts o, int max_level, int json, int csv)
{
  double t0 = relucap_clock();
  int K = o.full_kmax, top = max_level > K + 1 ? max_level : K + 1;
  relucap_gate_result *lad = calloc((size_t)top, sizeof *lad), part;
  ladder_row rows[RELUCAP_GATE_MAXSTEPS + 4];
  if (!lad) return cli_numeric_error("gate: out of memory");
  int st = relucap_gate_ladder(&o, top, lad);
  o.partial = 1;
  if (!st) st = relucap_gate_capacity(&o, &part);
  double full, full_err = NAN, caps[RELUCAP_GATE_MAXSTEPS + 1], at = NAN, at_beta = NAN;
  for (int k = 0; k <= K && !st; k++) caps[k] = lad[k].capacity;
  if (!st) st = relucap_gate_extrapolate(caps, K, &full, &full_err, NULL);
  if (!st) st = relucap_gate_at_point(&at, &at_beta);
  if (st) {
    free(lad);
    return cli_numeric_error("gate --ladder: a level did not converge (%s)", relucap_strerror(st));
  }
  double qerr = 0.0;
  for (int k = K - 3; k <= K; k++) qerr = fmax(qerr, lad[k].quad_error);
  int n = 0;
  for (int L = 1; L <= max_level; L++) {
    ladder_row *r = &rows[n++];
    const relucap_gate_result *x = &lad[L - 1];
    if (L == 2) { /* 2p sits between 1 and 2 */
      snprintf(r->level, sizeof r->level, "2p");
      snprintf(r->replica, sizeof r->replica, "1RSB, Q_0 = 0");
      r->capacity = part.capacity;
      r->err = part.quad_error;
      r->rel_change = (part.capacity - lad[0].capacity) / lad[0].capacity;
      r->published = NAN;
      r->residual = part.residual;
      r->energy_residual = part.energy_residual;
      r->quad_error = part.quad_error;
      r->seconds = part.seconds;
      r = &rows[n++];
    }
    snprintf(r->level, sizeof r->level, "%d", L);
    replica_name(L - 1, r->replica, sizeof r->replica);
    r->capacity = x->capacity;
    r->err = x->quad_error;
    r->rel_change = L == 1 ? NAN : (x->capacity - lad[L - 2].capacity) / lad[L - 2].capacity;
    r->published = L == 1 ? MAILLARD_RS : (L == 2 ? MAILLARD_1RSB : NAN);
    r->residual = x->residual;
    r->energy_residual = x->energy_residual;
    r->quad_error = x->quad_error;
    r->seconds = x->seconds;
  }
  ladder_row *r = &rows[n++];
  snprintf(r->level, sizeof r->level, "full");
  snprintf(r->replica, sizeof r->replica, "FRSB (k=1..%d extrap.)", K);
  r->capacity = full;
  r->err = full_err + 4.0 * qerr;
  r->rel_change = (full - lad[max_level - 1].capacity) / lad[max_level - 1].capacity;
  r->published = MAILLARD_FRSB;
  r->residual = r->energy_residual = 0.0;
  for (int k = 1; k <= K; k++) {
    r->residual = fmax(r->residual, lad[k].residual);
    r->energy_residual = fmax(r->energy_residual, lad[k].energy_residual);
  }
  r->quad_error = qerr;
  r->seconds = 0.0;
  for (int k = 1; k <= K; k++) r->seconds += lad[k].seconds;
  free(lad);
  double secs = relucap_clock() - t0;

  if (json) {
    cli_json j;
    json_begin(&j, stdout);
    json_array(&j, "levels");
    for (int i = 0; i < n; i++) {
      json_object(&j, NULL);
      if (strcmp(rows[i].level, "2p") && strcmp(rows[i].level, "full")) json_int(&j, "level", atoi(rows[i].level));
      else json_str(&j, "level", rows[i].level);
      json_str(&j, "replica", rows[i].replica);
      json_num(&j, "capacity", rows[i].capacity);
      json_num(&j, "error", rows[i].err);
      json_num(&j, "rel_change", rows[i].rel_change);
      json_num(&j, "maillard_et_al", rows[i].published);
      json_num(&j, "residual", rows[i].residual);
      json_num(&j, "energy_residual", rows[i].energy_residual);
      json_num(&j, "quad_error", rows[i].quad_error);
      json_num(&j, "seconds", rows[i].seconds);
      json_close_object(&j);
    }
    json_close_array(&j);
    json_object(&j, "at_point");
    json_num(&j, "alpha", at);
    json_num(&j, "beta", at_beta);
    json_num(&j, "maillard_et_al", MAILLARD_AT);
    json_close_object(&j);
    json_num(&j, "seconds", secs);
    json_end(&j);
    return EXIT_OK;
  }
  if (csv) {
    printf("level,replica,capacity,error,rel_change,maillard_et_al,residual,energy_residual,quad_error,seconds\n");
    for (int i = 0; i < n; i++) {
      printf("%s,%s,%.12f,%.3g,", rows[i].level, rows[i].replica, rows[i].capacity, rows[i].err);
      if (isfinite(rows[i].rel_change)) printf("%.6e", rows[i].rel_change);
      printf(",");
      if (isfinite(rows[i].published)) printf("%.10g", rows[i].published);
      printf(",%.3g,%.3g,%.3g,%.4f\n", rows[i].residual, rows[i].energy_residual, rows[i].quad_error, rows[i].seconds);
    }
    printf("AT,RS instability (d-AT),%.10f,,,%.10g,,,,\n", at, MAILLARD_AT);
    return EXIT_OK;
  }
  printf("One ReLU layer: capacity at every lifting level (fl RDT level L = replica (L-1)-RSB)\n\n");
  printf("%-5s %-24s %-15s %-9s %-11s %-15s %-9s %-8s\n", "level", "replica", "capacity", "+-",
         "rel.change", "Maillard et al.", "residual", "seconds");
  for (int i = 0; i < n; i++) {
    char rc[24] = "-", pub[24] = "-";
    if (isfinite(rows[i].rel_change)) snprintf(rc, sizeof rc, "%+.3e", rows[i].rel_change);
    if (isfinite(rows[i].published)) snprintf(pub, sizeof pub, "%.10g", rows[i].published);
    printf("%-5s %-24s %-15.10f %-9.2g %-11s %-15s %-9.2g %-8.3f\n", rows[i].level, rows[i].replica,
           rows[i].capacity, rows[i].err, rc, pub, rows[i].residual, rows[i].seconds);
  }
  printf("\nRS de Almeida-Thouless point (diagnostic): alpha_AT = %.10f at beta* = %.6f"
         "  (Maillard et al.: %.10g)\n", at, at_beta, MAILLARD_AT);
  printf("rel.change: relative to the previous integer level (2p: to level 1; full: to level %d).\n", max_level);
  printf("total %.2f s\n", secs);
  return EXIT_OK;
}

int cmd_gate(int argc, char **argv)
{
  relucap_gate_opts o;
  relucap_gate_opts_default(&o);
  int have_level = 0, ladder = 0, json = 0, csv = 0, have_alpha = 0;
  long max_level = 6;
  double alpha = 0.0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v;
    double x;
    long n;
    if (cli_is_help(a)) { help(); return EXIT_OK; }
    else if (strcmp(a, "--json") == 0) json = 1;
    else if (strcmp(a, "--csv") == 0) csv = 1;
    else if (strcmp(a, "--ladder") == 0) ladder = 1;
    else if (strcmp(a, "--level") == 0) {
      if (cli_value(CMD, argc, argv, &i, &v) || parse_level(v, &o)) return EXIT_USAGE;
      have_level = 1;
    } else if (strcmp(a, "--max-level") == 0) {
      if (cli_value(CMD, argc, argv, &i, &v) || cli_int(CMD, a, v, 2, CLI_MAXSTEPS + 1, &max_level)) return EXIT_USAGE;
    } else if (strcmp(a, "--alpha") == 0) {
      if (cli_value(CMD, argc, argv, &i, &v) || cli_double(CMD, a, v, 0.0, 1, 1e6, 0, &alpha)) return EXIT_USAGE;
      have_alpha = 1;
    } else if (strcmp(a, "--threads") == 0) {
      if (cli_value(CMD, argc, argv, &i, &v) || cli_int(CMD, a, v, 0, 64, &n)) return EXIT_USAGE;
      o.threads = (int)n;
    } else if (strcmp(a, "--kmax") == 0) {
      if (cli_value(CMD, argc, argv, &i, &v) || cli_int(CMD, a, v, 4, CLI_MAXSTEPS, &n)) return EXIT_USAGE;
      o.full_kmax = (int)n;
    } else if (strcmp(a, "--ppw") == 0) {
      if (cli_value(CMD, argc, argv, &i, &v) || cli_double(CMD, a, v, 2.0, 0, 64.0, 0, &x)) return EXIT_USAGE;
      o.ppw = x;
    } else if (strcmp(a, "--cut") == 0) {
      if (cli_value(CMD, argc, argv, &i, &v) || cli_double(CMD, a, v, 5.0, 0, 30.0, 0, &x)) return EXIT_USAGE;
      o.cut = x;
    } else if (strcmp(a, "--tol") == 0) {
      if (cli_value(CMD, argc, argv, &i, &v) || cli_double(CMD, a, v, 0.0, 1, 0.01, 0, &x)) return EXIT_USAGE;
      o.tol = x;
    } else {
      return cli_usage_error(CMD, "unknown option '%s' (options: --level, --ladder, --alpha, --max-level, "
                                  "--kmax, --ppw, --cut, --tol, --threads, --json, --csv)", a);
    }
  }
  if (json && csv) return cli_usage_error(CMD, "--json and --csv exclude each other");
  if (ladder && have_level) return cli_usage_error(CMD, "--ladder and --level exclude each other");
  if (!ladder && !have_level) return cli_usage_error(CMD, "give --level L (1, 2p, 2, 3, ..., full) or --ladder");
  if (csv && !ladder) return cli_usage_error(CMD, "--csv needs --ladder (use --json for one level)");
  if (have_alpha && (ladder || o.full))
    return cli_usage_error(CMD, "--alpha needs one finite level (1, 2p, 2, 3, ...), not --ladder or full");
  if (have_alpha) return run_energy(&o, alpha, json);
  return ladder ? run_ladder(o, (int)max_level, json, csv) : run_level(&o, json);
}

/* Parsing and the Monte Carlo sweep shared by relucap depth / mc / transition. */
#include "finite_cli.h"
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef RELUCAP_HAVE_MPI
#include <mpi.h>
#endif

static int mpi_rank = 0, mpi_size = 1;

void fcli_mpi_begin(int *argc, char ***argv)
{
#ifdef RELUCAP_HAVE_MPI
  int inited = 0;
  MPI_Initialized(&inited);
  if (!inited) MPI_Init(argc, argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &mpi_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &mpi_size);
#else
  (void)argc;
  (void)argv;
#endif
}

void fcli_mpi_end(void)
{
#ifdef RELUCAP_HAVE_MPI
  MPI_Finalize();
#endif
}

int fcli_rank(void) { return mpi_rank; }

/* Trials [0, T) are split into contiguous blocks, one per rank; the streams are those of the
 * single-process run (stream0 + t), so the reduced counts are identical. */
static int mc_point_sharded(int depth, const int *dims, const relucap_law *law, int target,
                            unsigned long seed, unsigned long stream0, long trials, int threads,
                            double time_limit, long *yes, long *und)
{
  long lo = trials * mpi_rank / mpi_size, hi = trials * (mpi_rank + 1) / mpi_size;
  long y = 0, u = 0;
  int st = RELUCAP_SUCCESS;
  if (hi > lo)
    st = relucap_finite_mc_point(depth, dims, law, target, seed, stream0 + (unsigned long)lo,
                                 hi - lo, threads, time_limit, &y, &u);
#ifdef RELUCAP_HAVE_MPI
  long loc[3] = {y, u, st != RELUCAP_SUCCESS}, tot[3];
  MPI_Allreduce(loc, tot, 3, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
  y = tot[0];
  u = tot[1];
  if (tot[2]) st = RELUCAP_ENOPROG;
#endif
  *yes = y;
  *und = u;
  return st;
}

int fcli_int_list(const char *cmd, const char *opt, const char *s, int *out, int max, int *k)
{
  *k = 0;
  const char *p = s;
  if (!*p) return cli_usage_error(cmd, "%s: expected a comma-separated list of positive integers, got ''", opt);
  while (*p) {
    char *end;
    errno = 0;
    long v = strtol(p, &end, 10);
    if (end == p || (*end != ',' && *end != '\0') || errno == ERANGE || v < 1 || v > 100000)
      return cli_usage_error(cmd, "%s: expected a comma-separated list of integers in [1, 100000], got '%s'", opt, s);
    if (*k >= max) return cli_usage_error(cmd, "%s: at most %d entries, got '%s'", opt, max, s);
    out[(*k)++] = (int)v;
    p = *end == ',' ? end + 1 : end;
    if (*end == ',' && !*p) return cli_usage_error(cmd, "%s: trailing comma in '%s'", opt, s);
  }
  return 0;
}

int fcli_sweep(const char *cmd, const char *s, double *from, double *to, double *step)
{
  char buf[128];
  if (strlen(s) >= sizeof buf) return cli_usage_error(cmd, "--sweep: too long: '%s'", s);
  strcpy(buf, s);
  char *a = buf, *b = strchr(a, ':'), *c = b ? strchr(b + 1, ':') : NULL;
  if (!b || !c) return cli_usage_error(cmd, "--sweep: expected FROM:TO:STEP, got '%s'", s);
  *b = *c = '\0';
  char *e1, *e2, *e3;
  *from = strtod(a, &e1);
  *to = strtod(b + 1, &e2);
  *step = strtod(c + 1, &e3);
  if (*e1 || *e2 || *e3 || e1 == a || e2 == b + 1 || e3 == c + 1 || !isfinite(*from) ||
      !isfinite(*to) || !isfinite(*step))
    return cli_usage_error(cmd, "--sweep: expected three numbers FROM:TO:STEP, got '%s'", s);
  if (!(*from > 0)) return cli_usage_error(cmd, "--sweep: FROM must be > 0, got '%s'", s);
  if (!(*to >= *from)) return cli_usage_error(cmd, "--sweep: empty or inverted range (TO < FROM) in '%s'", s);
  if (!(*step > 0)) return cli_usage_error(cmd, "--sweep: STEP must be > 0, got '%s'", s);
  if ((*to - *from) / *step > FCLI_MAXPTS) return cli_usage_error(cmd, "--sweep: more than %d points in '%s'", FCLI_MAXPTS, s);
  return 0;
}

int fcli_law(const char *cmd, const char *s, relucap_law *law)
{
  if (relucap_law_parse(s, law) == RELUCAP_SUCCESS) return 0;
  if (strncmp(s, "sparse:", 7) == 0)
    return cli_usage_error(cmd, "--law: sparse probability must be a number in (0, 1], got '%s'", s);
  return cli_usage_error(cmd, "--law: expected gauss, rademacher, uniform or sparse:P, got '%s'", s);
}

int fcli_run_sweep(int n, int depth, const double *alphas, double from, double to, double step,
                   long trials, unsigned long seed, int strong, const relucap_law *law,
                   int threads, double time_limit, fcli_sweep_result *out)
{
  int dims[RELUCAP_FINITE_MAXDEPTH + 1];
  dims[0] = n;
  for (int l = 1; l < depth; l++) {
    dims[l] = (int)lround(alphas[l - 1] * n);
    if (dims[l] < 1) dims[l] = 1;
  }
  /* one layer: the paper's weak and strong notions coincide (D >= n) */
  int target = (strong && depth > 1) ? 2 * n : n;
  memset(out, 0, sizeof *out);
  out->trials = trials;
  double t0 = relucap_clock();
  int last_m = -1, npts = (int)floor((to - from) / step + 1e-9) + 1;
  for (int k = 0; k < npts; k++) {
    int mL = (int)lround((from + k * step) * n);
    if (mL < 1) mL = 1;
    if (mL == last_m) continue; /* same width as the previous point at this n */
    last_m = mL;
    dims[depth] = mL;
    int j = out->npts++;
    out->m[j] = mL;
    out->alpha[j] = (double)mL / n;
    /* streams depend on the width, not on the grid: trial t of width m is stream m*2^32 + t */
    unsigned long stream0 = (unsigned long)mL << 32;
    int st = mc_point_sharded(depth, dims, law, target, seed, stream0, trials, threads,
                              time_limit, &out->yes[j], &out->und[j]);
    if (st != RELUCAP_SUCCESS)
      return cli_numeric_error("mc: a sample failed at n = %d, m = %d (%s)", n, mL, relucap_strerror(st));
    long dec = trials - out->und[j];
    out->p[j] = dec > 0 ? (double)out->yes[j] / dec : NAN; /* no decided sample: no estimate */
    relucap_wilson(out->yes[j], dec, 1.96, &out->lo[j], &out->hi[j]);
    if (out->und[j] > 0) {
      /* undecided samples widen the band to both extremes: never a guessed verdict */
      double lo2, hi2, tmp;
      relucap_wilson(out->yes[j], trials, 1.96, &lo2, &tmp);
      relucap_wilson(out->yes[j] + out->und[j], trials, 1.96, &tmp, &hi2);
      out->lo[j] = lo2;
      out->hi[j] = hi2;
    }
    double el = relucap_clock() - t0;
    if (el > 1.0 && mpi_rank == 0)
      fprintf(stderr, "relucap mc: n=%d alpha=%.4g (m=%d): %ld/%ld injective, %ld undecided  [%d/%d points, %.1f s]\n",
              n, out->alpha[j], mL, out->yes[j], trials, out->und[j], k + 1, npts, el);
  }
  out->have_cross = relucap_crossing(out->npts, out->alpha, out->p, out->lo, out->hi, &out->cross,
                                     &out->cross_lo, &out->cross_hi) == RELUCAP_SUCCESS;
  long dec[FCLI_MAXPTS];
  for (int j = 0; j < out->npts; j++) dec[j] = out->trials - out->und[j];
  relucap_error_handler_t *old = relucap_set_error_handler(NULL);
  out->have_probit = relucap_probit_crossing(out->npts, out->alpha, out->yes, dec, &out->probit_mu,
                                             &out->probit_err, &out->probit_sigma) == RELUCAP_SUCCESS;
  relucap_set_error_handler(old);
  return 0;
}

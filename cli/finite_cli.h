/* Helpers shared by the finite-size commands (depth, mc, transition). */
#ifndef RELUCAP_FINITE_CLI_H
#define RELUCAP_FINITE_CLI_H
#include "relucap.h"
#include <stdio.h>

#define FCLI_MAXPTS 1024

/* Comma-separated positive integers into out[0..max); *k entries.  Exit 2 naming the value. */
int fcli_int_list(const char *cmd, const char *opt, const char *s, int *out, int max, int *k);
/* "FROM:TO:STEP" with 0 < FROM <= TO, STEP > 0. */
int fcli_sweep(const char *cmd, const char *s, double *from, double *to, double *step);
int fcli_law(const char *cmd, const char *s, relucap_law *law);

/* MPI (build with `make MPI=1`): init/finalize around a command, rank and size; without MPI
 * these are no-ops with rank 0 of 1.  Only rank 0 prints. */
void fcli_mpi_begin(int *argc, char ***argv);
void fcli_mpi_end(void);
int fcli_rank(void);

/* One Monte Carlo sweep over the last layer's width (alpha_L = m_L / n) at fixed n. */
typedef struct {
  int npts;
  double alpha[FCLI_MAXPTS]; /* effective m_L / n (sweep points rounding to the same m_L merged) */
  int m[FCLI_MAXPTS];
  long yes[FCLI_MAXPTS], und[FCLI_MAXPTS], trials;
  double p[FCLI_MAXPTS], lo[FCLI_MAXPTS], hi[FCLI_MAXPTS];
  int have_cross;
  double cross, cross_lo, cross_hi;
  int have_probit;                         /* probit ML fit over all points (decided samples) */
  double probit_mu, probit_err, probit_sigma;
} fcli_sweep_result;

/* Run the sweep; progress lines on stderr once the run is longer than a second.
 * Returns 0, or EXIT_NUMERIC after printing the reason. */
int fcli_run_sweep(int n, int depth, const double *alphas, double from, double to, double step,
                   long trials, unsigned long seed, int strong, const relucap_law *law,
                   int threads, double time_limit, fcli_sweep_result *out);
/* Options of `relucap mc`, shared with `relucap transition` (allow_ns: --ns instead of --n).
 * Returns 0, or EXIT_USAGE after the message; *help_shown when --help was printed. */
int fcli_parse_mc(const char *cmd, int argc, char **argv, int allow_ns, long *n, int *ns, int *nns,
                  long *depth, double *alphas, int *nal, double *sw, long *trials, long *seed,
                  int *strong, relucap_law *law, long *threads, double *tlim, int *fmt,
                  int *help_shown, void (*helpf)(void));
/* Print one sweep: fmt 0 text, 1 JSON, 2 CSV. */
void fcli_print_sweep(FILE *f, int fmt, const fcli_sweep_result *r, int n, long depth, int strong,
                      const char *lawname, long seed, double seconds, int close);
#endif

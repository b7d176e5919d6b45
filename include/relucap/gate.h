/* relucap/gate.h - injectivity capacity of ONE random ReLU layer at every lifting level.
 *
 * Level L of fully lifted RDT (Stojnic, arXiv 2410.20646) equals the replica prediction with
 * k = L - 1 steps of replica symmetry breaking (notes flrdt.md, docs/gate.md):
 *   level 1   RS                 7.6476949354
 *   level 2p  1RSB with Q_0 = 0  7.4486387263   (partial second level)
 *   level 2   1RSB               6.7156968380
 *   level 3   2RSB               6.7003919
 *   level k+1 k-RSB              (new numbers)
 *   full      full RSB           6.698 (by k-RSB for k = 1..kmax and an extrapolation in k)
 *
 * The zero-temperature k-RSB (Crisanti-Sommers) functional, flrdt.md sec. 1:
 *   f(alpha; Q, chim, chi) = S(Q, chim, chi) + alpha T(Q, chim, chi),
 *   S = -Q_0/(2 Lambda_0) - sum_{j=1}^k log(Lambda_{j-1}/Lambda_j)/(2 chim_j),
 *   T = -E_xi G_0(sqrt(Q_0) xi),   G_k(w) = -cost_chi(w),
 *   G_{j-1}(w) = (1/chim_j) log E_z exp(chim_j G_j(w + sqrt(Q_j - Q_{j-1}) z)),
 *   Lambda_k = chi, Lambda_{j-1} = Lambda_j + chim_j (Q_j - Q_{j-1}), Q_k = 1.
 * e*(alpha) = max f and the capacity solves e*(alpha) = 1.  Because f is affine in alpha with
 * T > 0, the capacity is also  alpha_c = min over (Q, chim, chi) of (1 - S)/T  (docs/gate.md). */
#ifndef RELUCAP_GATE_H
#define RELUCAP_GATE_H

#include <stddef.h>

/* Largest number of RSB steps k (level k + 1) the solver accepts. */
#define RELUCAP_GATE_MAXSTEPS 24

typedef struct {
  int level;        /* fl RDT level = RSB steps + 1 (1 = RS); [1, RELUCAP_GATE_MAXSTEPS + 1] */
  int partial;      /* 1: level 2p (1RSB with Q_0 = 0); level is then ignored */
  int full;         /* 1: full RSB by k-RSB for k = 1..full_kmax and extrapolation in k */
  int full_kmax;    /* largest k used by full (default 8); [4, RELUCAP_GATE_MAXSTEPS] */
  double ppw;       /* grid points per smallest Gaussian width of the recursion (default 4); [2, 64] */
  double cut;       /* the cavity-field grid covers [-cut, cut] (default 9); [5, 30] */
  int max_iter;     /* optimiser iterations per level (default 2000) */
  double tol;       /* stationarity tolerance on |grad f| in (Q, chim, chi) (default 1e-6) */
  int check_energy; /* 1 (default): re-maximise f at alpha = capacity to report |e*(alpha) - 1| */
  int threads;      /* OpenMP threads for the finite-difference derivatives: 1 (default), 0 = OpenMP's
                       default, n; results do not depend on it */
  int dense_grid;   /* 1: every level on the finest spacing over the whole grid, no clipping (the
                       straightforward evaluation: reference for tests, baseline for benchmarks) */
} relucap_gate_opts;

/* Fill *opts with the defaults above (level 3). */
void relucap_gate_opts_default(relucap_gate_opts *opts);

typedef struct {
  double capacity;        /* alpha_c: e*(alpha_c) = 1 */
  int level;              /* the level computed (k + 1; for full: kmax + 1 of the last rung) */
  int steps;              /* k, the number of RSB steps of the parameters below */
  int partial, full;      /* as requested */
  double Q[RELUCAP_GATE_MAXSTEPS];    /* overlaps Q_0 < ... < Q_{k-1} (Q_k = 1 implied) */
  double chim[RELUCAP_GATE_MAXSTEPS]; /* scaled Parisi parameters chim_1 <= ... <= chim_k (index j-1) */
  double chi;             /* chi = beta (1 - q_max) */
  double energy_residual; /* |e*(alpha_c) - 1| with e* re-maximised independently (0 if not checked) */
  double energy;          /* relucap_gate_energy only: e*(alpha) at the requested alpha */
  double residual;        /* max |d f / d theta| over theta = (Q, chim, chi) at alpha_c */
  double quad_error;      /* |alpha_c(grid) - alpha_c(grid with 1.6x the points per width)| */
  double extrap_error;    /* full only: error estimate of the k -> infinity extrapolation */
  double ladder[RELUCAP_GATE_MAXSTEPS + 1]; /* full only: ladder[k] = k-RSB capacity, k = 0..kmax */
  int nladder;            /* number of valid ladder entries */
  double seconds;         /* wall-clock time */
  int iterations;         /* optimiser iterations (last level) */
  int status;             /* RELUCAP_SUCCESS or the failure code */
} relucap_gate_result;

/* The capacity at the level in opts (see the table above).  Returns RELUCAP_SUCCESS,
 * RELUCAP_EINVAL (bad options), RELUCAP_EMAXITER / RELUCAP_ETOL (stationarity not reached; the
 * capacity field is then NaN).  Level L computes levels 2..L-1 first as warm starts. */
int relucap_gate_capacity(const relucap_gate_opts *opts, relucap_gate_result *res);

/* The ground-state energy e*(alpha) = max over (Q, chim, chi) of f(alpha; Q, chim, chi) at the level
 * in opts (not full), warm-started from the threshold solution; res->energy holds it, params and
 * residual as above.  e* increases with alpha; the capacity is where it crosses 1 (tests check that a
 * Brent root of e*(alpha) - 1 reproduces relucap_gate_capacity).  Level 1: closed form. */
int relucap_gate_energy(const relucap_gate_opts *opts, double alpha, relucap_gate_result *res);

/* All k-RSB levels 1..max_level at once (res[0] = level 1 = RS, res[L-1] = level L), each
 * warm-started from the previous one.  max_level in [1, RELUCAP_GATE_MAXSTEPS + 1]. */
int relucap_gate_ladder(const relucap_gate_opts *opts, int max_level, relucap_gate_result *res);

/* The k-RSB capacity solved from a given start (Q_0 < ... < Q_{k-1} < 1, chim_1 < ... < chim_k
 * strictly, chi > 0), e.g. a finer Parisi function interpolated from a coarser solution to reach
 * large k without the whole ladder.  Same result fields and checks as relucap_gate_capacity. */
int relucap_gate_refine(const relucap_gate_opts *opts, int k, const double *Q, const double *chim, double chi,
                        relucap_gate_result *res);

/* A 2k-step start from a k-step solution (every block split in two at the geometric mean of
 * 1 - Q, chim pulled a quarter of the way in logs towards the neighbours): fills Q[0..2k-1],
 * chim[0..2k-1], *chi, *k2 = 2k.  RELUCAP_EINVAL if 2k > RELUCAP_GATE_MAXSTEPS.  With
 * relucap_gate_refine it reaches k = 16..24 without the whole ladder; from k = 6 it lands on the
 * sequential 12-RSB solution to 2e-12 (docs/gate.md sec. 6). */
int relucap_gate_split_start(const relucap_gate_result *coarse, double *Q, double *chim, double *chi, int *k2);

/* Convenience: the capacity at fl RDT level `level` (1 = RS, 2 = 1RSB, 3 = 2RSB, ...) with
 * default options; level 3 takes ~0.1 s.  Returns a status; *capacity is NaN on failure. */
int relucap_gate_capacity_level(int level, double *capacity);
/* The same, indexed by the number of RSB steps k = level - 1. */
int relucap_gate_capacity_steps(int k_steps, double *capacity);

/* The k -> infinity limit of k-RSB capacities ladder[0..K] (ladder[k] = k steps; K >= 4):
 * alpha_k = a + C k^{-p} fitted through k = K-2, K-1, K; *err = 2 |a(K) - a(K-1)| with a(K-1) the
 * fit one rung lower; *exponent = p (may be NULL).  RELUCAP_ETOL if the differences do not decrease. */
int relucap_gate_extrapolate(const double *ladder, int K, double *limit, double *err, double *exponent);

/* The zero-temperature k-RSB functional pieces S and T at given parameters (f = S + alpha T),
 * computed on a cavity-field grid with ppw points per smallest width over [-cut, cut].
 * k >= 1; Q[0..k-1], chim[0..k-1] (chim_j at index j-1), chi > 0.  For k = 0 (RS), T is computed in
 * closed form: T = E cost_chi(g).  Returns a status. */
int relucap_gate_functional(int k, const double *Q, const double *chim, double chi, double ppw,
                            double cut, double *S, double *T);

/* RS at zero temperature (level 1) in closed form: the capacity solves
 * alpha (1 - Phi(c)) = 1 and alpha (Phi(c) - 1/2 - c phi(c)) = 1, c = sqrt(2 chi). */
int relucap_gate_rs(double *capacity, double *chi);

/* The de Almeida-Thouless point of the RS solution (Maillard et al. 2023, their "d-AT" value):
 * the alpha at which the finite-temperature RS solution with energy e(alpha, beta*) = 1 becomes
 * AT-unstable, alpha (1-q)^2 E[(d^2/dw^2 log n(w))^2] = 1.  Reference 5.323766896. */
int relucap_gate_at_point(double *alpha_at, double *beta_at);

#endif

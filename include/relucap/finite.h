/* relucap/finite.h - finite-size truth: exact injectivity counts of sampled ReLU networks.
 *
 * For weights A_1 (m_1 x n), ..., A_l (m_l x m_{l-1}) and t(x) = A_l ReLU(... ReLU(A_1 x)),
 * Stojnic (arXiv 2412.19677, section 2, eqs (11)-(17)) reduces injectivity to the count
 *
 *     D(A_1..A_l) = min_{x != 0} #{ i : t_i(x) > 0 };                                (11)
 *
 * the network is weakly injective when D >= n (f_(w) >= 0 in (17)) and strongly injective when
 * D >= 2n (f_(s) >= 0).  For one layer D is the halfspace (Tukey) depth of the origin among the
 * rows a_i of A, and x -> ReLU(Ax) is injective iff D >= n (Puthawala et al., JMLR 2022) for
 * rows in general position.  Solvers count NEGATIVE rows (docs/finite.md, notes/finite-n.md 0):
 *
 *     m - D(A) = max |N|  such that  { a_i . x <= -1, i in N }  is feasible,         (F1)
 *
 * and by Gordan's theorem D(A) is the minimum hitting set of the (n+1)-row subsets whose convex
 * hull contains 0, so k pairwise disjoint such simplices prove D >= k.                (F2)
 *
 * One-layer convention: the solvers compute min_{x != 0} #{i : a_i . x >= 0} (closed count),
 * which equals (11) for rows in general position (almost surely for continuous laws).  For
 * discrete laws (Rademacher, sparse) ties have positive probability: then "D >= n" is only a
 * necessary condition for injectivity (it is sufficient in general position).
 */
#ifndef RELUCAP_FINITE_H
#define RELUCAP_FINITE_H

#include "relucap/common.h"

#define RELUCAP_FINITE_MAXDEPTH 8

/* ---------------------------------------------------------------- weight laws and sampling */

typedef enum {
  RELUCAP_LAW_GAUSS = 0,      /* N(0,1) */
  RELUCAP_LAW_RADEMACHER = 1, /* +-1 with probability 1/2 */
  RELUCAP_LAW_UNIFORM = 2,    /* U(-sqrt 3, sqrt 3): mean 0, variance 1 */
  RELUCAP_LAW_SPARSE = 3      /* with probability p: N(0,1)/sqrt(p), else 0 (variance 1) */
} relucap_law_kind;

typedef struct {
  relucap_law_kind kind;
  double p; /* sparsity (non-zero probability) for RELUCAP_LAW_SPARSE, in (0, 1] */
} relucap_law;

/* Parse "gauss", "rademacher", "uniform" or "sparse:P" (0 < P <= 1).  RELUCAP_EINVAL otherwise. */
int relucap_law_parse(const char *s, relucap_law *law);
/* Write the canonical name ("sparse:0.25") into buf (size >= 32). */
void relucap_law_name(const relucap_law *law, char *buf, size_t size);

/* A network: depth l, dims[0] = n (input), dims[k] = m_k; w[k-1] is dims[k] x dims[k-1], row-major. */
typedef struct {
  int depth;
  int dims[RELUCAP_FINITE_MAXDEPTH + 1];
  double *w[RELUCAP_FINITE_MAXDEPTH];
} relucap_finite_net;

relucap_finite_net *relucap_finite_net_alloc(int depth, const int *dims);
void relucap_finite_net_free(relucap_finite_net *net);

/* Fill every weight i.i.d. from law using the random stream (seed, stream): a gsl_rng (mt19937)
 * seeded by a hash of both, so that trial k of a Monte Carlo run is the same sample for every
 * thread count and every MPI rank layout. */
int relucap_finite_net_sample(relucap_finite_net *net, const relucap_law *law, unsigned long seed,
                       unsigned long stream);

/* ---------------------------------------------------------------- the count D and its solvers */

typedef enum {
  RELUCAP_DEPTH_BB = 0,   /* keep/drop branch-and-bound with disjoint-simplex packing bounds */
  RELUCAP_DEPTH_MILP = 1, /* big-M MILP solved by CBC (reference; not a certificate) */
  RELUCAP_DEPTH_ENUM = 2, /* exhaustive extreme-ray enumeration (one layer, small n) */
  RELUCAP_DEPTH_SEARCH = 3 /* one-sided witness search (one layer): many random starts, each
                              grown greedily by LP; proves only upper bounds (D < k: non-injective),
                              the lower bound is the root packing.  Runs until time_limit
                              (default 10 s) or the target is beaten. */
} relucap_depth_method;

typedef struct {
  relucap_depth_method method;
  int target;        /* 0: compute D exactly; k > 0: decide "D >= k?" only (prunes harder) */
  double time_limit; /* seconds; <= 0 means none */
  double milp_box;   /* one-layer MILP: R > 0 is the box |x_j| <= R of the margin model
                        (notes 1.2; cells too thin for it are missed); 0 means R = 1e5;
                        < 0 selects the exact model with |x|_inf = 1 (slower) */
  int lp_clp;        /* bb inner LPs: 0 = built-in dense simplex (default, fast),
                        1 = COIN-OR CLP (kept as a cross-check) */
} relucap_depth_opts;

/* Default options: bb, full D, no time limit. */
relucap_depth_opts relucap_depth_opts_default(void);

typedef struct {
  int lower, upper;   /* proven bounds lower <= D <= upper (upper = recounted witness count) */
  int exact;          /* lower == upper */
  int decided;        /* target > 0 and (lower >= target or upper < target), or exact */
  int certified;      /* the question asked is settled: search completed, every simplex used
                         for pruning passed the independent check, the witness recounts
                         (MILP: never; a floating MILP optimum is not a proof) */
  int timed_out;      /* the time limit expired; lower/upper are what was proven by then */
  int n;              /* input dimension (length of witness) */
  double *witness;    /* x (n entries) attaining the count upper */
  double witness_margin; /* min_i |t_i(x)| / scale: how far the recount is from a tie */
  /* Portable lower-bound certificate (one layer): disjoint simplices found at the root,
   * rows packing_rows[k*(n+1) .. k*(n+1)+n] (unused entries -1) with Gordan multipliers
   * packing_lambda (lambda >= 0, sum 1, sum lambda_i a_i = 0).  packing proves D >= packing. */
  int packing;
  int *packing_rows;
  double *packing_lambda;
  int certificate_complete; /* the packing alone proves lower (a third party needs no tree) */
  long nodes;         /* branch-and-bound nodes (or CBC nodes, or rays for enum) */
  long lps;           /* LPs solved */
  long simplices_checked, simplices_failed; /* independent checks of pruning simplices */
  double seconds;
} relucap_depth_result;

void relucap_depth_result_free(relucap_depth_result *r);

/* D(A) of one layer (A m x n, row-major), eq. (11) with (F1)/(F2).  Fills *res (free it with
 * relucap_depth_result_free).  Returns RELUCAP_SUCCESS when the question was settled,
 * RELUCAP_ETIME when the time limit expired (bounds valid, certified = 0), RELUCAP_EUNSUP for
 * a method not built in, RELUCAP_EINVAL for bad arguments. */
int relucap_depth_layer(int m, int n, const double *A, const relucap_depth_opts *opts,
                        relucap_depth_result *res);

/* D(A_1..A_l) of a network, eq. (11).  Depth 1 calls relucap_depth_layer.  For depth >= 2:
 * RELUCAP_DEPTH_MILP (CBC, exact normalisation |x|_inf = 1) or RELUCAP_DEPTH_BB (enumerates
 * the activation cells of the hidden layers with LP pruning and solves the output count in each
 * cell by keep/drop search; practical for n <= 4..5). */
int relucap_depth_net(const relucap_finite_net *net, const relucap_depth_opts *opts,
                      relucap_depth_result *res);

/* The verdicts a depth result supports: weak = [D >= n], strong = [D >= 2n] (one layer: [D >= n];
 * the two notions coincide), each 1 (proven), 0 (disproved) or -1 (undecided by the bounds).  When
 * the rows may tie (tied_rows != 0: discrete laws, given weights) D >= n is only necessary for one
 * layer, so a passing count is settled by relucap_injective_layer; span = its answer (1, 0, 2 = out
 * of time) or -1 when not run. */
typedef struct {
  int weak, strong, span;
} relucap_depth_verdicts;
int relucap_depth_verdict(const relucap_finite_net *net, const relucap_depth_result *res, int tied_rows,
                          double time_limit, relucap_depth_verdicts *v);

/* Exact one-layer injectivity for ANY rows (also ties, repeated and zero rows: Rademacher,
 * sparse): Puthawala et al.'s criterion "for every x, {a_i : a_i.x >= 0} spans R^n", decided over
 * the hyperplanes z^perp spanned by n-1 independent rows, each with the strict system
 * {a_i.x < 0 : a_i.z != 0}.  Implemented by relucap_netcheck_layer's hyperplane search
 * (relucap/netcheck.h, bias-free, on R^n; n <= 32 here), so it needs the LP solver
 * (RELUCAP_EUNSUP without CLP).  *injective = 0 comes with x_out, z_out (n each, may be NULL):
 * every row with a_i.x >= 0 has a_i.z = 0 (to 1e-9 |a_i| |z|), so ReLU(A(x + t z)) = ReLU(Ax) for
 * t in [0, 1] (a checkable pair).  In general position this agrees with "D >= n".
 * RELUCAP_ETIME if time_limit (> 0) expired first, RELUCAP_ENOPROG if the LPs could not settle a
 * hyperplane. */
int relucap_injective_layer(int m, int n, const double *A, double time_limit, int *injective,
                            double *x_out, double *z_out);

/* Recount: #{i : t_i(x) > 0} for the network (depth 1: #{i : a_i . x >= 0}, the closed count
 * used by the one-layer solvers), evaluated in long double; *margin (may be NULL) gets
 * min_i |t_i| / (|t|_inf + tiny), the distance of the recount from a tie. */
int relucap_depth_count(const relucap_finite_net *net, const double *x, double *margin);
int relucap_depth_count_layer(int m, int n, const double *A, const double *x, double *margin);

/* Independent check of one Gordan simplex: the rows rows[0..k-1] of A contain 0 in their
 * convex hull.  For k = n+1 the barycentric system [a_C^T; 1^T] lambda = e_{n+1} is solved in
 * long double with partial pivoting and lambda >= -1e-12 is required; for k <= n (degenerate
 * data) the given lambda must be >= 0 with a relative residual below 1e-9.  1 = proven. */
int relucap_depth_check_simplex(int m, int n, const double *A, int k, const int *rows,
                                const double *lambda);

/* Direct check of the reduction (issue 6 item 5) for two layers: a CBC MILP over pairs
 * x != y in [-1,1]^n with F(x) = F(y), F = ReLU(A2 ReLU(A1 .)) (notes/finite-n.md 4(a)).
 * *noninjective = 1 when a pair was found (x, y filled if non-NULL, n entries each);
 * *verified = 1 when that pair re-checks in long double (max |F(x)-F(y)| <= 1e-6 max(1, |F|)).
 * "injective" answers (optimum 0) are CBC's word only.  RELUCAP_ETIME: the limit expired
 * without an answer. */
int relucap_finite_pair_check(const relucap_finite_net *net, double time_limit, int *noninjective,
                              int *verified, double *x, double *y, double *seconds);

/* ---------------------------------------------------------------- Monte Carlo helpers */

/* Wilson score interval for k successes in N trials at normal quantile z (1.96: 95%). */
void relucap_wilson(long k, long N, double z, double *lo, double *hi);

/* Wendel (1962): P(0 in conv of m i.i.d. symmetric points in general position in R^n)
 * = 1 - 2^{-(m-1)} sum_{k<n} C(m-1, k) = P(D >= 1). */
double relucap_wendel(int m, int n);

/* One Monte Carlo point: trials networks of the given dims sampled with streams
 * stream0 .. stream0 + trials - 1, each decided "D >= target?" by bb (OpenMP over trials,
 * threads <= 0: default).  One layer with a discrete law (rademacher, sparse): samples with
 * D >= n are then decided by relucap_injective_layer (exact for tied rows; C(m, n-1) LPs).  *yes = number of injective samples, *undecided = samples the
 * time limit left open (counted in neither).  Identical results for every thread count. */
int relucap_finite_mc_point(int depth, const int *dims, const relucap_law *law, int target,
                            unsigned long seed, unsigned long stream0, long trials, int threads,
                            double time_limit, long *yes, long *undecided);

/* Crossing of P = 1/2 by linear interpolation between the bracketing sweep points (x[] sorted
 * increasing, p[] the estimates, lo[]/hi[] their Wilson bounds).  The interval is where the
 * band [lo, hi] contains 1/2: from the crossing of hi[] to the crossing of lo[].  Returns
 * RELUCAP_SUCCESS, or RELUCAP_EDOM if p never brackets 1/2 (then nothing is written). */
int relucap_crossing(int k, const double *x, const double *p, const double *lo, const double *hi,
                     double *xc, double *xc_lo, double *xc_hi);

/* Probit maximum likelihood: P(x) = Phi((x - mu)/sigma) fitted to yes[j] of N[j] at x[j]
 * (Fisher scoring in P = Phi(a + b x)); *mu = -a/b is the 1/2-crossing, *mu_err its standard
 * error from the inverse Fisher information (delta method), *sigma = 1/b the width.
 * RELUCAP_EDOM when the data do not bracket 1/2 or the fit does not converge (50 steps). */
int relucap_probit_crossing(int k, const double *x, const long *yes, const long *N, double *mu,
                            double *mu_err, double *sigma);

/* Weighted least squares y = a + b * u (weights 1/sigma^2): a, its standard error, b, chi^2. */
int relucap_linfit(int k, const double *u, const double *y, const double *sigma, double *a,
                   double *a_err, double *b, double *chi2);

#endif

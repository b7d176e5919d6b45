/* relucap/optimized.h - plain RDT bounds minimised over the dual-norm ratios (beyond the paper).
 *
 * The deep paper fixes ||y_(i)|| = n^{-(i-1)/2}.  Any ratios pi_i = sqrt(n) ||y_i|| / ||y_{i-1}||
 * (i = 2..l) give a valid bound (covariance identity, docs/optimized-rdt.md sec. 1), through the
 * recursion of relucap_plain_capacity with ratios:
 *
 *   V_1 = 1,  V_i = G_{alpha_i, pi_{i+1}}(pi_{i+1} V_{i+1}),  V_l = q_kappa(alpha_l),
 *   G_{a, pi}(u) = min_{gb, gam > 0} gb + a f1_pi(gb, gam) + u^2 / (4 gam),
 *
 * f1_pi = E min_z[(g - z)^2/(4 gb) + pi h z_+ + gam z_+^2].  V_{i+1} is increasing in V_i, so the
 * minimum over the ratios is sequential: pi_{i+1} minimises V_{i+1} given V_i.  At the optimum the
 * envelope condition  a E[h z*_+] + pi V_{i+1}^2 / (2 gam) = 0  holds, and then gb_i = V_i / 2.
 * Every choice of ratios is a valid bound, so the optimisation only has to be honest about being
 * a minimum over an interior point; an optimum on the end of the search range is reported as
 * RELUCAP_EBOUNDARY, never as a bound. */
#ifndef RELUCAP_OPTIMIZED_H
#define RELUCAP_OPTIMIZED_H

#include "relucap/plain.h"

/* Status: a ratio's minimum sits on the end of its search range (no interior optimum found). */
#define RELUCAP_EBOUNDARY 33

typedef struct {
  int depth;                  /* l >= 1 (depth 1 has no ratio: the plain 1-layer bound) */
  relucap_kind kind;
  const double *alphas;       /* alpha_1..alpha_{l-1} (NULL when depth = 1) */
  relucap_quad_method quad;   /* quadrature (GL default; ADAPTIVE for the cross-check) */
  size_t nodes;               /* GL nodes per half-line (0: default 96) */
  double ratio_min, ratio_max;/* search range of every ratio (0: defaults 1e-2, 1e2) */
  int scan_points;            /* coarse log-grid scan points per ratio (0: default 21) */
} relucap_optimized_problem;

typedef struct {
  double capacity;                      /* alpha_l: the optimised bound */
  double ratios[RELUCAP_MAX_DEPTH + 1]; /* pi_2..pi_l at indices 2..l */
  double curvature[RELUCAP_MAX_DEPTH + 1]; /* d^2 alpha_l / d pi_k^2 at the optimum (k = 2..l), > 0 */
  double V[RELUCAP_MAX_DEPTH + 1];      /* V_1 = 1, ..., V_l = q */
  double gbar[RELUCAP_MAX_DEPTH + 1];   /* block gb_i (i < l); = V_i / 2 at the optimum */
  double gamma[RELUCAP_MAX_DEPTH + 1];  /* block gam_i (i < l) */
  double rho[RELUCAP_MAX_DEPTH + 1];    /* block rho_i = pi_{i+1} V_{i+1} / (2 gam_i) (i < l) */
  double c, nu1, q;                     /* last layer: Phibar(c) = kappa/(2 alpha_l), nu1 = c^2/2, q = V_l */
  double residual;        /* max |equation| of the stationarity systems (block + envelope + value) */
  double root_residual;   /* max_i |G_i(pi_{i+1} V_{i+1}) - V_i| / V_i: the recursion at the root */
  double half_gap;        /* max_i |gb_i - V_i / 2| (an independent check of the envelope condition) */
  double grid_gap;        /* min over layers of (coarse (gb, gam) grid minimum of H - polished G) / G;
                             >= 0: no grid point lies below the polished block minimum */
  double scan_gap;        /* min over layers of (best scanned V_{i+1} - optimised V_{i+1}) / V_{i+1} >= 0 */
  double quad_error;      /* |capacity(N nodes) - capacity(3N/4 nodes)| + 4 eps capacity (GL; for the
                             adaptive method the comparison is a 2N-node GL rule) */
  int boundary_layer;     /* on RELUCAP_EBOUNDARY: the layer i whose ratio pi_{i+1} hit the range end */
  double seconds;
} relucap_optimized_result;

/* The optimised plain bound: alpha_l = q_kappa^{-1}(V_l) with V_l minimised over pi_2..pi_l.
 * Returns RELUCAP_SUCCESS, RELUCAP_EINVAL (bad input), RELUCAP_EBOUNDARY (an optimum on the end of
 * the search range), RELUCAP_EDOM / RELUCAP_ENOPROG / RELUCAP_EMAXITER (solver failure; no number),
 * RELUCAP_ETOL (the global checks failed: a grid point below the polished minimum). */
int relucap_optimized_capacity(const relucap_optimized_problem *prob, relucap_optimized_result *res);

/* The plain bound at GIVEN ratios pi_2..pi_l (ratios[0..l-2]; positive, finite), solved with this
 * module's continuation solver (warm start from the previous layer, then the plain block solver's
 * starts, then alternating minimisation with a bracketed inversion), which also reaches nets where
 * relucap_plain_capacity's cold starts fail.  Fills capacity, ratios, V, gbar, gamma, rho, c, nu1,
 * q, residual, quad_error, seconds (curvature, grid_gap, scan_gap, half_gap are left 0). */
int relucap_optimized_at_ratios(const relucap_optimized_problem *prob, const double *ratios,
                                relucap_optimized_result *res);

/* The optimised chain: alpha_1 given, alpha_k (k = 2..L-1) set to the optimised capacity of depth k,
 * caps[k] = optimised capacity of depth k (k = 1..L; caps[1] = alpha_1).  Because the optimisation is
 * sequential, depth k+1 reuses depth k's layers: one new layer per depth.  res[k] (may be NULL)
 * receives the depth-k result (index 1..L).  On failure *failed_depth is the first depth not computed
 * (caps before it are valid). */
int relucap_optimized_chain(double alpha1, relucap_kind kind, int L, relucap_quad_method quad,
                            size_t nodes, double *caps, relucap_optimized_result *res,
                            int *failed_depth);

/* The sanity model (docs/optimized-rdt.md sec. 4): a linear first layer z = A1 x (no ReLU) followed by
 * one ReLU layer.  For ratio rho the random dual is
 *   min_{A, B} sqrt((s - A)^2 + B^2) + rho q sqrt(A^2 + B^2) + rho s B - 1,  s = sqrt(alpha_1),
 * minimised numerically (nested golden sections on a convex function), and the bound is the
 * alpha_2 = q_kappa^{-1}(q) at which it vanishes.  With rho free the exact answer is the one-layer
 * plain bound (q = 1: 7.6476949 weak) at rho* = 1 / sqrt(alpha_1 - 1).
 * relucap_optimized_linear_first_dual: that random dual's value (-inf when unbounded below).
 * relucap_optimized_linear_first_at: the bound for a given rho (rho > 0).
 * relucap_optimized_linear_first: minimised over rho (Brent after a log-grid scan); rho_out gets rho*. */
double relucap_optimized_linear_first_dual(double alpha1, double rho, double q);
int relucap_optimized_linear_first_at(double alpha1, double rho, relucap_kind kind, double *alpha2);
int relucap_optimized_linear_first(double alpha1, relucap_kind kind, double *alpha2, double *rho_out);

/* ---- Lifting combined with an optimised ratio (2 layers; docs/optimized-rdt.md sec. 9,
 * dual-ratio.md sec. 5).  With layer 2's dual ratio rho the partially lifted objective is
 *   Psi = c3/2 (1 + rho^2 r^2) + gb1 - (a1/c3) ln F1(c3 rho, rho gb1, gam/rho) - gam r^2
 *       + gb2 - (a2/c3) ln F2(c3 k, nu/k) - nu (kappa - a2) + S(c3),   k = rho^2 r^2 / (4 gb2)
 * (F1, F2, S of relucap/lifted.h), and the bound is min over (c3, rho) of the alpha_2 where the
 * saddle value of Psi vanishes: grad Psi = 0 in (r, gb1, gb2, nu, gam), Psi = 0, dPsi/dc3 = 0,
 * dPsi/drho = 0 (an 8x8 system).  rho = 1 is relucap_lifted_capacity's 2-layer objective. */
typedef struct {
  double capacity;          /* alpha_2 */
  double c3, rho;           /* the lifting parameter and the ratio (optimal unless held) */
  double r, gb1, gb2, gam, nu; /* the saddle point */
  double residual;          /* max |equation| of the stationarity system at the returned point */
  double d2_c3, d2_rho;     /* d^2 alpha_2 / d c3^2 and / d rho^2 at the optimum (0 when held) */
  double plain_ratio_capacity; /* the optimised-ratio plain bound (c3 -> 0), for comparison */
  double quad_error;        /* as in relucap_optimized_result */
  int c3_steps;             /* continuation steps in c3 */
  double seconds;
} relucap_optimized_lifted_result;

/* alpha_1 > 0; c3 > 0: hold c3 (else optimise it); rho > 0: hold rho (else optimise it).
 * Returns RELUCAP_SUCCESS, RELUCAP_EINVAL, RELUCAP_EBOUNDARY (the best c3 is 0+ or beyond the
 * continuation range), or a solver status (no number). */
int relucap_optimized_lifted2(double alpha1, relucap_kind kind, relucap_quad_method quad, size_t nodes,
                              double c3, double rho, relucap_optimized_lifted_result *res);

/* Psi above at a point (for checks). */
int relucap_optimized_lifted2_psi(const relucap_quad *q, relucap_kind kind, double alpha1, double alpha2,
                                  double c3, double rho, double r, double gb1, double gb2, double gam,
                                  double nu, double *psi);

/* ---- Lifting combined with optimised ratios at any depth 2..RELUCAP_OPTLIFT_MAX_DEPTH
 * (src/optimized_lifted_deep.c; docs/optimized-rdt.md sec. 10).  The lifted objective with every
 * layer weighted by W_i = pi_2..pi_i r_{i-1}; the bound is min over (c3, pi_2..pi_L) of the root
 * alpha_L.  It is built by the lifted notes' rule, not taken from a derivation in the notes: it
 * reduces to relucap_lifted_psi at all ratios 1, to the plain recursion with ratios as c3 -> 0, and
 * to relucap_optimized_lifted2 at depth 2 (all three checked in tests). */
#define RELUCAP_OPTLIFT_MAX_DEPTH 8
typedef struct {
  int depth;
  double capacity, c3;
  double ratios[RELUCAP_OPTLIFT_MAX_DEPTH + 1]; /* pi_2..pi_L */
  double r[RELUCAP_OPTLIFT_MAX_DEPTH + 1];      /* r_1..r_{L-1} */
  double gbar[RELUCAP_OPTLIFT_MAX_DEPTH + 1];   /* gb_1..gb_L */
  double gamma[RELUCAP_OPTLIFT_MAX_DEPTH + 1];  /* gam_1..gam_{L-1} */
  double nu;
  double residual;            /* max |equation| of the stationarity system */
  double d2_c3;               /* d^2 alpha_L / d c3^2 at the optimum (ratios re-optimised; 0 when held) */
  double plain_ratio_capacity;/* the optimised-ratio plain bound (c3 -> 0) */
  double quad_error;          /* as in relucap_optimized_result */
  int c3_steps;
  double saddle_max_yy;       /* largest eigenvalue of the Hessian's max block (gam's, nu): < 0 */
  double saddle_min_schur;    /* smallest eigenvalue of the Schur complement on (r's, gb's): > 0 */
  int no_gain;                /* 1: alpha_L(c3) rises from c3 = 0+ (c3 free): capacity = the plain
                                 optimised-ratio bound, c3 = 0, ratios = its ratios */
  double seconds;
} relucap_optimized_lifted_deep_result;

/* alphas: alpha_1..alpha_{L-1}; c3 > 0 holds c3 (0: optimise); ratios (pi_2..pi_L) hold the ratios
 * (NULL: optimise).  Statuses as relucap_optimized_lifted2, except that a best c3 of 0+ is a success
 * with no_gain = 1, and RELUCAP_ETOL when the returned point fails the second-order saddle check. */
int relucap_optimized_lifted_deep(int depth, relucap_kind kind, const double *alphas, relucap_quad_method quad,
                                  size_t nodes, double c3, const double *ratios,
                                  relucap_optimized_lifted_deep_result *res);
/* Psi at a point: alphas[0..L-1] (alpha_L last), ratios pi_2..pi_L, r_1..r_{L-1}, gb_1..gb_L,
 * gam_1..gam_{L-1} (arrays from index 0). */
int relucap_optimized_lifted_deep_psi(const relucap_quad *q, relucap_kind kind, int depth, const double *alphas,
                                      double c3, const double *ratios, const double *r, const double *gb,
                                      const double *gam, double nu, double *psi);

#endif

/* relucap/lifted.h - partially lifted RDT (pl RDT) bounds for deep ReLU networks.
 *
 * Stojnic, arXiv 2412.19677, section 5, eqs (73)-(94) with the typos fixed
 * (docs/lifted-rdt.md, /work/shared/notes/lifted-rdt.md).  For depth L >= 1, r_0 = 1,
 * kappa = 2 (weak) or 4 (strong), and the lifting parameter c = c3 > 0:
 *
 *   Psi = (c/2) sum_{i=0}^{L-1} r_i^2
 *       + sum_{i=1}^{L-1} [ r_{i-1} gb_i - (alpha_i/c) ln F1(c r_{i-1}, gb_i, gam_i) - gam_i r_i^2 / r_{i-1} ]
 *       + gb_L - (alpha_L/c) ln F2(c k, nu/k) - nu (kappa - alpha_L) + S(c),     k = r_{L-1}^2 / (4 gb_L).
 *
 * bound(alpha_L) = max_c min_{r, gb} max_{nu, gam} Psi; the capacity is the alpha_L where it
 * vanishes, i.e. min over c of the root alpha_L(c).  As c -> 0+, Psi tends to the plain
 * objective (72) (relucap_plain_phi), so lifted <= plain. */
#ifndef RELUCAP_LIFTED_H
#define RELUCAP_LIFTED_H

#include "relucap/gauss.h"
#include "relucap/plain.h"

/* Depth limit of the lifted solver (its Newton system has 3 L + 1 unknowns). */
#define RELUCAP_LIFTED_MAX_DEPTH 16

/* log F1(c, gb, gam), F1 = E exp(-c fq1),
 *   fq1(g, h) = min_z [ (g - z)^2/(4 gb) + h max(z,0) + gam max(z,0)^2 ],
 * integrated over h in closed form (notes 2.1, eqs (84)-(86)) and over g by quadrature q, in log
 * space.  Needs gb > 0, 1 + 4 gam gb > 0, w = 1 - 2 c gb/(1 + 4 gam gb) > 0 and a decaying
 * g-integrand; else RELUCAP_EDOM.  err (may be NULL): absolute error estimate of the log. */
int relucap_lifted_log_f1(const relucap_quad *q, double c, double gb, double gam, double *logf1, double *err);

/* log F1 as above and grad = its partials (d/dc, d/dgb, d/dgam), computed from closed-form
 * truncated-normal h-moments in the same quadrature pass (docs/lifted-rdt.md, sec. 2.1). */
int relucap_lifted_log_f1_grad(const relucap_quad *q, double c, double gb, double gam, double *logf1,
                               double grad[3], double *err);

/* log F2(c', nu1), F2 = E exp(-c' m(g)), m(g) = min_t [(g - t)^2 + nu1 sign(t)]   (eqs (82)-(83)):
 *   F2 = e^{c' nu1}/2 + e^{-c' nu1} Phibar(a) + e^{c' nu1} (1 + 2c')^{-1/2} [Phi(a sqrt(1 + 2c')) - 1/2],
 * a = sqrt(2 nu1).  d_c, d_nu (may be NULL): the partial derivatives of log F2.  NAN outside
 * c' > -1/2, nu1 >= 0. */
double relucap_lifted_log_f2(double c, double nu1, double *d_c, double *d_nu);

/* The spherical term S(c) = max_gs [ -gs + ln(1 - c/(2 gs)) / (2c) ] at gs = (c + sqrt(c^2 + 4))/4
 * (eq (87) corrected); S(0) = -1.  dS (may be NULL): S'(c) (envelope); gs (may be NULL): the maximiser. */
double relucap_lifted_S(double c, double *dS, double *gs);

/* A point of the lifted objective, in the paper's variables (index 1..depth; entry 0 unused
 * except r[0] = 1). */
typedef struct {
  int depth;
  double r[RELUCAP_LIFTED_MAX_DEPTH + 1];     /* r_0 = 1, r_1..r_{L-1} */
  double gbar[RELUCAP_LIFTED_MAX_DEPTH + 1];  /* gb_1..gb_L (gb_L unnormalised, as in plain) */
  double gamma[RELUCAP_LIFTED_MAX_DEPTH + 1]; /* gam_1..gam_{L-1} */
  double nu;                                  /* the l0 multiplier */
  double c3;                                  /* the lifting parameter (0: the plain limit) */
} relucap_lifted_params;

/* The lifted derivatives of Psi at a point. */
typedef struct {
  double grad[3 * RELUCAP_LIFTED_MAX_DEPTH]; /* d/d r_1..r_{L-1} | gb_1..gb_L | gam_1..gam_{L-1} | nu */
  double dc3;                                /* d Psi / d c3 */
  double dalpha;                             /* d Psi / d alpha_L */
} relucap_lifted_derivs;

/* Psi (notes 2.2) at p for alphas[0..L-1] (alpha_L last).  c3 = p->c3 > 0.  d (may be NULL):
 * the analytic derivatives.  err (may be NULL): quadrature error estimate of the value. */
int relucap_lifted_psi(const relucap_quad *q, relucap_kind kind, const double *alphas,
                       const relucap_lifted_params *p, double *value, relucap_lifted_derivs *d, double *err);

/* First-order slope dPsi/dc3 at c3 = 0+ at a plain saddle point p (notes section 4):
 *   1/2 sum r_i^2 - 1/4 - 1/2 [ sum alpha_i r_{i-1}^2 Var fq1^(i) + alpha_L k^2 Var m ],
 * evaluated as the Richardson limit of (Psi(c) - Phi_plain)/c.  Positive: lifting lowers the bound. */
int relucap_lifted_slope0(const relucap_quad *q, relucap_kind kind, const double *alphas,
                          const relucap_plain_params *p, double *slope);

typedef struct {
  int depth;                 /* L >= 1 (<= RELUCAP_LIFTED_MAX_DEPTH) */
  relucap_kind kind;
  const double *alphas;      /* alpha_1..alpha_{L-1} (NULL when depth = 1) */
  relucap_quad_method quad;  /* quadrature (GL default; ADAPTIVE for the cross-check) */
  size_t nodes;              /* GL nodes per half-line (0: default 64) */
  double c3;                 /* > 0: hold c3 at this value; 0: optimise over c3 */
} relucap_lifted_problem;

typedef struct {
  double capacity;           /* alpha_L (lifted; = plain when no_gain) */
  double plain_capacity;     /* the plain RDT value for the same inputs */
  double gain;               /* plain_capacity - capacity (>= 0 at the optimum) */
  int no_gain;               /* 1: the best c3 is 0+ (slope <= 0): capacity = plain, params.c3 = 0 */
  double slope;              /* dPsi/dc3 at c3 = 0+, at the plain saddle */
  double dalpha_dc3_0;       /* d alpha_L / d c3 at 0+ = -slope / (dPsi/d alpha_L) */
  relucap_lifted_params params; /* the saddle point (plain's when no_gain) */
  double gs;                 /* spherical multiplier gs_hat(c3) */
  double value;              /* Psi / sum_i r_{i-1} at the returned point (0 at the root) */
  double dpsi_dc3;           /* dPsi/dc3 at the returned point (0 at a free interior optimum) */
  double residual;           /* scale-free stationarity, as for plain: max_k |x_k dPsi/dx_k| / sum_i r_{i-1}
                                over x = (r, gb, gam, nu) and, when c3 is free, c3 */
  double gradient_max;       /* max_k |dPsi/dx_k| (raw; with dPsi/dc3 when c3 is free) */
  double saddle_max_eig_max; /* largest eigenvalue of the Hessian block of the max variables (gam, nu): < 0 */
  double saddle_min_eig_min; /* smallest eigenvalue of its Schur complement on the min variables (r, gb): > 0
                                (both 0 when no_gain: the plain saddle is reported) */
  double quad_error;         /* |capacity(N) - capacity(N/2)| + quadrature error of Psi */
  int evaluations;           /* Newton solves performed (continuation + c3 search) */
  double seconds;
} relucap_lifted_result;

/* The partially lifted RDT capacity bound.  Returns RELUCAP_SUCCESS, RELUCAP_EINVAL (bad input),
 * RELUCAP_EDOM (the objective is undefined along the path), RELUCAP_EMAXITER / RELUCAP_ENOPROG
 * (a saddle solve did not converge), RELUCAP_ESING (the stationary point found is not a min-max
 * saddle: not a bound).  No number is to be reported unless RELUCAP_SUCCESS. */
int relucap_lifted_capacity(const relucap_lifted_problem *prob, relucap_lifted_result *res);

#endif

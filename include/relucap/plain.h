/* relucap/plain.h - plain random duality theory (RDT) bounds for deep ReLU networks.
 *
 * Stojnic, "Deep ReLU networks - injectivity capacity upper bounds" (arXiv 2412.19677),
 * sections 3-4, eq. (72) with the typos fixed (docs/plain-rdt.md).  An l-layer network
 * x -> ReLU(A_l ... ReLU(A_1 x)) with A_i Gaussian of size m_i x m_{i-1}, alpha_i = m_i / n.
 * Given alpha_1..alpha_{l-1}, the capacity bound is the alpha_l at which the min-max of
 *
 *   Phi_l = sum_{i<l} r_{i-1} ( gbar_i + alpha_i f1(gbar_i, gamma_i) - gamma_i r_i^2 / r_{i-1}^2 )
 *           + gbar_l + alpha_l r_{l-1}^2 f2(4 gbar_l nu / r_{l-1}^2) / (4 gbar_l) - nu (kappa - alpha_l) - 1
 *
 * vanishes (kappa = 2 weak, 4 strong; r_0 = 1).  It is computed through the exact layer-by-layer
 * recursion V_1 = 1, V_i = G_{alpha_i}(V_{i+1}), V_l = q_kappa(alpha_l) (docs/plain-rdt.md, sec. 2),
 * and the returned point is checked against the full formula (value and gradient). */
#ifndef RELUCAP_PLAIN_H
#define RELUCAP_PLAIN_H

#include "relucap/gauss.h"

#define RELUCAP_MAX_DEPTH 64

typedef enum {
  RELUCAP_WEAK = 0,  /* weak injectivity: at least n positive outputs, kappa = 2 */
  RELUCAP_STRONG = 1 /* strong injectivity: at least 2n positive outputs, kappa = 4 */
} relucap_kind;

/* kappa = 2 (weak) or 4 (strong). */
double relucap_kappa(relucap_kind kind);

/* Hidden-layer expectations, for g, h iid N(0,1) and z* the minimiser of
 *   (g - z)^2/(4 gb) + ratio h max(z,0) + gam max(z,0)^2          (ratio = 1: the paper's f1)
 * val[0] = f1 = E min_z[...],  val[1] = E (g - z*)^2,  val[2] = E max(z*,0)^2,
 * val[3] = E h max(z*,0)  (so d f1/d gb = -val[1]/(4 gb^2), d f1/d gam = val[2], d f1/d ratio = val[3]).
 * Requires gb > 0, ratio > 0, 1 + 4 gam gb > 0.  err (may be NULL): quadrature error estimates. */
int relucap_plain_f1(const relucap_quad *q, double gb, double gam, double ratio, double val[4], double err[4]);

/* Last layer: f2(nu1) = E min_t[(g - t)^2 + nu1 sign(t)] = Phi(a) - 1/2 - a phi(a) + nu1(1 - 2 Phi(a)),
 * a = sqrt(2 nu1); f2'(nu1) = 1 - 2 Phi(a). */
double relucap_plain_f2(double nu1);
double relucap_plain_f2_prime(double nu1);

/* q_kappa(alpha) = sqrt(alpha E[g^2 1(0 < g < c)]) with Phibar(c) = kappa / (2 alpha), alpha > kappa.
 * (The last layer's block after eliminating gbar_l and nu.)  c_out may be NULL. */
double relucap_plain_q(double alpha, relucap_kind kind, double *c_out);
/* Inverse: the alpha > kappa with q_kappa(alpha) = v (v > 0). */
int relucap_plain_q_inverse(double v, relucap_kind kind, double *alpha, double *c_out);

/* One hidden layer's stationary point for input value v (docs/plain-rdt.md, (E1)-(E3)):
 *   alpha E(g - z*)^2 = 4 gbar^2,  alpha E max(z*,0)^2 = rho^2,  rho = v / (2 gamma),
 *   G = gbar + alpha f1(gbar, gamma) + v^2 / (4 gamma). */
typedef struct {
  double gbar, gamma, rho; /* block parameters (rho = r_i / r_{i-1}) */
  double G;                /* block value */
  double residual;         /* max |(E1)|, |(E2)| (relative form) */
} relucap_plain_block;

/* Solve the block for given alpha, v, ratio; b's gbar, gamma are the starting point if > 0. */
int relucap_plain_block_solve(const relucap_quad *q, double alpha, double v, double ratio,
                              relucap_plain_block *b);

/* The saddle point in the paper's parametrisation (index i = 1..depth; entry 0 unused). */
typedef struct {
  int depth;
  double r[RELUCAP_MAX_DEPTH + 1];     /* r_0 = 1, r_1..r_{l-1} */
  double gbar[RELUCAP_MAX_DEPTH + 1];  /* gbar_1..gbar_l (gbar_l in the paper's unnormalised form) */
  double gamma[RELUCAP_MAX_DEPTH + 1]; /* gamma_1..gamma_{l-1} */
  double nu;                           /* the l0 multiplier */
} relucap_plain_params;

/* Phi_l of eq. (72) at given parameters and alpha_1..alpha_l; grad (may be NULL) receives the
 * partial derivatives in the order r_1..r_{l-1}, gbar_1..gbar_l, gamma_1..gamma_{l-1}, nu
 * (3l - 1 entries).  err (may be NULL): quadrature error of the value. */
int relucap_plain_phi(const relucap_quad *q, relucap_kind kind, const double *alphas,
                      const relucap_plain_params *p, double *value, double *grad, double *err);

/* max over (nu, gamma_i) of Phi_l at fixed min-variables (r's, gbar's): a concave maximisation,
 * solved exactly per variable.  On return p->nu and p->gamma hold the maximisers. */
int relucap_plain_phi_inner_max(const relucap_quad *q, relucap_kind kind, const double *alphas,
                                relucap_plain_params *p, double *value);

typedef struct {
  int depth;                  /* l >= 1 */
  relucap_kind kind;
  const double *alphas;       /* alpha_1..alpha_{l-1} (NULL when depth = 1) */
  const double *ratios;       /* dual ratios pi_2..pi_l (NULL: all 1, the paper's normalisation) */
  relucap_quad_method quad;   /* quadrature (GL default; ADAPTIVE for the cross-check) */
  size_t nodes;               /* GL nodes per half-line (0: default 64) */
  double alpha1_min;          /* best single-layer capacity for the admissibility test (0: skip) */
} relucap_plain_problem;

typedef struct {
  double capacity;            /* alpha_l */
  double c, nu1, q;           /* last layer: Phibar(c) = kappa/(2 alpha_l), nu1 = c^2/2, q = V_l */
  double V[RELUCAP_MAX_DEPTH + 1]; /* V_1 = 1, ..., V_l */
  relucap_plain_params params;     /* the saddle point in the paper's variables */
  double residual;            /* max_k |x_k dPhi_l/dx_k| / sum_i r_{i-1} at the returned point (full
                                 formula (72); scale-free, = max|grad| up to O(1) factors for l <= 3) */
  double gradient_max;        /* max_k |dPhi_l/dx_k| (raw) */
  double value;               /* Phi_l / sum_i r_{i-1} at the returned point (0 at the root) */
  double block_residual;      /* max block-equation residual of the recursion */
  double quad_error;          /* |capacity(N nodes) - capacity(N/2 nodes)| + integral errors */
  int admissible;             /* 1 if alpha_1 >= alpha1_min and alpha_k >= capacity of depth k (k >= 2) */
  double seconds;
} relucap_plain_result;

/* The plain RDT capacity bound.  Returns RELUCAP_SUCCESS, RELUCAP_EINVAL (bad depth/alphas),
 * RELUCAP_EDOM (a hidden layer's block has no stationary point: alpha outside the domain),
 * RELUCAP_EMAXITER / RELUCAP_ESING (solver failure: no number should be reported). */
int relucap_plain_capacity(const relucap_plain_problem *prob, relucap_plain_result *res);

#endif

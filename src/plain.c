/* Plain RDT for deep ReLU networks (docs/plain-rdt.md; paper arXiv 2412.19677, eqs (36)-(72)). */
#include "relucap/plain.h"
#include "relucap/common.h"
#include "relucap/saddle.h"
#include <math.h>
#include <string.h>

double relucap_kappa(relucap_kind kind) { return kind == RELUCAP_STRONG ? 4.0 : 2.0; }

/* ---------- hidden-layer expectations (docs/plain-rdt.md, eq. (P5)-(P8)) ---------- */

typedef struct {
  double gb, k2, k, s; /* s = 2 gb ratio: the standard deviation of w = g - 2 gb ratio h */
} f1_params;

/* For fixed g, integrate h out in closed form (w ~ N(g, s^2), active when w > c(g)):
 *   M1 = E[w 1(w>c)] = g P + s p,  M2 = E[w^2 1(w>c)] = (g^2 + s^2) P + s (g + c) p,
 * with beta = (c - g)/s, P = Phibar(beta), p = phi(beta), c = 0 (g > 0) or k|g| (g <= 0). */
static int f1_integrand(double g, void *params, double *out)
{
  const f1_params *fp = params;
  double c = g > 0 ? 0.0 : -fp->k * g;
  double beta = (c - g) / fp->s;
  double P = relucap_nsf(beta), p = relucap_npdf(beta);
  double M1 = g * P + fp->s * p;
  double M2 = (g * g + fp->s * fp->s) * P + fp->s * (g + c) * p;
  double kept = g > 0 ? 1.0 : P; /* where the minimiser is z* = 0 (g > 0) or z* = g (g <= 0) */
  double w = relucap_npdf(g);
  out[0] = w * (g * g * kept / (4 * fp->gb) - M2 / (4 * fp->gb * fp->k2));
  out[1] = w * (g * g * kept - 2 * g * M1 / fp->k2 + M2 / (fp->k2 * fp->k2));
  out[2] = w * (M2 / (fp->k2 * fp->k2));
  out[3] = w * ((g * M1 - M2) / (fp->s * fp->k2));
  return 0;
}

int relucap_plain_f1(const relucap_quad *q, double gb, double gam, double ratio, double val[4], double err[4])
{
  f1_params fp;
  if (!(gb > 0) || !(ratio > 0) || !(1 + 4 * gam * gb > 0) || !isfinite(gam))
    RELUCAP_ERROR("f1: need gb > 0, ratio > 0, 1 + 4 gam gb > 0", RELUCAP_EDOM);
  fp.gb = gb;
  fp.k2 = 1 + 4 * gam * gb;
  fp.k = sqrt(fp.k2);
  fp.s = 2 * gb * ratio;
  double neg[4], pos[4], eneg[4], epos[4];
  int st = relucap_quad_halfline(q, f1_integrand, &fp, 4, -1, neg, err ? eneg : NULL);
  if (!st) st = relucap_quad_halfline(q, f1_integrand, &fp, 4, +1, pos, err ? epos : NULL);
  if (st) return st;
  for (int k = 0; k < 4; k++) {
    val[k] = neg[k] + pos[k];
    if (err) err[k] = eneg[k] + epos[k];
  }
  return RELUCAP_SUCCESS;
}

/* ---------- last layer (docs/plain-rdt.md, eq. (P9)-(P11)) ---------- */

double relucap_plain_f2(double nu1)
{
  double a = sqrt(2 * nu1);
  return relucap_ncdf(a) - 0.5 - a * relucap_npdf(a) + nu1 * (1 - 2 * relucap_ncdf(a));
}

double relucap_plain_f2_prime(double nu1) { return 1 - 2 * relucap_ncdf(sqrt(2 * nu1)); }

/* E[g^2 1(0 < g < c)] = Phi(c) - 1/2 - c phi(c), written with Phibar to keep digits for large c. */
static double truncated_second_moment(double c) { return 0.5 - relucap_nsf(c) - c * relucap_npdf(c); }

double relucap_plain_q(double alpha, relucap_kind kind, double *c_out)
{
  double kappa = relucap_kappa(kind);
  if (!(alpha > kappa)) return NAN;
  double c = relucap_nsf_inv(kappa / (2 * alpha));
  if (c_out) *c_out = c;
  return sqrt(alpha * truncated_second_moment(c));
}

static double q_minus(double alpha, void *p)
{
  const double *vk = p;
  return relucap_plain_q(alpha, vk[1] > 0 ? RELUCAP_STRONG : RELUCAP_WEAK, NULL) - vk[0];
}

int relucap_plain_q_inverse(double v, relucap_kind kind, double *alpha, double *c_out)
{
  if (!(v > 0) || !isfinite(v)) RELUCAP_ERROR("q_inverse: need v > 0", RELUCAP_EDOM);
  double kappa = relucap_kappa(kind);
  double vk[2] = {v, kind == RELUCAP_STRONG ? 1.0 : 0.0};
  /* q grows like sqrt(alpha/2) for large alpha: bracket by doubling. */
  double lo = kappa * (1 + 1e-15), hi = 2 * kappa;
  while (q_minus(hi, vk) < 0) {
    lo = hi;
    hi *= 2;
    if (hi > 1e12) RELUCAP_ERROR("q_inverse: v too large", RELUCAP_EDOM);
  }
  int st = relucap_root_bracket(q_minus, vk, lo, hi, 1e-15, alpha);
  if (st) return st;
  relucap_plain_q(*alpha, kind, c_out);
  return RELUCAP_SUCCESS;
}

/* ---------- one hidden layer ---------- */

typedef struct {
  const relucap_quad *q;
  double alpha, v, ratio;
} block_params;

/* (E1) alpha E(g-z*)^2 / (4 gbar^2) - 1 = 0,  (E2) alpha E z*_+^2 (2 gamma / v)^2 - 1 = 0,
 * in the unknowns (log gbar, log gamma) so that both stay positive. */
static int block_equations(const double *x, void *params, double *f)
{
  const block_params *bp = params;
  double gb = exp(x[0]), gam = exp(x[1]), val[4];
  int st = relucap_plain_f1(bp->q, gb, gam, bp->ratio, val, NULL);
  if (st) return st;
  f[0] = bp->alpha * val[1] / (4 * gb * gb) - 1;
  f[1] = bp->alpha * val[2] * (2 * gam / bp->v) * (2 * gam / bp->v) - 1;
  return 0;
}

int relucap_plain_block_solve(const relucap_quad *q, double alpha, double v, double ratio,
                              relucap_plain_block *b)
{
  if (!(alpha > 0) || !(v > 0) || !(ratio > 0)) RELUCAP_ERROR("block: need alpha, v, ratio > 0", RELUCAP_EDOM);
  block_params bp = {q, alpha, v, ratio};
  relucap_system sys = {block_equations, 2, &bp};
  /* Starting points: the caller's (warm start), then a few spread over the plausible range. */
  /* gbar grows roughly like alpha/7.5 and gamma like 2/alpha along the admissible range. */
  const double starts[][2] = {{0.9, 0.3}, {alpha / 7.5, 2 / alpha}, {alpha / 5, 1 / alpha}, {alpha / 12, 4 / alpha},
                              {0.5, 0.2}, {2.0, 0.2}, {0.3, 1.0}, {4.0, 0.05}};
  int n_starts = (int)(sizeof starts / sizeof starts[0]);
  int status = RELUCAP_ENOPROG;
  for (int s = -1; s < n_starts; s++) {
    double x[2];
    if (s < 0) {
      if (!(b->gbar > 0 && b->gamma > 0)) continue;
      x[0] = log(b->gbar); x[1] = log(b->gamma);
    } else {
      x[0] = log(starts[s][0]); x[1] = log(starts[s][1]);
    }
    relucap_solve_info info;
    status = relucap_solve_system(&sys, x, 1e-13, 200, &info);
    if (status == RELUCAP_SUCCESS) {
      double val[4];
      b->gbar = exp(x[0]);
      b->gamma = exp(x[1]);
      b->rho = v / (2 * b->gamma);
      status = relucap_plain_f1(q, b->gbar, b->gamma, ratio, val, NULL);
      if (status) return status;
      b->G = b->gbar + alpha * val[0] + v * v / (4 * b->gamma);
      b->residual = info.residual;
      return RELUCAP_SUCCESS;
    }
  }
  return status == RELUCAP_EDOM ? RELUCAP_EDOM : RELUCAP_ENOPROG;
}

/* The block equations together with G_alpha(v) = target, in (log gbar, log gamma, log v):
 * solving the three at once avoids stepping v into the region where the block has no solution. */
static int inverted_block_equations(const double *x, void *params, double *f)
{
  const block_params *bp = params;
  double gb = exp(x[0]), gam = exp(x[1]), v = exp(x[2]) * bp->ratio, val[4];
  int st = relucap_plain_f1(bp->q, gb, gam, bp->ratio, val, NULL);
  if (st) return st;
  f[0] = bp->alpha * val[1] / (4 * gb * gb) - 1;
  f[1] = bp->alpha * val[2] * (2 * gam / v) * (2 * gam / v) - 1;
  f[2] = (gb + bp->alpha * val[0] + v * v / (4 * gam)) / bp->v - 1; /* bp->v holds the target */
  return 0;
}

/* Solve G_alpha(ratio v) = target for v (G increases with v: dG/dv = rho ratio).  The block has
 * no stationary point when v is too small for alpha, so the start moves up until it has one. */
static int invert_block(const relucap_quad *q, double alpha, double ratio, double target,
                        relucap_plain_block *b, double *v_out)
{
  double v = *v_out > 0 ? *v_out : target;
  int st = relucap_plain_block_solve(q, alpha, v * ratio, ratio, b);
  for (int up = 0; st && up < 80; up++) {
    v *= 1.1;
    st = relucap_plain_block_solve(q, alpha, v * ratio, ratio, b);
  }
  if (st) return st;
  /* Safeguarded Newton in v on the block value (slope rho ratio, the envelope theorem) brings v
   * close to the root; a step that leaves the solvable region is halved. */
  for (int it = 0; it < 40 && fabs(b->G - target) > 1e-8 * target; it++) {
    double step = (b->G - target) / (b->rho * ratio);
    relucap_plain_block trial = *b;
    for (int half = 0; half < 30; half++, step *= 0.5) {
      double vn = step < v ? v - step : 0.5 * v;
      trial = *b;
      if ((st = relucap_plain_block_solve(q, alpha, vn * ratio, ratio, &trial)) == RELUCAP_SUCCESS) {
        v = vn;
        break;
      }
    }
    if (st) return st;
    *b = trial;
  }
  block_params bp = {q, alpha, target, ratio};
  relucap_system sys = {inverted_block_equations, 3, &bp};
  double x[3] = {log(b->gbar), log(b->gamma), log(v)};
  relucap_solve_info info;
  st = relucap_solve_system(&sys, x, 1e-13, 200, &info);
  if (st) return st;
  v = exp(x[2]);
  b->gbar = exp(x[0]);
  b->gamma = exp(x[1]);
  /* Polish and record the block at the final v (its own residual is the evidence). */
  st = relucap_plain_block_solve(q, alpha, v * ratio, ratio, b);
  if (st) return st;
  *v_out = v;
  return RELUCAP_SUCCESS;
}

/* A solved block (alpha, target) -> (block, v): the anchor of a continuation. */
typedef struct {
  double alpha, target, v;
  relucap_plain_block block;
} block_anchor;

/* Solve with a warm start from the anchor; if that fails, walk from the anchor to (alpha, target)
 * in geometric steps (continuation), halving a step that fails.  Layers of a chain are close to
 * each other, so the previous layer is a good anchor. */
static int invert_block_continued(const relucap_quad *q, double alpha, double ratio, double target,
                                  const block_anchor *anchor, relucap_plain_block *b, double *v_out)
{
  relucap_plain_block w = anchor->block;
  double v = anchor->v * target / anchor->target;
  int st = invert_block(q, alpha, ratio, target, &w, &v);
  if (st == RELUCAP_SUCCESS) { *b = w; *v_out = v; return st; }
  double t = 0, dt = 0.1;
  w = anchor->block;
  v = anchor->v;
  for (int step = 0; t < 1 && step < 200; step++) {
    double tn = fmin(1.0, t + dt);
    double an = anchor->alpha * pow(alpha / anchor->alpha, tn);
    double gn = anchor->target * pow(target / anchor->target, tn);
    relucap_plain_block trial = w;
    double vt = v * gn / (anchor->target * pow(target / anchor->target, t));
    if (invert_block(q, an, ratio, gn, &trial, &vt) == RELUCAP_SUCCESS) {
      t = tn; w = trial; v = vt;
      dt = fmin(0.25, dt * 1.5);
    } else if ((dt *= 0.5) < 1e-4) {
      break;
    }
  }
  if (t < 1) RELUCAP_ERROR("block continuation did not reach the requested alpha", RELUCAP_EMAXITER);
  *b = w;
  *v_out = v;
  return RELUCAP_SUCCESS;
}

/* ---------- the full objective (72), for checks ---------- */

int relucap_plain_phi(const relucap_quad *q, relucap_kind kind, const double *alphas,
                      const relucap_plain_params *p, double *value, double *grad, double *err)
{
  int l = p->depth;
  if (l < 1 || l > RELUCAP_MAX_DEPTH) RELUCAP_ERROR("phi: bad depth", RELUCAP_EINVAL);
  double kappa = relucap_kappa(kind), phi = -1.0, e = 0.0;
  /* gradient layout: r_1..r_{l-1} | gbar_1..gbar_l | gamma_1..gamma_{l-1} | nu */
  double *gr = grad, *ggb = grad ? grad + (l - 1) : NULL, *ggam = grad ? grad + (2 * l - 1) : NULL;
  if (grad) memset(grad, 0, (size_t)(3 * l - 1) * sizeof *grad);
  for (int i = 1; i < l; i++) {
    double val[4], er[4], a = alphas[i - 1], gb = p->gbar[i], gam = p->gamma[i];
    double rp = p->r[i - 1], ri = p->r[i];
    int st = relucap_plain_f1(q, gb, gam, 1.0, val, err ? er : NULL);
    if (st) return st;
    double inner = gb + a * val[0] - gam * ri * ri / (rp * rp);
    phi += rp * inner;
    if (err) e += rp * a * er[0];
    if (grad) {
      if (i >= 2) gr[i - 2] += inner + 2 * gam * ri * ri / (rp * rp); /* d/d r_{i-1} of r_{i-1}*inner */
      gr[i - 1] += -2 * gam * ri / rp;                              /* d/d r_i */
      ggb[i - 1] = rp * (1 - a * val[1] / (4 * gb * gb));
      ggam[i - 1] = rp * (a * val[2] - ri * ri / (rp * rp));
    }
  }
  double a = alphas[l - 1], R = p->r[l - 1] * p->r[l - 1], gb = p->gbar[l], nu = p->nu;
  double nu1 = 4 * gb * nu / R, f2 = relucap_plain_f2(nu1), f2p = relucap_plain_f2_prime(nu1);
  phi += gb + a * R * f2 / (4 * gb) - nu * (kappa - a);
  if (grad) {
    if (l >= 2) gr[l - 2] += 2 * p->r[l - 1] * a / (4 * gb) * (f2 - nu1 * f2p);
    ggb[l - 1] = 1 + a * nu * f2p / gb - a * R * f2 / (4 * gb * gb);
    grad[3 * l - 2] = a * f2p - (kappa - a);
  }
  *value = phi;
  if (err) *err = e;
  return RELUCAP_SUCCESS;
}

/* d/d gamma of alpha f1(gb, gamma) - gamma rho^2 is alpha E z*_+^2 - rho^2, decreasing in gamma. */
typedef struct {
  const relucap_quad *q;
  double alpha, gb, rho2;
  int failed;
} gamma_params;

static double gamma_slope(double gam, void *params)
{
  gamma_params *gp = params;
  double val[4];
  if (relucap_plain_f1(gp->q, gp->gb, gam, 1.0, val, NULL)) { gp->failed = 1; return 0; }
  return gp->alpha * val[2] - gp->rho2;
}

int relucap_plain_phi_inner_max(const relucap_quad *q, relucap_kind kind, const double *alphas,
                                relucap_plain_params *p, double *value)
{
  int l = p->depth;
  for (int i = 1; i < l; i++) {
    double rho = p->r[i] / p->r[i - 1];
    gamma_params gp = {q, alphas[i - 1], p->gbar[i], rho * rho, 0};
    /* the slope is positive as gamma -> -1/(4 gb) and negative for large gamma */
    double lo = -1 / (4 * p->gbar[i]) * (1 - 1e-9), hi = 1.0;
    while (gamma_slope(hi, &gp) > 0 && hi < 1e6) hi *= 2;
    int st = relucap_root_bracket(gamma_slope, &gp, lo, hi, 1e-15, &p->gamma[i]);
    if (st || gp.failed) return st ? st : RELUCAP_EBADFUNC;
  }
  /* nu: alpha_l f2'(nu1) = kappa - alpha_l  <=>  Phibar(c) = kappa / (2 alpha_l), nu1 = c^2/2. */
  double a = alphas[l - 1], kappa = relucap_kappa(kind), R = p->r[l - 1] * p->r[l - 1];
  if (a > kappa) {
    double c = relucap_nsf_inv(kappa / (2 * a));
    p->nu = 0.5 * c * c * R / (4 * p->gbar[l]);
  } else {
    p->nu = 0.0; /* the objective is non-increasing in nu: the max sits at the boundary */
  }
  return relucap_plain_phi(q, kind, alphas, p, value, NULL, NULL);
}

/* ---------- the capacity ---------- */

static int solve_chain(const relucap_plain_problem *prob, const relucap_quad *q,
                       relucap_plain_result *res, relucap_plain_block *blocks)
{
  int l = prob->depth;
  res->V[1] = 1.0;
  double block_res = 0;
  /* The first anchor: the paper's 2-layer point (alpha_1 = 6.7004, V_1 = 1), solved cold. */
  block_anchor anchor = {.alpha = 6.7004, .target = 1.0, .v = 0};
  for (int i = 1; i < l; i++) {
    double ratio = prob->ratios ? prob->ratios[i - 1] : 1.0, v = 0;
    if (i == 1) {
      anchor.block = blocks[1];
      int st = invert_block(q, anchor.alpha, ratio, anchor.target, &anchor.block, &anchor.v);
      if (st) return st;
    }
    int st = invert_block_continued(q, prob->alphas[i - 1], ratio, res->V[i], &anchor, &blocks[i], &v);
    if (st) return st;
    res->V[i + 1] = v;
    anchor = (block_anchor){prob->alphas[i - 1], res->V[i], v, blocks[i]};
    if (blocks[i].residual > block_res) block_res = blocks[i].residual;
  }
  res->block_residual = block_res;
  return relucap_plain_q_inverse(res->V[l], prob->kind, &res->capacity, &res->c);
}

/* The paper's variables from the recursion: r_i = prod rho, gbar_l = r_{l-1} q / 2,
 * nu = nu1 r_{l-1} / (2 q). */
static void paper_params(const relucap_plain_problem *prob, const relucap_plain_block *blocks,
                         relucap_plain_result *res)
{
  int l = prob->depth;
  relucap_plain_params *p = &res->params;
  memset(p, 0, sizeof *p);
  p->depth = l;
  p->r[0] = 1.0;
  for (int i = 1; i < l; i++) {
    p->r[i] = p->r[i - 1] * blocks[i].rho;
    p->gbar[i] = blocks[i].gbar;
    p->gamma[i] = blocks[i].gamma;
  }
  res->q = res->V[l];
  res->nu1 = 0.5 * res->c * res->c;
  p->gbar[l] = p->r[l - 1] * res->q / 2;
  p->nu = res->nu1 * p->r[l - 1] / (2 * res->q);
}

static int check_problem(const relucap_plain_problem *prob)
{
  if (prob->depth < 1 || prob->depth > RELUCAP_MAX_DEPTH) RELUCAP_ERROR("depth out of range", RELUCAP_EINVAL);
  if (prob->kind != RELUCAP_WEAK && prob->kind != RELUCAP_STRONG) RELUCAP_ERROR("unknown kind", RELUCAP_EINVAL);
  for (int i = 0; i < prob->depth - 1; i++) {
    if (!prob->alphas || !(prob->alphas[i] > 0) || !isfinite(prob->alphas[i]))
      RELUCAP_ERROR("alphas must be positive and finite", RELUCAP_EINVAL);
    /* A hidden layer's block (E1)-(E3) loses its solution as alpha_k -> 2+: gamma diverges
     * (1.5 at 2.2, 20 at 2.0; docs/plain-rdt.md, sec. 2.3).  Below that the bound is undefined. */
    if (!prob->ratios && prob->alphas[i] <= 2.0)
      RELUCAP_ERROR("hidden-layer alphas must exceed 2 (the layer's saddle has no solution)", RELUCAP_EDOM);
    if (prob->ratios && (!(prob->ratios[i] > 0) || !isfinite(prob->ratios[i])))
      RELUCAP_ERROR("ratios must be positive and finite", RELUCAP_EINVAL);
  }
  return RELUCAP_SUCCESS;
}

int relucap_plain_capacity(const relucap_plain_problem *prob, relucap_plain_result *res)
{
  double t0 = relucap_clock();
  int st = check_problem(prob);
  if (st) return st;
  memset(res, 0, sizeof *res);
  size_t nodes = prob->nodes ? prob->nodes : 64;
  relucap_quad *q = relucap_quad_alloc(prob->quad, nodes, 12.0);
  relucap_quad *qh = relucap_quad_alloc(RELUCAP_QUAD_GL, nodes / 2, 12.0);
  relucap_plain_block blocks[RELUCAP_MAX_DEPTH + 1], coarse[RELUCAP_MAX_DEPTH + 1];
  memset(blocks, 0, sizeof blocks);
  if (!q || !qh) { st = RELUCAP_ENOMEM; goto done; }
  st = solve_chain(prob, q, res, blocks);
  if (st) goto done;
  paper_params(prob, blocks, res);

  /* Evidence 1: the full formula (72) at the returned point - value and gradient. */
  if (!prob->ratios) {
    double alphas[RELUCAP_MAX_DEPTH], grad[3 * RELUCAP_MAX_DEPTH], ierr;
    for (int i = 0; i < prob->depth - 1; i++) alphas[i] = prob->alphas[i];
    alphas[prob->depth - 1] = res->capacity;
    st = relucap_plain_phi(q, prob->kind, alphas, &res->params, &res->value, grad, &ierr);
    if (st) goto done;
    /* Scale-free residual: each partial times its variable, over the objective's total weight
     * sum_i r_{i-1} (deep layers carry weights r_{i-1} that grow geometrically). */
    const relucap_plain_params *pp = &res->params;
    int l = prob->depth;
    double weight = 0, x[3 * RELUCAP_MAX_DEPTH];
    for (int i = 1; i <= l; i++) weight += pp->r[i - 1];
    for (int i = 1; i < l; i++) { x[i - 1] = pp->r[i]; x[2 * l - 1 + i - 1] = pp->gamma[i]; }
    for (int i = 1; i <= l; i++) x[l - 1 + i - 1] = pp->gbar[i];
    x[3 * l - 2] = pp->nu;
    res->residual = res->gradient_max = 0;
    for (int k = 0; k < 3 * l - 1; k++) {
      res->gradient_max = fmax(res->gradient_max, fabs(grad[k]));
      res->residual = fmax(res->residual, fabs(grad[k] * x[k]) / weight);
    }
    res->value /= weight;
    res->quad_error = ierr;
  }

  /* Evidence 2: the same capacity with a half-order rule, warm-started. */
  {
    relucap_plain_result half = *res;
    memcpy(coarse, blocks, sizeof blocks);
    relucap_plain_problem hp = *prob;
    st = solve_chain(&hp, qh, &half, coarse);
    if (st) goto done;
    res->quad_error += fabs(half.capacity - res->capacity);
  }

  /* Admissibility: alpha_1 at least the best single-layer value (given by the caller), and each
   * later alpha_k at least the k-layer capacity of the net before it: q^{-1}(V_k), same kind. */
  res->admissible = !(prob->alpha1_min > 0 && prob->depth > 1 && prob->alphas[0] < prob->alpha1_min);
  for (int k = 2; k < prob->depth && res->admissible; k++) {
    double cap_k;
    st = relucap_plain_q_inverse(res->V[k], prob->kind, &cap_k, NULL);
    if (st) goto done;
    if (prob->alphas[k - 1] < cap_k) res->admissible = 0;
  }
done:
  relucap_quad_free(q);
  relucap_quad_free(qh);
  res->seconds = relucap_clock() - t0;
  return st;
}

/* Lifting combined with optimised dual ratios at any depth (docs/optimized-rdt.md sec. 10): the
 * lifted objective of relucap/lifted.h with every layer weighted by its dual-norm ratios.
 *
 *   Psi = (c/2) sum_{i=1}^{L} W_i^2
 *       + sum_{i=1}^{L-1} [ W_i gb_i - (a_i/c) ln F1(c W_i pi_{i+1}, pi_{i+1} gb_i, gam_i/pi_{i+1}) - W_i gam_i rho_i^2 ]
 *       + gb_L - (a_L/c) ln F2(c k, nu/k) - nu (kappa - a_L) + S(c),
 *   W_i = P_i r_{i-1},  P_i = pi_2 ... pi_i (P_1 = 1, r_0 = 1),  rho_i = r_i / r_{i-1},  k = W_L^2 / (4 gb_L).
 *
 * Built by the lifted notes' rule (each per-coordinate plain term a X -> -(a/c) ln E exp(-c X);
 * each matrix A_i adds c/2 (input norm)^2 (dual norm)^2) applied to the plain objective with ratios;
 * it reduces to relucap_lifted_psi at pi = 1, to the plain recursion with ratios as c -> 0, and to
 * relucap_optimized_lifted2 at depth 2. */
#include "relucap/optimized.h"
#include "relucap/lifted.h"
#include "relucap/common.h"
#include "relucap/saddle.h"
#include "optimized_internal.h"
#include <float.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <math.h>
#include <string.h>

#define MAXL RELUCAP_OPTLIFT_MAX_DEPTH

typedef struct {
  int L;
  double kappa;
  const double *a;  /* alpha_1..alpha_{L-1} (alpha_L is a variable) */
} deep_model;

/* A point: r[1..L-1], gb[1..L], gam[1..L-1], nu, aL, c, pi[2..L]. */
typedef struct {
  double r[MAXL + 1], gb[MAXL + 1], gam[MAXL + 1], pi[MAXL + 1], nu, aL, c;
} deep_point;

/* Psi and (if d) its partials: d->r[j], d->gb[i], d->gam[i], d->pi[m], d->nu, d->aL, d->c. */
static int deep_eval(const relucap_quad *q, const deep_model *m, const deep_point *x, double *psi, deep_point *d)
{
  int L = m->L;
  double P[MAXL + 1], W[MAXL + 1], rr[MAXL + 1], rho[MAXL + 1];
  double DW[MAXL + 1] = {0}, Drho[MAXL + 1] = {0}, Dpi_local[MAXL + 1] = {0};
  double c = x->c, total = 0, dc = 0;
  rr[0] = 1;
  for (int i = 1; i < L; i++) rr[i] = x->r[i];
  P[1] = 1;
  for (int i = 2; i <= L; i++) P[i] = P[i - 1] * x->pi[i];
  for (int i = 1; i <= L; i++) W[i] = P[i] * rr[i - 1];
  for (int i = 1; i < L; i++) rho[i] = rr[i] / rr[i - 1];
  if (d) memset(d, 0, sizeof *d);
  /* variance terms */
  for (int i = 1; i <= L; i++) {
    total += c / 2 * W[i] * W[i];
    DW[i] += c * W[i];
    dc += W[i] * W[i] / 2;
  }
  /* hidden layers */
  for (int i = 1; i < L; i++) {
    double pi = x->pi[i + 1], a = m->a[i - 1], L1, G1[3];
    int st = relucap_lifted_log_f1_grad(q, c * W[i] * pi, pi * x->gb[i], x->gam[i] / pi, &L1, G1, NULL);
    if (st) return st;
    total += W[i] * x->gb[i] - a / c * L1 - W[i] * x->gam[i] * rho[i] * rho[i];
    if (!d) continue;
    d->gb[i] = W[i] - a / c * G1[1] * pi;
    d->gam[i] = -a / c * G1[2] / pi - W[i] * rho[i] * rho[i];
    DW[i] += x->gb[i] - a / c * G1[0] * c * pi - x->gam[i] * rho[i] * rho[i];
    Dpi_local[i + 1] = -a / c * (G1[0] * c * W[i] + G1[1] * x->gb[i] - G1[2] * x->gam[i] / (pi * pi));
    Drho[i] = -2 * W[i] * x->gam[i] * rho[i];
    dc += a / (c * c) * L1 - a / c * G1[0] * W[i] * pi;
  }
  /* last layer */
  double k = W[L] * W[L] / (4 * x->gb[L]), dcf, dnf;
  double L2 = relucap_lifted_log_f2(c * k, x->nu / k, &dcf, &dnf);
  if (!isfinite(L2)) return RELUCAP_EDOM;
  double dS, S = relucap_lifted_S(c, &dS, NULL);
  total += x->gb[L] - x->aL / c * L2 - x->nu * (m->kappa - x->aL) + S;
  *psi = total;
  if (!d) return RELUCAP_SUCCESS;
  double dL2dk = dcf * c - dnf * x->nu / (k * k);
  DW[L] += -x->aL / c * dL2dk * 2 * k / W[L];
  d->gb[L] = 1 + x->aL / c * dL2dk * k / x->gb[L];
  d->nu = -x->aL / c * dnf / k - (m->kappa - x->aL);
  d->aL = -L2 / c + x->nu;
  d->c = dc + x->aL / (c * c) * L2 - x->aL / c * dcf * k + dS;
  /* chain rule to the primitive variables: W_{j+1} = P_{j+1} r_j, rho_j = r_j / r_{j-1},
   * rho_{j+1} = r_{j+1} / r_j; W_i (i >= m) carries pi_m */
  for (int j = 1; j < L; j++) {
    d->r[j] = DW[j + 1] * P[j + 1] + Drho[j] / rr[j - 1];
    if (j + 1 < L) d->r[j] -= Drho[j + 1] * rr[j + 1] / (rr[j] * rr[j]);
  }
  for (int mm = 2; mm <= L; mm++) {
    d->pi[mm] = Dpi_local[mm];
    for (int i = mm; i <= L; i++) d->pi[mm] += DW[i] * W[i] / x->pi[mm];
  }
  return RELUCAP_SUCCESS;
}

int relucap_optimized_lifted_deep_psi(const relucap_quad *q, relucap_kind kind, int depth, const double *alphas,
                                      double c3, const double *ratios, const double *r, const double *gb,
                                      const double *gam, double nu, double *psi)
{
  if (depth < 2 || depth > MAXL) RELUCAP_ERROR("lifted_deep: depth out of range", RELUCAP_EINVAL);
  deep_model m = {depth, relucap_kappa(kind), alphas};
  deep_point x;
  memset(&x, 0, sizeof x);
  for (int i = 1; i < depth; i++) { x.r[i] = r[i - 1]; x.gam[i] = gam[i - 1]; x.pi[i + 1] = ratios[i - 1]; }
  for (int i = 1; i <= depth; i++) x.gb[i] = gb[i - 1];
  x.nu = nu;
  x.aL = alphas[depth - 1];
  x.c = c3;
  return deep_eval(q, &m, &x, psi, NULL);
}

/* ---- the stationarity system: unknowns in logs (aL direct); c and the ratios optional ---- */
typedef struct {
  const relucap_quad *q;
  deep_model m;
  int free_c, free_pi;
  deep_point held; /* c and pi when held */
} deep_sys;

static int pack(const deep_sys *s, const deep_point *p, double *x)
{
  int L = s->m.L, n = 0;
  for (int j = 1; j < L; j++) x[n++] = log(p->r[j]);
  for (int i = 1; i <= L; i++) x[n++] = log(p->gb[i]);
  for (int i = 1; i < L; i++) x[n++] = log(p->gam[i]);
  x[n++] = log(p->nu);
  x[n++] = p->aL;
  if (s->free_c) x[n++] = log(p->c);
  if (s->free_pi) for (int mm = 2; mm <= L; mm++) x[n++] = log(p->pi[mm]);
  return n;
}

static void unpack(const deep_sys *s, const double *x, deep_point *p)
{
  int L = s->m.L, n = 0;
  *p = s->held;
  for (int j = 1; j < L; j++) p->r[j] = exp(x[n++]);
  for (int i = 1; i <= L; i++) p->gb[i] = exp(x[n++]);
  for (int i = 1; i < L; i++) p->gam[i] = exp(x[n++]);
  p->nu = exp(x[n++]);
  p->aL = x[n++];
  if (s->free_c) p->c = exp(x[n++]);
  if (s->free_pi) for (int mm = 2; mm <= L; mm++) p->pi[mm] = exp(x[n++]);
}

/* x dPsi/dx for every log variable, Psi itself for alpha_L's slot */
static int deep_equations(const double *xv, void *params, double *f)
{
  const deep_sys *s = params;
  deep_point p, d;
  double psi;
  unpack(s, xv, &p);
  int st = deep_eval(s->q, &s->m, &p, &psi, &d);
  if (st) return st;
  int L = s->m.L, n = 0;
  for (int j = 1; j < L; j++) f[n++] = p.r[j] * d.r[j];
  for (int i = 1; i <= L; i++) f[n++] = p.gb[i] * d.gb[i];
  for (int i = 1; i < L; i++) f[n++] = p.gam[i] * d.gam[i];
  f[n++] = p.nu * d.nu;
  f[n++] = psi;
  if (s->free_c) f[n++] = p.c * d.c;
  if (s->free_pi) for (int mm = 2; mm <= L; mm++) f[n++] = p.pi[mm] * d.pi[mm];
  return 0;
}

static int deep_solve(const relucap_quad *q, const deep_model *m, int free_c, int free_pi, deep_point *p,
                      double *residual)
{
  deep_sys s = {q, *m, free_c, free_pi, *p};
  double x[RELUCAP_SYSTEM_MAXN];
  int n = pack(&s, p, x);
  relucap_system sys = {deep_equations, (size_t)n, &s};
  relucap_solve_info info;
  int st = relucap_solve_system(&sys, x, 1e-13, 200, &info);
  if (st == RELUCAP_ENOPROG && info.residual < 1e-12) st = RELUCAP_SUCCESS; /* stalled at rounding */
  if (st) return st;
  unpack(&s, x, p);
  if (residual) *residual = info.residual;
  return RELUCAP_SUCCESS;
}

/* The start: the plain bound with optimised (or given) ratios, in the weighted variables. */
static int deep_start(const relucap_optimized_problem *pp, const double *ratios, deep_point *p, double *plain,
                      double *plain_residual)
{
  relucap_optimized_result r;
  int st = ratios ? relucap_optimized_at_ratios(pp, ratios, &r) : relucap_optimized_capacity(pp, &r);
  if (st) return st;
  int L = pp->depth;
  memset(p, 0, sizeof *p);
  double rr = 1, P = 1;
  for (int i = 1; i < L; i++) {
    p->pi[i + 1] = r.ratios[i + 1];
    p->gb[i] = r.gbar[i];
    p->gam[i] = r.gamma[i];
    rr *= r.rho[i];
    p->r[i] = rr;
    P *= r.ratios[i + 1];
  }
  double WL = P * rr, k = WL / (2 * r.q);
  p->gb[L] = WL * r.q / 2;
  p->nu = r.nu1 * k;
  p->aL = r.capacity;
  p->c = C3_START;
  *plain = r.capacity;
  *plain_residual = fmax(r.residual, r.root_residual);
  return RELUCAP_SUCCESS;
}

static int deep_at_c(const relucap_quad *q, const deep_model *m, int free_pi, double c, deep_point *p)
{
  deep_point t = *p;
  t.c = c;
  int st = deep_solve(q, m, 0, free_pi, &t, NULL);
  if (!st) *p = t;
  return st;
}

/* The continuation's view of deep_at_c (optimized_internal.h). */
typedef struct {
  const relucap_quad *q;
  const deep_model *m;
  int free_pi;
  deep_point *p, *best;
} deep_path;

static int deep_path_solve(void *ctx, double c3)
{
  deep_path *d = ctx;
  return deep_at_c(d->q, d->m, d->free_pi, c3, d->p);
}

static double deep_path_value(void *ctx) { return ((deep_path *)ctx)->p->aL; }

static void deep_path_keep(void *ctx)
{
  deep_path *d = ctx;
  *d->best = *d->p;
}

/* optimized_internal.h */
int optlift_continuation(const optlift_path *path, double target, int free_c3, int *steps,
                         int *best_step, int *rising)
{
  double cur = C3_START, step = C3_GROWTH, best = path->value(path->ctx);
  int down = target < cur; /* a held c3 below the start: continue downwards */
  while (down ? cur > target * (1 + 1e-14) : cur < target * (1 - 1e-14)) {
    double next = down ? fmax(cur / step, target) : fmin(cur * step, target);
    if (path->solve_at(path->ctx, next)) {
      step = sqrt(step);
      if (step < 1.0005) return RELUCAP_ENOPROG;
      continue;
    }
    cur = next;
    ++*steps;
    if (free_c3) {
      double v = path->value(path->ctx);
      if (v < best) { path->keep_best(path->ctx); best = v; *best_step = *steps; *rising = 0; }
      else if (++*rising >= 3) break; /* three steps past the minimum */
    }
  }
  return RELUCAP_SUCCESS;
}

/* Second-order check of a returned point, as the lifted module does: with the Hessian of Psi in
 * the min variables x = (r_1..r_{L-1}, gb_1..gb_L) and the max variables y = (gam_1..gam_{L-1}, nu)
 * (central differences of the analytic gradient, relative step 1e-5), the max block H_yy must be
 * negative definite and the Schur complement H_xx - H_xy H_yy^{-1} H_yx positive definite.
 * *max_yy = largest eigenvalue of H_yy, *min_schur = smallest of the Schur complement. */
static int saddle_check(const relucap_quad *q, const deep_model *m, const deep_point *p, double *max_yy,
                        double *min_schur)
{
  int L = m->L, nx = 2 * L - 1, ny = L, n = nx + ny, st = RELUCAP_SUCCESS;
  gsl_matrix *H = gsl_matrix_alloc((size_t)n, (size_t)n);
  gsl_matrix *Y = gsl_matrix_alloc((size_t)ny, (size_t)ny), *Yi = gsl_matrix_alloc((size_t)ny, (size_t)ny);
  gsl_matrix *S = gsl_matrix_alloc((size_t)nx, (size_t)nx);
  gsl_vector *ey = gsl_vector_alloc((size_t)ny), *ex = gsl_vector_alloc((size_t)nx);
  gsl_permutation *perm = gsl_permutation_alloc((size_t)ny);
  gsl_eigen_symm_workspace *wy = gsl_eigen_symm_alloc((size_t)ny), *wx = gsl_eigen_symm_alloc((size_t)nx);
  if (!H || !Y || !Yi || !S || !ey || !ex || !perm || !wy || !wx) { st = RELUCAP_ENOMEM; goto out; }
  for (int k = 0; k < n; k++) {
    double g[2][3 * MAXL];
    for (int side = 0; side < 2; side++) {
      deep_point t = *p, d;
      double *v = k < L - 1 ? &t.r[k + 1] : k < nx ? &t.gb[k - (L - 1) + 1] : k < n - 1 ? &t.gam[k - nx + 1] : &t.nu;
      double h = 1e-5 * *v, psi;
      *v += side ? -h : h;
      st = deep_eval(q, m, &t, &psi, &d);
      if (st) goto out;
      int j = 0;
      for (int i = 1; i < L; i++) g[side][j++] = d.r[i];
      for (int i = 1; i <= L; i++) g[side][j++] = d.gb[i];
      for (int i = 1; i < L; i++) g[side][j++] = d.gam[i];
      g[side][j] = d.nu;
      if (side) for (int i = 0; i < n; i++) gsl_matrix_set(H, (size_t)i, (size_t)k, (g[0][i] - g[1][i]) / (2 * h));
    }
  }
  for (int i = 0; i < n; i++) /* symmetrise */
    for (int j = i + 1; j < n; j++) {
      double a = 0.5 * (gsl_matrix_get(H, (size_t)i, (size_t)j) + gsl_matrix_get(H, (size_t)j, (size_t)i));
      gsl_matrix_set(H, (size_t)i, (size_t)j, a);
      gsl_matrix_set(H, (size_t)j, (size_t)i, a);
    }
  for (int i = 0; i < ny; i++)
    for (int j = 0; j < ny; j++) gsl_matrix_set(Y, (size_t)i, (size_t)j, gsl_matrix_get(H, (size_t)(nx + i), (size_t)(nx + j)));
  gsl_matrix_memcpy(Yi, Y);
  gsl_eigen_symm(Yi, ey, wy); /* destroys Yi */
  *max_yy = gsl_vector_max(ey);
  int sign;
  gsl_linalg_LU_decomp(Y, perm, &sign);
  gsl_linalg_LU_invert(Y, perm, Yi);
  for (int i = 0; i < nx; i++)
    for (int j = 0; j < nx; j++) {
      double v = gsl_matrix_get(H, (size_t)i, (size_t)j);
      for (int a = 0; a < ny; a++)
        for (int b = 0; b < ny; b++)
          v -= gsl_matrix_get(H, (size_t)i, (size_t)(nx + a)) * gsl_matrix_get(Yi, (size_t)a, (size_t)b) *
               gsl_matrix_get(H, (size_t)(nx + b), (size_t)j);
      gsl_matrix_set(S, (size_t)i, (size_t)j, v);
    }
  for (int i = 0; i < nx; i++)
    for (int j = i + 1; j < nx; j++) {
      double a = 0.5 * (gsl_matrix_get(S, (size_t)i, (size_t)j) + gsl_matrix_get(S, (size_t)j, (size_t)i));
      gsl_matrix_set(S, (size_t)i, (size_t)j, a);
      gsl_matrix_set(S, (size_t)j, (size_t)i, a);
    }
  gsl_eigen_symm(S, ex, wx);
  *min_schur = gsl_vector_min(ex);
out:
  if (H) gsl_matrix_free(H);
  if (Y) gsl_matrix_free(Y);
  if (Yi) gsl_matrix_free(Yi);
  if (S) gsl_matrix_free(S);
  if (ey) gsl_vector_free(ey);
  if (ex) gsl_vector_free(ex);
  if (perm) gsl_permutation_free(perm);
  if (wy) gsl_eigen_symm_free(wy);
  if (wx) gsl_eigen_symm_free(wx);
  return st;
}

int relucap_optimized_lifted_deep(int depth, relucap_kind kind, const double *alphas, relucap_quad_method quad,
                                  size_t nodes, double c3, const double *ratios,
                                  relucap_optimized_lifted_deep_result *res)
{
  double t0 = relucap_clock();
  if (depth < 2 || depth > MAXL || !alphas || c3 < 0 || !isfinite(c3) ||
      (kind != RELUCAP_WEAK && kind != RELUCAP_STRONG))
    RELUCAP_ERROR("lifted_deep: bad input", RELUCAP_EINVAL);
  for (int i = 0; i < depth - 1; i++) {
    if (!(alphas[i] > 0) || !isfinite(alphas[i])) RELUCAP_ERROR("lifted_deep: alphas must be positive", RELUCAP_EINVAL);
    if (ratios && (!(ratios[i] > 0) || !isfinite(ratios[i]))) RELUCAP_ERROR("lifted_deep: ratios must be positive", RELUCAP_EINVAL);
  }
  memset(res, 0, sizeof *res);
  nodes = nodes ? nodes : 96;
  relucap_quad *q = relucap_quad_alloc(quad, nodes, 12.0);
  relucap_quad *qh = relucap_quad_alloc(RELUCAP_QUAD_GL, quad == RELUCAP_QUAD_ADAPTIVE ? 2 * nodes : 3 * nodes / 4, 12.0);
  int st = q && qh ? RELUCAP_SUCCESS : RELUCAP_ENOMEM;
  deep_model m = {depth, relucap_kappa(kind), alphas};
  int free_pi = ratios == NULL, free_c = !(c3 > 0);
  deep_point p, best;
  relucap_optimized_problem pp = {depth, kind, alphas, quad, nodes, 0, 0, 0};
  double plain_residual = 0;
  if (!st) st = deep_start(&pp, ratios, &p, &res->plain_ratio_capacity, &plain_residual);
  deep_point start = p;
  if (!st) st = deep_at_c(q, &m, free_pi, C3_START, &p);
  if (st) goto done;
  int rising = 0, best_step = 0;
  best = p;
  deep_path dp = {q, &m, free_pi, &p, &best};
  optlift_path path = {deep_path_solve, deep_path_value, deep_path_keep, &dp};
  st = optlift_continuation(&path, free_c ? C3_MAX : c3, free_c, &res->c3_steps, &best_step, &rising);
  if (st) goto done;
  if (free_c && best_step == 0 && rising >= 3 && best.aL >= res->plain_ratio_capacity - 1e-12) {
    /* alpha_L(c3) rises from c3 = 0+ on: no gain from lifting; the bound is the c3 -> 0 limit, the
     * optimised-ratio plain bound (as relucap_lifted_capacity reports its plain value) */
    res->no_gain = 1;
    res->depth = depth;
    res->capacity = res->plain_ratio_capacity;
    res->c3 = 0;
    res->residual = plain_residual; /* the optimised-ratio plain solution's */
    for (int i = 1; i < depth; i++) res->ratios[i + 1] = start.pi[i + 1];
    goto done;
  }
  if (free_c) {
    if (best_step == 0 || rising < 3) {
      relucap_error(best_step == 0 ? "lifted_deep: the best c3 is 0+ (no gain from lifting)"
                                   : "lifted_deep: no minimum in c3 below the continuation's end",
                    __FILE__, __LINE__, RELUCAP_EBOUNDARY);
      st = RELUCAP_EBOUNDARY;
      goto done;
    }
    p = best;
    st = deep_solve(q, &m, 1, free_pi, &p, &res->residual);
    if (st) goto done;
    /* d^2 alpha_L / d c3^2 (ratios re-optimised), central difference */
    double h = 1e-3, cc = p.c;
    deep_point a = p, b = p;
    if (deep_at_c(q, &m, free_pi, cc * (1 + h), &a) || deep_at_c(q, &m, free_pi, cc * (1 - h), &b)) {
      st = RELUCAP_ENOPROG;
      goto done;
    }
    res->d2_c3 = (a.aL + b.aL - 2 * p.aL) / (cc * h * cc * h);
  } else {
    st = deep_solve(q, &m, 0, free_pi, &p, &res->residual);
    if (st) goto done;
  }
  {
    deep_point hp = p;
    st = deep_solve(qh, &m, free_c, free_pi, &hp, NULL);
    if (st) goto done;
    res->quad_error = fabs(hp.aL - p.aL) + 4 * DBL_EPSILON * p.aL;
  }
  st = saddle_check(q, &m, &p, &res->saddle_max_yy, &res->saddle_min_schur);
  if (st) goto done;
  if (!(res->saddle_max_yy < 0) || !(res->saddle_min_schur > 0)) {
    relucap_error("lifted_deep: the stationary point is not a min-max saddle", __FILE__, __LINE__, RELUCAP_ETOL);
    st = RELUCAP_ETOL;
    goto done;
  }
  res->depth = depth;
  res->capacity = p.aL;
  res->c3 = p.c;
  for (int i = 1; i < depth; i++) { res->ratios[i + 1] = p.pi[i + 1]; res->r[i] = p.r[i]; res->gamma[i] = p.gam[i]; }
  for (int i = 1; i <= depth; i++) res->gbar[i] = p.gb[i];
  res->nu = p.nu;
done:
  relucap_quad_free(q);
  relucap_quad_free(qh);
  if (st) {
    double plain = res->plain_ratio_capacity;
    memset(res, 0, sizeof *res);
    res->plain_ratio_capacity = plain;
  }
  res->seconds = relucap_clock() - t0;
  return st;
}

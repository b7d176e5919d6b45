/* Lifting combined with an optimised dual ratio, 2 layers (docs/optimized-rdt.md sec. 9;
 * ../shared/notes/dual-ratio.md sec. 5).  Uses the lifted module's F1, F2, S (relucap/lifted.h). */
#include "relucap/optimized.h"
#include "relucap/lifted.h"
#include "relucap/common.h"
#include "relucap/saddle.h"
#include "optimized_internal.h"
#include <float.h>
#include <math.h>
#include <string.h>

/* Psi and its partials g = d/d(r, gb1, gb2, nu, gam, alpha2, c3, rho). */
static int l2_eval(const relucap_quad *q, double kappa, double a1, double a2, double c, double rho, double r,
                   double gb1, double gb2, double gam, double nu, double *psi, double g[8])
{
  double L1, G1[3]; /* log F1(C, B, Gm) and its partials, C = c rho, B = rho gb1, Gm = gam / rho */
  int st = relucap_lifted_log_f1_grad(q, c * rho, rho * gb1, gam / rho, &L1, G1, NULL);
  if (st) return st;
  double k = rho * rho * r * r / (4 * gb2), nu1 = nu / k, dc, dn;
  double L2 = relucap_lifted_log_f2(c * k, nu1, &dc, &dn);
  if (!isfinite(L2)) return RELUCAP_EDOM;
  double dS, S = relucap_lifted_S(c, &dS, NULL);
  *psi = c / 2 * (1 + rho * rho * r * r) + gb1 - a1 / c * L1 - gam * r * r + gb2 - a2 / c * L2
         - nu * (kappa - a2) + S;
  if (!g) return RELUCAP_SUCCESS;
  double dL2dk = dc * c - dn * nu / (k * k); /* d/dk of log F2(c k, nu / k) */
  g[0] = c * rho * rho * r - 2 * gam * r - a2 / c * dL2dk * 2 * k / r;
  g[1] = 1 - a1 / c * G1[1] * rho;
  g[2] = 1 + a2 / c * dL2dk * k / gb2;
  g[3] = -a2 / c * dn / k - (kappa - a2);
  g[4] = -a1 / c * G1[2] / rho - r * r;
  g[5] = -L2 / c + nu;
  g[6] = (1 + rho * rho * r * r) / 2 + a1 / (c * c) * L1 - a1 / c * G1[0] * rho + a2 / (c * c) * L2
         - a2 / c * dc * k + dS;
  g[7] = c * rho * r * r - a1 / c * (G1[0] * c + G1[1] * gb1 - G1[2] * gam / (rho * rho))
         - a2 / c * dL2dk * 2 * k / rho;
  return RELUCAP_SUCCESS;
}

int relucap_optimized_lifted2_psi(const relucap_quad *q, relucap_kind kind, double alpha1, double alpha2,
                                  double c3, double rho, double r, double gb1, double gb2, double gam,
                                  double nu, double *psi)
{
  return l2_eval(q, relucap_kappa(kind), alpha1, alpha2, c3, rho, r, gb1, gb2, gam, nu, psi, NULL);
}

/* The point: x[0..4] = log(r, gb1, gb2, nu, gam), x[5] = alpha2, x[6] = log c3, x[7] = log rho. */
typedef struct {
  const relucap_quad *q;
  double kappa, a1;
  int free_c3, free_rho;
  double c3, rho; /* held values */
} l2_params;

/* Unknowns: the 6 always-free entries, then log c3 (if free), then log rho (if free). */
static void unpack(const l2_params *p, const double *x, double v[8])
{
  for (int k = 0; k < 5; k++) v[k] = exp(x[k]);
  v[5] = x[5];
  int n = 6;
  v[6] = p->free_c3 ? exp(x[n++]) : p->c3;
  v[7] = p->free_rho ? exp(x[n]) : p->rho;
}

/* Equations: x_k dPsi/dx_k for the five saddle variables, Psi, and c3 dPsi/dc3, rho dPsi/drho when
 * free (scale-free forms). */
static int l2_equations(const double *x, void *params, double *f)
{
  const l2_params *p = params;
  double v[8], psi, g[8];
  unpack(p, x, v);
  int st = l2_eval(p->q, p->kappa, p->a1, v[5], v[6], v[7], v[0], v[1], v[2], v[4], v[3], &psi, g);
  if (st) return st;
  /* g is ordered (r, gb1, gb2, nu, gam, ...) and v is (r, gb1, gb2, nu, gam, ...): same order */
  for (int k = 0; k < 5; k++) f[k] = v[k] * g[k];
  f[5] = psi;
  int n = 6;
  if (p->free_c3) f[n++] = v[6] * g[6];
  if (p->free_rho) f[n] = v[7] * g[7];
  return 0;
}

typedef struct {
  double x[8];   /* log r, log gb1, log gb2, log nu, log gam, alpha2, log c3, log rho */
  double residual;
} l2_point;

/* Solve with c3 and/or rho held or free, from pt (in place). */
static int l2_solve(const relucap_quad *q, relucap_kind kind, double a1, int free_c3, int free_rho,
                    l2_point *pt)
{
  l2_params p = {q, relucap_kappa(kind), a1, free_c3, free_rho, exp(pt->x[6]), exp(pt->x[7])};
  double x[8];
  int n = 6;
  for (int k = 0; k < 6; k++) x[k] = pt->x[k];
  if (free_c3) x[n++] = pt->x[6];
  if (free_rho) x[n++] = pt->x[7];
  relucap_system sys = {l2_equations, (size_t)n, &p};
  relucap_solve_info info;
  int st = relucap_solve_system(&sys, x, 1e-13, 200, &info);
  if (st == RELUCAP_ENOPROG && info.residual < 1e-12) st = RELUCAP_SUCCESS; /* stalled at rounding */
  if (st) return st;
  for (int k = 0; k < 6; k++) pt->x[k] = x[k];
  n = 6;
  if (free_c3) pt->x[6] = x[n++];
  if (free_rho) pt->x[7] = x[n++];
  pt->residual = info.residual;
  return RELUCAP_SUCCESS;
}

/* The starting point at c3 = C3_START: the plain 2-layer solution at the optimal (or held) ratio. */
static int l2_start(double alpha1, relucap_kind kind, relucap_quad_method quad, size_t nodes, double rho,
                    l2_point *pt, double *plain_cap)
{
  relucap_optimized_problem p = {2, kind, &alpha1, quad, nodes, 0, 0, 0};
  relucap_optimized_result r;
  int st = rho > 0 ? relucap_optimized_at_ratios(&p, &rho, &r) : relucap_optimized_capacity(&p, &r);
  if (st) return st;
  *plain_cap = r.capacity;
  double pi = r.ratios[2], rr = r.rho[1], gb2 = pi * rr * r.q / 2, nu = r.nu1 * pi * rr / (2 * r.q);
  double v[8] = {rr, r.gbar[1], gb2, nu, r.gamma[1]};
  for (int k = 0; k < 5; k++) pt->x[k] = log(v[k]);
  pt->x[5] = r.capacity;
  pt->x[6] = log(C3_START);
  pt->x[7] = log(pi);
  return RELUCAP_SUCCESS;
}

/* alpha2 at held c3 (rho free or held), warm-started from pt; pt updated on success. */
static int l2_at_c3(const relucap_quad *q, relucap_kind kind, double a1, int free_rho, double c3, l2_point *pt)
{
  l2_point t = *pt;
  t.x[6] = log(c3);
  int st = l2_solve(q, kind, a1, 0, free_rho, &t);
  if (!st) *pt = t;
  return st;
}

/* The continuation's view of l2_at_c3 (optimized_internal.h). */
typedef struct {
  const relucap_quad *q;
  relucap_kind kind;
  double a1;
  int free_rho;
  l2_point *pt, *best;
} l2_path;

static int l2_path_solve(void *ctx, double c3)
{
  l2_path *p = ctx;
  return l2_at_c3(p->q, p->kind, p->a1, p->free_rho, c3, p->pt);
}

static double l2_path_value(void *ctx) { return ((l2_path *)ctx)->pt->x[5]; }

static void l2_path_keep(void *ctx)
{
  l2_path *p = ctx;
  *p->best = *p->pt;
}

int relucap_optimized_lifted2(double alpha1, relucap_kind kind, relucap_quad_method quad, size_t nodes,
                              double c3, double rho, relucap_optimized_lifted_result *res)
{
  double t0 = relucap_clock();
  if (!(alpha1 > 0) || !isfinite(alpha1) || c3 < 0 || rho < 0 || !isfinite(c3) || !isfinite(rho) ||
      (kind != RELUCAP_WEAK && kind != RELUCAP_STRONG))
    RELUCAP_ERROR("optimized_lifted2: bad input", RELUCAP_EINVAL);
  memset(res, 0, sizeof *res);
  nodes = nodes ? nodes : 64;
  relucap_quad *q = relucap_quad_alloc(quad, nodes, 12.0);
  relucap_quad *qh = relucap_quad_alloc(RELUCAP_QUAD_GL, quad == RELUCAP_QUAD_ADAPTIVE ? 2 * nodes : 3 * nodes / 4, 12.0);
  int st = q && qh ? RELUCAP_SUCCESS : RELUCAP_ENOMEM;
  int free_rho = !(rho > 0), free_c3 = !(c3 > 0);
  l2_point pt, best;
  if (!st) st = l2_start(alpha1, kind, quad, nodes, rho, &pt, &res->plain_ratio_capacity);
  if (!st) st = l2_at_c3(q, kind, alpha1, free_rho, C3_START, &pt);
  if (st) goto done;
  /* Continuation in c3 (geometric steps, halved on failure): to the held value, or past the
   * minimum of alpha2(c3) when c3 is free. */
  int rising = 0, best_step = 0;
  best = pt;
  l2_path lp = {q, kind, alpha1, free_rho, &pt, &best};
  optlift_path path = {l2_path_solve, l2_path_value, l2_path_keep, &lp};
  st = optlift_continuation(&path, free_c3 ? C3_MAX : c3, free_c3, &res->c3_steps, &best_step, &rising);
  if (st) goto done;
  if (free_c3) {
    if (best_step == 0 || rising < 3) { /* the best c3 is 0+ (no gain), or beyond the range */
      relucap_error(best_step == 0 ? "optimized_lifted2: the best c3 is 0+ (no gain from lifting)"
                                   : "optimized_lifted2: no minimum in c3 below the continuation's end",
                    __FILE__, __LINE__, RELUCAP_EBOUNDARY);
      st = RELUCAP_EBOUNDARY;
      goto done;
    }
    pt = best;
    st = l2_solve(q, kind, alpha1, 1, free_rho, &pt);
    if (st) goto done;
  }
  /* Curvatures of alpha2 in c3 (rho re-optimised) and in rho (c3 held), central differences. */
  {
    double c = exp(pt.x[6]), h = 1e-3;
    if (free_c3) {
      l2_point a = pt, b = pt;
      if (l2_at_c3(q, kind, alpha1, free_rho, c * (1 + h), &a) || l2_at_c3(q, kind, alpha1, free_rho, c * (1 - h), &b)) {
        st = RELUCAP_ENOPROG;
        goto done;
      }
      res->d2_c3 = (a.x[5] + b.x[5] - 2 * pt.x[5]) / (c * h * c * h);
    }
    if (free_rho) {
      double r0 = exp(pt.x[7]);
      l2_point a = pt, b = pt;
      a.x[7] = log(r0 * (1 + h));
      b.x[7] = log(r0 * (1 - h));
      if (l2_solve(q, kind, alpha1, 0, 0, &a) || l2_solve(q, kind, alpha1, 0, 0, &b)) { st = RELUCAP_ENOPROG; goto done; }
      res->d2_rho = (a.x[5] + b.x[5] - 2 * pt.x[5]) / (r0 * h * r0 * h);
    }
  }
  /* Quadrature error: the same polish with the 3N/4-node rule. */
  {
    l2_point hpt = pt;
    st = l2_solve(qh, kind, alpha1, free_c3, free_rho, &hpt);
    if (st) goto done;
    res->quad_error = fabs(hpt.x[5] - pt.x[5]) + 4 * DBL_EPSILON * pt.x[5];
  }
  res->capacity = pt.x[5];
  res->r = exp(pt.x[0]);
  res->gb1 = exp(pt.x[1]);
  res->gb2 = exp(pt.x[2]);
  res->nu = exp(pt.x[3]);
  res->gam = exp(pt.x[4]);
  res->c3 = exp(pt.x[6]);
  res->rho = exp(pt.x[7]);
  res->residual = pt.residual;
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

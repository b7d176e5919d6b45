/* The stationary point of the k-RSB functional and the capacity (docs/gate.md sec. 3).
 *
 * f(alpha; p) = S(p) + alpha T(p) is affine in alpha with T > 0, and e*(alpha) = max_p f.  Hence
 *   e*(alpha) = 1  <=>  alpha = min_p a(p),   a(p) = (1 - S(p)) / T(p),
 * and grad a = -(grad S + a grad T)/T: the minimiser of a is exactly the stationary point of f at
 * alpha = a.  One minimisation replaces the Brent loop over alpha with an inner maximisation.
 * p is mapped to unconstrained y (log chi, stick-breaking logits for 0 < Q_0 < ... < Q_{k-1} < 1,
 * log chim_1 and log(chim_j/chim_{j-1} - 1)); a(y) is minimised by GSL's BFGS with central
 * finite-difference gradients (the grid spacing is frozen during a run, so a(y) is smooth).
 * Checks reported with every result: the stationarity residual of f in the natural parameters,
 * |e*(alpha_c) - 1| with e* re-maximised independently, and the change of alpha_c on a finer grid. */
#include "../parallel.h"
#include "gate_internal.h"
#include "relucap/common.h"
#include "relucap/gauss.h"
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multimin.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#define NPMAX (2 * RELUCAP_GATE_MAXSTEPS + 1)
#define FD_STEP 2e-6      /* central-difference step in the unconstrained variables */
#define GRAD_TOL 1e-9     /* BFGS stops when |grad a|_2 falls below this (FD noise ~1e-9) */
#define BAD_VALUE 1e10    /* returned for parameters where the functional is undefined */

void relucap_gate_opts_default(relucap_gate_opts *o)
{
  o->level = 3;
  o->partial = 0;
  o->full = 0;
  o->full_kmax = 8;
  o->ppw = 4.0;
  o->cut = 9.0;
  o->max_iter = 2000;
  o->tol = 1e-6;
  o->check_energy = 1;
  o->dense_grid = 0;
  o->threads = 1;
}

/* ---- the optimisation problem ---- */
typedef struct {
  int k;              /* RSB steps */
  int partial;        /* Q_0 = 0 fixed */
  int n;              /* number of unconstrained variables */
  int mode;           /* 0: minimise a(y) = (1 - S)/T; 1: minimise -f(y) at alpha */
  double alpha;       /* for mode 1 */
  int ngrid;          /* one grid per thread */
  gate_grid **grid;
  const double *planQ; /* overlaps the grid strides are planned for */
  double ppw;
  int dense;          /* opts->dense_grid */
  int threads;        /* opts->threads */
  long nevals;
} problem;

static double sigmoid(double t) { return t >= 0 ? 1.0 / (1.0 + exp(-t)) : exp(t) / (1.0 + exp(t)); }

/* y -> (Q, chim, chi). */
static void decode(const problem *P, const double *y, double *Q, double *chim, double *chi)
{
  int k = P->k, o = 1;
  *chi = exp(y[0]);
  if (P->partial) {
    Q[0] = 0.0;
  } else {
    double rem = 1.0; /* 1 - Q_j = prod_{i<=j} sigmoid(-y_i) */
    for (int j = 0; j < k; j++) {
      rem *= sigmoid(-y[o + j]);
      Q[j] = 1.0 - rem;
    }
    o += k;
  }
  double c = exp(y[o]);
  chim[0] = c;
  for (int j = 1; j < k; j++) {
    c *= 1.0 + exp(y[o + j]);
    chim[j] = c;
  }
}

/* (Q, chim, chi) -> y; needs strictly increasing Q and chim. */
static void encode(const problem *P, const double *Q, const double *chim, double chi, double *y)
{
  int k = P->k, o = 1;
  y[0] = log(chi);
  if (!P->partial) {
    double prev = 1.0;
    for (int j = 0; j < k; j++) {
      double r = (1.0 - Q[j]) / prev; /* sigmoid(-y) */
      y[o + j] = log((1.0 - r) / r);
      prev = 1.0 - Q[j];
    }
    o += k;
  }
  y[o] = log(chim[0]);
  for (int j = 1; j < k; j++) y[o + j] = log(chim[j] / chim[j - 1] - 1.0);
}


/* The objective on grid g. */
static double objective(problem *P, gate_grid *g, const double *y)
{
  double Q[RELUCAP_GATE_MAXSTEPS], chim[RELUCAP_GATE_MAXSTEPS], chi, S, T;
  for (int i = 0; i < P->n; i++)
    if (!isfinite(y[i]) || fabs(y[i]) > 40.0) return BAD_VALUE;
  decode(P, y, Q, chim, &chi);
  if (gate_grid_eval(g, P->k, Q, chim, chi, &S, &T) || !(T > 0.0)) return BAD_VALUE;
  return P->mode == 0 ? (1.0 - S) / T : -(S + P->alpha * T);
}

static double gsl_f(const gsl_vector *v, void *params)
{
  problem *P = params;
  P->nevals++;
  return objective(P, P->grid[0], v->data);
}

/* Central differences, one component per iteration (parallel; each component is computed the
 * same way whatever the thread count, so results do not depend on it). */
static void gsl_df(const gsl_vector *v, void *params, gsl_vector *df)
{
  problem *P = params;
  int n = P->n;
  P->nevals += 2 * n;
#pragma omp parallel for schedule(static) num_threads(P->ngrid)
  for (int i = 0; i < n; i++) {
    double y[NPMAX];
    memcpy(y, v->data, (size_t)n * sizeof(double));
    gate_grid *g = P->grid[thread_id()];
    y[i] = v->data[i] + FD_STEP;
    double fp = objective(P, g, y);
    y[i] = v->data[i] - FD_STEP;
    double fm = objective(P, g, y);
    df->data[i] = (fp - fm) / (2.0 * FD_STEP);
  }
}

static void gsl_fdf(const gsl_vector *v, void *params, double *f, gsl_vector *df)
{
  *f = gsl_f(v, params);
  gsl_df(v, params, df);
}

static int alloc_grids(problem *P, double h, double cut)
{
  /* One thread unless asked: the parallel regions (2n or n^2 evaluations of ~0.1-1 ms) are so
   * short that on an oversubscribed machine the barriers cost more than they save (measured with
   * load 5 on 2 cores: level 3 in 0.10 s on one thread, 1.04 s on two). */
  P->ngrid = 1;
#ifdef _OPENMP
  if (P->threads != 1) P->ngrid = P->threads > 0 ? P->threads : omp_get_max_threads();
  if (P->ngrid > 8) P->ngrid = 8;
#endif
  P->grid = calloc((size_t)P->ngrid, sizeof *P->grid);
  if (!P->grid) return RELUCAP_ENOMEM;
  for (int t = 0; t < P->ngrid; t++) {
    if (!(P->grid[t] = gate_grid_alloc(h, cut))) return RELUCAP_ENOMEM;
    P->grid[t]->dense = P->dense;
    gate_grid_plan(P->grid[t], P->k, P->planQ, P->ppw);
  }
  return RELUCAP_SUCCESS;
}

static void free_grids(problem *P)
{
  if (!P->grid) return;
  for (int t = 0; t < P->ngrid; t++) gate_grid_free(P->grid[t]);
  free(P->grid);
  P->grid = NULL;
}

/* BFGS on the current objective from y (overwritten with the minimiser); returns iterations. */
static int minimise(problem *P, double *y, int max_iter, double *fmin)
{
  gsl_multimin_function_fdf F = {gsl_f, gsl_df, gsl_fdf, (size_t)P->n, P};
  gsl_vector_view x0 = gsl_vector_view_array(y, (size_t)P->n);
  gsl_multimin_fdfminimizer *s = gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2, (size_t)P->n);
  if (!s) return -1;
  gsl_multimin_fdfminimizer_set(s, &F, &x0.vector, 0.05, 0.1);
  int it = 0;
  for (; it < max_iter; it++) {
    if (gsl_multimin_fdfminimizer_iterate(s)) break; /* no progress: at FD-noise level */
    if (gsl_multimin_test_gradient(s->gradient, GRAD_TOL) == GSL_SUCCESS) break;
  }
  memcpy(y, s->x->data, (size_t)P->n * sizeof(double));
  *fmin = s->f;
  gsl_multimin_fdfminimizer_free(s);
  return it;
}


/* Newton polish with a finite-difference Hessian and Levenberg damping: quadratic convergence
 * where BFGS crawls along the weakly curved Parisi-parameter directions.  Returns iterations. */
#define HESS_STEP 2e-4
static int newton(problem *P, double *y, int max_iter, double *fmin)
{
  int n = P->n, it;
  double H[NPMAX * NPMAX], g[NPMAX], d[NPMAX], yt[NPMAX];
  double f0 = objective(P, P->grid[0], y), mu = 0.0;
  gsl_vector_view gv = gsl_vector_view_array(g, (size_t)n);
  for (it = 0; it < max_iter; it++) {
    gsl_vector_const_view yv = gsl_vector_const_view_array(y, (size_t)n);
    gsl_df(&yv.vector, P, &gv.vector);
    double gn = 0.0;
    for (int i = 0; i < n; i++) gn = fmax(gn, fabs(g[i]));
    if (gn < 10.0 * GRAD_TOL) break;
    /* H_ij from f at y +- delta e_i +- delta e_j (the pairs are independent: parallel). */
    int npair = n * (n + 1) / 2;
    P->nevals += 2 * npair + 2 * n;
#pragma omp parallel for schedule(dynamic) num_threads(P->ngrid)
    for (int pidx = 0; pidx < npair; pidx++) {
      int i = 0, r = pidx;
      while (r >= n - i) { r -= n - i; i++; }
      int j = i + r;
      double yy[NPMAX], hv;
      gate_grid *gr = P->grid[thread_id()];
      memcpy(yy, y, (size_t)n * sizeof(double));
      if (i == j) {
        yy[i] = y[i] + HESS_STEP;
        double fp = objective(P, gr, yy);
        yy[i] = y[i] - HESS_STEP;
        double fm = objective(P, gr, yy);
        hv = (fp - 2.0 * f0 + fm) / (HESS_STEP * HESS_STEP);
      } else {
        double s4 = 0.0;
        for (int si = -1; si <= 1; si += 2)
          for (int sj = -1; sj <= 1; sj += 2) {
            yy[i] = y[i] + si * HESS_STEP;
            yy[j] = y[j] + sj * HESS_STEP;
            s4 += si * sj * objective(P, gr, yy);
          }
        hv = s4 / (4.0 * HESS_STEP * HESS_STEP);
      }
      H[i * n + j] = H[j * n + i] = hv;
    }
    double hmax = 0.0;
    for (int i = 0; i < n; i++) hmax = fmax(hmax, fabs(H[i * n + i]));
    int accepted = 0;
    for (int tries = 0; tries < 30 && !accepted; tries++) {
      double A[NPMAX * NPMAX];
      memcpy(A, H, (size_t)(n * n) * sizeof(double));
      for (int i = 0; i < n; i++) A[i * n + i] += mu;
      gsl_matrix_view Am = gsl_matrix_view_array(A, (size_t)n, (size_t)n);
      gsl_vector_view dv = gsl_vector_view_array(d, (size_t)n);
      gsl_error_handler_t *old = gsl_set_error_handler_off();
      int chol = gsl_linalg_cholesky_decomp1(&Am.matrix);
      if (!chol) {
        for (int i = 0; i < n; i++) d[i] = -g[i];
        gsl_linalg_cholesky_svx(&Am.matrix, &dv.vector);
      }
      gsl_set_error_handler(old);
      if (chol) { mu = mu > 0 ? 4.0 * mu : 1e-3 * hmax + 1e-12; continue; }
      for (int i = 0; i < n; i++) yt[i] = y[i] + d[i];
      double ft = objective(P, P->grid[0], yt);
      P->nevals++;
      if (ft <= f0 + 1e-15 * fabs(f0)) {
        memcpy(y, yt, (size_t)n * sizeof(double));
        double dn = 0.0;
        for (int i = 0; i < n; i++) dn = fmax(dn, fabs(d[i]));
        f0 = ft;
        accepted = 1;
        mu *= 0.25;
        if (mu < 1e-9 * hmax) mu = 0.0;
        if (dn < 1e-8) { *fmin = f0; return it + 1; }
      } else {
        mu = mu > 0 ? 4.0 * mu : 1e-3 * hmax + 1e-12;
      }
    }
    if (!accepted) break;
  }
  *fmin = f0;
  return it;
}

/* f = S + alpha T on grid g at natural parameters. */
static double f_natural(gate_grid *g, int k, const double *Q, const double *chim, double chi, double alpha)
{
  double S, T;
  if (gate_grid_eval(g, k, Q, chim, chi, &S, &T)) return NAN;
  return S + alpha * T;
}

/* max |d f/d theta| * scale(theta) over theta = (Q_j free, chim_j, chi), central differences; the
 * scale is the distance of Q_j to its nearest neighbour (0 or 1 at the ends) and the value itself
 * for chim_j and chi, so the residual is the gradient in scale-free coordinates (an O(r) residual
 * moves the capacity by O(r^2)). */
static double stationarity_residual(gate_grid *g, int k, int partial, const double *Q0,
                                    const double *chim0, double chi0, double alpha)
{
  double Q[RELUCAP_GATE_MAXSTEPS], chim[RELUCAP_GATE_MAXSTEPS], res = 0.0;
  for (int i = 0; i < 2 * k + 1; i++) {
    memcpy(Q, Q0, (size_t)k * sizeof(double));
    memcpy(chim, chim0, (size_t)k * sizeof(double));
    double chi = chi0, *p, scale;
    if (i < k) { /* Q_i: step well inside the gaps to its neighbours */
      if (partial) continue;
      double lo = i ? Q[i - 1] : 0.0, hi = i + 1 < k ? Q[i + 1] : 1.0;
      scale = fmin(Q[i] - lo, hi - Q[i]);
      p = &Q[i];
    } else if (i < 2 * k) {
      p = &chim[i - k];
      scale = *p;
    } else {
      p = &chi;
      scale = chi;
    }
    double d = 1e-5 * scale;
    double x = *p;
    *p = x + d;
    double fp = f_natural(g, k, Q, chim, chi, alpha);
    *p = x - d;
    double fm = f_natural(g, k, Q, chim, chi, alpha);
    res = fmax(res, fabs(fp - fm) / (2.0 * d) * scale);
  }
  return res;
}

static void store_params(relucap_gate_result *r, int k, const double *Q, const double *chim, double chi)
{
  r->steps = k;
  for (int j = 0; j < k; j++) {
    r->Q[j] = Q[j];
    r->chim[j] = chim[j];
  }
  r->chi = chi;
}

/* Solve one k-RSB level from the start (Q, chim, chi); fills *r. */
static int solve_level(const relucap_gate_opts *o, int k, int partial, const double *Qs,
                       const double *chims, double chis, relucap_gate_result *r)
{
  double t0 = relucap_clock();
  problem P = {0};
  P.k = k;
  P.partial = partial;
  P.n = (partial ? 0 : k) + k + 1;
  double y[NPMAX], Q[RELUCAP_GATE_MAXSTEPS], chim[RELUCAP_GATE_MAXSTEPS], chi, amin = NAN;
  encode(&P, Qs, chims, chis, y);
  int status = RELUCAP_SUCCESS, iters = 0;
  double h = 0.0;
  /* The grid spacing follows the solution: re-solve when the widths shrank below the target. */
  double Qplan[RELUCAP_GATE_MAXSTEPS];
  P.planQ = Qplan;
  P.ppw = o->ppw;
  P.dense = o->dense_grid;
  P.threads = o->threads;
  for (int pass = 0; pass < 4; pass++) {
    decode(&P, y, Q, chim, &chi);
    memcpy(Qplan, Q, sizeof Q);
    h = gate_min_width(k, Q) / o->ppw;
    if ((status = alloc_grids(&P, h, o->cut))) break;
    P.mode = 0;
    /* k = 1: BFGS from a generic start; k >= 2: straight to damped Newton from the warm start
     * (fewest evaluations: at level 7, 2400 against 4000 with 40 BFGS steps first). */
    int it = k > 1 ? 0 : minimise(&P, y, o->max_iter, &amin);
    iters += it < 0 ? 0 : it;
    if (it >= 0) iters += newton(&P, y, 25, &amin);
    decode(&P, y, Q, chim, &chi);
    int ok = gate_grid_plan_ok(P.grid[0], k, Q, 0.8 * o->ppw);
    free_grids(&P);
    if (it < 0) { status = RELUCAP_ENOMEM; break; }
    if (ok) break;
  }
  memset(r, 0, sizeof *r);
  r->capacity = NAN;
  r->level = k + 1;
  r->partial = partial;
  r->iterations = iters;
  if (status) {
    r->status = status;
    return status;
  }
  store_params(r, k, Q, chim, chi);
  /* Checks on the frozen grid: stationarity of f at alpha = a_min, and a finer grid. */
  gate_grid *g = gate_grid_alloc(h, o->cut), *gf = gate_grid_alloc(h / 1.6, o->cut + 2.0);
  if (!g || !gf) {
    gate_grid_free(g);
    gate_grid_free(gf);
    r->status = RELUCAP_ENOMEM;
    return r->status;
  }
  g->dense = gf->dense = o->dense_grid;
  gate_grid_plan(g, k, Qplan, o->ppw);
  gate_grid_plan(gf, k, Q, 1.6 * o->ppw);
  double S, T;
  gate_grid_eval(g, k, Q, chim, chi, &S, &T);
  double alpha = (1.0 - S) / T;
  r->residual = stationarity_residual(g, k, partial, Q, chim, chi, alpha);
  double Sf, Tf;
  gate_grid_eval(gf, k, Q, chim, chi, &Sf, &Tf);
  r->quad_error = fabs((1.0 - Sf) / Tf - alpha);
  gate_grid_free(g);
  gate_grid_free(gf);
  if (o->check_energy) { /* e*(alpha) re-maximised from the solution, an independent check */
    P.mode = 1;
    P.alpha = alpha;
    if (!alloc_grids(&P, h, o->cut)) {
      double yy[NPMAX], negf;
      memcpy(yy, y, sizeof yy);
      minimise(&P, yy, 200, &negf);
      r->energy_residual = fabs(-negf - 1.0);
    } else {
      r->energy_residual = NAN;
    }
    free_grids(&P);
  }
  r->seconds = relucap_clock() - t0;
  if (!(r->residual <= o->tol) || !(r->energy_residual <= 1e3 * o->tol * o->tol + 1e-9)) {
    r->status = RELUCAP_ETOL;
    return r->status;
  }
  r->capacity = alpha;
  r->status = RELUCAP_SUCCESS;
  return RELUCAP_SUCCESS;
}

/* Start of level k + 1 from the k-step solution: add an innermost block between Q_{k-1} and 1
 * with a larger Parisi parameter (the k-RSB optimum refines the Parisi function near q = 1). */
static void next_start(const relucap_gate_result *prev, double *Q, double *chim, double *chi)
{
  int k = prev->steps;
  for (int j = 0; j < k; j++) {
    Q[j] = prev->Q[j];
    chim[j] = prev->chim[j];
  }
  Q[k] = Q[k - 1] + 0.75 * (1.0 - Q[k - 1]);
  chim[k] = 1.8 * chim[k - 1];
  *chi = 0.75 * prev->chi;
}

static int check_opts(const relucap_gate_opts *o)
{
  if (!(o->ppw >= 2.0 && o->ppw <= 64.0) || !(o->cut >= 5.0 && o->cut <= 30.0) || o->max_iter < 1 ||
      !(o->tol > 0.0) || o->threads < 0 || o->threads > 64)
    return RELUCAP_EINVAL;
  return RELUCAP_SUCCESS;
}

static void rs_result(relucap_gate_result *r)
{
  double t0 = relucap_clock(), alpha, chi;
  memset(r, 0, sizeof *r);
  r->level = 1;
  r->status = relucap_gate_rs(&alpha, &chi);
  r->capacity = r->status ? NAN : alpha;
  r->chi = chi;
  /* Stationarity d/dchi of -1/(2 chi) + alpha E cost_chi: 1/(2chi^2) - alpha E[g^2 1(0<g<c)]/(2chi^2). */
  double c = sqrt(2.0 * chi), m2 = relucap_ncdf(c) - 0.5 - c * relucap_npdf(c);
  r->residual = fabs(1.0 - alpha * m2) / (2.0 * chi * chi);
  r->energy_residual = fabs(alpha * relucap_nsf(c) - 1.0);
  r->seconds = relucap_clock() - t0;
}

int relucap_gate_split_start(const relucap_gate_result *coarse, double *Q, double *chim, double *chi, int *k2)
{
  int k = coarse->steps;
  if (k < 1 || 2 * k > RELUCAP_GATE_MAXSTEPS) RELUCAP_ERROR("gate_split_start: need 1 <= 2k <= max steps", RELUCAP_EINVAL);
  int n = 0;
  for (int j = 1; j <= k; j++) {
    /* block j = [Q_{j-1}, Q_j] (Q_k = 1) with chim_j: split at the geometric mean of 1 - Q, the
     * two halves get chim_j pulled a quarter of the way (in logs) towards the neighbours */
    double qlo = coarse->Q[j - 1], qhi = j < k ? coarse->Q[j] : 1.0, cj = coarse->chim[j - 1];
    double cm = j > 1 ? coarse->chim[j - 2] : cj / 1.2, cp = j < k ? coarse->chim[j] : 2.0 * cj;
    Q[n] = qlo;
    chim[n++] = pow(cj, 0.75) * pow(cm, 0.25);
    Q[n] = j < k ? 1.0 - sqrt((1.0 - qlo) * (1.0 - qhi)) : 1.0 - 0.3 * (1.0 - qlo);
    chim[n++] = pow(cj, 0.75) * pow(cp, 0.25);
  }
  *chi = 0.9 * coarse->chi;
  *k2 = n;
  return RELUCAP_SUCCESS;
}

int relucap_gate_refine(const relucap_gate_opts *o, int k, const double *Q, const double *chim, double chi,
                        relucap_gate_result *res)
{
  if (check_opts(o) || k < 1 || k > RELUCAP_GATE_MAXSTEPS || !(chi > 0.0))
    RELUCAP_ERROR("gate_refine: options or k out of range", RELUCAP_EINVAL);
  for (int j = 0; j < k; j++) {
    double lo = j ? Q[j - 1] : 0.0, clo = j ? chim[j - 1] : 0.0;
    if (!(Q[j] > lo) || !(Q[j] < 1.0) || !(chim[j] > clo))
      RELUCAP_ERROR("gate_refine: need 0 < Q_0 < ... < 1 and 0 < chim_1 < ... strictly", RELUCAP_EDOM);
  }
  return solve_level(o, k, 0, Q, chim, chi, res);
}

int relucap_gate_ladder(const relucap_gate_opts *o, int max_level, relucap_gate_result *res)
{
  if (check_opts(o) || max_level < 1 || max_level > RELUCAP_GATE_MAXSTEPS + 1)
    RELUCAP_ERROR("gate_ladder: options out of range", RELUCAP_EINVAL);
  rs_result(&res[0]);
  if (res[0].status) return res[0].status;
  for (int L = 2; L <= max_level; L++) {
    int k = L - 1;
    double Q[RELUCAP_GATE_MAXSTEPS], chim[RELUCAP_GATE_MAXSTEPS], chi;
    if (k == 1) { /* generic start; the optimum is Q_0 ~ 0.78, chim ~ 3.3, chi ~ 0.05 */
      Q[0] = 0.7;
      chim[0] = 2.0;
      chi = 0.1;
    } else {
      next_start(&res[L - 2], Q, chim, &chi);
    }
    int st = solve_level(o, k, 0, Q, chim, chi, &res[L - 1]);
    if (st) return st;
  }
  return RELUCAP_SUCCESS;
}

/* Fit alpha_k = a + C k^{-p} through k = K-2, K-1, K (p by bisection on the ratio of the last two
 * differences); returns a, or NAN when the differences do not decrease monotonically. */
static double power_fit(const double *lad, int K, double *pexp)
{
  double d1 = lad[K - 2] - lad[K - 1], d2 = lad[K - 1] - lad[K];
  if (!(d1 > 0.0) || !(d2 > 0.0) || !(d1 > d2)) return NAN;
  double r = d1 / d2, lo = 0.05, hi = 40.0;
  for (int it = 0; it < 200; it++) { /* ratio(p) increases with p */
    double m = 0.5 * (lo + hi);
    double rm = (pow(K - 2, -m) - pow(K - 1, -m)) / (pow(K - 1, -m) - pow(K, -m));
    if (rm < r) lo = m; else hi = m;
  }
  double p = 0.5 * (lo + hi), C = d2 / (pow(K - 1, -p) - pow(K, -p));
  if (pexp) *pexp = p;
  return lad[K] - C * pow(K, -p);
}

int relucap_gate_extrapolate(const double *ladder, int K, double *limit, double *err, double *exponent)
{
  if (K < 4 || K > RELUCAP_GATE_MAXSTEPS) RELUCAP_ERROR("gate_extrapolate: need 4 <= K <= max steps", RELUCAP_EINVAL);
  double p, a = power_fit(ladder, K, &p), aprev = power_fit(ladder, K - 1, NULL);
  if (!isfinite(a) || !isfinite(aprev) || !(a <= ladder[K])) {
    *limit = NAN;
    RELUCAP_ERROR("gate_extrapolate: the k-RSB ladder does not converge like a power of k", RELUCAP_ETOL);
  }
  *limit = a;
  *err = 2.0 * fabs(a - aprev);
  if (exponent) *exponent = p;
  return RELUCAP_SUCCESS;
}

/* Full RSB: k-RSB for k = 1..kmax, then the k -> infinity limit of the power fit.  The fit through
 * the last three rungs and through the three before differ by delta; the increments of the fitted
 * limit shrink roughly geometrically (ratio ~1/2 at k ~ 10, docs/gate.md), so 2 delta bounds the
 * remaining change; the quadrature errors of the rungs are added. */
static int full_rsb(const relucap_gate_opts *o, relucap_gate_result *res)
{
  int K = o->full_kmax;
  if (K < 4 || K > RELUCAP_GATE_MAXSTEPS) RELUCAP_ERROR("gate full: full_kmax out of range", RELUCAP_EINVAL);
  relucap_gate_result *lad = calloc((size_t)K + 1, sizeof *lad);
  if (!lad) RELUCAP_ERROR("gate full: allocation", RELUCAP_ENOMEM);
  int st = relucap_gate_ladder(o, K + 1, lad);
  if (st) {
    memset(res, 0, sizeof *res);
    res->capacity = NAN;
    res->status = st;
    free(lad);
    return st;
  }
  *res = lad[K];
  res->full = 1;
  res->nladder = K + 1;
  double qerr = 0.0, resid = 0.0, eres = 0.0;
  for (int k = 0; k <= K; k++) {
    res->ladder[k] = lad[k].capacity;
    if (k >= K - 3) {
      qerr = fmax(qerr, lad[k].quad_error);
      resid = fmax(resid, lad[k].residual);
      eres = fmax(eres, lad[k].energy_residual);
    }
  }
  double a, err;
  res->quad_error = qerr;
  res->residual = resid;
  res->energy_residual = eres;
  st = relucap_gate_extrapolate(res->ladder, K, &a, &err, NULL);
  free(lad);
  if (st) {
    res->capacity = NAN;
    res->status = st;
    return st;
  }
  res->extrap_error = err + 4.0 * qerr;
  res->capacity = a;
  res->status = RELUCAP_SUCCESS;
  return RELUCAP_SUCCESS;
}

int relucap_gate_capacity(const relucap_gate_opts *o, relucap_gate_result *res)
{
  if (check_opts(o)) RELUCAP_ERROR("gate_capacity: options out of range", RELUCAP_EINVAL);
  double t0 = relucap_clock();
  int st;
  if (o->partial) {
    double Q[1] = {0.0}, chim[1] = {1.0};
    st = solve_level(o, 1, 1, Q, chim, 0.3, res);
    res->level = 2;
  } else if (o->full) {
    st = full_rsb(o, res);
  } else {
    if (o->level < 1 || o->level > RELUCAP_GATE_MAXSTEPS + 1)
      RELUCAP_ERROR("gate_capacity: level out of range", RELUCAP_EINVAL);
    relucap_gate_result *lad = calloc((size_t)o->level, sizeof *lad);
    if (!lad) RELUCAP_ERROR("gate_capacity: allocation", RELUCAP_ENOMEM);
    st = relucap_gate_ladder(o, o->level, lad);
    *res = lad[o->level - 1];
    if (st && res->status == RELUCAP_SUCCESS) { /* a lower level failed: report that one */
      int f = 0;
      while (f < o->level - 1 && lad[f].status == RELUCAP_SUCCESS) f++;
      *res = lad[f];
      res->status = st;
      res->capacity = NAN;
    }
    free(lad);
  }
  res->seconds = relucap_clock() - t0;
  return st;
}

/* RS ground-state energy at alpha: e = alpha Phibar(c) with alpha (Phi(c) - 1/2 - c phi(c)) = 1. */
static int rs_energy(double alpha, double *e, double *chi)
{
  double lo = 1e-6, hi = 12.0;
  if (!(alpha * (relucap_ncdf(hi) - 0.5 - hi * relucap_npdf(hi)) > 1.0)) {
    /* alpha <= 2: f_RS increases to 0 as chi -> infinity, so e* = 0 (a unit x with no positive row) */
    *e = 0.0;
    *chi = INFINITY;
    return RELUCAP_SUCCESS;
  }
  for (int it = 0; it < 200; it++) { /* the moment increases with c: bisection */
    double m = 0.5 * (lo + hi);
    if (alpha * (relucap_ncdf(m) - 0.5 - m * relucap_npdf(m)) > 1.0) hi = m; else lo = m;
  }
  double c = 0.5 * (lo + hi);
  *e = alpha * relucap_nsf(c);
  *chi = 0.5 * c * c;
  return RELUCAP_SUCCESS;
}

int relucap_gate_energy(const relucap_gate_opts *o, double alpha, relucap_gate_result *res)
{
  if (!(alpha > 0.0) || !isfinite(alpha)) RELUCAP_ERROR("gate_energy: alpha must be positive", RELUCAP_EINVAL);
  if (o->full) RELUCAP_ERROR("gate_energy: not for full RSB", RELUCAP_EINVAL);
  double t0 = relucap_clock();
  int st;
  if (!o->partial && o->level == 1) {
    memset(res, 0, sizeof *res);
    res->level = 1;
    res->capacity = NAN;
    st = rs_energy(alpha, &res->energy, &res->chi);
    double c = sqrt(2.0 * res->chi);
    if (isfinite(c))
      res->residual = fabs(1.0 - alpha * (relucap_ncdf(c) - 0.5 - c * relucap_npdf(c))) / (2.0 * res->chi * res->chi);
    res->status = st;
    res->seconds = relucap_clock() - t0;
    if (st) RELUCAP_ERROR("gate_energy: no RS solution at this alpha", st);
    return st;
  }
  st = relucap_gate_capacity(o, res); /* the threshold solution: the warm start */
  if (st) return st;
  problem P = {0};
  P.k = res->steps;
  P.partial = o->partial;
  P.n = (P.partial ? 0 : P.k) + P.k + 1;
  P.mode = 1;
  P.alpha = alpha;
  P.ppw = o->ppw;
  P.dense = o->dense_grid;
  P.threads = o->threads;
  double y[NPMAX], Q[RELUCAP_GATE_MAXSTEPS], chim[RELUCAP_GATE_MAXSTEPS], chi, negf = NAN;
  encode(&P, res->Q, res->chim, res->chi, y);
  for (int pass = 0; pass < 4; pass++) {
    decode(&P, y, Q, chim, &chi);
    double Qp[RELUCAP_GATE_MAXSTEPS]; /* the overlaps the strides are planned for (frozen) */
    memcpy(Qp, Q, sizeof Qp);
    P.planQ = Qp;
    double h = gate_min_width(P.k, Q) / o->ppw;
    if ((st = alloc_grids(&P, h, o->cut))) break;
    int it = P.k > 1 ? 0 : minimise(&P, y, o->max_iter, &negf);
    if (it >= 0) newton(&P, y, 25, &negf);
    decode(&P, y, Q, chim, &chi);
    int ok = gate_grid_plan_ok(P.grid[0], P.k, Q, 0.8 * o->ppw);
    if (ok) res->residual = stationarity_residual(P.grid[0], P.k, P.partial, Q, chim, chi, alpha);
    free_grids(&P);
    if (it < 0) { st = RELUCAP_ENOMEM; break; }
    if (ok) break;
  }
  res->seconds = relucap_clock() - t0;
  if (st) {
    res->status = st;
    return st;
  }
  store_params(res, P.k, Q, chim, chi);
  res->energy = -negf;
  if (!(res->residual <= o->tol)) {
    res->status = RELUCAP_ETOL;
    RELUCAP_ERROR("gate_energy: stationarity not reached", RELUCAP_ETOL);
  }
  res->status = RELUCAP_SUCCESS;
  return RELUCAP_SUCCESS;
}

int relucap_gate_capacity_level(int level, double *capacity)
{
  relucap_gate_opts o;
  relucap_gate_result r;
  relucap_gate_opts_default(&o);
  o.level = level;
  int st = relucap_gate_capacity(&o, &r);
  *capacity = st ? NAN : r.capacity;
  return st;
}

int relucap_gate_capacity_steps(int k_steps, double *capacity)
{
  return relucap_gate_capacity_level(k_steps + 1, capacity);
}

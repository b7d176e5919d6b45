/* Internal interface of the gate module (src/gate/): the grid workspace that evaluates the
 * zero-temperature k-RSB functional, and the RS / d-AT helpers.  Not installed. */
#ifndef RELUCAP_GATE_INTERNAL_H
#define RELUCAP_GATE_INTERNAL_H

#include "relucap/gate.h"

/* The cavity-field grid w_i = (i - n0) h, i = 0..N-1 (N = 2 n0 + 1, so w = 0 is a node), with
 * scratch space for one level of the recursion.  The spacing h stays fixed while an optimiser
 * runs, so that the discretised functional is a smooth function of the parameters. */
typedef struct {
  double h;      /* grid spacing */
  int n0;        /* index of w = 0 */
  int N;         /* number of nodes */
  int mmax;      /* largest kernel half-width in nodes (variance <= 1) */
  double *G;     /* G_j(w_i) of the current level */
  double *Fpad;  /* exp(chim G) padded by mmax limit values on each side */
  double *kern;  /* Gaussian kernel weights, 2 mmax + 1 */
  int dense;     /* 1: stride 1 and no clipping (the straightforward grid; reference and baseline) */
  int plan_k;    /* number of RSB steps the strides below were planned for (0: none, all 1) */
  int stride[RELUCAP_GATE_MAXSTEPS]; /* node stride of G_j (j = 0..k-1), powers of 2, nonincreasing in j */
} gate_grid;

/* Largest stride (n0 and the padding are multiples of it, so strided nodes contain w = 0). */
#define GATE_MAX_STRIDE 64

gate_grid *gate_grid_alloc(double h, double cut);
void gate_grid_free(gate_grid *g);

/* Plan per-level strides for parameters near Q: level j is sampled at spacing <= (the smaller of
 * its kernel width and its input's smoothness width)/ppw, coarser outside.  Frozen until re-planned. */
void gate_grid_plan(gate_grid *g, int k, const double *Q, double ppw);
/* 1 if every level of the plan still has >= ppw nodes per width at overlaps Q. */
int gate_grid_plan_ok(const gate_grid *g, int k, const double *Q, double ppw);

/* S and T of the k-RSB functional (f = S + alpha T) on the grid; k >= 1. */
int gate_grid_eval(gate_grid *g, int k, const double *Q, const double *chim, double chi,
                   double *S, double *T);

/* The entropic part S alone (closed form). */
double gate_entropy(int k, const double *Q, const double *chim, double chi);

/* Smallest Gaussian width of the recursion: min(sqrt(Q_0) if Q_0 > 0, sqrt(Q_j - Q_{j-1}), sqrt(1 - Q_{k-1})). */
double gate_min_width(int k, const double *Q);

/* log E_z exp(-c cost_chi(w + s z)) in closed form (flrdt.md sec. 2.3). */
double gate_log_n(double w, double s, double chi, double c);

#endif

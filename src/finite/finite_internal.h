/* Internal helpers shared by the sources in src/finite/ (not installed). */
#ifndef RELUCAP_FINITE_INTERNAL_H
#define RELUCAP_FINITE_INTERNAL_H
#include "relucap/finite.h"

/* Zero *res and allocate its witness (n) and packing arrays (m simplices of n+1 rows). */
int finite_result_init(relucap_depth_result *res, int m, int n);
/* One-layer margin MILP (notes 1.2) with CBC. */
int finite_milp_layer(int m, int n, const double *A, const relucap_depth_opts *o,
                      relucap_depth_result *res);
/* Multi-layer MILP with CBC (|x|_inf = 1 by selector binaries, ReLU by exact big-M). */
int finite_milp_net(const relucap_finite_net *net, const relucap_depth_opts *o, relucap_depth_result *res);
/* Multi-layer cell enumeration with LP pruning. */
int finite_bb_net(const relucap_finite_net *net, const relucap_depth_opts *o, relucap_depth_result *res);


/* Dense two-phase simplex for the Gordan LP (gordan.c).  finite_gordan_solve over the columns
 * cols[0..k) of the unit-row matrix A (n columns): returns 0 with lam[j] (multiplier of
 * cols[j], a basic optimum of min cost . lambda) when 0 is in the convex hull, 1 with x
 * (a_i . x <= -1 on the columns, up to rounding) when it is not, < 0 on numerical failure. */
typedef struct finite_gordan finite_gordan;
finite_gordan *finite_gordan_alloc(int n, int cap);
void finite_gordan_free(finite_gordan *g);
int finite_gordan_solve(finite_gordan *g, const double *A, int k, const int *cols,
                        const double *cost, double *lam, double *x);
/* Keep/drop search inside one activation cell of a deeper network (layer.c). */
int finite_bb_cell(const relucap_finite_net *net, int k, int nhard, int n, const double *rows,
                   int target, int *best, double *best_x, double t0, double tlim, long *nodes,
                   long *lps, long *checked, long *failed, int *timed_out, int *trouble,
                   finite_gordan *g);
#endif

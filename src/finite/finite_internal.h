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
#endif

/* Helpers shared by src/netcheck.c and src/netregions.c (not installed). */
#ifndef RELUCAP_NETCHECK_INTERNAL_H
#define RELUCAP_NETCHECK_INTERNAL_H
#include "relucap/netcheck.h"

/* SVD of the k x n row-major A (zero-padded to max(k, n) rows): s[0..n) descending, V[j*n + c]
 * = entry j of right singular vector c, U (max(k,n) x n) if not NULL. */
int netcheck_svd(const double *A, size_t k, size_t n, double *s, double *V, double *U);
/* Largest layer width (inputs or outputs) of the network. */
size_t netcheck_max_width(const relucap_net *net);
/* Witnesses of the whole map are accepted when |f(x1) - f(x2)| / (|x1 - x2| prod_k |W_k|_F)
 * is at most NETCHECK_TOL_WITNESS: through their common activation pattern (|J (x1 - x2)|), or
 * by forward passes in long double beyond their rounding bound; a tie to the precision of the
 * arithmetic, the level a layer's witness must reach after its tight re-check (docs/check.md 4b). */
#define NETCHECK_TOL_WITNESS 1e-13
/* ... the forward passes only when their rounding bound is at most NETCHECK_TOL_RESOLVE. */
#define NETCHECK_TOL_RESOLVE 1e-11
/* The test above; *diff_out (if not NULL) gets the difference it used. */
int netcheck_witness_ok(const relucap_net *net, const double *x1, const double *x2, double *diff_out);
/* Store (x1, x2) as the network's witness if netcheck_witness_ok; returns 1 when stored
 * (verdict NOT_INJECTIVE, certified), else 0. */
int netcheck_set_witness(relucap_net_report *rep, const relucap_net *net, const double *x1,
                         const double *x2);
/* Affine form of the whole network on the linear region of pattern pat (one char per neuron,
 * layer after layer): pre-activations Z x + zc (Ntot x n, Ntot), output J x + cj (mo x n, mo).
 * Work arrays G (w x n), g (w), T (w x n), t (w), w = netcheck_max_width. */
void netcheck_region_affine(const relucap_net *net, const char *pat, size_t n, double *Z, double *zc,
                            double *J, double *cj, double *G, double *g, double *T, double *t);
/* The exact decision by linear regions (src/netregions.c) on a report whose n, depth and
 * layers are already set; fills rep->regions and, when decided, verdict/witness/reason. */
int netcheck_regions(const relucap_net *net, double t_end, unsigned flags, relucap_net_report *rep);
/* The exact preimage of y over the linear regions of layers 1..L-1 (src/netregions.c). */
int netcheck_invert_regions(const relucap_net *net, const double *y, double tol, double t_end,
                            relucap_invert_result *res);
#endif

/* relucap/netcheck.h - is a concrete ReLU network injective?  And inverting it.
 *
 * Criterion (Puthawala et al. 2022, Thm 2; with biases, docs/check.md eq. (1)):
 *     x -> ReLU(W x + b) is injective on a convex set K  <=  for every x in K the rows
 *     S(x) = { i : w_i . x + b_i >= 0 } span R^n        (and <=> when K = R^n).
 * Decided without any general-position assumption by the hyperplane test (docs/check.md (3)):
 *     NOT injective on R^n  <=>  rank W < n, or some hyperplane H through 0 spanned by rows of W
 *     admits x with w_i . x + b_i < 0 for every row w_i not in H,
 * one strict LP (Gordan's alternative, relucap/lp.h) per hyperplane.  Witnesses are re-verified
 * by forward passes; "injective" comes with the list of infeasibility certificates (summarised).
 *
 * A network is injective if layer 1 is injective on R^n and every later layer is injective on
 * the non-negative orthant (it only ever sees ReLU outputs); it is NOT injective with a witness
 * if layer 1 is not, or if a linear region of the whole map has a rank-deficient Jacobian, or
 * if a later layer's witness pair lies in the image of the earlier layers.  Otherwise the whole
 * map is decided exactly by its linear regions (relucap_region_report below).  When the time
 * limit is hit the answer is "undecided" - never a guess. */
#ifndef RELUCAP_NETCHECK_H
#define RELUCAP_NETCHECK_H

#include "relucap/common.h"
#include "relucap/io.h"

typedef enum {
  RELUCAP_UNDECIDED     = -1, /* no proof either way (time limit, or beyond the method) */
  RELUCAP_NOT_INJECTIVE = 0,  /* witness pair x1 != x2 with f(x1) = f(x2) */
  RELUCAP_INJECTIVE     = 1   /* proof: rank and one Gordan certificate per hyperplane */
} relucap_verdict;

/* Tolerances (relative; see docs/check.md section 4). */
#define RELUCAP_CHECK_TOL_RANK 1e-10  /* singular values below tol * sigma_max are zero */
#define RELUCAP_CHECK_TOL_PLANE 1e-9  /* unit row u lies in H = v^perp iff |u . v| <= tol */
#define RELUCAP_CHECK_TOL_TIGHT 1e-12 /* near-degenerate layers are re-checked at this (docs/check.md 4b) */

typedef struct {
  int checked;                /* 0: not examined (the network was decided earlier) */
  int verdict;                /* relucap_verdict, on the domain below */
  int orthant;                /* 1: domain is the non-negative orthant, 0: all of R^n */
  size_t m, n;                /* W is m x n */
  size_t rank;                /* numerical rank of W */
  size_t zero_rows;           /* rows with w_i = 0 (never matter) */
  size_t lines;               /* distinct row directions up to sign */
  double hyperplanes_bound;   /* C(lines, n-1): at most this many candidate hyperplanes */
  size_t hyperplanes;         /* hyperplanes closed individually (search leaves / enumeration) */
  size_t nodes;               /* search nodes (subspaces span(T) visited) */
  size_t by_antipodal;        /* ... closed by an antipodal pair (w, -w, b + b' >= 0) */
  size_t by_lp;               /* ... closed by a new Gordan/Farkas LP certificate */
  size_t by_cache;            /* ... closed by an earlier certificate whose rows are all outside */
  double max_cert_residual;   /* max over LP certificates of |A^T lambda|_viol / sum lambda |a| */
  size_t active_upper;        /* min over x (x != 0 without bias) of |S(x)| = #{w_i x + b_i >= 0},
                                 the closed active count, is <= this (a point attains it) */
  size_t active_lower;        /* ... and >= this (n when injective: S(x) must span) */
  int timed_out;              /* 1: the time limit stopped the enumeration */
  size_t open_hyperplanes;    /* hyperplanes neither closed nor giving a verified witness */
  int conflict;               /* 1: the depth solver's count contradicts the rank test (numerics) */
  int active_exact;           /* lower == upper (bias-free R^n layers: relucap_depth_layer) */
  double *x1, *x2;            /* witness (n entries each) if NOT_INJECTIVE, else NULL */
  double witness_diff;        /* |f(x1)-f(x2)| / (|W|_F |x1-x2|), re-computed */
  /* The proof when INJECTIVE (docs/check.md (5)): certificate c uses rows
   * cert_rows[cert_start[c] .. cert_start[c+1]) of W with multipliers cert_lambda (>= 0, sum 1),
   * sum mu_i w_i = 0 (>= 0 componentwise on the orthant) and sum mu_i b_i >= 0; every hyperplane
   * spanned by rows of W misses all rows of at least one of them. */
  size_t ncert, *cert_start, *cert_rows;
  double *cert_lambda;
  int certificates_complete;  /* 0: the cache overflowed; the list is not the whole proof */
  double near_degenerate;     /* > 0: the data are this close (relative) to a degenerate
                                 configuration, inside RELUCAP_CHECK_TOL_PLANE/RANK; the verdict is
                                 then from the tight re-check, or undecided (docs/check.md 4b) */
  double tolerance;           /* plane tolerance of the pass that gave the verdict */
  double seconds;
} relucap_layer_report;

/* The exact decision for the whole network by its linear regions (docs/check.md section 5a):
 * every full-dimensional linear region R_s (f = J_s x + c_s there) is enumerated; f is injective
 * iff every J_s has rank n and no two regions s != t hold x1 != x2 with J_s x1 + c_s = J_t x2 + c_t. */
typedef struct {
  int run;                    /* 1: the region decision was attempted */
  int complete;               /* 1: every region and every candidate pair was examined */
  size_t regions;             /* full-dimensional linear regions of the whole map found */
  size_t region_lps;          /* LPs solved to enumerate them */
  double min_inradius;        /* smallest inscribed radius among them (cones: in the unit box) */
  double min_jacobian_ratio;  /* min over regions of sigma_min(J_s) / sigma_max(J_s) */
  size_t samples;             /* random inputs whose activation pattern was looked up ... */
  size_t samples_missing;     /* ... and how many of them lie in no enumerated region (must be 0) */
  size_t pairs;               /* region pairs R (R - 1) / 2 */
  size_t pairs_separated;     /* ... whose output images are apart along a projection (no LP) */
  size_t pairs_disjoint;      /* ... whose collision polyhedron is empty (LP infeasible) */
  size_t pairs_touching;      /* ... whose common outputs come only from common inputs x1 = x2 */
  size_t pairs_same_cell;     /* ... in one cell of layers 1..L-1 whose common active outputs of
                                 layer L have rank n: no collision, no LP (docs/check.md 5a) */
  size_t pairs_unresolved;    /* ... the LPs could not settle (numerics): verdict undecided */
  size_t pairs_examined;      /* pairs handled so far (all of them when complete) */
  size_t pair_lps;            /* LPs solved on pairs */
  size_t collision_layer;     /* with a witness: first layer whose outputs coincide (1-based) */
  const char *stopped;        /* why the decision stopped early (NULL when complete) */
  double seconds_regions;     /* time spent enumerating the regions (the rest: ranks and pairs) */
  double seconds;
} relucap_region_report;

typedef struct {
  int verdict;                /* relucap_verdict for the whole map */
  int certified;              /* 1 when verdict is backed by a verified certificate */
  size_t n;                   /* input dimension */
  double *x1, *x2;            /* network witness (n entries) if NOT_INJECTIVE */
  double witness_diff;        /* |f(x1)-f(x2)| / max(|f(x1)|, |f(x2)|, |x1-x2| prod |W_k|_F) */
  size_t depth;
  relucap_layer_report *layers;
  relucap_region_report regions; /* the exact region decision, when it ran (regions.run) */
  char reason[256];           /* one line: how the verdict was reached */
  double seconds;
} relucap_net_report;

/* Decide injectivity of x -> ReLU(W x + b) on R^n (orthant = 0) or on x >= 0 (orthant = 1)
 * within time_limit seconds (<= 0: no limit).  Fills rep (free with relucap_layer_report_free).
 * Returns RELUCAP_SUCCESS (read rep->verdict; UNDECIDED after the time limit), RELUCAP_EUNSUP
 * without an LP solver, RELUCAP_ENOMEM, RELUCAP_ENOPROG if the LP solver failed. */
int relucap_netcheck_layer(const relucap_layer *L, int orthant, double time_limit,
                           relucap_layer_report *rep);
void relucap_layer_report_free(relucap_layer_report *rep);
/* The same decision by exhaustive enumeration of the row-spanned hyperplanes (docs/check.md (3);
 * C(lines, n-1) of them): slower, kept as an independent cross-check of the search above. */
int relucap_netcheck_layer_enum(const relucap_layer *L, int orthant, double time_limit,
                                relucap_layer_report *rep);

/* Decide injectivity of the whole network (see the header comment); the time limit is shared
 * by the layers.  Free with relucap_net_report_free. */
int relucap_netcheck(const relucap_net *net, double time_limit, relucap_net_report *rep);
void relucap_net_report_free(relucap_net_report *rep);
/* The exact region decision alone (no layer-wise shortcuts, no sampled witness search): an
 * independent route to the same verdict, for cross-checks (at most 10^6 regions). */
int relucap_netcheck_by_regions(const relucap_net *net, double time_limit, relucap_net_report *rep);
/* ... with flags: RELUCAP_REGIONS_NO_FILTER decides every region pair by LP, skipping the
 * output-projection filter and the same-cell rank test (the baseline of bench_regions and a
 * cross-check of both). */
#define RELUCAP_REGIONS_NO_FILTER 1u
int relucap_netcheck_by_regions_flags(const relucap_net *net, double time_limit, unsigned flags,
                                      relucap_net_report *rep);

/* Inversion of y = f(x), layer by layer from the last (docs/check.md section 6). */
typedef struct {
  double *x;          /* recovered input (n entries), malloc'ed; free with the result */
  double residual;    /* |f(x) - y| / |y|  (|f(x) - y| when y = 0) */
  int unique;         /* 1 if every layer's preimage is a single point */
  size_t dim;         /* dimension of the solution set of the first non-unique layer (0 if unique) */
  size_t dim_layer;   /* that layer (1-based), 0 if unique */
  int by_regions;     /* 1: solved over the linear regions of layers 1..L-1 (docs/check.md sec. 6a) */
  size_t regions;     /* ... how many (full-dimensional) */
  size_t solutions;   /* ... distinct preimages found (1 when unique; 2 means at least two) */
  int complete;       /* ... 1: every region was examined (0: time limit, then unique is 0) */
} relucap_invert_result;

/* Recover x from y (output_dim entries).  Returns RELUCAP_SUCCESS when residual <= tol
 * (tol <= 0: 1e-8), RELUCAP_EINFEAS when no input reproduces y (x and residual still filled
 * with the best point found), RELUCAP_EINVAL for bad arguments, RELUCAP_ENOMEM. */
int relucap_net_invert(const relucap_net *net, const double *y, double tol,
                       relucap_invert_result *res);
/* The same, and when the layer-by-layer solve fails or a later layer has many preimages (the
 * chosen one may lie outside the image of the earlier layers), the exact preimage of y over the
 * linear regions of layers 1..L-1, within time_limit seconds (<= 0: none): every x with f(x) = y
 * lies in one of them, where layer L's pattern is read off y and one LP finds the point. */
int relucap_net_invert_exact(const relucap_net *net, const double *y, double tol, double time_limit,
                             relucap_invert_result *res);
void relucap_invert_result_free(relucap_invert_result *res);

#endif

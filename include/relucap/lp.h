/* relucap/lp.h - small dense linear programs through COIN-OR CLP (EPL-2.0).
 *
 * A thin, stable interface: callers pass dense row-major matrices and never see CLP types.
 * Compiled against CLP when RELUCAP_HAVE_COIN is defined (the Makefile does this when
 * `pkg-config cbc` succeeds); otherwise every function returns RELUCAP_EUNSUP.
 *
 * The problem solved by relucap_lp_solve and by a relucap_lp handle is
 *
 *     minimise    c^T x
 *     subject to  row_lo <= A x <= row_up      (A is m x n, row-major)
 *                 col_lo <=  x  <= col_up
 *
 * Infinite bounds are written as -HUGE_VAL / HUGE_VAL (or any |value| >= 1e30).  Other data of
 * magnitude above 1e20, or NaN, are refused: the outcome is RELUCAP_LP_FAILED without a solve
 * (CLP aborted the process on bounds near 1e100).
 * Duals y (one per row) follow CLP's sign convention: at an optimum, c - A^T y is the vector
 * of reduced costs (>= 0 at a lower bound, <= 0 at an upper bound for a minimisation).
 */
#ifndef RELUCAP_LP_H
#define RELUCAP_LP_H

#include "relucap/common.h"

/* Outcome of an LP solve (separate from the status: a clean "infeasible" is a success). */
typedef enum {
  RELUCAP_LP_OPTIMAL    = 0, /* x, y, objective filled */
  RELUCAP_LP_INFEASIBLE = 1, /* the constraints have no solution */
  RELUCAP_LP_UNBOUNDED  = 2, /* the objective is unbounded below */
  RELUCAP_LP_FAILED     = 3  /* solver stopped (iteration limit, numerical trouble) */
} relucap_lp_outcome;

/* 1 if relucap was built with CLP, 0 otherwise. */
int relucap_lp_available(void);

/* One-shot dense LP (see the problem above).  Any of col_lo/col_up/row_lo/row_up may be NULL
 * (meaning free, i.e. infinite); obj may be NULL (zero objective = pure feasibility).
 * x_out (n), y_out (m) and objval may be NULL.  Returns RELUCAP_SUCCESS whenever the solver
 * ran (read *outcome), RELUCAP_EINVAL for bad sizes, RELUCAP_EUNSUP without CLP. */
int relucap_lp_solve(int m, int n, const double *A, const double *row_lo, const double *row_up,
                     const double *col_lo, const double *col_up, const double *obj,
                     double *x_out, double *y_out, double *objval, relucap_lp_outcome *outcome);

/* Homogeneous strict system {a_i . x < 0, i in S} (rows of the m x n row-major A listed in
 * rows[0..k-1]); by scale invariance it is solvable iff {a_i . x <= -1, i in S} is.
 * Gordan's alternative: exactly one of
 *   (a) x with a_i . x <= -1 for all i in S                    (*feasible = 1, x_out filled)
 *   (b) lambda >= 0, sum lambda = 1, sum_{i in S} lambda_i a_i = 0  (*feasible = 0,
 *       lambda_out[j] is the multiplier of row rows[j]; a basic solution, so at most n+1
 *       of them are non-zero).
 * x_out (n) and lambda_out (k) may be NULL.  k = 0 is feasible (x = 0). */
int relucap_lp_strict_feasible(int m, int n, const double *A, int k, const int *rows,
                               double *x_out, double *lambda_out, int *feasible);

/* A persistent model for re-solving the same matrix with changed bounds/objective
 * (warm-started; used in branch-and-bound inner loops).  Arguments as in relucap_lp_solve. */
typedef struct relucap_lp relucap_lp;
relucap_lp *relucap_lp_alloc(int m, int n, const double *A, const double *row_lo,
                             const double *row_up, const double *col_lo, const double *col_up,
                             const double *obj);
void relucap_lp_free(relucap_lp *lp);
/* CLP's primal and dual feasibility tolerances (absolute; CLP's default 1e-7 both).  Tighter
 * ones make a "feasible" answer mean feasible to that accuracy (the region search uses 1e-10 on
 * data of unit scale).  Values <= 0 leave a tolerance as it is. */
void relucap_lp_set_tolerances(relucap_lp *lp, double primal, double dual);
/* Change one column's bounds, one row's bounds, the whole objective (n entries). */
void relucap_lp_set_col_bounds(relucap_lp *lp, int j, double lo, double up);
void relucap_lp_set_row_bounds(relucap_lp *lp, int i, double lo, double up);
void relucap_lp_set_objective(relucap_lp *lp, const double *obj);
/* Re-solve (primal simplex from the last basis); outputs as in relucap_lp_solve. */
int relucap_lp_resolve(relucap_lp *lp, double *x_out, double *y_out, double *objval,
                       relucap_lp_outcome *outcome);

#endif

/* Internals shared by src/optimized_lifted.c and src/optimized_lifted_deep.c (not installed). */
#ifndef RELUCAP_OPTIMIZED_INTERNAL_H
#define RELUCAP_OPTIMIZED_INTERNAL_H

#define C3_START 0.02   /* first point of the continuation in c3 */
#define C3_GROWTH 1.25  /* geometric step of the continuation */
#define C3_MAX 50.0     /* where a free-c3 continuation gives up looking for the minimum */

/* A solver's side of the continuation: warm-started solve at c3 (the current point is updated
 * only on success; returns a status), alpha_L at the current point, best := current. */
typedef struct {
  int (*solve_at)(void *ctx, double c3);
  double (*value)(void *ctx);
  void (*keep_best)(void *ctx);
  void *ctx;
} optlift_path;

/* Continuation in c3 from C3_START (already solved there; best = current) to target, by
 * geometric steps C3_GROWTH (downwards when target < C3_START), the step square-rooted after a
 * failed solve.  With free_c3 it stops three steps past the minimum of alpha_L(c3): *rising
 * counts the steps since the best, *best_step is the step that found it (0: the start).
 * *steps counts successful steps.  RELUCAP_ENOPROG when the step falls below 1.0005. */
int optlift_continuation(const optlift_path *path, double target, int free_c3, int *steps,
                         int *best_step, int *rising);

#endif

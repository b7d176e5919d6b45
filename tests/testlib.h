/* Minimal test harness (GSL's gsl_test style): one line per failed check (all lines with
 * RELUCAP_TEST_VERBOSE=1), and a closing "name: N passed, N failed" line from test_summary(). */
#ifndef RELUCAP_TESTLIB_H
#define RELUCAP_TESTLIB_H

/* |got - want| <= tol * max(1, |want|) ... relative for large values, absolute near zero. */
void test_rel(double got, double want, double tol, const char *fmt, ...);
/* |got - want| <= tol. */
void test_abs(double got, double want, double tol, const char *fmt, ...);
/* cond must hold. */
void test_true(int cond, const char *fmt, ...);
/* Print the closing line; return the process exit code. */
int test_summary(const char *name);

#endif

#include "testlib.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int passed, failed;

static void report(int ok, const char *detail, const char *fmt, va_list ap)
{
  static int verbose = -1;
  if (verbose < 0) verbose = getenv("RELUCAP_TEST_VERBOSE") != NULL;
  if (ok) passed++; else failed++;
  if (ok && !verbose) return;
  printf("%s: ", ok ? "PASS" : "FAIL");
  vprintf(fmt, ap);
  if (detail[0]) printf(" (%s)", detail);
  printf("\n");
}

void test_rel(double got, double want, double tol, const char *fmt, ...)
{
  char detail[160];
  double scale = fabs(want) > 1.0 ? fabs(want) : 1.0;
  int ok = isfinite(got) && fabs(got - want) <= tol * scale;
  snprintf(detail, sizeof detail, "got %.15g, want %.15g, tol %.1e", got, want, tol);
  va_list ap; va_start(ap, fmt); report(ok, detail, fmt, ap); va_end(ap);
}

void test_abs(double got, double want, double tol, const char *fmt, ...)
{
  char detail[160];
  int ok = isfinite(got) && fabs(got - want) <= tol;
  snprintf(detail, sizeof detail, "got %.15g, want %.15g, tol %.1e", got, want, tol);
  va_list ap; va_start(ap, fmt); report(ok, detail, fmt, ap); va_end(ap);
}

void test_true(int cond, const char *fmt, ...)
{
  va_list ap; va_start(ap, fmt); report(cond != 0, "", fmt, ap); va_end(ap);
}

int test_summary(const char *name)
{
  printf("%s: %d passed, %d failed\n", name, passed, failed);
  return failed ? 1 : 0;
}

/* libFuzzer harness for the CSV and .npy readers (make fuzz).  The first byte picks the reader
 * (even: CSV, odd: .npy) so one corpus exercises both; every successful parse is checked for
 * the invariants the callers rely on. */
#include "relucap/io.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size == 0) return 0;
  relucap_matrix a;
  char err[256];
  err[0] = '\0';
  int s = (data[0] & 1) ? relucap_io_parse_npy(data + 1, size - 1, "fuzz.npy", &a, err, sizeof err)
                        : relucap_io_parse_csv((const char *)data + 1, size - 1, "fuzz.csv", &a, err, sizeof err);
  if (s == RELUCAP_SUCCESS) {
    if (!a.data || a.rows == 0 || a.cols == 0 || a.rows * a.cols > RELUCAP_IO_MAX_ENTRIES) abort();
    for (size_t k = 0; k < a.rows * a.cols; k++)
      if (!isfinite(a.data[k])) abort();
    relucap_matrix_free(&a);
  } else {
    if (a.data || a.rows || a.cols) abort();          /* outputs empty on failure */
    if (err[0] == '\0' || strchr(err, '\n')) abort(); /* exactly one non-empty line */
  }
  return 0;
}

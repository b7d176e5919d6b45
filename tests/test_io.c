/* Tests of the CSV / .npy readers and the network loader (every bad input of issue 7). */
#define _POSIX_C_SOURCE 200809L
#include "relucap/io.h"
#include "testlib.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];

static const char *path_of(const char *name)
{
  static char p[4][256];
  static int k = 0;
  k = (k + 1) % 4;
  snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
  return p[k];
}

static void write_bytes(const char *name, const void *data, size_t n)
{
  FILE *f = fopen(path_of(name), "wb");
  if (!f) { perror(name); exit(1); }
  if (n) fwrite(data, 1, n, f);
  fclose(f);
}

static void write_text(const char *name, const char *s) { write_bytes(name, s, strlen(s)); }

/* A .npy image: header dict `dict`, version major, then nbytes of data. */
static size_t make_npy(unsigned char *out, int major, const char *dict, const void *data, size_t nbytes)
{
  size_t pre = major == 1 ? 10 : 12, dl = strlen(dict);
  size_t total = pre + dl + 1, pad = (64 - total % 64) % 64, hlen = dl + pad + 1;
  memcpy(out, "\x93NUMPY", 6);
  out[6] = (unsigned char)major;
  out[7] = 0;
  out[8] = (unsigned char)(hlen & 255);
  out[9] = (unsigned char)(hlen >> 8);
  if (major != 1) out[10] = out[11] = 0;
  memcpy(out + pre, dict, dl);
  memset(out + pre + dl, ' ', pad);
  out[pre + dl + pad] = '\n';
  memcpy(out + pre + hlen, data, nbytes);
  return pre + hlen + nbytes;
}

static void swap_bytes(unsigned char *p, int size)
{
  for (int i = 0; i < size / 2; i++) {
    unsigned char t = p[i];
    p[i] = p[size - 1 - i];
    p[size - 1 - i] = t;
  }
}

static int little(void)
{
  uint16_t one = 1;
  unsigned char c;
  memcpy(&c, &one, 1);
  return c;
}

/* Expect failure with a message containing every needle (NULL-terminated list). */
static void expect_matrix_error(const char *file, int want_status, const char *n1, const char *n2)
{
  relucap_matrix a;
  char err[512] = "";
  int s = relucap_io_read_matrix(path_of(file), &a, err, sizeof err);
  test_true(s == want_status, "%s: status %d, want %d (%s)", file, s, want_status, err);
  test_true(a.data == NULL && a.rows == 0, "%s: output empty on failure", file);
  test_true(strchr(err, '\n') == NULL && strlen(err) > 0, "%s: one-line message", file);
  test_true(strstr(err, file) != NULL, "%s: message names the file: %s", file, err);
  if (n1) test_true(strstr(err, n1) != NULL, "%s: message has '%s': %s", file, n1, err);
  if (n2) test_true(strstr(err, n2) != NULL, "%s: message has '%s': %s", file, n2, err);
}

static void test_csv_good(void)
{
  relucap_matrix a;
  char err[512];
  write_text("a.csv", "# a comment line\n1.5, -2.25 ,3e2\r\n\n  4\t5,6 # trailing comment\n");
  int s = relucap_io_read_matrix(path_of("a.csv"), &a, err, sizeof err);
  test_true(s == RELUCAP_SUCCESS, "a.csv parses (%s)", s ? err : "");
  if (s) return;
  test_true(a.rows == 2 && a.cols == 3, "a.csv is 2 x 3 (got %zu x %zu)", a.rows, a.cols);
  const double want[6] = {1.5, -2.25, 300, 4, 5, 6};
  for (int i = 0; i < 6; i++) test_abs(a.data[i], want[i], 0, "a.csv entry %d", i);
  relucap_matrix_free(&a);

  double *v;
  size_t n;
  write_text("col.csv", "0.125\n-7\n2.385\n");
  s = relucap_io_read_vector(path_of("col.csv"), &v, &n, err, sizeof err);
  test_true(s == 0 && n == 3 && v[2] == 2.385, "vector one value per line");
  free(v);
  write_text("row.csv", "0.125 -7 2.385");
  s = relucap_io_read_vector(path_of("row.csv"), &v, &n, err, sizeof err);
  test_true(s == 0 && n == 3 && v[1] == -7, "vector on one line (no final newline)");
  free(v);
  s = relucap_io_read_vector(path_of("a.csv"), &v, &n, err, sizeof err);
  test_true(s == RELUCAP_EIO && v == NULL && strstr(err, "2 x 3"), "matrix is not a vector: %s", err);
  /* old Mac line ends (lone CR): one row per line, as with LF and CRLF */
  write_text("cr.csv", "1,2\r3,4\r5,6\r");
  s = relucap_io_read_matrix(path_of("cr.csv"), &a, err, sizeof err);
  test_true(s == 0 && a.rows == 3 && a.cols == 2 && a.data[5] == 6, "lone-CR lines: 3 x 2 (%s)", s ? err : "");
  if (!s) relucap_matrix_free(&a);
  /* an exact decimal longer than 72 characters (was "number too long") */
  write_text("long.csv", "0.333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333 1\n");
  s = relucap_io_read_matrix(path_of("long.csv"), &a, err, sizeof err);
  test_true(s == 0 && a.cols == 2 && a.data[0] == 1.0 / 3, "94-character decimal parses to 1/3 (%s)", s ? err : "");
  if (!s) relucap_matrix_free(&a);
}

static void test_csv_bad(void)
{
  relucap_matrix a;
  char err[512] = "";
  int s = relucap_io_read_matrix(path_of("missing.csv"), &a, err, sizeof err);
  test_true(s == RELUCAP_EIO && strstr(err, "missing.csv") && strstr(err, "cannot open"), "missing file: %s", err);
  write_text("empty.csv", "");
  expect_matrix_error("empty.csv", RELUCAP_EIO, "empty file", NULL);
  write_text("comments.csv", "# nothing\n\n   # here\n");
  expect_matrix_error("comments.csv", RELUCAP_EIO, ":1:1:", "no numbers");
  write_text("ragged.csv", "1 2 3\n4 5 6\n7 8\n");
  expect_matrix_error("ragged.csv", RELUCAP_EIO, ":3:1:", "ragged");
  write_text("word.csv", "1,2,3\n4,five,6\n");
  expect_matrix_error("word.csv", RELUCAP_EIO, ":2:3:", "not a number: 'five'");
  write_text("nan.csv", "1 2\n3   NaN\n");
  expect_matrix_error("nan.csv", RELUCAP_EIO, ":2:5:", "NaN or Inf");
  write_text("inf.csv", "1 -inf\n");
  expect_matrix_error("inf.csv", RELUCAP_EIO, ":1:3:", "NaN or Inf");
  write_text("huge.csv", "1e999\n");
  expect_matrix_error("huge.csv", RELUCAP_EIO, ":1:1:", "range");
  write_text("hex.csv", "0x10\n");
  expect_matrix_error("hex.csv", RELUCAP_EIO, ":1:1:", "not a number");
  write_text("twocommas.csv", "1,,2\n");
  expect_matrix_error("twocommas.csv", RELUCAP_EIO, ":1:3:", "empty field");
  write_text("trailcomma.csv", "1,2,\n");
  expect_matrix_error("trailcomma.csv", RELUCAP_EIO, ":1:4:", "empty field");
  write_text("dots.csv", "1.2.3\n");
  expect_matrix_error("dots.csv", RELUCAP_EIO, ":1:1:", "not a number");
  write_bytes("nul.csv", "1 \0 2\n", 6);
  expect_matrix_error("nul.csv", RELUCAP_EIO, ":1:3:", "not a number");
  /* columns after a UTF-8 byte-order mark count visible characters (the mark is not one) */
  write_text("bom.csv", "\xef\xbb\xbf" "1,x\n");
  expect_matrix_error("bom.csv", RELUCAP_EIO, ":1:3:", "not a number: 'x'");
  write_text("cr_bad.csv", "1,2\r3,y\r");
  expect_matrix_error("cr_bad.csv", RELUCAP_EIO, ":2:3:", "not a number: 'y'");
}

static void test_npy_good(void)
{
  unsigned char img[1024];
  relucap_matrix a;
  char err[512];
  const double d[6] = {1.25, -2, 3, 4, 5.5, 6};
  /* C order, little-endian float64, version 1 */
  size_t n = make_npy(img, 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", d, sizeof d);
  if (!little()) for (int i = 0; i < 6; i++) swap_bytes(img + n - 48 + 8 * i, 8);
  write_bytes("c.npy", img, n);
  int s = relucap_io_read_matrix(path_of("c.npy"), &a, err, sizeof err);
  test_true(s == 0 && a.rows == 2 && a.cols == 3 && a.data[1] == -2 && a.data[5] == 6,
            "C-order <f8 (%s)", s ? err : "");
  relucap_matrix_free(&a);

  /* Fortran order, big-endian float32, version 2: column-major data of the same matrix */
  float f[6] = {1.25f, 4, -2, 5.5f, 3, 6};
  unsigned char fb[24];
  memcpy(fb, f, sizeof f);
  if (little()) for (int i = 0; i < 6; i++) swap_bytes(fb + 4 * i, 4);
  n = make_npy(img, 2, "{\"descr\":\">f4\",\"fortran_order\":True,\"shape\":(2,3)}", fb, sizeof fb);
  write_bytes("f.npy", img, n);
  s = relucap_io_read_matrix(path_of("f.npy"), &a, err, sizeof err);
  test_true(s == 0 && a.rows == 2 && a.cols == 3, "Fortran-order >f4 v2 (%s)", s ? err : "");
  if (s == 0)
    for (int i = 0; i < 6; i++) test_abs(a.data[i], d[i], 0, "Fortran >f4 entry %d", i);
  relucap_matrix_free(&a);

  /* 1-D vector, shape (3,) and a 0-d scalar */
  n = make_npy(img, 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", d, 24);
  if (!little()) for (int i = 0; i < 3; i++) swap_bytes(img + n - 24 + 8 * i, 8);
  write_bytes("v.npy", img, n);
  double *v;
  size_t len;
  s = relucap_io_read_vector(path_of("v.npy"), &v, &len, err, sizeof err);
  test_true(s == 0 && len == 3 && v[0] == 1.25 && v[2] == 3, "1-D .npy vector (%s)", s ? err : "");
  free(v);
  n = make_npy(img, 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (), }", d, 8);
  if (!little()) swap_bytes(img + n - 8, 8);
  write_bytes("s.npy", img, n);
  s = relucap_io_read_matrix(path_of("s.npy"), &a, err, sizeof err);
  test_true(s == 0 && a.rows == 1 && a.cols == 1 && a.data[0] == 1.25, "0-d .npy scalar");
  relucap_matrix_free(&a);
}

static void test_npy_bad(void)
{
  unsigned char img[1024];
  const double d[6] = {1, 2, 3, 4, 5, 6};
  size_t n;
  n = make_npy(img, 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", d, sizeof d);
  write_bytes("trunc_hdr.npy", img, 40);
  expect_matrix_error("trunc_hdr.npy", RELUCAP_EIO, "truncated .npy header", NULL);
  write_bytes("trunc_pre.npy", img, 8);
  expect_matrix_error("trunc_pre.npy", RELUCAP_EIO, "preamble", NULL);
  write_bytes("trunc_data.npy", img, n - 8);
  expect_matrix_error("trunc_data.npy", RELUCAP_EIO, "data truncated", NULL);
  n = make_npy(img, 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (4, 3), }", d, sizeof d);
  write_bytes("lying.npy", img, n);
  expect_matrix_error("lying.npy", RELUCAP_EIO, "data truncated", "4 x 3");
  n = make_npy(img, 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 3), }", d, sizeof d);
  write_bytes("short_shape.npy", img, n);
  expect_matrix_error("short_shape.npy", RELUCAP_EIO, "after the data", NULL);
  n = make_npy(img, 1, "{'descr': '<i8', 'fortran_order': False, 'shape': (2, 3), }", d, sizeof d);
  write_bytes("int.npy", img, n);
  expect_matrix_error("int.npy", RELUCAP_EIO, "unsupported dtype '<i8'", NULL);
  n = make_npy(img, 1, "{'descr': '<c16', 'fortran_order': False, 'shape': (3,), }", d, sizeof d);
  write_bytes("complex.npy", img, n);
  expect_matrix_error("complex.npy", RELUCAP_EIO, "unsupported dtype", NULL);
  n = make_npy(img, 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (100000000000, 100000000000), }", d, sizeof d);
  write_bytes("absurd.npy", img, n);
  expect_matrix_error("absurd.npy", RELUCAP_EIO, "absurd declared size", NULL);
  n = make_npy(img, 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999999, 2), }", d, sizeof d);
  write_bytes("overflow.npy", img, n);
  expect_matrix_error("overflow.npy", RELUCAP_EIO, "absurd declared size", NULL);
  n = make_npy(img, 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (0, 3), }", d, 0);
  write_bytes("zero.npy", img, n);
  expect_matrix_error("zero.npy", RELUCAP_EIO, "zero rows or columns", NULL);
  n = make_npy(img, 1, "{'descr': '<f8', 'fortran_order': Maybe, 'shape': (2, 3), }", d, sizeof d);
  write_bytes("maybe.npy", img, n);
  expect_matrix_error("maybe.npy", RELUCAP_EIO, ":1:45:", "True or False");
  n = make_npy(img, 1, "{'descr': '<f8', 'shape': (2, 3), }", d, sizeof d);
  write_bytes("nokey.npy", img, n);
  expect_matrix_error("nokey.npy", RELUCAP_EIO, "lacks 'fortran_order'", NULL);
  n = make_npy(img, 1, "{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", d, sizeof d);
  write_bytes("dupkey.npy", img, n);
  expect_matrix_error("dupkey.npy", RELUCAP_EIO, "repeated key 'descr'", NULL);
  n = make_npy(img, 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 1, 3), }", d, sizeof d);
  write_bytes("3d.npy", img, n);
  expect_matrix_error("3d.npy", RELUCAP_EIO, "3-dimensional", NULL);
  n = make_npy(img, 1, "['descr', '<f8']", d, sizeof d);
  write_bytes("notdict.npy", img, n);
  expect_matrix_error("notdict.npy", RELUCAP_EIO, ":1:11:", "expected '{'");
  n = make_npy(img, 9, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", d, sizeof d);
  write_bytes("v9.npy", img, n);
  expect_matrix_error("v9.npy", RELUCAP_EIO, "version 9", NULL);
  /* found by fuzzing: a key holding a newline was echoed into the message (two lines) */
  n = make_npy(img, 1, "{'de\nscr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", d, sizeof d);
  write_bytes("keynl.npy", img, n);
  expect_matrix_error("keynl.npy", RELUCAP_EIO, "unexpected or repeated key 'de?scr'", NULL);
  double dn[2] = {1, NAN};
  n = make_npy(img, 1, "{'descr': '=f8', 'fortran_order': False, 'shape': (1, 2), }", dn, sizeof dn);
  write_bytes("nan.npy", img, n);
  expect_matrix_error("nan.npy", RELUCAP_EIO, "row 1, column 2: NaN", NULL);
  /* a header length field pointing past the end of the file */
  n = make_npy(img, 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", d, sizeof d);
  img[8] = 0xff;
  img[9] = 0xff;
  write_bytes("hlen.npy", img, n);
  expect_matrix_error("hlen.npy", RELUCAP_EIO, "truncated .npy header", NULL);
}

static void test_net(void)
{
  relucap_net net = {0, NULL};
  char err[512] = "";
  write_text("W1.csv", "1 0\n0 1\n-1 0\n0 -1\n");
  write_text("b1.csv", "0.5\n-0.25\n0\n1\n");
  write_text("W2.csv", "1 1 0 0 1\n0 1 1 0 0\n0 0 1 1 0\n1 0 0 1 1\n");
  write_text("W3.csv", "1 1 1 1\n");
  write_text("b_short.csv", "1 2 3\n");
  char spec[600];
  snprintf(spec, sizeof spec, "%s,%s", path_of("W1.csv"), path_of("b1.csv"));
  int s = relucap_net_add_spec(&net, spec, err, sizeof err);
  test_true(s == 0 && net.depth == 1 && net.layers[0].b && net.layers[0].b[1] == -0.25, "W,b spec (%s)", err);
  s = relucap_net_add_spec(&net, path_of("W2.csv"), err, sizeof err);
  test_true(s == RELUCAP_EINVAL && net.depth == 1 && strstr(err, "do not chain") && strstr(err, "W2.csv"),
            "shapes that do not chain: %s", err);
  s = relucap_net_add_spec(&net, path_of("W3.csv"), err, sizeof err);
  test_true(s == 0 && net.depth == 2, "second layer added (%s)", err);
  snprintf(spec, sizeof spec, "%s,%s", path_of("W1.csv"), path_of("b_short.csv"));
  relucap_net net2 = {0, NULL};
  s = relucap_net_add_spec(&net2, spec, err, sizeof err);
  test_true(s == RELUCAP_EINVAL && net2.depth == 0 && strstr(err, "b_short.csv") && strstr(err, "3 entries"),
            "bias of the wrong length: %s", err);
  snprintf(spec, sizeof spec, "%s,", path_of("W1.csv"));
  s = relucap_net_add_spec(&net2, spec, err, sizeof err);
  test_true(s == RELUCAP_EIO && net2.depth == 0, "trailing comma in a spec: %s", err);

  double x[2] = {0.75, -2.385}, y[1], work[16];
  s = relucap_net_forward(&net, x, y, work);
  /* layer 1: relu(1.25, -2.635, -0.75, 3.385) = (1.25, 0, 0, 3.385); layer 2: 4.635 */
  test_rel(y[0], 1.25 + 3.385, 1e-15, "forward through two layers");
  relucap_net_free(&net);

  write_text("net.txt", "# two layers\nW1.csv b1.csv\n\n  W3x.csv   # missing file\n");
  s = relucap_net_load_manifest(&net, path_of("net.txt"), err, sizeof err);
  test_true(s == RELUCAP_EIO && net.depth == 0 && strstr(err, "W3x.csv"), "manifest with a missing layer file: %s", err);
  write_text("net2.txt", "# two layers\nW1.csv b1.csv\n\n  W3.csv   # comment\n");
  s = relucap_net_load_manifest(&net, path_of("net2.txt"), err, sizeof err);
  test_true(s == 0 && net.depth == 2 && relucap_net_input_dim(&net) == 2 && relucap_net_output_dim(&net) == 1,
            "manifest with relative paths (%s)", err);
  relucap_net_free(&net);
  write_text("net3.txt", "W1.csv b1.csv extra\n");
  s = relucap_net_load_manifest(&net, path_of("net3.txt"), err, sizeof err);
  test_true(s == RELUCAP_EIO && strstr(err, "net3.txt:1:15:"), "manifest line with three names: %s", err);
  write_text("net4.txt", "# only a comment\n");
  s = relucap_net_load_manifest(&net, path_of("net4.txt"), err, sizeof err);
  test_true(s == RELUCAP_EIO && strstr(err, "no layers"), "empty manifest: %s", err);
  /* a byte-order mark and lone CRs in a manifest; an error in a listed file names its manifest line */
  write_text("net5.txt", "\xef\xbb\xbf# bom\rW1.csv b1.csv\rW3.csv\r");
  s = relucap_net_load_manifest(&net, path_of("net5.txt"), err, sizeof err);
  test_true(s == 0 && net.depth == 2, "manifest with a BOM and lone-CR lines (%s)", s ? err : "");
  relucap_net_free(&net);
  write_text("bad_layer.csv", "1 0\n0 z\n");
  write_text("net6.txt", "W1.csv\n  bad_layer.csv\n");
  s = relucap_net_load_manifest(&net, path_of("net6.txt"), err, sizeof err);
  test_true(s == RELUCAP_EIO && net.depth == 0 && strstr(err, "bad_layer.csv:2:3: not a number") &&
            strstr(err, "(layer 2, listed at ") && strstr(err, "net6.txt:2:3)"), "error inside a listed file: %s", err);
  relucap_net_free(&net); /* the layer array of the failed load (depth 0) */
}

int main(void)
{
  snprintf(dir, sizeof dir, "/tmp/relucap_test_io_XXXXXX");
  if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
  test_csv_good();
  test_csv_bad();
  test_npy_good();
  test_npy_bad();
  test_net();
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
  return test_summary("test_io");
}

/* relucap/io.h - reading a user's ReLU network: matrices and vectors from CSV and NumPy .npy
 * files, and a network type (layers W, optional b) assembled from `W[,b]` specs or a manifest.
 *
 * The readers never print.  On failure they return RELUCAP_EIO (malformed or unreadable input),
 * RELUCAP_EINVAL (well-formed but unusable, e.g. shapes that do not chain) or RELUCAP_ENOMEM,
 * and write ONE line into the caller's message buffer `err` (errlen bytes, may be NULL):
 *     "FILE:LINE:COLUMN: what is wrong"      (CSV, .npy header, manifest)
 *     "FILE: row R, column C: what is wrong" (.npy data entries)
 *     "FILE: what is wrong"                  (no position applies)
 * Lines and columns count from 1; columns are byte columns.  All outputs are left empty
 * (NULL data, zero sizes) on failure, so the caller frees nothing.
 *
 * CSV: one matrix row per line; entries separated by commas and/or blanks (a comma between
 * two blanks is one separator; two commas with nothing between is an empty field = error);
 * `#` starts a comment to the end of the line; blank lines are skipped; CRLF accepted.
 * Entries are decimal or exponent numbers (strtod syntax without hex, nan or inf).
 *
 * .npy: format versions 1.0, 2.0 and 3.0; dtype '<f4' '>f4' '=f4' '<f8' '>f8' '=f8';
 * C or Fortran order; shape (), (k,) or (r, c).  The header dictionary is parsed (not pattern
 * matched); the declared size must equal the data size exactly, and sizes above
 * RELUCAP_IO_MAX_ENTRIES are refused before anything is allocated.
 *
 * Files are recognised by content: a file starting with the .npy magic "\x93NUMPY" is .npy,
 * anything else is CSV. */
#ifndef RELUCAP_IO_H
#define RELUCAP_IO_H

#include "relucap/common.h"
#include <stddef.h>

/* Largest matrix accepted (entries): 2^28 doubles = 2 GiB. */
#define RELUCAP_IO_MAX_ENTRIES ((size_t)1 << 28)
/* Largest file read (bytes). */
#define RELUCAP_IO_MAX_FILE ((size_t)1 << 32)

/* A dense row-major matrix: entry (i, j) is data[i * cols + j]. */
typedef struct {
  size_t rows; /* number of rows (>= 1 after a successful read) */
  size_t cols; /* number of columns (>= 1 after a successful read) */
  double *data;
} relucap_matrix;

void relucap_matrix_free(relucap_matrix *a); /* frees data, zeroes sizes; NULL is a no-op */

/* Parse CSV text buf[0..len) (need not be NUL-terminated); `name` is used in messages. */
int relucap_io_parse_csv(const char *buf, size_t len, const char *name, relucap_matrix *out,
                         char *err, size_t errlen);
/* Parse a whole .npy file image buf[0..len).  Shape () -> 1x1, (k,) -> k x 1, (r,c) -> r x c. */
int relucap_io_parse_npy(const unsigned char *buf, size_t len, const char *name,
                         relucap_matrix *out, char *err, size_t errlen);
/* Read a matrix from a file (CSV or .npy by content).  Refuses empty matrices, NaN and Inf. */
int relucap_io_read_matrix(const char *path, relucap_matrix *out, char *err, size_t errlen);
/* Read a vector: a matrix with one row or one column (one value per line, or all values on
 * one line).  *v is malloc'ed (caller frees), *n its length. */
int relucap_io_read_vector(const char *path, double **v, size_t *n, char *err, size_t errlen);

/* One layer x -> ReLU(W x + b), W is m x n. */
typedef struct {
  size_t m, n;   /* output and input width */
  double *W;     /* m x n row-major */
  double *b;     /* m entries, or NULL (no bias) */
} relucap_layer;

/* f(x) = ReLU(W_L ... ReLU(W_1 x + b_1) ... + b_L); layer k's n equals layer k-1's m. */
typedef struct {
  size_t depth;           /* number of layers L */
  relucap_layer *layers;  /* layers[0] acts first */
} relucap_net;

/* Append a layer given as "W" or "W,b" (two paths separated by the LAST comma; the bias
 * path is tried only if the whole spec is not an existing file).  Checks that the bias has m
 * entries and that n equals the previous layer's m.  On failure the net is unchanged. */
int relucap_net_add_spec(relucap_net *net, const char *spec, char *err, size_t errlen);
/* Append a layer from matrices already in memory (copied); same checks; `what` names it. */
int relucap_net_add_layer(relucap_net *net, const relucap_matrix *W, const double *b, size_t blen,
                          const char *what, char *err, size_t errlen);
/* Append every layer listed in a manifest: one layer per line, "W_PATH [B_PATH]", `#`
 * comments, blank lines ignored; relative paths are relative to the manifest's directory. */
int relucap_net_load_manifest(relucap_net *net, const char *path, char *err, size_t errlen);
void relucap_net_free(relucap_net *net); /* frees all layers; the struct becomes empty */
size_t relucap_net_input_dim(const relucap_net *net);  /* n of the first layer, 0 if empty */
size_t relucap_net_output_dim(const relucap_net *net); /* m of the last layer, 0 if empty */

/* y = f(x) (y has output_dim entries).  work: 2 * max width doubles, or NULL to allocate. */
int relucap_net_forward(const relucap_net *net, const double *x, double *y, double *work);

#endif

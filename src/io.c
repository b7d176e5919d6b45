/* Reading matrices, vectors and networks: CSV and NumPy .npy (see include/relucap/io.h).
 * Every failure writes one "file:line:column: message" line into the caller's buffer. */
#define _POSIX_C_SOURCE 200809L
#include "relucap/io.h"
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* Format the one-line message and return the status (keeps call sites to one line). */
static int io_fail(char *err, size_t errlen, int status, const char *fmt, ...)
#ifdef __GNUC__
  __attribute__((format(printf, 4, 5)))
#endif
  ;
static int io_fail(char *err, size_t errlen, int status, const char *fmt, ...)
{
  if (err && errlen > 0) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    for (char *c = err; *c; c++) /* one printable line: echoed input may hold control bytes */
      if ((unsigned char)*c < 32 || *c == 127) *c = '?';
  }
  return status;
}

void relucap_matrix_free(relucap_matrix *a)
{
  if (!a) return;
  free(a->data);
  a->data = NULL;
  a->rows = a->cols = 0;
}

/* ------------------------------------------------------------------ CSV */

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

/* Characters a decimal number may contain: rejects hex, nan, inf and every other word. */
static int is_number_char(char c)
{
  return (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.' || c == 'e' || c == 'E';
}

/* Case-insensitive: is tok (length n) one of [+-]nan, [+-]inf, [+-]infinity? */
static int is_nonfinite_word(const char *tok, size_t n)
{
  if (n > 0 && (tok[0] == '+' || tok[0] == '-')) { tok++; n--; }
  const char *words[] = {"nan", "inf", "infinity"};
  for (int w = 0; w < 3; w++) {
    size_t k = strlen(words[w]);
    if (n != k) continue;
    size_t i = 0;
    while (i < k && (tok[i] | 0x20) == words[w][i]) i++;
    if (i == k) return 1;
  }
  return 0;
}

/* Parse one token buf[0..n) as a finite double; on failure write the reason into why. */
static int parse_token(const char *tok, size_t n, double *v, const char **why)
{
  char small[80];
  if (is_nonfinite_word(tok, n)) { *why = "NaN or Inf entry (only finite numbers are allowed)"; return -1; }
  if (n > 4096) { *why = "number longer than 4096 characters"; return -1; }
  for (size_t i = 0; i < n; i++)
    if (!is_number_char(tok[i])) { *why = "not a number"; return -1; }
  char *tmp = n < sizeof small ? small : malloc(n + 1); /* exact decimals (e.g. of 1/3) can be long */
  if (!tmp) { *why = "out of memory"; return -1; }
  memcpy(tmp, tok, n);
  tmp[n] = '\0';
  char *end;
  errno = 0;
  double x = strtod(tmp, &end);
  int bad = end != tmp + n || end == tmp;
  if (tmp != small) free(tmp);
  if (bad) { *why = "not a number"; return -1; }
  if (!isfinite(x)) { *why = "number out of the range of a double"; return -1; }
  *v = x;
  return 0;
}

/* End of the line starting at pos: the next '\n' or a lone '\r' (old Mac files); *next gets
 * the start of the following line ('\r\n' is one break). */
static size_t line_end(const char *buf, size_t len, size_t pos, size_t *next)
{
  size_t eol = pos;
  while (eol < len && buf[eol] != '\n' && !(buf[eol] == '\r' && (eol + 1 == len || buf[eol + 1] != '\n'))) eol++;
  *next = eol + 1;
  return eol;
}

/* Length of a UTF-8 byte-order mark at the start of buf (0 or 3). */
static size_t bom_length(const char *buf, size_t len)
{
  return len >= 3 && (unsigned char)buf[0] == 0xEF && (unsigned char)buf[1] == 0xBB && (unsigned char)buf[2] == 0xBF
         ? 3 : 0;
}

/* Growable array of doubles. */
typedef struct {
  double *v;
  size_t n, cap;
} dvec;

static int dvec_push(dvec *d, double x)
{
  if (d->n == d->cap) {
    size_t cap = d->cap ? 2 * d->cap : 256;
    double *v = realloc(d->v, cap * sizeof *v);
    if (!v) return -1;
    d->v = v;
    d->cap = cap;
  }
  d->v[d->n++] = x;
  return 0;
}

int relucap_io_parse_csv(const char *buf, size_t len, const char *name, relucap_matrix *out,
                         char *err, size_t errlen)
{
  dvec d = {NULL, 0, 0};
  size_t rows = 0, cols = 0, first_line = 0, line = 1, pos = 0;
  int status = RELUCAP_SUCCESS;
  out->rows = out->cols = 0;
  out->data = NULL;
  pos = bom_length(buf, len); /* columns count characters after it: the mark is invisible */
  while (pos < len) {
    size_t line_start = pos, next, ncol = 0, comma_col = 0;
    size_t eol = line_end(buf, len, pos, &next);
    int comma_pending = 0;
    size_t p = pos;
    for (;;) {
      while (p < eol && is_blank(buf[p])) p++;
      if (p == eol || buf[p] == '#') {
        if (comma_pending) {
          status = io_fail(err, errlen, RELUCAP_EIO, "%s:%zu:%zu: empty field after ','", name,
                           line, comma_col);
          goto fail;
        }
        break;
      }
      size_t col = p - line_start + 1;
      if (buf[p] == ',') {
        if (ncol == 0 || comma_pending) {
          status = io_fail(err, errlen, RELUCAP_EIO, "%s:%zu:%zu: empty field before ','", name,
                           line, col);
          goto fail;
        }
        comma_pending = 1;
        comma_col = col;
        p++;
        continue;
      }
      size_t start = p;
      while (p < eol && !is_blank(buf[p]) && buf[p] != ',' && buf[p] != '#') p++;
      double v;
      const char *why = NULL;
      if (parse_token(buf + start, p - start, &v, &why)) {
        int shown = (int)(p - start > 24 ? 24 : p - start);
        status = io_fail(err, errlen, RELUCAP_EIO, "%s:%zu:%zu: %s: '%.*s%s'", name, line, col, why,
                         shown, buf + start, p - start > 24 ? "..." : "");
        goto fail;
      }
      if (d.n >= RELUCAP_IO_MAX_ENTRIES) {
        status = io_fail(err, errlen, RELUCAP_EIO, "%s:%zu:%zu: more than %zu entries", name, line,
                         col, (size_t)RELUCAP_IO_MAX_ENTRIES);
        goto fail;
      }
      if (dvec_push(&d, v)) {
        status = io_fail(err, errlen, RELUCAP_ENOMEM, "%s: out of memory", name);
        goto fail;
      }
      ncol++;
      comma_pending = 0;
    }
    if (ncol > 0) {
      if (rows == 0) {
        cols = ncol;
        first_line = line;
      } else if (ncol != cols) {
        status = io_fail(err, errlen, RELUCAP_EIO,
                         "%s:%zu:1: ragged row: %zu entries, but line %zu has %zu", name, line,
                         ncol, first_line, cols);
        goto fail;
      }
      rows++;
    }
    pos = next;
    line++;
  }
  if (rows == 0) {
    status = io_fail(err, errlen, RELUCAP_EIO, "%s:1:1: no numbers (empty file or only comments)",
                     name);
    goto fail;
  }
  out->rows = rows;
  out->cols = cols;
  out->data = d.v;
  return RELUCAP_SUCCESS;
fail:
  free(d.v);
  return status;
}

/* ------------------------------------------------------------------ .npy */

typedef struct {
  const char *s;    /* header text */
  size_t n, p;      /* length, cursor */
  size_t base_col;  /* file column of s[0] minus 1 */
} hdr_cursor;

static void hdr_ws(hdr_cursor *h)
{
  while (h->p < h->n && (h->s[h->p] == ' ' || h->s[h->p] == '\t' || h->s[h->p] == '\n' ||
                         h->s[h->p] == '\r'))
    h->p++;
}

static size_t hdr_col(const hdr_cursor *h) { return h->base_col + h->p + 1; }

/* A Python string literal in ' or " quotes (no escapes needed for the three keys/dtypes). */
static int hdr_string(hdr_cursor *h, char *out, size_t outlen)
{
  if (h->p >= h->n || (h->s[h->p] != '\'' && h->s[h->p] != '"')) return -1;
  char q = h->s[h->p++];
  size_t k = 0;
  while (h->p < h->n && h->s[h->p] != q) {
    if (k + 1 >= outlen || h->s[h->p] == '\\') return -1;
    out[k++] = h->s[h->p++];
  }
  if (h->p >= h->n) return -1;
  h->p++;
  out[k] = '\0';
  return 0;
}

static int hdr_word(hdr_cursor *h, const char *w)
{
  size_t k = strlen(w);
  if (h->n - h->p < k || memcmp(h->s + h->p, w, k) != 0) return 0;
  h->p += k;
  return 1;
}

/* Shape tuple "(a, b, ...)" with an optional trailing comma; at most 8 entries kept. */
static int hdr_shape(hdr_cursor *h, uint64_t *dims, int *ndim, const char **why)
{
  *ndim = 0;
  if (h->p >= h->n || h->s[h->p] != '(') { *why = "expected a shape tuple '('"; return -1; }
  h->p++;
  for (;;) {
    hdr_ws(h);
    if (h->p < h->n && h->s[h->p] == ')') { h->p++; return 0; }
    if (h->p >= h->n || h->s[h->p] < '0' || h->s[h->p] > '9') {
      *why = "expected a non-negative integer in the shape";
      return -1;
    }
    uint64_t v = 0;
    while (h->p < h->n && h->s[h->p] >= '0' && h->s[h->p] <= '9') {
      if (v > (UINT64_MAX - 9) / 10) { *why = "absurd declared size (shape entry overflows)"; return -1; }
      v = 10 * v + (uint64_t)(h->s[h->p++] - '0');
    }
    if (h->p < h->n && h->s[h->p] == 'L') h->p++; /* Python 2 long suffix */
    if (*ndim >= 8) { *why = "too many dimensions"; return -1; }
    dims[(*ndim)++] = v;
    hdr_ws(h);
    if (h->p < h->n && h->s[h->p] == ',') { h->p++; continue; }
    if (h->p < h->n && h->s[h->p] == ')') { h->p++; return 0; }
    *why = "expected ',' or ')' in the shape";
    return -1;
  }
}

static int host_is_little(void)
{
  const uint16_t one = 1;
  unsigned char c;
  memcpy(&c, &one, 1);
  return c == 1;
}

/* Entry k of the data block as a double (itemsize 4 or 8, swap if the byte order differs). */
static double npy_entry(const unsigned char *data, size_t k, int itemsize, int swap)
{
  unsigned char b[8];
  memcpy(b, data + k * (size_t)itemsize, (size_t)itemsize);
  if (swap)
    for (int i = 0; i < itemsize / 2; i++) {
      unsigned char t = b[i];
      b[i] = b[itemsize - 1 - i];
      b[itemsize - 1 - i] = t;
    }
  if (itemsize == 4) {
    float f;
    memcpy(&f, b, 4);
    return (double)f;
  }
  double x;
  memcpy(&x, b, 8);
  return x;
}

int relucap_io_parse_npy(const unsigned char *buf, size_t len, const char *name,
                         relucap_matrix *out, char *err, size_t errlen)
{
  static const unsigned char magic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
  out->rows = out->cols = 0;
  out->data = NULL;
  if (len < 10 || memcmp(buf, magic, 6) != 0)
    return io_fail(err, errlen, RELUCAP_EIO, "%s:1:1: truncated .npy preamble (%zu bytes)", name, len);
  int major = buf[6];
  size_t hlen, start;
  if (major == 1) {
    hlen = (size_t)buf[8] | (size_t)buf[9] << 8;
    start = 10;
  } else if (major == 2 || major == 3) {
    if (len < 12) return io_fail(err, errlen, RELUCAP_EIO, "%s:1:1: truncated .npy preamble", name);
    hlen = (size_t)buf[8] | (size_t)buf[9] << 8 | (size_t)buf[10] << 16 | (size_t)buf[11] << 24;
    start = 12;
  } else {
    return io_fail(err, errlen, RELUCAP_EIO, "%s:1:7: unsupported .npy format version %d.%d", name,
                   major, buf[7]);
  }
  if (hlen > len - start)
    return io_fail(err, errlen, RELUCAP_EIO,
                   "%s:1:%zu: truncated .npy header (declares %zu bytes, %zu present)", name,
                   start + 1, hlen, len - start);

  hdr_cursor h = {(const char *)buf + start, hlen, 0, start};
  char key[32], descr[16] = "";
  int have_descr = 0, have_order = 0, have_shape = 0, fortran = 0, ndim = 0;
  uint64_t dims[8];
  const char *why = NULL;
  hdr_ws(&h);
  if (h.p >= h.n || h.s[h.p] != '{') { why = "expected '{' opening the header dictionary"; goto bad; }
  h.p++;
  for (;;) {
    hdr_ws(&h);
    if (h.p < h.n && h.s[h.p] == '}') { h.p++; break; }
    size_t key_col = hdr_col(&h);
    if (hdr_string(&h, key, sizeof key)) { why = "expected a quoted key"; goto bad; }
    hdr_ws(&h);
    if (h.p >= h.n || h.s[h.p] != ':') { why = "expected ':' after the key"; goto bad; }
    h.p++;
    hdr_ws(&h);
    if (strcmp(key, "descr") == 0 && !have_descr) {
      if (hdr_string(&h, descr, sizeof descr)) { why = "expected a dtype string"; goto bad; }
      have_descr = 1;
    } else if (strcmp(key, "fortran_order") == 0 && !have_order) {
      if (hdr_word(&h, "True")) fortran = 1;
      else if (hdr_word(&h, "False")) fortran = 0;
      else { why = "expected True or False"; goto bad; }
      have_order = 1;
    } else if (strcmp(key, "shape") == 0 && !have_shape) {
      if (hdr_shape(&h, dims, &ndim, &why)) goto bad;
      have_shape = 1;
    } else {
      return io_fail(err, errlen, RELUCAP_EIO, "%s:1:%zu: unexpected or repeated key '%s' in the .npy header",
                     name, key_col, key);
    }
    hdr_ws(&h);
    if (h.p < h.n && h.s[h.p] == ',') { h.p++; continue; }
    if (h.p < h.n && h.s[h.p] == '}') { h.p++; break; }
    why = "expected ',' or '}' in the header dictionary";
    goto bad;
  }
  hdr_ws(&h);
  if (h.p != h.n) { why = "unexpected text after the header dictionary"; goto bad; }
  if (!have_descr || !have_order || !have_shape) {
    return io_fail(err, errlen, RELUCAP_EIO, "%s:1:%zu: .npy header lacks '%s'", name, start + 1,
                   !have_descr ? "descr" : !have_order ? "fortran_order" : "shape");
  }
  /* dtype: float32 or float64 in an explicit or native byte order */
  int itemsize = 0, file_little = host_is_little();
  if (strlen(descr) == 3 && (descr[0] == '<' || descr[0] == '>' || descr[0] == '=') &&
      descr[1] == 'f' && (descr[2] == '4' || descr[2] == '8')) {
    itemsize = descr[2] - '0';
    if (descr[0] == '<') file_little = 1;
    if (descr[0] == '>') file_little = 0;
  } else {
    return io_fail(err, errlen, RELUCAP_EIO,
                   "%s: unsupported dtype '%s' (float32 or float64 only: '<f4', '>f8', ...)", name, descr);
  }
  if (ndim > 2)
    return io_fail(err, errlen, RELUCAP_EIO, "%s: %d-dimensional array (a matrix or vector is needed)", name, ndim);
  uint64_t r = ndim >= 1 ? dims[0] : 1, c = ndim == 2 ? dims[1] : 1;
  if (r == 0 || c == 0)
    return io_fail(err, errlen, RELUCAP_EIO, "%s: matrix with zero rows or columns (shape %llu x %llu)",
                   name, (unsigned long long)r, (unsigned long long)c);
  /* refuse absurd sizes before any arithmetic can overflow and before allocating */
  if (r > RELUCAP_IO_MAX_ENTRIES || c > RELUCAP_IO_MAX_ENTRIES || r * c > RELUCAP_IO_MAX_ENTRIES)
    return io_fail(err, errlen, RELUCAP_EIO, "%s: absurd declared size %llu x %llu (limit %zu entries)",
                   name, (unsigned long long)r, (unsigned long long)c, (size_t)RELUCAP_IO_MAX_ENTRIES);
  size_t count = (size_t)(r * c), need = count * (size_t)itemsize, have = len - start - hlen;
  if (have < need)
    return io_fail(err, errlen, RELUCAP_EIO,
                   "%s: data truncated: the header declares %llu x %llu float%d (%zu bytes), the file holds %zu",
                   name, (unsigned long long)r, (unsigned long long)c, 8 * itemsize, need, have);
  if (have > need)
    return io_fail(err, errlen, RELUCAP_EIO,
                   "%s: %zu bytes after the data declared by the header (%llu x %llu float%d)", name,
                   have - need, (unsigned long long)r, (unsigned long long)c, 8 * itemsize);
  double *a = malloc(count * sizeof *a);
  if (!a) return io_fail(err, errlen, RELUCAP_ENOMEM, "%s: out of memory", name);
  const unsigned char *data = buf + start + hlen;
  int swap = file_little != host_is_little();
  for (size_t k = 0; k < count; k++) {
    size_t i = fortran ? k % (size_t)r : k / (size_t)c, j = fortran ? k / (size_t)r : k % (size_t)c;
    double x = npy_entry(data, k, itemsize, swap);
    if (!isfinite(x)) {
      free(a);
      return io_fail(err, errlen, RELUCAP_EIO, "%s: row %zu, column %zu: %s entry (only finite numbers are allowed)",
                     name, i + 1, j + 1, isnan(x) ? "NaN" : "Inf");
    }
    a[i * (size_t)c + j] = x;
  }
  out->rows = (size_t)r;
  out->cols = (size_t)c;
  out->data = a;
  return RELUCAP_SUCCESS;
bad:
  return io_fail(err, errlen, RELUCAP_EIO, "%s:1:%zu: %s", name, hdr_col(&h), why);
}

/* ------------------------------------------------------------------ files */

/* Read a whole file into memory (*buf malloc'ed, *len bytes). */
/* fopen(path, "rb"), except that a FIFO is opened without waiting for a writer (open(2) would
 * block forever): with none, the read sees end of file ("empty file"); with one, reads block as
 * usual once O_NONBLOCK is cleared. */
static FILE *open_for_reading(const char *path, const struct stat *st)
{
  if (!S_ISFIFO(st->st_mode)) return fopen(path, "rb");
  int fd = open(path, O_RDONLY | O_NONBLOCK);
  if (fd < 0) return NULL;
  int fl = fcntl(fd, F_GETFL);
  if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) { close(fd); return NULL; }
  FILE *f = fdopen(fd, "rb");
  if (!f) close(fd);
  return f;
}

static int read_file(const char *path, unsigned char **buf, size_t *len, char *err, size_t errlen)
{
  *buf = NULL;
  *len = 0;
  struct stat st;
  if (stat(path, &st) != 0) memset(&st, 0, sizeof st); /* fopen then reports the error */
  if (S_ISDIR(st.st_mode)) return io_fail(err, errlen, RELUCAP_EIO, "%s: is a directory", path);
  FILE *f = open_for_reading(path, &st);
  if (!f) return io_fail(err, errlen, RELUCAP_EIO, "%s: cannot open: %s", path, strerror(errno));
  size_t cap = 0, n = 0;
  unsigned char *b = NULL;
  for (;;) {
    if (n == cap) {
      if (cap >= RELUCAP_IO_MAX_FILE) {
        free(b);
        fclose(f);
        return io_fail(err, errlen, RELUCAP_EIO, "%s: file larger than %zu bytes", path,
                       (size_t)RELUCAP_IO_MAX_FILE);
      }
      cap = cap ? 2 * cap : 65536;
      unsigned char *nb = realloc(b, cap);
      if (!nb) {
        free(b);
        fclose(f);
        return io_fail(err, errlen, RELUCAP_ENOMEM, "%s: out of memory", path);
      }
      b = nb;
    }
    size_t got = fread(b + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    free(b);
    return io_fail(err, errlen, RELUCAP_EIO, "%s: read error", path);
  }
  if (n == 0) {
    free(b);
    return io_fail(err, errlen, RELUCAP_EIO, "%s: empty file", path);
  }
  *buf = b;
  *len = n;
  return RELUCAP_SUCCESS;
}

int relucap_io_read_matrix(const char *path, relucap_matrix *out, char *err, size_t errlen)
{
  unsigned char *buf;
  size_t len;
  out->rows = out->cols = 0;
  out->data = NULL;
  int s = read_file(path, &buf, &len, err, errlen);
  if (s) return s;
  if (len >= 6 && memcmp(buf, "\x93NUMPY", 6) == 0)
    s = relucap_io_parse_npy(buf, len, path, out, err, errlen);
  else
    s = relucap_io_parse_csv((const char *)buf, len, path, out, err, errlen);
  free(buf);
  return s;
}

int relucap_io_read_vector(const char *path, double **v, size_t *n, char *err, size_t errlen)
{
  relucap_matrix a;
  *v = NULL;
  *n = 0;
  int s = relucap_io_read_matrix(path, &a, err, errlen);
  if (s) return s;
  if (a.rows != 1 && a.cols != 1) {
    s = io_fail(err, errlen, RELUCAP_EIO,
                "%s: expected a vector (one value per line or all on one line), got a %zu x %zu matrix",
                path, a.rows, a.cols);
    relucap_matrix_free(&a);
    return s;
  }
  *v = a.data;
  *n = a.rows * a.cols;
  return RELUCAP_SUCCESS;
}

/* ------------------------------------------------------------------ networks */

size_t relucap_net_input_dim(const relucap_net *net) { return net->depth ? net->layers[0].n : 0; }
size_t relucap_net_output_dim(const relucap_net *net)
{
  return net->depth ? net->layers[net->depth - 1].m : 0;
}

void relucap_net_free(relucap_net *net)
{
  if (!net) return;
  for (size_t k = 0; k < net->depth; k++) {
    free(net->layers[k].W);
    free(net->layers[k].b);
  }
  free(net->layers);
  net->layers = NULL;
  net->depth = 0;
}

int relucap_net_add_layer(relucap_net *net, const relucap_matrix *W, const double *b, size_t blen,
                          const char *what, char *err, size_t errlen)
{
  size_t k = net->depth;
  if (!W->data || W->rows == 0 || W->cols == 0)
    return io_fail(err, errlen, RELUCAP_EINVAL, "%s: matrix with zero rows or columns", what);
  if (k > 0 && net->layers[k - 1].m != W->cols)
    return io_fail(err, errlen, RELUCAP_EINVAL,
                   "%s: layer %zu has %zu columns (inputs), but layer %zu has %zu rows (outputs): shapes do not chain",
                   what, k + 1, W->cols, k, net->layers[k - 1].m);
  if (b && blen != W->rows)
    return io_fail(err, errlen, RELUCAP_EINVAL,
                   "%s: bias of layer %zu has %zu entries, its weight matrix has %zu rows", what,
                   k + 1, blen, W->rows);
  relucap_layer L = {W->rows, W->cols, malloc(W->rows * W->cols * sizeof(double)),
                     b ? malloc(W->rows * sizeof(double)) : NULL};
  relucap_layer *ls = realloc(net->layers, (k + 1) * sizeof *ls);
  if (!L.W || (b && !L.b) || !ls) {
    free(L.W);
    free(L.b);
    if (ls) net->layers = ls;
    return io_fail(err, errlen, RELUCAP_ENOMEM, "%s: out of memory", what);
  }
  memcpy(L.W, W->data, W->rows * W->cols * sizeof(double));
  if (b) memcpy(L.b, b, W->rows * sizeof(double));
  net->layers = ls;
  net->layers[k] = L;
  net->depth = k + 1;
  return RELUCAP_SUCCESS;
}

static int file_exists(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0;
}

/* Load W (and b if bpath) and append; `what` names the layer in shape messages. */
static int add_files(relucap_net *net, const char *wpath, const char *bpath, char *err, size_t errlen)
{
  relucap_matrix W;
  double *b = NULL;
  size_t blen = 0;
  int s = relucap_io_read_matrix(wpath, &W, err, errlen);
  if (s) return s;
  if (bpath) {
    s = relucap_io_read_vector(bpath, &b, &blen, err, errlen);
    if (s) {
      relucap_matrix_free(&W);
      return s;
    }
  }
  s = relucap_net_add_layer(net, &W, b, blen, bpath && blen != W.rows ? bpath : wpath, err, errlen);
  relucap_matrix_free(&W);
  free(b);
  return s;
}

int relucap_net_add_spec(relucap_net *net, const char *spec, char *err, size_t errlen)
{
  const char *comma = strrchr(spec, ',');
  if (!comma || file_exists(spec)) return add_files(net, spec, NULL, err, errlen);
  size_t wl = (size_t)(comma - spec);
  char *wpath = malloc(wl + 1);
  if (!wpath) return io_fail(err, errlen, RELUCAP_ENOMEM, "out of memory");
  memcpy(wpath, spec, wl);
  wpath[wl] = '\0';
  int s;
  if (wl == 0 || comma[1] == '\0')
    s = io_fail(err, errlen, RELUCAP_EIO, "%s: expected W or W,b (two file names)", spec);
  else
    s = add_files(net, wpath, comma + 1, err, errlen);
  free(wpath);
  return s;
}

/* dir/rel unless rel is absolute (malloc'ed). */
static char *join_path(const char *manifest, const char *rel, size_t rlen)
{
  const char *slash = strrchr(manifest, '/');
  size_t dl = (rel[0] == '/' || !slash) ? 0 : (size_t)(slash - manifest) + 1;
  char *p = malloc(dl + rlen + 1);
  if (!p) return NULL;
  memcpy(p, manifest, dl);
  memcpy(p + dl, rel, rlen);
  p[dl + rlen] = '\0';
  return p;
}

int relucap_net_load_manifest(relucap_net *net, const char *path, char *err, size_t errlen)
{
  unsigned char *buf;
  size_t len;
  int s = read_file(path, &buf, &len, err, errlen);
  if (s) return s;
  const char *t = (const char *)buf;
  size_t pos = bom_length(t, len), line = 1, added = 0, depth0 = net->depth, next;
  while (pos < len && s == RELUCAP_SUCCESS) {
    size_t line_start = line == 1 ? bom_length(t, len) : pos, eol = line_end(t, len, pos, &next);
    size_t tok_start[3], tok_len[3], ntok = 0, p = pos;
    for (;;) {
      while (p < eol && is_blank(t[p])) p++;
      if (p == eol || t[p] == '#') break;
      size_t st = p;
      while (p < eol && !is_blank(t[p]) && t[p] != '#') p++;
      if (ntok == 2) {
        s = io_fail(err, errlen, RELUCAP_EIO, "%s:%zu:%zu: expected 'W_PATH [B_PATH]' per line", path,
                    line, st - line_start + 1);
        break;
      }
      tok_start[ntok] = st;
      tok_len[ntok++] = p - st;
    }
    if (s == RELUCAP_SUCCESS && ntok > 0) {
      char *w = join_path(path, t + tok_start[0], tok_len[0]);
      char *b = ntok == 2 ? join_path(path, t + tok_start[1], tok_len[1]) : NULL;
      if (!w || (ntok == 2 && !b)) s = io_fail(err, errlen, RELUCAP_ENOMEM, "out of memory");
      else s = add_files(net, w, b, err, errlen);
      if (s && s != RELUCAP_ENOMEM && err) { /* name the manifest line too, after the file's own position */
        size_t used = strlen(err);
        if (used < errlen) snprintf(err + used, errlen - used, " (layer %zu, listed at %s:%zu:%zu)", added + 1, path, line,
                                    tok_start[0] - line_start + 1);
      }
      free(w);
      free(b);
      added++;
    }
    pos = next;
    line++;
  }
  if (s == RELUCAP_SUCCESS && added == 0)
    s = io_fail(err, errlen, RELUCAP_EIO, "%s:1:1: manifest lists no layers", path);
  if (s != RELUCAP_SUCCESS) { /* leave the net as it was */
    while (net->depth > depth0) {
      net->depth--;
      free(net->layers[net->depth].W);
      free(net->layers[net->depth].b);
    }
  }
  free(buf);
  return s;
}

int relucap_net_forward(const relucap_net *net, const double *x, double *y, double *work)
{
  if (!net || net->depth == 0 || !x || !y) RELUCAP_ERROR("empty network or NULL vector", RELUCAP_EINVAL);
  size_t wmax = 0;
  for (size_t k = 0; k < net->depth; k++) {
    if (net->layers[k].m > wmax) wmax = net->layers[k].m;
    if (net->layers[k].n > wmax) wmax = net->layers[k].n;
  }
  double *own = NULL;
  if (!work) {
    own = work = malloc(2 * wmax * sizeof *work);
    if (!own) RELUCAP_ERROR("out of memory", RELUCAP_ENOMEM);
  }
  double *in = work, *outv = work + wmax;
  memcpy(in, x, net->layers[0].n * sizeof *in);
  for (size_t k = 0; k < net->depth; k++) {
    const relucap_layer *L = &net->layers[k];
    for (size_t i = 0; i < L->m; i++) {
      double s = L->b ? L->b[i] : 0.0; /* h_i = max(0, w_i . x + b_i) */
      for (size_t j = 0; j < L->n; j++) s += L->W[i * L->n + j] * in[j];
      outv[i] = s > 0 ? s : 0.0;
    }
    double *t = in;
    in = outv;
    outv = t;
  }
  memcpy(y, in, net->layers[net->depth - 1].m * sizeof *y);
  free(own);
  return RELUCAP_SUCCESS;
}

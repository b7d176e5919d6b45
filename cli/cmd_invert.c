/* relucap invert: recover x from y = f(x) for a given ReLU network. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "netargs.h"
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void help(void)
{
  printf(
    "NAME\n  relucap invert - recover the input of a ReLU network from its output\n\n"
    "SYNOPSIS\n  relucap invert --layer W.csv[,b.csv] [--layer ...] [--net MANIFEST] --output Y\n"
    "                 [--save X.csv] [--time-limit S] [--json]\n\n"
    "DESCRIPTION\n"
    "  Given y = f(x), f(x) = ReLU(W_L ... ReLU(W_1 x + b_1) ... + b_L), solves layer by layer from\n"
    "  the last: rows with y_i > 1e-9 max|y| are active (w_i.h + b_i = y_i, least squares by SVD);\n"
    "  if they leave a null space, the inactive rows' signs (w_i.h + b_i <= 0) and h >= 0 for hidden\n"
    "  layers become LP constraints and the most interior point is taken (docs/check.md, sec. 6).\n"
    "  Reports the relative residual |f(x) - y| / |y|, whether x is unique, and otherwise the\n"
    "  dimension of the set of inputs of the first non-unique layer.  When that fails, or a later\n"
    "  layer has many preimages (the one chosen may lie outside the image of the layers before\n"
    "  it), the exact preimage is computed over the linear regions of layers 1..L-1: layer L's\n"
    "  pattern is read off y and one LP per region finds x (docs/check.md, sec. 6a).\n\n"
    "OPTIONS\n"
    "  --layer W[,b]    a layer (CSV or .npy), repeatable; --net FILE: a manifest (see relucap check)\n"
    "  --output Y       the output vector y (CSV or .npy; one value per line or all on one line)\n"
    "  --save FILE      also write x to FILE (one value per line; written only on success)\n"
    "  --time-limit S   seconds for the exact region solve, > 0 (default 60)\n"
    "  --json           one JSON object instead of text\n\n"
    "OUTPUT\n"
    "  text: x one value per line, then '# residual R' and '# unique yes|no (dimension D)' lines\n"
    "  (the output is itself a valid vector file).  --json: x, residual, unique, dimension, layer,\n"
    "  method (layers or regions), and for regions: regions, solutions, complete.\n\n"
    "EXIT STATUS\n  0 success; 2 bad option or input (one line naming file, line and column), output of the\n"
    "  wrong length; 3 no input produces y (the residual is printed on stderr), numerical failure.\n\n"
    "EXAMPLE\n  relucap invert --layer tests/data/bminusb.csv --output tests/data/y_bminusb.csv --json\n");
}

static int write_vector(FILE *f, const double *x, size_t n)
{
  int ok = f != NULL;
  for (size_t j = 0; ok && j < n; j++) ok = fprintf(f, "%.17g\n", x[j] == 0 ? 0.0 : x[j]) > 0; /* no -0 */
  return ok;
}

/* Write x to path through a temporary file renamed into place: no partial files.  A symlink is
 * written through (the temporary file goes next to its target, which is replaced); an existing
 * non-regular file (a device, a FIFO) is written directly, as rename would replace the node. */
static int save_vector(const char *path, const double *x, size_t n)
{
  struct stat st;
  if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
    FILE *f = fopen(path, "w");
    int ok = write_vector(f, x, n);
    if (f && fclose(f) != 0) ok = 0;
    return ok ? 0 : -1;
  }
  char *real = lstat(path, &st) == 0 && S_ISLNK(st.st_mode) ? realpath(path, NULL) : NULL;
  if (real) path = real;
  size_t len = strlen(path) + 32;
  char *tmp = malloc(len);
  if (!tmp) { free(real); return -1; }
  snprintf(tmp, len, "%s.tmp%ld", path, (long)getpid());
  FILE *f = fopen(tmp, "w");
  int ok = write_vector(f, x, n);
  if (f && fclose(f) != 0) ok = 0;
  if (ok && rename(tmp, path) != 0) ok = 0;
  if (!ok) remove(tmp);
  free(tmp);
  free(real);
  return ok ? 0 : -1;
}

/* Can --save write path?  Checked before the solve, so that a typo costs no computation: an
 * existing target must be writable and not a directory, a new one needs a writable directory. */
static int save_target_ok(const char *path, char *err, size_t errlen)
{
  struct stat st;
  if (stat(path, &st) == 0) {
    if (S_ISDIR(st.st_mode)) { snprintf(err, errlen, "--save %s: is a directory", path); return 0; }
    if (access(path, W_OK) != 0) { snprintf(err, errlen, "--save %s: %s", path, strerror(errno)); return 0; }
    if (!S_ISREG(st.st_mode)) return 1; /* a device or FIFO is written in place */
  }
  const char *slash = strrchr(path, '/');
  size_t dl = slash ? (size_t)(slash - path) + (slash == path) : 0;
  char *dir = malloc(dl + 2);
  if (!dir) { snprintf(err, errlen, "--save %s: out of memory", path); return 0; }
  if (dl) memcpy(dir, path, dl); else dir[dl++] = '.';
  dir[dl] = '\0';
  int ok = access(dir, W_OK | X_OK) == 0;
  if (!ok) snprintf(err, errlen, "--save %s: directory %s: %s", path, dir, strerror(errno));
  free(dir);
  return ok;
}

int cmd_invert(int argc, char **argv)
{
  const char *cmd = "invert", *ypath = NULL, *save = NULL;
  relucap_net net = {0, NULL};
  int json = 0, rc = 0;
  double time_limit = 60;
  for (int i = 1; i < argc; i++) {
    rc = netargs_parse_common(cmd, argc, argv, &i, &net, help, &time_limit);
    if (rc == NETARGS_PARSED) continue;
    if (rc != NETARGS_OTHER) return rc;
    if (strcmp(argv[i], "--json") == 0) { json = 1; continue; }
    if (strcmp(argv[i], "--output") == 0 || strcmp(argv[i], "--save") == 0) {
      const char *v;
      if ((rc = cli_value(cmd, argc, argv, &i, &v))) { relucap_net_free(&net); return rc; }
      if (argv[i - 1][2] == 'o') ypath = v; else save = v;
      continue;
    }
    relucap_net_free(&net);
    return cli_usage_error(cmd, "unknown option '%s'", argv[i]);
  }
  if ((rc = netargs_need_network(cmd, &net))) return rc;
  if (!ypath) { relucap_net_free(&net); return cli_usage_error(cmd, "--output Y is required (the vector to invert)"); }
  double *y = NULL;
  size_t ny = 0;
  char err[1024];
  if (save && !save_target_ok(save, err, sizeof err)) {
    relucap_net_free(&net);
    return netargs_input_error(err);
  }
  if (relucap_io_read_vector(ypath, &y, &ny, err, sizeof err)) {
    relucap_net_free(&net);
    return netargs_input_error(err);
  }
  if (ny != relucap_net_output_dim(&net)) {
    snprintf(err, sizeof err, "%s: output has %zu entries, the network has %zu outputs", ypath, ny,
             relucap_net_output_dim(&net));
    free(y);
    relucap_net_free(&net);
    return netargs_input_error(err);
  }
  for (size_t i = 0; i < ny; i++)
    if (y[i] < 0) {
      snprintf(err, sizeof err, "%s: entry %zu is %.17g < 0, not an output of a ReLU network", ypath, i + 1, y[i]);
      free(y);
      relucap_net_free(&net);
      return netargs_input_error(err);
    }
  relucap_invert_result res;
  int st = relucap_net_invert_exact(&net, y, 1e-8, time_limit, &res);
  size_t n = relucap_net_input_dim(&net);
  free(y);
  relucap_net_free(&net);
  if (st == RELUCAP_EINFEAS) {
    rc = cli_numeric_error("invert: no input produces %s: relative residual %.3g at the best point found", ypath,
                           res.residual);
    relucap_invert_result_free(&res);
    return rc;
  }
  if (st) {
    relucap_invert_result_free(&res);
    return cli_numeric_error("invert: %s", relucap_strerror(st));
  }
  errno = 0;
  if (save && save_vector(save, res.x, n)) { /* (a full disk, /dev/full): no file is left */
    snprintf(err, sizeof err, "--save %s: cannot write: %s", save, errno ? strerror(errno) : "write failed");
    relucap_invert_result_free(&res);
    return netargs_input_error(err);
  }
  if (json) {
    cli_json j;
    json_begin(&j, stdout);
    json_nums(&j, "x", res.x, (int)n);
    json_num(&j, "residual", res.residual);
    json_bool(&j, "unique", res.unique);
    json_int(&j, "dimension", (long)res.dim);
    if (res.unique) json_null(&j, "layer"); else json_int(&j, "layer", (long)res.dim_layer);
    json_str(&j, "method", res.by_regions ? "regions" : "layers");
    if (res.by_regions) {
      json_int(&j, "regions", (long)res.regions);
      json_int(&j, "solutions", (long)res.solutions);
      json_bool(&j, "complete", res.complete);
    }
    json_end(&j);
  } else {
    for (size_t k = 0; k < n; k++) printf("%.17g\n", res.x[k] == 0 ? 0.0 : res.x[k]);
    printf("# residual %.3g\n", res.residual);
    if (res.by_regions)
      printf("# exact preimage over the %zu linear regions of layers 1..L-1 (%s): %s%zu distinct solution%s\n",
             res.regions, res.complete ? "all examined" : "time limit: not all examined",
             res.solutions >= 2 ? "at least " : "", res.solutions, res.solutions == 1 ? "" : "s");
    if (res.unique) printf("# unique yes\n");
    else if (res.by_regions && !res.complete && res.solutions < 2) printf("# unique: not known (time limit)\n");
    else if (res.by_regions && res.dim == 0) printf("# unique no: at least two inputs give this output\n");
    else printf("# unique no: the inputs of layer %zu consistent with its output form a set of dimension %zu\n",
                res.dim_layer, res.dim);
  }
  relucap_invert_result_free(&res);
  return EXIT_OK;
}

/* Argument parsing and JSON output shared by every command. */
#include "cli.h"
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int cli_usage_error(const char *command, const char *fmt, ...)
{
  va_list ap;
  fputs("relucap: ", stderr);
  va_start(ap, fmt); vfprintf(stderr, fmt, ap); va_end(ap);
  if (command) fprintf(stderr, "\nTry 'relucap %s --help' for more information.\n", command);
  else fputs("\nTry 'relucap --help' for more information.\n", stderr);
  return EXIT_USAGE;
}

int cli_numeric_error(const char *fmt, ...)
{
  va_list ap;
  fputs("relucap: ", stderr);
  va_start(ap, fmt); vfprintf(stderr, fmt, ap); va_end(ap);
  fputc('\n', stderr);
  return EXIT_NUMERIC;
}

void cli_warning(const char *fmt, ...)
{
  va_list ap;
  fputs("relucap: warning: ", stderr);
  va_start(ap, fmt); vfprintf(stderr, fmt, ap); va_end(ap);
  fputc('\n', stderr);
}

int cli_is_help(const char *arg)
{
  return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

int cli_either(const char *cmd, const char *opt, const char *s, const char *first, const char *second,
               int *index)
{
  if (strcmp(s, first) == 0) *index = 0;
  else if (strcmp(s, second) == 0) *index = 1;
  else return cli_usage_error(cmd, "%s: expected '%s' or '%s', got '%s'", opt, first, second, s);
  return 0;
}

int cli_value(const char *cmd, int argc, char **argv, int *i, const char **val)
{
  if (*i + 1 >= argc)
    return cli_usage_error(cmd, "%s: missing value", argv[*i]);
  *val = argv[++*i];
  return 0;
}

static int parse_finite(const char *s, double *out)
{
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  /* ERANGE on underflow (1e-320) still gives the nearest double: the range checks decide */
  if (end == s || *end != '\0' || (errno == ERANGE && fabs(v) > DBL_MIN) || !isfinite(v)) return -1;
  *out = v;
  return 0;
}

int cli_double(const char *cmd, const char *opt, const char *s, double lo, int lo_open,
               double hi, int hi_open, double *out)
{
  double v;
  if (parse_finite(s, &v))
    return cli_usage_error(cmd, "%s: expected a finite number, got '%s'", opt, s);
  if (v < lo || (lo_open && v == lo) || v > hi || (hi_open && v == hi))
    return cli_usage_error(cmd, "%s: expected a number in %c%g, %g%c, got '%s'", opt,
                           lo_open ? '(' : '[', lo, hi, hi_open ? ')' : ']', s);
  *out = v;
  return 0;
}

int cli_int(const char *cmd, const char *opt, const char *s, long lo, long hi, long *out)
{
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (end == s || *end != '\0' || errno == ERANGE || v < lo || v > hi)
    return cli_usage_error(cmd, "%s: expected an integer in [%ld, %ld], got '%s'", opt, lo, hi, s);
  *out = v;
  return 0;
}

int cli_double_list(const char *cmd, const char *opt, const char *s, double *out, int max, int *n)
{
  char buf[4096];
  if (strlen(s) >= sizeof buf) return cli_usage_error(cmd, "%s: list too long", opt);
  strcpy(buf, s);
  *n = 0;
  if (buf[0] == '\0') return cli_usage_error(cmd, "%s: empty list", opt);
  char *p = buf;
  for (;;) {
    char *comma = strchr(p, ',');
    if (comma) *comma = '\0';
    double v;
    if (parse_finite(p, &v))
      return cli_usage_error(cmd, "%s: entry %d: expected a finite number, got '%s'", opt, *n + 1, p);
    if (v <= 0)
      return cli_usage_error(cmd, "%s: entry %d: expected a positive number, got '%s'", opt, *n + 1, p);
    if (*n >= max) return cli_usage_error(cmd, "%s: at most %d entries allowed", opt, max);
    out[(*n)++] = v;
    if (!comma) break;
    p = comma + 1;
  }
  return 0;
}

/* ---- JSON ---- */
static void json_sep(cli_json *j, const char *key)
{
  if (!j->first[j->level]) fputc(',', j->f);
  j->first[j->level] = 0;
  if (key) fprintf(j->f, "\"%s\":", key);
}

void json_begin(cli_json *j, FILE *f)
{
  j->f = f; j->level = 0; j->first[0] = 1;
  fputc('{', f);
}

void json_end(cli_json *j) { fputs("}\n", j->f); }

void json_object(cli_json *j, const char *key)
{
  json_sep(j, key); fputc('{', j->f);
  j->first[++j->level] = 1;
}

void json_array(cli_json *j, const char *key)
{
  json_sep(j, key); fputc('[', j->f);
  j->first[++j->level] = 1;
}

void json_close_object(cli_json *j) { fputc('}', j->f); j->level--; }
void json_close_array(cli_json *j) { fputc(']', j->f); j->level--; }

void json_num(cli_json *j, const char *key, double v)
{
  json_sep(j, key);
  if (isfinite(v)) fprintf(j->f, "%.17g", v == 0 ? 0.0 : v); /* -0 prints as 0 */
  else fputs("null", j->f);
}

void json_int(cli_json *j, const char *key, long v) { json_sep(j, key); fprintf(j->f, "%ld", v); }

void json_str(cli_json *j, const char *key, const char *s)
{
  json_sep(j, key);
  fputc('"', j->f);
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') fprintf(j->f, "\\%c", *s);
    else if ((unsigned char)*s < 0x20) fprintf(j->f, "\\u%04x", (unsigned char)*s);
    else fputc(*s, j->f);
  }
  fputc('"', j->f);
}

void json_bool(cli_json *j, const char *key, int b) { json_sep(j, key); fputs(b ? "true" : "false", j->f); }
void json_null(cli_json *j, const char *key) { json_sep(j, key); fputs("null", j->f); }

void json_nums(cli_json *j, const char *key, const double *v, int n)
{
  json_array(j, key);
  for (int i = 0; i < n; i++) json_num(j, NULL, v[i]);
  json_close_array(j);
}

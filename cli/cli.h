/* Shared helpers of the relucap command-line tool: argument parsing with precise messages,
 * and a small streaming JSON writer.  Only cli/ prints or exits. */
#ifndef RELUCAP_CLI_H
#define RELUCAP_CLI_H

#include <stdio.h>

enum { EXIT_OK = 0, EXIT_DISAGREE = 1, EXIT_USAGE = 2, EXIT_NUMERIC = 3 };

/* Each command: run(argc, argv) with argv[0] = command name; returns an exit code. */
typedef struct {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} cli_command;

/* Print "relucap: <message>" and a pointer to help on stderr; return EXIT_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...)
#ifdef __GNUC__
  __attribute__((format(printf, 2, 3)))
#endif
  ;
/* Print "relucap: <message>" on stderr; return EXIT_NUMERIC. */
int cli_numeric_error(const char *fmt, ...)
#ifdef __GNUC__
  __attribute__((format(printf, 1, 2)))
#endif
  ;
void cli_warning(const char *fmt, ...)
#ifdef __GNUC__
  __attribute__((format(printf, 1, 2)))
#endif
  ;

/* Parsing: each returns 0 on success, or prints a usage error naming option and value and
 * returns EXIT_USAGE.  Doubles must be finite and within [lo, hi]; lo_open/hi_open exclude
 * the ends. */
int cli_double(const char *cmd, const char *opt, const char *s, double lo, int lo_open,
               double hi, int hi_open, double *out);
int cli_int(const char *cmd, const char *opt, const char *s, long lo, long hi, long *out);
/* Comma-separated list of finite positive doubles; at most max entries. */
int cli_double_list(const char *cmd, const char *opt, const char *s, double *out, int max, int *n);
/* One of two words: *index = 0 for first, 1 for second; otherwise a usage error naming both. */
int cli_either(const char *cmd, const char *opt, const char *s, const char *first, const char *second,
               int *index);
/* Fetch the value of option argv[*i]; error if missing. */
int cli_value(const char *cmd, int argc, char **argv, int *i, const char **val);
int cli_is_help(const char *arg);

/* JSON writer: keys are NULL inside arrays.  Non-finite numbers are written as null. */
typedef struct {
  FILE *f;
  int level;
  int first[32];
} cli_json;
void json_begin(cli_json *j, FILE *f);           /* top-level object */
void json_end(cli_json *j);                      /* closes it and writes a newline */
void json_object(cli_json *j, const char *key);
void json_array(cli_json *j, const char *key);
void json_close_object(cli_json *j);
void json_close_array(cli_json *j);
void json_num(cli_json *j, const char *key, double v);
void json_int(cli_json *j, const char *key, long v);
void json_str(cli_json *j, const char *key, const char *s);
void json_bool(cli_json *j, const char *key, int b);
void json_null(cli_json *j, const char *key);
void json_nums(cli_json *j, const char *key, const double *v, int n);

#endif

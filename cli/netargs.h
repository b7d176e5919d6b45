/* Network options shared by `relucap check` and `relucap invert`: --layer W[,b] and --net FILE. */
#ifndef RELUCAP_CLI_NETARGS_H
#define RELUCAP_CLI_NETARGS_H

#include "cli.h"
#include "relucap.h"

/* If argv[*i] is --layer or --net, load it into net (advancing *i) and return 0, or print one
 * line "relucap: FILE:LINE:COLUMN: message" and return EXIT_USAGE.  Return -1 for other options. */
int netargs_parse(const char *cmd, int argc, char **argv, int *i, relucap_net *net);

/* One step of the option loop of a command reading a network: --help (help() is called),
 * --layer / --net (netargs_parse) and --time-limit S (> 0, into *time_limit).  Returns
 * NETARGS_PARSED (go on with the next argument),
 * NETARGS_OTHER (argv[*i] is not one of them), or an exit code for the command to return
 * (EXIT_OK after --help, EXIT_USAGE for bad input); net is freed before an exit code. */
#define NETARGS_OTHER (-1)
#define NETARGS_PARSED (-2)
int netargs_parse_common(const char *cmd, int argc, char **argv, int *i, relucap_net *net, void (*help)(void),
                         double *time_limit);

/* 0 when net has a layer; else the usage error "no network: ..." (EXIT_USAGE). */
int netargs_need_network(const char *cmd, const relucap_net *net);

/* Print one line "relucap: message" on stderr and return EXIT_USAGE (bad input files). */
int netargs_input_error(const char *msg);

/* "n -> m1 -> m2 ..." into buf. */
void netargs_shape(const relucap_net *net, char *buf, size_t size);

#endif

/* Network options shared by `relucap check` and `relucap invert`: --layer W[,b] and --net FILE. */
#ifndef RELUCAP_CLI_NETARGS_H
#define RELUCAP_CLI_NETARGS_H

#include "cli.h"
#include "relucap.h"

/* If argv[*i] is --layer or --net, load it into net (advancing *i) and return 0, or print one
 * line "relucap: FILE:LINE:COLUMN: message" and return EXIT_USAGE.  Return -1 for other options. */
int netargs_parse(const char *cmd, int argc, char **argv, int *i, relucap_net *net);

/* Print one line "relucap: message" on stderr and return EXIT_USAGE (bad input files). */
int netargs_input_error(const char *msg);

/* "n -> m1 -> m2 ..." into buf. */
void netargs_shape(const relucap_net *net, char *buf, size_t size);

#endif

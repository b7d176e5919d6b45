#include "cli.h"
#include "commands.h"
int cmd_capacity(int argc, char **argv) { (void)argc; (void)argv; return cli_usage_error(NULL, "capacity: not yet"); }
int cmd_chain(int argc, char **argv) { (void)argc; (void)argv; return cli_usage_error(NULL, "chain: not yet"); }
int cmd_paper(int argc, char **argv) { (void)argc; (void)argv; return cli_usage_error(NULL, "paper: not yet"); }

/* relucap paper: placeholder replaced below. */
#include "rdt.h"
int cmd_paper(int argc, char **argv) { (void)argc; (void)argv; return cli_numeric_error("paper: not yet"); }

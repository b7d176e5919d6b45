/* relucap - injectivity capacity of ReLU networks: command dispatch. */
#include "cli.h"
#include "commands.h"
#include "relucap.h"
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <string.h>

static const cli_command commands[] = {
  {"capacity", cmd_capacity, "the RDT upper bound on the last layer's width ratio (one depth)"},
  {"chain",    cmd_chain,    "capacities at depths 1..L, each layer at the previous capacity"},
  {"gate",     cmd_gate,     "one layer's capacity at every lifting level (RS, k-RSB, full RSB)"},
  {"paper",    cmd_paper,    "every table of the deep-ReLU paper, recomputed beside the printed values"},
  {"depth",    cmd_depth,    "exact injectivity count D of a sampled network, with certificate"},
  {"mc",       cmd_mc,       "Monte Carlo P(injective) against the width ratio, exact per sample"},
  {"transition", cmd_transition, "1/2-crossing for several n and its n -> infinity extrapolations"},
  {"check",    cmd_check,    "is a given network (CSV/.npy weights) injective? exact, with a certificate"},
  {"invert",   cmd_invert,   "recover the input of a given network from its output"},
  {"design",   cmd_design,   "minimal width of every layer of an injective network on N inputs"},
};
static const int n_commands = (int)(sizeof commands / sizeof commands[0]);

static void usage(FILE *f)
{
  fprintf(f,
    "relucap %s - how wide must each layer of a ReLU network be to be injective?\n\n"
    "Usage: relucap COMMAND [OPTIONS]\n"
    "       relucap COMMAND --help\n"
    "       relucap --version\n\n"
    "Computes random-duality-theory (RDT) upper bounds on the injectivity capacity of\n"
    "ReLU networks with i.i.d. Gaussian weights (Stojnic, arXiv 2412.19677, 2410.20646).\n\n"
    "Commands:\n", RELUCAP_VERSION);
  for (int i = 0; i < n_commands; i++)
    fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf(f,
    "\nExit status: 0 success, 1 unexplained disagreement with the paper (relucap paper),\n"
    "2 usage error, 3 numerical failure (no number is printed).\n\n"
    "Example:\n  relucap capacity --depth 2 --kind weak --alphas 6.7004 --json\n");
}

int main(int argc, char **argv)
{
  gsl_set_error_handler_off(); /* a GSL failure is a status code to report (exit 3), never an abort */
  if (argc < 2) {
    usage(stderr);
    return EXIT_USAGE;
  }
  if (cli_is_help(argv[1])) {
    usage(stdout);
    return EXIT_OK;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("relucap %s\n", RELUCAP_VERSION);
    return EXIT_OK;
  }
  for (int i = 0; i < n_commands; i++)
    if (strcmp(argv[1], commands[i].name) == 0) return commands[i].run(argc - 1, argv + 1);
  return cli_usage_error(NULL, "unknown command '%s' (commands: capacity, chain, paper, ...)", argv[1]);
}

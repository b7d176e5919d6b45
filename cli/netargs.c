/* --layer W[,b] and --net FILE for the commands that read a user's network. */
#include "netargs.h"
#include <string.h>

int netargs_input_error(const char *msg)
{
  fprintf(stderr, "relucap: %s\n", msg);
  return EXIT_USAGE;
}

int netargs_parse(const char *cmd, int argc, char **argv, int *i, relucap_net *net)
{
  int is_layer = strcmp(argv[*i], "--layer") == 0, is_net = strcmp(argv[*i], "--net") == 0;
  if (!is_layer && !is_net) return -1;
  const char *v;
  int rc = cli_value(cmd, argc, argv, i, &v);
  if (rc) return rc;
  char err[1024];
  int st = is_layer ? relucap_net_add_spec(net, v, err, sizeof err)
                    : relucap_net_load_manifest(net, v, err, sizeof err);
  return st ? netargs_input_error(err) : 0;
}

void netargs_shape(const relucap_net *net, char *buf, size_t size)
{
  size_t k = 0;
  buf[0] = '\0';
  if (net->depth == 0) return;
  k += (size_t)snprintf(buf + k, size - k, "%zu", net->layers[0].n);
  for (size_t l = 0; l < net->depth && k < size; l++)
    k += (size_t)snprintf(buf + k, size - k, " -> %zu", net->layers[l].m);
}

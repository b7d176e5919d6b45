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

int netargs_parse_common(const char *cmd, int argc, char **argv, int *i, relucap_net *net, void (*help)(void),
                         double *time_limit)
{
  if (cli_is_help(argv[*i])) {
    relucap_net_free(net);
    help();
    return EXIT_OK;
  }
  if (strcmp(argv[*i], "--time-limit") == 0) {
    const char *v;
    int rc = cli_value(cmd, argc, argv, i, &v);
    if (!rc) rc = cli_double(cmd, "--time-limit", v, 0, 1, 1e6, 0, time_limit);
    if (rc) relucap_net_free(net);
    return rc ? rc : NETARGS_PARSED;
  }
  int rc = netargs_parse(cmd, argc, argv, i, net);
  if (rc > 0) relucap_net_free(net);
  return rc == 0 ? NETARGS_PARSED : rc < 0 ? NETARGS_OTHER : rc;
}

int netargs_need_network(const char *cmd, const relucap_net *net)
{
  if (net->depth == 0) return cli_usage_error(cmd, "no network: give --layer W[,b] (repeatable) or --net FILE");
  return 0;
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

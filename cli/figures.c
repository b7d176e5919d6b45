/* Figures of the commands, drawn with plot.c.  Paper values appear here only as series labelled
 * as the paper's printed numbers (the same numbers as cli/cmd_paper.c). */
#include "plot.h"
#include <stdio.h>

/* Printed by arXiv 2412.19677 for alpha_1 = 6.7004: weak chain (Tables 2, 4, 6, 7) and its
 * expansions (Table 7); strong (Tables 3 and 5). */
static const double paper_weak[] = {6.7004, 8.267, 9.49, 10.124};
static const double paper_weak_expansion[] = {6.7004, 1.2338, 1.1479, 1.0668};
static const double paper_strong[] = {6.7004, 12.35, 17.13};

int chain_plot(const char *path, const char *command, int strong, const char *method, int depth,
               const double *capacity, const double *expansion)
{
  double x[64], px[4];
  int n = depth < 64 ? depth : 64;
  for (int k = 0; k < n; k++) x[k] = k + 1;
  for (int k = 0; k < 4; k++) px[k] = k + 1;
  char ours[128];
  snprintf(ours, sizeof ours, "relucap, %s RDT (alpha_1 = %.6g)", method, capacity[0]);
  const char *paper_title = strong ? "paper, printed (Tables 3, 5; alpha_1 = 6.7004)"
                                   : "paper, printed (Tables 2-7; alpha_1 = 6.7004)";
  int np = strong ? 3 : 4;
  if (np > n) np = n;
  plot_series cap[2] = {
    {ours, n, x, capacity, NULL, NULL, NULL},
    {paper_title, np, px, strong ? paper_strong : paper_weak, NULL, NULL, "points pt 7 ps 1.3"},
  };
  /* Expansions from depth 2 (depth 1's "expansion" is alpha_1 itself and would flatten the axis). */
  plot_series exp[2] = {
    {ours, n - 1, x + 1, expansion + 1, NULL, NULL, NULL},
    {"paper, printed (Table 7; alpha_1 = 6.7004)", np - 1, px + 1, paper_weak_expansion + 1, NULL, NULL,
     "points pt 7 ps 1.3"},
  };
  int n_exp_series = strong || np < 2 ? 1 : 2;
  char title[160];
  snprintf(title, sizeof title, "%s injectivity of deep ReLU networks: capacity bound against depth",
           strong ? "Strong" : "Weak");
  plot_panel panels[2] = {
    {"capacity bound alpha_L = m_L / n", "depth L (layers)", "alpha_L", cap, np > 0 ? 2 : 1, NULL, NULL, 0, 1, "top left"},
    {"layer expansion alpha_L / alpha_{L-1}", "depth L (layers)", "alpha_L / alpha_{L-1}", exp, n_exp_series,
     NULL, NULL, 0, 1, "top right"},
  };
  plot_figure fig = {title, command, panels, depth >= 2 ? 2 : 1};
  return plot_write("chain", path, &fig);
}

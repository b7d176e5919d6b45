/* Figures of the commands, drawn with plot.c.  Paper values appear here only as series labelled
 * as the paper's printed numbers (the same numbers as cli/cmd_paper.c). */
#include "paper_values.h"
#include "plot.h"
#include <stdlib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* The paper's printed chains (cli/paper_values.c, shared with relucap paper) as numbers. */
static double paper_weak[PAPER_WEAK_CHAIN_LEN], paper_weak_expansion[PAPER_WEAK_CHAIN_LEN],
  paper_strong[PAPER_STRONG_CHAIN_LEN];

static void load_paper_values(void)
{
  for (int k = 0; k < PAPER_WEAK_CHAIN_LEN; k++) {
    paper_weak[k] = strtod(paper_weak_chain[k], NULL);
    paper_weak_expansion[k] = strtod(paper_weak_expansions[k], NULL);
  }
  for (int k = 0; k < PAPER_STRONG_CHAIN_LEN; k++) paper_strong[k] = strtod(paper_strong_chain[k], NULL);
}

#define CHAIN_PLOT_MAX_OTHER 6

int chain_plot(const char *path, const char *command, int strong, const char *method, int depth,
               const double *capacity, const double *expansion, int n_other,
               const char *const *other_methods, const double *const *others)
{
  double x[64], px[4];
  load_paper_values();
  int n = depth < 64 ? depth : 64;
  if (n_other > CHAIN_PLOT_MAX_OTHER) n_other = CHAIN_PLOT_MAX_OTHER;
  for (int k = 0; k < n; k++) x[k] = k + 1;
  for (int k = 0; k < 4; k++) px[k] = k + 1;
  char ours[128];
  snprintf(ours, sizeof ours, "relucap, %s RDT (alpha_1 = %.6g)", method, capacity[0]);
  const char *paper_title = strong ? "paper, printed (Tables 3, 5; alpha_1 = 6.7004)"
                                   : "paper, printed (Tables 2-7; alpha_1 = 6.7004)";
  int np = strong ? 3 : 4;
  if (np > n) np = n;
  plot_series cap[2 + CHAIN_PLOT_MAX_OTHER] = {
    {ours, n, x, capacity, NULL, NULL, NULL},
    {paper_title, np, px, strong ? paper_strong : paper_weak, NULL, NULL, "points pt 7 ps 1.3"},
  };
  int n_cap = np > 0 ? 2 : 1;
  static const int marks[CHAIN_PLOT_MAX_OTHER] = {4, 6, 8, 10, 12, 14}; /* open square, circle, ... */
  char other_title[CHAIN_PLOT_MAX_OTHER][96], other_style[CHAIN_PLOT_MAX_OTHER][32];
  for (int m = 0; m < n_other; m++) {
    snprintf(other_title[m], sizeof other_title[m], "relucap, %s at the same alphas (--compare)", other_methods[m]);
    snprintf(other_style[m], sizeof other_style[m], "points pt %d ps 1.3", marks[m]);
    cap[n_cap++] = (plot_series){other_title[m], n, x, others[m], NULL, NULL, other_style[m]};
  }
  /* Expansions from depth 2 (depth 1's "expansion" is alpha_1 itself and would flatten the axis). */
  plot_series exp[2] = {
    {ours, n - 1, x + 1, expansion + 1, NULL, NULL, NULL},
    {"paper, printed (Table 7; alpha_1 = 6.7004)", np - 1, px + 1, paper_weak_expansion + 1, NULL, NULL,
     "points pt 7 ps 1.3"},
  };
  int n_exp_series = strong || np < 2 ? 1 : 2;

  /* Third panel (--compare): what each other method gains over plain at the same alphas. */
  const double *plain = strcmp(method, "plain") == 0 ? capacity : NULL;
  for (int m = 0; m < n_other && !plain; m++)
    if (strcmp(other_methods[m], "plain") == 0) plain = others[m];
  double gain[CHAIN_PLOT_MAX_OTHER][64];
  char gain_title[CHAIN_PLOT_MAX_OTHER][96];
  plot_series gs[CHAIN_PLOT_MAX_OTHER + 1];
  int n_gain = 0;
  for (int m = -1; m < n_other && plain; m++) {
    const char *name = m < 0 ? method : other_methods[m];
    const double *v = m < 0 ? capacity : others[m];
    if (strcmp(name, "plain") == 0) continue;
    for (int k = 0; k < n; k++) gain[n_gain][k] = plain[k] - v[k];
    snprintf(gain_title[n_gain], sizeof gain_title[n_gain], "plain - %s", name);
    gs[n_gain] = (plot_series){gain_title[n_gain], n - 1, x + 1, gain[n_gain] + 1, NULL, NULL, NULL};
    n_gain++;
  }

  char title[160];
  snprintf(title, sizeof title, "%s injectivity of deep ReLU networks: capacity bound against depth",
           strong ? "Strong" : "Weak");
  plot_panel panels[3] = {
    {"capacity bound alpha_L = m_L / n", "depth L (layers)", "alpha_L", cap, n_cap, NULL, NULL, 0, 1, "top left", 0,
     n_cap > 2 ? 0.6 : 0},
    {"layer expansion alpha_L / alpha_{L-1}", "depth L (layers)", "alpha_L / alpha_{L-1}", exp, n_exp_series,
     NULL, NULL, 0, 1, "top right", 0, 0},
    {"how much lower than plain, at the same alphas", "depth L (layers)", "alpha_L(plain) - alpha_L(method)", gs,
     n_gain, NULL, NULL, 0, 1, "top left", 0, 0.4},
  };
  plot_figure fig = {title, command, panels, depth < 2 ? 1 : n_gain > 0 ? 3 : 2};
  return plot_write("chain", path, &fig);
}

int gate_plot(const char *path, const char *command, int n_levels, const double *capacity,
              double partial, double full, double full_err, int kmax, double published_rs,
              double published_1rsb, double published_frsb)
{
  double x[16], diff[16], x2p = 1.5, fx[2] = {1, n_levels}, fy[2] = {full, full};
  double px[2] = {1, 2}, py[2] = {published_rs, published_1rsb}, pfy[2] = {published_frsb, published_frsb};
  int n = n_levels < 16 ? n_levels : 16;
  for (int k = 0; k < n; k++) {
    x[k] = k + 1;
    diff[k] = capacity[k] - full;
  }
  char full_title[128], pub_title[128];
  snprintf(full_title, sizeof full_title, "full RSB, k-RSB for k = 1..%d extrapolated: %.6f +- %.1e", kmax, full,
           full_err);
  snprintf(pub_title, sizeof pub_title, "Maillard et al. 2023, published FRSB %.5f", published_frsb);
  plot_series cap[5] = {
    {"fl RDT level L = (L-1)-RSB (relucap)", n, x, capacity, NULL, NULL, NULL},
    {"level 2p = 1RSB with Q_0 = 0 (relucap)", 1, &x2p, &partial, NULL, NULL, "points pt 5 ps 1.3"},
    {full_title, 2, fx, fy, NULL, NULL, "lines dashtype 2"},
    {"Maillard et al. 2023, published RS and 1RSB", 2, px, py, NULL, NULL, "points pt 6 ps 2"},
    {pub_title, 2, fx, pfy, NULL, NULL, "lines dashtype 3"},
  };
  plot_series gap[1] = {{"alpha_L - alpha_{full} (relucap)", n, x, diff, NULL, NULL, NULL}};
  plot_panel panels[2] = {
    {"capacity of one random ReLU layer against the lifting level", "fl RDT level L", "alpha_c = m / n", cap, 5,
     NULL, NULL, 0, 1, "top right", 0, 1.1},
    {"distance to full RSB", "fl RDT level L", "alpha_L - alpha_{full}", gap, 1, NULL, NULL, 0, 1, "top right", 1, 0},
  };
  plot_figure fig = {"Injectivity capacity of one ReLU layer: fully lifted RDT levels", command, panels, 2};
  return plot_write("gate", path, &fig);
}

int mc_plot(const char *path, const char *command, int n, int depth, int strong, int k, const double *alpha,
            const double *p, const double *lo, const double *hi, double crossing, int n_bounds,
            const double *bound, const char *const *bound_label)
{
  double v[8];
  const char *vl[8];
  char cross_label[64];
  int nv = 0;
  for (int b = 0; b < n_bounds && nv < 7; b++) { v[nv] = bound[b]; vl[nv++] = bound_label[b]; }
  if (isfinite(crossing)) {
    snprintf(cross_label, sizeof cross_label, "P = 1/2 at %.3f", crossing);
    v[nv] = crossing;
    vl[nv++] = cross_label;
  }
  char title[128], series[96];
  snprintf(series, sizeof series, "P(injective), exact per sample, Wilson 95%% (n = %d)", n);
  snprintf(title, sizeof title, "%s injectivity of %d-layer ReLU networks with n = %d inputs: Monte Carlo",
           strong ? "Strong" : "Weak", depth, n);
  plot_series s[1] = {{series, k, alpha, p, lo, hi, NULL}};
  plot_panel panel[1] = {{"probability that a random network is injective", "alpha_L = m_L / n",
                          "P(injective)", s, 1, v, vl, nv, 0, "bottom right", 0, 0}};
  plot_figure fig = {title, command, panel, 1};
  return plot_write("mc", path, &fig);
}

/* Plots through gnuplot (Debian gnuplot-nox), for any command's --plot FILE option.
 *
 * plot_check_output() validates FILE before any work is done (extension .svg or .png, the
 * directory writable, gnuplot installed), so a bad --plot exits 2 with nothing written.
 * plot_write() then writes, beside the picture, the data (FILE with extension .dat: one block per
 * series, gnuplot `index` order) and the script (.gp, re-runnable: `cd DIR && gnuplot NAME.gp`),
 * and renders the picture by piping `load 'NAME.gp'` into gnuplot.  The program is `gnuplot`
 * on PATH, or $RELUCAP_GNUPLOT when set. */
#ifndef RELUCAP_CLI_PLOT_H
#define RELUCAP_CLI_PLOT_H

/* One curve: n points (x[i], y[i]); with lo/hi (may be NULL) drawn as error bars. */
typedef struct {
  const char *title;  /* legend entry (the series' name; tests look for it in the picture) */
  int n;
  const double *x, *y;
  const double *lo, *hi; /* optional interval [lo, hi] per point */
  const char *with;      /* gnuplot style: NULL = "linespoints"; "points", "lines", ... */
} plot_series;

/* One panel (a set of axes).  Panels of a figure are stacked top to bottom. */
typedef struct {
  const char *title, *xlabel, *ylabel;
  const plot_series *series;
  int n_series;
  const double *vlines;             /* vertical reference lines (may be NULL) */
  const char *const *vline_labels;  /* their labels (may be NULL) */
  int n_vlines;
  int integer_x;                    /* 1: x tics at integers (depths) */
  const char *key;                  /* legend position (gnuplot `set key`): NULL = "top left" */
  int logy;                         /* 1: logarithmic y axis (non-positive y are left out) */
  double headroom;                  /* empty space above the data, in graph heights (room for the
                                       legend; 0 = the default 0.05) */
} plot_panel;

typedef struct {
  const char *title;    /* figure title (may be NULL) */
  const char *command;  /* the command line that made it (a comment in the script) */
  const plot_panel *panels;
  int n_panels;
} plot_figure;

/* 0 if path can be plotted to, else prints the reason (naming path, or how to install gnuplot)
 * and returns EXIT_USAGE. */
int plot_check_output(const char *cmd, const char *path);

/* Write NAME.dat, NAME.gp and the picture.  Returns 0, or prints why and returns EXIT_NUMERIC
 * (file or gnuplot failure; nothing is left behind then). */
int plot_write(const char *cmd, const char *path, const plot_figure *fig);

/* The command line argv[0..argc-1] as one string for plot_figure.command (static storage,
 * truncated at 1000 characters). */
const char *plot_command_line(const char *prefix, int argc, char **argv);

/* Figures of the commands (cli/figures.c). */

/* relucap chain --plot: capacity alpha_L and expansion alpha_L / alpha_{L-1} against depth L,
 * with the paper's printed chain (alpha_1 = 6.7004) as a labelled series.  capacity[k - 1] and
 * expansion[k - 1] belong to depth k = 1..depth.  With chain --compare, n_other further bounds at
 * the same alphas: others[m][k - 1] by method other_methods[m] (NaN where absent); a third panel
 * then shows plain - each other bound (plain: the main series when method is plain). */
int chain_plot(const char *path, const char *command, int strong, const char *method, int depth,
               const double *capacity, const double *expansion, int n_other,
               const char *const *other_methods, const double *const *others);

/* relucap gate --ladder --plot: one layer's capacity against the lifting level L = 1..n_levels
 * (capacity[L - 1]), level 2p at x = 1.5, the full-RSB extrapolation (full +- full_err, from k-RSB
 * with k = 1..kmax) as a line, the published replica values (Maillard et al. 2023: RS, 1RSB, FRSB)
 * as a labelled series; a second panel shows alpha_L - alpha_full on a log scale. */
int gate_plot(const char *path, const char *command, int n_levels, const double *capacity,
              double partial, double full, double full_err, int kmax, double published_rs,
              double published_1rsb, double published_frsb);

#endif

/* Plots through a gnuplot pipe: data file + script beside the picture (see plot.h). */
#define _POSIX_C_SOURCE 200809L
#include "plot.h"
#include "cli.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PLOT_PATH_MAX 4096

typedef enum { FMT_NONE, FMT_SVG, FMT_PNG } plot_format;

/* The parts of a picture path: directory, stem (name without extension), format. */
typedef struct {
  char dir[PLOT_PATH_MAX], stem[PLOT_PATH_MAX], name[PLOT_PATH_MAX];
  char dat[2 * PLOT_PATH_MAX + 8], gp[2 * PLOT_PATH_MAX + 8]; /* paths of the data file, the script */
  plot_format format;
} plot_paths;

static int ends_with(const char *s, const char *suffix)
{
  size_t n = strlen(s), k = strlen(suffix);
  return n > k && strcmp(s + n - k, suffix) == 0;
}

static int split_path(const char *path, plot_paths *p)
{
  memset(p, 0, sizeof *p);
  if (strlen(path) + 8 >= PLOT_PATH_MAX) return -1;
  p->format = ends_with(path, ".svg") ? FMT_SVG : ends_with(path, ".png") ? FMT_PNG : FMT_NONE;
  const char *slash = strrchr(path, '/');
  if (slash) {
    size_t n = (size_t)(slash - path);
    memcpy(p->dir, path, n ? n : 1); /* "/x.svg" -> dir "/" */
  } else {
    strcpy(p->dir, ".");
  }
  strcpy(p->name, slash ? slash + 1 : path);
  strcpy(p->stem, p->name);
  char *dot = strrchr(p->stem, '.');
  if (dot) *dot = '\0';
  if (!p->stem[0]) return -1;
  snprintf(p->dat, sizeof p->dat, "%s/%s.dat", p->dir, p->stem);
  snprintf(p->gp, sizeof p->gp, "%s/%s.gp", p->dir, p->stem);
  return 0;
}

static const char *gnuplot_program(void)
{
  const char *g = getenv("RELUCAP_GNUPLOT");
  return g && *g ? g : "gnuplot";
}

/* Is prog runnable: a path with '/', or a name found on PATH? */
static int have_program(const char *prog)
{
  if (strchr(prog, '/')) return access(prog, X_OK) == 0;
  const char *path = getenv("PATH");
  if (!path) return 0;
  char dir[PLOT_PATH_MAX], full[2 * PLOT_PATH_MAX];
  while (*path) {
    size_t n = strcspn(path, ":");
    if (n < sizeof dir) {
      memcpy(dir, path, n);
      dir[n] = '\0';
      snprintf(full, sizeof full, "%s/%s", n ? dir : ".", prog);
      struct stat st;
      if (stat(full, &st) == 0 && S_ISREG(st.st_mode) && access(full, X_OK) == 0) return 1;
    }
    path += n;
    if (*path == ':') path++;
  }
  return 0;
}

int plot_check_output(const char *cmd, const char *path)
{
  plot_paths p;
  if (split_path(path, &p) || p.format == FMT_NONE)
    return cli_usage_error(cmd, "--plot: '%s' must be a file name ending in .svg or .png", path);
  struct stat st;
  if (stat(p.dir, &st) != 0 || !S_ISDIR(st.st_mode))
    return cli_usage_error(cmd, "--plot: the directory '%s' of '%s' does not exist", p.dir, path);
  if (access(p.dir, W_OK) != 0)
    return cli_usage_error(cmd, "--plot: the directory '%s' of '%s' is not writable", p.dir, path);
  if (!have_program(gnuplot_program()))
    return cli_usage_error(cmd, "--plot needs gnuplot, which was not found (%s); install it with "
                                "'sudo apt-get install gnuplot-nox' (Debian/Ubuntu) or set RELUCAP_GNUPLOT",
                           gnuplot_program());
  return 0;
}

/* s with ' doubled (gnuplot's escape inside single quotes). */
static void gp_escape(FILE *f, const char *s)
{
  for (; s && *s; s++) {
    if (*s == '\'') fputc('\'', f);
    fputc(*s, f);
  }
}

/* The string a followed by b (may be NULL), in gnuplot single quotes. */
static void gp_quote2(FILE *f, const char *a, const char *b)
{
  fputc('\'', f);
  gp_escape(f, a);
  gp_escape(f, b);
  fputc('\'', f);
}

static void gp_quote(FILE *f, const char *s) { gp_quote2(f, s, NULL); }

static void write_data(FILE *f, const plot_figure *fig)
{
  fprintf(f, "# relucap plot data (%s)\n# one block per series, in the order of the script's `index`\n",
          fig->command ? fig->command : "");
  for (int k = 0; k < fig->n_panels; k++)
    for (int s = 0; s < fig->panels[k].n_series; s++) {
      const plot_series *ser = &fig->panels[k].series[s];
      fprintf(f, "\n\n# panel %d, series: %s\n# x y%s\n", k + 1, ser->title, ser->lo ? " lo hi" : "");
      for (int i = 0; i < ser->n; i++) {
        if (!isfinite(ser->x[i]) || !isfinite(ser->y[i])) continue; /* never write NaN */
        if (fig->panels[k].logy && !(ser->y[i] > 0)) continue;      /* no log of y <= 0 */
        fprintf(f, "%.17g %.17g", ser->x[i], ser->y[i]);
        if (ser->lo && ser->hi) fprintf(f, " %.17g %.17g", ser->lo[i], ser->hi[i]);
        fputc('\n', f);
      }
    }
}

static void write_panel(FILE *f, const plot_paths *p, const plot_panel *pan, int *block)
{
  fputs("reset\n", f);
  fprintf(f, "set key %s box opaque\nset grid\n", pan->key ? pan->key : "top left");
  if (pan->title) { fputs("set title ", f); gp_quote(f, pan->title); fputc('\n', f); }
  if (pan->xlabel) { fputs("set xlabel ", f); gp_quote(f, pan->xlabel); fputc('\n', f); }
  if (pan->ylabel) { fputs("set ylabel ", f); gp_quote(f, pan->ylabel); fputc('\n', f); }
  if (pan->integer_x) fputs("set xtics 1\nset autoscale xfix\n", f);
  fprintf(f, "set offsets %g, %g, graph %g, graph 0.05\n", pan->integer_x ? 0.3 : 0.0, pan->integer_x ? 0.3 : 0.0,
          pan->headroom > 0 ? pan->headroom : 0.05);
  if (pan->logy) fputs("set logscale y\nset format y '10^{%L}'\n", f);
  for (int v = 0; v < pan->n_vlines; v++) {
    fprintf(f, "set arrow %d from %.17g, graph 0 to %.17g, graph 1 nohead dashtype 2 lc rgb 'gray30'\n",
            v + 1, pan->vlines[v], pan->vlines[v]);
    if (pan->vline_labels && pan->vline_labels[v]) {
      fprintf(f, "set label %d ", v + 1);
      gp_quote(f, pan->vline_labels[v]);
      fprintf(f, " at %.17g, graph 0.05 rotate left offset -1, 0 tc rgb 'gray30'\n", pan->vlines[v]);
    }
  }
  fputs("plot ", f);
  for (int s = 0; s < pan->n_series; s++) {
    const plot_series *ser = &pan->series[s];
    const char *with = ser->with ? ser->with : (ser->lo ? "yerrorlines" : "linespoints");
    if (s) fputs(", \\\n     ", f);
    gp_quote2(f, p->stem, ".dat"); /* relative to the script's directory */
    fprintf(f, " index %d using 1:2%s with %s lw 2 title ", (*block)++, ser->lo ? ":3:4" : "", with);
    gp_quote(f, ser->title);
  }
  fputc('\n', f);
}

static void write_script(FILE *f, const plot_paths *p, const plot_figure *fig)
{
  int height = 60 + 330 * fig->n_panels, block = 0;
  fprintf(f, "# gnuplot script written by relucap; re-run from this directory: gnuplot %s.gp\n", p->stem);
  if (fig->command) fprintf(f, "# made by: %s\n", fig->command);
  fprintf(f, "# data: %s.dat (one block per series)\n", p->stem);
  if (p->format == FMT_SVG)
    fprintf(f, "set terminal svg size 800,%d dynamic enhanced font 'sans,12' background rgb 'white'\n", height);
  else
    fprintf(f, "set terminal pngcairo size 900,%d enhanced font 'sans,11' background rgb 'white'\n", height);
  fputs("set output ", f);
  gp_quote(f, p->name);
  fputc('\n', f);
  fprintf(f, "set multiplot layout %d,1", fig->n_panels);
  if (fig->title) { fputs(" title ", f); gp_quote(f, fig->title); }
  fputc('\n', f);
  for (int k = 0; k < fig->n_panels; k++) write_panel(f, p, &fig->panels[k], &block);
  fputs("unset multiplot\nunset output\n", f);
}

static int write_file(const char *path, const plot_paths *p, const plot_figure *fig, int script)
{
  FILE *f = fopen(path, "w");
  if (!f) return -1;
  if (script) write_script(f, p, fig);
  else write_data(f, fig);
  int bad = ferror(f);
  return fclose(f) == 0 && !bad ? 0 : -1;
}

/* Run gnuplot in the picture's directory on the script, through a pipe. */
static int run_gnuplot(const plot_paths *p)
{
  const char *prog = gnuplot_program();
  char shell[2 * PLOT_PATH_MAX];
  size_t k = 0;
  /* the program name in single quotes for /bin/sh ('\'' stands for ') */
  shell[k++] = '\'';
  for (const char *s = prog; *s && k + 8 < sizeof shell; s++) {
    if (*s == '\'') { memcpy(shell + k, "'\\''", 4); k += 4; }
    else shell[k++] = *s;
  }
  shell[k++] = '\'';
  shell[k] = '\0';
  FILE *g = popen(shell, "w");
  if (!g) return -1;
  fputs("cd ", g);
  gp_quote(g, p->dir);
  fputs("\nload ", g);
  gp_quote2(g, p->stem, ".gp");
  fputc('\n', g);
  return pclose(g);
}

int plot_write(const char *cmd, const char *path, const plot_figure *fig)
{
  plot_paths p;
  if (split_path(path, &p) || p.format == FMT_NONE)
    return cli_usage_error(cmd, "--plot: '%s' must be a file name ending in .svg or .png", path);
  if (write_file(p.dat, &p, fig, 0) || write_file(p.gp, &p, fig, 1)) {
    remove(p.dat);
    remove(p.gp);
    return cli_numeric_error("%s: cannot write the plot files '%s' and '%s'", cmd, p.dat, p.gp);
  }
  int status = run_gnuplot(&p);
  struct stat st;
  if (status != 0 || stat(path, &st) != 0 || st.st_size == 0) {
    remove(path);
    remove(p.dat);
    remove(p.gp);
    return cli_numeric_error("%s: gnuplot (%s) failed to draw '%s' (status %d)", cmd, gnuplot_program(),
                             path, status);
  }
  return 0;
}

const char *plot_command_line(const char *prefix, int argc, char **argv)
{
  static char buf[1024];
  size_t k = (size_t)snprintf(buf, sizeof buf, "%s", prefix ? prefix : "");
  for (int i = 0; i < argc && k < sizeof buf; i++)
    k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%s", k ? " " : "", argv[i]);
  return buf;
}

/* Weight laws, seeded sampling of networks, and the small statistics used by Monte Carlo
 * (Wilson intervals, Wendel's law, the 1/2-crossing, weighted linear fits). */
#include "relucap/finite.h"
#include "relucap/gauss.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIT_MAX 1024

int relucap_law_parse(const char *s, relucap_law *law)
{
  if (!s || !law) RELUCAP_ERROR("null law", RELUCAP_EINVAL);
  law->p = 1.0;
  if (strcmp(s, "gauss") == 0 || strcmp(s, "gaussian") == 0) {
    law->kind = RELUCAP_LAW_GAUSS;
    return RELUCAP_SUCCESS;
  }
  if (strcmp(s, "rademacher") == 0) {
    law->kind = RELUCAP_LAW_RADEMACHER;
    return RELUCAP_SUCCESS;
  }
  if (strcmp(s, "uniform") == 0) {
    law->kind = RELUCAP_LAW_UNIFORM;
    return RELUCAP_SUCCESS;
  }
  if (strncmp(s, "sparse:", 7) == 0) {
    char *end;
    double p = strtod(s + 7, &end);
    if (end == s + 7 || *end != '\0' || !(p > 0.0 && p <= 1.0))
      RELUCAP_ERROR("sparse probability must be in (0, 1]", RELUCAP_EINVAL);
    law->kind = RELUCAP_LAW_SPARSE;
    law->p = p;
    return RELUCAP_SUCCESS;
  }
  RELUCAP_ERROR("unknown law", RELUCAP_EINVAL);
}

void relucap_law_name(const relucap_law *law, char *buf, size_t size)
{
  switch (law->kind) {
  case RELUCAP_LAW_GAUSS: snprintf(buf, size, "gauss"); break;
  case RELUCAP_LAW_RADEMACHER: snprintf(buf, size, "rademacher"); break;
  case RELUCAP_LAW_UNIFORM: snprintf(buf, size, "uniform"); break;
  default: snprintf(buf, size, "sparse:%g", law->p); break;
  }
}

relucap_finite_net *relucap_finite_net_alloc(int depth, const int *dims)
{
  if (depth < 1 || depth > RELUCAP_FINITE_MAXDEPTH || !dims) return NULL;
  for (int k = 0; k <= depth; k++)
    if (dims[k] < 1) return NULL;
  relucap_finite_net *net = calloc(1, sizeof *net);
  if (!net) return NULL;
  net->depth = depth;
  memcpy(net->dims, dims, (size_t)(depth + 1) * sizeof *dims);
  for (int k = 0; k < depth; k++) {
    net->w[k] = calloc((size_t)dims[k + 1] * dims[k], sizeof(double));
    if (!net->w[k]) {
      relucap_finite_net_free(net);
      return NULL;
    }
  }
  return net;
}

void relucap_finite_net_free(relucap_finite_net *net)
{
  if (!net) return;
  for (int k = 0; k < net->depth; k++) free(net->w[k]);
  free(net);
}

/* splitmix64: a bijective mixer, so distinct (seed, stream) pairs give unrelated rng seeds. */
static unsigned long long mix64(unsigned long long z)
{
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static double draw(gsl_rng *r, const relucap_law *law)
{
  switch (law->kind) {
  case RELUCAP_LAW_GAUSS: return gsl_ran_gaussian_ziggurat(r, 1.0);
  case RELUCAP_LAW_RADEMACHER: return gsl_rng_uniform(r) < 0.5 ? -1.0 : 1.0;
  case RELUCAP_LAW_UNIFORM: return sqrt(3.0) * (2.0 * gsl_rng_uniform(r) - 1.0);
  default:
    if (gsl_rng_uniform(r) >= law->p) return 0.0;
    return gsl_ran_gaussian_ziggurat(r, 1.0) / sqrt(law->p);
  }
}

int relucap_finite_net_sample(relucap_finite_net *net, const relucap_law *law, unsigned long seed,
                       unsigned long stream)
{
  if (!net || !law) RELUCAP_ERROR("null network or law", RELUCAP_EINVAL);
  if (law->kind == RELUCAP_LAW_SPARSE && !(law->p > 0.0 && law->p <= 1.0))
    RELUCAP_ERROR("sparse probability must be in (0, 1]", RELUCAP_EINVAL);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  if (!r) RELUCAP_ERROR("cannot allocate rng", RELUCAP_ENOMEM);
  unsigned long long s = mix64(mix64((unsigned long long)seed) ^ (unsigned long long)stream);
  gsl_rng_set(r, (unsigned long)(s & 0xffffffffUL) ^ (unsigned long)(s >> 32));
  for (int k = 0; k < net->depth; k++) {
    size_t cnt = (size_t)net->dims[k + 1] * net->dims[k];
    for (size_t i = 0; i < cnt; i++) net->w[k][i] = draw(r, law);
  }
  gsl_rng_free(r);
  return RELUCAP_SUCCESS;
}

/* Wilson (1927): centre (k + z^2/2)/(N + z^2), half-width z sqrt(p(1-p)/N + z^2/(4N^2))/(1+z^2/N). */
void relucap_wilson(long k, long N, double z, double *lo, double *hi)
{
  if (N <= 0) {
    *lo = 0.0;
    *hi = 1.0;
    return;
  }
  double p = (double)k / N, z2 = z * z, d = 1.0 + z2 / N;
  double c = (p + z2 / (2.0 * N)) / d;
  double h = z * sqrt(p * (1.0 - p) / N + z2 / (4.0 * N * (double)N)) / d;
  *lo = fmax(0.0, c - h);
  *hi = fmin(1.0, c + h);
}

double relucap_wendel(int m, int n)
{
  /* sum_{k<n} C(m-1,k) 2^{-(m-1)} accumulated in logs to avoid overflow */
  double s = 0.0;
  for (int k = 0; k < n && k <= m - 1; k++)
    s += exp(lgamma(m) - lgamma(k + 1.0) - lgamma(m - k) - (m - 1) * log(2.0));
  return 1.0 - s;
}

/* First x where the piecewise-linear curve y crosses 1/2 (y[j] < 1/2 <= y[j+1]). */
static int cross_half(int k, const double *x, const double *y, double *out)
{
  for (int j = 0; j + 1 < k; j++) {
    if (y[j] < 0.5 && y[j + 1] >= 0.5) {
      *out = x[j] + (0.5 - y[j]) * (x[j + 1] - x[j]) / (y[j + 1] - y[j]);
      return 1;
    }
  }
  if (k > 0 && y[0] >= 0.5) {
    *out = x[0];
    return 0; /* already above 1/2 at the left end: no bracket */
  }
  return 0;
}

int relucap_crossing(int k, const double *x, const double *p, const double *lo, const double *hi,
                     double *xc, double *xc_lo, double *xc_hi)
{
  double c, a, b;
  if (!cross_half(k, x, p, &c)) return RELUCAP_EDOM;
  /* the upper band reaches 1/2 first (left end), the lower band last (right end) */
  int ha = cross_half(k, x, hi, &a), hb = cross_half(k, x, lo, &b);
  *xc = c;
  *xc_lo = ha ? a : x[0];          /* hi >= 1/2 from the start: the interval is open to the left */
  *xc_hi = hb ? b : x[k - 1];      /* lo never reaches 1/2: open to the right */
  if (!ha) *xc_lo = -HUGE_VAL;
  if (!hb) *xc_hi = HUGE_VAL;
  return RELUCAP_SUCCESS;
}

int relucap_linfit(int k, const double *u, const double *y, const double *sigma, double *a,
                   double *a_err, double *b, double *chi2)
{
  double S = 0, Su = 0, Sy = 0, Suu = 0, Suy = 0;
  for (int j = 0; j < k; j++) {
    if (!(sigma[j] > 0)) RELUCAP_ERROR("fit: sigma must be positive", RELUCAP_EINVAL);
    double w = 1.0 / (sigma[j] * sigma[j]);
    S += w; Su += w * u[j]; Sy += w * y[j]; Suu += w * u[j] * u[j]; Suy += w * u[j] * y[j];
  }
  double det = S * Suu - Su * Su;
  if (k < 2 || !(fabs(det) > 0)) RELUCAP_ERROR("fit: need two distinct abscissae", RELUCAP_EDOM);
  *a = (Suu * Sy - Su * Suy) / det;
  *b = (S * Suy - Su * Sy) / det;
  *a_err = sqrt(Suu / det);
  double c = 0;
  for (int j = 0; j < k; j++) {
    double r = (y[j] - *a - *b * u[j]) / sigma[j];
    c += r * r;
  }
  *chi2 = c;
  return RELUCAP_SUCCESS;
}

int relucap_probit_crossing(int k, const double *x, const long *yes, const long *N, double *mu,
                            double *mu_err, double *sigma)
{
  /* start: the crossing of the empirical curve and a unit width */
  double p[FIT_MAX], lo[FIT_MAX], hi[FIT_MAX], xc, a1, a2;
  if (k < 2 || k > FIT_MAX) RELUCAP_ERROR("probit: need 2..1024 points", RELUCAP_EDOM);
  for (int j = 0; j < k; j++) {
    p[j] = N[j] > 0 ? (double)yes[j] / N[j] : 0.5;
    lo[j] = hi[j] = p[j];
  }
  if (relucap_crossing(k, x, p, lo, hi, &xc, &a1, &a2) != RELUCAP_SUCCESS)
    RELUCAP_ERROR("probit: data do not cross 1/2", RELUCAP_EDOM);
  double b = 1.0 / fmax(0.1, 0.25 * (x[k - 1] - x[0])), a = -xc * b;
  double I00 = 0, I01 = 0, I11 = 0;
  int it;
  for (it = 0; it < 50; it++) {
    double U0 = 0, U1 = 0;
    I00 = I01 = I11 = 0;
    for (int j = 0; j < k; j++) {
      if (N[j] <= 0) continue;
      double z = a + b * x[j], P = relucap_ncdf(z), Q = relucap_nsf(z), f = relucap_npdf(z);
      double w = f * f / fmax(P * Q, 1e-300);
      double r = ((double)yes[j] - N[j] * P) * f / fmax(P * Q, 1e-300);
      U0 += r;
      U1 += r * x[j];
      I00 += N[j] * w;
      I01 += N[j] * w * x[j];
      I11 += N[j] * w * x[j] * x[j];
    }
    double det = I00 * I11 - I01 * I01;
    if (!(det > 0)) RELUCAP_ERROR("probit: singular information", RELUCAP_EDOM);
    double da = (I11 * U0 - I01 * U1) / det, db = (I00 * U1 - I01 * U0) / det;
    /* damp steps that would flip the slope */
    double t = 1.0;
    while (b + t * db <= 0 && t > 1e-6) t *= 0.5;
    a += t * da;
    b += t * db;
    if (fabs(da) < 1e-10 * (1 + fabs(a)) && fabs(db) < 1e-10 * (1 + fabs(b))) break;
  }
  if (it == 50 || !(b > 0)) RELUCAP_ERROR("probit: no convergence", RELUCAP_EDOM);
  double det = I00 * I11 - I01 * I01;
  double Vaa = I11 / det, Vbb = I00 / det, Vab = -I01 / det;
  double g0 = -1.0 / b, g1 = a / (b * b); /* gradient of mu = -a/b */
  *mu = -a / b;
  *mu_err = sqrt(fmax(0.0, g0 * g0 * Vaa + 2 * g0 * g1 * Vab + g1 * g1 * Vbb));
  *sigma = 1.0 / b;
  return RELUCAP_SUCCESS;
}

/* relucap.h - injectivity capacity of random ReLU networks (umbrella header).
 *
 * Modules (one header each under include/relucap/):
 *   common.h  status codes, results with error estimates, error handler
 *   gauss.h   normal distribution functions, Gaussian quadrature
 */
#ifndef RELUCAP_H
#define RELUCAP_H

#include "relucap/common.h"
#include "relucap/gauss.h"
#include "relucap/io.h"

#endif

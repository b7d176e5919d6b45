/* relucap.h - injectivity capacity of random ReLU networks (umbrella header).
 *
 * Modules (one header each under include/relucap/):
 *   common.h  status codes, results with error estimates, error handler
 *   gauss.h   normal distribution functions, Gaussian quadrature
 *   saddle.h  stationarity systems, scalar roots and minima
 *   plain.h   plain RDT bounds for deep networks (weak and strong, any depth)
 *   lp.h      small dense LPs (COIN-OR CLP), Gordan alternative for strict systems
 *   io.h      CSV / .npy readers, the network type
 *   netcheck.h  exact injectivity check of a given network, inversion
 */
#ifndef RELUCAP_H
#define RELUCAP_H

#include "relucap/common.h"
#include "relucap/gauss.h"
#include "relucap/saddle.h"
#include "relucap/plain.h"
#include "relucap/io.h"
#include "relucap/lp.h"
#include "relucap/finite.h"
#include "relucap/netcheck.h"

#endif

/* relucap.h - injectivity capacity of random ReLU networks (umbrella header).
 *
 * Modules (one header each under include/relucap/):
 *   common.h  status codes, results with error estimates, error handler
 *   gauss.h   normal distribution functions, Gaussian quadrature
 *   saddle.h  stationarity systems, scalar roots and minima
 *   plain.h   plain RDT bounds for deep networks (weak and strong, any depth)
 *   optimized.h  plain bounds minimised over the dual-norm ratios
 *   lifted.h  partially lifted RDT bounds (weak and strong, any depth)
 *   gate.h    one-layer capacity at every lifting level (k-RSB, full RSB)
 *   lp.h      small dense LPs (COIN-OR CLP), Gordan alternative for strict systems
 *   finite.h  exact finite-size injectivity counts, Monte Carlo of sampled networks
 *   io.h      CSV / .npy readers, the network type
 *   netcheck.h  exact injectivity check of a given network, inversion
 *   ffi.h       flat entry points for ctypes/FFI bindings (depth, check, sample)
 */
#ifndef RELUCAP_H
#define RELUCAP_H

#include "relucap/common.h"
#include "relucap/gauss.h"
#include "relucap/saddle.h"
#include "relucap/plain.h"
#include "relucap/optimized.h"
#include "relucap/lifted.h"
#include "relucap/gate.h"
#include "relucap/lp.h"
#include "relucap/finite.h"
#include "relucap/io.h"
#include "relucap/netcheck.h"
#include "relucap/ffi.h"

#endif

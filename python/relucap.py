"""relucap - injectivity capacity of random ReLU networks, from Python.

A thin ctypes binding over the C library ``librelucap.so`` (no compilation step): after
``make`` in the repository root, ``PYTHONPATH=python /usr/bin/python3`` is enough::

    >>> import relucap
    >>> relucap.capacity(depth=2, kind="weak", alphas=[6.7004])       # doctest: +ELLIPSIS
    8.26...
    >>> [round(c, 4) for c in relucap.chain(depth=4, kind="weak", alpha1=6.7004).capacity]
    [6.7004, 8.2667, 9.4714, 10.7777]

Finite networks (given weights, exact): ``sample`` (the CLI's sampled weights), ``depth`` (the
count D of eq. 11, as ``relucap depth --layer ...``) and ``check`` (injectivity with biases, as
``relucap check``); they call the flat entry points of include/relucap/ffi.h::

    >>> W = sample(4, [30], seed=3)
    >>> depth(W).depth_count, check(W).injective
    (4, True)

Everything returned is computed by the C library at call time.  Inputs may be numpy arrays
or Python sequences; vector results are numpy arrays (Debian: ``python3-numpy``).

The library is looked up in this order: the environment variable ``RELUCAP_LIB`` (a path to
``librelucap.so``), ``../build/librelucap.so`` next to this file (the repository build), then
the system linker path (``make install``).

Methods: ``method="plain"`` (the plain random-duality bound, any depth, weak or strong),
``method="lifted"`` (partially lifted RDT, depth <= 16) and ``method="optimized"`` (plain RDT
minimised over the dual-norm ratios); ``optimized-lifted`` and ``best`` are CLI-only for now.  Further methods register themselves in
``_CAPACITY_METHODS`` (one entry each, see ``_plain_capacity`` for the contract), so
``capacity``, ``chain`` and ``design`` accept them without other changes.
"""

import ctypes
import ctypes.util
import math
import os
from collections import namedtuple

import numpy as np

__all__ = ["capacity", "capacities", "chain", "design", "single_layer", "best_alpha1", "methods",
           "depth", "sample", "check", "Depth", "Check",
           "RelucapError", "Capacity", "Chain", "Design"]

# --------------------------------------------------------------------------------------------
# Loading the shared library
# --------------------------------------------------------------------------------------------

def _load_library():
    here = os.path.dirname(os.path.abspath(__file__))
    candidates = []
    if os.environ.get("RELUCAP_LIB"):
        candidates.append(os.environ["RELUCAP_LIB"])
    candidates.append(os.path.join(here, os.pardir, "build", "librelucap.so"))
    found = ctypes.util.find_library("relucap")
    if found:
        candidates.append(found)
    errors = []
    for path in candidates:
        if os.sep in path and not os.path.exists(path):
            errors.append("%s: no such file" % path)
            continue
        try:
            return ctypes.CDLL(path)
        except OSError as e:
            errors.append("%s: %s" % (path, e))
    raise ImportError("relucap: cannot load librelucap.so (run `make` in the repository root, "
                      "or set RELUCAP_LIB); tried: " + "; ".join(errors))


_lib = _load_library()

# --------------------------------------------------------------------------------------------
# C declarations mirrored from include/relucap/common.h and include/relucap/plain.h.
# Keep in the same order as the C structs; tests/python/test_relucap.py checks values that
# a misaligned layout could not produce (V_1 = 1, r_0 = 1, residual < 1e-10).
# --------------------------------------------------------------------------------------------

_MAX_DEPTH = 64             # RELUCAP_MAX_DEPTH
_KINDS = {"weak": 0, "strong": 1}   # relucap_kind
_QUAD = {"gl": 0, "adaptive": 1}    # relucap_quad_method
_SUCCESS, _EDOM, _EINVAL, _ETOL = 0, 1, 4, 14


class _PlainParams(ctypes.Structure):
    _fields_ = [("depth", ctypes.c_int),
                ("r", ctypes.c_double * (_MAX_DEPTH + 1)),
                ("gbar", ctypes.c_double * (_MAX_DEPTH + 1)),
                ("gamma", ctypes.c_double * (_MAX_DEPTH + 1)),
                ("nu", ctypes.c_double)]


class _PlainProblem(ctypes.Structure):
    _fields_ = [("depth", ctypes.c_int),
                ("kind", ctypes.c_int),
                ("alphas", ctypes.POINTER(ctypes.c_double)),
                ("ratios", ctypes.POINTER(ctypes.c_double)),
                ("quad", ctypes.c_int),
                ("nodes", ctypes.c_size_t),
                ("alpha1_min", ctypes.c_double)]


class _PlainResult(ctypes.Structure):
    _fields_ = [("capacity", ctypes.c_double),
                ("c", ctypes.c_double), ("nu1", ctypes.c_double), ("q", ctypes.c_double),
                ("V", ctypes.c_double * (_MAX_DEPTH + 1)),
                ("params", _PlainParams),
                ("residual", ctypes.c_double),
                ("gradient_max", ctypes.c_double),
                ("value", ctypes.c_double),
                ("block_residual", ctypes.c_double),
                ("quad_error", ctypes.c_double),
                ("admissible", ctypes.c_int),
                ("seconds", ctypes.c_double)]


_LIFTED_MAX_DEPTH = 16      # RELUCAP_LIFTED_MAX_DEPTH (include/relucap/lifted.h)


class _LiftedParams(ctypes.Structure):
    _fields_ = [("depth", ctypes.c_int),
                ("r", ctypes.c_double * (_LIFTED_MAX_DEPTH + 1)),
                ("gbar", ctypes.c_double * (_LIFTED_MAX_DEPTH + 1)),
                ("gamma", ctypes.c_double * (_LIFTED_MAX_DEPTH + 1)),
                ("nu", ctypes.c_double),
                ("c3", ctypes.c_double)]


class _LiftedProblem(ctypes.Structure):
    _fields_ = [("depth", ctypes.c_int),
                ("kind", ctypes.c_int),
                ("alphas", ctypes.POINTER(ctypes.c_double)),
                ("quad", ctypes.c_int),
                ("nodes", ctypes.c_size_t),
                ("c3", ctypes.c_double)]


class _LiftedResult(ctypes.Structure):
    _fields_ = [("capacity", ctypes.c_double),
                ("plain_capacity", ctypes.c_double),
                ("gain", ctypes.c_double),
                ("no_gain", ctypes.c_int),
                ("slope", ctypes.c_double),
                ("dalpha_dc3_0", ctypes.c_double),
                ("params", _LiftedParams),
                ("gs", ctypes.c_double),
                ("value", ctypes.c_double),
                ("dpsi_dc3", ctypes.c_double),
                ("residual", ctypes.c_double),
                ("gradient_max", ctypes.c_double),
                ("saddle_max_eig_max", ctypes.c_double),
                ("saddle_min_eig_min", ctypes.c_double),
                ("quad_error", ctypes.c_double),
                ("evaluations", ctypes.c_int),
                ("seconds", ctypes.c_double)]


class _OptimizedProblem(ctypes.Structure):
    _fields_ = [("depth", ctypes.c_int),
                ("kind", ctypes.c_int),
                ("alphas", ctypes.POINTER(ctypes.c_double)),
                ("quad", ctypes.c_int),
                ("nodes", ctypes.c_size_t),
                ("ratio_min", ctypes.c_double), ("ratio_max", ctypes.c_double),
                ("scan_points", ctypes.c_int)]


_D = ctypes.c_double * (_MAX_DEPTH + 1)


class _OptimizedResult(ctypes.Structure):
    _fields_ = [("capacity", ctypes.c_double),
                ("ratios", _D), ("curvature", _D), ("V", _D), ("gbar", _D), ("gamma", _D), ("rho", _D),
                ("c", ctypes.c_double), ("nu1", ctypes.c_double), ("q", ctypes.c_double),
                ("residual", ctypes.c_double),
                ("root_residual", ctypes.c_double),
                ("half_gap", ctypes.c_double),
                ("grid_gap", ctypes.c_double),
                ("scan_gap", ctypes.c_double),
                ("quad_error", ctypes.c_double),
                ("boundary_layer", ctypes.c_int),
                ("seconds", ctypes.c_double)]


_lib.relucap_optimized_capacity.argtypes = [ctypes.POINTER(_OptimizedProblem), ctypes.POINTER(_OptimizedResult)]
_lib.relucap_optimized_capacity.restype = ctypes.c_int
_EBOUNDARY = 33             # RELUCAP_EBOUNDARY (include/relucap/optimized.h)

_lib.relucap_plain_capacity.argtypes = [ctypes.POINTER(_PlainProblem), ctypes.POINTER(_PlainResult)]
_lib.relucap_plain_capacity.restype = ctypes.c_int
_lib.relucap_lifted_capacity.argtypes = [ctypes.POINTER(_LiftedProblem), ctypes.POINTER(_LiftedResult)]
_lib.relucap_lifted_capacity.restype = ctypes.c_int
_lib.relucap_gate_capacity_level.argtypes = [ctypes.c_int, ctypes.POINTER(ctypes.c_double)]
_lib.relucap_gate_capacity_level.restype = ctypes.c_int
_GATE_MAX_LEVEL = 13        # RELUCAP_GATE_MAXSTEPS + 1
_lib.relucap_strerror.argtypes = [ctypes.c_int]
_lib.relucap_strerror.restype = ctypes.c_char_p


class RelucapError(RuntimeError):
    """A numerical failure reported by the C library (no number is returned).

    ``status`` is the relucap status code (include/relucap/common.h)."""

    def __init__(self, status, what):
        self.status = status
        msg = _lib.relucap_strerror(status)
        RuntimeError.__init__(self, "%s: %s (relucap status %d)"
                              % (what, msg.decode() if msg else "error", status))


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------

Capacity = namedtuple("Capacity", ["capacity", "depth", "kind", "method", "alphas", "params",
                                   "residual", "quad_error", "admissible", "seconds", "extra"])
Capacity.__doc__ = """A capacity bound with its evidence (``capacity(..., details=True)``).

capacity    the bound alpha_L = m_L / n
alphas      numpy array alpha_1..alpha_{L-1} (the inputs)
params      dict: every saddle-point parameter by name (r1.., gbar1.., gamma1.., nu, c)
residual    max |gradient| of the objective at the saddle point
quad_error  estimated absolute quadrature error of ``capacity``
admissible  False when an input ratio is below the capacity of the network before it
seconds     time spent in the C library
extra       method-specific evidence (lifted: plain_capacity, gain, no_gain, slope_c3_0, the
            saddle's Hessian eigenvalue bounds; plain: empty)"""

Chain = namedtuple("Chain", ["depth", "capacity", "expansion", "method", "kind", "rows", "alpha1_source"])
Chain.__doc__ = """Capacities at depths 1..L (``chain``): numpy arrays ``depth``, ``capacity``
(alpha_k) and ``expansion`` (alpha_k / alpha_{k-1}, alpha_0 = 1); ``rows`` holds the
``Capacity`` of every depth >= 2 (None at depth 1); ``alpha1_source``: 'gate:3', 'plain', 'given'..."""

Design = namedtuple("Design", ["input_dim", "widths", "alphas", "expansions", "total_units",
                               "method", "kind", "alpha1_source"])
Design.__doc__ = """Minimal layer widths (``design``): numpy arrays ``widths`` (m_k = ceil(alpha_k N)),
``alphas``, ``expansions`` (m_k / m_{k-1}, m_0 = N) and the sum ``total_units``."""

# --------------------------------------------------------------------------------------------
# Methods: one function per method, (depth, kind, alphas, alpha1_min) -> Capacity.
# --------------------------------------------------------------------------------------------

def _check_kind(kind):
    if kind not in _KINDS:
        raise ValueError("kind %r: allowed are 'weak' and 'strong'" % (kind,))
    return _KINDS[kind]


def _plain_capacity(depth, kind, alphas, alpha1_min=0.0, quad="gl", nodes=0):
    """Plain RDT bound (C: relucap_plain_capacity, eq. (72) of arXiv 2412.19677)."""
    a = np.ascontiguousarray(alphas, dtype=np.float64)
    if quad not in _QUAD:
        raise ValueError("quad %r: allowed are 'gl' and 'adaptive'" % (quad,))
    if isinstance(nodes, bool) or int(nodes) != nodes or not (nodes == 0 or 16 <= nodes <= 4096):
        raise ValueError("nodes %r: allowed are integers 16..4096 (0: default)" % (nodes,))
    prob = _PlainProblem()
    prob.depth = depth
    prob.kind = _check_kind(kind)
    prob.alphas = a.ctypes.data_as(ctypes.POINTER(ctypes.c_double)) if a.size else None
    prob.ratios = None
    prob.quad = _QUAD[quad]
    prob.nodes = int(nodes)
    prob.alpha1_min = alpha1_min
    res = _PlainResult()
    st = _lib.relucap_plain_capacity(ctypes.byref(prob), ctypes.byref(res))
    if st == _EINVAL:
        raise ValueError("capacity: invalid input (depth %d, alphas %s)" % (depth, list(a)))
    if st == _EDOM:
        raise ValueError("capacity: alphas %s outside the domain where the plain bound is defined "
                         "(a hidden layer's saddle point does not exist)" % (list(a),))
    if st != _SUCCESS:
        raise RelucapError(st, "plain capacity at depth %d" % depth)
    if res.V[1] != 1.0 or res.params.r[0] != 1.0 or res.params.depth not in (0, depth):
        raise ImportError("relucap.py: the C struct relucap_plain_result changed; update the ctypes "
                          "mirror in python/relucap.py (V_1 = %r, r_0 = %r)" % (res.V[1], res.params.r[0]))
    residual = max(res.residual, res.block_residual)
    _check_evidence("plain capacity at depth %d" % depth, res.capacity, residual, res.quad_error)
    p = res.params
    params = {}
    for i in range(1, depth):
        params["r_%d" % i] = p.r[i]
    for i in range(1, depth + 1):
        params["gbar_%d" % i] = p.gbar[i]
    for i in range(1, depth):
        params["gamma_%d" % i] = p.gamma[i]
    params["nu"] = p.nu
    params["c"] = res.c
    params["q"] = res.q
    return Capacity(res.capacity, depth, kind, "plain", a.copy(), params, residual,
                    res.quad_error, bool(res.admissible), res.seconds, {})


def _check_evidence(what, capacity, residual, quad_error):
    """The CLI's evidence gates (cli/rdt.c): an unconverged number is never returned."""
    if not (residual < 1e-10 and math.isfinite(capacity)):
        raise RelucapError(_ETOL, "%s: residual %g >= 1e-10" % (what, residual))
    if not quad_error < 1e-9 * abs(capacity):
        raise RelucapError(_ETOL, "%s: quadrature error %g" % (what, quad_error))


def _lifted_capacity(depth, kind, alphas, alpha1_min=0.0, quad="gl", nodes=0, c3=0.0):
    """Partially lifted RDT bound (C: relucap_lifted_capacity, docs/lifted-rdt.md): the plain
    objective with the lifting parameter c3, optimised over c3 (c3=0) or held at c3 > 0."""
    a = np.ascontiguousarray(alphas, dtype=np.float64)
    if depth > _LIFTED_MAX_DEPTH:
        raise ValueError("depth %d: the lifted method supports depth <= %d" % (depth, _LIFTED_MAX_DEPTH))
    if quad not in _QUAD:
        raise ValueError("quad %r: allowed are 'gl' and 'adaptive'" % (quad,))
    if isinstance(nodes, bool) or int(nodes) != nodes or not (nodes == 0 or 16 <= nodes <= 4096):
        raise ValueError("nodes %r: allowed are integers 16..4096 (0: default)" % (nodes,))
    if not (math.isfinite(c3) and c3 >= 0):
        raise ValueError("c3 %r: must be finite and >= 0 (0: optimise over c3)" % (c3,))
    prob = _LiftedProblem()
    prob.depth = depth
    prob.kind = _check_kind(kind)
    prob.alphas = a.ctypes.data_as(ctypes.POINTER(ctypes.c_double)) if a.size else None
    prob.quad = _QUAD[quad]
    prob.nodes = int(nodes)
    prob.c3 = c3
    res = _LiftedResult()
    st = _lib.relucap_lifted_capacity(ctypes.byref(prob), ctypes.byref(res))
    if st == _EINVAL:
        raise ValueError("capacity: invalid input (depth %d, alphas %s)" % (depth, list(a)))
    if st == _EDOM:
        raise ValueError("capacity: alphas %s (c3 %g) outside the domain where the lifted bound is "
                         "defined" % (list(a), c3))
    if st != _SUCCESS:
        raise RelucapError(st, "lifted capacity at depth %d" % depth)
    p = res.params
    if p.r[0] != 1.0 or p.depth not in (0, depth):
        raise ImportError("relucap.py: the C struct relucap_lifted_result changed; update the ctypes "
                          "mirror in python/relucap.py (r_0 = %r, depth = %r)" % (p.r[0], p.depth))
    _check_evidence("lifted capacity at depth %d" % depth, res.capacity, res.residual, res.quad_error)
    params = {}
    for i in range(1, depth):
        params["r_%d" % i] = p.r[i]
    for i in range(1, depth + 1):
        params["gbar_%d" % i] = p.gbar[i]
    for i in range(1, depth):
        params["gamma_%d" % i] = p.gamma[i]
    params["nu"] = p.nu
    params["c3"] = p.c3
    params["gs"] = res.gs
    extra = {"plain_capacity": res.plain_capacity, "gain": res.gain, "no_gain": bool(res.no_gain),
             "slope_c3_0": res.slope, "saddle_max_eig_max_vars": res.saddle_max_eig_max,
             "saddle_min_eig_min_vars": res.saddle_min_eig_min}
    admissible = not (alpha1_min > 0 and depth > 1 and a[0] < alpha1_min)   # as cli/rdt.c
    return Capacity(res.capacity, depth, kind, "lifted", a.copy(), params, res.residual,
                    res.quad_error, admissible, res.seconds, extra)


def _optimized_capacity(depth, kind, alphas, alpha1_min=0.0, quad="gl", nodes=0, ratio_range=None):
    """Plain RDT minimised over the dual-norm ratios pi_2..pi_L (C: relucap_optimized_capacity,
    docs/optimized-rdt.md; as ``relucap capacity --method optimized``)."""
    a = np.ascontiguousarray(alphas, dtype=np.float64)
    if quad not in _QUAD:
        raise ValueError("quad %r: allowed are 'gl' and 'adaptive'" % (quad,))
    if isinstance(nodes, bool) or int(nodes) != nodes or not (nodes == 0 or 16 <= nodes <= 4096):
        raise ValueError("nodes %r: allowed are integers 16..4096 (0: default)" % (nodes,))
    lo, hi = ratio_range if ratio_range is not None else (0.0, 0.0)
    if ratio_range is not None and not (0 < lo < hi and math.isfinite(hi)):
        raise ValueError("ratio_range %r: expected (LO, HI) with 0 < LO < HI" % (ratio_range,))
    prob = _OptimizedProblem()
    prob.depth = depth
    prob.kind = _check_kind(kind)
    prob.alphas = a.ctypes.data_as(ctypes.POINTER(ctypes.c_double)) if a.size else None
    prob.quad = _QUAD[quad]
    prob.nodes = int(nodes)
    prob.ratio_min, prob.ratio_max = lo, hi
    prob.scan_points = 0
    res = _OptimizedResult()
    st = _lib.relucap_optimized_capacity(ctypes.byref(prob), ctypes.byref(res))
    if st == _EINVAL:
        raise ValueError("capacity: invalid input (depth %d, alphas %s)" % (depth, list(a)))
    if st == _EBOUNDARY:
        raise RelucapError(st, "optimized capacity at depth %d: the optimal ratio pi_%d lies on the end "
                           "of the search range" % (depth, res.boundary_layer + 1))
    if st == _EDOM:
        raise RelucapError(27, "optimized capacity at depth %d: no hidden-layer block solution along "
                           "the ratio scan" % depth)
    if st != _SUCCESS:
        raise RelucapError(st, "optimized capacity at depth %d" % depth)
    if res.V[1] != 1.0:
        raise ImportError("relucap.py: the C struct relucap_optimized_result changed; update the ctypes "
                          "mirror in python/relucap.py (V_1 = %r)" % (res.V[1],))
    residual = max(res.residual, res.root_residual)
    _check_evidence("optimized capacity at depth %d" % depth, res.capacity, residual, res.quad_error)
    params = {}
    for k in range(2, depth + 1):
        params["pi_%d" % k] = res.ratios[k]
    for i in range(1, depth):
        params["gbar_%d" % i] = res.gbar[i]
    for i in range(1, depth):
        params["gamma_%d" % i] = res.gamma[i]
    for i in range(1, depth):
        params["rho_%d" % i] = res.rho[i]
    for k in range(2, depth + 1):
        params["V_%d" % k] = res.V[k]
    params["c"] = res.c
    params["q"] = res.q
    # admissible as cli/rdt_optimized.c: alpha_1 >= alpha1_min, alpha_k >= q^{-1}(V_k) (k = 2..L-1)
    admissible = not (alpha1_min > 0 and depth > 1 and a[0] < alpha1_min)
    extra = {"half_gap": res.half_gap, "grid_gap": res.grid_gap, "scan_gap": res.scan_gap}
    for k in range(2, depth + 1):
        extra["curvature_%d" % k] = res.curvature[k]
    for k in range(2, depth):
        if not admissible:
            break
        cap_k = _q_inverse(res.V[k], kind)
        if cap_k is not None and a[k - 1] < cap_k:
            admissible = False
    return Capacity(res.capacity, depth, kind, "optimized", a.copy(), params, residual,
                    res.quad_error, admissible, res.seconds, extra)


_lib.relucap_plain_q_inverse.argtypes = [ctypes.c_double, ctypes.c_int, ctypes.POINTER(ctypes.c_double),
                                         ctypes.POINTER(ctypes.c_double)]
_lib.relucap_plain_q_inverse.restype = ctypes.c_int


def _q_inverse(v, kind):
    """The alpha > kappa with q_kappa(alpha) = v (C: relucap_plain_q_inverse), or None."""
    out = ctypes.c_double()
    st = _lib.relucap_plain_q_inverse(v, _check_kind(kind), ctypes.byref(out), None)
    return out.value if st == _SUCCESS else None


# One entry per method (the names of --method).  "optimized-lifted" and "best" are CLI-only for now.
_CAPACITY_METHODS = {"plain": _plain_capacity, "lifted": _lifted_capacity, "optimized": _optimized_capacity}


def methods():
    """Names of the capacity methods the loaded library provides (e.g. ``['plain']``)."""
    return sorted(_CAPACITY_METHODS)


def _method(method):
    try:
        return _CAPACITY_METHODS[method]
    except KeyError:
        raise ValueError("method %r: allowed are %s" % (method, ", ".join(methods())))


def single_layer(spec="gate:3"):
    """The injectivity capacity of ONE random ReLU layer (m / n), by the named computation:

    "plain" or "gate:1"  plain RDT = fully lifted level 1 (replica symmetric): 7.6476949354
    "gate:L"             fully lifted RDT level L = (L-1)-step RSB, L = 2..13 (C: relucap_gate_
                         capacity_level): gate:2 6.7156968, gate:3 6.7003919 (the default)

    These are the values ``relucap chain/design --alpha1 SPEC`` use (levels "2p" and "full" are
    only in ``relucap gate``).  Each is computed once per process (gate:3 takes ~0.1 s)."""
    if spec in _single_layer_cache:
        return _single_layer_cache[spec]
    if spec in ("plain", "gate:1"):
        value = _plain_capacity(1, "weak", []).capacity
    else:
        level = spec[5:] if isinstance(spec, str) and spec.startswith("gate:") else ""
        if not (level.isdigit() and 1 <= int(level) <= _GATE_MAX_LEVEL):
            raise ValueError("single-layer spec %r: allowed are 'plain' and 'gate:L' with L in 1..%d "
                             "(levels 2p and full: relucap gate)" % (spec, _GATE_MAX_LEVEL))
        c = ctypes.c_double()
        st = _lib.relucap_gate_capacity_level(int(level), ctypes.byref(c))
        if st != _SUCCESS or not math.isfinite(c.value):
            raise RelucapError(st or _ETOL, "single-layer capacity %s" % spec)
        value = c.value
    _single_layer_cache[spec] = value
    return value


_single_layer_cache = {}


def best_alpha1(kind="weak", method="plain"):
    """The best single-layer capacity relucap computes: fully lifted RDT level 3,
    ``single_layer("gate:3")`` = 6.7003919.  The default alpha_1 of ``chain`` and ``design`` and
    the admissibility threshold for alpha_1, as in the CLI (cli/rdt.c, rdt_best_single_layer).

    The same value serves both kinds and every method: the first layer of a deep network only has
    to be injective (the weak notion), which is why the paper uses one alpha_1 = 6.7004 for its weak
    and strong tables.  ``kind`` and ``method`` are checked and kept for methods where they matter."""
    _check_kind(kind)
    _method(method)
    return single_layer("gate:3")


def _alpha1(alpha1):
    """(value, source) of an alpha1 argument: None -> gate:3; 'plain' / 'gate:L'; or a number."""
    if alpha1 is None:
        return best_alpha1(), "gate:3"
    if isinstance(alpha1, str):
        return single_layer(alpha1), alpha1
    a = float(alpha1)
    if not (math.isfinite(a) and a > 0):
        raise ValueError("alpha1 %r: must be finite and positive, 'plain' or 'gate:L'" % (alpha1,))
    return a, "given"


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------

def _check_depth(depth):
    if isinstance(depth, bool) or int(depth) != depth or not 1 <= depth <= _MAX_DEPTH:
        raise ValueError("depth %r: allowed are integers 1..%d" % (depth, _MAX_DEPTH))
    return int(depth)


def _check_alphas(alphas, depth):
    a = np.asarray(alphas if alphas is not None else [], dtype=np.float64)
    if a.shape[-1:] != (depth - 1,) and not (depth == 1 and a.size == 0):
        raise ValueError("alphas %s: depth %d needs %d ratio(s) alpha_1..alpha_%d"
                         % (a.tolist(), depth, depth - 1, depth - 1))
    if not np.all(np.isfinite(a)) or np.any(a <= 0):
        raise ValueError("alphas %s: ratios must be finite and positive" % (a.tolist(),))
    return a


def capacity(depth=1, kind="weak", alphas=(), method="plain", details=False, **options):
    """The injectivity capacity bound alpha_L = m_L / n of an L-layer ReLU network.

    depth    L >= 1, the number of layers
    kind     "weak" or "strong" injectivity (eq. 17 of arXiv 2412.19677)
    alphas   alpha_1..alpha_{L-1} = m_k / n of the earlier layers (empty for depth 1)
    method   "plain" (plain RDT), "lifted" (partially lifted RDT, c3 optimised) or "optimized"
             (plain RDT minimised over the dual-norm ratios); ``methods()``
    details  False: return the number; True: a ``Capacity`` with every saddle parameter,
             the residual, the quadrature error estimate and admissibility
    options  passed to the method; plain: quad="gl"|"adaptive" (Gauss-Legendre, default, or
             GSL's adaptive rule: the cross-check of ``--quad``), nodes=N (GL nodes per half-line,
             16..4096; 0 = the library default 64); lifted: the same and c3=X (> 0: hold the
             lifting parameter at X; 0, the default: optimise over it); optimized: quad, nodes
             and ratio_range=(LO, HI) (the search range of every ratio)

    Example: ``capacity(depth=2, kind="weak", alphas=[6.7004])`` -> 8.26... (paper Table 2).
    Raises ValueError for bad input, RelucapError when the solve fails."""
    depth = _check_depth(depth)
    a = _check_alphas(alphas, depth)
    if a.ndim > 1:
        raise ValueError("capacity: alphas must be one vector; use capacities() for many")
    cap = _method(method)(depth, kind, a, alpha1_min=best_alpha1(kind, method) if depth > 1 else 0.0,
                          **options)
    return cap if details else cap.capacity


def capacities(depth, kind, alphas, method="plain"):
    """Vectorised ``capacity``: alphas is a (K, depth-1) array, one network per row; returns
    a numpy array of K bounds.  Example: ``capacities(2, "weak", [[6.7], [7.6], [9.0]])``."""
    depth = _check_depth(depth)
    a = np.atleast_2d(np.asarray(alphas, dtype=np.float64))
    if depth == 1:
        a = a.reshape(-1, 0) if a.size == 0 else a
    a = _check_alphas(a, depth)
    f = _method(method)
    return np.array([f(depth, kind, row).capacity for row in a], dtype=np.float64)


def chain(depth, kind="weak", alpha1=None, method="plain"):
    """Capacities at depths 1..L, each layer's ratio fixed at the capacity of the depth before it
    (paper Table 7): alpha_k = capacity(k, kind, [alpha_1..alpha_{k-1}]).  As ``relucap chain``.

    alpha1  the ratio of the first layer: a number (6.7004 reproduces the paper's chain), 'plain'
            or 'gate:L' (``single_layer``); default None = best_alpha1() (gate:3, as the CLI).
    Returns a ``Chain`` of numpy arrays ``depth``, ``capacity``, ``expansion`` (alpha_0 = 1),
    with ``rows`` (the ``Capacity`` of depths >= 2; None at depth 1) and ``alpha1_source``."""
    depth = _check_depth(depth)
    _check_kind(kind)
    f = _method(method)
    a1, source = _alpha1(alpha1)
    caps, rows = [a1], [None]
    a1min = best_alpha1(kind, method) if depth > 1 else 0.0
    for k in range(2, depth + 1):
        r = f(k, kind, np.array(caps), alpha1_min=a1min)
        rows.append(r)
        caps.append(r.capacity)
    caps = np.array(caps)
    expansion = caps / np.concatenate(([1.0], caps[:-1]))
    return Chain(np.arange(1, depth + 1), caps, expansion, method, kind, rows, source)


def design(input_dim, depth, kind="weak", method="plain", alpha1=None):
    """Minimal width of every layer of an L-layer network on N inputs that the chosen bound
    allows to be injective (the algorithm of ``relucap design``, same numbers):

        alpha_1 = best_alpha1() = gate:3 (or ``alpha1``: a number, 'plain', 'gate:L'),
        m_k = ceil(alpha_k N),
        alpha_k = capacity(k, kind, [m_1/N, ..., m_{k-1}/N])   (k >= 2),

    i.e. each bound is taken at the integer widths already chosen (rounding up an earlier layer
    raises the later bounds slightly).  Returns a ``Design``: numpy arrays ``widths``, ``alphas``,
    ``expansions`` (m_k / m_{k-1}, m_0 = N) and ``total_units``."""
    if isinstance(input_dim, bool) or int(input_dim) != input_dim or not 1 <= input_dim <= 10**9:
        raise ValueError("input_dim %r: must be an integer in [1, 1e9]" % (input_dim,))
    depth = _check_depth(depth)
    _check_kind(kind)
    f = _method(method)
    n = int(input_dim)
    a1, source = _alpha1(alpha1)
    alphas = [a1]
    widths = [_min_width(a1, n)]
    for k in range(2, depth + 1):
        alphas.append(f(k, kind, np.array(widths, dtype=np.float64) / n).capacity)
        widths.append(_min_width(alphas[-1], n))
    widths = np.array(widths, dtype=np.int64)
    expansions = widths / np.concatenate(([n], widths[:-1])).astype(np.float64)
    return Design(n, widths, np.array(alphas), expansions, int(widths.sum()), method, kind, source)


def _min_width(alpha, n):
    """ceil(alpha n), ignoring the last few ulps of alpha n (6.7004 * 10000 -> 67004), as the CLI."""
    return int(math.ceil(alpha * n * (1 - 4 * np.finfo(np.float64).eps)))

# --------------------------------------------------------------------------------------------
# Finite networks: the exact count D (relucap depth) and the exact check (relucap check).
# The library's result structs hold pointers, so these go through the flat entry points of
# include/relucap/ffi.h; the mirrors below are guarded by relucap_ffi_sizeof.
# --------------------------------------------------------------------------------------------

_FINITE_MAXDEPTH = 8        # RELUCAP_FINITE_MAXDEPTH (include/relucap/finite.h)
_DEPTH_MAX_N = 64           # largest input dimension `relucap depth` accepts
_SOLVERS = {"bb": 0, "milp": 1, "enum": 2, "search": 3}   # relucap_depth_method
_ETIME = 31
_EUNSUP = 41


class _FfiDepthOut(ctypes.Structure):
    _fields_ = [("depth_count", ctypes.c_int), ("lower", ctypes.c_int), ("upper", ctypes.c_int),
                ("injective_weak", ctypes.c_int), ("injective_strong", ctypes.c_int),
                ("span_criterion", ctypes.c_int), ("certified", ctypes.c_int),
                ("timed_out", ctypes.c_int), ("witness_count", ctypes.c_int), ("n", ctypes.c_int),
                ("certificate_complete", ctypes.c_int),
                ("nodes", ctypes.c_long), ("lps", ctypes.c_long),
                ("simplices_checked", ctypes.c_long), ("simplices_failed", ctypes.c_long),
                ("witness_margin", ctypes.c_double), ("seconds", ctypes.c_double)]


class _FfiLayerOut(ctypes.Structure):
    _fields_ = ([(f, ctypes.c_int) for f in ("checked", "verdict", "orthant", "active_exact", "timed_out",
                                              "conflict", "certificates_complete")]
                + [(f, ctypes.c_long) for f in ("m", "n", "rank", "zero_rows", "lines", "hyperplanes", "nodes",
                                                "by_antipodal", "by_lp", "by_cache", "active_lower",
                                                "active_upper", "ncert", "open_hyperplanes")]
                + [(f, ctypes.c_double) for f in ("hyperplanes_bound", "max_cert_residual", "seconds",
                                                          "near_degenerate", "tolerance")])


class _FfiRegionOut(ctypes.Structure):
    _fields_ = ([("run", ctypes.c_int), ("complete", ctypes.c_int)] +
                [(k, ctypes.c_long) for k in ("regions", "region_lps", "collision_layer", "pairs_disjoint",
                                              "pairs_touching", "pairs_same_cell", "pairs_unresolved",
                                              "samples", "samples_missing", "pair_lps")] +
                [(k, ctypes.c_double) for k in ("pairs", "pairs_examined", "pairs_separated", "min_inradius",
                                                "min_jacobian_ratio", "seconds_regions", "seconds")] +
                [("stopped", ctypes.c_char * 96)])


class _FfiCheckOut(ctypes.Structure):
    _fields_ = [("verdict", ctypes.c_int), ("certified", ctypes.c_int), ("n", ctypes.c_int),
                ("depth", ctypes.c_int), ("witness_diff", ctypes.c_double), ("seconds", ctypes.c_double),
                ("reason", ctypes.c_char * 256), ("regions", _FfiRegionOut)]


_DP = ctypes.POINTER(ctypes.c_double)
_IP = ctypes.POINTER(ctypes.c_int)
_lib.relucap_ffi_sizeof.argtypes = [ctypes.c_int]
_lib.relucap_ffi_sizeof.restype = ctypes.c_size_t
_lib.relucap_ffi_sample.argtypes = [ctypes.c_int, _IP, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_ulong, _DP]
_lib.relucap_ffi_sample.restype = ctypes.c_int
_lib.relucap_ffi_depth.argtypes = [ctypes.c_int, _IP, _DP, ctypes.c_int, ctypes.c_int, ctypes.c_double, _DP,
                                   ctypes.POINTER(_FfiDepthOut)]
_lib.relucap_ffi_depth.restype = ctypes.c_int
_lib.relucap_ffi_check.argtypes = [ctypes.c_int, _IP, _DP, _DP, _IP, ctypes.c_double, _DP, _DP,
                                   ctypes.POINTER(_FfiCheckOut), ctypes.POINTER(_FfiLayerOut)]
_lib.relucap_ffi_check.restype = ctypes.c_int
_lib.relucap_lp_available.argtypes = []
_lib.relucap_lp_available.restype = ctypes.c_int

for _which, _mirror in enumerate((_FfiDepthOut, _FfiLayerOut, _FfiCheckOut)):
    if _lib.relucap_ffi_sizeof(_which) != ctypes.sizeof(_mirror):
        raise ImportError("relucap.py: the C struct %s changed (C %d bytes, mirror %d); update the ctypes "
                          "mirror in python/relucap.py" % (_mirror.__name__, _lib.relucap_ffi_sizeof(_which),
                                                          ctypes.sizeof(_mirror)))

Depth = namedtuple("Depth", ["depth_count", "lower", "upper", "injective_weak", "injective_strong",
                             "witness", "witness_count", "witness_margin", "span_criterion", "certified",
                             "certificate_complete", "timed_out", "nodes", "lps", "simplices_checked",
                             "simplices_failed", "seconds"])
Depth.__doc__ = """The exact count D = min_{x != 0} #{i : t_i(x) > 0} (eq. 11 of arXiv 2412.19677) of a
given bias-free network (``depth``); the keys of ``relucap depth --json``:

depth_count        D when proven exactly (lower == upper), else None
lower, upper       proven bounds lower <= D <= upper
injective_weak     D >= n: True, False, or None (undecided, e.g. time limit)
injective_strong   D >= 2n (one layer: D >= n, the two notions coincide)
witness            numpy array x (n entries) attaining the count ``upper``
witness_count      #{i : t_i(witness) > 0}, recounted in long double
witness_margin     min_i |t_i(witness)| / |t|_inf: distance of the recount from a tie
span_criterion     one layer with D >= n: the exact span test's answer (True/False), None
                   when it did not run or ran out of time
certified          the question asked is settled with independently checked certificates
certificate_complete  one layer: the root packing of disjoint simplices alone proves ``lower``
                   (the packing itself is CLI-only: ``relucap depth --json``, key ``packing``)
timed_out, nodes, lps, simplices_checked, simplices_failed, seconds"""

class Check(namedtuple("Check", ["injective", "certified", "reason", "witness", "witness_diff", "layers",
                                  "seconds"])):
    regions = None  # set per result (kept out of the tuple: 7-field unpacking stays valid)


Check.__doc__ = """Exact injectivity of a given ReLU network (``check``; ``relucap check --json``):

injective     True (proof: rank + one Gordan certificate per hyperplane), False (a verified
              witness pair), None (undecided: time limit, or beyond the method)
certified     the verdict is backed by a verified certificate
reason        one line: how the verdict was reached
witness       (x1, x2) numpy arrays with f(x1) = f(x2), x1 != x2, when not injective; else None
witness_diff  relative |f(x1) - f(x2)| of the witness (None without one)
layers        one dict per layer: shape (m, n), ratio, domain ('R^n' / 'orthant'), verdict
              ('injective', 'not injective', 'undecided', 'not checked') and, when checked, the
              counts of ``relucap check --json`` (rank, rows_zero, directions, hyperplanes, ...)
seconds       time spent in the library
regions       (attribute, not a tuple field) the exact region decision's evidence when it ran,
              the keys of ``regions`` in ``relucap check --json`` (complete, stopped, regions,
              region_lps, min_inradius, min_jacobian_ratio, pairs, pairs_examined, ...,
              collision_layer, seconds_regions, seconds); None when it did not run"""


def _tri(v):
    """1 / 0 / anything else -> True / False / None."""
    return True if v == 1 else False if v == 0 else None


def _weights(weights, what="weights"):
    """Validate a list of weight matrices W_1 (m1 x n), W_2 (m2 x m1), ...: returns (dims,
    concatenated row-major float64 array, list of the matrices as float64)."""
    if isinstance(weights, np.ndarray) and weights.ndim == 2:
        weights = [weights]
    try:
        mats = [np.asarray(w, dtype=np.float64) for w in weights]
    except (TypeError, ValueError) as e:
        raise ValueError("%s: expected a list of 2-D numeric arrays W_1 (m1 x n), W_2 (m2 x m1), ... (%s)"
                         % (what, e))
    if not mats:
        raise ValueError("%s []: at least one layer W_1 (m1 x n) is needed" % what)
    dims = []
    for k, w in enumerate(mats):
        if w.ndim != 2 or w.shape[0] < 1 or w.shape[1] < 1:
            raise ValueError("%s[%d] has shape %s: expected a non-empty 2-D matrix (m x n)" % (what, k, w.shape))
        if not np.all(np.isfinite(w)):
            raise ValueError("%s[%d]: entries must be finite (found NaN or Inf)" % (what, k))
        if k == 0:
            dims.append(w.shape[1])
        elif w.shape[1] != dims[-1]:
            raise ValueError("%s[%d] has shape %s: its %d columns must equal the %d rows of %s[%d]"
                             % (what, k, w.shape, w.shape[1], dims[-1], what, k - 1))
        dims.append(w.shape[0])
    flat = np.ascontiguousarray(np.concatenate([w.ravel() for w in mats]), dtype=np.float64)
    return dims, flat, mats


def _int_array(values):
    return (ctypes.c_int * len(values))(*values)


def _check_seconds(time_limit, name="time_limit"):
    if isinstance(time_limit, bool) or not isinstance(time_limit, (int, float)) or \
            not (math.isfinite(time_limit) and time_limit > 0):
        raise ValueError("%s %r: must be a finite number of seconds > 0" % (name, time_limit))
    return float(time_limit)


def sample(n, widths, law="gauss", seed=1, stream=0):
    """The weights ``relucap depth --n N --widths M1,M2,.. --law LAW --seed S --stream T`` samples
    (C: relucap_finite_net_sample; mt19937 seeded by a hash of (seed, stream)): a list of numpy
    arrays W_1 (m1 x n), W_2 (m2 x m1), ...  law: 'gauss', 'rademacher', 'uniform', 'sparse:P'.
    Example: ``depth(sample(4, [30], seed=3))`` gives the numbers of ``relucap depth --n 4
    --widths 30 --seed 3``."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= _DEPTH_MAX_N:
        raise ValueError("n %r: allowed are integers 1..%d" % (n, _DEPTH_MAX_N))
    widths = [widths] if isinstance(widths, (int, np.integer)) else list(widths)
    if not 1 <= len(widths) <= _FINITE_MAXDEPTH:
        raise ValueError("widths %r: 1..%d layers" % (widths, _FINITE_MAXDEPTH))
    for w in widths:
        if isinstance(w, bool) or not isinstance(w, (int, np.integer)) or not 1 <= w <= 10**6:
            raise ValueError("widths %r: every width must be an integer in 1..1000000 (got %r)" % (widths, w))
    for name, v in (("seed", seed), ("stream", stream)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or not 0 <= v <= 2147483647:
            raise ValueError("%s %r: allowed are integers 0..2147483647 (as the CLI)" % (name, v))
    if not isinstance(law, str):
        raise ValueError("law %r: allowed are 'gauss', 'rademacher', 'uniform', 'sparse:P' (0 < P <= 1)" % (law,))
    dims = [int(n)] + [int(w) for w in widths]
    out = np.empty(sum(dims[k] * dims[k + 1] for k in range(len(widths))), dtype=np.float64)
    st = _lib.relucap_ffi_sample(len(widths), _int_array(dims), law.encode(), int(seed), int(stream),
                                 out.ctypes.data_as(_DP))
    if st == _EINVAL:
        raise ValueError("law %r: allowed are 'gauss', 'rademacher', 'uniform', 'sparse:P' (0 < P <= 1)" % (law,))
    if st != _SUCCESS:
        raise RelucapError(st, "sample")
    mats, off = [], 0
    for k in range(len(widths)):
        size = dims[k + 1] * dims[k]
        mats.append(out[off:off + size].reshape(dims[k + 1], dims[k]).copy())
        off += size
    return mats


def depth(weights, target=None, time_limit=60.0, solver="bb"):
    """The exact injectivity count D = min_{x != 0} #{i : t_i(x) > 0} of the bias-free network
    t(x) = W_L ReLU(... ReLU(W_1 x)) (eq. 11 of arXiv 2412.19677; C: relucap_depth_net via
    relucap_ffi_depth), as ``relucap depth --layer W1.csv --layer W2.csv ... --json``.

    weights     list of numpy arrays W_1 (m1 x n), W_2 (m2 x m1), ... (1..8 layers, n <= 64);
                a single 2-D array is one layer
    target      None: compute D exactly; 'weak' / 'strong': only decide D >= n / D >= 2n (the
                CLI's --decide, faster); an integer k >= 1: decide D >= k
    time_limit  seconds (> 0); when it expires the bounds proven so far are returned
                (depth_count None, timed_out True), never a guess
    solver      'bb' (branch and bound, certified), 'milp' (CBC; not a certificate), 'enum' (one
                layer, n <= 16), 'search' (one layer, upper bounds only)

    Weakly injective iff D >= n, strongly iff D >= 2n (one layer: both D >= n); a one-layer
    network whose count passes is then settled by the exact span criterion, since given weights
    need not be in general position.  Returns a ``Depth``.  Raises ValueError for bad input,
    RelucapError when the solver fails."""
    dims, flat, _ = _weights(weights)
    n, L = dims[0], len(dims) - 1
    if L > _FINITE_MAXDEPTH:
        raise ValueError("weights: %d layers, at most %d are supported" % (L, _FINITE_MAXDEPTH))
    if n > _DEPTH_MAX_N:
        raise ValueError("weights[0] has %d columns: input dimension n <= %d for the exact count (use check())"
                         % (n, _DEPTH_MAX_N))
    if solver not in _SOLVERS:
        raise ValueError("solver %r: allowed are 'bb', 'milp', 'enum', 'search'" % (solver,))
    if solver in ("enum", "search") and L > 1:
        raise ValueError("solver %r: one layer only, got %d layers" % (solver, L))
    if solver == "enum" and n > 16:
        raise ValueError("solver 'enum': n <= 16 (it visits C(m, n-1) rays), got n = %d" % n)
    strong_k = 2 * n if L > 1 else n
    if target is None:
        k = 0
    elif target == "weak":
        k = n
    elif target == "strong":
        k = strong_k
    elif isinstance(target, (int, np.integer)) and not isinstance(target, bool) and target >= 1:
        k = int(target)
    else:
        raise ValueError("target %r: allowed are None (exact D), 'weak', 'strong' or an integer >= 1" % (target,))
    tl = _check_seconds(time_limit)
    witness = np.zeros(n, dtype=np.float64)
    out = _FfiDepthOut()
    st = _lib.relucap_ffi_depth(L, _int_array(dims), flat.ctypes.data_as(_DP), _SOLVERS[solver], k, tl,
                                witness.ctypes.data_as(_DP), ctypes.byref(out))
    if st == _EUNSUP:
        raise ValueError("solver %r: not available in this build (no CBC)" % (solver,))
    if st not in (_SUCCESS, _ETIME):
        raise RelucapError(st, "depth: solver failed; no value reported")
    if out.n != n or not (0 <= out.lower <= out.upper):
        raise ImportError("relucap.py: the C struct relucap_ffi_depth_out changed; update the ctypes mirror "
                          "(n = %r, lower = %r, upper = %r)" % (out.n, out.lower, out.upper))
    span = out.span_criterion
    return Depth(out.depth_count if out.depth_count >= 0 else None, out.lower, out.upper,
                 _tri(out.injective_weak), _tri(out.injective_strong), witness, out.witness_count,
                 out.witness_margin, _tri(span), bool(out.certified), bool(out.certificate_complete),
                 bool(out.timed_out), int(out.nodes), int(out.lps), int(out.simplices_checked),
                 int(out.simplices_failed), out.seconds)


_VERDICT_NAMES = {1: "injective", 0: "not injective", -1: "undecided"}


def _layer_dict(r):
    d = {"shape": (int(r.m), int(r.n)), "ratio": r.m / r.n, "domain": "orthant" if r.orthant else "R^n",
         "verdict": _VERDICT_NAMES.get(r.verdict, "undecided") if r.checked else "not checked"}
    if r.checked:
        d.update({"rank": r.rank, "rows_zero": r.zero_rows, "directions": r.lines,
                  "hyperplanes": r.hyperplanes, "search_nodes": r.nodes,
                  "hyperplanes_bound": math.floor(r.hyperplanes_bound + 0.5) if r.hyperplanes_bound < 9e15
                  else r.hyperplanes_bound,
                  "closed_by_antipodal_pairs": r.by_antipodal, "closed_by_lp": r.by_lp,
                  "closed_by_earlier_certificate": r.by_cache, "max_certificate_residual": r.max_cert_residual,
                  "min_active_count": {"lower": r.active_lower, "upper": r.active_upper,
                                       "exact": bool(r.active_exact)},
                  "certificates_total": r.ncert, "certificates_complete": bool(r.certificates_complete),
                  "timed_out": bool(r.timed_out), "near_degenerate": r.near_degenerate,
                  "tolerance": r.tolerance, "seconds": r.seconds})
        if r.conflict:
            d["solver_conflict"] = True
    return d


def check(weights, biases=None, time_limit=60.0):
    """Is f(x) = ReLU(W_L ... ReLU(W_1 x + b_1) ... + b_L) injective?  Decided exactly with no
    general-position assumption (C: relucap_netcheck via relucap_ffi_check; docs/check.md), as
    ``relucap check --layer W1[,b1] --layer W2[,b2] ... --json``.

    weights     list of numpy arrays W_1 (m1 x n), W_2 (m2 x m1), ...; one 2-D array is one layer
    biases      None (no biases), or a list with one entry per layer: a vector of m_k entries or
                None for a layer without bias
    time_limit  seconds for the whole check (> 0); afterwards the verdict is None (undecided)

    Returns a ``Check``: injective True/False/None, certified, reason, witness (x1, x2) when not
    injective, per-layer summaries, seconds.  Raises ValueError for bad input, RelucapError when
    the solver fails (or the build has no LP solver)."""
    dims, flat, mats = _weights(weights)
    L, n = len(mats), dims[0]
    bflat, has = None, None
    if biases is not None:
        if isinstance(biases, np.ndarray) and biases.ndim == 1 and L == 1:
            biases = [biases]
        biases = list(biases)
        if len(biases) != L:
            raise ValueError("biases: %d entries for %d layers (one vector or None per layer)" % (len(biases), L))
        parts, has = [], []
        for k, b in enumerate(biases):
            if b is None:
                parts.append(np.zeros(dims[k + 1]))
                has.append(0)
                continue
            try:
                v = np.asarray(b, dtype=np.float64)
            except (TypeError, ValueError):
                raise ValueError("biases[%d] %r: expected a numeric vector of %d entries" % (k, b, dims[k + 1]))
            if v.ndim == 2 and 1 in v.shape:
                v = v.ravel()
            if v.ndim != 1 or v.size != dims[k + 1]:
                raise ValueError("biases[%d] has shape %s: expected %d entries (the rows of weights[%d])"
                                 % (k, v.shape, dims[k + 1], k))
            if not np.all(np.isfinite(v)):
                raise ValueError("biases[%d]: entries must be finite (found NaN or Inf)" % k)
            parts.append(v)
            has.append(1)
        bflat = np.ascontiguousarray(np.concatenate(parts), dtype=np.float64)
    tl = _check_seconds(time_limit)
    if not _lib.relucap_lp_available():
        raise RelucapError(_EUNSUP, "check: this build has no LP solver (COIN-OR CLP)")
    x1 = np.zeros(n)
    x2 = np.zeros(n)
    out = _FfiCheckOut()
    layers = (_FfiLayerOut * L)()
    st = _lib.relucap_ffi_check(L, _int_array(dims), flat.ctypes.data_as(_DP),
                                bflat.ctypes.data_as(_DP) if bflat is not None else None,
                                _int_array(has) if has is not None else None, tl, x1.ctypes.data_as(_DP),
                                x2.ctypes.data_as(_DP), ctypes.byref(out), layers)
    if st == _EINVAL:
        raise ValueError("check: the library refused the network (shapes %s)" % ([w.shape for w in mats],))
    if st != _SUCCESS:
        raise RelucapError(st, "check: the exact solver failed; no verdict")
    if out.n != n or out.depth != L:
        raise ImportError("relucap.py: the C struct relucap_ffi_check_out changed; update the ctypes mirror "
                          "(n = %r, depth = %r)" % (out.n, out.depth))
    inj = _tri(out.verdict)
    witness = (x1, x2) if inj is False else None
    c = Check(inj, bool(out.certified), out.reason.decode(errors="replace"), witness,
              out.witness_diff if inj is False else None, [_layer_dict(r) for r in layers], out.seconds)
    c.regions = _region_dict(out.regions)
    return c


def _region_dict(R):
    """The ``regions`` object of ``relucap check --json`` (None when the region search did not run)."""
    if not R.run:
        return None
    d = {"complete": bool(R.complete), "stopped": R.stopped.decode(errors="replace") or None,
         "regions": R.regions, "region_lps": R.region_lps}
    if R.regions and math.isfinite(R.min_inradius):
        d["min_inradius"] = R.min_inradius
    if R.regions and math.isfinite(R.min_jacobian_ratio):
        d["min_jacobian_ratio"] = R.min_jacobian_ratio
    for k in ("pairs", "pairs_examined", "pairs_separated"):
        d[k] = int(getattr(R, k))
    for k in ("pairs_disjoint", "pairs_touching", "pairs_same_cell", "pairs_unresolved", "samples",
              "samples_missing", "pair_lps"):
        d[k] = getattr(R, k)
    if R.collision_layer:
        d["collision_layer"] = R.collision_layer
    d["seconds_regions"] = R.seconds_regions
    d["seconds"] = R.seconds
    return d

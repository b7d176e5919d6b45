"""relucap - injectivity capacity of random ReLU networks, from Python.

A thin ctypes binding over the C library ``librelucap.so`` (no compilation step): after
``make`` in the repository root, ``PYTHONPATH=python /usr/bin/python3`` is enough::

    >>> import relucap
    >>> relucap.capacity(depth=2, kind="weak", alphas=[6.7004])       # doctest: +ELLIPSIS
    8.26...
    >>> [round(c, 4) for c in relucap.chain(depth=4, kind="weak", alpha1=6.7004).capacity]
    [6.7004, 8.2667, 9.4714, 10.7777]

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

# Extension point (finite-n exact checks, network files): once `relucap depth/mc/check` have a
# C API on main, add `depth(...)` and `check(...)` here with the same pattern: argtypes/restype
# declarations next to the structs above, input validation raising ValueError naming the value,
# RelucapError for library failures, numpy arrays in and out.

#!/usr/bin/python3
"""Independent reference decision of injectivity for BIAS-FREE ReLU networks, by mixed-integer LP.

    f(x) = ReLU(W_L ... ReLU(W_2 ReLU(W_1 x)) ...),   W_1 of shape m_1 x n, any n, any depth.

Method (one MILP per input coordinate; shares no code or idea with relucap's region/LP
enumeration: no regions, no hyperplane arrangements, no rank tests, only a branch-and-bound
solver on an exact mixed-integer encoding of two copies of the network):

1. Normalise each layer to unit Frobenius norm.  ReLU(c z) = c ReLU(z) for c > 0, so this only
   multiplies f by a positive constant and does not change injectivity (an all-zero layer makes
   f = 0: not injective, witness (0, e_1), no MILP needed).
2. f is positively homogeneous (f(t x) = t f(x), t >= 0).  If f(x1) = f(x2) with x1 != x2, then
   dividing both by max(|x1|_inf, |x2|_inf) gives a colliding pair in the box [-1, 1]^n, so
       f injective  <=>  { (x1, x2) in [-1,1]^n x [-1,1]^n : f(x1) = f(x2) } = diagonal
                    <=>  OPT_j := max { (x1 - x2)_j : x1, x2 in box, f(x1) = f(x2) } = 0  for all j.
   (The pair x1 = x2 is always feasible, so OPT_j >= 0; swapping x1 and x2 maps the set onto
   itself and negates (x1 - x2)_j, so max of -(x1 - x2)_j equals OPT_j: n MILPs, not 2n.)
3. Exact encoding of y = ReLU(z), z = w . h (h: previous layer's output of the same copy), with
   pre-activation bounds l <= z <= u from interval arithmetic through the layers starting at the
   box (first layer: u = -l = |w|_1; later layers: u = sum_j max(w_j, 0) U_j, l = sum_j min(w_j, 0) U_j
   with U_j = max(u_j, 0) the bound of the previous output), and one binary d per neuron per copy:
       u <= 0:  y = 0;           l >= 0:  y = z;
       else:    y >= 0,  y >= z,  y <= z - l (1 - d),  y <= u d,  d in {0, 1}
   (d = 1 forces y = z >= 0, d = 0 forces y = 0 >= z).  Coupling: y_L(copy 1) = y_L(copy 2).
   Objective: maximise K (x1 - x2)_j with K = 1e4 (see 5).  Solved by scipy.optimize.milp (HiGHS)
   with mip_rel_gap = 0.
4. Verdict, with tolerances used honestly:
     some OPT_j > COLLIDE_TOL (1e-6): candidate collision.  Its binaries are rounded and fixed and
       the same model is re-solved as an LP (scipy linprog/HiGHS, primal feasibility 1e-10), which
       removes the MILP's integrality/feasibility slack (HiGHS accepts d within 1e-6 of an integer,
       i.e. ReLU errors of ~1e-6 M); the pair (x1, x2) is then re-verified by a numpy forward pass
       on the ORIGINAL layers:
           |x1 - x2| > 0  and  |f(x1) - f(x2)| <= VERIFY_REL (1e-8) |x1 - x2| prod_k |W_k|_F.
       Verified: not injective, with that witness.  Not verified: Undecided.
     every MILP optimal (HiGHS status optimal, not a time/node limit) with the upper (dual)
       bound max(primal, dual bound) / K <= ZERO_TOL (1e-9): injective.
     anything else (a limit hit, a bound in (1e-9, 1e-6], a failed polish): raise Undecided.
5. Why K: this scipy (1.10, HiGHS 1.2) exposes mip_rel_gap but not HiGHS's absolute gap, which
   defaults to 1e-6; with OPT = 0 only the absolute gap governs termination, so the solver may
   stop with dual bound up to 1e-6 above 0.  Scaling the objective by K = 1e4 makes that 1e-10 in
   units of (x1 - x2)_j, below ZERO_TOL.  Likewise the MIP feasibility tolerance (1e-6) cannot be
   tightened here; it enlarges the feasible set (a relaxation), so it can only produce spurious
   candidate collisions (caught by 4's polish + verification), not hide real ones.  The injective
   verdict is a floating-point branch-and-bound result, not a rational certificate: it is a
   reference for cross-checking, trusted up to HiGHS's LP tolerances (bounds are tight: every
   layer has unit norm and every input lies in the unit box, so M <= sqrt(m) per layer).

Usage as a script: ref_milp.py W1.csv [W2.csv ...]   (one matrix row per line, comma or blank
separated, '#' comments) prints {"injective": ..., "witness": ..., "optima": ..., "reason": ...};
exit status 0 when decided, 1 when undecided, 2 on bad usage.
"""
import json
import math
import sys
import time

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_matrix, vstack

OBJ_SCALE = 1e4      # K: objective multiplier (HiGHS's fixed absolute MIP gap 1e-6 -> 1e-10)
COLLIDE_TOL = 1e-6   # OPT_j above this: candidate collision (polished and verified)
ZERO_TOL = 1e-9      # every upper bound on OPT_j at most this: injective
VERIFY_REL = 1e-8    # witness: |f(x1) - f(x2)| <= VERIFY_REL |x1 - x2| prod_k |W_k|_F
TIME_LIMIT = 60.0    # seconds per MILP


class Undecided(RuntimeError):
    """The MILPs could neither certify injectivity nor give a verified collision."""


def check_layers(layers):
    Ws = [np.array(W, dtype=np.float64) for W in layers]
    if not Ws:
        raise ValueError("need at least one layer")
    if Ws[0].ndim != 2 or Ws[0].shape[1] < 1:
        raise ValueError("layer 1 has shape %s, expected (m, n)" % (Ws[0].shape,))
    prev = Ws[0].shape[1]
    for i, W in enumerate(Ws):
        if W.ndim != 2 or W.shape[1] != prev or W.shape[0] < 1:
            raise ValueError("layer %d has shape %s, expected (m, %d)" % (i + 1, W.shape, prev))
        if not np.all(np.isfinite(W)):
            raise ValueError("layer %d has non-finite entries" % (i + 1))
        prev = W.shape[0]
    return Ws


def forward(layers, x):
    """f at one point (shape (n,)) or at many (shape (N, n))."""
    h = np.asarray(x, dtype=np.float64)
    for W in layers:
        h = np.maximum(h @ np.asarray(W, dtype=np.float64).T, 0.0)
    return h


def relative_difference(layers, x1, x2):
    """|f(x1) - f(x2)| / (|x1 - x2| prod_k |W_k|_F); 0 if the outputs are equal, inf if x1 = x2."""
    x1 = np.asarray(x1, dtype=np.float64)
    x2 = np.asarray(x2, dtype=np.float64)
    diff = float(np.linalg.norm(forward(layers, x1) - forward(layers, x2)))
    if diff == 0.0 and np.any(x1 != x2):
        return 0.0
    den = float(np.linalg.norm(x1 - x2)) * float(np.prod([np.linalg.norm(W) for W in layers]))
    return diff / den if den > 0 else math.inf


def verify(layers, x1, x2):
    """(ok, rel): x1 != x2 and f(x1) = f(x2) up to VERIFY_REL (see relative_difference)."""
    x1 = np.asarray(x1, dtype=np.float64)
    x2 = np.asarray(x2, dtype=np.float64)
    rel = relative_difference(layers, x1, x2)
    ok = bool(x1.shape == x2.shape and np.all(np.isfinite(x1)) and np.all(np.isfinite(x2))
              and float(np.linalg.norm(x1 - x2)) > 1e-12 * max(1.0, float(np.abs(x1).max()),
                                                                 float(np.abs(x2).max()))
              and rel <= VERIFY_REL)
    return ok, rel


def interval_bounds(Ws):
    """[(l, u)] pre-activation bounds of every layer for inputs in [-1, 1]^n."""
    out = []
    W = Ws[0]
    u = np.abs(W).sum(axis=1)
    out.append((-u, u))
    for W in Ws[1:]:
        U = np.maximum(out[-1][1], 0.0)          # previous outputs lie in [0, U]
        out.append((np.minimum(W, 0.0) @ U, np.maximum(W, 0.0) @ U))
    return out


class Model:
    """The two-copy MILP of the module docstring: variables, constraint matrix, bounds."""

    def __init__(self, Ws):
        self.Ws = Ws
        self.n = n = Ws[0].shape[1]
        self.bounds = interval_bounds(Ws)
        nv = 0
        self.x = []                   # x[c]: indices of copy c's input
        self.y = []                   # y[c][k]: indices of copy c's layer-k outputs
        self.d = []                   # d[c][k]: {neuron: index of its binary}
        lb, ub, integ = [], [], []

        def new(lo, hi, integer=False):
            nonlocal nv
            lb.append(lo)
            ub.append(hi)
            integ.append(1 if integer else 0)
            nv += 1
            return nv - 1

        for c in range(2):
            self.x.append([new(-1.0, 1.0) for _ in range(n)])
            ys, ds = [], []
            for (l, u) in self.bounds:
                ys.append([new(0.0, max(float(ui), 0.0)) for ui in u])
                ds.append({i: new(0.0, 1.0, True) for i in range(len(u)) if l[i] < 0.0 < u[i]})
            self.y.append(ys)
            self.d.append(ds)
        self.nv = nv
        rows, cols, vals, lo, hi = [], [], [], [], []
        nr = 0

        def row(entries, rlo, rhi):
            nonlocal nr
            for j, v in entries:
                rows.append(nr)
                cols.append(j)
                vals.append(v)
            lo.append(rlo)
            hi.append(rhi)
            nr += 1

        for c in range(2):
            prev = self.x[c]
            for k, W in enumerate(Ws):
                l, u = self.bounds[k]
                for i in range(W.shape[0]):
                    z = [(prev[j], float(W[i, j])) for j in range(W.shape[1]) if W[i, j] != 0.0]
                    yi = self.y[c][k][i]
                    if u[i] <= 0.0:
                        continue                        # y = 0 by its bounds [0, 0]
                    minus_z = [(j, -v) for j, v in z]
                    if l[i] >= 0.0:
                        row([(yi, 1.0)] + minus_z, 0.0, 0.0)              # y = z
                        continue
                    di = self.d[c][k][i]
                    row([(yi, 1.0)] + minus_z, 0.0, np.inf)               # y >= z
                    row([(yi, 1.0)] + minus_z + [(di, -float(l[i]))], -np.inf, -float(l[i]))
                    row([(yi, 1.0), (di, -float(u[i]))], -np.inf, 0.0)    # y <= u d
                prev = self.y[c][k]
        for a, b in zip(self.y[0][-1], self.y[1][-1]):
            row([(a, 1.0), (b, -1.0)], 0.0, 0.0)                          # f(x1) = f(x2)
        self.A = coo_matrix((vals, (rows, cols)), shape=(nr, nv)).tocsr()
        self.rlo = np.array(lo)
        self.rhi = np.array(hi)
        self.lb = np.array(lb)
        self.ub = np.array(ub)
        self.integrality = np.array(integ)
        self.binaries = np.nonzero(self.integrality)[0]

    def objective(self, j):
        """Minimise -K (x1 - x2)_j."""
        c = np.zeros(self.nv)
        c[self.x[0][j]] = -OBJ_SCALE
        c[self.x[1][j]] = OBJ_SCALE
        return c

    def solve_milp(self, j, time_limit):
        res = milp(self.objective(j), integrality=self.integrality,
                   bounds=Bounds(self.lb, self.ub),
                   constraints=LinearConstraint(self.A, self.rlo, self.rhi),
                   options={"mip_rel_gap": 0.0, "time_limit": float(time_limit), "disp": False})
        return res

    def polish(self, j, v):
        """Fix the binaries of MILP solution v to their rounded values, re-solve as an exact LP."""
        lb, ub = self.lb.copy(), self.ub.copy()
        r = np.round(v[self.binaries])
        lb[self.binaries] = r
        ub[self.binaries] = r
        A = self.A
        eq = self.rlo == self.rhi
        le = np.isfinite(self.rhi) & ~eq
        ge = np.isfinite(self.rlo) & ~eq
        A_ub = vstack([A[le], -A[ge]]).tocsr()
        b_ub = np.concatenate([self.rhi[le], -self.rlo[ge]])
        res = linprog(self.objective(j), A_ub=A_ub, b_ub=b_ub, A_eq=A[eq], b_eq=self.rhi[eq],
                      bounds=np.stack([lb, ub], axis=1), method="highs",
                      options={"primal_feasibility_tolerance": 1e-10,
                               "dual_feasibility_tolerance": 1e-10})
        if res.status != 0 or res.x is None:
            return None
        return res.x


def decide_info(layers, time_limit=TIME_LIMIT):
    """dict: injective (True/False), witness ((x1, x2) or None), rel (witness's relative output
    difference), optima (upper bounds on OPT_j found, in units of (x1 - x2)_j), reason, seconds.
    Raises Undecided."""
    t0 = time.time()
    Ws = check_layers(layers)
    n = Ws[0].shape[1]
    norms = [float(np.linalg.norm(W)) for W in Ws]
    info = {"optima": [], "nodes": 0, "binaries": 0}
    if min(norms) == 0.0:
        x1, x2 = np.zeros(n), np.eye(n)[0]
        ok, rel = verify(Ws, x1, x2)
        assert ok
        info.update(injective=False, witness=(x1, x2), rel=rel, seconds=time.time() - t0,
                    reason="layer %d is zero: f = 0" % (norms.index(0.0) + 1))
        return info
    Vs = [W / s for W, s in zip(Ws, norms)]
    model = Model(Vs)
    info["binaries"] = int(len(model.binaries))
    for j in range(n):
        left = time_limit - (time.time() - t0)
        if left <= 0:
            raise Undecided("time limit before coordinate %d" % j)
        res = model.solve_milp(j, left)
        info["nodes"] += int(res.get("mip_node_count") or 0)
        if res.x is None:
            raise Undecided("coordinate %d: MILP without solution (status %s: %s)"
                            % (j, res.status, res.message))
        primal = -float(res.fun) / OBJ_SCALE
        if primal > COLLIDE_TOL:
            v = model.polish(j, res.x)
            if v is None:
                raise Undecided("coordinate %d: MILP optimum %.3g but the polish LP failed" % (j, primal))
            x1 = v[model.x[0]]
            x2 = v[model.x[1]]
            ok, rel = verify(Ws, x1, x2)
            if not ok:
                raise Undecided("coordinate %d: MILP optimum %.3g, polished pair (x1-x2)_j = %.3g "
                                "does not verify (relative output difference %.3g)"
                                % (j, primal, (x1 - x2)[j], rel))
            info["optima"].append(primal)
            info.update(injective=False, witness=(x1, x2), rel=rel, seconds=time.time() - t0,
                        reason="MILP collision in coordinate %d: (x1 - x2)_%d = %.6g"
                               % (j, j, float((x1 - x2)[j])))
            return info
        if res.status != 0:
            raise Undecided("coordinate %d: MILP not solved to optimality (status %d: %s), "
                            "primal %.3g" % (j, res.status, res.message, primal))
        dual = res.get("mip_dual_bound")
        upper = max(primal, -float(dual) / OBJ_SCALE if dual is not None else math.inf)
        info["optima"].append(upper)
        if not upper <= ZERO_TOL:
            raise Undecided("coordinate %d: max (x1 - x2)_j bounded by %.3g, found %.3g: neither "
                            "0 nor a collision" % (j, upper, primal))
    info.update(injective=True, witness=None, rel=None, seconds=time.time() - t0,
                reason="all %d MILPs: max (x1 - x2)_j <= %.3g" % (n, max(info["optima"])))
    return info


def decide(layers, time_limit=TIME_LIMIT):
    """(injective, witness): witness = (x1, x2) with x1 != x2, f(x1) = f(x2) (verified), or None.

    Raises Undecided when the MILPs neither certify nor give a verified collision."""
    info = decide_info(layers, time_limit)
    return info["injective"], info["witness"]


def load_csv(path):
    rows = []
    with open(path) as fh:
        for line in fh:
            line = line.split("#", 1)[0].replace(",", " ").split()
            if line:
                rows.append([float(v) for v in line])
    if not rows or len(set(map(len, rows))) != 1:
        raise ValueError("%s: empty or ragged matrix" % path)
    return np.array(rows, dtype=np.float64)


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print("usage: ref_milp.py W1.csv [W2.csv ...]", file=sys.stderr)
        return 2
    try:
        layers = [load_csv(p) for p in argv[1:]]
        check_layers(layers)
    except (OSError, ValueError) as e:
        print("ref_milp.py: %s" % e, file=sys.stderr)
        return 2
    try:
        info = decide_info(layers)
    except Undecided as e:
        print(json.dumps({"injective": None, "witness": None, "reason": str(e)}))
        return 1
    wit = info["witness"]
    print(json.dumps({
        "injective": info["injective"],
        "witness": None if wit is None else {"x1": [float(v) for v in wit[0]],
                                             "x2": [float(v) for v in wit[1]],
                                             "relative_output_difference": info["rel"]},
        "optima": info["optima"], "reason": info["reason"],
        "seconds": round(info["seconds"], 3)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/python3
"""Independent reference decision of injectivity for BIAS-FREE ReLU networks on R^2.

    f(x) = ReLU(W_L ... ReLU(W_2 ReLU(W_1 x)) ...),   W_1 of shape m_1 x 2, any depth.

Method (angular geometry; shares no code or idea with relucap's region/LP enumeration):

f is positively homogeneous, so f is injective iff
  (a) f(u) != 0 for every unit vector u, and
  (b) no two distinct unit vectors u1 != u2 have f(u1), f(u2) on the same open ray
      (f(u1) = t f(u2), t > 0; t != 1 allowed: then x1 = u1, x2 = t u2 collide).
1. The circle is cut into arcs on which f is linear, f(u) = A_k u: start from the four quadrants
   (so every arc is shorter than pi), then, layer by layer, on each arc the next pre-activations
   W A u are linear in u = (cos th, sin th); a.u = 0 at th = atan2(a0, -a1) (+ pi).  These
   closed-form breakpoints split the arc and the ReLU mask of each piece is read at its midpoint.
2. (a) <=> every A_k has rank 2 (a rank-deficient arc gives x1 = u, x2 = u + d*ker, or f = 0).
3. With rank 2, cone C_k = A_k(arc k) is a pointed 2-D cone, an angular interval [0, L_k]
   (L_k < pi) in an orthonormal frame B_k of the plane range(A_k).  Two cones meet in a nonzero
   point iff the planes meet: principal angles via the SVD of B_l - B_k (B_k^T B_l) (sines, well
   conditioned for small angles):
     no zero sine  -> planes meet only in 0 (span of the 4 generators has dim 4);
     one zero sine -> planes share one line: each cone contains at most one of its half-lines,
                      read off as an angle in each frame (span dim 3);
     two zero sines-> same plane: compare angular intervals (span dim 2: folds, coinciding images).
   Adjacent arcs always share the ray of their common endpoint: they collide iff they are in the
   same plane and their intervals overlap in more than that ray (a fold).  Any nonzero common
   point of non-adjacent cones (touching at a single ray included) is a collision.
4. A collision direction w gives preimages v_k = A_k^+ w, v_l = A_l^+ w, and x1 = v_k, x2 = v_l is
   returned only after a forward pass verifies it (see verify()).

Floating point: breakpoints closer than MERGE_TOL rad are merged (so the float-rounded 4-gon is the
square it is meant to be, and not a net with 1e-16-rad rank-1 slivers); contact of cones is decided
with angular tolerance ANG_TOL; rank with relative tolerance RANK_TOL.  A collision whose witness
fails verification is not trusted: if no verified collision is found but such a suspect exists,
decide() raises Undecided instead of answering.

Usage as a script: ref_injective2d.py W1.csv [W2.csv ...]   (whitespace/comma separated, '#'
comments) prints {"injective": ..., "witness": ..., "arcs": ...}.
"""
import json
import math
import sys

import numpy as np

MERGE_TOL = 1e-11   # rad: breakpoints closer than this are one breakpoint
DEAD_TOL = 1e-12    # a pre-activation row with |W_i A| <= DEAD_TOL |W_i| |A| is identically 0
RANK_TOL = 1e-10    # sigma_2 <= RANK_TOL sigma_1: rank-deficient arc
ANG_TOL = 1e-9      # rad: contact tolerance of image cones (principal-angle sines, interval ends)
VERIFY_REL = 1e-9   # witness: |f(x1) - f(x2)| <= VERIFY_REL max(|f(x1)|, |f(x2)|)
TWO_PI = 2.0 * math.pi


class Undecided(RuntimeError):
    """A numerical near-collision could neither be verified nor excluded."""


def _check_layers(layers):
    Ws = [np.array(W, dtype=np.float64) for W in layers]
    if not Ws:
        raise ValueError("need at least one layer")
    prev = 2
    for i, W in enumerate(Ws):
        if W.ndim != 2 or W.shape[1] != prev or W.shape[0] < 1:
            raise ValueError("layer %d has shape %s, expected (m, %d)" % (i + 1, W.shape, prev))
        if not np.all(np.isfinite(W)):
            raise ValueError("layer %d has non-finite entries" % (i + 1))
        prev = W.shape[0]
    return Ws


def forward(layers, X):
    """f at one point (shape (2,)) or at many (shape (N, 2))."""
    H = np.asarray(X, dtype=np.float64)
    for W in layers:
        H = np.maximum(H @ np.asarray(W, dtype=np.float64).T, 0.0)
    return H


def lipschitz(layers):
    L = 1.0
    for W in layers:
        L *= np.linalg.norm(np.asarray(W, dtype=np.float64), 2)
    return L


def verify(layers, x1, x2):
    """(ok, rel_out, rel_in): x1 != x2 and f(x1) = f(x2) up to VERIFY_REL relative.

    If both outputs are 0 (up to 1e-13 L |x|, L = prod ||W_k||_2), the pair counts as a collision
    too (the relative difference is then meaningless).  A collision must also be far tighter than
    what mere continuity gives for nearby points: |f(x1)-f(x2)| <= 1e-3 L |x1 - x2|."""
    x1 = np.asarray(x1, dtype=np.float64)
    x2 = np.asarray(x2, dtype=np.float64)
    y1, y2 = forward(layers, x1), forward(layers, x2)
    diff = float(np.linalg.norm(y1 - y2))
    scale = max(float(np.linalg.norm(y1)), float(np.linalg.norm(y2)))
    xs = max(float(np.linalg.norm(x1)), float(np.linalg.norm(x2)))
    dx = float(np.linalg.norm(x1 - x2))
    L = lipschitz(layers)
    rel_out = diff / scale if scale > 0 else 0.0
    rel_in = dx / xs if xs > 0 else 0.0
    close = diff <= VERIFY_REL * scale or diff <= 1e-13 * L * xs
    ok = bool(rel_in > 1e-13 and close and diff <= 1e-3 * L * dx
              and np.all(np.isfinite(y1)) and np.all(np.isfinite(y2)))
    return ok, rel_out, rel_in


def linear_arcs(layers):
    """[(t0, t1, A)]: arcs [t0, t1] of [0, 2pi] covering the circle in order, f(u) = A u on each."""
    Ws = _check_layers(layers)
    arcs = [(j * math.pi / 2, (j + 1) * math.pi / 2, np.eye(2)) for j in range(4)]
    for W in Ws:
        wn = np.linalg.norm(W, axis=1)
        new = []
        for t0, t1, A in arcs:
            Z = W @ A
            zn = np.linalg.norm(Z, axis=1)
            live = zn > DEAD_TOL * wn * np.linalg.norm(A, 2)
            Z[~live] = 0.0
            roots = []
            if live.any():
                phi = np.arctan2(Z[live, 0], -Z[live, 1]) % TWO_PI
                cand = np.concatenate([phi, (phi + math.pi) % TWO_PI])
                cand = np.sort(cand[(cand > t0 + MERGE_TOL) & (cand < t1 - MERGE_TOL)])
                for th in cand:
                    if not roots or th - roots[-1] > MERGE_TOL:
                        roots.append(float(th))
                if roots and t1 - roots[-1] <= MERGE_TOL:
                    roots.pop()
            bounds = [t0] + roots + [t1]
            for a, b in zip(bounds[:-1], bounds[1:]):
                mid = 0.5 * (a + b)
                mask = (Z @ np.array([math.cos(mid), math.sin(mid)])) > 0
                new.append((a, b, Z * mask[:, None]))
        arcs = new
    return arcs


def _unit(t):
    return np.array([math.cos(t), math.sin(t)])


def _in_interval(alpha, L):
    return -ANG_TOL <= alpha <= L + ANG_TOL


def decide_info(layers):
    """Full answer: dict with injective, witness, reason, arcs, pairs (pairs actually tested)."""
    Ws = _check_layers(layers)
    arcs = linear_arcs(Ws)
    N = len(arcs)
    T0 = np.array([a[0] for a in arcs])
    T1 = np.array([a[1] for a in arcs])
    As = np.stack([a[2] for a in arcs])          # N x m x 2
    m = As.shape[1]
    L = lipschitz(Ws)
    info = {"arcs": N, "pairs": 0, "suspects": 0}
    suspects = []

    def done(x1, x2, reason):
        ok, rel_out, rel_in = verify(Ws, x1, x2)
        if not ok:
            suspects.append((reason, rel_out, rel_in))
            return False
        info.update(injective=False, witness=(np.asarray(x1, float), np.asarray(x2, float)),
                    reason=reason, rel_out=rel_out)
        return True

    # (a) rank 2 on every arc
    if m == 1:
        sv = np.stack([np.linalg.norm(As, axis=(1, 2)), np.zeros(N)], axis=1)
    else:
        sv = np.linalg.svd(As, compute_uv=False)
    for k in range(N):
        s1, s2 = sv[k, 0], sv[k, 1]
        if s1 <= 1e-13 * L or s2 <= RANK_TOL * s1:
            t0, t1 = T0[k], T1[k]
            um = _unit(0.5 * (t0 + t1))
            if s1 <= 1e-13 * L:
                if done(np.zeros(2), um, "f = 0 on arc [%.6g, %.6g]" % (t0, t1)):
                    return info
                continue
            n = np.linalg.svd(As[k])[2][-1]          # kernel direction of A_k
            x2 = um + 0.5 * math.sin(0.5 * (t1 - t0)) * n
            if done(um, x2, "rank 1 on arc [%.6g, %.6g]" % (t0, t1)):
                return info
    if suspects:
        raise Undecided("rank-deficient arc without verifiable witness: %r" % (suspects[0],))

    # frames: B_k orthonormal m x 2, cone k = {B_k (cos a, sin a) : 0 <= a <= Lk[k]}
    U, S, Vt = np.linalg.svd(As, full_matrices=False)     # U: N x m x 2
    U0 = np.stack([np.cos(T0), np.sin(T0)], axis=1)
    U1 = np.stack([np.cos(T1), np.sin(T1)], axis=1)
    p0 = S * np.einsum("kij,kj->ki", Vt, U0)
    p1 = S * np.einsum("kij,kj->ki", Vt, U1)
    p0 /= np.linalg.norm(p0, axis=1)[:, None]
    p1 /= np.linalg.norm(p1, axis=1)[:, None]
    cr = p0[:, 0] * p1[:, 1] - p0[:, 1] * p1[:, 0]
    dt = np.einsum("ki,ki->k", p0, p1)
    o = np.where(cr >= 0, 1.0, -1.0)
    Lk = np.arctan2(np.abs(cr), dt)
    Rt = np.empty((N, 2, 2))                  # R_k^T: columns p0 and o*perp(p0)
    Rt[:, 0, 0], Rt[:, 1, 0] = p0[:, 0], p0[:, 1]
    Rt[:, 0, 1], Rt[:, 1, 1] = -o * p0[:, 1], o * p0[:, 0]
    B = U @ Rt

    def preimage(k, w):
        return Vt[k].T @ ((U[k].T @ w) / S[k])

    def pair(k, l, adjacent):
        """Collision direction w (m-vector) of cones k, l beyond what adjacency allows, or None."""
        info["pairs"] += 1
        G = B[k].T @ B[l]
        if m == 2:
            sines, vr = np.zeros(2), np.eye(2)
        else:
            _, sines, vr = np.linalg.svd(B[l] - B[k] @ G)
        nsmall = int(np.sum(sines < ANG_TOL))
        if nsmall == 0:
            return None
        if nsmall == 1:
            if adjacent:
                return None            # the common line is the shared endpoint ray
            y = vr[-1]
            x = G @ y
            x /= np.linalg.norm(x)
            for sg in (1.0, -1.0):
                ak = math.atan2(sg * x[1], sg * x[0])
                al = math.atan2(sg * y[1], sg * y[0])
                if _in_interval(ak, Lk[k]) and _in_interval(al, Lk[l]):
                    w = B[l] @ (sg * y) + B[k] @ (sg * x)
                    return w / np.linalg.norm(w), "cones meet in a ray (span dim 3)"
            return None
        # same plane: cone l in k's frame is the interval [a, a + Lk[l]]
        e = G @ np.array([[1.0, math.cos(Lk[l])], [0.0, math.sin(Lk[l])]])
        b0 = math.atan2(e[1, 0], e[0, 0])
        b1 = math.atan2(e[1, 1], e[0, 1])
        a = b0 if np.linalg.det(G) > 0 else b1
        best = None
        for j in (-1, 0, 1):
            lo = max(0.0, a + j * TWO_PI)
            hi = min(Lk[k], a + j * TWO_PI + Lk[l])
            if best is None or hi - lo > best[1] - best[0]:
                best = (lo, hi)
        ov = best[1] - best[0]
        if (adjacent and ov > ANG_TOL) or (not adjacent and ov >= -ANG_TOL):
            al = 0.5 * (best[0] + best[1])
            return B[k] @ _unit(al), ("fold: adjacent cones overlap (span dim 2)" if adjacent
                                      else "coplanar cones overlap (span dim 2)")
        return None

    def try_pair(k, l, adjacent):
        r = pair(k, l, adjacent)
        if r is None:
            return False
        w, why = r
        x1, x2 = preimage(k, w), preimage(l, w)
        why = "%s: arcs [%.6g, %.6g] and [%.6g, %.6g]" % (why, T0[k], T1[k], T0[l], T1[l])
        return done(x1, x2, why)

    # (b1) adjacent pairs (cyclic)
    for k in range(N):
        if try_pair(k, (k + 1) % N, True):
            return info
    # (b2) non-adjacent pairs, pruned by the bounding caps of the spherical segments
    C = np.einsum("kij,kj->ki", B, np.stack([np.cos(Lk / 2), np.sin(Lk / 2)], axis=1))
    ang = np.arccos(np.clip(C @ C.T, -1.0, 1.0))
    near = ang <= 0.5 * (Lk[:, None] + Lk[None, :]) + 1e-6
    ks, ls = np.nonzero(np.triu(near, 2))
    for k, l in zip(ks.tolist(), ls.tolist()):
        if k == 0 and l == N - 1:
            continue                      # cyclically adjacent, done above
        if try_pair(k, l, False):
            return info
    info["suspects"] = len(suspects)
    if suspects:
        raise Undecided("near-collision without verifiable witness: %r" % (suspects[0],))
    info.update(injective=True, witness=None, reason="all arcs rank 2, image cones disjoint")
    return info


def decide(layers):
    """(injective, witness): witness = (x1, x2) with x1 != x2, f(x1) = f(x2) (verified), or None.

    Raises Undecided on an unresolvable numerical near-degeneracy."""
    info = decide_info(layers)
    return info["injective"], info["witness"]


def load_csv(path):
    rows = []
    with open(path) as fh:
        for line in fh:
            line = line.split("#", 1)[0].replace(",", " ").split()
            if line:
                rows.append([float(v) for v in line])
    return np.array(rows, dtype=np.float64)


def main(argv):
    if len(argv) < 2:
        print("usage: ref_injective2d.py W1.csv [W2.csv ...]", file=sys.stderr)
        return 2
    layers = [load_csv(p) for p in argv[1:]]
    try:
        info = decide_info(layers)
    except Undecided as e:
        print(json.dumps({"injective": None, "reason": str(e)}))
        return 1
    wit = info["witness"]
    print(json.dumps({"injective": info["injective"], "reason": info["reason"], "arcs": info["arcs"],
                      "witness": None if wit is None else [list(map(float, wit[0])),
                                                           list(map(float, wit[1]))]}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

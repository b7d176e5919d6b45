#!/usr/bin/python3
"""Self-test of the 2-D reference decision tests/python/ref_injective2d.py (no relucap involved).

Run with Debian's python3 (numpy):  /usr/bin/python3 tests/python/test_ref2d.py
Last line: "ref2d: N passed, M failed"; exit code 0 iff M == 0."""
import math
import os
import sys
import time

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")     # tiny matrices: BLAS threads only cost time
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ref_injective2d as ref  # noqa: E402
from check_driver import positive_with_kernel  # noqa: E402

passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL: " + what)
    return cond


def gon(k, phase=0.0):
    return np.array([[math.cos(2 * math.pi * j / k + phase), math.sin(2 * math.pi * j / k + phase)]
                     for j in range(k)])


def rot(t):
    return np.array([[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]])


I2 = np.eye(2)
PM = np.vstack([I2, -I2])                           # [I; -I], rows e1, e2, -e1, -e2
REPRO = np.array([[1, 0, -1, 0], [0, 1, 0, -1], [-1, 0, 1, 0], [0, -1, 0, 1]], float)


def run(layers):
    """decide() plus the invariants every answer must satisfy; returns the verdict (or None)."""
    try:
        inj, wit = ref.decide(layers)
    except ref.Undecided as e:
        return None, "Undecided: %s" % e
    if inj:
        return True, "injective" if wit is None else "injective WITH witness?!"
    ok, rel_out, rel_in = ref.verify(layers, wit[0], wit[1])
    if not ok:
        return None, "witness does not verify (rel_out %.3g, rel_in %.3g)" % (rel_out, rel_in)
    return False, "not injective, witness %s vs %s, rel diff %.2g" % (
        np.array2string(wit[0], precision=4), np.array2string(wit[1], precision=4), rel_out)


def known(name, layers, want):
    got, msg = run(layers)
    print("%-58s %s" % (name, msg))
    return check(got is want, "%s: want injective=%s, got %s (%s)" % (name, want, got, msg))


# ---------------------------------------------------------------- brute-force collision search
def ratio(layers, t1, t2, L):
    """|g(u1) - g(u2)| / |u1 - u2| with g = f/|f|: 0 at a collision (or where f = 0)."""
    u1 = np.stack([np.cos(t1), np.sin(t1)], axis=-1)
    u2 = np.stack([np.cos(t2), np.sin(t2)], axis=-1)
    y1, y2 = ref.forward(layers, u1), ref.forward(layers, u2)
    n1 = np.linalg.norm(y1, axis=-1)
    n2 = np.linalg.norm(y2, axis=-1)
    zero = (n1 <= 1e-12 * L) | (n2 <= 1e-12 * L)
    n1 = np.where(zero, 1.0, n1)
    n2 = np.where(zero, 1.0, n2)
    num = np.linalg.norm(y1 / n1[..., None] - y2 / n2[..., None], axis=-1)
    den = 2 * np.abs(np.sin(0.5 * (t1 - t2)))
    near = den < 1e-7                     # (almost) the same point: no information
    r = num / np.where(near, 1.0, den)
    return np.where(zero, 0.0, np.where(near, np.inf, r))


def scaled_residual(layers, t1, t2, L):
    """(g(u1) - g(u2)) / |u1 - u2| with g = f/|f| (rows), a mask of pairs where f = 0, and a mask
    of pairs too close to tell apart (|u1 - u2| < 1e-6: excluded)."""
    y1 = ref.forward(layers, np.stack([np.cos(t1), np.sin(t1)], axis=-1))
    y2 = ref.forward(layers, np.stack([np.cos(t2), np.sin(t2)], axis=-1))
    n1 = np.linalg.norm(y1, axis=-1)
    n2 = np.linalg.norm(y2, axis=-1)
    zero = (n1 <= 1e-12 * L) | (n2 <= 1e-12 * L)
    den = 2 * np.abs(np.sin(0.5 * (t1 - t2)))
    same = den < 1e-6
    g = y1 / np.where(zero, 1.0, n1)[..., None] - y2 / np.where(zero, 1.0, n2)[..., None]
    return g / np.where(same, 1.0, den)[..., None], zero & ~same, same


def brute_min_ratio(layers, rng, npairs=20000, ngrid=700, nref=24, iters=40):
    """Smallest collision ratio |g(u1) - g(u2)| / |u1 - u2| found (0 at a collision): 20000 random
    pairs plus all pairs of a 700-point grid (Gram matrix of g = f/|f|) plus the sharpest reversals
    of g on a 20000-point grid (narrow folds); the best starts are refined
    by Levenberg-Marquardt on the scaled residual with finite-difference Jacobians."""
    L = ref.lipschitz(layers)
    th = rng.uniform(0, 2 * math.pi, (npairs, 2))
    r = ratio(layers, th[:, 0], th[:, 1], L)
    starts = [th[np.argpartition(r, nref // 2)[:nref // 2]]]
    tg = (np.arange(ngrid) + rng.uniform()) * (2 * math.pi / ngrid)
    y = ref.forward(layers, np.stack([np.cos(tg), np.sin(tg)], axis=1))
    ny = np.linalg.norm(y, axis=1)
    if np.any(ny <= 1e-12 * L):
        return 0.0, np.array([tg[np.argmin(ny)]] * 2)
    g = y / ny[:, None]
    idx = np.arange(ngrid)
    den2 = 2 - 2 * np.cos((2 * math.pi / ngrid) * (idx[None, :] - idx[:, None]))
    r2 = np.maximum(2 - 2 * (g @ g.T), 0.0) / np.where(idx[:, None] < idx[None, :], den2, np.nan)
    r2[np.isnan(r2)] = np.inf
    flat = np.argpartition(r2, nref // 2, axis=None)[:nref // 2]
    i, j = np.unravel_index(flat, r2.shape)
    starts.append(np.stack([tg[i], tg[j]], axis=1))
    # folds narrower than the grid: sharp reversals of the direction curve on a 20000-point grid
    tf = (np.arange(20000) + rng.uniform()) * (2 * math.pi / 20000)
    gf = ref.forward(layers, np.stack([np.cos(tf), np.sin(tf)], axis=1))
    gf /= np.maximum(np.linalg.norm(gf, axis=1), 1e-300)[:, None]
    tan = np.roll(gf, -1, axis=0) - gf
    tan /= np.maximum(np.linalg.norm(tan, axis=1), 1e-300)[:, None]
    turn = np.sum(tan * np.roll(tan, -1, axis=0), axis=1)     # cos of the turn at point i + 1
    sharp = np.argsort(turn)[:nref // 2]
    sharp = sharp[turn[sharp] < 0]
    starts.append(np.stack([tf[sharp], tf[(sharp + 2) % 20000]], axis=1))
    t = np.concatenate(starts)
    n = len(t)
    lam = np.full(n, 1e-3)
    res, zero, same = scaled_residual(layers, t[:, 0], t[:, 1], L)
    best = np.where(zero, 0.0, np.where(same, np.inf, np.linalg.norm(res, axis=1)))
    h = 1e-7
    for _ in range(iters):
        J = np.empty(res.shape + (2,))
        for c in range(2):
            dt = np.zeros(2)
            dt[c] = h
            rp = scaled_residual(layers, t[:, 0] + dt[0], t[:, 1] + dt[1], L)
            rp = rp[0]
            rm = scaled_residual(layers, t[:, 0] - dt[0], t[:, 1] - dt[1], L)[0]
            J[..., c] = (rp - rm) / (2 * h)
        JtJ = np.einsum("kmi,kmj->kij", J, J)
        Jtr = np.einsum("kmi,km->ki", J, res)
        reg = (lam * (1e-12 + np.trace(JtJ, axis1=1, axis2=2)))[:, None, None] * np.eye(2)
        step = -np.linalg.solve(JtJ + reg, Jtr[..., None])[..., 0]
        step = np.clip(step, -0.05, 0.05)
        tn = t + step
        rn, zn, sn = scaled_residual(layers, tn[:, 0], tn[:, 1], L)
        vn = np.where(zn, 0.0, np.where(sn, np.inf, np.linalg.norm(rn, axis=1)))
        imp = vn < best
        t[imp], res[imp], best[imp] = tn[imp], rn[imp], vn[imp]
        lam = np.where(imp, lam * 0.3, lam * 10)
    m = int(np.argmin(best))
    return float(best[m]), t[m]


def closed_halfplane_criterion(W):
    """One layer: ReLU(W .) injective iff for every x the rows with w.x >= 0 have rank 2
    (Puthawala et al., JMLR 2022).  In 2-D it suffices to test between consecutive zero lines."""
    W = np.asarray(W, float)
    nz = W[np.linalg.norm(W, axis=1) > 0]
    if len(nz) == 0:
        return False
    phi = np.arctan2(nz[:, 0], -nz[:, 1]) % (2 * math.pi)
    th = np.sort(np.concatenate([phi, (phi + math.pi) % (2 * math.pi)]))
    th = np.concatenate([th, [th[0] + 2 * math.pi]])
    for a, b in zip(th[:-1], th[1:]):
        if b - a < 1e-9:
            continue
        u = np.array([math.cos(0.5 * (a + b)), math.sin(0.5 * (a + b))])
        act = W[W @ u > 0]
        if len(act) < 2 or np.linalg.matrix_rank(act, tol=1e-9 * max(1.0, np.abs(W).max())) < 2:
            return False
    return True


def angle_of(x):
    return math.atan2(x[1], x[0]) % (2 * math.pi)


def angdist(a, b):
    d = abs(a - b) % (2 * math.pi)
    return min(d, 2 * math.pi - d)


def random_batch(seed, title, n, w1, w2, brute_yes, brute_no):
    """Random Gaussian 2-layer nets: a 'no' must come with a verified witness (run() checks it), a
    'yes' must have an injective first layer, and the first brute_yes 'yes' nets must survive the
    brute-force search (about 0.08 s each, the cost of this test); the first brute_no 'no' nets
    whose collision is between two arcs measure the power of that search."""
    print("== %s: witness or brute-force search" % title)
    rng = np.random.default_rng(seed)            # the nets
    rb = np.random.default_rng(seed + 1)         # the brute-force search
    n_inj = 0
    reasons = {}
    worst_inj = math.inf
    found_not = tested_not = tested_inj = 0
    bad = 0
    t_dec = 0.0
    for trial in range(n):
        m1 = int(rng.integers(w1[0], w1[1] + 1))
        m2 = int(rng.integers(w2[0], w2[1] + 1))
        Ls = [rng.standard_normal((m1, 2)), rng.standard_normal((m2, m1))]
        t0 = time.time()
        got, msg = run(Ls)
        t_dec += time.time() - t0
        if got is None:
            bad += 1
            print("  trial %d (%d, %d): %s" % (trial, m1, m2, msg))
            continue
        g1, _ = run(Ls[:1])          # necessary: the first layer itself is injective
        if got and not g1:
            bad += 1
            print("  trial %d: net injective but its first layer is not" % trial)
        if got:
            n_inj += 1
            if tested_inj >= brute_yes:
                continue
            tested_inj += 1
            r, t = brute_min_ratio(Ls, rb)
            worst_inj = min(worst_inj, r)
            if r <= 1e-6:
                bad += 1
                print("  trial %d (%d, %d): claimed injective, brute force ratio %.3g at %s" % (trial, m1, m2, r, t))
        else:
            info = ref.decide_info(Ls)
            why = info["reason"].split(":")[0].split(" on arc")[0]
            reasons[why] = reasons.get(why, 0) + 1
            if "rank" not in why and "f = 0" not in why and tested_not < brute_no:
                # power of the brute force: does it also see these (1-D) collisions?
                tested_not += 1
                r, t = brute_min_ratio(Ls, rb)
                found_not += r <= 1e-6
                if r > 1e-6:
                    w = info["witness"]
                    print("  (brute force misses the collision of trial %d (%d, %d) at angles %.6f, %.6f: "
                          "best ratio %.3g)" % (trial, m1, m2, angle_of(w[0]), angle_of(w[1]), r))
    print("  %d injective, %d not injective %s" % (n_inj, n - n_inj - bad, sorted(reasons.items())))
    print("  smallest brute-force ratio over %d of the injective nets: %.3g (threshold 1e-6)" % (tested_inj, worst_inj))
    print("  brute force finds the collision in %d of the %d nets whose collision is between two arcs"
          % (found_not, tested_not))
    print("  decision time %.3f s for %d nets" % (t_dec, n))
    check(bad == 0, "%s: %d problems" % (title, bad))


def main():
    t_start = time.time()
    rng = np.random.default_rng(20240611)

    print("== known cases")
    known("1 layer [I; -I]", [PM], True)
    known("1 layer 5 rows, first coordinates > 0", [np.array([[1, 0], [1, 1], [1, -1], [2, .5], [.3, -2]])], False)
    known("1 layer 3 rows in a halfplane + 2 rows on its line",
          [np.array([[1, .2], [2, -1], [.5, 3], [0, 1], [0, -1]])], False)
    known("|x1|: W1 = [e1;-e1;e2;-e2], W2 = [[1,1,0,0],e3,e4]",
          [np.array([[1, 0], [-1, 0], [0, 1], [0, -1.]]),
           np.array([[1, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1.]])], False)
    W1 = np.array([[1, 0], [-1, 0], [0, 1], [0, -1.]])
    W2 = np.array([[1, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1.]])
    check(ref.verify([W1, W2], [1, .5], [-1, .5])[0], "the brief's |x1| witness (1,.5) vs (-1,.5) verifies")
    known("[I;-I] then W2 reproducing [x; -x] (rank W2 = 2)", [PM, REPRO], True)
    for k in range(3, 9):
        known("regular %d-gon, one layer" % k, [gon(k)], k >= 4)
    for k in range(3, 9):
        known("regular %d-gon rotated by 0.3, one layer" % k, [gon(k, 0.3)], k >= 4)

    print("== degenerate cases")
    known("(|x|, |y|): all four quadrants onto one cone", [PM, np.array([[1, 0, 1, 0], [0, 1, 0, 1.]])], False)
    known("(x+, y+): f = 0 on the third quadrant", [PM, np.array([[1, 0, 0, 0], [0, 1, 0, 0.]])], False)
    known("rows e1,e1,-e1,-e1,e2 (tests/data/dup.csv)",
          [np.array([[1, 0], [1, 0], [-1, 0], [-1, 0], [0, 1.]])], False)
    known("duplicated rows [I; -I; I; 2I]", [np.vstack([PM, I2, 2 * I2])], True)
    known("[I; -I] with zero rows", [np.vstack([PM, np.zeros((2, 2))])], True)
    known("zero second layer", [PM, np.zeros((3, 4))], False)
    known("output width 1", [PM, np.ones((1, 4))], False)
    known("1 layer, rows on one line only", [np.array([[1, 1], [-1, -1], [2, 2], [-3, -3.]])], False)
    known("depth 3: [I;-I], REPRO, REPRO", [PM, REPRO, REPRO], True)
    known("depth 3: |x1| net then [I;-I]", [W1, W2, np.vstack([np.eye(3), -np.eye(3)])], False)
    known("identity-like chain [I;-I] -> [I4] -> [I4]", [PM, np.eye(4), np.eye(4)], True)
    # f = (x1+ + 2 x1-, y+, y-): Q1 and Q2 onto the same cone, and (1,0) ~ (-1/2, 0)
    known("(x+ + 2x-, y+, y-): coinciding cones, t != 1 collision",
          [PM, np.array([[1, 0, 2, 0], [0, 1, 0, 0], [0, 0, 0, 1.]])], False)
    # a fold at a generic angle: the |x1| net composed with a rotation
    for t in (0.1, 1.0, 2.5):
        known("|x1| net composed with rotation %.1f" % t, [W1 @ rot(t), W2], False)
        known("[I;-I] + REPRO composed with rotation %.1f" % t, [PM @ rot(t), REPRO], True)
        known("5-gon composed with rotation %.1f, rows scaled" % t,
              [np.diag([1, 2, .5, 3, 1.5]) @ gon(5) @ rot(t)], True)

    print("== [B; -B] layers (injective by construction) and a non-injective first layer")
    for trial in range(6):
        B1 = rng.standard_normal((2, 2))
        B2 = rng.standard_normal((4, 4))
        B3 = rng.standard_normal((7, 8))
        Ls = [np.vstack([B1, -B1]), np.vstack([B2, -B2])]
        known("[B1;-B1], [B2;-B2] (trial %d)" % trial, Ls, True)
        if trial < 3:
            known("[B1;-B1], [B2;-B2], [B3;-B3] (width 14, trial %d)" % trial,
                  Ls + [np.vstack([B3[:, :8], -B3[:, :8]])], True)
        known("3-gon then [B2;-B2] (trial %d)" % trial, [gon(3, trial), np.vstack([B2[:3, :3], -B2[:3, :3]])], False)

    print("== touching / crossing image cones (8-gon, then a positive W2 with W2 (h(u1) - h(u2)) = 0)")
    # f = W2 h exactly (W2 > 0, h >= 0), and the only collisions are x1 = s u1, x2 = s u2
    for th1, th2, kind in ((0.0, 3 * math.pi / 4, "two breakpoints (non-adjacent arcs touch at a ray)"),
                           (math.pi / 4, 3 * math.pi / 2, "two breakpoints, other pair"),
                           (0.0, 1.9, "a breakpoint and an arc interior"),
                           (0.35, 1.95, "two arc interiors (cones cross)")):
        W8 = gon(8)
        h1 = ref.forward([W8], ref._unit(th1))
        h2 = ref.forward([W8], ref._unit(th2))
        Wp = positive_with_kernel(rng, 7, h1 - h2)
        name = "collision at %.4g, %.4g: %s" % (th1, th2, kind)
        if known(name, [W8, Wp], False):
            w = ref.decide([W8, Wp])[1]
            a1, a2 = angle_of(w[0]), angle_of(w[1])
            good = (angdist(a1, th1) < 1e-6 and angdist(a2, th2) < 1e-6) or \
                   (angdist(a1, th2) < 1e-6 and angdist(a2, th1) < 1e-6)
            check(good, "%s: witness at angles %.9g, %.9g" % (name, a1, a2))
    # u1, u2 interior to adjacent arcs: forces both arcs into one plane, a fold (1-parameter family)
    W8 = gon(8)
    Wp = positive_with_kernel(rng, 7, ref.forward([W8], ref._unit(0.5)) - ref.forward([W8], ref._unit(1.0)))
    if known("collision at 0.5, 1.0: interiors of adjacent arcs", [W8, Wp], False):
        check("fold" in ref.decide_info([W8, Wp])["reason"], "adjacent-arc collision found as a fold")
    # u1, u2 in the same arc: that arc has rank 1
    Wp = positive_with_kernel(rng, 7, ref.forward([W8], ref._unit(0.2)) - ref.forward([W8], ref._unit(0.7)))
    if known("collision at 0.2, 0.7: same arc", [W8, Wp], False):
        check("rank 1" in ref.decide_info([W8, Wp])["reason"], "same-arc collision found as rank 1")
    for trial in range(3):
        Wp = rng.uniform(0.5, 1.5, (7, 8))
        Ls = [gon(8), Wp]
        known("control: 8-gon then random positive 7x8 (trial %d)" % trial, Ls, True)
        r, _ = brute_min_ratio(Ls, rng)
        check(r > 1e-6, "control trial %d: brute force found ratio %.3g" % (trial, r))

    print("== one random layer versus the closed-halfplane criterion")
    agree = n1 = 0
    for trial in range(300):
        m = int(rng.integers(3, 9))
        W = rng.standard_normal((m, 2))
        want = closed_halfplane_criterion(W)
        got, msg = run([W])
        n1 += want
        if got is want:
            agree += 1
        else:
            print("  disagreement: m = %d, criterion %s, reference %s (%s)" % (m, want, got, msg))
    print("  %d of 300 agree (%d injective by the criterion)" % (agree, n1))
    check(agree == 300, "single-layer agreement %d/300" % agree)

    random_batch(101, "200 random Gaussian 2-layer nets, widths 3..12", 200, (3, 12), (3, 12), 12, 4)
    random_batch(202, "40 random Gaussian 2-layer nets, widths 8..12 then 12..15", 40, (8, 12), (12, 15), 6, 1)

    print("== timing: depth 3, widths 15")
    tmax = 0.0
    counts = [0, 0]
    arcs_max = 0
    for trial in range(20):
        Ls = [rng.standard_normal((15, 2)), rng.standard_normal((15, 15)), rng.standard_normal((15, 15))]
        t0 = time.time()
        got, msg = run(Ls)
        tmax = max(tmax, time.time() - t0)
        arcs_max = max(arcs_max, ref.decide_info(Ls)["arcs"])
        check(got is not None, "depth-3 trial %d: %s" % (trial, msg))
        if got is not None:
            counts[got] += 1
    print("  %d injective, %d not; at most %d arcs; slowest decision %.3f s" % (counts[1], counts[0], arcs_max, tmax))
    check(tmax < 1.0, "depth-3 width-15 decision took %.3f s" % tmax)
    print("total time %.1f s" % (time.time() - t_start))


if __name__ == "__main__":
    try:
        main()
    except Exception:  # a crash counts as a failure, and the summary line still comes last
        import traceback
        traceback.print_exc(file=sys.stdout)
        failed += 1
    print("ref2d: %d passed, %d failed" % (passed, failed))
    sys.exit(0 if failed == 0 else 1)

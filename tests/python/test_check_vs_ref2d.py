#!/usr/bin/python3
"""`relucap check` against the independent 2-D reference tests/python/ref_injective2d.py.

Bias-free networks f(x) = ReLU(W_L ... ReLU(W_1 x)) on R^2, depth 2 or 3, from a fixed list of
seeds: random Gaussian ones (first width 6..16 or 3..5, later widths 4..16) and structured ones
(duplicated or scaled rows, zero rows, [B; -B] layers).  Each net is written to CSV (%.17g) in a
temporary directory and decided by `relucap check --json --time-limit 60` (RELUCAP_CLI, default
build/relucap).  Per net it is required that
  * relucap's "injective" is not null, "certified" is true, and the verdict equals the reference's;
  * false: the witness x1 != x2 re-verifies here by a forward pass,
      |f(x1) - f(x2)| <= 1e-8 max(|f(x1)|, |x1 - x2| prod_k ||W_k||_F);
  * true: no witness, and "regions" (if the exhaustive region search ran) is complete.
A failing net's CSVs are kept under $TMPDIR/disagree_<seed>/.

Run with Debian's python3 (numpy):  /usr/bin/python3 tests/python/test_check_vs_ref2d.py
Last line: "check-vs-ref2d: N passed, M failed" (one per net); exit code 0 iff M == 0."""
import json
import os
import shutil
import sys
import tempfile
import time

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")     # tiny matrices: BLAS threads only cost time
import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import ref_injective2d as ref  # noqa: E402
from check_driver import CLI, check_shapes, gauss, positive_with_kernel, run_check, write_csv  # noqa: E402

WITNESS_REL = 1e-8

passed = failed = 0


def later_widths(rng, depth):
    return [int(rng.integers(4, 17)) for _ in range(depth - 1)]


def net_gaussian(rng):
    """Gaussian, first width 6..16, later 4..16: both verdicts frequent."""
    depth = int(rng.integers(2, 4))
    return "gauss", gauss(rng, [2, int(rng.integers(6, 17))] + later_widths(rng, depth))


def net_narrow(rng):
    """Gaussian with a narrow first layer (3..5): mostly not injective (f = 0 or rank 1 arcs)."""
    depth = int(rng.integers(2, 4))
    return "narrow", gauss(rng, [2, int(rng.integers(3, 6))] + later_widths(rng, depth))


def net_dup(rng):
    """Gaussian, then some rows of a random layer repeated, some of them positively scaled."""
    _, Ls = net_gaussian(rng)
    k = int(rng.integers(len(Ls)))
    W = Ls[k]
    idx = rng.integers(W.shape[0], size=int(rng.integers(1, 4)))
    extra = W[idx] * np.where(rng.uniform(size=len(idx)) < 0.5, 1.0, rng.uniform(0.5, 3.0, len(idx)))[:, None]
    Ls[k] = np.vstack([W, extra])[rng.permutation(W.shape[0] + len(idx))]
    if k + 1 < len(Ls):                  # the next layer sees the extra units
        Ls[k + 1] = np.hstack([Ls[k + 1], rng.standard_normal((Ls[k + 1].shape[0], len(idx)))])
    return "dup rows", Ls


def net_zero(rng):
    """Gaussian with zero rows in some layer (dead units) and zero columns in the next."""
    _, Ls = net_gaussian(rng)
    k = int(rng.integers(len(Ls)))
    W = Ls[k]
    idx = rng.choice(W.shape[0], size=min(W.shape[0] - 1, int(rng.integers(1, 4))), replace=False)
    W[idx] = 0.0
    if k + 1 < len(Ls) and rng.uniform() < 0.5:
        Ls[k + 1][:, idx] = 0.0
    return "zero rows", Ls


def net_pm(rng):
    """[B; -B] first layer (injective), then [C; -C] (injective by construction) or Gaussian layers."""
    b = int(rng.integers(2, 5))
    B = rng.standard_normal((b, 2))
    Ls = [np.vstack([B, -B])]
    depth = int(rng.integers(2, 4))
    for _ in range(depth - 1):
        n = Ls[-1].shape[0]
        if rng.uniform() < 0.5:
            C = rng.standard_normal((n, n))      # square C: [C; -C] is injective on R^n
            Ls.append(np.vstack([C, -C]) if 2 * n <= 16 else rng.standard_normal((16, n)))
        else:
            Ls.append(rng.standard_normal((int(rng.integers(4, 17)), n)))
    return "[B;-B]", Ls


def net_pm_rows(rng):
    """Rows of [I; -I] (scaled, rotated), duplicated and zero rows all at once, then Gaussian."""
    t = rng.uniform(0, np.pi)
    R = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    rows = [R[0], -R[0], R[1], -R[1]]
    W = np.array([r * rng.uniform(0.5, 2.0) for r in rows] + [rows[int(rng.integers(4))], np.zeros(2)])
    W = W[rng.permutation(len(W))]
    depth = int(rng.integers(2, 4))
    return "[I;-I]+dup+zero", [W] + gauss(rng, [W.shape[0]] + later_widths(rng, depth))


def gon(k, phase, scale):
    """k rows at angles phase + 2 pi j / k, row j scaled by scale[j]."""
    a = phase + 2 * np.pi * np.arange(k) / k
    return np.stack([np.cos(a), np.sin(a)], axis=1) * np.asarray(scale)[:, None]


def net_collide(rng, mode):
    """A scaled, rotated 8-gon h = ReLU(G .), then a positive 7 x 8 layer W2 >= 0 (so f = W2 h):
      'cross': W2 (h(u1) - h(u2)) = 0 for u1, u2 inside two non-adjacent arcs (image cones cross);
      'touch': the same with u1, u2 two non-adjacent breakpoints (cones touch at one ray);
      'near':  'cross' with W2 (h(u1) - h(u2)) = 1e-3 |h(u1) - h(u2)| instead of 0 (a near miss);
      'pos':   random positive W2 (control).
    Half of them get a third layer [C; -C] (C square: injective on all of R^7, verdict kept)."""
    phase = rng.uniform(0, 2 * np.pi)
    G = gon(8, phase, rng.uniform(0.5, 2.0, 8))
    step = np.pi / 4                            # breakpoints of h: phase + pi/2 + j pi/4
    j1 = int(rng.integers(8))
    j2 = (j1 + int(rng.integers(2, 7))) % 8     # not the same or an adjacent arc
    if mode == "touch":
        t1, t2 = phase + np.pi / 2 + j1 * step, phase + np.pi / 2 + j2 * step
    else:
        t1, t2 = [phase + np.pi / 2 + (j + rng.uniform(0.2, 0.8)) * step for j in (j1, j2)]
    d = ref.forward([G], np.array([np.cos(t1), np.sin(t1)])) - ref.forward([G], np.array([np.cos(t2), np.sin(t2)]))
    if mode == "pos":
        W2 = rng.uniform(0.5, 1.5, (7, 8))
    else:
        W2 = positive_with_kernel(rng, 7, d)
        if mode == "near":
            dp = np.maximum(d, 0.0)             # W2[0] += a dp keeps W2 > 0, adds a |dp|^2 to W2[0] d
            W2[0] += 1e-3 * np.linalg.norm(d) / (dp @ dp) * dp
    Ls = [G, W2]
    if rng.uniform() < 0.5:
        C = rng.standard_normal((7, 7))
        Ls.append(np.vstack([C, -C]))
    return "8-gon " + mode, Ls


# (generator, seeds): 80 nets
PLAN = [(net_gaussian, range(1000, 1036)),
        (net_narrow, range(2000, 2008)),
        (net_dup, range(3000, 3006)),
        (net_zero, range(4000, 4006)),
        (net_pm, range(5000, 5006)),
        (net_pm_rows, range(6000, 6004)),
        (lambda rng: net_collide(rng, "cross"), range(7000, 7004)),
        (lambda rng: net_collide(rng, "touch"), range(7100, 7104)),
        (lambda rng: net_collide(rng, "near"), range(7200, 7203)),
        (lambda rng: net_collide(rng, "pos"), range(7300, 7303))]


def check_witness(Ls, wit):
    """None if the witness is a genuine collision, else what is wrong with it."""
    if not isinstance(wit, dict) or "x1" not in wit or "x2" not in wit:
        return "no witness: %r" % (wit,)
    x1 = np.array(wit["x1"], dtype=np.float64)
    x2 = np.array(wit["x2"], dtype=np.float64)
    if x1.shape != (2,) or x2.shape != (2,):
        return "witness shapes %s, %s" % (x1.shape, x2.shape)
    dx = float(np.linalg.norm(x1 - x2))
    if not dx > 1e-9 * max(np.linalg.norm(x1), np.linalg.norm(x2)):
        return "witness x1 = x2 (|x1 - x2| = %.3g)" % dx
    y1, y2 = ref.forward(Ls, x1), ref.forward(Ls, x2)
    P = float(np.prod([np.linalg.norm(W) for W in Ls]))
    scale = max(float(np.linalg.norm(y1)), dx * P)
    diff = float(np.linalg.norm(y1 - y2))
    if not diff <= WITNESS_REL * scale:
        return "witness does not verify: |f(x1)-f(x2)| = %.3g, scale %.3g (rel %.3g > %g)" % (
            diff, scale, diff / scale, WITNESS_REL)
    return None


def run_one(gen, seed):
    """(ok, ref verdict, relucap verdict, seconds, description)."""
    rng = np.random.default_rng(seed)
    kind, Ls = gen(rng)
    check_shapes(Ls, 2)
    widths = [2] + [W.shape[0] for W in Ls]
    desc = "seed %d (%s, widths %s)" % (seed, kind, "-".join(map(str, widths)))
    problems = []
    try:
        want, _ = ref.decide(Ls)
    except ref.Undecided as e:
        want = None
        problems.append("reference undecided: %s" % e)
    with tempfile.TemporaryDirectory(prefix="relucap_ref2d_") as d:
        paths = write_csv(d, Ls, seed)
        out, rc, err, secs = run_check(paths)
        got = None
        try:
            j = json.loads(out)
        except ValueError:
            j = None
            problems.append("relucap exit %d, no JSON (stderr: %s)" % (rc, err.strip()[-200:]))
        if j is not None:
            got = j.get("injective")
            if rc != 0:
                problems.append("relucap exit status %d" % rc)
            if got is None:
                problems.append("relucap undecided (%s)" % j.get("reason"))
            elif want is not None and got is not want:
                problems.append("DISAGREE: relucap injective=%s (%s), reference injective=%s"
                                % (got, j.get("reason"), want))
            if j.get("certified") is not True:
                problems.append("certified = %r" % j.get("certified"))
            if got is False:
                bad = check_witness(Ls, j.get("witness"))
                if bad:
                    problems.append(bad)
            elif got is True:
                if j.get("witness") is not None:
                    problems.append("injective but with a witness")
                reg = j.get("regions")
                if isinstance(reg, dict) and reg.get("complete") is not True:
                    problems.append("injective but regions.complete = %r (stopped %r)"
                                    % (reg.get("complete"), reg.get("stopped")))
        if problems:
            keep = os.path.join(tempfile.gettempdir(), "disagree_%d" % seed)
            shutil.rmtree(keep, ignore_errors=True)
            shutil.copytree(d, keep)
            problems.append("CSVs kept in %s" % keep)
    return not problems, want, got, secs, desc + ": " + "; ".join(problems)


def main():
    global passed, failed
    t_start = time.time()
    if not os.access(CLI, os.X_OK):
        print("FAIL: check-vs-ref2d: no executable %s (make all, or set RELUCAP_CLI)" % CLI)
        failed += 1
        return
    counts = {True: 0, False: 0, None: 0}
    by_kind = {}
    slow = (0.0, "")
    for gen, seeds in PLAN:
        for seed in seeds:
            ok, want, got, secs, desc = run_one(gen, seed)
            if ok:
                passed += 1
            else:
                failed += 1
                print("FAIL: " + desc)
            counts[want] += 1
            kind = desc.split("(")[1].split(",")[0]
            k = by_kind.setdefault(kind, [0, 0])
            k[0 if want else 1] += 1
            if secs > slow[0]:
                slow = (secs, desc.split(":")[0])
    n = sum(counts.values())
    print("check-vs-ref2d: %d nets, reference: %d injective, %d not injective%s; by kind: %s"
          % (n, counts[True], counts[False],
             ", %d undecided" % counts[None] if counts[None] else "",
             ", ".join("%s %d/%d" % (k, v[0], v[1]) for k, v in by_kind.items())))
    print("check-vs-ref2d: slowest relucap check %.3f s (%s); total %.1f s" % (slow[0], slow[1], time.time() - t_start))


if __name__ == "__main__":
    try:
        main()
    except Exception:  # a crash counts as a failure, and the summary line still comes last
        import traceback
        traceback.print_exc(file=sys.stdout)
        failed += 1
    print("check-vs-ref2d: %d passed, %d failed" % (passed, failed))
    sys.exit(0 if failed == 0 else 1)

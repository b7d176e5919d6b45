#!/usr/bin/python3
"""`relucap check` against the independent MILP reference tests/python/ref_milp.py, in n = 3 and 4.

1. Self-tests of ref_milp on bias-free nets whose verdict is known by construction (n = 3, 4):
   [B; -B] (injective), [B; 0] (zero rows: not), all rows in one open halfspace (not), m < n (not),
   [B; -B] then a positive full-rank layer (injective: linear on the orthant), [B; -B] then a
   positive layer with W2 (h(x1) - h(x2)) = 0 (not).  A "not injective" verdict must come with a
   witness that verifies here (below).
2. 41 bias-free networks f(x) = ReLU(W_L ... ReLU(W_1 x)), depth 2 or 3, from a fixed list of
   seeds (np.random.default_rng(seed)), n = 3 (most) and n = 4: Gaussian (3 -> 8..12 -> 6..10
   [-> 5..7], 4 -> 9..11 -> 6..8), duplicated rows, zero rows, [B; -B] first layers (then
   Gaussian, [C; -C], or "mixed" layers of a few positive rows among Gaussian ones, where relucap
   decides by its exhaustive region search), integer entries in {-1, 0, 1}, rows of {+-1}^n, and
   planted collisions (every row of W2 orthogonal to d = h(x1) - h(x2), h the first layer).
   Widths are kept small so that each MILP takes about a second (an injectivity proof needs n
   MILPs solved to optimality; 36 binaries already take seconds).  Each net is written to CSV
   (%.17g) in a temporary directory and decided by `relucap check --json --time-limit 60`
   (RELUCAP_CLI, default build/relucap) and by ref_milp.decide_info.  Per net:
     * relucap "injective" null (undecided): counted and printed, not a failure; but relucap must
       decide at least 80% of the nets (one more failure otherwise);
     * ref_milp raises Undecided: the net is skipped (counted and printed); the MILP too must
       decide at least 80% of the nets;
     * both decide: the verdicts must agree; relucap's "certified" must be true;
     * every "false" verdict's witness (relucap's and the MILP's) re-verifies here by a numpy
       forward pass:  x1 != x2  and  |f(x1) - f(x2)| <= 1e-8 |x1 - x2| prod_k ||W_k||_F;
     * relucap "true": no witness, and "regions" (if the region search ran) is complete.
   A failing net's CSVs (both outputs in outputs.txt) are kept under $TMPDIR/milp_disagree_<seed>/.
   The MILP runs first with a short time limit (a collision is usually found at once; the MILP
   then goes on proving its maximum, which is not needed), and only if that is undecided with
   the long one (proving injectivity needs n MILPs solved to optimality).

Run with Debian's python3 (numpy, scipy >= 1.9):  /usr/bin/python3 tests/python/test_check_vs_milp.py
Last line: "check-vs-milp: N passed, M failed" (one per self-test and per net); exit code 0 iff M == 0."""
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
import ref_milp  # noqa: E402
from check_driver import CLI, check_shapes, gauss, positive_with_kernel, run_check, write_csv  # noqa: E402

WITNESS_REL = 1e-8
MILP_SHORT = 2.0      # seconds: first try (collisions)
MILP_LONG = 10.0      # seconds: second try (injectivity proofs)
MIN_DECIDED = 0.8     # fraction of the nets each side must decide
VERBOSE = bool(os.environ.get("CHECK_VS_MILP_VERBOSE"))

passed = failed = 0


def forward(Ls, x):
    """Independent of both deciders: plain numpy."""
    h = np.asarray(x, dtype=np.float64)
    for W in Ls:
        h = np.maximum(W @ h, 0.0)
    return h


def check_witness(Ls, x1, x2):
    """None if (x1, x2) is a genuine collision of f, else what is wrong with it."""
    n = Ls[0].shape[1]
    x1 = np.asarray(x1, dtype=np.float64)
    x2 = np.asarray(x2, dtype=np.float64)
    if x1.shape != (n,) or x2.shape != (n,):
        return "witness shapes %s, %s (n = %d)" % (x1.shape, x2.shape, n)
    if not (np.all(np.isfinite(x1)) and np.all(np.isfinite(x2))):
        return "witness not finite"
    dx = float(np.linalg.norm(x1 - x2))
    if not dx > 1e-9 * max(np.linalg.norm(x1), np.linalg.norm(x2)):
        return "witness x1 = x2 (|x1 - x2| = %.3g)" % dx
    P = float(np.prod([np.linalg.norm(W) for W in Ls]))
    diff = float(np.linalg.norm(forward(Ls, x1) - forward(Ls, x2)))
    if not diff <= WITNESS_REL * dx * P:
        return "witness does not verify: |f(x1)-f(x2)| = %.3g > %g |x1-x2| prod|W_k| = %.3g" % (
            diff, WITNESS_REL, WITNESS_REL * dx * P)
    return None


def milp_decide(Ls):
    """(verdict True/False/None, witness or None, reason, seconds): short try, then long try."""
    t0 = time.time()
    reason = ""
    for limit in (MILP_SHORT, MILP_LONG):
        try:
            info = ref_milp.decide_info(Ls, limit)
            return info["injective"], info["witness"], info["reason"], time.time() - t0
        except ref_milp.Undecided as e:
            reason = str(e)
    return None, None, reason, time.time() - t0


# ---------------------------------------------------------------- 1. self-tests of ref_milp

def invertible(rng, n):
    while True:
        B = rng.standard_normal((n, n))
        if np.linalg.cond(B) < 50:
            return B


def self_cases(n, rng):
    B = invertible(rng, n)
    yield "[B;-B]", [np.vstack([B, -B])], True
    yield "[B;0;0]", [np.vstack([B, np.zeros((2, n))])], False
    v = rng.standard_normal(n)
    H = rng.standard_normal((2 * n + 2, n))
    H += np.outer(np.maximum(0.1 - H @ v / (v @ v), 0.0) + 0.1, v)   # now every row has w.v > 0
    assert np.all(H @ v > 0)
    yield "rows in one halfspace", [H], False
    yield "m < n", [rng.standard_normal((n - 1, n)), rng.standard_normal((4, n - 1))], False
    P = rng.uniform(0.2, 1.5, (2 * n + 1, 2 * n))
    yield "[B;-B], positive full rank", [np.vstack([B, -B]), P], True
    x1, x2 = rng.standard_normal(n), rng.standard_normal(n)
    W1 = np.vstack([B, -B])
    d = forward([W1], x1) - forward([W1], x2)
    if np.all(d >= 0) or np.all(d <= 0):   # W1 x is injective, so d != 0; need both signs
        x2 = -x1
        d = forward([W1], x1) - forward([W1], x2)
    W2 = positive_with_kernel(rng, 2 * n - 1, d)
    assert np.allclose(forward([W1, W2], x1), forward([W1, W2], x2), rtol=0, atol=1e-12)
    yield "[B;-B], positive with a planted collision", [W1, W2], False


def self_tests():
    global passed, failed
    for n in (3, 4):
        rng = np.random.default_rng(100 + n)
        for name, Ls, want in self_cases(n, rng):
            got, wit, reason, secs = milp_decide(Ls)
            problems = []
            if got is not want:
                problems.append("ref_milp says %s (%s), known %s" % (got, reason, want))
            if got is False:
                bad = check_witness(Ls, *wit) if wit is not None else "no witness"
                if bad:
                    problems.append("ref_milp's " + bad)
            elif got is True and wit is not None:
                problems.append("injective but with a witness")
            if VERBOSE:
                print("  self n=%d %-40s %s %.2f s" % (n, name, got, secs))
            if problems:
                failed += 1
                print("FAIL: ref_milp self-test n = %d, %s: %s" % (n, name, "; ".join(problems)))
            else:
                passed += 1


# ---------------------------------------------------------------- 2. the networks

def net_gaussian(rng, n=3):
    """Gaussian, depth 2 (3 -> 8..12 -> 6..10) or, 30%, 3 (-> 5..7); n = 4: 4 -> 9..11 -> 6..8.
    Mostly not injective at these widths (the MILP proofs of injectivity would be too slow)."""
    if n == 4:
        return "gauss", gauss(rng, [4, int(rng.integers(9, 12)), int(rng.integers(6, 9))])
    widths = [3, int(rng.integers(8, 13)), int(rng.integers(6, 11))]
    if rng.uniform() < 0.3:
        widths.append(int(rng.integers(5, 8)))
    return "gauss", gauss(rng, widths)


def net_dup(rng, n=3):
    """Gaussian, then some rows of a random layer repeated, some of them positively scaled."""
    _, Ls = net_gaussian(rng, n)
    k = int(rng.integers(len(Ls)))
    W = Ls[k]
    idx = rng.integers(W.shape[0], size=int(rng.integers(1, 3)))
    extra = W[idx] * np.where(rng.uniform(size=len(idx)) < 0.5, 1.0, rng.uniform(0.5, 3.0, len(idx)))[:, None]
    Ls[k] = np.vstack([W, extra])[rng.permutation(W.shape[0] + len(idx))]
    if k + 1 < len(Ls):                  # the next layer sees the extra units
        Ls[k + 1] = np.hstack([Ls[k + 1], rng.standard_normal((Ls[k + 1].shape[0], len(idx)))])
    return "dup rows", Ls


def net_zero(rng, n=3):
    """Gaussian with zero rows in some layer (dead units) and, half the time, zero columns next."""
    _, Ls = net_gaussian(rng, n)
    k = int(rng.integers(len(Ls)))
    W = Ls[k]
    idx = rng.choice(W.shape[0], size=int(rng.integers(1, 3)), replace=False)
    W[idx] = 0.0
    if k + 1 < len(Ls) and rng.uniform() < 0.5:
        Ls[k + 1][:, idx] = 0.0
    return "zero rows", Ls


def net_pm(rng, n=3):
    """[B; -B] first layer (injective on R^n), then Gaussian 2n -> 2n..4n-2 or (n = 3 only:
    the MILP proof costs seconds) [C; -C] with C square (injective)."""
    B = rng.standard_normal((n, n))
    Ls = [np.vstack([B, -B])]
    if n == 3 and rng.uniform() < 0.3:
        C = rng.standard_normal((2 * n, 2 * n))
        Ls.append(np.vstack([C, -C]))
        return "[B;-B],[C;-C]", Ls
    Ls.append(rng.standard_normal((int(rng.integers(2 * n, 4 * n - 1)), 2 * n)))
    return "[B;-B],gauss", Ls


def net_mixed(rng, n=3):
    """[B; -B], then k = 2..5 positive rows (always active on the orthant, but spanning only a
    k-dimensional space) among 4..8 Gaussian ones: layer 2 is not injective on the orthant, so
    relucap decides by its exhaustive region search; both verdicts occur.  Half of them get a
    third layer [P; g Gaussian rows] with P square positive (linear and injective on the orthant:
    the verdict is kept)."""
    B = rng.standard_normal((n, n))
    m1 = 2 * n
    k, g = int(rng.integers(2, 6)), int(rng.integers(4, 9 if n == 3 else 8))
    W2 = np.vstack([rng.uniform(0.2, 1.5, (k, m1)), rng.standard_normal((g, m1))])[rng.permutation(k + g)]
    Ls = [np.vstack([B, -B]), W2]
    if rng.uniform() < 0.5:
        m2 = k + g
        g3 = int(rng.integers(0, 3))
        Ls.append(np.vstack([rng.uniform(0.2, 1.5, (m2, m2)), rng.standard_normal((g3, m2))]))
        return "[B;-B],mixed,positive", Ls
    return "[B;-B],mixed", Ls


def net_int(rng, n=3):
    """Integer weights: first layer distinct rows of {-1, 0, 1}^n, second layer in {-1, 0, 1}."""
    rows = np.array(np.meshgrid(*[[-1, 0, 1]] * n)).reshape(n, -1).T
    rows = rows[np.any(rows != 0, axis=1)]
    W1 = rows[rng.choice(len(rows), size=int(rng.integers(2 * n, 3 * n + 1)), replace=False)]
    W2 = rng.integers(-1, 2, size=(int(rng.integers(2 * n, 3 * n + 1)), W1.shape[0]))
    return "int {-1,0,1}", [W1.astype(np.float64), W2.astype(np.float64)]


def net_signs(rng, n=3):
    """All of {+-1}^n but k of them (k = 0..2) as first layer, then a Gaussian or +-1 layer."""
    rows = np.array(np.meshgrid(*[[-1, 1]] * n)).reshape(n, -1).T.astype(np.float64)
    keep = rng.permutation(len(rows))[:len(rows) - int(rng.integers(0, 3))]
    W1 = rows[np.sort(keep)]
    m2 = int(rng.integers(len(keep) - 1, len(keep) + 3))
    W2 = rng.standard_normal((m2, len(keep))) if rng.uniform() < 0.5 else \
        rng.choice([-1.0, 1.0], size=(m2, len(keep)))
    return "{+-1}^n rows", [W1, W2]


def net_planted(rng, n=3):
    """A collision f(x1) = f(x2) planted in layer 2: h = ReLU(W1 .), d = h(x1) - h(x2) != 0 and
    every row of W2 orthogonal to d, so W2 h(x1) = W2 h(x2).  Either W1 Gaussian (2n..3n rows)
    and W2 = G (I - d d^T / |d|^2), or W1 = [B; -B] and W2 as in net_mixed (k positive rows made
    orthogonal to d as in positive_with_kernel, the Gaussian ones projected): then layer 1 is
    injective and the collision is one of the whole map (found by relucap's region search
    unless some region is rank deficient)."""
    if rng.uniform() < 0.5:
        B = rng.standard_normal((n, n))
        W1, kind = np.vstack([B, -B]), "planted [B;-B],mixed"
    else:
        W1, kind = rng.standard_normal((int(rng.integers(2 * n, 3 * n + 1)), n)), "planted gauss"
    while True:
        x1, x2 = rng.standard_normal(n), rng.standard_normal(n)
        d = forward([W1], x1) - forward([W1], x2)
        if np.linalg.norm(d) > 0.1 and d.max() > 0.05 * np.abs(d).max() and d.min() < -0.05 * np.abs(d).max():
            break
    m1 = W1.shape[0]
    if kind == "planted gauss":
        W2 = rng.standard_normal((int(rng.integers(m1 - 1, m1 + 3)), m1))
    else:
        k = int(rng.integers(2, 5))
        W2 = np.vstack([positive_with_kernel(rng, k, d),
                        rng.standard_normal((int(rng.integers(4, 8)), m1))])
        W2 = W2[rng.permutation(W2.shape[0])]
    W2 -= np.outer(W2 @ d, d) / (d @ d)      # exact for the Gaussian rows, rounding for the rest
    assert np.allclose(forward([W1, W2], x1), forward([W1, W2], x2), rtol=0, atol=1e-10)
    return kind, [W1, W2]


def n4(gen):
    return lambda rng: gen(rng, 4)


# (generator, seeds): 41 nets, 7 of them injective
PLAN = [(net_gaussian, range(1000, 1006)),
        (n4(net_gaussian), range(1100, 1102)),
        (net_dup, range(2000, 2003)),
        (net_zero, range(3000, 3003)),
        (net_pm, range(4000, 4004)),
        (n4(net_pm), range(4100, 4101)),
        (net_mixed, range(4200, 4210)),
        (n4(net_mixed), range(4300, 4302)),
        (net_int, range(5000, 5002)),
        (net_signs, range(5100, 5102)),
        (net_planted, range(6000, 6005)),
        (n4(net_planted), range(6100, 6101))]


def run_one(gen, seed):
    """dict: ok, relucap verdict, MILP verdict, seconds of each, description, problems."""
    rng = np.random.default_rng(seed)
    kind, Ls = gen(rng)
    check_shapes(Ls, Ls[0].shape[1])
    widths = [Ls[0].shape[1]] + [W.shape[0] for W in Ls]
    r = {"desc": "seed %d (%s, widths %s)" % (seed, kind, "-".join(map(str, widths))), "kind": kind}
    problems = []
    want, mwit, mreason, r["t_milp"] = milp_decide(Ls)
    r["milp"], r["milp_reason"] = want, mreason
    if want is False:
        bad = check_witness(Ls, *mwit) if mwit is not None else "no witness"
        if bad:
            problems.append("MILP's " + bad)
    with tempfile.TemporaryDirectory(prefix="relucap_milp_") as d:
        paths = write_csv(d, Ls, seed)
        out, rc, err, r["t_relucap"] = run_check(paths)
        got = None
        try:
            j = json.loads(out)
        except ValueError:
            j = None
            problems.append("relucap exit %d, no JSON (stderr: %s)" % (rc, err.strip()[-200:]))
        if j is not None:
            got = j.get("injective")
            r["relucap_reason"] = j.get("reason")
            if rc != 0:
                problems.append("relucap exit status %d" % rc)
            if got is not None and want is not None and got is not want:
                problems.append("DISAGREE: relucap injective=%s (%s), MILP injective=%s (%s)"
                                % (got, j.get("reason"), want, mreason))
            if got is not None and j.get("certified") is not True:
                problems.append("certified = %r" % j.get("certified"))
            if got is False:
                wit = j.get("witness")
                if not isinstance(wit, dict) or "x1" not in wit or "x2" not in wit:
                    problems.append("relucap: no witness: %r" % (wit,))
                else:
                    bad = check_witness(Ls, wit["x1"], wit["x2"])
                    if bad:
                        problems.append("relucap's " + bad)
            elif got is True:
                if j.get("witness") is not None:
                    problems.append("injective but with a witness")
                reg = j.get("regions")
                if isinstance(reg, dict) and reg.get("complete") is not True:
                    problems.append("injective but regions.complete = %r (stopped %r)"
                                    % (reg.get("complete"), reg.get("stopped")))
        r["relucap"] = got
        if problems:
            keep = os.path.join(tempfile.gettempdir(), "milp_disagree_%d" % seed)
            shutil.rmtree(keep, ignore_errors=True)
            shutil.copytree(d, keep)
            with open(os.path.join(keep, "outputs.txt"), "w") as fh:
                fh.write("relucap (exit %d):\n%s\n%s\n" % (rc, out, err))
                fh.write("ref_milp: injective=%s, reason: %s\n" % (want, mreason))
                if mwit is not None:
                    fh.write("ref_milp witness: x1 = %r, x2 = %r\n" % (list(map(float, mwit[0])),
                                                                       list(map(float, mwit[1]))))
            problems.append("CSVs kept in %s" % keep)
    r["ok"] = not problems
    r["problems"] = problems
    return r


def compare():
    global passed, failed
    res = []
    for gen, seeds in PLAN:
        for seed in seeds:
            r = run_one(gen, seed)
            res.append(r)
            if VERBOSE:
                print("  %-50s relucap %-5s %.2f s  MILP %-5s %.2f s  %s" % (
                    r["desc"], r["relucap"], r["t_relucap"], r["milp"], r["t_milp"],
                    (r.get("relucap_reason") or "")[:60]))
            if r["ok"]:
                passed += 1
            else:
                failed += 1
                print("FAIL: " + r["desc"] + ": " + "; ".join(r["problems"]))
    nets = len(res)
    both = [r for r in res if r["relucap"] is not None and r["milp"] is not None]
    agree = sum(1 for r in both if r["relucap"] is r["milp"])
    for r in res:
        if r["relucap"] is None:
            print("check-vs-milp: relucap undecided: %s: %s" % (r["desc"], r.get("relucap_reason")))
        if r["milp"] is None:
            print("check-vs-milp: MILP undecided (skipped): %s: %s" % (r["desc"], r["milp_reason"]))
    dec_r = sum(1 for r in res if r["relucap"] is not None)
    dec_m = sum(1 for r in res if r["milp"] is not None)
    for who, dec in (("relucap", dec_r), ("MILP", dec_m)):
        if dec < MIN_DECIDED * nets:
            failed += 1
            print("FAIL: check-vs-milp: %s decided only %d of %d nets (< %d%%)"
                  % (who, dec, nets, round(100 * MIN_DECIDED)))
    inj = sum(1 for r in res if (r["milp"] if r["milp"] is not None else r["relucap"]) is True)
    return nets, dec_r, dec_m, len(both), agree, inj, res


def main():
    t_start = time.time()
    global failed
    if not os.access(CLI, os.X_OK):
        print("FAIL: check-vs-milp: no executable %s (make all, or set RELUCAP_CLI)" % CLI)
        failed += 1
        return
    self_tests()
    t_self = time.time() - t_start
    nets, dec_r, dec_m, both, agree, inj, res = compare()
    slow_m = max(res, key=lambda r: r["t_milp"])
    slow_r = max(res, key=lambda r: r["t_relucap"])
    print("check-vs-milp: %d nets (%d injective, %d not), relucap decided %d, MILP decided %d, "
          "both %d, agree %d; self-tests %.1f s; slowest MILP %.2f s (%s), slowest relucap %.2f s "
          "(%s); total %.1f s"
          % (nets, inj, nets - inj, dec_r, dec_m, both, agree, t_self, slow_m["t_milp"],
             slow_m["desc"].split(" (")[0], slow_r["t_relucap"], slow_r["desc"].split(" (")[0],
             time.time() - t_start))


if __name__ == "__main__":
    try:
        main()
    except Exception:  # a crash counts as a failure, and the summary line still comes last
        import traceback
        traceback.print_exc(file=sys.stdout)
        failed += 1
    print("check-vs-milp: %d passed, %d failed" % (passed, failed))
    sys.exit(0 if failed == 0 else 1)

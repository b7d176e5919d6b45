"""Tests of the Python binding python/relucap.py (run by tests/python/run.sh from `make check`).

Reference values: /work/shared/notes/plain-rdt.md (converged saddle points) and the paper's
printed tables (arXiv 2412.19677) to their printed digits."""
import doctest
import math
import os
import sys

import numpy as np

import relucap

passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL: " + what)


def close(got, want, rtol, what):
    check(abs(got - want) <= rtol * max(1.0, abs(want)), "%s: got %.15g, want %.15g (rtol %g)" % (what, got, want, rtol))


def raises(exc, words, f, *args, **kw):
    try:
        f(*args, **kw)
    except exc as e:
        msg = str(e)
        check(all(w in msg for w in words), "%s%r: message %r lacks %r" % (f.__name__, args, msg, words))
        return
    except Exception as e:  # noqa: BLE001 - any other exception is a failure too
        check(False, "%s%r raised %s, want %s" % (f.__name__, args, type(e).__name__, exc.__name__))
        return
    check(False, "%s%r did not raise %s" % (f.__name__, args, exc.__name__))


# Single-layer bound: alpha (1 - Phi(c)) = 1, alpha E[g^2 1(0<g<c)] = 1 -> 7.6476949354 (notes sec. 2).
close(relucap.capacity(), 7.6476949354, 1e-10, "depth 1")
close(relucap.capacity(depth=1, kind="weak", alphas=[]), 7.6476949354, 1e-10, "depth 1, empty alphas")
close(relucap.single_layer("plain"), 7.6476949354, 1e-10, "single_layer plain")
close(relucap.single_layer("gate:1"), 7.6476949354, 1e-10, "single_layer gate:1")
# Fully lifted levels (include/relucap/gate.h; the gate branch's tests check them in depth).
close(relucap.single_layer("gate:2"), 6.7156968380, 1e-8, "single_layer gate:2 (1RSB)")
close(relucap.single_layer("gate:3"), 6.7003919, 1e-7, "single_layer gate:3 (2RSB)")
close(relucap.best_alpha1("weak"), relucap.single_layer("gate:3"), 0, "best_alpha1 = gate:3 (as the CLI)")
close(relucap.best_alpha1("strong"), relucap.single_layer("gate:3"), 0, "best_alpha1 is the same for strong")
for bad in ["gate:2p", "gate:full", "gate:0", "gate:14", "lifted", "gate:"]:
    raises(ValueError, [repr(bad), "gate:L"], relucap.single_layer, bad)

# The example and paper Tables 2/3 (printed 8.267 and 12.35; converged values from the notes).
c2 = relucap.capacity(depth=2, kind="weak", alphas=[6.7004])
check(isinstance(c2, float), "capacity returns a float, got %s" % type(c2).__name__)
close(c2, 8.2667293, 1e-7, "depth 2 weak (notes)")
check(round(c2, 3) == 8.267, "depth 2 weak rounds to the paper's 8.267: %r" % c2)
close(relucap.capacity(2, "strong", [6.7004]), 12.3504209735165, 1e-10, "depth 2 strong (notes)")
# Depths 3 and 4 weak at the paper's printed inputs: the values the issue lists (not the paper's 9.49, 10.124).
close(relucap.capacity(3, "weak", [6.7004, 8.267]), 9.4715305, 1e-7, "depth 3 weak")
close(relucap.capacity(4, "weak", np.array([6.7004, 8.267, 9.49])), 10.7887955, 1e-7, "depth 4 weak (numpy input)")

# details=True: every parameter, evidence, admissibility.  These also guard the ctypes struct
# layout: a misaligned mirror could not produce the notes' saddle point and a tiny residual.
d = relucap.capacity(2, "weak", [6.7004], details=True)
check(isinstance(d, relucap.Capacity), "details returns a Capacity")
close(d.capacity, c2, 0, "details.capacity == capacity")
close(d.params["r_1"], 1.77057, 1e-5, "r1 (notes)")
close(d.params["gbar_1"], 0.893759, 1e-6, "gbar1 (notes)")
close(d.params["gbar_2"], 0.964642, 1e-6, "gbar2 (notes)")
check(set(d.params) == {"r_1", "gbar_1", "gbar_2", "gamma_1", "nu", "c", "q"}, "param names %s" % sorted(d.params))
check(d.residual < 1e-10, "residual %g < 1e-10" % d.residual)
check(0 <= d.quad_error < 1e-8, "quad_error %g" % d.quad_error)
check(d.admissible is True, "alpha_1 = 6.7004 >= gate:3 6.70039 is admissible")
check(relucap.capacity(2, "weak", [6.70], details=True).admissible is False, "alpha_1 = 6.70 < 6.70039 is not")
check(relucap.capacity(2, "weak", [8.0], details=True).admissible is True, "alpha_1 = 8 is admissible")
check(d.method == "plain" and d.kind == "weak" and d.depth == 2, "labels")

# The two quadratures agree (the adaptive rule is the cross-check of --quad adaptive).
ca = relucap.capacity(3, "weak", [7.7, 9.0], quad="adaptive")
cg = relucap.capacity(3, "weak", [7.7, 9.0], quad="gl", nodes=128)
close(ca, cg, 1e-10, "adaptive vs Gauss-Legendre(128), depth 3")
raises(ValueError, ["quad 'simpson'"], relucap.capacity, 2, "weak", [7.0], quad="simpson")
raises(ValueError, ["nodes 8"], relucap.capacity, 2, "weak", [7.0], nodes=8)
raises(TypeError, ["frobnicate"], relucap.capacity, 2, "weak", [7.0], frobnicate=1)

# Vectorised form: numpy in, numpy out, same numbers as the scalar calls.
grid = np.array([[6.7004], [7.0], [8.0]])
v = relucap.capacities(2, "weak", grid)
check(isinstance(v, np.ndarray) and v.dtype == np.float64 and v.shape == (3,), "capacities shape/dtype")
for i in range(3):
    close(v[i], relucap.capacity(2, "weak", grid[i]), 0, "capacities[%d]" % i)
check(np.all(np.diff(v) > 0), "capacity increases with alpha_1: %s" % v)

# Chain (paper Table 7 inputs): depth 1 is alpha_1, each later depth at the earlier capacities.
ch = relucap.chain(4, "weak", alpha1=6.7004)
check(isinstance(ch.capacity, np.ndarray) and ch.capacity.shape == (4,), "chain arrays")
check(list(ch.depth) == [1, 2, 3, 4], "chain depths")
close(ch.capacity[0], 6.7004, 0, "chain alpha_1")
close(ch.capacity[1], c2, 1e-12, "chain depth 2 = capacity(2)")
close(ch.capacity[2], relucap.capacity(3, "weak", ch.capacity[:2]), 1e-12, "chain depth 3 = capacity(3)")
close(ch.expansion[0], 6.7004, 0, "expansion_1 = alpha_1")
close(ch.expansion[1], 1.2338, 1e-4, "expansion_2 (paper Table 7: 1.2338)")
check(np.allclose(ch.expansion[1:], ch.capacity[1:] / ch.capacity[:-1], rtol=1e-15), "expansion = ratio")
check(np.all(np.diff(ch.capacity) > 0), "chain increasing: %s" % ch.capacity)
chd = relucap.chain(3, "weak")
close(chd.capacity[0], relucap.single_layer("gate:3"), 0, "chain default alpha_1 = gate:3")
check(chd.alpha1_source == "gate:3" and ch.alpha1_source == "given", "chain alpha1_source")
chp = relucap.chain(3, "weak", alpha1="plain")
close(chp.capacity[0], 7.6476949354, 1e-10, "chain alpha1='plain'")
check(chp.alpha1_source == "plain", "chain alpha1_source plain")
check(all(r.admissible for r in chd.rows[1:]) and chd.rows[0] is None, "default chain is admissible")
chs = relucap.chain(2, "strong")
close(chs.capacity[0], relucap.best_alpha1(), 0, "strong chain starts at the single-layer value")
close(chs.capacity[1], relucap.capacity(2, "strong", [chs.capacity[0]]), 1e-12, "strong chain depth 2")

# Design: m_k = ceil(alpha_k N) with alpha_k the bound at the integer widths above it.
ds = relucap.design(100, 3, "weak", alpha1="plain")
close(ds.alphas[0], 7.6476949354, 1e-10, "design alpha_1")
check(list(ds.widths[:1]) == [765], "design m_1 = ceil(764.77) = 765: %s" % ds.widths)
close(ds.alphas[1], relucap.capacity(2, "weak", [7.65]), 0, "design alpha_2 at m_1/N = 7.65")
close(ds.alphas[2], relucap.capacity(3, "weak", ds.widths[:2] / 100.0), 0, "design alpha_3 at the widths")
check(list(ds.widths) == [math.ceil(a * 100) for a in ds.alphas], "design widths %s" % ds.widths)
dg = relucap.design(784, 3)
check(list(dg.widths) == [5254, 6482, 7427] and dg.alpha1_source == "gate:3", "design(784, 3) %s" % dg.widths)
check(ds.total_units == sum(ds.widths), "design total_units")
close(ds.expansions[0], ds.widths[0] / 100.0, 0, "design expansion_1")
check(np.all(ds.widths >= ds.alphas * 100), "widths reach the bound")
check(list(relucap.design(10000, 1, alpha1=6.7004).widths) == [67004], "6.7004 * 10000 -> 67004, not 67005")
# Large N: the widths' ratios approach the chain (the rounding effect vanishes).
big = relucap.design(10**9, 4, "weak")
check(np.allclose(big.alphas, relucap.chain(4).capacity, rtol=1e-7),
      "design at N = 1e9 equals the chain: %s" % big.alphas)

# Bad input: ValueError naming the bad value and what is allowed.
raises(ValueError, ["'medium'", "weak", "strong"], relucap.capacity, 2, "medium", [7.0])
raises(ValueError, ["depth 0", "1.."], relucap.capacity, 0)
raises(ValueError, ["depth 2.5"], relucap.capacity, 2.5, "weak", [7.0])
raises(ValueError, ["depth 3 needs 2"], relucap.capacity, 3, "weak", [7.0])
raises(ValueError, ["positive"], relucap.capacity, 2, "weak", [-1.0])
raises(ValueError, ["finite"], relucap.capacity, 2, "weak", [float("nan")])
raises(ValueError, ["finite"], relucap.capacity, 2, "weak", [float("inf")])
raises(ValueError, ["'magic'", "plain", "lifted", "optimized"], relucap.capacity, 2, "weak", [7.0], method="magic")
raises(ValueError, ["alpha1"], relucap.chain, 3, "weak", alpha1=0.0)
raises(ValueError, ["input_dim"], relucap.design, 0, 2)
check(issubclass(relucap.RelucapError, RuntimeError), "RelucapError is a RuntimeError")
check({"plain", "lifted", "optimized"} <= set(relucap.methods()), "methods: %s" % relucap.methods())

# Lifted (partially lifted RDT): depth 1 equals the gate module's level 2p by another route;
# depth 2 at the paper's alpha_1 gives Table 8's 8.264 (4 digits printed).
close(relucap.capacity(1, method="lifted"), 7.4486387263, 1e-9, "lifted depth 1 = gate level 2p")
dl = relucap.capacity(2, "weak", [6.7004], method="lifted", details=True)
check(round(dl.capacity, 3) == 8.264, "lifted depth 2 rounds to the paper's 8.264: %r" % dl.capacity)
check(dl.capacity < dl.extra["plain_capacity"] and abs(dl.extra["plain_capacity"] - c2) < 1e-12,
      "lifted below plain, plain_capacity = plain bound")
close(dl.extra["gain"], dl.extra["plain_capacity"] - dl.capacity, 1e-12, "gain = plain - lifted")
check(dl.residual < 1e-10 and dl.params["c3"] > 0 and dl.method == "lifted", "lifted evidence, c3 > 0")
held = relucap.capacity(2, "weak", [6.7004], method="lifted", c3=0.05)
check(held > dl.capacity, "holding c3 away from its optimum gives a larger bound: %r" % held)
raises(ValueError, ["depth 17", "<= 16"], relucap.capacity, 17, "weak", [8.0] * 16, method="lifted")
raises(ValueError, ["c3"], relucap.capacity, 2, "weak", [7.0], method="lifted", c3=-1.0)
chl = relucap.chain(3, alpha1=6.7004, method="lifted")
check(chl.method == "lifted" and np.all(chl.capacity[1:] <= relucap.chain(3, alpha1=6.7004).capacity[1:]),
      "lifted chain at or below the plain chain")

# Optimized (plain RDT minimised over the dual-norm ratios): below plain, ratio pi_2 interior.
do = relucap.capacity(2, "weak", [6.7004], method="optimized", details=True)
check(do.capacity < dl.capacity < c2 and do.residual < 1e-10, "optimized < lifted < plain at depth 2: %r" % do.capacity)
check(0.01 < do.params["pi_2"] < 100 and set(do.params) == {"pi_2", "gbar_1", "gamma_1", "rho_1", "V_2", "c", "q"},
      "optimized params %s" % sorted(do.params))
raises(ValueError, ["ratio_range"], relucap.capacity, 2, "weak", [7.0], method="optimized", ratio_range=(2, 1))
check(set(relucap.methods()) == {"plain", "lifted", "optimized"}, "methods: %s" % relucap.methods())

# Same numbers as the CLI (same C code, so equal to the last bit), when run.sh names it.
cli = os.environ.get("RELUCAP_CLI")
if cli:
    import json
    import subprocess
    out = subprocess.run([cli, "capacity", "--depth", "3", "--kind", "strong", "--alphas", "7.7,9.0",
                          "--json"], capture_output=True, text=True, check=True).stdout
    j = json.loads(out)
    d3 = relucap.capacity(3, "strong", [7.7, 9.0], details=True)
    check(j["capacity"] == d3.capacity, "CLI %r vs Python %r" % (j["capacity"], d3.capacity))
    check(all(j["params"][k] == v for k, v in d3.params.items()), "CLI params equal Python params")
    check(j["admissible"] == d3.admissible, "CLI admissible equals Python's")
    j = json.loads(subprocess.run([cli, "capacity", "--method", "lifted", "--depth", "2", "--alphas", "6.7004",
                                   "--json"], capture_output=True, text=True, check=True).stdout)
    check(j["capacity"] == dl.capacity and all(j["params"][k] == v for k, v in dl.params.items())
          and j["gain"] == dl.extra["gain"], "CLI --method lifted equals Python digit for digit")
    out = subprocess.run([cli, "chain", "--method", "lifted", "--depth", "3", "--alpha1", "6.7004", "--csv"],
                         capture_output=True, text=True, check=True).stdout
    cl = [float(line.split(",")[1]) for line in out.splitlines()[1:]]
    check(cl == chl.capacity.tolist(), "CLI chain --method lifted equals Python: %s vs %s" % (cl, chl.capacity))
    j = json.loads(subprocess.run([cli, "capacity", "--method", "optimized", "--depth", "3", "--alphas",
                                   "6.7004,7.6", "--json"], capture_output=True, text=True, check=True).stdout)
    do3 = relucap.capacity(3, "weak", [6.7004, 7.6], method="optimized", details=True)
    check(j["capacity"] == do3.capacity and all(j["params"][k] == v for k, v in do3.params.items())
          and j["admissible"] == do3.admissible, "CLI --method optimized equals Python digit for digit")
    j = json.loads(subprocess.run([cli, "design", "--input-dim", "784", "--depth", "4", "--method", "optimized",
                                   "--json"], capture_output=True, text=True, check=True).stdout)
    dp = relucap.design(784, 4, method="optimized")
    check(j["widths"] == dp.widths.tolist() and j["alphas"] == dp.alphas.tolist(), "design --method optimized")
    j = json.loads(subprocess.run([cli, "design", "--input-dim", "784", "--depth", "3", "--method", "lifted",
                                   "--json"], capture_output=True, text=True, check=True).stdout)
    dp = relucap.design(784, 3, method="lifted")
    check(j["widths"] == dp.widths.tolist() and j["alphas"] == dp.alphas.tolist(), "design --method lifted")
    out = subprocess.run([cli, "design", "--input-dim", "37", "--depth", "4", "--kind", "strong", "--json"],
                         capture_output=True, text=True, check=True).stdout
    j = json.loads(out)
    dp = relucap.design(37, 4, "strong")
    check(j["widths"] == dp.widths.tolist() and j["alphas"] == dp.alphas.tolist()
          and j["total_units"] == dp.total_units, "relucap design --json equals relucap.design: %s vs %s"
          % (j["widths"], dp.widths.tolist()))

# ------------------------------------------------------------------ finite networks: depth, sample, check
# sample() draws exactly the CLI's weights (relucap_finite_net_sample); depth() of given weights equals
# `relucap depth --layer ...` key for key; check() equals `relucap check --json`.
import tempfile

W1 = relucap.sample(4, [30], seed=3)
check(len(W1) == 1 and W1[0].shape == (30, 4) and W1[0].dtype == np.float64, "sample shape %s" % (W1[0].shape,))
check(np.array_equal(relucap.sample(4, [30], seed=3)[0], W1[0]), "sample is reproducible")
check(not np.array_equal(relucap.sample(4, [30], seed=3, stream=1)[0], W1[0]), "another stream, other weights")
W2 = relucap.sample(3, [12, 8], seed=2)
check([w.shape for w in W2] == [(12, 3), (8, 12)], "two-layer sample shapes %s" % [w.shape for w in W2])
rad = relucap.sample(3, [16], law="rademacher", seed=5)[0]
check(set(np.unique(rad).tolist()) == {-1.0, 1.0}, "rademacher entries are +-1")
# Tied rows: the count passes (D = 5 >= n = 3) but the exact span criterion finds the layer not
# injective; depth() reports both, as relucap depth --layer does.
drad = relucap.depth([rad])
check(drad.depth_count == 5 and drad.span_criterion is False and drad.injective_weak is False,
      "rademacher 16x3 seed 5: D = 5, span criterion false: %r" % ((drad.depth_count, drad.span_criterion),))
d1 = relucap.depth(W1)
check(d1.depth_count == d1.lower == d1.upper and d1.certified and not d1.timed_out and d1.witness.shape == (4,),
      "one-layer depth exact and certified: %r" % (d1,))
# the recount of the witness, in numpy: #{i : a_i . x >= 0} (one-layer closed count)
check(int(np.sum(W1[0] @ d1.witness >= 0)) == d1.upper == d1.witness_count, "witness attains upper")
check(d1.injective_weak == (d1.depth_count >= 4) and d1.injective_strong == d1.injective_weak,
      "one layer: weak = strong = D >= n")
# A layer whose rows all lie in a halfspace has D = 0 (x = -e_1 makes every row negative).
d0 = relucap.depth([np.array([[1.0, 0.0], [1.0, 1.0], [2.0, -1.0]])])
check(d0.depth_count == 0 and d0.injective_weak is False and d0.certified, "halfspace rows: D = 0: %r" % (d0,))
d2 = relucap.depth(W2)
df = relucap.depth([np.asfortranarray(w) for w in W2])
check(df.depth_count == d2.depth_count and np.array_equal(df.witness, d2.witness) and df.nodes == d2.nodes,
      "Fortran-ordered weights give the same count (row i of W_k is unit i)")
check(relucap.check([w.tolist() for w in W2]).injective is False, "nested lists are accepted as matrices")
check(d2.depth_count is not None and d2.certified and d2.span_criterion is None, "two-layer depth: %r" % (d2,))
check(relucap.depth(W2, target="weak").injective_weak == d2.injective_weak, "target='weak' agrees with D")
check(relucap.depth(W1[0], solver="enum").depth_count == d1.depth_count, "enum solver agrees with bb")
dt = relucap.depth(relucap.sample(10, [40, 40]), time_limit=0.2)
check(dt.timed_out and dt.depth_count is None and not dt.certified and dt.lower <= dt.upper,
      "a time limit returns bounds only: %r" % ((dt.timed_out, dt.lower, dt.upper),))

# check(): known networks from tests/data (truth by construction, tests/cli/check.t).
data = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "data")
bmb = np.loadtxt(os.path.join(data, "bminusb.csv"), delimiter=",")
c_inj = relucap.check([bmb])
check(c_inj.injective is True and c_inj.certified and c_inj.witness is None and len(c_inj.layers) == 1
      and c_inj.layers[0]["verdict"] == "injective" and c_inj.layers[0]["rank"] == 3, "[B;-B] is injective")
c_bias = relucap.check([bmb], biases=[-np.ones(6)])
x1, x2 = c_bias.witness
f = lambda x: np.maximum(bmb @ x - 1.0, 0.0)  # noqa: E731
check(c_bias.injective is False and c_bias.certified and np.linalg.norm(x1 - x2) > 1e-6
      and np.linalg.norm(f(x1) - f(x2)) <= 1e-9 * max(1.0, np.linalg.norm(f(x1))),
      "[B;-B] with bias -1: verified witness pair, |f(x1)-f(x2)| = %g" % np.linalg.norm(f(x1) - f(x2)))
check(relucap.check([bmb], biases=[np.full(6, 0.5)]).injective is True, "[B;-B] with bias +1/2 is injective")
cu = relucap.check(relucap.sample(8, [60]), time_limit=0.05)
check(cu.injective is None and not cu.certified and cu.witness is None and cu.layers[0]["timed_out"]
      and "undecided" in cu.reason, "check under a tiny time limit is undecided, not a guess: %r" % (cu.reason,))
c2l = relucap.check(W2)
x1, x2 = c2l.witness
g = lambda x: np.maximum(W2[1] @ np.maximum(W2[0] @ x, 0), 0)  # noqa: E731
check(c2l.injective is False and len(c2l.layers) == 2 and np.linalg.norm(x1 - x2) > 1e-6
      and np.linalg.norm(g(x1) - g(x2)) <= 1e-9 * max(1.0, np.linalg.norm(g(x1))), "12x3 -> 8: not injective")

# The region decision's evidence (Check.regions, an attribute: the tuple keeps its 7 fields) equals
# the `regions` object of `relucap check --json`: pm2 -> reflect4 is decided over its 4 regions.
pm2 = np.loadtxt(os.path.join(data, "pm2.csv"), ndmin=2)
rf4 = np.loadtxt(os.path.join(data, "reflect4.csv"), ndmin=2)
crg = relucap.check([pm2, rf4])
check(crg.injective is True and len(crg) == 7 and crg.regions is not None and crg.regions["complete"]
      and crg.regions["regions"] == 4 and crg.regions["stopped"] is None and crg.regions["samples_missing"] == 0,
      "pm2 -> reflect4: injective over 4 regions: %r" % (crg.regions,))
check(c_inj.regions is None, "one injective layer: no region search, regions None")
if cli:
    jr = json.loads(subprocess.run([cli, "check", "--layer", os.path.join(data, "pm2.csv"), "--layer",
                                    os.path.join(data, "reflect4.csv"), "--json"], capture_output=True,
                                   text=True, check=True).stdout)["regions"]
    same = set(jr) == set(crg.regions) and all(jr[k] == crg.regions[k] for k in jr if not k.startswith("seconds"))
    check(same, "Check.regions equals check --json's regions key for key: %r vs %r" % (jr, crg.regions))

# Bad input raises ValueError naming the value.
raises(ValueError, ["weights[1]", "(5, 7)", "12"], relucap.depth, [W2[0], np.ones((5, 7))])
raises(ValueError, ["weights[0]", "finite"], relucap.depth, [np.array([[1.0, np.nan]])])
raises(ValueError, ["weights[0]", "shape"], relucap.check, [np.ones(3)])
raises(ValueError, ["weights []"], relucap.depth, [])
raises(ValueError, ["target", "'medium'"], relucap.depth, W1, target="medium")
raises(ValueError, ["solver", "'simplex'"], relucap.depth, W1, solver="simplex")
raises(ValueError, ["solver 'enum'", "one layer"], relucap.depth, W2, solver="enum")
raises(ValueError, ["time_limit", "-1"], relucap.depth, W1, time_limit=-1)
raises(ValueError, ["time_limit", "0"], relucap.check, W1, time_limit=0)
raises(ValueError, ["biases[0]", "6 entries"], relucap.check, [bmb], biases=[np.ones(5)])
raises(ValueError, ["biases", "2 entries for 1 layers"], relucap.check, [bmb], biases=[None, None])
raises(ValueError, ["law", "'cauchy'"], relucap.sample, 3, [9], law="cauchy")
raises(ValueError, ["n 0"], relucap.sample, 0, [9])
raises(ValueError, ["widths", "-2"], relucap.sample, 3, [9, -2])
raises(ValueError, ["seed", "-1"], relucap.sample, 3, [9], seed=-1)

if cli:
    def cli_json(*args):
        return json.loads(subprocess.run([cli] + list(args), capture_output=True, text=True, check=True).stdout)

    tmp = tempfile.mkdtemp(prefix="relucap-py-")

    def csvs(mats, stem):
        paths = []
        for k, w in enumerate(mats):
            p = os.path.join(tmp, "%s%d.csv" % (stem, k))
            np.savetxt(p, np.atleast_2d(w) if w.ndim == 2 else w, delimiter=",", fmt="%.17g")
            paths.append(p)
        return paths

    def same_depth(j, d, what):
        want = (j["depth_count"], j["depth_lower"], j["depth_upper"], j["injective_weak"], j["injective_strong"],
                j["witness"], j["witness_count"], j["witness_margin"], j["span_criterion"], j["certified"],
                j["certificate_complete"], j["timed_out"], j["nodes"], j["lps"], j["simplices_checked"],
                j["simplices_failed"])
        got = (d.depth_count, d.lower, d.upper, d.injective_weak, d.injective_strong, d.witness.tolist(),
               d.witness_count, d.witness_margin, d.span_criterion, d.certified, d.certificate_complete, d.timed_out,
               d.nodes, d.lps, d.simplices_checked, d.simplices_failed)
        check(want == got, "%s: CLI %r vs Python %r" % (what, want, got))

    # sampled by the CLI (--n --widths --seed) = sample() + depth(): the same count and witness
    j = cli_json("depth", "--n", "4", "--widths", "30", "--seed", "3", "--json")
    check(j["witness"] == d1.witness.tolist() and j["depth_count"] == d1.depth_count,
          "relucap depth --n 4 --widths 30 --seed 3 = depth(sample(4, [30], seed=3))")
    j = cli_json("depth", "--n", "3", "--widths", "12,8", "--seed", "2", "--json")
    check(j["witness"] == d2.witness.tolist() and j["depth_count"] == d2.depth_count, "two-layer sample = CLI's")
    # given weights: every key equal
    for mats, extra, d, what in ((W1, [], d1, "depth 1 layer"), (W2, [], d2, "depth 2 layers"),
                                 (W2, ["--decide", "weak"], relucap.depth(W2, target="weak"), "--decide weak"),
                                 (W2, ["--decide", "strong"], relucap.depth(W2, target="strong"), "--decide strong"),
                                 ([rad], [], drad, "rademacher (span criterion)")):
        args = ["depth"]
        for p in csvs(mats, "w"):
            args += ["--layer", p]
        same_depth(cli_json(*(args + extra + ["--json"])), d, what)
    # check: verdict, reason, witness and the per-layer counts equal relucap check --json
    bpath = os.path.join(tmp, "bm1.csv")
    np.savetxt(bpath, -np.ones(6), fmt="%.17g")
    for args, c, what in (([os.path.join(data, "bminusb.csv")], c_inj, "[B;-B]"),
                          (["%s,%s" % (os.path.join(data, "bminusb.csv"), bpath)], c_bias, "[B;-B] bias -1"),
                          (csvs(W2, "v"), c2l, "12x3 -> 8")):
        j = cli_json("check", *sum((["--layer", a] for a in args), []), "--json")
        wit = None if c.witness is None else {"x1": c.witness[0].tolist(), "x2": c.witness[1].tolist(),
                                              "relative_output_difference": c.witness_diff}
        check(j["injective"] == c.injective and j["certified"] == c.certified and j["reason"] == c.reason
              and j["witness"] == wit, "check %s: CLI %r vs Python %r" % (what, (j["injective"], j["witness"]),
                                                                         (c.injective, wit)))
        keys = ("shape", "ratio", "domain", "verdict", "rank", "rows_zero", "directions", "hyperplanes",
                "search_nodes", "hyperplanes_bound", "closed_by_antipodal_pairs", "closed_by_lp",
                "closed_by_earlier_certificate", "max_certificate_residual", "min_active_count",
                "near_degenerate", "tolerance")
        for jl, pl in zip(j["layers"], c.layers):
            jl["shape"] = tuple(jl["shape"])
            bad = [k for k in keys if k in jl and jl[k] != pl.get(k)]
            check(not bad and len(j["layers"]) == len(c.layers), "check %s layer keys differ: %s" % (what, bad))

# The module's docstring example runs.
res = doctest.testmod(relucap, optionflags=doctest.ELLIPSIS)
check(res.failed == 0 and res.attempted >= 1, "doctests: %s" % (res,))

print("python: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)

"""Helpers shared by the drivers that compare `relucap check` with an independent reference
(test_check_vs_ref2d.py, test_check_vs_milp.py): network generators' building blocks, writing a
network to CSV, running the CLI."""
import os
import subprocess
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CLI = os.environ.get("RELUCAP_CLI") or os.path.join(ROOT, "build", "relucap")


def gauss(rng, widths):
    """Gaussian layers W_k of shape widths[k+1] x widths[k]."""
    return [rng.standard_normal((widths[i + 1], widths[i])) for i in range(len(widths) - 1)]


def positive_with_kernel(rng, m, d):
    """m x len(d) matrix with entries at least 0.5 and W d = 0 (d must have entries of both signs)."""
    W = rng.uniform(0.5, 1.5, (m, len(d)))
    for w in W:
        s = w @ d
        side = d < 0 if s > 0 else d > 0
        w[side] += abs(s) / np.abs(d[side]).sum()
    return W


def check_shapes(Ls, n):
    """The generators must chain the layers: W_1 is m_1 x n, W_k is m_k x m_{k-1}."""
    prev = n
    for W in Ls:
        assert W.ndim == 2 and W.shape[1] == prev, (W.shape, prev)
        prev = W.shape[0]


def write_csv(d, Ls, seed):
    """W1.csv, W2.csv, ... in directory d (%.17g, a comment naming seed and shape); their paths."""
    paths = []
    for k, W in enumerate(Ls):
        p = os.path.join(d, "W%d.csv" % (k + 1))
        np.savetxt(p, W, fmt="%.17g", delimiter=",",
                   header="seed %d, layer %d, %d x %d" % (seed, k + 1, W.shape[0], W.shape[1]))
        paths.append(p)
    return paths


def run_check(paths):
    """`relucap check --layer ... --time-limit 60 --json`: (stdout, exit code, stderr, seconds)."""
    cmd = [CLI, "check"] + sum((["--layer", p] for p in paths), []) + ["--time-limit", "60", "--json"]
    t0 = time.time()
    try:
        pr = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
        out, rc, err = pr.stdout, pr.returncode, pr.stderr
    except (OSError, subprocess.TimeoutExpired) as e:
        out, rc, err = "", -1, str(e)
    return out, rc, err, time.time() - t0

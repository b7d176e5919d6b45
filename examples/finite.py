#!/usr/bin/env python3
"""Is THIS ReLU network injective?  Exact answers for given weights, from Python.

Run from the repository root after `make`:
    PYTHONPATH=python /usr/bin/python3 examples/finite.py
"""
import numpy as np

import relucap

# One random layer of 30 units on 4 inputs, drawn exactly as `relucap depth --n 4 --widths 30 --seed 3`.
n = 4
for m in (8, 16, 30):
    W = relucap.sample(n, [m], seed=3)
    d = relucap.depth(W)
    print("m = %2d, n = %d (m/n = %4.1f): D = %d, injective %s, certified %s, %d nodes"
          % (m, n, m / n, d.depth_count, d.injective_weak, d.certified, d.nodes))

# Two layers: D counts positive outputs of t(x) = W2 ReLU(W1 x); weak needs D >= n, strong D >= 2n.
W = relucap.sample(3, [24, 20], seed=5)
d = relucap.depth(W, time_limit=10)
print("3 -> 24 -> 20: D = %s in [%d, %d], weak %s, strong %s"
      % (d.depth_count, d.lower, d.upper, d.injective_weak, d.injective_strong))

# Your own weights, with biases: the exact check, and a collision when there is one.
B = np.array([[2.0, 1, 0], [0, 1, 1], [1, 0, 3]])
W1 = np.vstack([B, -B])                       # [B; -B]: injective without bias
for b in (None, -np.ones(6)):
    c = relucap.check([W1], biases=None if b is None else [b])
    print("[B; -B]%s: injective %s (%s)" % ("" if b is None else ", bias -1", c.injective, c.reason))
    if c.witness is not None:
        x1, x2 = c.witness
        f = lambda x: np.maximum(W1 @ x + b, 0)  # noqa: E731
        print("  x1 = %s, x2 = %s, |f(x1) - f(x2)| = %.1e" % (np.round(x1, 4), np.round(x2, 4),
                                                             np.abs(f(x1) - f(x2)).max()))

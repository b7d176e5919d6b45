#!/usr/bin/env python3
"""How wide must each layer of a ReLU network be to be injective?  relucap from Python.

Run from the repository root after `make`:
    PYTHONPATH=python /usr/bin/python3 examples/capacity.py
"""
import numpy as np

import relucap

# One number: the 2-layer weak bound with alpha_1 = 6.7004 (the paper's Table 2).
print("2-layer weak capacity, alpha_1 = 6.7004: %.6f" % relucap.capacity(depth=2, kind="weak", alphas=[6.7004]))

# The saddle point behind it and the evidence (residual of the stationarity system, quadrature error).
d = relucap.capacity(depth=2, kind="strong", alphas=[6.7004], details=True)
print("2-layer strong: %.6f  residual %.1e  quad_error %.1e" % (d.capacity, d.residual, d.quad_error))
print("  params: " + ", ".join("%s=%.6f" % kv for kv in d.params.items()))

# Many networks at once: numpy in, numpy out.
alpha1 = np.linspace(7.0, 8.0, 5)
caps = relucap.capacities(2, "weak", alpha1[:, None])
for a, c in zip(alpha1, caps):
    print("alpha_1 = %.2f -> alpha_2 = %.4f" % (a, c))

# A chain (paper Table 7 with alpha_1 = 6.7004) and a width design for 784 inputs.
ch = relucap.chain(4, "weak", alpha1=6.7004)
print("depth  capacity  expansion")
for k, c, e in zip(ch.depth, ch.capacity, ch.expansion):
    print("%5d  %8.4f  %9.4f" % (k, c, e))
ds = relucap.design(784, 3, "weak")
print("widths for N = 784, 3 layers: %s (total %d units)" % (list(ds.widths), ds.total_units))

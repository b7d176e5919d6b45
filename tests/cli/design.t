# relucap design: minimal widths m_k = ceil(alpha_k N)
$ relucap design --help
exit 0
stdout~ ^SYNOPSIS
stdout~ --input-dim N
stdout~ total_units
stdout~ ^EXAMPLE

# 784 inputs (MNIST-sized), 3 layers, weak, default alpha_1 = gate:3 = 6.7003919 -> m_1 = ceil(5253.1) = 5254
$ relucap design --input-dim 784 --depth 3 --json
exit 0
stdout~ "widths":\[5254,6482,7427\]
stdout~ "total_units":19163
stdout~ "alphas":\[6\.70039[0-9]*,8\.26730
stdout~ "expansions":\[6\.70153[0-9]*,1\.23372
stdout~ "method":"plain"
stdout~ "kind":"weak"
stdout~ "alpha1_source":"gate:3"
stdout~ "residuals":\[[0-9.e-]+,[0-9.e-]+,[0-9.e-]+\]

$ relucap design --input-dim 784 --depth 3
exit 0
stdout~ total units: 19163
stdout~ ^ +3 +9\.472[0-9]+ +7427

# alpha_1 from the plain single-layer bound 7.6477 -> m_1 = ceil(5995.79) = 5996
$ relucap design --input-dim 784 --depth 3 --alpha1 plain --json
exit 0
stdout~ "widths":\[5996,6894,7875\]
stdout~ "total_units":20765
stdout~ "alphas":\[7\.64769493[0-9]*,8\.7923
stdout~ "alpha1_source":"plain"

$ relucap design --input-dim 784 --depth 2 --alpha1 gate:2 --json
exit 0
stdout~ "alphas":\[6\.71569[0-9]*,
stdout~ "alpha1_source":"gate:2"

# The paper's alpha_1: widths exactly 6.7004 N (no ulp round-up), then the Table 2 bound 8.26673
$ relucap design --input-dim 10000 --depth 2 --alpha1 6.7004 --csv
exit 0
stdout~ ^layer,alpha,width,expansion,residual$
stdout~ ^1,6\.7004[0-9]*,67004,6\.7004[0-9]*,$
stdout~ ^2,8\.26672931[0-9]*,82668,1\.2337

# strong: only the last bound changes (12.35 at alpha_1 = 6.7004, paper Table 3)
$ relucap design --input-dim 10000 --depth 2 --kind strong --alpha1 6.7004 --json
exit 0
stdout~ "widths":\[67004,123505\]
stdout~ "kind":"strong"

# small N: each bound is taken at the integer widths above it (m_1/N = 7.7 here, not 7.6477)
$ relucap design --input-dim 10 --depth 2 --alpha1 plain --json
exit 0
stdout~ "widths":\[77,89\]
stdout~ "alphas":\[7\.6476949[0-9]*,8\.82341

$ relucap design --input-dim 1 --depth 1
exit 0
stdout~ ^ +1 +6\.700392 +7 

# bad input: exit 2, the bad value named, nothing on stdout
$ relucap design --input-dim 784 --depth 2 --alpha1 gate:7x
exit 2
stderr~ --alpha1: .*'gate:7x'
stdout= EMPTY

$ relucap design --depth 2
exit 2
stderr~ --input-dim is required
stdout= EMPTY

$ relucap design --input-dim 784
exit 2
stderr~ --depth is required
stdout= EMPTY

$ relucap design --input-dim 0 --depth 2
exit 2
stderr~ --input-dim: .*got '0'
stdout= EMPTY

$ relucap design --input-dim -3 --depth 2
exit 2
stderr~ --input-dim: .*got '-3'
stdout= EMPTY

$ relucap design --input-dim 1.5 --depth 2
exit 2
stderr~ --input-dim: expected an integer.*got '1\.5'
stdout= EMPTY

$ relucap design --input-dim abc --depth 2
exit 2
stderr~ --input-dim: .*got 'abc'
stdout= EMPTY

$ relucap design --input-dim 10000000000 --depth 2
exit 2
stderr~ --input-dim: .*got '10000000000'
stdout= EMPTY

$ relucap design --input-dim
exit 2
stderr~ --input-dim: missing value
stdout= EMPTY

$ relucap design --input-dim 784 --depth 0
exit 2
stderr~ --depth: .*got '0'
stdout= EMPTY

$ relucap design --input-dim 784 --depth 65
exit 2
stderr~ --depth: .*got '65'
stdout= EMPTY

$ relucap design --input-dim 784 --depth 2 --kind medium
exit 2
stderr~ --kind: .*'medium'
stdout= EMPTY

$ relucap design --input-dim 784 --depth 2 --method magic
exit 2
stderr~ --method: unknown method 'magic'
stdout= EMPTY

$ relucap design --input-dim 784 --depth 2 --alpha1 -1
exit 2
stderr~ --alpha1: .*'-1'
stdout= EMPTY

$ relucap design --input-dim 784 --depth 2 --alpha1 nan
exit 2
stderr~ --alpha1: .*'nan'
stdout= EMPTY

$ relucap design --input-dim 784 --depth 2 --alpha1 inf
exit 2
stderr~ --alpha1: .*'inf'
stdout= EMPTY

$ relucap design --input-dim 784 --depth 2 --json --csv
exit 2
stderr~ --json and --csv
stdout= EMPTY

$ relucap design --input-dim 784 --depth 2 --verify 10
exit 2
stderr~ --verify: the exact check handles input dimensions up to 64
stdout= EMPTY

$ relucap design --input-dim 4 --depth 1 --verify 0
exit 2
stderr~ --verify: expected an integer in \[1, 100000\], got '0'

$ relucap design --input-dim 4 --depth 1 --verify 40 --seed 3 --json
exit 0
stdout~ "verify":\{"trials":40,"injective":[0-9]+,"undecided":0
stdout~ "widths":\[27\]

$ relucap design --input-dim 3 --depth 2 --verify 10 --time-limit 5
exit 0
stdout~ verify: 10 sampled Gaussian networks
stdout~ decided exactly

$ relucap design --input-dim 784 --depth 2 --alpha1 1.5
exit 2
stderr~ --alpha1: '1\.5' is outside the domain .* must exceed 2
stdout= EMPTY

# a given alpha_1 above the bound is honoured: the second layer may then be narrower than the first
$ relucap design --input-dim 100 --depth 2 --alpha1 20 --json
exit 0
stdout~ "widths":\[2000,1825\]
stdout~ "alpha1_source":"given"

# --method lifted goes through the same dispatch (cli/rdt.c): Table 8's 8.2641 at alpha_1 = 6.7004
$ relucap design --input-dim 10000 --depth 2 --alpha1 6.7004 --method lifted --json
exit 0
stdout~ "method":"lifted"
stdout~ "alphas":\[6\.7004[0-9]*,8\.26410061
stdout~ "widths":\[67004,82642\]

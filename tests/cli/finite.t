# relucap depth / mc / transition: exact finite-size counts
# (the undecided-point case uses 4 samples that are injective at n = 12, alpha = 7: proving that
#  takes seconds each, so a 2 ms limit cannot decide any of them)

$ relucap depth --help
exit 0
stdout~ SYNOPSIS
stdout~ depth_count

$ relucap depth --n 5 --widths 30 --seed 3 --json
exit 0
stdout~ "depth_count":4
stdout~ "injective_weak":false
stdout~ "certified":true
stdout~ "witness_count":4

$ relucap depth --n 4 --widths 28 --seed 1 --decide weak
exit 0
stdout~ injective +weak \(D >= 4\): (yes|no)
stdout~ certified +yes

$ relucap depth --n 4 --widths 16 --seed 2 --solver enum --json
exit 0
stdout~ "certified":true

$ relucap depth --n 4 --widths 16 --seed 2 --solver milp --json
exit 0
stdout~ "certified":false

$ relucap depth --n 3 --widths 8,8 --seed 2 --json
exit 0
stdout~ "depth_count":1
stdout~ "injective_strong":false

$ relucap depth --n 10 --widths 70 --seed 1 --time-limit 0.05 --json
exit 0
stdout~ "certified":false
stdout~ "timed_out":true
stdout~ "depth_count":null

$ relucap depth --n 0 --widths 5
exit 2
stderr~ --n.*'0'
stdout= EMPTY

$ relucap depth --n 3
exit 2
stderr~ --widths is required
stdout= EMPTY

$ relucap depth --n 3 --widths 5,x
exit 2
stderr~ --widths.*'5,x'
stdout= EMPTY

$ relucap depth --n 3 --widths 9 --law cauchy
exit 2
stderr~ --law.*'cauchy'
stdout= EMPTY

$ relucap depth --n 3 --widths 9 --law sparse:1.5
exit 2
stderr~ sparse probability.*'sparse:1.5'
stdout= EMPTY

$ relucap depth --n 3 --widths 9,9 --solver enum
exit 2
stderr~ one layer only
stdout= EMPTY

$ relucap mc --help
exit 0
stdout~ Wilson

$ relucap mc --n 3 --depth 1 --sweep 2:5:1 --trials 30 --seed 1 --json
exit 0
stdout~ "rows":\[\{"alpha":2,
stdout~ "p_injective"
stdout~ "crossing":\{

$ relucap mc --n 4 --depth 1 --sweep 4:6:1 --trials 40 --seed 7 --threads 1 --csv
exit 0
stdout~ ^alpha,m,p_injective,ci_low,ci_high,trials

$ relucap mc --n 2 --depth 2 --alphas 3 --sweep 3:4:1 --trials 10 --seed 1 --kind strong
exit 0
stdout~ strong injectivity

$ relucap mc --n 0 --depth 1 --sweep 2:5:1 --trials 30
exit 2
stderr~ --n.*'0'
stdout= EMPTY

$ relucap mc --n 3 --depth 2 --sweep 2:5:1 --trials 30
exit 2
stderr~ --alphas: depth 2 needs exactly 1
stdout= EMPTY

$ relucap mc --n 3 --depth 2 --alphas -1 --sweep 2:5:1 --trials 30
exit 2
stderr~ --alphas
stdout= EMPTY

$ relucap mc --n 3 --depth 1 --sweep 5:2:1 --trials 30
exit 2
stderr~ inverted
stdout= EMPTY

$ relucap mc --n 3 --depth 1 --sweep 2:5:0 --trials 30
exit 2
stderr~ STEP
stdout= EMPTY

$ relucap mc --n 3 --depth 1 --sweep 2:5:1 --trials 0
exit 2
stderr~ --trials.*'0'
stdout= EMPTY

$ relucap mc --n 3 --depth 1 --sweep 2:5:1 --trials 10 --threads 0
exit 2
stderr~ --threads.*'0'
stdout= EMPTY

$ relucap mc --n 3 --depth 1 --sweep 2:5:1 --trials 10 --law sparse:0
exit 2
stderr~ sparse:0
stdout= EMPTY

$ relucap transition --help
exit 0
stdout~ b/sqrt\(n\)

$ relucap transition --depth 1 --ns 2,3 --sweep 1.5:6:0.5 --trials 60 --seed 1 --json
exit 0
stdout~ "fit_inv_n":
stdout~ "fit_inv_sqrt_n":
stdout~ "plain_rdt":7.647694935

$ relucap transition --depth 1 --sweep 2:5:1 --trials 10
exit 2
stderr~ --ns is required
stdout= EMPTY

$ relucap depth --n 20 --widths 100 --solver search --decide weak --time-limit 20 --json
exit 0
stdout~ "injective_weak":false
stdout~ "certified":true

$ relucap depth --n 3 --widths 9,9 --solver search
exit 2
stderr~ one layer only
stdout= EMPTY

$ relucap mc --n 12 --depth 1 --sweep 7:7:1 --trials 4 --seed 1 --time-limit 0.002 --threads 1 --json
exit 0
stdout~ "p_injective":null,"ci_low":0,"ci_high":1
stdout~ "undecided":4

$ relucap depth --n 40 --widths 100 --solver enum
exit 2
stderr~ --solver enum: n <= 16
stdout= EMPTY

$ relucap depth --n 4 --widths 20 --law sparse:0.5 --stream 2 --json
exit 0
stdout~ "depth_count":5
stdout~ "span_criterion":false
stdout~ "injective_weak":false

# weights from files (issue 7's readers)
$ relucap depth --layer tests/data/bminusb.csv --json
exit 0
stdout~ "injective_weak":true
stdout~ "law":"given"

$ relucap depth --layer tests/data/halfspace.csv --json
exit 0
stdout~ "injective_weak":false
stdout~ "depth_count":0

$ relucap depth --layer tests/data/pentagon.csv --n 3
exit 2
stderr~ --layer excludes --n

$ relucap depth --layer tests/data/missing.csv
exit 2
stderr~ --layer: .*missing\.csv
stdout= EMPTY

# relucap capacity / chain --method optimized and best (docs/optimized-rdt.md)
$ relucap capacity --depth 2 --kind weak --alphas 6.7004 --method optimized --json
exit 0
stdout~ "capacity":7\.53079506
stdout~ "method":"optimized"
stdout~ "ratios":\[0\.677550142
stdout~ "gbar_1":0\.49999999999|"gbar_1":0\.5000000000
stdout~ "curvature_2":29\.9
stdout~ "grid_gap":0\.0
stdout~ "residual":
stdout~ "quad_error":

$ relucap capacity --depth 2 --kind strong --alphas 6.7004 --method optimized
exit 0
stdout~ alpha_2 = 11\.448070
stdout~ pi_2 +0\.677550

$ relucap capacity --depth 2 --kind weak --alphas 6.7004 --method optimized --ratios 1 --json
exit 0
stdout~ "capacity":8\.26672931
stdout~ "ratios_given":1

$ relucap capacity --depth 3 --kind strong --alphas 6.7004,12.35 --method optimized --ratios 1,1 --json
exit 0
stdout~ "capacity":17\.1266089

$ relucap capacity --depth 4 --kind weak --alphas 6.7004,7.5307950677,7.4277873227 --method optimized --quad adaptive --json
exit 0
stdout~ "capacity":7\.328267863
stdout~ "quadrature":"adaptive"

$ relucap capacity --depth 2 --kind weak --alphas 6.7004 --method best --json
exit 0
stdout~ "capacity":7\.40812338
stdout~ "best_of":"optimized-lifted"
stdout~ "plain_capacity":8\.26672931
stdout~ "lifted_capacity":8\.2641006
stdout~ "optimized_capacity":7\.53079506

$ relucap capacity --depth 3 --kind weak --alphas 6.7004,7.5307950677 --method best --json
exit 0
stdout~ "capacity":7\.36495352
stdout~ "best_of":"optimized-lifted"
stdout~ "optimized_capacity":7\.42778732

# lifting combined with the optimised ratio (2 layers; dual-ratio.md sec. 5)
$ relucap capacity --depth 2 --kind weak --alphas 6.7004 --method optimized-lifted --json
exit 0
stdout~ "capacity":7\.40812338
stdout~ "c3":1\.142
stdout~ "pi_2":0\.667124
stdout~ "unlifted_capacity":7\.53079506

$ relucap capacity --depth 2 --kind strong --alphas 6.7004 --method optimized-lifted
exit 0
stdout~ alpha_2 = 11\.0268289

$ relucap capacity --depth 2 --kind weak --alphas 6.7004 --method optimized-lifted --ratios 1 --json
exit 0
stdout~ "capacity":8\.2641006

$ relucap capacity --depth 9 --alphas 6.7004,7.5,7.4,7.3,7.2,7.1,7.0,6.9 --method optimized-lifted
exit 2
stdout= EMPTY
stderr~ depth 2\.\.8

# lifting with optimised ratios at depth 3 (gains) and on the weak combined chain at depth 5 (no gain)
$ relucap capacity --depth 3 --kind weak --alphas 6.7004,7.5307950677391995 --method optimized-lifted --json
exit 0
stdout~ "capacity":7\.36495352
stdout~ "no_gain":0
stdout~ "unlifted_capacity":7\.42778732

$ relucap chain --depth 5 --kind weak --alpha1 6.7004 --method optimized-lifted --csv
exit 0
stdout~ ^2,7\.40812338
stdout~ ^3,7\.36441323
stdout~ ^4,7\.31055410
stdout~ ^5,7\.23037321

$ relucap capacity --depth 2 --alphas 4 --method optimized --linear-first --json
exit 0
stdout~ "capacity":7\.6476949
stdout~ "pi_2":0\.57735
stdout~ "bound_at_ratio_1":

$ relucap capacity --depth 2 --alphas 10 --method optimized --linear-first
exit 0
stdout~ alpha_2 = 7\.6476949
stdout~ pi_2 +0\.33333

$ relucap capacity --depth 2 --alphas 6.7004 --method optimized --linear-first --ratios 1 --json
exit 0
stdout~ "capacity":13\.26

$ relucap chain --depth 5 --kind weak --alpha1 6.7004 --method optimized --csv
exit 0
stdout~ ^2,7\.53079506
stdout~ ^3,7\.42778732
stdout~ ^5,7\.23207445

$ relucap chain --depth 3 --kind strong --alpha1 6.7004 --method best --json
exit 0
stdout~ "best_of":"optimized-lifted"
stdout~ "capacity":11\.0268289
stdout~ "capacity":11\.0046434

# an optimum outside the search range: exit 3, no number
$ relucap capacity --depth 2 --alphas 6.7004 --method optimized --ratio-range 0.8,5
exit 3
stdout= EMPTY
stderr~ end of the range

$ relucap chain --depth 3 --alpha1 6.7004 --method optimized --ratio-range 0.3,0.65
exit 3
stdout= EMPTY
stderr~ depth 2: the optimal ratio pi_2

# bad input: exit 2, one line naming the value
$ relucap capacity --depth 2 --alphas 6.7004 --method optimized --ratios 0
exit 2
stdout= EMPTY
stderr~ --ratios: entry 1: expected a positive number, got '0'

$ relucap capacity --depth 2 --alphas 6.7004 --method optimized --ratios inf
exit 2
stdout= EMPTY
stderr~ --ratios: entry 1: expected a finite number, got 'inf'

$ relucap capacity --depth 3 --alphas 6.7004,7.5 --method optimized --ratios -0.5,1
exit 2
stdout= EMPTY
stderr~ --ratios: entry 1

$ relucap capacity --depth 3 --alphas 6.7004,7.5 --method optimized --ratios 1
exit 2
stdout= EMPTY
stderr~ depth 3 needs 2 value

$ relucap capacity --depth 2 --alphas 6.7004 --ratios 0.7
exit 2
stdout= EMPTY
stderr~ need --method optimized

$ relucap capacity --depth 2 --alphas 6.7004 --ratio-range 0.1,2
exit 2
stdout= EMPTY
stderr~ --ratio-range needs --method optimized

$ relucap capacity --depth 2 --alphas 6.7004 --method optimized --ratio-range 2,1
exit 2
stdout= EMPTY
stderr~ 0 < LO < HI

$ relucap capacity --depth 3 --alphas 6.7004,7 --method optimized --linear-first
exit 2
stdout= EMPTY
stderr~ --linear-first: the sanity model has depth 2

$ relucap chain --depth 3 --method optimized --ratios 1,1
exit 2
stdout= EMPTY
stderr~ --ratios: applies to relucap capacity only

$ relucap capacity --depth 2 --alphas 6.7004 --method lifted2
exit 2
stdout= EMPTY
stderr~ allowed: plain, lifted, optimized, optimized-lifted, best

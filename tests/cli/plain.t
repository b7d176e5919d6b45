# relucap capacity / chain / paper: contracts and bad input (exit 2, one line naming the value)
$ relucap capacity --depth 1 --kind weak --json
exit 0
stdout~ "capacity":7\.64769493543
stdout~ "method":"plain"
stdout~ "residual":
stdout~ "quad_error":
stdout~ "seconds":
stdout~ "params":\{

$ relucap capacity --depth 2 --kind weak --alphas 6.7004 --json
exit 0
stdout~ "capacity":8\.26672931
stdout~ "r_1":1\.77056
stdout~ "alphas":\[6\.7004

$ relucap capacity --depth 2 --kind strong --alphas 6.7004
exit 0
stdout~ alpha_2 = 12\.3504209
stdout~ gamma_1

$ relucap capacity --depth 4 --kind weak --alphas 6.7004,8.267,9.49 --json
exit 0
stdout~ "capacity":10\.7887954

$ relucap capacity --depth 2 --alphas 6.7004 --quad adaptive --json
exit 0
stdout~ "capacity":8\.26672931

$ relucap capacity --depth 3 --kind strong --alphas 6.7004,8 --json
exit 0
stdout~ "admissible":false
stderr~ not injectively admissible

$ relucap capacity --help
exit 0
stdout~ SYNOPSIS
stdout~ EXAMPLE

$ relucap capacity --depth 0
exit 2
stderr~ --depth: expected an integer in \[1, 64\], got '0'
stdout= EMPTY

$ relucap capacity --depth 65
exit 2
stderr~ --depth
stdout= EMPTY

$ relucap capacity --depth two
exit 2
stderr~ got 'two'

$ relucap capacity
exit 2
stderr~ --depth is required

$ relucap capacity --depth 2 --alphas 6.7004 --kind medium
exit 2
stderr~ --kind: expected 'weak' or 'strong', got 'medium'
stdout= EMPTY

$ relucap capacity --depth 2 --alphas 6.7004 --method magic
exit 2
stderr~ unknown method 'magic'

$ relucap capacity --depth 2
exit 2
stderr~ --alphas is required

$ relucap capacity --depth 3 --alphas 6.7004
exit 2
stderr~ depth 3 needs 2 value\(s\), got 1

$ relucap capacity --depth 2 --alphas -3
exit 2
stderr~ expected a positive number, got '-3'

$ relucap capacity --depth 2 --alphas 0
exit 2
stderr~ expected a positive number, got '0'

$ relucap capacity --depth 2 --alphas nan
exit 2
stderr~ expected a finite number, got 'nan'
stdout= EMPTY

$ relucap capacity --depth 2 --alphas inf
exit 2
stderr~ expected a finite number, got 'inf'

$ relucap capacity --depth 2 --alphas 6.7,x
exit 2
stderr~ entry 2

$ relucap capacity --depth 2 --alphas 0.5
exit 2
stderr~ outside the domain
stdout= EMPTY

$ relucap capacity --depth 2 --alphas 6.7004 --bogus
exit 2
stderr~ unknown option '--bogus'

$ relucap capacity --depth 2 --alphas
exit 2
stderr~ --alphas: missing value

$ relucap capacity --depth 2 --alphas 6.7004 --nodes 3
exit 2
stderr~ --nodes

$ relucap chain --depth 4 --kind weak --alpha1 6.7004 --json
exit 0
stdout~ "rows":\[
stdout~ "depth":4,"capacity":10\.7776502
stdout~ "expansion":1\.2337

$ relucap chain --depth 3 --csv
exit 0
stdout~ ^depth,capacity,expansion
stdout~ ^1,6\.70039194

$ relucap chain --depth 2 --alpha1 plain --json
exit 0
stdout~ "source":"plain"
stdout~ "capacity":7\.6476949354

$ relucap chain --depth 2 --alpha1 gate:2p --json
exit 0
stdout~ "capacity":7\.44863872

$ relucap chain --depth 2 --alpha1 gate:0
exit 2
stderr~ --alpha1: expected a number, 'plain', or gate:L

$ relucap chain --depth 2 --alpha1 gate:x
exit 2
stderr~ got 'gate:x'

$ relucap capacity --depth 2 --alphas 6.7 --json
exit 0
stdout~ "admissible":false
stderr~ single-layer gate:3 capacity 6\.70039

$ relucap chain --depth 12 --kind strong --alpha1 6.7004
exit 0
stdout~ 12 +80\.0278

$ relucap chain --depth 3 --alpha1 -2
exit 2
stderr~ --alpha1

$ relucap chain --depth 3 --json --csv
exit 2
stderr~ exclude

$ relucap paper
exit 0
stdout~ Table 6
stdout~ DOCUMENTED DISCREPANCY
stdout~ 10\.1122786
stdout~ -0\.473
stdout~ every printed number agrees or is a documented discrepancy

$ relucap paper --bogus
exit 2
stderr~ unknown option

$ relucap chain --depth 3 --alpha1 1.5
exit 2
stderr~ --alpha1: '1\.5' is outside the domain
stdout= EMPTY

# the default Gauss-Legendre rule is refined automatically when its error estimate fails the gate
$ relucap capacity --depth 8 --kind strong --alphas 6.7004,12.350420973516497,17.126977307003823,22.586016026345781,28.629325131180455,35.155658153731729,42.071821785395088 --method optimized --json
exit 0
stdout~ "capacity":11\.069613452

$ relucap capacity --depth 8 --kind strong --alphas 6.7004,12.350420973516497,17.126977307003823,22.586016026345781,28.629325131180455,35.155658153731729,42.071821785395088 --method optimized --nodes 64
exit 3
stderr~ quadrature error
stdout= EMPTY

$ relucap paper --depth 3
exit 2
stderr~ unknown option '--depth' \(allowed: --quad, --nodes\)
stdout= EMPTY

$ relucap paper --kind weak
exit 2
stderr~ unknown option '--kind'

# relucap check / relucap invert on hand-made networks whose truth is known by construction
# (files under tests/data; see the comment line at the top of each).

$ relucap check --help
exit 0
stdout~ SYNOPSIS
stdout~ relucap check --layer

$ relucap check --layer tests/data/bminusb.csv --json
exit 0
stdout~ "injective":true
stdout~ "certified":true
stdout~ "witness":null
stdout~ "layers":\[\{"shape":\[6,3\],"ratio":2,
stdout~ "verdict":"injective"
stdout~ "seconds":

$ relucap check --layer tests/data/bminusb_f8.npy
exit 0
stdout~ injective: yes \(certified\)

$ relucap check --layer tests/data/bminusb_be_f4_fortran.npy --json
exit 0
stdout~ "injective":true

$ relucap check --layer tests/data/wide.csv --json
exit 0
stdout~ "injective":false
stdout~ "witness":\{"x1":\[
stdout~ "relative_output_difference":[0-9.e-]+
stdout~ "rank":2

$ relucap check --layer tests/data/halfspace.csv --json
exit 0
stdout~ "injective":false
stdout~ "x1":\[-1,0\]
stdout!~ -0[],]
stdout~ "min_active_count":\{"lower":0,"upper":0,

$ relucap check --layer tests/data/dup.csv
exit 0
stdout~ injective: no \(certified\)
stdout~ relative output difference

$ relucap check --layer tests/data/square_zero.csv --json
exit 0
stdout~ "injective":true
stdout~ "rows_zero":2

$ relucap check --layer tests/data/triangle.csv --json
exit 0
stdout~ "injective":false

$ relucap check --layer tests/data/pentagon.csv --json
exit 0
stdout~ "injective":true
stdout~ "closed_by_lp":[1-5],"closed_by_earlier_certificate":[0-4]

$ relucap check --layer tests/data/bminusb.csv,tests/data/b_minus1.csv --json
exit 0
stdout~ "injective":false

$ relucap check --layer tests/data/bminusb.csv,tests/data/b_half.csv --json
exit 0
stdout~ "injective":true

$ relucap check --net tests/data/net.txt --json
exit 0
stdout~ "injective":true
stdout~ "domain":"orthant"

# |x| = relu(x) + relu(-x): layer 1 injective, full-rank Jacobians; two regions collide
$ relucap check --layer tests/data/fold1.csv --layer tests/data/fold2.csv --json --time-limit 5
exit 0
stdout~ "injective":false
stdout~ "certified":true
stdout~ two linear regions

# layer 2 fails on the orthant but is injective on the image of layer 1: the exhaustive
# region search decides (4 quadrant cones, 4 adjacent pairs meeting only at common inputs)
$ relucap check --layer tests/data/pm2.csv --layer tests/data/reflect4.csv --json
exit 0
stdout~ "injective":true
stdout~ "certified":true
stdout~ exhaustive region search: 4 linear regions
stdout~ "regions":\{"complete":true,"stopped":null,"regions":4,
stdout~ "pairs":6,"pairs_examined":6,
stdout~ "pairs_touching":4,"pairs_same_cell":0,"pairs_unresolved":0,"samples":2000,"samples_missing":0

$ relucap check --layer tests/data/pm2.csv --layer tests/data/reflect4.csv
exit 0
stdout~ regions: 4 full-dimensional linear regions
stdout~ injective: yes \(certified\)

# symmetric in x1, x2: not injective, the witness collides at layer 2
$ relucap check --layer tests/data/pm2.csv --layer tests/data/sum4.csv --json
exit 0
stdout~ "injective":false
stdout~ "relative_output_difference":

# a Gaussian 3 -> 20 -> 25 network needs ~2000 regions: in 0.2 s it stays undecided, with what was done
$ relucap check --layer tests/data/gauss20x3.csv --layer tests/data/gauss25x20.csv --json --time-limit 0.2
exit 0
stdout~ "injective":null
stdout~ "certified":false
stdout~ "witness":null
stdout~ "regions":\{"complete":false,"stopped":"time limit reached"
stdout~ region search stopped \(time limit reached\)

# invert through a layer with many preimages: layer by layer fails, the exact region solve does not
$ relucap invert --layer tests/data/pm2.csv --layer tests/data/reflect4.csv --output tests/data/y_reflect4.csv --json
exit 0
stdout~ "x":\[0.69999999999999996,-0.69999999999999996\]
stdout~ "residual":0,"unique":true
stdout~ "method":"regions","regions":4,"solutions":1,"complete":true

$ relucap invert --layer tests/data/pm2.csv --layer tests/data/sum4.csv --output tests/data/y_sum4.csv
exit 0
stdout~ at least 2 distinct solutions
stdout~ # unique no: at least two inputs give this output

$ relucap invert --layer tests/data/pm2.csv --layer tests/data/reflect4.csv --output tests/data/y_reflect4_bad.csv
exit 3
stderr~ no input produces tests/data/y_reflect4_bad.csv: relative residual

$ relucap invert --layer tests/data/pm2.csv --layer tests/data/reflect4.csv --output tests/data/y_reflect4.csv --time-limit 0
exit 2
stderr~ --time-limit

# bad input: exit 2, one line naming file, line and column
$ relucap check --layer tests/data/ragged.csv
exit 2
stdout= EMPTY
stderr~ ^relucap: tests/data/ragged.csv:2:1: ragged row

$ relucap check --layer tests/data/word.csv
exit 2
stdout= EMPTY
stderr~ tests/data/word.csv:2:4: not a number: 'x4'

$ relucap check --layer tests/data/nan.csv
exit 2
stdout= EMPTY
stderr~ tests/data/nan.csv:2:1: NaN or Inf

$ relucap check --layer tests/data/empty.csv
exit 2
stdout= EMPTY
stderr~ tests/data/empty.csv: empty file

$ relucap check --layer tests/data/no-such-file.csv
exit 2
stdout= EMPTY
stderr~ no-such-file.csv: cannot open

$ relucap check --layer tests/data/lying.npy
exit 2
stdout= EMPTY
stderr~ lying.npy: data truncated: the header declares 60 x 3

$ relucap check --layer tests/data/trunc_header.npy
exit 2
stdout= EMPTY
stderr~ trunc_header.npy:1:11: truncated .npy header

$ relucap check --layer tests/data/int.npy
exit 2
stdout= EMPTY
stderr~ unsupported dtype '<i8'

$ relucap check --layer tests/data/absurd.npy
exit 2
stdout= EMPTY
stderr~ absurd declared size

$ relucap check --layer tests/data/bminusb.csv --layer tests/data/wide.csv
exit 2
stdout= EMPTY
stderr~ wide.csv: layer 2 has 3 columns .* shapes do not chain

$ relucap check --layer tests/data/bminusb.csv,tests/data/b_short.csv
exit 2
stdout= EMPTY
stderr~ b_short.csv: bias of layer 1 has 2 entries

$ relucap check
exit 2
stdout= EMPTY
stderr~ no network

$ relucap check --layer tests/data/bminusb.csv --time-limit -1
exit 2
stdout= EMPTY
stderr~ --time-limit

$ relucap invert --help
exit 0
stdout~ SYNOPSIS

$ relucap invert --layer tests/data/bminusb.csv --output tests/data/y_bminusb.csv --json
exit 0
stdout~ "x":\[0.5[0-9]*,-1.25[0-9]*,2[0-9.]*\]
stdout~ "residual":(0|[0-9.]+e-1[0-9]),
stdout~ "unique":true

$ relucap invert --layer tests/data/bminusb_be_f4_fortran.npy --output tests/data/y_bminusb.npy
exit 0
stdout~ ^0.5
stdout~ # unique yes

$ relucap invert --layer tests/data/bminusb.csv --output tests/data/y_bminusb_short.csv
exit 2
stdout= EMPTY
stderr~ y_bminusb_short.csv: output has 3 entries, the network has 6 outputs

$ relucap invert --layer tests/data/ones21.csv --output tests/data/y_impossible.csv
exit 3
stdout= EMPTY
stderr~ no input produces .*relative residual 0.3

$ relucap invert --layer tests/data/bminusb.csv --output tests/data/word.csv
exit 2
stdout= EMPTY
stderr~ word.csv:2:4

$ relucap invert --layer tests/data/bminusb.csv
exit 2
stdout= EMPTY
stderr~ --output Y is required

# a layer too large for the time limit: undecided with what was proven, and the RDT context
$ relucap check --layer tests/data/gauss56x8.csv --time-limit 0.5 --json
exit 0
stdout~ "injective":null
stdout~ "certified":false
stdout~ time limit reached
stdout~ "verdict":"undecided"
stdout~ "rdt_plain_capacity_gaussian":7.647694935

# a non-unique preimage: the dead cone of the halfspace layer, a 2-dimensional set
$ relucap invert --layer tests/data/halfspace.csv --output tests/data/y_zero5.csv --json
exit 0
stdout~ "unique":false
stdout~ "dimension":2

# no partial output file when the inversion fails (exit 3), the file appears on success
$ relucap invert --layer tests/data/ones21.csv --output tests/data/y_impossible.csv --save /tmp/relucap_check_t_$$.csv 2>/dev/null; echo "exit=$?"; test -e /tmp/relucap_check_t_$$.csv || echo no-file
exit 0
stdout~ exit=3
stdout~ no-file

$ relucap invert --layer tests/data/bminusb.csv --output tests/data/y_bminusb.csv --save /tmp/relucap_check_t_$$.csv >/dev/null; cat /tmp/relucap_check_t_$$.csv; rm -f /tmp/relucap_check_t_$$.csv
exit 0
stdout~ ^-1.25

# the proof of an injective layer: Farkas certificates over 1-based rows of W
$ relucap check --layer tests/data/pentagon.csv --json
exit 0
stdout~ "proof":\{"certificates_total":[1-9][0-9]*,"complete":true,"certificates":\[\{"rows":\[[1-5],
stdout~ "lambda":\[0\.[0-9]

# weights of 1e300 and 1e-300 (their squares overflow or underflow): the network is rescaled
# exactly by powers of two inside, so the verdicts and the inverse are those at unit scale
$ relucap check --layer tests/data/huge_bminusb.csv --json
exit 0
stdout~ "injective":true
stdout~ "certified":true

$ relucap check --layer tests/data/huge_halfspace.csv --json
exit 0
stdout~ "injective":false
stdout~ "relative_output_difference":(0|[0-9.]+e-1[0-9])[,}]

$ relucap check --layer tests/data/huge_bminusb.csv --layer tests/data/tiny_id6.csv
exit 0
stdout~ injective: yes \(certified\)

$ relucap invert --layer tests/data/huge_bminusb.csv --layer tests/data/tiny_id6.csv --output tests/data/y_bminusb.csv --json
exit 0
stdout~ "x":\[(0.5|0.4999999999)[0-9]*,-(1.25|1.2499999999)[0-9]*,(2|1.9999999999)[0-9.]*\]
stdout~ "unique":true

# y = 0 of [B; -B]: every row is inactive and the point x = 0 is fixed by the sign constraints
# alone; solved from the tight rows as equalities it is 0 exactly (the LP vertex gave 1e-12)
$ relucap invert --layer tests/data/bminusb.csv --output tests/data/y_zero6.csv --json
exit 0
stdout~ "x":\[0,0,0\],"residual":0,"unique":true

# a zero weight matrix: constant, not injective with any pair (was "undecided")
$ relucap check --layer tests/data/zero2.csv --json
exit 0
stdout~ "injective":false
stdout~ "certified":true

# y of order 1e200 (its squares overflow): the residual is computed in units of max |y_i|
$ relucap invert --layer tests/data/rot4.csv --output tests/data/y_rot4_huge.csv --json
exit 0
stdout~ "x":\[(2e\+200|1.99999999999999[0-9]*e\+200),(1e\+200|9.9999999999999[0-9]*e\+199)\]
stdout~ "unique":true

# no double input gives y = 1 through 1e300 * 1e300 (x = 1e-600): exit 3 with the residual on the
# given network, not 0 from an underflowed rescaled y
$ relucap invert --layer tests/data/huge1.csv --layer tests/data/huge1.csv --output tests/data/y_one.csv
exit 3
stderr~ relative residual 1

# --save through a symlink writes its target and keeps the link (rename used to replace the link)
$ relucap --version >/dev/null; echo old > /tmp/relucap_tgt_$$.csv; rm -f /tmp/relucap_link_$$.csv; ln -s /tmp/relucap_tgt_$$.csv /tmp/relucap_link_$$.csv; $EXE invert --layer tests/data/bminusb.csv --output tests/data/y_bminusb.csv --save /tmp/relucap_link_$$.csv >/dev/null; test -L /tmp/relucap_link_$$.csv && echo still-link; cat /tmp/relucap_tgt_$$.csv; rm -f /tmp/relucap_link_$$.csv /tmp/relucap_tgt_$$.csv
exit 0
stdout~ still-link
stdout~ ^-1.25

# the fold |x| at y = 1e25: two preimages (the inversion LP in units of |h|; it failed on 1e25
# and the answer was called unique)
$ relucap invert --layer tests/data/fold1.csv --layer tests/data/fold2.csv --output tests/data/y_fold_1e25.csv --json
exit 0
stdout~ "unique":false
stdout~ "solutions":2

# Near-degenerate rows inside the default tolerances (docs/check.md 4b): decided for the weights
# as given at 1e-12, or undecided; never the verdict of the nearby degenerate configuration.
$ relucap check --layer tests/data/near_sq.csv --json
exit 0
stdout~ "injective":false
stdout~ "certified":true
stdout~ "near_degenerate":1e-10
stdout~ "tolerance":9.99
stdout~ "relative_output_difference":0

$ relucap check --layer tests/data/near_bb.csv
exit 0
stdout~ near-degenerate data .* off by 1e-10 relative\): decided for the weights as given
stdout~ injective: yes \(certified\)

$ relucap check --layer tests/data/near_bb2e-12.csv --json
exit 0
stdout~ "injective":null
stdout~ "certified":false
stdout~ "reason":"layer 1 undecided: a near-degenerate quantity of 2e-12 \(relative

$ relucap check --layer tests/data/bminusb.csv --json
exit 0
stdout~ "near_degenerate":0,"tolerance":1.00*1?e-09

# --save to a path that cannot be written: exit 2 before any solve, naming the path and why
$ relucap invert --layer tests/data/bminusb.csv --output tests/data/y_bminusb.csv --save /nonexistent-dir/x.csv
exit 2
stderr~ --save /nonexistent-dir/x.csv: directory /nonexistent-dir: No such file or directory

$ relucap invert --layer tests/data/bminusb.csv --output tests/data/y_bminusb.csv --save tests/data
exit 2
stderr~ --save tests/data: is a directory

$ relucap invert --layer tests/data/bminusb.csv --output tests/data/y_bminusb.csv --save /dev/full
exit 2
stderr~ --save /dev/full: cannot write: No space left on device

# a subnormal time limit is a positive number (strtod reports underflow); 1e-400 is 0
$ relucap check --layer tests/data/bminusb.csv --time-limit 1e-320 --json
exit 0
stdout~ "seconds":

$ relucap check --layer tests/data/bminusb.csv --time-limit 1e-400
exit 2
stderr~ --time-limit: expected a number in \(0, 1e\+06\], got '1e-400'

# a FIFO with no writer is an empty file, not a hang
$ relucap --version >/dev/null; rm -f /tmp/relucap_fifo_$$; mkfifo /tmp/relucap_fifo_$$; timeout 10 $EXE check --layer /tmp/relucap_fifo_$$; echo "exit=$?"; rm -f /tmp/relucap_fifo_$$
exit 0
stdout~ exit=2

# an ill-conditioned but invertible active system has one preimage (truncating its rank at 1e-10
# gave a "1-dimensional" set with residual 5e-11)
$ relucap invert --layer tests/data/near_bb.csv --output tests/data/y_near_bb.csv --json
exit 0
stdout~ "x":\[0\.9999999999999[0-9]*,1\.00000[0-9]*\]
stdout~ "unique":true

#!/bin/sh
# Python binding tests: tests/python/test_relucap.py and the example scripts, against the
# library of one build (RELUCAP_LIB), with Debian's python3 (which has numpy); then the 2-D
# reference decision of injectivity (test_ref2d.py) and `relucap check` against it
# (test_check_vs_ref2d.py, through RELUCAP_CLI).
# Usage: run.sh path/to/relucap  (its directory is the BUILD).  Last line: "python: N passed, N failed".
EXE=${1:-build/relucap}
BUILD=$(cd "$(dirname "$EXE")" && pwd)
cd "$(dirname "$0")/../.." || exit 1
PY=${RELUCAP_PYTHON:-/usr/bin/python3}
if ! "$PY" -c 'import numpy' 2>/dev/null; then
  echo "FAIL: python: $PY cannot import numpy (apt-get install python3-numpy)"
  echo "python: 0 passed, 1 failed"; exit 1
fi
export PYTHONPATH=python RELUCAP_LIB="$BUILD/librelucap.so" RELUCAP_CLI="$BUILD/relucap"
out=$("$PY" tests/python/test_relucap.py 2>&1); rc=$?
printf '%s\n' "$out" | sed '$d'
p=$(printf '%s\n' "$out" | tail -n 1 | sed -n 's/^python: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
f=$(printf '%s\n' "$out" | tail -n 1 | sed -n 's/^python: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
[ -n "$p" ] || { p=0; f=1; printf '%s\n' "$out" | tail -n 5 | sed 's/^/FAIL: python: /'; }
[ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || f=1
# The example script runs and prints the paper's depth-2 value.
if ex=$("$PY" examples/capacity.py 2>&1) && printf '%s\n' "$ex" | grep -q '8\.2667'; then p=$((p + 1)); else
  f=$((f + 1)); echo "FAIL: python: examples/capacity.py: $(printf '%s\n' "$ex" | tail -n 2)"; fi
# The finite-network example runs and finds the 30-unit layer injective (D = 4 = n).
if ex=$("$PY" examples/finite.py 2>&1) && printf '%s\n' "$ex" | grep -q 'm = 30, n = 4 (m/n =  7.5): D = 4, injective True'; then
  p=$((p + 1)); else f=$((f + 1)); echo "FAIL: python: examples/finite.py: $(printf '%s\n' "$ex" | tail -n 2)"; fi
# Scripts with their own closing line "TAG: N passed, M failed": their counts join the totals (a
# missing closing line is 1 failure).  Shown: their FAIL lines, the lines matching $3, the closing line.
run_counted() { # $1 script, $2 TAG, $3 extended regexp of the lines to show
  t0=$(date +%s)
  out=$("$PY" "$1" 2>&1); rc=$?
  printf '%s\n' "$out" | sed '$d' | grep -E "^FAIL|$3"
  last=$(printf '%s\n' "$out" | tail -n 1)
  sp=$(printf '%s\n' "$last" | sed -n "s/^$2: \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed\$/\1/p")
  sf=$(printf '%s\n' "$last" | sed -n "s/^$2: \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed\$/\2/p")
  if [ -n "$sp" ]; then
    [ "$rc" -eq 0 ] || [ "$sf" -gt 0 ] || sf=1
    echo "$2: $sp passed, $sf failed ($(($(date +%s) - t0)) s)"
  else
    sp=0; sf=1; printf '%s\n' "$out" | tail -n 5 | sed "s/^/FAIL: python: $2: /"
  fi
  p=$((p + sp)); f=$((f + sf))
}
# The 2-D reference decision (tests/python/ref_injective2d.py) on known cases and brute force.
run_counted tests/python/test_ref2d.py ref2d '^total time'
# relucap check against that reference on ~80 seeded 2-D networks, both verdicts.
run_counted tests/python/test_check_vs_ref2d.py check-vs-ref2d '^check-vs-ref2d: ([0-9]+ nets|slowest)'
# relucap check against an independent MILP decision (tests/python/ref_milp.py, scipy/HiGHS) on
# ~40 seeded bias-free networks with n = 3 and 4.
run_counted tests/python/test_check_vs_milp.py check-vs-milp '^check-vs-milp: ([0-9]+ nets|MILP undecided)'
echo "python: $p passed, $f failed"
[ "$f" -eq 0 ]

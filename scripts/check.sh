#!/bin/sh
# The whole suite, as `make check` runs it: unit and CLI tests, the same under ASan + UBSan, then
# valgrind's memcheck.  Ends with one line "check: N passed, N failed".
MAKE=${MAKE:-make}
total_pass=0; total_fail=0
tally() { # $1 = log file with a closing "N passed, N failed" line
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
  p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed*}
  [ -n "$line" ] || { p=0; f=1; }
  total_pass=$((total_pass + p)); total_fail=$((total_fail + f))
}
log=$(mktemp); trap 'rm -f "$log"' EXIT

echo "== tests (build/)"
$MAKE -s all || exit 1
scripts/run-tests.sh build | tee "$log"; tally "$log"

echo "== tests under AddressSanitizer + UndefinedBehaviorSanitizer (build-san/)"
$MAKE -s BUILD=build-san SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" CFLAGS="-O1 -g" all || exit 1
RELUCAP_SANITIZE=1 scripts/run-tests.sh build-san | tee "$log"; tally "$log"

echo "== valgrind memcheck"
if $MAKE -s memcheck; then total_pass=$((total_pass + 1)); else total_fail=$((total_fail + 1)); fi

echo "== MPI build: relucap mc over 2 ranks gives the OpenMP table (scripts/mpi-check.sh)"
if command -v mpicc >/dev/null && command -v mpirun >/dev/null; then
  if sh scripts/mpi-check.sh; then total_pass=$((total_pass + 1)); else total_fail=$((total_fail + 1)); fi
else
  echo "mpi-check: OpenMPI not installed (scripts/install-deps.sh installs it)"; total_fail=$((total_fail + 1))
fi

echo "check: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]

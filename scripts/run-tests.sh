#!/bin/sh
# Run every unit-test program and the CLI tests of one build directory; print the totals
# as "N passed, N failed" and exit non-zero on any failure.
BUILD=${1:-build}
pass=0; fail=0; failed=""
for t in "$BUILD"/tests/test_*; do
  [ -x "$t" ] || continue
  out=$("$t" 2>&1); rc=$?
  printf '%s\n' "$out" | grep -E '^(FAIL|SKIP)' || true
  summary=$(printf '%s\n' "$out" | tail -n 1)
  p=$(printf '%s\n' "$summary" | sed -n 's/.* \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\1/p')
  f=$(printf '%s\n' "$summary" | sed -n 's/.* \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\2/p')
  [ -n "$p" ] || { p=0; f=1; printf '%s\n' "$out" | tail -n 20; }
  [ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || f=1
  echo "$(basename "$t"): $p passed, $f failed"
  pass=$((pass + p)); fail=$((fail + f))
  [ "$f" -eq 0 ] || failed="$failed $(basename "$t")"
done
# Script suites tests/*/run.sh (cli, plot, install, python, ...), each given the CLI's path.
for s in tests/*/run.sh; do
  [ -x "$s" ] || continue
  name=$(basename "$(dirname "$s")")
  # install and python test the packaging and the ctypes binding, not memory: not under ASan
  case "${RELUCAP_SANITIZE:+san}:$name" in san:install|san:python) continue ;; esac
  out=$("$s" "$BUILD/relucap" 2>&1); rc=$?
  printf '%s\n' "$out" | grep -E '^FAIL' || true
  summary=$(printf '%s\n' "$out" | tail -n 1)
  p=$(printf '%s\n' "$summary" | sed -n 's/.* \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\1/p')
  f=$(printf '%s\n' "$summary" | sed -n 's/.* \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\2/p')
  [ -n "$p" ] || { p=0; f=1; }
  [ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || f=1
  echo "$name: $p passed, $f failed"
  pass=$((pass + p)); fail=$((fail + f))
  [ "$f" -eq 0 ] || failed="$failed $name"
done
[ -z "$failed" ] || echo "failing:$failed"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

#!/bin/sh
# CLI tests as data: each tests/cli/*.t file holds cases of the form
#   $ relucap ARGS...            (command line)
#   exit N                       (expected exit code)
#   stdout~ REGEX                (optional, repeatable: stdout must match)
#   stderr~ REGEX                (optional, repeatable: stderr must match)
#   stdout!~ REGEX               (optional, repeatable: stdout must NOT match)
#   stdout= EMPTY                (optional: stdout must be empty)
# separated by blank lines.  Usage: run.sh path/to/relucap
EXE=${1:-build/relucap}
DIR=$(dirname "$0")
pass=0; fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
check_case() {
  [ -n "$cmd" ] || return 0
  (cd "$DIR/../.." && eval "$EXE $cmd" >"$tmp/out" 2>"$tmp/err"); rc=$?
  ok=1; why=""
  [ "$rc" = "$want_rc" ] || { ok=0; why="exit $rc, want $want_rc"; }
  while IFS= read -r pat; do
    [ -n "$pat" ] || continue
    stream=${pat%%~*}; re=${pat#*~ }
    case "$stream" in
      *!) stream=${stream%!}
          ! grep -Eq -- "$re" "$tmp/$stream" || { ok=0; why="$why; $stream matches /$re/"; } ;;
      *)  grep -Eq -- "$re" "$tmp/$stream" || { ok=0; why="$why; $stream lacks /$re/"; } ;;
    esac
  done <<EOP
$pats
EOP
  if [ "$empty_out" = 1 ] && [ -s "$tmp/out" ]; then ok=0; why="$why; stdout not empty"; fi
  if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: relucap $cmd ($why)"; sed 's/^/  stderr: /' "$tmp/err" | head -3; fi
}
for t in "$DIR"/*.t; do
  [ -f "$t" ] || continue
  cmd=""; want_rc=0; pats=""; empty_out=0
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in
      '$ relucap') cmd=' ' ;;
      '$ relucap '*) cmd=${line#'$ relucap '} ;;
      'exit '*) want_rc=${line#exit } ;;
      'stdout~ '*) pats="$pats
out~ ${line#stdout~ }" ;;
      'stderr~ '*) pats="$pats
err~ ${line#stderr~ }" ;;
      'stdout!~ '*) pats="$pats
out!~ ${line#stdout!~ }" ;;
      'stdout= EMPTY') empty_out=1 ;;
      '#'*) ;;
      '') check_case; cmd=""; want_rc=0; pats=""; empty_out=0 ;;
      *) fail=$((fail + 1)); echo "FAIL: $t: unknown line '$line' (a directive that checks nothing)" ;;
    esac
  done < "$t"
  check_case
done
echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

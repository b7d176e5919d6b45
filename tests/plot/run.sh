#!/bin/sh
# Plots (cli/plot.c): `relucap chain --plot` draws an SVG/PNG through gnuplot with the data file
# and the script beside it; the picture holds the expected series; errors leave no files.
# Usage: run.sh path/to/relucap.  Last line: "plot: N passed, N failed".
EXE=${1:-build/relucap}
case "$EXE" in /*) ;; *) EXE="$(pwd)/$EXE" ;; esac
pass=0; fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: plot: $*"; }
t() { if eval "$1"; then ok; else bad "$2"; fi; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! command -v gnuplot >/dev/null 2>&1; then
  echo "FAIL: plot: gnuplot is not installed (sudo apt-get install gnuplot-nox)"; echo "plot: 0 passed, 1 failed"; exit 1
fi

# Weak chain, SVG: three files, the same stdout as without --plot.
"$EXE" chain --depth 6 --alpha1 6.7004 --csv --plot "$tmp/c.svg" >"$tmp/out" 2>"$tmp/err"; rc=$?
t '[ $rc -eq 0 ]' "chain --plot c.svg: exit $rc ($(head -2 "$tmp/err"))"
"$EXE" chain --depth 6 --alpha1 6.7004 --csv >"$tmp/out0" 2>/dev/null
cut -d, -f1-5 "$tmp/out" >"$tmp/out5"; cut -d, -f1-5 "$tmp/out0" >"$tmp/out05"
t 'cmp -s "$tmp/out5" "$tmp/out05"' "--plot changes stdout (columns 1-5; seconds differ)"
for f in c.svg c.dat c.gp; do t '[ -s "$tmp/$f" ]' "$f not written"; done
t 'head -c 200 "$tmp/c.svg" | grep -q "<svg"' "c.svg is not an SVG"
t 'tail -c 20 "$tmp/c.svg" | grep -q "</svg>"' "c.svg is truncated"
if /usr/bin/python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$tmp/c.svg" 2>/dev/null; then ok; else bad "c.svg is not well-formed XML"; fi
# The series, by their legend titles (gnuplot writes each as an SVG <title>; "_1" is a subscript).
t 'grep -q "<title>relucap, plain RDT (alpha1 = 6.7004)</title>" "$tmp/c.svg"' "no computed series in c.svg"
t 'grep -q "<title>paper, printed (Tables 2-7; alpha1 = 6.7004)</title>" "$tmp/c.svg"' "no paper capacity series"
t 'grep -q "<title>paper, printed (Table 7; alpha1 = 6.7004)</title>" "$tmp/c.svg"' "no paper expansion series"
t '[ "$(grep -c "<title>relucap, plain RDT" "$tmp/c.svg")" -ge 2 ]' "computed series not in both panels"
# The data file: block 0 = the computed capacities, digit for digit as --csv prints them.
awk '/^# panel 1, series: relucap/{b=1; next} /^# panel/{b=0} b && /^[0-9]/{print $1","$2}' "$tmp/c.dat" >"$tmp/dat0"
cut -d, -f1,2 "$tmp/out0" | tail -n +2 >"$tmp/csv0"
t 'cmp -s "$tmp/dat0" "$tmp/csv0"' "c.dat capacities differ from --csv: $(head -3 "$tmp/dat0" | tr '\n' ' ')"
t '[ "$(wc -l <"$tmp/dat0")" -eq 6 ]' "c.dat: want 6 computed points"
t 'grep -A6 "series: paper, printed (Tables 2-7" "$tmp/c.dat" | grep -q "^4 10.12"' "c.dat lacks the paper's 10.124 at depth 4"
t 'grep -A6 "series: paper, printed (Table 7" "$tmp/c.dat" | grep -q "^2 1.2338"' "c.dat lacks the paper's expansion 1.2338"
t '! grep -qi nan "$tmp/c.dat"' "NaN in c.dat"
# The script re-runs on its own from its directory and redraws the same picture.
mv "$tmp/c.svg" "$tmp/c0.svg"
(cd "$tmp" && gnuplot c.gp) 2>"$tmp/gperr"
t 'cmp -s "$tmp/c.svg" "$tmp/c0.svg"' "gnuplot c.gp does not reproduce c.svg ($(head -2 "$tmp/gperr"))"
t 'grep -q "^# made by: relucap chain --depth 6" "$tmp/c.gp"' "c.gp does not record the command"

# PNG by extension; strong chain: paper Tables 3 and 5, no Table 7 expansion series; a relative path.
(cd "$tmp" && "$EXE" chain --depth 4 --kind strong --plot s.png >/dev/null 2>&1); rc=$?
t '[ $rc -eq 0 ]' "chain --kind strong --plot s.png: exit $rc"
t '[ "$(head -c 4 "$tmp/s.png" | od -An -c | tr -d " ")" = "211PNG" ]' "s.png is not a PNG"
t 'grep -q "series: paper, printed (Tables 3, 5" "$tmp/s.dat"' "s.dat lacks the strong paper series"
t '! grep -q "Table 7" "$tmp/s.dat"' "strong plot shows the weak Table 7 expansions"
t 'grep -q "set terminal pngcairo" "$tmp/s.gp"' "s.gp does not use the png terminal"

# Depth 1: one panel, still a picture.
"$EXE" chain --depth 1 --plot "$tmp/one.svg" >/dev/null 2>&1; rc=$?
t '[ $rc -eq 0 ] && [ -s "$tmp/one.svg" ]' "chain --depth 1 --plot: exit $rc"
t 'grep -q "multiplot layout 1,1" "$tmp/one.gp"' "depth 1: want one panel"

# chain --compare --plot: the other method's bound at the same alphas and a third panel of the gain.
"$EXE" chain --depth 4 --alpha1 6.7004 --compare --csv --plot "$tmp/cmp.svg" >"$tmp/cout" 2>/dev/null; rc=$?
t '[ $rc -eq 0 ] && [ -s "$tmp/cmp.svg" ]' "chain --compare --plot: exit $rc"
for m in lifted optimized optimized-lifted; do
  t 'grep -q "<title>relucap, $m at the same alphas (--compare)</title>" "$tmp/cmp.svg"' "cmp.svg lacks the $m series"
  t 'grep -q "<title>plain - $m</title>" "$tmp/cmp.svg"' "cmp.svg lacks plain - $m in the gain panel"
done
t '! grep -q "<title>relucap, plain at the same alphas" "$tmp/cmp.svg"' "cmp.svg repeats the chain's own method"
t 'grep -q "multiplot layout 3,1" "$tmp/cmp.gp"' "cmp.gp: want three panels"
# the gain block equals the CSV's gain column (column 9) for depths 2..4
awk '/^# panel 3, series: plain - lifted$/{b=1; next} /^# panel/{b=0} b && /^[0-9]/{print $1, $2}' "$tmp/cmp.dat" >"$tmp/cgain"
awk -F, 'NR > 1 && $9 != "" {print $1, $9}' "$tmp/cout" >"$tmp/ccsv"
t '[ "$(wc -l <"$tmp/cgain")" -eq 3 ] && awk "NR==FNR{c[\$1]=\$2; next} {d=\$2-c[\$1]; if (d<0) d=-d; if (d>1e-15) bad=1} END{exit bad}" "$tmp/ccsv" "$tmp/cgain"' \
  "cmp.dat gain differs from --csv: $(tr '\n' ' ' <"$tmp/cgain") vs $(tr '\n' ' ' <"$tmp/ccsv")"
t 'head -1 "$tmp/cgain" | awk "{exit !(\$1 == 2 && \$2 > 0.002 && \$2 < 0.003)}"' "depth-2 gain should be 0.0026 (plain 8.26673 - lifted 8.26410)"
# optimized: its block equals the CSV's optimized column (12)
awk '/^# panel 1, series: relucap, optimized at/{b=1; next} /^# panel/{b=0} b && /^[0-9]/{print $1, $2}' "$tmp/cmp.dat" >"$tmp/copt"
awk -F, 'NR > 1 && $12 != "" {print $1, $12}' "$tmp/cout" >"$tmp/coptcsv"
t '[ "$(wc -l <"$tmp/copt")" -eq 3 ] && awk "NR==FNR{c[\$1]=\$2; next} {d=\$2-c[\$1]; if (d<0) d=-d; if (d>1e-15) bad=1} END{exit bad}" "$tmp/coptcsv" "$tmp/copt"' \
  "cmp.dat optimized differs from --csv"
# --method lifted --compare: plain is then a compared series and the reference of the gain panel
"$EXE" chain --depth 3 --alpha1 6.7004 --method lifted --compare --plot "$tmp/cl.svg" >/dev/null 2>&1; rc=$?
t '[ $rc -eq 0 ] && grep -q "<title>relucap, plain at the same alphas (--compare)</title>" "$tmp/cl.svg"' "lifted --compare: no plain series (exit $rc)"
t 'grep -q "<title>plain - lifted</title>" "$tmp/cl.svg"' "lifted --compare: no plain - lifted gain"

# relucap gate --ladder --plot: levels 1..3 (kmax 4 keeps it to ~2 s), 2p, full, published values.
"$EXE" gate --ladder --max-level 3 --kmax 4 --csv --plot "$tmp/g.svg" >"$tmp/gout" 2>"$tmp/gerr"; rc=$?
t '[ $rc -eq 0 ] && [ -s "$tmp/g.svg" ] && [ -s "$tmp/g.dat" ] && [ -s "$tmp/g.gp" ]' "gate --plot: exit $rc ($(head -2 "$tmp/gerr"))"
t 'grep -q "<title>fl RDT level L = (L-1)-RSB (relucap)</title>" "$tmp/g.svg"' "g.svg lacks the level series"
t 'grep -q "<title>level 2p = 1RSB with Q0 = 0 (relucap)</title>" "$tmp/g.svg"' "g.svg lacks the 2p point"
t 'grep -q "<title>full RSB, k-RSB for k = 1..4 extrapolated: 6.698" "$tmp/g.svg"' "g.svg lacks the full-RSB line"
t 'grep -q "<title>Maillard et al. 2023, published RS and 1RSB</title>" "$tmp/g.svg"' "g.svg lacks the published values"
t 'grep -q "<title>alpha_L - alpha_{full} (relucap)</title>\|<title>alphaL - alphafull (relucap)</title>" "$tmp/g.svg"' "g.svg lacks the distance panel"
# The level block equals the CSV's capacities (printed there with 12 decimals).
awk '/^# panel 1, series: fl RDT/{b=1; next} /^# panel/{b=0} b && /^[0-9]/{print $1, $2}' "$tmp/g.dat" >"$tmp/glev"
grep -E '^[0-9]+,' "$tmp/gout" | cut -d, -f1,3 | tr , ' ' >"$tmp/gcsv"
t '[ "$(wc -l <"$tmp/glev")" -eq 3 ] && awk "NR==FNR{c[\$1]=\$2; next} {d=\$2-c[\$1]; if (d<0) d=-d; if (d>1e-11) bad=1} END{exit bad}" "$tmp/gcsv" "$tmp/glev"' \
  "g.dat levels differ from --csv: $(tr '\n' ' ' <"$tmp/glev") vs $(tr '\n' ' ' <"$tmp/gcsv")"
t 'grep -A3 "series: level 2p" "$tmp/g.dat" | grep -q "^1.5 7.44863"' "g.dat: 2p point at x = 1.5"
t 'grep -A4 "series: Maillard et al. 2023, published RS" "$tmp/g.dat" | grep -q "^2 6.715696838"' "g.dat: published 1RSB"
t 'grep -q "set logscale y" "$tmp/g.gp"' "g.gp: distance panel not logarithmic"
# the distance block holds only positive values (log scale)
t '! awk "/^# panel 2/{b=1; next} b && /^[0-9]/ && \$2 <= 0 {bad=1} END{exit !bad}" "$tmp/g.dat"' "g.dat: non-positive value on the log panel"

# Errors: exit 2 (usage) or 3 (gnuplot failed), nothing on stdout, no files left behind.
mkdir "$tmp/e"
err_case() { # want_rc, stderr regex, args...
  want=$1; re=$2; shift 2
  "$@" >"$tmp/eout" 2>"$tmp/eerr"; rc=$?
  t '[ $rc -eq $want ]' "$* : exit $rc, want $want"
  t 'grep -Eq -- "$re" "$tmp/eerr"' "$* : stderr lacks /$re/: $(head -1 "$tmp/eerr")"
  t '[ ! -s "$tmp/eout" ]' "$* : stdout not empty"
  t '[ -z "$(ls "$tmp/e")" ]' "$* : left files: $(ls "$tmp/e" | tr '\n' ' ')"
}
err_case 2 "--plot: '.*/e/c\.pdf' must be a file name ending in \.svg or \.png" "$EXE" chain --depth 3 --plot "$tmp/e/c.pdf"
err_case 2 "--plot: '.*' must be a file name ending in \.svg or \.png" "$EXE" chain --depth 3 --plot "$tmp/e/"
err_case 2 "directory '.*/e/nodir' of .* does not exist" "$EXE" chain --depth 3 --plot "$tmp/e/nodir/c.svg"
err_case 2 "--plot: missing value" "$EXE" chain --depth 3 --plot
err_case 2 "apt-get install gnuplot-nox" env RELUCAP_GNUPLOT=/nonexistent/gnuplot "$EXE" chain --depth 3 --plot "$tmp/e/c.svg"
err_case 2 "gnuplot, which was not found" env PATH=/nonexistent "$EXE" chain --depth 3 --plot "$tmp/e/c.svg"
err_case 3 "gnuplot .* failed to draw" env RELUCAP_GNUPLOT=/bin/false "$EXE" chain --depth 3 --plot "$tmp/e/c.svg"

err_case 2 "--plot needs --ladder" "$EXE" gate --level 2 --plot "$tmp/e/g.svg"
err_case 2 "apt-get install gnuplot-nox" env RELUCAP_GNUPLOT=/nonexistent/gnuplot "$EXE" gate --ladder --plot "$tmp/e/g.svg"
err_case 2 "must be a file name ending in \.svg or \.png" "$EXE" gate --ladder --plot "$tmp/e/g.jpg"

echo "plot: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

#!/bin/sh
# `make install` into a temporary prefix, then use what was installed the way a user would:
# compile a small C program with `pkg-config --cflags --libs relucap` (shared library) and
# against the static library with `pkg-config --static`, run both, run the installed CLI and
# render the installed man page.  Usage: run.sh path/to/relucap  (its directory is the BUILD).
EXE=${1:-build/relucap}
BUILD=$(dirname "$EXE")
cd "$(dirname "$0")/../.." || exit 1
pass=0; fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: install: $*"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix="$tmp/prefix"
# A nested make must not inherit the jobserver of an outer `make check`.
unset MAKEFLAGS MFLAGS MAKELEVEL
if make -s install BUILD="$BUILD" PREFIX="$prefix" >"$tmp/make.log" 2>&1; then ok; else
  bad "make install failed"; sed 's/^/  /' "$tmp/make.log" | tail -5; echo "install: $pass passed, $fail failed"; exit 1; fi
for f in bin/relucap lib/librelucap.so lib/librelucap.a include/relucap.h include/relucap/plain.h \
         include/relucap/common.h lib/pkgconfig/relucap.pc share/man/man1/relucap.1; do
  if [ -f "$prefix/$f" ]; then ok; else bad "missing $f"; fi
done
# Every public header is installed.
for h in include/relucap/*.h; do
  if cmp -s "$h" "$prefix/$h"; then ok; else bad "header $h not installed"; fi
done

cat > "$tmp/prog.c" <<'PROG'
#include <relucap.h>
#include <stdio.h>
#include <string.h>
/* One-layer plain bound: 7.6477... (paper, section 2); print it with the library version. */
int main(void)
{
  relucap_plain_problem prob;
  relucap_plain_result res;
  memset(&prob, 0, sizeof prob);
  prob.depth = 1;
  prob.kind = RELUCAP_WEAK;
  if (relucap_plain_capacity(&prob, &res) != RELUCAP_SUCCESS) return 3;
  printf("%s %.6f\n", RELUCAP_VERSION, res.capacity);
  return res.capacity > 7.647 && res.capacity < 7.648 ? 0 : 1;
}
PROG
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
cflags=$(pkg-config --cflags relucap) && libs=$(pkg-config --libs relucap) && ok || bad "pkg-config cannot read relucap.pc"
version=$(pkg-config --modversion relucap)
[ "$version" = "$("$EXE" --version | sed 's/^relucap //')" ] && ok || bad "pkg-config version '$version' differs from relucap --version"
# Shared: the program must pick the installed librelucap.so, not the build tree's.
if ${CC:-cc} -o "$tmp/prog" "$tmp/prog.c" $cflags $libs 2>"$tmp/cc.log"; then ok; else bad "compile against the shared library"; head -5 "$tmp/cc.log"; fi
out=$(LD_LIBRARY_PATH="$prefix/lib" "$tmp/prog") && ok || bad "shared program: exit $?, output '$out'"
printf '%s\n' "$out" | grep -q "^$version 7\.6476" && ok || bad "shared program printed '$out'"
LD_LIBRARY_PATH="$prefix/lib" ldd "$tmp/prog" | grep -q "$prefix/lib/librelucap.so" && ok || bad "program not linked to the installed librelucap.so"
# Static: librelucap.a plus the private libraries pkg-config --static lists.
slibs=$(pkg-config --static --libs relucap | sed 's/-lrelucap//')
if ${CC:-cc} -o "$tmp/prog_static" "$tmp/prog.c" $cflags "$prefix/lib/librelucap.a" $slibs 2>"$tmp/cc.log"; then ok; else bad "compile against the static library"; head -5 "$tmp/cc.log"; fi
out=$("$tmp/prog_static") && ok || bad "static program: exit $?"
ldd "$tmp/prog_static" | grep -q librelucap && bad "static program still needs librelucap.so" || ok
# The C example of docs/gallery.md, compiled as it says, against the installed library.
sed -n '/^```c$/,/^```$/p' docs/gallery.md | sed '1d;$d' > "$tmp/cap.c"
if [ -s "$tmp/cap.c" ] && ${CC:-cc} "$tmp/cap.c" $cflags $libs -o "$tmp/cap" 2>"$tmp/cc.log"; then ok; else
  bad "the C example of docs/gallery.md does not compile"; head -5 "$tmp/cc.log"; fi
out=$(LD_LIBRARY_PATH="$prefix/lib" "$tmp/cap" 2>&1)
printf '%s\n' "$out" | grep -q '^alpha_2 = 8\.2667293108 ' && ok || bad "docs/gallery.md C example printed '$out'"
# The installed CLI and its man page.
"$prefix/bin/relucap" --version | grep -q "^relucap $version" && ok || bad "installed relucap --version"
grep -q '^\.SH NAME' "$prefix/share/man/man1/relucap.1" && ok || bad "man page has no NAME section"
for c in $("$EXE" --help | sed -n '/^Commands:/,/^$/p' | sed -n 's/^  \([a-z][a-z0-9-]*\) .*/\1/p'); do
  grep -q "^\.SS $c\$" "$prefix/share/man/man1/relucap.1" && ok || bad "man page lacks command $c"
done
if command -v man >/dev/null 2>&1; then
  warn=$(MANWIDTH=80 man --warnings -l "$prefix/share/man/man1/relucap.1" 2>&1 >/dev/null)
  [ -z "$warn" ] && ok || bad "man page renders with warnings: $warn"
fi
echo "install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

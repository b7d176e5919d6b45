#!/bin/sh
# Install the Debian packages relucap builds and tests with, only when missing.
# Used by `make demo` and `make check`; safe to run again.
set -e
PKGS="build-essential pkg-config libgsl-dev coinor-libcbc-dev coinor-libclp-dev gnuplot-nox python3-numpy python3-scipy valgrind openmpi-bin libopenmpi-dev"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "relucap: installing Debian packages:$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null

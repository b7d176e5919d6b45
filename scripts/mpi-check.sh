#!/bin/sh
# Build the MPI variant (make MPI=1 -> build-mpi/) and check that `relucap mc` sharded over
# 2 ranks prints the same table as the OpenMP run of build/relucap (same seeds and streams).
set -e
make MPI=1 -j2 >/dev/null
make -j2 >/dev/null
ARGS="mc --n 4 --depth 1 --sweep 4:6:0.5 --trials 40 --seed 3 --csv"
ROOT=""
[ "$(id -u)" = 0 ] && ROOT="--allow-run-as-root"
mpirun $ROOT -np 2 build-mpi/relucap $ARGS --threads 1 > /tmp/relucap-mpi.$$
build/relucap $ARGS --threads 2 > /tmp/relucap-omp.$$
if cmp -s /tmp/relucap-mpi.$$ /tmp/relucap-omp.$$; then echo "mpi-check: identical tables"; rc=0; else echo "mpi-check: tables differ"; diff /tmp/relucap-mpi.$$ /tmp/relucap-omp.$$; rc=1; fi
rm -f /tmp/relucap-mpi.$$ /tmp/relucap-omp.$$
exit $rc

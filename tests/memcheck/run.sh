#!/bin/sh
# tests/memcheck/run.sh COLBENCH [MPI_COLBENCH]: a small run of every
# strategy under valgrind's memcheck, as TAP; with MPI_COLBENCH (make MPI=1),
# the mpi strategy too, in 2 ranks under mpirun.
#
# A case passes when colbench succeeds, no process reports a memory error
# (invalid reads or writes, uninitialised values, bad frees) or a lost
# block, and colbench itself ends with every block freed.  Its fork
# workers end with _exit and never free the memory they inherited, so in
# them "still reachable" is the parent's heap, not a leak; in the parent
# it must be zero.  colbench.supp names the library state left alone.
# shellcheck disable=SC2086
set -u

colbench=${1:?usage: tests/memcheck/run.sh COLBENCH [MPI_COLBENCH]}
mpi_colbench=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Split into words on purpose: SC2086 is off for the file (below).
timing="--number 2 --repeat 2 --warmup 0 --no-limit --quiet"
small="--rows 203 --cols 61 $timing"
n=0

# check DESCRIPTION ARG...: one TAP line for colbench ARG... under memcheck.
check() {
	desc=$1
	shift
	n=$((n + 1))
	rm -f "$work"/vg.* "$work/out"
	valgrind --tool=memcheck --error-exitcode=99 --leak-check=full --trace-children=yes \
		--show-leak-kinds=all --errors-for-leak-kinds=definite,indirect,possible \
		--suppressions="$here/colbench.supp" --log-file="$work/vg.%p" \
		"$colbench" "$@" >"$work/out" 2>&1 &
	parent=$!
	wait "$parent"
	rc=$?
	why=
	# A verdict of 5 (inconclusive) is an answer, not a fault: under
	# valgrind a report's runs may meet other work or spread widely.
	if [ "$rc" -ne 0 ] && ! { [ "$rc" -eq 5 ] && [ "${INCONCLUSIVE_OK:-}" = 1 ]; }; then
		why="status $rc"
	elif ! grep -q 'All heap blocks were freed\|still reachable: 0 bytes' "$work/vg.$parent"; then
		why="colbench ends with memory still allocated"
	elif grep -L 'ERROR SUMMARY: 0 errors' "$work"/vg.* | grep -q .; then
		why="a worker process reports errors"
	fi
	if [ -z "$why" ]; then
		echo "ok $n - memcheck: $desc ($(find "$work" -name 'vg.*' | wc -l) processes)"
	else
		echo "not ok $n - memcheck: $desc: $why"
		sed 's/^/#   /' "$work/out"
		for f in "$work"/vg.*; do
			grep -q 'ERROR SUMMARY: 0 errors' "$f" && [ "$f" != "$work/vg.$parent" ] && continue
			sed 's/^/#   /' "$f"
		done
	fi
}

# Every strategy the binary has, from its registry (--list), but mpi's
# ranks, which run under mpirun below.
strategies=$("$colbench" --list | awk -F'\t' '$3 != "ranks" { print $1 }')
if [ -z "$strategies" ]; then
	echo "1..1"
	echo "not ok 1 - memcheck: $colbench --list named no strategy"
	exit 1
fi
echo "1..$(($(echo "$strategies" | wc -l) + 4 + (${#mpi_colbench} > 0)))"
for s in $strategies; do
	check "$s, 3 workers" $small --strategy "$s" --workers 3
done
check "layout c, the pairwise kernel" $small --strategy seq --layout c --kernel pairwise
check "--save and a JSON report" $small --strategy pthread --save "$work/m.npy" \
	--sums "$work/sums.npy" --format json --output "$work/a.json"
check "--load --mmap and a CSV report" $timing --load "$work/m.npy" --mmap --strategy seq \
	--format csv --output "$work/b.csv"
INCONCLUSIVE_OK=1
check "compare two reports" compare --threshold 1000 "$work/a.json" "$work/a.json"
INCONCLUSIVE_OK=

# mpi: each rank under valgrind.  Open MPI keeps much of what it allocates
# until exit, so here only errors and lost blocks count, with Open MPI's own
# suppressions and openmpi.supp (stacks through its libraries only).
if [ -n "$mpi_colbench" ]; then
	n=$((n + 1))
	rm -f "$work"/vg.* "$work/out"
	OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
		timeout 300 mpirun --oversubscribe --mca btl self,vader -np 2 \
		valgrind --tool=memcheck --error-exitcode=99 --leak-check=full --trace-children=yes \
		--errors-for-leak-kinds=definite,indirect,possible \
		--suppressions=/usr/share/openmpi/openmpi-valgrind.supp \
		--suppressions="$here/colbench.supp" --suppressions="$here/openmpi.supp" \
		--log-file="$work/vg.%p" "$mpi_colbench" --strategy mpi $small >"$work/out" 2>&1
	rc=$?
	# Four processes: each rank and its keeper (src/os/keeper.h).
	if [ "$rc" -eq 0 ] && [ "$(find "$work" -name 'vg.*' | wc -l)" -eq 4 ] &&
		[ "$(grep -l 'ERROR SUMMARY: 0 errors' "$work"/vg.* | wc -l)" -eq 4 ]; then
		echo "ok $n - memcheck: mpi, 2 ranks under mpirun, each with its keeper"
	else
		echo "not ok $n - memcheck: mpi, 2 ranks under mpirun (status $rc)"
		sed 's/^/#   /' "$work/out" "$work"/vg.*
	fi
fi

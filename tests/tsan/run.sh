#!/bin/sh
# tests/tsan/run.sh COLBENCH: the threaded code under ThreadSanitizer, as TAP.
#
# COLBENCH is the make tsan build (clang, -fsanitize=thread).  Each case is
# one small run of the threaded strategies, those whose workers are
# threads as the registry lists them (--list's third column: threads), so
# a new one is checked as it is added; the matrix is made and first
# touched by threads too, and one case measures the read bandwidth limit,
# which runs threads of its own.  A race (or any TSan report) ends the run
# with status 66 and fails the case.
#
# The openmp strategy is linked against LLVM's libomp, whose barriers TSan
# sees through the Archer tool (libarcher, from libomp-dev), loaded here.
set -u

colbench=${1:?usage: tests/tsan/run.sh COLBENCH}
# Archer from the LLVM whose libomp the binary is linked against.
libomp=$(ldd "$colbench" 2>/dev/null | sed -n 's/.*libomp[^ ]* => \([^ ]*\) .*/\1/p')
archer=$(dirname "${libomp:-/nonexistent/x}")/libarcher.so
[ -e "$archer" ] || archer=
log=$(mktemp)
trap 'rm -f "$log"' EXIT

OMP_TOOL_LIBRARIES=$archer
TSAN_OPTIONS="halt_on_error=1 exitcode=66 ignore_noninstrumented_modules=1 second_deadlock_stack=1"
export OMP_TOOL_LIBRARIES TSAN_OPTIONS

small="--rows 301 --cols 203 --number 2 --repeat 3 --quiet"
n=0

# check DESCRIPTION COLBENCH-OPTION...: one TAP line for one run.
check() {
	desc=$1
	shift
	n=$((n + 1))
	# shellcheck disable=SC2086
	"$colbench" $small "$@" >"$log" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ] && ! grep -q 'ThreadSanitizer' "$log"; then
		echo "ok $n - tsan: $desc"
	else
		echo "not ok $n - tsan: $desc (status $rc)"
		sed 's/^/#   /' "$log"
	fi
}

if [ -z "$archer" ]; then
	echo "1..1"
	echo "not ok 1 - tsan: libarcher.so (libomp-dev) is missing: TSan cannot see libomp's barriers, so OpenMP cannot be checked"
	exit 1
fi

# The threaded strategies, comma-separated, from the registry.
threaded=$("$colbench" --list | awk -F '\t' '$3 == "threads" { print $1 }' | paste -sd, -)
if [ -z "$threaded" ]; then
	echo "1..1"
	echo "not ok 1 - tsan: $colbench --list names no threaded strategy"
	exit 1
fi

echo "1..9"
check "$threaded, 2 workers, layout f" --strategy "$threaded" --workers 2 --no-limit
check "$threaded, 3 workers, layout c" --strategy "$threaded" --workers 3 --layout c --no-limit
check "$threaded, 7 workers (more than CPUs)" --strategy "$threaded" --workers 7 --no-limit
check "$threaded, 1 worker" --strategy "$threaded" --workers 1 --no-limit
check "$threaded, naive kernel" --strategy "$threaded" --workers 3 --kernel naive --no-limit
check "$threaded, pairwise kernel, layout c" --strategy "$threaded" --workers 3 --kernel pairwise \
	--layout c --no-limit
check "$threaded, kahan kernel" --strategy "$threaded" --workers 2 --kernel kahan --no-limit
check "$threaded, workers pinned" --strategy "$threaded" --workers 2 --pin --no-limit
check "the read-bandwidth limit (threads of its own) and every strategy" --strategy all --workers 2

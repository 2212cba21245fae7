#!/bin/sh
# The static checks in make test: cppcheck over every C file at once (its
# whole-program checks see calls across files), then clang-tidy over each
# file with the flags the Makefile compiles it with.  The configuration is
# checked in: .clang-tidy at the root, tests/static/cppcheck.supp here.
# Prints TAP: one line for cppcheck's default build, one for its MPI build
# of src/strategies/mpi_run.c, one per file for clang-tidy; a finding fails its line
# and is shown under it as "# " lines; the status is 1 when a line
# failed.  Two clang-tidy runs at a time.
# Usage: sh tests/static/run.sh    (from anywhere; it works at the root)
set -u

# The one-file mode the parallel clang-tidy runs use (see below):
# run.sh --tidy I FILE [EXTRA_FLAG...]: clang-tidy on FILE, its output in
# $STATIC_LOGS/tidy.I and its status in tidy.I.rc.
if [ "${1:-}" = --tidy ]; then
	log=$STATIC_LOGS/tidy.$2 file=$3
	shift 3
	# The Makefile's flags (its CPPFLAGS, -std, WARNINGS and -pthread).
	clang-tidy --quiet "$file" -- -std=c11 -D_GNU_SOURCE -Isrc \
		-DCOLBENCH_CFLAGS='"-O3 -g"' -Wall -Wextra -Wshadow \
		-Wstrict-prototypes -Wmissing-prototypes -pthread "$@" >"$log" 2>&1
	echo $? >"$log.rc"
	exit 0
fi

cd "$(dirname "$0")/../.." || exit 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0 failed=0

# result NAME STATUS LOG: the TAP line for one check, its output under it
# when it failed.
result() {
	n=$((n + 1))
	if [ "$2" -eq 0 ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		sed 's/^/# /' "$3"
		failed=$((failed + 1))
	fi
}

# clang-tidy's jobs: FILE and its extra flags, one a line.  A strategy's
# file gets the cflags of its registry line (scripts/strategy_flags.sh:
# openmp's -fopenmp), as the Makefile compiles it; mpi_run.c is checked as the
# default build compiles it and as mpicc compiles it under MPI=1, and
# test_hooks.c as the plain build and as the sanitizer builds compile it.
mpi_flags=$(mpicc --showme:compile 2>/dev/null) || mpi_flags=""
# The files whose code is only compiled under MPI=1 (#ifdef COLBENCH_MPI).
mpi_files="src/strategies/mpi_run.c src/strategies/mpi_ranks.c"
mpi_count=$(echo "$mpi_files" | wc -w)
{
	for f in src/*.c src/*/*.c tests/unit/*.c tests/fuzz/*.c; do
		case $f in
		src/strategies/strategy_*.c)
			name=${f#src/strategies/strategy_}
			flags=$(sh scripts/strategy_flags.sh cflags "${name%.c}")
			echo "$f${flags:+ $flags}"
			;;
		*) echo "$f" ;;
		esac
	done
	# The fault hooks, as the sanitizer builds compile them.
	echo "src/os/test_hooks.c -DCOLBENCH_TEST_HOOKS"
	if [ -n "$mpi_flags" ]; then
		for f in $mpi_files; do
			echo "$f -DCOLBENCH_MPI $mpi_flags"
		done
	fi
} >"$work/jobs"
# Two cppcheck lines, a clang-tidy line a job, and the MPI ones skipped
# without mpicc.
planned=$(($(wc -l <"$work/jobs") + 2))
[ -n "$mpi_flags" ] || planned=$((planned + mpi_count))
echo "1..$planned"

# cppcheck: the build's configuration (_GNU_SOURCE, gcc on x86-64) and
# then the MPI one, which only changes the MPI files.  Information is on so
# that a suppression which no longer matches anything is an error too.
cppcheck_run() {
	cppcheck --quiet --std=c11 --enable=warning,style,performance,portability,information \
		--error-exitcode=1 --inline-suppr --suppressions-list=tests/static/cppcheck.supp \
		--library=posix --library=gnu -D_GNU_SOURCE -D__GNUC__ -D__x86_64__ -Isrc \
		--template='{file}:{line}:{column}: {severity}: {message} [{id}]' "$@"
}
cppcheck_run src/*.c src/*/*.c tests/unit/*.c tests/fuzz/*.c >"$work/cppcheck" 2>&1
result cppcheck $? "$work/cppcheck"
# shellcheck disable=SC2086 # a list of paths without spaces
cppcheck_run -DCOLBENCH_MPI $mpi_files >"$work/cppcheck-mpi" 2>&1
result "cppcheck the MPI files (MPI)" $? "$work/cppcheck-mpi"

# clang-tidy, two files at a time, each into its own log (job i into
# tidy.i); the TAP lines then come out in the jobs' order.
export STATIC_LOGS="$work"
awk '{ print NR, $0 }' "$work/jobs" | xargs -P 2 -L 1 sh tests/static/run.sh --tidy
i=0
while read -r file flags; do
	i=$((i + 1))
	case $flags in
	*COLBENCH_MPI*) name="clang-tidy $file (MPI)" ;;
	*) name="clang-tidy $file" ;;
	esac
	rc=$(cat "$work/tidy.$i.rc" 2>/dev/null || echo 1)
	result "$name" "$rc" "$work/tidy.$i"
done <"$work/jobs"
if [ -z "$mpi_flags" ]; then
	for f in $mpi_files; do
		n=$((n + 1))
		echo "ok $n - clang-tidy $f (MPI) # SKIP no mpicc (Open MPI's) to give mpi.h's flags"
	done
fi
[ "$failed" -eq 0 ]

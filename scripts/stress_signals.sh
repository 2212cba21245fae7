#!/usr/bin/env bash
# stress_signals.sh - the signal tests, many times over, on a machine made
# busy on purpose: make bench-signals.
#
# The two signal tests that failed on a busy CI runner ("still running
# after 20 s") were run alone and beside CPU hogs without failing; the
# cause was the runner's own SIGHUP, inherited ignored (nohup, a CI agent)
# and rightly kept by colbench, which the tests' waiter handed on.  This
# reproducer keeps both conditions in every round: stress-ng loads every
# CPU and memory (--cpu N --vm 1) for the whole run, and bats itself is
# started with SIGHUP ignored, as on that runner.  Each round runs the
# signal cases of tests/cli/signals.bats (every ending signal mid-save, and
# SIGHUP, SIGUSR1 and SIGQUIT during a forkpool run: 16 signals a round) on
# the plain build and on the hooked ASan build in turn.
#
#   ROUNDS   rounds to run (default 200)
#   FILTER   the bats -f pattern of the tests to repeat
#   PLAIN, HOOKED  the binaries (./colbench, build-asan/colbench); each is
#            copied first, so that the tree may be rebuilt during a long run
#
# Prints one line per failed round (its log is kept in the log folder it
# names) and ends with "K of N rounds passed"; status 1 if any failed.
set -u
cd "$(dirname "$0")/.." || exit 2

ROUNDS=${ROUNDS:-200}
FILTER=${FILTER:-'mid-save: 128 \+ its number|during a forkpool run'}
logs=$(mktemp -d "${TMPDIR:-/tmp}/colbench-stress-signals.XXXXXX")

command -v stress-ng >/dev/null 2>&1 || sh scripts/apt-install.sh scripts/stress_signals.sh stress-ng
# Copies, named colbench as the tests expect to see them in ps.
for kind in plain hooked; do
	if [[ $kind == plain ]]; then bin=${PLAIN:-colbench}; else bin=${HOOKED:-build-asan/colbench}; fi
	[[ -x $bin ]] || { echo "stress_signals.sh: no $bin: run make and make asan" >&2; exit 2; }
	mkdir -p "$logs/$kind" && cp "$bin" "$logs/$kind/colbench"
done
PLAIN=$logs/plain/colbench HOOKED=$logs/hooked/colbench

stress-ng --cpu "$(nproc)" --vm 1 --vm-bytes 256M --timeout 0 --quiet &
stress=$!
trap 'kill "$stress" 2>/dev/null; wait "$stress" 2>/dev/null' EXIT
trap 'exit 130' INT TERM HUP

passed=0
started=$(date +%s)
for ((round = 1; round <= ROUNDS; round++)); do
	if ((round % 2)); then bin=$PLAIN; else bin=$HOOKED; fi
	# SIGHUP ignored, as the runner had it; the tests must not inherit it.
	if COLBENCH=$bin HOOKED_COLBENCH=$HOOKED perl -e '$SIG{HUP} = "IGNORE"; exec @ARGV or exit 127' \
		bats -f "$FILTER" tests/cli/signals.bats >"$logs/round-$round.log" 2>&1; then
		passed=$((passed + 1))
		rm -f "$logs/round-$round.log"
	else
		echo "round $round ($bin): failed, see $logs/round-$round.log"
	fi
	if ((round % 20 == 0)); then
		echo "# $round rounds, $passed passed, $(($(date +%s) - started)) s"
	fi
done
echo "$passed of $ROUNDS rounds passed ($(nproc) CPUs loaded by stress-ng --cpu $(nproc) --vm 1," \
	"SIGHUP ignored by the caller, $(($(date +%s) - started)) s; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
[[ $passed -eq $ROUNDS ]] && rm -rf "$logs"
[[ $passed -eq $ROUNDS ]]

#!/bin/sh
# Run every part of the test suite and count its results.  Each argument is
# one part: a command line (run by sh -c) that speaks TAP, such as a cmocka
# unit test binary, the fuzz target's driver, bats over tests/cli, or the
# sanitizer and static-check drivers.  make test gives the list.
#
# One count covers the whole suite; skipped tests ("ok N ... # skip") are
# counted apart, and the last line is "N passed, N failed".  A part that
# exits non-zero without a failing TAP line (it crashed, or could not
# start), that plans no test, or whose results do not add up to its plan
# ("1..N": it stopped half-way), counts as one failure.
set -u

passed=0
failed=0
skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# cmocka speaks TAP when asked.
CMOCKA_MESSAGE_OUTPUT=TAP
export CMOCKA_MESSAGE_OUTPUT

for part in "$@"; do
	echo "# $part"
	started=$(date +%s)
	sh -c "$part" >"$log" 2>&1
	rc=$?
	cat "$log"
	# How long each part took: make test must stay well under 20 minutes.
	echo "# $(($(date +%s) - started)) s: $part"
	s=$(grep -ciE '^ok [^#]*# skip' "$log")
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	# The plans ("1..N"; a cmocka binary prints one per group), summed.
	planned=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' "$log" | awk '{ n += $1 } END { print n + 0 }')
	skipped=$((skipped + s))
	passed=$((passed + p - s))
	failed=$((failed + f))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - '$part' exited with status $rc"
		failed=$((failed + 1))
	elif [ "$planned" -eq 0 ]; then
		echo "not ok - '$part' planned no test (no '1..N' line, or 1..0)"
		failed=$((failed + 1))
	elif [ $((p + f)) -ne "$planned" ]; then
		echo "not ok - '$part' reported $((p + f)) of the $planned tests it planned"
		failed=$((failed + 1))
	fi
done

[ "$skipped" -eq 0 ] || echo "# $skipped skipped (each says why above)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

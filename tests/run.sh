#!/bin/sh
# Run every part of the test suite and count its results.  Each argument is
# one part: a command line (run by sh -c) that speaks TAP, such as a cmocka
# unit test binary, the fuzz target's driver, bats over tests/cli, or the
# sanitizer and static-check drivers.  make test gives the list.
#
# One count covers the whole suite; skipped tests ("ok N ... # skip") are
# counted apart, and the last line is "N passed, N failed".  A part that
# exits non-zero without a failing TAP line (it crashed, or could not
# start), or that reports no test at all, counts as one failure.
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
	sh -c "$part" >"$log" 2>&1
	rc=$?
	cat "$log"
	s=$(grep -ciE '^ok [^#]*# skip' "$log")
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	skipped=$((skipped + s))
	passed=$((passed + p - s))
	failed=$((failed + f))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - '$part' exited with status $rc"
		failed=$((failed + 1))
	elif [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - '$part' ran no test"
		failed=$((failed + 1))
	fi
done

[ "$skipped" -eq 0 ] || echo "# $skipped skipped (each says why above)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

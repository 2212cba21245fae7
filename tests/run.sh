#!/bin/sh
# Run every test: the cmocka unit test binaries given as arguments, the fuzz
# target over its corpus (FUZZ="BINARY CORPUS RUNS"), then the bats
# command-line tests.  Both speak TAP here, so one count covers the
# whole suite; the last line is "N passed, N failed".
set -u

passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# count FILE: add FILE's TAP results to the totals; echo how many failed.
count() {
	p=$(grep -c '^ok ' "$1")
	f=$(grep -c '^not ok ' "$1")
	passed=$((passed + p))
	failed=$((failed + f))
}

for bin in "$@"; do
	echo "# $bin"
	CMOCKA_MESSAGE_OUTPUT=TAP "$bin" >"$log" 2>&1
	rc=$?
	cat "$log"
	count "$log"
	if [ "$rc" -ne 0 ] && ! grep -q '^not ok ' "$log"; then
		echo "not ok - $bin exited with status $rc"
		failed=$((failed + 1))
	fi
done

if [ -n "${FUZZ:-}" ]; then
	echo "# tests/fuzz"
	# shellcheck disable=SC2086
	sh tests/fuzz/run.sh $FUZZ >"$log" 2>&1
	cat "$log"
	count "$log"
fi

echo "# tests/cli (bats)"
bats --tap tests/cli >"$log" 2>&1
rc=$?
cat "$log"
count "$log"
if [ "$rc" -ne 0 ] && ! grep -q '^not ok ' "$log"; then
	echo "not ok - bats exited with status $rc"
	failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

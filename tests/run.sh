#!/bin/sh
# Run every test: the cmocka unit test binaries given as arguments, the fuzz
# target over its corpus (FUZZ="BINARY CORPUS RUNS"), the static checks
# (cppcheck and clang-tidy; STATIC=0 leaves them out), then the bats
# command-line tests.  All speak TAP here, so one count covers the
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

# part NAME COMMAND...: run one part of the suite, show its TAP and count
# it; a part that fails without a "not ok" line is one failure more.
part() {
	name=$1
	shift
	"$@" >"$log" 2>&1
	rc=$?
	cat "$log"
	count "$log"
	if [ "$rc" -ne 0 ] && ! grep -q '^not ok ' "$log"; then
		echo "not ok - $name exited with status $rc"
		failed=$((failed + 1))
	fi
}

for bin in "$@"; do
	echo "# $bin"
	part "$bin" env CMOCKA_MESSAGE_OUTPUT=TAP "$bin"
done

if [ -n "${FUZZ:-}" ]; then
	echo "# tests/fuzz"
	# shellcheck disable=SC2086
	part tests/fuzz/run.sh sh tests/fuzz/run.sh $FUZZ
fi

if [ "${STATIC:-1}" != 0 ]; then
	echo "# tests/static (cppcheck, clang-tidy)"
	part tests/static/run.sh sh tests/static/run.sh
fi

echo "# tests/cli (bats)"
part bats bats --tap tests/cli

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

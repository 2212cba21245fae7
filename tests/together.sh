#!/bin/sh
# together.sh PART PART...: run parts of the suite (each a command line
# that speaks TAP, as tests/run.sh takes them) at the same time, then print
# each one's output whole, in order; the status is the first failing
# part's, or 0.  For make test: registry.bats's nested quick suite (one
# test of three minutes, on the plain build alone) runs beside the
# command-line suite on the ASan build, so that the 2-CPU runner's second
# CPU is not idle for it; every test must pass on a busy machine anyway
# (CONTRIBUTING.md), and tests/run.sh counts the merged TAP as one part.
set -u

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
i=0
pids=""
for part in "$@"; do
	i=$((i + 1))
	sh -c "$part" >"$logs/$i" 2>&1 &
	pids="$pids $!"
done
status=0
i=0
for pid in $pids; do
	i=$((i + 1))
	wait "$pid" || { rc=$?; [ "$status" -ne 0 ] || status=$rc; }
done
i=0
for part in "$@"; do
	i=$((i + 1))
	echo "# together: $part"
	cat "$logs/$i"
done
exit "$status"

#!/bin/sh
# The fuzz target in make test: every file of the corpus once, then a short
# bounded fuzzing run from it, under ASan and UBSan.  Prints TAP lines.
# Usage: run.sh FUZZER CORPUS_DIR RUNS
set -u
fuzzer=$1 corpus=$2 runs=$3
log=$(mktemp)
work=$(mktemp -d)
trap 'rm -rf "$log" "$work"' EXIT

echo "1..2"
if "$fuzzer" "$corpus"/* >"$log" 2>&1; then
	echo "ok - fuzz_npy_header: every corpus file ($(find "$corpus" -type f | wc -l)) parses cleanly"
else
	echo "not ok - fuzz_npy_header on the corpus"
	sed 's/^/# /' "$log" | tail -n 30
fi
if "$fuzzer" -runs="$runs" -max_len=12000 -seed=1 "$work" "$corpus" >"$log" 2>&1; then
	echo "ok - fuzz_npy_header: $runs fuzzed inputs, no crash, leak or undefined behaviour"
else
	echo "not ok - fuzz_npy_header found a failing input"
	sed 's/^/# /' "$log" | tail -n 30
fi

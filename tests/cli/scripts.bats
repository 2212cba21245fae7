#!/usr/bin/env bats
# The scripts for comparing core counts: scaling.sh, hyperfine.sh and
# plot.sh write their files, the CSV has a row per strategy and worker
# count, the PNG is a valid PNG; they say which tool is missing; and every
# shell script of the project is shellcheck-clean.

load helpers

TINY=(--rows 300 --cols 100 --number 2 --repeat 2)

setup() {
	colbench_setup
	OUT=$BATS_TEST_TMPDIR/out
}

# assert_png FILE: a PNG signature, an IHDR with a non-zero size, an IEND.
assert_png() {
	/usr/bin/python3 - "$1" <<'PY'
import struct, sys
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'no PNG signature'
assert data[12:16] == b'IHDR', 'no IHDR'
width, height = struct.unpack('>II', data[16:24])
assert width > 0 and height > 0, 'empty image'
assert data[-8:-4] == b'IEND', 'no IEND: truncated'
PY
}

# csv_rows FILE: data rows of a CSV (without its header).
csv_rows() {
	tail -n +2 "$1" | grep -c .
}

@test "scaling.sh writes the JSON, the CSV and a valid PNG, a row per strategy and worker count" {
	run --separate-stderr bash "$ROOT/scripts/scaling.sh" "${TINY[@]}" --workers 1,2,3 --out "$OUT"
	assert_success
	assert_equal "${#lines[@]}" 3
	local json=${lines[0]} csv=${lines[1]} png=${lines[2]}
	assert_regex "$json" "^$OUT/scaling-[a-zA-Z0-9-]+-[0-9-]+T[0-9]+\\.json$"
	[[ -s $json && -s $csv && -s $png ]]
	# A single-worker strategy once, each parallel one three times.
	assert_equal "$(csv_rows "$csv")" "$(all_results 3)"
	assert_equal "$(head -c 8 "$csv")" "command,"
	jq -e --argjson n "$(all_results 3)" '.results | length == $n' "$json"
	assert_png "$png"
}

@test "scaling.sh sweeps 1, 2, 4, ... and the CPU count by default" {
	run --separate-stderr bash "$ROOT/scripts/scaling.sh" "${TINY[@]}" --no-limit --out "$OUT"
	assert_success
	local want
	want=$(jq -n --argjson n "$(getconf _NPROCESSORS_ONLN)" \
		'[1] + [range(1; 20) | pow(2; .) | select(. < $n)] + (if $n > 1 then [$n] else [] end)
		 | map(floor) | unique')
	assert_equal "$(jq -c '[.results[] | select(.strategy == "pthread") | .workers]' "${lines[0]}")" \
		"$(jq -c . <<<"$want")"
}

@test "scaling.sh --cpus runs each point under taskset on that many CPUs" {
	[[ $(getconf _NPROCESSORS_ONLN) -ge 2 ]] || skip "needs 2 CPUs"
	run --separate-stderr bash "$ROOT/scripts/scaling.sh" "${TINY[@]}" --cpus 1,2 --out "$OUT"
	assert_success
	jq -e '.cpus == [1, 2]' "${lines[0]}"
	# Every strategy on 1 CPU, then the parallel ones on 2.
	jq -e --arg want "${ALL_STRATEGIES[*]} ${ALL_PARALLEL[*]}" '[.results[] | .strategy] == ($want | split(" "))' "${lines[0]}"
	assert_equal "$(csv_rows "${lines[1]}")" "$(all_results 2)"
	assert_png "${lines[2]}"
	run --separate-stderr bash "$ROOT/scripts/scaling.sh" "${TINY[@]}" --cpus 999 --out "$OUT"
	assert_failure 2
	assert_regex "$stderr" "scaling.sh: --cpus 999: this machine has [0-9]+ CPUs"
}

@test "hyperfine.sh times whole processes and writes hyperfine's JSON, its Markdown and a PNG" {
	run --separate-stderr bash "$ROOT/scripts/hyperfine.sh" "${TINY[@]:0:4}" --workers 1,2 \
		--runs 2 --out "$OUT"
	# hyperfine's own words are on stderr: their end says why it failed.
	((status == 0)) || fail "status $status; the end of stderr: $(tail -n 15 <<<"$stderr")"
	local json=${lines[0]} md=${lines[1]} png=${lines[2]}
	# Every strategy of --strategy all (the registry's) x 2 worker counts.
	local n=$((${#ALL_STRATEGIES[@]} * 2))
	jq -e --argjson n "$n" '.results | length == $n' "$json"
	jq -e --arg want "${ALL_STRATEGIES[*]}" '[.results[] | .parameters.strategy] | unique == ($want | split(" ") | unique)' "$json"
	jq -e 'all(.results[]; (.times | length) == 2 and all(.exit_codes[]; . == 0))' "$json"
	assert_equal "$(grep -c '^| `' "$md")" "$n"
	assert_png "$png"
}

@test "plot.sh draws several machines' reports on one plot; a foreign file is refused" {
	"$COLBENCH" "${TINY[@]}" --workers 1,2 --format json >"$BATS_TEST_TMPDIR/a.json" 2>/dev/null
	"$COLBENCH" "${TINY[@]}" --workers 1,2 --format json --no-limit >"$BATS_TEST_TMPDIR/b.json" 2>/dev/null
	run --separate-stderr bash "$ROOT/scripts/plot.sh" --out "$BATS_TEST_TMPDIR/ab.png" \
		"$BATS_TEST_TMPDIR/a.json" "$BATS_TEST_TMPDIR/b.json"
	assert_success
	assert_png "$BATS_TEST_TMPDIR/ab.png"
	echo '{"x": 1}' >"$BATS_TEST_TMPDIR/x.json"
	run --separate-stderr bash "$ROOT/scripts/plot.sh" "$BATS_TEST_TMPDIR/x.json"
	assert_failure 2
	assert_equal "$stderr" "plot.sh: $BATS_TEST_TMPDIR/x.json: not a colbench or hyperfine JSON report"
}

@test "plot.sh draws a hyperfine report whose minimum is 0 (a loaded machine), without a speedup" {
	# hyperfine subtracts its shell's start-up; under load a minimum can be 0.
	cat >"$BATS_TEST_TMPDIR/h.json" <<'EOF'
{"results": [
 {"command": "seq", "parameters": {"strategy": "seq", "workers": "1"}, "mean": 0.002, "min": 0.0},
 {"command": "fork", "parameters": {"strategy": "fork", "workers": "2"}, "mean": 0.003, "min": 0.0}]}
EOF
	run --separate-stderr bash "$ROOT/scripts/plot.sh" --out "$BATS_TEST_TMPDIR/h.png" "$BATS_TEST_TMPDIR/h.json"
	assert_success
	assert_png "$BATS_TEST_TMPDIR/h.png"
}

@test "a missing tool is named, with the package that brings it" {
	# Every command of /usr/bin but gnuplot.
	mkdir "$BATS_TEST_TMPDIR/bin"
	local f
	for f in /usr/bin/* /bin/*; do
		[[ $(basename "$f") == gnuplot* ]] || ln -sf "$f" "$BATS_TEST_TMPDIR/bin/" 2>/dev/null || true
	done
	"$COLBENCH" "${TINY[@]}" --format json >"$BATS_TEST_TMPDIR/a.json" 2>/dev/null
	run --separate-stderr env PATH="$BATS_TEST_TMPDIR/bin" bash "$ROOT/scripts/plot.sh" "$BATS_TEST_TMPDIR/a.json"
	assert_failure 2
	assert_equal "$stderr" "plot.sh: needs gnuplot: install it with 'apt-get install gnuplot-nox' (or run make test-deps)"
}

@test "every shell script is shellcheck-clean" {
	cd "$ROOT"
	run shellcheck -x scripts/*.sh tests/run.sh tests/together.sh tests/*/run.sh tests/cli/malformed.bash .ci/run
	assert_success
}

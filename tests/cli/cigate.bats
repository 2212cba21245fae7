#!/usr/bin/env bats
# scripts/ci-gate.sh, the CI recipe, played as a CI job plays it: three
# successive "commits" in one workspace, each restoring the baseline and
# the series the last one left: the first makes the baseline, the second
# is the same build (a pass, or inconclusive on a busy runner), the third a
# slower build of the same code (-O0: the kernels 20x slower here), which
# must fail the job with status 1.

load helpers

GATE=$ROOT/scripts/ci-gate.sh

setup_file() {
	# The slower commit: the same tree built without optimisation.
	if ! grep -qa __asan_init "$COLBENCH"; then
		make -C "$ROOT" --no-print-directory BUILD="$BATS_FILE_TMPDIR/slow" CFLAGS=-O0 \
			"$BATS_FILE_TMPDIR/slow/colbench" >/dev/null 2>&1
	fi
}

setup() {
	colbench_setup
	skip_under_asan "its verdicts time the runs; under ASan they swing tenfold"
	[[ -x $BATS_FILE_TMPDIR/slow/colbench ]] || fail "the -O0 build was not made"
	JOB=$BATS_TEST_TMPDIR/job
	mkdir -p "$JOB"
	cd "$JOB"
	GATE_OPTS=(--rows 2000 --cols 1000 --strategy seq,pthread --workers 2 --number 10 --repeat 3
		--processes 5 --no-limit --threshold 60)
}

@test "three commits through ci-gate.sh: the baseline made, the same build passes, a slower one fails" {
	# Commit 1: no baseline yet; its report becomes the baseline.
	run --separate-stderr bash "$GATE" --baseline ci/baseline.json --reports reports \
		--label c1 --history "${GATE_OPTS[@]}"
	[[ $status -eq 0 ]] || fail "commit 1: status $status: $stderr"
	assert_regex "$stderr" "no baseline at ci/baseline.json: this report becomes it"
	[[ -s ci/baseline.json ]] || fail "no baseline made"
	assert_equal "$(jq -r .label ci/baseline.json)" c1
	assert_equal "$(ls reports | wc -l)" 1
	grep -q '^| `seq --workers 1`' colbench-summary.md || fail "no results table: $(cat colbench-summary.md)"
	# Commit 2: the same build, against it.
	run --separate-stderr bash "$GATE" --baseline ci/baseline.json --reports reports \
		--label c2 --history "${GATE_OPTS[@]}"
	[[ $status -eq 0 || $status -eq 5 ]] || fail "commit 2 (unchanged): status $status: $stderr $(cat colbench-summary.md)"
	assert_equal "$(ls reports | wc -l)" 2
	assert_equal "$(jq -r .label ci/baseline.json)" c1 # the baseline stays
	grep -qE 'no change|within noise|inconclusive' colbench-summary.md ||
		fail "no verdicts in the summary: $(cat colbench-summary.md)"
	grep -q '^### colbench history: 2 reports' colbench-summary.md || fail "no history table"
	# Commit 3: a slower build of the same code.
	run --separate-stderr env COLBENCH="$BATS_FILE_TMPDIR/slow/colbench" bash "$GATE" \
		--baseline ci/baseline.json --reports reports --label c3 --history "${GATE_OPTS[@]}"
	[[ $status -eq 1 ]] || fail "commit 3 (20x slower): status $status: $stderr $(cat colbench-summary.md)"
	grep -q 'regressed' colbench-summary.md || fail "no regression in the summary: $(cat colbench-summary.md)"
	assert_equal "$(ls reports | wc -l)" 3
	assert_equal "$(jq -r '[.label, .build.cflags] | @tsv' reports/*-c3.json)" "c3	-O0"
}

@test "ci-gate.sh keeps the last --keep reports; its own mistakes are status 2, one line" {
	run --separate-stderr bash "$GATE" --reports reports --label x
	assert_failure 2
	assert_equal "$stderr" "ci-gate.sh: needs --baseline FILE (--help)"
	run --separate-stderr bash "$GATE" --baseline b.json --reports reports --label 'a b'
	assert_failure 2
	assert_equal "$stderr" "ci-gate.sh: --label: 'a b' is not a name (letters, digits, ._+-)"
	run --separate-stderr bash "$GATE" --baseline b.json --reports reports --label x --output y.json
	assert_failure 2
	mkdir -p reports
	local i
	for i in 1 2 3 4; do touch "reports/2026010${i}T000000-old$i.json"; done
	run --separate-stderr bash "$GATE" --baseline b.json --reports reports --label new --keep 2 \
		--rows 200 --cols 50 --strategy seq --number 2 --repeat 2 --processes 3 --no-limit
	assert_success
	assert_equal "$(ls reports | sed 's/^[0-9T]*-//' | sort | paste -sd,)" "new.json,old4.json"
}

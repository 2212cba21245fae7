#!/usr/bin/env bats
# Comparisons that a CI gate can rely on: a saved report of a million runs
# is read in blocks and compared in n log n (seconds, not hours), a signal
# ends colbench within 1 s while it does so, and a comparison that compares
# nothing is never a pass.

load helpers

QUICK=(--rows 200 --cols 100 --number 1 --repeat 5 --no-limit)

setup() {
	session_setup
}

teardown() {
	kill_session
}

# huge_report FILE: a real seq report whose result holds a million runs
# (22 MB of JSON).
huge_report() {
	"$COLBENCH" "${QUICK[@]}" --strategy seq --output "$OUT/small.json" >/dev/null 2>&1 ||
		fail "cannot make the small report"
	/usr/bin/python3 - "$OUT/small.json" "$1" <<'PY'
import json, random, sys
r = json.load(open(sys.argv[1]))
res = r['results'][0]
random.seed(1)
res['times'] = [1e-3 * (1 + 0.1 * random.random()) for _ in range(1000000)]
res['runs'] = len(res['times'])
res['run_process'] = [i % 1000 for i in range(len(res['times']))]  # a thousand processes
res.pop('run_disturbance', None)
res['mean'] = sum(res['times']) / len(res['times'])
json.dump(r, open(sys.argv[2], 'w'))
PY
}

@test "a report of a million runs is read and compared in seconds, with a verdict" {
	huge_report "$OUT/huge.json"
	# It took over 9 minutes of CPU before (a read() per byte, then an
	# insertion sort of the two million pooled runs).
	run --separate-stderr timeout 60 "$COLBENCH" compare "$OUT/huge.json" "$OUT/huge.json"
	assert_success
	assert_line --regexp '^seq +1 .* no change$'
}

@test "SIGTERM while a million-run report is read or compared: status 143 within 1 s" {
	huge_report "$OUT/huge.json"
	local delay
	for delay in 0.05 0.5; do
		start_in_session compare "$OUT/huge.json" "$OUT/huge.json"
		sleep "$delay"
		alive "$CB_COLBENCH" || skip "colbench compared the reports within $delay s on this machine"
		signal_colbench TERM
		wait_for_exit 20
		assert_interrupted SIGTERM 143
	done
}

@test "a baseline with none of this run's worker counts is not a pass: status 2, after the report" {
	"$COLBENCH" "${QUICK[@]}" --strategy pthread --workers 2 --output "$OUT/base.json" >/dev/null 2>&1
	run --separate-stderr "$COLBENCH" "${QUICK[@]}" --strategy pthread --workers 1 \
		--baseline "$OUT/base.json" --format json
	assert_equal "$status" 2
	assert_regex "${stderr_lines[-1]}" "^colbench: nothing was compared: the baseline $OUT/base\\.json has none of the 1 strategy and worker count compared here$"
	assert_regex "$stderr" "colbench: warning: pthread with 1 workers is not in the baseline: not compared"
	# The report is still written, and says what the baseline lacked.
	printf '%s\n' "$output" | jq -e '.baseline.comparisons == [] and
		.baseline.not_in_baseline == [{"strategy": "pthread", "workers": 1}]' >/dev/null ||
		fail "the JSON does not list what the baseline lacks: $(printf '%s\n' "$output" | jq -c .baseline)"
}

@test "a baseline missing some pairs: the rest compared, the missing ones on stderr and in the JSON" {
	"$COLBENCH" "${QUICK[@]}" --strategy seq,pthread --workers 2 --output "$OUT/base.json" >/dev/null 2>&1
	run --separate-stderr "$COLBENCH" "${QUICK[@]}" --strategy seq,pthread --workers 1,2 \
		--baseline "$OUT/base.json" --format json --threshold 1000
	assert_success
	assert_regex "$stderr" "pthread with 1 workers is not in the baseline: not compared"
	printf '%s\n' "$output" | jq -e '(.baseline.comparisons | map([.strategy, .workers])) == [["seq", 1], ["pthread", 2]] and
		.baseline.not_in_baseline == [{"strategy": "pthread", "workers": 1}]' >/dev/null ||
		fail "wrong pairs: $(printf '%s\n' "$output" | jq -c .baseline)"
}

@test "colbench compare with an empty results list on either side: status 2, said" {
	"$COLBENCH" "${QUICK[@]}" --strategy seq --output "$OUT/r.json" >/dev/null 2>&1
	jq '.results = []' "$OUT/r.json" >"$OUT/empty.json"
	run --separate-stderr "$COLBENCH" compare "$OUT/r.json" "$OUT/empty.json"
	assert_equal "$status" 2
	assert_regex "${stderr_lines[-1]}" '^colbench: nothing was compared: the new report has no result$'
	run --separate-stderr "$COLBENCH" compare "$OUT/empty.json" "$OUT/r.json"
	assert_equal "$status" 2
	assert_regex "${stderr_lines[-1]}" "^colbench: nothing was compared: the baseline $OUT/empty\\.json has no result$"
	run --separate-stderr "$COLBENCH" compare --format json "$OUT/empty.json" "$OUT/r.json"
	assert_equal "$status" 2
	printf '%s\n' "$output" | jq -e '.baseline.not_in_baseline == [{"strategy": "seq", "workers": 1}]' >/dev/null ||
		fail "the JSON does not list the uncompared result"
}

@test "a baseline nested hundreds of levels deep is refused (status 2), even on a 32 kB stack" {
	"$COLBENCH" "${QUICK[@]}" --strategy seq --output "$OUT/r.json" >/dev/null 2>&1
	/usr/bin/python3 -c 'import sys; n = 400; open(sys.argv[1], "w").write("{\"results\": " + "[" * n + "]" * n + "}")' "$OUT/deep.json"
	run --separate-stderr env -i PATH=/usr/bin:/bin bash -c 'ulimit -Ss 32 && exec "$0" "$@"' \
		"$COLBENCH" compare "$OUT/deep.json" "$OUT/r.json"
	assert_one_line_error 2 "deep\\.json: not a colbench report \\(nested deeper than 64 levels\\)$"
}

@test "a result of more runs than colbench makes (1,000,001) is not a colbench report" {
	"$COLBENCH" "${QUICK[@]}" --strategy seq --output "$OUT/r.json" >/dev/null 2>&1
	jq '.results[0].times = [range(1000001) | 0.001]' "$OUT/r.json" >"$OUT/many.json"
	run --separate-stderr "$COLBENCH" compare "$OUT/many.json" "$OUT/r.json"
	assert_one_line_error 2 "many\\.json: not a colbench report \\(result 1 lacks strategy, workers, or positive mean and 1 to 1000000 times, or its run_process or run_disturbance do not match them\\)$"
}

# assert_calibrated STATUS: after `run` of colbench calibrate (text): a
# suggestion (status 0) or, where the machine was too busy for the pairs to
# be judged (status 5), the reason and nothing suggested; never a
# suggestion made from no evidence.
assert_calibrated() {
	if [[ $status -eq 5 ]]; then
		assert_line --regexp '^nothing suggested: seq with 1 worker was judged in [0-9]+ of [0-9]+ A/A pairs, and a suggestion needs [0-9]+ '
		refute_line --regexp '^suggested --'
	else
		assert_success
		assert_line --regexp '^suggested --threshold: [0-9]+ '
	fi
}

@test "colbench calibrate prints the false-alarm rate and the smallest slowdown it detects; json for scripts" {
	run --separate-stderr timeout 120 "$COLBENCH" calibrate --rows 300 --cols 200 --strategy seq \
		--pairs 2 --processes 3 --repeat 2
	assert_calibrated
	assert_line --regexp '^false alarms: [0-2] of 2 pairs regressed \([0-9]+%\); [0-2] inconclusive$'
	assert_line --regexp '^seq +1 .* [0-2] +([0-9]+\.[0-9]%|-) +(a slowdown of \+[0-9.]+%|no slowdown up to \+400%|- \(too few judged pairs\))$'
	assert_line --regexp '^colbench calibrate: 2 A/A pairs .* threshold 5\.0%, drift 2\.0%, [0-9]+ s$'
	run --separate-stderr timeout 120 "$COLBENCH" calibrate --rows 300 --cols 200 --strategy seq \
		--pairs 2 --processes 3 --repeat 2 --format json
	[[ $status -eq 0 || $status -eq 5 ]] || fail "status $status: $stderr"
	echo "$output" | jq -e '.pairs == 2 and (.false_alarm_rate | type == "number") and
		(.results[0].strategy == "seq") and .pairs_needed == 2 and
		(if .no_suggestion then .suggested_threshold_percent == null and
			.results[0].judged_pairs < 2 and $status == 5
		 else .suggested_threshold_percent >= 1 and .results[0].judged_pairs == 2 and $status == 0
		 end)' --argjson status "$status"
	run --separate-stderr "$COLBENCH" --pairs 2 --rows 300 --cols 200
	assert_one_line_error 2 "--pairs applies to colbench calibrate"
	# Its copies sample as a saved report does (10 processes of 3 runs)
	# though their command line saves nothing: the intervals exist.
	run --separate-stderr timeout 120 "$COLBENCH" calibrate --rows 300 --cols 200 --strategy seq \
		--pairs 1 --format json
	if [[ $status -eq 5 ]]; then # the one pair met other work
		echo "$output" | jq -e '.processes == 10 and .runs_per_process == 3 and
			.results[0].judged_pairs == 0 and (.no_suggestion | test("judged in 0 of 1"))'
	else
		assert_success
		echo "$output" | jq -e '.processes == 10 and .runs_per_process == 3 and
			(.results[0].aa_ci_low_min | type == "number") and
			(.results[0].drift >= 0) and (.suggested_drift_percent >= 0) and
			(.suggested_drift_percent * 2 | . == floor) and .drift_percent == 2'
	fi
}

@test "calibrate on CPUs busy with other work suggests nothing and ends with status 5" {
	# Every usable CPU busy with a loop of its own; autoranged copies, so
	# each process's runs last long enough to be judged.
	local pids=() i
	for i in $(seq "$(nproc)"); do
		sh -c 'while :; do :; done' &
		pids+=($!)
	done
	run --separate-stderr timeout 120 "$COLBENCH" calibrate --rows 300 --cols 200 --strategy seq \
		--pairs 2 --processes 2 --repeat 2 --format json
	kill "${pids[@]}"
	assert_failure 5
	echo "$output" | jq -e '.suggested_threshold_percent == null and .suggested_drift_percent == null and
		.results[0].judged_pairs < 2 and .results[0].detectable_slowdown == null and
		(.no_suggestion | test("^seq with 1 worker was judged in [01] of 2 A/A pairs, and a suggestion needs 2 "))'
}

@test "calibrate draws the sampler's 'process k of n' line on a terminal, under each report's line" {
	command -v script >/dev/null || skip "script (util-linux) is not installed"
	script -qfec "'$COLBENCH' calibrate --rows 200 --cols 100 --strategy seq --number 2 --repeat 2 \
		--processes 3 --pairs 1 --no-limit 2>&1" /dev/null >"$BATS_TEST_TMPDIR/tty" </dev/null
	grep -q 'colbench: calibrate: report 2 of 2' "$BATS_TEST_TMPDIR/tty"
	grep -qE $'\r\033\\[Kcolbench: process 1 of 3' "$BATS_TEST_TMPDIR/tty"
	grep -qE $'\r\033\\[Kcolbench: process 3 of 3, about [0-9]+ s left' "$BATS_TEST_TMPDIR/tty"
	# -q: none of it.
	script -qfec "'$COLBENCH' calibrate -q --rows 200 --cols 100 --strategy seq --number 2 --repeat 2 \
		--processes 3 --pairs 1 --no-limit 2>&1" /dev/null >"$BATS_TEST_TMPDIR/tty" </dev/null
	if grep -qE 'process 1 of 3|report 1 of 2' "$BATS_TEST_TMPDIR/tty"; then
		fail "a progress line under -q: $(cat -v "$BATS_TEST_TMPDIR/tty")"
	fi
}

@test "a fresh run on CPUs busy with other work is inconclusive (status 5), never regressed" {
	# Autoranged, so each process's runs last 0.4 s: long enough to judge.
	"$COLBENCH" --rows 300 --cols 200 --strategy seq --processes 3 \
		--output "$BATS_TEST_TMPDIR/base.json" -q >/dev/null 2>&1
	# Every usable CPU busy with a loop of its own, for the fresh run only.
	local pids=() i
	for i in $(seq "$(nproc)"); do
		sh -c 'while :; do :; done' &
		pids+=($!)
	done
	run --separate-stderr "$COLBENCH" --rows 300 --cols 200 --strategy seq --processes 3 \
		--baseline "$BATS_TEST_TMPDIR/base.json" -q
	kill "${pids[@]}"
	assert_failure 5
	assert_regex "$stderr" "seq with 1 workers: inconclusive: the new runs met other work"
	assert_line --regexp '^seq +1 .* inconclusive \(the new runs met other work\)$'
}

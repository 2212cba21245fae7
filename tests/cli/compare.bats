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
res['min'], res['max'] = min(res['times']), max(res['times'])  # a report's own agree
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
		--pairs 2 --processes 3 --repeat 2 --format json
	kill "${pids[@]}"
	assert_failure 5
	echo "$output" | jq -e '.suggested_threshold_percent == null and .suggested_drift_percent == null and
		.results[0].judged_pairs < 2 and .results[0].detectable_slowdown == null and
		(.no_suggestion | test("^seq with 1 worker was judged in [01] of 2 A/A pairs, and a suggestion needs 2 \\(the others were inconclusive: (the (new|baseline.s) runs met other work|too few undisturbed processes)\\)$"))'
}

@test "calibrate draws the sampler's 'process k of n' line on a terminal, under each report's line" {
	command -v script >/dev/null || skip "script (util-linux) is not installed"
	# Status 5 where the one pair met other work (a busy machine): the
	# lines are drawn all the same.
	script -qfc "'$COLBENCH' calibrate --rows 200 --cols 100 --strategy seq --number 2 --repeat 2 \
		--processes 3 --pairs 1 --no-limit 2>&1; echo \"status \$?\"" /dev/null \
		>"$BATS_TEST_TMPDIR/tty" </dev/null
	grep -qE '^status (0|5)' "$BATS_TEST_TMPDIR/tty" || fail "$(cat -v "$BATS_TEST_TMPDIR/tty")"
	grep -q 'colbench: calibrate: report 2 of 2' "$BATS_TEST_TMPDIR/tty"
	grep -qE $'\r\033\\[Kcolbench: process 1 of 3' "$BATS_TEST_TMPDIR/tty"
	grep -qE $'\r\033\\[Kcolbench: process 3 of 3, about [0-9]+ s left' "$BATS_TEST_TMPDIR/tty"
	# -q: none of it.
	script -qfc "'$COLBENCH' calibrate -q --rows 200 --cols 100 --strategy seq --number 2 --repeat 2 \
		--processes 3 --pairs 1 --no-limit 2>&1; echo \"status \$?\"" /dev/null \
		>"$BATS_TEST_TMPDIR/tty" </dev/null
	grep -qE '^status (0|5)' "$BATS_TEST_TMPDIR/tty" || fail "$(cat -v "$BATS_TEST_TMPDIR/tty")"
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

# made_report FILE PYTHON: a real seq report (for its fields), its result
# rewritten by hand so that no load decides a verdict: 10 processes of 3
# runs at fixed levels (1.00-1.09 ms, each run within 0.5%), none
# disturbed, then PYTHON run on r (the report) and res (its result).
made_report() {
	[[ -s $OUT/template.json ]] ||
		"$COLBENCH" "${QUICK[@]}" --strategy seq --processes 3 --output "$OUT/template.json" \
			>/dev/null 2>&1 || fail "cannot make the template report"
	/usr/bin/python3 - "$OUT/template.json" "$1" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
res = r['results'][0]
res['times'] = [1e-3 * (1 + 0.01 * (i // 3)) * (0.997, 1.0, 1.004)[i % 3] for i in range(30)]
res['run_process'] = [i // 3 for i in range(30)]
res['run_disturbance'] = [dict(res['run_disturbance'][0], disturbed=False) for _ in range(30)]
res['exit_codes'] = [0] * 30
res['memory_usage_byte'] = [res['memory_usage_byte'][0]] * 30
res['runs'], res['processes'], res['disturbed_runs'] = 30, 10, 0
r['sampling']['processes'], r['sampling']['disturbed_processes'] = 10, 0
exec(sys.argv[3])
res['mean'] = sum(res['times']) / len(res['times'])
res['min'], res['max'] = min(res['times']), max(res['times'])
json.dump(r, open(sys.argv[2], 'w'))
PY
}

@test "5000 processes a side are compared in n log n: within 100 MB of address space, status 0" {
	skip_under_asan "it reserves terabytes of address space for its shadow memory, so it cannot start under ulimit -v"
	# Every run its own process: the 25 million pairwise shifts took 400 MB
	# and 8 s, and under a memory limit read 'inconclusive (out of memory)'.
	made_report "$OUT/p.json" "
import random
random.seed(1)
res['times'] = [1e-3 * (1 + 0.01 * random.random()) for _ in range(5000)]
res['run_process'] = list(range(5000))
res['run_disturbance'] = [res['run_disturbance'][0]] * 5000
res['exit_codes'] = [0] * 5000
res['memory_usage_byte'] = [res['memory_usage_byte'][0]] * 5000
res['runs'] = res['processes'] = 5000"
	run --separate-stderr bash -c 'ulimit -v 100000 && exec "$0" compare "$1" "$1"' "$COLBENCH" "$OUT/p.json"
	assert_success
	assert_line --regexp '^seq +1 .* 5000/5000 +\+0\.0% .* no change$'
}

@test "a saved report whose JSON tree cannot be allocated is status 3 with the reason, not 'not JSON' (2)" {
	skip_under_asan "it reserves terabytes of address space for its shadow memory, so it cannot start under ulimit -v"
	huge_report "$OUT/huge.json"
	# jansson leaves its error empty (line -1, column -1) when a value
	# cannot be allocated.
	run --separate-stderr bash -c 'ulimit -v 60000 && exec "$0" compare "$1" "$1"' "$COLBENCH" "$OUT/huge.json"
	assert_one_line_error 3 "huge\\.json: out of memory for its JSON tree$"
}

@test "a new report that failed is status 1, saying why on its verdict line, even under -q" {
	made_report "$OUT/base.json" ""
	made_report "$OUT/unverified.json" "res['verified'] = False"
	made_report "$OUT/exit.json" "res['exit_codes'][4] = 1"
	run --separate-stderr "$COLBENCH" compare -q "$OUT/base.json" "$OUT/unverified.json"
	assert_failure 1
	assert_line --regexp '^seq +1 .* failed \(the new runs failed verification\)$'
	assert_regex "$stderr" "colbench: seq with 1 workers: failed: the new runs failed verification"
	run --separate-stderr "$COLBENCH" compare --format json "$OUT/base.json" "$OUT/exit.json"
	assert_failure 1
	echo "$output" | jq -e '.baseline.comparisons[0] | .verdict == "failed" and .reason == "a new run did not exit 0"'
	# A baseline that failed cannot say what the new runs are worth.
	run --separate-stderr "$COLBENCH" compare -q "$OUT/unverified.json" "$OUT/base.json"
	assert_failure 5
	assert_line --regexp '^seq +1 .* inconclusive \(the baseline.s runs failed verification\)$'
}

@test "reports of another kernel, colbench version or matrix are inconclusive (5), said in the verdict under -q; --baseline too" {
	made_report "$OUT/base.json" ""
	made_report "$OUT/kernel.json" "res['kernel'] = 'naive'"
	made_report "$OUT/version.json" "r['colbench'] = '0.0.9'"
	made_report "$OUT/seed.json" "r['matrix']['seed'] = 43"
	made_report "$OUT/rows.json" "r['matrix']['rows'] += 1"
	local f reason
	for f in kernel version seed rows; do
		case $f in
		kernel) reason='the kernels differ' ;;
		version) reason='the colbench versions differ' ;;
		*) reason='the matrices differ' ;;
		esac
		run --separate-stderr "$COLBENCH" compare -q "$OUT/base.json" "$OUT/$f.json"
		assert_failure 5
		assert_line --regexp "^seq +1 .* inconclusive \\($reason\\)\$"
	done
	# A fresh run against them: the same rule (it was 'regressed +71.9%',
	# status 1, for a baseline of another size, the warning hidden by -q).
	for f in version rows; do
		run --separate-stderr "$COLBENCH" "${QUICK[@]}" --strategy seq --processes 3 -q \
			--baseline "$OUT/$f.json"
		assert_failure 5
		assert_line --regexp "^seq +1 .* inconclusive \\(the (colbench versions|matrices) differ\\)\$"
	done
}

@test "implausible numbers in a saved report are bad input (2), one line naming the field" {
	made_report "$OUT/base.json" ""
	made_report "$OUT/tiny.json" "res['times'][7] = 5e-324"
	made_report "$OUT/vast.json" "res['times'][0] = 1.7e308"
	made_report "$OUT/w32.json" "res['workers'] = 4294967298"
	made_report "$OUT/wneg.json" "res['workers'] = -1"
	made_report "$OUT/mean.json" ""
	jq '.results[0].mean *= 2' "$OUT/mean.json" >"$OUT/mean2.json"
	run --separate-stderr "$COLBENCH" compare "$OUT/base.json" "$OUT/tiny.json"
	assert_one_line_error 2 "tiny\\.json: result 1: times\\[7\\] is 4\\.94066e-324 s, outside 1e-12 to 1e\\+06 s$"
	run --separate-stderr "$COLBENCH" compare "$OUT/vast.json" "$OUT/base.json"
	assert_one_line_error 2 "vast\\.json: result 1: times\\[0\\] is 1\\.7e\\+308 s, outside 1e-12 to 1e\\+06 s$"
	run --separate-stderr "$COLBENCH" compare "$OUT/w32.json" "$OUT/base.json"
	assert_one_line_error 2 "w32\\.json: result 1: workers is 4294967298, not from 1 to 1024$"
	run --separate-stderr "$COLBENCH" compare "$OUT/base.json" "$OUT/wneg.json"
	assert_one_line_error 2 "wneg\\.json: result 1: workers is -1, not from 1 to 1024$"
	run --separate-stderr "$COLBENCH" compare "$OUT/base.json" "$OUT/mean2.json"
	assert_one_line_error 2 "mean2\\.json: result 1: mean is [0-9.e-]+, but its times' mean is [0-9.e-]+$"
	# As a baseline: refused before any work.
	run --separate-stderr "$COLBENCH" --rows 100000 --cols 100000 --baseline "$OUT/tiny.json"
	assert_one_line_error 2 "tiny\\.json: result 1: times\\[7\\] is "
}

@test "a 95% interval too wide for the threshold is inconclusive (5), not 'no change'" {
	# Processes spread from 0.5 to 4 ms on both sides: a change near 0,
	# an interval of [-44%, +380%] or so, which says nothing at 5%.
	made_report "$OUT/a.json" "
levels = (0.6, 1.0, 4.0, 0.7, 2.5, 1.1, 0.5, 3.0, 0.9, 1.5)
res['times'] = [1e-3 * levels[i // 3] for i in range(30)]"
	made_report "$OUT/b.json" "
levels = (0.7, 2.5, 1.1, 0.5, 3.0, 0.9, 1.5, 0.6, 1.0, 4.0)
res['times'] = [1e-3 * levels[i // 3] for i in range(30)]"
	run --separate-stderr "$COLBENCH" compare -q "$OUT/a.json" "$OUT/b.json"
	assert_failure 5
	assert_line --regexp '^seq +1 .* inconclusive \(the interval is too wide for the threshold\)$'
	# At a threshold that wide, the same reports are judged.
	run --separate-stderr "$COLBENCH" compare --threshold 200 "$OUT/a.json" "$OUT/b.json"
	assert_success
	assert_line --regexp '^seq +1 .* no change$'
}

@test "control characters in a saved report's names reach the terminal escaped, one line each" {
	"$COLBENCH" "${QUICK[@]}" --strategy seq --output "$OUT/r.json" >/dev/null 2>&1
	jq '.results[0].strategy = "se\u001b[31mq\nX" | .matrix.seed = "4\u001b[2J2" |
		.system.cpu_model = "E\u009bPYC"' "$OUT/r.json" >"$OUT/odd.json"
	run --separate-stderr "$COLBENCH" compare "$OUT/r.json" "$OUT/odd.json"
	refute_regex "$output$stderr" $'\033|\302\233'
	assert_regex "$stderr" 'se\\x1b\[31mq\\nX with 1 workers is not in the baseline'
	assert_regex "$stderr" 'seed 4\\x1b\[2J2 \(now\)'
	assert_regex "$stderr" 'E\\xc2\\x9bPYC'
	# Every line of stderr is a colbench line: none was split.
	local line
	for line in "${stderr_lines[@]}"; do
		[[ $line == colbench:* ]] || fail "a split line: $line"
	done
}

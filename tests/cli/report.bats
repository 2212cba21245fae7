#!/usr/bin/env bats
# Reports for CI: JSON (a superset of hyperfine's) and CSV, --output files,
# baselines with verdicts and exit statuses, colbench compare, and the
# noise warnings.  Python's json and csv modules read what colbench writes.

load helpers

PYTHON=/usr/bin/python3
SMALL=(--rows 400 --cols 300 --number 3 --repeat 5 --no-limit)

setup() {
	colbench_setup
}

# check_json FILE: every field the issue lists, and times that agree with
# mean, min, max and median.
check_json() {
	"$PYTHON" - "$1" <<'PY'
import json, statistics, sys
d = json.load(open(sys.argv[1]))
assert isinstance(d['colbench'], str)
m = d['matrix']
for k in ('rows', 'cols', 'layout', 'dtype', 'bytes'):
    assert k in m, k
assert 'seed' in m or 'source' in m
s = d['system']
for k in ('cpu_model', 'online_cpus', 'kernel', 'transparent_hugepages', 'cpufreq_governor',
          'load_average', 'compiler', 'cflags', 'date'):
    assert k in s, k
assert isinstance(d['warnings'], list)
assert d['results'], 'no results'
for r in d['results']:
    for k in ('command', 'mean', 'stddev', 'median', 'min', 'max', 'times', 'user', 'system',
              'strategy', 'workers', 'loops', 'runs', 'gbps', 'speedup', 'startup',
              'max_rel_error', 'verified', 'warnings'):
        assert k in r, k
    t = r['times']
    assert len(t) == r['runs'], 'times'
    assert abs(statistics.fmean(t) - r['mean']) <= 1e-9 * r['mean'], 'mean'
    assert min(t) == r['min'] and max(t) == r['max'], 'min/max'
    assert abs(statistics.median(t) - r['median']) <= 1e-12, 'median'
    # hyperfine's stddev: the sample one (tests/cli/hyperfine.bats has more).
    assert abs(statistics.stdev(t) - r['stddev']) <= 1e-9 * r['mean'] + 1e-15, 'stddev'
    assert r['command'] == '%s --workers %d' % (r['strategy'], r['workers'])
    assert r['verified'] is True
    assert abs(r['gbps'] - m['bytes'] / r['min'] / 1e9) <= 1e-9 * r['gbps']
PY
}

@test "--format json is one JSON document with every field, hyperfine's and colbench's" {
	run --separate-stderr "$COLBENCH" "${SMALL[@]}" --format json
	assert_success
	assert_no_errors
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/r.json"
	check_json "$BATS_TEST_TMPDIR/r.json"
	"$PYTHON" -c "
import json, sys
d = json.load(open('$BATS_TEST_TMPDIR/r.json'))
assert [r['strategy'] for r in d['results']] == '${ALL_STRATEGIES[*]}'.split()
assert d['results'][0]['speedup'] == 1.0 and d['results'][0]['startup'] is None"
}

@test "the limit fraction is there when the limit was measured" {
	run --separate-stderr "$COLBENCH" --rows 400 --cols 300 --number 2 --repeat 2 --format json
	assert_success
	printf '%s\n' "$output" | "$PYTHON" -c "
import json, sys
d = json.load(sys.stdin)
assert d['limit'] and all(r['limit_fraction'] > 0 for r in d['results'])"
}

@test "--format csv: hyperfine's columns, then colbench's, one row per result" {
	run --separate-stderr "$COLBENCH" "${SMALL[@]}" --format csv --workers 1,2
	assert_success
	printf '%s\n' "$output" | "$PYTHON" -c "
import csv, sys
rows = list(csv.reader(sys.stdin))
head = rows[0]
assert head[:8] == 'command,mean,stddev,median,user,system,min,max'.split(','), head
for k in ('strategy', 'workers', 'loops', 'runs', 'gbps', 'speedup', 'startup', 'max_rel_error', 'verified'):
    assert k in head, k
assert len(rows) == 1 + $(all_results 2), len(rows)
for r in rows[1:]:
    assert len(r) == len(head)
    mean, mn, mx = float(r[1]), float(r[6]), float(r[7])
    assert 0 < mn <= mean <= mx
    assert float(r[4]) >= 0 and float(r[5]) >= 0
    assert r[head.index('verified')] == 'true'"
}

@test "--output writes the report by its extension, whole, besides the text on stdout" {
	mkdir "$BATS_TEST_TMPDIR/out"
	run --separate-stderr "$COLBENCH" "${SMALL[@]}" --output "$BATS_TEST_TMPDIR/out/r.json"
	assert_success
	assert_line "All $(all_results 1) results verified."
	check_json "$BATS_TEST_TMPDIR/out/r.json"
	run --separate-stderr "$COLBENCH" "${SMALL[@]}" --output "$BATS_TEST_TMPDIR/out/r.csv" --quiet
	assert_success
	run head -c 8 "$BATS_TEST_TMPDIR/out/r.csv"
	assert_output "command,"
	run ls -A "$BATS_TEST_TMPDIR/out"
	assert_output $'r.csv\nr.json'
	assert_usage_error "^colbench: --output: 'r\\.txt' does not end in \\.json, \\.csv or \\.md$" --output r.txt
}

@test "a report compared with itself: no change everywhere, status 0" {
	"$COLBENCH" "${SMALL[@]}" --workers 1,2 --format json >"$BATS_TEST_TMPDIR/made.json" 2>/dev/null
	# The comparison is the test, not the machine: no run marked disturbed
	# (a busy machine made it inconclusive), and a threshold wide enough
	# that no spread of the processes is too wide for it.
	undisturbed "$BATS_TEST_TMPDIR/made.json" "$BATS_TEST_TMPDIR/r.json"
	run --separate-stderr "$COLBENCH" compare --threshold 1000 "$BATS_TEST_TMPDIR/r.json" "$BATS_TEST_TMPDIR/r.json"
	assert_success
	assert_equal "$(grep -c ' no change$' <<<"$output")" "$(all_results 2)"
	refute_output --regexp 'regressed|improved|within noise'
	run --separate-stderr "$COLBENCH" compare --threshold 1000 --format json "$BATS_TEST_TMPDIR/r.json" "$BATS_TEST_TMPDIR/r.json"
	assert_success
	printf '%s\n' "$output" | "$PYTHON" -c "
import json, sys
c = json.load(sys.stdin)['baseline']['comparisons']
assert len(c) == $(all_results 2) and all(x['verdict'] == 'no change' and x['change'] == 0 for x in c)"
}

@test "a baseline twice as fast as this run: regressed, status 1 (compare and --baseline)" {
	skip_under_asan "its fresh run must time steadily; under ASan a 1 MB matrix swings 10x between runs (compare.c runs under ASan in its unit tests and the next tests)"
	# The saved reports' verdicts are the test, not the machine: no run
	# marked disturbed.
	"$COLBENCH" "${SMALL[@]}" --format json >"$BATS_TEST_TMPDIR/made.json" 2>/dev/null
	undisturbed "$BATS_TEST_TMPDIR/made.json" "$BATS_TEST_TMPDIR/r.json"
	"$PYTHON" -c "
import json
d = json.load(open('$BATS_TEST_TMPDIR/r.json'))
for r in d['results']:
    r['times'] = [t / 2 for t in r['times']]; r['mean'] /= 2; r['min'] /= 2; r['max'] /= 2
json.dump(d, open('$BATS_TEST_TMPDIR/half.json', 'w'))"
	run --separate-stderr "$COLBENCH" compare "$BATS_TEST_TMPDIR/half.json" "$BATS_TEST_TMPDIR/r.json"
	assert_failure 1
	# seq's runs agree to a few percent: certainly regressed.  A strategy
	# whose own runs vary by 2x on this shared machine may only be noise,
	# or an interval too wide to judge.
	assert_line --regexp '^seq +1 .*\+100\.0%.* regressed$'
	assert_equal "$(grep -cE '\+100\.0%.* (regressed|within noise|inconclusive \(the interval is too wide for the threshold\))$' <<<"$output")" "$(all_results 1)"
	# A fresh run of the same matrix against a baseline ten times as fast
	# (a fresh process of a tiny matrix can be twice as fast as the last);
	# on a busy machine its runs meet other work, and then it is rightly
	# inconclusive (status 5), never a pass.
	"$PYTHON" -c "
import json
d = json.load(open('$BATS_TEST_TMPDIR/r.json'))
for r in d['results']:
    r['times'] = [t / 10 for t in r['times']]; r['mean'] /= 10; r['min'] /= 10; r['max'] /= 10
json.dump(d, open('$BATS_TEST_TMPDIR/tenth.json', 'w'))"
	run --separate-stderr "$COLBENCH" "${SMALL[@]}" --baseline "$BATS_TEST_TMPDIR/tenth.json" \
		--output "$BATS_TEST_TMPDIR/new.json"
	if [[ $status -eq 5 ]]; then
		assert_regex "$stderr" 'seq with 1 workers?: inconclusive: the new runs met other work'
		echo "# the fresh run met other work: inconclusive, status 5" >&3
	else
		assert_failure 1
		assert_line --regexp '^seq +1 .* regressed$'
		"$PYTHON" -c "
import json
b = json.load(open('$BATS_TEST_TMPDIR/new.json'))['baseline']
assert b['threshold_percent'] == 5 and any(c['verdict'] == 'regressed' for c in b['comparisons'])"
	fi
	# The reverse is an improvement, not a failure (or, for a strategy
	# whose processes spread too widely on this machine, inconclusive).
	run --separate-stderr "$COLBENCH" compare "$BATS_TEST_TMPDIR/r.json" "$BATS_TEST_TMPDIR/half.json"
	[[ $status -eq 0 || $status -eq 5 ]] || fail "status $status: $output"
	assert_line --regexp '^seq +1 .* improved$'
	assert_equal "$(grep -cE ' (improved|within noise|inconclusive \(the interval is too wide for the threshold\))$' <<<"$output")" "$(all_results 1)"
}

@test "--drift widens every verdict's interval: a 2x slowdown regresses at 0, not at 30; both intervals in the JSON" {
	"$COLBENCH" "${SMALL[@]}" --strategy seq --format json >"$BATS_TEST_TMPDIR/r.json" 2>/dev/null
	# Ten processes of 3 runs at fixed levels (1.00-1.09 ms), and the same twice as slow.
	"$PYTHON" -c "
import json
d = json.load(open('$BATS_TEST_TMPDIR/r.json'))
r = d['results'][0]
r['times'] = [1e-3 * (1 + 0.01 * (i // 3)) for i in range(30)]
r['run_process'] = [i // 3 for i in range(30)]
r['runs'] = 30; r['mean'] = sum(r['times']) / 30; r.pop('run_disturbance', None)
r['min'], r['max'] = min(r['times']), max(r['times']); r['exit_codes'] = [0] * 30
json.dump(d, open('$BATS_TEST_TMPDIR/old.json', 'w'))
r['times'] = [2 * t for t in r['times']]; r['mean'] *= 2; r['min'] *= 2; r['max'] *= 2
json.dump(d, open('$BATS_TEST_TMPDIR/new.json', 'w'))"
	run --separate-stderr "$COLBENCH" compare --drift 0 "$BATS_TEST_TMPDIR/old.json" "$BATS_TEST_TMPDIR/new.json"
	assert_failure 1
	assert_line --regexp '^baseline: .*\(threshold 5\.0%, drift 0\.0%; '
	assert_line --regexp '^seq +1 .* \+100\.0% +\[\+9[0-9]\.[0-9]%, \+10[0-9]\.[0-9]%\] +regressed$'
	# A drift of 30% moves each end out by 1.96 sqrt(2) log(1.3) in quadrature: past +5%.
	run --separate-stderr "$COLBENCH" compare --drift 30 --format json "$BATS_TEST_TMPDIR/old.json" \
		"$BATS_TEST_TMPDIR/new.json"
	assert_success
	echo "$output" | jq -e '.baseline.drift_percent == 30 and (.baseline.comparisons[0] |
		.verdict == "within noise" and .ci_low < 0.05 and .ci_high > 2.5 and
		.processes_ci_low > 0.8 and .processes_ci_high < 1.3 and
		((.change + 1 | log) - (.ci_low + 1 | log)) > 0.72)'
	# The default is 2%, said in the text.
	run --separate-stderr "$COLBENCH" compare "$BATS_TEST_TMPDIR/old.json" "$BATS_TEST_TMPDIR/new.json"
	assert_failure 1
	assert_line --regexp '^baseline: .*\(threshold 5\.0%, drift 2\.0%; '
}

@test "a missing, truncated, non-JSON or foreign baseline: status 2 before any work" {
	"$COLBENCH" "${SMALL[@]}" --format json >"$BATS_TEST_TMPDIR/r.json" 2>/dev/null
	head -c 200 "$BATS_TEST_TMPDIR/r.json" >"$BATS_TEST_TMPDIR/trunc.json"
	echo 'rows,cols' >"$BATS_TEST_TMPDIR/text.json"
	echo '{"results": [], "benchmark": "other"}' >"$BATS_TEST_TMPDIR/foreign.json"
	local f
	for f in none trunc text foreign; do
		# A huge matrix: refused only if the baseline were accepted first.
		run --separate-stderr timeout 10 "$COLBENCH" --rows 100000 --cols 100000 \
			--baseline "$BATS_TEST_TMPDIR/$f.json"
		assert_one_line_error 2 "^colbench: $BATS_TEST_TMPDIR/$f\\.json: (cannot open|not JSON|not a colbench report)"
		run --separate-stderr "$COLBENCH" compare "$BATS_TEST_TMPDIR/$f.json" "$BATS_TEST_TMPDIR/r.json"
		assert_one_line_error 2 "^colbench: $BATS_TEST_TMPDIR/$f\\.json: "
	done
}

@test "repeated A/A: two fresh runs of the same build never regress" {
	skip_under_asan "a minute of timings that ASan slows tenfold; compare runs under it in the other report tests"
	# 16 MB, twice the last-level cache: memory-bound, as real runs are;
	# in-cache timings of a few microseconds swing by 10x between processes.
	local i aa=(--rows 2000 --cols 1000 --number 20 --repeat 5 --no-limit --quiet --format json)
	for i in 1 2 3; do
		"$COLBENCH" "${aa[@]}" >"$BATS_TEST_TMPDIR/a.json" 2>/dev/null
		"$COLBENCH" "${aa[@]}" >"$BATS_TEST_TMPDIR/b.json" 2>/dev/null
		# Between two processes this shared 2-core machine moves a result by
		# up to 20-50%; the threshold says how much a CI job tolerates.
		run --separate-stderr "$COLBENCH" compare --threshold 60 "$BATS_TEST_TMPDIR/a.json" \
			"$BATS_TEST_TMPDIR/b.json"
		# A pass, or inconclusive (5) when other work on the runner
		# disturbed the processes: never a regression (1).
		[[ $status -eq 0 || $status -eq 5 ]] || fail "status $status: $output"
		refute_output --regexp 'regressed$'
	done
}

@test "reports of different matrices are inconclusive (5), said in every verdict and, without -q, in a warning" {
	"$COLBENCH" "${SMALL[@]}" --format json >"$BATS_TEST_TMPDIR/a.json" 2>/dev/null
	# The same timings, said to come from a matrix with one row more: no
	# verdict between two matrices, however the timings (or the load) fell.
	jq '.matrix.rows += 1' "$BATS_TEST_TMPDIR/a.json" >"$BATS_TEST_TMPDIR/b.json"
	run --separate-stderr "$COLBENCH" compare "$BATS_TEST_TMPDIR/a.json" "$BATS_TEST_TMPDIR/b.json"
	assert_failure 5
	assert_regex "$stderr" "colbench: warning: the matrices differ: 400 x 300, layout f, float64, seed 42 \\(baseline\\), 401 x 300"
	assert_equal "$(grep -c ' inconclusive (the matrices differ)$' <<<"$output")" "$(all_results 1)"
	run --separate-stderr "$COLBENCH" compare -q "$BATS_TEST_TMPDIR/a.json" "$BATS_TEST_TMPDIR/b.json"
	assert_failure 5
	assert_equal "$(grep -c ' inconclusive (the matrices differ)$' <<<"$output")" "$(all_results 1)"
}

# The last-level cache the C library knows (glibc: CPUID on x86), the
# largest level that has a size; 0 when it knows none.
libc_last_level_cache() {
	local level size
	for level in LEVEL4_CACHE_SIZE LEVEL3_CACHE_SIZE LEVEL2_CACHE_SIZE LEVEL1_DCACHE_SIZE; do
		size=$(getconf "$level" 2>/dev/null) || continue
		if [[ $size =~ ^[0-9]+$ ]] && ((size > 0)); then
			echo "$size"
			return
		fi
	done
	echo 0
}

# check_cache_warning JSON STDERR: with a known cache, the 1 MB matrix is
# warned about on stderr and in the JSON; with none, no warning, and the
# JSON says null rather than a guess.
check_cache_warning() {
	local llc
	llc=$(printf '%s\n' "$1" | jq -r '.system.last_level_cache_bytes')
	if [[ $llc == null ]]; then
		refute_regex "$2" "fits in the last-level cache"
		printf '%s\n' "$1" | jq -e '.system.last_level_cache_source == null and
			all(.warnings[]; contains("last-level cache") | not)' >/dev/null ||
			fail "an unknown cache, but the JSON warns or names a source"
	else
		((llc >= 1000000)) || skip "a last-level cache of $llc bytes holds no 1 MB matrix"
		assert_regex "$2" "colbench: warning: the matrix \\(1\\.0 MB\\) fits in the last-level cache"
		printf '%s\n' "$1" | jq -e 'any(.warnings[]; contains("fits in the last-level cache"))' \
			>/dev/null || fail "no cache warning in the JSON"
	fi
}

@test "a matrix that fits in the cache is warned about, on stderr and in the JSON (wherever the size is known)" {
	run --separate-stderr "$COLBENCH" "${SMALL[@]}" --format json
	assert_success
	check_cache_warning "$output" "$stderr"
}

@test "with sysfs's cache folder hidden, the cache size comes from the C library (CPUID), or is unknown" {
	local cache=/sys/devices/system/cpu/cpu0/cache libc
	((EUID == 0)) || skip "hiding a sysfs folder needs a mount namespace: run the tests as root"
	unshare -m true 2>/dev/null || skip "no mount namespace here (unshare -m refused)"
	libc=$(libc_last_level_cache)
	# A private mount namespace in which an empty tmpfs covers the folder,
	# as on a host whose kernel exposes no cache information.
	run --separate-stderr unshare -m --propagation private bash -c \
		'if [[ -d $1 ]]; then mount -t tmpfs none "$1" || exit 99; fi; shift; exec "$@"' \
		hide "$cache" "$COLBENCH" "${SMALL[@]}" --format json
	assert_success
	local got source
	got=$(printf '%s\n' "$output" | jq -r '.system.last_level_cache_bytes')
	source=$(printf '%s\n' "$output" | jq -r '.system.last_level_cache_source')
	if ((libc > 0)); then
		assert_equal "$got $source" "$libc sysconf"
	else
		assert_equal "$got $source" "null null"
	fi
	check_cache_warning "$output" "$stderr"
}

@test "the text header names the last-level cache and its source, or says it is unknown" {
	run --separate-stderr "$COLBENCH" "${SMALL[@]}"
	assert_success
	assert_line --regexp '^machine: .*, last-level cache ([0-9.]+ MB \((sysfs|sysconf)\)|unknown)$'
}

@test "compare takes two files and only the options of a report" {
	assert_usage_error "^colbench: usage: colbench compare" compare a.json
	assert_usage_error "^colbench: --rows does not apply to colbench compare$" compare --rows 5 a.json b.json
	assert_usage_error "^colbench: --threshold: 'x' is not a percentage" --threshold x
	assert_usage_error "^colbench: colbench compare prints text, json or markdown, not csv$" compare --format csv a.json b.json
}

@test "a FIFO as a baseline or a .npy file is refused at once, not waited on" {
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	run --separate-stderr timeout 5 "$COLBENCH" compare "$BATS_TEST_TMPDIR/fifo" "$BATS_TEST_TMPDIR/fifo"
	assert_one_line_error 2 "fifo: not a regular file$"
	run --separate-stderr timeout 5 "$COLBENCH" --load "$BATS_TEST_TMPDIR/fifo"
	assert_one_line_error 2 "fifo: not a regular file$"
}

@test "a baseline with a zero or negative time is not a colbench report" {
	"$COLBENCH" "${SMALL[@]}" --strategy seq --format json >"$BATS_TEST_TMPDIR/r.json" 2>/dev/null
	jq '.results[0].mean = 0' "$BATS_TEST_TMPDIR/r.json" >"$BATS_TEST_TMPDIR/zero.json"
	run --separate-stderr "$COLBENCH" compare "$BATS_TEST_TMPDIR/zero.json" "$BATS_TEST_TMPDIR/r.json"
	assert_one_line_error 2 "zero\\.json: not a colbench report \\(result 1 lacks"
}

@test "with --format json a regression is still said on stderr; a report of one process is inconclusive (5)" {
	"$COLBENCH" "${SMALL[@]}" --strategy seq --format json >"$BATS_TEST_TMPDIR/r.json" 2>/dev/null
	# A thousand times as fast: beyond any spread of the runs of a tiny
	# matrix (they can swing 10x on a loaded machine, and under ASan).
	jq '.results[0] |= (.times |= map(. / 1000) | .mean /= 1000 | .min /= 1000 | .max /= 1000)' \
		"$BATS_TEST_TMPDIR/r.json" >"$BATS_TEST_TMPDIR/thousandth.json"
	run --separate-stderr "$COLBENCH" compare --format json "$BATS_TEST_TMPDIR/thousandth.json" "$BATS_TEST_TMPDIR/r.json"
	assert_failure 1
	assert_regex "$stderr" "colbench: seq with 1 workers regressed: \\+99900\\.0% \\(95% interval "
	# The first process's runs alone: no between-process evidence.
	jq '.results[0] |= (.times |= .[:3] | .run_process |= .[:3] | .run_disturbance |= .[:3] |
		.mean = (.times | add / length) | .min = (.times | min) | .max = (.times | max))' \
		"$BATS_TEST_TMPDIR/r.json" >"$BATS_TEST_TMPDIR/three.json"
	run --separate-stderr "$COLBENCH" compare "$BATS_TEST_TMPDIR/three.json" "$BATS_TEST_TMPDIR/three.json"
	assert_failure 5
	assert_regex "$stderr" "seq with 1 workers: inconclusive: too few processes"
	assert_line --regexp '^seq +1 .* inconclusive \(too few processes'
}

#!/usr/bin/env bats
# Reports that hyperfine's users and tools take as their own: each field
# colbench shares with hyperfine's --export-json and --export-csv checked
# against its meaning in hyperfine's source (src/benchmark/benchmark_result.rs,
# src/export/csv.rs, src/export/markup.rs), a scan read the way
# scripts/plot_parametrized.py reads one, the Markdown tables rendered by
# GitHub's own renderer (cmark-gfm), -q, and the progress line.

load helpers

PYTHON=/usr/bin/python3
# One process: these tests are about the fields, not the sampling.
FAST=(--number 2 --processes 1 --no-limit)
QUICK=(--rows 300 --cols 200 --repeat 5 "${FAST[@]}")

setup() {
	colbench_setup
}

@test "stddev is the sample standard deviation (null with one run, 0 in CSV, as hyperfine); %timeit's is stddev_population" {
	run --separate-stderr "$COLBENCH" "${QUICK[@]}" --strategy seq,pthread --format json
	assert_success
	printf '%s\n' "$output" | "$PYTHON" -c "
import json, statistics, sys
for r in json.load(sys.stdin)['results']:
    t = r['times']
    assert len(t) == 5
    assert abs(r['stddev'] - statistics.stdev(t)) <= 1e-12 * r['mean'], (r['stddev'], statistics.stdev(t))
    assert abs(r['stddev_population'] - statistics.pstdev(t)) <= 1e-12 * r['mean']
    assert r['stddev'] > r['stddev_population'] > 0"
	run --separate-stderr "$COLBENCH" --rows 300 --cols 200 "${FAST[@]}" --strategy seq --repeat 1 --format json \
		--export-csv "$BATS_TEST_TMPDIR/one.csv"
	assert_success
	echo "$output" | jq -e '.results[0] | .stddev == null and .stddev_population == 0 and (.times | length) == 1'
	"$PYTHON" -c "
import csv
rows = list(csv.DictReader(open('$BATS_TEST_TMPDIR/one.csv')))
assert rows[0]['stddev'] == '0', rows[0]['stddev']"
}

# check_cpu_per_loop MAX: the JSON report in $output: every result's user
# and system per loop at most MAX times its wall time (as many CPUs as it
# has workers, and some for the ticks' rounding), and at least 0.3 of
# seq's: the same sums cost about the same CPU time whoever does them,
# whatever else runs on the machine (a CPU shared with other work stretches
# the wall time, not the CPU time).  Before, forkpool's left its workers
# out: almost nothing, the parent's wait.
check_cpu_per_loop() {
	printf '%s\n' "$output" | "$PYTHON" -c "
import json, sys
results = json.load(sys.stdin)['results']
seq = [r['user'] + r['system'] for r in results if r['strategy'] == 'seq'][0]
for r in results:
    cpu = r['user'] + r['system']
    assert cpu / r['mean'] < $1, (r['strategy'], 'CPUs', cpu / r['mean'])
    assert cpu > 0.3 * seq, (r['strategy'], 'of seq', cpu / seq)"
}

@test "user and system are per loop and include every worker of every strategy" {
	# Runs of 40 loops (20 ms and more): the kernel brings a running
	# thread's CPU time up to date at each tick (4 ms at HZ=250), so in
	# runs of 2 ms one stale reading moved the figure by 2 CPUs.
	run --separate-stderr "$COLBENCH" --rows 2000 --cols 1000 --number 40 --repeat 3 --processes 1 \
		--no-limit --workers 1 --format json
	assert_success
	check_cpu_per_loop 1.6
	# Two workers: up to twice the wall time, never more (libgomp's threads
	# spin some 8 ms after a region: settled after openmp's runs, they are
	# charged to no other strategy's).
	run --separate-stderr "$COLBENCH" --rows 2000 --cols 1000 --number 40 --repeat 3 --processes 1 \
		--no-limit --workers 2 --strategy seq,fork,forkpool,pthread,openmp --format json
	assert_success
	check_cpu_per_loop 2.6
}

@test "libgomp's threads that never sleep (OMP_WAIT_POLICY=active) are said once; the runs still verify" {
	run --separate-stderr env OMP_WAIT_POLICY=active "$COLBENCH" --rows 300 --cols 200 --number 10 \
		--repeat 2 --processes 1 --no-limit --workers 2 --strategy openmp,pthread
	assert_success
	assert_equal "$(grep -c "warning: openmp's idle workers still use the CPUs 0.25 s after its run" <<<"$stderr")" 1
	assert_line "All 2 results verified."
	run --separate-stderr "$COLBENCH" --rows 300 --cols 200 --number 10 --repeat 2 --processes 1 \
		--no-limit --workers 2 --strategy openmp,pthread
	assert_success
	refute_regex "$stderr" 'idle workers'
}

@test "memory_usage_byte and exit_codes are per run, as hyperfine's" {
	run --separate-stderr "$COLBENCH" --rows 2000 --cols 1000 --repeat 5 "${FAST[@]}" --format json
	assert_success
	printf '%s\n' "$output" | "$PYTHON" -c "
import json, sys
d = json.load(sys.stdin)
size = d['matrix']['bytes']
for r in d['results']:
    mem = r['memory_usage_byte']
    assert len(mem) == r['runs'] == len(r['times']), r['strategy']
    assert all(isinstance(m, int) for m in mem)
    # The matrix is resident in every run; no run's peak passes the result's.
    assert all(size <= m <= 2 * r['peak_rss_bytes'] for m in mem), (r['strategy'], mem, size)
    assert r['exit_codes'] == [0] * r['runs']"
}

@test "a --workers 1,2 scan has hyperfine's parameters, read as plot_parametrized.py reads them" {
	run --separate-stderr "$COLBENCH" "${QUICK[@]}" --strategy pthread --workers 1,2 --format json
	assert_success
	# plot_parametrized.py: every result has exactly one parameter, of one
	# name across the file, whose value float() reads; then mean and stddev.
	printf '%s\n' "$output" | "$PYTHON" -c "
import json, sys
results = json.load(sys.stdin)['results']
pairs = [next(iter(b['parameters'].items())) for b in results if len(b.get('parameters', {})) == 1]
assert len(pairs) == len(results) == 2, results
names = {n for n, _ in pairs}
assert names == {'workers'}, names
assert [float(v) for _, v in pairs] == [1.0, 2.0]
assert all(isinstance(v, str) for _, v in pairs)
assert all(isinstance(b['mean'], float) and isinstance(b['stddev'], float) for b in results)"
	# Strategies and worker counts both vary: both are parameters.
	run --separate-stderr "$COLBENCH" "${QUICK[@]}" --strategy seq,pthread --workers 2 --format json
	assert_success
	echo "$output" | jq -e '[.results[].parameters] == [{"strategy": "seq", "workers": "1"},
		{"strategy": "pthread", "workers": "2"}]'
	# One result varies nothing: no parameters, as hyperfine leaves them out.
	run --separate-stderr "$COLBENCH" "${QUICK[@]}" --strategy pthread --workers 2 --format json
	assert_success
	echo "$output" | jq -e '.results[0] | has("parameters") | not'
}

@test "CSV: hyperfine's columns, then parameter_*, every number read back exactly as the JSON's" {
	run --separate-stderr "$COLBENCH" "${QUICK[@]}" --strategy pthread,fork --workers 1,2 \
		--export-json "$BATS_TEST_TMPDIR/r.json" --export-csv "$BATS_TEST_TMPDIR/r.csv"
	assert_success
	"$PYTHON" -c "
import csv, json
rows = list(csv.reader(open('$BATS_TEST_TMPDIR/r.csv')))
head = rows[0]
assert head[:10] == ['command', 'mean', 'stddev', 'median', 'user', 'system', 'min', 'max',
                     'parameter_strategy', 'parameter_workers'], head
results = json.load(open('$BATS_TEST_TMPDIR/r.json'))['results']
assert len(rows) == 1 + len(results) == 5
for row, r in zip(rows[1:], results):
    assert len(row) == len(head)
    assert row[0] == r['command']
    for i, k in enumerate(('mean', 'stddev', 'median', 'user', 'system', 'min', 'max'), 1):
        assert float(row[i]) == r[k], (k, row[i], r[k])
    assert row[8:10] == [r['strategy'], str(r['workers'])]
    assert float(row[head.index('stddev_population')]) == r['stddev_population']
    assert float(row[head.index('gbps')]) == r['gbps']"
}

@test "--format markdown: hyperfine's table, rendered as a table by GitHub's renderer; with a baseline, the verdicts" {
	run --separate-stderr "$COLBENCH" "${QUICK[@]}" --workers 1,2 --format markdown
	assert_success
	assert_line --index 0 --regexp '^\*\*colbench [^*]+\*\*: 300 x 200 float64 \(layout f, seed 42\) on .*, [0-9]+ CPUs; 1 process x 5 runs$'
	assert_line --regexp '^\| Command \| Mean \[(s|ms|µs)\] \| Min \[(s|ms|µs)\] \| Max \[(s|ms|µs)\] \| Relative \| GB/s \| Verified \|$'
	assert_line '|:---|---:|---:|---:|---:|---:|:---|'
	assert_equal "$(grep -cE '^\| `[^ `]+ --workers [0-9]+` \| [0-9.]+ ± [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+( ± [0-9.]+)? \| [0-9.]+ \| yes \|$' <<<"$output")" "$(all_results 2)"
	# The fastest is 1.00, without a spread.
	assert_line --regexp '\| 1\.00 \| [0-9.]+ \| yes \|$'
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/r.md"
	run cmark-gfm -e table "$BATS_TEST_TMPDIR/r.md"
	assert_success
	assert_equal "$(grep -c '<table>' <<<"$output")" 1
	assert_equal "$(grep -c '<tr>' <<<"$output")" $(($(all_results 2) + 1))
	# With a baseline, a table of verdicts too; the file and stdout agree.
	"$COLBENCH" "${QUICK[@]}" --strategy seq,pthread --output "$BATS_TEST_TMPDIR/base.json" 2>/dev/null
	run --separate-stderr "$COLBENCH" "${QUICK[@]}" --strategy seq,pthread \
		--baseline "$BATS_TEST_TMPDIR/base.json" --export-markdown "$BATS_TEST_TMPDIR/b.md" -q
	assert_failure 5 # one process a side: inconclusive
	run cmark-gfm -e table "$BATS_TEST_TMPDIR/b.md"
	assert_success
	assert_equal "$(grep -c '<table>' <<<"$output")" 2
	assert_output --partial '<strong>inconclusive</strong> (too few processes (see --processes))</td>'
	run --separate-stderr "$COLBENCH" compare --format markdown "$BATS_TEST_TMPDIR/base.json" \
		"$BATS_TEST_TMPDIR/base.json"
	assert_failure 5
	assert_line --index 0 --regexp '^Against the baseline `.*base\.json` \(threshold 5\.0%, drift 2\.0%; '
	assert_line --regexp '^\| seq \| 1 \| [0-9.]+ µs \| [0-9.]+ µs \| 1/1 \| - \| - \| \*\*inconclusive\*\* \(too few processes \(see --processes\)\) \|$'
}

@test "a pipe in a loaded file's name stays in its cell" {
	"$PYTHON" -c "
import numpy as np
np.save('$BATS_TEST_TMPDIR/a|b.npy', np.ones((50, 40)))"
	run --separate-stderr "$COLBENCH" --load "$BATS_TEST_TMPDIR/a|b.npy" --strategy seq --number 1 \
		--repeat 2 --processes 1 --no-limit --format markdown
	assert_success
	assert_line --index 0 --partial 'a\|b.npy'
}

@test "--export-json, --export-csv and --export-markdown write beside --output; two options on one path are refused" {
	mkdir "$BATS_TEST_TMPDIR/out"
	run --separate-stderr "$COLBENCH" "${QUICK[@]}" --strategy seq --output "$BATS_TEST_TMPDIR/out/o.md" \
		--export-json "$BATS_TEST_TMPDIR/out/e.json" --export-csv "$BATS_TEST_TMPDIR/out/e.csv" \
		--export-markdown "$BATS_TEST_TMPDIR/out/e.md"
	assert_success
	run ls -A "$BATS_TEST_TMPDIR/out"
	assert_output $'e.csv\ne.json\ne.md\no.md'
	jq -e '.results[0].strategy == "seq"' "$BATS_TEST_TMPDIR/out/e.json"
	run head -c 8 "$BATS_TEST_TMPDIR/out/e.csv"
	assert_output "command,"
	cmp "$BATS_TEST_TMPDIR/out/o.md" "$BATS_TEST_TMPDIR/out/e.md"
	assert_usage_error "^colbench: --output and --export-json both write 'r\\.json'$" \
		--output r.json --export-json r.json
	assert_usage_error "^colbench: --export-csv does not apply to colbench calibrate$" \
		calibrate --export-csv r.csv
	assert_usage_error "^colbench: --export-markdown does not apply to colbench compare$" \
		compare --export-markdown r.md a.json b.json
}

@test "-q prints the %timeit lines and errors only: no noise warning, no note on unlike reports" {
	# A cache-resident matrix: warned about wherever the cache size is known.
	run --separate-stderr "$COLBENCH" "${QUICK[@]}" --strategy seq --format json
	assert_success
	local warned
	warned=$(echo "$output" | jq '[.warnings[], .results[].warnings[]] | length')
	assert_equal "$(grep -c '^colbench: warning: ' <<<"$stderr")" "$warned"
	run --separate-stderr "$COLBENCH" "${QUICK[@]}" --strategy seq -q
	assert_success
	assert_equal "$stderr" ""
	# The %timeit line, after IPython's own note when the slowest of these
	# 2-loop runs took over 4 times the fastest (part of %timeit's output:
	# it came under ASan on a loaded CI machine).
	((${#lines[@]} == 1)) || [[ ${#lines[@]} == 2 && ${lines[0]} == "The slowest run took "* ]] ||
		fail "not the %timeit line alone: $output"
	assert_line --index $((${#lines[@]} - 1)) --regexp "$TIMEIT_HEAD"
	# Reports of two matrices: inconclusive, the detail a note without -q,
	# none with it; what explains the status stays.
	"$COLBENCH" --rows 300 --cols 201 --repeat 5 "${FAST[@]}" --strategy seq \
		--output "$BATS_TEST_TMPDIR/b.json" 2>/dev/null
	run --separate-stderr "$COLBENCH" "${QUICK[@]}" --strategy seq --baseline "$BATS_TEST_TMPDIR/b.json"
	assert_failure 5
	assert_regex "$stderr" 'colbench: warning: the matrices differ'
	run --separate-stderr "$COLBENCH" "${QUICK[@]}" --strategy seq --baseline "$BATS_TEST_TMPDIR/b.json" -q
	assert_failure 5
	refute_regex "$stderr" 'warning: the matrices differ|fits in the last-level cache|load average'
	assert_regex "$stderr" '^colbench: warning: seq with 1 workers: inconclusive: the matrices differ'
}

@test "on a terminal a progress line says the strategy, the run and the time left, then is erased; never in a pipe" {
	command -v script >/dev/null || skip "script (util-linux) is not installed"
	skip_under_asan "its runs of 64 MB sums take ten times as long (40 s); the line's code runs under ASan in the sampled and dumb-terminal tests"
	# Runs over 0.1 s (PROGRESS_REDRAW), so that each redraw is due: 200
	# loops of a 64 MB matrix, larger than the last-level cache, take 0.13 s
	# even at 100 GB/s.  Fixed loops, since loops autoranged while the
	# machine was busy can make runs of a few ms once it is not.
	script -qfec "'$COLBENCH' --rows 8000 --cols 1000 --strategy seq,pthread --workers 1 --repeat 3 \
		--number 200 --processes 1 --no-limit 2>&1" /dev/null >"$BATS_TEST_TMPDIR/tty" </dev/null
	# The pairs take turns: after each run the line names that pair's next
	# run, with the runs done so far (seq's first, then pthread's, or the
	# other way round).
	run grep -cE $'\r\033\\[Kcolbench: seq, 1 worker: run 2 of 3 \\([12] of 6 runs done, about [0-9]+ s left\\)' \
		"$BATS_TEST_TMPDIR/tty"
	assert_output 1
	grep -qE $'\033\\[Kcolbench: pthread, 1 worker: run 3 of 3 \\([34] of 6 runs done, about [0-9]+ s left\\)' \
		"$BATS_TEST_TMPDIR/tty"
	# Taking turns even in one process: both pairs' second runs are
	# announced before either's third (one after another, seq's three
	# would come before any of pthread's), whatever order each round draws.
	local turns
	turns=$(tr '\r' '\n' <"$BATS_TEST_TMPDIR/tty" | grep -oE '^.\[Kcolbench: (seq|pthread), 1 worker: run [23]' |
		sed -E 's/.*: (seq|pthread), 1 worker: run ([23])/\2/' | uniq | tr -d '\n')
	[[ $turns == 23 ]] || fail "the runs did not take turns: $turns"
	# Erased before each %timeit line: the line starts clean.
	grep -qE $'\r\033\\[Kseq +1 worker +[0-9.]+ (ms|µs)' "$BATS_TEST_TMPDIR/tty"
	# In a pipe (and so in a file or a CI log): no trace of it.
	run --separate-stderr "$COLBENCH" --rows 300 --cols 200 --strategy seq --repeat 3 --processes 1 --no-limit
	assert_success
	refute_regex "$stderr$output" $'\r|\033|runs done'
}

@test "sampled, the line counts the processes, in the same words and erased the same way; never in a pipe" {
	command -v script >/dev/null || skip "script (util-linux) is not installed"
	script -qfec "'$COLBENCH' --rows 300 --cols 200 --strategy seq --number 2 --repeat 2 \
		--processes 3 --no-limit 2>&1" /dev/null >"$BATS_TEST_TMPDIR/tty" </dev/null
	grep -qE $'\r\033\\[Kcolbench: process 1 of 3' "$BATS_TEST_TMPDIR/tty"
	grep -qE $'\r\033\\[Kcolbench: process 3 of 3, about [0-9]+ s left' "$BATS_TEST_TMPDIR/tty"
	# Erased before the report: its first line starts clean.
	grep -qE $'\r\033\\[Kcolbench 0\\.[0-9.]+: column sums' "$BATS_TEST_TMPDIR/tty"
	run --separate-stderr "$COLBENCH" --rows 300 --cols 200 --strategy seq --number 2 --repeat 2 \
		--processes 3 --no-limit
	assert_success
	refute_regex "$stderr$output" $'\r|\033|process [0-9] of'
}

@test "a run that will plainly take long says its estimate up front, wherever stderr goes" {
	run --separate-stderr timeout -s TERM 5 "$COLBENCH" --rows 2000 --cols 1000 --strategy seq \
		--number 1000000 --processes 1 --no-limit
	assert_equal "$status" 124
	assert_regex "$stderr" '^colbench: warning: seq with 1 worker: 7 runs of 1000000 loops will take about [0-9.]+ (min|h)'
	# Sampled, the first process says it once.
	run --separate-stderr timeout -s TERM 5 "$COLBENCH" --rows 2000 --cols 1000 --strategy seq \
		--number 1000000 --format json
	assert_equal "$status" 124
	assert_equal "$(grep -c 'loops will take about' <<<"$stderr")" 1
	assert_regex "$stderr" 'seq with 1 worker: 3 runs of 1000000 loops will take about'
}

@test "a terminal whose TERM is dumb or unset gets no progress line, neither a run's nor the sampler's" {
	command -v script >/dev/null || skip "script (util-linux) is not installed"
	local term
	"$COLBENCH" --rows 300 --cols 200 --strategy seq --number 1 --repeat 1 --no-limit \
		--save "$BATS_TEST_TMPDIR/m.npy" >/dev/null 2>&1
	for term in "TERM=dumb" "-u TERM"; do
		script -qfec "env $term '$COLBENCH' --rows 300 --cols 200 --strategy seq --repeat 3 \
			--processes 1 --no-limit 2>&1" /dev/null >"$BATS_TEST_TMPDIR/tty" </dev/null
		script -qfec "env $term '$COLBENCH' --rows 300 --cols 200 --strategy seq --number 2 --repeat 2 \
			--processes 3 --no-limit 2>&1" /dev/null >>"$BATS_TEST_TMPDIR/tty" </dev/null
		# Nor the one of a file being read (--load).
		script -qfec "env $term '$COLBENCH' --load '$BATS_TEST_TMPDIR/m.npy' --strategy seq \
			--number 2 --repeat 2 --processes 1 --no-limit 2>&1" /dev/null >>"$BATS_TEST_TMPDIR/tty" </dev/null
		[[ $(grep -c 'seq  *1 worker' "$BATS_TEST_TMPDIR/tty") -ge 3 ]] ||
			fail "env $term: no result: $(cat -v "$BATS_TEST_TMPDIR/tty")"
		if grep -qE $'\033\\[K|runs done|process [0-9] of|reading .*%' "$BATS_TEST_TMPDIR/tty"; then
			fail "env $term: a progress line: $(cat -v "$BATS_TEST_TMPDIR/tty")"
		fi
	done
}

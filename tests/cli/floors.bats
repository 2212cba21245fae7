#!/usr/bin/env bats
# The machine's floors beside the read limit (issue 17): the write
# bandwidth over the matrix's own memory, and the fork floor (fork and reap
# children that exit at once) for the worker counts of the process
# strategies, in every report format, and what each process strategy's
# call costs above pthread's.

load helpers

PYTHON=/usr/bin/python3
RUN=(--rows 1000 --cols 600 --number 2 --repeat 3 --processes 1)

setup() {
	colbench_setup
}

@test "the text header has the floors, the summary each process strategy's cost above pthread" {
	run --separate-stderr "$COLBENCH" "${RUN[@]}" --strategy seq,fork,forkpool,pthread --workers 1,2
	assert_success
	assert_line --regexp '^floors:    write [0-9.]+ GB/s with [0-9]+ threads? \(the generator: [0-9.]+ GB/s, [0-9.]+x the write pass\); fork and reap [0-9.]+(e\+03)? (s|ms|µs|ns) for 1 worker, [0-9.]+(e\+03)? (s|ms|µs|ns) for 2 workers \(best of 7\)$'
	# A time span as IPython writes it: "999 µs", and "1e+03 µs" just below 1 ms.
	local t='[0-9.]+(e\+03)? (s|ms|µs|ns)'
	assert_line --regexp "^fork with 2 workers: $t a call (above|below) pthread.s; the kernel.s fork floor (is $t of it \\([0-9]+%\\)|\\($t\\) covers all of it); start-up $t, wind-down $t \\(pthread: $t, $t\\)\$"
	assert_line --regexp "^forkpool with 1 worker: $t a call (above|below) pthread.s \\(forked once, before timing: no fork in its calls\\); start-up $t, wind-down $t \\(pthread: $t, $t\\)\$"
	# Threads and seq are not process strategies: no such line.
	refute_line --regexp '^(seq|pthread) with .* pthread.s'
}

@test "start-up and wind-down: a column each, in the JSON and CSV; none for seq; within the call" {
	run --separate-stderr "$COLBENCH" "${RUN[@]}" --no-limit --strategy seq,fork,forkpool,pthread,openmp \
		--workers 2
	assert_success
	assert_line --regexp '^strategy +workers +mean +std +min +GB/s +limit +speedup +start-up +wind-down +max rel err$'
	assert_line --regexp '^seq +1 .* 1\.00x +- +- +[0-9.]+e-?[0-9]+$'
	# (IPython's "1e+03 µs" for a span just below 1 ms: CI met one)
	assert_line --regexp '^fork +2 .* [0-9.]+(e\+03)? (s|ms|µs|ns) +[0-9.]+(e\+03)? (s|ms|µs|ns) +[0-9.]+e-?[0-9]+$'
	assert_line --regexp '^wind-down: mean time from its last worker.s finish until the call returned'
	run --separate-stderr "$COLBENCH" "${RUN[@]}" --no-limit --strategy seq,fork,forkpool,pthread,openmp \
		--workers 2 --format json --export-csv "$BATS_TEST_TMPDIR/r.csv"
	assert_success
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/r.json"
	"$PYTHON" - "$BATS_TEST_TMPDIR/r.json" "$BATS_TEST_TMPDIR/r.csv" <<'PY'
import csv, json, sys
results = json.load(open(sys.argv[1]))['results']
rows = list(csv.DictReader(open(sys.argv[2])))
assert results[0]['strategy'] == 'seq' and results[0]['startup'] is None
assert results[0]['wind_down'] is None and rows[0]['wind_down'] == ''
for r, row in zip(results[1:], rows[1:]):
    # Both are means over the timed calls, each inside its call: together
    # no longer than the mean call.
    assert r['startup'] >= 0 and r['wind_down'] >= 0, r
    assert r['startup'] + r['wind_down'] <= r['mean'], r
    assert float(row['wind_down']) == r['wind_down'], (row, r)
PY
}

@test "the JSON and CSV carry the floors; without the limit, or for threads alone, none is measured" {
	run --separate-stderr "$COLBENCH" "${RUN[@]}" --strategy fork,pthread --workers 2 --format json \
		--export-csv "$BATS_TEST_TMPDIR/r.csv"
	assert_success
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/r.json"
	"$PYTHON" - "$BATS_TEST_TMPDIR/r.json" "$BATS_TEST_TMPDIR/r.csv" <<'PY'
import csv, json, sys
d = json.load(open(sys.argv[1]))
f = d['floors']
assert f['write_gbps'] > 0 and f['write_threads'] >= 1 and f['generate_gbps'] > 0, f
assert [x['workers'] for x in f['fork']] == [2] and 0 < f['fork'][0]['seconds'] < 1, f
fork, pthread = d['results']
assert fork['fork_floor_seconds'] == f['fork'][0]['seconds']
assert abs(fork['above_pthread_seconds'] - (fork['mean'] - pthread['mean'])) < 1e-12
assert 'fork_floor_seconds' not in pthread and 'above_pthread_seconds' not in pthread
rows = list(csv.DictReader(open(sys.argv[2])))
assert float(rows[0]['fork_floor_seconds']) == fork['fork_floor_seconds']
assert float(rows[0]['above_pthread_seconds']) == fork['above_pthread_seconds']
assert rows[1]['fork_floor_seconds'] == '' and rows[1]['above_pthread_seconds'] == ''
assert all(float(r['write_gbps']) == f['write_gbps'] for r in rows)
PY
	run --separate-stderr "$COLBENCH" "${RUN[@]}" --strategy fork --workers 2 --no-limit --format json
	assert_success
	echo "$output" | jq -e '.floors == {"write_gbps": null, "write_threads": null,
		"generate_gbps": null, "fork": []} and .results[0].fork_floor_seconds == null'
	run --separate-stderr "$COLBENCH" "${RUN[@]}" --strategy seq,pthread --format json
	assert_success
	echo "$output" | jq -e '.floors.write_gbps > 0 and .floors.fork == []'
}

@test "a loaded matrix has no write floor: colbench did not write it" {
	"$COLBENCH" "${RUN[@]}" --strategy seq --no-limit --save "$BATS_TEST_TMPDIR/m.npy" >/dev/null 2>&1
	run --separate-stderr "$COLBENCH" --load "$BATS_TEST_TMPDIR/m.npy" --number 2 --repeat 3 \
		--processes 1 --strategy fork --workers 2 --format json
	assert_success
	echo "$output" | jq -e '.floors.write_gbps == null and (.floors.fork | length) == 1'
}

@test "the Markdown names the floors" {
	run --separate-stderr "$COLBENCH" "${RUN[@]}" --strategy fork --workers 2 --format markdown
	assert_success
	assert_line --regexp '^Floors: read [0-9.]+ GB/s with 1 worker \((columns|streams|flat)\), [0-9.]+ GB/s with 2 workers \((columns|streams|flat)\); write [0-9.]+ GB/s \(the generator [0-9.]+ GB/s\); fork and reap [0-9.]+(e\+03)? (s|ms|µs|ns) for 2 workers$'
}

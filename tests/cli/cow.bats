#!/usr/bin/env bats
# Memory: what each strategy costs, and what copy-on-write copies.  fork's
# workers only read the matrix, so they copy (almost) nothing; forkwrite's
# write a byte in every page of their blocks, so they copy the matrix.

load helpers

# 240 MB: large beside the workers' own few hundred kB.
MATRIX=(--rows 6000 --cols 5000 --number 2 --repeat 2 --no-limit)

setup() {
	colbench_setup
}

@test "fork copies under 1% of the matrix, forkwrite within 10% of all of it; threads copy nothing" {
	run --separate-stderr "$COLBENCH" "${MATRIX[@]}" --strategy fork,forkpool,forkwrite,pthread --format json
	assert_success
	printf '%s\n' "$output" | /usr/bin/python3 -c "
import json, sys
d = json.load(sys.stdin)
size = d['matrix']['bytes']
r = {x['strategy']: x for x in d['results']}
assert all(x['verified'] for x in r.values())
for s in ('fork', 'forkpool'):
    assert 0 <= r[s]['cow_copied_bytes'] < 0.01 * size, (s, r[s]['cow_copied_bytes'])
assert abs(r['forkwrite']['cow_copied_bytes'] - size) <= 0.10 * size, r['forkwrite']['cow_copied_bytes']
assert r['pthread']['cow_copied_bytes'] is None
# Everyone holds the matrix; forkwrite's workers hold a second copy of it.
assert all(x['peak_rss_bytes'] >= 0.95 * size for x in r.values())
assert r['forkwrite']['peak_rss_bytes'] >= 1.9 * size, r['forkwrite']['peak_rss_bytes']
assert r['fork']['peak_rss_bytes'] < 1.2 * size, r['fork']['peak_rss_bytes']
"
}

@test "the text summary shows the memory table" {
	run --separate-stderr "$COLBENCH" "${MATRIX[@]}" --strategy fork,forkwrite,pthread
	assert_success
	assert_line --regexp '^fork +2 +0\.2[0-9] GB +0\.[0-9] MB of 240 MB shared$'
	assert_line --regexp '^forkwrite +2 +0\.[4-5][0-9] GB +2[2-6][0-9]\.[0-9] MB of 240 MB shared$'
	assert_line --regexp '^pthread +2 +0\.2[0-9] GB +- \(threads share the memory\)$'
	assert_line --regexp '^memory: .* page tables [0-9.]+ MB, '
}

@test "forkwrite is opt-in: not part of all" {
	run --separate-stderr "$COLBENCH" --rows 30 --cols 10 --number 1 --repeat 1 --format json
	assert_success
	printf '%s\n' "$output" | /usr/bin/python3 -c "
import json, sys
assert 'forkwrite' not in [x['strategy'] for x in json.load(sys.stdin)['results']]"
}

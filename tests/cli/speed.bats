#!/usr/bin/env bats
# The speed options: --kernel, the measured limit (--no-limit), --hugepages
# and --pin, and the kernels' survey in the summary.

load helpers

setup() {
	colbench_setup
}

SMALL=(--rows 301 --cols 67 --number 2 --repeat 2)

# The summary row of strategy $1 with $2 workers, split on runs of 2+ spaces
# into the array row.
summary_row() {
	local line
	for line in "${lines[@]}"; do
		if [[ $line =~ ^$1\ +$2\ +[0-9] ]]; then
			mapfile -t row < <(sed -E 's/ {2,}/\n/g' <<<"$line")
			return 0
		fi
	done
	fail "no summary row for $1 with $2 workers"
}

@test "every kernel runs every strategy in both layouts and verifies" {
	local kernel layout
	for kernel in naive simd pairwise kahan; do
		for layout in f c; do
			run --separate-stderr "$COLBENCH" "${SMALL[@]}" --kernel "$kernel" \
				--layout "$layout" --workers 1,3
			assert_success
			assert_no_errors
			assert_line --regexp "^kernel: +$kernel \\("
			assert_line "All $(all_results 2) results verified."
		done
	done
}

@test "an unknown kernel is a usage error that lists the known ones" {
	assert_usage_error "^colbench: --kernel: unknown kernel 'fast' \\(known: naive, simd, pairwise, kahan\\)$" --kernel fast
}

@test "the summary surveys every kernel with its error against the reference" {
	run --separate-stderr "$COLBENCH" "${SMALL[@]}" --strategy seq
	assert_success
	local kernel
	for kernel in naive simd pairwise kahan; do
		assert_line --regexp "^$kernel +[0-9.]+ (s|ms|µs|ns) +[0-9.]+ +[0-9.]+e[-+][0-9]+ +[a-zA-Z]"
	done
	assert_line "All 4 kernels verified."
	# Compensated sums are at least as close to the reference as one accumulator.
	local naive kahan
	naive=$(awk '$1 == "naive" { print $5 }' <<<"$output")
	kahan=$(awk '$1 == "kahan" { print $5 }' <<<"$output")
	awk -v n="$naive" -v k="$kahan" 'BEGIN { exit !(k <= n) }' ||
		fail "kahan's error $kahan is larger than naive's $naive"
}

@test "the limit is measured for 1 and every worker count, and each result shows its share" {
	run --separate-stderr "$COLBENCH" "${SMALL[@]}" --workers 2,3
	assert_success
	local way='\((columns|streams|flat)\)'
	assert_line --regexp "^limit: +read bandwidth [0-9.]+ GB/s with 1 worker $way, [0-9.]+ GB/s with 2 workers $way, [0-9.]+ GB/s with 3 workers $way: the fastest pass of 3 ways to read the matrix.s memory \\(columns, streams, flat\\) in 2 rounds taking turns with the strategies$"
	# A share, or >100% where a result beat its limit (this small matrix
	# lives in the cache, where that can happen), with its warning then.
	summary_row pthread 3
	assert_regex "${row[6]}" '^([0-9]+|>100)%$'
	[[ ${row[6]} != '>100%' ]] || assert_regex "$stderr" "warning: pthread with 3 workers read [0-9.]+ GB/s, [0-9]+% above the read limit"
	summary_row seq 1
	assert_regex "${row[6]}" '^([0-9]+|>100)%$'
	# The JSON (a sampled run: its rounds are every process's) says which
	# way won each, over how many rounds, and how the limit was measured;
	# each result whether it beat its limit.
	run --separate-stderr "$COLBENCH" "${SMALL[@]}" --workers 2,3 --format json
	assert_success
	jq -e '(.sampling.processes * .sampling.runs_per_process) as $rounds |
		(.limit | length) == 3 and all(.limit[]; (.pattern | IN("columns", "streams", "flat"))
		and .rounds == $rounds and .gbps > 0) and (.limit_method | test("took turns with the strategies"))
		and all(.results[]; (.limit_exceeded | type) == "boolean"
			and .limit_exceeded == (.limit_fraction > 1.03))' <<<"$output" ||
		fail "the JSON's limit lacks its pattern, rounds or method: $(jq -c '{limit, limit_method}' <<<"$output")"
}

@test "--no-limit skips the limit: no limit line, no share" {
	run --separate-stderr "$COLBENCH" "${SMALL[@]}" --no-limit
	assert_success
	refute_line --regexp '^limit:'
	summary_row fork "$(nproc)"
	assert_equal "${row[6]}" "-"
}

@test "--hugepages off is said in the header and still verifies" {
	run --separate-stderr "$COLBENCH" "${SMALL[@]}" --hugepages off
	assert_success
	assert_line --regexp '^memory: +huge pages off, '
	assert_line "All $(all_results 1) results verified."
	assert_usage_error "^colbench: --hugepages: 'maybe' is neither on nor off$" --hugepages maybe
}

@test "--pin is said in the header and verifies; more workers than usable CPUs are refused, not made to share" {
	local cpus list=1
	cpus=$(nproc)
	((cpus == 1)) || list=1,$cpus
	run --separate-stderr "$COLBENCH" "${SMALL[@]}" --pin --workers "$list"
	assert_success
	assert_line --regexp '^kernel: .*, workers pinned to CPUs$'
	assert_line "All $(all_results $((cpus > 1 ? 2 : 1))) results verified."
	# "Its own CPU": a worker past the CPUs would share one, silently.
	assert_usage_error "^colbench: --pin gives each worker a CPU of its own: $((cpus + 1)) workers, but only $cpus usable CPUs? \(--workers at most $cpus, or no --pin\)$" \
		"${SMALL[@]}" --pin --workers "1,$((cpus + 1))"
	command -v taskset >/dev/null || return 0
	run --separate-stderr taskset -c 0 "$COLBENCH" "${SMALL[@]}" --pin --workers 2 --strategy fork
	assert_one_line_error 2 '^colbench: --pin gives each worker a CPU of its own: 2 workers, but only 1 usable CPU '
	# A strategy of one worker is never past them.
	run --separate-stderr taskset -c 0 "$COLBENCH" "${SMALL[@]}" --pin --workers 2 --strategy seq
	assert_success
}

@test "under taskset the default worker count is the CPUs colbench may use" {
	command -v taskset >/dev/null || skip "no taskset"
	run --separate-stderr taskset -c 0 "$COLBENCH" "${SMALL[@]}" --strategy fork --no-limit
	assert_success
	assert_line --regexp '^fork +1 worker '
	assert_line --regexp '^machine: +[0-9]+ online CPUs?, 1 usable '
}

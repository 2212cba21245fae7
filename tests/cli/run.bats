#!/usr/bin/env bats
# Normal runs: one %timeit line per strategy and worker count, in IPython's
# format, a summary, every result verified, status 0.

load helpers

setup() {
	colbench_setup
}

# assert_verified N: the last `run --separate-stderr` of colbench exited 0,
# said nothing on stderr, and its summary's last line verified N results.
assert_verified() {
	local n=$1
	if [[ $status -ne 0 ]]; then
		fail "status $status, expected 0 (stderr: $stderr)"
	fi
	assert_no_errors
	if [[ $n -eq 1 ]]; then
		assert_equal "${lines[${#lines[@]} - 1]}" "The result verified."
	else
		assert_equal "${lines[${#lines[@]} - 1]}" "All $n results verified."
	fi
}

# timeit_key LINE: "NAME WORKERS" of a %timeit line, e.g. "fork 2".
timeit_key() {
	[[ $1 =~ ^([a-z0-9_]+)\ +([0-9]+)\ worker ]] || fail "not a %timeit line: $1"
	echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
}

@test "default run (autorange): one %timeit line for each strategy, all verified" {
	run --separate-stderr "$COLBENCH" --rows 300 --cols 100 --repeat 3
	assert_verified "$(all_results 1)"
	collect_timeit_lines
	assert_equal "${#timeit_lines[@]}" "$(all_results 1)"
	local line
	for line in "${timeit_lines[@]}"; do
		assert_regex "$line" "${TIMEIT_HEAD}"'3 runs, [0-9,]+ loops? each\)$'
	done
	# In the registry's order.
	local i
	for i in "${!ALL_STRATEGIES[@]}"; do
		assert_regex "${timeit_lines[i]}" "^${ALL_STRATEGIES[i]} "
	done
}

@test "autorange picks a power of ten and writes it with thousands separators" {
	run --separate-stderr "$COLBENCH" --rows 300 --cols 100 --repeat 1 --strategy seq
	assert_verified 1
	collect_timeit_lines
	assert_equal "${#timeit_lines[@]}" 1
	[[ ${timeit_lines[0]} =~ 1\ run,\ ([0-9,]+)\ loops?\ each ]] || fail "no loop count in ${timeit_lines[0]}"
	assert_regex "${BASH_REMATCH[1]}" '^10{0,2}(,000)*$'
}

@test "the header describes the matrix and the machine" {
	run --separate-stderr "$COLBENCH" --rows 300 --cols 100 --repeat 1 --number 1 --strategy seq
	assert_verified 1
	assert_regex "${lines[0]}" '^colbench [0-9]+\.[0-9]+\.[0-9]+: column sums of a 300 x 100 float64 matrix$'
	assert_regex "${lines[1]}" '^matrix: +layout f \(column-major\), [0-9.]+ GB, seed 42, generated in [0-9.]+ s$'
	assert_regex "${lines[2]}" '^memory: +huge pages on, [0-9.]+ GB of this process in huge pages, page tables [0-9.]+ MB, first touch \(page faults\) [0-9.]+ s$'
	assert_regex "${lines[3]}" "^machine: +$(getconf _NPROCESSORS_ONLN) online CPUs?, $(nproc) usable "
	# simd over a column-major matrix: how many columns it reads at once,
	# measured against the other count (measure/tune.h).
	assert_regex "${lines[4]}" '^kernel: +simd \((avx512f|avx2|sse2|portable C)\), (1 column|4 columns) at a time \([0-9.]+x as fast as (4|1) here\), workers not pinned$'
	assert_regex "${lines[5]}" '^floors: +write [0-9.]+ GB/s with [0-9]+ threads? \(the generator: [0-9.]+ GB/s, [0-9.]+x the write pass\) \(best of [0-9]+\)$'
	assert_regex "${lines[6]}" '^reference: '
	# The limit took turns with the runs: it comes with their results,
	# after the %timeit line, just above the summary's table.
	assert_regex "${lines[7]}" '^seq +1 worker +'
	assert_regex "${lines[8]}" '^limit: +read bandwidth [0-9.]+ GB/s with 1 worker \((columns|streams|flat)\), [0-9.]+ GB/s with [0-9]+ workers \((columns|streams|flat)\): the fastest pass of 3 ways to read the matrix.s memory \(columns, streams, flat\) in 1 round taking turns with the strategies$'
	assert_regex "${lines[9]}" '^strategy +workers +mean '
	# Layout c (rows summed four at a time) and the other kernels read one
	# way only: nothing is measured or said.
	run --separate-stderr "$COLBENCH" --rows 300 --cols 100 --repeat 1 --number 1 --strategy seq -l c
	assert_regex "${lines[4]}" '^kernel: +simd \([^)]+\), workers not pinned$'
	run --separate-stderr "$COLBENCH" --rows 300 --cols 100 --repeat 1 --number 1 --strategy seq \
		--kernel pairwise --format json
	jq -e '.options | has("simd_columns_at_once") | not' <<<"$output"
	run --separate-stderr "$COLBENCH" --rows 300 --cols 100 --repeat 1 --number 1 --strategy seq \
		--format json
	jq -e '.options.simd_columns_at_once | (.columns | IN(1, 4)) and .gain >= 1' <<<"$output"
}

@test "the summary has one row per result and seq's speedup over itself is 1.00x" {
	run --separate-stderr "$COLBENCH" --rows 300 --cols 100 --repeat 2 --number 3 --workers 1,2
	assert_verified "$(all_results 2)"
	local rows=() line
	for line in "${lines[@]}"; do
		if [[ $line =~ ^($STRATEGY_RE)\ +[0-9]+\ +[0-9.]+\ (s|ms|µs|ns)\ .*\ [0-9.]+e[-+][0-9]+$ ]]; then
			rows+=("$line")
		fi
	done
	assert_equal "${#rows[@]}" "$(all_results 2)"
	assert_regex "${rows[0]}" '^seq +1 .* 1\.00x +- +'
}

@test "--workers 1,2,3: one seq line, then each parallel strategy with 1, 2 and 3 workers" {
	run --separate-stderr "$COLBENCH" --rows 300 --cols 100 --workers 1,2,3 --number 2 --repeat 2
	assert_verified "$(all_results 3)"
	collect_timeit_lines
	assert_equal "${#timeit_lines[@]}" "$(all_results 3)"
	local keys=() want=() line s w
	for line in "${timeit_lines[@]}"; do
		keys+=("$(timeit_key "$line")")
	done
	# In the registry's order: a single-worker strategy once, each parallel
	# one with 1, 2 and 3 workers.
	for s in "${ALL_STRATEGIES[@]}"; do
		if [[ " ${ALL_PARALLEL[*]} " == *" $s "* ]]; then
			for w in 1 2 3; do want+=("$s $w"); done
		else
			want+=("$s 1")
		fi
	done
	assert_equal "${keys[*]}" "${want[*]}"
	# "1 worker", "2 workers": singular and plural.
	local p=${ALL_PARALLEL[0]}
	assert_regex "$(printf '%s\n' "${timeit_lines[@]}" | grep -m1 "^$p ")" "^$p +1 worker  "
	assert_regex "$(printf '%s\n' "${timeit_lines[@]}" | grep "^$p " | sed -n 2p)" "^$p +2 workers "
}

@test "the parallel strategies default to one worker per online CPU; seq always has one" {
	local cpus
	cpus=$(getconf _NPROCESSORS_ONLN)
	run --separate-stderr "$COLBENCH" --rows 300 --cols 100 --number 2 --repeat 2
	assert_verified "$(all_results 1)"
	collect_timeit_lines
	local i=0 s
	for s in "${ALL_STRATEGIES[@]}"; do
		if [[ " ${ALL_PARALLEL[*]} " == *" $s "* ]]; then
			assert_equal "$(timeit_key "${timeit_lines[i]}")" "$s $cpus"
		else
			assert_equal "$(timeit_key "${timeit_lines[i]}")" "$s 1"
		fi
		i=$((i + 1))
	done
}

@test "--strategy pthread runs only pthread" {
	run --separate-stderr "$COLBENCH" --rows 300 --cols 100 --strategy pthread --workers 1,2 --number 2 --repeat 2
	assert_verified 2
	collect_timeit_lines
	assert_equal "${#timeit_lines[@]}" 2
	assert_equal "$(timeit_key "${timeit_lines[0]}")" "pthread 1"
	assert_equal "$(timeit_key "${timeit_lines[1]}")" "pthread 2"
	refute_regex "$output" $'(^|\n)(seq|fork) '
}

@test "-s fork,seq runs in the order given (a repeated strategy is refused: malformed.tsv)" {
	run --separate-stderr "$COLBENCH" --rows 30 --cols 10 -s fork,seq -w 2 -n 2 -r 2
	assert_verified 2
	collect_timeit_lines
	assert_equal "${#timeit_lines[@]}" 2
	assert_equal "$(timeit_key "${timeit_lines[0]}")" "fork 2"
	assert_equal "$(timeit_key "${timeit_lines[1]}")" "seq 1"
}

@test "--strategy all,seq is every strategy once" {
	run --separate-stderr "$COLBENCH" --rows 30 --cols 10 --strategy all,seq --workers 1 --number 2 --repeat 2
	assert_verified "$(all_results 1)"
	collect_timeit_lines
	assert_equal "${#timeit_lines[@]}" "$(all_results 1)"
}

@test "--number 5 --repeat 2 says '2 runs, 5 loops each'" {
	run --separate-stderr "$COLBENCH" --rows 300 --cols 100 --number 5 --repeat 2
	assert_verified "$(all_results 1)"
	collect_timeit_lines
	assert_equal "${#timeit_lines[@]}" "$(all_results 1)"
	local line
	for line in "${timeit_lines[@]}"; do
		assert_regex "$line" '\(mean ± std\. dev\. of 2 runs, 5 loops each\)$'
	done
}

@test "--number 1 --repeat 1 says '1 run, 1 loop each'" {
	run --separate-stderr "$COLBENCH" --rows 300 --cols 100 --number 1 --repeat 1
	assert_verified "$(all_results 1)"
	collect_timeit_lines
	assert_equal "${#timeit_lines[@]}" "$(all_results 1)"
	local line
	for line in "${timeit_lines[@]}"; do
		assert_regex "$line" '\(mean ± std\. dev\. of 1 run, 1 loop each\)$'
	done
}

@test "loop counts get thousands separators: 1234 -> 1,234 and 1000000 -> 1,000,000" {
	run --separate-stderr "$COLBENCH" --rows 1 --cols 1 --strategy seq --number 1234 --repeat 1 --quiet
	assert_success
	assert_regex "$output" ' of 1 run, 1,234 loops each\)$'
	run --separate-stderr "$COLBENCH" --rows 1 --cols 1 --strategy seq --number 1000000 --repeat 1 --quiet
	assert_success
	assert_regex "$output" ' of 1 run, 1,000,000 loops each\)$'
}

@test "--warmup 0 runs and verifies" {
	run --separate-stderr "$COLBENCH" --rows 300 --cols 100 --warmup 0 --number 2 --repeat 2
	assert_verified "$(all_results 1)"
}

@test "--quiet prints only the %timeit lines: no header, no summary" {
	run --separate-stderr "$COLBENCH" --rows 300 --cols 100 --number 3 --repeat 3 --quiet
	assert_success
	assert_no_errors
	collect_timeit_lines
	assert_equal "${#timeit_lines[@]}" "$(all_results 1)"
	local line
	for line in "${lines[@]}"; do
		[[ $line =~ $TIMEIT_RE || $line =~ $SLOW_RE ]] || fail "--quiet printed: '$line'"
	done
	# lines[] skips empty lines: check there are none either.
	[[ $output != *$'\n\n'* ]] || fail "--quiet printed an empty line"
}

@test "-q is --quiet" {
	run --separate-stderr "$COLBENCH" --rows 30 --cols 10 -n 2 -r 2 -q
	assert_success
	collect_timeit_lines
	assert_equal "${#timeit_lines[@]}" "$(all_results 1)"
	refute_regex "$output" 'verified|colbench'
}

@test "--layout c runs and verifies" {
	run --separate-stderr "$COLBENCH" --rows 300 --cols 100 --layout c --workers 1,2 --number 3 --repeat 2
	assert_verified "$(all_results 2)"
	assert_regex "${lines[1]}" '^matrix: +layout c \(row-major\)'
}

@test "-l C (upper case) is row-major too" {
	run --separate-stderr "$COLBENCH" --rows 30 --cols 10 -l C --number 2 --repeat 2
	assert_verified "$(all_results 1)"
	assert_regex "${lines[1]}" '^matrix: +layout c \(row-major\)'
}

# awkward_shape ROWS COLS: both layouts, a worker for every block (column
# in layout f, row in layout c: the most --workers allows), every strategy
# verified; one worker more is refused.  Blocks that are empty, with more
# workers than that, are the unit tests' (tests/unit/test_strategy.c).
awkward_shape() {
	local layout blocks
	for layout in f c; do
		blocks=$([[ $layout == f ]] && echo "$2" || echo "$1")
		run --separate-stderr "$COLBENCH" --rows "$1" --cols "$2" --layout "$layout" \
			--workers "$blocks" --number 3 --repeat 2
		if [[ $status -ne 0 ]]; then
			fail "$1 x $2 layout $layout: status $status, stderr: $stderr"
		fi
		assert_verified "$(all_results 1)"
		collect_timeit_lines
		((${#timeit_lines[@]} == $(all_results 1))) ||
			fail "$1 x $2 layout $layout: ${#timeit_lines[@]} %timeit lines of $(all_results 1): $output"
		local i w
		for i in "${!ALL_STRATEGIES[@]}"; do
			w=1
			[[ " ${ALL_PARALLEL[*]} " != *" ${ALL_STRATEGIES[i]} "* ]] || w=$blocks
			assert_equal "$(timeit_key "${timeit_lines[i]}")" "${ALL_STRATEGIES[i]} $w"
		done
		assert_usage_error "^colbench: --workers: $((blocks + 1)) workers but only $blocks " \
			--rows "$1" --cols "$2" --layout "$layout" --workers "$((blocks + 1))"
	done
}

@test "a 1 x 1 matrix, a worker per block, both layouts" {
	awkward_shape 1 1
}

@test "a 1 x 7 matrix, a worker per block, both layouts" {
	awkward_shape 1 7
}

@test "a 7 x 1 matrix, a worker per block, both layouts" {
	awkward_shape 7 1
}

@test "a 3 x 2 matrix, a worker per block, both layouts" {
	awkward_shape 3 2
}

@test "a 1000 x 333 matrix split unevenly over 1, 3 and 7 workers, both layouts" {
	local layout
	for layout in f c; do
		run --separate-stderr "$COLBENCH" --rows 1000 --cols 333 --layout "$layout" \
			--workers 1,3,7 --number 2 --repeat 2
		assert_verified "$(all_results 3)"
	done
}

@test "any seed verifies" {
	local seed
	for seed in 0 1 123456789 18446744073709551615; do
		run --separate-stderr "$COLBENCH" --rows 50 --cols 20 --seed "$seed" --number 1 --repeat 1
		assert_verified "$(all_results 1)"
		assert_regex "${lines[1]}" ", seed $seed, "
	done
}

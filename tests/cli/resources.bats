#!/usr/bin/env bats
# Resources: a matrix that does not fit in memory is bad input (status 2),
# refused before anything is allocated; an allocation or a thread creation
# that fails is a system failure (status 3).

load helpers

setup() {
	colbench_setup
}

# MemAvailable in kB, from /proc/meminfo.
mem_available_kb() {
	awk '/^MemAvailable:/ { print $2 }' /proc/meminfo
}

@test "an 8 TB matrix is refused with status 2, saying what it needs and what is available" {
	run --separate-stderr timeout 5 "$COLBENCH" --rows 1000000 --cols 1000000
	assert_one_line_error 2 'needs [0-9.]+ GB.*[0-9.]+ GB is available'
}

@test "the 8 TB refusal reports the sizes right: 8000 GB needed, about MemAvailable available" {
	run --separate-stderr timeout 5 "$COLBENCH" --rows 1000000 --cols 1000000
	assert_one_line_error 2 'needs [0-9.]+ GB.*[0-9.]+ GB is available'
	[[ ${stderr_lines[0]} =~ needs\ ([0-9.]+)\ GB.*\ ([0-9.]+)\ GB\ is\ available ]]
	local needed=${BASH_REMATCH[1]} available=${BASH_REMATCH[2]}
	# 10^6 x 10^6 x 8 bytes = 8000 GB (GB = 10^9 bytes).
	awk -v n="$needed" 'BEGIN { exit !(n == 8000) }' || fail "needs $needed GB, expected 8000"
	# Within 10% (plus 0.1 GB) of MemAvailable now: memory moves a little.
	local kb
	kb=$(mem_available_kb)
	awk -v a="$available" -v kb="$kb" 'BEGIN { gb = kb * 1024 / 1e9; d = a - gb; if (d < 0) d = -d; exit !(d <= 0.1 * gb + 0.1) }' ||
		fail "says $available GB available, MemAvailable is $kb kB"
}

@test "the 8 TB refusal allocates nothing: same status 2 under a 100 MB address-space limit" {
	skip_under_asan "it reserves terabytes of address space for its shadow memory, so it cannot start under ulimit -v"
	# If colbench tried to map 8 TB first, the mmap would fail here with
	# status 3 ("cannot allocate") instead of the size check's status 2.
	run --separate-stderr timeout 5 bash -c 'ulimit -v 100000 && exec "$0" --rows 1000000 --cols 1000000' "$COLBENCH"
	assert_one_line_error 2 'needs [0-9.]+ GB.*[0-9.]+ GB is available'
}

@test "a matrix just over MemAvailable is refused too" {
	skip_under_asan "it reserves terabytes of address space for its shadow memory, so it cannot start under ulimit -v"
	local kb rows
	kb=$(mem_available_kb)
	# rows x 1000 doubles = rows x 8000 bytes: 5% over MemAvailable, so
	# that memory freed meanwhile does not matter.
	rows=$((kb * 1024 / 8000 * 105 / 100 + 1000))
	run --separate-stderr timeout 5 bash -c 'ulimit -v 100000 && exec "$0" --rows "$1" --cols 1000' "$COLBENCH" "$rows"
	assert_one_line_error 2 'needs [0-9.]+ GB.*[0-9.]+ GB is available'
}

@test "a failing allocation (400 MB over a 300 MB address-space limit) is status 3" {
	skip_under_asan "it reserves terabytes of address space for its shadow memory, so it cannot start under ulimit -v"
	local kb
	kb=$(mem_available_kb)
	((kb > 1000000)) || skip "needs MemAvailable > 1 GB (have $kb kB)"
	run --separate-stderr timeout 20 bash -c 'ulimit -v 300000 && exec "$0" --rows 10000 --cols 5000 --repeat 1 --number 1' "$COLBENCH"
	assert_one_line_error 3 '^colbench: cannot allocate '
}

@test "a thread that cannot be created (4 GB stacks, 3 GB address space) is status 3" {
	skip_under_asan "it reserves terabytes of address space for its shadow memory, so it cannot start under ulimit -v"
	# glibc gives new threads stacks of RLIMIT_STACK: 4 GB cannot be mapped
	# under a 3 GB limit, so the first thread colbench creates (to generate
	# the matrix) fails.
	run --separate-stderr timeout 20 bash -c 'ulimit -s 4000000 && ulimit -v 3000000 && exec "$0" --rows 100 --cols 100 --number 1 --repeat 1' "$COLBENCH"
	assert_one_line_error 3 '^colbench: cannot create thread [0-9]+ of [0-9]+: '
}

#!/usr/bin/env bats
# Resources: a matrix that does not fit in memory is bad input (status 2),
# refused before anything is allocated; an allocation or a thread creation
# that fails is a system failure (status 3).

load helpers

setup() {
	colbench_setup
	CB_UDIR=
}

teardown() {
	unprivileged_cleanup
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

# --- Limits that root does not obey: as an unprivileged user -------------

# nproc_run LIMIT ARG...: colbench ARG... as the unprivileged user, allowed
# LIMIT processes and threads of that user in all (RLIMIT_NPROC).
nproc_run() {
	local limit=$1
	shift
	unprivileged_dir
	# LeakSanitizer (in the ASan build) would need a thread of its own at exit.
	run --separate-stderr env ASAN_OPTIONS=detect_leaks=0 timeout 60 \
		prlimit --nproc="$limit:$limit" -- "${AS_UNPRIVILEGED[@]}" "$CB_UCOLBENCH" "$@"
}

# The threads that make the matrix: one per usable CPU.  A limit above
# them lets the matrix be made, and the workers past it fail.
matrix_threads() {
	nproc
}

# skip_unless_nproc_testable: RLIMIT_NPROC counts every process of a user,
# so the test needs a user of its own: root's setpriv to uid 54321, which
# must have no process yet.
skip_unless_nproc_testable() {
	((EUID == 0)) || skip "RLIMIT_NPROC needs a user with no process: run the tests as root"
	if pgrep -u 54321 >/dev/null; then
		skip "uid 54321 already runs processes: its RLIMIT_NPROC count is not ours"
	fi
}

@test "fork failing (a low RLIMIT_NPROC): status 3, one line naming the worker, none left" {
	skip_unless_nproc_testable
	local limit=$(($(matrix_threads) + 1)) s
	for s in fork forkpool; do
		# colbench and limit-1 workers fit; worker `limit` cannot be forked.
		nproc_run "$limit" --rows 400 --cols $((limit + 100)) --number 1 --repeat 1 \
			--no-limit --strategy "$s" --workers $((limit + 1))
		assert_error_line 3 "^colbench: cannot start $s worker $limit of $((limit + 1)): fork: Resource temporarily unavailable$"
	done
	# Nothing of that user is left running.
	run pgrep -u 54321
	assert_failure
}

@test "thread creation failing (a low RLIMIT_NPROC): status 3, one line naming the thread" {
	skip_unless_nproc_testable
	local limit=$(($(matrix_threads) + 1))
	nproc_run "$limit" --rows 400 --cols $((limit + 100)) --number 1 --repeat 1 \
		--no-limit --strategy pthread --workers $((limit + 1))
	assert_error_line 3 "^colbench: cannot create thread [0-9]+ of $((limit + 1)): Resource temporarily unavailable$"
}

# read_only_dir: $CB_UDIR/ro, holding an earlier r.json and m.npy ("old"),
# that the unprivileged user cannot write to.
read_only_dir() {
	unprivileged_dir
	CB_RO=$CB_UDIR/ro
	mkdir "$CB_RO"
	printf 'old' >"$CB_RO/r.json"
	printf 'old' >"$CB_RO/m.npy"
	chmod 555 "$CB_RO"
}

@test "a report written into a read-only folder: status 3, one line, the earlier report intact" {
	read_only_dir
	run --separate-stderr as_unprivileged "$CB_UCOLBENCH" --rows 300 --cols 100 --number 1 \
		--repeat 2 --no-limit --strategy seq --output "$CB_RO/r.json"
	assert_error_line 3 "^colbench: $CB_RO/r\\.json: cannot create: Permission denied$"
	assert_only_old_files "$CB_RO" m.npy r.json
}

@test "a matrix or its sums saved into a read-only folder: status 3, one line, the earlier file intact" {
	read_only_dir
	local opt
	for opt in --save --sums; do
		run --separate-stderr as_unprivileged "$CB_UCOLBENCH" --rows 300 --cols 100 --number 1 \
			--repeat 2 --no-limit --strategy seq "$opt" "$CB_RO/m.npy"
		assert_one_line_error 3 "^colbench: $CB_RO/m\\.npy: cannot create: Permission denied$"
		assert_only_old_files "$CB_RO" m.npy r.json
	done
}

@test "a report that does not fit (a full disk: 1 kB of file size allowed): status 3, the earlier report intact" {
	local out=$BATS_TEST_TMPDIR/files
	mkdir "$out"
	printf 'old' >"$out/r.json"
	# SIGXFSZ ignored, so the write fails with EFBIG, as on a full disk.
	run --separate-stderr bash -c 'trap "" XFSZ; ulimit -f 1; exec "$0" --rows 300 --cols 100 --number 1 --repeat 2 --no-limit --strategy seq,pthread --workers 2 --output "$1"' \
		"$COLBENCH" "$out/r.json"
	assert_error_line 3 "^colbench: $out/r\\.json: cannot write: File too large$"
	assert_only_old_files "$out" r.json
}

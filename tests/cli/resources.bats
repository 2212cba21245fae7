#!/usr/bin/env bats
# Resources: a matrix that does not fit in memory is bad input (status 2),
# refused before anything is allocated; an allocation or a thread creation
# that fails is a system failure (status 3).

load helpers

setup() {
	colbench_setup
	CB_UDIR=
	CB_CGROUP=
}

teardown() {
	unprivileged_cleanup
	if [[ -n ${CB_CGROUP:-} ]]; then
		rmdir "$CB_CGROUP" 2>/dev/null || true
	fi
}

# MemAvailable in kB, from /proc/meminfo.
mem_available_kb() {
	awk '/^MemAvailable:/ { print $2 }' /proc/meminfo
}

@test "an 8 TB matrix is refused with status 2, saying what it needs and what is available" {
	run --separate-stderr timeout 5 "$COLBENCH" --rows 1000000 --cols 1000000
	assert_one_line_error 2 'needs [0-9.]+ GB.*[0-9.]+ GB is available'
}

@test "the 8 TB refusal reports the sizes right: 8000 GB needed, and what the named limit leaves" {
	run --separate-stderr timeout 5 "$COLBENCH" --rows 1000000 --cols 1000000
	assert_one_line_error 2 'needs [0-9.]+ GB.*[0-9.]+ GB is available \((MemAvailable|the memory cgroup.s limit, .*)\)$'
	[[ ${stderr_lines[0]} =~ needs\ ([0-9.]+)\ GB.*\ ([0-9.]+)\ GB\ is\ available\ \((.*)\)$ ]]
	local needed=${BASH_REMATCH[1]} available=${BASH_REMATCH[2]} source=${BASH_REMATCH[3]} kb
	# 10^6 x 10^6 x 8 bytes = 8000 GB (GB = 10^9 bytes).
	awk -v n="$needed" 'BEGIN { exit !(n == 8000) }' || fail "needs $needed GB, expected 8000"
	kb=$(mem_available_kb)
	if [[ $source == MemAvailable ]]; then
		# Within 10% (plus 0.1 GB) of MemAvailable now: memory moves a little.
		awk -v a="$available" -v kb="$kb" 'BEGIN { gb = kb * 1024 / 1e9; d = a - gb; if (d < 0) d = -d; exit !(d <= 0.1 * gb + 0.1) }' ||
			fail "says $available GB available, MemAvailable is $kb kB"
	else
		# A cgroup's limit: named because it leaves less than MemAvailable.
		[[ -r ${source##*, } ]] || fail "names a cgroup file that is not there: $source"
		awk -v a="$available" -v kb="$kb" 'BEGIN { exit !(a <= kb * 1024 / 1e9 * 1.1 + 0.1) }' ||
			fail "names the cgroup with $available GB, more than MemAvailable ($kb kB)"
	fi
}

@test "the address-space limit (ulimit -v) is named when it leaves the least" {
	skip_under_asan "it reserves terabytes of address space for its shadow memory, so it cannot start under ulimit -v"
	run --separate-stderr timeout 5 bash -c 'ulimit -v 300000 && exec "$0" --rows 10000 --cols 5000' "$COLBENCH"
	assert_one_line_error 2 '^colbench: a 10000 x 5000 float64 matrix needs 0\.40 GB, but only 0\.[0-9]+ GB is available \(the address-space limit, ulimit -v\)$'
}

# in_memory_cgroup LIMIT ARG...: run colbench ARG... in a new memory
# cgroup (v1, or v2 where the memory controller can be delegated) of LIMIT
# bytes; skips where none can be made (not root, no cgroup file system).
in_memory_cgroup() {
	local limit=$1 path parent
	shift
	((EUID == 0)) || skip "making a cgroup needs root"
	if path=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ { print $3; exit }' /proc/self/cgroup) && [[ -n $path ]]; then
		parent=/sys/fs/cgroup/memory${path%/}
		[[ -d $parent ]] || parent=/sys/fs/cgroup/memory
		CB_CGROUP=$parent/colbench-test-$$
		mkdir "$CB_CGROUP" 2>/dev/null || skip "cannot make a v1 memory cgroup under $parent"
		echo "$limit" >"$CB_CGROUP/memory.limit_in_bytes" || skip "cannot limit a v1 memory cgroup"
	elif path=$(awk -F: '$1 == "0" { print $3; exit }' /proc/self/cgroup) && [[ -n $path ]]; then
		parent=/sys/fs/cgroup${path%/}
		grep -qw memory "$parent/cgroup.controllers" 2>/dev/null || skip "no memory controller in $parent"
		echo +memory >"$parent/cgroup.subtree_control" 2>/dev/null ||
			skip "cannot delegate the memory controller below $parent"
		CB_CGROUP=$parent/colbench-test-$$
		mkdir "$CB_CGROUP" 2>/dev/null || skip "cannot make a cgroup under $parent"
		echo "$limit" >"$CB_CGROUP/memory.max" || skip "cannot limit a v2 cgroup"
	else
		skip "no memory cgroup here"
	fi
	run --separate-stderr timeout 20 bash -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' \
		cgroup "$CB_CGROUP" "$COLBENCH" "$@"
}

@test "under a memory cgroup limit smaller than the matrix: status 2 naming the cgroup, not an OOM kill" {
	skip_under_asan "its shadow memory alone can outgrow a 100 MB cgroup"
	# 10000 x 5000 x 8 = 400 MB against 100 MB: without the check, colbench
	# would be OOM-killed (status 137) while it touched the matrix.
	in_memory_cgroup $((100 << 20)) --rows 10000 --cols 5000 --number 1 --repeat 1 --no-limit
	assert_one_line_error 2 "^colbench: a 10000 x 5000 float64 matrix needs 0\.40 GB, but only 0\.(0|10)[0-9]* GB is available \(the memory cgroup's limit, $CB_CGROUP/memory\.(max|limit_in_bytes)\)$"
}

@test "with no MemAvailable, memory cgroup or resource limit to read: refused above physical memory, saying so" {
	((EUID == 0)) || skip "hiding /proc/meminfo needs a mount namespace: run the tests as root"
	unshare -m true 2>/dev/null || skip "no mount namespace here (unshare -m refused)"
	run --separate-stderr timeout 10 unshare -m --propagation private bash -c '
		mount --bind /dev/null /proc/meminfo && mount -t tmpfs none /sys/fs/cgroup || exit 99
		ulimit -v unlimited && ulimit -d unlimited && exec "$0" --rows 1000000 --cols 1000000' "$COLBENCH"
	assert_one_line_error 2 "needs 8000\.00 GB, but only [0-9.]+ GB is available \(physical memory: neither MemAvailable, a memory cgroup nor a resource limit could be read\)$"
	[[ ${stderr_lines[0]} =~ only\ ([0-9.]+)\ GB ]]
	local phys
	phys=$(($(getconf _PHYS_PAGES) * $(getconf PAGESIZE)))
	awk -v a="${BASH_REMATCH[1]}" -v p="$phys" 'BEGIN { d = a - p / 1e9; exit !(d < 0.01 && d > -0.01) }' ||
		fail "says ${BASH_REMATCH[1]} GB, physical memory is $phys bytes"
}

@test "the 8 TB refusal allocates nothing: same status 2 under a 100 MB address-space limit" {
	skip_under_asan "it reserves terabytes of address space for its shadow memory, so it cannot start under ulimit -v"
	# If colbench tried to map 8 TB first, the mmap would fail here with
	# status 3 ("cannot allocate") instead of the size check's status 2.
	run --separate-stderr timeout 5 bash -c 'ulimit -v 100000 && exec "$0" --rows 1000000 --cols 1000000' "$COLBENCH"
	assert_one_line_error 2 'needs [0-9.]+ GB.*[0-9.]+ GB is available'
}

@test "a matrix just over MemAvailable is refused too, naming MemAvailable (or a cgroup that leaves less)" {
	skip_under_asan "ASan must be the first library loaded, so no LD_PRELOAD shim goes before it"
	local kb rows
	kb=$(mem_available_kb)
	# rows x 1000 doubles = rows x 8000 bytes: 5% over MemAvailable, so
	# that memory freed meanwhile does not matter.
	rows=$((kb * 1024 / 8000 * 105 / 100 + 1000))
	mmap_shim
	run --separate-stderr timeout 5 env LD_PRELOAD="$CB_SHIM" "$COLBENCH" --rows "$rows" --cols 1000
	assert_one_line_error 2 'needs [0-9.]+ GB.*[0-9.]+ GB is available \((MemAvailable|the memory cgroup.s limit, .*)\)$'
}

@test "a failing allocation (400 MB that passed the size check, then mmap refused) is status 3" {
	skip_under_asan "ASan must be the first library loaded, so no LD_PRELOAD shim goes before it"
	# The size check passes (the machine has the memory); a shim makes
	# every mmap above 100 MB fail with ENOMEM, as when memory runs out
	# between the check and the allocation.
	mmap_shim
	run --separate-stderr timeout 20 env LD_PRELOAD="$CB_SHIM" \
		"$COLBENCH" --rows 10000 --cols 5000 --repeat 1 --number 1
	assert_one_line_error 3 '^colbench: cannot allocate 0\.40 GB for the matrix: Cannot allocate memory$'
}

@test "threads' stacks past the address-space limit (4 GB stacks, 3 GB ulimit -v) are refused before work, status 2" {
	skip_under_asan "it reserves terabytes of address space for its shadow memory, so it cannot start under ulimit -v"
	# glibc gives new threads stacks of RLIMIT_STACK, mapped whole: 4 GB
	# each cannot be mapped under a 3 GB limit.  The size check counts
	# them with the matrix, so this is a usage error, not a failed thread.
	run --separate-stderr timeout 20 bash -c 'ulimit -s 4000000 && ulimit -v 3000000 && exec "$0" --rows 100 --cols 100 --number 1 --repeat 1' "$COLBENCH"
	assert_one_line_error 2 "^colbench: a 100 x 100 float64 matrix, with the stacks of the $(nproc) threads that make it, needs [0-9.]+ GB, but only [0-9.]+ GB of address space is left \(the address-space limit, ulimit -v\)$"
}

@test "under a small ulimit -v a run works or is refused with status 2, never a failed allocation (3)" {
	skip_under_asan "it reserves terabytes of address space for its shadow memory, so it cannot start under ulimit -v"
	# What is already mapped (libraries, the matrix's rounding to a huge
	# page, the threads' stacks) counts against RLIMIT_AS, not only the
	# matrix: each limit here once passed the size check and then failed.
	local kb shape
	for kb in 20000 24000 28000 32000 40000 60000; do
		for shape in "200 100" "2000 1000" "3000 1000"; do
			set -- $shape
			run --separate-stderr timeout 20 bash -c 'ulimit -v "$1" && exec "$0" --rows "$2" --cols "$3" \
				--strategy seq --no-limit --number 1 --repeat 1 -q' "$COLBENCH" "$kb" "$1" "$2"
			case $status in
			0) ;;
			2) assert_regex "$stderr" 'needs [0-9.]+ GB, but only [0-9.]+ GB (of address space is left|is available) \(the address-space limit, ulimit -v\)$' ;;
			*) fail "ulimit -v $kb, $1 x $2: status $status: $stderr" ;;
			esac
		done
	done
}

# --- Limits that root does not obey: as an unprivileged user -------------

# nproc_run LIMIT ARG...: colbench ARG... as the unprivileged user, allowed
# LIMIT processes and threads of that user in all (RLIMIT_NPROC).
nproc_run() {
	local limit=$1 i
	shift
	unprivileged_dir
	# The user's count holds every task of it: wait (5 s at most) for
	# the last run's processes to be gone, so that only this run counts
	# (a nested run of the suite once met one left over).
	for i in $(seq 100); do
		pgrep -u "$CB_UID" >/dev/null || break
		sleep 0.05
	done
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
# so the test needs a user of its own: root's setpriv to uid CB_UID, which
# must have no process yet.
skip_unless_nproc_testable() {
	((EUID == 0)) || skip "RLIMIT_NPROC needs a user with no process: run the tests as root"
	if pgrep -u "$CB_UID" >/dev/null; then
		skip "uid $CB_UID already runs processes: its RLIMIT_NPROC count is not ours"
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
	run pgrep -u "$CB_UID"
	assert_failure
}

@test "thread creation failing (a low RLIMIT_NPROC): status 3, one line naming the thread" {
	skip_unless_nproc_testable
	local limit=$(($(matrix_threads) + 1))
	nproc_run "$limit" --rows 400 --cols $((limit + 100)) --number 1 --repeat 1 \
		--no-limit --strategy pthread --workers $((limit + 1))
	assert_error_line 3 "^colbench: cannot create thread [0-9]+ of $((limit + 1)): Resource temporarily unavailable$"
}

@test "the matrix's threads failing (RLIMIT_NPROC 1) under a one-thread strategy name what they were for" {
	skip_unless_nproc_testable
	# "cannot create thread 1 of 2" alone, under --strategy seq, read as
	# seq's own: the threads that touch the matrix's pages come first.
	nproc_run 1 --rows 400 --cols 100 --number 1 --repeat 1 --no-limit --strategy seq
	assert_error_line 3 "^colbench: the threads that touch the matrix's pages: cannot create thread 1 of $(matrix_threads): Resource temporarily unavailable$"
}

@test "OpenMP thread creation failing (a low RLIMIT_NPROC): status 3, one colbench line, not libgomp's status 1" {
	skip_unless_nproc_testable
	# Room for the matrix's and the reference's threads twice over: a
	# thread joined a moment ago may still count against RLIMIT_NPROC
	# until the kernel releases it (once, with room for one, the
	# reference's threads were refused instead of openmp's).
	local limit=$((2 * $(matrix_threads) + 1))
	# libgomp would print its own line and exit(1), the status of a failed
	# verification; colbench makes the team's threads first.
	nproc_run "$limit" --rows 400 --cols $((limit + 100)) --number 1 --repeat 1 \
		--no-limit --strategy openmp --workers $((limit + 1))
	assert_error_line 3 "^colbench: cannot start the openmp worker threads: cannot create thread [0-9]+ of $limit: Resource temporarily unavailable$"
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

@test "colbench runs on a 32 kB stack: every strategy, both layouts, files in and out" {
	skip_under_asan "ASan's own frames need more stack than 32 kB"
	local out=$BATS_TEST_TMPDIR/files layout
	mkdir "$out"
	for layout in f c; do
		# It used to die of SIGSEGV: 17 kB of warnings on main's stack, a
		# 20 kB .npy header, 30 kB of pairwise state in layout c.
		# The limit covers the environment's strings too, and the kernel
		# starts the stack up to 8 kB lower at random: a small, fixed
		# environment, so that what is measured is colbench's own use.
		run --separate-stderr env -i PATH=/usr/bin:/bin LC_ALL=C bash -c 'ulimit -Ss 32 && exec "$0" "$@"' "$COLBENCH" \
			--rows 300 --cols 200 --layout "$layout" --strategy all --workers 2 --number 1 \
			--repeat 2 --save "$out/m.npy" --sums "$out/s.npy" --output "$out/r.json"
		assert_success
		run --separate-stderr env -i PATH=/usr/bin:/bin LC_ALL=C bash -c 'ulimit -Ss 32 && exec "$0" "$@"' "$COLBENCH" \
			--load "$out/m.npy" --mmap --kernel pairwise --strategy seq,pthread,openmp \
			--workers 2 --number 1 --repeat 5 --baseline "$out/r.json" --threshold 1000 \
			--no-limit # a mapped file's bandwidth is not the generated matrix's: no machine check
		# Compared all the way to the verdicts, which another kernel than
		# the baseline's makes inconclusive, whatever the load.
		assert_failure 5
		assert_line --regexp '^pthread +2 .* inconclusive \(the kernels differ\)$'
		rm -f "$out"/*
	done
}

@test "a message longer than its buffer keeps its reason: the middle of a 3000-character path goes" {
	local long=$BATS_TEST_TMPDIR/missing i
	for i in $(seq 14); do
		long+=/$(printf 'x%.0s' $(seq 200))
	done
	run --separate-stderr "$COLBENCH" --rows 300 --cols 100 --output "$long/r.json"
	assert_one_line_error 2 "^colbench: $BATS_TEST_TMPDIR/missing/[x/]+ \\.\\.\\. [x/]+/r\\.json: cannot create: No such file or directory$"
	((${#stderr_lines[0]} < 2100)) || fail "the line is ${#stderr_lines[0]} characters long"
}

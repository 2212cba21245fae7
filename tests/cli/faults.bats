#!/usr/bin/env bats
# Faults during a run: a fork worker killed, SIGTERM and SIGINT.  colbench
# runs under a waiter in a session (and process group) of its own (see
# start_in_session in helpers.bash): the waiter tells "killed by signal N"
# from "exit N", afterwards we check that no process of that group is left,
# and teardown kills the whole group if a test fails half-way.
#
# The matrix is 4000 x 4000 (128 MB): one call sums it in some milliseconds,
# so a fork worker lives long enough to be caught, and --repeat 100000 keeps
# colbench busy far longer than any test waits for it.

load helpers

setup() {
	colbench_setup
	CB_PID=
	CB_COLBENCH=
}

teardown() {
	kill_session
}

LONG_RUN=(--rows 4000 --cols 4000 --number 1 --repeat 100000 --warmup 0)

# assert_worker_died STRATEGY WORKER PID SIGNUM SIGNAME: colbench exited 3
# with one error line (left in err_lines) naming worker WORKER of 2 of STRATEGY,
# pid PID (both regexes), killed by that signal; no process is left.
assert_worker_died() {
	assert_equal "$CB_HOW" "exit 3"
	# Warnings about the run (its long estimate) may come first.
	mapfile -t err_lines < <(grep -v '^colbench: warning: ' "$CB_ERR")
	assert_equal "${#err_lines[@]}" 1
	assert_regex "${err_lines[0]}" "^colbench: $1 worker $2 of 2 \\(pid $3\\) was killed by signal $4 \\($5\\)"
	assert_session_empty
}

@test "a fork worker killed mid-run: status 3, one line naming it, nothing left behind" {
	# 8000 x 8000 (512 MB): a worker lives some 15 ms a call, long enough
	# for pgrep to see it on a loaded machine (128 MB workers lived 3 ms).
	start_in_session --rows 8000 --cols 8000 --number 1 --repeat 100000 --warmup 0 --no-limit \
		--strategy fork --workers 2
	# Kill whatever worker exists, every 5 ms, until colbench notices: a
	# worker may have finished (a zombie ignores the signal) before the
	# kill lands, and then the next call's workers are killed instead.
	local deadline=$((SECONDS + 30)) killed=() child
	while alive "$CB_COLBENCH"; do
		for child in $(pgrep -P "$CB_COLBENCH"); do
			if kill -KILL "$child" 2>/dev/null; then
				killed+=("$child")
			fi
		done
		if ((SECONDS >= deadline)); then
			kill_session
			fail "colbench still running 30 s after its workers were killed (killed: ${killed[*]})"
		fi
		sleep 0.005
	done
	wait_for_exit 5
	((${#killed[@]} > 0)) || fail "colbench ended before any worker was seen; stderr: $(cat "$CB_ERR")"

	assert_worker_died fork '[12]' '[0-9]+' 9 SIGKILL
	# The pid it names is one we killed.
	[[ ${err_lines[0]} =~ \(pid\ ([0-9]+)\) ]]
	local named=${BASH_REMATCH[1]}
	[[ " ${killed[*]} " == *" $named "* ]] || fail "names pid $named, we killed ${killed[*]}"
	# No fork result and no summary: the run failed.
	refute_regex "$(cat "$CB_OUT")" $'(^|\n)fork |verified'
}

# interrupted_fork_run SIGNAL: start a fork run, send SIGNAL to colbench once
# its workers are running, wait for it to end.
interrupted_fork_run() {
	start_in_session "${LONG_RUN[@]}" --strategy fork --workers 2
	wait_for_child 30
	signal_colbench "$1"
	wait_for_exit 20
}

@test "SIGTERM during a fork run: status 143, says it was interrupted, nothing left behind" {
	interrupted_fork_run TERM
	assert_interrupted SIGTERM 143
}

@test "SIGINT during a fork run: status 130, says it was interrupted, nothing left behind" {
	interrupted_fork_run INT
	assert_interrupted SIGINT 130
}

@test "SIGINT to the whole process group (as Ctrl-C does) during a fork run: status 130, nothing left" {
	start_in_session "${LONG_RUN[@]}" --strategy fork --workers 2
	wait_for_child 30
	signal_colbench INT group
	wait_for_exit 20
	assert_interrupted SIGINT 130
}

@test "SIGTERM during a pthread run: status 143 within 1 s" {
	start_in_session "${LONG_RUN[@]}" --strategy pthread --workers 2
	# The header is printed (and flushed) just before the timing starts.
	wait_for_stdout '^reference: ' 30
	# Let it run a few calls.
	sleep 0.2
	signal_colbench TERM
	wait_for_exit 5
	assert_interrupted SIGTERM 143
}

@test "SIGTERM during a seq run: status 143 within 1 s" {
	start_in_session "${LONG_RUN[@]}" --strategy seq
	wait_for_stdout '^reference: ' 30
	sleep 0.2
	signal_colbench TERM
	wait_for_exit 5
	assert_interrupted SIGTERM 143
}

@test "SIGTERM right after start (while the matrix is made): status 143, nothing left" {
	start_in_session "${LONG_RUN[@]}" --strategy fork --workers 2
	signal_colbench TERM
	wait_for_exit 20
	assert_ended_within 1
	assert_equal "$CB_HOW" "signal 15"
	# Before colbench's handler is installed the signal kills it silently;
	# after, it says so: either way, at most that one line.
	mapfile -t err_lines <"$CB_ERR"
	if ((${#err_lines[@]} > 0)); then
		assert_equal "${#err_lines[@]}" 1
		assert_regex "${err_lines[0]}" '^colbench: interrupted by SIGTERM'
	fi
	assert_session_empty
}

@test "SIGTERM while the blog's 2.4 GB matrix is made: status 143 within 1 s, nothing left" {
	# Faulting in and generating 2.4 GB takes over a second here; the
	# threads that do it look for a signal as they go.
	start_in_session --strategy fork --workers 2 --number 1 --repeat 1
	sleep 0.2
	alive "$CB_COLBENCH" || fail "colbench ended too soon: $(cat "$CB_ERR")"
	grep -q '^reference: ' "$CB_OUT" && skip "the matrix was made within 0.2 s: nothing to interrupt"
	signal_colbench TERM
	wait_for_exit 20
	assert_interrupted SIGTERM 143
}

@test "SIGINT interrupts colbench even when it starts with SIGINT ignored (status 130)" {
	# A non-interactive shell starts background jobs with SIGINT ignored
	# (SIG_IGN survives exec); colbench installs its own handler, so SIGINT
	# must still stop it.  Ignore it explicitly, whatever bats does.
	CB_IGNORE_INT=1 start_in_session "${LONG_RUN[@]}" --strategy fork --workers 2
	wait_for_child 30
	# By now colbench's handler has replaced SIG_IGN: SIGINT (bit 2 of the
	# masks in /proc/PID/status) is caught, not ignored.
	local sigign sigcgt
	sigign=$(awk '/^SigIgn:/ { print $2 }' "/proc/$CB_COLBENCH/status")
	sigcgt=$(awk '/^SigCgt:/ { print $2 }' "/proc/$CB_COLBENCH/status")
	(((0x$sigign & 2) == 0)) || fail "colbench still ignores SIGINT (SigIgn $sigign)"
	(((0x$sigcgt & 2) != 0)) || fail "colbench does not catch SIGINT (SigCgt $sigcgt)"
	signal_colbench INT
	wait_for_exit 20
	assert_interrupted SIGINT 130
}

@test "a forkpool worker killed while the pool waits or works: status 3, named, nothing left" {
	# --no-limit: no fork floor, whose children exit at once, so that the
	# first child seen is a pool worker (one floor child, gone before the
	# kill, failed the test once).
	start_in_session "${LONG_RUN[@]}" --no-limit --strategy forkpool --workers 2
	wait_for_child 30
	# The pool's workers live for the whole run: kill one once.
	kill -KILL "$CB_CHILD"
	wait_for_exit 20
	assert_worker_died forkpool '[12]' "$CB_CHILD" 9 SIGKILL
}

@test "SIGTERM during a forkpool run: status 143, the pool torn down, nothing left" {
	start_in_session "${LONG_RUN[@]}" --strategy forkpool --workers 2
	wait_for_child 30
	sleep 0.2
	signal_colbench TERM
	wait_for_exit 20
	assert_interrupted SIGTERM 143
}

@test "SIGINT to the process group during a forkpool run: status 130, nothing left" {
	start_in_session "${LONG_RUN[@]}" --strategy forkpool --workers 2
	wait_for_child 30
	sleep 0.2
	signal_colbench INT group
	wait_for_exit 20
	assert_interrupted SIGINT 130
}

@test "SIGTERM during an openmp run: status 143 within 1 s" {
	start_in_session "${LONG_RUN[@]}" --strategy openmp --workers 2
	wait_for_stdout '^reference: ' 30
	sleep 0.2
	signal_colbench TERM
	wait_for_exit 5
	assert_interrupted SIGTERM 143
}

@test "colbench itself killed outright (SIGKILL): its fork and forkpool workers die with it within 1 s" {
	local s workers w end
	for s in fork forkpool; do
		start_in_session "${LONG_RUN[@]}" --strategy "$s" --workers 2
		wait_for_child 30
		workers=$(pgrep -P "$CB_COLBENCH") || true
		signal_colbench KILL
		wait_for_exit 20
		assert_equal "$CB_HOW" "signal 9"
		# No handler runs on SIGKILL: the kernel kills each worker
		# (PR_SET_PDEATHSIG) once its parent is gone.
		end=$((${EPOCHREALTIME/./} + 1000000))
		for w in $workers; do
			while alive "$w"; do
				((${EPOCHREALTIME/./} < end)) || fail "$s worker $w outlived colbench by 1 s"
				sleep 0.01
			done
		done
	done
}

# --- Injected faults (src/os/test_hooks.h), on the hooked ASan build --------

@test "a fork, forkpool or forkwrite worker that segfaults: status 3, SIGSEGV named, nothing left" {
	use_hooked_colbench
	local s
	for s in fork forkpool forkwrite; do
		# A matrix big enough for colbench to be seen running first.
		COLBENCH_TEST_SEGV_WORKER=2 start_in_session "${LONG_RUN[@]}" --strategy "$s" --workers 2
		wait_for_exit 30
		assert_worker_died "$s" 2 '[0-9]+' 11 SIGSEGV
	done
}

@test "a sampled copy's error line says which copy it is: one line, status 3" {
	use_hooked_colbench
	COLBENCH_TEST_SEGV_WORKER=1 run --separate-stderr "$COLBENCH" --rows 200 --cols 100 \
		--strategy fork --workers 1 --processes 3 --repeat 1 --number 1 --no-limit
	assert_one_line_error 3 "^colbench: fork worker 1 of 1 \\(pid [0-9]+\\) was killed by signal 11 \\(SIGSEGV\\) \\(sampled process 1 of 3\\)$"
}

@test "SIGTERM while the matrix is half-saved: status 143 within 1 s, the old .npy intact, no temporary file" {
	local out=$BATS_TEST_TMPDIR/files
	mkdir "$out"
	printf 'old' >"$out/m.npy"
	# 3000 x 1000 x 8 bytes = 24 MB, stalled after the header.
	stalled_write_interrupted TERM "$out/m.npy" --rows 3000 --cols 1000 --number 1 \
		--repeat 1 --no-limit --strategy seq --save "$out/m.npy"
	assert_interrupted SIGTERM 143
	assert_only_old_files "$out" m.npy
}

@test "SIGINT while the report is half-written: status 130 within 1 s, the old report intact, no temporary file" {
	local out=$BATS_TEST_TMPDIR/files ext
	mkdir "$out"
	# JSON is written as its text and a newline; CSV's text ends in one, so
	# the signal lands after its last byte: both must leave the old file.
	for ext in json csv; do
		printf 'old' >"$out/r.$ext"
		stalled_write_interrupted INT "$out/r.$ext" --rows 300 --cols 100 --number 1 \
			--repeat 2 --no-limit --strategy seq,fork --workers 2 --output "$out/r.$ext"
		assert_interrupted SIGINT 130
	done
	assert_only_old_files "$out" r.csv r.json
}

@test "SIGTERM during a run that saves and reports: no half-written file, the old report intact" {
	local out=$BATS_TEST_TMPDIR/files
	mkdir "$out"
	printf 'old' >"$out/r.json"
	start_in_session "${LONG_RUN[@]}" --strategy fork --workers 2 --save "$out/m.npy" \
		--sums "$out/s.npy" --output "$out/r.json"
	wait_for_child 30
	signal_colbench TERM
	wait_for_exit 20
	assert_interrupted SIGTERM 143
	# The run never ended, so its report was never written.
	assert_equal "$(cat "$out/r.json")" "old"
	# The matrix and the sums were saved before the run: whole, if there.
	run ls -A "$out"
	refute_output --regexp '(^|[[:space:]])\.'
	local f
	for f in "$out"/*.npy; do
		[ -e "$f" ] || continue # not saved yet: the signal came first
		/usr/bin/python3 -c 'import numpy, sys; a = numpy.load(sys.argv[1]); assert a.shape in [(4000, 4000), (4000,)], a.shape' "$f" ||
			fail "$f is not a whole .npy file"
	done
}

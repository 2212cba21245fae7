#!/usr/bin/env bats
# Every signal that would end colbench, not only SIGINT and SIGTERM (the
# faults' and SIGPIPE too, sent with kill): one "colbench:" line, the
# signal's own status, no temporary file, no worker left (SIGXFSZ: status
# 3); a real crash leaves no temporary file either.  SIGBUS from a --mmap file truncated under a
# run: status 3 naming the file, in every strategy.  A colbench blocked
# writing into a pipe that nobody reads still ends within 1 s of SIGTERM.
# colbench runs under the waiter of helpers.bash, in a session of its own.

load helpers

setup() {
	session_setup
}

teardown() {
	kill_session
}

LONG_RUN=(--number 1 --repeat 100000 --warmup 0 --no-limit)

# The signals whose default action ends a process, less the faults,
# SIGKILL and SIGPIPE, with the name colbench gives each.
STOP_SIGNALS=(HUP:SIGHUP QUIT:SIGQUIT USR1:SIGUSR1 USR2:SIGUSR2 ALRM:SIGALRM
	VTALRM:SIGVTALRM PROF:SIGPROF XCPU:SIGXCPU IO:SIGPOLL PWR:SIGPWR
	STKFLT:SIGSTKFLT RTMIN:SIGRTMIN RTMIN+5:SIGRTMIN\\+5)

@test "every signal that would end colbench, mid-save: 128 + its number, one line naming it, the old file intact, no temporary file" {
	local pair sig name num
	ulimit -c 0 # SIGQUIT dumps core by default
	printf 'old' >"$OUT/m.npy"
	for pair in "${STOP_SIGNALS[@]}"; do
		sig=${pair%%:*} name=${pair#*:}
		num=$(kill -l "$sig")
		stalled_write_interrupted "$sig" "$OUT/m.npy" --rows 3000 --cols 1000 --number 1 \
			--repeat 1 --no-limit --strategy seq --save "$OUT/m.npy"
		assert_interrupted "$name" $((128 + num))
		assert_only_old_files "$OUT" m.npy
	done
}

# The faults, and SIGPIPE, as another process sends them (kill -SEGV):
# ending signals like SIGTERM, whatever a sanitizer does with faults.
SENT_FAULTS=(ABRT:SIGABRT SEGV:SIGSEGV BUS:SIGBUS TRAP:SIGTRAP SYS:SIGSYS FPE:SIGFPE
	ILL:SIGILL PIPE:SIGPIPE)

@test "a fault's signal or SIGPIPE sent with kill mid-save: 128 + its number, one line naming it, the old file intact, no temporary file" {
	local pair sig name
	ulimit -c 0
	printf 'old' >"$OUT/m.npy"
	for pair in "${SENT_FAULTS[@]}"; do
		sig=${pair%%:*} name=${pair#*:}
		stalled_write_interrupted "$sig" "$OUT/m.npy" --rows 3000 --cols 1000 --number 1 \
			--repeat 1 --no-limit --strategy seq --save "$OUT/m.npy"
		assert_interrupted "$name" $((128 + $(kill -l "$sig")))
		assert_only_old_files "$OUT" m.npy
	done
}

@test "colbench itself crashing mid-save (a real SIGSEGV, abort()): it dies of the fault, the old file intact, no temporary file" {
	local how
	ulimit -c 0
	printf 'old' >"$OUT/m.npy"
	use_hooked_colbench
	for how in segv:11 abort:6; do
		# colbench's own statuses stop at 5: 128 + N is death by signal N.
		COLBENCH_TEST_CRASH_WRITE=${how%%:*} run --separate-stderr "$COLBENCH" --rows 300 \
			--cols 100 --number 1 --repeat 1 --no-limit --strategy seq --save "$OUT/m.npy"
		assert_equal "$status" $((128 + ${how#*:}))
		assert_only_old_files "$OUT" m.npy
	done
}

@test "SIGHUP, SIGUSR1 and SIGQUIT during a forkpool run: the pool torn down, no worker left" {
	local pair sig name
	ulimit -c 0
	for pair in HUP:SIGHUP USR1:SIGUSR1 QUIT:SIGQUIT; do
		sig=${pair%%:*} name=${pair#*:}
		start_in_session --rows 2000 --cols 2000 "${LONG_RUN[@]}" --strategy forkpool --workers 2
		wait_for_child 30
		signal_colbench "$sig"
		wait_for_exit 20
		assert_interrupted "$name" $((128 + $(kill -l "$sig")))
	done
}

@test "SIGXFSZ sent mid-save: status 3, one line naming it, the old file intact, no temporary file" {
	printf 'old' >"$OUT/m.npy"
	stalled_write_interrupted XFSZ "$OUT/m.npy" --rows 3000 --cols 1000 --number 1 \
		--repeat 1 --no-limit --strategy seq --save "$OUT/m.npy"
	assert_equal "$CB_HOW" "exit 3"
	mapfile -t err_lines < <(grep -v '^colbench: warning: ' "$CB_ERR")
	assert_equal "${#err_lines[@]}" 1
	assert_regex "${err_lines[0]}" "^colbench: stopped by SIGXFSZ: a file reached the file-size limit \\(ulimit -f\\)$"
	assert_only_old_files "$OUT" m.npy
	assert_session_empty
}

@test "a save past the file-size limit, SIGXFSZ left at its default: status 3, 'File too large', the old file intact" {
	printf 'old' >"$OUT/m.npy"
	# 300 x 100 x 8 = 240 kB against 100 kB allowed.
	run --separate-stderr bash -c 'ulimit -f 100; exec "$0" --rows 300 --cols 100 --number 1 --repeat 1 --no-limit --strategy seq --save "$1"' \
		"$COLBENCH" "$OUT/m.npy"
	assert_one_line_error 3 "^colbench: $OUT/m\\.npy: cannot write: File too large$"
	assert_only_old_files "$OUT" m.npy
}

@test "started under nohup (SIGHUP ignored), colbench runs on through SIGHUP; SIGTERM still ends it" {
	CB_IGNORE_HUP=1 start_in_session --rows 8000 --cols 4000 "${LONG_RUN[@]}" --strategy fork --workers 2
	wait_for_child 30
	kill -HUP "$CB_COLBENCH"
	sleep 0.3
	alive "$CB_COLBENCH" || fail "colbench died of an ignored SIGHUP: $(cat "$CB_ERR")"
	signal_colbench TERM
	wait_for_exit 20
	assert_interrupted SIGTERM 143
}

# pipe_never_read ARG...: colbench ARG... writing into a pipe of one page
# that nobody reads; once the pipe is full, SIGTERM.  Prints colbench's
# wait status (-15: killed by SIGTERM) and the seconds it took to end.
pipe_never_read() {
	run --separate-stderr timeout 60 /usr/bin/python3 - "$COLBENCH" "$@" <<'PY'
import array, fcntl, os, signal, subprocess, sys, termios, time
r, w = os.pipe()
fcntl.fcntl(w, 1031, 4096)  # F_SETPIPE_SZ
p = subprocess.Popen(sys.argv[1:], stdout=w, stderr=subprocess.PIPE)
os.close(w)
deadline = time.time() + 30
while time.time() < deadline and p.poll() is None:
    queued = array.array('i', [0])
    fcntl.ioctl(r, termios.FIONREAD, queued)
    if queued[0] >= 4096:
        break
    time.sleep(0.01)
if p.poll() is not None:
    sys.exit("colbench ended (status %d) before the pipe was full" % p.returncode)
time.sleep(0.2)  # now blocked in its write
sent = time.time()
p.send_signal(signal.SIGTERM)
try:
    status = p.wait(timeout=10)
except subprocess.TimeoutExpired:
    p.kill()
    sys.exit("still running 10 s after SIGTERM")
print(status, "%.3f" % (time.time() - sent))
sys.stderr.write(p.stderr.read().decode())
PY
	assert_success
	[[ $output =~ ^-15\ ([0-9.]+)$ ]] || fail "expected death by SIGTERM, got: $output"
	awk -v s="${BASH_REMATCH[1]}" 'BEGIN { exit !(s <= 1) }' || fail "ended ${BASH_REMATCH[1]} s after SIGTERM"
	assert_regex "${stderr_lines[-1]}" '^colbench: interrupted by SIGTERM'
}

@test "SIGTERM while colbench is blocked writing its report into a pipe nobody reads: status 143 within 1 s" {
	# A report far larger than stdio's buffer: blocked in the middle of it.
	pipe_never_read --rows 200 --cols 100 --strategy seq,pthread,fork --workers 1,2 \
		--format json --repeat 20 --number 1
}

@test "SIGTERM while colbench's last flush waits on a full pipe: still death by SIGTERM, not status 3" {
	# A report of 4 to 8 kB: it sits in stdio's buffer until the final flush.
	pipe_never_read --rows 200 --cols 100 --strategy seq,pthread --workers 1 --format json \
		--repeat 30 --number 1 --no-limit
}

@test "a SIGBUS sent with kill (not a fault of the mapped file) ends colbench within 1 s, as SIGBUS, its workers reaped" {
	ulimit -c 0
	start_in_session --rows 2000 --cols 2000 "${LONG_RUN[@]}" --strategy forkpool --workers 2
	wait_for_child 30
	signal_colbench BUS
	wait_for_exit 20
	assert_interrupted SIGBUS 135
}

# mapped FILE: true once colbench maps FILE.
mapped() {
	grep -q -- "$1" "/proc/$CB_COLBENCH/maps" 2>/dev/null
}

@test "a --mmap file truncated under every strategy: status 3, one line naming the file, nothing left" {
	local s
	"$COLBENCH" --rows 3000 --cols 3000 --number 1 --repeat 1 --no-limit --strategy seq \
		--save "$OUT/m.npy" >/dev/null 2>&1
	# Every strategy of --strategy all, as the registry lists them, and
	# forkwrite, whose workers write the pages of the private mapping.
	for s in "${ALL_STRATEGIES[@]}" forkwrite; do
		cp "$OUT/m.npy" "$OUT/t.npy"
		start_in_session --load "$OUT/t.npy" --mmap --strategy "$s" --workers 2 "${LONG_RUN[@]}"
		poll_until 30 "the file mapped" mapped "$OUT/t.npy"
		if [[ $(printf '%s\n' "${STRATEGY_ROWS[@]}" | awk -F'\t' -v s="$s" '$1 == s { print $3 }') == processes ]]; then
			wait_for_child 30
		else
			sleep 0.3
		fi
		truncate -s 4096 "$OUT/t.npy"
		wait_for_exit 20
		assert_equal "$CB_HOW" "exit 3"
		mapfile -t err_lines < <(grep -v '^colbench: warning: ' "$CB_ERR")
		assert_equal "${#err_lines[@]}" 1
		assert_regex "${err_lines[0]}" "^colbench: $OUT/t\\.npy: the mapped file changed under colbench \\(SIGBUS"
		assert_session_empty
	done
}

# stop_child_alone: SIGSTOP one child of colbench alone, as someone might
# with kill -STOP; colbench runs on.  A child that has just ended (a
# sampled copy does, and the next starts) is replaced by the next seen,
# and so is one on its way out when the stop came (is_stopped): on a
# loaded machine a short copy was found, ended before its stop, and the
# run went on to status 0.
#
# is_stopped PID: true once PID is stopped (state T); false if it ended
# (a child that was exiting when SIGSTOP came: the stop took nothing).
is_stopped() {
	local state tries
	for ((tries = 0; tries < 200; tries++)); do
		state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
		[[ $state == T ]] && return 0
		[[ -z $state || $state == Z || $state == X ]] && return 1
		sleep 0.005
	done
	return 1
}

stop_child_alone() {
	until [[ -n $CB_CHILD ]] && kill -STOP "$CB_CHILD" 2>/dev/null && is_stopped "$CB_CHILD"; do
		alive "$CB_COLBENCH" || fail "colbench ended before a child was stopped: $(cat "$CB_ERR")"
		sleep 0.005
		first_child || true
	done
}

# assert_stopped_named WHAT: colbench ended with status 3 and one line
# naming WHAT (or a child of the fork floor's, which the run measures
# first) as stopped by SIGSTOP, and left no process.
assert_stopped_named() {
	assert_equal "$CB_HOW" "exit 3"
	mapfile -t err_lines < <(grep -v '^colbench: warning: ' "$CB_ERR")
	assert_equal "${#err_lines[@]}" 1
	assert_regex "${err_lines[0]}" "^colbench: ($1|fork-floor child) [0-9]+ of [0-9]+ \\(pid [0-9]+\\) was stopped \\(SIGSTOP\\) while colbench ran: killed"
	assert_session_empty
}

@test "a forkpool worker stopped alone (kill -STOP): status 3, one line naming it, nothing left" {
	start_in_session --rows 2000 --cols 2000 "${LONG_RUN[@]}" --strategy forkpool --workers 2
	wait_for_child 30
	stop_child_alone
	wait_for_exit 20
	assert_stopped_named "forkpool worker"
}

@test "a sampled copy stopped alone under --processes 40: status 3, one line naming it, no report, nothing left" {
	start_in_session --rows 1000 --cols 1000 --processes 40 "${LONG_RUN[@]/100000/300}" \
		--strategy seq --output "$OUT/r.json"
	wait_for_child 30
	stop_child_alone
	wait_for_exit 20
	assert_stopped_named "sampled process"
	assert_equal "$(ls -A "$OUT")" ""
}

@test "a fork worker stopped alone: status 3, one line naming it, nothing left" {
	# 8000 x 8000 (512 MB): a worker lives some 15 ms a call, long enough
	# for pgrep and kill to find it alive on a loaded machine (one of four
	# runs beside a full test run missed the 3 ms workers of 128 MB for 30 s).
	start_in_session --rows 8000 --cols 8000 "${LONG_RUN[@]}" --strategy fork --workers 2
	# Each call forks its workers anew: stop whichever is there until
	# colbench notices (a worker that has just exited ignores it).
	local deadline=$((SECONDS + 30)) child
	while alive "$CB_COLBENCH"; do
		for child in $(pgrep -P "$CB_COLBENCH"); do
			kill -STOP "$child" 2>/dev/null || true
		done
		((SECONDS < deadline)) || { kill_session; fail "colbench still running 30 s on"; }
		sleep 0.05
	done
	wait_for_exit 5
	assert_stopped_named "fork worker"
}

@test "SIGTERM with a stopped forkpool worker, or a stopped sampled copy: status 143 within 1 s, nothing left" {
	local how
	for how in pool sampled; do
		if [[ $how == pool ]]; then
			start_in_session --rows 2000 --cols 2000 "${LONG_RUN[@]}" --strategy forkpool --workers 2
		else
			start_in_session --rows 1000 --cols 1000 --processes 40 "${LONG_RUN[@]/100000/300}" \
				--strategy forkpool --workers 2
		fi
		wait_for_child 30
		stop_child_alone
		signal_colbench TERM
		wait_for_exit 20
		assert_interrupted SIGTERM 143
	done
}

@test "the whole job stopped and continued (Ctrl-Z, then fg) during forkpool and sampled runs: the run goes on to status 0" {
	local how
	for how in pool sampled; do
		if [[ $how == pool ]]; then
			start_in_session --rows 1000 --cols 1000 "${LONG_RUN[@]/100000/3000}" --strategy forkpool \
				--workers 2
		else
			start_in_session --rows 1000 --cols 1000 --processes 6 "${LONG_RUN[@]/100000/500}" \
				--strategy forkpool --workers 2
		fi
		wait_for_child 30
		# The session has no terminal, so a SIGTSTP to it would be
		# discarded (an orphaned group): SIGSTOP stops it as Ctrl-Z would.
		kill -STOP -- "-$CB_PID"
		sleep 1
		kill -CONT -- "-$CB_PID"
		wait_for_exit 120
		assert_equal "$CB_HOW" "exit 0"
		assert_session_empty
	done
}

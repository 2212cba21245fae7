# tests/cli/helpers.bash - shared set-up for the colbench command-line tests.
#
# Every .bats file here does `load helpers` and calls colbench_setup from its
# setup().  The binary under test is $COLBENCH: by default the ./colbench
# that `make` builds at the root of the repository; make test also runs the
# suite on the ASan+UBSan build.

load /usr/lib/bats/bats-support/load.bash
load /usr/lib/bats/bats-assert/load.bash

# run --separate-stderr needs bats 1.5; say so, or bats warns on every run.
bats_require_minimum_version 1.5.0

# The repository's root, two levels above this directory.
ROOT="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
COLBENCH="${COLBENCH:-$ROOT/colbench}"
export COLBENCH

# The strategies, as colbench's own registry lists them (--list: name,
# all or opt-in, one or threads or processes): the tests never keep a list
# of their own, so a strategy added to the registry is tested as it is.
STRATEGIES=() ALL_STRATEGIES=() ALL_PARALLEL=() STRATEGY_ROWS=()
while IFS=$'\t' read -r name set kind _; do
	STRATEGY_ROWS+=("$name"$'\t'"$set"$'\t'"$kind")
	STRATEGIES+=("$name")
	if [[ $set == all ]]; then
		ALL_STRATEGIES+=("$name")
		[[ $kind == one ]] || ALL_PARALLEL+=("$name")
	fi
done < <("$COLBENCH" --list 2>/dev/null)
STRATEGY_RE=$(IFS='|' && echo "${STRATEGIES[*]}")

# all_results N: the results of --strategy all with N worker counts.
all_results() {
	echo $((${#ALL_STRATEGIES[@]} + ${#ALL_PARALLEL[@]} * ($1 - 1)))
}

# One %timeit line, as IPython prints it (µ is UTF-8; a figure under 1 ns in
# %g's exponent form, as a std of two runs equal but for the clock's last
# bits: "280 ns ± 1.89e-05 ns").  The .bats files add the run and loop
# counts they expect at the end.
TIMEIT_HEAD='^('"$STRATEGY_RE"') +[0-9]+ workers? +[0-9.e+-]+ (s|ms|µs|ns) ± [0-9.e+-]+ (s|ms|µs|ns) per loop \(mean ± std\. dev\. of '
# The whole line, for any run and loop count.
TIMEIT_RE="${TIMEIT_HEAD}"'[0-9]+ runs?, [0-9,]+ loops? each\)$'
# IPython's warning before a %timeit line whose slowest run took > 4x the
# fastest; it can come on a loaded machine, so tests that count lines allow it.
SLOW_RE='^The slowest run took [0-9.]+ times longer than the fastest\. This could mean that an intermediate result is being cached\.$'

# skip_under_asan WHY: skip this test when $COLBENCH is the ASan+UBSan build
# (make asan), which make test runs the suite on too, saying WHY.
skip_under_asan() {
	if grep -qa __asan_init "$COLBENCH"; then
		skip "under ASan: $1"
	fi
}

# The binary with the fault tests' hooks (src/os/test_hooks.h): the ASan
# build, which make test builds (HOOKED_COLBENCH overrides, for a build
# folder of one's own).
HOOKED_COLBENCH=${HOOKED_COLBENCH:-$ROOT/build-asan/colbench}

# use_hooked_colbench: test the hooked binary from here on; the test
# fails if it is missing.  SIGSEGV is left to the kernel, not to ASan.
use_hooked_colbench() {
	[[ -x $HOOKED_COLBENCH ]] || fail "no $HOOKED_COLBENCH: run make asan"
	COLBENCH=$HOOKED_COLBENCH
	export ASAN_OPTIONS=handle_segv=0
}

colbench_setup() {
	if [[ ! -x $COLBENCH ]]; then
		echo "# $COLBENCH is missing: run make at the repository root first" >&3
		return 1
	fi
	if ((${#STRATEGIES[@]} == 0)); then
		echo "# $COLBENCH --list printed no strategy: the tests cannot know them" >&3
		return 1
	fi
	# The regexes hold UTF-8 (µ, ±): in the C locale they match byte for
	# byte whatever the caller's locale, and C is always there.
	export LC_ALL=C
	# The terminal tests (script(1)) need a TERM that redraws a line,
	# whatever the runner's (a CI job may have none, or "dumb").
	export TERM=xterm
}

# The lines of $output that are %timeit lines, into the array timeit_lines.
collect_timeit_lines() {
	timeit_lines=()
	local line
	for line in "${lines[@]}"; do
		if [[ $line =~ $TIMEIT_RE ]]; then
			timeit_lines+=("$line")
		fi
	done
}

# assert_usage_error REGEX ARG...: colbench ARG... must fail with status 2,
# print nothing on stdout and exactly one line on stderr that starts with
# "colbench: " and matches the extended regex REGEX.
assert_usage_error() {
	local regex=$1
	shift
	run --separate-stderr "$COLBENCH" "$@"
	assert_one_line_error 2 "$regex"
}

# assert_one_line_error STATUS REGEX: after `run --separate-stderr`, the
# status is STATUS, stdout is empty and stderr is one "colbench: " line
# matching REGEX.
assert_one_line_error() {
	local want=$1 regex=$2
	if [[ $status -ne $want ]]; then
		fail "status $status, expected $want (stderr: $stderr)"
	fi
	if [[ -n $output ]]; then
		fail "stdout should be empty, it is: $output"
	fi
	if [[ ${#stderr_lines[@]} -ne 1 ]]; then
		fail "stderr should be exactly one line, it has ${#stderr_lines[@]}: $(printf '%q' "$stderr")"
	fi
	if [[ ${stderr_lines[0]} != "colbench: "?* ]]; then
		fail "stderr does not start with 'colbench: ': ${stderr_lines[0]}"
	fi
	if [[ ! ${stderr_lines[0]} =~ $regex ]]; then
		fail "stderr '${stderr_lines[0]}' does not match /$regex/"
	fi
}

# assert_error_line STATUS REGEX: after `run --separate-stderr` of a run
# that got as far as measuring (so its stdout has results and its stderr
# may hold warnings about them): the status is STATUS and stderr has
# exactly one line besides "colbench: warning: " lines, matching REGEX.
assert_error_line() {
	local want=$1 regex=$2 errors
	if [[ $status -ne $want ]]; then
		fail "status $status, expected $want (stderr: $stderr)"
	fi
	mapfile -t errors < <(grep -v '^colbench: warning: ' <<<"$stderr")
	if [[ ${#errors[@]} -ne 1 ]]; then
		fail "stderr should have one line besides warnings, it has ${#errors[@]}: $(printf '%q' "$stderr")"
	fi
	if [[ ! ${errors[0]} =~ $regex ]]; then
		fail "stderr '${errors[0]}' does not match /$regex/"
	fi
}

# assert_only_old_files DIR NAME...: DIR holds exactly the files NAME...,
# each still reading "old" as the test wrote it: no write replaced one, and
# no temporary file was left beside them.
assert_only_old_files() {
	local dir=$1 name
	shift
	for name in "$@"; do
		assert_equal "$(cat "$dir/$name")" old || return 1
	done
	assert_equal "$(ls -A "$dir")" "$(printf '%s\n' "$@" | sort)"
}

# --- Processes run in their own session, for the fault tests -------------
#
# colbench runs as the child of a small perl waiter that leads a session
# (and process group) of its own.  The waiter records how colbench ended,
# "exit N" or "signal N", which a shell cannot tell apart (both "died of
# SIGTERM" and "exit(143)" read as $? = 143), and lets us check afterwards
# that no process of the group is left.  perl is in every Debian system
# (perl-base is Essential).
#
# The waiter ignores SIGINT and SIGTERM itself (so that a signal sent to
# the whole group reaches colbench and its workers only) and gives colbench
# the default disposition of every signal and an empty signal mask, or
# SIGINT (CB_IGNORE_INT=1) or SIGHUP (CB_IGNORE_HUP=1) ignored.  Nothing is
# inherited from whoever runs the suite: a CI agent, nohup or a terminal
# multiplexer may start it with SIGHUP ignored (or signals blocked), and
# colbench rightly keeps an inherited SIG_IGN, so a test that sends SIGHUP
# would wait in vain (seen on a busy runner: "still running after 20 s").
CB_WAITER='
	use POSIX ();
	$SIG{INT} = $SIG{TERM} = "IGNORE";
	my $pid = fork;
	die "waiter: fork: $!\n" unless defined $pid;
	if ($pid == 0) {
		for my $name (keys %SIG) {
			next if $name =~ /^(KILL|STOP|ZERO|NUM\d+|__\w+__)$/;
			$SIG{$name} = "DEFAULT";
		}
		$SIG{INT} = "IGNORE" if $ENV{CB_IGNORE_INT};
		$SIG{HUP} = "IGNORE" if $ENV{CB_IGNORE_HUP};
		POSIX::sigprocmask(POSIX::SIG_SETMASK(), POSIX::SigSet->new());
		exec { $ARGV[0] } @ARGV or exit 127;
	}
	waitpid($pid, 0) == $pid or die "waiter: waitpid: $!\n";
	my $w = $?;
	open(my $f, ">", $ENV{CB_WSTATUS}) or die "waiter: $ENV{CB_WSTATUS}: $!\n";
	print $f (($w & 127) ? "signal " . ($w & 127) : "exit " . ($w >> 8)), "\n";
	close($f) or die "waiter: $ENV{CB_WSTATUS}: $!\n";
'

# start_in_session ARG...: start colbench ARG... in the background under
# the waiter, in a new session, stdout and stderr into $CB_OUT and $CB_ERR.
# Sets CB_PID (the waiter: the session and process group id) and CB_COLBENCH
# (colbench's pid); returns once colbench has been exec'd (up to 10 s).
start_in_session() {
	CB_OUT=$BATS_TEST_TMPDIR/out
	CB_ERR=$BATS_TEST_TMPDIR/err
	CB_WSTATUS=$BATS_TEST_TMPDIR/wstatus
	rm -f "$CB_WSTATUS"
	CB_WSTATUS=$CB_WSTATUS CB_IGNORE_INT=${CB_IGNORE_INT:-} CB_IGNORE_HUP=${CB_IGNORE_HUP:-} \
		setsid perl -e "$CB_WAITER" "$COLBENCH" "$@" >"$CB_OUT" 2>"$CB_ERR" &
	CB_PID=$!
	CB_REAPED=
	CB_COLBENCH=
	local deadline=$((SECONDS + 10)) child sid comm
	while :; do
		child=$(pgrep -P "$CB_PID" | head -n 1) || true
		if [[ -n $child ]]; then
			sid=$(ps -o sid= -p "$child" 2>/dev/null | tr -d ' ') || true
			comm=$(ps -o comm= -p "$child" 2>/dev/null) || true
			if [[ $sid == "$CB_PID" && $comm == colbench ]]; then
				CB_COLBENCH=$child
				return 0
			fi
		fi
		if ! alive "$CB_PID"; then
			fail "the waiter (pid $CB_PID) ended before colbench was seen; stderr: $(cat "$CB_ERR")"
		fi
		if ((SECONDS >= deadline)); then
			kill_session
			fail "colbench did not start in session $CB_PID within 10 s (child '$child', sid '$sid', comm '$comm')"
		fi
		sleep 0.005
	done
}

# alive PID: true while PID runs (a zombie not yet reaped counts as ended).
alive() {
	local state
	state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
	[[ -n $state && $state != Z* ]]
}

# wait_for_exit SECONDS: wait for colbench and its waiter to end.  Sets
# CB_HOW to "exit N" or "signal N" and CB_STATUS to the status a shell would
# report (N, or 128 + N).  On timeout kill the whole process group and fail.
wait_for_exit() {
	local deadline=$((SECONDS + $1)) rc=0
	while alive "$CB_PID"; do
		if ((SECONDS >= deadline)); then
			kill_session
			fail "colbench (pid $CB_COLBENCH) still running after $1 s; killed its process group"
		fi
		sleep 0.01
	done
	CB_ENDED_AT=$EPOCHREALTIME
	wait "$CB_PID" || rc=$?
	CB_REAPED=1
	[[ $rc -eq 0 && -s $CB_WSTATUS ]] || fail "the waiter failed (status $rc): $(cat "$CB_ERR")"
	CB_HOW=$(cat "$CB_WSTATUS")
	case $CB_HOW in
	"exit "*) CB_STATUS=${CB_HOW#exit } ;;
	"signal "*) CB_STATUS=$((128 + ${CB_HOW#signal })) ;;
	*) fail "the waiter wrote '$CB_HOW'" ;;
	esac
}

# poll_until SECONDS WHAT COMMAND...: run COMMAND every 5 ms until it
# succeeds, while colbench runs.  Fails, saying it waited for WHAT, if
# colbench ends first or SECONDS pass (then its process group is killed).
poll_until() {
	local seconds=$1 what=$2 deadline=$((SECONDS + $1))
	shift 2
	until "$@"; do
		if ! alive "$CB_COLBENCH"; then
			fail "colbench ended before $what; stderr: $(cat "$CB_ERR")"
		fi
		if ((SECONDS >= deadline)); then
			kill_session
			fail "colbench (pid $CB_COLBENCH): no $what within $seconds s"
		fi
		sleep 0.005
	done
}

# wait_for_child SECONDS: wait until colbench has a child process (a fork
# worker); sets CB_CHILD to one.
wait_for_child() {
	CB_CHILD=
	poll_until "$1" "worker was seen" first_child
}

# first_child: CB_CHILD, colbench's first child process; false if none.
first_child() {
	CB_CHILD=$(pgrep -P "$CB_COLBENCH" | head -n 1) || true
	[[ -n $CB_CHILD ]]
}

# wait_for_stdout REGEX SECONDS: wait until a line of colbench's stdout
# matches REGEX.
wait_for_stdout() {
	poll_until "$2" "a line matching /$1/" grep -Eq -- "$1" "$CB_OUT"
}

# assert_session_empty: no process is left in colbench's process group
# (the waiter has ended too by now).
assert_session_empty() {
	local left
	left=$(pgrep -g "$CB_PID") || true
	if [[ -n $left ]]; then
		fail "processes left in colbench's process group $CB_PID: $(ps -o pid=,stat=,comm= -p "$(echo $left | tr ' ' ,)")"
	fi
}

# kill_session: SIGKILL whatever is left of the process group.  For
# teardown, and on timeouts.  The group's id cannot be reused while any
# member lives, so killing the group is always safe; single pids are killed
# only while they are certainly still ours.
kill_session() {
	[[ -n ${CB_PID:-} ]] || return 0
	kill -KILL -- "-$CB_PID" 2>/dev/null || true
	if [[ -z ${CB_REAPED:-} ]]; then
		kill -KILL "$CB_PID" 2>/dev/null || true # our child, not yet waited for
	fi
	if [[ -n ${CB_COLBENCH:-} && $(ps -o sid= -p "$CB_COLBENCH" 2>/dev/null | tr -d ' ') == "$CB_PID" ]]; then
		kill -KILL "$CB_COLBENCH" 2>/dev/null || true
	fi
}

# undisturbed IN OUT: the saved report IN with no run marked disturbed,
# into OUT: for a test of the comparison, not of the machine (a busy
# machine rightly makes a fresh report's verdicts inconclusive).
undisturbed() {
	jq '.sampling.disturbed_processes = 0 | .results[] |= (.disturbed_runs = 0 |
		.run_disturbance[].disturbed = false)' "$1" >"$2"
}

# assert_no_errors: after `run --separate-stderr`, stderr holds nothing but
# noise warnings ("colbench: warning: ...", e.g. a test matrix that fits in
# the cache).
assert_no_errors() {
	local line
	for line in "${stderr_lines[@]}"; do
		[[ $line == "colbench: warning: "* ]] || fail "unexpected stderr line: $line"
	done
}

# --- An unprivileged user, for the limits root does not obey ----------------
#
# As root, RLIMIT_NPROC is not enforced and no folder is read-only, so those
# tests run colbench as uid and gid CB_UID, 54321 unless the caller names
# another (a user no process runs as), through setpriv; a non-root caller
# runs it as itself.  A suite run beside another (make test runs
# registry.bats's nested suite beside the ASan one) takes a uid of its
# own, since RLIMIT_NPROC counts every process of the user.
CB_UID=${CB_UID:-54321}

# unprivileged_dir: make a folder that the user may enter and write, with
# a copy of $COLBENCH in it that the user can run (the repository, and
# bats's own temporary folder, may sit where others cannot enter): in /tmp,
# or /var/tmp where /tmp is mounted noexec.  Sets CB_UDIR and CB_UCOLBENCH;
# unprivileged_cleanup (from teardown) removes the folder.
unprivileged_dir() {
	[[ -z ${CB_UDIR:-} ]] || return 0 # made already, by this test
	local base
	for base in /tmp /var/tmp; do
		CB_UDIR=$(mktemp -d "$base/colbench-test.XXXXXX") || continue
		chmod 777 "$CB_UDIR"
		cp "$COLBENCH" "$CB_UDIR/colbench"
		chmod 755 "$CB_UDIR/colbench"
		CB_UCOLBENCH=$CB_UDIR/colbench
		if "${AS_UNPRIVILEGED[@]}" "$CB_UCOLBENCH" --version >/dev/null 2>&1; then
			return 0
		fi
		rm -rf "$CB_UDIR"
	done
	CB_UDIR=
	fail "no folder in /tmp or /var/tmp where uid $CB_UID can run a copy of colbench"
}

# The words that run a command as the unprivileged user (none for a
# caller that is not root).
if ((EUID == 0)); then
	AS_UNPRIVILEGED=(setpriv --reuid="$CB_UID" --regid="$CB_UID" --clear-groups --)
else
	AS_UNPRIVILEGED=()
fi

unprivileged_cleanup() {
	if [[ -n ${CB_UDIR:-} ]]; then
		chmod -R u+w "$CB_UDIR" 2>/dev/null || true
		rm -rf "$CB_UDIR"
	fi
}

# as_unprivileged COMMAND...: run COMMAND as the unprivileged user.
as_unprivileged() {
	"${AS_UNPRIVILEGED[@]}" "$@"
}

# --- How fast colbench ends after a signal ---------------------------------

# signal_colbench SIGNAL [group]: send SIGNAL to colbench, or with "group" to
# its whole process group (as Ctrl-C does), noting the time for
# assert_ended_within.
signal_colbench() {
	CB_SENT_AT=$EPOCHREALTIME
	if [[ ${2:-} == group ]]; then
		kill -"$1" -- "-$CB_PID"
	else
		kill -"$1" "$CB_COLBENCH"
	fi
}

# assert_ended_within SECONDS: after wait_for_exit, colbench (and its
# waiter) ended at most SECONDS after signal_colbench.
assert_ended_within() {
	local us=$((${CB_ENDED_AT/./} - ${CB_SENT_AT/./}))
	((us <= $1 * 1000000)) ||
		fail "colbench ended $((us / 1000)) ms after the signal, more than $1 s"
}

# mmap_shim: build the LD_PRELOAD shim that fails every mmap above 100 MB
# (tests/cli/shims/fail_big_mmap.c) into $CB_SHIM: a run whose size check
# let a huge matrix through then fails with status 3 instead of touching
# (and OOM-killing) the machine.  Not for the ASan build, whose runtime
# must be the first library loaded.
mmap_shim() {
	CB_SHIM=$BATS_TEST_TMPDIR/fail_big_mmap.so
	cc -shared -fPIC -O1 -o "$CB_SHIM" "$BATS_TEST_DIRNAME/shims/fail_big_mmap.c" -ldl ||
		fail "cannot build the mmap shim"
}

# --- Signals ----------------------------------------------------------------

# session_setup: colbench_setup for a test that starts colbench in a
# session (no session yet, so teardown's kill_session does nothing), with
# $OUT an empty folder for its files.
session_setup() {
	colbench_setup
	CB_PID=
	CB_COLBENCH=
	OUT=$BATS_TEST_TMPDIR/files
	mkdir -p "$OUT"
}

# assert_interrupted NAME STATUS: colbench died of signal NAME (status
# STATUS in a shell: it was killed by the signal, not exit(STATUS)) within
# 1 s of it, said so in one line, and left no process behind.  Warnings
# about the run printed before the signal may come first.
assert_interrupted() {
	assert_ended_within 1
	assert_equal "$CB_STATUS" "$2"
	assert_equal "$CB_HOW" "signal $(($2 - 128))"
	mapfile -t err_lines < <(grep -v '^colbench: warning: ' "$CB_ERR")
	assert_equal "${#err_lines[@]}" 1
	assert_regex "${err_lines[0]}" "^colbench: interrupted by $1"
	assert_regex "$(tail -n 1 "$CB_ERR")" "^colbench: interrupted by $1"
	assert_session_empty
}

# stalled_write_interrupted SIGNAL FILE ARG...: start the hooked colbench
# with ARG..., its file writes stalled after their first part; once FILE's
# temporary file (.FILE.XXXXXX, beside it) is there, send SIGNAL.
stalled_write_interrupted() {
	local sig=$1 file=$2
	shift 2
	use_hooked_colbench
	COLBENCH_TEST_STALL_WRITE=1 start_in_session "$@"
	poll_until 30 "a temporary file for $file" \
		compgen -G "$(dirname "$file")/.$(basename "$file").*"
	signal_colbench "$sig"
	wait_for_exit 20
}

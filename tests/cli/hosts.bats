#!/usr/bin/env bats
# The mpi strategy across hosts, launched as a cluster user launches it:
# three test hosts made on this machine by scripts/test-hosts.sh (network
# namespaces, each with its own address, host name and sshd), mpirun on
# cbhost1 starting the ranks over ssh from a hostfile or -H, the ranks
# talking TCP.  Then the faults: a rank killed on another host mid-run,
# a host that does not answer at launch, and nothing left behind.
#
# Needs root and network namespaces (CI has both); elsewhere every test
# skips, saying why.

load helpers

MPI_COLBENCH=$ROOT/build-mpi/colbench
HOSTS=$ROOT/scripts/test-hosts.sh

setup_file() {
	export HOSTS_STATE=$BATS_FILE_TMPDIR/hosts HOSTS_SKIP=""
	# The mpi flavour has no sanitizer build: the plain pass runs these.
	if grep -qa __asan_init "$COLBENCH"; then
		HOSTS_SKIP="under ASan: the mpi flavour (make MPI=1) is built without sanitizers"
		return 0
	fi
	local out status=0
	# Torn down by teardown_file, or by the watcher once this file's
	# bats is gone, however it ended.
	out=$(bash "$HOSTS" --state "$HOSTS_STATE" up 3 --while "$$" 2>&1) || status=$?
	if ((status == 77)); then
		HOSTS_SKIP="no test hosts here: ${out#test-hosts.sh: }"
	elif ((status != 0)); then
		echo "# $out" >&3
		return 1
	fi
}

teardown_file() {
	bash "$HOSTS" --state "$HOSTS_STATE" down
}

setup() {
	colbench_setup
	[[ -z $HOSTS_SKIP ]] || skip "$HOSTS_SKIP"
	[[ -x $MPI_COLBENCH ]] || fail "no $MPI_COLBENCH: run make MPI=1 mpi-binary"
	# The hosts share this machine's 2 CPUs: unbound, or mpirun would pin
	# each host's first rank to the same core 0.
	MPIRUN=(timeout 120 env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
		mpirun --allow-run-as-root --mca plm_rsh_args "-F $HOSTS_STATE/ssh_config"
		--mca btl self,vader,tcp --bind-to none)
	"$COLBENCH" --rows 600 --cols 301 --seed 5 --strategy seq --number 1 --repeat 1 \
		--no-limit --quiet --sums "$BATS_TEST_TMPDIR/one.npy" >/dev/null 2>&1
}

# on HOST COMMAND...: run COMMAND on a test host, as a user logged in there.
on() {
	bash "$HOSTS" --state "$HOSTS_STATE" exec "$@"
}

# assert_nothing_left HOST...: no process but its sshd on each host, within
# 5 s (orted and the ssh sessions end a moment after mpirun).
assert_nothing_left() {
	local host left try
	for host in "$@"; do
		for try in $(seq 1 50); do
			left=$(bash "$HOSTS" --state "$HOSTS_STATE" left "$host")
			[[ -z $left ]] && break
			sleep 0.1
		done
		[[ -z $left ]] || fail "left on $host: $left"
	done
}

@test "two hosts from a hostfile, over ssh and TCP: both named, every column verified" {
	head -n 2 "$HOSTS_STATE/hostfile" >"$BATS_TEST_TMPDIR/hostfile"
	run --separate-stderr on cbhost1 "${MPIRUN[@]}" --hostfile "$BATS_TEST_TMPDIR/hostfile" \
		-np 2 --map-by node "$MPI_COLBENCH" --strategy mpi --rows 600 --cols 301 --seed 5 \
		--number 2 --repeat 3 --sums "$BATS_TEST_TMPDIR/two.npy"
	[[ $status -eq 0 ]] || fail "status $status: $stderr"
	assert_line --regexp "^mpi: +2 ranks on 2 hosts \\(cbhost1: rank 0; cbhost2: rank 1\\), each generating and summing its own columns \\(rank 0: 150 of 301\\), gathered on rank 0$"
	assert_line --regexp "^transport: Open MPI v[0-9.]+, pml ob1; btl tcp between hosts$"
	# Each rank's own block, timed in three parts.
	assert_line --regexp "^ +0 +cbhost1 +[0-9]+ +0-149 +[0-9.]+ (s|ms|µs|ns) +[0-9.]+ (s|ms|µs|ns) +[0-9.]+ (s|ms|µs|ns)$"
	assert_line --regexp "^ +1 +cbhost2 +[0-9]+ +150-300 +[0-9.]+ (s|ms|µs|ns) +[0-9.]+ (s|ms|µs|ns) +[0-9.]+ (s|ms|µs|ns)$"
	assert_line "The result verified."
	# The gathered sums, from both hosts, are one process's, bit for bit.
	cmp "$BATS_TEST_TMPDIR/one.npy" "$BATS_TEST_TMPDIR/two.npy"
	assert_nothing_left cbhost1 cbhost2
}

@test "three hosts with -H and -np 3: the JSON report names every rank's host" {
	run --separate-stderr on cbhost1 "${MPIRUN[@]}" -H cbhost1,cbhost2,cbhost3 -np 3 \
		"$MPI_COLBENCH" --strategy mpi --rows 600 --cols 301 --seed 5 --number 2 --repeat 3 \
		--format json --sums "$BATS_TEST_TMPDIR/three.npy"
	[[ $status -eq 0 ]] || fail "status $status: $stderr"
	assert_equal "$(jq -r '[.job.ranks, .job.hosts] | @tsv' <<<"$output")" "3	3"
	assert_equal "$(jq -r '[.job.per_rank[].host] | join(",")' <<<"$output")" \
		"cbhost1,cbhost2,cbhost3"
	assert_equal "$(jq -r '[.job.per_rank[].columns] | add' <<<"$output")" 301
	assert_equal "$(jq -r '[.job.per_rank[] | .first_column] | join(",")' <<<"$output")" "0,100,200"
	assert_equal "$(jq -r '[.job.per_rank[] | (.sum > 0 and .gather > 0)] | all' <<<"$output")" true
	assert_regex "$(jq -r .job.transport <<<"$output")" "btl tcp between hosts$"
	assert_equal "$(jq -r '.results[0] | [.strategy, .workers, .verified, .wind_down > 0] | @tsv' \
		<<<"$output")" "mpi	3	true	true"
	cmp "$BATS_TEST_TMPDIR/one.npy" "$BATS_TEST_TMPDIR/three.npy"
	assert_nothing_left cbhost1 cbhost2 cbhost3
}

# kill_rank_on_cbhost2 NP HOSTS: start an np-rank job, SIGKILL the rank on
# cbhost2 once it is timing, and check how the job ends.
kill_rank_on_cbhost2() {
	local np=$1 hosts=$2 out=$BATS_TEST_TMPDIR/out keeper child="" try started ended
	mkdir -p "$out"
	on cbhost1 "${MPIRUN[@]}" -H "$hosts" -np "$np" "$MPI_COLBENCH" --strategy mpi \
		--rows 600 --cols 301 --seed 5 --number 50 --repeat 100000 --no-limit \
		--sums "$out/sums.npy" >"$out/stdout" 2>"$out/stderr" &
	local job=$!
	# Bounded: the header is out once the ranks are about to time.
	for try in $(seq 1 300); do
		grep -q '^reference:' "$out/stdout" 2>/dev/null && break
		sleep 0.1
	done
	grep -q '^reference:' "$out/stdout" || fail "the job never started timing: $(cat "$out/stderr")"
	# The rank's process is the child of the one orted started (its keeper).
	for keeper in $(bash "$HOSTS" --state "$HOSTS_STATE" left cbhost2 |
		awk -v b="$MPI_COLBENCH" '$2 == b { print $1 }'); do
		child=$(pgrep -P "$keeper") && break
	done
	[[ -n $child ]] || fail "no rank's process on cbhost2"
	started=$(date +%s%N)
	kill -KILL "$child"
	status=0
	wait "$job" || status=$?
	ended=$(date +%s%N)
	stderr=$(cat "$out/stderr")
	((status == 3)) || fail "status $status, not 3: $stderr"
	# Within a few seconds (Open MPI's own teardown is most of it).
	(((ended - started) / 1000000 < 10000)) ||
		fail "the job took $(((ended - started) / 1000000)) ms to end"
	# One line, besides the warnings a small matrix brings (it fits in the cache).
	assert_equal "$(grep '^colbench: ' <<<"$stderr" | grep -vc '^colbench: warning: ')" 1
	assert_regex "$stderr" "colbench: rank 1 of $np on cbhost2 was lost: its process \\(pid $child\\) was killed by signal 9 \\(SIGKILL\\), possibly the OOM killer; the job stopped"
	# No half-written file: the sums, written whole before the timing,
	# are right, and no temporary file is left beside them.
	assert_equal "$(find "$out" -name '*sums*' | sort)" "$out/sums.npy"
	cmp "$BATS_TEST_TMPDIR/one.npy" "$out/sums.npy"
	# shellcheck disable=SC2046
	assert_nothing_left $(tr ',' ' ' <<<"$hosts")
}

@test "a rank killed on the second of two hosts mid-run: status 3, one line naming it, nothing left" {
	kill_rank_on_cbhost2 2 cbhost1,cbhost2
}

@test "a rank killed on the second of three hosts, -np 3: the same" {
	kill_rank_on_cbhost2 3 cbhost1,cbhost2,cbhost3
}

@test "a host that does not answer at launch: a clear error within seconds, not a hang" {
	bash "$HOSTS" --state "$HOSTS_STATE" link cbhost3 down
	run --separate-stderr on cbhost1 "${MPIRUN[@]}" -H cbhost1,cbhost3 -np 2 \
		"$MPI_COLBENCH" --strategy mpi --rows 600 --cols 301
	local was=$status
	bash "$HOSTS" --state "$HOSTS_STATE" link cbhost3 up
	((was != 0 && was != 124)) || fail "status $was: $stderr"
	assert_regex "$stderr" "ssh: connect to host cbhost3 port 22: Connection timed out"
	assert_regex "$stderr" "ORTE was unable to reliably start one or more daemons"
	assert_nothing_left cbhost1 cbhost3
}

@test "scaling-hosts.sh sweeps the ranks over 1, 2 and 3 hosts: the JSON, the CSV, a PNG" {
	local out=$BATS_TEST_TMPDIR/sweep
	run --separate-stderr on cbhost1 env COLBENCH="$MPI_COLBENCH" OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
		timeout 300 bash "$ROOT/scripts/scaling-hosts.sh" --hostfile "$HOSTS_STATE/hostfile" \
		--mpirun-arg --mca --mpirun-arg plm_rsh_args --mpirun-arg "-F $HOSTS_STATE/ssh_config" \
		--mpirun-arg --bind-to --mpirun-arg none --out "$out" \
		--rows 600 --cols 301 --number 2 --repeat 3 --no-limit
	[[ $status -eq 0 ]] || fail "status $status: $stderr"
	assert_equal "${#lines[@]}" 3
	local json=${lines[0]} csv=${lines[1]} png=${lines[2]}
	assert_regex "$json" "^$out/scaling-hosts-cbhost1-[0-9T-]+\\.json$"
	assert_equal "$(jq -r '[.results[] | "\(.strategy) \(.workers) \(.verified)"] | join(",")' "$json")" \
		"seq 1 true,mpi 1 true,mpi 2 true,mpi 3 true"
	assert_equal "$(jq -c '.hosts' "$json")" "[1,2,3]"
	assert_equal "$(jq -r '.jobs[2].per_rank | map(.host) | join(",")' "$json")" "cbhost1,cbhost2,cbhost3"
	assert_equal "$(cut -d, -f9,10 "$csv" | tail -n +2 | paste -sd' ')" "seq,1 mpi,1 mpi,2 mpi,3"
	assert_equal "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" 89504e470d0a1a0a
	assert_nothing_left cbhost1 cbhost2 cbhost3
}

@test "test-hosts.sh: not root, it says so with status 77; it names what it needs" {
	run setpriv --reuid=65534 --regid=65534 --clear-groups bash "$HOSTS" \
		--state "$BATS_TEST_TMPDIR/nobody" up 2
	assert_equal "$status" 77
	assert_output --regexp "^test-hosts.sh: needs root to make network namespaces \\(uid 65534\\)$"
	run bash "$HOSTS" up 12
	assert_failure 2
	run bash "$HOSTS" --state "$BATS_TEST_TMPDIR/none" exec cbhost1 true
	assert_failure 1
	assert_output "test-hosts.sh: no test hosts are up in $BATS_TEST_TMPDIR/none"
}

@test "test-hosts.sh down, and its watcher, leave no namespace, link or sshd behind" {
	local state=$BATS_TEST_TMPDIR/more tag owner try
	sleep 600 &
	owner=$!
	bash "$HOSTS" --state "$state" up 2 --while "$owner"
	tag=$(cat "$state/tag")
	[[ $(ip netns list) == *"$tag-h2"* ]] || fail "no namespace $tag-h2 after up"
	run bash "$HOSTS" --state "$state" exec cbhost1 ssh -F "$state/ssh_config" cbhost2 hostname
	assert_output cbhost2
	# The owner gone, the watcher tears the hosts down within seconds.
	kill "$owner"
	for try in $(seq 1 50); do
		[[ $(ip netns list) != *"$tag"* ]] && break
		sleep 0.2
	done
	[[ $(ip netns list) != *"$tag"* ]] || fail "namespaces left: $(ip netns list)"
	[[ $(ip -o link) != *"$tag"* ]] || fail "links left: $(ip -o link | grep "$tag")"
	! pgrep -f "$state/sshd_config" || fail "an sshd is left"
	[[ ! -e $state ]] || fail "files left: $(ls -A "$state")"
	# And down on this file's own hosts, which teardown_file repeats.
	tag=$(cat "$HOSTS_STATE/tag")
	bash "$HOSTS" --state "$HOSTS_STATE" down
	[[ $(ip netns list) != *"$tag"* ]] || fail "namespaces left: $(ip netns list)"
	[[ $(ip -o link) != *"$tag"* ]] || fail "links left"
	! pgrep -f "$HOSTS_STATE/sshd_config" || fail "an sshd is left"
}

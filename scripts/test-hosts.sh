#!/usr/bin/env bash
# scripts/test-hosts.sh up N [--state DIR] [--while PID]
# scripts/test-hosts.sh down [--state DIR]
# scripts/test-hosts.sh exec HOST COMMAND...     (--state DIR first, if any)
# scripts/test-hosts.sh left HOST                (--state DIR first, if any)
# scripts/test-hosts.sh link HOST down|up        (--state DIR first, if any)
#
# Test hosts on this one machine, for the mpi strategy across hosts: `up`
# makes N hosts (1 to 9), cbhost1 .. cbhostN, each a Linux network
# namespace with its own address (10.251.0.I/24 on a veth pair, all of them
# on one bridge that lives in a namespace of its own, so this machine's own
# network is not touched), its own host name (a UTS namespace), its own
# /etc/hosts naming all of them (a mount namespace: the files are shared,
# as over NFS on a cluster), and its own sshd (Debian's openssh-server),
# listening only on that address.  The keys, the ssh client's config
# (ssh -F DIR/ssh_config cbhost2 works from any of the hosts), an Open MPI
# hostfile (DIR/hostfile) and the hosts file are made in DIR (default
# ${TMPDIR:-/tmp}/colbench-test-hosts).
#
# `exec HOST COMMAND...` runs COMMAND on HOST, as a user logged in there
# would (mpirun on cbhost1, say); `left HOST` lists the processes on HOST
# other than its sshd (none once a job is over); `link HOST down` cuts
# HOST off the network (a host that does not answer), `up` mends it; `down` kills every
# process on the hosts and removes the namespaces, links and files `up`
# made.  A failed or interrupted `up` tears down what it made; with
# --while PID, a watcher tears the hosts down once PID is gone (a test
# suite killed with SIGKILL leaves nothing behind either).
#
# Needs root and network namespaces.  Status: 0 done, 2 bad usage, 1 a
# failure (said on one line), 77 not possible here (not root, no network
# namespaces, no sshd: the line says which), which tests take as a skip.
set -eu

prog=test-hosts.sh
NET=10.251.0      # the hosts' /24, seen only inside their namespaces
MAX_HOSTS=9

say() { echo "$prog: $*" >&2; }
fail() { say "$*"; exit 1; }
usage_error() { say "$*"; exit 2; }
not_here() { say "$*"; exit 77; }

state=${TMPDIR:-/tmp}/colbench-test-hosts
if [ "${1:-}" = --state ]; then
	[ $# -ge 2 ] || usage_error "--state needs a folder"
	state=$2
	shift 2
fi
[ $# -ge 1 ] || usage_error "up N, down, exec HOST COMMAND..., left HOST, or link HOST down|up (--help)"
cmd=$1
shift

# The namespaces' and links' names carry a tag of this set of hosts, so
# that two sets (two test suites at once) never meet.
tag() { cat "$state/tag"; }
host_ns() { echo "$(tag)-h$1"; }
switch_ns() { echo "$(tag)-sw"; }
host_count() { cat "$state/count"; }

# The pid of HOST's sshd, whose namespaces are HOST's.
sshd_pid() {
	local pid
	pid=$(cat "$state/sshd.$1.pid" 2>/dev/null) || return 1
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

host_number() {
	[[ $1 =~ ^cbhost([1-9])$ ]] || usage_error "$1: not a test host (cbhost1 .. cbhost$MAX_HOSTS)"
	[ -f "$state/tag" ] || fail "no test hosts are up in $state"
	[ "${BASH_REMATCH[1]}" -le "$(host_count)" ] || fail "$1: only $(host_count) test hosts are up"
	echo "${BASH_REMATCH[1]}"
}

# Every process in HOST's network namespace, whatever it became.
host_pids() {
	ip netns pids "$(host_ns "$1")" 2>/dev/null || true
}

teardown() {
	local i n ns
	[ -f "$state/tag" ] || return 0
	n=$(cat "$state/count" 2>/dev/null || echo "$MAX_HOSTS")
	if [ -f "$state/watcher.pid" ] && [ "$(cat "$state/watcher.pid")" != "${BASHPID:-$$}" ]; then
		kill "$(cat "$state/watcher.pid")" 2>/dev/null || true
	fi
	for i in $(seq 1 "$n"); do
		ns=$(host_ns "$i")
		# Twice: a process may fork while the first kill goes round.
		host_pids "$i" | xargs -r kill -KILL 2>/dev/null || true
		host_pids "$i" | xargs -r kill -KILL 2>/dev/null || true
		ip netns del "$ns" 2>/dev/null || true
		# A pair not yet moved into its namespaces is still here.
		ip link del "$(tag)h$i" 2>/dev/null || true
	done
	ip netns pids "$(switch_ns)" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
	ip netns del "$(switch_ns)" 2>/dev/null || true
	rm -f "$state"/sshd.*.pid "$state"/sshd_config.* "$state"/ssh_host_key.* "$state"/id_colbench \
		"$state"/id_colbench.pub "$state"/authorized_keys "$state"/known_hosts "$state"/ssh_config \
		"$state"/hosts "$state"/hostfile "$state"/count "$state"/watcher.pid "$state"/sshd.*.log \
		"$state"/tag
	rmdir "$state" 2>/dev/null || true
}

can_run_here() {
	[ "$(id -u)" -eq 0 ] || not_here "needs root to make network namespaces (uid $(id -u))"
	command -v ip >/dev/null 2>&1 || not_here "needs ip: apt-get install iproute2"
	if ! command -v nsenter >/dev/null 2>&1 || ! command -v unshare >/dev/null 2>&1; then
		not_here "needs nsenter and unshare: apt-get install util-linux"
	fi
	[ -x /usr/sbin/sshd ] || not_here "needs sshd: apt-get install openssh-server"
	command -v ssh-keygen >/dev/null 2>&1 || not_here "needs ssh-keygen: apt-get install openssh-client"
	local probe="cbprobe$$" out
	if ! out=$(ip netns add "$probe" 2>&1); then
		not_here "cannot make network namespaces here: ${out:-ip netns add failed}"
	fi
	ip netns del "$probe" 2>/dev/null || true
}

write_configs() {
	local n=$1 i
	ssh-keygen -q -t ed25519 -N "" -C colbench-test-hosts -f "$state/id_colbench"
	cp "$state/id_colbench.pub" "$state/authorized_keys"
	: >"$state/known_hosts"
	: >"$state/hostfile"
	echo "127.0.0.1 localhost" >"$state/hosts"
	for i in $(seq 1 "$n"); do
		echo "$NET.$i cbhost$i" >>"$state/hosts"
		# Two slots a host: a cluster user's hostfile line.
		echo "cbhost$i slots=2" >>"$state/hostfile"
		ssh-keygen -q -t ed25519 -N "" -C "cbhost$i" -f "$state/ssh_host_key.$i"
		echo "cbhost$i,$NET.$i $(cut -d' ' -f1,2 "$state/ssh_host_key.$i.pub")" >>"$state/known_hosts"
		cat >"$state/sshd_config.$i" <<-EOF
			ListenAddress $NET.$i
			HostKey $state/ssh_host_key.$i
			PidFile $state/sshd.$i.pid
			AuthorizedKeysFile $state/authorized_keys
			PermitRootLogin prohibit-password
			PubkeyAuthentication yes
			PasswordAuthentication no
			KbdInteractiveAuthentication no
			UsePAM no
			StrictModes no
			PrintMotd no
			UseDNS no
			MaxStartups 64
			MaxSessions 64
		EOF
	done
	# The client: these keys, these hosts, never a prompt, and a bound on
	# a host that does not answer (mpirun's launch fails, never hangs).
	cat >"$state/ssh_config" <<-EOF
		Host cbhost*
		  User $(id -un)
		  IdentityFile $state/id_colbench
		  IdentitiesOnly yes
		  UserKnownHostsFile $state/known_hosts
		  StrictHostKeyChecking yes
		  BatchMode yes
		  ConnectTimeout 3
		  ServerAliveInterval 1
		  ServerAliveCountMax 3
		  LogLevel ERROR
	EOF
}

# Host I: its namespace, its end of a veth pair (eth0), the other end on
# the bridge, then its sshd in its own UTS and mount namespaces.
make_host() {
	local i=$1 ns veth switch
	ns=$(host_ns "$i")
	veth="$(tag)h$i"
	switch=$(switch_ns)
	ip netns add "$ns"
	ip link add "$veth" type veth peer name "$(tag)s$i"
	ip link set "$(tag)s$i" netns "$switch"
	ip -n "$switch" link set "$(tag)s$i" master br0 up
	ip link set "$veth" netns "$ns"
	ip -n "$ns" link set "$veth" name eth0
	ip -n "$ns" addr add "$NET.$i/24" dev eth0
	ip -n "$ns" link set lo up
	ip -n "$ns" link set eth0 up
	# sshd's privilege-separation folder, which Debian's service makes.
	[ -d /run/sshd ] || install -d -m 0755 /run/sshd
	# shellcheck disable=SC2016 # $1..$4 are the inner shell's
	ip netns exec "$ns" unshare --uts --mount --propagation private \
		sh -c 'hostname "$1" && mount --bind "$2" /etc/hosts && exec /usr/sbin/sshd -f "$3" -E "$4"' \
		sh "cbhost$i" "$state/hosts" "$state/sshd_config.$i" "$state/sshd.$i.log"
}

# Wait (a bounded while) until HOST answers ssh from host 1.
wait_for_ssh() {
	local i=$1 try=0
	while [ "$try" -lt 50 ]; do
		try=$((try + 1))
		if sshd_pid "$i" >/dev/null && nsenter -t "$(sshd_pid 1)" -n -u -m -- \
			ssh -F "$state/ssh_config" "cbhost$i" true 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	fail "cbhost$i: sshd does not answer (see $state/sshd.$i.log)"
}

watch_owner() {
	local owner=$1
	while kill -0 "$owner" 2>/dev/null; do
		sleep 1
	done
	teardown
}

up() {
	local n=${1:-} owner="" i
	shift || true
	while [ $# -gt 0 ]; do
		case $1 in
		--while) [ $# -ge 2 ] || usage_error "--while needs a pid"; owner=$2; shift 2 ;;
		*) usage_error "up: unknown option $1" ;;
		esac
	done
	[[ $n =~ ^[1-9]$ ]] || usage_error "up needs a count of hosts, 1 to $MAX_HOSTS"
	[ -z "$owner" ] || kill -0 "$owner" 2>/dev/null || usage_error "--while $owner: no such process"
	can_run_here
	[ ! -f "$state/tag" ] || fail "test hosts are already up in $state: run down first"
	mkdir -p "$state"
	trap 'teardown' EXIT
	trap 'teardown; trap - EXIT; exit 1' INT TERM HUP
	echo "cb$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')" >"$state/tag"
	echo "$n" >"$state/count"
	write_configs "$n"
	ip netns add "$(switch_ns)"
	ip -n "$(switch_ns)" link add br0 type bridge
	ip -n "$(switch_ns)" link set br0 up
	for i in $(seq 1 "$n"); do
		make_host "$i" || fail "cbhost$i: could not be made"
	done
	for i in $(seq 1 "$n"); do
		wait_for_ssh "$i"
	done
	if [ -n "$owner" ]; then
		setsid bash "$0" --state "$state" watch "$owner" </dev/null >/dev/null 2>&1 &
		echo $! >"$state/watcher.pid"
	fi
	trap - EXIT INT TERM HUP
	say "$n hosts up: cbhost1..cbhost$n ($NET.1-$n), hostfile $state/hostfile, ssh -F $state/ssh_config"
}

case $cmd in
up) up "$@" ;;
down) teardown ;;
watch) watch_owner "$1" ;;
exec)
	[ $# -ge 2 ] || usage_error "exec HOST COMMAND..."
	i=$(host_number "$1")
	shift
	pid=$(sshd_pid "$i") || fail "cbhost$i: its sshd is gone"
	exec nsenter -t "$pid" -n -u -m --wd="$PWD" -- "$@"
	;;
left)
	[ $# -eq 1 ] || usage_error "left HOST"
	i=$(host_number "$1")
	pid=$(sshd_pid "$i" || true)
	for p in $(host_pids "$i"); do
		[ "$p" = "$pid" ] || ps -o pid=,args= -p "$p" || true
	done
	;;
link)
	if [ $# -ne 2 ] || { [ "$2" != down ] && [ "$2" != up ]; }; then
		usage_error "link HOST down|up"
	fi
	i=$(host_number "$1")
	ip -n "$(host_ns "$i")" link set eth0 "$2" || fail "cbhost$i: could not set its link $2"
	;;
-h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" ;;
*) usage_error "$cmd: up N, down, exec HOST COMMAND..., left HOST, or link HOST down|up" ;;
esac

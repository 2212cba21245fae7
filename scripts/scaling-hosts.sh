#!/usr/bin/env bash
# scripts/scaling-hosts.sh (--hosts LIST | --hostfile FILE) [--per-host N]
#     [--mpirun-arg ARG]... [--out DIR] [COLBENCH OPTION]...
#
# How does the mpi strategy scale from one host to many?  Run on the host
# mpirun starts from (a cluster's login node, or cbhost1 of
# scripts/test-hosts.sh): for k = 1 .. the number of hosts, one mpirun over
# the first k hosts (-H, in the order given; --hostfile: its hosts, one a
# line, first word) with N ranks a host (default 1), each a verified
# colbench --strategy mpi, and seq once on this host for the speedup; the
# other options go to colbench (--rows, --cols, --layout, --number, ...).
# Writes to --out (default results/YYYY-MM-DD/) what scaling.sh writes for
# workers: a JSON and a CSV report (a row for seq, a row for each rank
# count: its workers are the ranks) and a PNG plot (scripts/plot.sh), named
# scaling-hosts-HOST-DATE.
#
# --mpirun-arg ARG adds ARG to every mpirun (once a word: --mpirun-arg
# --mca --mpirun-arg btl --mpirun-arg self,vader,tcp).  The colbench run
# is $COLBENCH, or build-mpi/colbench (make MPI=1 mpi-binary).
set -eu
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

hosts="" per_host=1 out="" mpirun_args=() pass=()
while [ $# -gt 0 ]; do
	case $1 in
	--hosts) [ $# -ge 2 ] || die "--hosts needs a list"; hosts=$2; shift 2 ;;
	--hostfile)
		[ $# -ge 2 ] || die "--hostfile needs a file"
		[ -r "$2" ] || die "--hostfile $2: cannot read it"
		hosts=$(awk '!/^[[:space:]]*(#|$)/ { print $1 }' "$2" | paste -sd, -)
		shift 2
		;;
	--per-host) [ $# -ge 2 ] || die "--per-host needs a count"; per_host=$2; shift 2 ;;
	--mpirun-arg) [ $# -ge 2 ] || die "--mpirun-arg needs a word"; mpirun_args+=("$2"); shift 2 ;;
	--out) [ $# -ge 2 ] || die "--out needs a folder"; out=$2; shift 2 ;;
	--format* | -f* | --output* | -o* | --strategy* | -s* | --workers* | -w*)
		die "$1: scaling-hosts.sh runs --strategy mpi and writes its own reports into --out" ;;
	-h | --help) usage; exit 0 ;;
	*) pass+=("$1"); shift ;;
	esac
done
[ -n "$hosts" ] || die "needs --hosts LIST or --hostfile FILE (--help)"
[[ $hosts =~ ^[A-Za-z0-9._-]+(,[A-Za-z0-9._-]+)*$ ]] ||
	die "--hosts: '$hosts' is not a comma-separated list of host names"
[[ $per_host =~ ^[1-9][0-9]*$ ]] || die "--per-host: '$per_host' is not a positive integer"
if [ -n "${COLBENCH:-}" ]; then
	colbench=$COLBENCH
elif [ -x "$(dirname "$0")/../build-mpi/colbench" ]; then
	colbench="$(cd "$(dirname "$0")/.." && pwd)/build-mpi/colbench"
else
	die "no MPI colbench: run make MPI=1 mpi-binary, or set COLBENCH"
fi
need mpirun openmpi-bin
need jq jq
need gnuplot gnuplot-nox
stem=$(report_stem "$out" scaling-hosts)
out=${stem%/*}
mkdir -p "$out" || die "cannot create $out"
tmp=$(mktemp -d "$out/.scaling-hosts.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

IFS=, read -r -a list <<<"$hosts"
echo "scaling-hosts.sh: seq on $(hostname)" >&2
"$colbench" --strategy seq "${pass[@]}" --format json --output "$tmp/0.csv" >"$tmp/0.json"
for k in $(seq 1 "${#list[@]}"); do
	on="" slots="" # the first k hosts, and as -H takes them with N slots each
	for h in "${list[@]:0:k}"; do
		on+="${on:+,}$h"
		slots+="${slots:+,}$h:$per_host"
	done
	echo "scaling-hosts.sh: $((k * per_host)) ranks on $on" >&2
	mpirun "${mpirun_args[@]}" -H "$slots" \
		-np $((k * per_host)) "$colbench" --strategy mpi "${pass[@]}" --format json \
		--output "$tmp/$k.csv" >"$tmp/$k.json" || die "mpirun over $on failed (status $?)"
done

files=()
for k in $(seq 0 "${#list[@]}"); do files+=("$tmp/$k.json"); done
# seq's report carries the matrix and this host's system; every rank
# count's result joins it, with its job (hosts and per-rank times).
jq -s '.[0] + {
    hosts: [.[1:][] | .job.hosts],
    results: [.[].results[]],
    jobs: [.[1:][] | .job],
    warnings: ([.[].warnings[]] | unique)
  }' "${files[@]}" >"$tmp/all.json"
{
	cat "$tmp/0.csv"
	for k in $(seq 1 "${#list[@]}"); do tail -n +2 "$tmp/$k.csv"; done
} >"$tmp/all.csv"
mv "$tmp/all.json" "$stem.json"
mv "$tmp/all.csv" "$stem.csv"
plot_and_list "$stem" csv "colbench mpi over 1..${#list[@]} hosts from $(hostname -s)"

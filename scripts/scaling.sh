#!/usr/bin/env bash
# scripts/scaling.sh [--workers LIST] [--cpus LIST] [--out DIR] [COLBENCH OPTION]...
#
# How does each strategy scale from 1 worker to all CPUs?  Runs colbench
# for every strategy over worker counts (default 1, 2, 4, ... up to the
# online CPUs, and the CPU count itself), passing every other option
# through (--rows, --cols, --layout, --number, ...), and writes to --out
# (default results/YYYY-MM-DD/, the folder of the date, UTC) a JSON and a
# CSV report (colbench's own formats, one row per strategy and worker
# count) named after the host and the date, and a PNG plot of time and
# speedup against workers (scripts/plot.sh).
#
# --cpus LIST runs each point under taskset, restricted to that many CPUs
# with as many workers, so one machine can stand in for smaller ones.
set -eu
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

workers="" cpus="" out="" pass=()
while [ $# -gt 0 ]; do
	case $1 in
	--workers) [ $# -ge 2 ] || die "--workers needs a list"; workers=$2; shift 2 ;;
	--cpus) [ $# -ge 2 ] || die "--cpus needs a list"; cpus=$2; shift 2 ;;
	--out) [ $# -ge 2 ] || die "--out needs a folder"; out=$2; shift 2 ;;
	# colbench takes each option once, and these are scaling.sh's own.
	--format* | -f* | --output* | -o*) die "$1: scaling.sh writes its own reports into --out" ;;
	-h | --help) usage; exit 0 ;;
	*) pass+=("$1"); shift ;; # colbench's own options
	esac
done
colbench=$(colbench_binary)
need jq jq
need gnuplot gnuplot-nox
[ -z "$cpus" ] || need taskset util-linux
stem=$(report_stem "$out" scaling)
out=${stem%/*}
mkdir -p "$out" || die "cannot create $out"

online=$(getconf _NPROCESSORS_ONLN)
[ -n "$workers" ] || workers=$(default_workers)
for c in ${cpus//,/ }; do
	[[ $c =~ ^[1-9][0-9]*$ ]] || die "--cpus: '$c' is not a positive integer"
done
[ -z "$cpus" ] || [[ $cpus =~ ^[0-9,]+$ && $cpus != *,, && $cpus != ,* && $cpus != *, ]] ||
	die "--cpus: '$cpus' is not a comma-separated list of counts"

# In the output folder, so the final mv is a rename: never a half file.
tmp=$(mktemp -d "$out/.scaling.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

if [ -z "$cpus" ]; then
	echo "scaling.sh: workers $workers" >&2
	"$colbench" --workers "$workers" "${pass[@]}" --format json --output "$tmp/all.csv" >"$tmp/all.json"
else
	# One colbench per CPU count, pinned to that many CPUs; then one report.
	for c in $(echo "$cpus" | tr ',' ' '); do
		[ "$c" -le "$online" ] || die "--cpus $c: this machine has $online CPUs"
		echo "scaling.sh: $c CPUs (taskset -c 0-$((c - 1)))" >&2
		taskset -c "0-$((c - 1))" "$colbench" --workers "$c" "${pass[@]}" --format json \
			--output "$tmp/$c.csv" >"$tmp/$c.json"
	done
	# The first report carries the matrix and the system; every run's
	# results (seq once, from the first) and limits join it.
	# shellcheck disable=SC2046
	jq -s '.[0] + {
	    cpus: [.[] | .system.usable_cpus],
	    limit: ([.[].limit[]] | unique_by(.workers)),
	    results: ([.[0].results[] | select(.strategy == "seq")] +
	              [.[].results[] | select(.strategy != "seq")]),
	    warnings: ([.[].warnings[]] | unique)
	  }' $(for c in $(echo "$cpus" | tr ',' ' '); do echo "$tmp/$c.json"; done) >"$tmp/all.json"
	first=1
	for c in $(echo "$cpus" | tr ',' ' '); do
		if [ $first = 1 ]; then
			cat "$tmp/$c.csv"
			first=0
		else # seq's row and the header only once
			tail -n +2 "$tmp/$c.csv" | { grep -v '^seq --workers' || true; }
		fi
	done >"$tmp/all.csv"
fi
mv "$tmp/all.json" "$stem.json"
mv "$tmp/all.csv" "$stem.csv"
plot_and_list "$stem" csv "colbench scaling on $(hostname -s)"

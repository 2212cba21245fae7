#!/usr/bin/env bash
# scripts/hyperfine.sh [--workers LIST] [--strategies LIST] [--runs N] [--out DIR]
#                      [COLBENCH OPTION]...
#
# Whole-process timings, by the tool people already trust: hyperfine runs
# colbench once per strategy and worker count (-L lists), with a warm-up
# run, and exports its JSON and Markdown to --out (default
# results/YYYY-MM-DD/, the folder of the date, UTC), named after the host
# and the date; then scripts/plot.sh draws them.  Each process generates
# its matrix, so these times include what a user waits for, not only the
# sums.  Other options go to colbench (--rows, --cols, ...).
set -eu
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

# One timed call per process (hyperfine times the processes): colbench takes
# each option once, so a --number, --repeat or --warmup of the user's
# replaces these rather than following them.
number=1 repeat=1 warmup=0
workers="" strategies="" runs="" out="" pass=()
while [ $# -gt 0 ]; do
	case $1 in
	--number | -n) [ $# -ge 2 ] || die "$1 needs a number"; number=$2; shift 2 ;;
	--repeat | -r) [ $# -ge 2 ] || die "$1 needs a number"; repeat=$2; shift 2 ;;
	--warmup) [ $# -ge 2 ] || die "--warmup needs a number"; warmup=$2; shift 2 ;;
	--number=*) number=${1#*=}; shift ;;
	--repeat=*) repeat=${1#*=}; shift ;;
	--warmup=*) warmup=${1#*=}; shift ;;
	--no-limit | --quiet | -q) shift ;; # always on here
	--strategy | -s | --strategy=*) die "$1: give hyperfine.sh --strategies LIST" ;;
	--workers) [ $# -ge 2 ] || die "--workers needs a list"; workers=$2; shift 2 ;;
	--strategies) [ $# -ge 2 ] || die "--strategies needs a list"; strategies=$2; shift 2 ;;
	--runs) [ $# -ge 2 ] || die "--runs needs a number"; runs=$2; shift 2 ;;
	--out) [ $# -ge 2 ] || die "--out needs a folder"; out=$2; shift 2 ;;
	-h | --help) usage; exit 0 ;;
	*) pass+=("$1"); shift ;; # colbench's own options
	esac
done
colbench=$(colbench_binary)
need hyperfine hyperfine
need jq jq             # for the plot, checked before the long run
need gnuplot gnuplot-nox
stem=$(report_stem "$out" hyperfine)
out=${stem%/*}
mkdir -p "$out" || die "cannot create $out"
[ -n "$workers" ] || workers=$(default_workers)
# By default what --strategy all runs, as colbench's own registry lists it.
[ -n "$strategies" ] || strategies=$("$colbench" --list | awk -F'\t' '$2 == "all" { print $1 }' | paste -sd, -)
[ -n "$strategies" ] || die "$colbench --list named no strategy"

trap 'rm -f "$stem.json.tmp" "$stem.md.tmp"' EXIT
command="$(printf '%q' "$colbench") --strategy {strategy} --workers {workers}"
command="$command $(printf '%q ' --number "$number" --repeat "$repeat" --warmup "$warmup")"
command="$command--no-limit --quiet"
[ ${#pass[@]} -eq 0 ] || command="$command $(printf '%q ' "${pass[@]}")"
hyperfine --warmup 1 ${runs:+--runs "$runs"} --style basic --shell=bash \
	-L strategy "$strategies" -L workers "$workers" \
	--export-json "$stem.json.tmp" --export-markdown "$stem.md.tmp" \
	"$command" >&2
mv "$stem.json.tmp" "$stem.json"
mv "$stem.md.tmp" "$stem.md"
plot_and_list "$stem" md "colbench under hyperfine (whole processes) on $(hostname -s)"

#!/bin/bash
# make bench-verdicts: how often the README's CI gate cries wolf on this
# machine, and whether it catches real slowdowns (issue 15's targets).
#
# For each matrix (2000 x 1000, cache-resident; 8000 x 4000, memory-bound)
# it saves PAIRS baseline reports with the README's CI options (all
# strategies, the default sampling: 10 fresh processes of 3 runs) and, for
# each baseline, runs four fresh reports compared with it at --threshold 5:
#   aa        the same build, the machine idle           (target: <= 1 regressed)
#   busy      the same, a CPU-bound `while :` loop started
#             for the fresh run only                     (target: 0 regressed)
#   pairwise  --kernel pairwise (a real 15-25% slowdown)  (target: >= 19 of 20 regressed)
#   naive     --kernel naive (about 2x slower)            (target: 20 of 20 regressed)
# Each fresh run's exit status is its verdict: 0 pass, 1 regressed,
# 5 inconclusive.  Writes results/DATE/verdicts-HOST-DATE.{tsv,md}, and
# .jsonl: each fresh run's comparisons (change, interval, verdict, reason,
# limits).
# PAIRS (default 20) and MATRICES ("2000x1000 8000x4000") override.
set -eu
cd "$(dirname "$0")/.."
. scripts/lib.sh

pairs=${PAIRS:-20}
matrices=${MATRICES:-2000x1000 8000x4000}
colbench=$(colbench_binary)
stem=$(report_stem "" verdicts)
mkdir -p "${stem%/*}" || die "cannot create ${stem%/*}"
evidence=$stem.jsonl.tmp
need jq jq
work=$(mktemp -d)
busy_pid=
trap 'if [ -n "$busy_pid" ]; then kill "$busy_pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT

# run_fresh KIND BASELINE OPTIONS...: one fresh report judged; its status.
run_fresh() {
	local kind=$1 base=$2 status=0 start end
	shift 2
	if [ "$kind" = busy ]; then
		sh -c 'while :; do :; done' &
		busy_pid=$!
	fi
	start=$(date +%s.%N)
	"$colbench" "$@" -q --output "$work/fresh.json" --baseline "$base" --threshold 5 \
		>"$work/fresh.out" 2>"$work/fresh.err" || status=$?
	end=$(date +%s.%N)
	if [ -n "$busy_pid" ]; then
		kill "$busy_pid"
		wait "$busy_pid" 2>/dev/null || true
		busy_pid=
	fi
	case $status in 0 | 1 | 5) ;; *) cat "$work/fresh.err" >&2; die "colbench failed ($status)" ;; esac
	# Every verdict's evidence, one JSON line a fresh run, for the record.
	jq -c --arg kind "$kind" '{kind: $kind, disturbed: .sampling.disturbed_processes,
		comparisons: [.baseline.comparisons[] | {strategy, workers, change, ci_low, ci_high,
		verdict, reason, old_limit_gbps, new_limit_gbps}]}' "$work/fresh.json" >>"$evidence"
	echo "$status $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')"
}

printf 'matrix\tkind\tpair\tstatus\tseconds\n' >"$stem.tsv.tmp"
for m in $matrices; do
	rows=${m%x*}
	cols=${m#*x}
	opts=(--rows "$rows" --cols "$cols")
	for i in $(seq 1 "$pairs"); do
		"$colbench" "${opts[@]}" -q --output "$work/base.json" >/dev/null
		for kind in aa busy pairwise naive; do
			case $kind in
			pairwise) extra=(--kernel pairwise) ;;
			naive) extra=(--kernel naive) ;;
			*) extra=() ;;
			esac
			read -r status seconds < <(run_fresh "$kind" "$work/base.json" "${opts[@]}" "${extra[@]}")
			printf '%s\t%s\t%s\t%s\t%s\n' "$m" "$kind" "$i" "$status" "$seconds" >>"$stem.tsv.tmp"
			echo "$m pair $i $kind: status $status (${seconds%.*} s)"
		done
	done
done
mv "$stem.tsv.tmp" "$stem.tsv"
mv "$evidence" "$stem.jsonl"
/usr/bin/python3 scripts/verdicts_table.py "$stem.tsv" "$pairs" >"$stem.md"
cat "$stem.md"

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
# 5 inconclusive.  Writes results/verdicts-HOST-DATE.{tsv,md}.
# PAIRS (default 20) and MATRICES ("2000x1000 8000x4000") override.
set -eu
cd "$(dirname "$0")/.."
. scripts/lib.sh

pairs=${PAIRS:-20}
matrices=${MATRICES:-2000x1000 8000x4000}
colbench=$(colbench_binary)
stem=$(report_stem results verdicts)
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
/usr/bin/python3 - "$stem.tsv" "$pairs" <<'PY' >"$stem.md"
import csv, sys, platform, subprocess, datetime
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
pairs = int(sys.argv[2])
cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), '?')
print(f"# make bench-verdicts: the CI gate's false alarms and power\n")
print(f"Machine: {cpu}, {subprocess.check_output(['nproc']).decode().strip()} CPUs, "
      f"{platform.system()} {platform.release()}; {datetime.date.today()}.")
print(f"Each fresh report (README's CI options: every strategy, 10 fresh processes of 3 runs,"
      f" --threshold 5) against its own fresh baseline; {pairs} pairs per row.\n")
print("| matrix | fresh run | pass | regressed | inconclusive | mean seconds | target |")
print("| --- | --- | --- | --- | --- | --- | --- |")
target = {'aa': 'at most 1 regressed', 'busy': '0 regressed',
          'pairwise': f'at least {pairs - pairs // 20} regressed', 'naive': f'{pairs} regressed'}
ok_all = True
for m in dict.fromkeys(r['matrix'] for r in rows):
    for kind in ['aa', 'busy', 'pairwise', 'naive']:
        sel = [r for r in rows if r['matrix'] == m and r['kind'] == kind]
        n = {s: sum(r['status'] == s for r in sel) for s in '015'}
        secs = sum(float(r['seconds']) for r in sel) / max(len(sel), 1)
        ok = {'aa': n['1'] <= max(1, len(sel) // 20), 'busy': n['1'] == 0,
              'pairwise': n['1'] >= len(sel) - len(sel) // 20, 'naive': n['1'] == len(sel)}[kind]
        ok_all &= ok
        print(f"| {m} | {kind} | {n['0']} | {n['1']} | {n['5']} | {secs:.1f} | "
              f"{target[kind]}: {'met' if ok else 'MISSED'} |")
print(f"\nAll targets {'met' if ok_all else 'NOT met'}.")
PY
cat "$stem.md"

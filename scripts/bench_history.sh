#!/bin/bash
# make bench-history: how often colbench history calls a change point in a
# series that has none, and how soon it finds the ones that are there, on
# this machine's own reports (issue 26's targets).
#
# It saves POOL (default 40) fresh reports as a CI job would (seq and
# pthread with 2 workers, 10 fresh processes of 3 runs each, a 2000 x 1000
# matrix), then KERNEL (default 10) with --kernel pairwise, a real
# slowdown.  Series are drawn from the pool, in a random order each (the
# noise is the machine's own, report to report):
#   aa      SERIES (20) series of 20 reports, nothing changed    (target: a change point in at most 1)
#   step15  the same with the last 10 reports' times x 1.15      (target: found in >= 19, within 2 reports)
#   step5   the same, x 1.05                                     (target: found in >= 3 of 4)
#   drift   series of 30, report i's times x 1.01^i: the drift
#           when a regression is first found, growing the series (target: before 10%)
#   kernel  10 simd reports then the KERNEL pairwise ones: a real step
# Writes results/DATE/history-HOST-DATE.md (the table) and .tsv (each
# series' outcome).  POOL, KERNEL and SERIES override.
set -eu
cd "$(dirname "$0")/.."
. scripts/lib.sh

pool=${POOL:-40}
kernel=${KERNEL:-10}
series=${SERIES:-20}
colbench=$(colbench_binary)
need jq jq
stem=$(report_stem "" history)
mkdir -p "${stem%/*}" || die "cannot create ${stem%/*}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck disable=SC2054 # seq,pthread is one value
opts=(--rows 2000 --cols 1000 --strategy seq,pthread --workers 2 --processes 10 --repeat 3
	--no-limit --quiet)

echo "bench_history.sh: $pool reports, then $kernel with --kernel pairwise" >&2
mkdir -p "$work/pool" "$work/pairwise"
for i in $(seq 1 "$pool"); do
	"$colbench" "${opts[@]}" --label "p$i" --output "$work/pool/$i.json" >/dev/null 2>&1 ||
		[ $? -eq 5 ] || die "report $i failed"
done
for i in $(seq 1 "$kernel"); do
	"$colbench" "${opts[@]}" --kernel pairwise --label "k$i" --output "$work/pairwise/$i.json" \
		>/dev/null 2>&1 || [ $? -eq 5 ] || die "pairwise report $i failed"
done

# scaled IN OUT FACTOR: a report with every time times FACTOR.
scaled() {
	jq --argjson f "$3" '.results[] |= (.times |= map(. * $f) |
		(.mean, .median, .min, .max, .stddev, .stddev_population) |=
		(if . == null then . else . * $f end))' "$1" >"$2"
}

# draw N SEED: N pool reports in a random order (shuf, seeded).
draw() {
	seq 1 "$pool" | shuf -n "$1" --random-source=<(yes "$2")
}

# verdict DIR...: the change points history finds, as "report kind" lines.
change_points() {
	"$colbench" history --format json "$@" |
		jq -r '.series[] | .change_points[] | "\(.report) \(.kind)"'
}

: >"$stem.tsv"
aa_flagged=0 s15_found=0 s15_near=0 s5_found=0 drift_at=()
for s in $(seq 1 "$series"); do
	files=() up15=() up5=()
	k=0
	for i in $(draw 20 "$s"); do
		k=$((k + 1))
		files+=("$work/pool/$i.json")
		if [ "$k" -gt 10 ]; then
			scaled "$work/pool/$i.json" "$work/s15-$s-$k.json" 1.15
			scaled "$work/pool/$i.json" "$work/s5-$s-$k.json" 1.05
			up15+=("$work/s15-$s-$k.json")
			up5+=("$work/s5-$s-$k.json")
		else
			up15+=("$work/pool/$i.json")
			up5+=("$work/pool/$i.json")
		fi
	done
	aa=$(change_points "${files[@]}" | wc -l)
	[ "$aa" -eq 0 ] || aa_flagged=$((aa_flagged + 1))
	c15=$(change_points "${up15[@]}" | awk '$2 == "regression" { print $1 }' | sort -u)
	c5=$(change_points "${up5[@]}" | awk '$2 == "regression" { print $1 }' | sort -u)
	[ -z "$c15" ] || s15_found=$((s15_found + 1))
	for c in $c15; do
		if [ $((c - 11)) -le 2 ] && [ $((11 - c)) -le 2 ]; then
			s15_near=$((s15_near + 1))
			break
		fi
	done
	[ -z "$c5" ] || s5_found=$((s5_found + 1))
	# Drift: a series of 30 grown one report at a time until a regression shows.
	drift=() found=none
	k=0
	for i in $(draw 30 "d$s"); do
		f=$(awk -v k="$k" 'BEGIN { printf "%.6f", 1.01 ^ k }')
		scaled "$work/pool/$i.json" "$work/d-$s-$k.json" "$f"
		drift+=("$work/d-$s-$k.json")
		k=$((k + 1))
		if [ "$k" -ge 4 ] && [ -n "$(change_points "${drift[@]}" | awk '$2 == "regression"')" ]; then
			found=$(awk -v k="$k" 'BEGIN { printf "%.1f", 100 * (1.01 ^ (k - 1) - 1) }')
			break
		fi
	done
	drift_at+=("$found")
	printf '%s\t%s\t%s\t%s\t%s\n' "$s" "$aa" "${c15:-none}" "${c5:-none}" "$found" |
		tr '\n' ' ' | sed 's/ $/\n/' >>"$stem.tsv"
done
# The real step: ten pool reports, then the pairwise ones.
real=()
for i in $(seq 1 10); do real+=("$work/pool/$i.json"); done
for i in $(seq 1 "$kernel"); do real+=("$work/pairwise/$i.json"); done
kernel_points=$(change_points "${real[@]}" | tr '\n' ';')
drift_before_10=0
for d in "${drift_at[@]}"; do
	[ "$d" != none ] && awk -v d="$d" 'BEGIN { exit !(d < 10) }' && drift_before_10=$((drift_before_10 + 1))
done
cpu=$(jq -r '.system.cpu_model' "$work/pool/1.json")
{
	echo "# colbench history: false alarms and detection on $(hostname -s) ($cpu), $(date -u +%Y-%m-%d)"
	echo
	echo "$pool fresh reports (seq and pthread 2, 10 processes of 3 runs, 2000 x 1000), drawn into"
	echo "$series series of each kind in a random order; steps injected by scaling the later reports' times."
	echo
	echo "| series | target | measured |"
	echo "| --- | --- | --- |"
	echo "| A/A, 20 reports | a change point in at most 1 of 20 | $aa_flagged of $series |"
	echo "| a 15% step at report 11 | found in >= 19 of 20, within 2 reports | found in $s15_found, within 2 in $s15_near of $series |"
	echo "| a 5% step at report 11 | found in >= 3 of 4 | $s5_found of $series |"
	echo "| a 1%-a-report drift | flagged before 10% | before 10% in $drift_before_10 of $series (at: ${drift_at[*]}%) |"
	echo "| a real step: 10 simd, then $kernel --kernel pairwise | found | change points: ${kernel_points:-none} |"
} >"$stem.md"
cat "$stem.md"
echo "$stem.md"

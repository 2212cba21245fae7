#!/usr/bin/env bash
# scripts/plot.sh [--out FILE.png] [--title TEXT] REPORT.json...
#
# Draw how each strategy scales with its workers, from colbench's JSON
# reports or hyperfine's (scripts/hyperfine.sh): two panels, the time per
# loop against workers, and the speedup over seq against workers with the
# ideal line and, where colbench measured it, the memory-read limit.  With
# several reports (several machines, say), each series is labelled with its
# report's name.  Needs jq and gnuplot (gnuplot-nox).
set -eu
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

out=""
title="colbench: column sums, scaling with workers"
reports=()
while [ $# -gt 0 ]; do
	case $1 in
	--out) [ $# -ge 2 ] || die "--out needs a file"; out=$2; shift 2 ;;
	--title) [ $# -ge 2 ] || die "--title needs a text"; title=$2; shift 2 ;;
	-h | --help) usage; exit 0 ;;
	-*) die "unknown option $1" ;;
	*) reports+=("$1"); shift ;;
	esac
done
[ ${#reports[@]} -ge 1 ] || die "usage: plot.sh [--out FILE.png] [--title TEXT] REPORT.json..."
set -- "${reports[@]}"
need jq jq
need gnuplot gnuplot-nox
[ -n "$out" ] || out="${1%.json}.png"

data=$(mktemp -d)
trap 'rm -rf "$data" "$out.tmp"' EXIT

# One data file per report and strategy: workers, mean time (s), speedup
# over seq's fastest; and one per report for the limit as a speedup.
series=0
for report in "$@"; do
	[ -r "$report" ] || die "$report: cannot read"
	jq -e '.results | length > 0' "$report" >/dev/null 2>&1 ||
		die "$report: not a colbench or hyperfine JSON report"
	name=$(basename "$report" .json)
	# colbench's reports name the strategy; hyperfine's carry it as a parameter.
	jq -r '
	  def strategy: .strategy // .parameters.strategy // .command;
	  def workers: (.workers // .parameters.workers // 1) | tonumber;
	  (.results | map(select(strategy == "seq")) | map(.min) | min) as $seq
	  | .results[]
	  # hyperfine subtracts the start-up of its shell, so a loaded machine
	  # can give a minimum of 0: no speedup can be told from that.
	  | [strategy, workers, .mean, (if $seq and .min > 0 then $seq / .min else "NaN" end)]
	  | @tsv' "$report" | sort -k1,1 -k2,2n >"$data/all"
	while read -r strategy; do
		series=$((series + 1))
		# seq has one worker whatever --workers says: one point.
		awk -F'\t' -v s="$strategy" '$1 == s && !(s == "seq" && seen++) { print $2, $3, $4 }' \
			"$data/all" >"$data/$series.dat"
		if [ $# -gt 1 ]; then label="$strategy ($name)"; else label=$strategy; fi
		echo "$label" >"$data/$series.label"
	done < <(cut -f1 "$data/all" | sort -u)
	# The limit: bandwidth with w workers over seq's bandwidth.
	jq -r '
	  (.results | map(select(.strategy == "seq")) | map(.min) | min) as $seq
	  | select($seq != null and $seq > 0 and (.limit | length) > 0)
	  | .matrix.bytes as $bytes
	  | .limit[] | [.workers, .gbps * 1e9 / ($bytes / $seq)] | @tsv' "$report" 2>/dev/null |
		sort -n | tr '\t' ' ' >"$data/limit-$series.dat" || true
	if [ -s "$data/limit-$series.dat" ]; then
		if [ $# -gt 1 ]; then label="memory-read limit ($name)"; else label="memory-read limit"; fi
		echo "$label" >"$data/limit-$series.label"
	else
		rm -f "$data/limit-$series.dat"
	fi
done
[ "$series" -gt 0 ] || die "no results to plot"

# The gnuplot plot lists: one entry per series.
times="" speedups="" maxw=1
for f in "$data"/[0-9]*.dat; do
	label=$(gnuplot_quote "$(cat "${f%.dat}.label")")
	times="$times${times:+, }'$f' using 1:(\$2*1e3) with linespoints lw 2 title $label"
	speedups="$speedups${speedups:+, }'$f' using 1:3 with linespoints lw 2 title $label"
	w=$(awk 'NR == 1 || $1 > m { m = $1 } END { print m }' "$f")
	[ "$w" -gt "$maxw" ] && maxw=$w
done
for f in "$data"/limit-*.dat; do
	[ -e "$f" ] || continue
	label=$(gnuplot_quote "$(cat "${f%.dat}.label")")
	speedups="$speedups, '$f' using 1:2 with linespoints dt 2 lw 2 pt 6 title $label"
done

gnuplot <<GP
set terminal pngcairo size 1400,560 font ",11"
set output $(gnuplot_quote "$out.tmp")
set multiplot layout 1,2 title $(gnuplot_quote "$title")
set logscale x 2
set xrange [0.8:$maxw*1.25]
set xlabel 'workers'
set grid
set key top right
set ylabel 'time per loop (ms)'
set logscale y
set title 'time per loop'
plot $times
unset logscale y
set ylabel 'speedup over seq'
set yrange [0:*]
set key top left
set title 'speedup'
plot $speedups, x with lines dt 3 lc rgb 'gray40' title 'ideal'
unset multiplot
GP
mv "$out.tmp" "$out"
echo "$out"

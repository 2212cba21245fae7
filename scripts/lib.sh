# scripts/lib.sh - shared by the scripts: tool checks and messages.
# shellcheck shell=bash

# die MESSAGE: one line on stderr, status 2.
die() {
	echo "$(basename "$0"): $*" >&2
	exit 2
}

# need TOOL PACKAGE: fail, saying how to install it, when TOOL is missing.
need() {
	command -v "$1" >/dev/null 2>&1 ||
		die "needs $1: install it with 'apt-get install $2' (or run make test-deps)"
}

# colbench_binary: the colbench to run: $COLBENCH, or the one built here.
colbench_binary() {
	if [ -n "${COLBENCH:-}" ]; then
		echo "$COLBENCH"
	elif [ -x "$(dirname "$0")/../colbench" ]; then
		echo "$(cd "$(dirname "$0")/.." && pwd)/colbench"
	else
		die "no colbench: run make first, or set COLBENCH"
	fi
}

# report_stem DIR KIND: DIR/KIND-HOST-DATE, the name a run's files share.
# With DIR empty, results/YYYY-MM-DD of that same date (UTC, as in the
# name), the folder a kept run goes in; the caller creates the folder.
report_stem() {
	local now dir=$1
	now=$(date -u +%Y-%m-%dT%H%M%S)
	[ -n "$dir" ] || dir=results/${now%%T*}
	echo "$dir/$2-$(hostname -s)-$now"
}

# usage: the comment block at the top of the running script, as its --help.
usage() {
	awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
}

# default_workers: 1, 2, 4, ... below the online CPUs, then the CPU count.
default_workers() {
	local online w list=1
	online=$(getconf _NPROCESSORS_ONLN)
	for ((w = 2; w < online; w *= 2)); do list="$list,$w"; done
	if [ "$online" -gt 1 ]; then list="$list,$online"; fi
	echo "$list"
}

# gnuplot_quote TEXT: TEXT inside gnuplot's single quotes ('' is a quote).
gnuplot_quote() {
	printf "'%s'" "${1//\'/\'\'}"
}

# plot_and_list STEM OTHER TITLE: plot STEM.json into STEM.png
# (scripts/plot.sh), then print the files a sweep wrote, one a line:
# STEM.json, STEM.OTHER (its CSV or Markdown) and STEM.png.
plot_and_list() {
	bash "$(dirname "$0")/plot.sh" --out "$1.png" --title "$3" "$1.json" >/dev/null
	echo "$1.json"
	echo "$1.$2"
	echo "$1.png"
}

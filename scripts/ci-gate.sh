#!/usr/bin/env bash
# scripts/ci-gate.sh --baseline FILE --reports DIR --label TEXT [--summary FILE]
#     [--keep N] [--history] [COLBENCH OPTION]...
#
# The CI gate, as a CI job calls it, one commit at a time: run a fresh
# report labelled TEXT (a commit), compare it with the saved baseline FILE
# (restored by the job from its cache or artifacts; absent on the first
# run, when the fresh report becomes the baseline), write the verdicts as
# Markdown to --summary (default colbench-summary.md: for the job's
# summary or a pull request), keep the fresh report in DIR for the series
# (the last --keep, default 30, others removed), and exit with colbench's
# status: 0 pass, 1 regressed (or failed verification), 5 inconclusive,
# 2 or 3 an error.  With --history, colbench history --gate over DIR too:
# its table joins the summary, and its 1 fails the job as well.
#
# The other options go to colbench (--rows, --cols, --strategy, --threshold,
# ...).  The colbench run is $COLBENCH, or the one built here.
set -eu
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

baseline="" reports="" label="" summary=colbench-summary.md keep=30 history=0 pass=()
while [ $# -gt 0 ]; do
	case $1 in
	--baseline) [ $# -ge 2 ] || die "--baseline needs a file"; baseline=$2; shift 2 ;;
	--reports) [ $# -ge 2 ] || die "--reports needs a folder"; reports=$2; shift 2 ;;
	--label) [ $# -ge 2 ] || die "--label needs a text"; label=$2; shift 2 ;;
	--summary) [ $# -ge 2 ] || die "--summary needs a file"; summary=$2; shift 2 ;;
	--keep) [ $# -ge 2 ] || die "--keep needs a count"; keep=$2; shift 2 ;;
	--history) history=1; shift ;;
	--output* | -o* | --export-* | --format* | -f*)
		die "$1: ci-gate.sh writes the report into --reports and the summary into --summary" ;;
	-h | --help) usage; exit 0 ;;
	*) pass+=("$1"); shift ;;
	esac
done
[ -n "$baseline" ] || die "needs --baseline FILE (--help)"
[ -n "$reports" ] || die "needs --reports DIR (--help)"
[ -n "$label" ] || die "needs --label TEXT: the commit, say (--help)"
[[ $keep =~ ^[1-9][0-9]*$ ]] || die "--keep: '$keep' is not a positive integer"
[[ $label =~ ^[A-Za-z0-9._+-]+$ ]] || die "--label: '$label' is not a name (letters, digits, ._+-)"
colbench=$(colbench_binary)
mkdir -p "$reports" || die "cannot create $reports"

# The report's name sorts by time, and says which commit it is.
fresh=$reports/$(date -u +%Y%m%dT%H%M%S)-$label.json
status=0
if [ -f "$baseline" ]; then
	echo "ci-gate.sh: $label against $baseline" >&2
	"$colbench" "${pass[@]}" --label "$label" --output "$fresh" --baseline "$baseline" \
		--export-markdown "$summary" -q || status=$?
else
	echo "ci-gate.sh: no baseline at $baseline: this report becomes it" >&2
	"$colbench" "${pass[@]}" --label "$label" --output "$fresh" --export-markdown "$summary" \
		-q || status=$?
	if [ "$status" -eq 0 ]; then
		mkdir -p "$(dirname "$baseline")"
		cp "$fresh" "$baseline.tmp" && mv "$baseline.tmp" "$baseline"
	fi
fi
# The series: the last --keep reports (their names sort by time).
find "$reports" -maxdepth 1 -name '*.json' | sort | head -n "-$keep" | xargs -r rm -f
if [ "$history" = 1 ] && [ "$status" -ne 2 ] && [ "$status" -ne 3 ]; then
	gate=0
	{
		echo
		"$colbench" history --gate --format markdown "$reports" || gate=$?
	} >>"$summary"
	# A regression over the series fails the job too; its doubt does not
	# override the baseline's verdict.
	[ "$gate" -ne 1 ] || status=1
fi
echo "ci-gate.sh: status $status, report $fresh, summary $summary" >&2
exit "$status"

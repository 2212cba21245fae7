#!/usr/bin/env bats
# colbench history: series of saved reports, their change points and the
# gate.  The series are made from one real report (three sampled
# processes, seq and pthread), copied with its times scaled by known
# factors, so that every series here has known steps and no noise of the
# machine the tests run on: the false-alarm and detection rates on real
# series are make bench-history's.

load helpers

setup_file() {
	export BASE=$BATS_FILE_TMPDIR/base.json
	"$COLBENCH" --rows 600 --cols 200 --strategy seq,pthread --workers 2 --number 20 \
		--repeat 3 --processes 3 --no-limit --quiet --label base --output "$BASE" >/dev/null 2>&1
}

setup() {
	colbench_setup
	[[ -s $BASE ]] || fail "the base report was not made"
	SERIES=$BATS_TEST_TMPDIR/series
	mkdir -p "$SERIES"
}

# A fixed +-1% wobble for report i, the same in every run: the noise.
wobble() {
	local w=(1.000 1.008 0.993 1.004 0.996 1.009 0.991 1.002 0.997 1.006 0.994 1.003 0.999 1.007
		0.992 1.001 0.995 1.005 0.998 1.004 0.993 1.006 0.997 1.002 0.995 1.008 0.991 1.003)
	echo "${w[$(($1 % ${#w[@]}))]}"
}

# make_report I FACTOR [JQ]: report I of the series, the base's times times
# FACTOR (and the wobble), labelled cI, dated I minutes after noon, no run
# disturbed (whatever the base met); JQ, a further jq filter.
make_report() {
	local i=$1 f
	f=$(awk -v a="$2" -v b="$(wobble "$i")" 'BEGIN { printf "%.6f", a * b }')
	jq --argjson f "$f" --arg lab "c$i" --arg date "$(printf '2026-12-04T12:%02d:00Z' "$i")" '
		.label = $lab | .system.date = $date |
		.results[] |= (.run_disturbance |= map(.disturbed = false) | .disturbed_runs = 0 |
			.times |= map(. * $f) |
			(.mean, .median, .min, .max, .stddev, .stddev_population) |= (if . == null
				then . else . * $f end)) | '"${3:-.}" "$BASE" >"$SERIES/r$(printf %02d "$i").json"
}

# series N STEP_AT FACTOR: N reports, FACTOR from report STEP_AT on (1-based).
series() {
	local i
	for i in $(seq 1 "$1"); do
		if ((i >= $2)); then make_report "$i" "$3"; else make_report "$i" 1; fi
	done
}

@test "no step in a series of twenty: no change point, the gate passes" {
	series 20 99 1
	run --separate-stderr "$COLBENCH" history --gate "$SERIES"
	assert_success
	assert_line --regexp "^colbench history: 20 reports, from c1 \\(2026-12-04T12:01:00Z\\) to c20 \\(2026-12-04T12:20:00Z\\)$"
	assert_line --regexp "^seq, 1 worker: 20 reports, latest [0-9.]+ (s|ms|µs|ns), noise [0-9.]+% a report, no change point$"
	assert_line --regexp "^pthread, 2 workers: 20 reports, .* no change point$"
	assert_line "gate: pass: no regression past 5.0% at the latest change point of any series"
}

@test "a 15% step at report 11 of 20: found there, named by its label; the gate fails with 1" {
	series 20 11 1.15
	run --separate-stderr "$COLBENCH" history --gate "$SERIES"
	assert_failure 1
	assert_line --regexp "^  at report 11 \\(c11\\): \\+1[45]\\.[0-9]% \\(\\+[0-9.]+% to \\+[0-9.]+%\\), a regression$"
	assert_line --regexp "^gate: fail: (seq 1|pthread 2): 1[45]\\.[0-9]% slower since report 11 \\(c11\\), the latest change point$"
	# The JSON says the same, for a script.
	run --separate-stderr "$COLBENCH" history --gate --format json "$SERIES"/r*.json
	assert_failure 1
	assert_equal "$(jq -r '[.series[] | .change_points[] | "\(.report) \(.kind) \(.past_threshold)"] | unique | join(",")' <<<"$output")" \
		"11 regression true"
	assert_equal "$(jq -r '.gate | "\(.verdict) \(.status)"' <<<"$output")" "fail 1"
	assert_equal "$(jq -r '.reports[10] | "\(.label) \(.date)"' <<<"$output")" "c11 2026-12-04T12:11:00Z"
}

@test "a step smaller than --threshold is reported and does not fail; an improvement passes" {
	series 20 9 1.03
	run --separate-stderr "$COLBENCH" history --gate "$SERIES"
	assert_success
	assert_line --regexp "^  at report 9 \\(c9\\): \\+[23]\\.[0-9]% .*, a regression, under the threshold$"
	rm "$SERIES"/*
	series 20 9 0.8
	run --separate-stderr "$COLBENCH" history --gate --threshold 5 "$SERIES"
	assert_success
	assert_line --regexp "^  at report 9 \\(c9\\): -(19|20|21)\\.[0-9]% .*, a improvement$|^  at report 9 \\(c9\\): -(19|20|21)\\.[0-9]% .*, an improvement$"
}

@test "a single slow report is an outlier, named and left out, never a step" {
	series 20 99 1
	make_report 8 1.4
	run --separate-stderr "$COLBENCH" history --gate "$SERIES"
	assert_success
	assert_line "  report 8 (c8): an outlier, left out (one report off both its neighbours)"
	refute_line --partial "at report"
}

@test "the latest report alone 20% slower: inconclusive (5), the next report tells" {
	series 19 99 1
	make_report 20 1.2
	run --separate-stderr "$COLBENCH" history --gate "$SERIES"
	assert_failure 5
	assert_line --regexp "^gate: inconclusive: (seq 1|pthread 2): the latest report is 1[89]\\.[0-9]%|2[01]\\.[0-9]% slower than the level before it, alone: a step or an outlier, which the next report will tell$"
	# One more slow report: now a step, at report 20.
	make_report 21 1.2
	run --separate-stderr "$COLBENCH" history --gate "$SERIES"
	assert_failure 1
	assert_line --regexp "^  at report 20 \\(c20\\): \\+(19|20|21)\\.[0-9]%"
}

@test "too short a series, or a latest report that met other work: inconclusive (5)" {
	series 3 99 1
	run --separate-stderr "$COLBENCH" history --gate "$SERIES"
	assert_failure 5
	assert_line --regexp "^gate: inconclusive: .*3 reports, too few to tell \\(a step needs 2 on each side\\)$"
	rm "$SERIES"/*
	series 11 99 1
	make_report 12 1 '.results[] |= (.run_disturbance |= map(.disturbed = true) |
		.disturbed_runs = .runs)'
	run --separate-stderr "$COLBENCH" history --gate "$SERIES"
	assert_failure 5
	assert_line --regexp "^gate: inconclusive: the latest report cannot be judged: (seq 1|pthread 2): the new runs met other work$"
	# Without --gate, the analysis alone: status 0.
	run --separate-stderr "$COLBENCH" history "$SERIES"
	assert_success
	refute_line --partial "gate:"
}

@test "a folder's reports go by their dates, files named on the line by their order" {
	series 12 7 1.15
	# Names that sort against the dates: the dates decide.
	local i
	for i in $(seq 1 12); do mv "$SERIES/r$(printf %02d "$i").json" "$SERIES/z$((100 - i)).json"; done
	run --separate-stderr "$COLBENCH" history --format json "$SERIES"
	assert_success
	assert_equal "$(jq -r '[.reports[].label] | join(",")' <<<"$output")" "c1,c2,c3,c4,c5,c6,c7,c8,c9,c10,c11,c12"
	assert_equal "$(jq -r '[.series[0].change_points[].report] | join(",")' <<<"$output")" 7
	run --separate-stderr "$COLBENCH" history --format json "$SERIES/z88.json" "$SERIES/z99.json" "$SERIES/z89.json"
	assert_success
	assert_equal "$(jq -r '[.reports[].label] | join(",")' <<<"$output")" "c12,c1,c11"
}

@test "history --format markdown and --plot: a table for a pull request, a PNG and an SVG" {
	series 12 7 1.15
	run --separate-stderr "$COLBENCH" history --gate --format markdown --plot "$BATS_TEST_TMPDIR/h.png" "$SERIES"
	assert_failure 1
	assert_line "### colbench history: 12 reports"
	assert_line --regexp "^\\*\\*gate: fail\\*\\*: "
	assert_line --regexp "^\\| seq \\| 1 \\| 12 \\| [0-9.]+% \\| \\+1[45]\\.[0-9]% at report 7 \\(\`c7\`\\), regression \\|$"
	assert_equal "$(head -c 8 "$BATS_TEST_TMPDIR/h.png" | od -An -tx1 | tr -d ' \n')" 89504e470d0a1a0a
	run --separate-stderr "$COLBENCH" history --plot "$BATS_TEST_TMPDIR/h.svg" "$SERIES"
	assert_success
	grep -q '<svg' "$BATS_TEST_TMPDIR/h.svg"
	# A saved report is outside input: a quote in a name must not reach
	# gnuplot as a command (short: a strategy's name is 31 bytes at most).
	local f
	for f in "$SERIES"/*.json; do
		jq --arg n "x';system('touch p');'" \
			'(.results[] | select(.strategy == "seq") | .strategy) = $n' "$f" >"$f.tmp"
		mv "$f.tmp" "$f"
	done
	cd "$BATS_TEST_TMPDIR"
	run --separate-stderr "$COLBENCH" history --plot h2.png "$SERIES"
	assert_success
	[[ -s h2.png ]] || fail "no plot"
	[[ ! -e p ]] || fail "a name in a report ran a command through gnuplot"
}

@test "--label is kept in the JSON report; bad labels, options and reports: one line, status 2" {
	run --separate-stderr "$COLBENCH" --rows 100 --cols 20 --strategy seq --number 1 --repeat 1 \
		--no-limit --label v1.2-3-gabc --format json
	assert_success
	assert_equal "$(jq -r .label <<<"$output")" v1.2-3-gabc
	assert_usage_error "^colbench: --label: 1 to 64 characters, not 0$" --label ''
	assert_usage_error "^colbench: --label: a control character in it$" --label $'a\tb'
	assert_usage_error "^colbench: --gate applies to colbench history$" --gate
	assert_usage_error "^colbench: --plot applies to colbench history$" --plot x.png
	assert_usage_error "^colbench: usage: colbench history \\[OPTION\\]\\.\\.\\. REPORT\\.json\\.\\.\\. \\(or a folder of them\\)$" history
	assert_usage_error "^colbench: --plot x.jpg: the file must end in .png or .svg$" history --plot x.jpg "$BASE"
	assert_usage_error "^colbench: colbench history prints text, json or markdown, not csv$" history --format csv "$BASE"
	assert_usage_error "^colbench: --rows does not apply to colbench history$" history --rows 5 "$BASE"
	echo '{"not": "a report"}' >"$BATS_TEST_TMPDIR/bad.json"
	assert_usage_error "^colbench: $BATS_TEST_TMPDIR/bad.json: " history "$BASE" "$BATS_TEST_TMPDIR/bad.json"
	assert_usage_error "^colbench: $BATS_TEST_TMPDIR/none: no saved report \\(\\*\\.json\\) in the folder$" \
		history "$(mkdir -p "$BATS_TEST_TMPDIR/none" && echo "$BATS_TEST_TMPDIR/none")"
}

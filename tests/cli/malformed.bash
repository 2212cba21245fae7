# tests/cli/malformed.bash - the rows of malformed.tsv as bats tests.
# shellcheck shell=bash
#
# malformed.bats loads it (`load malformed`) to check one row of the table,
# or the table itself.  Run as a script, it prints malformed.bats: bats 1.8
# finds a file's tests by reading its text, so a test per row has to be
# written out, and this writes it:
#
#   bash tests/cli/malformed.bash >tests/cli/malformed.bats
#
# One of the tests it writes fails when malformed.bats is not what this
# prints, so a row added to the table cannot go unrun.

MALFORMED_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MALFORMED_TSV=$MALFORMED_DIR/malformed.tsv
mapfile -t MALFORMED_LINES <"$MALFORMED_TSV"

# The kinds of hostile input of the hardening issue, and a few more: each
# must have a row, and no row may have another.
MALFORMED_CATEGORIES=(empty huge negative hex float garbage duplicate conflict
	strategy kernel list workers unknown missing stray compare value)
MALFORMED_MIN_ROWS=40

# malformed_row LINE: line LINE (from 1) of the table into row_category,
# row_args (an array: the arguments split at every '|', nothing expanded)
# and row_regex.  Returns 1 for a comment or an empty line, 2 for a line
# that is not three tab-separated fields.
malformed_row() {
	local line=${MALFORMED_LINES[$1 - 1]-} fields rest
	[[ -n $line && $line != '#'* ]] || return 1
	fields=${line//[^$'\t']/}
	[[ ${#fields} -eq 2 ]] || return 2
	row_category=${line%%$'\t'*}
	rest=${line#*$'\t'}
	row_regex=${rest#*$'\t'}
	rest=${rest%%$'\t'*}
	row_args=()
	while [[ $rest == *'|'* ]]; do
		row_args+=("${rest%%|*}")
		rest=${rest#*|}
	done
	row_args+=("$rest")
}

# malformed_regex_ok REGEX: whether REGEX is a valid extended regex.  An
# invalid one would make every [[ =~ ]] return 2, which `if !` reads as
# a match: the row could never fail.
malformed_regex_ok() {
	local rc=0
	# shellcheck disable=SC2319 # the condition's own status is the point
	[[ '' =~ $1 ]] || rc=$?
	((rc != 2))
}

# malformed_check LINE: run colbench with the arguments of that row; it
# must exit 2, print nothing on stdout and one line on stderr, starting
# "colbench: " and matching the row's regex.  A line that would run a
# benchmark instead (a row that no longer fails) is cut off after 20 s.
malformed_check() {
	local rc=0
	malformed_row "$1" || rc=$?
	((rc == 0)) || fail "malformed.tsv:$1 is not a row of three tab-separated fields"
	malformed_regex_ok "$row_regex" || fail "malformed.tsv:$1: invalid regex /$row_regex/"
	# @KNOWN_STRATEGIES@: what --strategy accepts, from colbench's registry.
	local known
	known=$(IFS=, && echo "all,${STRATEGIES[*]}")
	row_regex=${row_regex//@KNOWN_STRATEGIES@/${known//,/, }}
	run --separate-stderr timeout 20 "$COLBENCH" "${row_args[@]}"
	assert_one_line_error 2 "$row_regex"
}

# malformed_check_table: every row well formed, a known category, a regex
# that is valid and names the whole line (^colbench: ...$), no command
# line twice; every category has a row; at least MALFORMED_MIN_ROWS rows.
malformed_check_table() {
	local i rc rows=0 category problems=() known=" ${MALFORMED_CATEGORIES[*]} "
	local -A per_category=() seen=()
	for ((i = 1; i <= ${#MALFORMED_LINES[@]}; i++)); do
		rc=0
		malformed_row "$i" || rc=$?
		((rc != 1)) || continue
		if ((rc == 2)); then
			problems+=("line $i: not three tab-separated fields")
			continue
		fi
		rows=$((rows + 1))
		[[ $known == *" $row_category "* ]] ||
			problems+=("line $i: unknown category '$row_category'")
		per_category[$row_category]=$((${per_category[$row_category]-0} + 1))
		[[ $row_regex == '^colbench: '?*'$' ]] ||
			problems+=("line $i: the regex must be ^colbench: MESSAGE\$, the whole line")
		malformed_regex_ok "$row_regex" || problems+=("line $i: invalid regex")
		local key=${MALFORMED_LINES[$i - 1]#*$'\t'}
		key=${key%%$'\t'*}
		[[ -z ${seen[$key]-} ]] || problems+=("line $i: the same arguments as line ${seen[$key]}")
		seen[$key]=$i
	done
	for category in "${MALFORMED_CATEGORIES[@]}"; do
		((${per_category[$category]-0} > 0)) || problems+=("no row of category $category")
	done
	((rows >= MALFORMED_MIN_ROWS)) || problems+=("$rows rows, fewer than $MALFORMED_MIN_ROWS")
	((${#problems[@]} == 0)) || fail "malformed.tsv: $(printf '\n  %s' "${problems[@]}")"
}

# malformed_check_generated FILE: FILE is what this script prints now.
malformed_check_generated() {
	local diff
	diff=$(diff -u "$1" <(malformed_generate)) ||
		fail "$1 is stale: run bash tests/cli/malformed.bash >tests/cli/malformed.bats$(printf '\n%s' "$diff")"
}

# malformed_name: the current row as a test name, its arguments as a shell
# would show them ('' for an empty one); characters that bats would expand
# in a test's name become '?'.
malformed_name() {
	local arg shown=()
	for arg in "${row_args[@]}"; do
		if [[ -z $arg || $arg == *[[:space:]]* ]]; then
			shown+=("'$arg'")
		else
			shown+=("$arg")
		fi
	done
	arg="$row_category: ${shown[*]}"
	printf '%s' "${arg//[\"\$\`\\]/?}"
}

# malformed_generate: print malformed.bats.
malformed_generate() {
	local i
	cat <<'EOF'
#!/usr/bin/env bats
# Hostile command lines, one test per row of malformed.tsv: each must give
# status 2, nothing on stdout and one "colbench: " line on stderr that
# matches its row.
#
# GENERATED by tests/cli/malformed.bash from malformed.tsv: edit the table,
# then run  bash tests/cli/malformed.bash >tests/cli/malformed.bats

load helpers
load malformed

setup() {
	colbench_setup
}

@test "malformed.tsv: at least 40 well-formed rows, and a row of every category" {
	malformed_check_table
}

@test "malformed.bats is what malformed.bash makes of malformed.tsv" {
	malformed_check_generated "$BATS_TEST_FILENAME"
}
EOF
	for ((i = 1; i <= ${#MALFORMED_LINES[@]}; i++)); do
		malformed_row "$i" || continue
		printf '\n@test "malformed.tsv:%d %s" {\n\tmalformed_check %d\n}\n' \
			"$i" "$(malformed_name)" "$i"
	done
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	set -eu
	malformed_generate
fi

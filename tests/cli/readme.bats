#!/usr/bin/env bats
# README.md's list of strategies is the registry's: the lines between its
# markers are what scripts/readme_strategies.sh makes from --list, so a
# strategy added to the registry and not to the README fails here (the
# script's rewrite mode puts it there).

load helpers

setup() {
	colbench_setup
}

@test "README.md's list of strategies is colbench --list's (scripts/readme_strategies.sh --check)" {
	run sh "$ROOT/scripts/readme_strategies.sh" --check "$COLBENCH"
	assert_success
	assert_output ''
	local name
	for name in "${STRATEGIES[@]}"; do
		grep -q "^- \`$name\` (" "$ROOT/README.md" || fail "README.md does not list $name"
	done
}

@test "readme_strategies.sh --check fails on a list that is not --list's, and the rewrite mends it" {
	local readme=$BATS_TEST_TMPDIR/README.md
	# A strategy gone from the list, one the registry lacks in its place.
	sed 's/^- `fork` (.*/- `spoon` (processes): not a strategy/' "$ROOT/README.md" >"$readme"
	run --separate-stderr sh "$ROOT/scripts/readme_strategies.sh" --check "$COLBENCH" "$readme"
	assert_failure 1
	assert_output ''
	[[ ${stderr_lines[0]} == *"list of strategies is not "*"run sh scripts/readme_strategies.sh" ]] ||
		fail "no message saying what to run: $stderr"
	[[ $stderr == *$'\n-- `spoon` (processes): not a strategy'* ]] || fail "no diff: $stderr"
	run sh "$ROOT/scripts/readme_strategies.sh" "$COLBENCH" "$readme"
	assert_success
	cmp "$ROOT/README.md" "$readme" || fail "the rewrite did not give README.md's list back"
	# Without its markers the README is refused, and left as it was.
	grep -v '^<!-- end of strategies -->$' "$ROOT/README.md" >"$readme"
	cp "$readme" "$readme.before"
	run --separate-stderr sh "$ROOT/scripts/readme_strategies.sh" "$COLBENCH" "$readme"
	assert_failure 2
	[[ $stderr == *"lacks its marker lines"* ]] || fail "$stderr"
	cmp "$readme" "$readme.before"
}

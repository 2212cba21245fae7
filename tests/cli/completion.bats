#!/usr/bin/env bats
# Shell completion, made from colbench's own option table at build time
# (scripts/completion.sh over colbench --internal-completion-spec): bash's
# completion driven for partial command lines, its candidates checked;
# every option of --help and every strategy of --list offered without the
# completion knowing them by name; zsh's file well formed.

load helpers

setup() {
	colbench_setup
	COMPLETION=$BATS_TEST_TMPDIR/colbench.bash
	bash "$ROOT/scripts/completion.sh" bash "$COLBENCH" >"$COMPLETION"
	mkdir -p "$BATS_TEST_TMPDIR/here/sub"
	touch "$BATS_TEST_TMPDIR/here/a.npy" "$BATS_TEST_TMPDIR/here/b.json" \
		"$BATS_TEST_TMPDIR/here/c.csv" "$BATS_TEST_TMPDIR/here/d.png"
}

# offered WORD...: what bash's completion offers for the last word of
# "colbench WORD...", one a line, sorted, run in the folder "here".
offered() {
	(cd "$BATS_TEST_TMPDIR/here" && bash -c '
		source "$1"; shift
		COMP_WORDS=(colbench "$@"); COMP_CWORD=$#
		_colbench
		printf "%s\n" "${COMPREPLY[@]}"' _ "$COMPLETION" "$@") | sort
}

@test "options, their values and the subcommands complete from the option table" {
	assert_equal "$(offered --lay)" "--layout"
	assert_equal "$(offered --layout '')" "$(printf 'c\nf')"
	assert_equal "$(offered --hugepages o)" "$(printf 'off\non')"
	assert_equal "$(offered --format j)" "json"
	assert_equal "$(offered -k '' | paste -sd' ')" "kahan naive pairwise simd"
	assert_equal "$(offered '')" "$(printf 'calibrate\ncompare\nhistory')"
	assert_equal "$(offered hi)" "history"
	# A flag takes no value: after it, the options again.
	assert_equal "$(offered --pin --no-l)" "--no-limit"
}

@test "--strategy completes each item of a comma-separated list, from the registry" {
	assert_equal "$(offered --strategy pth)" "pthread"
	assert_equal "$(offered --strategy seq,fo | paste -sd' ')" "seq,fork seq,forkpool seq,forkwrite"
	assert_equal "$(offered -s al)" "all"
}

@test "files of the kind an option wants, and folders" {
	assert_equal "$(offered --load '' | paste -sd' ')" "a.npy sub/"
	assert_equal "$(offered --baseline '' | paste -sd' ')" "b.json sub/"
	assert_equal "$(offered --export-csv '' | paste -sd' ')" "c.csv sub/"
	assert_equal "$(offered --output '' | paste -sd' ')" "b.json c.csv sub/"
	assert_equal "$(offered history --plot '' | paste -sd' ')" "d.png sub/"
	assert_equal "$(offered history '' | paste -sd' ')" "b.json sub/"
	assert_equal "$(offered compare b.json '' | paste -sd' ')" "b.json sub/"
}

@test "every option --help lists and every strategy --list names is offered, none by hand" {
	local opt name
	for opt in $("$COLBENCH" --help | grep -oE '^ +(-[a-zA-Z], )?--[a-z-]+' | grep -oE -- '--[a-z-]+'); do
		[[ $(offered "$opt") == *"$opt"* ]] || fail "$opt is not offered"
	done
	for name in $("$COLBENCH" --list | cut -f1); do
		[[ $(offered --strategy "$name") == *"$name"* ]] || fail "strategy $name is not offered"
		! grep -q "\\b$name\\b" "$ROOT/scripts/completion.sh" ||
			[[ $name == all ]] || fail "scripts/completion.sh names the strategy $name itself"
	done
}

@test "make builds both completions beside the binary; zsh's is a well-formed compdef" {
	[[ -s $ROOT/build/completion/colbench.bash ]] || fail "make did not build the bash completion"
	[[ -s $ROOT/build/completion/_colbench ]] || fail "make did not build the zsh completion"
	bash "$ROOT/scripts/completion.sh" zsh "$COLBENCH" >"$BATS_TEST_TMPDIR/_colbench"
	assert_equal "$(head -1 "$BATS_TEST_TMPDIR/_colbench")" "#compdef colbench"
	grep -q "'(-l --layout)'{-l,--layout}'\[.*\]:layout:(f c)'" "$BATS_TEST_TMPDIR/_colbench"
	grep -qF "{-L,--load}'[" "$BATS_TEST_TMPDIR/_colbench"
	grep -qF ']:file:_files -g "*.(npy)"'"' \\" "$BATS_TEST_TMPDIR/_colbench" ||
		fail "--load does not offer .npy files: $(grep -- --load "$BATS_TEST_TMPDIR/_colbench")"
	grep -qF ']:file:_files -g "*.(json|csv|md)"'"' \\" "$BATS_TEST_TMPDIR/_colbench" ||
		fail "--output does not offer its kinds"
	command -v zsh >/dev/null || fail "no zsh: make test-deps installs it"
	zsh -n "$BATS_TEST_TMPDIR/_colbench" || fail "zsh -n refuses it"
	run bash -n "$COMPLETION"
	assert_success
}

#!/usr/bin/env bats
# The layers of src/ (docs/design.md), read from the includes: each folder
# includes only its own and those below it, so data flows one way, and no
# file below main includes the option parser's header.  A file that breaks
# a rule is named with the include that breaks it.

load helpers

setup() {
	colbench_setup
}

# A folder's place, bottom first; main.c is the top.  sampling/ and
# pipeline/ are side by side: neither includes the other.
layer_of() {
	case $1 in
	os) echo 0 ;; kernels) echo 1 ;; matrix) echo 2 ;; strategies) echo 3 ;;
	measure) echo 4 ;; report) echo 5 ;; plan) echo 6 ;;
	sampling | pipeline) echo 7 ;; drivers) echo 8 ;; cli) echo 9 ;;
	*) echo 99 ;;
	esac
}

# Every `#include "folder/..."` of src/ that climbs or crosses, one a line.
breaks() {
	local file dir inc
	for file in "$ROOT"/src/*/*.[ch]; do
		dir=$(basename "$(dirname "$file")")
		while read -r inc; do
			[[ $inc == "$dir" ]] && continue
			if (($(layer_of "$inc") >= $(layer_of "$dir"))); then
				echo "${file#"$ROOT"/}: includes $inc/"
			fi
		done < <(sed -n 's|^#include "\([a-z_]*\)/.*|\1|p' "$file")
	done
}

@test "every folder of src/ has its place in the layers" {
	local dir
	for dir in "$ROOT"/src/*/; do
		dir=$(basename "$dir")
		(($(layer_of "$dir") < 99)) || fail "src/$dir/ has no layer in docs/design.md (nor here)"
		grep -q "src/$dir/" "$ROOT/docs/design.md" || fail "docs/design.md does not name src/$dir/"
	done
}

@test "no folder of src/ includes from its own layer or one above it" {
	run breaks
	assert_success
	assert_output ''
}

@test "only main.c and cli/ include the option parser's header" {
	run grep -rl '#include "cli/cli.h"' "$ROOT/src"
	assert_success
	refute_line --regexp '/src/(os|kernels|matrix|strategies|measure|report|plan|sampling|pipeline|drivers)/'
	assert_line "$ROOT/src/main.c"
}

@test "the layer check can fail: an include that climbs is named" {
	# The same check over a copy of one file given an include from above.
	local tree=$BATS_TEST_TMPDIR/tree
	mkdir -p "$tree/src/pipeline" "$tree/docs"
	sed '0,/^#include/s||#include "drivers/driver.h"\n&|' "$ROOT/src/pipeline/source.c" \
		>"$tree/src/pipeline/source.c"
	ROOT=$tree run breaks
	assert_output 'src/pipeline/source.c: includes drivers/'
}

@test "CONTRIBUTING's layout table names every source file of src/" {
	local file
	for file in "$ROOT"/src/*.c "$ROOT"/src/*/*.c; do
		file=${file#"$ROOT"/}
		case $file in
		src/strategies/strategy_*.c) continue ;; # one line covers them: strategy_*.c
		esac
		grep -qF "$file" "$ROOT/CONTRIBUTING.md" || fail "CONTRIBUTING.md's layout lacks $file"
	done
}

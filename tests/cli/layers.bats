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

# Compile a driver of a few lines against the real headers; its errors.
compile_driver() {
	printf '%s\n' '#include "drivers/driver.h"' "$1" >"$BATS_TEST_TMPDIR/driver.c"
	cc -std=c11 -D_GNU_SOURCE -I"$ROOT/src" -fsyntax-only "$BATS_TEST_TMPDIR/driver.c" 2>&1
}

@test "a driver cannot write the plan: the compiler refuses both ways of trying" {
	command -v cc >/dev/null || skip "needs a C compiler"
	# A driver as they are written compiles ...
	run compile_driver 'static enum cb_status drive_x(const struct plan *p, struct cb_error *e)
{ (void)e; return p->rows ? CB_OK : CB_USAGE; }
DRIVER_TAKES_PLAN(drive_x);'
	assert_success
	# ... one that writes through its plan does not ...
	run compile_driver 'static enum cb_status drive_x(const struct plan *p, struct cb_error *e)
{ (void)e; p->rows = 1; return CB_OK; }
DRIVER_TAKES_PLAN(drive_x);'
	assert_failure
	assert_output --partial 'read-only'
	# ... nor one that asks for a plan it could write.
	run compile_driver 'static enum cb_status drive_x(struct plan *p, struct cb_error *e)
{ (void)e; p->rows = 1; return CB_OK; }
DRIVER_TAKES_PLAN(drive_x);'
	assert_failure
	assert_output --partial 'must take the plan as const struct plan *'
}

# Every function of src/ longer than 80 lines, as "FILE:LINE NAME LINES":
# a function's body runs from a "{" alone at the start of a line to the
# next "}" alone there (the kernel style every file here follows).
long_functions() {
	awk 'FNR == 1 { start = 0 }
	     /^[a-z_].*\(/ { name = $0; sub(/\(.*/, "", name); sub(/.*[ *]/, "", name); at = FNR }
	     /^\{/ { start = FNR }
	     /^\}/ && start { if (FNR - start - 1 > 80) print FILENAME ":" at, name, FNR - start - 1; start = 0 }' \
		"$ROOT"/src/*.c "$ROOT"/src/*/*.c
}

@test "no function in src/ is longer than 80 lines" {
	run long_functions
	assert_success
	assert_output ''
}

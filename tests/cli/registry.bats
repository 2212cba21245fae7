#!/usr/bin/env bats
# A new strategy is one file and one registry line, and nothing else to
# edit: a throwaway strategy is added to a copy of the tree, built, and the
# quick suite (make check) runs on it: the tests read the list of
# strategies from --list, never from one of their own.  README.md's list is
# made from --list too, by scripts/readme_strategies.sh, run on the copy
# as whoever adds a strategy runs it (readme.bats fails until then).

load helpers

setup() {
	colbench_setup
}

@test "a throwaway strategy, one file and one X() line, builds and passes the quick suite (make check)" {
	skip_under_asan "the throwaway build is the plain one"
	command -v git >/dev/null || skip "needs git to copy the tracked files"
	local tree=$BATS_TEST_TMPDIR/tree
	mkdir "$tree"
	# What a clone would hold, and what a working tree adds that git does
	# not ignore: the test holds for the change being made, too.
	(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard |
		xargs -0 cp --parents -t "$tree") || fail "cannot copy the tree"
	# The one file: pthread's launcher under another name.
	cat >"$tree/src/strategies/strategy_threads2.c" <<'C'
/* strategy_threads2.c - a throwaway strategy for tests/cli/registry.bats. */
#include "os/threads.h"
#include "strategies/team.h"

static enum cb_status threads2_launch(struct team *t, struct cb_error *err)
{
	return threads_run(t->run->workers, team_worker, t, err);
}

static const struct launcher threads2_team = { .launch = threads2_launch };

const struct strategy strategy_threads2 = {
	.name = "threads2",
	.summary = "pthread again, under another name (a test's)",
	TEAM_STRATEGY(threads2_team),
};
C
	# The one line.
	# (before openmp's line, so that it ends in a backslash wherever openmp is)
	sed -i 's/^\(\t*\)X(openmp)/\1X(threads2) \\\n&/' "$tree/src/strategies/strategy.h"
	grep -q 'X(threads2)' "$tree/src/strategies/strategy.h" || fail "the registry line was not added"
	run make -C "$tree" -j2 --no-print-directory colbench
	assert_success
	run "$tree/colbench" --list
	assert_line --regexp $'^threads2\tall\tthreads\t'
	run sh "$tree/scripts/readme_strategies.sh" "$tree/colbench"
	assert_success
	grep -q '^- `threads2` (threads): ' "$tree/README.md" || fail "README.md's list lacks threads2"
	# The quick suite (make check: the unit tests, which run every
	# strategy of the registry, and the command-line tests), on the copy;
	# all its bats files but the fault and signal suites, which time dead
	# workers and signals and, nested in this bats run, stall at random,
	# and two that never meet a new strategy and took a third of this
	# test's 3.4 minutes: compare.bats (verdicts and calibrate, over
	# reports that name their strategies) and mpi.bats (the mpi flavour).
	local bats_files=() f
	for f in "$tree"/tests/cli/*.bats; do
		case ${f##*/} in
		registry.bats | faults.bats | signals.bats | compare.bats | mpi.bats) ;;
		*) bats_files+=("tests/cli/${f##*/}") ;;
		esac
	done
	# A clean environment: the outer bats's variables and PATH (bats puts
	# its own libexec first) would lead the inner one astray.
	# Without the mpi and hooked ASan builds, which only the files left
	# out use; as a user of its own for the RLIMIT_NPROC tests, since make
	# test runs this beside the ASan suite, whose tests use CB_UID's.
	run env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME="${HOME:-/root}" LC_ALL=C CB_UID=$((CB_UID + 1)) \
		make -C "$tree" --no-print-directory check \
		CHECK_BATS="${bats_files[*]}" CHECK_FLAVOURS=no
	assert_success
	assert_output --partial ' passed, 0 failed'
	refute_line --regexp '^not ok '
}

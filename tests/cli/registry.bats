#!/usr/bin/env bats
# A new strategy is one file and one registry line, and nothing else to
# edit: a throwaway thread strategy and a throwaway process strategy are
# added to a copy of the tree, built, and the quick suite (make check) runs
# on it: the tests read the list of strategies from --list, never from one
# of their own, and the report says of a process strategy what it says of
# fork, from its flags.  README.md's list is
# made from --list too, by scripts/readme_strategies.sh, run on the copy
# as whoever adds a strategy runs it (readme.bats fails until then).

load helpers

setup() {
	colbench_setup
}

@test "throwaway thread and process strategies, one file and one X() line each, get their lines in the report and pass the quick suite (make check)" {
	skip_under_asan "the throwaway build is the plain one"
	command -v git >/dev/null || skip "needs git to copy the tracked files"
	local tree=$BATS_TEST_TMPDIR/tree
	mkdir "$tree"
	# What a clone would hold, and what a working tree adds that git does
	# not ignore: the test holds for the change being made, too.
	(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard |
		xargs -0 cp --parents -t "$tree") || fail "cannot copy the tree"
	# Two strategies, built once and tested by one quick suite (three
	# minutes of make test): a file each.  threads2 is pthread's launcher
	# under another name.
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
	# procs2 is fork's launcher under another name: the report must say of
	# it what it says of fork, from its flags (processes, forks in each
	# call), not from a name.
	cat >"$tree/src/strategies/strategy_procs2.c" <<'C'
/* strategy_procs2.c - a throwaway process strategy for tests/cli/registry.bats. */
#include <string.h>

#include "os/children.h"
#include "strategies/team.h"

static enum cb_status procs2_launch(struct team *t, struct cb_error *err)
{
	memset((void *)t->pids, 0, t->run->workers * sizeof(pid_t));
	return children_run(t->run->workers, team_worker, t, t->pids, "procs2 worker", err);
}

static const struct launcher procs2_team = { .launch = procs2_launch };

const struct strategy strategy_procs2 = {
	.name = "procs2",
	.summary = "fork again, under another name (a test's)",
	.processes = true,
	.forks_each_call = true,
	TEAM_STRATEGY(procs2_team),
};
C
	# A line each.
	# (before openmp's line, so that they end in a backslash wherever openmp is)
	sed -i 's/^\(\t*\)X(openmp)/\1X(threads2) \\\n\1X(procs2) \\\n&/' \
		"$tree/src/strategies/strategy.h"
	grep -q 'X(threads2)' "$tree/src/strategies/strategy.h" || fail "threads2's registry line was not added"
	grep -q 'X(procs2)' "$tree/src/strategies/strategy.h" || fail "procs2's registry line was not added"
	run make -C "$tree" -j2 --no-print-directory colbench
	assert_success
	run "$tree/colbench" --list
	assert_line --regexp $'^threads2\tall\tthreads\t'
	assert_line --regexp $'^procs2\tall\tprocesses\t'
	run sh "$tree/scripts/readme_strategies.sh" "$tree/colbench"
	assert_success
	grep -q '^- `threads2` (threads): ' "$tree/README.md" || fail "README.md's list lacks threads2"
	grep -q '^- `procs2` (processes): ' "$tree/README.md" || fail "README.md's list lacks procs2"
	# procs2 gets fork's lines against pthread: its cost above pthread's
	# call with the fork floor's share, start-up and wind-down beside
	# pthread's, what copy-on-write copied; in the JSON its cost above
	# pthread and its fork floor.  One small run of the three.
	run --separate-stderr "$tree/colbench" --rows 1000 --cols 600 --number 2 --repeat 3 \
		--processes 1 --strategy fork,procs2,pthread --workers 2 \
		--export-json "$BATS_TEST_TMPDIR/r.json"
	assert_success
	local t='[0-9.]+(e\+03)? (s|ms|µs|ns)' name
	assert_line --regexp '^floors:    .*; fork and reap '"$t"' for 2 workers \(best of 7\)$'
	for name in fork procs2; do
		assert_line --regexp "^$name with 2 workers: $t a call (above|below) pthread.s; the kernel.s fork floor (is $t of it \\([0-9]+%\\)|\\($t\\) covers all of it); start-up $t, wind-down $t \\(pthread: $t, $t\\)\$"
		assert_line --regexp "^$name +2 +[0-9.]+ GB +[0-9.]+ MB of [0-9]+ MB shared\$"
		jq -e --arg name "$name" '(.results | map(select(.strategy == "pthread"))[0].mean) as $p |
			.results | map(select(.strategy == $name))[0] |
			(.above_pthread_seconds - (.mean - $p) | fabs) < 1e-12 and
			.fork_floor_seconds > 0 and .cow_copied_bytes != null' "$BATS_TEST_TMPDIR/r.json" ||
			fail "$name's JSON lacks its cost above pthread or its fork floor"
	done
	# The quick suite (make check: the unit tests, which run every
	# strategy of the registry, and the command-line tests), on the copy;
	# all its bats files but the fault and signal suites, which time dead
	# workers and signals and, nested in this bats run, stall at random,
	# and two that never meet a new strategy and took a third of this
	# test's 3.4 minutes: compare.bats (verdicts and calibrate, over
	# reports that name their strategies), mpi.bats and hosts.bats (the
	# mpi flavour, which the copy does not build), history.bats and
	# cigate.bats (saved reports; cigate.bats times verdicts, which the
	# ASan suite beside this one would disturb), deb.bats (the packages:
	# a build of their own and dpkg on this machine).
	local bats_files=() f
	for f in "$tree"/tests/cli/*.bats; do
		case ${f##*/} in
		registry.bats | faults.bats | signals.bats | compare.bats | mpi.bats | hosts.bats | \
			history.bats | cigate.bats | deb.bats) ;;
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
	# Its output is hundreds of lines, and a CI log keeps the first few:
	# what failed comes first (each failing test with its diagnostics,
	# make's and the compiler's errors), then the summary line.
	if ((status != 0)) || [[ $output != *' passed, 0 failed'* ]]; then
		fail "make check on the copy: status $status
$(printf '%s\n' "$output" | grep -E -A40 '^not ok |\*\*\*|error:' | head -n 300)
$(printf '%s\n' "$output" | tail -n 3)"
	fi
	refute_line --regexp '^not ok '
}

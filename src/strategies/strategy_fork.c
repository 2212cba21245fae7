/*
 * strategy_fork.c - N processes forked in every call, reading the parent's
 * matrix through copy-on-write: the blog's multiprocessing Pool, done right.
 *
 * Design: the workers only read the matrix, so fork shares its pages and
 * nothing is copied; what fork does cost is copying the page tables (with
 * 2 MiB huge pages, 512 times fewer of them), and that cost is inside every
 * timed call, as the Pool's set-up is in the blog.  Worker i sums block i
 * (contiguous columns for layout f, rows for layout c) and writes into a
 * MAP_SHARED area mapped once in prepare, before any fork, so the result
 * crosses no pipe and the matrix no shared-memory segment.  Each worker also
 * stamps the moment it started; the start-up cost is the last stamp minus
 * the call's start.  children_run() reaps every worker and kills the rest if
 * one dies.
 *
 * forkwrite, in this file because it is fork but for one line, has each
 * worker write a byte in every page of its block before summing it, as
 * Python's reference counting writes to the objects a worker reads: then
 * copy-on-write copies the block, and the memory report shows it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os/children.h"
#include "os/sysinfo.h"
#include "strategies/team.h"

/* "fork worker", "forkwrite worker", for the messages: made once, not in
 * each timed call. */
struct fork_own {
	char what[48];
};

static enum cb_status fork_start(struct team *t, struct cb_error *err)
{
	struct fork_own *own = t->own;

	(void)err;
	snprintf(own->what, sizeof(own->what), "%s worker", t->run->strategy->name);
	return CB_OK;
}

/*
 * forkwrite: fork, after refusing to start when the copies would not fit.
 * Every worker writes its whole block, so copy-on-write copies the matrix.
 */
static enum cb_status forkwrite_start(struct team *t, struct cb_error *err)
{
	struct memory_headroom room;

	sysinfo_memory_headroom(&room);
	if (t->run->m->bytes > room.bytes) {
		char words[128];

		memory_shortfall_text(words, sizeof(words), t->run->m->bytes, room.bytes);
		return cb_fail(err, CB_USAGE, "forkwrite copies the whole matrix: it %s more is "
			       "available (%s)", words, room.source);
	}
	return fork_start(t, err);
}

/* One call: fork the workers on team_worker, and reap every one. */
static enum cb_status fork_launch(struct team *t, struct cb_error *err)
{
	struct fork_own *own = t->own;

	memset((void *)t->pids, 0, t->run->workers * sizeof(pid_t));
	return children_run(t->run->workers, team_worker, t, t->pids, own->what, err);
}

static const struct launcher fork_per_call = {
	.own_bytes = sizeof(struct fork_own),
	.start = fork_start, .launch = fork_launch,
};

static const struct launcher fork_per_call_writing = {
	.own_bytes = sizeof(struct fork_own), .dirty_pages = true,
	.start = forkwrite_start, .launch = fork_launch,
};

const struct strategy strategy_fork = {
	.name = "fork",
	.summary = "N processes forked in each call read the matrix through copy-on-write",
	.processes = true,
	.forks_each_call = true,
	TEAM_STRATEGY(fork_per_call),
};

const struct strategy strategy_forkwrite = {
	.name = "forkwrite",
	.summary = "fork, but each worker writes every page of its block: copy-on-write copies it",
	.opt_in = true,
	.processes = true,
	.forks_each_call = true,
	TEAM_STRATEGY(fork_per_call_writing),
};

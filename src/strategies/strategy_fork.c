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
#include <stdlib.h>
#include <string.h>

#include "os/children.h"
#include "os/sysinfo.h"
#include "strategies/strategy.h"
#include "os/clock.h"

struct fork_state {
	const struct strategy_run *run;
	struct worker_area wa; /* shared with the workers */
	volatile pid_t *pids;
	bool write_pages;  /* forkwrite: dirty every page of the block first */
};

static enum cb_status fork_prepare(struct strategy_run *run, struct cb_error *err)
{
	struct fork_state *st = calloc(1, sizeof(*st));

	run->state = st;
	if (!st)
		return cb_fail(err, CB_SYSTEM, "out of memory for the fork strategy");
	st->run = run;
	st->pids = calloc(run->workers, sizeof(pid_t));
	if (!st->pids)
		return cb_fail(err, CB_SYSTEM, "out of memory for %u fork workers",
			       run->workers);
	return worker_area_map(&st->wa, run, 0, err);
}

/*
 * forkwrite: fork, after refusing to start when the copies would not fit.
 * Every worker writes its whole block, so copy-on-write copies the matrix.
 */
static enum cb_status forkwrite_prepare(struct strategy_run *run, struct cb_error *err)
{
	struct memory_headroom room;
	enum cb_status st;

	sysinfo_memory_headroom(&room);
	if (run->m->bytes > room.bytes)
		return cb_fail(err, CB_USAGE,
			       "forkwrite copies the whole matrix: it needs %.2f GB more, but "
			       "only %.2f GB is available (%s)", run->m->bytes / 1e9,
			       room.bytes / 1e9, room.source);
	st = fork_prepare(run, err);
	if (st == CB_OK)
		((struct fork_state *)run->state)->write_pages = true;
	return st;
}

/*
 * Write one byte, the same value, in every page of block `index`: what
 * Python's reference counts do to the pages of the objects a worker reads.
 * The page is copied; the sums are not changed.
 */
static void dirty_block(const struct strategy_run *run, unsigned index)
{
	size_t begin, end;

	matrix_block(run->m, run->workers, index, &begin, &end);
	if (begin == end)
		return;
	volatile char *p = (volatile char *)matrix_major(run->m, begin);
	const volatile char *last = (const volatile char *)matrix_major(run->m, end);

	for (; p < last; p += 4096)
		*p = *p; /* cppcheck-suppress selfAssignment ; the write copies the page */
}

/* One worker process's job: pin and stamp its start, then sum its block. */
static void fork_worker(void *arg, unsigned index)
{
	struct fork_state *st = arg;

	worker_begin(st->run, index, &st->wa.started[index]);
	if (st->write_pages)
		dirty_block(st->run, index);
	block_sum(st->run, index, st->wa.area);
	if (st->run->measure_memory)
		st->wa.dirty[index] = (double)sysinfo_private_dirty();
}

static enum cb_status fork_call(struct strategy_run *run, double *startup,
				struct cb_error *err)
{
	struct fork_state *st = run->state;
	double t0 = monotonic_seconds();
	enum cb_status status;

	memset((void *)st->pids, 0, run->workers * sizeof(pid_t));
	status = children_run(run->workers, fork_worker, st, st->pids,
			      st->write_pages ? "forkwrite worker" : "fork worker", err);
	if (status != CB_OK)
		return status;
	*startup = workers_startup(st->wa.started, run->workers, t0);
	block_area_collect(run, st->wa.area);
	worker_area_collect_memory(&st->wa, run);
	return CB_OK;
}

static void fork_release(struct strategy_run *run)
{
	struct fork_state *st = run->state;

	if (st) {
		worker_area_unmap(&st->wa);
		free((void *)st->pids);
		free(st);
	}
	run->state = NULL;
}

static void fork_poison(struct strategy_run *run)
{
	struct fork_state *st = run->state;

	block_area_poison(run, st->wa.area);
}

const struct strategy strategy_fork = {
	.name = "fork",
	.summary = "N processes forked in each call read the matrix through copy-on-write",
	.parallel = true,
	.processes = true,
	.prepare = fork_prepare,
	.call = fork_call,
	.release = fork_release,
	.poison = fork_poison,
};

const struct strategy strategy_forkwrite = {
	.name = "forkwrite",
	.summary = "fork, but each worker writes every page of its block: copy-on-write copies it",
	.parallel = true,
	.opt_in = true,
	.processes = true,
	.prepare = forkwrite_prepare,
	.call = fork_call,
	.release = fork_release,
	.poison = fork_poison,
};

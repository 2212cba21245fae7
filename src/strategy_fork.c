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
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "children.h"
#include "strategy.h"
#include "timing.h"

struct fork_state {
	const struct strategy_run *run;
	void *shared;      /* MAP_SHARED: started[] then the block area */
	size_t shared_bytes;
	double *started;   /* monotonic time each worker began, in shared */
	double *area;      /* block_area_size() doubles, in shared */
	volatile pid_t *pids;
};

static enum cb_status fork_prepare(struct strategy_run *run, struct cb_error *err)
{
	struct fork_state *st = calloc(1, sizeof(*st));
	size_t stamps;

	run->state = st;
	if (!st)
		return cb_fail(err, CB_SYSTEM, "out of memory for the fork strategy");
	st->run = run;
	stamps = (run->workers + 7) / 8 * 8; /* keep the area cache-line aligned */
	st->shared_bytes = (stamps + block_area_size(run)) *
			   sizeof(double);
	st->shared = mmap(NULL, st->shared_bytes, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	st->pids = calloc(run->workers, sizeof(pid_t));
	if (st->shared == MAP_FAILED) {
		st->shared = NULL;
		return cb_fail(err, CB_SYSTEM, "cannot map the fork workers' result area: %s",
			       strerror(errno));
	}
	if (!st->pids)
		return cb_fail(err, CB_SYSTEM, "out of memory for %u fork workers",
			       run->workers);
	st->started = st->shared;
	st->area = st->started + stamps;
	return CB_OK;
}

/* One worker process's job: pin and stamp its start, then sum its block. */
static void fork_worker(void *arg, unsigned index)
{
	struct fork_state *st = arg;

	worker_begin(st->run, index, &st->started[index]);
	block_sum(st->run, index, st->area);
}

static enum cb_status fork_call(struct strategy_run *run, double *startup,
				struct cb_error *err)
{
	struct fork_state *st = run->state;
	double t0 = monotonic_seconds();
	enum cb_status status;

	memset((void *)st->pids, 0, run->workers * sizeof(pid_t));
	status = children_run(run->workers, fork_worker, st, st->pids,
			      "fork worker", err);
	if (status != CB_OK)
		return status;
	*startup = workers_startup(st->started, run->workers, t0);
	block_area_collect(run, st->area);
	return CB_OK;
}

static void fork_release(struct strategy_run *run)
{
	struct fork_state *st = run->state;

	if (st) {
		if (st->shared)
			munmap(st->shared, st->shared_bytes);
		free((void *)st->pids);
		free(st);
	}
	run->state = NULL;
}

static void fork_poison(struct strategy_run *run)
{
	struct fork_state *st = run->state;

	block_area_poison(run, st->area);
}

const struct strategy strategy_fork = {
	.name = "fork",
	.summary = "N processes forked in each call read the matrix through copy-on-write",
	.parallel = true,
	.prepare = fork_prepare,
	.call = fork_call,
	.release = fork_release,
	.poison = fork_poison,
};

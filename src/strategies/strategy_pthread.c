/*
 * strategy_pthread.c - N threads, created and joined in every call: the
 * blog's Cython prange, without OpenMP's persistent thread pool.
 *
 * Design: thread i sums block i of the matrix (a contiguous run of columns
 * for layout f, of rows for layout c), so each thread streams one region
 * and the prefetchers see one stream per core.  For layout f the threads
 * write disjoint ranges of one column-sum area; only the cache lines at
 * block edges are shared, written once per column after thousands of
 * reads, which costs nothing measurable.  For layout c each thread owns a
 * cache-line-aligned partial vector (see block_sum).  Thread creation is
 * inside the timed call, as the blog's prange pays it too; the start-up cost
 * reported is the time until the last thread began its block.
 */
#include <stdlib.h>

#include "strategies/strategy.h"
#include "os/clock.h"
#include "os/threads.h"

struct pthread_state {
	const struct strategy_run *run;
	struct worker_area wa; /* start stamps and the block area */
};

static enum cb_status pthread_prepare(struct strategy_run *run,
				      struct cb_error *err)
{
	struct pthread_state *st = calloc(1, sizeof(*st));

	run->state = st;
	if (!st)
		return cb_fail(err, CB_SYSTEM, "out of memory for the pthread strategy");
	st->run = run;
	return worker_area_map(&st->wa, run, 0, err);
}

/* One thread's job: pin and note when it started, then sum its block. */
static void pthread_worker(void *arg, unsigned index)
{
	struct pthread_state *st = arg;

	worker_begin(st->run, index, &st->wa.started[index]);
	block_sum(st->run, index, st->wa.area);
}

static enum cb_status pthread_call(struct strategy_run *run, double *startup,
				   struct cb_error *err)
{
	struct pthread_state *st = run->state;
	double t0 = monotonic_seconds();
	enum cb_status status;

	status = threads_run(run->workers, pthread_worker, st, err);
	if (status != CB_OK)
		return status;
	*startup = workers_startup(st->wa.started, run->workers, t0);
	block_area_collect(run, st->wa.area);
	return CB_OK;
}

static void pthread_release(struct strategy_run *run)
{
	struct pthread_state *st = run->state;

	if (st) {
		worker_area_unmap(&st->wa);
		free(st);
	}
	run->state = NULL;
}

static void pthread_poison(struct strategy_run *run)
{
	struct pthread_state *st = run->state;

	block_area_poison(run, st->wa.area);
}

const struct strategy strategy_pthread = {
	.name = "pthread",
	.summary = "N threads created in each call, each sums a contiguous block",
	.parallel = true,
	.prepare = pthread_prepare,
	.call = pthread_call,
	.release = pthread_release,
	.poison = pthread_poison,
};

/*
 * strategy_openmp.c - an OpenMP parallel loop: what the blog's Cython
 * prange compiles to.
 *
 * Design: `#pragma omp parallel for schedule(static)` over the same blocks
 * and the same block_sum() as pthread, one iteration per worker, with
 * num_threads(--workers): the clause wins over OMP_NUM_THREADS, and
 * dynamic adjustment is turned off, so the thread count is the one asked
 * for.  Unlike pthread, libgomp keeps its threads between parallel
 * regions, so after the first call a call only wakes them: its start-up is
 * that wake-up.
 */
#include <omp.h>
#include <stdlib.h>

#include "strategy.h"
#include "timing.h"

struct openmp_state {
	double *area;
	double *started;
};

static enum cb_status openmp_prepare(struct strategy_run *run, struct cb_error *err)
{
	struct openmp_state *st = calloc(1, sizeof(*st));
	size_t area_bytes = block_area_size(run) * sizeof(double);

	run->state = st;
	if (!st)
		return cb_fail(err, CB_SYSTEM, "out of memory for the openmp strategy");
	st->area = aligned_alloc(64, (area_bytes + 63) / 64 * 64);
	st->started = calloc(run->workers, sizeof(double));
	if (!st->area || !st->started)
		return cb_fail(err, CB_SYSTEM, "out of memory for %u openmp workers' sums",
			       run->workers);
	omp_set_dynamic(0);
	return CB_OK;
}

static enum cb_status openmp_call(struct strategy_run *run, double *startup,
				  struct cb_error *err)
{
	struct openmp_state *st = run->state;
	int workers = (int)run->workers;
	double t0 = monotonic_seconds();

	(void)err;
#pragma omp parallel for schedule(static) num_threads(workers)
	for (int i = 0; i < workers; i++) {
		worker_begin(run, (unsigned)i, &st->started[i]);
		block_sum(run, (unsigned)i, st->area);
	}
	*startup = workers_startup(st->started, run->workers, t0);
	block_area_collect(run, st->area);
	return CB_OK;
}

static void openmp_release(struct strategy_run *run)
{
	struct openmp_state *st = run->state;

	if (st) {
		free(st->area);
		free(st->started);
		free(st);
	}
	run->state = NULL;
}

static void openmp_poison(struct strategy_run *run)
{
	struct openmp_state *st = run->state;

	block_area_poison(run, st->area);
}

const struct strategy strategy_openmp = {
	.name = "openmp",
	.summary = "an OpenMP parallel for over the blocks: the blog's Cython prange",
	.parallel = true,
	.prepare = openmp_prepare,
	.call = openmp_call,
	.release = openmp_release,
	.poison = openmp_poison,
};

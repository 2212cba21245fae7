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

static enum cb_status openmp_prepare(struct strategy_run *run, struct cb_error *err)
{
	struct worker_area *wa = calloc(1, sizeof(*wa));

	run->state = wa;
	if (!wa)
		return cb_fail(err, CB_SYSTEM, "out of memory for the openmp strategy");
	omp_set_dynamic(0);
	return worker_area_map(wa, run, 0, err);
}

static enum cb_status openmp_call(struct strategy_run *run, double *startup,
				  struct cb_error *err)
{
	struct worker_area *wa = run->state;
	int workers = (int)run->workers;
	double t0 = monotonic_seconds();

	(void)err;
#pragma omp parallel for schedule(static) num_threads(workers)
	for (int i = 0; i < workers; i++) {
		worker_begin(run, (unsigned)i, &wa->started[i]);
		block_sum(run, (unsigned)i, wa->area);
	}
	*startup = workers_startup(wa->started, run->workers, t0);
	block_area_collect(run, wa->area);
	return CB_OK;
}

static void openmp_release(struct strategy_run *run)
{
	struct worker_area *wa = run->state;

	if (wa) {
		worker_area_unmap(wa);
		free(wa);
	}
	run->state = NULL;
}

static void openmp_poison(struct strategy_run *run)
{
	struct worker_area *wa = run->state;

	block_area_poison(run, wa->area);
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

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
#include "os/threads.h"
#include "strategies/team.h"

/* threads_run starts N threads on team_worker and joins them. */
static enum cb_status pthread_launch(struct team *t, struct cb_error *err)
{
	return threads_run(t->run->workers, team_worker, t, err);
}

static const struct launcher threads_per_call = { .launch = pthread_launch };

const struct strategy strategy_pthread = {
	.name = "pthread",
	.summary = "N threads created in each call, each sums a contiguous block",
	.reference = true, /* process strategies are reported above its calls */
	TEAM_STRATEGY(threads_per_call),
};

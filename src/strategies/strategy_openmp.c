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
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "os/interrupt.h"
#include "strategies/team.h"
#include "os/threads.h"

/*
 * libgomp that cannot create a thread prints "libgomp: Thread creation
 * failed" and calls exit(1): status 1 would read as a failed verification.
 * So before a team grows, its new threads are made once here (and joined),
 * which fails in colbench's own words; should libgomp fail all the same
 * (a limit reached in between), an atexit handler turns its exit into
 * status 3 with a colbench line.
 */
static unsigned largest_team = 1; /* libgomp keeps largest_team - 1 threads */
static atomic_bool in_parallel;   /* a parallel region is being started */

/* The probe's threads: each stays until all of them exist (or 1 s has
 * passed: one could not be made), so that they count together against a
 * process limit, as libgomp's pool will. */
struct probe {
	atomic_uint started;
	unsigned want;
};

static void hold_until_all(void *arg, unsigned index)
{
	struct probe *p = arg;
	const struct timespec tick = { 0, 1000000 }; /* 1 ms */

	(void)index;
	atomic_fetch_add(&p->started, 1);
	for (int i = 0; i < 1000 && atomic_load(&p->started) < p->want; i++)
		nanosleep(&tick, NULL);
}

static void no_work(void *arg, unsigned index)
{
	(void)arg;
	(void)index;
}

static void libgomp_gave_up(void)
{
	static const char line[] = "colbench: cannot start the openmp worker threads: "
				   "libgomp could not create a thread (see its line above)\n";

	if (atomic_load(&in_parallel)) {
		(void)!write(STDERR_FILENO, line, sizeof(line) - 1);
		_exit(CB_SYSTEM);
	}
}

/* Once: make libgomp's team threads, in colbench's words if it cannot. */
static enum cb_status openmp_start(struct team *t, struct cb_error *err)
{
	static bool registered;
	const struct strategy_run *run = t->run;

	if (!registered && atexit(libgomp_gave_up) == 0)
		registered = true;
	omp_set_dynamic(0);
	if (run->workers > largest_team) {
		struct probe probe = { .want = run->workers - largest_team };
		enum cb_status st = threads_run(probe.want, hold_until_all, &probe, err);

		if (st == CB_SYSTEM)
			return cb_prefix(err, CB_SYSTEM, "cannot start the openmp worker threads: ");
		if (st != CB_OK)
			return st;
		/* libgomp makes the team's new threads now, untimed, with the stop
		 * signals blocked, so that only the main thread runs their handler. */
		interrupt_block(1);
		atomic_store(&in_parallel, true);
#pragma omp parallel num_threads((int)run->workers)
		no_work(NULL, 0);
		atomic_store(&in_parallel, false);
		interrupt_block(0);
		largest_team = run->workers;
	}
	return CB_OK;
}

/* One call: the blocks as the iterations of a static parallel for. */
static enum cb_status openmp_launch(struct team *t, struct cb_error *err)
{
	int workers = (int)t->run->workers;

	(void)err;
	atomic_store(&in_parallel, true);
#pragma omp parallel for schedule(static) num_threads(workers)
	for (int i = 0; i < workers; i++)
		team_work(t, (unsigned)i, false);
	atomic_store(&in_parallel, false);
	return CB_OK;
}

/*
 * After a run: wait until libgomp's team threads sleep.  Between parallel
 * regions libgomp spins (GOMP_SPINCOUNT: 300000 pauses unless
 * OMP_WAIT_POLICY says otherwise, some milliseconds) before it sleeps on a
 * futex: the strategy's own next call finds them awake, as the blog's
 * prange does, but the run of another strategy that takes its turn next
 * shared a CPU with them (forkpool, after openmp in a round, was charged
 * 2.65 CPUs on 2).  What they spin after a run is charged to no run, as
 * before, when the run after openmp's last was nobody's.
 */
static bool openmp_settle(struct strategy_run *run)
{
	(void)run;
	/* false under OMP_WAIT_POLICY=active or GOMP_SPINCOUNT=infinite:
	 * libgomp's threads never sleep. */
	return threads_wait_others_asleep(0.25);
}

static const struct launcher openmp_team = { .start = openmp_start, .launch = openmp_launch };

const struct strategy strategy_openmp = {
	.name = "openmp",
	.summary = "an OpenMP parallel for over the blocks: the blog's Cython prange",
	TEAM_STRATEGY(openmp_team),
	.settle = openmp_settle,
};

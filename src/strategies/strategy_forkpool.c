/*
 * strategy_forkpool.c - N worker processes forked once, before timing, and
 * woken for every call: the steady state of the blog's Pool, without the
 * fork in every loop.
 *
 * Design: prepare maps a MAP_SHARED area (a control block, the workers'
 * start stamps, the block area) and forks the workers once; that one fork
 * is the set-up cost, reported apart.  A call bumps a generation counter
 * in the shared area and wakes the workers with a futex on it (no pipe,
 * no system call per worker: one FUTEX_WAKE wakes them all); each worker
 * sums its block, as fork's workers do, and the last to finish wakes the
 * caller through a second futex.  The caller waits in slices of 20 ms and
 * checks between them whether a worker died (reported like fork's) or a
 * signal came.  release tells the workers to exit and reaps them; a worker
 * that does not exit in a second is killed.  The workers read the matrix
 * through copy-on-write, as fork's do.
 *
 * Measured on the 2-core development machine, 30000 x 10000 with 2
 * workers: waking the pool costs about 0.1 ms a call, against about 3 ms
 * for fork's two forks.
 */
#include <limits.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "os/children.h"
#include "os/sysinfo.h"
#include "strategies/strategy.h"
#include "os/clock.h"

#define WAIT_SLICE_NS 20000000 /* how often a waiting caller looks for deaths */

/* The part of the shared area the parent and the workers talk through. */
struct pool_control {
	_Atomic uint32_t generation; /* futex: bumped for each call */
	_Atomic uint32_t done;       /* futex: workers finished this call */
	_Atomic uint32_t stop;       /* set before the last bump: exit */
	_Atomic uint32_t measure;    /* this call: report Private_Dirty too */
};

struct forkpool_state {
	const struct strategy_run *run;
	struct worker_area wa;   /* shared: the control block is its header */
	struct pool_control *ctl;
	volatile pid_t *pids;
	bool started_pool;
};

/* futex(2) on a word of the shared mapping (not private: two processes). */
static long futex(_Atomic uint32_t *word, int op, uint32_t value,
		  const struct timespec *timeout)
{
	return syscall(SYS_futex, (uint32_t *)word, op, value, timeout, NULL, 0);
}

/* A worker's life: wait for a generation, sum its block, report, again. */
static void pool_worker(void *arg, unsigned index)
{
	struct forkpool_state *st = arg;
	uint32_t seen = 0;

	for (;;) {
		uint32_t gen;

		while ((gen = atomic_load(&st->ctl->generation)) == seen)
			futex(&st->ctl->generation, FUTEX_WAIT, seen, NULL);
		seen = gen;
		if (atomic_load(&st->ctl->stop))
			return;
		worker_begin(st->run, index, &st->wa.started[index]);
		block_sum(st->run, index, st->wa.area);
		if (atomic_load(&st->ctl->measure))
			st->wa.dirty[index] = (double)sysinfo_private_dirty();
		if (atomic_fetch_add(&st->ctl->done, 1) + 1 == st->run->workers)
			futex(&st->ctl->done, FUTEX_WAKE, 1, NULL);
	}
}

static enum cb_status forkpool_prepare(struct strategy_run *run, struct cb_error *err)
{
	struct forkpool_state *st = calloc(1, sizeof(*st));
	double t0;
	enum cb_status status;

	run->state = st;
	if (!st)
		return cb_fail(err, CB_SYSTEM, "out of memory for the forkpool strategy");
	st->run = run;
	st->pids = calloc(run->workers, sizeof(pid_t));
	if (!st->pids)
		return cb_fail(err, CB_SYSTEM, "out of memory for %u forkpool workers",
			       run->workers);
	status = worker_area_map(&st->wa, run, sizeof(struct pool_control), err);
	if (status != CB_OK)
		return status;
	st->ctl = st->wa.base;
	t0 = monotonic_seconds();
	status = children_start(run->workers, pool_worker, st, st->pids, "forkpool worker", err);
	run->setup = monotonic_seconds() - t0;
	st->started_pool = status == CB_OK;
	return status;
}

static enum cb_status forkpool_call(struct strategy_run *run, double *startup,
				    struct cb_error *err)
{
	struct forkpool_state *st = run->state;
	const struct timespec slice = { 0, WAIT_SLICE_NS };
	double t0 = monotonic_seconds();
	uint32_t done;

	atomic_store(&st->ctl->done, 0);
	atomic_store(&st->ctl->measure, run->measure_memory);
	atomic_fetch_add(&st->ctl->generation, 1);
	futex(&st->ctl->generation, FUTEX_WAKE, INT_MAX, NULL);
	while ((done = atomic_load(&st->ctl->done)) < run->workers) {
		enum cb_status status;

		futex(&st->ctl->done, FUTEX_WAIT, done, &slice);
		status = children_check(run->workers, st->pids, "forkpool worker", err);
		if (status != CB_OK)
			return status;
	}
	*startup = workers_startup(st->wa.started, run->workers, t0);
	block_area_collect(run, st->wa.area);
	worker_area_collect_memory(&st->wa, run);
	return CB_OK;
}

/* Tell the workers to exit, give them a second, then kill and reap all. */
static void stop_pool(struct forkpool_state *st)
{
	atomic_store(&st->ctl->stop, 1);
	atomic_fetch_add(&st->ctl->generation, 1);
	futex(&st->ctl->generation, FUTEX_WAKE, INT_MAX, NULL);
	children_finish(st->run->workers, st->pids, 1.0);
}

static void forkpool_release(struct strategy_run *run)
{
	struct forkpool_state *st = run->state;

	if (st) {
		if (st->started_pool)
			stop_pool(st);
		worker_area_unmap(&st->wa);
		free((void *)st->pids);
		free(st);
	}
	run->state = NULL;
}

static void forkpool_poison(struct strategy_run *run)
{
	struct forkpool_state *st = run->state;

	block_area_poison(run, st->wa.area);
}

const struct strategy strategy_forkpool = {
	.name = "forkpool",
	.summary = "N processes forked once, woken through a futex for each call",
	.parallel = true,
	.processes = true,
	.prepare = forkpool_prepare,
	.call = forkpool_call,
	.release = forkpool_release,
	.poison = forkpool_poison,
};

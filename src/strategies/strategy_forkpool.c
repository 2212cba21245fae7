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
 * checks between them whether a worker died (reported like fork's), was
 * stopped alone (kill -STOP: it would never finish), or a signal came.  release tells the workers to exit and reaps them; a worker
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
#include "strategies/team.h"
#include "os/clock.h"

#define WAIT_SLICE_NS 20000000 /* how often a waiting caller looks for deaths */

/* The part of the shared area the parent and the workers talk through. */
struct pool_control {
	_Atomic uint32_t generation; /* futex: bumped for each call */
	_Atomic uint32_t done;       /* futex: workers finished this call */
	_Atomic uint32_t stop;       /* set before the last bump: exit */
	_Atomic uint32_t measure;    /* this call: report Private_Dirty too */
};

/* The pool: its control block (the shared area's header). */
struct pool_own {
	struct pool_control *ctl;
	bool started;
};

/* futex(2) on a word of the shared mapping (not private: two processes). */
static long futex(_Atomic uint32_t *word, int op, uint32_t value,
		  const struct timespec *timeout)
{
	return syscall(SYS_futex, (uint32_t *)word, op, value, timeout, NULL, 0);
}

/* A worker's life: wait for a generation, do team_work, report, again.
 * Forked once, it learns of a memory call from the control block. */
static void pool_worker(void *arg, unsigned index)
{
	const struct team *t = arg;
	const struct pool_own *own = t->own;
	uint32_t seen = 0;

	for (;;) {
		uint32_t gen;

		while ((gen = atomic_load(&own->ctl->generation)) == seen)
			futex(&own->ctl->generation, FUTEX_WAIT, seen, NULL);
		seen = gen;
		if (atomic_load(&own->ctl->stop))
			return;
		team_work(t, index, atomic_load(&own->ctl->measure));
		/* Alive between calls, it is in no rusage of the caller's. */
		cpu_usage_of_process(&t->wa.usage[index]);
		if (atomic_fetch_add(&own->ctl->done, 1) + 1 == t->run->workers)
			futex(&own->ctl->done, FUTEX_WAKE, 1, NULL);
	}
}

/* Once, untimed: fork the pool; its cost is the run's set-up. */
static enum cb_status pool_start(struct team *t, struct cb_error *err)
{
	struct pool_own *own = t->own;
	struct strategy_run *run = t->run;
	enum cb_status status;
	double t0;

	own->ctl = t->wa.base;
	t0 = monotonic_seconds();
	status = children_start(run->workers, pool_worker, t, t->pids, "forkpool worker", err);
	run->setup = monotonic_seconds() - t0;
	own->started = status == CB_OK;
	return status;
}

/* One call: bump the generation, wake the pool, wait for the last worker,
 * looking every WAIT_SLICE_NS for one that died. */
static enum cb_status pool_launch(struct team *t, struct cb_error *err)
{
	struct pool_own *own = t->own;
	const struct timespec slice = { 0, WAIT_SLICE_NS };
	uint32_t done;

	atomic_store(&own->ctl->done, 0);
	atomic_store(&own->ctl->measure, t->run->measure_memory);
	atomic_fetch_add(&own->ctl->generation, 1);
	futex(&own->ctl->generation, FUTEX_WAKE, INT_MAX, NULL);
	while ((done = atomic_load(&own->ctl->done)) < t->run->workers) {
		enum cb_status status;

		futex(&own->ctl->done, FUTEX_WAIT, done, &slice);
		status = children_check(t->run->workers, t->pids, "forkpool worker", err);
		if (status != CB_OK)
			return status;
	}
	return CB_OK;
}

/* Tell the workers to exit, give them a second, then kill and reap all. */
static void pool_stop(struct team *t)
{
	struct pool_own *own = t->own;

	if (!own)
		return;
	if (own->started) {
		atomic_store(&own->ctl->stop, 1);
		atomic_fetch_add(&own->ctl->generation, 1);
		futex(&own->ctl->generation, FUTEX_WAKE, INT_MAX, NULL);
		children_finish(t->run->workers, t->pids, 1.0);
	}
}

static const struct launcher pool_of_processes = {
	.header_bytes = sizeof(struct pool_control), .own_bytes = sizeof(struct pool_own),
	.live_workers = true,
	.start = pool_start, .launch = pool_launch, .stop = pool_stop,
};

const struct strategy strategy_forkpool = {
	.name = "forkpool",
	.summary = "N processes forked once, woken through a futex for each call",
	.processes = true,
	TEAM_STRATEGY(pool_of_processes),
};

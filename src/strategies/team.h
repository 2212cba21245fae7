/*
 * team.h - the one worker protocol every parallel strategy shares.
 *
 * After fio, whose forked and threaded jobs run one job function and
 * differ only in how they are launched: a team is N workers over one
 * shared area (struct worker_area: the launcher's header, each worker's
 * start and finish stamps and memory figure, the block area).  Worker i
 * runs team_work(): pin and stamp its start, (forkwrite) write a byte in
 * every page of its block, sum its block into the area, stamp its finish,
 * and, on the untimed memory call of a process strategy, note its
 * Private_Dirty bytes.  What goes around it is written once too
 * (team_prepare, team_call, team_release, team_poison): the area mapped,
 * poisoned before each run, the sums and memory collected after each
 * call, the start-up and wind-down timed.
 *
 * A parallel strategy is then only a launcher: how N copies of team_work
 * start, and how the caller waits for them (fork per call, a pool woken
 * by a futex, pthreads, an OpenMP loop).
 */
#ifndef COLBENCH_TEAM_H
#define COLBENCH_TEAM_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "os/status.h"
#include "strategies/strategy.h"

struct team {
	struct strategy_run *run;  /* start may set run->setup */
	struct worker_area wa; /* shared with worker processes */
	volatile pid_t *pids;  /* a process strategy's workers, for the signal
				* handler to kill and children.c to reap */
	void *own;             /* the launcher's private state (own_bytes, zeroed) */
};

struct launcher {
	size_t header_bytes; /* the launcher's part of the shared area (wa.base) */
	size_t own_bytes;    /* its private state: team->own */
	bool dirty_pages;    /* each worker writes every page of its block first */
	bool live_workers;   /* its workers outlive a call and note their CPU use
			      * in wa.usage after each (team_live_usage) */
	/* Once, untimed, in prepare (it may set run->setup); optional. */
	enum cb_status (*start)(struct team *t, struct cb_error *err);
	/* One timed call: team_work(t, i, ...) for every worker i, then wait
	 * for all of them.  A worker that dies is CB_SYSTEM, a signal
	 * CB_INTERRUPTED. */
	enum cb_status (*launch)(struct team *t, struct cb_error *err);
	/* In release, after a start that failed half-way too; optional. */
	void (*stop)(struct team *t);
};

/* Worker i's whole job (see above); measure_memory: note Private_Dirty. */
void team_work(const struct team *t, unsigned i, bool measure_memory);

/* team_work for threads_run and children_run: measures memory when the
 * run asks for it (a process forked in the call sees the caller's run). */
void team_worker(void *team, unsigned i);

/* The strategy hooks of every parallel strategy, driving its launcher. */
enum cb_status team_prepare(struct strategy_run *run, struct cb_error *err);
enum cb_status team_call(struct strategy_run *run, struct call_costs *costs,
			 struct cb_error *err);
void team_release(struct strategy_run *run);
void team_poison(struct strategy_run *run);
void team_live_usage(const struct strategy_run *run, struct cpu_usage *u);

/* A parallel strategy's definition, after its name and summary. */
#define TEAM_STRATEGY(launcher_)                                          \
	.parallel = true, .launcher = &(launcher_), .prepare = team_prepare, \
	.call = team_call, .release = team_release, .poison = team_poison, \
	.live_usage = team_live_usage

#endif

/*
 * team.c - the worker protocol, written once (see team.h).
 */
#include "strategies/team.h"

#include <stdlib.h>
#include <unistd.h>

#include "os/clock.h"
#include "os/sysinfo.h"

/*
 * Write one byte, the same value, in every page of block `index`: what
 * Python's reference counts do to the pages of the objects a worker reads.
 * The page is copied; the sums are not changed.  In a worker process only
 * (the block of a --mmap file is made writable in it alone).
 */
static void dirty_block(const struct strategy_run *run, unsigned index)
{
	size_t begin, end;

	matrix_block(run->m, run->workers, index, &begin, &end);
	if (begin == end)
		return;
	volatile char *p = (volatile char *)matrix_major(run->m, begin);
	const volatile char *last = (const volatile char *)matrix_major(run->m, end);

	if (matrix_make_writable(run->m, (const void *)p, (size_t)(last - p)) != 0)
		_exit(CB_SYSTEM); /* the parent says a worker exited with status 3 */
	for (; p < last; p += 4096)
		*p = *p; /* cppcheck-suppress selfAssignment ; the write copies the page */
}

void team_work(const struct team *t, unsigned i, bool measure_memory)
{
	const struct strategy_run *run = t->run;

	worker_begin(run, i, &t->wa.started[i]);
	if (run->strategy->launcher->dirty_pages)
		dirty_block(run, i);
	block_sum(run, i, t->wa.area);
	t->wa.finished[i] = monotonic_seconds();
	/* A thread's Private_Dirty would be the whole process's. */
	if (measure_memory && run->strategy->processes)
		t->wa.dirty[i] = (double)sysinfo_private_dirty();
}

void team_worker(void *team, unsigned i)
{
	const struct team *t = team;

	team_work(t, i, t->run->measure_memory);
}

enum cb_status team_prepare(struct strategy_run *run, struct cb_error *err)
{
	const struct launcher *l = run->strategy->launcher;
	struct team *t = calloc(1, sizeof(*t));
	enum cb_status st;

	run->state = t;
	if (!t)
		return cb_fail(err, CB_SYSTEM, "out of memory for the %s strategy",
			       run->strategy->name);
	t->run = run;
	if (l->own_bytes && !(t->own = calloc(1, l->own_bytes)))
		return cb_fail(err, CB_SYSTEM, "out of memory for the %s strategy",
			       run->strategy->name);
	if (run->strategy->processes && !(t->pids = calloc(run->workers, sizeof(pid_t))))
		return cb_fail(err, CB_SYSTEM, "out of memory for %u %s workers", run->workers,
			       run->strategy->name);
	st = worker_area_map(&t->wa, run, l->header_bytes, err);
	if (st == CB_OK && l->start)
		st = l->start(t, err);
	return st;
}

enum cb_status team_call(struct strategy_run *run, struct call_costs *costs,
			 struct cb_error *err)
{
	struct team *t = run->state;
	double t0 = monotonic_seconds();
	enum cb_status st = run->strategy->launcher->launch(t, err);

	if (st != CB_OK)
		return st;
	costs->wind_down = workers_wind_down(t->wa.finished, run->workers, t0, monotonic_seconds());
	costs->startup = workers_startup(t->wa.started, run->workers, t0);
	block_area_collect(run, t->wa.area);
	worker_area_collect_memory(&t->wa, run);
	return CB_OK;
}

void team_release(struct strategy_run *run)
{
	struct team *t = run->state;

	if (t) {
		if (run->strategy->launcher->stop)
			run->strategy->launcher->stop(t);
		worker_area_unmap(&t->wa);
		free((void *)t->pids);
		free(t->own);
		free(t);
	}
	run->state = NULL;
}

void team_poison(struct strategy_run *run)
{
	struct team *t = run->state;

	block_area_poison(run, t->wa.area);
}

void team_live_usage(const struct strategy_run *run, struct cpu_usage *u)
{
	const struct team *t = run->state;

	if (!t || !t->wa.base || !run->strategy->launcher->live_workers)
		return;
	for (unsigned i = 0; i < run->workers; i++)
		cpu_usage_add(u, &t->wa.usage[i]);
}

/*
 * machine.c - the limit and the floors for the plan's worker counts (see
 * machine.h).
 */
#include "pipeline/machine.h"

#include "measure/floors.h"
#include "measure/limit.h"

/* The fork floor for each worker count, when a process strategy that is
 * not an MPI job's runs. */
static enum cb_status measure_fork_floors(const struct plan *p, struct run_record *rec,
					  struct cb_error *err)
{
	struct report_info *info = &rec->info;
	bool processes = false;

	for (size_t i = 0; !p->no_floors && i < p->strategy_count; i++)
		processes = processes || (p->strategies[i]->processes &&
					  !p->strategies[i]->distributed);
	for (size_t i = 0; processes && i < p->worker_count; i++) {
		struct fork_floor *f = &info->fork_floors[info->fork_floor_count];
		enum cb_status st = floor_fork(rec->workers[i], &f->seconds, err);

		if (st != CB_OK)
			return st;
		f->workers = rec->workers[i];
		info->fork_floor_count++;
	}
	return CB_OK;
}

enum cb_status machine_measure(const struct plan *p, struct run_record *rec,
			       struct cb_error *err)
{
	struct report_info *info = &rec->info;
	unsigned counts[MAX_WORKER_COUNTS + 1];
	size_t n = 0;

	counts[n++] = 1;
	for (size_t i = 0; i < p->worker_count; i++) {
		size_t k;

		for (k = 0; k < n && counts[k] != rec->workers[i]; k++)
			;
		if (k == n)
			counts[n++] = rec->workers[i];
	}
	for (size_t i = 0; i < n; i++) {
		struct limit *l = &info->limits[info->limit_count];
		enum cb_status st;

		l->workers = counts[i];
		st = limit_measure(&rec->m, counts[i], p->pin, &l->gbps, err);
		if (st != CB_OK)
			return st;
		info->limit_count++;
	}
	return measure_fork_floors(p, rec, err);
}

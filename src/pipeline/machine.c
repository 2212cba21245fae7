/*
 * machine.c - the limit and the floors for the plan's worker counts (see
 * machine.h).
 */
#include "pipeline/machine.h"

#include <string.h>

#include "kernels/kernels.h"
#include "measure/floors.h"
#include "measure/tune.h"

enum cb_status machine_tune(const struct plan *p, struct run_record *rec,
			    struct cb_error *err)
{
	if (strcmp(p->kernel->name, "simd") != 0 || rec->m.layout != LAYOUT_F)
		return CB_OK;
	if (p->simd_at_once) {
		kernel_simd_set_at_once(p->simd_at_once);
		rec->info.simd = (struct simd_tuning){ kernel_simd_at_once(), 0 };
		return CB_OK;
	}
	return tune_simd_reading(&rec->m, &rec->info.simd, err);
}

enum cb_status machine_floors(const struct plan *p, struct run_record *rec,
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

enum cb_status machine_limit_open(const struct plan *p, const struct run_record *rec,
				  struct limit_probe **probe, struct cb_error *err)
{
	unsigned counts[MAX_WORKER_COUNTS + 1];
	size_t n = 0;

	*probe = NULL;
	if (p->no_limit)
		return CB_OK;
	counts[n++] = 1;
	for (size_t i = 0; i < p->worker_count; i++) {
		size_t k;

		for (k = 0; k < n && counts[k] != rec->workers[i]; k++)
			;
		if (k == n)
			counts[n++] = rec->workers[i];
	}
	return limit_probe_open(&rec->m, counts, n, p->pin, probe, err);
}

void machine_limit_keep(struct limit_probe *probe, struct run_record *rec)
{
	if (!probe)
		return;
	limit_probe_results(probe, rec->info.limits);
	rec->info.limit_count = limit_probe_count(probe);
	limit_probe_close(probe);
}

/*
 * model.c - the derived figures of a report (see model.h).
 */
#include "report/model.h"

#include <string.h>

#include "report/report.h"

double report_gbps(const struct report_info *info, double seconds)
{
	return (double)info->m->bytes / 1e9 / seconds;
}

double report_limit(const struct report_info *info, unsigned workers)
{
	for (size_t i = 0; i < info->limit_count; i++)
		if (info->limits[i].workers == workers)
			return info->limits[i].gbps;
	return 0;
}

unsigned report_parameters(const struct bench_result *results, size_t n)
{
	unsigned vary = 0;

	for (size_t i = 1; i < n; i++) {
		if (strcmp(results[i].strategy->name, results[0].strategy->name) != 0)
			vary |= REPORT_PARAM_STRATEGY;
		if (results[i].workers != results[0].workers)
			vary |= REPORT_PARAM_WORKERS;
	}
	return vary;
}

void report_figures(const struct report_info *info, const struct bench_result *results,
		    size_t n, struct result_figures *out)
{
	double seq = 0;

	for (size_t i = 0; i < n && seq == 0; i++)
		if (strcmp(results[i].strategy->name, "seq") == 0)
			seq = results[i].time.min;
	for (size_t i = 0; i < n; i++) {
		const struct bench_result *r = &results[i];
		struct result_figures *f = &out[i];

		f->gbps = report_gbps(info, r->time.min);
		f->limit_gbps = report_limit(info, r->workers);
		f->has_limit = f->limit_gbps > 0;
		f->limit_share = f->has_limit ? f->gbps / f->limit_gbps : 0;
		f->has_speedup = seq > 0;
		f->speedup = f->has_speedup ? seq / r->time.min : 0;
		f->has_above = f->has_fork_floor = false;
		f->pthread = NULL;
		for (size_t k = 0; r->strategy->processes && k < n; k++)
			if (strcmp(results[k].strategy->name, "pthread") == 0 &&
			    results[k].workers == r->workers) {
				f->above_pthread = r->time.mean - results[k].time.mean;
				f->has_above = true;
				f->pthread = &results[k];
			}
		for (size_t k = 0; r->strategy->forks_each_call && k < info->fork_floor_count; k++)
			if (info->fork_floors[k].workers == r->workers) {
				f->fork_floor = info->fork_floors[k].seconds;
				f->has_fork_floor = true;
			}
	}
}

/*
 * model.c - the derived figures of a report (see model.h).
 */
#include "report/model.h"

#include <stdlib.h>
#include <string.h>

#include "measure/limit.h"
#include "measure/stats.h"
#include "report/report.h"
#include "strategies/strategy.h"

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

double report_limit_typical(const struct report_info *info, size_t i)
{
	double *column;
	struct summary s;

	if (!info->limit_samples || info->processes < 2 ||
	    !(column = calloc(info->processes, sizeof(double))))
		return info->limits[i].gbps;
	for (unsigned p = 0; p < info->processes; p++)
		column[p] = info->limit_samples[p * info->limit_count + i];
	stats_summarize(column, info->processes, &s);
	free(column);
	return s.median;
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

/*
 * The first of results[0..n) whose strategy is the reference of kind,
 * with `workers` workers (any count when 0), and a fastest time; or NULL.
 */
static const struct bench_result *reference_result(const struct bench_result *results,
						   size_t n, enum strategy_kind kind,
						   unsigned workers)
{
	for (size_t i = 0; i < n; i++) {
		const struct strategy *s = results[i].strategy;

		if (s->reference && strategy_kind(s) == kind && results[i].time.min > 0 &&
		    (workers == 0 || results[i].workers == workers))
			return &results[i];
	}
	return NULL;
}

const struct strategy *report_speedup_reference(const struct bench_result *results, size_t n)
{
	const struct bench_result *one = reference_result(results, n, STRATEGY_ONE, 0);

	return one ? one->strategy : strategy_reference(STRATEGY_ONE);
}

void report_figures(const struct report_info *info, const struct bench_result *results,
		    size_t n, struct result_figures *out)
{
	const struct bench_result *one = reference_result(results, n, STRATEGY_ONE, 0);

	for (size_t i = 0; i < n; i++) {
		const struct bench_result *r = &results[i];
		struct result_figures *f = &out[i];

		f->gbps = report_gbps(info, r->time.min);
		f->limit_gbps = report_limit(info, r->workers);
		f->has_limit = f->limit_gbps > 0;
		f->limit_share = f->has_limit ? f->gbps / f->limit_gbps : 0;
		f->over_limit = f->has_limit && f->limit_share > 1 + LIMIT_SLACK;
		f->has_speedup = one != NULL;
		f->speedup = f->has_speedup ? one->time.min / r->time.min : 0;
		f->has_above = f->has_fork_floor = false;
		f->reference = strategy_kind(r->strategy) != STRATEGY_PROCESSES ? NULL
			: reference_result(results, n, STRATEGY_THREADS, r->workers);
		if (f->reference) {
			f->above_reference = r->time.mean - f->reference->time.mean;
			f->has_above = true;
		}
		for (size_t k = 0; r->strategy->forks_each_call && k < info->fork_floor_count; k++)
			if (info->fork_floors[k].workers == r->workers) {
				f->fork_floor = info->fork_floors[k].seconds;
				f->has_fork_floor = true;
			}
	}
}

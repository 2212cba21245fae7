/*
 * sampled.c - the sampler's side of a sampled run: the plan run in
 * p->processes fresh copies of colbench (sampling/sampler.h), their runs
 * merged and judged for disturbance, then the report (driver.h).
 */
#include "drivers/common.h"
#include "drivers/driver.h"
#include "sampling/sampler.h"

enum cb_status drive_sampled(const struct plan *p, struct cb_error *err)
{
	static struct sample_merge merged; /* off the stack (ulimit -s 32) */
	static struct saved_report saved;
	const struct saved_report *baseline = NULL;
	struct report_info *info = &merged.info;
	struct report_data data;
	enum cb_status st = driver_check_files(p, &job_alone, err);

	if (st == CB_OK)
		st = driver_load_baseline(p, &saved, &baseline, err);
	if (st == CB_OK)
		st = sampler_collect(p, &merged, err);
	if (st != CB_OK && st != CB_VERIFY) { /* a copy's failure: it said why */
		if (baseline)
			saved_report_free(&saved);
		return st;
	}
	info->kernel = p->kernel;
	info->name_width = plan_name_width(p); /* the plan's, not a figure off the wire */
	info->sampling_seconds = merged.seconds;
	info->runs_per_process = p->repeat;
	driver_header(p, info);
	data = (struct report_data){ .info = info, .results = merged.results,
				     .count = merged.count, .kernels = merged.kernels,
				     .kernel_count = merged.kernel_count };
	/* No reference here: each copy said its own mismatches. */
	st = driver_results(p, &data, NULL, true, st, err);
	if (st == CB_OK || st == CB_VERIFY)
		st = driver_report(p, baseline, &data, st, err);
	sampler_merge_free(&merged);
	if (baseline)
		saved_report_free(&saved);
	return st;
}
DRIVER_TAKES_PLAN(drive_sampled);

/*
 * common.c - what the drivers share (see common.h).
 */
#include "drivers/common.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "os/atomic_file.h"

enum cb_status driver_check_files(const struct plan *p, const struct job *job,
				  struct cb_error *err)
{
	struct named_file inputs[PLAN_INPUT_FILES], outputs[PLAN_OUTPUT_FILES];

	plan_named_files(p, inputs, outputs);
	return job->agree(job, check_named_files(inputs, PLAN_INPUT_FILES, outputs,
						 PLAN_OUTPUT_FILES, err), err);
}

enum cb_status driver_load_baseline(const struct plan *p, struct saved_report *saved,
				    const struct saved_report **baseline, struct cb_error *err)
{
	enum cb_status st;

	*baseline = NULL;
	if (!p->report.baseline)
		return CB_OK;
	if ((st = saved_report_load(p->report.baseline, saved, err)) == CB_OK)
		*baseline = saved;
	return st;
}

void driver_header(const struct plan *p, const struct report_info *info)
{
	if (p->report.format == FORMAT_TEXT && !p->quiet)
		report_header(stdout, info);
}

void driver_print_header(const struct plan *p, const struct run_record *rec)
{
	driver_header(p, &rec->info);
}

/* The run's status st with what the report added (more), as common.h says. */
static enum cb_status with_report_status(enum cb_status st, enum cb_status more)
{
	if (more == CB_SYSTEM || more == CB_INTERRUPTED || (st == CB_OK && more != CB_OK))
		return more;
	return st;
}

enum cb_status driver_results(const struct plan *p, const struct report_data *data,
			      const struct reference *ref, bool say, enum cb_status st,
			      struct cb_error *err)
{
	for (size_t i = 0; i < data->count; i++) {
		const struct bench_result *r = &data->results[i];

		if (say && p->report.format == FORMAT_TEXT)
			report_timeit_line(stdout, r, data->info->name_width);
		if (say && ferror(stdout)) /* nobody reads the report: stop now */
			return cb_fail(err, CB_SYSTEM, "cannot write the report: %s",
				       strerror(errno));
		if (ref && !r->verdict.ok) {
			report_mismatch(r, ref);
			st = with_report_status(st, CB_VERIFY);
		}
	}
	return st;
}

enum cb_status driver_report(const struct plan *p, const struct saved_report *baseline,
			     const struct report_data *data, enum cb_status st,
			     struct cb_error *err)
{
	return with_report_status(st, report_finish(&p->report, baseline, data, err));
}

enum cb_status driver_finish_here(const struct plan *p, const struct saved_report *baseline,
				  struct run_record *rec, struct cb_error *err)
{
	struct report_data data = { .info = &rec->info, .results = rec->results,
				    .count = rec->count };
	enum cb_status st, survey;

	if (p->judge && !bench_judge_disturbance(rec->results, rec->count,
						 rec->info.sys.usable_cpus,
						 &rec->info.disturbed_processes))
		return cb_fail(err, CB_SYSTEM, "out of memory for the results");
	st = driver_results(p, &data, &rec->ref, true, CB_OK, err);
	if (st != CB_OK && st != CB_VERIFY)
		return st;
	if ((survey = pipeline_survey(p, rec, err)) != CB_OK)
		return survey;
	data.kernels = rec->kernels;
	data.kernel_count = rec->kernel_count;
	return driver_report(p, baseline, &data, st, err);
}

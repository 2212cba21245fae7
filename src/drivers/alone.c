/*
 * alone.c - a run in this one process: the pipeline, the runs judged for
 * disturbance, the report (driver.h).
 */
#include "drivers/common.h"
#include "drivers/driver.h"

enum cb_status drive_alone(const struct plan *p, struct cb_error *err)
{
	static struct run_record rec; /* off the stack (ulimit -s 32) */
	static struct saved_report saved;
	const struct saved_report *baseline = NULL;
	struct pipeline_hooks hooks = { .ready = driver_print_header };
	enum cb_status st = driver_check_files(p, &job_alone, err);

	if (st == CB_OK)
		st = driver_load_baseline(p, &saved, &baseline, err);
	if (st != CB_OK)
		return st;
	st = pipeline_run(p, &job_alone, &hooks, &rec, err);
	if (st == CB_OK)
		st = driver_finish_here(p, baseline, &rec, err);
	run_record_free(&rec);
	if (baseline)
		saved_report_free(&saved);
	return st;
}
DRIVER_TAKES_PLAN(drive_alone);

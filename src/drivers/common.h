/*
 * common.h - the steps the drivers share (driver.h): the files checked
 * before any work, the baseline read, the header, the results said, the
 * report's end.
 */
#ifndef COLBENCH_DRIVER_COMMON_H
#define COLBENCH_DRIVER_COMMON_H

#include "pipeline/pipeline.h"
#include "report/output.h"
#include "report/report.h"

/*
 * Every file the plan names, before any work: outputs that can be written
 * and hold no input or each other (a run of minutes must not fail at its
 * end, nor replace the matrix it read); in a job, every process agrees.
 */
enum cb_status driver_check_files(const struct plan *p, const struct job *job,
				  struct cb_error *err);

/* The plan's --baseline into *saved, *baseline pointing at it (NULL when
 * there is none): a bad baseline fails before any work. */
enum cb_status driver_load_baseline(const struct plan *p, struct saved_report *saved,
				    const struct saved_report **baseline, struct cb_error *err);

/* The text report's header, unless quiet: the one place it is printed
 * from, before the runs (driver_print_header, the pipeline's ready hook)
 * or once a sampler's copies are merged. */
void driver_header(const struct plan *p, const struct report_info *info);
void driver_print_header(const struct plan *p, const struct run_record *rec);

/*
 * The results, as soon as they are timed: in a text report each one's
 * %timeit line (when say), and each result that failed verification said
 * on stderr when ref is its reference (NULL: its copy said it).  st is
 * the run's status so far; returns it, CB_VERIFY when a result failed,
 * or CB_SYSTEM when nobody reads the report (stdout failed).
 */
enum cb_status driver_results(const struct plan *p, const struct report_data *data,
			      const struct reference *ref, bool say, enum cb_status st,
			      struct cb_error *err);

/*
 * The rest of the report (report_finish: warnings, verdicts, the summary,
 * the formats and files).  Returns st with what the report added: a
 * failed verification (1) outranks a regression, an inconclusive
 * comparison or a comparison of nothing; a system failure or a signal
 * outranks everything.
 */
enum cb_status driver_report(const struct plan *p, const struct saved_report *baseline,
			     const struct report_data *data, enum cb_status st,
			     struct cb_error *err);

/*
 * The end of a run that ran in this process, alone or as rank 0 of a job:
 * its runs judged for disturbance (measure/disturbance.h) as one process,
 * its results said, the kernels surveyed (pipeline_survey), the report.
 */
enum cb_status driver_finish_here(const struct plan *p, const struct saved_report *baseline,
				  struct run_record *rec, struct cb_error *err);

#endif

/*
 * output.h - the report leaves colbench: noise warnings, the baseline's
 * verdicts, the report in the format asked for on stdout and in --output,
 * and colbench compare.  Every user-facing line of those is written here.
 */
#ifndef COLBENCH_REPORT_OUTPUT_H
#define COLBENCH_REPORT_OUTPUT_H

#include <stdbool.h>

#include "measure/verify.h"
#include "report/compare.h"
#include "report/format.h"
#include "report/report.h"

/* A file the report is also written to (--output, --export-*). */
struct report_file {
	const char *path; /* NULL: not asked for */
	enum report_format format;
};
#define REPORT_FILES 4

/* What the user asked of the report. */
struct report_request {
	enum report_format format;        /* of stdout */
	bool quiet;                       /* only the %timeit lines and errors */
	struct report_file files[REPORT_FILES];
	const char *baseline;             /* the baseline's path, or NULL */
	struct verdict_rule rule;         /* how a pair is judged */
	const char *label;                /* --label: kept in the JSON report; NULL: none */
};

/* Say on stderr which result failed verification, where and by how much. */
void report_mismatch(const struct bench_result *r, const struct reference *ref);

/*
 * Everything after the timings: noise warnings, the comparison with
 * baseline (NULL: none), the report in the chosen format on stdout and in
 * req->files.  Returns CB_OK; CB_REGRESSED when a result regressed;
 * CB_USAGE when the baseline compared nothing (said after the report is
 * out); CB_SYSTEM when a report cannot be written; CB_INTERRUPTED.
 */
enum cb_status report_finish(const struct report_request *req,
			     const struct saved_report *baseline,
			     const struct report_data *timings, struct cb_error *err);

/*
 * A fresh report's results as a comparison reads them (compare.h), as a
 * saved one would be read back: sets has room for d->count, disturbed
 * for every run of every result.  The sets point at d's times and
 * processes, which must outlive them.
 */
void report_as_saved(const struct report_data *d, struct saved_report *fresh,
		     struct sample_set *sets, bool *disturbed);

/*
 * colbench compare OLD NEW: judge two saved reports (req's format, quiet
 * and rule), run nothing.  Returns as report_finish.
 */
enum cb_status report_compare_files(const char *old_path, const char *new_path,
				    const struct report_request *req, struct cb_error *err);

#endif

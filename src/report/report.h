/*
 * report.h - everything colbench prints to stdout: the header, one %timeit
 * line per benchmark and the summary table.  The only place that formats.
 */
#ifndef COLBENCH_REPORT_H
#define COLBENCH_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "measure/bench.h"
#include "measure/floors.h"
#include "measure/limit.h"
#include "report/compare.h"
#include "report/format.h"
#include "report/model.h"
#include "report/noise.h"
#include "matrix/matrix.h"
#include "matrix/npy.h"
#include "measure/tune.h"
#include "os/sysinfo.h"
#include "strategies/job.h"

/* What the header shows, gathered by main. */
struct report_info {
	const struct matrix *m;
	uint64_t seed;
	const struct kernel *kernel;
	bool hugepages, pin;
	/* The simd kernel's columns at once (measure/tune.h): 0 when not
	 * simd over a column-major matrix; gain 0 when given, not measured. */
	struct simd_tuning simd;
	uint64_t huge_bytes;  /* of the process, in transparent huge pages */
	uint64_t page_tables; /* VmPTE: what fork copies */
	struct limit limits[LIMIT_MAX_COUNTS + 1];
	size_t limit_count;   /* 0 with --no-limit */
	/* The floors (measure/floors.h), with the limit: the write bandwidth
	 * (0: not measured, as for a loaded matrix) and the fork floor for
	 * each worker count of a process strategy. */
	double write_gbps;
	unsigned write_threads;
	struct fork_floor fork_floors[LIMIT_MAX_COUNTS + 1];
	size_t fork_floor_count;
	struct system_info sys;
	const char *load;        /* the .npy file, or NULL for a generated matrix */
	struct npy_load_info npy;
	bool converted;          /* --layout differed from the file's */
	enum layout converted_from;
	double convert_seconds;
	double touch_seconds;    /* first touch: page faults */
	double generate_seconds; /* the generator alone */
	double reference_seconds;
	double clock_resolution;
	size_t name_width; /* widest strategy name that will be run */
	unsigned ranks;    /* an MPI job's processes; 0 alone */
	size_t rank0_cols; /* in a job: rank 0's share of the columns */
	/* In a job: each rank's host, columns and times (its times filled
	 * after the runs), the count of hosts, the transport (strategies/job.h). */
	const struct job_rank *job_ranks;
	unsigned hosts;
	const char *transport;
	unsigned processes; /* fresh processes the runs came from (sampling/) */
	unsigned disturbed_processes; /* of them, disturbed by other work */
	unsigned runs_per_process;
	/* Sampled: every process's limits, limit_count a process in the order
	 * of limits[] (whose gbps is then the best of them); NULL otherwise. */
	const double *limit_samples;
	double sampling_seconds; /* all processes, wall clock; 0 for one */
};

/* Everything one report holds, for the formats that print it whole. */
struct report_data {
	const struct report_info *info;
	const struct bench_result *results;
	size_t count;
	const struct bench_result *kernels; /* the survey; may be 0 of them */
	size_t kernel_count;
	const struct noise *noise;
	const char *baseline;               /* the baseline's path, or NULL */
	const char *label;                  /* --label, or NULL */
	struct verdict_rule rule;           /* --threshold, --drift */
	/* One for each result (report_figures): every format reads them, so
	 * whoever builds a report_data for one must set them. */
	const struct result_figures *figures;
	const struct comparison *comparisons;
	size_t comparison_count;
	const struct saved_report *fresh;   /* the results compared */
	const size_t *missing;              /* fresh's results the baseline lacks */
	size_t missing_count;
};

/* The report as JSON (a superset of hyperfine's --export-json); malloc'd. */
char *report_json(const struct report_data *d);

/* Only the baseline comparison, as JSON (colbench compare); malloc'd. */
char *report_comparison_json(const struct report_data *d);

/*
 * Read a colbench JSON report, in blocks of a megabyte, looking for a
 * signal between blocks.  Returns CB_USAGE with "FILE: what is wrong" when
 * it is missing, not JSON, or not a colbench report, or holds a number no
 * measurement gives (a time outside COMPARE_MIN_TIME to COMPARE_MAX_TIME,
 * a worker count outside 1 to COMPARE_MAX_WORKERS, a mean, min or max
 * that is not its times'), naming the field; CB_SYSTEM when out of memory
 * (jansson's tree included); CB_INTERRUPTED.
 */
enum cb_status saved_report_load(const char *path, struct saved_report *r,
				 struct cb_error *err);
void saved_report_free(struct saved_report *r);

/* The report as CSV (hyperfine's columns, then colbench's); malloc'd. */
char *report_csv(const struct report_data *d);

/*
 * The report as Markdown, to paste into a pull request or a CI job's
 * summary: a line naming the matrix and machine, hyperfine's table
 * (command, mean +- stddev, min, max, relative to the fastest) with
 * colbench's GB/s and verification, and with a baseline the table of
 * verdicts; malloc'd.
 */
char *report_markdown(const struct report_data *d);

/* Only the baseline comparison, as Markdown (colbench compare); malloc'd. */
char *report_comparison_markdown(const struct report_data *d);

/* Each noise warning as one line "colbench: warning: ..." on out. */
void report_warnings(FILE *out, const struct noise *noise);

/* The baseline comparison table, in text. */
void report_comparisons(FILE *out, const struct report_data *d);

/*
 * A time span as IPython's _format_time prints it: 3 significant digits
 * in s, ms, µs or ns ("146 ms", "1.5 µs"), and "1min 5s" from a minute up.
 * Writes into buf and returns it.
 */
char *report_timespan(double seconds, int precision, char *buf, size_t len);

/* The header: version, matrix, machine, generation and reference times. */
void report_header(FILE *out, const struct report_info *info);

/* colbench --version: the version, then the build's commit, compiler and
 * flags, and the vector widths its kernels and generator take here. */
void report_version(FILE *out);

/*
 * One benchmark's %timeit line, preceded by IPython's warning when the
 * slowest run took more than 4 times as long as the fastest:
 * "pthread  2 workers  78.1 ms ± 1.2 ms per loop (mean ± std. dev. of 7 runs, 10 loops each)"
 */
void report_timeit_line(FILE *out, const struct bench_result *r,
			size_t name_width);

/*
 * The summary table of all results, the kernels' survey (each kernel run
 * by seq: its best time and its error against the reference), and the
 * verification verdict.
 */
void report_summary(FILE *out, const struct report_data *d);

/* The line that says how far a long --load has got (npy_load_columns'
 * progress): on stderr, when it is a terminal; percent -1 ends it. */
void report_load_progress(const char *path, int percent);

#endif

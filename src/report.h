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

#include "bench.h"
#include "cli.h"
#include "matrix.h"
#include "npy.h"

/* The read-bandwidth limit measured with a number of workers. */
struct limit {
	unsigned workers;
	double gbps;
};

/* What the header shows, gathered by main. */
struct report_info {
	const struct matrix *m;
	uint64_t seed;
	const struct kernel *kernel;
	bool hugepages, pin;
	uint64_t huge_bytes;  /* of the process, in transparent huge pages */
	struct limit limits[MAX_WORKER_COUNTS + 1];
	size_t limit_count;   /* 0 with --no-limit */
	unsigned cpus;        /* online */
	unsigned usable_cpus; /* in colbench's affinity mask */
	const char *cpu_model;
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
};

/*
 * A time span as IPython's _format_time prints it: 3 significant digits
 * in s, ms, µs or ns ("146 ms", "1.5 µs"), and "1min 5s" from a minute up.
 * Writes into buf and returns it.
 */
char *report_timespan(double seconds, int precision, char *buf, size_t len);

/* The header: version, matrix, machine, generation and reference times. */
void report_header(FILE *out, const struct report_info *info);

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
void report_summary(FILE *out, const struct report_info *info,
		    const struct bench_result *results, size_t n,
		    const struct bench_result *kernels, size_t kernel_count);

#endif

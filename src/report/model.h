/*
 * model.h - the figures a report derives from the timings, computed once
 * here; text, JSON and CSV only format them.
 */
#ifndef COLBENCH_REPORT_MODEL_H
#define COLBENCH_REPORT_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "measure/bench.h"

struct report_info;

/* One result's derived figures. */
struct result_figures {
	double gbps;        /* matrix bytes / fastest per-loop time, GB = 10^9 bytes */
	double limit_gbps;  /* the read limit with as many workers; 0: not measured */
	double limit_share; /* gbps / limit_gbps; meaningful when has_limit */
	double speedup;     /* the one-worker reference's fastest / this fastest;
			     * meaningful when has_speedup */
	/* A process strategy against the threads reference (strategy.h's
	 * .reference: pthread) with as many workers: its mean call's time
	 * above the reference's (has_above), that reference result, and
	 * the fork floor for its workers when it forks in each call and the
	 * floor was measured. */
	double above_reference;
	double fork_floor;
	const struct bench_result *reference;
	bool has_limit;
	bool over_limit;    /* has_limit, and limit_share above 1 + LIMIT_SLACK */
	bool has_speedup;   /* false when the one-worker reference did not run */
	bool has_above;
	bool has_fork_floor;
};

/*
 * hyperfine's parameters: a run of several strategies or worker counts is
 * a scan, as `hyperfine -L workers 1,2,4` is, and each result carries the
 * values of the dimensions that vary across the results (none: no
 * parameters).  Bits of report_parameters, named in sorted order as
 * hyperfine's map keeps them.
 */
#define REPORT_PARAM_STRATEGY 1u
#define REPORT_PARAM_WORKERS 2u
unsigned report_parameters(const struct bench_result *results, size_t n);

/* Bandwidth in GB/s of reading the matrix once in `seconds`. */
double report_gbps(const struct report_info *info, double seconds);

/* The read limit measured with `workers` workers, in GB/s; 0 when it was not. */
double report_limit(const struct report_info *info, unsigned workers);

/*
 * Limit i's figure for judging whether the machine changed between two
 * reports (report/compare.h): the median of every process's limit when
 * the report was sampled (the limit itself is the best of them, a bound
 * rather than the machine's typical state), the limit otherwise.  As the
 * saved-report reader reads it from the JSON's per_process.
 */
double report_limit_typical(const struct report_info *info, size_t i);

/*
 * results[0..n)'s figures, into out[0..n) (pure).  The references are
 * found by their strategies' flags (strategy.h), never by name: the
 * speedup is over the fastest time of the reference that is not parallel
 * (seq), when it ran; a process strategy's cost above the threads
 * reference (pthread) needs that reference with its workers.
 */
void report_figures(const struct report_info *info, const struct bench_result *results,
		    size_t n, struct result_figures *out);

/*
 * The strategy the speedups of results[0..n) are over, for the legend: the
 * one-worker reference among them, or the registry's when none ran.
 */
const struct strategy *report_speedup_reference(const struct bench_result *results, size_t n);

#endif

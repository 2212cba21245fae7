/*
 * bench.h - one benchmark: a strategy with a worker count, timed by the
 * %timeit protocol, every run's result verified.  Produces a bench_result
 * and prints nothing: the report formats it.
 */
#ifndef COLBENCH_BENCH_H
#define COLBENCH_BENCH_H

#include <stdbool.h>
#include <stddef.h>

#include "matrix/matrix.h"
#include "measure/stats.h"
#include "os/status.h"
#include "strategies/strategy.h"
#include "measure/disturbance.h"
#include "measure/timing.h"
#include "measure/verify.h"

struct bench_result {
	const struct strategy *strategy;
	const struct kernel *kernel;
	unsigned workers;
	unsigned loops;   /* per run */
	unsigned runs;
	double *per_loop; /* runs samples, seconds per loop: every one kept */
	/* For each run: the process it ran in (0.. processes - 1: see
	 * sampling/sampler.h) and how much other work disturbed it. */
	unsigned *process;
	struct disturbance *disturbance;
	/* For each run: bytes, colbench's peak resident memory over the run
	 * plus its workers' own (as peak_rss): hyperfine's memory_usage_byte. */
	double *memory;
	unsigned processes;     /* how many processes the runs came from */
	unsigned disturbed_runs;
	struct summary time;
	double startup;   /* mean over timed calls (struct call_costs); 0 for seq */
	double wind_down; /* the same */
	double user, system; /* CPU seconds per loop, the workers' included */
	double setup;     /* prepare's one-time start of workers (forkpool), or 0 */
	double peak_rss;  /* bytes: colbench's peak, plus its workers' own memory */
	double cow_copied; /* bytes the workers' copy-on-write copied (processes) */
	struct verdict verdict; /* worst over every timed run */
	double bad_sum;   /* when !verdict.ok: the wrong sum in bad_col */
};

/*
 * Run strategy s on setup's matrix with its kernel, workers (1 for a
 * strategy that is not parallel) and pinning, timed under cfg, comparing
 * the sums of each run's last call with ref.  Fills *res (free with
 * bench_result_free; on failure bench_run has freed it already).  Returns CB_OK even
 * when verification failed (res->verdict says so); CB_SYSTEM or
 * CB_INTERRUPTED with err filled when the strategy could not run.
 */
enum cb_status bench_run(const struct strategy *s,
			 const struct strategy_run *setup,
			 const struct reference *ref,
			 const struct timing_config *cfg,
			 struct bench_result *res, struct cb_error *err);

/*
 * bench_run in steps, for a caller that interleaves the runs of several
 * benchmarks (sampling/schedule.h): bench_open prepares the strategy and
 * *res (res->runs = cfg->repeat to come); bench_calibrate makes the
 * warm-up calls and fixes the loops per run; bench_time_run times the
 * next run; bench_close ends it (given st, the status so far: when CB_OK,
 * it makes the untimed memory call and summarises), releases the strategy
 * and frees *b, and returns the final status.  On any failure *res is freed.
 */
struct bench;
enum cb_status bench_open(const struct strategy *s, const struct strategy_run *setup,
			  const struct reference *ref, const struct timing_config *cfg,
			  struct bench_result *res, struct bench **b, struct cb_error *err);
enum cb_status bench_calibrate(struct bench *b, struct cb_error *err);
enum cb_status bench_time_run(struct bench *b, struct cb_error *err);
enum cb_status bench_close(struct bench *b, enum cb_status st, struct cb_error *err);

/* Allocate res's per-run arrays for runs runs (zeroed); false when out of memory. */
bool bench_result_alloc(struct bench_result *res, unsigned runs);

/* Recompute res->time and res->disturbed_runs from its runs. */
void bench_result_summarize(struct bench_result *res);

/*
 * Judge the disturbance of every process that results[0..n) ran in, over
 * all of that process's runs together (disturbance_judge), and mark each
 * run with its process's judgement.  Returns how many processes were
 * disturbed; false when out of memory (nothing marked).
 */
bool bench_judge_disturbance(struct bench_result *results, size_t n, unsigned usable_cpus,
			     unsigned *disturbed_processes);

void bench_result_free(struct bench_result *res);

#endif

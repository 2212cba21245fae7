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
#include "measure/timing.h"
#include "measure/verify.h"

struct bench_result {
	const struct strategy *strategy;
	const struct kernel *kernel;
	unsigned workers;
	unsigned loops;   /* per run */
	unsigned runs;
	double *per_loop; /* runs samples, seconds per loop: every one kept */
	struct summary time;
	double startup;   /* mean over timed calls; 0 for seq */
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

void bench_result_free(struct bench_result *res);

#endif

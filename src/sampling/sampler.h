/*
 * sampler.h - the timed runs spread over fresh processes (pyperf's design).
 *
 * The runs of one process share one allocation of the matrix, one
 * placement of the code and one state of the machine; two processes
 * differ by more than the runs within either.  A judgement of a change
 * (report/compare.h) needs that between-process variation in its
 * evidence, so the sampler runs the whole experiment in `processes` fresh
 * copies of colbench, one after another: each started by exec (its own
 * address-space layout), each generating or loading, first-touching and
 * verifying its own matrix, each timing `repeat` runs of every (strategy,
 * workers) pair in its own interleaved order (measure/schedule.h).  The
 * first process calibrates the loops per run; the others use its counts,
 * so every run of a pair times the same work.  It alone writes --save and
 * --sums, measures the floors and surveys the kernels; every copy
 * measures the limit (the machine's state, process by process).
 *
 * A copy is colbench itself (/proc/self/exe) started as
 * `colbench --sample-child FD`: it reads its order and its plan from the
 * socket FD (a plan the sampler makes from its own: copy_plan in
 * sampler.c) and writes its results back through it, and prints nothing
 * on stdout (drivers/copy.c).  Its errors are
 * its own lines on stderr; its status becomes the run's.  A signal stops
 * the copy running and then the sampler; a sampler that dies leaves its
 * copy a SIGTERM (PR_SET_PDEATHSIG), so no process stays.
 */
#ifndef COLBENCH_SAMPLER_H
#define COLBENCH_SAMPLER_H

#include "plan/plan.h"
#include "sampling/wire.h"

#define SAMPLE_RUN_TARGET 0.02 /* seconds: autorange's shortest run in a copy */
/* ... and long enough that a copy's runs, all together, last this long:
 * enough for its disturbance to be judged (measure/disturbance.h). */
#define SAMPLE_WINDOW 0.4

/* The runs of every copy, merged. */
struct sample_merge {
	struct report_info info;   /* the first copy's, with processes set */
	struct matrix shape;       /* info.m */
	struct bench_result *results, *kernels;
	size_t count, kernel_count;
	double seconds;            /* the whole sampling, wall clock */
	double *limit_samples;     /* info.limit_samples: limit_count a process */
};

/*
 * Run plan p in p->processes copies, one after another, into
 * *out (free with sampler_merge_free), each copy's runs judged for
 * disturbance as one process (measure/bench.h) and info.disturbed_processes
 * counting those disturbed.  Returns CB_OK, CB_VERIFY (a result
 * failed verification in some copy: its results are still merged), or the
 * first copy's failure (its message already printed by the copy: err is
 * then empty); CB_SYSTEM when the --load file is not, after the last
 * copy, the version found before the first (file_version.h).
 */
enum cb_status sampler_collect(const struct plan *p, struct sample_merge *out,
			       struct cb_error *err);

void sampler_merge_free(struct sample_merge *m);

#endif

/*
 * pipeline.h - one run of a plan in this process: the matrix built or
 * loaded and checked (the reference), the machine's limit and floors
 * measured, the pairs scheduled, timed and verified, the kernels
 * surveyed, all of it returned as a record.
 *
 * The pipeline knows no driver: it prints no report, judges nothing for
 * disturbance and knows nothing of copies (drivers/).  What differs
 * between the ways a run is driven comes in as the plan (which files,
 * which floors, the schedule policy, fixed loops), as the job (one
 * process, or one rank of an MPI job: strategies/job.h), and as two
 * hooks: after the matrix is built, and before the first timed run.  The
 * kernels' survey is a step of its own (pipeline_survey), so that a
 * driver can say the results before it.
 */
#ifndef COLBENCH_PIPELINE_H
#define COLBENCH_PIPELINE_H

#include "measure/bench.h"
#include "measure/verify.h"
#include "plan/plan.h"
#include "report/report.h"
#include "strategies/job.h"

/* What one run of the pipeline made and measured. */
struct run_record {
	struct report_info info;        /* the header's figures; info.m is whole */
	struct matrix m;                /* this process's matrix (its block, in a job) */
	struct matrix whole;            /* the job's whole matrix, as the header names it */
	struct reference ref;
	struct bench_result *results;   /* in plan order, count of them */
	size_t count;
	struct bench_result *kernels;   /* the survey, kernel_count of them */
	size_t kernel_count;
	unsigned workers[MAX_WORKER_COUNTS]; /* the plan's, fitted to a loaded matrix */
};

/* Optional steps a driver adds; NULL: none. */
struct pipeline_hooks {
	/* Once the matrix is built or loaded, with built_arg (a sampled copy
	 * checks that its --load file is the one its sampler saw). */
	enum cb_status (*built)(const void *built_arg, const struct run_record *rec,
				struct cb_error *err);
	const void *built_arg;
	/* Before the first timed run, on rank 0 (the text report's header). */
	void (*ready)(const struct plan *p, const struct run_record *rec);
};

/*
 * Run plan p as job's process into *rec (free with run_record_free, also
 * after a failure), up to the last timed run.  Returns CB_OK, also when a
 * result failed verification (its verdict says so); CB_USAGE, CB_SYSTEM
 * or CB_INTERRUPTED with err filled.  In a job every process returns the
 * job's status of each step (job->agree).
 */
enum cb_status pipeline_run(const struct plan *p, const struct job *job,
			    const struct pipeline_hooks *hooks, struct run_record *rec,
			    struct cb_error *err);

/* Then, where the plan asks (p->survey), every kernel through the
 * one-worker reference strategy into rec->kernels. */
enum cb_status pipeline_survey(const struct plan *p, struct run_record *rec,
			       struct cb_error *err);

void run_record_free(struct run_record *rec);

#endif

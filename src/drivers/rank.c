/*
 * rank.c - one rank of an MPI job (--strategy mpi under mpirun, a build
 * made with make MPI=1): every rank runs the pipeline over its block of
 * columns, in step; rank 0 alone reports, and gives the job's status
 * (driver.h, strategies/job.h).
 */
#include "drivers/common.h"
#include "drivers/driver.h"

enum cb_status drive_rank(const struct plan *p, struct cb_error *err)
{
	static struct run_record rec; /* off the stack (ulimit -s 32) */
	const struct job *job = job_mpi_begin();
	struct pipeline_hooks hooks = { .ready = driver_print_header };
	enum cb_status st;

	if (!job)
		return cb_fail(err, CB_USAGE, "this colbench was built without MPI");
	st = driver_check_files(p, job, err);
	if (st == CB_OK)
		st = pipeline_run(p, job, &hooks, &rec, err);
	/* A job takes no --baseline (cli.c): its report is rank 0's text. */
	if (st == CB_OK && job->rank == 0)
		st = driver_finish_here(p, NULL, &rec, err);
	run_record_free(&rec);
	return job->end(job, st); /* rank 0's status; the other ranks leave */
}
DRIVER_TAKES_PLAN(drive_rank);

/*
 * job.h - the processes one run is spread over: one process alone, or the
 * ranks of an MPI job (mpirun, a build made with make MPI=1).
 *
 * The pipeline (pipeline/pipeline.c) is the same either way; the job supplies
 * only what differs: each process's share of the matrix (rank r of N sums
 * its own block of columns), agreement on every step's status, the gather
 * of verdicts and reference sums to rank 0, and the rank-0 gate (only
 * rank 0 prints, writes files and gives the job's exit status).
 */
#ifndef COLBENCH_JOB_H
#define COLBENCH_JOB_H

#include <stdbool.h>
#include <stddef.h>

#include "os/status.h"

/* One rank of a job as rank 0 reports it: where it ran, its columns, and
 * the mean of its calls of the mpi strategy, in three parts (mpi_run.h). */
struct job_rank {
	char host[64];
	long pid;
	size_t first_col, cols;
	double wait, sum, gather; /* seconds: the barrier, its own block, the gather */
};

struct job {
	unsigned rank, size; /* 0 and 1 alone */
	/*
	 * On rank 0 of an MPI job: every rank's job_rank (size of them; its
	 * times once the mpi strategy has run), how many hosts they are on,
	 * and how they talk ("Open MPI pml ob1, btl tcp between hosts, ...").
	 * NULL, 0 and NULL alone and on the other ranks.
	 */
	const struct job_rank *ranks;
	unsigned hosts;
	const char *transport;
	/*
	 * Every process's status of a step, combined: the worst.  When one
	 * failed, err on rank 0 holds the first failing rank's message, and
	 * is emptied on the others, so that only rank 0 speaks.
	 */
	enum cb_status (*agree)(const struct job *j, enum cb_status mine, struct cb_error *err);
	/* The worst verdict of every process, on rank 0 (others keep their
	 * own): all of them verified, and the largest error. */
	void (*worst)(const struct job *j, bool *ok, double *max_rel_error);
	/*
	 * Every process's n sums, in rank order, into *all on rank 0
	 * (malloc'd, *total of them); *all is NULL on the others.
	 */
	enum cb_status (*gather)(const struct job *j, const double *mine, size_t n, double **all,
				 size_t *total, struct cb_error *err);
	/* A process that cannot go on while the others wait in a collective
	 * ends the whole job with status. */
	void (*abort)(const struct job *j, int status);
	/* The run's end: rank 0 returns the job's status (rank 0's), every
	 * other rank leaves at once with status 0 (see mpi_run.c). */
	enum cb_status (*end)(const struct job *j, enum cb_status status);
};

/* The job of one process alone. */
extern const struct job job_alone;

/* Whether this colbench was built with MPI. */
int job_mpi_built(void);

/* Join the MPI job (MPI_Init): rank and size, and its hooks; NULL in a
 * build without MPI. */
const struct job *job_mpi_begin(void);

#endif

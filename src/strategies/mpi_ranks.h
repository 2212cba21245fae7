/*
 * mpi_ranks.h - where the ranks of an MPI job are, and how they talk: for
 * rank 0's report (job.h's job_rank, hosts and transport).  Only in a
 * build with MPI (make MPI=1); called by the MPI job (mpi_run.c).
 */
#ifndef COLBENCH_MPI_RANKS_H
#define COLBENCH_MPI_RANKS_H

#include <stddef.h>

#include "strategies/job.h"

/*
 * Collective: every rank's host (MPI_Get_processor_name) and pid, into a
 * table of size entries malloc'd on rank 0 (NULL on the others, or when
 * out of memory there: the job then ends, status 3); on rank 0, the count
 * of distinct hosts and the transport, described into buf.
 */
struct job_rank *mpi_ranks_learn(int rank, int size, unsigned *hosts, char *buf, size_t len);

#endif

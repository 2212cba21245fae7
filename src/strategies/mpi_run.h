/*
 * mpi_run.h - the mpi strategy and the MPI job (job.h): the column sums
 * spread over the ranks of an MPI job, each rank generating (or reading)
 * and summing its own block of columns, through the same pipeline as
 * every other run.  Built only with `make MPI=1` (Open MPI); without it,
 * asking for it is a usage error that says how to get it, and
 * job_mpi_begin() gives no job.
 */
#ifndef COLBENCH_MPI_RUN_H
#define COLBENCH_MPI_RUN_H

#include "strategies/job.h"
#include "strategies/strategy.h"

/*
 * One timed call of the whole job: a barrier, this rank's sums (one
 * thread), MPI_Gatherv of every rank's sums to rank 0.  Distributed: it
 * runs alone, under mpirun, and its verdict is every rank's worst.
 */
extern const struct strategy strategy_mpi;

#endif

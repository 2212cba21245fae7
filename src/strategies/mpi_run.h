/*
 * mpi_run.h - the mpi strategy: the column sums spread over the ranks of
 * an MPI job, each rank generating and summing its own block of columns.
 *
 * It is a mode of its own rather than an entry of the strategy registry:
 * under mpirun no process holds the whole matrix, so it cannot run beside
 * the strategies that share one.  Built only with `make MPI=1` (Open MPI);
 * without it, asking for it is a usage error that says how to get it.
 */
#ifndef COLBENCH_MPI_RUN_H
#define COLBENCH_MPI_RUN_H

#include <stdbool.h>

#include "cli/cli.h"
#include "os/status.h"

/* Whether this colbench was built with MPI. */
bool mpi_built(void);

/*
 * The distributed experiment: MPI_Init, each rank's block of columns
 * generated where it is summed, %timeit-timed calls (barrier, local sums,
 * MPI_Gatherv to rank 0), each rank's sums checked against its own
 * reference, and rank 0's report with the worst error of any rank.  Only
 * rank 0 prints and returns the job's status; the other ranks return
 * CB_OK (mpirun would kill rank 0 as soon as another rank failed).
 */
enum cb_status mpi_experiment(const struct config *cfg, struct cb_error *err);

#endif

/*
 * driver.h - the ways a run of colbench is driven, one file each, over
 * the one pipeline (pipeline/pipeline.h):
 *
 *   alone.c      one process: the pipeline, then the report
 *   sampled.c    the sampler: the runs spread over fresh copies, merged, reported
 *   copy.c       one of those copies: its plan from the sampler, its results back
 *   rank.c       one rank of an MPI job (--strategy mpi under mpirun)
 *   calibrate.c  colbench calibrate: A/A pairs of sampled reports, judged
 *   compare.c    colbench compare: two saved reports, judged
 *   history.c    colbench history: a series of saved reports, its change points
 *
 * main picks one from the command line.  Every driver takes the plan as
 * const: nothing below main changes it (DRIVER_TAKES_PLAN checks each).
 * A driver returns the run's status, err filled as main prints it.
 */
#ifndef COLBENCH_DRIVER_H
#define COLBENCH_DRIVER_H

#include "os/status.h"
#include "plan/plan.h"

typedef enum cb_status driver_fn(const struct plan *p, struct cb_error *err);

/* Fails to compile unless driver f takes a const plan. */
#define DRIVER_TAKES_PLAN(f) \
	_Static_assert(_Generic(&(f), driver_fn *: 1, default: 0), \
		       #f " must take the plan as const struct plan *")

driver_fn drive_alone, drive_sampled, drive_rank, drive_calibrate, drive_compare,
	drive_history;

/* The driver of a plan run (not calibrate, not compare). */
driver_fn *driver_for(const struct plan *p);

/* A sampled copy: its plan and order come over fd from its sampler. */
enum cb_status drive_copy(int fd, struct cb_error *err);

/* In a copy: "sampled process K of N", once its order has come (for its
 * error lines, which it prints itself); NULL in any other process. */
const char *copy_origin(void);

#endif

/*
 * floors.h - the machine's floors under the costs that are not reading:
 * writing the matrix's memory (what generating it cannot beat) and forking
 * workers (what the fork strategy cannot beat), each measured on the
 * matrix's own process and memory, beside the read limit (limit.h).
 *
 * A user who sees fork lose to pthread, or the generator take a second,
 * can then tell how much of it is the kernel's or the memory's and how
 * much is colbench's.
 */
#ifndef COLBENCH_FLOORS_H
#define COLBENCH_FLOORS_H

#include <stdbool.h>

#include "matrix/matrix.h"
#include "os/status.h"

#define FLOOR_RUNS 7   /* timed passes; the best is kept, as STREAM does */

/* The fork floor with a number of workers. */
struct fork_floor {
	unsigned workers;
	double seconds;
};
#define FLOOR_WARMUP 1 /* untimed passes first */

/*
 * Write bandwidth in GB/s with `threads` threads, each writing its block
 * of the matrix (the block it generates) with non-temporal stores of
 * changing values, as the generator writes (zeros go faster on some
 * machines: no floor); it must run before the matrix is generated.
 * Returns CB_SYSTEM if the threads cannot start, CB_INTERRUPTED.
 */
enum cb_status floor_write(struct matrix *m, unsigned threads, bool pin, double *gbps,
			   struct cb_error *err);

/*
 * The fork floor: seconds to fork `workers` children of this very process
 * (the matrix mapped in it) that exit at once, and reap them, through the
 * same start and reap as the fork strategy's workers; the best of
 * FLOOR_RUNS.  Returns CB_SYSTEM when fork fails, CB_INTERRUPTED.
 */
enum cb_status floor_fork(unsigned workers, double *seconds, struct cb_error *err);

#endif

/*
 * limit.h - the speed limit of a column sum: this machine's memory read
 * bandwidth, measured over the matrix's own memory.
 *
 * A column sum reads every byte once, so no strategy can beat a flat
 * streaming read of the same bytes with the same number of workers.  After
 * STREAM: the best of several runs, rate = bytes / best time, GB = 10^9.
 */
#ifndef COLBENCH_LIMIT_H
#define COLBENCH_LIMIT_H

#include <stdbool.h>

#include "matrix/matrix.h"
#include "os/status.h"

#define LIMIT_RUNS 7
#define LIMIT_MAX_COUNTS 64 /* worker counts a run measures, besides 1 */

/* The read-bandwidth limit measured with a number of workers. */
struct limit {
	unsigned workers;
	double gbps;
};

#define LIMIT_WARMUP 3 /* untimed passes: fresh memory reads slower at first */

/*
 * Read bandwidth in GB/s with `threads` threads, each summing a contiguous
 * 1/threads of the matrix's memory as one flat array with the simd kernel,
 * in four streams as it reads four columns (bound to CPU i when pin is
 * set); one untimed pass, then the best of LIMIT_RUNS runs.  Returns
 * CB_SYSTEM if the threads cannot start, CB_INTERRUPTED on a signal.
 */
enum cb_status limit_measure(const struct matrix *m, unsigned threads, bool pin,
			     double *gbps, struct cb_error *err);

#endif

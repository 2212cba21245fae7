/*
 * tune.c - one column at a time or four (see tune.h).
 */
#include "measure/tune.h"

#include <stdatomic.h>
#include <stdlib.h>

#include "kernels/kernels.h"
#include "measure/timing.h"
#include "os/interrupt.h"

#define TUNE_ROUNDS 3

/* Keeps the sums from being optimised away. */
static _Atomic double tune_sink;

enum cb_status tune_simd_reading(const struct matrix *m, struct simd_tuning *out,
				 struct cb_error *err)
{
	static const unsigned counts[2] = { 1, KERNEL_SIMD_AT_ONCE };
	size_t cols = TUNE_BYTES / (m->rows * sizeof(double)) + 1;
	double best[2] = { 0, 0 }, *sums;

	if (cols > m->cols)
		cols = m->cols;
	if (!(sums = calloc(cols, sizeof(double))))
		return cb_fail(err, CB_SYSTEM, "out of memory for the kernel's tuning");
	for (int round = 0; round < TUNE_ROUNDS; round++)
		for (int k = 0; k < 2; k++) {
			/* Each round starts with the other count, so neither
			 * always follows the other. */
			int which = (k + round) % 2;
			double t0 = monotonic_seconds(), seconds;

			kernel_simd_columns(m->data, m->rows, cols, counts[which], sums);
			seconds = monotonic_seconds() - t0;
			atomic_store_explicit(&tune_sink, sums[0], memory_order_relaxed);
			if (best[which] == 0 || seconds < best[which])
				best[which] = seconds;
		}
	free(sums);
	if (interrupt_pending())
		return cb_fail(err, CB_INTERRUPTED, "interrupted");
	if (best[0] <= 0 || best[1] <= 0) { /* below the clock: nothing to choose by */
		*out = (struct simd_tuning){ KERNEL_SIMD_AT_ONCE, 1.0 };
		kernel_simd_set_at_once(out->at_once);
		return CB_OK;
	}
	*out = best[0] <= best[1]
		? (struct simd_tuning){ counts[0], best[1] / best[0] }
		: (struct simd_tuning){ counts[1], best[0] / best[1] };
	kernel_simd_set_at_once(out->at_once);
	return CB_OK;
}

/*
 * tune.h - how the simd kernel reads a column-major matrix on this host:
 * one column at a time (one memory stream) or four (four streams in
 * flight), whichever reads the matrix faster here.
 *
 * Neither is faster everywhere: on a Zen 2 EPYC four streams read about
 * 20% faster than one; on a Zen 4 one stream reads about 15% faster than
 * four, and the read limit (measure/limit.h) found it so.  The sums are
 * the same bits either way (kernels.h), so the choice changes speed only.
 */
#ifndef COLBENCH_TUNE_H
#define COLBENCH_TUNE_H

#include "matrix/matrix.h"
#include "os/status.h"

/* What the measurement found. */
struct simd_tuning {
	unsigned at_once; /* columns read at once: 1 or KERNEL_SIMD_AT_ONCE */
	double gain;      /* the other count's best time / the chosen one's (>= 1) */
};

/* Bytes of the matrix each pass reads: past any last-level cache. */
#define TUNE_BYTES ((size_t)256 << 20)

/*
 * Time the simd kernel's sum_columns over the first columns of m (about
 * TUNE_BYTES of them) reading 1 and KERNEL_SIMD_AT_ONCE at once, taking
 * turns, best of 3 each, on this thread; set the faster
 * (kernel_simd_set_at_once) and say which in *out.  For layout f only.
 * CB_INTERRUPTED on a signal.
 */
enum cb_status tune_simd_reading(const struct matrix *m, struct simd_tuning *out,
				 struct cb_error *err);

#endif

/*
 * verify.h - the reference column sums and the check of every result
 * against them.
 */
#ifndef COLBENCH_VERIFY_H
#define COLBENCH_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "matrix/matrix.h"
#include "os/status.h"

#define VERIFY_TOLERANCE 1e-12 /* of the column's sum of magnitudes */

struct reference {
	size_t cols;
	double *sums; /* Neumaier-compensated column sums */
	double *mags; /* column sums of |x|: the scale errors are relative to */
};

/* The outcome of comparing one sum vector with the reference. */
struct verdict {
	bool ok;
	double max_rel_error; /* max over columns of |sum - ref| / mag */
	size_t bad_col;       /* first column over tolerance, when !ok */
};

/*
 * Compute the reference for m on `threads` threads, each owning a range
 * of columns.  Allocates ref->sums and ref->mags (free with
 * reference_free).  A column holding a NaN or an infinity gets the sum
 * numpy gives, in any order of additions (NaN, or the infinity), which a
 * result must match exactly.  Returns CB_SYSTEM with err filled on
 * failure, CB_USAGE ("column N cannot be summed ...") when a column's
 * finite values add up past the float64 range, CB_INTERRUPTED.
 */
enum cb_status reference_compute(const struct matrix *m, unsigned threads,
				 struct reference *ref, struct cb_error *err);

void reference_free(struct reference *ref);

/*
 * Compare sums[0..cols) with the reference: a column fails when its
 * error exceeds tolerance x its sum of magnitudes, or is not a number.
 */
struct verdict verify_sums(const struct reference *ref, const double *sums,
			   double tolerance);

#endif

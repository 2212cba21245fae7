/*
 * cmocka_all.h - the headers cmocka needs, in the order it needs them,
 * and a helper to build a generated test matrix.
 */
#ifndef COLBENCH_TEST_CMOCKA_ALL_H
#define COLBENCH_TEST_CMOCKA_ALL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "matrix/matrix.h"

/* cmocka 1.1.5 (Debian 12) compares only floats: doubles need their own. */
#define assert_close(actual, expected, tolerance)                              \
	do {                                                                   \
		double a_ = (actual), e_ = (expected), t_ = (tolerance);       \
		if (!(a_ - e_ <= t_ && e_ - a_ <= t_))                         \
			fail_msg("%s = %.17g, expected %.17g (tolerance %g)",  \
				 #actual, a_, e_, t_);                         \
	} while (0)

/* A rows x cols matrix generated from seed on `threads` threads. */
static inline struct matrix test_matrix(size_t rows, size_t cols,
					enum layout layout, uint64_t seed,
					unsigned threads)
{
	struct matrix m;
	struct cb_error err;

	assert_int_equal(matrix_alloc(&m, rows, cols, layout, true, &err), CB_OK);
	assert_int_equal(matrix_generate(&m, seed, threads, false, &err), CB_OK);
	return m;
}

#endif

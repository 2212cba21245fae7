/*
 * Unit tests for src/measure/tune.c: the simd kernel's reading is measured,
 * one of the two counts chosen and set, with its gain over the other.
 */
#include "cmocka_all.h"

#include <math.h>

#include "kernels/kernels.h"
#include "measure/tune.h"

static void test_tuning_chooses_and_sets(void **state)
{
	/* Past TUNE_BYTES, so that only the first columns are read. */
	struct matrix m = test_matrix(1024, (TUNE_BYTES >> 13) + 9, LAYOUT_F, 3, 2);
	struct simd_tuning t = { 0 };
	struct cb_error err;

	(void)state;
	kernel_simd_set_at_once(KERNEL_SIMD_AT_ONCE);
	assert_int_equal(tune_simd_reading(&m, &t, &err), CB_OK);
	assert_true(t.at_once == 1 || t.at_once == KERNEL_SIMD_AT_ONCE);
	assert_true(isfinite(t.gain) && t.gain >= 1.0);
	assert_int_equal(kernel_simd_at_once(), t.at_once);
	matrix_free(&m);
}

/* A matrix too small for the clock still gets a count, and one column. */
static void test_tiny_matrix(void **state)
{
	struct matrix m = test_matrix(1, 1, LAYOUT_F, 3, 1);
	struct simd_tuning t = { 0 };
	struct cb_error err;

	(void)state;
	assert_int_equal(tune_simd_reading(&m, &t, &err), CB_OK);
	assert_true(t.at_once == 1 || t.at_once == KERNEL_SIMD_AT_ONCE);
	assert_true(t.gain >= 1.0);
	matrix_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tuning_chooses_and_sets),
		cmocka_unit_test(test_tiny_matrix),
	};
	return cmocka_run_group_tests_name("tune", tests, NULL, NULL);
}

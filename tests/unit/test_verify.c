/* Unit tests for src/measure/verify.c: a wrong column is caught and named. */
#include "cmocka_all.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "measure/verify.h"

static void test_detects_wrong_column(void **state)
{
	struct matrix m = test_matrix(50, 20, LAYOUT_F, 5, 2);
	struct reference ref;
	struct cb_error err;
	double sums[20];
	struct verdict v;

	(void)state;
	assert_int_equal(reference_compute(&m, 3, &ref, &err), CB_OK);
	memcpy(sums, ref.sums, sizeof(sums));
	v = verify_sums(&ref, sums, VERIFY_TOLERANCE);
	assert_true(v.ok);
	assert_true(v.max_rel_error == 0);

	/* Within tolerance: one ulp off is fine. */
	sums[3] = nextafter(sums[3], INFINITY);
	v = verify_sums(&ref, sums, VERIFY_TOLERANCE);
	assert_true(v.ok);
	assert_true(v.max_rel_error > 0 && v.max_rel_error < 1e-15);

	/* Off by 1e-9 of its magnitude in column 11, and then in column 7. */
	sums[11] += 1e-9 * ref.mags[11];
	v = verify_sums(&ref, sums, VERIFY_TOLERANCE);
	assert_false(v.ok);
	assert_int_equal(v.bad_col, 11);
	assert_close(v.max_rel_error, 1e-9, 1e-12);
	sums[7] = NAN;
	v = verify_sums(&ref, sums, VERIFY_TOLERANCE);
	assert_false(v.ok);
	assert_int_equal(v.bad_col, 7);
	assert_true(isinf(v.max_rel_error));

	reference_free(&ref);
	matrix_free(&m);
}

/*
 * Non-finite columns, in both layouts: the reference is what any order of
 * additions gives (NaN, or the infinity), matched exactly; finite values
 * too large to add up are refused.
 */
static void test_non_finite_columns(void **state)
{
	(void)state;
	for (int layout = 0; layout < 2; layout++) {
		struct matrix m = test_matrix(30, 5, layout ? LAYOUT_C : LAYOUT_F, 3, 1);
		struct reference ref;
		struct cb_error err;
		double sums[5];
		struct verdict v;
		size_t step = layout ? 5 : 1, col = layout ? 1 : 30; /* element (r, c) */

		m.data[2 * step + 1 * col] = NAN;
		m.data[3 * step + 2 * col] = INFINITY;
		m.data[4 * step + 3 * col] = INFINITY;
		m.data[5 * step + 3 * col] = -INFINITY;
		assert_int_equal(reference_compute(&m, 2, &ref, &err), CB_OK);
		assert_true(isnan(ref.sums[1]));
		assert_true(ref.sums[2] == INFINITY);
		assert_true(isnan(ref.sums[3]));
		assert_true(isfinite(ref.sums[0]) && isfinite(ref.sums[4]));
		memcpy(sums, ref.sums, sizeof(sums));
		v = verify_sums(&ref, sums, VERIFY_TOLERANCE);
		assert_true(v.ok);
		assert_true(v.max_rel_error == 0);
		sums[2] = NAN; /* an infinity expected: NaN is wrong */
		v = verify_sums(&ref, sums, VERIFY_TOLERANCE);
		assert_false(v.ok);
		assert_int_equal(v.bad_col, 2);
		sums[2] = -INFINITY; /* and so is the other infinity */
		assert_false(verify_sums(&ref, sums, VERIFY_TOLERANCE).ok);
		sums[2] = INFINITY;
		sums[1] = 0; /* NaN expected */
		assert_false(verify_sums(&ref, sums, VERIFY_TOLERANCE).ok);
		reference_free(&ref);

		for (size_t r = 0; r < 30; r++)
			m.data[r * step + 4 * col] = 1e308;
		assert_int_equal(reference_compute(&m, 2, &ref, &err), CB_USAGE);
		assert_non_null(strstr(err.msg, "column 4 cannot be summed in float64"));
		matrix_free(&m);
	}
}

/* More threads than columns, and layout c, still give the right reference. */
static void test_reference_layouts_agree(void **state)
{
	struct matrix f = test_matrix(40, 3, LAYOUT_F, 8, 1);
	struct matrix c = test_matrix(40, 3, LAYOUT_C, 8, 2);
	struct reference rf, rc;
	struct cb_error err;

	(void)state;
	assert_int_equal(reference_compute(&f, 8, &rf, &err), CB_OK);
	assert_int_equal(reference_compute(&c, 8, &rc, &err), CB_OK);
	for (int k = 0; k < 3; k++) {
		assert_true(rf.sums[k] == rc.sums[k]);
		assert_true(rf.mags[k] == rc.mags[k]);
		assert_true(rf.sums[k] > 0);
	}
	reference_free(&rf);
	reference_free(&rc);
	matrix_free(&f);
	matrix_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detects_wrong_column),
		cmocka_unit_test(test_reference_layouts_agree),
		cmocka_unit_test(test_non_finite_columns),
	};
	return cmocka_run_group_tests_name("verify", tests, NULL, NULL);
}

/* Unit tests for src/matrix/matrix.c and generator.c: the generator in
 * every vector width, the block split, size checks. */
#include "cmocka_all.h"

#include <string.h>

#include "matrix/generator.h"
#include "matrix/matrix.h"

static void test_element_range_and_determinism(void **state)
{
	double sum = 0;
	const size_t n = 20000;

	(void)state;
	for (size_t i = 0; i < n; i++) {
		double x = matrix_element(42, i / 100, i % 100, 100);

		assert_true(x >= 0.0 && x < 1.0);
		assert_true(x == matrix_element(42, i / 100, i % 100, 100));
		sum += x;
	}
	/* Uniform on [0,1): mean 0.5, std of the mean 0.29/sqrt(n) = 0.002. */
	assert_close(sum / n, 0.5, 0.01);
	/* Other seeds give other values. */
	assert_true(matrix_element(42, 3, 4, 10) != matrix_element(43, 3, 4, 10));
	assert_true(matrix_element(0, 0, 0, 1) != matrix_element(0, 0, 1, 2));
}

static void same_matrix_any_layout_or_threads(size_t rows, size_t cols);

/*
 * The same seed gives the same matrix in both layouts, on any thread count,
 * and with every vector width of the generator this CPU runs (the one the
 * binary would pick, and every narrower one): 137 rows make full buffers
 * of 64, a partial one and an odd tail in each column.
 */
static void test_same_matrix_any_layout_or_threads(void **state)
{
	const size_t rows = 137, cols = 23;
	size_t widths_run = 0;

	(void)state;
	for (size_t w = 0; w < generator_width_count(); w++) {
		if (!generator_width_runs(w))
			continue;
		assert_true(generator_use_width(generator_width_name(w)));
		assert_string_equal(generator_width(), generator_width_name(w));
		same_matrix_any_layout_or_threads(rows, cols);
		widths_run++;
	}
	assert_true(generator_use_width(NULL));
	assert_false(generator_use_width("sse9"));
	assert_true(widths_run >= 1); /* the baseline runs everywhere */
}

/* Every line the generator writes, of any length and alignment, in every
 * width: the same bits as matrix_element. */
static void test_generator_lines(void **state)
{
	static double out[300];
	uint64_t key = generator_key(11);

	(void)state;
	for (size_t w = 0; w < generator_width_count(); w++) {
		if (!generator_width_runs(w))
			continue;
		assert_true(generator_use_width(generator_width_name(w)));
		for (size_t n = 0; n <= 140; n++)
			for (size_t skew = 0; skew < 2; skew++) {
				/* row 3 of a 1000-column matrix, from column 5 */
				generator_line(out + skew, n, key, 3 * 1000 + 5, 1);
				for (size_t i = 0; i < n; i++)
					assert_true(out[skew + i] == matrix_element(11, 3, 5 + i, 1000));
				/* column 5 of a 7-column matrix, from row 2 */
				generator_line(out + skew, n, key, 2 * 7 + 5, 7);
				for (size_t i = 0; i < n; i++)
					assert_true(out[skew + i] == matrix_element(11, 2 + i, 5, 7));
			}
	}
	assert_true(generator_use_width(NULL));
}

static void same_matrix_any_layout_or_threads(size_t rows, size_t cols)
{
	struct matrix f1 = test_matrix(rows, cols, LAYOUT_F, 7, 1);

	for (unsigned threads = 1; threads <= 8; threads++) {
		struct matrix f = test_matrix(rows, cols, LAYOUT_F, 7, threads);
		struct matrix c = test_matrix(rows, cols, LAYOUT_C, 7, threads);

		for (size_t r = 0; r < rows; r++)
			for (size_t k = 0; k < cols; k++) {
				double x = matrix_element(7, r, k, cols);

				assert_true(matrix_at(&f, r, k) == x);
				assert_true(matrix_at(&c, r, k) == x);
				assert_true(matrix_at(&f1, r, k) == x);
			}
		matrix_free(&f);
		matrix_free(&c);
	}
	matrix_free(&f1);
}

/* Blocks tile the major dimension in order, sizes within one of each other. */
static void test_blocks_tile(void **state)
{
	static const size_t counts[] = { 1, 2, 3, 7, 8, 13, 100, 1001 };

	(void)state;
	for (size_t ci = 0; ci < sizeof(counts) / sizeof(counts[0]); ci++)
		for (unsigned parts = 1; parts <= 16; parts++)
			for (int layout = 0; layout < 2; layout++) {
				struct matrix m = { .rows = layout ? counts[ci] : 5,
						    .cols = layout ? 5 : counts[ci],
						    .layout = layout ? LAYOUT_C : LAYOUT_F };
				size_t next = 0, small = SIZE_MAX, big = 0;

				assert_int_equal(matrix_major_count(&m), counts[ci]);
				for (unsigned i = 0; i < parts; i++) {
					size_t b, e;

					matrix_block(&m, parts, i, &b, &e);
					assert_int_equal(b, next);
					assert_true(e >= b);
					next = e;
					small = e - b < small ? e - b : small;
					big = e - b > big ? e - b : big;
				}
				assert_int_equal(next, counts[ci]);
				assert_true(big - small <= 1);
			}
}

static void test_size_checks(void **state)
{
	struct cb_error err;
	size_t bytes = 0;

	(void)state;
	assert_int_equal(matrix_check_size(30000, 10000, &bytes, &err), CB_OK);
	assert_int_equal(bytes, 2400000000u);
	assert_int_equal(matrix_check_size(SIZE_MAX / 4, 1, &bytes, &err), CB_USAGE);
	assert_non_null(strstr(err.msg, "overflows"));
	assert_int_equal(matrix_check_size(1ull << 32, 1ull << 32, &bytes, &err), CB_USAGE);
	assert_non_null(strstr(err.msg, "overflows"));
	/* 8 TB: more than any test machine has. */
	assert_int_equal(matrix_check_size(1000000, 1000000, &bytes, &err), CB_USAGE);
	assert_non_null(strstr(err.msg, "needs 8000.00 GB"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_element_range_and_determinism),
		cmocka_unit_test(test_same_matrix_any_layout_or_threads),
		cmocka_unit_test(test_generator_lines),
		cmocka_unit_test(test_blocks_tile),
		cmocka_unit_test(test_size_checks),
	};
	return cmocka_run_group_tests_name("matrix", tests, NULL, NULL);
}

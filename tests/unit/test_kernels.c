/*
 * Unit tests for src/kernels/kernels.c: every kernel in both forms, every tail
 * length, numpy's own results for pairwise and naive, and compensation.
 */
#include "cmocka_all.h"

#include <stdlib.h>
#include <string.h>

#include "kernels/kernels.h"

/* Data both C and Python compute exactly alike: one correctly rounded division. */
static double npy_data(size_t i)
{
	return (double)((i * 7919) % 10007) / 10007.0;
}

/*
 * numpy 1.24's B.sum(axis=0) for the Fortran-order n x 2 matrix whose
 * columns are npy_data(i) and npy_data(n - 1 - i), as printed by Python's
 * float.hex(): the oracle for the pairwise kernel.
 */
static const struct { size_t n; double col0, col1; } numpy_sums[] = {
	{ 7, 0x1.cf236149e81b2p+1, 0x1.cf236149e81b4p+1 },
	{ 128, 0x1.003e3734c69e9p+6, 0x1.003e3734c69e9p+6 },
	{ 129, 0x1.016986b0914e6p+6, 0x1.016986b0914e7p+6 },
	{ 1000, 0x1.f45b190b7c822p+8, 0x1.f45b190b7c821p+8 },
	{ 8192, 0x1.000214ed18470p+12, 0x1.000214ed18470p+12 },
	{ 8193, 0x1.000d6468e2f6ep+12, 0x1.000d6468e2f6ep+12 },
	{ 20000, 0x1.3878bb0e67188p+13, 0x1.3878bb0e67189p+13 },
	{ 30000, 0x1.d4b66852e2cf8p+13, 0x1.d4b66852e2cf9p+13 },
};

/* The n x 2 matrix of numpy_sums in layout f (fortran) or c. */
static double *npy_matrix(size_t n, bool fortran)
{
	double *a = malloc(2 * n * sizeof(double));

	for (size_t i = 0; i < n; i++) {
		a[fortran ? i : 2 * i] = npy_data(i);
		a[fortran ? n + i : 2 * i + 1] = npy_data(n - 1 - i);
	}
	return a;
}

static void test_pairwise_matches_numpy(void **state)
{
	const struct kernel *k = kernel_find("pairwise");

	(void)state;
	for (size_t t = 0; t < sizeof(numpy_sums) / sizeof(numpy_sums[0]); t++) {
		size_t n = numpy_sums[t].n;
		double *f = npy_matrix(n, true), *c = npy_matrix(n, false), out[2];

		assert_true(k->sum_column(f, n) == numpy_sums[t].col0);
		assert_true(k->sum_column(f + n, n) == numpy_sums[t].col1);
		/* The row form does the very same additions. */
		k->sum_rows(c, n, 2, out);
		assert_true(out[0] == numpy_sums[t].col0);
		assert_true(out[1] == numpy_sums[t].col1);
		free(f);
		free(c);
	}
}

/* naive adds in order, as numpy's A.sum(axis=0) does on a C-order matrix. */
static void test_naive_is_sequential(void **state)
{
	const struct kernel *k = kernel_find("naive");
	double *f = npy_matrix(30000, true), out[2], seq0 = 0, seq1 = 0;

	(void)state;
	for (size_t i = 0; i < 30000; i++) {
		seq0 += f[i];
		seq1 += f[30000 + i];
	}
	assert_true(k->sum_column(f, 30000) == seq0);
	double *c = npy_matrix(30000, false);
	k->sum_rows(c, 30000, 2, out);
	assert_true(out[0] == seq0 && out[1] == seq1);
	free(f);
	free(c);
}

/* Small integers sum exactly in any order: every kernel, every tail length. */
static void test_every_kernel_every_length(void **state)
{
	size_t count;
	const struct kernel *all = kernel_all(&count);
	double x[300], rows[300 * 3], out[3];

	(void)state;
	for (size_t i = 0; i < 300; i++) {
		x[i] = (double)(i + 1);
		for (int j = 0; j < 3; j++)
			rows[i * 3 + j] = (double)(i + 1) * (j + 1);
	}
	for (size_t k = 0; k < count; k++)
		for (size_t n = 0; n <= 300; n++) {
			size_t triangle = n * (n + 1) / 2; /* exact: n or n + 1 is even */
			double expect = (double)triangle;

			if (all[k].sum_column(x, n) != expect)
				fail_msg("%s: sum of 1..%zu is %.17g", all[k].name, n,
					 all[k].sum_column(x, n));
			memset(out, 0xff, sizeof(out)); /* NaNs: every column is written */
			all[k].sum_rows(rows, n, 3, out);
			for (int j = 0; j < 3; j++)
				if (out[j] != expect * (j + 1))
					fail_msg("%s rows: column %d of %zu rows is %.17g",
						 all[k].name, j, n, out[j]);
			/* Unaligned starts read the right elements. */
			if (n >= 3)
				assert_true(all[k].sum_column(x + 3, n - 3) == expect - 6);
		}
}

/* sum_columns gives every column exactly what sum_column gives it. */
static void test_columns_match_column(void **state)
{
	size_t count;
	const struct kernel *all = kernel_all(&count);
	enum { ROWS = 203, COLS = 11 };
	double *x = malloc(sizeof(double) * ROWS * COLS), out[COLS];

	(void)state;
	for (size_t i = 0; i < (size_t)ROWS * COLS; i++)
		x[i] = npy_data(i) * (i % 3 ? 1 : -1e3);
	for (size_t k = 0; k < count; k++)
		for (size_t ncols = 0; ncols <= COLS; ncols++) {
			memset(out, 0xff, sizeof(out));
			all[k].sum_columns(x, ROWS, ncols, out);
			for (size_t c = 0; c < ncols; c++)
				if (out[c] != all[k].sum_column(x + c * ROWS, ROWS))
					fail_msg("%s: column %zu of %zu differs", all[k].name, c, ncols);
		}
	free(x);
}

/*
 * simd reads 1 or KERNEL_SIMD_AT_ONCE columns at once (measure/tune.h):
 * either way, and by the setting or given, each column's sum is its
 * sum_column's bit for bit; other settings mean KERNEL_SIMD_AT_ONCE.
 */
static void test_simd_at_once_same_bits(void **state)
{
	const struct kernel *simd = kernel_find("simd");
	enum { ROWS = 203, COLS = 11 };
	double *x = malloc(sizeof(double) * ROWS * COLS), out[COLS], set[COLS];
	static const unsigned counts[] = { 1, KERNEL_SIMD_AT_ONCE };

	(void)state;
	for (size_t i = 0; i < (size_t)ROWS * COLS; i++)
		x[i] = npy_data(i) * (i % 3 ? 1 : -1e3);
	for (int k = 0; k < 2; k++) {
		kernel_simd_set_at_once(counts[k]);
		assert_int_equal(kernel_simd_at_once(), counts[k]);
		for (size_t ncols = 0; ncols <= COLS; ncols++) {
			memset(out, 0xff, sizeof(out));
			memset(set, 0xff, sizeof(set));
			kernel_simd_columns(x, ROWS, ncols, counts[k], out);
			simd->sum_columns(x, ROWS, ncols, set);
			for (size_t c = 0; c < ncols; c++) {
				double one = simd->sum_column(x + c * ROWS, ROWS);

				if (out[c] != one || set[c] != one)
					fail_msg("%u at once: column %zu of %zu differs", counts[k], c,
						 ncols);
			}
		}
	}
	kernel_simd_set_at_once(7);
	assert_int_equal(kernel_simd_at_once(), KERNEL_SIMD_AT_ONCE);
	kernel_simd_set_at_once(0);
	assert_int_equal(kernel_simd_at_once(), 1);
	kernel_simd_set_at_once(KERNEL_SIMD_AT_ONCE);
	free(x);
}

/* A row form wider than a chunk of columns covers every column. */
static void test_wide_rows(void **state)
{
	size_t count;
	const struct kernel *all = kernel_all(&count);
	const size_t nrows = 5, cols = 1000;
	double *rows = malloc(nrows * cols * sizeof(double));
	double *out = malloc(cols * sizeof(double));

	(void)state;
	for (size_t r = 0; r < nrows; r++)
		for (size_t j = 0; j < cols; j++)
			rows[r * cols + j] = (double)(j + r);
	for (size_t k = 0; k < count; k++) {
		all[k].sum_rows(rows, nrows, cols, out);
		for (size_t j = 0; j < cols; j++)
			assert_true(out[j] == 5.0 * j + 10);
	}
	free(rows);
	free(out);
}

static void test_compensation(void **state)
{
	/* Naive summation loses the ones; the compensated sums keep them. */
	const double x[] = { 1.0, 1e100, 1.0, -1e100 };
	double y[17] = { 1e16 }; /* then 16 ones: each rounds away alone */
	double sum, mag;
	double s[1] = { 0 }, c[1] = { 0 }, a[1] = { 0 };

	(void)state;
	kernel_neumaier(x, 4, &sum, &mag);
	assert_true(sum == 2.0);
	assert_true(mag == 2e100 + 2.0);
	for (int i = 0; i < 4; i++)
		kernel_neumaier_row(&x[i], 1, s, c, a);
	assert_true(s[0] + c[0] == 2.0);
	assert_true(a[0] == mag);
	/* Kahan keeps the small terms a naive sum rounds away. */
	for (int i = 1; i < 17; i++)
		y[i] = 1.0;
	assert_true(kernel_find("naive")->sum_column(y, 17) == 1e16);
	assert_true(kernel_find("kahan")->sum_column(y, 17) == 1e16 + 16);
}

static void test_table(void **state)
{
	size_t count;
	const struct kernel *all = kernel_all(&count);

	(void)state;
	assert_int_equal(count, 4);
	for (size_t i = 0; i < count; i++)
		assert_ptr_equal(kernel_find(all[i].name), &all[i]);
	assert_non_null(kernel_find(KERNEL_DEFAULT));
	assert_null(kernel_find("fast"));
	assert_true(strlen(kernel_simd_isa()) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_pairwise_matches_numpy),
		cmocka_unit_test(test_naive_is_sequential),
		cmocka_unit_test(test_every_kernel_every_length),
		cmocka_unit_test(test_columns_match_column),
		cmocka_unit_test(test_simd_at_once_same_bits),
		cmocka_unit_test(test_wide_rows),
		cmocka_unit_test(test_compensation),
	};
	return cmocka_run_group_tests_name("kernels", tests, NULL, NULL);
}

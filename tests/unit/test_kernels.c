/* Unit tests for src/kernels.c: every tail length, and compensation. */
#include "cmocka_all.h"

#include "kernels.h"

/* Small integers sum exactly in any order, so the kernel must be exact. */
static void test_sum_every_length(void **state)
{
	double x[67];

	(void)state;
	for (size_t i = 0; i < 67; i++)
		x[i] = (double)(i + 1);
	for (size_t n = 0; n <= 67; n++)
		assert_true(kernel_sum(x, n) == (double)(n * (n + 1) / 2));
	/* An unaligned start reads the right elements. */
	assert_true(kernel_sum(x + 3, 10) == (4.0 + 13.0) * 10 / 2);
}

static void test_add_row(void **state)
{
	double acc[11] = { 0 }, row[11];

	(void)state;
	for (int i = 0; i < 11; i++)
		row[i] = i * 0.5;
	kernel_add_row(acc, row, 11);
	kernel_add_row(acc, row, 11);
	for (int i = 0; i < 11; i++)
		assert_true(acc[i] == i * 1.0);
}

static void test_neumaier_compensates(void **state)
{
	/* Naive summation gives 0 here; Neumaier recovers the 2. */
	const double x[] = { 1.0, 1e100, 1.0, -1e100 };
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
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sum_every_length),
		cmocka_unit_test(test_add_row),
		cmocka_unit_test(test_neumaier_compensates),
	};
	return cmocka_run_group_tests_name("kernels", tests, NULL, NULL);
}

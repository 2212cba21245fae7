/* Unit tests for src/stats.c: known samples give known statistics. */
#include "cmocka_all.h"

#include <math.h>

#include "stats.h"

static const struct {
	double x[8];
	size_t n;
	double mean, std, min, max, median;
} cases[] = {
	{ { 5 }, 1, 5, 0, 5, 5, 5 },
	{ { 1, 2, 3, 4 }, 4, 2.5, 1.118033988749895, 1, 4, 2.5 },
	{ { 2, 4, 4, 4, 5, 5, 7, 9 }, 8, 5, 2, 2, 9, 4.5 },
	{ { 9, 1, 5 }, 3, 5, 3.265986323710904, 1, 9, 5 },
	/* A tiny spread beside a large mean: a naive sum of squares loses it. */
	{ { 1e9 + 1, 1e9 + 2, 1e9 + 3 }, 3, 1e9 + 2, 0.816496580927726, 1e9 + 1,
	  1e9 + 3, 1e9 + 2 },
	{ { 0.146, 0.150, 0.139, 0.162, 0.144, 0.141, 0.148 }, 7,
	  0.14714285714285713, 0.007018924855164714, 0.139, 0.162, 0.146 },
};

static void test_known_samples(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct summary s;

		stats_summarize(cases[i].x, cases[i].n, &s);
		assert_int_equal(s.n, cases[i].n);
		assert_close(s.mean, cases[i].mean, 1e-12 * fabs(cases[i].mean));
		assert_close(s.std, cases[i].std, 1e-9 * (cases[i].std + 1e-300));
		assert_true(s.min == cases[i].min);
		assert_true(s.max == cases[i].max);
		assert_close(s.median, cases[i].median, 1e-15);
	}
}

static void test_input_not_modified(void **state)
{
	double x[] = { 3, 1, 2 };
	struct summary s;

	(void)state;
	stats_summarize(x, 3, &s);
	assert_true(x[0] == 3 && x[1] == 1 && x[2] == 2);
}

static void test_slow_outlier(void **state)
{
	struct summary s = { .min = 0.1, .max = 0.41 };

	(void)state;
	assert_true(stats_slow_outlier(&s));
	s.max = 0.4; /* exactly 4 times: no warning, as in IPython */
	assert_false(stats_slow_outlier(&s));
	s = (struct summary){ .min = 1e-8, .max = 9e-7 }; /* slowest under 1 us */
	assert_false(stats_slow_outlier(&s));
	s = (struct summary){ .min = 0, .max = 1 };
	assert_false(stats_slow_outlier(&s));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_samples),
		cmocka_unit_test(test_input_not_modified),
		cmocka_unit_test(test_slow_outlier),
	};
	return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}

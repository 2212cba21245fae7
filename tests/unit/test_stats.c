/* Unit tests for src/measure/stats.c: known samples give known statistics. */
#include "cmocka_all.h"

#include <math.h>

#include "measure/stats.h"

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

/* Expected p-values and quantiles come from scipy 1.10 (Debian 12). */
static void test_mann_whitney(void **state)
{
	static const double a[] = { 1, 2, 3, 4, 5, 6, 7 }, b[] = { 8, 9, 10, 11, 12, 13, 14 };
	static const double c[] = { 1.5, 2.5, 8.5, 9.5, 3.5, 11, 12 };
	static const double d[] = { 1, 2, 3 }, e[] = { 2, 3, 4, 5 };
	static const double z[] = { 0.1, 0.1, 0.2, 0.2, 0.3 }, w[] = { 0.2, 0.3, 0.3, 0.4, 0.5, 0.6 };
	double big1[60], big2[60];

	(void)state;
	/* Exact: no ties. */
	assert_close(stats_mann_whitney_p(a, 7, b, 7), 0.0005827505827505828, 1e-15);
	assert_close(stats_mann_whitney_p(b, 7, a, 7), 0.0005827505827505828, 1e-15);
	assert_close(stats_mann_whitney_p(a, 7, c, 7), 0.25932400932400934, 1e-14);
	/* Ties: the normal approximation with its corrections. */
	assert_close(stats_mann_whitney_p(d, 3, e, 4), 0.20761741115484578, 1e-12);
	assert_close(stats_mann_whitney_p(z, 5, w, 6), 0.03203979188238383, 1e-12);
	/* A sample against itself: no evidence of any difference. */
	assert_close(stats_mann_whitney_p(a, 7, a, 7), 1.0, 0);
	/* Large samples (60 x 60 > 2500 pairs): the approximation. */
	for (int i = 0; i < 60; i++) {
		big1[i] = 1 + i / 59.0;
		big2[i] = 1.1 + i / 59.0;
	}
	assert_close(stats_mann_whitney_p(big1, 60, big2, 60), 0.09880047992003485, 1e-6);
}

static void test_t_distribution(void **state)
{
	(void)state;
	/* scipy's ppf is itself good to about 1e-9 (its cdf at its own 0.975
	 * quantile for df 6 is 0.97499999992), so quantiles get 1e-8. */
	assert_close(stats_t_quantile(0.975, 6), 2.4469118487916806, 1e-8);
	assert_close(stats_t_quantile(0.975, 1), 12.706204736432095, 1e-7);
	assert_close(stats_t_quantile(0.95, 30), 1.6972608943617378, 1e-8);
	assert_close(stats_t_quantile(0.975, 11.7), 2.1850251545484536, 1e-8);
	assert_close(stats_t_cdf(1.5, 3.3), 0.8887484016403541, 1e-12);
	assert_close(stats_t_cdf(-2.0, 5), 0.05096973941492914, 1e-12);
}

static void test_welch_interval(void **state)
{
	static const double a[] = { 1, 2, 3, 4, 5, 6, 7 };
	static const double c[] = { 1.5, 2.5, 8.5, 9.5, 3.5, 11, 12 };
	static const double x[] = { 0.101, 0.103, 0.099, 0.1, 0.104, 0.098, 0.102 };
	static const double y[] = { 0.2, 0.21, 0.19, 0.205, 0.198, 0.202, 0.199 };
	double low, high;

	(void)state;
	stats_welch_interval(a, 7, c, 7, 0.95, &low, &high);
	assert_close(low, -1.2176874731958343, 1e-7);
	assert_close(high, 7.074830330338692, 1e-7);
	stats_welch_interval(x, 7, y, 7, 0.95, &low, &high);
	assert_close(low, 0.09375948671458924, 1e-10);
	assert_close(high, 0.10538337042826797, 1e-10);
	stats_welch_interval(a, 7, a, 7, 0.95, &low, &high); /* centred on no change */
	assert_close(low, -high, 1e-12);
	assert_true(low < 0);
	stats_welch_interval(a, 1, c, 7, 0.95, &low, &high); /* one run: no interval */
	assert_true(isinf(low) && isinf(high));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_samples),
		cmocka_unit_test(test_input_not_modified),
		cmocka_unit_test(test_slow_outlier),
		cmocka_unit_test(test_mann_whitney),
		cmocka_unit_test(test_t_distribution),
		cmocka_unit_test(test_welch_interval),
	};
	return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}

/* Unit tests for src/report/noise.c: each warning fires exactly when its condition holds. */
#include "cmocka_all.h"

#include <string.h>

#include "report/noise.h"
#include "report/report.h"

/* A quiet system: performance governor, idle, 8 MB of cache. */
static struct system_info quiet_system(void)
{
	struct system_info s = { .online_cpus = 2, .load1 = 0.1, .llc_bytes = 8u << 20 };

	strcpy(s.governor, "performance");
	return s;
}

/* A steady result: 7 runs around 100 ms. */
static struct bench_result steady(const struct strategy *s)
{
	return (struct bench_result){ .strategy = s, .workers = 2, .runs = 7,
				      .time = { .n = 7, .mean = 0.1, .std = 0.002, .min = 0.097,
						.max = 0.104, .median = 0.1 } };
}

static const struct strategy fake = { .name = "pthread", .parallel = true };

static void test_quiet_run_has_no_warning(void **state)
{
	struct system_info s = quiet_system();
	struct bench_result r = steady(&fake);
	struct noise n;

	(void)state;
	noise_check(&s, 2400000000u, &r, 1, &n);
	assert_int_equal(n.count, 0);
	s.governor[0] = '\0'; /* unreadable: nothing to say */
	s.load1 = -1;
	s.llc_bytes = 0;
	noise_check(&s, 1000, &r, 1, &n);
	assert_int_equal(n.count, 0);
}

/* Each condition alone gives one warning, about the run or the result. */
static void test_each_condition(void **state)
{
	struct system_info s;
	struct bench_result r;
	struct noise n;

	(void)state;
	s = quiet_system();
	strcpy(s.governor, "powersave");
	r = steady(&fake);
	noise_check(&s, 2400000000u, &r, 1, &n);
	assert_int_equal(n.count, 1);
	assert_int_equal(n.warning[0].result, -1);
	assert_non_null(strstr(n.warning[0].text, "governor is 'powersave'"));

	s = quiet_system();
	s.load1 = 1.5; /* above half of 2 CPUs */
	noise_check(&s, 2400000000u, &r, 1, &n);
	assert_int_equal(n.count, 1);
	assert_non_null(strstr(n.warning[0].text, "load average is 1.50"));
	s.load1 = 1.0; /* exactly half: fine */
	noise_check(&s, 2400000000u, &r, 1, &n);
	assert_int_equal(n.count, 0);

	s = quiet_system();
	noise_check(&s, 8u << 20, &r, 1, &n); /* exactly the cache: fits */
	assert_int_equal(n.count, 1);
	assert_non_null(strstr(n.warning[0].text, "fits in the last-level cache"));
	noise_check(&s, (8u << 20) + 1, &r, 1, &n);
	assert_int_equal(n.count, 0);

	r = steady(&fake);
	r.time.std = 0.0101; /* 10.1% of the mean */
	noise_check(&s, 2400000000u, &r, 1, &n);
	assert_int_equal(n.count, 1);
	assert_int_equal(n.warning[0].result, 0);
	assert_non_null(strstr(n.warning[0].text, "pthread with 2 workers: relative standard deviation 10%"));
	r.time.std = 0.0099;
	noise_check(&s, 2400000000u, &r, 1, &n);
	assert_int_equal(n.count, 0);

	r = steady(&fake);
	r.time.min = 0.05;
	r.time.max = 0.21; /* 4.2 times */
	noise_check(&s, 2400000000u, &r, 1, &n);
	assert_int_equal(n.count, 1);
	assert_non_null(strstr(n.warning[0].text, "slowest run took 4.20 times"));
}

/*
 * A result that reads faster than the limit with as many workers allows,
 * past LIMIT_SLACK, is over the limit and warned about, with both figures;
 * one within the slack, or without a limit for its count, is not.
 */
static void test_beating_the_limit_is_warned(void **state)
{
	struct matrix m = { .rows = 1000, .cols = 125000, .bytes = 1000000000 };
	struct report_info info = { .m = &m, .limit_count = 1,
				    .limits = { { .workers = 2, .gbps = 10.0 } } };
	struct bench_result r[3] = { steady(&fake), steady(&fake), steady(&fake) };
	struct result_figures f[3];
	struct noise n = { 0 };

	(void)state;
	r[0].time.min = 0.05;   /* 20 GB/s: twice the limit */
	r[1].time.min = 0.0975; /* 10.26 GB/s: within the slack */
	r[2].time.min = 0.05;
	r[2].workers = 3;       /* no limit measured with 3 */
	report_figures(&info, r, 3, f);
	assert_true(f[0].over_limit);
	assert_false(f[1].over_limit);
	assert_true(f[1].has_limit);
	assert_false(f[2].over_limit);
	noise_check_limits(r, f, 3, &n);
	assert_int_equal(n.count, 1);
	assert_int_equal(n.warning[0].result, 0);
	assert_non_null(strstr(n.warning[0].text, "pthread with 2 workers read 20.0 GB/s, 100% above "
				"the read limit measured with as many (10.0 GB/s)"));
	assert_non_null(strstr(n.warning[0].text, "shown as >100%"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quiet_run_has_no_warning),
		cmocka_unit_test(test_each_condition),
		cmocka_unit_test(test_beating_the_limit_is_warned),
	};
	return cmocka_run_group_tests_name("noise", tests, NULL, NULL);
}

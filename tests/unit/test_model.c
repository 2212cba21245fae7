/* Unit tests for src/report/model.c: every derived figure, from known timings. */
#include "cmocka_all.h"

#include "report/model.h"
#include "report/report.h"

static const struct strategy seq = { .name = "seq" };
static const struct strategy threads = { .name = "pthread", .parallel = true };

/* A result of strategy s with `workers` whose fastest per-loop time is min. */
static struct bench_result result(const struct strategy *s, unsigned workers, double min)
{
	return (struct bench_result){ .strategy = s, .workers = workers,
				      .time = { .n = 1, .mean = min, .min = min, .max = min } };
}

/* GB/s over the matrix's bytes, the limit with as many workers, the
 * speedup over seq's fastest, whatever order the results come in. */
static void test_figures(void **state)
{
	struct matrix m = { .bytes = 2400000000u };
	struct report_info info = { .m = &m, .limit_count = 2,
				    .limits = { { 1, 20.0 }, { 2, 30.0 } } };
	struct bench_result r[] = { result(&threads, 2, 0.1), result(&seq, 1, 0.2),
				    result(&threads, 4, 0.08) };
	struct result_figures f[3];

	(void)state;
	report_figures(&info, r, 3, f);
	assert_close(f[0].gbps, 24.0, 1e-9);
	assert_true(f[0].has_limit);
	assert_close(f[0].limit_gbps, 30.0, 0);
	assert_close(f[0].limit_share, 0.8, 1e-12);
	assert_true(f[0].has_speedup);
	assert_close(f[0].speedup, 2.0, 1e-12);
	assert_close(f[1].speedup, 1.0, 0);
	assert_close(f[1].limit_share, 12.0 / 20.0, 1e-12);
	assert_false(f[2].has_limit); /* 4 workers: no limit measured */
	assert_close(f[2].speedup, 2.5, 1e-12);
	assert_close(report_gbps(&info, 1.2), 2.0, 1e-12);
}

/* Without seq there is no speedup; without a measured limit, no share. */
static void test_figures_without_seq_or_limit(void **state)
{
	struct matrix m = { .bytes = 1000000000u };
	struct report_info info = { .m = &m };
	struct bench_result r[] = { result(&threads, 2, 0.5) };
	struct result_figures f[1];

	(void)state;
	report_figures(&info, r, 1, f);
	assert_close(f[0].gbps, 2.0, 1e-12);
	assert_false(f[0].has_speedup);
	assert_false(f[0].has_limit);
	assert_close(report_limit(&info, 2), 0, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_figures),
		cmocka_unit_test(test_figures_without_seq_or_limit),
	};
	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}

/* Unit tests for src/report/model.c: every derived figure, from known timings. */
#include "cmocka_all.h"

#include "report/model.h"
#include "report/report.h"

static const struct strategy seq = { .name = "seq", .reference = true };
static const struct strategy threads = { .name = "pthread", .parallel = true,
					 .reference = true };

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
				    .limits = { { .workers = 1, .gbps = 20.0 },
						{ .workers = 2, .gbps = 30.0 } } };
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

/*
 * The references come from the strategies' flags, not their names: a
 * process strategy that is not fork is reported above the threads
 * reference with its workers, whatever that one is called, and gets the
 * fork floor when it forks in each call; the speedup is over the
 * one-worker reference.  Strategies called seq and pthread without the
 * flag are no references.
 */
static void test_references_by_flag_not_name(void **state)
{
	static const struct strategy one = { .name = "solo", .reference = true };
	static const struct strategy team = { .name = "team", .parallel = true,
					      .reference = true };
	static const struct strategy procs = { .name = "procs", .parallel = true,
					       .processes = true, .forks_each_call = true };
	static const struct strategy pool = { .name = "pool", .parallel = true,
					      .processes = true };
	static const struct strategy not_seq = { .name = "seq" };
	static const struct strategy not_pthread = { .name = "pthread", .parallel = true };
	struct matrix m = { .bytes = 1000000000u };
	struct report_info info = { .m = &m, .fork_floor_count = 1,
				    .fork_floors = { { .workers = 2, .seconds = 0.001 } } };
	struct bench_result r[] = { result(&not_seq, 1, 0.1), result(&not_pthread, 2, 0.01),
				    result(&procs, 2, 0.05), result(&team, 2, 0.04),
				    result(&one, 1, 0.2), result(&pool, 2, 0.045),
				    result(&procs, 4, 0.05) };
	struct result_figures f[7];

	(void)state;
	report_figures(&info, r, 7, f);
	assert_true(f[2].has_speedup);
	assert_close(f[2].speedup, 0.2 / 0.05, 1e-12); /* over solo, not "seq" */
	assert_close(f[0].speedup, 2.0, 1e-12);
	assert_ptr_equal(report_speedup_reference(r, 7), &one);
	assert_true(f[2].has_above);
	assert_ptr_equal(f[2].reference, &r[3]); /* team, not "pthread" */
	assert_close(f[2].above_reference, 0.01, 1e-12);
	assert_true(f[2].has_fork_floor);
	assert_close(f[2].fork_floor, 0.001, 0);
	assert_true(f[5].has_above); /* forked once: above, without the floor */
	assert_close(f[5].above_reference, 0.005, 1e-12);
	assert_false(f[5].has_fork_floor);
	assert_false(f[6].has_above); /* no team with 4 workers */
	for (size_t i = 0; i < 7; i++)
		if (r[i].strategy != &procs && r[i].strategy != &pool)
			assert_false(f[i].has_above); /* only process strategies */
	/* Without a flagged one-worker strategy: no speedup, whatever the names. */
	report_figures(&info, r, 4, f);
	assert_false(f[0].has_speedup);
	assert_false(f[2].has_speedup);
	assert_true(f[2].has_above);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_figures),
		cmocka_unit_test(test_figures_without_seq_or_limit),
		cmocka_unit_test(test_references_by_flag_not_name),
	};
	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}

/* Unit tests for src/measure/timing.c: the %timeit protocol on a fake clock. */
#include "cmocka_all.h"

#include "measure/timing.h"

/* A fake benchmark: each call advances a virtual clock by `cost`. */
static struct fake {
	double clock, cost;
	unsigned calls, fail_at, before, after;
} fake;

static double fake_now(void)
{
	return fake.clock;
}

static enum cb_status fake_call(void *ctx, struct cb_error *err)
{
	(void)ctx;
	if (++fake.calls == fake.fail_at)
		return cb_fail(err, CB_SYSTEM, "call %u failed", fake.calls);
	fake.clock += fake.cost;
	return CB_OK;
}

static enum cb_status fake_before(void *ctx, unsigned run, struct cb_error *err)
{
	(void)ctx;
	(void)err;
	assert_int_equal(run, fake.before);
	fake.before++;
	return CB_OK;
}

static enum cb_status fake_after(void *ctx, unsigned run, struct cb_error *err)
{
	(void)ctx;
	(void)err;
	assert_int_equal(run, fake.after);
	fake.after++;
	return CB_OK;
}

static const struct timed_call fake_timed = { .call = fake_call, .before_run = fake_before,
					      .after_run = fake_after, .now = fake_now };

static void reset(double cost)
{
	fake = (struct fake){ .cost = cost };
}

/* Per-call cost -> loops IPython's autorange picks (0.2 s target). */
static const struct { double cost; unsigned loops; } autorange_cases[] = {
	{ 1.5, 1 },      { 0.2, 1 },       { 0.15, 10 },   { 0.05, 10 },
	{ 0.019, 100 },  { 0.003, 100 },   { 1e-4, 10000 }, { 2.5e-5, 10000 },
	{ 1.9e-5, 100000 },
};

static void test_autorange_loops(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(autorange_cases) / sizeof(autorange_cases[0]); i++) {
		unsigned loops = 0, expected_calls = 0;
		struct cb_error err;

		reset(autorange_cases[i].cost);
		assert_int_equal(timing_autorange(&fake_timed, &loops, &err), CB_OK);
		assert_int_equal(loops, autorange_cases[i].loops);
		/* It tried 1, 10, ... up to the chosen count, each once. */
		for (unsigned n = 1; n <= loops; n *= 10)
			expected_calls += n;
		assert_int_equal(fake.calls, expected_calls);
	}
}

static void test_measure_fixed_number(void **state)
{
	struct timing_config cfg = { .number = 5, .repeat = 7, .warmup = 2 };
	double per_loop[7];
	unsigned loops;
	struct cb_error err;

	(void)state;
	reset(0.01);
	assert_int_equal(timing_measure(&fake_timed, &cfg, per_loop, &loops, &err), CB_OK);
	assert_int_equal(loops, 5);
	assert_int_equal(fake.calls, 2 + 7 * 5); /* warm-up, then the runs */
	assert_int_equal(fake.before, 7);
	assert_int_equal(fake.after, 7);
	for (int i = 0; i < 7; i++)
		assert_close(per_loop[i], 0.01, 1e-12);
}

static void test_measure_autorange(void **state)
{
	struct timing_config cfg = { .number = 0, .repeat = 3, .warmup = 1 };
	double per_loop[3];
	unsigned loops;
	struct cb_error err;

	(void)state;
	reset(0.05);
	assert_int_equal(timing_measure(&fake_timed, &cfg, per_loop, &loops, &err), CB_OK);
	assert_int_equal(loops, 10);
	assert_int_equal(fake.calls, 1 + (1 + 10) + 3 * 10);
	assert_close(per_loop[2], 0.05, 1e-12);
}

static void test_measure_stops_on_failure(void **state)
{
	struct timing_config cfg = { .number = 4, .repeat = 7, .warmup = 1 };
	double per_loop[7];
	unsigned loops;
	struct cb_error err = { "" };

	(void)state;
	reset(0.01);
	fake.fail_at = 7; /* the warm-up call, then run 0 (4), then 2nd call of run 1 */
	assert_int_equal(timing_measure(&fake_timed, &cfg, per_loop, &loops, &err),
			 CB_SYSTEM);
	assert_string_equal(err.msg, "call 7 failed");
	assert_int_equal(fake.calls, 7);
	assert_int_equal(fake.after, 1); /* run 1 never finished */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_autorange_loops),
		cmocka_unit_test(test_measure_fixed_number),
		cmocka_unit_test(test_measure_autorange),
		cmocka_unit_test(test_measure_stops_on_failure),
	};
	return cmocka_run_group_tests_name("timing", tests, NULL, NULL);
}

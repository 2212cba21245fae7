/*
 * Unit tests for src/measure/disturbance.c's judgement: figures read on the
 * 2-core development VM (idle: a few hundredths of a CPU of other work; a
 * `while :` loop per CPU: a CPU or more), over windows long and short.
 */
#include "cmocka_all.h"

#include <math.h>

#include "measure/disturbance.h"

/* Judge `n` equal runs of `wall` seconds, own and others in CPUs' worth. */
static struct disturbance_total judge_runs(size_t n, double wall, double own, double others,
					   double stolen, unsigned cpus)
{
	struct disturbance runs[16];
	const struct disturbance *p[16];

	assert_true(n <= 16);
	for (size_t i = 0; i < n; i++) {
		runs[i] = (struct disturbance){ .wall = wall, .own = own * wall,
						.others = others * wall, .stolen = stolen * wall };
		p[i] = &runs[i];
	}
	return disturbance_judge(p, n, cpus);
}

static void test_idle_and_busy(void **state)
{
	(void)state;
	/* seq (one CPU) on two: idle passes; a loop on the other CPU, the
	 * one kept in reserve, does not, though colbench kept a whole CPU. */
	assert_false(judge_runs(3, 0.15, 1.0, 0.04, 0, 2).disturbed);
	assert_true(judge_runs(3, 0.15, 1.0, 1.0, 0, 2).disturbed);
	/* seq on four CPUs: two idle beyond the reserve, so a loop there passes. */
	assert_false(judge_runs(3, 0.15, 1.0, 1.0, 0, 4).disturbed);
	assert_true(judge_runs(3, 0.15, 1.0, 2.5, 0, 4).disturbed);
	/* Starved to a third of a CPU, the rest of both CPUs went elsewhere. */
	assert_true(judge_runs(3, 0.15, 0.33, 1.67, 0, 2).disturbed);
	/* Two workers on two CPUs: nothing left idle, a third of a CPU is too much. */
	assert_false(judge_runs(3, 0.15, 2.0, 0.1, 0, 2).disturbed);
	assert_true(judge_runs(3, 0.15, 2.0, 0.5, 0, 2).disturbed);
	/* Steal. */
	assert_true(judge_runs(3, 0.15, 1.0, 0.0, 0.3, 2).disturbed);
}

/*
 * A process whose runs were short in all (the first process's calibration
 * made under load, the others then faster) is still judged: its limit
 * allows for the ticks' rounding, no more.
 */
static void test_short_windows(void **state)
{
	struct disturbance_total t;

	(void)state;
	/* 0.24 s in all: every CPU busy is caught... */
	t = judge_runs(3, 0.08, 0.7, 1.3, 0, 2);
	assert_true(t.disturbed);
	assert_float_equal(t.others, 1.3, 1e-9);
	/* ...two ticks of rounding (0.08 of a CPU) on an idle machine is not. */
	assert_false(judge_runs(3, 0.08, 1.0, 0.08, 0, 2).disturbed);
	/* 0.1 s: rounding may read 0.2 of a CPU; a CPU of other work still shows. */
	assert_false(judge_runs(1, 0.1, 1.0, 0.2, 0, 2).disturbed);
	assert_true(judge_runs(1, 0.1, 1.0, 1.0, 0, 2).disturbed);
	/* Under DISTURBANCE_MIN_WINDOW: not judged, and said so (NAN). */
	t = judge_runs(2, 0.02, 1.0, 2.0, 0, 2);
	assert_false(t.disturbed);
	assert_true(isnan(t.others));
}

/* A reading the machine could not give passes, and nothing at all is no window. */
static void test_unknown_readings(void **state)
{
	(void)state;
	assert_false(judge_runs(3, 0.2, 1.0, NAN, NAN, 2).disturbed);
	assert_false(disturbance_judge(NULL, 0, 2).disturbed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idle_and_busy),
		cmocka_unit_test(test_short_windows),
		cmocka_unit_test(test_unknown_readings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

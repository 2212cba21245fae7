/*
 * Unit tests for src/report/history.c: change points in synthetic series
 * whose steps are known: none in noise alone, one step found where it is
 * (in the middle, at the first and the last place a step can be), two,
 * a single outlier named and never a step, the last report apart, and a
 * series too short to tell.
 */
#include "cmocka_all.h"

#include <math.h>

#include "report/history.h"

#define N 20

/* Levels of 1 ms with a fixed +-1% noise (the same every run). */
static void noisy(double *x, size_t n)
{
	unsigned long long state = 12345;

	for (size_t i = 0; i < n; i++) {
		state = state * 6364136223846793005ull + 1442695040888963407ull;
		x[i] = 1e-3 * (1 + 0.01 * ((double)(state >> 11) / 9007199254740992.0 * 2 - 1));
	}
}

static void scale_from(double *x, size_t n, size_t from, double by)
{
	for (size_t i = from; i < n; i++)
		x[i] *= by;
}

static void test_noise_alone_has_no_step(void **state)
{
	double x[N];
	struct history_fit f;

	(void)state;
	noisy(x, N);
	assert_true(history_fit(x, N, &f));
	assert_int_equal(f.step_count, 0);
	assert_false(f.last_apart);
	for (size_t i = 0; i < N; i++)
		assert_false(f.outlier[i]);
	assert_true(f.noise > 0.001 && f.noise < 0.02);
	history_fit_free(&f);
}

/* One 15% step before level at: found there, its ratio's interval
 * holding 1.15. */
static void one_step_at(size_t at)
{
	double x[N];
	struct history_fit f;

	noisy(x, N);
	scale_from(x, N, at, 1.15);
	assert_true(history_fit(x, N, &f));
	assert_int_equal(f.step_count, 1);
	assert_int_equal(f.steps[0].at, at);
	assert_true(f.steps[0].low < 1.15 && f.steps[0].high > 1.15);
	assert_true(fabs(f.steps[0].ratio - 1.15) < 0.02);
	assert_false(f.last_apart);
	history_fit_free(&f);
}

static void test_a_step_in_the_middle(void **state)
{
	(void)state;
	one_step_at(N / 2);
}

static void test_steps_at_the_first_and_last_places(void **state)
{
	(void)state;
	one_step_at(HISTORY_MIN_RUN);
	one_step_at(N - HISTORY_MIN_RUN);
}

static void test_a_step_down_and_back(void **state)
{
	double x[N];
	struct history_fit f;

	(void)state;
	noisy(x, N);
	scale_from(x, N, 6, 0.8);
	scale_from(x, N, 13, 1.25);
	assert_true(history_fit(x, N, &f));
	assert_int_equal(f.step_count, 2);
	assert_int_equal(f.steps[0].at, 6);
	assert_true(f.steps[0].ratio < 0.85);
	assert_int_equal(f.steps[1].at, 13);
	assert_true(f.steps[1].ratio > 1.2);
	history_fit_free(&f);
}

/* A single report 30% slower, anywhere but last: an outlier, no step. */
static void test_a_single_outlier_is_not_a_step(void **state)
{
	size_t places[] = { 0, 1, 7, N / 2, N - 2 };

	(void)state;
	for (size_t k = 0; k < sizeof(places) / sizeof(places[0]); k++) {
		double x[N];
		struct history_fit f;

		noisy(x, N);
		x[places[k]] *= 1.3;
		assert_true(history_fit(x, N, &f));
		assert_int_equal(f.step_count, 0);
		assert_true(f.outlier[places[k]]);
		for (size_t i = 0; i < N; i++)
			assert_true(f.outlier[i] == (i == places[k]));
		history_fit_free(&f);
	}
}

static void test_the_last_report_apart(void **state)
{
	double x[N];
	struct history_fit f;

	(void)state;
	noisy(x, N);
	x[N - 1] *= 1.2;
	assert_true(history_fit(x, N, &f));
	assert_int_equal(f.step_count, 0);
	assert_true(f.last_apart);
	assert_true(fabs(f.last_ratio - 1.2) < 0.03);
	history_fit_free(&f);
}

static void test_too_short_to_tell(void **state)
{
	double x[3] = { 1e-3, 1e-3, 2e-3 };
	struct history_fit f;

	(void)state;
	assert_true(history_fit(x, 3, &f));
	assert_int_equal(f.step_count, 0);
	history_fit_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_noise_alone_has_no_step),
		cmocka_unit_test(test_a_step_in_the_middle),
		cmocka_unit_test(test_steps_at_the_first_and_last_places),
		cmocka_unit_test(test_a_step_down_and_back),
		cmocka_unit_test(test_a_single_outlier_is_not_a_step),
		cmocka_unit_test(test_the_last_report_apart),
		cmocka_unit_test(test_too_short_to_tell),
	};

	return cmocka_run_group_tests_name("history", tests, NULL, NULL);
}

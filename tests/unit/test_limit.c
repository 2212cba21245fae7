/* Unit tests for src/measure/limit.c and src/os/pin.c: a limit is measured over its
 * patterns and rounds, pinning binds. */
#include "cmocka_all.h"

#include <math.h>
#include <sched.h>

#include "measure/limit.h"
#include "os/pin.h"

static void test_limit_is_a_rate(void **state)
{
	struct matrix m = test_matrix(1000, 301, LAYOUT_F, 1, 2);
	struct cb_error err;

	(void)state;
	for (unsigned threads = 1; threads <= 5; threads += 2) {
		struct limit l = { 0 };
		struct limit_probe *p;

		assert_int_equal(limit_probe_open(&m, &threads, 1, threads == 3, &p, &err), CB_OK);
		assert_int_equal(limit_probe_measure(p, &err), CB_OK);
		limit_probe_results(p, &l);
		limit_probe_close(p);
		assert_true(isfinite(l.gbps) && l.gbps > 0.01);
		assert_int_equal(l.workers, threads);
		assert_int_equal(l.rounds, LIMIT_RUNS);
		assert_true(l.pattern < LIMIT_PATTERNS);
	}
	matrix_free(&m);
}

/* A probe for several counts, both layouts, more workers than columns
 * (or rows): every count gets its rounds and a pattern that won. */
static void test_probe_rounds(void **state)
{
	static const unsigned counts[] = { 1, 2, 7 };

	(void)state;
	for (int layout = 0; layout < 2; layout++) {
		struct matrix m = test_matrix(5, 3, layout ? LAYOUT_C : LAYOUT_F, 1, 3);
		struct limit out[3];
		struct limit_probe *p;
		struct cb_error err;

		assert_int_equal(limit_probe_open(&m, counts, 3, false, &p, &err), CB_OK);
		assert_int_equal(limit_probe_count(p), 3);
		assert_int_equal(limit_probe_warm(p, &err), CB_OK);
		for (unsigned round = 0; round < 4; round++)
			assert_int_equal(limit_probe_round(p, round, &err), CB_OK);
		limit_probe_results(p, out);
		for (int i = 0; i < 3; i++) {
			assert_int_equal(out[i].workers, counts[i]);
			assert_int_equal(out[i].rounds, 4);
			assert_true(out[i].gbps > 0 && isfinite(out[i].gbps));
			assert_true(out[i].pattern < LIMIT_PATTERNS);
		}
		limit_probe_close(p);
		matrix_free(&m);
	}
}

/* Another process's passes merge in: each pattern's best, the best of
 * all with its pattern, the rounds added. */
static void test_merge(void **state)
{
	struct limit a = { .workers = 2, .pattern = LIMIT_FLAT, .gbps = 30, .rounds = 3,
			   .by_pattern = { 20, 25, 30 } };
	const struct limit b = { .workers = 2, .pattern = LIMIT_COLUMNS, .gbps = 32, .rounds = 4,
				 .by_pattern = { 32, 10, 29 } };

	(void)state;
	limit_merge(&a, &b);
	assert_int_equal(a.pattern, LIMIT_COLUMNS);
	assert_close(a.gbps, 32, 0);
	assert_close(a.by_pattern[LIMIT_COLUMNS], 32, 0);
	assert_close(a.by_pattern[LIMIT_STREAMS], 25, 0);
	assert_close(a.by_pattern[LIMIT_FLAT], 30, 0);
	assert_int_equal(a.rounds, 7);
}

static void test_pattern_names(void **state)
{
	(void)state;
	assert_string_equal(limit_pattern_name(LIMIT_COLUMNS), "columns");
	assert_string_equal(limit_pattern_name(LIMIT_STREAMS), "streams");
	assert_string_equal(limit_pattern_name(LIMIT_FLAT), "flat");
	assert_string_equal(limit_pattern_name(LIMIT_PATTERNS), "?");
}

/* The number of CPUs the calling thread may run on now. */
static int cpus_now(void)
{
	cpu_set_t set;

	assert_int_equal(sched_getaffinity(0, sizeof(set), &set), 0);
	return CPU_COUNT(&set);
}

static void test_pin_and_restore(void **state)
{
	unsigned allowed = pin_allowed_cpus();

	(void)state;
	assert_true(allowed >= 1);
	assert_int_equal(cpus_now(), (int)allowed);
	assert_int_equal(pin_to_cpu(allowed + 1), 0); /* wraps around */
	assert_int_equal(cpus_now(), 1);
	assert_int_equal(pin_restore(), 0);
	assert_int_equal(cpus_now(), (int)allowed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limit_is_a_rate),
		cmocka_unit_test(test_probe_rounds),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_pattern_names),
		cmocka_unit_test(test_pin_and_restore),
	};
	return cmocka_run_group_tests_name("limit", tests, NULL, NULL);
}

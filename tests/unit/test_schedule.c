/*
 * Unit tests for src/measure/schedule.c: the order of turns is a seeded
 * permutation, and work beside the pairs (the read limit) is warmed up once
 * and takes one turn a round, its failure ending the schedule.
 */
#include "cmocka_all.h"

#include <string.h>

#include "measure/schedule.h"

static void test_order_is_a_seeded_permutation(void **state)
{
	size_t a[9], b[9], c[9];
	bool seen[9] = { false };

	(void)state;
	schedule_order(a, 9, 7);
	schedule_order(b, 9, 7);
	schedule_order(c, 9, 8);
	assert_memory_equal(a, b, sizeof(a));
	assert_true(memcmp(a, c, sizeof(a)) != 0); /* these two seeds differ (9! orders) */
	for (size_t i = 0; i < 9; i++) {
		assert_true(a[i] < 9);
		assert_false(seen[a[i]]);
		seen[a[i]] = true;
	}
}

/* What the extra turn saw: its calls, and the rounds it was given. */
struct turn_log {
	unsigned warmed, rounds, fail_at;
	unsigned round_seen[16];
};

static enum cb_status log_warm(void *arg, struct cb_error *err)
{
	struct turn_log *log = arg;

	(void)err;
	log->warmed++;
	return CB_OK;
}

static enum cb_status log_round(void *arg, unsigned round, struct cb_error *err)
{
	struct turn_log *log = arg;

	if (log->rounds == log->fail_at)
		return cb_fail(err, CB_SYSTEM, "the extra turn failed");
	log->round_seen[log->rounds++] = round;
	return CB_OK;
}

/* Two pairs of seq with 3 and 5 runs: 5 rounds, the extra in each. */
static void run_two_pairs(struct turn_log *log, enum cb_status want)
{
	struct matrix m = test_matrix(40, 9, LAYOUT_F, 4, 1);
	const struct strategy *seq = strategy_find("seq");
	struct bench_result res[2];
	struct schedule_pair pairs[2];
	struct schedule_turn extra = { log_warm, log_round, log };
	struct reference ref;
	struct cb_error err;

	assert_non_null(seq);
	assert_int_equal(reference_compute(&m, 1, &ref, &err), CB_OK);
	for (int i = 0; i < 2; i++)
		pairs[i] = (struct schedule_pair){
			.s = seq, .res = &res[i],
			.setup = { .m = &m, .kernel = kernel_find("simd"), .workers = 1 },
			.timing = { .number = 1, .repeat = i ? 5 : 3, .warmup = 0 } };
	assert_int_equal(schedule_interleaved(pairs, 2, &extra, &ref, 3, &err), want);
	if (want == CB_OK) {
		assert_int_equal(res[0].runs, 3);
		assert_int_equal(res[1].runs, 5);
		assert_true(res[0].verdict.ok && res[1].verdict.ok);
		assert_int_equal(res[1].process[4], 3);
		bench_result_free(&res[0]);
		bench_result_free(&res[1]);
	} else {
		assert_string_equal(err.msg, "the extra turn failed");
	}
	reference_free(&ref);
	matrix_free(&m);
}

static void test_extra_turn_every_round(void **state)
{
	struct turn_log log = { .fail_at = 99 };

	(void)state;
	run_two_pairs(&log, CB_OK);
	assert_int_equal(log.warmed, 1);
	assert_int_equal(log.rounds, 5); /* the most runs of any pair */
	for (unsigned r = 0; r < 5; r++)
		assert_int_equal(log.round_seen[r], r);
}

static void test_extra_turn_failure_ends_the_schedule(void **state)
{
	struct turn_log log = { .fail_at = 2 };

	(void)state;
	run_two_pairs(&log, CB_SYSTEM); /* its results freed: ASan and valgrind see leaks */
	assert_int_equal(log.rounds, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_is_a_seeded_permutation),
		cmocka_unit_test(test_extra_turn_every_round),
		cmocka_unit_test(test_extra_turn_failure_ends_the_schedule),
	};
	return cmocka_run_group_tests_name("schedule", tests, NULL, NULL);
}

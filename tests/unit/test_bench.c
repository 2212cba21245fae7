/*
 * Unit tests for src/measure/bench.c: results are verified, and a strategy that
 * stops computing cannot pass on the sums of an earlier call.
 */
#include "cmocka_all.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "measure/bench.h"

/* A strategy that computes into its own buffer on the first call only and
 * then just copies that buffer out: what a fork worker skipping its block
 * would look like. */
struct lazy_state {
	double *kept;
	unsigned calls;
};

static enum cb_status lazy_prepare(struct strategy_run *run, struct cb_error *err)
{
	struct lazy_state *st = calloc(1, sizeof(*st));

	(void)err;
	st->kept = calloc(run->m->cols, sizeof(double));
	run->state = st;
	return CB_OK;
}

static enum cb_status lazy_call(struct strategy_run *run, struct call_costs *costs,
				struct cb_error *err)
{
	struct lazy_state *st = run->state;

	(void)err;
	if (st->calls++ == 0)
		block_sum(run, 0, st->kept);
	memcpy(run->sums, st->kept, run->m->cols * sizeof(double));
	*costs = (struct call_costs){ 0 };
	return CB_OK;
}

static void lazy_release(struct strategy_run *run)
{
	struct lazy_state *st = run->state;

	free(st->kept);
	free(st);
}

static void lazy_poison(struct strategy_run *run)
{
	struct lazy_state *st = run->state;

	for (size_t c = 0; c < run->m->cols; c++)
		st->kept[c] = NAN;
}

static void test_stale_result_fails(void **state)
{
	struct strategy lazy = { .name = "lazy", .summary = "computes once",
				 .prepare = lazy_prepare, .call = lazy_call,
				 .release = lazy_release, .poison = lazy_poison };
	struct matrix m = test_matrix(40, 9, LAYOUT_F, 4, 1);
	const struct kernel *k = kernel_find("simd");
	struct strategy_run setup = { .m = &m, .kernel = k, .workers = 1 };
	struct timing_config cfg = { .number = 2, .repeat = 3, .warmup = 1 };
	struct reference ref;
	struct bench_result res;
	struct cb_error err;

	(void)state;
	assert_int_equal(reference_compute(&m, 1, &ref, &err), CB_OK);
	/* Without the poison hook the stale copy would pass. */
	lazy.poison = NULL;
	assert_int_equal(bench_run(&lazy, &setup, &ref, &cfg, &res, &err), CB_OK);
	assert_true(res.verdict.ok);
	bench_result_free(&res);
	/* With it, the first timed run already sees NaN. */
	lazy.poison = lazy_poison;
	assert_int_equal(bench_run(&lazy, &setup, &ref, &cfg, &res, &err), CB_OK);
	assert_false(res.verdict.ok);
	assert_int_equal(res.verdict.bad_col, 0);
	bench_result_free(&res);
	reference_free(&ref);
	matrix_free(&m);
}

static void test_every_strategy_verifies(void **state)
{
	size_t count;
	const struct strategy *const *all = strategy_all(&count);
	struct matrix m = test_matrix(33, 17, LAYOUT_C, 5, 2);
	struct strategy_run setup = { .m = &m, .kernel = kernel_find("pairwise"),
				      .workers = 3 };
	struct timing_config cfg = { .number = 3, .repeat = 2, .warmup = 0 };
	struct reference ref;
	struct cb_error err;

	(void)state;
	assert_int_equal(reference_compute(&m, 2, &ref, &err), CB_OK);
	for (size_t i = 0; i < count; i++) {
		struct bench_result res;

		if (all[i]->distributed) /* mpi runs under mpirun only: tests/cli/mpi.bats */
			continue;
		assert_int_equal(bench_run(all[i], &setup, &ref, &cfg, &res, &err), CB_OK);
		assert_true(res.verdict.ok);
		assert_int_equal(res.loops, 3);
		assert_int_equal(res.runs, 2);
		assert_int_equal(res.workers, all[i]->parallel ? 3 : 1);
		assert_true(res.time.min > 0 && res.time.min <= res.time.max);
		bench_result_free(&res);
	}
	reference_free(&ref);
	matrix_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stale_result_fails),
		cmocka_unit_test(test_every_strategy_verifies),
	};
	return cmocka_run_group_tests_name("bench", tests, NULL, NULL);
}

/*
 * Unit tests for src/os/threads.c: threads_run runs every index once; a pool
 * runs each run on its first n threads, the same threads run after run,
 * and refuses more than it has.
 */
#include "cmocka_all.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "os/threads.h"

#define MOST 6

/* What the threads of one test did: calls per index, and who made them. */
struct tally {
	atomic_uint calls[MOST];
	pthread_t who[MOST];
};

static void count_call(void *arg, unsigned index)
{
	struct tally *t = arg;

	atomic_fetch_add(&t->calls[index], 1);
	t->who[index] = pthread_self(); /* each index is one thread's alone */
}

static void test_run_each_index_once(void **state)
{
	struct tally t;
	struct cb_error err;

	(void)state;
	memset(&t, 0, sizeof(t));
	assert_int_equal(threads_run(MOST, count_call, &t, &err), CB_OK);
	for (int i = 0; i < MOST; i++)
		assert_int_equal(atomic_load(&t.calls[i]), 1);
}

static void test_pool_runs_on_its_first_threads(void **state)
{
	struct thread_pool *pool;
	struct tally t;
	pthread_t first[MOST];
	struct cb_error err;

	(void)state;
	memset(&t, 0, sizeof(t));
	assert_int_equal(threads_pool_start(MOST, &pool, &err), CB_OK);
	assert_int_equal(threads_pool_run(pool, MOST, count_call, &t, &err), CB_OK);
	memcpy(first, t.who, sizeof(first));
	for (unsigned n = 1; n <= MOST; n++)
		assert_int_equal(threads_pool_run(pool, n, count_call, &t, &err), CB_OK);
	/* Index i ran once in the first run and in every run of n > i. */
	for (unsigned i = 0; i < MOST; i++) {
		assert_int_equal(atomic_load(&t.calls[i]), 1 + MOST - i);
		assert_true(pthread_equal(t.who[i], first[i])); /* the same thread */
		assert_false(pthread_equal(t.who[i], pthread_self()));
	}
	assert_int_equal(threads_pool_run(pool, MOST + 1, count_call, &t, &err), CB_SYSTEM);
	assert_string_equal(err.msg, "a pool of 6 threads asked to run 7");
	threads_pool_stop(pool);
	threads_pool_stop(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_each_index_once),
		cmocka_unit_test(test_pool_runs_on_its_first_threads),
	};
	return cmocka_run_group_tests_name("threads", tests, NULL, NULL);
}

/* Unit tests for src/measure/limit.c and src/os/pin.c: a limit is measured, pinning binds. */
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
		double gbps = 0;

		assert_int_equal(limit_measure(&m, threads, threads == 3, &gbps, &err), CB_OK);
		assert_true(isfinite(gbps) && gbps > 0.01);
	}
	matrix_free(&m);
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
		cmocka_unit_test(test_pin_and_restore),
	};
	return cmocka_run_group_tests_name("limit", tests, NULL, NULL);
}

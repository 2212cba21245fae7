/* Unit tests for src/os/sysinfo.c: which memory limit the size check obeys. */
#include "cmocka_all.h"

#include <string.h>

#include "os/sysinfo.h"

/* The smallest known candidate wins, named; unknown ones never do. */
static void test_headroom_pick_smallest_known(void **state)
{
	struct memory_candidate c[] = {
		{ 1, 8000, "MemAvailable" },
		{ 1, 3000, "the memory cgroup's limit, /x/memory.max" },
		{ 0, 10, "the address-space limit, ulimit -v" }, /* unreadable: ignored */
		{ 1, 5000, "the data-segment limit, ulimit -d" },
	};
	struct memory_headroom h;

	(void)state;
	assert_true(memory_headroom_pick(c, 4, &h));
	assert_int_equal(h.bytes, 3000);
	assert_string_equal(h.source, "the memory cgroup's limit, /x/memory.max");
	c[0].bytes = 100; /* a host with less available than the cgroup allows */
	assert_true(memory_headroom_pick(c, 4, &h));
	assert_int_equal(h.bytes, 100);
	assert_string_equal(h.source, "MemAvailable");
}

/* With nothing known, nothing is picked and the output is left alone. */
static void test_headroom_pick_none_known(void **state)
{
	struct memory_candidate c[] = { { 0, 1, "MemAvailable" }, { 0, 2, "cgroup" } };
	struct memory_headroom h = { .bytes = 42, .source = "untouched" };

	(void)state;
	assert_false(memory_headroom_pick(c, 2, &h));
	assert_int_equal(h.bytes, 42);
	assert_string_equal(h.source, "untouched");
}

/* On this machine some limit is always readable or physical memory is
 * used: never zero bytes with no name. */
static void test_headroom_has_a_source(void **state)
{
	struct memory_headroom h;

	(void)state;
	sysinfo_memory_headroom(&h);
	assert_true(h.bytes > 0);
	assert_true(strlen(h.source) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headroom_pick_smallest_known),
		cmocka_unit_test(test_headroom_pick_none_known),
		cmocka_unit_test(test_headroom_has_a_source),
	};
	return cmocka_run_group_tests_name("sysinfo", tests, NULL, NULL);
}

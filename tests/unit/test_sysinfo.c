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

/* A refusal's two figures never read alike: as many decimals as it takes. */
static void test_shortfall_text(void **state)
{
	static const struct { uint64_t need, have; const char *says; } cases[] = {
		{ 8000000000000ull, 3000000000ull, "needs 8000.00 GB, but only 3.00 GB" },
		{ 400000000, 300000000, "needs 0.40 GB, but only 0.30 GB" },
		{ 41200000, 40400000, "needs 0.041 GB, but only 0.040 GB" },
		{ 40000100, 40000000, "needs 0.0400001 GB, but only 0.0400000 GB" },
		{ 1000000000001ull, 1000000000000ull, "needs 1000.000000001 GB, but only 1000.000000000 GB" },
		{ 7, 6, "needs 0.000000007 GB, but only 0.000000006 GB" },
		{ 3000000000000000001ull, 3000000000000000000ull,
		  "needs 3000000000000000001 bytes, but only 3000000000000000000 bytes" },
	};
	char buf[128];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memory_shortfall_text(buf, sizeof(buf), cases[i].need, cases[i].have);
		assert_string_equal(buf, cases[i].says);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headroom_pick_smallest_known),
		cmocka_unit_test(test_headroom_pick_none_known),
		cmocka_unit_test(test_headroom_has_a_source),
		cmocka_unit_test(test_shortfall_text),
	};
	return cmocka_run_group_tests_name("sysinfo", tests, NULL, NULL);
}

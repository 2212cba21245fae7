/* Unit tests for src/report/report.c: IPython's time format and the %timeit line. */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

/* Expected strings come from IPython's own _format_time (precision 3). */
static const struct { double seconds; const char *text; } timespans[] = {
	{ 0.146, "146 ms" },     { 1.5e-06, "1.5 \u00b5s" }, { 0.0781, "78.1 ms" },
	{ 0.0012, "1.2 ms" },    { 0.2, "200 ms" },          { 1.0, "1 s" },
	{ 5.25, "5.25 s" },      { 59.9, "59.9 s" },         { 60.0, "1min" },
	{ 65.3, "1min 5s" },     { 3725.0, "1h 2min 5s" },   { 90061.5, "1d 1h 1min 1s" },
	{ 0.9996, "1e+03 ms" },  { 1e-09, "1 ns" },          { 3.2e-10, "0.32 ns" },
	{ 0.0, "0 ns" },         { 1e-12, "0.001 ns" },      { 0.001, "1 ms" },
	{ 12.345, "12.3 s" },    { 0.000999, "999 \u00b5s" },
};

static void test_timespan(void **state)
{
	char buf[64];

	(void)state;
	for (size_t i = 0; i < sizeof(timespans) / sizeof(timespans[0]); i++)
		assert_string_equal(report_timespan(timespans[i].seconds, 3, buf, sizeof(buf)),
				    timespans[i].text);
}

/* The %timeit line for a result with the given statistics. */
static char *timeit_line(const char *name, unsigned workers, double mean,
			 double std, double min, double max, unsigned runs,
			 unsigned loops, size_t width)
{
	const struct strategy s = { .name = name, .parallel = true };
	struct bench_result r = { .strategy = &s, .workers = workers, .runs = runs,
				  .loops = loops,
				  .time = { .n = runs, .mean = mean, .std = std,
					    .min = min, .max = max } };
	char *text = NULL;
	size_t len;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	report_timeit_line(out, &r, width);
	assert_int_equal(fclose(out), 0);
	return text;
}

static void test_timeit_line(void **state)
{
	char *line;

	(void)state;
	/* The example line of the issue, and IPython's own phrase. */
	line = timeit_line("pthread", 2, 0.0781, 0.0012, 0.077, 0.080, 7, 10, 7);
	assert_string_equal(line, "pthread  2 workers  78.1 ms \u00b1 1.2 ms per loop "
			    "(mean \u00b1 std. dev. of 7 runs, 10 loops each)\n");
	free(line);
	/* Singular run and loop; one worker lines up with "workers". */
	line = timeit_line("seq", 1, 0.146, 0.014, 0.14, 0.15, 1, 1, 7);
	assert_string_equal(line, "seq      1 worker   146 ms \u00b1 14 ms per loop "
			    "(mean \u00b1 std. dev. of 1 run, 1 loop each)\n");
	free(line);
	/* Loop counts with thousands separators, as Python's {:,}. */
	line = timeit_line("fork", 16, 1.5e-6, 2e-8, 1.4e-6, 1.6e-6, 7, 100000, 4);
	assert_string_equal(line, "fork 16 workers  1.5 \u00b5s \u00b1 20 ns per loop "
			    "(mean \u00b1 std. dev. of 7 runs, 100,000 loops each)\n");
	free(line);
}

static void test_slow_run_warning(void **state)
{
	char *line;

	(void)state;
	line = timeit_line("seq", 1, 0.2, 0.1, 0.1, 0.5, 7, 1, 3);
	assert_non_null(strstr(line, "The slowest run took 5.00 times longer than the "
				     "fastest. This could mean that an intermediate "
				     "result is being cached.\nseq "));
	free(line);
	line = timeit_line("seq", 1, 0.2, 0.1, 0.1, 0.39, 7, 1, 3);
	assert_null(strstr(line, "slowest"));
	free(line);
}

/*
 * The summary names the references it found by flag (model.h), whatever
 * they are called: a process strategy that is not fork gets fork's line
 * above the threads reference, its fork floor's share, and the
 * reference's start-up and wind-down; the speedup's legend and the
 * kernels' survey name their strategies too.
 */
static void test_summary_names_the_references(void **state)
{
	static const struct strategy one = { .name = "solo", .reference = true };
	static const struct strategy team = { .name = "team", .parallel = true,
					      .reference = true };
	static const struct strategy procs = { .name = "procs", .parallel = true,
					       .processes = true, .forks_each_call = true };
	static const struct kernel kernel = { .name = "simd", .summary = "a test's" };
	struct matrix m = { .bytes = 1000000000u };
	struct report_info info = { .m = &m, .name_width = 5, .fork_floor_count = 1,
				    .fork_floors = { { .workers = 2, .seconds = 0.002 } } };
	struct bench_result r[3] = {
		{ .strategy = &one, .workers = 1, .time = { .n = 1, .mean = 0.2, .min = 0.2 } },
		{ .strategy = &procs, .workers = 2, .startup = 0.003, .wind_down = 0.001,
		  .time = { .n = 1, .mean = 0.11, .min = 0.1 } },
		{ .strategy = &team, .workers = 2, .startup = 0.0001, .wind_down = 0.0002,
		  .time = { .n = 1, .mean = 0.1, .min = 0.1 } },
	};
	struct bench_result survey = { .strategy = &one, .kernel = &kernel, .workers = 1,
				       .verdict = { .ok = true }, .time = { .n = 1, .min = 0.2 } };
	struct result_figures f[3];
	struct report_data d = { .info = &info, .results = r, .count = 3, .figures = f,
				 .kernels = &survey, .kernel_count = 1 };
	char *text = NULL;
	size_t len;
	FILE *out = open_memstream(&text, &len);

	(void)state;
	for (size_t i = 0; i < 3; i++)
		r[i].verdict.ok = true;
	report_figures(&info, r, 3, f);
	assert_non_null(out);
	report_summary(out, &d);
	assert_int_equal(fclose(out), 0);
	assert_non_null(strstr(text, "\nprocs with 2 workers: 10 ms a call above team's; the "
				     "kernel's fork floor is 2 ms of it (20%); start-up 3 ms, "
				     "wind-down 1 ms (team: 100 \u00b5s, 200 \u00b5s)\n"));
	assert_null(strstr(text, "pthread"));
	assert_non_null(strstr(text, "speedup: solo's fastest / this fastest."));
	assert_non_null(strstr(text, "solo min"));
	assert_non_null(strstr(text, "Each kernel ran through solo, "));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timespan),
		cmocka_unit_test(test_timeit_line),
		cmocka_unit_test(test_slow_run_warning),
		cmocka_unit_test(test_summary_names_the_references),
	};
	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}

/* Unit tests for src/compare.c: the verdicts, pair matching, bad reports. */
#include "cmocka_all.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"

/* A report of one result "seq 1" with the given per-run times. */
static struct saved_report one(const char *strategy, unsigned workers, const double *t,
			       size_t n, struct sample_set *set)
{
	double mean = 0;

	for (size_t i = 0; i < n; i++)
		mean += t[i] / n;
	*set = (struct sample_set){ .workers = workers, .mean = mean, .times = t, .runs = n };
	snprintf(set->strategy, sizeof(set->strategy), "%s", strategy);
	return (struct saved_report){ .count = 1, .results = set };
}

static void test_verdicts(void **state)
{
	static const double base[] = { 1.00, 1.01, 0.99, 1.02, 0.98, 1.00, 1.01 };
	static const double same[] = { 1.00, 1.01, 0.99, 1.02, 0.98, 1.00, 1.01 };
	static const double slower[] = { 2.00, 2.02, 1.98, 2.04, 1.96, 2.00, 2.02 };
	static const double faster[] = { 0.50, 0.505, 0.495, 0.51, 0.49, 0.50, 0.505 };
	static const double noisy[] = { 0.7, 1.6, 0.8, 1.5, 0.9, 1.4, 1.3 }; /* mean +10% */
	static const double slight[] = { 1.02, 1.03, 1.01, 1.04, 1.00, 1.02, 1.03 }; /* +2% */
	struct sample_set a, b;
	struct saved_report old = one("seq", 1, base, 7, &a), fresh;
	struct comparison c;

	(void)state;
	fresh = one("seq", 1, same, 7, &b);
	assert_int_equal(compare_reports(&old, &fresh, 5, &c), 1);
	assert_int_equal(c.verdict, VERDICT_NO_CHANGE);
	assert_true(c.p == 1 && c.change == 0);
	fresh = one("seq", 1, slower, 7, &b);
	compare_reports(&old, &fresh, 5, &c);
	assert_int_equal(c.verdict, VERDICT_REGRESSED);
	assert_close(c.change, 1.0, 1e-9);
	assert_true(c.p < 0.01 && c.ci_low > 0.9 && c.ci_high < 1.1);
	assert_true(compare_regressed(&c, 1));
	compare_reports(&old, &fresh, 150, &c); /* a threshold above the change */
	assert_int_equal(c.verdict, VERDICT_NO_CHANGE);
	fresh = one("seq", 1, faster, 7, &b);
	compare_reports(&old, &fresh, 5, &c);
	assert_int_equal(c.verdict, VERDICT_IMPROVED);
	assert_false(compare_regressed(&c, 1));
	fresh = one("seq", 1, noisy, 7, &b);
	compare_reports(&old, &fresh, 5, &c);
	assert_int_equal(c.verdict, VERDICT_WITHIN_NOISE);
	fresh = one("seq", 1, slight, 7, &b);
	compare_reports(&old, &fresh, 5, &c);
	assert_int_equal(c.verdict, VERDICT_NO_CHANGE); /* significant, but small */
	assert_true(c.p < 0.05);
	assert_string_equal(verdict_name(VERDICT_WITHIN_NOISE), "within noise");
}

static void test_pairs_match_by_strategy_and_workers(void **state)
{
	static const double t[] = { 1, 1.1, 0.9 };
	struct sample_set a, b;
	struct saved_report old = one("fork", 2, t, 3, &a), fresh = one("fork", 4, t, 3, &b);
	struct comparison c;

	(void)state;
	assert_int_equal(compare_reports(&old, &fresh, 5, &c), 0);
	fresh = one("pthread", 2, t, 3, &b);
	assert_int_equal(compare_reports(&old, &fresh, 5, &c), 0);
	fresh = one("fork", 2, t, 3, &b);
	assert_int_equal(compare_reports(&old, &fresh, 5, &c), 1);
}

/* Write text to a file in the test's temporary folder; returns its path. */
static const char *file_with(const char *name, const char *text)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/colbench-test-%d-%s", (int)getpid(), name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	return path;
}

static void test_bad_reports(void **state)
{
	struct saved_report r;
	struct cb_error err;
	const char *path;

	(void)state;
	assert_int_equal(saved_report_load("/nonexistent/r.json", &r, &err), CB_USAGE);
	assert_non_null(strstr(err.msg, "cannot open"));
	path = file_with("trunc.json", "{\"colbench\": \"0.1.0\", \"results\": [");
	assert_int_equal(saved_report_load(path, &r, &err), CB_USAGE);
	assert_non_null(strstr(err.msg, "not JSON"));
	unlink(path);
	path = file_with("foreign.json", "{\"results\": []}");
	assert_int_equal(saved_report_load(path, &r, &err), CB_USAGE);
	assert_non_null(strstr(err.msg, "not a colbench report"));
	unlink(path);
	path = file_with("notimes.json",
			 "{\"colbench\": \"0.1.0\", \"results\": [{\"strategy\": \"seq\", "
			 "\"workers\": 1, \"mean\": 1.0, \"times\": []}]}");
	assert_int_equal(saved_report_load(path, &r, &err), CB_USAGE);
	assert_non_null(strstr(err.msg, "result 1 lacks"));
	unlink(path);
	path = file_with("good.json",
			 "{\"colbench\": \"0.1.0\", \"matrix\": {\"rows\": 3, \"cols\": 2, "
			 "\"layout\": \"f\", \"dtype\": \"float64\", \"seed\": 42}, \"results\": "
			 "[{\"strategy\": \"seq\", \"workers\": 1, \"mean\": 1.5, \"times\": [1, 2]}]}");
	assert_int_equal(saved_report_load(path, &r, &err), CB_OK);
	assert_int_equal(r.count, 1);
	assert_int_equal(r.results[0].runs, 2);
	assert_string_equal(r.matrix, "3 x 2, layout f, float64, seed 42");
	saved_report_free(&r);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_pairs_match_by_strategy_and_workers),
		cmocka_unit_test(test_bad_reports),
	};
	return cmocka_run_group_tests_name("compare", tests, NULL, NULL);
}

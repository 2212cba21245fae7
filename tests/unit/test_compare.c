/* Unit tests for src/report/compare.c: the verdicts, pair matching, bad reports. */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/compare.h"
#include "report/report.h"

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

/* compare_reports, which must succeed: how many pairs it compared. */
static size_t pairs(const struct saved_report *old, const struct saved_report *fresh,
		    double threshold, struct comparison *c)
{
	size_t n = 99;

	assert_int_equal(compare_reports(old, fresh, threshold, c, &n, NULL), CB_OK);
	return n;
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
	assert_int_equal(pairs(&old, &fresh, 5, &c), 1);
	assert_int_equal(c.verdict, VERDICT_NO_CHANGE);
	assert_true(c.p == 1 && c.change == 0);
	fresh = one("seq", 1, slower, 7, &b);
	pairs(&old, &fresh, 5, &c);
	assert_int_equal(c.verdict, VERDICT_REGRESSED);
	assert_close(c.change, 1.0, 1e-9);
	assert_true(c.p < 0.01 && c.ci_low > 0.9 && c.ci_high < 1.1);
	assert_true(compare_regressed(&c, 1));
	pairs(&old, &fresh, 150, &c); /* a threshold above the change */
	assert_int_equal(c.verdict, VERDICT_NO_CHANGE);
	fresh = one("seq", 1, faster, 7, &b);
	pairs(&old, &fresh, 5, &c);
	assert_int_equal(c.verdict, VERDICT_IMPROVED);
	assert_false(compare_regressed(&c, 1));
	fresh = one("seq", 1, noisy, 7, &b);
	pairs(&old, &fresh, 5, &c);
	assert_int_equal(c.verdict, VERDICT_WITHIN_NOISE);
	fresh = one("seq", 1, slight, 7, &b);
	pairs(&old, &fresh, 5, &c);
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
	assert_int_equal(pairs(&old, &fresh, 5, &c), 0);
	fresh = one("pthread", 2, t, 3, &b);
	assert_int_equal(pairs(&old, &fresh, 5, &c), 0);
	fresh = one("fork", 2, t, 3, &b);
	assert_int_equal(pairs(&old, &fresh, 5, &c), 1);
}

/* Many results, in another order on each side, with a duplicate in the
 * baseline: each fresh result meets the first baseline result of its pair,
 * and the ones the baseline lacks are listed, in order. */
static void test_many_pairs_sorted_not_searched(void **state)
{
	enum { N = 20000 };
	static const double t1[] = { 1, 1.1, 0.9 }, t2[] = { 2, 2.2, 1.8 };
	struct sample_set *old_sets = calloc(N + 1, sizeof(*old_sets));
	struct sample_set *new_sets = calloc(N, sizeof(*new_sets));
	struct comparison *c = calloc(N, sizeof(*c));
	size_t *missing = calloc(N, sizeof(*missing));
	struct saved_report old = { .count = N + 1, .results = old_sets };
	struct saved_report fresh = { .count = N, .results = new_sets };

	(void)state;
	assert_non_null(old_sets);
	assert_non_null(new_sets);
	assert_non_null(c);
	assert_non_null(missing);
	for (size_t i = 0; i < N; i++) {
		/* The baseline backwards, only the even worker counts. */
		struct sample_set *o = &old_sets[N - 1 - i], *f = &new_sets[i];

		*f = (struct sample_set){ .workers = (unsigned)i, .mean = 1, .times = t1, .runs = 3 };
		snprintf(f->strategy, sizeof(f->strategy), "s%zu", i % 7);
		*o = *f;
		o->workers = (unsigned)(i % 2 ? N + i : i);
	}
	/* A later duplicate of fresh result 0's pair, twice as slow: never used. */
	old_sets[N] = new_sets[0];
	old_sets[N].times = t2;
	old_sets[N].mean = 2;
	assert_int_equal(pairs(&old, &fresh, 5, c), N / 2);
	for (size_t k = 0; k < N / 2; k++) {
		assert_int_equal(c[k].fresh_index, 2 * k);
		assert_int_equal(c[k].workers, 2 * k);
		assert_int_equal(c[k].verdict, VERDICT_NO_CHANGE);
	}
	assert_int_equal(compare_not_in_baseline(&fresh, c, N / 2, missing), N / 2);
	for (size_t k = 0; k < N / 2; k++)
		assert_int_equal(missing[k], 2 * k + 1);
	free(old_sets);
	free(new_sets);
	free(c);
	free(missing);
}

/* A million runs a side: Mann-Whitney and Welch in n log n (the insertion
 * sort that ranked them took hours), and a 1% shift among them is seen. */
static void test_million_runs(void **state)
{
	enum { N = 1000000 };
	double *a = malloc(N * sizeof(double)), *b = malloc(N * sizeof(double));
	struct sample_set sa, sb;
	struct saved_report old, fresh;
	struct comparison c;

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	for (size_t i = 0; i < N; i++) {
		a[i] = 1 + 0.1 * (double)((i * 7919) % N) / N;
		b[i] = a[i] * 1.01;
	}
	old = one("seq", 1, a, N, &sa);
	fresh = one("seq", 1, b, N, &sb);
	assert_int_equal(pairs(&old, &fresh, 0.5, &c), 1);
	assert_true(c.p < 1e-6);
	assert_int_equal(c.verdict, VERDICT_REGRESSED);
	assert_close(c.change, 0.01, 1e-9);
	free(a);
	free(b);
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
		cmocka_unit_test(test_many_pairs_sorted_not_searched),
		cmocka_unit_test(test_million_runs),
		cmocka_unit_test(test_bad_reports),
	};
	return cmocka_run_group_tests_name("compare", tests, NULL, NULL);
}

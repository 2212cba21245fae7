/* Unit tests for src/report/compare.c: the verdicts, pair matching, bad reports. */
#include "cmocka_all.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/compare.h"
#include "report/report.h"
#include "measure/stats.h"

/* Room for the process and disturbance marks of the sets built below. */
#define MAX_RUNS 64
static unsigned process_of[8][MAX_RUNS];
static bool disturbed_of[8][MAX_RUNS];

/*
 * A report of one result with the given per-run times, per_process runs
 * to a process (0: all in one), in slot `slot` of the marks above.
 */
static struct saved_report sampled(const char *strategy, unsigned workers, const double *t,
				   size_t n, unsigned per_process, int slot,
				   struct sample_set *set)
{
	double mean = 0;

	for (size_t i = 0; i < n; i++)
		mean += t[i] / n;
	*set = (struct sample_set){ .workers = workers, .mean = mean, .times = t, .runs = n };
	if (per_process && n <= MAX_RUNS) {
		for (size_t i = 0; i < n; i++) {
			process_of[slot][i] = (unsigned)(i / per_process);
			disturbed_of[slot][i] = false;
		}
		set->process = process_of[slot];
		set->disturbed = disturbed_of[slot];
	}
	snprintf(set->strategy, sizeof(set->strategy), "%s", strategy);
	return (struct saved_report){ .count = 1, .results = set };
}

/* A report of one process. */
static struct saved_report one(const char *strategy, unsigned workers, const double *t,
			       size_t n, struct sample_set *set)
{
	return sampled(strategy, workers, t, n, 0, 0, set);
}

/* compare_reports, which must succeed: how many pairs it compared. */
static size_t pairs_at(const struct saved_report *old, const struct saved_report *fresh,
		       double threshold, double drift, struct comparison *c)
{
	struct verdict_rule rule = { threshold, drift };
	size_t n = 99;

	assert_int_equal(compare_reports(old, fresh, &rule, c, &n, NULL), CB_OK);
	return n;
}

/* The same at the default drift. */
static size_t pairs(const struct saved_report *old, const struct saved_report *fresh,
		    double threshold, struct comparison *c)
{
	return pairs_at(old, fresh, threshold, COMPARE_DRIFT_DEFAULT, c);
}

/* Ten processes' levels: a spread of a few percent, as on a quiet machine. */
static const double ten_levels[] = { 1.00, 1.02, 0.99, 1.01, 0.98, 1.00, 1.03, 0.99, 1.01, 0.97 };

/* n processes of 3 runs at the given levels, each run within 0.5% of its level. */
static void runs_at(const double *level, size_t processes, double scale, double *t)
{
	static const double within[] = { 0.997, 1.0, 1.004 };

	for (size_t p = 0; p < processes; p++)
		for (size_t r = 0; r < 3; r++)
			t[3 * p + r] = level[p] * within[r] * scale;
}

static void test_verdicts(void **state)
{
	double base[30], same[30], slower[30], faster[30], slight[30];
	struct sample_set a, b;
	struct saved_report old, fresh;
	struct comparison c;

	(void)state;
	runs_at(ten_levels, 10, 1, base);
	runs_at(ten_levels, 10, 1, same);
	runs_at(ten_levels, 10, 2, slower);
	runs_at(ten_levels, 10, 0.5, faster);
	runs_at(ten_levels, 10, 1.02, slight);
	old = sampled("seq", 1, base, 30, 3, 0, &a);
	fresh = sampled("seq", 1, same, 30, 3, 1, &b);
	assert_int_equal(pairs(&old, &fresh, 5, &c), 1);
	assert_int_equal(c.verdict, VERDICT_NO_CHANGE);
	assert_true(c.change == 0 && c.old.processes == 10 && c.new.processes == 10);
	fresh = sampled("seq", 1, slower, 30, 3, 1, &b);
	pairs(&old, &fresh, 5, &c);
	assert_int_equal(c.verdict, VERDICT_REGRESSED);
	assert_close(c.change, 1.0, 1e-9);
	assert_true(c.ci_low > 0.85 && c.ci_high < 1.15); /* 2x, give or take the drift */
	assert_true(compare_regressed(&c, 1));
	pairs(&old, &fresh, 150, &c); /* a threshold above the change */
	assert_int_equal(c.verdict, VERDICT_NO_CHANGE);
	fresh = sampled("seq", 1, faster, 30, 3, 1, &b);
	pairs(&old, &fresh, 5, &c);
	assert_int_equal(c.verdict, VERDICT_IMPROVED);
	assert_false(compare_regressed(&c, 1));
	fresh = sampled("seq", 1, slight, 30, 3, 1, &b);
	pairs(&old, &fresh, 5, &c);
	assert_int_equal(c.verdict, VERDICT_NO_CHANGE); /* a real shift, but small */
	assert_close(c.change, 0.02, 0.01);
	assert_string_equal(verdict_name(VERDICT_WITHIN_NOISE), "within noise");
	assert_string_equal(verdict_name(VERDICT_INCONCLUSIVE), "inconclusive");
}

/*
 * The A/A problem: five processes a side, each steady within itself (0.5%)
 * but at its own level (a spread of 4%), the new side's levels 6% higher
 * by their luck.  Taken run by run, the 15 runs a side differ beyond doubt
 * (Mann-Whitney p < 0.001); taken process by process, five values a side
 * cannot place a change beyond a 5% threshold: not a regression.
 */
static void test_between_process_shift_is_not_a_regression(void **state)
{
	static const double old_level[] = { 1.00, 1.04, 0.97, 1.02, 0.99 };
	static const double new_level[] = { 1.09, 1.02, 1.07, 1.11, 1.03 };
	double old_t[15], new_t[15];
	struct sample_set a, b;
	struct saved_report old, fresh;
	struct comparison c;

	(void)state;
	runs_at(old_level, 5, 1, old_t);
	runs_at(new_level, 5, 1, new_t);
	assert_true(stats_mann_whitney_p(old_t, 15, new_t, 15) < 0.001);
	old = sampled("pthread", 2, old_t, 15, 3, 0, &a);
	fresh = sampled("pthread", 2, new_t, 15, 3, 1, &b);
	pairs(&old, &fresh, 5, &c);
	assert_true(c.change > 0.05);
	assert_true(c.ci_low < 0.05);
	assert_int_equal(c.verdict, VERDICT_WITHIN_NOISE);
	assert_false(compare_regressed(&c, 1));
}

/*
 * Disturbed processes: one very slow disturbed process is left out (no
 * change); four of ten disturbed, more than a third, is inconclusive,
 * whatever the rest say; so is a report of one process.
 */
static void test_disturbed_evidence(void **state)
{
	double base[30], fresh_t[30];
	struct sample_set a, b;
	struct saved_report old, fresh;
	struct comparison c;

	(void)state;
	runs_at(ten_levels, 10, 1, base);
	runs_at(ten_levels, 10, 1, fresh_t);
	for (size_t r = 0; r < 3; r++)
		fresh_t[r] *= 3; /* process 0: three times as slow */
	old = sampled("seq", 1, base, 30, 3, 0, &a);
	fresh = sampled("seq", 1, fresh_t, 30, 3, 1, &b);
	for (size_t r = 0; r < 3; r++)
		disturbed_of[1][r] = true;
	pairs(&old, &fresh, 5, &c);
	assert_int_equal(c.verdict, VERDICT_NO_CHANGE);
	assert_int_equal(c.new.disturbed, 1);
	assert_int_equal(c.new.processes, 10);
	for (size_t r = 0; r < 12; r++) { /* processes 0-3 disturbed and slow */
		disturbed_of[1][r] = true;
		fresh_t[r] = base[r] * 3;
	}
	pairs(&old, &fresh, 5, &c);
	assert_int_equal(c.verdict, VERDICT_INCONCLUSIVE);
	assert_non_null(strstr(c.reason, "new runs met other work"));
	assert_false(compare_regressed(&c, 1));
	assert_true(compare_inconclusive(&c, 1));
	old = one("seq", 1, base, 30, &a); /* all in one process */
	fresh = one("seq", 1, fresh_t, 30, &b);
	pairs(&old, &fresh, 5, &c);
	assert_int_equal(c.verdict, VERDICT_INCONCLUSIVE);
	assert_non_null(strstr(c.reason, "too few processes"));
}

/*
 * The machine changed between the reports: its read bandwidth with the
 * pair's worker count moved by more than COMPARE_MACHINE_SHIFT (a host
 * that moved the virtual CPUs).  A twice-as-slow result is then
 * inconclusive, not regressed; a bandwidth within the limit leaves the
 * verdict alone, and a report without limits (--no-limit) is not checked.
 */
static void test_machine_change_is_inconclusive(void **state)
{
	double base[30], slower[30];
	struct sample_set a, b;
	struct saved_report old, fresh;
	struct comparison c;

	(void)state;
	runs_at(ten_levels, 10, 1, base);
	runs_at(ten_levels, 10, 2, slower);
	old = sampled("pthread", 2, base, 30, 3, 0, &a);
	fresh = sampled("pthread", 2, slower, 30, 3, 1, &b);
	old.limits[0] = (struct saved_limit){ 2, 90 };
	fresh.limits[0] = (struct saved_limit){ 2, 54 };
	old.limit_count = fresh.limit_count = 1;
	pairs(&old, &fresh, 5, &c);
	assert_int_equal(c.verdict, VERDICT_INCONCLUSIVE);
	assert_non_null(strstr(c.reason, "read bandwidth changed"));
	assert_true(c.old_gbps == 90 && c.new_gbps == 54);
	fresh.limits[0].gbps = 80; /* -11%: the same machine */
	pairs(&old, &fresh, 5, &c);
	assert_int_equal(c.verdict, VERDICT_REGRESSED);
	fresh.limits[0].workers = 4; /* no limit with 2 workers: not checked */
	pairs(&old, &fresh, 5, &c);
	assert_int_equal(c.verdict, VERDICT_REGRESSED);
	assert_true(c.new_gbps == 0);
}

/* Moses' interval at 10 and 10 values: the critical count of U at the
 * 2.5% point is 23 (exact tables) and the normal approximation gives 24:
 * the interval drops the 24 smallest and largest of the 100 shifts. */
static void test_process_values_interval(void **state)
{
	double old[10], new[10];
	struct comparison c = { 0 };

	(void)state;
	for (int i = 0; i < 10; i++) {
		old[i] = 1 + 0.01 * i;
		new[i] = 1.2 + 0.01 * i;
	}
	compare_process_values(old, 10, new, 10, &(struct verdict_rule){ 5, 0 }, &c);
	assert_int_equal(c.verdict, VERDICT_REGRESSED);
	assert_true(c.ci_low > 0.1 && c.ci_low < c.change && c.change < c.ci_high);
	/* No drift: the interval is Moses' alone. */
	assert_true(c.ci_low == c.moses_low && c.ci_high == c.moses_high);
	compare_process_values(old, 2, new, 10, &(struct verdict_rule){ 5, 0 }, &c);
	assert_int_equal(c.verdict, VERDICT_INCONCLUSIVE);
}

/*
 * The drift (report/compare.h): two reports of unchanged code, made a
 * minute apart, whose ten processes each agree within 1% but whose levels
 * differ by 8%, as the development VM's cache-resident A/A pairs did.
 * Without a drift that is a sure regression; with the default 2% it is
 * within noise, while a slowdown of 25% (the pairwise kernel's there)
 * still regresses.  Each end moves out by 1.96 sqrt(2) log(1.02) in
 * quadrature, and the change itself does not move.
 */
static void test_drift_widens_the_interval(void **state)
{
	double old[10], aa[10], slower[10];
	struct comparison c = { 0 }, bare = { 0 };
	double spread = 1.959963984540054 * sqrt(2.0) * log(1.02), side;

	(void)state;
	for (int i = 0; i < 10; i++) {
		old[i] = 1 + 0.001 * i;
		aa[i] = 1.08 * (1 + 0.001 * ((i * 7) % 10));
		slower[i] = 1.25 * (1 + 0.001 * ((i * 3) % 10));
	}
	compare_process_values(old, 10, aa, 10, &(struct verdict_rule){ 5, 0 }, &bare);
	assert_int_equal(bare.verdict, VERDICT_REGRESSED);
	compare_process_values(old, 10, aa, 10, &(struct verdict_rule){ 5, 2 }, &c);
	assert_int_equal(c.verdict, VERDICT_WITHIN_NOISE);
	assert_true(c.change == bare.change);
	assert_true(c.moses_low == bare.ci_low && c.moses_high == bare.ci_high);
	side = log1p(c.change) - log1p(bare.ci_low);
	assert_close(log1p(c.change) - log1p(c.ci_low), sqrt(side * side + spread * spread),
		     1e-12);
	side = log1p(bare.ci_high) - log1p(c.change);
	assert_close(log1p(c.ci_high) - log1p(c.change), sqrt(side * side + spread * spread),
		     1e-12);
	compare_process_values(old, 10, slower, 10, &(struct verdict_rule){ 5, 2 }, &c);
	assert_int_equal(c.verdict, VERDICT_REGRESSED);
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
	static const unsigned three[] = { 0, 1, 2 }; /* a run a process */
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

		*f = (struct sample_set){ .workers = (unsigned)i, .mean = 1, .times = t1,
					  .process = three, .runs = 3 };
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

/* A million runs a side, a thousand processes of a thousand: grouped in
 * n log n, and a 1% shift among them is seen (with no drift allowed for). */
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
	unsigned *process = malloc(N * sizeof(unsigned));

	assert_non_null(process);
	for (size_t i = 0; i < N; i++)
		process[i] = (unsigned)(i % 1000);
	old = one("seq", 1, a, N, &sa);
	fresh = one("seq", 1, b, N, &sb);
	sa.process = sb.process = process;
	assert_int_equal(pairs_at(&old, &fresh, 0.5, 0, &c), 1);
	assert_true(c.p < 1e-6);
	assert_int_equal(c.verdict, VERDICT_REGRESSED);
	assert_close(c.change, 0.01, 1e-9);
	free(process);
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
		cmocka_unit_test(test_between_process_shift_is_not_a_regression),
		cmocka_unit_test(test_disturbed_evidence),
		cmocka_unit_test(test_drift_widens_the_interval),
		cmocka_unit_test(test_process_values_interval),
		cmocka_unit_test(test_machine_change_is_inconclusive),
		cmocka_unit_test(test_pairs_match_by_strategy_and_workers),
		cmocka_unit_test(test_many_pairs_sorted_not_searched),
		cmocka_unit_test(test_million_runs),
		cmocka_unit_test(test_bad_reports),
	};
	return cmocka_run_group_tests_name("compare", tests, NULL, NULL);
}

/* Unit tests for src/report/compare.c: the verdicts, pair matching, bad reports. */
#include "cmocka_all.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plan/plan.h"
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
	/* Every process alike on both sides: Moses' interval is the change
	 * itself, and the drift widens it both ways (it moved both ends up,
	 * to [+5.6%, +5.6%], and called an A/A pair regressed). */
	for (int i = 0; i < 10; i++)
		old[i] = aa[i] = 1;
	compare_process_values(old, 10, aa, 10, &(struct verdict_rule){ 5, 2 }, &c);
	assert_true(c.change == 0 && c.moses_low == 0 && c.moses_high == 0);
	assert_close(c.ci_low, expm1(-spread), 1e-12);
	assert_close(c.ci_high, expm1(spread), 1e-12);
	assert_int_equal(c.verdict, VERDICT_NO_CHANGE);
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
	static const double t1[] = { 1, 1.01, 0.99 }, t2[] = { 2, 2.02, 1.98 };
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

static int by_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return (a > b) - (a < b);
}

/*
 * The shifts' order statistics, found by bisection without storing the
 * n x m shifts, are exactly those of the stored and sorted shifts: the
 * change (a median, of an odd and of an even count) and Moses' ends, on
 * values with ties and on values spread over decades.
 */
static void test_shifts_match_every_pair_sorted(void **state)
{
	static const size_t sizes[][2] = { { 3, 3 }, { 3, 4 }, { 7, 5 }, { 10, 10 }, { 33, 17 },
					   { 50, 61 } };
	unsigned seed = 12345;

	(void)state;
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		for (int ties = 0; ties < 2; ties++) {
			size_t n = sizes[s][0], m = sizes[s][1], count = n * m, k = 0;
			double old[64], new[64], *shifts = malloc(count * sizeof(double));
			double z = COMPARE_Z, critical, mid;
			struct comparison c = { 0 };

			assert_non_null(shifts);
			for (size_t i = 0; i < n + m; i++) {
				double *v = i < n ? &old[i] : &new[i - n];

				seed = seed * 1103515245 + 12345;
				*v = ties ? 1 + (seed >> 16) % 4 * 0.25
					  : exp((double)(seed >> 8 & 0xffff) / 4096.0 - 8);
			}
			assert_true(compare_process_values(old, n, new, m,
							   &(struct verdict_rule){ 5, 0 }, &c));
			/* The arrays are sorted now: the shifts from their logs. */
			for (size_t i = 0; i < n; i++)
				for (size_t j = 0; j < m; j++)
					shifts[k++] = log(new[j]) - log(old[i]);
			qsort(shifts, count, sizeof(double), by_double);
			mid = count % 2 ? shifts[count / 2]
					: (shifts[count / 2 - 1] + shifts[count / 2]) / 2;
			assert_true(c.change == expm1(mid + 0.0));
			critical = floor((double)count / 2 -
					 z * sqrt((double)count * (double)(n + m + 1) / 12));
			if (critical >= 0) {
				assert_true(c.moses_low == expm1(shifts[(size_t)critical] + 0.0));
				assert_true(c.moses_high ==
					    expm1(shifts[count - 1 - (size_t)critical] + 0.0));
			} else {
				assert_true(isinf(c.moses_low) && isinf(c.moses_high));
			}
			free(shifts);
		}
	}
}

/*
 * 200,000 processes a side, 4 x 10^10 pairs: storing their shifts would
 * take 320 GB (it took 400 MB and 8 s at 5,000, and at this size read
 * "inconclusive: out of memory"); judged in n log n, the 2% shift is seen.
 */
static void test_many_processes_in_n_log_n(void **state)
{
	enum { N = 200000 };
	double *old = malloc(N * sizeof(double)), *new = malloc(N * sizeof(double));
	struct comparison c = { 0 };

	(void)state;
	assert_non_null(old);
	assert_non_null(new);
	for (size_t i = 0; i < N; i++) {
		old[i] = 1 + 0.01 * (double)((i * 7919) % N) / N;
		new[i] = 1.02 * (1 + 0.01 * (double)((i * 104729) % N) / N);
	}
	assert_true(compare_process_values(old, N, new, N, &(struct verdict_rule){ 1, 0 }, &c));
	assert_null(c.reason);
	assert_int_equal(c.verdict, VERDICT_REGRESSED);
	assert_close(c.change, 0.02, 1e-3);
	free(old);
	free(new);
}

/*
 * An interval of the processes alone wider than COMPARE_MAX_WIDTH times
 * the threshold says nothing of the threshold: the gate's
 * compare_check_width makes it inconclusive, not "no change" (it was "no
 * change" with [-44%, +380%]); a regression whose whole interval is above
 * the threshold stays one.
 */
static void test_too_wide_is_inconclusive(void **state)
{
	static const double wild[] = { 0.6, 1.0, 4.0, 0.7, 2.5, 1.1, 0.5, 3.0, 0.9, 1.5 };
	double old[10], new[10];
	struct comparison c = { 0 };

	(void)state;
	for (int i = 0; i < 10; i++) {
		old[i] = wild[i];
		new[i] = wild[(i + 3) % 10];
	}
	compare_process_values(old, 10, new, 10, &(struct verdict_rule){ 5, 2 }, &c);
	assert_true(fabs(c.change) <= 0.05);
	assert_int_equal(c.verdict, VERDICT_NO_CHANGE); /* what calibrate sees */
	assert_true(log1p(c.moses_high) - log1p(c.moses_low) > COMPARE_MAX_WIDTH * log1p(0.05));
	compare_check_width(&c, 1, &(struct verdict_rule){ 5, 2 });
	assert_int_equal(c.verdict, VERDICT_INCONCLUSIVE);
	assert_string_equal(c.reason, "the interval is too wide for the threshold");
	/* A threshold wide enough for the spread: no change again. */
	for (int i = 0; i < 10; i++) {
		old[i] = wild[i];
		new[i] = wild[(i + 3) % 10];
	}
	compare_process_values(old, 10, new, 10, &(struct verdict_rule){ 1000, 2 }, &c);
	compare_check_width(&c, 1, &(struct verdict_rule){ 1000, 2 });
	assert_int_equal(c.verdict, VERDICT_NO_CHANGE);
	/* Just inside the width: no change. */
	for (int i = 0; i < 10; i++) {
		old[i] = 1 + 0.02 * i;
		new[i] = 1 + 0.02 * ((i + 3) % 10);
	}
	compare_process_values(old, 10, new, 10, &(struct verdict_rule){ 5, 2 }, &c);
	assert_true((1 + c.moses_high) / (1 + c.moses_low) <= pow(1.05, COMPARE_MAX_WIDTH));
	compare_check_width(&c, 1, &(struct verdict_rule){ 5, 2 });
	assert_int_equal(c.verdict, VERDICT_NO_CHANGE);
	/* Ten times as slow: regressed, however wide. */
	for (int i = 0; i < 10; i++) {
		old[i] = wild[i];
		new[i] = 10 * wild[(i + 3) % 10];
	}
	compare_process_values(old, 10, new, 10, &(struct verdict_rule){ 5, 2 }, &c);
	compare_check_width(&c, 1, &(struct verdict_rule){ 5, 2 });
	assert_int_equal(c.verdict, VERDICT_REGRESSED);
}

/*
 * Reports that cannot be compared: another matrix, another colbench or
 * another kernel make a pair inconclusive, whatever its figures; a new
 * result that failed verification or exited nonzero fails (status 1);
 * a baseline's that did is inconclusive.  A loaded matrix is known by its
 * shape, not its path; an unknown side is not compared.
 */
static void test_unlike_reports(void **state)
{
	double base[30], same[30];
	struct sample_set a, b;
	struct saved_report old, fresh;
	struct comparison c;

	(void)state;
	runs_at(ten_levels, 10, 1, base);
	runs_at(ten_levels, 10, 1, same);
	old = sampled("seq", 1, base, 30, 3, 0, &a);
	fresh = sampled("seq", 1, same, 30, 3, 1, &b);
	describe_matrix(&old, 400, 300, 'f', "float64", "seed 42", false);
	describe_matrix(&fresh, 401, 300, 'f', "float64", "seed 42", false);
	pairs(&old, &fresh, 5, &c);
	assert_int_equal(c.verdict, VERDICT_INCONCLUSIVE);
	assert_string_equal(c.reason, "the matrices differ");
	describe_matrix(&fresh, 400, 300, 'f', "float64", "seed 43", false);
	pairs(&old, &fresh, 5, &c);
	assert_string_equal(c.reason, "the matrices differ");
	describe_matrix(&fresh, 400, 300, 'c', "float64", "seed 42", false);
	pairs(&old, &fresh, 5, &c);
	assert_string_equal(c.reason, "the matrices differ");
	/* A loaded file is known by its shape: its path may differ, and it
	 * may hold the generated matrix (--save, then --load). */
	describe_matrix(&old, 400, 300, 'f', "float64", "/ci/a/m.npy", true);
	describe_matrix(&fresh, 400, 300, 'f', "float64", "/ci/b/m.npy", true);
	pairs(&old, &fresh, 5, &c);
	assert_int_equal(c.verdict, VERDICT_NO_CHANGE);
	describe_matrix(&old, 400, 300, 'f', "float64", "seed 42", false);
	pairs(&old, &fresh, 5, &c);
	assert_int_equal(c.verdict, VERDICT_NO_CHANGE);
	describe_matrix(&fresh, 400, 301, 'f', "float64", "/ci/b/m.npy", true);
	pairs(&old, &fresh, 5, &c);
	assert_string_equal(c.reason, "the matrices differ");
	fresh.matrix_shape[0] = '\0'; /* unknown: not compared */
	pairs(&old, &fresh, 5, &c);
	assert_int_equal(c.verdict, VERDICT_NO_CHANGE);
	snprintf(old.version, sizeof(old.version), "0.0.9");
	snprintf(fresh.version, sizeof(fresh.version), "0.1.0");
	pairs(&old, &fresh, 5, &c);
	assert_int_equal(c.verdict, VERDICT_INCONCLUSIVE);
	assert_string_equal(c.reason, "the colbench versions differ");
	fresh.version[0] = '\0';
	snprintf(old.results[0].kernel, sizeof(a.kernel), "simd");
	snprintf(fresh.results[0].kernel, sizeof(b.kernel), "naive");
	pairs(&old, &fresh, 5, &c);
	assert_int_equal(c.verdict, VERDICT_INCONCLUSIVE);
	assert_string_equal(c.reason, "the kernels differ");
	snprintf(fresh.results[0].kernel, sizeof(b.kernel), "simd");
	old.results[0].failed = RUNS_UNVERIFIED;
	pairs(&old, &fresh, 5, &c);
	assert_int_equal(c.verdict, VERDICT_INCONCLUSIVE);
	assert_string_equal(c.reason, "the baseline's runs failed verification");
	old.results[0].failed = RUNS_OK;
	fresh.results[0].failed = RUNS_UNVERIFIED;
	pairs(&old, &fresh, 5, &c);
	assert_int_equal(c.verdict, VERDICT_FAILED);
	assert_string_equal(c.reason, "the new runs failed verification");
	assert_string_equal(verdict_name(c.verdict), "failed");
	assert_true(compare_failed(&c, 1));
	assert_false(compare_regressed(&c, 1) || compare_inconclusive(&c, 1));
	fresh.results[0].failed = RUNS_NONZERO_EXIT;
	snprintf(fresh.results[0].kernel, sizeof(b.kernel), "naive"); /* failing outranks unlike */
	pairs(&old, &fresh, 5, &c);
	assert_int_equal(c.verdict, VERDICT_FAILED);
	assert_string_equal(c.reason, "a new run did not exit 0");
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
	assert_string_equal(r.version, "0.1.0");
	assert_int_equal(r.results[0].failed, RUNS_OK);
	saved_report_free(&r);
	unlink(path);
}

/* Load a report of one seq result whose fields are `fields` (JSON
 * members, after strategy), and a top-level `extra`: its status, and the
 * message in err. */
static enum cb_status load_result(const char *fields, const char *extra, struct cb_error *err)
{
	char text[1024];
	struct saved_report r;
	const char *path;
	enum cb_status st;

	snprintf(text, sizeof(text), "{\"colbench\": \"0.1.0\", %s\"results\": [{\"strategy\": "
		 "\"seq\", %s}]}", extra, fields);
	path = file_with("field.json", text);
	st = saved_report_load(path, &r, err);
	if (st == CB_OK)
		saved_report_free(&r);
	unlink(path);
	return st;
}

/* The message of a refused report, after its path. */
static const char *refusal(const char *fields, const char *extra)
{
	static struct cb_error err;
	const char *colon;

	assert_int_equal(load_result(fields, extra, &err), CB_USAGE);
	colon = strstr(err.msg, ".json: ");
	assert_non_null(colon);
	return colon + 7;
}

/*
 * Numbers no measurement gives are bad input, naming the field: times
 * subnormal, zero or absurd (they gave "regressed +inf" and "improved
 * -100%"), worker counts outside 1 to --workers' most (4294967298 was cut
 * to 2, -1 printed as 4294967295), and a mean, min or max that is not its
 * times' (the mean is what the verdicts show).  "verified" and
 * exit_codes say whether the runs failed.
 */
static void test_implausible_numbers(void **state)
{
	struct cb_error err;
	struct saved_report r;
	const char *path;

	(void)state;
	assert_int_equal(COMPARE_MAX_WORKERS, MAX_WORKERS);
	assert_int_equal(load_result("\"workers\": 1, \"mean\": 1.5, \"times\": [1, 2]", "",
				     &err), CB_OK);
	assert_string_equal(refusal("\"workers\": 1, \"mean\": 5e-324, \"times\": [5e-324]", ""),
			    "result 1: times[0] is 4.94066e-324 s, outside 1e-12 to 1e+06 s");
	assert_string_equal(refusal("\"workers\": 1, \"mean\": 1, \"times\": [1, 1.7e308]", ""),
			    "result 1: times[1] is 1.7e+308 s, outside 1e-12 to 1e+06 s");
	assert_string_equal(refusal("\"workers\": 1, \"mean\": 1, \"times\": [1, -1]", ""),
			    "result 1: times[1] is -1 s, outside 1e-12 to 1e+06 s");
	assert_string_equal(refusal("\"workers\": 4294967298, \"mean\": 1, \"times\": [1]", ""),
			    "result 1: workers is 4294967298, not from 1 to 1024");
	assert_string_equal(refusal("\"workers\": -1, \"mean\": 1, \"times\": [1]", ""),
			    "result 1: workers is -1, not from 1 to 1024");
	assert_string_equal(refusal("\"workers\": 0, \"mean\": 1, \"times\": [1]", ""),
			    "result 1: workers is 0, not from 1 to 1024");
	assert_string_equal(refusal("\"workers\": 1, \"mean\": 3, \"times\": [1, 2]", ""),
			    "result 1: mean is 3, but its times' mean is 1.5");
	assert_string_equal(refusal("\"workers\": 1, \"mean\": 1.5, \"min\": 0.5, "
				    "\"times\": [1, 2]", ""),
			    "result 1: min is 0.5, but its times' min is 1");
	assert_string_equal(refusal("\"workers\": 1, \"mean\": 1.5, \"max\": 2.5, "
				    "\"times\": [1, 2]", ""),
			    "result 1: max is 2.5, but its times' max is 2");
	/* Rounding of a printed mean is not disagreement. */
	assert_int_equal(load_result("\"workers\": 1, \"mean\": 1.5000001, \"times\": [1, 2]",
				     "", &err), CB_OK);
	assert_string_equal(refusal("\"workers\": 1, \"mean\": 1, \"times\": [1]",
				    "\"limit\": [{\"workers\": 4294967298, \"gbps\": 9}], "),
			    "limit[0].workers is 4294967298, not from 1 to 1024");
	assert_string_equal(refusal("\"workers\": 1, \"mean\": 1, \"times\": [1]",
				    "\"matrix\": {\"rows\": -1, \"cols\": 2}, "),
			    "matrix.rows is -1, not from 1 to 9223372036854775807");
	assert_string_equal(refusal("\"workers\": 1, \"mean\": 1, \"times\": [1]",
				    "\"system\": {\"online_cpus\": -1}, "),
			    "system.online_cpus is -1, not from 0 to 4294967295");
	assert_string_equal(refusal("\"workers\": 1, \"mean\": 1, \"times\": [1], "
				    "\"verified\": 1", ""),
			    "result 1: verified is not true or false");
	assert_string_equal(refusal("\"workers\": 1, \"mean\": 1, \"times\": [1], "
				    "\"exit_codes\": [\"0\"]", ""),
			    "result 1: exit_codes[0] is not an integer");
	/* Failed runs load, marked. */
	path = file_with("failed.json", "{\"colbench\": \"0.1.0\", \"options\": {\"kernel\": "
			 "\"simd\"}, \"results\": [{\"strategy\": \"seq\", \"workers\": 1, "
			 "\"mean\": 1, \"times\": [1], \"verified\": false}, {\"strategy\": "
			 "\"seq\", \"workers\": 2, \"mean\": 1, \"times\": [1, 1], "
			 "\"exit_codes\": [0, 1], \"kernel\": \"naive\"}]}");
	assert_int_equal(saved_report_load(path, &r, &err), CB_OK);
	assert_int_equal(r.results[0].failed, RUNS_UNVERIFIED);
	assert_int_equal(r.results[1].failed, RUNS_NONZERO_EXIT);
	assert_string_equal(r.results[0].kernel, "simd"); /* the report's own */
	assert_string_equal(r.results[1].kernel, "naive");
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
		cmocka_unit_test(test_shifts_match_every_pair_sorted),
		cmocka_unit_test(test_many_processes_in_n_log_n),
		cmocka_unit_test(test_too_wide_is_inconclusive),
		cmocka_unit_test(test_unlike_reports),
		cmocka_unit_test(test_implausible_numbers),
	};
	return cmocka_run_group_tests_name("compare", tests, NULL, NULL);
}

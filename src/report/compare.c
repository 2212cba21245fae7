/*
 * compare.c - baselines: each pair judged (see compare.h).  Saved reports
 * are read beside where they are written, in report_json.c.
 */
#include "report/compare.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os/interrupt.h"
#include "measure/stats.h"

const char *verdict_name(enum pair_verdict v)
{
	static const char *const names[] = { "no change", "within noise", "improved",
					     "regressed", "inconclusive", "failed" };

	return names[v];
}

void describe_matrix(struct saved_report *r, size_t rows, size_t cols, int layout,
		     const char *dtype, const char *source, bool loaded)
{
	snprintf(r->matrix, sizeof(r->matrix), "%zu x %zu, layout %c, %s, %s", rows, cols,
		 layout, dtype, source);
	snprintf(r->matrix_shape, sizeof(r->matrix_shape), "%zu x %zu, layout %c, %s", rows, cols,
		 layout, dtype);
	snprintf(r->matrix_seed, sizeof(r->matrix_seed), "%s", loaded ? "" : source);
}

void describe_system(char *out, size_t len, const char *cpu, unsigned cpus,
		     const char *kernel)
{
	snprintf(out, len, "%s, %u online CPUs, %s", cpu, cpus, kernel);
}

/* A run as the grouping by process sees it. */
struct process_run {
	unsigned process;
	double time;
	bool disturbed;
};

static int by_process_then_time(const void *pa, const void *pb)
{
	const struct process_run *a = pa, *b = pb;

	if (a->process != b->process)
		return (a->process > b->process) - (a->process < b->process);
	return (a->time > b->time) - (a->time < b->time);
}

static int by_value(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return (a > b) - (a < b);
}

/*
 * One side's evidence: *e, and into values[] (room for s->runs) the
 * median of each undisturbed process's runs; returns how many.  runs is
 * scratch room for s->runs entries.
 */
static size_t process_values(const struct sample_set *s, struct process_run *runs,
			     double *values, struct side_evidence *e)
{
	size_t count = 0;

	*e = (struct side_evidence){ .runs = s->runs, .mean = s->mean };
	for (size_t i = 0; i < s->runs; i++)
		runs[i] = (struct process_run){ s->process ? s->process[i] : 0, s->times[i],
						s->disturbed && s->disturbed[i] };
	qsort(runs, s->runs, sizeof(*runs), by_process_then_time);
	for (size_t first = 0, last; first < s->runs; first = last) {
		bool disturbed = false;

		for (last = first; last < s->runs && runs[last].process == runs[first].process; last++)
			disturbed = disturbed || runs[last].disturbed;
		e->processes++;
		if (disturbed) {
			e->disturbed++;
			continue;
		}
		/* The runs are sorted by time within the process. */
		size_t k = last - first;

		values[count++] = k % 2 ? runs[first + k / 2].time
					: (runs[first + k / 2 - 1].time + runs[first + k / 2].time) / 2;
	}
	return count;
}

size_t compare_level_values(const struct sample_set *s, double *values)
{
	struct process_run *runs = calloc(s->runs + 1, sizeof(*runs));
	struct side_evidence e;
	size_t count;

	if (!runs)
		return (size_t)-1;
	count = process_values(s, runs, values, &e);
	if (e.processes < COMPARE_MIN_PROCESSES) { /* one process: its undisturbed runs */
		count = 0;
		for (size_t i = 0; i < s->runs; i++)
			if (!(s->disturbed && s->disturbed[i]))
				values[count++] = s->times[i];
	}
	free(runs);
	return count;
}

/* The interval's end at `end` (a log shift) around the change `mid`
 * (another), widened in quadrature by `spread` (log units) away from mid,
 * downwards (direction -1) or upwards (+1): an end at the change itself
 * (every process alike) moves out too, on its own side. */
static double widened(double mid, double end, double spread, double direction)
{
	double side = end - mid;

	if (!isfinite(side))
		return end;
	return mid + direction * sqrt(side * side + spread * spread);
}

/*
 * Doubles as unsigned keys in the same order (the sign bit flipped for
 * positives, every bit for negatives), so that bisecting the keys walks
 * every double between two finite ones: at most 64 steps.
 */
static uint64_t order_key(double x)
{
	uint64_t bits;

	memcpy(&bits, &x, sizeof(bits));
	return bits >> 63 ? ~bits : bits | (UINT64_C(1) << 63);
}

static double of_order_key(uint64_t key)
{
	uint64_t bits = key >> 63 ? key & ~(UINT64_C(1) << 63) : ~key;
	double x;

	memcpy(&x, &bits, sizeof(x));
	return x;
}

/* How many of the shifts y[j] - x[i] (x[0..n), y[0..m) sorted) are at
 * most t: for each j the i that qualify are a suffix of x, whose start
 * only moves right as y[j] grows (rounding keeps the order). */
static uint64_t shifts_at_most(const double *x, size_t n, const double *y, size_t m, double t)
{
	uint64_t count = 0;
	size_t i = 0;

	for (size_t j = 0; j < m; j++) {
		while (i < n && y[j] - x[i] > t)
			i++;
		count += n - i;
	}
	return count;
}

/* The k-th smallest (0-based) of the n x m shifts y[j] - x[i], exactly:
 * the least double with more than k shifts at or below it is a shift. */
static double kth_shift(const double *x, size_t n, const double *y, size_t m, uint64_t k)
{
	uint64_t lo = order_key(y[0] - x[n - 1]), hi = order_key(y[m - 1] - x[0]);

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (shifts_at_most(x, n, y, m, of_order_key(mid)) > k)
			hi = mid;
		else
			lo = mid + 1;
	}
	return of_order_key(lo) + 0.0; /* -0 reads as +0 */
}

/* The logs of v[0..n) into out (sorted values give sorted logs); false
 * when one is not finite (a value not positive and finite). */
static bool to_logs(const double *v, size_t n, double *out)
{
	for (size_t i = 0; i < n; i++)
		if (!isfinite(out[i] = log(v[i])))
			return false;
	return true;
}

bool compare_process_values(double *old, size_t n, double *new, size_t m,
			    const struct verdict_rule *rule, struct comparison *c)
{
	double limit = rule->threshold / 100;
	uint64_t pairs = (uint64_t)n * m;
	double z = COMPARE_Z, critical, mid, low, high;
	/* Two reports' levels, each of spread `drift`, differ by sqrt(2) of it. */
	double spread = z * sqrt(2.0) * log1p(rule->drift / 100);
	double *x, *y;

	c->change = c->ci_low = c->ci_high = c->moses_low = c->moses_high = c->p = NAN;
	if (n < COMPARE_MIN_PROCESSES || m < COMPARE_MIN_PROCESSES) {
		c->verdict = VERDICT_INCONCLUSIVE;
		c->reason = "too few undisturbed processes";
		return true;
	}
	c->p = stats_mann_whitney_p(old, n, new, m);
	if (isnan(c->p) || !(x = malloc((n + m) * sizeof(*x)))) /* NAN: only out of memory */
		return false;
	y = x + n;
	qsort(old, n, sizeof(*old), by_value);
	qsort(new, m, sizeof(*new), by_value);
	if (!to_logs(old, n, x) || !to_logs(new, m, y)) {
		free(x);
		c->p = NAN;
		c->verdict = VERDICT_INCONCLUSIVE;
		c->reason = "a time that is not a positive number";
		return true;
	}
	/* The Hodges-Lehmann shift: the median of log(new) - log(old) over
	 * every pair of processes. */
	mid = pairs % 2 ? kth_shift(x, n, y, m, pairs / 2)
			: (kth_shift(x, n, y, m, pairs / 2 - 1) + kth_shift(x, n, y, m, pairs / 2)) / 2;
	c->change = expm1(mid);
	/* Moses' interval: drop the `critical` smallest and largest shifts,
	 * critical being U's lower 2.5% point (normal approximation). */
	critical = floor((double)pairs / 2 - z * sqrt((double)pairs * (double)(n + m + 1) / 12));
	if (critical >= 0) {
		low = kth_shift(x, n, y, m, (uint64_t)critical);
		high = kth_shift(x, n, y, m, pairs - 1 - (uint64_t)critical);
	} else {
		low = -INFINITY;
		high = INFINITY;
	}
	free(x);
	c->moses_low = expm1(low);
	c->moses_high = expm1(high);
	c->ci_low = expm1(widened(mid, low, spread, -1));
	c->ci_high = expm1(widened(mid, high, spread, +1));
	c->reason = NULL;
	if (c->ci_low > limit)
		c->verdict = VERDICT_REGRESSED;
	else if (c->ci_high < -limit)
		c->verdict = VERDICT_IMPROVED;
	else if (fabs(c->change) <= limit)
		c->verdict = VERDICT_NO_CHANGE;
	else
		c->verdict = VERDICT_WITHIN_NOISE;
	return true;
}

void compare_check_width(struct comparison *c, size_t n, const struct verdict_rule *rule)
{
	double widest = COMPARE_MAX_WIDTH * log1p(fmax(rule->threshold / 100, 0.01));

	for (size_t i = 0; i < n; i++)
		if ((c[i].verdict == VERDICT_NO_CHANGE || c[i].verdict == VERDICT_WITHIN_NOISE) &&
		    !(log1p(c[i].moses_high) - log1p(c[i].moses_low) <= widest)) {
			c[i].verdict = VERDICT_INCONCLUSIVE;
			c[i].reason = "the interval is too wide for the threshold";
		}
}

/* Whether too much of one side's evidence was disturbed to judge. */
static bool too_disturbed(const struct side_evidence *e)
{
	return e->disturbed * 3 > e->processes;
}

/* Judge one pair. */
static enum cb_status judge(const struct sample_set *old, const struct sample_set *fresh,
			    const struct verdict_rule *rule, struct comparison *c,
			    struct cb_error *err)
{
	size_t most = old->runs > fresh->runs ? old->runs : fresh->runs, n, m;
	struct process_run *runs = malloc(most * sizeof(*runs));
	double *values = malloc((old->runs + fresh->runs) * sizeof(*values));

	*c = (struct comparison){ .workers = fresh->workers };
	snprintf(c->strategy, sizeof(c->strategy), "%s", fresh->strategy);
	if (!runs || !values) {
		free(runs);
		free(values);
		return cb_fail(err, CB_SYSTEM, "out of memory for the comparison");
	}
	n = process_values(old, runs, values, &c->old);
	m = process_values(fresh, runs, values + n, &c->new);
	free(runs);
	if (interrupt_pending()) {
		free(values);
		return cb_fail(err, CB_INTERRUPTED, "interrupted");
	}
	if (!compare_process_values(values, n, values + n, m, rule, c)) {
		free(values);
		return cb_fail(err, CB_SYSTEM, "out of memory for the comparison");
	}
	free(values);
	if (too_disturbed(&c->old) || too_disturbed(&c->new)) {
		c->verdict = VERDICT_INCONCLUSIVE;
		c->reason = too_disturbed(&c->new) ? "the new runs met other work"
						   : "the baseline's runs met other work";
		c->untrusted = true;
	} else if (c->verdict == VERDICT_INCONCLUSIVE && (c->old.processes < COMPARE_MIN_PROCESSES ||
							 c->new.processes < COMPARE_MIN_PROCESSES)) {
		c->reason = "too few processes (see --processes)";
	}
	return CB_OK;
}

/* Why two reports cannot be compared at all, or NULL: a verdict between
 * other matrices or other builds of colbench measures the difference. */
static const char *unlike_reports(const struct saved_report *old,
				  const struct saved_report *fresh)
{
	if (old->matrix_shape[0] && fresh->matrix_shape[0] &&
	    strcmp(old->matrix_shape, fresh->matrix_shape) != 0)
		return "the matrices differ";
	if (old->matrix_seed[0] && fresh->matrix_seed[0] &&
	    strcmp(old->matrix_seed, fresh->matrix_seed) != 0)
		return "the matrices differ";
	if (old->version[0] && fresh->version[0] && strcmp(old->version, fresh->version) != 0)
		return "the colbench versions differ";
	return NULL;
}

/* What no statistic may outweigh, over c's verdict: a new result that
 * failed (the gate fails), then reports that cannot be compared. */
static void check_comparable(const struct sample_set *old, const struct sample_set *fresh,
			     const char *unlike, struct comparison *c)
{
	static const char *const new_failed[] = { NULL, "the new runs failed verification",
						  "a new run did not exit 0" };
	static const char *const old_failed[] = { NULL, "the baseline's runs failed verification",
						  "a baseline run did not exit 0" };
	const char *why = NULL;
	enum pair_verdict v = VERDICT_INCONCLUSIVE;

	if (fresh->failed != RUNS_OK) {
		why = new_failed[fresh->failed];
		v = VERDICT_FAILED;
	} else if (unlike) {
		why = unlike;
	} else if (old->kernel[0] && fresh->kernel[0] && strcmp(old->kernel, fresh->kernel) != 0) {
		why = "the kernels differ";
	} else if (old->failed != RUNS_OK) {
		why = old_failed[old->failed];
	}
	if (why) {
		c->verdict = v;
		c->reason = why;
		c->untrusted = v == VERDICT_INCONCLUSIVE;
	}
}

/* The limit of r with `workers` workers, or 0. */
static double limit_of(const struct saved_report *r, unsigned workers)
{
	for (size_t i = 0; i < r->limit_count; i++)
		if (r->limits[i].workers == workers)
			return r->limits[i].gbps;
	return 0;
}

/* Inconclusive when the machine's read bandwidth with c's worker count
 * moved between the reports by more than COMPARE_MACHINE_SHIFT. */
static void check_machine(const struct saved_report *old, const struct saved_report *fresh,
			  struct comparison *c)
{
	c->old_gbps = limit_of(old, c->workers);
	c->new_gbps = limit_of(fresh, c->workers);
	if (c->old_gbps > 0 && c->new_gbps > 0 &&
	    fabs(c->new_gbps / c->old_gbps - 1) > COMPARE_MACHINE_SHIFT &&
	    c->verdict != VERDICT_INCONCLUSIVE) {
		c->verdict = VERDICT_INCONCLUSIVE;
		c->reason = "the machine's read bandwidth changed between the reports";
		c->untrusted = true;
	}
}

/* Order of sample sets by (strategy, workers). */
static int compare_pairs(const struct sample_set *a, const struct sample_set *b)
{
	int by_name = strcmp(a->strategy, b->strategy);

	if (by_name)
		return by_name;
	return (a->workers > b->workers) - (a->workers < b->workers);
}

/* Indices into a sample set array, by pair and then by position, so that
 * a search finds the first of equal pairs. */
static int compare_indexed(const void *pa, const void *pb, void *sets)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	const struct sample_set *s = sets;
	int by_pair = compare_pairs(&s[a], &s[b]);

	return by_pair ? by_pair : (a > b) - (a < b);
}

/* The first of base[order[0..n)] with the pair of want, or NULL. */
static const struct sample_set *find_pair(const struct sample_set *base, const size_t *order,
					  size_t n, const struct sample_set *want)
{
	size_t lo = 0, hi = n;

	while (lo < hi) { /* the first position not below want */
		size_t mid = lo + (hi - lo) / 2;

		if (compare_pairs(&base[order[mid]], want) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && compare_pairs(&base[order[lo]], want) == 0 ? &base[order[lo]] : NULL;
}

enum cb_status compare_reports(const struct saved_report *baseline,
			       const struct saved_report *fresh, const struct verdict_rule *rule,
			       struct comparison *out, size_t *n, struct cb_error *err)
{
	size_t *order = malloc((baseline->count + 1) * sizeof(*order));
	const char *unlike = unlike_reports(baseline, fresh);

	*n = 0;
	if (!order)
		return cb_fail(err, CB_SYSTEM, "out of memory for the comparison");
	for (size_t j = 0; j < baseline->count; j++)
		order[j] = j;
	qsort_r(order, baseline->count, sizeof(*order), compare_indexed, baseline->results);
	for (size_t i = 0; i < fresh->count; i++) {
		const struct sample_set *old;

		if (interrupt_pending()) {
			free(order);
			return cb_fail(err, CB_INTERRUPTED, "interrupted");
		}
		old = find_pair(baseline->results, order, baseline->count, &fresh->results[i]);
		if (!old)
			continue;
		enum cb_status st = judge(old, &fresh->results[i], rule, &out[*n], err);

		if (st != CB_OK) {
			free(order);
			return st;
		}
		check_machine(baseline, fresh, &out[*n]);
		check_comparable(old, &fresh->results[i], unlike, &out[*n]);
		out[(*n)++].fresh_index = i;
	}
	free(order);
	return CB_OK;
}

size_t compare_not_in_baseline(const struct saved_report *fresh,
			       const struct comparison *c, size_t n, size_t *missing)
{
	size_t count = 0, k = 0;

	for (size_t i = 0; i < fresh->count; i++) {
		if (k < n && c[k].fresh_index == i)
			k++;
		else
			missing[count++] = i;
	}
	return count;
}

bool compare_regressed(const struct comparison *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (c[i].verdict == VERDICT_REGRESSED)
			return true;
	return false;
}

bool compare_failed(const struct comparison *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (c[i].verdict == VERDICT_FAILED)
			return true;
	return false;
}

bool compare_inconclusive(const struct comparison *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (c[i].verdict == VERDICT_INCONCLUSIVE)
			return true;
	return false;
}

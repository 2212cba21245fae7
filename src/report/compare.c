/*
 * compare.c - baselines: each pair judged (see compare.h).  Saved reports
 * are read beside where they are written, in report_json.c.
 */
#include "report/compare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os/interrupt.h"
#include "measure/stats.h"

const char *verdict_name(enum pair_verdict v)
{
	static const char *const names[] = { "no change", "within noise", "improved",
					     "regressed", "inconclusive" };

	return names[v];
}

void describe_matrix(char *out, size_t len, size_t rows, size_t cols, int layout,
		     const char *dtype, const char *source)
{
	snprintf(out, len, "%zu x %zu, layout %c, %s, %s", rows, cols, layout, dtype, source);
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

/* The interval's end at `end` (a log shift) around the change `mid`
 * (another), widened in quadrature by `spread` (log units). */
static double widened(double mid, double end, double spread)
{
	double side = end - mid;

	if (!isfinite(side))
		return end;
	return mid + copysign(sqrt(side * side + spread * spread), side);
}

void compare_process_values(double *old, size_t n, double *new, size_t m,
			    const struct verdict_rule *rule, struct comparison *c)
{
	double limit = rule->threshold / 100, *shifts;
	size_t pairs = n * m, k = 0;
	double z = COMPARE_Z, critical, mid, low, high;
	/* Two reports' levels, each of spread `drift`, differ by sqrt(2) of it. */
	double spread = z * sqrt(2.0) * log1p(rule->drift / 100);

	c->change = c->ci_low = c->ci_high = c->moses_low = c->moses_high = c->p = NAN;
	if (n < COMPARE_MIN_PROCESSES || m < COMPARE_MIN_PROCESSES) {
		c->verdict = VERDICT_INCONCLUSIVE;
		c->reason = "too few undisturbed processes";
		return;
	}
	shifts = malloc(pairs * sizeof(*shifts));
	if (!shifts) { /* the caller's sizes are a few dozen: not worth a status */
		c->verdict = VERDICT_INCONCLUSIVE;
		c->reason = "out of memory";
		return;
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < m; j++)
			shifts[k++] = log(new[j] / old[i]);
	qsort(shifts, pairs, sizeof(*shifts), by_value);
	mid = pairs % 2 ? shifts[pairs / 2] : (shifts[pairs / 2 - 1] + shifts[pairs / 2]) / 2;
	c->change = expm1(mid);
	/* Moses' interval: drop the `critical` smallest and largest shifts,
	 * critical being U's lower 2.5% point (normal approximation). */
	critical = floor((double)pairs / 2 - z * sqrt((double)pairs * (double)(n + m + 1) / 12));
	if (critical >= 0) {
		low = shifts[(size_t)critical];
		high = shifts[pairs - 1 - (size_t)critical];
	} else {
		low = -INFINITY;
		high = INFINITY;
	}
	c->moses_low = expm1(low);
	c->moses_high = expm1(high);
	c->ci_low = expm1(widened(mid, low, spread));
	c->ci_high = expm1(widened(mid, high, spread));
	free(shifts);
	c->p = stats_mann_whitney_p(old, n, new, m);
	c->reason = NULL;
	if (fabs(c->change) <= limit)
		c->verdict = VERDICT_NO_CHANGE;
	else if (c->ci_low > limit)
		c->verdict = VERDICT_REGRESSED;
	else if (c->ci_high < -limit)
		c->verdict = VERDICT_IMPROVED;
	else
		c->verdict = VERDICT_WITHIN_NOISE;
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
	compare_process_values(values, n, values + n, m, rule, c);
	if (too_disturbed(&c->old) || too_disturbed(&c->new)) {
		c->verdict = VERDICT_INCONCLUSIVE;
		c->reason = too_disturbed(&c->new) ? "the new runs met other work"
						   : "the baseline's runs met other work";
	} else if (c->verdict == VERDICT_INCONCLUSIVE && (c->old.processes < COMPARE_MIN_PROCESSES ||
							 c->new.processes < COMPARE_MIN_PROCESSES)) {
		c->reason = "too few processes (see --processes)";
	}
	free(runs);
	free(values);
	return CB_OK;
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
		if (judge(old, &fresh->results[i], rule, &out[*n], err) != CB_OK) {
			free(order);
			return CB_SYSTEM;
		}
		check_machine(baseline, fresh, &out[*n]);
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

bool compare_inconclusive(const struct comparison *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (c[i].verdict == VERDICT_INCONCLUSIVE)
			return true;
	return false;
}

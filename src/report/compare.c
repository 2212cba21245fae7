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
					     "regressed" };

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

/* Judge one pair. */
static void judge(const struct sample_set *old, const struct sample_set *fresh,
		  double threshold, struct comparison *c)
{
	double low, high, limit = threshold / 100;
	bool significant;

	*c = (struct comparison){ .workers = fresh->workers, .old_mean = old->mean,
				  .new_mean = fresh->mean, .old_runs = old->runs,
				  .new_runs = fresh->runs };
	snprintf(c->strategy, sizeof(c->strategy), "%s", fresh->strategy);
	c->change = fresh->mean / old->mean - 1;
	stats_welch_interval(old->times, old->runs, fresh->times, fresh->runs, 0.95, &low, &high);
	c->ci_low = low / old->mean;
	c->ci_high = high / old->mean;
	c->p = stats_mann_whitney_p(old->times, old->runs, fresh->times, fresh->runs);
	/*
	 * Significant, and the whole 95% interval beyond the threshold: a
	 * shift the runs show but whose size they cannot pin above the
	 * threshold is noise, not a verdict to fail a CI job on.
	 */
	significant = c->p < COMPARE_ALPHA;
	if (fabs(c->change) <= limit)
		c->verdict = VERDICT_NO_CHANGE;
	else if (significant && c->ci_low > limit)
		c->verdict = VERDICT_REGRESSED;
	else if (significant && c->ci_high < -limit)
		c->verdict = VERDICT_IMPROVED;
	else
		c->verdict = VERDICT_WITHIN_NOISE;
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
			       const struct saved_report *fresh, double threshold,
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
		judge(old, &fresh->results[i], threshold, &out[*n]);
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

double compare_min_p(size_t n, size_t m)
{
	double ways = 1; /* C(n + m, n), built up term by term */

	for (size_t k = 1; k <= n; k++)
		ways = ways * (double)(m + k) / (double)k;
	return 2 / ways > 1 ? 1 : 2 / ways;
}

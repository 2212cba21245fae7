/*
 * history_series.c - the series of saved reports and the gate (see
 * history_series.h).
 */
#include "report/history_series.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_value(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return (a > b) - (a < b);
}

/*
 * The level of one report's result: the median of its values, with the
 * distribution-free interval of a median (the order statistics n/2 -+
 * 1.96 sqrt(n)/2), or the values' range when there are too few for one.
 * false when no value is left (every run disturbed) or out of memory.
 */
static bool level_of(const struct sample_set *s, size_t report, struct history_point *pt,
		     bool *oom)
{
	double *v = calloc(s->runs + 1, sizeof(*v));
	size_t n = v ? compare_level_values(s, v) : (size_t)-1;

	*oom = n == (size_t)-1;
	if (*oom || n == 0) {
		free(v);
		return false;
	}
	qsort(v, n, sizeof(*v), by_value);
	pt->report = report;
	pt->level = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	if (n < 6) {
		pt->low = v[0];
		pt->high = v[n - 1];
	} else {
		double half = 0.98 * sqrt((double)n);
		long lo = (long)floor((double)n / 2 - half), hi = (long)ceil((double)n / 2 + half);

		pt->low = v[lo < 0 ? 0 : lo];
		pt->high = v[hi > (long)n - 1 ? (long)n - 1 : hi];
	}
	free(v);
	return true;
}

static struct history_series *find_series(struct history_data *d, const struct sample_set *s)
{
	for (size_t i = 0; i < d->series_count; i++)
		if (d->series[i].workers == s->workers && !strcmp(d->series[i].strategy, s->strategy))
			return &d->series[i];
	return NULL;
}

/* Every (strategy, workers) of every report, in the order first seen. */
static enum cb_status gather_series(struct history_data *d, struct cb_error *err)
{
	size_t most = 0;

	for (size_t r = 0; r < d->report_count; r++)
		most += d->reports[r].count;
	if (!(d->series = calloc(most + 1, sizeof(*d->series))))
		return cb_fail(err, CB_SYSTEM, "out of memory for the series");
	for (size_t r = 0; r < d->report_count; r++)
		for (size_t k = 0; k < d->reports[r].count; k++) {
			const struct sample_set *s = &d->reports[r].results[k];
			struct history_series *h = find_series(d, s);

			if (!h) {
				h = &d->series[d->series_count++];
				snprintf(h->strategy, sizeof(h->strategy), "%s", s->strategy);
				h->workers = s->workers;
				if (!(h->points = calloc(d->report_count + 1, sizeof(*h->points))))
					return cb_fail(err, CB_SYSTEM, "out of memory for the series");
			}
			bool oom = false;

			if (!h->points) /* made with the series, just above */
				return cb_fail(err, CB_SYSTEM, "out of memory for the series");
			if (s->failed == RUNS_OK && (h->count == 0 ||
						     h->points[h->count - 1].report != r) &&
			    level_of(s, r, &h->points[h->count], &oom))
				h->count++;
			else if (oom)
				return cb_fail(err, CB_SYSTEM, "out of memory for the series");
		}
	return d->series_count ? CB_OK : cb_fail(err, CB_USAGE, "no report holds a result");
}

bool history_step_fails(const struct history_data *d, const struct history_step *s)
{
	return s->ratio > 1 + d->threshold / 100;
}

/* The last two reports, judged as --baseline judges: a pair that met
 * other work, a changed machine or unlike reports makes the gate 5. */
static enum cb_status check_latest(struct history_data *d, const struct verdict_rule *rule,
				   struct cb_error *err)
{
	const struct saved_report *prev = &d->reports[d->report_count - 2];
	const struct saved_report *last = &d->reports[d->report_count - 1];
	struct comparison *c = calloc(last->count + 1, sizeof(*c));
	size_t n = 0;
	enum cb_status st;

	if (!c)
		return cb_fail(err, CB_SYSTEM, "out of memory for the comparison");
	st = compare_reports(prev, last, rule, c, &n, err);
	for (size_t i = 0; st == CB_OK && i < n; i++)
		if (c[i].untrusted) {
			d->gate = CB_INCONCLUSIVE;
			snprintf(d->gate_reason, sizeof(d->gate_reason),
				 "the latest report cannot be judged: %s %u: %s", c[i].strategy,
				 c[i].workers, c[i].reason);
			break;
		}
	free(c);
	return st;
}

/* The gate over every series: the first reason to fail, else to doubt. */
static void judge_series(struct history_data *d)
{
	for (size_t i = 0; i < d->series_count; i++) {
		const struct history_series *h = &d->series[i];
		const struct history_fit *f = &h->fit;

		if (f->step_count && history_step_fails(d, &f->steps[f->step_count - 1])) {
			const struct history_step *s = &f->steps[f->step_count - 1];

			d->gate = CB_REGRESSED;
			snprintf(d->gate_reason, sizeof(d->gate_reason),
				 "%s %u: %.1f%% slower since report %zu (%s), the latest change point",
				 h->strategy, h->workers, 100 * (s->ratio - 1),
				 h->points[s->at].report + 1, d->reports[h->points[s->at].report].label[0]
				 ? d->reports[h->points[s->at].report].label
				 : d->paths[h->points[s->at].report]);
			return;
		}
	}
	for (size_t i = 0; d->gate == CB_OK && i < d->series_count; i++) {
		const struct history_series *h = &d->series[i];

		if (h->count < HISTORY_MIN_LEVELS) {
			d->gate = CB_INCONCLUSIVE;
			snprintf(d->gate_reason, sizeof(d->gate_reason),
				 "%s %u: %zu reports, too few to tell (a step needs %zu on each side)",
				 h->strategy, h->workers, h->count, HISTORY_MIN_RUN);
		} else if (h->fit.last_apart && h->fit.last_ratio > 1 + d->threshold / 100 &&
			   h->points[h->count - 1].report == d->report_count - 1) {
			d->gate = CB_INCONCLUSIVE;
			snprintf(d->gate_reason, sizeof(d->gate_reason),
				 "%s %u: the latest report is %.1f%% slower than the level before it, "
				 "alone: a step or an outlier, which the next report will tell",
				 h->strategy, h->workers, 100 * (h->fit.last_ratio - 1));
		}
	}
}

enum cb_status history_build(const struct saved_report *reports, const char *const *paths,
			     size_t n, const struct verdict_rule *rule, struct history_data *d,
			     struct cb_error *err)
{
	enum cb_status st;

	*d = (struct history_data){ .reports = reports, .paths = paths, .report_count = n,
				    .threshold = rule->threshold, .gate = CB_OK };
	if ((st = gather_series(d, err)) != CB_OK)
		return st;
	for (size_t i = 0; i < d->series_count; i++) {
		struct history_series *h = &d->series[i];
		double *levels = calloc(h->count + 1, sizeof(*levels));
		bool ok;

		if (!levels)
			return cb_fail(err, CB_SYSTEM, "out of memory for the series");
		for (size_t k = 0; k < h->count; k++)
			levels[k] = h->points[k].level;
		ok = history_fit(levels, h->count, &h->fit);
		free(levels);
		if (!ok)
			return cb_fail(err, CB_SYSTEM, "out of memory for the series");
	}
	judge_series(d);
	if (d->gate == CB_OK && n >= 2)
		st = check_latest(d, rule, err);
	if (d->gate == CB_OK && n < HISTORY_MIN_LEVELS) {
		d->gate = CB_INCONCLUSIVE;
		snprintf(d->gate_reason, sizeof(d->gate_reason),
			 "%zu reports, too few to tell (a step needs %zu on each side)", n,
			 HISTORY_MIN_RUN);
	}
	if (d->gate == CB_OK)
		snprintf(d->gate_reason, sizeof(d->gate_reason),
			 "no regression past %.1f%% at the latest change point of any series",
			 d->threshold);
	return st;
}

void history_data_free(struct history_data *d)
{
	for (size_t i = 0; i < d->series_count; i++) {
		free(d->series[i].points);
		history_fit_free(&d->series[i].fit);
	}
	free(d->series);
	d->series = NULL;
	d->series_count = 0;
}

/*
 * calibration.c - the gate's false-alarm rate and power, measured from
 * A/A pairs of fresh reports (see calibration.h).
 */
#include "report/calibration.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/output.h"

enum cb_status calibration_report_make(const struct report_data *d, struct calibration_report *r,
				       struct cb_error *err)
{
	size_t runs = 0, at = 0;

	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i < d->count; i++)
		runs += d->results[i].runs;
	r->sets = calloc(d->count + 1, sizeof(*r->sets));
	r->measured = calloc(runs + 1, sizeof(*r->measured));
	r->means = calloc(d->count + 1, sizeof(*r->means));
	r->times = calloc(runs + 1, sizeof(*r->times));
	r->process = calloc(runs + 1, sizeof(*r->process));
	r->disturbed = calloc(runs + 1, sizeof(*r->disturbed));
	if (!r->sets || !r->measured || !r->means || !r->times || !r->process || !r->disturbed)
		return cb_fail(err, CB_SYSTEM, "out of memory for the calibration");
	report_as_saved(d, &r->saved, r->sets, r->disturbed);
	for (size_t i = 0; i < d->count; i++) {
		const struct bench_result *b = &d->results[i];

		memcpy(r->measured + at, b->per_loop, b->runs * sizeof(double));
		memcpy(r->times + at, b->per_loop, b->runs * sizeof(double));
		memcpy(r->process + at, b->process, b->runs * sizeof(unsigned));
		r->means[i] = b->time.mean;
		r->sets[i].times = r->times + at;
		r->sets[i].process = r->process + at;
		at += b->runs;
	}
	return CB_OK;
}

void calibration_report_free(struct calibration_report *r)
{
	free(r->sets);
	free(r->measured);
	free(r->means);
	free(r->times);
	free(r->process);
	free(r->disturbed);
	memset(r, 0, sizeof(*r));
}

/* Every run of new's result i times `factor` (from its measured times). */
static void scale_result(struct calibration_report *fresh, size_t i, double factor)
{
	struct sample_set *set = &fresh->sets[i];
	double *t = fresh->times + (set->times - fresh->times);
	const double *measured = fresh->measured + (set->times - fresh->times);

	for (size_t k = 0; k < set->runs; k++)
		t[k] = measured[k] * factor;
	set->mean = fresh->means[i] * factor;
}


/*
 * One A/A pair's evidence of the drift (report/compare.h): its change
 * varies by 2 drift^2 plus what the processes' own spread explains, read
 * off Moses' interval (its half-width over 1.96, in log units).
 */
static void add_drift_evidence(struct calibration_result *r, const struct comparison *c)
{
	double change = log1p(c->change);
	double spread = (log1p(c->moses_high) - log1p(c->moses_low)) / (2 * COMPARE_Z);

	r->judged++;
	if (!isfinite(change) || !isfinite(spread))
		return;
	r->change_sq += change * change;
	r->process_sq += spread * spread;
	r->drift_pairs++;
}

/* The A/A verdicts of every pair, per result, and the drift they show. */
static enum cb_status judge_aa(struct calibration_report *reports, unsigned pairs,
			       const struct verdict_rule *rule, struct calibration_result *res,
			       size_t count,
			       unsigned *pairs_regressed, unsigned *pairs_inconclusive,
			       struct comparison *c, struct cb_error *err)
{
	*pairs_regressed = *pairs_inconclusive = 0;
	for (size_t i = 0; i < count; i++) {
		snprintf(res[i].strategy, sizeof(res[i].strategy), "%s", reports[0].sets[i].strategy);
		res[i].workers = reports[0].sets[i].workers;
		res[i].worst_low = INFINITY;
		res[i].worst_high = -INFINITY;
		res[i].detects = NAN; /* searched only where the evidence allows */
	}
	for (unsigned p = 0; p < pairs; p++) {
		size_t n;
		enum cb_status st = compare_reports(&reports[2 * (size_t)p].saved,
						    &reports[2 * (size_t)p + 1].saved, rule, c,
						    &n, err);

		if (st != CB_OK)
			return st;
		*pairs_regressed += compare_regressed(c, n);
		*pairs_inconclusive += !compare_regressed(c, n) && compare_inconclusive(c, n);
		for (size_t k = 0; k < n; k++) {
			struct calibration_result *r = &res[c[k].fresh_index];

			r->regressed += c[k].verdict == VERDICT_REGRESSED;
			r->inconclusive += c[k].verdict == VERDICT_INCONCLUSIVE;
			/* An inconclusive pair (disturbed, a changed machine) is
			 * no evidence of the gate's own spread. */
			if (c[k].verdict == VERDICT_INCONCLUSIVE) {
				r->why = c[k].reason;
				continue;
			}
			if (isfinite(c[k].ci_low) && c[k].ci_low < r->worst_low)
				r->worst_low = c[k].ci_low;
			if (isfinite(c[k].ci_high) && c[k].ci_high > r->worst_high)
				r->worst_high = c[k].ci_high;
			add_drift_evidence(r, &c[k]);
		}
	}
	for (size_t i = 0; i < count; i++)
		res[i].drift = res[i].drift_pairs
			? expm1(sqrt(fmax(0, (res[i].change_sq - res[i].process_sq) /
					     res[i].drift_pairs / 2)))
			: NAN;
	return CB_OK;
}

/* For result i: the smallest slowdown that at least CALIBRATE_POWER of the
 * pairs call regressed, or NAN when none up to CALIBRATE_MAX_SLOWDOWN. */
static enum cb_status find_power(struct calibration_report *reports, unsigned pairs,
				 const struct verdict_rule *rule, size_t i, struct comparison *c,
				 double *detects,
				 struct cb_error *err)
{
	*detects = NAN;
	for (unsigned step = 1; step * CALIBRATE_STEP <= CALIBRATE_MAX_SLOWDOWN + 1e-9; step++) {
		double s = step * CALIBRATE_STEP;
		unsigned caught = 0;

		for (unsigned p = 0; p < pairs; p++) {
			size_t n;
			enum cb_status st;

			struct calibration_report *old = &reports[2 * (size_t)p], *fresh = old + 1;

			scale_result(fresh, i, 1 + s);
			st = compare_reports(&old->saved, &fresh->saved, rule, c, &n, err);
			scale_result(fresh, i, 1);
			if (st != CB_OK)
				return st;
			for (size_t k = 0; k < n; k++)
				caught += c[k].fresh_index == i && c[k].verdict == VERDICT_REGRESSED;
		}
		if (caught >= CALIBRATE_POWER * pairs) {
			*detects = s;
			return CB_OK;
		}
	}
	return CB_OK;
}

/* The smallest whole percent above every A/A interval's upper end, plus one. */
static double suggest_threshold(const struct calibration_result *res, size_t count)
{
	double worst = 0;

	for (size_t i = 0; i < count; i++)
		if (isfinite(res[i].worst_high) && res[i].worst_high > worst)
			worst = res[i].worst_high;
	/* The new side's interval can reach up to worst by chance alone: a
	 * threshold below it would let the lower end of a chance interval
	 * pass it on a worse day. */
	return ceil(100 * worst) + 1;
}

/* The largest drift the pairs showed, in percent rounded up to a half; NAN: none. */
static double suggest_drift(const struct calibration_result *res, size_t count)
{
	double worst = NAN;

	for (size_t i = 0; i < count; i++)
		if (isfinite(res[i].drift) && !(res[i].drift <= worst))
			worst = res[i].drift;
	return isnan(worst) ? NAN : ceil(200 * worst) / 2;
}

unsigned calibrate_evidence_needed(unsigned pairs)
{
	unsigned half = (pairs + 1) / 2;

	return pairs < 2 ? pairs : half < 2 ? 2 : half;
}

/* The first result judged in fewer pairs than a suggestion needs; NULL if none. */
static const struct calibration_result *short_of_evidence(const struct calibration_result *res,
							   size_t count, unsigned pairs)
{
	for (size_t i = 0; i < count; i++)
		if (res[i].judged < calibrate_evidence_needed(pairs))
			return &res[i];
	return NULL;
}

enum cb_status calibration_judge(struct calibration_report *reports, struct calibration *c,
				 struct cb_error *err)
{
	struct calibration_summary *sum = &c->summary;
	struct comparison *cmp;
	enum cb_status st;

	c->count = reports[0].saved.count;
	c->results = calloc(c->count + 1, sizeof(*c->results));
	cmp = calloc(c->count + 1, sizeof(*cmp));
	if (!c->results || !cmp) {
		free(cmp);
		return cb_fail(err, CB_SYSTEM, "out of memory for the calibration");
	}
	st = judge_aa(reports, c->pairs, &c->rule, c->results, c->count, &sum->regressed,
		      &sum->inconclusive, cmp, err);
	/* The power is searched only where the pairs were judged enough. */
	for (size_t i = 0; st == CB_OK && i < c->count; i++)
		if (c->results[i].judged >= calibrate_evidence_needed(c->pairs))
			st = find_power(reports, c->pairs, &c->rule, i, cmp, &c->results[i].detects,
					err);
	free(cmp);
	sum->lacking = short_of_evidence(c->results, c->count, c->pairs);
	sum->threshold = suggest_threshold(c->results, c->count);
	sum->drift = suggest_drift(c->results, c->count);
	return st;
}

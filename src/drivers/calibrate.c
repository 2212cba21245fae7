/*
 * calibrate.c - the gate's false-alarm rate and power, measured (see
 * calibrate.h).
 */
#include "drivers/calibrate.h"
#include "drivers/driver.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "measure/progress.h"
#include "os/clock.h"
#include "report/compare.h"
#include "sampling/sampler.h"

/* One fresh report, as a comparison reads it (its own copies of the times). */
struct calibration_report {
	struct sample_merge merged;
	struct sample_set *sets;
	double *times;  /* every run of every result, scaled for the power search */
	bool *disturbed;
	struct saved_report saved;
};

/* What the pairs showed for one strategy and worker count. */
struct calibration_result {
	char strategy[32];
	unsigned workers;
	unsigned regressed, inconclusive; /* A/A pairs */
	double worst_low, worst_high;     /* the A/A intervals' extremes */
	double detects;                   /* smallest slowdown caught in 95%; NAN: none */
	/* The drift: sums over the judged A/A pairs of the squared log
	 * change and of the squared spread the processes alone explain. */
	double change_sq, process_sq;
	unsigned judged;                  /* A/A pairs with a verdict: the evidence */
	unsigned drift_pairs;             /* of those, the ones with a finite change */
	const char *why;                  /* the last inconclusive pair's reason */
	double drift;                     /* one report's own spread; NAN: unknown */
};

static void report_free(struct calibration_report *r)
{
	sampler_merge_free(&r->merged);
	free(r->sets);
	free(r->times);
	free(r->disturbed);
}

/* Make one fresh report: sampled, judged for disturbance, set up for comparing. */
static enum cb_status fresh_report(const struct plan *p, struct calibration_report *r,
				   struct cb_error *err)
{
	enum cb_status st = sampler_collect(p, &r->merged, err);
	size_t runs = 0, at = 0;

	if (st != CB_OK)
		return st == CB_VERIFY ? cb_fail(err, CB_VERIFY, "a result failed verification")
				       : st;
	for (size_t i = 0; i < r->merged.count; i++)
		runs += r->merged.results[i].runs;
	r->sets = calloc(r->merged.count + 1, sizeof(*r->sets));
	r->times = calloc(runs + 1, sizeof(*r->times));
	r->disturbed = calloc(runs + 1, sizeof(*r->disturbed));
	if (!r->sets || !r->times || !r->disturbed)
		return cb_fail(err, CB_SYSTEM, "out of memory for the calibration");
	for (size_t i = 0; i < r->merged.count; i++) {
		const struct bench_result *b = &r->merged.results[i];

		for (unsigned k = 0; k < b->runs; k++) {
			r->times[at + k] = b->per_loop[k];
			r->disturbed[at + k] = b->disturbance[k].disturbed;
		}
		r->sets[i] = (struct sample_set){ .workers = b->workers, .mean = b->time.mean,
						  .times = r->times + at, .process = b->process,
						  .disturbed = r->disturbed + at, .runs = b->runs };
		snprintf(r->sets[i].strategy, sizeof(r->sets[i].strategy), "%s", b->strategy->name);
		at += b->runs;
	}
	r->saved = (struct saved_report){ .count = r->merged.count, .results = r->sets };
	for (size_t i = 0; i < r->merged.info.limit_count && i < COMPARE_MAX_LIMITS; i++)
		r->saved.limits[r->saved.limit_count++] = (struct saved_limit){
			r->merged.info.limits[i].workers, r->merged.info.limits[i].gbps };
	return CB_OK;
}

/* Every run of new's result i times `factor` (from its measured times). */
static void scale_result(struct calibration_report *fresh, size_t i, double factor)
{
	const struct bench_result *b = &fresh->merged.results[i];
	double *t = (double *)fresh->sets[i].times;

	for (unsigned k = 0; k < b->runs; k++)
		t[k] = b->per_loop[k] * factor;
	fresh->sets[i].mean = b->time.mean * factor;
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
		snprintf(res[i].strategy, sizeof(res[i].strategy), "%s",
			 reports[0].merged.results[i].strategy->name);
		res[i].workers = reports[0].merged.results[i].workers;
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

/* What calibrate found, for either format. */
struct calibration_summary {
	unsigned regressed, inconclusive; /* A/A pairs */
	double threshold, drift;          /* suggested, percent (drift NAN: none) */
	double seconds;
	const struct calibration_result *lacking; /* too little evidence: no suggestion */
};

/* Why nothing is suggested, in one sentence (s->lacking is set). */
static void no_suggestion_reason(char *buf, size_t len, const struct plan *p,
				 const struct calibration_summary *s)
{
	snprintf(buf, len, "%s with %u worker%s was judged in %u of %u A/A pairs, and a "
		 "suggestion needs %u (the others were inconclusive: %s)",
		 s->lacking->strategy, s->lacking->workers, s->lacking->workers == 1 ? "" : "s",
		 s->lacking->judged, p->pairs, calibrate_evidence_needed(p->pairs),
		 s->lacking->why ? s->lacking->why : "no verdict");
}

static void print_text(const struct plan *p, const struct calibration_result *res,
		       size_t count, const struct calibration_summary *s)
{
	printf("colbench calibrate: %u A/A pairs of fresh reports (%u processes x %u runs each), "
	       "threshold %.1f%%, drift %.1f%%, %.0f s\n", p->pairs, p->processes, p->repeat,
	       p->report.rule.threshold, p->report.rule.drift, s->seconds);
	printf("false alarms: %u of %u pairs regressed (%.0f%%); %u inconclusive\n", s->regressed,
	       p->pairs, 100.0 * s->regressed / p->pairs, s->inconclusive);
	printf("\n%-8s  %7s  %-21s  %10s  %6s  %6s  %s\n", "strategy", "workers",
	       "A/A intervals span", "regressed", "judged", "drift", "detects 95% of the time");
	for (size_t i = 0; i < count; i++) {
		char span[48], detects[32], drift[16];

		if (isfinite(res[i].worst_low) && isfinite(res[i].worst_high))
			snprintf(span, sizeof(span), "[%+.1f%%, %+.1f%%]", 100 * res[i].worst_low,
				 100 * res[i].worst_high);
		else
			snprintf(span, sizeof(span), "-");
		if (res[i].judged < calibrate_evidence_needed(p->pairs))
			snprintf(detects, sizeof(detects), "- (too few judged pairs)");
		else if (isnan(res[i].detects))
			snprintf(detects, sizeof(detects), "no slowdown up to +%d%%",
				 100 * CALIBRATE_MAX_SLOWDOWN);
		else
			snprintf(detects, sizeof(detects), "a slowdown of +%.1f%%",
				 100 * res[i].detects);
		if (isnan(res[i].drift))
			snprintf(drift, sizeof(drift), "-");
		else
			snprintf(drift, sizeof(drift), "%.1f%%", 100 * res[i].drift);
		printf("%-8s  %7u  %-21s  %10u  %6u  %6s  %s\n", res[i].strategy, res[i].workers,
		       span, res[i].regressed, res[i].judged, drift, detects);
	}
	if (s->lacking) {
		char why[256];

		no_suggestion_reason(why, sizeof(why), p, s);
		printf("\nnothing suggested: %s\n", why);
		return;
	}
	printf("\nsuggested --threshold: %.0f (every A/A interval ends below %.0f%%)\n",
	       s->threshold, s->threshold - 1);
	if (!isnan(s->drift))
		printf("suggested --drift: %.1f (the largest drift between these reports, "
		       "made minutes apart: allow more for a baseline of another day)\n", s->drift);
}

static enum cb_status print_json(const struct plan *p, const struct calibration_result *res,
				 size_t count, const struct calibration_summary *s,
				 struct cb_error *err)
{
	json_t *root = json_object(), *list = json_array();
	char *text;

	for (size_t i = 0; i < count; i++) {
		json_t *o = json_pack("{s:s, s:i, s:i, s:i}", "strategy", res[i].strategy,
				      "workers", (int)res[i].workers, "regressed",
				      (int)res[i].regressed, "inconclusive", (int)res[i].inconclusive);

		json_object_set_new(o, "judged_pairs", json_integer(res[i].judged));
		json_object_set_new(o, "aa_ci_low_min", isfinite(res[i].worst_low)
				    ? json_real(res[i].worst_low) : json_null());
		json_object_set_new(o, "aa_ci_high_max", isfinite(res[i].worst_high)
				    ? json_real(res[i].worst_high) : json_null());
		json_object_set_new(o, "detectable_slowdown", isnan(res[i].detects)
				    ? json_null() : json_real(res[i].detects));
		json_object_set_new(o, "drift", isnan(res[i].drift)
				    ? json_null() : json_real(res[i].drift));
		json_array_append_new(list, o);
	}
	json_object_set_new(root, "pairs", json_integer(p->pairs));
	json_object_set_new(root, "processes", json_integer(p->processes));
	json_object_set_new(root, "runs_per_process", json_integer(p->repeat));
	json_object_set_new(root, "threshold_percent", json_real(p->report.rule.threshold));
	json_object_set_new(root, "drift_percent", json_real(p->report.rule.drift));
	json_object_set_new(root, "false_alarms", json_integer(s->regressed));
	json_object_set_new(root, "false_alarm_rate", json_real((double)s->regressed / p->pairs));
	json_object_set_new(root, "inconclusive_pairs", json_integer(s->inconclusive));
	json_object_set_new(root, "power", json_real(CALIBRATE_POWER));
	json_object_set_new(root, "results", list);
	json_object_set_new(root, "pairs_needed", json_integer(calibrate_evidence_needed(p->pairs)));
	if (s->lacking) {
		char why[256];

		no_suggestion_reason(why, sizeof(why), p, s);
		json_object_set_new(root, "no_suggestion", json_string(why));
	}
	json_object_set_new(root, "suggested_threshold_percent", s->lacking
			    ? json_null() : json_real(s->threshold));
	json_object_set_new(root, "suggested_drift_percent", s->lacking || isnan(s->drift)
			    ? json_null() : json_real(s->drift));
	json_object_set_new(root, "seconds", json_real(s->seconds));
	text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
	json_decref(root);
	if (!text)
		return cb_fail(err, CB_SYSTEM, "out of memory for the report");
	puts(text);
	free(text);
	return CB_OK;
}

enum cb_status drive_calibrate(const struct plan *p, struct cb_error *err)
{
	unsigned reports_wanted = 2 * p->pairs, made = 0;
	struct calibration_summary sum = { 0 };
	struct calibration_report *reports = calloc(reports_wanted, sizeof(*reports));
	struct calibration_result *res = NULL;
	struct comparison *c = NULL;
	double t0 = monotonic_seconds();
	size_t count = 0;
	enum cb_status st = CB_OK;

	if (!reports)
		return cb_fail(err, CB_SYSTEM, "out of memory for the calibration");
	for (; st == CB_OK && made < reports_wanted; made++) {
		/* A line a report; the sampler's own line below it. */
		if (!p->quiet && progress_terminal())
			fprintf(stderr, "colbench: calibrate: report %u of %u\n", made + 1,
				reports_wanted);
		st = fresh_report(p, &reports[made], err);
	}
	if (st == CB_OK) {
		count = reports[0].merged.count;
		res = calloc(count + 1, sizeof(*res));
		c = calloc(count + 1, sizeof(*c));
		if (!res || !c)
			st = cb_fail(err, CB_SYSTEM, "out of memory for the calibration");
	}
	if (st == CB_OK && res && c)
		st = judge_aa(reports, p->pairs, &p->report.rule, res, count, &sum.regressed,
			      &sum.inconclusive, c, err);
	/* The power is searched only where the pairs were judged enough. */
	for (size_t i = 0; st == CB_OK && res && c && i < count; i++)
		if (res[i].judged >= calibrate_evidence_needed(p->pairs))
			st = find_power(reports, p->pairs, &p->report.rule, i, c, &res[i].detects,
					err);
	if (st == CB_OK && res) {
		sum.lacking = short_of_evidence(res, count, p->pairs);
		sum.threshold = suggest_threshold(res, count);
		sum.drift = suggest_drift(res, count);
		sum.seconds = monotonic_seconds() - t0;
		if (p->report.format == FORMAT_JSON)
			st = print_json(p, res, count, &sum, err);
		else
			print_text(p, res, count, &sum);
		if (st == CB_OK && sum.lacking)
			st = CB_INCONCLUSIVE;
	}
	for (unsigned i = 0; i < made; i++)
		report_free(&reports[i]);
	free(reports);
	free(res);
	free(c);
	return st;
}
DRIVER_TAKES_PLAN(drive_calibrate);

/*
 * report_calibration.c - colbench calibrate's figures as text or JSON
 * (see calibration.h).
 */
#include "report/calibration.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* Why nothing is suggested, in one sentence (s->lacking is set). */
static void no_suggestion_reason(char *buf, size_t len, const struct calibration *c,
				 const struct calibration_summary *s)
{
	snprintf(buf, len, "%s with %u worker%s was judged in %u of %u A/A pairs, and a "
		 "suggestion needs %u (the others were inconclusive: %s)",
		 s->lacking->strategy, s->lacking->workers, s->lacking->workers == 1 ? "" : "s",
		 s->lacking->judged, c->pairs, calibrate_evidence_needed(c->pairs),
		 s->lacking->why ? s->lacking->why : "no verdict");
}

static void print_text(const struct calibration *c, const struct calibration_result *res,
		       size_t count, const struct calibration_summary *s)
{
	printf("colbench calibrate: %u A/A pairs of fresh reports (%u processes x %u runs each), "
	       "threshold %.1f%%, drift %.1f%%, %.0f s\n", c->pairs, c->processes, c->runs_per_process,
	       c->rule.threshold, c->rule.drift, s->seconds);
	printf("false alarms: %u of %u pairs regressed (%.0f%%); %u inconclusive\n", s->regressed,
	       c->pairs, 100.0 * s->regressed / c->pairs, s->inconclusive);
	printf("\n%-8s  %7s  %-21s  %10s  %6s  %6s  %s\n", "strategy", "workers",
	       "A/A intervals span", "regressed", "judged", "drift", "detects 95% of the time");
	for (size_t i = 0; i < count; i++) {
		char span[48], detects[32], drift[16];

		if (isfinite(res[i].worst_low) && isfinite(res[i].worst_high))
			snprintf(span, sizeof(span), "[%+.1f%%, %+.1f%%]", 100 * res[i].worst_low,
				 100 * res[i].worst_high);
		else
			snprintf(span, sizeof(span), "-");
		if (res[i].judged < calibrate_evidence_needed(c->pairs))
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

		no_suggestion_reason(why, sizeof(why), c, s);
		printf("\nnothing suggested: %s\n", why);
		return;
	}
	printf("\nsuggested --threshold: %.0f (every A/A interval ends below %.0f%%)\n",
	       s->threshold, s->threshold - 1);
	if (!isnan(s->drift))
		printf("suggested --drift: %.1f (the largest drift between these reports, "
		       "made minutes apart: allow more for a baseline of another day)\n", s->drift);
}

static enum cb_status print_json(const struct calibration *c, const struct calibration_result *res,
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
	json_object_set_new(root, "pairs", json_integer(c->pairs));
	json_object_set_new(root, "processes", json_integer(c->processes));
	json_object_set_new(root, "runs_per_process", json_integer(c->runs_per_process));
	json_object_set_new(root, "threshold_percent", json_real(c->rule.threshold));
	json_object_set_new(root, "drift_percent", json_real(c->rule.drift));
	json_object_set_new(root, "false_alarms", json_integer(s->regressed));
	json_object_set_new(root, "false_alarm_rate", json_real((double)s->regressed / c->pairs));
	json_object_set_new(root, "inconclusive_pairs", json_integer(s->inconclusive));
	json_object_set_new(root, "power", json_real(CALIBRATE_POWER));
	json_object_set_new(root, "results", list);
	json_object_set_new(root, "pairs_needed", json_integer(calibrate_evidence_needed(c->pairs)));
	if (s->lacking) {
		char why[256];

		no_suggestion_reason(why, sizeof(why), c, s);
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
enum cb_status report_calibration(const struct calibration *c, enum report_format format,
				  struct cb_error *err)
{
	if (format == FORMAT_JSON)
		return print_json(c, c->results, c->count, &c->summary, err);
	print_text(c, c->results, c->count, &c->summary);
	return CB_OK;
}

/*
 * calibrate.c - colbench calibrate: 2K fresh reports, sampled as a saved
 * report is, paired into K A/A comparisons and judged
 * (report/calibration.h says what is computed from them and how).
 */
#include <stdio.h>
#include <stdlib.h>

#include "drivers/driver.h"
#include "measure/progress.h"
#include "os/clock.h"
#include "report/calibration.h"
#include "sampling/sampler.h"

/* Make one fresh report: sampled, judged for disturbance, kept as a
 * comparison reads it. */
static enum cb_status fresh_report(const struct plan *p, struct calibration_report *r,
				   struct cb_error *err)
{
	static struct sample_merge merged; /* off the stack (ulimit -s 32) */
	enum cb_status st = sampler_collect(p, &merged, err);
	struct report_data data = { .info = &merged.info, .results = merged.results,
				    .count = merged.count };

	if (st == CB_OK)
		st = calibration_report_make(&data, r, err);
	else if (st == CB_VERIFY)
		st = cb_fail(err, CB_VERIFY, "a result failed verification");
	sampler_merge_free(&merged);
	return st;
}

enum cb_status drive_calibrate(const struct plan *p, struct cb_error *err)
{
	unsigned wanted = 2 * p->aa_pairs, made = 0;
	struct calibration_report *reports = calloc(wanted, sizeof(*reports));
	struct calibration c = { .pairs = p->aa_pairs, .processes = p->processes,
				 .runs_per_process = p->repeat, .rule = p->report.rule };
	double t0 = monotonic_seconds();
	enum cb_status st = CB_OK;

	if (!reports)
		return cb_fail(err, CB_SYSTEM, "out of memory for the calibration");
	for (; st == CB_OK && made < wanted; made++) {
		/* A line a report; the sampler's own line below it. */
		if (!p->quiet && progress_terminal())
			fprintf(stderr, "colbench: calibrate: report %u of %u\n", made + 1, wanted);
		st = fresh_report(p, &reports[made], err);
	}
	if (st == CB_OK)
		st = calibration_judge(reports, &c, err);
	c.summary.seconds = monotonic_seconds() - t0;
	if (st == CB_OK)
		st = report_calibration(&c, p->report.format, err);
	if (st == CB_OK && c.summary.lacking)
		st = CB_INCONCLUSIVE;
	for (unsigned i = 0; i < made; i++)
		calibration_report_free(&reports[i]);
	free(reports);
	free(c.results);
	return st;
}
DRIVER_TAKES_PLAN(drive_calibrate);

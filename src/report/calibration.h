/*
 * calibration.h - the figures of colbench calibrate: how often would a
 * regression gate cry wolf on this machine, and what is the smallest
 * slowdown it catches?  The driver (drivers/calibrate.c) makes the fresh
 * reports; the figures are computed here and printed by
 * report_calibration.c, like every other report.
 *
 * Calibrate makes 2K fresh reports with the given options (sampled as a saved
 * report is: fresh processes, interleaved), pairs them into K A/A
 * comparisons of unchanged code, and judges each as --baseline would at
 * the chosen --threshold: the share of pairs that say `regressed` is the
 * gate's measured false-alarm rate.  Then, for each strategy and worker
 * count, it slows the new side of every pair by s = 0.5%, 1%, 1.5%, ...
 * (every run's time times 1 + s: the machine's real noise, a known
 * slowdown) until at least 95% of the pairs say `regressed`: the smallest
 * slowdown the gate detects 95% of the time.  Its suggested threshold is
 * the smallest whole percent above every A/A interval's upper end, plus
 * one percent to spare.  It also measures the drift (report/compare.h):
 * an A/A pair's log change varies by twice the drift's square plus what
 * the processes' own spread (Moses' interval) explains, so the drift is
 * the square root of half the excess, over the pairs; the largest, rounded
 * up to half a percent, is the suggested --drift.  Its reports are made
 * minutes apart: a baseline of another day may have drifted further.
 * Only pairs that were judged count: a disturbed pair says nothing of the
 * gate's spread, and a suggestion is made only from enough of them.
 */
#ifndef COLBENCH_REPORT_CALIBRATION_H
#define COLBENCH_REPORT_CALIBRATION_H

#include <stdbool.h>
#include <stddef.h>

#include "os/status.h"
#include "report/compare.h"
#include "report/format.h"
#include "report/report.h"

#define CALIBRATE_POWER 0.95     /* detected in this share of pairs */
#define CALIBRATE_STEP 0.005     /* slowdowns tried: 0.5%, 1%, ... */
#define CALIBRATE_MAX_SLOWDOWN 4 /* ... up to 400% */

/*
 * The evidence a suggestion needs: every strategy and worker count judged
 * (given a verdict, not called inconclusive for other work on the CPUs or a
 * changed machine) in at least half the pairs, and in at least two of them
 * (in the one, under --pairs 1).  With less, calibrate says which result
 * lacked it, suggests nothing, and ends with status 5.
 */
unsigned calibrate_evidence_needed(unsigned pairs);

/* One fresh report, as a comparison reads it, with its own copies of the
 * times (the power search scales them) and of the processes. */
struct calibration_report {
	struct saved_report saved;
	struct sample_set *sets;
	double *measured, *means; /* every run's time as measured; each result's mean */
	double *times;            /* the same, scaled for the power search */
	unsigned *process;
	bool *disturbed;
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

/* What calibrate found, for either format. */
struct calibration_summary {
	unsigned regressed, inconclusive; /* A/A pairs */
	double threshold, drift;          /* suggested, percent (drift NAN: none) */
	double seconds;
	const struct calibration_result *lacking; /* too little evidence: no suggestion */
};

/* A calibration: its protocol, what each result showed, what it found. */
struct calibration {
	unsigned pairs, processes, runs_per_process;
	struct verdict_rule rule;
	struct calibration_result *results; /* one a strategy and worker count */
	size_t count;
	struct calibration_summary summary;
};

/* Make r from a fresh report's data (report_as_saved, then copies of what
 * r must keep after d is freed). */
enum cb_status calibration_report_make(const struct report_data *d, struct calibration_report *r,
				       struct cb_error *err);
void calibration_report_free(struct calibration_report *r);

/*
 * Judge the c->pairs A/A pairs of reports (2 c->pairs of them, in pairs
 * of old and new) at c->rule into c: the false alarms, each result's
 * intervals, drift and detectable slowdown (searched only where the
 * pairs were judged enough), and the suggestions.  c->results is the
 * caller's to free.
 */
enum cb_status calibration_judge(struct calibration_report *reports, struct calibration *c,
				 struct cb_error *err);

/* Print c as text or JSON on stdout (report_calibration.c). */
enum cb_status report_calibration(const struct calibration *c, enum report_format format,
				  struct cb_error *err);

#endif

/*
 * history_series.h - colbench history's figures over saved reports: for
 * each strategy and worker count, its level in each report (with an
 * interval), the change points in that series (history.h), and the gate's
 * verdict on the series as a whole.
 */
#ifndef COLBENCH_HISTORY_SERIES_H
#define COLBENCH_HISTORY_SERIES_H

#include <stdbool.h>
#include <stddef.h>

#include "os/status.h"
#include "report/compare.h"
#include "report/history.h"

/* One report's level of one series. */
struct history_point {
	size_t report;    /* its index in the series of reports */
	double level;     /* seconds a loop: the median of its values */
	double low, high; /* an interval of the median (95%; min and max under 6 values) */
};

struct history_series {
	char strategy[32];
	unsigned workers;
	struct history_point *points; /* in report order; malloc'd */
	size_t count;
	struct history_fit fit;       /* over the points' levels */
};

struct history_data {
	const struct saved_report *reports; /* in series order */
	const char *const *paths;           /* each one's file */
	size_t report_count;
	struct history_series *series;      /* malloc'd */
	size_t series_count;
	double threshold;                   /* percent: a smaller step is reported, never fails */
	/* The gate: its status (0, 1 or 5) and why, in words. */
	enum cb_status gate;
	char gate_reason[512];
};

/*
 * Every series of reports[0..n) (a result that failed, or whose every run
 * was disturbed, leaves a gap) and its fit; the gate judged with
 * threshold.  CB_SYSTEM when out of memory, CB_USAGE when no report holds
 * a result.
 */
enum cb_status history_build(const struct saved_report *reports, const char *const *paths,
			     size_t n, const struct verdict_rule *rule, struct history_data *d,
			     struct cb_error *err);
void history_data_free(struct history_data *d);

/* A step's or a ratio's size as a share past the threshold. */
bool history_step_fails(const struct history_data *d, const struct history_step *s);

#endif

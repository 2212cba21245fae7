/*
 * history.h - change points in a series of levels, one a saved report
 * (colbench history): pure, over numbers only.
 *
 * The method: E-divisive means (Matteson and James, "A nonparametric
 * approach for multiple change point analysis of multivariate data",
 * JASA 2014) picks where a segment splits best, and a t-test decides
 * whether the split is real, as Hunter and Apache Otava do (Fleming et
 * al., "Hunter: using change point detection to hunt for performance
 * regressions", ICPE 2023), so that the same series always gives the same
 * answer.  The work is on log levels: a step is a ratio.
 *
 * The t-test's noise is the series' own between-report noise, estimated
 * robustly from the differences of neighbouring levels (their median
 * absolute value: a step or an outlier moves only one or two of them),
 * not the two segments' own spread: with two reports on a side that
 * spread says nothing, and with it the test could never call a step at
 * either end.  A step needs HISTORY_MIN_RUN reports on each side; a
 * single report far from both neighbours, which agree, is an outlier,
 * named and left out, never a step; the last report alone, far from the
 * two before it, which agree, is "apart" (and left out too): a step or an
 * outlier, which one more report will tell.
 */
#ifndef COLBENCH_HISTORY_H
#define COLBENCH_HISTORY_H

#include <stdbool.h>
#include <stddef.h>

#define HISTORY_MIN_RUN ((size_t)2) /* reports on each side of a step */
#define HISTORY_MIN_LEVELS (2 * HISTORY_MIN_RUN)
/*
 * The t a split needs, over the robust noise: chosen so that on series of
 * 20 to 30 levels of Gaussian noise a change point is found in about one
 * series in a hundred (a simulation of 10^5 series: 0.9% at 20 levels,
 * 1.2% at 30), under the 1 in 20 the gate promises, leaving room for
 * real reports' heavier tails; make bench-history measures it on them.
 */
#define HISTORY_T_CRITICAL 4.5
/* An outlier: this many noise units from the median of its neighbours. */
#define HISTORY_OUTLIER_UNITS 6.0
/* The noise is taken as at least this (log units): levels that agree to
 * the last digit must not make every difference a step. */
#define HISTORY_MIN_NOISE 1e-3

struct history_step {
	size_t at;        /* the first level after the step */
	double ratio;     /* after / before (the segments' geometric means) */
	double low, high; /* its 95% interval */
	double t;         /* the test's statistic */
};

struct history_fit {
	double noise;          /* between-report noise, log units (about a ratio - 1) */
	size_t step_count;
	struct history_step *steps; /* in order of position; malloc'd */
	bool *outlier;         /* each level's: left out as an outlier; malloc'd */
	bool last_apart;       /* the last level alone is off the two before it */
	double last_ratio;     /* then: last / their geometric mean */
};

/*
 * Fit levels[0..n) (positive: seconds a loop): outliers, then change
 * points.  false when out of memory (fit left empty).  Fewer than
 * HISTORY_MIN_LEVELS levels: no step can be found (fit has none).
 */
bool history_fit(const double *levels, size_t n, struct history_fit *fit);
void history_fit_free(struct history_fit *fit);

#endif

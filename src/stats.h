/*
 * stats.h - pure statistics over timing samples.
 */
#ifndef COLBENCH_STATS_H
#define COLBENCH_STATS_H

#include <stddef.h>

struct summary {
	size_t n;
	double mean;
	double std; /* population standard deviation, as %timeit reports */
	double min, max, median;
};

/*
 * Summarise x[0..n) (n >= 1; x is not modified).  The mean and std use
 * Welford's update, which stays accurate when the spread is tiny beside
 * the mean, as it is for timings.
 */
void stats_summarize(const double *x, size_t n, struct summary *s);

/*
 * %timeit's warning: true when the slowest run took more than 4 times as
 * long as the fastest (and the fastest is > 0 and the slowest > 1 us).
 */
int stats_slow_outlier(const struct summary *s);

#endif

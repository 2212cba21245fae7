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
	double std_sample; /* sample one (n - 1), hyperfine's stddev; NAN under 2 */
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

/*
 * The two-sided p-value of the Mann-Whitney U test that samples a[0..n)
 * and b[0..m) come from the same distribution.  Exact (the distribution
 * of U counted out) when there are no ties and n x m <= 2500; otherwise
 * the normal approximation with tie and continuity corrections, as
 * scipy.stats.mannwhitneyu does.  1 when every value ties.
 */
double stats_mann_whitney_p(const double *a, size_t n, const double *b, size_t m);

/* Student's t distribution with df degrees of freedom: P(T <= t). */
double stats_t_cdf(double t, double df);

/* The q-quantile of Student's t with df degrees of freedom (0 < q < 1). */
double stats_t_quantile(double q, double df);

/*
 * Welch's confidence interval, at level `confidence` (0.95), for the
 * difference of means mean(b) - mean(a).  Needs n, m >= 2; otherwise the
 * interval is (-inf, inf).
 */
void stats_welch_interval(const double *a, size_t n, const double *b, size_t m,
			  double confidence, double *low, double *high);

#endif

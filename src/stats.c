/*
 * stats.c - mean, population std, min, max, median (see stats.h).
 */
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void stats_summarize(const double *x, size_t n, struct summary *s)
{
	double mean = 0, m2 = 0;
	double *sorted = malloc(n * sizeof(double));

	for (size_t i = 0; i < n; i++) {
		double delta = x[i] - mean;

		mean += delta / (double)(i + 1);
		m2 += delta * (x[i] - mean);
	}
	s->n = n;
	s->mean = mean;
	s->std = n > 0 ? sqrt(m2 / (double)n) : 0;
	s->min = s->max = s->median = n > 0 ? x[0] : 0;
	for (size_t i = 1; i < n; i++) {
		if (x[i] < s->min)
			s->min = x[i];
		if (x[i] > s->max)
			s->max = x[i];
	}
	if (sorted && n > 0) {
		memcpy(sorted, x, n * sizeof(double));
		qsort(sorted, n, sizeof(double), compare_doubles);
		s->median = n % 2 ? sorted[n / 2]
				  : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
	}
	free(sorted);
}

int stats_slow_outlier(const struct summary *s)
{
	return s->max > 4 * s->min && s->min > 0 && s->max > 1e-6;
}

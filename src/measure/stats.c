/*
 * stats.c - mean, population std, min, max, median (see stats.h).
 */
#include "measure/stats.h"

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
	s->std_sample = n > 1 ? sqrt(m2 / (double)(n - 1)) : NAN;
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

/* A pooled value and the sample it came from. */
struct item {
	double x;
	int from_a;
};

static int compare_items(const void *a, const void *b)
{
	return compare_doubles(&((const struct item *)a)->x, &((const struct item *)b)->x);
}

/* Ranks (1-based, ties averaged) of the n + m pooled values; returns the
 * tie correction sum of (t^3 - t) over groups of t tied values, NAN (and
 * a NAN rank sum) when out of memory. */
static double pooled_ranks(const double *a, size_t n, const double *b, size_t m,
			   double *rank_a_sum)
{
	size_t total = n + m;
	struct item *items = malloc(total * sizeof(*items));
	double ties = 0, sum = 0;

	if (!items) {
		*rank_a_sum = NAN;
		return NAN;
	}
	for (size_t i = 0; i < n; i++)
		items[i] = (struct item){ a[i], 1 };
	for (size_t i = 0; i < m; i++)
		items[n + i] = (struct item){ b[i], 0 };
	/* O(n log n): a saved report may hold a million runs. */
	qsort(items, total, sizeof(*items), compare_items);
	for (size_t i = 0; i < total;) {
		size_t j = i;

		while (j + 1 < total && items[j + 1].x == items[i].x)
			j++;
		double rank = (double)(i + j) / 2 + 1, t = (double)(j - i + 1);

		for (size_t k = i; k <= j; k++)
			if (items[k].from_a)
				sum += rank;
		ties += t * t * t - t;
		i = j + 1;
	}
	free(items);
	*rank_a_sum = sum;
	return ties;
}

/*
 * P(U >= u) for samples of sizes n and m without ties, counted out: f(i, j,
 * k), the orderings of i a-values and j b-values with U = k, satisfies
 * f(i, j, k) = f(i - 1, j, k - j) + f(i, j - 1, k) (the largest value is an
 * a, above all j b-values, or a b).  One table over (i, k), updated for
 * j = 1 .. m in place.
 */
static double mann_whitney_sf_exact(double u, size_t n, size_t m)
{
	size_t width = n * m + 1;
	double *f = calloc((n + 1) * width, sizeof(double));
	double tail = 0, all = 0;

	if (!f)
		return NAN;
	for (size_t i = 0; i <= n; i++)
		f[i * width] = 1; /* j = 0: no b-values, U = 0 */
	for (size_t j = 1; j <= m; j++)
		for (size_t i = 1; i <= n; i++)
			for (size_t k = width; k-- > j;)
				f[i * width + k] += f[(i - 1) * width + k - j];
	for (size_t k = 0; k < width; k++) {
		all += f[n * width + k];
		if ((double)k >= u)
			tail += f[n * width + k];
	}
	free(f);
	return tail / all;
}

double stats_mann_whitney_p(const double *a, size_t n, const double *b, size_t m)
{
	double rank_sum, ties = pooled_ranks(a, n, b, m, &rank_sum);
	double u1 = rank_sum - (double)n * (n + 1) / 2, u2 = (double)n * m - u1;
	double u = u1 > u2 ? u1 : u2, p;

	if (isnan(ties) || n == 0 || m == 0)
		return NAN;
	if (ties == 0 && n * m <= 2500) {
		p = 2 * mann_whitney_sf_exact(u, n, m);
	} else {
		double total = (double)(n + m);
		double var = (double)n * m / 12 * ((total + 1) - ties / (total * (total - 1)));

		if (var <= 0)
			return 1;
		double z = (u - (double)n * m / 2 - 0.5) / sqrt(var);

		p = erfc(z / sqrt(2)); /* 2 * P(Z > z) */
	}
	return p > 1 ? 1 : p;
}

/* Continued fraction for the regularized incomplete beta (Lentz). */
static double beta_fraction(double a, double b, double x)
{
	const double tiny = 1e-300;
	/* cppcheck-suppress variableScope ; c is carried from step to step */
	double c = 1, d = 1 - (a + b) * x / (a + 1), h;

	d = 1 / (fabs(d) < tiny ? tiny : d);
	h = d;
	for (int k = 1; k <= 300; k++) {
		double m2 = 2.0 * k, num = k * (b - k) * x / ((a + m2 - 1) * (a + m2));

		d = 1 + num * d;
		c = 1 + num / c;
		d = 1 / (fabs(d) < tiny ? tiny : d);
		c = fabs(c) < tiny ? tiny : c;
		h *= d * c;
		num = -(a + k) * (a + b + k) * x / ((a + m2) * (a + m2 + 1));
		d = 1 + num * d;
		c = 1 + num / c;
		d = 1 / (fabs(d) < tiny ? tiny : d);
		c = fabs(c) < tiny ? tiny : c;
		double delta = d * c;

		h *= delta;
		if (fabs(delta - 1) < 1e-15)
			break;
	}
	return h;
}

/* The regularized incomplete beta function I_x(a, b). */
static double incomplete_beta(double a, double b, double x)
{
	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	double front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) +
			   b * log1p(-x));

	if (x < (a + 1) / (a + b + 2))
		return front * beta_fraction(a, b, x) / a;
	return 1 - front * beta_fraction(b, a, 1 - x) / b;
}

double stats_t_cdf(double t, double df)
{
	double tail = 0.5 * incomplete_beta(df / 2, 0.5, df / (df + t * t));

	return t >= 0 ? 1 - tail : tail;
}

double stats_t_quantile(double q, double df)
{
	double lo = -1e6, hi = 1e6;

	for (int i = 0; i < 200; i++) { /* bisection: monotone and cheap enough */
		double mid = (lo + hi) / 2;

		if (stats_t_cdf(mid, df) < q)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

/* Sample variance (n - 1 in the denominator). */
static double sample_variance(const double *x, size_t n)
{
	struct summary s;

	stats_summarize(x, n, &s);
	return s.std * s.std * (double)n / (double)(n - 1);
}

void stats_welch_interval(const double *a, size_t n, const double *b, size_t m,
			  double confidence, double *low, double *high)
{
	struct summary sa, sb;

	if (n < 2 || m < 2) {
		*low = -INFINITY;
		*high = INFINITY;
		return;
	}
	stats_summarize(a, n, &sa);
	stats_summarize(b, m, &sb);
	double va = sample_variance(a, n) / n, vb = sample_variance(b, m) / m;
	double diff = sb.mean - sa.mean, se = sqrt(va + vb);

	if (se == 0) {
		*low = *high = diff;
		return;
	}
	double df = (va + vb) * (va + vb) / (va * va / (n - 1) + vb * vb / (m - 1));
	double t = stats_t_quantile(0.5 + confidence / 2, df);

	*low = diff - t * se;
	*high = diff + t * se;
}

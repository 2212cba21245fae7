/*
 * history.c - change points in a series of levels (see history.h).
 */
#include "report/history.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Gaussian: the median of |d| for d ~ N(0, 2 sigma^2) is 0.6745 sigma sqrt 2. */
#define MAD_TO_SIGMA (1.0 / (0.6745 * 1.4142135623730951))
#define Z_95 1.959963984540054

static int by_value(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return (a > b) - (a < b);
}

static double mean_of(const double *x, size_t n)
{
	double s = 0;

	for (size_t i = 0; i < n; i++)
		s += x[i];
	return s / (double)n;
}

/* The between-report noise: the median |difference| of neighbours, as a
 * standard deviation; scratch has room for n. */
static double robust_noise(const double *x, size_t n, double *scratch)
{
	double noise;

	if (n < 2)
		return HISTORY_MIN_NOISE;
	for (size_t i = 0; i + 1 < n; i++)
		scratch[i] = fabs(x[i + 1] - x[i]);
	qsort(scratch, n - 1, sizeof(*scratch), by_value);
	noise = (n - 1) % 2 ? scratch[(n - 1) / 2]
			    : (scratch[(n - 1) / 2 - 1] + scratch[(n - 1) / 2]) / 2;
	noise *= MAD_TO_SIGMA;
	return noise > HISTORY_MIN_NOISE ? noise : HISTORY_MIN_NOISE;
}

/*
 * Whether x[i] is an outlier: far from its neighbours (up to two a side),
 * which agree among themselves.  The first level has only the two after
 * it; the last is never one (history.h: it is "apart").
 */
static bool is_outlier(const double *x, size_t n, size_t i, double noise)
{
	size_t l0 = i >= 2 ? i - 2 : 0, r1 = i + 3 < n ? i + 3 : n;
	double left, right, ref;

	if (i + 1 >= n)
		return false;
	if (i == 0) {
		if (r1 - 1 < 2)
			return false;
		left = x[1];
		right = x[2];
		ref = (left + right) / 2;
	} else {
		left = mean_of(x + l0, i - l0);
		right = mean_of(x + i + 1, r1 - i - 1);
		ref = ((double)(i - l0) * left + (double)(r1 - i - 1) * right) / (double)(r1 - l0 - 1);
	}
	return fabs(left - right) < 3 * noise && fabs(x[i] - ref) > HISTORY_OUTLIER_UNITS * noise;
}

/*
 * Whether the last level stands apart: far from the two before it, which
 * agree.  It is then left out of the split (with a level after it, it
 * may turn out the first of a step), and said apart.
 */
static bool is_apart(const double *x, size_t n, double noise)
{
	double ref;

	if (n < 3 || fabs(x[n - 2] - x[n - 3]) >= 3 * noise)
		return false;
	ref = (x[n - 2] + x[n - 3]) / 2;
	return fabs(x[n - 1] - ref) > HISTORY_OUTLIER_UNITS * noise;
}

/* Sum of |a_i - b_j| over every pair (and within one set when a == b,
 * each pair once). */
static double pair_distance(const double *a, size_t na, const double *b, size_t nb, bool same)
{
	double s = 0;

	for (size_t i = 0; i < na; i++)
		for (size_t j = same ? i + 1 : 0; j < nb; j++)
			s += fabs(a[i] - b[j]);
	return s;
}

/* E-divisive's statistic (alpha 1) for splitting y[0..n) before t. */
static double divergence(const double *y, size_t n, size_t t)
{
	size_t na = t, nb = n - t;
	double between = 2 * pair_distance(y, na, y + t, nb, false) / ((double)na * (double)nb);
	double within_a = pair_distance(y, na, y, na, true) / ((double)na * (double)(na - 1) / 2);
	double within_b = pair_distance(y + t, nb, y + t, nb, true) /
			  ((double)nb * (double)(nb - 1) / 2);

	return (double)na * (double)nb / (double)n * (between - within_a - within_b);
}

struct split_work {
	const double *y;     /* the levels less the outliers */
	const size_t *index; /* each one's position in the series */
	double noise;
	bool *cut;           /* cut[k]: a step before y[k] */
};

/* The best split of y[lo..hi) by E-divisive, and its t over the noise. */
static size_t best_split(const struct split_work *w, size_t lo, size_t hi, double *t)
{
	size_t best = lo + HISTORY_MIN_RUN;
	double best_q = -INFINITY;

	for (size_t k = lo + HISTORY_MIN_RUN; k + HISTORY_MIN_RUN <= hi; k++) {
		double q = divergence(w->y + lo, hi - lo, k - lo);

		if (q > best_q) {
			best_q = q;
			best = k;
		}
	}
	*t = fabs(mean_of(w->y + best, hi - best) - mean_of(w->y + lo, best - lo)) /
	     (w->noise * sqrt(1.0 / (double)(best - lo) + 1.0 / (double)(hi - best)));
	return best;
}

/*
 * Binary segmentation of y[0..m): the best split by E-divisive, kept when
 * its t-test says so, then each side, until no side splits.  The segments
 * still to try wait on a stack (at most m of them: each split makes one
 * more).  false when out of memory.
 */
static bool segment(const struct split_work *w, size_t m)
{
	size_t (*todo)[2] = calloc(m + 1, sizeof(*todo)), top = 0;

	if (!todo)
		return false;
	todo[top][0] = 0;
	todo[top++][1] = m;
	while (top > 0) {
		size_t lo = todo[top - 1][0], hi = todo[--top][1], at;
		double t;

		if (hi - lo < HISTORY_MIN_LEVELS)
			continue;
		at = best_split(w, lo, hi, &t);
		if (t < HISTORY_T_CRITICAL)
			continue;
		w->cut[at] = true;
		todo[top][0] = lo;
		todo[top++][1] = at;
		todo[top][0] = at;
		todo[top++][1] = hi;
	}
	free(todo);
	return true;
}

/* The steps from the cuts: each between the segments on its two sides. */
static bool collect_steps(const struct split_work *w, size_t m, struct history_fit *fit)
{
	size_t count = 0, prev = 0;

	for (size_t k = 1; k < m; k++)
		count += w->cut[k];
	if (count && !(fit->steps = calloc(count, sizeof(*fit->steps))))
		return false;
	for (size_t k = 1; k < m; k++) {
		size_t next = k + 1;
		double before, after, se;
		struct history_step *s;

		if (!w->cut[k])
			continue;
		while (next < m && !w->cut[next])
			next++;
		before = mean_of(w->y + prev, k - prev);
		after = mean_of(w->y + k, next - k);
		se = w->noise * sqrt(1.0 / (double)(k - prev) + 1.0 / (double)(next - k));
		s = &fit->steps[fit->step_count++];
		*s = (struct history_step){ .at = w->index[k], .ratio = exp(after - before),
					    .low = exp(after - before - Z_95 * se),
					    .high = exp(after - before + Z_95 * se),
					    .t = fabs(after - before) / se };
		prev = k;
	}
	return true;
}

bool history_fit(const double *levels, size_t n, struct history_fit *fit)
{
	double *x = calloc(n + 1, sizeof(*x)), *y = calloc(n + 1, sizeof(*y));
	size_t *index = calloc(n + 1, sizeof(*index)), m = 0;
	bool *cut = calloc(n + 1, sizeof(*cut)), ok = false;
	struct split_work w = { y, index, 0, cut };

	memset(fit, 0, sizeof(*fit));
	fit->outlier = calloc(n + 1, sizeof(*fit->outlier));
	if (!x || !y || !index || !cut || !fit->outlier)
		goto out;
	for (size_t i = 0; i < n; i++)
		x[i] = log(levels[i]);
	fit->noise = robust_noise(x, n, y);
	fit->last_apart = n >= HISTORY_MIN_LEVELS && is_apart(x, n, fit->noise);
	if (fit->last_apart)
		fit->last_ratio = exp(x[n - 1] - (x[n - 2] + x[n - 3]) / 2);
	for (size_t i = 0; i + fit->last_apart < n; i++) {
		fit->outlier[i] = is_outlier(x, n, i, fit->noise);
		if (!fit->outlier[i]) {
			y[m] = x[i];
			index[m++] = i;
		}
	}
	w.noise = fit->noise;
	if (!segment(&w, m) || !collect_steps(&w, m, fit))
		goto out;
	ok = true;
out:
	free(x);
	free(y);
	free(index);
	free(cut);
	if (!ok)
		history_fit_free(fit);
	return ok;
}

void history_fit_free(struct history_fit *fit)
{
	free(fit->steps);
	free(fit->outlier);
	memset(fit, 0, sizeof(*fit));
}

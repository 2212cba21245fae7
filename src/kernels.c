/*
 * kernels.c - summation kernels (see kernels.h).
 *
 * Without -ffast-math the compiler may not reorder a sum, so a single
 * accumulator is bound by the latency of one add (4 cycles) per element.
 * kernel_sum therefore keeps 8 partial sums itself; GCC turns them into
 * vector registers, and the final combination is in a fixed order so the
 * result does not depend on the compiler.
 */
#include "kernels.h"

#include <math.h>

#define LANES 8

double kernel_sum(const double *x, size_t n)
{
	double acc[LANES] = { 0 };
	size_t i = 0;

	for (; i + LANES <= n; i += LANES)
		for (int k = 0; k < LANES; k++)
			acc[k] += x[i + k];
	for (int k = 0; i < n; i++, k++)
		acc[k] += x[i];
	return ((acc[0] + acc[1]) + (acc[2] + acc[3])) +
	       ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}

void kernel_add_row(double *acc, const double *row, size_t n)
{
	for (size_t j = 0; j < n; j++)
		acc[j] += row[j];
}

/* One Neumaier step: add x to (*s, *c). */
static inline void neumaier_add(double *s, double *c, double x)
{
	double t = *s + x;

	if (fabs(*s) >= fabs(x))
		*c += (*s - t) + x;
	else
		*c += (x - t) + *s;
	*s = t;
}

void kernel_neumaier(const double *x, size_t n, double *sum, double *mag)
{
	double s = 0, c = 0, a = 0;

	for (size_t i = 0; i < n; i++) {
		neumaier_add(&s, &c, x[i]);
		a += fabs(x[i]);
	}
	*sum = s + c;
	*mag = a;
}

void kernel_neumaier_row(const double *row, size_t n, double *sum,
			 double *comp, double *mag)
{
	for (size_t j = 0; j < n; j++) {
		neumaier_add(&sum[j], &comp[j], row[j]);
		mag[j] += fabs(row[j]);
	}
}

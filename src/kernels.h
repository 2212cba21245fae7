/*
 * kernels.h - the summation kernels: pure functions over memory, shared by
 * every strategy and by the reference, and the one place to tune.
 */
#ifndef COLBENCH_KERNELS_H
#define COLBENCH_KERNELS_H

#include <stddef.h>

/* Sum of x[0..n), with independent accumulators so the adds pipeline. */
double kernel_sum(const double *x, size_t n);

/* acc[j] += row[j] for j in [0, n): one row of a row-major matrix. */
void kernel_add_row(double *acc, const double *row, size_t n);

/*
 * Neumaier's compensated sum of x[0..n) and the sum of |x|, the reference
 * the strategies are checked against.
 */
void kernel_neumaier(const double *x, size_t n, double *sum, double *mag);

/*
 * One row of a row-major matrix into per-column Neumaier state: for each j,
 * add row[j] to (sum[j], comp[j]) and |row[j]| to mag[j].  The true column
 * sum is sum[j] + comp[j].
 */
void kernel_neumaier_row(const double *row, size_t n, double *sum,
			 double *comp, double *mag);

#endif

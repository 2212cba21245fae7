/*
 * kernels.h - the summation kernels: pure functions over memory, shared by
 * every strategy, and the one place with SIMD.
 *
 * A kernel sums one or several columns of a column-major matrix
 * (sum_column, sum_columns) or all columns of a block of rows of a
 * row-major matrix (sum_rows).  Four
 * kernels answer the blog's "why is np.sum so difficult to beat":
 *   naive     one accumulator, element after element: the textbook loop;
 *   simd      the fastest: many accumulators in vector registers, AVX-512 or
 *             AVX2 where the CPU has them (chosen at run time), one column
 *             or four at once, as the host reads faster;
 *   pairwise  numpy's own algorithm (8 accumulators in blocks of 128,
 *             halved recursively, over buffers of 8192 elements), so the
 *             sums match numpy's B.sum(axis=0) bit for bit;
 *   kahan     Kahan's compensated summation, in 8 lanes.
 * naive, pairwise and kahan add each column's elements in the same order
 * in both layouts, so their sums are identical for layout f and layout c.
 */
#ifndef COLBENCH_KERNELS_H
#define COLBENCH_KERNELS_H

#include <stddef.h>

struct kernel {
	const char *name;
	const char *summary;
	/* Sum of x[0..n): one column of a column-major matrix. */
	double (*sum_column)(const double *x, size_t n);
	/*
	 * out[c] = sum_column(x + c * rows, rows) for c < ncols, bit for bit:
	 * ncols consecutive columns.  simd reads several columns at once
	 * (more streams in flight); the others go column by column.
	 */
	void (*sum_columns)(const double *x, size_t rows, size_t ncols, double *out);
	/*
	 * out[j] = sum of rows[r * cols + j] over r < nrows, for j < cols:
	 * the column sums of a block of nrows rows of a row-major matrix.
	 * out must not overlap rows.
	 */
	void (*sum_rows)(const double *rows, size_t nrows, size_t cols, double *out);
};

#define KERNEL_DEFAULT "simd"

/* Every kernel, in the order --help lists them; *count gets their number. */
const struct kernel *kernel_all(size_t *count);

/* The kernel called name, or NULL. */
const struct kernel *kernel_find(const char *name);

/* The instruction set the simd kernel runs with here ("avx512f", "avx2", ...). */
const char *kernel_simd_isa(void);

/*
 * How many neighbouring columns the simd kernel's sum_columns reads at once:
 * KERNEL_SIMD_AT_ONCE (four streams in flight) or 1 (one stream), whichever
 * this host reads faster (measure/tune.h); the sums are the same bits
 * either way.  Set it before any thread sums (a value below
 * KERNEL_SIMD_AT_ONCE means 1, one above it KERNEL_SIMD_AT_ONCE).  kernel_simd_columns is sum_columns with the count
 * given, for the measurements that compare the two.
 */
#define KERNEL_SIMD_AT_ONCE 4
unsigned kernel_simd_at_once(void);
void kernel_simd_set_at_once(unsigned columns);
void kernel_simd_columns(const double *x, size_t rows, size_t ncols, unsigned at_once,
			 double *out);

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

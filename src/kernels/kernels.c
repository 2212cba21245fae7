/*
 * kernels.c - summation kernels (see kernels.h).
 *
 * Without -ffast-math the compiler may not reorder a sum, so a single
 * accumulator is bound by the latency of one add (3-4 cycles) per element:
 * that is the naive kernel.  The others keep independent partial sums
 * themselves, which GCC maps onto vector registers; the partial sums are
 * combined in a fixed order, so results do not depend on the compiler.
 *
 * One portable binary: on x86-64 the simd kernels are compiled three times
 * by GCC's target_clones (simd_clones.h: AVX-512, AVX2 and baseline SSE2) and the dynamic
 * loader picks the best the CPU has; elsewhere they are compiled once.
 *
 * The row kernels (layout c) never walk a column: they add whole rows into
 * a vector of column sums.  simd adds four rows per pass, so the vector of
 * sums (cols doubles, in L1 or L2) is read and written once per four rows.
 * pairwise and kahan keep per-column state, so they go through the columns
 * in chunks of ROW_CHUNK whose state stays in L1.
 */
#include "kernels/kernels.h"
#include "kernels/simd_clones.h"

#include <math.h>
#include <stdatomic.h>
#include <string.h>

#define SIMD_LANES 8      /* partial sums per column: 2 AVX2 registers */
#define SIMD_GROUP KERNEL_SIMD_AT_ONCE /* columns read together by simd, at most */
#define PW_BLOCK 128      /* numpy's PW_BLOCKSIZE */
#define NPY_BUFSIZE 8192  /* numpy's reduction buffer: it sums in such runs */
#define ROW_CHUNK 256     /* columns per pass of the stateful row kernels */
/* pairwise's row kernel keeps 8 partial sums per column and recurses 6
 * levels deep: 64 columns a pass hold its state at 7.5 kB of stack (256
 * took 30 kB, an overflow on a 32 kB stack) and in L1 all the same. */
#define PW_ROW_CHUNK 64

/* ---- naive: one accumulator ---------------------------------------- */

static double naive_column(const double *x, size_t n)
{
	double s = 0;

	for (size_t i = 0; i < n; i++)
		s += x[i];
	return s;
}

static void naive_rows(const double *rows, size_t nrows, size_t cols, double *out)
{
	memset(out, 0, cols * sizeof(double));
	for (size_t r = 0; r < nrows; r++) {
		const double *row = rows + r * cols;

		for (size_t j = 0; j < cols; j++)
			out[j] += row[j];
	}
}

/* Column after column, for kernels that read one stream at a time. */
#define COLUMNS_FROM_COLUMN(name)                                             \
	static void name##_columns(const double *x, size_t rows, size_t ncols, \
				   double *out)                                \
	{                                                                      \
		for (size_t c = 0; c < ncols; c++)                             \
			out[c] = name##_column(x + c * rows, rows);            \
	}

COLUMNS_FROM_COLUMN(naive)

/* ---- simd: many accumulators ---------------------------------------- */

/*
 * The sums of g columns of `rows` elements (columns rows apart), read
 * together: one memory stream per column, which lets one core keep more
 * cache misses in flight than a single stream does (about 20% more
 * bandwidth on a Zen 2 EPYC, 15% less on a Zen 4: simd_at_once below
 * chooses).  Each column has SIMD_LANES
 * partial sums combined in a fixed tree, so a column's sum does not depend
 * on g: sum_columns and sum_column agree bit for bit.
 */
static inline __attribute__((always_inline)) void
simd_group(const double *x, size_t rows, int g, double *out)
{
	double acc[SIMD_GROUP][SIMD_LANES] = { { 0 } };
	size_t i = 0;

	for (; i + SIMD_LANES <= rows; i += SIMD_LANES)
		for (int c = 0; c < g; c++)
			for (int k = 0; k < SIMD_LANES; k++)
				acc[c][k] += x[c * rows + i + k];
	for (int c = 0; c < g; c++) {
		for (size_t j = i, k = 0; j < rows; j++, k++)
			acc[c][k] += x[c * rows + j];
		for (int width = SIMD_LANES / 2; width > 0; width /= 2)
			for (int k = 0; k < width; k++)
				acc[c][k] += acc[c][k + width];
		out[c] = acc[c][0];
	}
}

SIMD_CLONES
static double simd_column(const double *x, size_t n)
{
	double s;

	simd_group(x, n, 1, &s);
	return s;
}

/*
 * How many columns simd_columns reads at once: SIMD_GROUP or 1.  Which is
 * faster differs from host to host (four streams read about 20% faster
 * than one on a Zen 2 EPYC, one stream about 15% faster than four on a
 * Zen 4), so the pipeline measures both over the matrix before timing
 * (measure/tune.h) and sets it here, before any worker starts; the sums
 * are the same bits either way.
 */
static _Atomic unsigned simd_at_once = SIMD_GROUP;

SIMD_CLONES
static void simd_columns_at(const double *x, size_t rows, size_t ncols, unsigned at_once,
			    double *out)
{
	size_t c = 0;

	if (at_once >= SIMD_GROUP)
		for (; c + SIMD_GROUP <= ncols; c += SIMD_GROUP)
			simd_group(x + c * rows, rows, SIMD_GROUP, out + c);
	for (; c < ncols; c++)
		simd_group(x + c * rows, rows, 1, out + c);
}

static void simd_columns(const double *x, size_t rows, size_t ncols, double *out)
{
	simd_columns_at(x, rows, ncols, atomic_load_explicit(&simd_at_once, memory_order_relaxed),
			out);
}

void kernel_simd_columns(const double *x, size_t rows, size_t ncols, unsigned at_once,
			 double *out)
{
	simd_columns_at(x, rows, ncols, at_once, out);
}

unsigned kernel_simd_at_once(void)
{
	return atomic_load_explicit(&simd_at_once, memory_order_relaxed);
}

void kernel_simd_set_at_once(unsigned columns)
{
	atomic_store_explicit(&simd_at_once, columns >= SIMD_GROUP ? SIMD_GROUP : 1,
			      memory_order_relaxed);
}

SIMD_CLONES
static void simd_rows(const double *rows, size_t nrows, size_t cols,
		      double *restrict out)
{
	size_t r = 0;

	memset(out, 0, cols * sizeof(double));
	for (; r + 4 <= nrows; r += 4) {
		const double *restrict a = rows + r * cols, *restrict b = a + cols;
		const double *restrict c = b + cols, *restrict d = c + cols;

		for (size_t j = 0; j < cols; j++)
			out[j] += (a[j] + b[j]) + (c[j] + d[j]);
	}
	for (; r < nrows; r++) {
		const double *restrict a = rows + r * cols;

		for (size_t j = 0; j < cols; j++)
			out[j] += a[j];
	}
}

/* ---- pairwise: numpy's algorithm -------------------------------------- */

/*
 * numpy's pairwise_sum_DOUBLE (loops_utils.h.src), for a stride of 1.  It
 * recurses on halves down to PW_BLOCK elements, and its callers give it at
 * most NPY_BUFSIZE: about log2(NPY_BUFSIZE / PW_BLOCK) = 6 levels deep.
 */
/* NOLINTNEXTLINE(misc-no-recursion): bounded, see above */
static double pairwise_sum(const double *a, size_t n)
{
	if (n < 8) {
		double res = 0.;

		for (size_t i = 0; i < n; i++)
			res += a[i];
		return res;
	}
	if (n <= PW_BLOCK) {
		double r[8], res;
		size_t i;

		for (int k = 0; k < 8; k++)
			r[k] = a[k];
		for (i = 8; i < n - (n % 8); i += 8)
			for (int k = 0; k < 8; k++)
				r[k] += a[i + k];
		res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
		for (; i < n; i++)
			res += a[i];
		return res;
	}
	size_t n2 = n / 2;

	n2 -= n2 % 8;
	return pairwise_sum(a, n2) + pairwise_sum(a + n2, n - n2);
}

/* numpy reduces a contiguous column in buffers of 8192, adding each one's
 * pairwise sum to the running total. */
static double pairwise_column(const double *x, size_t n)
{
	double s = 0;

	for (size_t lo = 0; lo < n; lo += NPY_BUFSIZE)
		s += pairwise_sum(x + lo, n - lo < NPY_BUFSIZE ? n - lo : NPY_BUFSIZE);
	return s;
}

COLUMNS_FROM_COLUMN(pairwise)

/*
 * pairwise_sum applied to each of w columns at once: res[j] is the pairwise
 * sum of a[i * ld + j] over i < n, with exactly the additions
 * pairwise_sum would do on that column.  Its callers give it at most
 * NPY_BUFSIZE rows: it recurses as deep as pairwise_sum, 6 levels.
 */
SIMD_CLONES
/* NOLINTNEXTLINE(misc-no-recursion): bounded, see above */
static void pairwise_rows_block(const double *a, size_t n, size_t w, size_t ld,
				double *restrict res)
{
	if (n < 8) {
		for (size_t j = 0; j < w; j++)
			res[j] = 0.;
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < w; j++)
				res[j] += a[i * ld + j];
		return;
	}
	if (n <= PW_BLOCK) {
		double r[8][PW_ROW_CHUNK];
		size_t i;

		for (int k = 0; k < 8; k++)
			for (size_t j = 0; j < w; j++)
				r[k][j] = a[k * ld + j];
		for (i = 8; i < n - (n % 8); i += 8)
			for (int k = 0; k < 8; k++)
				for (size_t j = 0; j < w; j++)
					r[k][j] += a[(i + k) * ld + j];
		for (size_t j = 0; j < w; j++)
			res[j] = ((r[0][j] + r[1][j]) + (r[2][j] + r[3][j])) +
				 ((r[4][j] + r[5][j]) + (r[6][j] + r[7][j]));
		for (; i < n; i++)
			for (size_t j = 0; j < w; j++)
				res[j] += a[i * ld + j];
		return;
	}
	size_t n2 = n / 2;
	double right[PW_ROW_CHUNK];

	n2 -= n2 % 8;
	pairwise_rows_block(a, n2, w, ld, res);
	pairwise_rows_block(a + n2 * ld, n - n2, w, ld, right);
	for (size_t j = 0; j < w; j++)
		res[j] += right[j];
}

static void pairwise_rows(const double *rows, size_t nrows, size_t cols, double *out)
{
	double block[PW_ROW_CHUNK];

	memset(out, 0, cols * sizeof(double));
	for (size_t j0 = 0; j0 < cols; j0 += PW_ROW_CHUNK) {
		size_t w = cols - j0 < PW_ROW_CHUNK ? cols - j0 : PW_ROW_CHUNK;

		for (size_t lo = 0; lo < nrows; lo += NPY_BUFSIZE) {
			size_t n = nrows - lo < NPY_BUFSIZE ? nrows - lo : NPY_BUFSIZE;

			pairwise_rows_block(rows + lo * cols + j0, n, w, cols, block);
			/* cppcheck-suppress knownConditionTrueFalse ; w >= 1 as j0 < cols */
			for (size_t j = 0; j < w; j++)
				out[j0 + j] += block[j];
		}
	}
}

/* ---- kahan: compensated, in 8 lanes ----------------------------------- */

#define KAHAN_LANES 8

/* One Kahan step: add x to the sum s with compensation c. */
#define KAHAN_ADD(s, c, x)                    \
	do {                                  \
		double y_ = (x) - (c);        \
		double t_ = (s) + y_;         \
		(c) = (t_ - (s)) - y_;        \
		(s) = t_;                     \
	} while (0)

SIMD_CLONES
static double kahan_column(const double *x, size_t n)
{
	double s[KAHAN_LANES] = { 0 }, c[KAHAN_LANES] = { 0 };
	double sum = 0, comp = 0;
	size_t i = 0;

	for (; i + KAHAN_LANES <= n; i += KAHAN_LANES)
		for (int k = 0; k < KAHAN_LANES; k++)
			KAHAN_ADD(s[k], c[k], x[i + k]);
	for (int k = 0; i < n; i++, k++)
		KAHAN_ADD(s[k], c[k], x[i]);
	/* Fold the lanes, their compensations included, in a fixed order. */
	for (int k = 0; k < KAHAN_LANES; k++) {
		KAHAN_ADD(sum, comp, s[k]);
		KAHAN_ADD(sum, comp, -c[k]);
	}
	return sum;
}

COLUMNS_FROM_COLUMN(kahan)

SIMD_CLONES
static void kahan_rows(const double *rows, size_t nrows, size_t cols, double *out)
{
	double s[ROW_CHUNK], c[ROW_CHUNK];

	for (size_t j0 = 0; j0 < cols; j0 += ROW_CHUNK) {
		size_t w = cols - j0 < ROW_CHUNK ? cols - j0 : ROW_CHUNK;

		memset(s, 0, sizeof(s));
		memset(c, 0, sizeof(c));
		for (size_t r = 0; r < nrows; r++) {
			const double *a = rows + r * cols + j0;

			/* cppcheck-suppress knownConditionTrueFalse ; w >= 1 as j0 < cols */
			for (size_t j = 0; j < w; j++)
				KAHAN_ADD(s[j], c[j], a[j]);
		}
		/* cppcheck-suppress knownConditionTrueFalse ; w >= 1 as j0 < cols */
		for (size_t j = 0; j < w; j++)
			out[j0 + j] = s[j] - c[j];
	}
}

/* ---- the table -------------------------------------------------------- */

static const struct kernel kernel_table[] = {
	{ "naive", "one accumulator, element after element", naive_column,
	  naive_columns, naive_rows },
	{ "simd", "many accumulators in vector registers, 1 or 4 columns at once: the fastest",
	  simd_column, simd_columns, simd_rows },
	{ "pairwise", "numpy's pairwise summation: sums match numpy's", pairwise_column,
	  pairwise_columns, pairwise_rows },
	{ "kahan", "Kahan's compensated summation", kahan_column, kahan_columns,
	  kahan_rows },
};

const struct kernel *kernel_all(size_t *count)
{
	*count = sizeof(kernel_table) / sizeof(kernel_table[0]);
	return kernel_table;
}

const struct kernel *kernel_find(const char *name)
{
	for (size_t i = 0; i < sizeof(kernel_table) / sizeof(kernel_table[0]); i++)
		if (strcmp(kernel_table[i].name, name) == 0)
			return &kernel_table[i];
	return NULL;
}

const char *kernel_simd_isa(void)
{
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512f"))
		return "avx512f";
	if (__builtin_cpu_supports("avx2"))
		return "avx2";
	return "sse2";
#else
	return "portable C";
#endif
}

/* ---- the reference ------------------------------------------------------ */

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

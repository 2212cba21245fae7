/*
 * matrix.h - the matrix every strategy reads: its shape, layout and memory,
 * and the counter-based generator that fills it.
 *
 * Element (r, c) is a pure function of (seed, r, c), so the same seed gives
 * the same matrix whatever the layout or the number of threads.  The matrix
 * is split into contiguous blocks along its "major" dimension (columns for
 * layout f, rows for layout c); matrix_block() is the one definition of how
 * the strategies split their work, and the first touch of the memory uses
 * it too (with one block per usable CPU), so with the default worker count
 * each block's pages are first written by the worker that will read them.
 */
#ifndef COLBENCH_MATRIX_H
#define COLBENCH_MATRIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "os/status.h"

enum layout {
	LAYOUT_F, /* column-major (Fortran order): each column contiguous */
	LAYOUT_C, /* row-major (C order): each row contiguous */
};

struct matrix {
	size_t rows, cols;
	enum layout layout;
	double *data;
	size_t bytes;    /* rows * cols * sizeof(double) */
	void *map_base;  /* the mapping data lies in: its own, or a file's */
	size_t map_len;  /* bytes mapped (rounded up to a huge page) */
	bool read_only;  /* a file's private mapping (--mmap): see matrix_make_writable */
};

/*
 * Let the calling process write the pages of m from `begin` for `len`
 * bytes: for a read-only file mapping (--mmap), make them writable in this
 * process alone (the mapping is private: each page written is copied, the
 * file never changes); any other matrix is writable already.  For
 * forkwrite's workers, after their fork: the parent's pages stay read-only,
 * so no stray write of colbench's own can change the matrix unseen, and
 * nothing is charged to the commit limit (vm.overcommit_memory=2) but the
 * pages a worker copies.  0, or -1 with errno.
 */
int matrix_make_writable(const struct matrix *m, const void *begin, size_t len);

/*
 * Check that rows x cols float64 fits in size_t and in MemAvailable, before
 * anything is allocated.  On success stores the byte count in *bytes.
 * Returns CB_USAGE with err filled when the size overflows or does not fit.
 */
enum cb_status matrix_check_size(size_t rows, size_t cols, size_t *bytes,
				 struct cb_error *err);

/*
 * Map memory for a rows x cols matrix (checked with matrix_check_size first),
 * asking for transparent huge pages, or for none when hugepages is false.
 * The memory is not touched.
 * Returns CB_USAGE or CB_SYSTEM with err filled on failure; m is then empty.
 */
enum cb_status matrix_alloc(struct matrix *m, size_t rows, size_t cols,
			    enum layout layout, bool hugepages,
			    struct cb_error *err);

/*
 * A copy of src in layout `to`, into dst (allocated like matrix_alloc, each
 * block first written by the thread that owns it): numpy's asfortranarray
 * and ascontiguousarray.  Returns CB_USAGE when the copy does not fit in
 * memory, CB_SYSTEM when it cannot be made.
 */
enum cb_status matrix_convert(const struct matrix *src, enum layout to,
			      bool hugepages, unsigned threads, struct matrix *dst,
			      struct cb_error *err);

/* Unmap the matrix's memory; safe on an empty or already freed matrix. */
void matrix_free(struct matrix *m);

/* Element (row, col) of a rows x cols matrix with seed: uniform in [0, 1). */
double matrix_element(uint64_t seed, size_t row, size_t col, size_t cols);

/*
 * Fault in m's memory on `threads` threads, each touching the pages of the
 * block it owns in matrix_block(m, threads, i) (bound to CPU i when pin is
 * set): the first touch decides where a page lives, and its cost (the
 * kernel's, and a virtual machine's host's) is not the generator's.
 */
enum cb_status matrix_first_touch(struct matrix *m, unsigned threads, bool pin,
				  struct cb_error *err);

/*
 * Fill m from seed on `threads` threads, each writing the block it owns in
 * matrix_block(m, threads, i) (bound to CPU i when pin is set), so each
 * block is first touched where it will be read.  Returns CB_SYSTEM if the
 * threads cannot start.
 */
enum cb_status matrix_generate(struct matrix *m, uint64_t seed,
			       unsigned threads, bool pin, struct cb_error *err);

/*
 * Fill m as columns first_col .. first_col + m->cols - 1 of a matrix of
 * total_cols columns generated from seed: one MPI rank's share, with the
 * values the whole matrix would hold there.
 */
enum cb_status matrix_generate_columns(struct matrix *m, uint64_t seed, size_t first_col,
				       size_t total_cols, unsigned threads, bool pin,
				       struct cb_error *err);

/* Number of columns (layout f) or rows (layout c): the dimension blocks split. */
size_t matrix_major_count(const struct matrix *m);

/*
 * Block i of `parts` contiguous blocks along the major dimension, as the
 * half-open range [*begin, *end) of column (layout f) or row (layout c)
 * indices.  Blocks differ in size by at most one; some are empty when
 * parts exceeds the major count.
 */
void matrix_block(const struct matrix *m, unsigned parts, unsigned i,
		  size_t *begin, size_t *end);

/* Pointer to the first element of column c (layout f) or row r (layout c). */
static inline const double *matrix_major(const struct matrix *m, size_t k)
{
	return m->data + k * (m->layout == LAYOUT_F ? m->rows : m->cols);
}

/* Element (row, col) as stored, whatever the layout. */
static inline double matrix_at(const struct matrix *m, size_t row, size_t col)
{
	return m->layout == LAYOUT_F ? m->data[col * m->rows + row]
				     : m->data[row * m->cols + col];
}

#endif

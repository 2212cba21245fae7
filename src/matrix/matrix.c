/*
 * matrix.c - allocating the matrix in huge pages and generating it
 * (matrix/generator.h), each block first touched by its reader.
 */
#include "matrix/matrix.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#if defined(__x86_64__)
#include <emmintrin.h>
#endif

#include "matrix/generator.h"
#include "os/interrupt.h"
#include "os/pin.h"
#include "os/sysinfo.h"
#include "os/threads.h"

#define HUGE_PAGE (2u << 20)
#define GB 1e9

size_t matrix_major_count(const struct matrix *m)
{
	return m->layout == LAYOUT_F ? m->cols : m->rows;
}

void matrix_block(const struct matrix *m, unsigned parts, unsigned i,
		  size_t *begin, size_t *end)
{
	size_t n = matrix_major_count(m);
	size_t q = n / parts, r = n % parts;

	*begin = i * q + (i < r ? i : r);
	*end = *begin + q + (i < r ? 1 : 0);
}

enum cb_status matrix_check_size(size_t rows, size_t cols, size_t *bytes,
				 struct cb_error *err)
{
	struct memory_headroom room;
	size_t elems;
	uint64_t mapped, stacks;
	unsigned threads;
	char words[128];

	if (__builtin_mul_overflow(rows, cols, &elems) ||
	    __builtin_mul_overflow(elems, sizeof(double), bytes))
		return cb_fail(err, CB_USAGE,
			       "a %zu x %zu float64 matrix is too large: its size in bytes overflows",
			       rows, cols);
	sysinfo_memory_headroom(&room);
	if (*bytes > room.bytes) {
		memory_shortfall_text(words, sizeof(words), *bytes, room.bytes);
		return cb_fail(err, CB_USAGE, "a %zu x %zu float64 matrix %s is available (%s)",
			       rows, cols, words, room.source);
	}
	/*
	 * Under ulimit -v (or -d) what counts is what is mapped, touched or
	 * not: the matrix rounded up to a huge page, and the whole stack of
	 * each of the threads (one a usable CPU) that touch, fill and check
	 * it.  Refused here, it is a usage error; met later, a system one.
	 */
	threads = pin_allowed_cpus();
	stacks = (uint64_t)threads * threads_stack_bytes();
	mapped = (*bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
	if (room.mappable != UINT64_MAX && mapped + stacks > room.mappable) {
		memory_shortfall_text(words, sizeof(words), mapped + stacks, room.mappable);
		return cb_fail(err, CB_USAGE, "a %zu x %zu float64 matrix, with the stacks of "
			       "the %u threads that make it, %s of address space is left (%s)",
			       rows, cols, threads, words, room.mappable_source);
	}
	return CB_OK;
}

enum cb_status matrix_alloc(struct matrix *m, size_t rows, size_t cols,
			    enum layout layout, bool hugepages,
			    struct cb_error *err)
{
	enum cb_status status;
	size_t bytes = 0, mapped;
	void *p;

	memset(m, 0, sizeof(*m));
	status = matrix_check_size(rows, cols, &bytes, err);
	if (status != CB_OK)
		return status;
	mapped = (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
	p = mmap(NULL, mapped, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return cb_fail(err, CB_SYSTEM, "cannot allocate %.2f GB for the matrix: %s",
			       mapped / GB, strerror(errno));
	/*
	 * Huge pages make the sums faster (fewer TLB misses) and, above all,
	 * make fork cheap: fork copies page tables, 512 times fewer of them.
	 * --hugepages off asks for 4 KiB pages even where THP is "always", to
	 * show what they cost.  Where THP is unavailable this fails harmlessly.
	 */
	(void)madvise(p, mapped, hugepages ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	*m = (struct matrix){ .rows = rows, .cols = cols, .layout = layout,
			      .data = p, .bytes = bytes, .map_base = p, .map_len = mapped };
	return CB_OK;
}

int matrix_make_writable(const struct matrix *m, const void *begin, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t skip = (size_t)((uintptr_t)begin & (page - 1)); /* back to its page's start */
	char *lo = (char *)begin - skip;

	if (!m->read_only || len == 0)
		return 0;
	return mprotect(lo, len + skip, PROT_READ | PROT_WRITE);
}

void matrix_free(struct matrix *m)
{
	if (m->map_base && m->map_base == interrupt_mapped_base())
		interrupt_watch_mapping(NULL, 0, NULL);
	if (m->map_base)
		munmap(m->map_base, m->map_len);
	m->map_base = NULL;
	m->data = NULL;
}

struct generate_job {
	struct matrix *m;
	uint64_t key;
	unsigned parts;
	bool pin;
	size_t first_col;  /* m's column 0 is this column of the whole matrix */
	size_t total_cols; /* of the whole matrix */
};

#define PAGE_BYTES 4096

/* A failure to start the threads that do `job` says what they were for:
 * a bare "cannot create thread 2 of 2" reads as the strategy's workers. */
static enum cb_status job_threads(enum cb_status st, const char *job, struct cb_error *err)
{
	return st == CB_SYSTEM ? cb_prefix(err, st, "the threads that %s: ", job) : st;
}

/* Fault in the pages of block `index` from the thread that will own it. */
static void touch_block(void *arg, unsigned index)
{
	const struct generate_job *job = arg;
	const struct matrix *m = job->m;
	size_t begin, end;

	if (job->pin)
		pin_to_cpu(index);
	matrix_block(m, job->parts, index, &begin, &end);
	if (begin == end)
		return;
	volatile char *first = (volatile char *)matrix_major(m, begin);
	const volatile char *last = (const volatile char *)matrix_major(m, end);

	/* One write per page faults it in (a whole huge page at once).  A
	 * signal is looked for once per 2 MB: faulting in gigabytes takes
	 * seconds, and colbench ends within one of SIGINT or SIGTERM. */
	for (volatile char *p = first; p < last; p += PAGE_BYTES) {
		if (((size_t)(p - first) & ((2u << 20) - 1)) == 0 && interrupt_pending())
			return;
		*p = 0;
	}
}

enum cb_status matrix_first_touch(struct matrix *m, unsigned threads, bool pin,
				  struct cb_error *err)
{
	struct generate_job job = { m, 0, threads, pin, 0, m->cols };

	return job_threads(threads_run(threads, touch_block, &job, err), "touch the matrix's pages",
			   err);
}

/* Write block `index` of the matrix: the block its reader will own. */
static void generate_block(void *arg, unsigned index)
{
	const struct generate_job *job = arg;
	struct matrix *m = job->m;
	size_t begin, end;

	if (job->pin)
		pin_to_cpu(index);
	size_t c0 = job->first_col, cols = job->total_cols;

	matrix_block(m, job->parts, index, &begin, &end);
	for (size_t k = begin; k < end && !interrupt_pending(); k++) {
		double *line = (double *)matrix_major(m, k);

		if (m->layout == LAYOUT_F) /* column c0 + k: indices c0 + k + r * cols */
			generator_line(line, m->rows, job->key, c0 + k, cols);
		else                       /* row k: indices k * cols + c0, ... */
			generator_line(line, m->cols, job->key, (uint64_t)k * cols + c0, 1);
	}
#if defined(__x86_64__)
	_mm_sfence(); /* the streamed stores are visible before the join */
#endif
}

enum cb_status matrix_generate(struct matrix *m, uint64_t seed,
			       unsigned threads, bool pin, struct cb_error *err)
{
	return matrix_generate_columns(m, seed, 0, m->cols, threads, pin, err);
}

enum cb_status matrix_generate_columns(struct matrix *m, uint64_t seed, size_t first_col,
				       size_t total_cols, unsigned threads, bool pin,
				       struct cb_error *err)
{
	struct generate_job job = { m, generator_key(seed), threads, pin, first_col, total_cols };

	return job_threads(threads_run(threads, generate_block, &job, err), "generate the matrix",
			   err);
}

struct convert_job {
	const struct matrix *src;
	struct matrix *dst;
	unsigned parts;
};

#define TILE 32 /* a TILE x TILE tile of doubles: 8 KiB, in L1 both ways */

/* Write block `index` of dst from src, tile by tile so both stay cached. */
static void convert_block(void *arg, unsigned index)
{
	const struct convert_job *job = arg;
	const struct matrix *src = job->src;
	struct matrix *dst = job->dst;
	size_t begin, end, other = dst->layout == LAYOUT_F ? dst->rows : dst->cols;

	matrix_block(dst, job->parts, index, &begin, &end);
	for (size_t k0 = begin; k0 < end && !interrupt_pending(); k0 += TILE)
		for (size_t j0 = 0; j0 < other; j0 += TILE) {
			size_t k1 = k0 + TILE < end ? k0 + TILE : end;
			size_t j1 = j0 + TILE < other ? j0 + TILE : other;

			for (size_t k = k0; k < k1; k++) {
				double *line = (double *)matrix_major(dst, k);
				const double *from = matrix_major(src, j0) + k;
				size_t stride = src->layout == LAYOUT_F ? src->rows : src->cols;

				for (size_t j = j0; j < j1; j++, from += stride)
					line[j] = *from;
			}
		}
}

enum cb_status matrix_convert(const struct matrix *src, enum layout to,
			      bool hugepages, unsigned threads, struct matrix *dst,
			      struct cb_error *err)
{
	/* cppcheck-suppress ctuuninitvar ; *dst is the output: matrix_alloc fills it */
	struct convert_job job = { src, dst, threads };
	enum cb_status st;

	st = matrix_alloc(dst, src->rows, src->cols, to, hugepages, err);
	if (st == CB_OK && to == src->layout)
		memcpy(dst->data, src->data, src->bytes);
	else if (st == CB_OK)
		st = job_threads(threads_run(threads, convert_block, &job, err),
				 "convert the matrix's layout", err);
	if (st != CB_OK)
		matrix_free(dst);
	return st;
}

/*
 * npy.c - .npy files in and out (see npy.h).
 */
#include "matrix/npy.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "os/atomic_file.h"
#include "os/interrupt.h"
#include "os/clock.h"

#define IO_CHUNK (8u << 20) /* bytes read or written per system call */

/* pread exactly len bytes at off, looping over short reads and EINTR. */
static int pread_full(int fd, void *buf, size_t len, off_t off)
{
	char *p = buf;

	while (len > 0) {
		ssize_t n = pread(fd, p, len, off);

		if (n < 0 && errno == EINTR && !interrupt_pending())
			continue;
		if (n <= 0)
			return n == 0 ? (errno = EIO, -1) : -1;
		p += n;
		off += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Read and parse the header of the open file, of file_size bytes by its
 * status; fills *h.  No more than file_size bytes are read: a file that
 * reads more than its size says, such as /proc/self/mem (0 bytes, and a
 * read error), is judged by what its size holds, nothing, as bad input.
 */
static enum cb_status read_header(int fd, const char *path, size_t file_size,
				  struct npy_header *h, struct cb_error *err)
{
	/* 10 kB: on the heap, so colbench runs on a small stack. */
	size_t room = NPY_PREFIX_MAX + NPY_HEADER_MAX;
	unsigned char *buf = malloc(room);
	ssize_t got = 0, n;
	enum cb_status st;

	if (!buf)
		return cb_fail(err, CB_SYSTEM, "%s: out of memory", path);
	if (file_size < room)
		room = file_size;
	/* As much as a header can be; a short file is judged by the parser. */
	while ((size_t)got < room && (n = pread(fd, buf + got, room - (size_t)got, got)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			st = cb_fail(err, CB_SYSTEM, "%s: cannot read: %s", path, strerror(errno));
			goto out;
		}
		got += n;
	}
	st = npy_parse_header(buf, (size_t)got, 2, h, err) == CB_OK
		     ? CB_OK : cb_prefix(err, CB_USAGE, "%s: ", path);
out:
	free(buf);
	return st;
}

/*
 * Native-endian double from 8 or 4 bytes in the file's byte order.  The
 * itemsize is 4 or 8 (npy_parse_header accepts no other), and p points
 * into the bytes read_run has just read with pread_full.
 */
static double element_from_file(const unsigned char *p, const struct npy_header *h)
{
	unsigned char b[8];

	for (size_t i = 0; i < h->itemsize; i++) {
		/* The analyzer cannot bound read_run's k * itemsize, takes it
		 * for 0 and p for unread; pread_full did read those bytes. */
		/* NOLINTNEXTLINE(clang-analyzer-core.uninitialized.Assign) */
		b[i] = h->big_endian ? p[h->itemsize - 1 - i] : p[i];
	}
	if (h->itemsize == 4) {
		float f;

		memcpy(&f, b, 4);
		return f;
	}
	double d;

	/* cppcheck-suppress uninitvar ; itemsize is 8 here: the loop set all of b */
	memcpy(&d, b, 8);
	return d;
}

/* Whether the file's data can be used as it lies: little-endian float64. */
static bool data_is_native(const struct npy_header *h)
{
	return h->itemsize == 8 && !h->big_endian &&
	       __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
}

/* Read n elements from element `first` of the file's data into dst, in
 * chunks, converting through bounce when the data is not native. */
static enum cb_status read_run(int fd, const char *path, const struct npy_header *h,
			       size_t first, size_t n, double *dst, unsigned char *bounce,
			       struct cb_error *err)
{
	size_t per_chunk = IO_CHUNK / h->itemsize;

	for (size_t done = 0; done < n;) {
		size_t k = n - done < per_chunk ? n - done : per_chunk;
		off_t off = (off_t)(h->data_offset + (first + done) * h->itemsize);
		void *into = bounce ? (void *)bounce : (void *)(dst + done);

		if (interrupt_pending())
			return cb_fail(err, CB_INTERRUPTED, "interrupted");
		if (pread_full(fd, into, k * h->itemsize, off) != 0)
			return cb_fail(err, CB_SYSTEM, "%s: cannot read: %s", path, strerror(errno));
		for (size_t i = 0; bounce && i < k; i++)
			dst[done + i] = element_from_file(bounce + i * h->itemsize, h);
		done += k;
	}
	return CB_OK;
}

/*
 * Copy columns first_col .. first_col + m->cols - 1 of the file's matrix
 * (all of them when m->cols is the file's) into m, in the file's layout:
 * one run for Fortran order, a run per row otherwise, telling progress
 * (NULL: nobody) each new percent, then -1.
 */
static enum cb_status read_data(int fd, const char *path, const struct npy_header *h,
				size_t first_col, void (*progress)(const char *path, int percent),
				struct matrix *m, struct cb_error *err)
{
	size_t file_cols = h->shape[1], rows = m->rows;
	bool whole_rows = m->layout == LAYOUT_F || m->cols == file_cols;
	size_t runs = whole_rows ? 1 : rows;
	size_t run_len = whole_rows ? rows * m->cols : m->cols;
	unsigned char *bounce = NULL;
	enum cb_status st = CB_OK;
	int last_percent = -1;

	if (!data_is_native(h) && !(bounce = malloc(IO_CHUNK)))
		return cb_fail(err, CB_SYSTEM, "%s: out of memory for reading", path);
	for (size_t r = 0; r < runs && st == CB_OK; r++) {
		size_t first = m->layout == LAYOUT_F ? first_col * rows : r * file_cols + first_col;

		st = read_run(fd, path, h, first, run_len, m->data + r * run_len, bounce, err);
		if (progress && (int)(100 * (r + 1) / runs) != last_percent) {
			last_percent = (int)(100 * (r + 1) / runs);
			progress(path, last_percent);
		}
	}
	if (progress)
		progress(path, -1);
	free(bounce);
	return st;
}

/*
 * Map the file's data as m's memory: private and read-only.  colbench
 * itself only reads it; a forkwrite worker, which writes every page of its
 * block as Python's reference counts do, makes its own block writable in
 * its own process first (matrix_make_writable), and the kernel copies each
 * page it touches, as it does for a generated matrix.  A private mapping
 * of a read-only descriptor may be made writable so; a shared one could
 * not, and would write the file.
 */
static enum cb_status map_data(int fd, const char *path, const struct npy_header *h,
			       size_t file_size, struct matrix *m, struct cb_error *err)
{
	void *p;

	if (!data_is_native(h) || h->data_offset % sizeof(double) != 0)
		return cb_fail(err, CB_USAGE,
			       "%s: --mmap needs little-endian float64 data at an 8-byte offset "
			       "(this file has %s at offset %zu); load it without --mmap",
			       path, h->descr, h->data_offset);
	p = mmap(NULL, file_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return cb_fail(err, CB_SYSTEM, "%s: cannot map: %s", path, strerror(errno));
	m->map_base = p;
	m->map_len = file_size;
	m->read_only = true;
	interrupt_watch_mapping(p, file_size, path); /* a truncation is then named */
	/* cppcheck-suppress invalidPointerCast ; the file's float64s, 8-byte aligned */
	m->data = (double *)((char *)p + h->data_offset);
	return CB_OK;
}

/* After the read: the open file must still be the version the read
 * began on, or the matrix may hold bytes of two versions. */
static enum cb_status check_read_whole(int fd, const char *path,
				       const struct file_version *then, struct cb_error *err)
{
	struct stat sb;
	struct file_version now;

	if (fstat(fd, &sb) != 0)
		return cb_fail(err, CB_SYSTEM, "%s: cannot read: %s", path, strerror(errno));
	file_version_of(&sb, &now);
	return file_version_expect(path, then, &now, "while it was read", err);
}

enum cb_status npy_load_columns(const char *path, bool map, bool hugepages,
				unsigned threads, unsigned part, unsigned parts,
				void (*progress)(const char *path, int percent),
				struct matrix *m, struct npy_load_info *info,
				struct cb_error *err)
{
	struct npy_header *h = &info->header;
	enum cb_status st;
	size_t rows, cols, data_bytes, elems;
	struct stat sb;
	double t0 = monotonic_seconds();
	int fd;

	memset(m, 0, sizeof(*m));
	info->mapped = map;
	fd = open_regular_file(path, err);
	if (fd < 0)
		return CB_USAGE;
	if (fstat(fd, &sb) != 0) {
		st = cb_fail(err, CB_SYSTEM, "%s: cannot read: %s", path, strerror(errno));
		goto out;
	}
	file_version_of(&sb, &info->version);
	if ((st = read_header(fd, path, (size_t)sb.st_size, h, err)) != CB_OK)
		goto out;
	rows = h->shape[0];
	cols = h->shape[1];
	if (__builtin_mul_overflow(rows, cols, &elems) ||
	    __builtin_mul_overflow(elems, h->itemsize, &data_bytes)) {
		st = cb_fail(err, CB_USAGE, "%s: shape (%zu, %zu) is too large: its size overflows",
			     path, rows, cols);
		goto out;
	}
	if ((size_t)sb.st_size < h->data_offset || (size_t)sb.st_size - h->data_offset != data_bytes) {
		size_t have = (size_t)sb.st_size < h->data_offset ? 0
				: (size_t)sb.st_size - h->data_offset;

		st = cb_fail(err, CB_USAGE, "%s: %s: %zu bytes of data, but shape (%zu, %zu) of %s "
			     "needs %zu", path, have < data_bytes ? "truncated" : "trailing bytes",
			     have, rows, cols, h->descr, data_bytes);
		goto out;
	}
	if (map) {
		*m = (struct matrix){ .rows = rows, .cols = cols, .bytes = data_bytes,
				      .layout = h->fortran_order ? LAYOUT_F : LAYOUT_C };
		st = map_data(fd, path, h, (size_t)sb.st_size, m, err);
		goto out;
	}
	/* This process's block of columns: all of them unless split (MPI). */
	info->first_col = cols * part / parts;
	info->total_cols = cols;
	cols = cols * (part + 1) / parts - info->first_col;
	if (cols == 0) {
		st = cb_fail(err, CB_USAGE, "%s: part %u of %u has no column: the file has %zu",
			     path, part + 1, parts, info->total_cols);
		goto out;
	}
	st = matrix_alloc(m, rows, cols, h->fortran_order ? LAYOUT_F : LAYOUT_C, hugepages, err);
	if (st == CB_USAGE) /* too large for memory: say which file */
		cb_prefix(err, CB_USAGE, "%s: ", path);
	if (st == CB_OK)
		st = matrix_first_touch(m, threads, false, err);
	if (st == CB_OK)
		st = read_data(fd, path, h, info->first_col, progress, m, err);
	if (st == CB_OK)
		st = check_read_whole(fd, path, &info->version, err);
	if (st != CB_OK)
		matrix_free(m);
out:
	close(fd);
	info->read_seconds = monotonic_seconds() - t0;
	return st;
}

/* Write a '<f8' array of the given shape: its header, then data[0..bytes).
 * The 10 kB header buffer is on the heap: colbench runs on small stacks. */
static enum cb_status save_npy(const char *path, const size_t *shape, int ndim,
			       bool fortran, const void *data, size_t bytes,
			       struct cb_error *err)
{
	char *header = malloc(NPY_PREFIX_MAX + NPY_HEADER_MAX);
	enum cb_status st;

	if (!header)
		return cb_fail(err, CB_SYSTEM, "%s: out of memory", path);
	struct file_part parts[] = { { header, npy_format_header(header, shape, ndim, fortran) },
				     { data, bytes } };

	st = atomic_write(path, parts, 2, err);
	free(header);
	return st;
}

enum cb_status npy_save_matrix(const char *path, const struct matrix *m,
			       struct cb_error *err)
{
	size_t shape[2] = { m->rows, m->cols };
	/*
	 * A single row or column lies the same in both orders; numpy then
	 * says fortran_order False, and so do we, byte for byte.
	 */
	bool fortran = m->layout == LAYOUT_F && m->rows > 1 && m->cols > 1;

	return save_npy(path, shape, 2, fortran, m->data, m->bytes, err);
}

enum cb_status npy_save_vector(const char *path, const double *v, size_t n,
			       struct cb_error *err)
{
	return save_npy(path, &n, 1, false, v, n * sizeof(double), err);
}

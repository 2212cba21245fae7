/*
 * npy.h - reading a matrix from, and writing matrices and vectors to,
 * numpy's .npy files.
 *
 * Every error message starts with the file's name, as "FILE: what is
 * wrong"; a file that is not what it should be is CB_USAGE (status 2), a
 * failing read or write of a good file CB_SYSTEM.  Writes go to a
 * temporary file in the same folder, renamed into place only when whole.
 */
#ifndef COLBENCH_NPY_H
#define COLBENCH_NPY_H

#include <stdbool.h>

#include "matrix/matrix.h"
#include "matrix/npy_header.h"
#include "os/file_version.h"
#include "os/status.h"

/* How a matrix came from its file, for the report. */
struct npy_load_info {
	struct npy_header header;
	bool mapped;        /* --mmap: the file's pages, not a copy */
	double read_seconds;
	size_t first_col;   /* of the file's matrix, in this process's block */
	size_t total_cols;  /* the file's */
	struct file_version version; /* of the file opened, as it was read */
};

/*
 * Load block `part` of `parts` contiguous blocks of the columns of the 2-D
 * float64 or float32 matrix in path into m (part 0 of 1: the whole; an MPI
 * rank: its own columns, read where they will be summed; info->first_col
 * and info->total_cols say which).  Its layout is the file's
 * (fortran_order True: f).  With map (parts == 1), the file is mapped
 * privately (only for little-endian float64 data aligned to 8 bytes): a
 * page written, as forkwrite's workers write, is copied, never the file's;
 * otherwise the data is read into huge-page memory (hugepages) first
 * touched by `threads` threads, float32 widened and big-endian swapped on
 * the way, telling progress (NULL: nobody) how far it has got, in percent,
 * then -1 when done.  Checks the header, the data size against the shape
 * and the size against the memory available before allocating; a file
 * that changes while it is read is CB_SYSTEM (file_version.h), and
 * info->version is the version read.  Returns CB_OK, CB_USAGE, CB_SYSTEM
 * or CB_INTERRUPTED.
 */
enum cb_status npy_load_columns(const char *path, bool map, bool hugepages,
				unsigned threads, unsigned part, unsigned parts,
				void (*progress)(const char *path, int percent),
				struct matrix *m, struct npy_load_info *info,
				struct cb_error *err);

/*
 * Write m as a version 1.0 .npy file that np.load reads: '<f8', the
 * fortran_order of its layout, the header padded as numpy pads it.
 */
enum cb_status npy_save_matrix(const char *path, const struct matrix *m,
			       struct cb_error *err);

/* Write v[0..n) as a 1-D '<f8' .npy file, the same way. */
enum cb_status npy_save_vector(const char *path, const double *v, size_t n,
			       struct cb_error *err);

#endif

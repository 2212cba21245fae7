/*
 * npy_header.h - numpy's .npy header: parsing it (from any bytes, safely)
 * and writing it exactly as numpy does.
 *
 * A .npy file is the magic string "\x93NUMPY", a major and a minor version
 * byte, the header's length (2 bytes in version 1.0, 4 in 2.0 and 3.0,
 * little-endian), the header itself (a Python dict literal with the keys
 * 'descr', 'fortran_order' and 'shape', padded with spaces and ended by a
 * newline), then the raw data.  The parser takes no file: it is a pure
 * function over a buffer, which the fuzz target drives directly.
 */
#ifndef COLBENCH_NPY_HEADER_H
#define COLBENCH_NPY_HEADER_H

#include <stdbool.h>
#include <stddef.h>

#include "os/status.h"

#define NPY_MAGIC "\x93NUMPY"
#define NPY_MAGIC_LEN 6
#define NPY_PREFIX_MAX 12        /* magic, version, a 4-byte length */
#define NPY_HEADER_MAX 10000     /* numpy 1.24's _MAX_HEADER_SIZE */
#define NPY_MAX_DIMS 32          /* numpy's NPY_MAXDIMS */

struct npy_header {
	int major, minor;
	size_t data_offset;     /* where the data starts */
	char descr[16];         /* as written: "<f8", ">f4", "<d", ... */
	size_t itemsize;        /* 8 or 4 */
	bool big_endian;
	bool fortran_order;
	int ndim;
	size_t shape[NPY_MAX_DIMS];
};

/*
 * Bytes of the prefix needed before the header's length is known: 10 for
 * version 1.0, 12 for 2.0 and 3.0.  Reads the version from buf (len >= 8
 * bytes); returns 0 when the magic or version is wrong (then parse says why).
 */
size_t npy_prefix_length(const unsigned char *buf, size_t len);

/*
 * Parse the prefix and header at the start of buf[0..len) into *h.  For a
 * matrix, want_ndim is 2 (a shape of another rank, or with a zero, is an
 * error); 0 accepts any rank.  Only float64 and float32 of either byte
 * order are accepted, in every spelling numpy's np.dtype() takes ('<f8',
 * '<d', '=f8', '|f8', 'float64', ...), and a version 1.0 or 2.0 shape may
 * hold Python 2's longs, (4L, 3L), as numpy reads them.  Returns CB_OK,
 * or CB_USAGE with err saying what is wrong (without the file's name):
 * never reads outside buf.
 */
enum cb_status npy_parse_header(const unsigned char *buf, size_t len,
				int want_ndim, struct npy_header *h,
				struct cb_error *err);

/*
 * Write into out (room for NPY_PREFIX_MAX + NPY_HEADER_MAX bytes) the
 * version 1.0 prefix and header numpy 1.24 writes for a little-endian
 * float64 array of the given shape and order, padding included, so that
 * the data starts at a multiple of 64 bytes.  Returns the byte count.
 */
size_t npy_format_header(char *out, const size_t *shape, int ndim,
			 bool fortran_order);

#endif

/*
 * fuzz_npy_header.c - libFuzzer target for the .npy header parser.
 *
 * Any bytes must be parsed without reading outside the buffer, overflowing
 * or hanging (AddressSanitizer and UndefinedBehaviorSanitizer watch), and
 * a header that parses must survive a round trip: written again by
 * npy_format_header, it parses to the same shape and order.
 */
#include <stdint.h>
#include <string.h>

#include "matrix/npy_header.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct npy_header h, again;
	struct cb_error err;
	char text[NPY_PREFIX_MAX + NPY_HEADER_MAX];
	size_t len;

	(void)npy_parse_header(data, size, 2, &h, &err);
	if (npy_parse_header(data, size, 0, &h, &err) != CB_OK || h.ndim == 0)
		return 0;
	len = npy_format_header(text, h.shape, h.ndim, h.fortran_order);
	if (npy_parse_header((const unsigned char *)text, len, 0, &again, &err) != CB_OK ||
	    again.ndim != h.ndim || again.fortran_order != h.fortran_order ||
	    memcmp(again.shape, h.shape, sizeof(h.shape[0]) * (size_t)h.ndim) != 0 ||
	    again.data_offset % 64 != 0)
		__builtin_trap();
	return 0;
}

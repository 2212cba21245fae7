/*
 * npy_header.c - parse and write .npy headers (see npy_header.h).
 *
 * The header is a Python literal, but only a tiny part of Python: a dict of
 * three known keys whose values are a string, True or False, and a tuple of
 * integers.  A small recursive-descent parser over a bounded buffer reads
 * exactly that and rejects everything else with a reason.
 */
#include "matrix/npy_header.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A cursor over the header text. */
struct scanner {
	const char *p, *end;
	struct cb_error *err;
	bool python2_longs; /* version 1.0 or 2.0: an integer may end in L */
};

static void skip_space(struct scanner *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' ||
				 *s->p == '\r'))
		s->p++;
}

/* Consume character c (after white space), or fail. */
static bool expect(struct scanner *s, char c, const char *where)
{
	skip_space(s);
	if (s->p < s->end && *s->p == c) {
		s->p++;
		return true;
	}
	cb_fail(s->err, CB_USAGE, "header is not a valid dict literal: expected '%c' %s",
		c, where);
	return false;
}

/* A quoted string ('...' or "...") without escapes into out. */
static bool parse_string(struct scanner *s, char *out, size_t len, const char *what)
{
	char quote;
	size_t n = 0;

	skip_space(s);
	if (s->p >= s->end || (*s->p != '\'' && *s->p != '"'))
		return cb_fail(s->err, CB_USAGE,
			       "header is not a valid dict literal: %s is not a string", what),
		       false;
	quote = *s->p++;
	while (s->p < s->end && *s->p != quote) {
		if (*s->p == '\\' || *s->p == '\n')
			return cb_fail(s->err, CB_USAGE,
				       "header is not a valid dict literal: unsupported character in %s",
				       what), false;
		if (n + 1 < len)
			out[n] = *s->p;
		n++;
		s->p++;
	}
	if (s->p >= s->end)
		return cb_fail(s->err, CB_USAGE,
			       "header is not a valid dict literal: unterminated string"), false;
	s->p++;
	if (n + 1 > len)
		return cb_fail(s->err, CB_USAGE, "header's %s is too long", what), false;
	out[n] = '\0';
	return true;
}

/* True or False. */
static bool parse_bool(struct scanner *s, bool *out)
{
	skip_space(s);
	if (s->end - s->p >= 4 && memcmp(s->p, "True", 4) == 0) {
		s->p += 4;
		*out = true;
	} else if (s->end - s->p >= 5 && memcmp(s->p, "False", 5) == 0) {
		s->p += 5;
		*out = false;
	} else {
		return cb_fail(s->err, CB_USAGE,
			       "header's fortran_order is neither True nor False"), false;
	}
	return true;
}

/*
 * After an integer of a version 1.0 or 2.0 header: Python 2's long suffix,
 * as in (4L, 3L), which numpy drops before it evaluates such a header
 * (numpy.lib.format._filter_header: an L token right after a number, so
 * white space may come between them, but not 'l' nor 'LL').  Version 3.0
 * is newer than Python 2, and numpy leaves its header as it is.
 */
static void skip_long_suffix(struct scanner *s)
{
	const char *at = s->p;

	skip_space(s);
	if (s->p < s->end && *s->p == 'L' &&
	    (s->p + 1 == s->end || !(s->p[1] == '_' || (s->p[1] >= '0' && s->p[1] <= '9') ||
				     ((s->p[1] | 0x20) >= 'a' && (s->p[1] | 0x20) <= 'z')))) {
		s->p++;
		return;
	}
	s->p = at;
}

/* A non-negative decimal integer that fits in size_t. */
static bool parse_size(struct scanner *s, size_t *out)
{
	size_t v = 0;
	const char *start;

	skip_space(s);
	start = s->p;
	while (s->p < s->end && *s->p >= '0' && *s->p <= '9') {
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, (size_t)(*s->p - '0'), &v))
			return cb_fail(s->err, CB_USAGE, "header's shape has a dimension too large"),
			       false;
		s->p++;
	}
	if (s->p == start)
		return cb_fail(s->err, CB_USAGE,
			       "header's shape is not a tuple of non-negative integers"), false;
	if (s->python2_longs)
		skip_long_suffix(s);
	*out = v;
	return true;
}

/* A tuple of integers: (), (3,), (3, 4), (3, 4,); not (3), an int. */
static bool parse_shape(struct scanner *s, struct npy_header *h)
{
	bool comma = false;

	h->ndim = 0;
	if (!expect(s, '(', "before the shape"))
		return false;
	for (;;) {
		skip_space(s);
		if (s->p < s->end && *s->p == ')')
			break;
		if (h->ndim == NPY_MAX_DIMS)
			return cb_fail(s->err, CB_USAGE, "header's shape has more than %d dimensions",
				       NPY_MAX_DIMS), false;
		if (!parse_size(s, &h->shape[h->ndim]))
			return false;
		h->ndim++;
		skip_space(s);
		comma = s->p < s->end && *s->p == ',';
		if (!comma)
			break;
		s->p++;
	}
	if (!expect(s, ')', "after the shape"))
		return false;
	if (h->ndim == 1 && !comma)
		return cb_fail(s->err, CB_USAGE,
			       "header's shape is not a tuple of non-negative integers"), false;
	return true;
}

/*
 * Whether descr names float64 or float32 as numpy's np.dtype() reads it
 * (numpy loads a header's descr with it), with *itemsize and *big: a
 * byte order '<' (little), '>' (big), '=' or '|' (this machine's), or
 * none (this machine's), then 'd' (float64), 'f' (float32), or 'f' and a
 * byte count of 8 or 4 read as strtol reads it (numpy's 'f08', 'f 8' and
 * 'f+8' are float64 too); or, with no byte order, one of numpy's names.
 * numpy writes '<f8'; other writers, and people, write '<d' or '=f8'.
 */
static bool descr_float(const char *descr, size_t *itemsize, bool *big)
{
	static const struct { const char *name; size_t itemsize; } names[] = {
		{ "float64", 8 }, { "float_", 8 }, { "float", 8 }, { "double", 8 },
		{ "float32", 4 }, { "single", 4 },
	};
	const bool native_big = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
	const char *code = descr;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(descr, names[i].name) == 0) {
			*itemsize = names[i].itemsize;
			*big = native_big;
			return true;
		}
	*big = native_big;
	switch (*code) {
	case '<':
	case '>':
		*big = *code == '>';
		code++;
		break;
	case '=':
	case '|':
		code++;
		break;
	default:
		break;
	}
	if (strcmp(code, "d") == 0 || strcmp(code, "f") == 0) {
		*itemsize = *code == 'd' ? 8 : 4;
		return true;
	}
	if (*code == 'f' && code[1] != '\0') {
		char *end;
		long bytes = strtol(code + 1, &end, 10);

		if (end != code + 1 && *end == '\0' && (bytes == 8 || bytes == 4)) {
			*itemsize = (size_t)bytes;
			return true;
		}
	}
	return false;
}

/* Check descr and fill itemsize and byte order. */
static bool check_descr(struct npy_header *h, struct cb_error *err)
{
	if (descr_float(h->descr, &h->itemsize, &h->big_endian))
		return true;
	return cb_fail(err, CB_USAGE, "dtype '%s' is not float64 or float32 (<f8, >f8, <f4, >f4)",
		       h->descr), false;
}

size_t npy_prefix_length(const unsigned char *buf, size_t len)
{
	if (len < 8 || memcmp(buf, NPY_MAGIC, NPY_MAGIC_LEN) != 0 || buf[7] != 0)
		return 0;
	if (buf[6] == 1)
		return 10;
	if (buf[6] == 2 || buf[6] == 3)
		return 12;
	return 0;
}

/* The dict: exactly the keys descr, fortran_order and shape, once each. */
static bool parse_dict(struct scanner *s, struct npy_header *h)
{
	bool seen_descr = false, seen_order = false, seen_shape = false;
	char key[32];

	if (!expect(s, '{', "at the start"))
		return false;
	for (;;) {
		skip_space(s);
		if (s->p < s->end && *s->p == '}')
			break;
		if (s->p < s->end && *s->p == '[')
			return cb_fail(s->err, CB_USAGE, "header is not a valid dict literal"), false;
		if (!parse_string(s, key, sizeof(key), "a key") ||
		    !expect(s, ':', "after a key"))
			return false;
		if (strcmp(key, "descr") == 0 && !seen_descr) {
			skip_space(s);
			if (s->p < s->end && (*s->p == '[' || *s->p == '('))
				return cb_fail(s->err, CB_USAGE,
					       "dtype is structured, not float64 or float32"), false;
			if (!parse_string(s, h->descr, sizeof(h->descr), "descr"))
				return false;
			seen_descr = true;
		} else if (strcmp(key, "fortran_order") == 0 && !seen_order) {
			if (!parse_bool(s, &h->fortran_order))
				return false;
			seen_order = true;
		} else if (strcmp(key, "shape") == 0 && !seen_shape) {
			if (!parse_shape(s, h))
				return false;
			seen_shape = true;
		} else {
			return cb_fail(s->err, CB_USAGE, "header has %s key '%s'",
				       seen_descr + seen_order + seen_shape < 3 &&
						       (strcmp(key, "descr") == 0 ||
							strcmp(key, "fortran_order") == 0 ||
							strcmp(key, "shape") == 0)
					       ? "a repeated" : "an unknown",
				       key), false;
		}
		skip_space(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			continue;
		}
		if (!expect(s, '}', "after a value"))
			return false;
		s->p--; /* let the loop see the brace */
	}
	s->p++;
	if (!seen_descr || !seen_order || !seen_shape)
		return cb_fail(s->err, CB_USAGE, "header lacks the key '%s'",
			       !seen_descr ? "descr" : !seen_order ? "fortran_order" : "shape"),
		       false;
	skip_space(s);
	if (s->p != s->end)
		return cb_fail(s->err, CB_USAGE,
			       "header is not a valid dict literal: text after the dict"), false;
	return true;
}

enum cb_status npy_parse_header(const unsigned char *buf, size_t len,
				int want_ndim, struct npy_header *h,
				struct cb_error *err)
{
	size_t prefix, header_len;
	struct scanner s;

	memset(h, 0, sizeof(*h));
	if (len < 8 || memcmp(buf, NPY_MAGIC, NPY_MAGIC_LEN) != 0)
		return cb_fail(err, CB_USAGE, "not a .npy file (no \\x93NUMPY magic string)");
	h->major = buf[6];
	h->minor = buf[7];
	prefix = npy_prefix_length(buf, len);
	if (prefix == 0)
		return cb_fail(err, CB_USAGE, "unknown .npy format version %d.%d (known: 1.0, 2.0, 3.0)",
			       h->major, h->minor);
	if (len < prefix)
		return cb_fail(err, CB_USAGE, "truncated: the file ends inside the header");
	header_len = prefix == 10 ? (size_t)buf[8] | (size_t)buf[9] << 8
				  : (size_t)buf[8] | (size_t)buf[9] << 8 |
					    (size_t)buf[10] << 16 | (size_t)buf[11] << 24;
	if (header_len > NPY_HEADER_MAX)
		return cb_fail(err, CB_USAGE, "header is too long (%zu bytes; at most %d)",
			       header_len, NPY_HEADER_MAX);
	if (len - prefix < header_len)
		return cb_fail(err, CB_USAGE, "truncated: the file ends inside the header");
	h->data_offset = prefix + header_len;
	if (memchr(buf + prefix, '\0', header_len))
		return cb_fail(err, CB_USAGE, "header is not a valid dict literal: it holds a NUL byte");
	s = (struct scanner){ (const char *)buf + prefix, (const char *)buf + prefix + header_len,
			      err, h->major <= 2 };
	if (!parse_dict(&s, h) || !check_descr(h, err))
		return CB_USAGE;
	if (want_ndim && h->ndim != want_ndim)
		return cb_fail(err, CB_USAGE, "shape has %d dimension%s, not %d", h->ndim,
			       h->ndim == 1 ? "" : "s", want_ndim);
	for (int i = 0; want_ndim && i < h->ndim; i++)
		if (h->shape[i] == 0)
			return cb_fail(err, CB_USAGE, "shape has a zero: the matrix is empty");
	return CB_OK;
}

size_t npy_format_header(char *out, const size_t *shape, int ndim, bool fortran_order)
{
	/* The dictionary is written in place, after the 10-byte prefix. */
	char *dict = out + 10;
	const size_t room = NPY_HEADER_MAX;
	size_t n, total, padded;

	n = (size_t)snprintf(dict, room, "{'descr': '<f8', 'fortran_order': %s, 'shape': (",
			     fortran_order ? "True" : "False");
	for (int i = 0; i < ndim; i++)
		n += (size_t)snprintf(dict + n, room - n, "%s%zu", i ? ", " : "", shape[i]);
	n += (size_t)snprintf(dict + n, room - n, "%s), }", ndim == 1 ? "," : "");
	/*
	 * numpy 1.24 leaves room to grow the shape in place: spaces for 21
	 * digits of the axis that grows (the last for Fortran order).
	 */
	if (ndim > 0) {
		int growth = 21 - snprintf(NULL, 0, "%zu", shape[fortran_order ? ndim - 1 : 0]);

		while (growth-- > 0 && n + 1 < room)
			dict[n++] = ' ';
	}
	/* Pad with spaces and a newline so the data starts at a multiple of 64. */
	total = NPY_MAGIC_LEN + 2 + 2 + n + 1;
	padded = (total + 63) / 64 * 64;
	if (padded == total)
		padded += 64; /* numpy always pads: 64 - (total % 64) */
	memcpy(out, NPY_MAGIC, NPY_MAGIC_LEN);
	out[6] = 1;
	out[7] = 0;
	out[8] = (char)((padded - 10) & 0xff);
	out[9] = (char)((padded - 10) >> 8);
	memset(out + 10 + n, ' ', padded - 10 - n - 1);
	out[padded - 1] = '\n';
	return padded;
}

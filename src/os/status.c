/*
 * status.c - filling in a struct cb_error (see status.h).
 */
#include "os/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ELISION " ... "
#define KEEP_END 400 /* bytes of a long message's end that are kept */

/*
 * Whether the byte at s (of the len left) starts a control character: C0
 * (a newline, an escape), DEL, or a C1 control in UTF-8 (U+0080..U+009F,
 * 0xC2 0x80..0x9F, which some terminals obey as ESC [).  Returns the
 * bytes it spans, 0 when it is not one.
 */
static size_t control_at(const unsigned char *s, size_t len)
{
	if (*s < 0x20 || *s == 0x7f)
		return 1;
	if (*s == 0xc2 && len > 1 && s[1] >= 0x80 && s[1] <= 0x9f)
		return 2;
	return 0;
}

/*
 * in[0..len) into out (room for 4 * len + 1 bytes), every control
 * character written as C writes it (\n, \t, \r, \x1b): a message is one
 * line, and what a user typed (a strategy, a path) cannot move the cursor
 * or recolour the terminal.  A backslash stays as it is, so that escaping
 * an escaped message again (cb_prefix) changes nothing.  Returns out's length.
 */
static size_t escape_controls(char *out, const char *in, size_t len)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t o = 0;

	for (size_t i = 0; i < len;) {
		size_t n = control_at(s + i, len - i);

		if (n == 0) {
			out[o++] = (char)s[i++];
			continue;
		}
		for (; n > 0; n--, i++) {
			const char *named = s[i] == '\n' ? "\\n" : s[i] == '\t' ? "\\t"
					    : s[i] == '\r' ? "\\r" : NULL;

			if (named) {
				memcpy(out + o, named, 2);
				o += 2;
			} else {
				o += (size_t)sprintf(out + o, "\\x%02x", s[i]);
			}
		}
	}
	out[o] = '\0';
	return o;
}

void cb_escape_in_place(char *buf, size_t size)
{
	size_t len = strlen(buf);
	char small[1024], *wide = 4 * len + 1 <= sizeof(small) ? small : malloc(4 * len + 1);

	if (!wide) { /* out of memory: each control byte becomes '?' */
		for (char *s = buf; *s; s++)
			if ((unsigned char)*s < 0x20 || *s == 0x7f)
				*s = '?';
		return;
	}
	escape_controls(wide, buf, len);
	snprintf(buf, size, "%s", wide);
	if (wide != small)
		free(wide);
}

/* Out of memory to escape: each control byte becomes '?', in place. */
static void blank_controls(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

/*
 * Write fmt's text at out[0..room), control characters escaped (see
 * escape_controls); when it does not fit, keep its head and its last
 * KEEP_END bytes around ELISION.  Out of memory for the whole text, it is
 * cut as vsnprintf cuts it, its control bytes made '?'.
 */
static void format_elided(char *out, size_t room, const char *fmt, va_list ap)
{
	va_list again;
	char *whole = NULL, *escaped = NULL;
	int raw;
	size_t len;

	if (room == 0)
		return;
	va_copy(again, ap);
	raw = vasprintf(&whole, fmt, ap);
	if (raw < 0 || (escaped = malloc(4 * (size_t)raw + 1)) == NULL) {
		if (raw >= 0)
			free(whole);
		(void)vsnprintf(out, room, fmt, again);
		blank_controls(out);
		va_end(again);
		return;
	}
	va_end(again);
	len = escape_controls(escaped, whole, (size_t)raw);
	free(whole);
	if (len < room) {
		memcpy(out, escaped, len + 1);
	} else if (room > KEEP_END + sizeof(ELISION) + 16) {
		size_t head = room - 1 - KEEP_END - (sizeof(ELISION) - 1);

		memcpy(out, escaped, head);
		memcpy(out + head, ELISION, sizeof(ELISION) - 1);
		memcpy(out + head + sizeof(ELISION) - 1, escaped + len - KEEP_END, KEEP_END + 1);
	} else {
		memcpy(out, escaped, room - 1);
		out[room - 1] = '\0';
	}
	free(escaped);
}

enum cb_status cb_fail(struct cb_error *err, enum cb_status status,
		       const char *fmt, ...)
{
	if (err) {
		va_list ap;

		va_start(ap, fmt);
		format_elided(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return status;
}

enum cb_status cb_prefix(struct cb_error *err, enum cb_status status, const char *fmt, ...)
{
	char *head = NULL, *old;
	va_list ap;
	int len;

	if (!err)
		return status;
	va_start(ap, fmt);
	len = vasprintf(&head, fmt, ap);
	va_end(ap);
	old = strdup(err->msg);
	if (len >= 0 && old)
		cb_fail(err, status, "%s%s", head, old);
	if (len >= 0)
		free(head);
	free(old);
	return status;
}

void cb_append(struct cb_error *err, const char *fmt, ...)
{
	if (err) {
		size_t used = strlen(err->msg);
		va_list ap;

		va_start(ap, fmt);
		format_elided(err->msg + used, sizeof(err->msg) - used, fmt, ap);
		va_end(ap);
	}
}

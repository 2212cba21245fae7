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
 * Write fmt's text at out[0..room); when it does not fit, keep its head
 * and its last KEEP_END bytes around ELISION.  Out of memory for the whole
 * text, it is cut as vsnprintf cuts it.
 */
static void format_elided(char *out, size_t room, const char *fmt, va_list ap)
{
	va_list again;
	char *whole = NULL;
	int len;

	va_copy(again, ap);
	len = vsnprintf(out, room, fmt, ap);
	if (len >= 0 && (size_t)len >= room && room > KEEP_END + sizeof(ELISION) + 16 &&
	    vasprintf(&whole, fmt, again) >= 0) {
		size_t head = room - 1 - KEEP_END - (sizeof(ELISION) - 1);

		memcpy(out, whole, head);
		memcpy(out + head, ELISION, sizeof(ELISION) - 1);
		memcpy(out + head + sizeof(ELISION) - 1, whole + len - KEEP_END, KEEP_END + 1);
		free(whole);
	}
	va_end(again);
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

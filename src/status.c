/*
 * status.c - filling in a struct cb_error (see status.h).
 */
#include "status.h"

#include <stdio.h>
#include <string.h>

enum cb_status cb_fail(struct cb_error *err, enum cb_status status,
		       const char *fmt, ...)
{
	if (err) {
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return status;
}

void cb_append(struct cb_error *err, const char *fmt, ...)
{
	if (err) {
		size_t used = strlen(err->msg);
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(err->msg + used, sizeof(err->msg) - used, fmt, ap);
		va_end(ap);
	}
}

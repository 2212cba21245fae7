/*
 * status.h - the one error convention of colbench.
 *
 * Every function that can fail returns an enum cb_status and, where it has
 * something to say, writes one line (without the "colbench: " prefix) into a
 * caller-supplied struct cb_error.  Only main() prints it and turns the status
 * into the process exit status, so the documented exit statuses live here.
 */
#ifndef COLBENCH_STATUS_H
#define COLBENCH_STATUS_H

#include <stdarg.h>
#include <stddef.h>

enum cb_status {
	CB_OK = 0,          /* all results verified */
	CB_VERIFY = 1,      /* a strategy's result did not match the reference */
	CB_REGRESSED = 1,   /* slower than the baseline: the same status, for CI */
	CB_USAGE = 2,       /* bad option, bad value, or a matrix that cannot fit */
	CB_SYSTEM = 3,      /* allocation, fork or thread creation failed, a worker died */
	CB_INTERRUPTED = 4, /* SIGINT or SIGTERM; main re-raises the signal */
	CB_INCONCLUSIVE = 5, /* a comparison the machine was too busy to judge */
};

/* Room for two full paths and their reason; a longer message is shortened
 * in its middle (see cb_fail), so its reason, at the end, is never lost. */
#define CB_ERROR_MAX 2048

struct cb_error {
	char msg[CB_ERROR_MAX];
};

/*
 * Format a message into err (if err is not NULL) and return status.  A
 * message longer than the buffer keeps its beginning and its end, joined
 * by " ... ": what failed and why stay; only the middle of an argument
 * quoted in it (a huge path or list) goes.
 */
enum cb_status cb_fail(struct cb_error *err, enum cb_status status,
		       const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Put a formatted piece before err's message (if err is not NULL), as
 * "FILE: " before what a lower layer said; the whole is elided as
 * cb_fail elides.  Returns status, for return cb_prefix(...).
 */
enum cb_status cb_prefix(struct cb_error *err, enum cb_status status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Append a formatted piece to err's message (if err is not NULL), cut at
 * the message's size: for messages built in a loop ("known: a, b, c"). */
/*
 * The string in buf (of size bytes) with its control characters escaped
 * as cb_fail escapes them (\n, \x1b), cut to fit: for text that comes
 * from outside (a saved report's names, a path) and is printed other than
 * through a cb_error.
 */
void cb_escape_in_place(char *buf, size_t size);

void cb_append(struct cb_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif

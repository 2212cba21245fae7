/*
 * stdout_stream.c - stdout through fopencookie (see stdout_stream.h).
 */
#include "stdout_stream.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "interrupt.h"

/*
 * Wait until fd 1 takes a write, with the signals unblocked only inside
 * ppoll, so that a signal arriving just before the wait still ends it.
 * Returns 0 when writable, -1 when a signal came (or poll failed).
 */
static int wait_writable(void)
{
	struct pollfd out = { .fd = STDOUT_FILENO, .events = POLLOUT };
	sigset_t during;
	int rc;

	interrupt_block(1);
	(void)sigprocmask(SIG_BLOCK, NULL, &during);
	interrupt_block_set(&during, 0);
	rc = interrupt_pending() ? -1 : ppoll(&out, 1, NULL, &during);
	interrupt_block(0);
	return rc > 0 ? 0 : -1;
}

/* The stream's write: at most PIPE_BUF bytes after each wait, which a pipe
 * with room takes whole without blocking. */
static ssize_t write_stdout(void *cookie, const char *buf, size_t size)
{
	size_t done = 0;

	(void)cookie;
	while (done < size) {
		size_t len = size - done < PIPE_BUF ? size - done : PIPE_BUF;
		ssize_t n;

		if (wait_writable() != 0) {
			if (interrupt_pending())
				errno = EINTR;
			else if (errno == EINTR)
				continue;
			break;
		}
		n = write(STDOUT_FILENO, buf + done, len);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			break;
		done += (size_t)n;
	}
	return done > 0 || size == 0 ? (ssize_t)done : -1;
}

void stdout_stream_install(void)
{
	cookie_io_functions_t io = { .write = write_stdout };
	FILE *stream = fopencookie(NULL, "w", io);

	if (!stream)
		return;
	(void)fflush(stdout);
	if (isatty(STDOUT_FILENO))
		(void)setvbuf(stream, NULL, _IOLBF, BUFSIZ);
	stdout = stream;
}

/*
 * stdout_stream.c - stdout and stderr through fopencookie (see
 * stdout_stream.h).  The cookie points to the file descriptor.
 */
#include "os/stdout_stream.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "os/interrupt.h"

/*
 * Wait until fd takes a write, with the signals unblocked only inside
 * ppoll, so that a signal arriving just before the wait still ends it.
 * Once a signal has come, only look, never wait: the last lines ("colbench:
 * interrupted by ...") still go out when there is room.  Returns 0 when
 * writable, -1 when a signal came and there is no room (or poll failed).
 */
static int wait_writable(int fd)
{
	static const struct timespec no_wait = { 0, 0 };
	struct pollfd out = { .fd = fd, .events = POLLOUT };
	sigset_t before, blocked, during;
	int rc;

	(void)sigprocmask(SIG_SETMASK, NULL, &before);
	blocked = before;
	interrupt_block_set(&blocked, 1);
	during = before;
	interrupt_block_set(&during, 0);
	(void)sigprocmask(SIG_SETMASK, &blocked, NULL);
	rc = ppoll(&out, 1, interrupt_pending() ? &no_wait : NULL, &during);
	(void)sigprocmask(SIG_SETMASK, &before, NULL); /* the caller's, as it was */
	return rc > 0 ? 0 : -1;
}

static int stdout_errno; /* why stdout's first failed write failed; 0: none did */

/* The stream's write: at most PIPE_BUF bytes after each wait, which a pipe
 * with room takes whole without blocking.  stdout's first failure is kept:
 * stdio keeps only that one failed (ferror), and a later flush that has
 * nothing left to write says nothing of why. */
static ssize_t write_stream(void *cookie, const char *buf, size_t size)
{
	int fd = *(const int *)cookie;
	size_t done = 0;

	while (done < size) {
		size_t len = size - done < PIPE_BUF ? size - done : PIPE_BUF;
		ssize_t n;

		if (wait_writable(fd) != 0) {
			if (interrupt_pending())
				errno = EINTR;
			else if (errno == EINTR)
				continue;
			break;
		}
		n = write(fd, buf + done, len);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			break;
		done += (size_t)n;
	}
	if (done < size && fd == STDOUT_FILENO && stdout_errno == 0)
		stdout_errno = errno ? errno : EIO;
	return done > 0 || size == 0 ? (ssize_t)done : -1;
}

int stdout_stream_error(void)
{
	return stdout_errno;
}

/* A stream writing to fd through write_stream, with the given buffering;
 * NULL when it cannot be made. */
static FILE *interruptible(const int *fd, int mode)
{
	cookie_io_functions_t io = { .write = write_stream };
	FILE *stream = fopencookie((void *)fd, "w", io);

	if (stream && mode != _IOFBF)
		(void)setvbuf(stream, NULL, mode, BUFSIZ);
	return stream;
}

static FILE *libc_stdout, *libc_stderr; /* the C library's own, put back at exit */

/* At exit: flush and free the streams, and put the C library's back, so
 * that nothing is left allocated (valgrind checks) and late writers work. */
static void stdout_stream_remove(void)
{
	if (libc_stdout && stdout != libc_stdout) {
		FILE *ours = stdout;

		stdout = libc_stdout;
		(void)fclose(ours); /* flushes; fd 1 stays open: no close hook */
	}
	if (libc_stderr && stderr != libc_stderr) {
		FILE *ours = stderr;

		stderr = libc_stderr;
		(void)fclose(ours);
	}
}

void stdout_stream_install(void)
{
	static const int out_fd = STDOUT_FILENO, err_fd = STDERR_FILENO;
	FILE *out = interruptible(&out_fd, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF);
	FILE *err = interruptible(&err_fd, _IONBF);

	if (atexit(stdout_stream_remove) != 0) {
		if (out)
			(void)fclose(out);
		if (err)
			(void)fclose(err);
		return;
	}
	(void)fflush(stdout);
	libc_stdout = stdout;
	libc_stderr = stderr;
	if (out)
		stdout = out;
	if (err)
		stderr = err;
}

/*
 * omp_env.c - stderr held in memory while the libraries start, and
 * libgomp's refusals in it turned into one colbench line (see omp_env.h).
 */
#include "os/omp_env.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int real_stderr = -1, held = -1; /* fds: the real stderr, the memory file */

#define REFUSAL "libgomp: Invalid value for environment variable "
#define HELD_MAX 65536 /* more than libgomp ever says at start */

void omp_env_capture(void)
{
	int saved = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	int mem;

	if (saved < 0)
		return; /* fd 2 closed: nothing to hold */
	mem = memfd_create("colbench-start-up-stderr", MFD_CLOEXEC);
	if (mem >= 0 && mem < 3) { /* fd 0 or 1 was closed: keep them closed */
		int high = fcntl(mem, F_DUPFD_CLOEXEC, 3);

		close(mem);
		mem = high;
	}
	if (mem < 0 || dup2(mem, STDERR_FILENO) < 0) {
		if (mem >= 0)
			close(mem);
		close(saved);
		return;
	}
	real_stderr = saved;
	held = mem;
}

/* Write len bytes of s to fd, as far as it takes them. */
static void pass_on(int fd, const char *s, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, s, len);

		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

/* Whether the text at p (up to end) is a line of libgomp's refusal. */
static bool is_refusal(const char *p, const char *end)
{
	size_t left = (size_t)(end - p);

	return left > sizeof(REFUSAL) - 1 && memcmp(p, REFUSAL, sizeof(REFUSAL) - 1) == 0;
}

/* The refusal on line (of len bytes) into err's message: NAME='value'. */
static void add_refusal(const char *line, size_t len, unsigned *count, struct cb_error *err)
{
	char name[128];
	size_t n = len - (sizeof(REFUSAL) - 1);
	const char *value;

	if (n >= sizeof(name))
		n = sizeof(name) - 1;
	memcpy(name, line + sizeof(REFUSAL) - 1, n);
	name[n] = '\0';
	value = getenv(name);
	if (*count == 0)
		cb_fail(err, CB_USAGE, "the OpenMP runtime (libgomp) refuses ");
	cb_append(err, "%s%s='%s'", *count ? ", " : "", name, value ? value : "");
	++*count;
}

enum cb_status omp_env_check(struct cb_error *err)
{
	char *text;
	ssize_t got;
	unsigned refused = 0;
	size_t at = 0;

	if (held < 0)
		return CB_OK;
	(void)fflush(stderr);
	(void)dup2(real_stderr, STDERR_FILENO);
	close(real_stderr);
	real_stderr = -1;
	text = malloc(HELD_MAX);
	got = text ? pread(held, text, HELD_MAX, 0) : -1;
	close(held);
	held = -1;
	while (got > 0 && at < (size_t)got) {
		const char *line = text + at, *nl = memchr(line, '\n', (size_t)got - at);
		size_t len = nl ? (size_t)(nl - line) : (size_t)got - at;

		if (is_refusal(line, text + got))
			add_refusal(line, len, &refused, err);
		else if (!(*line == '\n' && is_refusal(line + 1, text + got))) /* its blank line */
			pass_on(STDERR_FILENO, line, len + (nl != NULL));
		at += len + (nl != NULL);
	}
	free(text);
	if (refused == 0)
		return CB_OK;
	cb_append(err, ": set %s it takes, or unset %s (see OpenMP's documentation)",
		  refused == 1 ? "it to a value" : "them to values", refused == 1 ? "it" : "them");
	return CB_USAGE;
}

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

#define LIBGOMP "libgomp: " /* how each of its lines begins */
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

/* Whether the text at p (up to end) is one of libgomp's lines. */
static bool is_libgomp(const char *p, const char *end)
{
	size_t left = (size_t)(end - p);

	return left > sizeof(LIBGOMP) - 1 && memcmp(p, LIBGOMP, sizeof(LIBGOMP) - 1) == 0;
}

/* What libgomp's start-up lines said, in colbench's words. */
struct refusals {
	char names[512]; /* "OMP_NUM_THREADS='abc', ..." */
	char notes[512]; /* its other words: "Logical CPU number 99999 out of range" */
	unsigned named;
};

/* Add s to list (of size bytes), after ", " unless it is the first. */
static void add_item(char *list, size_t size, const char *s, size_t len)
{
	size_t used = strlen(list);

	snprintf(list + used, size - used, "%s%.*s", used ? ", " : "", (int)len, s);
}

/*
 * One libgomp line (len bytes, its prefix included) into r: a variable it
 * names ("Invalid value for environment variable NAME", or GCC 12's
 * "enviroment") with its value, or else its own words.
 */
static void add_refusal(const char *line, size_t len, struct refusals *r)
{
	const char *words = line + sizeof(LIBGOMP) - 1, *end = line + len;
	const char *var = memmem(words, (size_t)(end - words), " variable ", 10);

	if (var && memmem(words, (size_t)(var - words), "Invalid value", 13)) {
		char name[128], item[640];
		size_t n = (size_t)(end - var - 10);
		const char *value;

		snprintf(name, sizeof(name), "%.*s", (int)n, var + 10);
		value = getenv(name);
		snprintf(item, sizeof(item), "%s='%s'", name, value ? value : "");
		add_item(r->names, sizeof(r->names), item, strlen(item));
		r->named++;
	} else {
		add_item(r->notes, sizeof(r->notes), words, (size_t)(end - words));
	}
}

enum cb_status omp_env_check(struct cb_error *err)
{
	struct refusals r = { .named = 0 };
	char *text;
	ssize_t got;
	bool refused = false;
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

		if (is_libgomp(line, text + got)) {
			add_refusal(line, len, &r);
			refused = true;
		} else if (!(*line == '\n' && is_libgomp(line + 1, text + got))) { /* its blank line */
			pass_on(STDERR_FILENO, line, len + (nl != NULL));
		}
		at += len + (nl != NULL);
	}
	free(text);
	if (!refused)
		return CB_OK;
	if (r.named == 0)
		return cb_fail(err, CB_USAGE, "the OpenMP runtime (libgomp) refuses the environment "
			       "(%s): check the OMP_* and GOMP_* variables (see OpenMP's documentation)",
			       r.notes);
	return cb_fail(err, CB_USAGE, "the OpenMP runtime (libgomp) refuses %s%s%s%s: set %s it "
		       "takes, or unset %s (see OpenMP's documentation)", r.names,
		       r.notes[0] ? " (" : "", r.notes, r.notes[0] ? ")" : "",
		       r.named == 1 ? "it to a value" : "them to values", r.named == 1 ? "it" : "them");
}

/*
 * atomic_file.c - temporary file, fsync, rename (see atomic_file.h).
 */
#include "atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "interrupt.h"
#include "test_hooks.h"

#define WRITE_CHUNK (8u << 20) /* bytes per write: interrupts are seen between */

/*
 * The status for a file that cannot be created or renamed into place: a
 * name that leads nowhere is the caller's mistake (2); a place that
 * refuses the write, read-only, full or out of quota, is the system's (3).
 */
static enum cb_status create_failure_status(int errnum)
{
	switch (errnum) {
	case ENOENT:
	case ENOTDIR:
	case EISDIR:
	case ENAMETOOLONG:
	case ELOOP:
		return CB_USAGE;
	default:
		return CB_SYSTEM;
	}
}

/* write exactly len bytes, looping over short writes and EINTR. */
static int write_full(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR && !interrupt_pending())
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Write one part in chunks, stopping at a signal. */
static enum cb_status write_part(int fd, const char *path, const struct file_part *part,
				 struct cb_error *err)
{
	const char *p = part->data;

	for (size_t done = 0; done < part->len; done += WRITE_CHUNK) {
		size_t len = part->len - done < WRITE_CHUNK ? part->len - done : WRITE_CHUNK;

		if (interrupt_pending())
			return cb_fail(err, CB_INTERRUPTED, "interrupted");
		if (write_full(fd, p + done, len) != 0)
			return interrupt_pending()
				       ? cb_fail(err, CB_INTERRUPTED, "interrupted")
				       : cb_fail(err, CB_SYSTEM, "%s: cannot write: %s", path,
						 strerror(errno));
	}
	return CB_OK;
}

enum cb_status atomic_write(const char *path, const struct file_part *parts, size_t n,
			    struct cb_error *err)
{
	char *dir_copy = strdup(path), *tmp = NULL;
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	enum cb_status st = CB_OK;
	int fd = -1;

	if (!dir_copy || asprintf(&tmp, "%s/.%s.XXXXXX", dirname(dir_copy), base) < 0) {
		free(dir_copy);
		return cb_fail(err, CB_SYSTEM, "%s: out of memory", path);
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		st = cb_fail(err, create_failure_status(errno), "%s: cannot create: %s", path,
			     strerror(errno));
		free(tmp); /* nothing was created under it */
		tmp = NULL;
		goto out;
	}
	mode_t mask = umask(0);

	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0) { /* mkstemp made it 0600 */
		st = cb_fail(err, CB_SYSTEM, "%s: cannot write: %s", path, strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < n && st == CB_OK; i++) {
		st = write_part(fd, path, &parts[i], err);
		if (i == 0 && st == CB_OK)
			test_hook_first_part_written();
	}
	/* A signal after the last chunk still wins: the header's promise is
	 * that an interrupted write leaves the old file, not a new one. */
	if (st == CB_OK && interrupt_pending())
		st = cb_fail(err, CB_INTERRUPTED, "interrupted");
	if (st == CB_OK) {
		int failed = fsync(fd) != 0;

		failed |= close(fd) != 0;
		fd = -1;
		if (failed)
			st = cb_fail(err, CB_SYSTEM, "%s: cannot write: %s", path, strerror(errno));
	}
	if (st == CB_OK && rename(tmp, path) != 0)
		st = cb_fail(err, create_failure_status(errno), "%s: cannot rename into place: %s",
			     path, strerror(errno));
	if (st == CB_OK) {
		free(tmp);
		tmp = NULL;
	}
out:
	if (fd >= 0)
		close(fd);
	if (tmp)
		unlink(tmp);
	free(tmp);
	free(dir_copy);
	return st;
}

int open_regular_file(const char *path, struct cb_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	struct stat sb;

	if (fd < 0) {
		cb_fail(err, CB_USAGE, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		cb_fail(err, CB_USAGE, "%s: not a regular file", path);
		return -1;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

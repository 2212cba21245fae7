/*
 * atomic_file.c - temporary file, fsync, rename (see atomic_file.h).
 */
#include "os/atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "os/interrupt.h"
#include "os/test_hooks.h"

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
		if (write_full(fd, p + done, len) == 0)
			continue;
		/* EFAULT: the data came from the mapped input file (--mmap), which
		 * was truncated while it was saved; name that file. */
		if (errno == EFAULT && interrupt_mapped_path())
			return cb_fail(err, CB_SYSTEM, "%s: the mapped file changed under colbench "
				       "(truncated while %s was written from it)",
				       interrupt_mapped_path(), path);
		/* EFBIG comes with SIGXFSZ (ulimit -f): the file's fault, said as
		 * such, not as an interruption. */
		return interrupt_pending() && errno != EFBIG
			       ? cb_fail(err, CB_INTERRUPTED, "interrupted")
			       : cb_fail(err, CB_SYSTEM, "%s: cannot write: %s", path, strerror(errno));
	}
	return CB_OK;
}

/* What a file type is called in a refusal. */
static const char *file_kind(mode_t mode)
{
	return S_ISDIR(mode) ? "a directory" : S_ISCHR(mode) ? "a character device"
	       : S_ISBLK(mode) ? "a block device" : S_ISFIFO(mode) ? "a FIFO"
	       : S_ISSOCK(mode) ? "a socket" : "not a regular file";
}

/*
 * Where the symlink path leads, as the kernel's own walk finds it (open
 * with O_PATH, read back from /proc/self/fd): that walk obeys
 * fs.protected_symlinks, which a readlink-based realpath() would not, so
 * root never follows another user's link in a sticky folder.  Without
 * /proc, realpath().  malloc'd, or NULL with errno set.
 */
static char *follow_link(const char *path)
{
	char proc[64], *out = NULL;
	int fd = open(path, O_PATH | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	out = realpath(proc, NULL);
	close(fd);
	return out ? out : realpath(path, NULL);
}

/*
 * Whether the existing regular file target (status *sb) may be replaced.
 * The rename needs only the folder's permission, so a file the user made
 * read-only would go silently; it is refused instead (CB_USAGE), as cp
 * or a shell's > would refuse it: one this user may not write (by its
 * mode, group and ACL: faccessat) or, for root, whom permissions do not
 * bind, one whose mode lets no one write it (chmod a-w).  In a sticky
 * folder such as /tmp, only root, the folder's owner or the file's may
 * rename over the file: another's fails, and that is known now, not after
 * the whole run (CB_SYSTEM, the status the rename would have had).
 */
static enum cb_status check_replaceable(const char *path, const char *target,
					const struct stat *sb, struct cb_error *err)
{
	uid_t me = geteuid();
	struct stat dir_sb;
	char *dir_copy;
	bool denied;

	if (me == 0 ? (sb->st_mode & 0222) == 0
		    : faccessat(AT_FDCWD, target, W_OK, AT_EACCESS) != 0 && errno == EACCES)
		return cb_fail(err, CB_USAGE, "%s: read-only (mode %04o): colbench does not "
			       "replace a file that may not be written; make it writable or "
			       "remove it first", path, (unsigned)(sb->st_mode & 07777));
	if (me == 0 || me == sb->st_uid || !(dir_copy = strdup(target)))
		return CB_OK;
	denied = stat(dirname(dir_copy), &dir_sb) == 0 && (dir_sb.st_mode & S_ISVTX) &&
		 me != dir_sb.st_uid;
	free(dir_copy);
	if (denied)
		return cb_fail(err, CB_SYSTEM, "%s: cannot rename into place: %s (a sticky folder: "
			       "only the file's owner, uid %u, or the folder's may replace it)",
			       path, strerror(EPERM), (unsigned)sb->st_uid);
	return CB_OK;
}

/*
 * The file atomic_write(path) would replace: path itself or, through its
 * symlinks, the file they lead to (*target, malloc'd).  *exists says
 * whether it is there, with *sb its status.  Refuses a name ending in a
 * slash, what is not a regular file, and a symlink that leads nowhere.
 */
static enum cb_status resolve_target(const char *path, char **target, struct stat *sb,
				     bool *exists, struct cb_error *err)
{
	size_t len = strlen(path);

	*target = NULL;
	if (len == 0 || path[len - 1] == '/')
		return cb_fail(err, CB_USAGE, "%s: names a folder (it ends in '/' or is empty): "
			       "an output is a file", path);
	*exists = lstat(path, sb) == 0;
	if (!*exists && errno != ENOENT)
		return cb_fail(err, create_failure_status(errno), "%s: cannot create: %s", path,
			       strerror(errno));
	if (*exists && S_ISLNK(sb->st_mode)) {
		if (!(*target = follow_link(path)))
			return cb_fail(err, CB_USAGE, "%s: a symlink that leads nowhere (%s): "
				       "colbench replaces the file a link leads to, never the link",
				       path, strerror(errno));
		if (stat(*target, sb) != 0) {
			free(*target);
			*target = NULL;
			return cb_fail(err, CB_USAGE, "%s: cannot create: %s", path, strerror(errno));
		}
	} else if (!(*target = strdup(path))) {
		return cb_fail(err, CB_SYSTEM, "%s: out of memory", path);
	}
	if (*exists && !S_ISREG(sb->st_mode)) {
		free(*target);
		*target = NULL;
		return cb_fail(err, CB_USAGE, "%s: %s: colbench writes only regular files, "
			       "and never replaces anything else", path, file_kind(sb->st_mode));
	}
	return CB_OK;
}

/* Create the temporary file beside target: *tmp (malloc'd) and *fd.  Fails
 * as atomic_write does: the folder missing (CB_USAGE), read-only, not open
 * to this user, a file system that takes no files such as /proc (CB_SYSTEM). */
static enum cb_status make_temp(const char *path, const char *target, char **tmp, int *fd,
				struct cb_error *err)
{
	char *dir_copy = strdup(target);
	const char *base = strrchr(target, '/') ? strrchr(target, '/') + 1 : target;
	enum cb_status st = CB_OK;

	*tmp = NULL;
	*fd = -1;
	if (!dir_copy || asprintf(tmp, "%s/.%s.XXXXXX", dirname(dir_copy), base) < 0) {
		*tmp = NULL;
		st = cb_fail(err, CB_SYSTEM, "%s: out of memory", path);
	} else if ((*fd = mkstemp(*tmp)) < 0) {
		st = cb_fail(err, create_failure_status(errno), "%s: cannot create: %s", path,
			     strerror(errno));
		free(*tmp); /* nothing was created under it */
		*tmp = NULL;
	}
	free(dir_copy);
	return st;
}

enum cb_status atomic_check_target(const char *path, struct cb_error *err)
{
	struct stat sb;
	char *target, *tmp;
	bool exists;
	enum cb_status st = resolve_target(path, &target, &sb, &exists, err);
	int fd;

	/* The folder is tried for real: a file made there and removed; then
	 * whether the file there may be replaced (a folder that refuses is
	 * said first: it refuses every file). */
	if (st == CB_OK && target && (st = make_temp(path, target, &tmp, &fd, err)) == CB_OK &&
	    tmp) {
		close(fd);
		unlink(tmp);
		free(tmp);
	}
	if (st == CB_OK && target && exists)
		st = check_replaceable(path, target, &sb, err);
	free(target);
	return st;
}

/*
 * Just before the rename: the name must still hold what was checked, the
 * same regular file, or nothing (then renameat2 refuses to replace what
 * came meanwhile).  A FIFO, device or another file put there while
 * colbench ran is left as it is (CB_USAGE).
 */
static enum cb_status rename_into_place(const char *path, const char *tmp, const char *target,
					const struct stat *old, bool existed, struct cb_error *err)
{
	struct stat now;

	if (existed) {
		if (lstat(target, &now) != 0 || !S_ISREG(now.st_mode) || now.st_dev != old->st_dev ||
		    now.st_ino != old->st_ino)
			return cb_fail(err, CB_USAGE, "%s: replaced by something else while colbench "
				       "ran: left as it is", path);
		if (rename(tmp, target) == 0)
			return CB_OK;
	} else {
		if (renameat2(AT_FDCWD, tmp, AT_FDCWD, target, RENAME_NOREPLACE) == 0)
			return CB_OK;
		if (errno == EEXIST)
			return cb_fail(err, CB_USAGE, "%s: created by something else while colbench "
				       "ran: left as it is", path);
		/* A file system without RENAME_NOREPLACE: the plain rename. */
		if ((errno == EINVAL || errno == ENOSYS) && rename(tmp, target) == 0)
			return CB_OK;
	}
	return cb_fail(err, create_failure_status(errno), "%s: cannot rename into place: %s",
		       path, strerror(errno));
}

/* Give the temporary file the mode (and, for root, the owner) of the file it
 * replaces, or 0666 less the umask for a new one (mkstemp made it 0600). */
static int set_mode(int fd, const struct stat *old, bool exists)
{
	mode_t mask;

	if (exists) {
		if (geteuid() == 0)
			(void)fchown(fd, old->st_uid, old->st_gid); /* best effort */
		return fchmod(fd, old->st_mode & 07777);
	}
	mask = umask(0);
	umask(mask);
	return fchmod(fd, 0666 & ~mask);
}

enum cb_status atomic_write(const char *path, const struct file_part *parts, size_t n,
			    struct cb_error *err)
{
	char *target, *tmp = NULL;
	struct stat old;
	bool exists;
	enum cb_status st = resolve_target(path, &target, &old, &exists, err);
	int fd = -1;

	if (st != CB_OK || !target)
		return st;
	if ((st = make_temp(path, target, &tmp, &fd, err)) != CB_OK)
		goto out;
	interrupt_watch_file(tmp);
	/* Made read-only, or put in a sticky folder by another, while colbench ran. */
	if (exists && (st = check_replaceable(path, target, &old, err)) != CB_OK)
		goto out;
	if (set_mode(fd, &old, exists) != 0) {
		st = cb_fail(err, CB_SYSTEM, "%s: cannot write: %s", path, strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < n && st == CB_OK; i++) {
		st = write_part(fd, path, &parts[i], err);
		if (i == 0 && st == CB_OK)
			test_hook_first_part_written();
	}
	if (st == CB_OK) {
		int failed = fsync(fd) != 0;

		failed |= close(fd) != 0;
		fd = -1;
		if (failed)
			st = cb_fail(err, CB_SYSTEM, "%s: cannot write: %s", path, strerror(errno));
	}
	/* A signal up to the rename still wins: the header's promise is that
	 * an interrupted write leaves the old file, not a new one. */
	if (st == CB_OK && interrupt_pending())
		st = cb_fail(err, CB_INTERRUPTED, "interrupted");
	if (st == CB_OK)
		st = rename_into_place(path, tmp, target, &old, exists, err);
	if (st == CB_OK) {
		interrupt_watch_file(NULL);
		free(tmp);
		tmp = NULL;
	}
out:
	if (fd >= 0)
		close(fd);
	if (tmp)
		unlink(tmp);
	interrupt_watch_file(NULL); /* before tmp is freed: the handler reads it */
	free(tmp);
	free(target);
	return st;
}

/* The identity of a file, there or not yet: device and inode when it
 * exists; otherwise its resolved folder and its name. */
struct file_identity {
	bool exists;
	dev_t dev;
	ino_t ino;
	char *resolved; /* when !exists: realpath(folder) + "/" + name */
};

static void identify(const char *path, struct file_identity *id)
{
	struct stat sb;
	char *dir_copy, *base_copy, *dir;

	memset(id, 0, sizeof(*id));
	if (stat(path, &sb) == 0) {
		id->exists = true;
		id->dev = sb.st_dev;
		id->ino = sb.st_ino;
		return;
	}
	dir_copy = strdup(path);
	base_copy = strdup(path);
	dir = dir_copy ? realpath(dirname(dir_copy), NULL) : NULL;
	if (dir && base_copy && asprintf(&id->resolved, "%s/%s", dir, basename(base_copy)) < 0)
		id->resolved = NULL;
	free(dir);
	free(dir_copy);
	free(base_copy);
}

static bool same_identity(const struct file_identity *a, const struct file_identity *b)
{
	if (a->exists || b->exists)
		return a->exists && b->exists && a->dev == b->dev && a->ino == b->ino;
	return a->resolved && b->resolved && strcmp(a->resolved, b->resolved) == 0;
}

enum cb_status check_named_files(const struct named_file *inputs, size_t n_inputs,
				 const struct named_file *outputs, size_t n_outputs,
				 struct cb_error *err)
{
	struct file_identity out_id[8], other;
	enum cb_status st = CB_OK;
	size_t done = 0;

	if (n_outputs > sizeof(out_id) / sizeof(out_id[0]))
		return cb_fail(err, CB_SYSTEM, "too many output files");
	for (; done < n_outputs && st == CB_OK; done++) {
		const struct named_file *o = &outputs[done];

		if (!o->path) {
			memset(&out_id[done], 0, sizeof(out_id[done]));
			continue;
		}
		st = atomic_check_target(o->path, err);
		identify(o->path, &out_id[done]);
		for (size_t k = 0; k < done && st == CB_OK; k++)
			if (outputs[k].path && same_identity(&out_id[k], &out_id[done]))
				st = cb_fail(err, CB_USAGE, "--%s '%s' and --%s '%s' are the same file: "
					     "the one written last would replace the other",
					     outputs[k].option, outputs[k].path, o->option, o->path);
		for (size_t i = 0; i < n_inputs && st == CB_OK; i++) {
			if (!inputs[i].path)
				continue;
			identify(inputs[i].path, &other);
			if (same_identity(&other, &out_id[done]))
				st = cb_fail(err, CB_USAGE, "--%s '%s' is the same file as --%s '%s': "
					     "colbench would overwrite its own input",
					     o->option, o->path, inputs[i].option, inputs[i].path);
			free(other.resolved);
		}
	}
	for (size_t k = 0; k < done; k++)
		free(out_id[k].resolved);
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

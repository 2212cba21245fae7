/*
 * file_version.c - a file's identity and stamps, compared (see
 * file_version.h).
 */
#include "os/file_version.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void file_version_of(const struct stat *sb, struct file_version *v)
{
	memset(v, 0, sizeof(*v)); /* it travels to the sampler's copies whole */
	v->dev = sb->st_dev;
	v->ino = sb->st_ino;
	v->size = sb->st_size;
	v->mtime = sb->st_mtim;
	v->ctime = sb->st_ctim;
}

static bool same_time(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

bool file_version_same(const struct file_version *then, const struct file_version *now,
		       char *why, size_t len)
{
	if (then->dev != now->dev || then->ino != now->ino)
		snprintf(why, len, "replaced by another file");
	else if (then->size != now->size)
		snprintf(why, len, "its size went from %lld to %lld bytes",
			 (long long)then->size, (long long)now->size);
	else if (!same_time(&then->mtime, &now->mtime))
		snprintf(why, len, "written to");
	else if (!same_time(&then->ctime, &now->ctime))
		snprintf(why, len, "its status changed"); /* a write hidden by touch -d, a chmod */
	else
		return true;
	return false;
}

enum cb_status file_version_expect(const char *path, const struct file_version *then,
				   const struct file_version *now, const char *when,
				   struct cb_error *err)
{
	char why[96];

	if (file_version_same(then, now, why, sizeof(why)))
		return CB_OK;
	return cb_fail(err, CB_SYSTEM, "%s: the file changed while colbench ran (%s, %s)",
		       path, why, when);
}

enum cb_status file_version_check(const char *path, const struct file_version *then,
				  const char *when, struct cb_error *err)
{
	struct stat sb;
	struct file_version now;

	if (stat(path, &sb) != 0)
		return cb_fail(err, CB_SYSTEM, "%s: the file changed while colbench ran (gone: %s, %s)",
			       path, strerror(errno), when);
	file_version_of(&sb, &now);
	return file_version_expect(path, then, &now, when, err);
}

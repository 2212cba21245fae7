/*
 * file_version.h - which version of a file a process read: its identity
 * and the stamps a change moves, so that processes that each open an
 * input themselves (the sampler's copies) can tell that they read the
 * same bytes.
 *
 * A file replaced under its name (a new file renamed over it) has another
 * device or inode; one written in place has another size or modification
 * time; and one whose modification time was set back after a write has
 * another change time, which no user can set.  Checking the stamps costs
 * a stat, where a checksum would read the whole matrix again.
 */
#ifndef COLBENCH_FILE_VERSION_H
#define COLBENCH_FILE_VERSION_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <time.h>

#include "os/status.h"

struct file_version {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime, ctime;
};

/* The version a status (from stat or fstat) describes. */
void file_version_of(const struct stat *sb, struct file_version *v);

/*
 * Whether now is the version `then` was; when not, what changed, in a
 * few words, into why[0..len): "replaced by another file", "its size went
 * from A to B bytes", "written to", "its status changed".
 */
bool file_version_same(const struct file_version *then, const struct file_version *now,
		       char *why, size_t len);

/*
 * CB_OK when the file under path (through symlinks, as open finds it) is
 * still version `then`; otherwise CB_SYSTEM with err saying "PATH: the
 * file changed while colbench ran (WHAT, WHEN)", WHEN saying where the
 * change was seen ("before the report was written").
 */
enum cb_status file_version_check(const char *path, const struct file_version *then,
				  const char *when, struct cb_error *err);

/*
 * The same judgement and message for a version already read (now: what
 * a process found when it opened the file itself).
 */
enum cb_status file_version_expect(const char *path, const struct file_version *then,
				   const struct file_version *now, const char *when,
				   struct cb_error *err);

#endif

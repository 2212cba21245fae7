/*
 * atomic_file.h - files in and out safely: written whole or not at all,
 * and read only when they are regular files.
 *
 * The bytes go to a temporary file in the same folder (so the rename
 * cannot cross file systems), are flushed to the disk, and the temporary
 * file is renamed over the name.  On any failure, or a SIGINT or SIGTERM
 * on the way, the temporary file is removed and an earlier file under the
 * name is left as it was.
 */
#ifndef COLBENCH_ATOMIC_FILE_H
#define COLBENCH_ATOMIC_FILE_H

#include <stddef.h>

#include "status.h"

struct file_part {
	const void *data;
	size_t len;
};

/*
 * Write parts[0..n) one after the other to path.  Returns CB_OK; CB_USAGE
 * when the name leads nowhere (a missing folder, a folder's name);
 * CB_SYSTEM when the place refuses the file (read-only, no permission) or
 * writing fails (a full disk); CB_INTERRUPTED.  Messages start with the path.
 */
enum cb_status atomic_write(const char *path, const struct file_part *parts, size_t n,
			    struct cb_error *err);

/*
 * Open path for reading, refusing anything but a regular file without
 * blocking on it (a FIFO or a terminal would hang open or read).  Returns
 * the descriptor, or -1 with err saying "PATH: cannot open: ..." or
 * "PATH: not a regular file" (CB_USAGE).
 */
int open_regular_file(const char *path, struct cb_error *err);

#endif

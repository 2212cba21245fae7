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

#include "os/status.h"

struct file_part {
	const void *data;
	size_t len;
};

/*
 * Write parts[0..n) one after the other to path.  A symlink is followed:
 * the regular file it leads to is replaced and the link stays.  An
 * existing file keeps its permission bits (and, for root, its owner); a
 * new one gets 0666 less the umask.  Returns CB_OK; CB_USAGE when the
 * name leads nowhere (a missing folder, a dangling symlink) or to
 * something that is not a regular file (a directory, a device, a FIFO, a
 * socket: never replaced) or to a file that may not be written (its mode,
 * or for root no write bit at all: a read-only file is never replaced);
 * CB_SYSTEM when the place refuses the file (read-only, no permission,
 * another user's file in a sticky folder) or writing fails (a full disk);
 * CB_INTERRUPTED.  Messages start with the path.
 */
enum cb_status atomic_write(const char *path, const struct file_part *parts, size_t n,
			    struct cb_error *err);

/*
 * Whether atomic_write(path) can work, checked before any work is done:
 * the folder exists and may be written, and the name holds nothing or a
 * regular file (through symlinks) that may be written and, in a sticky
 * folder, renamed over.  Returns CB_OK, or atomic_write's
 * status and message for the same fault.
 */
enum cb_status atomic_check_target(const char *path, struct cb_error *err);

/* A file named on the command line: the option and its path. */
struct named_file {
	const char *option; /* "save", "load", ... */
	const char *path;   /* NULL: not given */
};

/*
 * Refuse (CB_USAGE) an output that is the same file as an input or as
 * another output, by identity (device and inode, or the resolved folder
 * and name of a file not there yet), not by spelling: a.npy, ./a.npy and
 * a link to it are one file.  Checks every output with
 * atomic_check_target first.
 */
enum cb_status check_named_files(const struct named_file *inputs, size_t n_inputs,
				 const struct named_file *outputs, size_t n_outputs,
				 struct cb_error *err);

/*
 * Open path for reading, refusing anything but a regular file without
 * blocking on it (a FIFO or a terminal would hang open or read).  Returns
 * the descriptor, or -1 with err saying "PATH: cannot open: ..." or
 * "PATH: not a regular file" (CB_USAGE).
 */
int open_regular_file(const char *path, struct cb_error *err);

#endif

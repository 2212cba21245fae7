/*
 * children.h - forking worker processes and reaping every one of them.
 *
 * After stress-ng: fork is retried on EAGAIN, waitpid is looped on EINTR,
 * a signal death is told apart from an exit status (SIGKILL is "possibly
 * the OOM killer"), and on the first failure the other workers are killed
 * and still reaped, so no zombie or orphan is ever left.
 */
#ifndef COLBENCH_CHILDREN_H
#define COLBENCH_CHILDREN_H

#include <sys/types.h>

#include "status.h"

typedef void (*child_fn)(void *arg, unsigned index);

/*
 * Fork n children; child i runs fn(arg, i) and exits 0.  Children die with
 * the parent (PR_SET_PDEATHSIG) and are SIGKILLed by the interrupt handler.
 * pids[0..n) must be zeroed by the caller; it receives the pids.  Every
 * child started is reaped before this returns.  `what` names the workers in
 * messages ("fork worker 2 of 4 (pid 1234) was killed by signal 9 ...").
 * Returns CB_OK, CB_SYSTEM (fork failed, a worker died or failed) or
 * CB_INTERRUPTED.
 */
enum cb_status children_run(unsigned n, child_fn fn, void *arg,
			    volatile pid_t *pids, const char *what,
			    struct cb_error *err);

#endif

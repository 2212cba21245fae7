/*
 * children.h - forking worker processes and reaping every one of them.
 *
 * After stress-ng: fork is retried on EAGAIN, waitpid is looped on EINTR,
 * a signal death is told apart from an exit status (SIGKILL is "possibly
 * the OOM killer"), and on the first failure the other workers are killed
 * and still reaped, so no zombie or orphan is ever left.  A worker stopped
 * alone (kill -STOP) is such a failure, not a wait for ever.
 */
#ifndef COLBENCH_CHILDREN_H
#define COLBENCH_CHILDREN_H

#include <sys/types.h>

#include "os/status.h"

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

/*
 * The two halves of children_run, for workers that outlive one call (a
 * pool): fork n children as children_run does and return at once; pids
 * stay watched by the interrupt handler until children_reap.  On failure
 * every child started is killed and reaped.
 */
enum cb_status children_start(unsigned n, child_fn fn, void *arg,
			      volatile pid_t *pids, const char *what,
			      struct cb_error *err);

/* Wait for every child in pids, as children_run does, and stop watching. */
enum cb_status children_reap(unsigned n, volatile pid_t *pids, const char *what,
			     struct cb_error *err);

/*
 * Without waiting: CB_SYSTEM if a child has ended (reaped, its pid set to
 * 0, and err saying how) or was stopped alone (killed, not yet reaped: see
 * children_check_stopped), CB_INTERRUPTED on a signal, else CB_OK.
 */
enum cb_status children_check(unsigned n, volatile pid_t *pids, const char *what,
			      struct cb_error *err);

/*
 * Whether child pid (worker i of n, named `what` in messages) was stopped
 * alone: a SIGSTOP sent to it, not a Ctrl-Z of the whole job (which stops
 * colbench too and is continued with it).  After a stop is seen, waits up
 * to half a second of colbench's running time for the child to continue.
 * CB_SYSTEM when it stayed stopped: it is SIGKILLed (left for the caller
 * to reap) and err says "WHAT I of N (pid P) was stopped (SIGSTOP) ...";
 * else CB_OK.  An ending is left to the caller's own wait.
 */
enum cb_status children_check_stopped(pid_t pid, const char *what, unsigned i, unsigned n,
				      struct cb_error *err);

/*
 * Reap children that were asked to exit: wait up to `seconds` for them to
 * go, then SIGKILL the rest; every one is reaped before this returns.
 */
void children_finish(unsigned n, volatile pid_t *pids, double seconds);

#endif

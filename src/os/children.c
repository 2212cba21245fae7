/*
 * children.c - fork N workers, reap them all (see children.h).
 */
#include "os/children.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "os/clock.h"
#include "os/interrupt.h"

#define FORK_TRIES 100
/* Seconds of colbench's own running time a child must stay stopped for
 * its stop to be its alone, not a Ctrl-Z of the whole job (which fg
 * continues together): see child_stopped_alone. */
#define STOP_CONFIRM 0.5

/* fork(), retried while the kernel is briefly out of processes. */
static pid_t fork_retrying(void)
{
	for (int tries = 0;; tries++) {
		pid_t pid = fork();

		if (pid >= 0 || errno != EAGAIN || tries == FORK_TRIES)
			return pid;
		nanosleep(&(struct timespec){ .tv_nsec = 1000000 }, NULL);
	}
}

/* What a child does: die with its parent, run fn, exit without atexit. */
static void child_main(pid_t parent, child_fn fn, void *arg, unsigned index)
{
	interrupt_reset_in_child();
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
		_exit(126);
	fn(arg, index);
	_exit(0);
}

/* Describe how worker i ended into err; CB_OK if it exited 0. */
static enum cb_status child_verdict(int wstatus, unsigned i, unsigned n,
				    pid_t pid, const char *what,
				    struct cb_error *err)
{
	if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0)
		return CB_OK;
	if (WIFSIGNALED(wstatus)) {
		int sig = WTERMSIG(wstatus);

		char name[32];

		if (sig == SIGBUS && interrupt_mapped_path())
			return cb_fail(err, CB_SYSTEM, "%s: the mapped file changed under colbench "
				       "(SIGBUS: it was truncated while %s %u of %u, pid %d, read it)",
				       interrupt_mapped_path(), what, i + 1, n, (int)pid);
		return cb_fail(err, CB_SYSTEM,
			       "%s %u of %u (pid %d) was killed by signal %d (%s)%s",
			       what, i + 1, n, (int)pid, sig,
			       interrupt_signal_name(sig, name, sizeof(name)),
			       sig == SIGKILL ? ", possibly the OOM killer" : "");
	}
	return cb_fail(err, CB_SYSTEM, "%s %u of %u (pid %d) exited with status %d",
		       what, i + 1, n, (int)pid, WEXITSTATUS(wstatus));
}

/*
 * A stop of child pid was reported (and taken): whether it stays stopped
 * alone.  Ctrl-Z stops colbench with its workers (SIGTSTP to the whole
 * job) and fg continues them all: the child is then seen continued, and
 * the time colbench itself spent stopped (a tick far past its length) is
 * not counted.  True when the child stayed stopped for STOP_CONFIRM
 * seconds while colbench ran; false when it continued or ended, or when a
 * signal came (the caller's interrupt path kills it).
 */
static bool child_stopped_alone(pid_t pid)
{
	const struct timespec tick = { 0, 10000000 };
	double ran = 0, last = monotonic_seconds();

	while (ran < STOP_CONFIRM && !interrupt_pending()) {
		siginfo_t info = { 0 };
		double now;

		if (waitid(P_PID, (id_t)pid, &info, WEXITED | WCONTINUED | WNOHANG | WNOWAIT) != 0)
			return false; /* ECHILD: not ours any more */
		if (info.si_pid == pid) {
			if (info.si_code == CLD_CONTINUED) /* taken, so it is not seen again */
				(void)waitid(P_PID, (id_t)pid, &info, WCONTINUED | WNOHANG);
			return false;
		}
		nanosleep(&tick, NULL);
		now = monotonic_seconds();
		if (now - last < 0.25)
			ran += now - last;
		last = now;
	}
	return !interrupt_pending();
}

/* SIGKILL every child of pids still recorded (not yet reaped: still ours). */
static void kill_all(volatile pid_t *pids, unsigned n)
{
	for (unsigned k = 0; k < n; k++)
		if (pids[k] > 0)
			kill(pids[k], SIGKILL);
}

/* Child pid was stopped by stop_sig and stayed so alone: kill it (SIGKILL
 * ends a stopped process) and say so into err. */
static enum cb_status stopped_verdict(pid_t pid, int stop_sig, const char *what, unsigned i,
				      unsigned n, struct cb_error *err)
{
	char name[32];

	kill(pid, SIGKILL); /* not reaped yet: still ours */
	return cb_fail(err, CB_SYSTEM, "%s %u of %u (pid %d) was stopped (%s) while colbench "
		       "ran: killed, since the run cannot go on without it", what, i + 1, n,
		       (int)pid, interrupt_signal_name(stop_sig, name, sizeof(name)));
}

enum cb_status children_check_stopped(pid_t pid, const char *what, unsigned i, unsigned n,
				      struct cb_error *err)
{
	siginfo_t info = { 0 };

	/* Stops only (not WEXITED): an ending is left to the caller's wait. */
	if (waitid(P_PID, (id_t)pid, &info, WSTOPPED | WNOHANG) != 0 || info.si_pid != pid ||
	    info.si_code != CLD_STOPPED || !child_stopped_alone(pid))
		return CB_OK;
	return stopped_verdict(pid, info.si_status, what, i, n, err);
}

/*
 * Wait for every child in pids, in order; on the first failure kill the
 * rest.  A child stopped alone (kill -STOP) is such a failure: it would
 * hold the wait up for ever.  Each wait names its pid: other children of colbench (another
 * strategy's pool, alive while this one's workers run) are not ours to
 * wait for or to reap.
 */
static enum cb_status reap_all(volatile pid_t *pids, unsigned n,
			       const char *what, struct cb_error *err)
{
	enum cb_status status = CB_OK;

	for (unsigned i = 0; i < n; i++) {
		siginfo_t info = { 0 };
		int wstatus;
		pid_t pid = pids[i];

		if (pid <= 0)
			continue;
		/*
		 * Wait without reaping, then reap and forget the pid with the
		 * signals blocked: the handler never kills a pid the kernel
		 * could already have given to another process.
		 */
		if (waitid(P_PID, (id_t)pid, &info, WEXITED | WSTOPPED | WNOWAIT) != 0) {
			if (errno == EINTR) {
				if (interrupt_pending()) /* none outlives a signal */
					kill(pid, SIGKILL);
				i--; /* again, for the same child */
				continue;
			}
			pids[i] = 0; /* ECHILD: not ours to wait for */
			continue;
		}
		if (info.si_code == CLD_STOPPED) {
			int stop_sig = info.si_status;

			/* Taken, so that the next wait waits for what comes next. */
			(void)waitid(P_PID, (id_t)pid, &info, WSTOPPED | WNOHANG);
			if (status == CB_OK && child_stopped_alone(pid)) {
				status = stopped_verdict(pid, stop_sig, what, i, n, err);
				kill_all(pids, n);
			}
			i--; /* again: it was continued, or is being killed */
			continue;
		}
		interrupt_block(1);
		pid = waitpid(pid, &wstatus, 0);
		pids[i] = 0;
		interrupt_block(0);
		if (pid < 0)
			continue;
		if (status == CB_OK && !interrupt_pending()) {
			status = child_verdict(wstatus, i, n, pid, what, err);
			if (status != CB_OK)
				kill_all(pids, n);
		}
	}
	return status;
}

/* The status for a signal that arrived while workers ran. */
static enum cb_status interrupted(struct cb_error *err)
{
	char name[32];

	return cb_fail(err, CB_INTERRUPTED, "interrupted by %s",
		       interrupt_signal_name(interrupt_pending(), name, sizeof(name)));
}

enum cb_status children_start(unsigned n, child_fn fn, void *arg,
			      volatile pid_t *pids, const char *what,
			      struct cb_error *err)
{
	enum cb_status status = CB_OK;
	pid_t parent = getpid();

	interrupt_watch(pids, n);
	for (unsigned i = 0; i < n && !interrupt_pending(); i++) {
		/* Blocked so no signal lands between fork and the pid's record. */
		interrupt_block(1);
		if (interrupt_pending()) { /* it came just before the block */
			interrupt_block(0);
			break;
		}
		pid_t pid = fork_retrying();
		int fork_errno = errno;

		if (pid == 0)
			child_main(parent, fn, arg, i);
		if (pid > 0)
			pids[i] = pid;
		interrupt_block(0);
		if (pid < 0) {
			status = cb_fail(err, CB_SYSTEM, "cannot start %s %u of %u: fork: %s",
					 what, i + 1, n, strerror(fork_errno));
			break;
		}
	}
	if (status == CB_OK && interrupt_pending())
		status = interrupted(err);
	if (status != CB_OK) { /* none may outlive a failed start */
		kill_all(pids, n);
		children_reap(n, pids, what, NULL);
	}
	return status;
}

enum cb_status children_reap(unsigned n, volatile pid_t *pids, const char *what,
			     struct cb_error *err)
{
	enum cb_status reaped = reap_all(pids, n, what, err);

	interrupt_watch(NULL, 0);
	return interrupt_pending() ? interrupted(err) : reaped;
}

enum cb_status children_check(unsigned n, volatile pid_t *pids, const char *what,
			      struct cb_error *err)
{
	for (unsigned i = 0; i < n; i++) {
		int wstatus;
		pid_t pid;

		if (pids[i] <= 0)
			continue;
		if (children_check_stopped(pids[i], what, i, n, err) != CB_OK)
			return CB_SYSTEM; /* killed: the caller reaps it */
		interrupt_block(1);
		pid = waitpid(pids[i], &wstatus, WNOHANG);
		if (pid == pids[i])
			pids[i] = 0;
		interrupt_block(0);
		if (pid > 0) /* it ended, while it should be waiting for work */
			return child_verdict(wstatus, i, n, pid, what, err) == CB_OK
				       ? cb_fail(err, CB_SYSTEM, "%s %u of %u (pid %d) exited early",
						 what, i + 1, n, (int)pid)
				       : CB_SYSTEM;
	}
	return interrupt_pending() ? interrupted(err) : CB_OK;
}

enum cb_status children_run(unsigned n, child_fn fn, void *arg,
			    volatile pid_t *pids, const char *what,
			    struct cb_error *err)
{
	enum cb_status status = children_start(n, fn, arg, pids, what, err);

	if (status != CB_OK)
		return status;
	return children_reap(n, pids, what, err);
}

void children_finish(unsigned n, volatile pid_t *pids, double seconds)
{
	const struct timespec tick = { 0, 5000000 };

	/* Ticks waited, counted whole: a floating-point counter drifts. */
	for (unsigned long waited = 0; (double)waited * 0.005 < seconds; waited++) {
		unsigned left = 0;

		for (unsigned i = 0; i < n; i++) {
			if (pids[i] <= 0)
				continue;
			interrupt_block(1);
			if (waitpid(pids[i], NULL, WNOHANG) == pids[i])
				pids[i] = 0;
			else
				left++;
			interrupt_block(0);
		}
		if (left == 0)
			break;
		nanosleep(&tick, NULL);
	}
	kill_all(pids, n);
	reap_all(pids, n, "worker", NULL);
	interrupt_watch(NULL, 0);
}

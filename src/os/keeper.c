/*
 * keeper.c - a child that does the work and a parent that keeps it (see
 * keeper.h).
 */
#include "os/keeper.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "os/interrupt.h"

/* Whether sig, left to its default, would end a process: the signals
 * colbench's own handlers take (interrupt.h). */
static bool ends_a_process(int sig)
{
	sigset_t ending;

	sigemptyset(&ending);
	interrupt_block_set(&ending, 1);
	return sigismember(&ending, sig) == 1;
}

/* Wait for the child, passing on every signal that comes meanwhile. */
static void keep(const sigset_t *all, struct keeper_end *end)
{
	for (;;) {
		siginfo_t info;
		int sig = sigwaitinfo(all, &info);

		if (sig < 0)
			continue; /* EINTR: a fault sent by kill, handled by colbench's handler */
		if (sig == SIGCHLD) {
			pid_t got = waitpid(end->child, &end->wstatus, WNOHANG);

			if (got == end->child)
				return;
			continue;
		}
		if (!end->forwarded && ends_a_process(sig))
			end->forwarded = sig;
		(void)kill(end->child, sig);
	}
}

int keeper_split(struct keeper_end *end)
{
	sigset_t all, before;
	struct sigaction child_action, dfl = { .sa_handler = SIG_DFL };
	pid_t keeper = getpid();

	*end = (struct keeper_end){ 0 };
	/* A SIGCHLD ignored (inherited so) would reap the child unseen. */
	sigaction(SIGCHLD, &dfl, &child_action);
	/* Every signal blocked from before the fork, so that none is lost
	 * between it and the wait: the keeper takes them with sigwaitinfo. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &before);
	end->child = fork();
	if (end->child < 0) {
		int e = errno;

		sigaction(SIGCHLD, &child_action, NULL);
		sigprocmask(SIG_SETMASK, &before, NULL);
		errno = e;
		return -1;
	}
	if (end->child == 0) {
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != keeper)
			_exit(126); /* the keeper is already gone */
		sigaction(SIGCHLD, &child_action, NULL);
		sigprocmask(SIG_SETMASK, &before, NULL);
		return 0;
	}
	keep(&all, end);
	sigaction(SIGCHLD, &child_action, NULL);
	sigprocmask(SIG_SETMASK, &before, NULL);
	return 1;
}

_Noreturn void keeper_mirror(const struct keeper_end *end)
{
	if (WIFSIGNALED(end->wstatus)) {
		int sig = WTERMSIG(end->wstatus);
		sigset_t only;

		(void)signal(sig, SIG_DFL);
		sigemptyset(&only);
		sigaddset(&only, sig);
		sigprocmask(SIG_UNBLOCK, &only, NULL);
		(void)kill(getpid(), sig);
		_exit(128 + sig); /* a signal that does not end a process */
	}
	_exit(WIFEXITED(end->wstatus) ? WEXITSTATUS(end->wstatus) : 1);
}

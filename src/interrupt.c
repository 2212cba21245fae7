/*
 * interrupt.c - an async-signal-safe SIGINT/SIGTERM handler (see interrupt.h).
 */
#include "interrupt.h"

#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>

/* Set in the handler, read by every thread (generation and the reference
 * look at it as they go): a lock-free atomic, safe in a handler and free of
 * the data race a volatile sig_atomic_t read by other threads would be. */
static atomic_int pending;
static const volatile pid_t *volatile watched;
static volatile sig_atomic_t watched_count;

static void on_signal(int sig)
{
	const volatile pid_t *pids = watched;
	int saved_errno = errno; /* kill may set it under the interrupted code */

	atomic_store_explicit(&pending, sig, memory_order_relaxed);
	for (sig_atomic_t i = 0; pids && i < watched_count; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGKILL); /* async-signal-safe */
	errno = saved_errno;
}

void interrupt_install(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int interrupt_pending(void)
{
	return atomic_load_explicit(&pending, memory_order_relaxed);
}

void interrupt_watch(const volatile pid_t *pids, unsigned n)
{
	interrupt_block(1);
	watched = pids;
	watched_count = (sig_atomic_t)n;
	interrupt_block(0);
}

void interrupt_block(int block)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

void interrupt_reset_in_child(void)
{
	(void)signal(SIGINT, SIG_DFL);
	(void)signal(SIGTERM, SIG_DFL);
	interrupt_block(0);
}

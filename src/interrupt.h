/*
 * interrupt.h - SIGINT and SIGTERM: note them, and kill the workers at once.
 *
 * The handler only records the signal and SIGKILLs the child processes
 * registered with interrupt_watch(); the code that forked them still reaps
 * them, sees interrupt_pending() and unwinds, and main re-raises the signal
 * so the shell sees colbench die of it.  No worker outlives colbench.
 */
#ifndef COLBENCH_INTERRUPT_H
#define COLBENCH_INTERRUPT_H

#include <signal.h>
#include <sys/types.h>

/* Install the SIGINT/SIGTERM handler. */
void interrupt_install(void);

/* The signal received (SIGINT or SIGTERM), or 0. */
int interrupt_pending(void);

/*
 * Kill pids[0..n) (entries <= 0 are skipped) if a signal arrives; the array
 * must stay valid until interrupt_watch(NULL, 0).
 */
void interrupt_watch(const volatile pid_t *pids, unsigned n);

/* Block (1) or unblock (0) SIGINT and SIGTERM around a fork. */
void interrupt_block(int block);

/* In a freshly forked child: default dispositions, signals unblocked. */
void interrupt_reset_in_child(void);

#endif

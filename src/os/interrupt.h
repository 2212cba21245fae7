/*
 * interrupt.h - signals that end colbench: note them, kill the workers at
 * once, and leave no temporary file.
 *
 * Every signal whose default action ends a process (SIGHUP, SIGINT,
 * SIGQUIT, SIGTERM, SIGUSR1/2, SIGALRM, SIGXCPU, SIGXFSZ, the real-time
 * signals, ...) gets one handler that only records the first signal and
 * SIGKILLs the child processes registered with interrupt_watch(); the code
 * that forked them still reaps them, sees interrupt_pending() and unwinds
 * (removing a half-written file), and main says why and re-raises the
 * signal so the shell sees colbench die of it (SIGXFSZ: status 3).  When
 * another thread takes the signal, the handler passes it on to the main
 * thread too, so a blocking call there (a write to a full pipe) returns.
 *
 * The faults (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGSYS, SIGTRAP)
 * sent by another process (kill -SEGV: si_code SI_USER, SI_QUEUE or
 * SI_TKILL, another pid) end colbench in the same way.  From the kernel,
 * or from colbench's own abort, they are a bug that cannot be unwound
 * from: the handler kills the workers, removes the temporary file being
 * written, and colbench dies of the fault under the action it found (the
 * default, or a sanitizer's, which reports it).  SIGBUS from a mapped
 * input file (--mmap of a file truncated under colbench) kills the
 * workers, removes the temporary file, says which file, and ends colbench
 * with status 3 at once.  The kernel's SIGPIPE (a write into a closed
 * pipe) is passed over, so the write fails with EPIPE, a write error; a
 * SIGPIPE sent by another process is an ending signal like the others.
 */
#ifndef COLBENCH_INTERRUPT_H
#define COLBENCH_INTERRUPT_H

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>

/* Install the handlers; call first thing in main, from the main thread. */
void interrupt_install(void);

/* The first signal received, or 0. */
int interrupt_pending(void);

/*
 * The end of a run that a signal stopped: say so on stderr ("colbench:
 * interrupted by SIGTERM; ...") and die of the same signal, so that the
 * shell sees 128 + N.  Returns 0 when no signal came, and SIGXFSZ (a file
 * past ulimit -f) without dying: the caller ends with status 3.
 */
int interrupt_end(void);

/* interrupt_end without its line: a sampled copy, whose sampler says it. */
void interrupt_end_quietly(void);

/* Which process speaks, for the lines a handler says itself (a sampled
 * copy: "sampled process 3 of 40"); who must outlive the process. */
void interrupt_name_origin(const char *who);

/* "SIGTERM", "SIGRTMIN+3", ...: a signal's name, into buf. */
const char *interrupt_signal_name(int sig, char *buf, size_t len);

/*
 * Kill pids[0..n) (entries <= 0 are skipped) if a signal arrives; the array
 * must stay valid until interrupt_watch(NULL, 0).
 */
void interrupt_watch(const volatile pid_t *pids, unsigned n);

/*
 * The temporary file being written now (NULL: none), removed by the fault
 * handlers before they end colbench; path must stay valid until replaced.
 */
void interrupt_watch_file(const char *path);

/*
 * The mapped input file at [base, base + len): a SIGBUS inside it is
 * reported as that file changing under colbench (status 3).  NULL: none
 * (matrix_free says so before it unmaps the watched mapping).
 */
void interrupt_watch_mapping(const void *base, size_t len, const char *path);

/* The watched mapping's base, or NULL. */
const void *interrupt_mapped_base(void);

/* The path given with the watched mapping, or NULL: for a worker process
 * that died of SIGBUS reading it. */
const char *interrupt_mapped_path(void);

/* Block (1) or unblock (0) the handled signals around a fork. */
void interrupt_block(int block);

/* Add (1) or remove (0) the handled signals in *set. */
void interrupt_block_set(sigset_t *set, int block);

/* In a freshly forked child: the dispositions colbench found where it put
 * a handler (the default, or a sanitizer's for a fault; SIGBUS's default),
 * signals unblocked. */
void interrupt_reset_in_child(void);

#endif

/*
 * interrupt.c - async-signal-safe handlers for every signal that would end
 * colbench (see interrupt.h).
 */
#include "os/interrupt.h"

#include <stdbool.h>

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "os/status.h"

/* Set in the handler, read by every thread (generation and the reference
 * look at it as they go): a lock-free atomic, safe in a handler and free of
 * the data race a volatile sig_atomic_t read by other threads would be. */
static atomic_int pending;
static const volatile pid_t *volatile watched;
static volatile sig_atomic_t watched_count;
static pid_t main_tid;
static sigset_t handled; /* the signals given on_signal: a child resets only these */

static const char *volatile watched_file;
static const char *volatile origin; /* "sampled process 3 of 40", or NULL */
static const char *volatile mapped_path;
static char mapped_shown[1024]; /* mapped_path escaped, for the handler to say */
static const char *volatile mapped_lo, *volatile mapped_hi;
static atomic_flag bus_fault_said = ATOMIC_FLAG_INIT;

/* The signals whose default action ends the process, less the faults
 * (handled apart, below) and SIGKILL (cannot be caught).  SIGPIPE is one
 * only when another process sends it: the kernel's, for a write into a
 * closed pipe, is the write's error (EPIPE), as if it were ignored. */
static const int stop_signals[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM,
	SIGPROF, SIGXCPU, SIGXFSZ, SIGIO, SIGPWR, SIGSTKFLT, SIGPIPE,
};
#define STOP_SIGNAL_COUNT (sizeof(stop_signals) / sizeof(stop_signals[0]))

/*
 * The faults: from the kernel (or colbench's own abort), a bug that
 * nothing can unwind from; sent by another process (kill -SEGV), an ending
 * signal like SIGTERM.  They are never blocked (a fault while blocked
 * kills without a handler), and each keeps the action colbench found (the
 * default, or a sanitizer's, which reports the fault) for after colbench's
 * own handler and for the workers.
 */
static const int fault_signals[] = {
	SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGSYS, SIGTRAP,
};
#define FAULT_SIGNAL_COUNT (sizeof(fault_signals) / sizeof(fault_signals[0]))
static struct sigaction fault_before[FAULT_SIGNAL_COUNT];
static bool fault_handled[FAULT_SIGNAL_COUNT];

/* Call fn on every handled signal: the list above, then SIGRTMIN..SIGRTMAX. */
static void for_each_stop_signal(void (*fn)(int sig, void *arg), void *arg)
{
	for (size_t i = 0; i < STOP_SIGNAL_COUNT; i++)
		fn(stop_signals[i], arg);
	for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
		fn(sig, arg);
}

static void kill_watched(void)
{
	const volatile pid_t *pids = watched;

	for (sig_atomic_t i = 0; pids && i < watched_count; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGKILL); /* async-signal-safe */
}

/* Whether info says another process sent the signal (kill, sigqueue,
 * tgkill), not the kernel nor colbench itself (raise, abort). */
static bool sent_from_outside(const siginfo_t *info)
{
	return (info->si_code == SI_USER || info->si_code == SI_QUEUE ||
		info->si_code == SI_TKILL) && info->si_pid != getpid();
}

static void on_signal(int sig, siginfo_t *info, void *context)
{
	int saved_errno = errno; /* kill may set it under the interrupted code */
	int none = 0;

	(void)context;
	/* The kernel's SIGPIPE (si_pid is colbench's own): the write that met
	 * a closed pipe fails with EPIPE, an error the writer reports.  A
	 * SIGPIPE passed on to the main thread below comes back here too, and
	 * still interrupts what the main thread waits in. */
	if (sig == SIGPIPE && info->si_pid == getpid())
		return;
	atomic_compare_exchange_strong(&pending, &none, sig); /* the first one wins */
	kill_watched();
	/* Another thread took it: wake the main thread from whatever it waits in. */
	if (main_tid > 0 && (pid_t)syscall(SYS_gettid) != main_tid)
		(void)syscall(SYS_tgkill, getpid(), main_tid, sig);
	errno = saved_errno;
}

/* write(2) all of s, in a handler. */
static void say(const char *s)
{
	for (size_t len = strlen(s); len > 0;) {
		ssize_t n = write(STDERR_FILENO, s, len);

		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

/* Give sig back the action colbench found (see fault_signals). */
static void restore_fault_action(int sig)
{
	for (size_t i = 0; i < FAULT_SIGNAL_COUNT; i++)
		if (fault_signals[i] == sig)
			(void)sigaction(sig, &fault_before[i], NULL);
}

/*
 * The faults (see fault_signals).  Sent from outside: noted as any ending
 * signal is, and SIGINT (always handled, and blocked where the workers'
 * pids change hands) carries it to the main thread, whose handler kills
 * the workers and interrupts its wait; colbench unwinds, says so and dies
 * of the fault's signal.  A SIGBUS inside the mapped input file: the file
 * lost the pages being read (truncated under colbench): say so and end
 * with status 3.  Any other fault is a bug: kill the workers, remove the
 * temporary file being written, and die of it under the action colbench
 * found, so that a sanitizer still reports it.
 */
static void on_fault(int sig, siginfo_t *info, void *context)
{
	int saved_errno = errno;
	const char *addr = info->si_addr, *path = mapped_path, *file = watched_file;

	(void)context;
	if (sent_from_outside(info)) {
		int none = 0;

		atomic_compare_exchange_strong(&pending, &none, sig);
		if (main_tid > 0)
			(void)syscall(SYS_tgkill, getpid(), main_tid, SIGINT);
		errno = saved_errno;
		return;
	}
	/* Only a fault's address means anything (si_code > 0). */
	if (sig == SIGBUS && info->si_code > 0 && path && addr >= mapped_lo && addr < mapped_hi) {
		/* Threads that fault at once: the first speaks and ends colbench,
		 * the others wait for that end, so the line is said once. */
		if (atomic_flag_test_and_set(&bus_fault_said))
			for (;;)
				pause();
		kill_watched();
		if (file)
			(void)unlink(file);
		say("colbench: ");
		say(mapped_shown);
		say(": the mapped file changed under colbench (SIGBUS: it was truncated "
		    "while being read)");
		if (origin) {
			say(" (");
			say(origin);
			say(")");
		}
		say("\n");
		_exit(CB_SYSTEM);
	}
	kill_watched();
	if (file)
		(void)unlink(file);
	restore_fault_action(sig);
	/* A fault re-runs its instruction when the handler returns, now under
	 * that action, and reports its own address; a signal raised (abort),
	 * a breakpoint (SIGTRAP) and a seccomp refusal (SIGSYS), which do not
	 * fault again, are raised anew, delivered as the handler returns. */
	if (info->si_code <= 0 || sig == SIGTRAP || sig == SIGSYS)
		(void)raise(sig);
	errno = saved_errno;
}

/* Install the handler on sig, except where colbench was started with sig
 * ignored (nohup's SIGHUP): that choice is the caller's to keep.  SIGINT,
 * SIGQUIT and SIGTERM are always handled: a shell without job control
 * starts background commands with SIGINT and SIGQUIT ignored, and they
 * must still stop in order when told to. */
static void install_one(int sig, void *arg)
{
	struct sigaction old;

	if (sig != SIGINT && sig != SIGQUIT && sig != SIGTERM &&
	    sigaction(sig, NULL, &old) == 0 &&
	    old.sa_handler == SIG_IGN)
		return;
	if (sigaction(sig, arg, NULL) == 0)
		(void)sigaddset(&handled, sig);
}

static void add_to_set(int sig, void *arg)
{
	(void)sigaddset(arg, sig);
}

/* In a child: the default action back where colbench put its handler (an
 * inherited SIG_IGN, nohup's, stays for the workers too). */
static void default_one(int sig, void *arg)
{
	(void)arg;
	if (sigismember(&handled, sig) == 1)
		(void)signal(sig, SIG_DFL);
}

void interrupt_install(void)
{
	struct sigaction sa = { .sa_sigaction = on_signal, .sa_flags = SA_SIGINFO };
	struct sigaction fault = { .sa_sigaction = on_fault,
				   .sa_flags = SA_SIGINFO | SA_ONSTACK };

	main_tid = (pid_t)syscall(SYS_gettid);
	sigemptyset(&handled);
	/* Each handler blocks the others while it runs: one at a time. */
	sigemptyset(&sa.sa_mask);
	for_each_stop_signal(add_to_set, &sa.sa_mask);
	for_each_stop_signal(install_one, &sa);
	/* A fault's handler runs on a sanitizer's alternate stack where there
	 * is one (SA_ONSTACK), and holds the stop signals back: the SIGINT it
	 * sends waits until it has returned. */
	fault.sa_mask = sa.sa_mask;
	for (size_t i = 0; i < FAULT_SIGNAL_COUNT; i++) {
		int sig = fault_signals[i];

		/* An inherited SIG_IGN is kept, as for the stop signals (a real
		 * fault still ends colbench: the kernel forces the default). */
		fault_handled[i] = sigaction(sig, NULL, &fault_before[i]) == 0 &&
				   fault_before[i].sa_handler != SIG_IGN &&
				   sigaction(sig, &fault, NULL) == 0;
	}
}

int interrupt_pending(void)
{
	return atomic_load_explicit(&pending, memory_order_relaxed);
}

const char *interrupt_signal_name(int sig, char *buf, size_t len)
{
	const char *abbrev = sigabbrev_np(sig);

	if (abbrev)
		snprintf(buf, len, "SIG%s", abbrev);
	else if (sig > SIGRTMIN && sig <= SIGRTMAX)
		snprintf(buf, len, "SIGRTMIN+%d", sig - SIGRTMIN);
	else if (sig == SIGRTMIN)
		snprintf(buf, len, "SIGRTMIN");
	else
		snprintf(buf, len, "signal %d", sig);
	return buf;
}

void interrupt_watch(const volatile pid_t *pids, unsigned n)
{
	interrupt_block(1);
	watched = pids;
	watched_count = (sig_atomic_t)n;
	interrupt_block(0);
}

void interrupt_watch_file(const char *path)
{
	watched_file = path;
}

void interrupt_watch_mapping(const void *base, size_t len, const char *path)
{
	mapped_path = NULL; /* never a half-set range */
	mapped_lo = base;
	mapped_hi = base ? (const char *)base + len : NULL;
	if (base) {
		snprintf(mapped_shown, sizeof(mapped_shown), "%s", path);
		cb_escape_in_place(mapped_shown, sizeof(mapped_shown));
	}
	mapped_path = base ? path : NULL;
}

static void remove_from_set(int sig, void *arg)
{
	(void)sigdelset(arg, sig);
}

const void *interrupt_mapped_base(void)
{
	return mapped_path ? mapped_lo : NULL;
}

const char *interrupt_mapped_path(void)
{
	return mapped_path;
}

void interrupt_block_set(sigset_t *set, int block)
{
	for_each_stop_signal(block ? add_to_set : remove_from_set, set);
}

void interrupt_block(int block)
{
	sigset_t set;

	sigemptyset(&set);
	for_each_stop_signal(add_to_set, &set);
	sigprocmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

void interrupt_reset_in_child(void)
{
	for_each_stop_signal(default_one, NULL);
	/* A worker's SIGBUS is the default's, not a sanitizer's: it dies of
	 * it, and its parent names the mapped file (children.c). */
	for (size_t i = 0; i < FAULT_SIGNAL_COUNT; i++)
		if (fault_signals[i] == SIGBUS)
			(void)signal(SIGBUS, SIG_DFL);
		else if (fault_handled[i])
			(void)sigaction(fault_signals[i], &fault_before[i], NULL);
	interrupt_block(0);
}

static bool end_quietly;

void interrupt_name_origin(const char *who)
{
	origin = who;
}

void interrupt_end_quietly(void)
{
	end_quietly = true;
}

int interrupt_end(void)
{
	int sig = interrupt_pending();

	if (sig == 0 || sig == SIGXFSZ)
		return sig;
	if (!end_quietly) {
		char name[32];

		fprintf(stderr, "colbench: interrupted by %s; every worker was reaped\n",
			interrupt_signal_name(sig, name, sizeof(name)));
	}
	(void)signal(sig, SIG_DFL);
	(void)raise(sig); /* dies of it: 128 + its number */
	return sig;       /* not reached */
}

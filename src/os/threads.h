/*
 * threads.h - the one place that creates and joins pthreads.
 *
 * Generation, the reference sums and the pthread strategy all run "the same
 * function on N threads, one index each"; this tiny layer (after pigz's
 * launch/join_all) keeps pthread details out of them.
 */
#ifndef COLBENCH_THREADS_H
#define COLBENCH_THREADS_H

#include <stdbool.h>
#include <stddef.h>

#include "os/status.h"

typedef void (*thread_fn)(void *arg, unsigned index);

/* The least stack any of colbench's threads (its own, libgomp's, MPI's)
 * gets; glibc would otherwise give them RLIMIT_STACK, which may be 32 kB. */
#define THREAD_STACK_FLOOR (256u << 10)

/*
 * Raise the default stack of threads created from now on to at least
 * THREAD_STACK_FLOOR; a larger RLIMIT_STACK is kept.  Call it once, first
 * thing in main, before any thread exists.
 */
void threads_set_stack_floor(void);

/* The stack each new thread gets (and maps whole: under ulimit -v it
 * counts though never touched). */
size_t threads_stack_bytes(void);

/*
 * Run fn(arg, i) for i in [0, n) on n threads and wait for all of them.
 * n == 1 still creates a thread, so start-up costs stay comparable.
 * Returns CB_OK; CB_SYSTEM with err filled when a thread could not be
 * created (the threads already started are joined first); CB_INTERRUPTED
 * when SIGINT or SIGTERM came meanwhile (long-running fns return early
 * when interrupt_pending(), so that colbench ends within a second).
 */
enum cb_status threads_run(unsigned n, thread_fn fn, void *arg,
			   struct cb_error *err);

/*
 * A team of n threads that outlive one run: created once, asleep between
 * runs, woken for each.  For work timed pass by pass (the read limit,
 * measure/limit.h): on the development VM fresh threads for every pass
 * read 8% slower than the strategies whose workers persist (openmp's,
 * forkpool's), each new thread placed and started anew.
 * threads_pool_start: CB_SYSTEM with err filled when a thread cannot be
 * created (those started are stopped first; *out is then NULL).
 * threads_pool_run: fn(arg, i) for i in [0, n) on the first n threads (n
 * at most the pool's), then wait for all of them; CB_INTERRUPTED when
 * SIGINT or SIGTERM came meanwhile.  threads_pool_stop: end and join them
 * (NULL: nothing).
 */
struct thread_pool;
enum cb_status threads_pool_start(unsigned n, struct thread_pool **out, struct cb_error *err);
enum cb_status threads_pool_run(struct thread_pool *pool, unsigned n, thread_fn fn, void *arg,
				struct cb_error *err);
void threads_pool_stop(struct thread_pool *pool);

/*
 * Wait, at most max_seconds, until no other thread of this process is
 * running or runnable (each asleep, as /proc/self/task says).  For
 * threads that busy-wait before they sleep (libgomp's, after a parallel
 * region).  Returns whether they all slept in time.
 */
bool threads_wait_others_asleep(double max_seconds);

#endif

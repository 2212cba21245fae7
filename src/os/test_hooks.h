/*
 * test_hooks.h - faults injected on request, for the fault tests.
 *
 * Some faults cannot be caused from outside on cue: a worker that
 * segfaults (not one killed by a signal someone sends), or a signal that
 * lands while a file is half-written.  Builds made with
 * -DCOLBENCH_TEST_HOOKS (the sanitizer builds, make asan and make tsan)
 * inject them when the environment asks; in every other build the hooks
 * are empty inline functions and the environment is never read.
 *
 *   COLBENCH_TEST_SEGV_WORKER=N   worker N (1-based, as messages count
 *                                 them) dies of a real SIGSEGV as it starts
 *   COLBENCH_TEST_STALL_WRITE=1   a file being written stalls after its
 *                                 first part (a .npy header, or a report's
 *                                 text) until a signal arrives (30 s at
 *                                 most), its temporary file in place
 *   COLBENCH_TEST_CRASH_WRITE=segv (or abort)  colbench itself faults
 *                                 there: a real SIGSEGV (or abort())
 */
#ifndef COLBENCH_TEST_HOOKS_H
#define COLBENCH_TEST_HOOKS_H

#ifdef COLBENCH_TEST_HOOKS
/* Called by every worker (thread or process) as it starts, index 0-based. */
void test_hook_worker_start(unsigned index);
/* Called once the first part of a file (see atomic_file.h) is written. */
void test_hook_first_part_written(void);
#else
static inline void test_hook_worker_start(unsigned index)
{
	(void)index;
}
static inline void test_hook_first_part_written(void)
{
}
#endif

#endif

/*
 * test_hooks.c - the faults test builds inject (see test_hooks.h).
 */
#include "os/test_hooks.h"

#ifdef COLBENCH_TEST_HOOKS
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "os/interrupt.h"

void test_hook_worker_start(unsigned index)
{
	const char *which = getenv("COLBENCH_TEST_SEGV_WORKER");

	if (!which || strtoul(which, NULL, 10) != index + 1UL)
		return;
	/* A store to a page with no access: the kernel's SIGSEGV, as a wild
	 * pointer would get (a NULL store would be caught by UBSan first). */
	volatile char *page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (page != MAP_FAILED)
		*page = 1;
	abort(); /* not reached */
}

/* A real fault in colbench itself: a store to a page with no access (the
 * kernel's SIGSEGV, as a wild pointer gets), or abort() (a failed check). */
static void crash(const char *how)
{
	if (strcmp(how, "segv") == 0) {
		volatile char *page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
					   -1, 0);

		if (page != MAP_FAILED)
			*page = 1;
	}
	abort();
}

void test_hook_first_part_written(void)
{
	const struct timespec tick = { .tv_nsec = 10000000L }; /* 10 ms */
	const char *stall = getenv("COLBENCH_TEST_STALL_WRITE");
	const char *how = getenv("COLBENCH_TEST_CRASH_WRITE");

	if (how)
		crash(how);

	if (!stall || strcmp(stall, "1") != 0)
		return;
	for (int i = 0; i < 3000 && !interrupt_pending(); i++)
		nanosleep(&tick, NULL);
}
#else
/* ISO C wants a translation unit to declare something. */
typedef int test_hooks_unused;
#endif

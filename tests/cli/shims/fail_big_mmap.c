/*
 * fail_big_mmap.c - an LD_PRELOAD shim for the resource tests: every mmap
 * of more than COLBENCH_SHIM_MMAP_MAX bytes (default 100 MB) fails with
 * ENOMEM, as it would on a machine whose memory ran out between the size
 * check and the allocation.  Smaller mappings (libraries, stacks, the C
 * library's own) go through.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/types.h>

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	static void *(*real)(void *, size_t, int, int, int, off_t);
	const char *max = getenv("COLBENCH_SHIM_MMAP_MAX");

	if (len > (max ? strtoull(max, NULL, 10) : 100000000ull)) {
		errno = ENOMEM;
		return MAP_FAILED;
	}
	if (!real)
		real = (void *(*)(void *, size_t, int, int, int, off_t))dlsym(RTLD_NEXT, "mmap");
	return real(addr, len, prot, flags, fd, off);
}

/*
 * sysinfo.h - what colbench needs to know about the machine it runs on.
 */
#ifndef COLBENCH_SYSINFO_H
#define COLBENCH_SYSINFO_H

#include <stddef.h>
#include <stdint.h>

/* Number of online CPUs (at least 1). */
unsigned sysinfo_online_cpus(void);

/*
 * Bytes the kernel says can be allocated without swapping (MemAvailable in
 * /proc/meminfo).  Returns 0 on success, -1 when it cannot be read.
 */
int sysinfo_mem_available(uint64_t *bytes);

/* The CPU's model name from /proc/cpuinfo, or "unknown CPU". */
void sysinfo_cpu_model(char *buf, size_t len);

/*
 * Bytes of this process's anonymous memory in transparent huge pages
 * (AnonHugePages in /proc/self/smaps_rollup), or 0 when unreadable.
 */
uint64_t sysinfo_anon_huge_bytes(void);

#endif

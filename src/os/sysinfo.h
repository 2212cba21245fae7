/*
 * sysinfo.h - what colbench needs to know about the machine it runs on.
 */
#ifndef COLBENCH_SYSINFO_H
#define COLBENCH_SYSINFO_H

#include <stddef.h>
#include <stdint.h>

/* Number of online CPUs (at least 1). */
unsigned sysinfo_online_cpus(void);

/* How much more memory this process may take, and which limit says so. */
struct memory_headroom {
	uint64_t bytes;
	char source[1024]; /* "MemAvailable", "the memory cgroup's limit, PATH", ... */
	/* The address space it may still map: the least of RLIMIT_AS and
	 * RLIMIT_DATA less what it maps now.  These count every byte mapped
	 * (a mapping's rounding, a thread's whole stack), touched or not;
	 * UINT64_MAX and "" when neither is set. */
	uint64_t mappable;
	const char *mappable_source;
};

/*
 * The smallest of what the machine and this process's limits leave: the
 * kernel's MemAvailable (/proc/meminfo), the memory cgroup's limit less
 * its usage at every level up (v2 memory.max - memory.current, v1
 * memory.limit_in_bytes - memory.usage_in_bytes, reclaimable file pages
 * not counted as used), and RLIMIT_AS and RLIMIT_DATA less what the
 * process already maps.  Where none can be read: physical memory, and the
 * source says so.  A container's MemAvailable shows the host, which is
 * why the cgroup must be read too.
 */
void sysinfo_memory_headroom(struct memory_headroom *h);

/* One candidate limit for memory_headroom_pick: its bytes and its name. */
struct memory_candidate {
	int known; /* 0: this source could not be read */
	uint64_t bytes;
	const char *source;
};

/* The smallest known candidate into *h (pure; for sysinfo_memory_headroom
 * and its tests); false, *h untouched, when none is known. */
int memory_headroom_pick(const struct memory_candidate *c, size_t n,
			 struct memory_headroom *h);

/*
 * "needs NEED GB, but only HAVE GB" into buf, for a refusal where need >
 * have: each figure with as many decimals as it takes (two at least, up
 * to nine, then in bytes) for need to read larger than have, so that a
 * refusal never reads "needs 0.04 GB, but only 0.04 GB".
 */
void memory_shortfall_text(char *buf, size_t len, uint64_t need, uint64_t have);

/* The CPU's model name from /proc/cpuinfo, or "unknown CPU". */
void sysinfo_cpu_model(char *buf, size_t len);

/*
 * This process's Private_Dirty memory in bytes (/proc/self/smaps_rollup):
 * after fork, the pages copy-on-write copied plus what it wrote anew.
 * Uses only open, read and close, so a forked child of a threaded parent
 * may call it.  0 when unreadable.
 */
unsigned long long sysinfo_private_dirty(void);

/* Reset this process's peak resident size (clear_refs 5); -1 if refused. */
int sysinfo_reset_peak_rss(void);

/* VmHWM and VmPTE of /proc/self/status in bytes: the peak resident size
 * since the last reset, and the page tables.  0 when unreadable. */
unsigned long long sysinfo_peak_rss(void);
unsigned long long sysinfo_page_tables(void);

/* What a report says about the machine and the build it ran on. */
struct system_info {
	char cpu_model[128];
	unsigned online_cpus;
	unsigned usable_cpus;  /* in colbench's affinity mask (taskset) */
	char kernel[256];      /* as uname -srm */
	char thp[16];          /* transparent huge pages: always, madvise, never */
	char governor[32];     /* cpu0's cpufreq governor; "" when unreadable */
	double load1;          /* 1-minute load average; -1 when unreadable */
	unsigned long long llc_bytes; /* last-level cache; 0 when unknown */
	const char *llc_source; /* where llc_bytes came from: "sysfs",
				 * "sysconf" (CPUID), "" when unknown */
	char compiler[64];
	char cflags[160];
	char date[32];         /* ISO 8601, UTC */
};

/* Fill *s from the system (usable CPUs from the start-up affinity mask). */
void sysinfo_collect(struct system_info *s, unsigned usable_cpus);

/*
 * Bytes of this process's anonymous memory in transparent huge pages
 * (AnonHugePages in /proc/self/smaps_rollup), or 0 when unreadable.
 */
uint64_t sysinfo_anon_huge_bytes(void);

#endif

/*
 * sysinfo.c - CPUs, available memory and CPU model, read from the system.
 */
#include "os/sysinfo.h"

#include "os/build_id.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

unsigned sysinfo_online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (unsigned)n : 1;
}

/* The "FIELD: N kB" line of a /proc file, in bytes; -1 if not found. */
static int read_kib_field(const char *path, const char *field, uint64_t *bytes)
{
	FILE *f = fopen(path, "r");
	char line[256];
	size_t len = strlen(field);
	int rc = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		const char *value = line + len + 1;
		char *end;

		if (strncmp(line, field, len) != 0 || line[len] != ':')
			continue;
		/* strtoull, not sscanf: an out-of-range number is an error. */
		errno = 0;
		unsigned long long kib = strtoull(value, &end, 10);

		if (end != value && errno == 0) {
			*bytes = (uint64_t)kib * 1024;
			rc = 0;
			break;
		}
	}
	(void)fclose(f);
	return rc;
}

/* A cgroup file's number ("max" and v1's near-2^63 mean no limit: false). */
static bool read_cgroup_number(const char *dir, const char *name, uint64_t *value)
{
	char *path, text[64], *end;
	FILE *f;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return false;
	f = fopen(path, "r");
	free(path);
	if (!f)
		return false;
	text[0] = '\0';
	if (!fgets(text, sizeof(text), f))
		text[0] = '\0';
	(void)fclose(f);
	errno = 0;
	*value = strtoull(text, &end, 10);
	return end != text && errno == 0 && *value < (1ull << 62);
}

/* The "KEY N" line of a cgroup's memory.stat, or 0. */
static uint64_t read_cgroup_stat(const char *dir, const char *key)
{
	char *path, line[256];
	size_t len = strlen(key);
	uint64_t value = 0;
	FILE *f;

	if (asprintf(&path, "%s/memory.stat", dir) < 0)
		return 0;
	f = fopen(path, "r");
	free(path);
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, len) == 0 && line[len] == ' ') {
			value = strtoull(line + len + 1, NULL, 10);
			break;
		}
	(void)fclose(f);
	return value;
}

/* Whether a v1 hierarchy's comma-separated controllers name "memory". */
static bool has_memory_controller(const char *controllers)
{
	for (const char *p = controllers; *p;) {
		size_t len = strcspn(p, ",");

		if (len == 6 && strncmp(p, "memory", 6) == 0)
			return true;
		p += len + (p[len] == ',');
	}
	return false;
}

/*
 * What the memory cgroup leaves: for the process's cgroup and each one
 * above it, up to the hierarchy's mount, limit - (usage - inactive file
 * pages), the smallest.  v2 (the "0::PATH" line of /proc/self/cgroup)
 * under /sys/fs/cgroup, v1 (the "N:...memory...:PATH" line) under
 * /sys/fs/cgroup/memory.  In a container whose cgroup namespace makes its
 * own cgroup the mount's root, the walk ends at that root, which is the
 * container's.
 */
static bool cgroup_memory_left(uint64_t *left, char **where)
{
	static const struct {
		const char *mount, *limit, *usage, *inactive;
	} kinds[] = {
		{ "/sys/fs/cgroup", "memory.max", "memory.current", "inactive_file" },
		{ "/sys/fs/cgroup/memory", "memory.limit_in_bytes", "memory.usage_in_bytes",
		  "total_inactive_file" },
	};
	FILE *f = fopen("/proc/self/cgroup", "r");
	char *line = NULL, *dir = NULL;
	size_t line_room = 0;
	bool found = false;

	*where = NULL;
	if (!f)
		return false;
	while (getline(&line, &line_room, f) > 0) {
		char *controllers = strchr(line, ':'), *path;
		int kind;

		if (!controllers || !(path = strchr(controllers + 1, ':')))
			continue;
		*path++ = '\0';
		*controllers++ = '\0'; /* line: the hierarchy's number */
		path[strcspn(path, "\n")] = '\0';
		if (strcmp(line, "0") == 0 && controllers[0] == '\0')
			kind = 0;
		else if (has_memory_controller(controllers))
			kind = 1;
		else
			continue;
		size_t base = strlen(kinds[kind].mount);

		free(dir);
		if (asprintf(&dir, "%s%s", kinds[kind].mount, strcmp(path, "/") == 0 ? "" : path) < 0) {
			dir = NULL;
			break;
		}
		for (;;) {
			uint64_t limit, usage;

			if (read_cgroup_number(dir, kinds[kind].limit, &limit) &&
			    read_cgroup_number(dir, kinds[kind].usage, &usage)) {
				uint64_t inactive = read_cgroup_stat(dir, kinds[kind].inactive);

				usage = usage > inactive ? usage - inactive : 0;
				uint64_t here = limit > usage ? limit - usage : 0;

				if (!found || here < *left) {
					*left = here;
					free(*where);
					if (asprintf(where, "%s/%s", dir, kinds[kind].limit) < 0)
						*where = NULL;
				}
				found = true;
			}
			char *slash = strrchr(dir, '/');

			if (strlen(dir) <= base || !slash)
				break;
			*slash = '\0';
		}
	}
	(void)fclose(f);
	free(line);
	free(dir);
	return found;
}

/* A resource limit less what the process has of it now (a VmSize or VmData
 * of /proc/self/status); false when there is no limit. */
static bool rlimit_left(int resource, const char *field, uint64_t *left)
{
	struct rlimit rl;
	uint64_t used = 0;

	if (getrlimit(resource, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
		return false;
	(void)read_kib_field("/proc/self/status", field, &used);
	*left = rl.rlim_cur > used ? rl.rlim_cur - used : 0;
	return true;
}

int memory_headroom_pick(const struct memory_candidate *c, size_t n,
			 struct memory_headroom *h)
{
	size_t best = n;

	for (size_t i = 0; i < n; i++)
		if (c[i].known && (best == n || c[i].bytes < c[best].bytes))
			best = i;
	if (best == n)
		return 0;
	h->bytes = c[best].bytes;
	snprintf(h->source, sizeof(h->source), "%s", c[best].source);
	return 1;
}

void sysinfo_memory_headroom(struct memory_headroom *h)
{
	char *where = NULL, *cgroup = NULL;
	struct memory_candidate c[4] = {
		{ .source = "MemAvailable" },
		{ .source = "the memory cgroup's limit" },
		{ .source = "the address-space limit, ulimit -v" },
		{ .source = "the data-segment limit, ulimit -d" },
	};
	int picked;

	c[0].known = read_kib_field("/proc/meminfo", "MemAvailable", &c[0].bytes) == 0;
	c[1].known = cgroup_memory_left(&c[1].bytes, &where);
	if (where && asprintf(&cgroup, "the memory cgroup's limit, %s", where) >= 0)
		c[1].source = cgroup;
	c[2].known = rlimit_left(RLIMIT_AS, "VmSize", &c[2].bytes);
	c[3].known = rlimit_left(RLIMIT_DATA, "VmData", &c[3].bytes);
	h->mappable = UINT64_MAX;
	h->mappable_source = "";
	for (int i = 2; i < 4; i++)
		if (c[i].known && c[i].bytes < h->mappable) {
			h->mappable = c[i].bytes;
			h->mappable_source = c[i].source;
		}
	picked = memory_headroom_pick(c, 4, h);
	free(where);
	free(cgroup);
	if (picked)
		return;
	long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);

	h->bytes = pages > 0 && page > 0 ? (uint64_t)pages * (uint64_t)page : UINT64_MAX;
	snprintf(h->source, sizeof(h->source), "physical memory: neither MemAvailable, a "
		 "memory cgroup nor a resource limit could be read");
}

void memory_shortfall_text(char *buf, size_t len, uint64_t need, uint64_t have)
{
	for (int digits = 2; digits <= 9; digits++) {
		char a[64], b[64];

		snprintf(a, sizeof(a), "%.*f", digits, need / 1e9);
		snprintf(b, sizeof(b), "%.*f", digits, have / 1e9);
		if (strtod(a, NULL) > strtod(b, NULL)) {
			snprintf(buf, len, "needs %s GB, but only %s GB", a, b);
			return;
		}
	}
	snprintf(buf, len, "needs %llu bytes, but only %llu bytes", (unsigned long long)need,
		 (unsigned long long)have);
}

uint64_t sysinfo_anon_huge_bytes(void)
{
	uint64_t bytes = 0;

	return read_kib_field("/proc/self/smaps_rollup", "AnonHugePages", &bytes) == 0
		       ? bytes : 0;
}

void sysinfo_cpu_model(char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512];

	snprintf(buf, len, "unknown CPU");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "model name", 10) != 0 || !colon)
			continue;
		colon += strspn(colon + 1, " \t") + 1;
		colon[strcspn(colon, "\n")] = '\0';
		snprintf(buf, len, "%s", colon);
		break;
	}
	(void)fclose(f);
}

/* The first line of a small file, without its newline; "" if unreadable. */
static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	(void)fclose(f);
}

/* Copy src into out[len], cut short if it must be (settings are short). */
static void copy_cut(char *out, size_t len, const char *src)
{
	size_t n = strnlen(src, len - 1);

	memcpy(out, src, n);
	out[n] = '\0';
}

/* The bracketed choice of a sysfs setting: "always [madvise] never". */
static void bracketed(const char *path, char *out, size_t len)
{
	char line[128], *open, *close;

	read_line(path, line, sizeof(line));
	open = strchr(line, '[');
	close = open ? strchr(open, ']') : NULL;
	if (open && close)
		*close = '\0';
	copy_cut(out, len, open && close ? open + 1 : line[0] ? line : "unknown");
}

/* The size of cpu0's highest-level cache, from sysfs ("8192K"); 0 when
 * the kernel does not expose it (some virtual machines do not). */
static unsigned long long sysfs_last_level_cache(void)
{
	unsigned long long best = 0;
	int best_level = 0;

	for (int index = 0; index < 8; index++) {
		char path[96], text[32];
		int level;
		char *end;

		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu0/cache/index%d/level", index);
		read_line(path, text, sizeof(text));
		if (!text[0])
			break;
		level = (int)strtol(text, NULL, 10);
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu0/cache/index%d/size", index);
		read_line(path, text, sizeof(text));
		unsigned long long size = strtoull(text, &end, 10);

		size *= *end == 'K' ? 1024ull : *end == 'M' ? 1024ull * 1024 : 1;
		if (level >= best_level) {
			best_level = level;
			best = size;
		}
	}
	return best;
}

/*
 * The last-level cache from the best source the machine has: sysfs, then
 * the C library (glibc answers from CPUID on x86).  0 and "" when neither
 * knows.
 */
static unsigned long long last_level_cache(const char **source)
{
	/* Not L1: a machine that names no L2 or L3 has told nothing useful. */
	static const int levels[] = { _SC_LEVEL4_CACHE_SIZE, _SC_LEVEL3_CACHE_SIZE,
				      _SC_LEVEL2_CACHE_SIZE };
	unsigned long long bytes = sysfs_last_level_cache();

	*source = "sysfs";
	if (bytes > 0)
		return bytes;
	*source = "sysconf";
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		long size = sysconf(levels[i]);

		if (size > 0)
			return (unsigned long long)size;
	}
	*source = "";
	return 0;
}

void sysinfo_collect(struct system_info *s, unsigned usable_cpus)
{
	struct utsname u;
	double load[1];
	time_t now = time(NULL);
	struct tm tm;

	memset(s, 0, sizeof(*s));
	sysinfo_cpu_model(s->cpu_model, sizeof(s->cpu_model));
	s->online_cpus = sysinfo_online_cpus();
	s->usable_cpus = usable_cpus;
	if (uname(&u) == 0)
		snprintf(s->kernel, sizeof(s->kernel), "%s %s %s", u.sysname, u.release, u.machine);
	bracketed("/sys/kernel/mm/transparent_hugepage/enabled", s->thp, sizeof(s->thp));
	read_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", s->governor,
		  sizeof(s->governor));
	s->load1 = getloadavg(load, 1) == 1 ? load[0] : -1;
	s->llc_bytes = last_level_cache(&s->llc_source);
	snprintf(s->compiler, sizeof(s->compiler), "%s", build_compiler());
	snprintf(s->cflags, sizeof(s->cflags), "%s", build_cflags());
	/* On failure strftime leaves the buffer undefined: no date then. */
	if (!gmtime_r(&now, &tm) ||
	    strftime(s->date, sizeof(s->date), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		s->date[0] = '\0';
}

/* The "FIELD: N kB" of a /proc file in bytes, with open and read only. */
static unsigned long long proc_kib(const char *path, const char *field)
{
	/* Per thread, off the stack: colbench runs on small stacks. */
	static _Thread_local char buf[4096];
	size_t len = strlen(field), got = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	while (got + 1 < sizeof(buf) && (n = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	buf[got] = '\0';
	for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (strncmp(line, field, len) == 0 && line[len] == ':') {
			unsigned long long kib = 0;

			for (char *p = line + len + 1;
			     *p == ' ' || *p == '\t' || (*p >= '0' && *p <= '9'); p++)
				if (*p >= '0' && *p <= '9')
					kib = kib * 10 + (unsigned long long)(*p - '0');
			return kib * 1024;
		}
	return 0;
}

unsigned long long sysinfo_private_dirty(void)
{
	return proc_kib("/proc/self/smaps_rollup", "Private_Dirty");
}

int sysinfo_reset_peak_rss(void)
{
	int fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
	int rc = fd >= 0 && write(fd, "5", 1) == 1 ? 0 : -1;

	if (fd >= 0)
		close(fd);
	return rc;
}

unsigned long long sysinfo_peak_rss(void)
{
	return proc_kib("/proc/self/status", "VmHWM");
}

unsigned long long sysinfo_page_tables(void)
{
	return proc_kib("/proc/self/status", "VmPTE");
}

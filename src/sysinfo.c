/*
 * sysinfo.c - CPUs, available memory and CPU model, read from the system.
 */
#include "sysinfo.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
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
	uint64_t kib;
	int rc = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, field, len) == 0 && line[len] == ':' &&
		    sscanf(line + len + 1, "%" SCNu64 " kB", &kib) == 1) {
			*bytes = kib * 1024;
			rc = 0;
			break;
		}
	}
	fclose(f);
	return rc;
}

int sysinfo_mem_available(uint64_t *bytes)
{
	return read_kib_field("/proc/meminfo", "MemAvailable", bytes);
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
	fclose(f);
}

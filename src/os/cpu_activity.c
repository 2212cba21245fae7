/*
 * cpu_activity.c - readings of CPU use (see cpu_activity.h).
 */
#include "os/cpu_activity.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "os/pin.h"

static double seconds_of(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec * 1e-6;
}

void cpu_usage_of_self(struct cpu_usage *u)
{
	struct rusage self, children;

	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &children);
	u->user = seconds_of(self.ru_utime) + seconds_of(children.ru_utime);
	u->system = seconds_of(self.ru_stime) + seconds_of(children.ru_stime);
	u->involuntary = (double)self.ru_nivcsw + (double)children.ru_nivcsw;
}

void cpu_usage_of_process(struct cpu_usage *u)
{
	struct rusage self;

	getrusage(RUSAGE_SELF, &self);
	u->user = seconds_of(self.ru_utime);
	u->system = seconds_of(self.ru_stime);
	u->involuntary = (double)self.ru_nivcsw;
}

void cpu_usage_add(struct cpu_usage *to, const struct cpu_usage *u)
{
	to->user += u->user;
	to->system += u->system;
	to->involuntary += u->involuntary;
}

int cpu_times_read(struct cpu_times *t)
{
	FILE *f = fopen("/proc/stat", "re");
	long ticks = sysconf(_SC_CLK_TCK);
	char line[512];
	unsigned long long busy = 0, steal = 0;
	int found = 0;

	if (!f)
		return -1;
	if (ticks <= 0) {
		(void)fclose(f);
		return -1;
	}
	/* "cpuN user nice system idle iowait irq softirq steal ..." */
	while (fgets(line, sizeof(line), f)) {
		unsigned long long field[8]; /* user nice system idle iowait irq softirq steal */
		char *p = line + 3, *end;
		unsigned long cpu;
		int k;

		if (strncmp(line, "cpu", 3) != 0 || line[3] < '0' || line[3] > '9')
			continue; /* the all-CPU line, or the lines after the CPUs */
		cpu = strtoul(p, &end, 10);
		for (k = 0, p = end; k < 8; k++, p = end) {
			field[k] = strtoull(p, &end, 10);
			if (end == p)
				break;
		}
		if (k < 8 || cpu > UINT_MAX || !pin_cpu_allowed((unsigned)cpu))
			continue;
		busy += field[0] + field[1] + field[2] + field[5] + field[6];
		steal += field[7];
		found = 1;
	}
	(void)fclose(f);
	if (!found)
		return -1;
	t->busy = (double)busy / (double)ticks;
	t->steal = (double)steal / (double)ticks;
	return 0;
}

/*
 * pin.c - CPU affinity for workers (see pin.h).
 */
#include "os/pin.h"

#include <pthread.h>
#include <sched.h>

static cpu_set_t allowed;
static unsigned allowed_count;
static int allowed_cpu[CPU_SETSIZE];
static pthread_once_t allowed_once = PTHREAD_ONCE_INIT;

/* Read the start-up affinity mask once: workers pin within it. */
static void read_allowed(void)
{
	if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0) {
		allowed_count = 0;
		return;
	}
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &allowed))
			allowed_cpu[allowed_count++] = cpu;
}

unsigned pin_allowed_cpus(void)
{
	pthread_once(&allowed_once, read_allowed);
	return allowed_count > 0 ? allowed_count : 1;
}

int pin_to_cpu(unsigned index)
{
	cpu_set_t one;

	pthread_once(&allowed_once, read_allowed);
	if (allowed_count == 0)
		return -1;
	CPU_ZERO(&one);
	CPU_SET(allowed_cpu[index % allowed_count], &one);
	return sched_setaffinity(0, sizeof(one), &one) == 0 ? 0 : -1;
}

int pin_restore(void)
{
	pthread_once(&allowed_once, read_allowed);
	if (allowed_count == 0)
		return -1;
	return sched_setaffinity(0, sizeof(allowed), &allowed) == 0 ? 0 : -1;
}

int pin_cpu_allowed(unsigned cpu)
{
	pthread_once(&allowed_once, read_allowed);
	return cpu < CPU_SETSIZE && CPU_ISSET(cpu, &allowed);
}

/*
 * clock.c - CLOCK_MONOTONIC in seconds (see clock.h).
 */
#include "os/clock.h"

#include <time.h>

double monotonic_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

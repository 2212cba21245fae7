/*
 * clock.h - the one clock colbench times with.
 */
#ifndef COLBENCH_CLOCK_H
#define COLBENCH_CLOCK_H

/* Seconds on CLOCK_MONOTONIC: comparable between threads and processes. */
double monotonic_seconds(void);

#endif

/*
 * noise.h - the conditions under which a benchmark's numbers deserve less
 * trust, found and worded once: a noisy result, a slow outlier run, a
 * governor that moves the clock, a busy machine, a matrix small enough to
 * sit in the cache.
 */
#ifndef COLBENCH_NOISE_H
#define COLBENCH_NOISE_H

#include <stddef.h>

#include "measure/bench.h"
#include "os/sysinfo.h"
#include "report/model.h"

#define NOISE_MAX 64
#define NOISE_RSD 0.10 /* relative standard deviation that counts as noisy */

struct noise {
	size_t count;
	struct {
		char text[256];
		long result; /* index into the results, or -1 for the whole run */
	} warning[NOISE_MAX];
};

/*
 * Every warning for these results on this system with a matrix of
 * matrix_bytes.  Pure: reads its arguments only.
 */
void noise_check(const struct system_info *sys, size_t matrix_bytes,
		 const struct bench_result *results, size_t n, struct noise *out);

/*
 * Append a warning for each of results[0..n) that read faster than the
 * read limit allows (its figures' over_limit): then the limit was no
 * bound on this host, and its share says nothing.  Pure.
 */
void noise_check_limits(const struct bench_result *results,
			const struct result_figures *figures, size_t n, struct noise *out);

#endif

/*
 * floors.c - the write and fork floors (see floors.h).
 */
#include "measure/floors.h"

#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <emmintrin.h>
#endif

#include "os/children.h"
#include "os/clock.h"
#include "os/pin.h"
#include "os/threads.h"

struct write_job {
	struct matrix *m;
	unsigned threads;
	bool pin;
};

/*
 * Thread `index` writes its block with non-temporal stores of values that
 * change from one pair to the next, as the generator's do: zeros would be
 * no floor, as some machines write them far faster (the development VM:
 * 130 GB/s of zeros on two threads, against about 60 of data).
 */
static void write_share(void *arg, unsigned index)
{
	const struct write_job *job = arg;
	size_t begin, end;

	if (job->pin)
		pin_to_cpu(index);
	matrix_block(job->m, job->threads, index, &begin, &end);
	if (begin == end)
		return;
	double *p = (double *)matrix_major(job->m, begin);
	const double *last = (const double *)matrix_major(job->m, end);

#if defined(__x86_64__)
	__m128d value = _mm_set_pd(1.0, 0.5), step = _mm_set1_pd(1.0);

	for (; ((uintptr_t)p & 15) != 0 && p < last; p++)
		*p = 0.25;
	for (; p + 2 <= last; p += 2) {
		_mm_stream_pd(p, value);
		value = _mm_add_pd(value, step);
	}
	_mm_sfence();
#endif
	for (size_t k = 0; p < last; p++, k++)
		*p = 0.25 + (double)k;
}

enum cb_status floor_write(struct matrix *m, unsigned threads, bool pin, double *gbps,
			   struct cb_error *err)
{
	struct write_job job = { m, threads, pin };
	double best = 0;

	for (int run = -FLOOR_WARMUP; run < FLOOR_RUNS; run++) { /* < 0: warm-up */
		double t0 = monotonic_seconds(), seconds;
		enum cb_status st = threads_run(threads, write_share, &job, err);

		if (st == CB_SYSTEM) /* not the strategy's workers: say whose threads */
			return cb_prefix(err, st, "the threads that measure the write floor: ");
		if (st != CB_OK)
			return st;
		seconds = monotonic_seconds() - t0;
		if (run >= 0 && (best == 0 || seconds < best))
			best = seconds;
	}
	*gbps = (double)m->bytes / best / 1e9;
	return CB_OK;
}

/* A child of the floor: it exits at once (children.c's child_main). */
static void exit_at_once(void *arg, unsigned index)
{
	(void)arg;
	(void)index;
}

enum cb_status floor_fork(unsigned workers, double *seconds, struct cb_error *err)
{
	pid_t *pids = calloc(workers, sizeof(*pids));
	double best = 0;
	enum cb_status st = CB_OK;

	if (!pids)
		return cb_fail(err, CB_SYSTEM, "out of memory for the fork floor");
	for (int run = -FLOOR_WARMUP; run < FLOOR_RUNS && st == CB_OK; run++) {
		double t0 = monotonic_seconds(), took;

		memset(pids, 0, workers * sizeof(*pids));
		st = children_run(workers, exit_at_once, NULL, pids, "fork-floor child", err);
		took = monotonic_seconds() - t0;
		if (st == CB_OK && run >= 0 && (best == 0 || took < best))
			best = took;
	}
	free(pids);
	*seconds = best;
	return st;
}

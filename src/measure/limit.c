/*
 * limit.c - streaming read bandwidth over the matrix (see limit.h).
 */
#include "measure/limit.h"

#include "kernels/kernels.h"
#include "os/pin.h"
#include "strategies/strategy.h"
#include "os/threads.h"
#include "measure/timing.h"

#include <stdatomic.h>

struct limit_job {
	const struct matrix *m;
	const struct kernel *kernel;
	unsigned threads;
	bool pin;
	/* Keeps the sums from being optimised away.  Every thread stores to
	 * it, once a pass: atomic, or the stores would race (TSan saw it). */
	_Atomic double sink;
};

/* Thread `index` streams its contiguous share of the matrix's bytes. */
static void stream_share(void *arg, unsigned index)
{
	struct limit_job *job = arg;
	size_t n = job->m->rows * job->m->cols;
	size_t begin = n / job->threads * index;
	size_t end = index + 1 == job->threads ? n : n / job->threads * (index + 1);

	size_t quarter = (end - begin) / 4;
	double sums[4];

	if (job->pin)
		pin_to_cpu(index);
	/* Four streams, as the simd kernel reads four columns at once. */
	job->kernel->sum_columns(job->m->data + begin, quarter, 4, sums);
	atomic_store_explicit(&job->sink, sums[0] + sums[1] + sums[2] + sums[3] +
			      job->kernel->sum_column(job->m->data + begin + 4 * quarter,
						      end - begin - 4 * quarter),
			      memory_order_relaxed);
}

enum cb_status limit_measure(const struct matrix *m, unsigned threads, bool pin,
			     double *gbps, struct cb_error *err)
{
	struct limit_job job = { m, kernel_find("simd"), threads, pin, 0.0 };
	double best = 0;

	for (int run = -LIMIT_WARMUP; run < LIMIT_RUNS; run++) { /* < 0: warm-up */
		double t0 = monotonic_seconds(), seconds;
		enum cb_status st = threads_run(threads, stream_share, &job, err);

		if (st == CB_SYSTEM) /* not the strategy's workers: say whose threads */
			return cb_prefix(err, st, "the threads that measure the read-bandwidth "
					 "limit: ");
		if (st != CB_OK) /* CB_INTERRUPTED too: threads_run looks */
			return st;
		seconds = monotonic_seconds() - t0;
		if (run >= 0 && (best == 0 || seconds < best))
			best = seconds;
	}
	*gbps = m->bytes / best / 1e9;
	return CB_OK;
}

/*
 * limit.c - the read bandwidth over the matrix, best of several patterns
 * (see limit.h).
 */
#include "measure/limit.h"

#include <stdatomic.h>
#include <stdlib.h>

#include "kernels/kernels.h"
#include "measure/timing.h"
#include "os/pin.h"
#include "os/threads.h"
#include "strategies/strategy.h"

struct limit_probe {
	const struct matrix *m;
	const struct kernel *kernel;
	bool pin;
	size_t count;
	struct limit *best;   /* per count: workers, best gbps and its pattern, rounds */
	double *area;         /* the columns pattern's sums (block_sum's area) */
	double *began, *ended; /* per thread: when its reading began and ended */
	struct thread_pool *pool; /* the workers, created once (threads.h) */
	/* The pass under way: its pattern and worker count. */
	enum limit_pattern pattern;
	unsigned threads;
	/* Keeps the sums from being optimised away.  Every thread stores to
	 * it, once a pass: atomic, or the stores would race (TSan saw it). */
	_Atomic double sink;
};

const char *limit_pattern_name(enum limit_pattern pattern)
{
	static const char *const names[LIMIT_PATTERNS] = { "columns", "streams", "flat" };

	return pattern < LIMIT_PATTERNS ? names[pattern] : "?";
}

/* Thread `index`'s contiguous share of the matrix's bytes, in one stream
 * or four far-apart ones. */
static double sum_share(const struct limit_probe *p, unsigned index)
{
	const struct kernel *k = p->kernel;
	size_t n = p->m->rows * p->m->cols;
	size_t begin = n / p->threads * index;
	size_t end = index + 1 == p->threads ? n : n / p->threads * (index + 1);
	size_t quarter = (end - begin) / 4;
	double sums[4];

	if (p->pattern == LIMIT_FLAT)
		return k->sum_column(p->m->data + begin, end - begin);
	kernel_simd_columns(p->m->data + begin, quarter, 4, KERNEL_SIMD_AT_ONCE, sums);
	return sums[0] + sums[1] + sums[2] + sums[3] +
	       k->sum_column(p->m->data + begin + 4 * quarter, end - begin - 4 * quarter);
}

static void pass_thread(void *arg, unsigned index)
{
	struct limit_probe *p = arg;
	double s;

	if (p->pin)
		pin_to_cpu(index);
	p->began[index] = monotonic_seconds();
	if (p->pattern == LIMIT_COLUMNS) {
		/* The strategies' own: this worker's block of columns (or
		 * rows), four neighbouring ones at a time, its sums stored in
		 * its own part of the area (which keeps them, as the sink
		 * keeps the others'). */
		struct strategy_run run = { .m = p->m, .kernel = p->kernel,
					    .workers = p->threads, .pin = p->pin };

		block_sum(&run, index, p->area);
		p->ended[index] = monotonic_seconds();
		return;
	}
	s = sum_share(p, index);
	p->ended[index] = monotonic_seconds();
	atomic_store_explicit(&p->sink, s, memory_order_relaxed);
}

/*
 * One pass of pattern with threads workers of the pool; its seconds, from
 * the first worker's start of reading to the last one's end: waking the
 * workers is not reading (the strategies' own timings include their
 * start-up, and seq has none), and would make a small matrix's limit no
 * limit.
 */
static enum cb_status pass(struct limit_probe *p, enum limit_pattern pattern, unsigned threads,
			   double *seconds, struct cb_error *err)
{
	enum cb_status st;
	double first, last;

	p->pattern = pattern;
	p->threads = threads;
	st = threads_pool_run(p->pool, threads, pass_thread, p, err); /* its lock orders the stamps */
	if (st != CB_OK) /* CB_INTERRUPTED */
		return st;
	first = p->began[0];
	last = p->ended[0];
	for (unsigned i = 1; i < threads; i++) {
		first = p->began[i] < first ? p->began[i] : first;
		last = p->ended[i] > last ? p->ended[i] : last;
	}
	*seconds = last - first;
	return CB_OK;
}

enum cb_status limit_probe_open(const struct matrix *m, const unsigned *counts, size_t n,
				bool pin, struct limit_probe **out, struct cb_error *err)
{
	struct limit_probe *p = calloc(1, sizeof(*p));
	unsigned most = 1;

	*out = NULL;
	for (size_t i = 0; i < n; i++)
		most = counts[i] > most ? counts[i] : most;
	if (p) {
		struct strategy_run widest = { .m = m, .workers = most };

		p->best = calloc(n + 1, sizeof(*p->best));
		p->area = calloc(block_area_size(&widest) + 1, sizeof(double));
		p->began = calloc(most, sizeof(double));
		p->ended = calloc(most, sizeof(double));
	}
	if (!p || !p->best || !p->area || !p->began || !p->ended) {
		limit_probe_close(p);
		(void)cb_fail(err, CB_SYSTEM, "out of memory for the read-bandwidth limit");
		return CB_SYSTEM; /* *out NULL: never CB_OK */
	}
	*p = (struct limit_probe){ .m = m, .kernel = kernel_find("simd"), .pin = pin,
				   .count = n, .best = p->best, .area = p->area,
				   .began = p->began, .ended = p->ended };
	for (size_t i = 0; i < n; i++)
		p->best[i].workers = counts[i];
	if (threads_pool_start(most, &p->pool, err) != CB_OK) {
		limit_probe_close(p); /* not the strategy's workers: say whose threads */
		(void)cb_prefix(err, CB_SYSTEM,
				"the threads that measure the read-bandwidth limit: ");
		return CB_SYSTEM;
	}
	*out = p;
	return CB_OK;
}

enum cb_status limit_probe_warm(struct limit_probe *p, struct cb_error *err)
{
	for (size_t i = 0; i < p->count; i++)
		for (int k = 0; k < LIMIT_WARMUP; k++) {
			double seconds;
			enum cb_status st = pass(p, (enum limit_pattern)(k % LIMIT_PATTERNS),
						 p->best[i].workers, &seconds, err);

			if (st != CB_OK)
				return st;
		}
	return CB_OK;
}

/* One pass of pattern for limit l, kept where it is l's best. */
/* Keep gbps, read by pattern, where it is l's best for that pattern or of all. */
static void keep(struct limit *l, enum limit_pattern pattern, double gbps)
{
	if (gbps > l->by_pattern[pattern])
		l->by_pattern[pattern] = gbps;
	if (gbps > l->gbps) {
		l->gbps = gbps;
		l->pattern = pattern;
	}
}

void limit_merge(struct limit *into, const struct limit *from)
{
	for (int k = 0; k < LIMIT_PATTERNS; k++)
		keep(into, (enum limit_pattern)k, from->by_pattern[k]);
	into->rounds += from->rounds;
}

/* One pass of pattern for limit l, kept where it is l's best. */
static enum cb_status timed_pass(struct limit_probe *p, struct limit *l,
				 enum limit_pattern pattern, struct cb_error *err)
{
	double seconds = 0;
	enum cb_status st = pass(p, pattern, l->workers, &seconds, err);

	if (st == CB_OK)
		keep(l, pattern, p->m->bytes / seconds / 1e9);
	return st;
}

enum cb_status limit_probe_round(struct limit_probe *p, unsigned round, struct cb_error *err)
{
	size_t passes = p->count * LIMIT_PATTERNS;
	enum cb_status st = CB_OK;

	/* Each round starts one pass further on, so that no pattern or count
	 * is always the one that follows a strategy's run. */
	for (size_t k = 0; st == CB_OK && k < passes; k++) {
		size_t j = (k + round) % passes;

		st = timed_pass(p, &p->best[j / LIMIT_PATTERNS],
				(enum limit_pattern)(j % LIMIT_PATTERNS), err);
	}
	/* Then more passes of each count's leading pattern: a best of few
	 * passes against the best of the strategies' many runs fell short
	 * by up to 3.3% (make bench, results/2026-12-04/). */
	for (size_t i = 0; st == CB_OK && i < p->count; i++)
		for (int k = 0; st == CB_OK && k < LIMIT_LEADER_PASSES; k++)
			st = timed_pass(p, &p->best[i], p->best[i].pattern, err);
	for (size_t i = 0; st == CB_OK && i < p->count; i++)
		p->best[i].rounds++;
	return st;
}

void limit_probe_results(const struct limit_probe *p, struct limit *out)
{
	for (size_t i = 0; i < p->count; i++)
		out[i] = p->best[i];
}

size_t limit_probe_count(const struct limit_probe *p)
{
	return p->count;
}

void limit_probe_close(struct limit_probe *p)
{
	if (!p)
		return;
	threads_pool_stop(p->pool);
	free(p->best);
	free(p->area);
	free(p->began);
	free(p->ended);
	free(p);
}

enum cb_status limit_probe_measure(struct limit_probe *p, struct cb_error *err)
{
	enum cb_status st = limit_probe_warm(p, err);

	for (unsigned round = 0; st == CB_OK && round < LIMIT_RUNS; round++)
		st = limit_probe_round(p, round, err);
	return st;
}

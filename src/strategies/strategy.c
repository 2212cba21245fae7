/*
 * strategy.c - the registry and the block work every strategy shares.
 */
#include "strategies/strategy.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/mman.h>

#include "kernels/kernels.h"
#include "os/pin.h"
#include "os/test_hooks.h"
#include "os/clock.h"

#define X(name) &strategy_##name,
static const struct strategy *const registry[] = { STRATEGY_LIST(X) };
#undef X

#define CACHE_LINE_DOUBLES 8

const struct strategy *const *strategy_all(size_t *count)
{
	*count = sizeof(registry) / sizeof(registry[0]);
	return registry;
}

const struct strategy *strategy_find(const char *name)
{
	for (size_t i = 0; i < sizeof(registry) / sizeof(registry[0]); i++)
		if (strcmp(registry[i]->name, name) == 0)
			return registry[i];
	return NULL;
}

bool strategy_has_startup(const struct strategy *s)
{
	return s->parallel || s->distributed;
}

enum strategy_kind strategy_kind(const struct strategy *s)
{
	if (s->distributed)
		return STRATEGY_RANKS;
	if (!s->parallel)
		return STRATEGY_ONE;
	return s->processes ? STRATEGY_PROCESSES : STRATEGY_THREADS;
}

const char *strategy_kind_name(enum strategy_kind kind)
{
	static const char *const names[] = {
		[STRATEGY_ONE] = "one", [STRATEGY_THREADS] = "threads",
		[STRATEGY_PROCESSES] = "processes", [STRATEGY_RANKS] = "ranks",
	};

	return names[kind];
}

const struct strategy *strategy_reference(enum strategy_kind kind)
{
	for (size_t i = 0; i < sizeof(registry) / sizeof(registry[0]); i++)
		if (registry[i]->reference && strategy_kind(registry[i]) == kind)
			return registry[i];
	return NULL;
}

/* Doubles between two workers' partial vectors (layout c). */
static size_t partial_stride(const struct matrix *m)
{
	return (m->cols + CACHE_LINE_DOUBLES - 1) / CACHE_LINE_DOUBLES *
	       CACHE_LINE_DOUBLES;
}

size_t block_area_size(const struct strategy_run *run)
{
	const struct matrix *m = run->m;

	return m->layout == LAYOUT_F ? m->cols : run->workers * partial_stride(m);
}

void block_sum(const struct strategy_run *run, unsigned i, double *area)
{
	const struct matrix *m = run->m;
	size_t begin, end;

	matrix_block(m, run->workers, i, &begin, &end);
	if (m->layout == LAYOUT_F) {
		if (begin < end)
			run->kernel->sum_columns(matrix_major(m, begin), m->rows, end - begin,
						 area + begin);
		return;
	}
	double *partial = area + i * partial_stride(m);

	if (begin < end)
		run->kernel->sum_rows(matrix_major(m, begin), end - begin, m->cols, partial);
	else
		memset(partial, 0, m->cols * sizeof(double));
}

void block_area_collect(const struct strategy_run *run, const double *area)
{
	const struct matrix *m = run->m;
	size_t stride = partial_stride(m);
	double *sums = run->sums;

	if (m->layout == LAYOUT_F || run->workers == 1) {
		if (area != sums)
			memmove(sums, area, m->cols * sizeof(double));
		return;
	}
	memmove(sums, area, m->cols * sizeof(double));
	for (unsigned w = 1; w < run->workers; w++)
		for (size_t c = 0; c < m->cols; c++)
			sums[c] += area[w * stride + c];
}

void block_area_poison(const struct strategy_run *run, double *area)
{
	size_t n = block_area_size(run);

	for (size_t i = 0; i < n; i++)
		area[i] = NAN;
}

void worker_begin(const struct strategy_run *run, unsigned i, double *started)
{
	if (run->pin)
		pin_to_cpu(i);
	test_hook_worker_start(i);
	*started = monotonic_seconds();
}

/* The latest of stamps[0..n), no earlier than at_least. */
static double latest_stamp(const double *stamps, unsigned n, double at_least)
{
	double last = at_least;

	for (unsigned i = 0; i < n; i++)
		if (stamps[i] > last)
			last = stamps[i];
	return last;
}

double workers_startup(const double *started, unsigned n, double t0)
{
	return latest_stamp(started, n, t0) - t0;
}

double workers_wind_down(const double *finished, unsigned n, double t0, double t1)
{
	double last = latest_stamp(finished, n, t0);

	return t1 > last ? t1 - last : 0;
}

enum cb_status worker_area_map(struct worker_area *wa, const struct strategy_run *run,
			       size_t header_bytes, struct cb_error *err)
{
	size_t header = (header_bytes + 63) / 64 * 64;
	size_t stamps = ((size_t)run->workers + 7) / 8 * 8; /* keep the area cache-line aligned */
	void *base;
	size_t usage = stamps * sizeof(struct cpu_usage) / sizeof(double);

	_Static_assert(sizeof(struct cpu_usage) % sizeof(double) == 0, "usage slots stay aligned");

	memset(wa, 0, sizeof(*wa));
	wa->bytes = header + (3 * stamps + usage + block_area_size(run)) * sizeof(double);
	base = mmap(NULL, wa->bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		return cb_fail(err, CB_SYSTEM, "cannot map the %u workers' shared area: %s",
			       run->workers, strerror(errno));
	wa->base = base;
	/* cppcheck-suppress invalidPointerCast ; fresh pages, header a multiple of 64 */
	wa->started = (double *)((char *)base + header);
	wa->finished = wa->started + stamps;
	wa->dirty = wa->finished + stamps;
	wa->usage = (struct cpu_usage *)(wa->dirty + stamps);
	wa->area = wa->dirty + stamps + usage;
	return CB_OK;
}

void worker_area_unmap(struct worker_area *wa)
{
	if (wa->base)
		munmap(wa->base, wa->bytes);
	wa->base = NULL;
}

void worker_area_collect_memory(const struct worker_area *wa, struct strategy_run *run)
{
	if (!run->measure_memory)
		return;
	run->worker_private = 0;
	for (unsigned i = 0; i < run->workers; i++)
		run->worker_private += wa->dirty[i];
}

enum cb_status strategy_fit_workers(unsigned *workers, size_t count, bool given, bool parallel,
				    size_t blocks, enum layout layout, struct cb_error *err)
{
	for (size_t i = 0; i < count; i++) {
		if (workers[i] <= blocks)
			continue;
		if (!given)
			workers[i] = (unsigned)blocks;
		else if (parallel)
			return cb_fail(err, CB_USAGE, "--workers: %u workers but only %zu %s%s "
				       "to split among them (layout %c): use at most %zu",
				       workers[i], blocks,
				       layout == LAYOUT_F ? "column" : "row", blocks == 1 ? "" : "s",
				       layout == LAYOUT_F ? 'f' : 'c', blocks);
	}
	return CB_OK;
}

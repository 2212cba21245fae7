/*
 * strategy.c - the registry and the block work every strategy shares.
 */
#include "strategy.h"

#include <math.h>
#include <string.h>

#include "kernels.h"
#include "pin.h"
#include "timing.h"

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
	*started = monotonic_seconds();
}

double workers_startup(const double *started, unsigned n, double t0)
{
	double last = t0;

	for (unsigned i = 0; i < n; i++)
		if (started[i] > last)
			last = started[i];
	return last - t0;
}

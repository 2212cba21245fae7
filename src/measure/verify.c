/*
 * verify.c - reference sums and checks (see verify.h).
 *
 * The reference must not share the strategies' kernels, or a kernel bug
 * would check itself: it uses Neumaier's compensated summation, column by
 * column for layout f, and row by row into per-column state for layout c
 * (so it streams memory in order either way).
 */
#include "measure/verify.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "os/interrupt.h"
#include "kernels/kernels.h"
#include "os/threads.h"

struct reference_job {
	const struct matrix *m;
	struct reference *ref;
	double *comp; /* layout c: per-column compensation */
	unsigned threads;
};

/* Thread `index` computes the reference for its own range of columns. */
static void reference_columns(void *arg, unsigned index)
{
	const struct reference_job *job = arg;
	const struct matrix *m = job->m;
	size_t begin = m->cols * index / job->threads;
	size_t end = m->cols * (index + 1) / job->threads;

	if (m->layout == LAYOUT_F) {
		for (size_t c = begin; c < end && !interrupt_pending(); c++)
			kernel_neumaier(matrix_major(m, c), m->rows,
					&job->ref->sums[c], &job->ref->mags[c]);
		return;
	}
	for (size_t r = 0; r < m->rows && !interrupt_pending(); r++)
		kernel_neumaier_row(matrix_major(m, r) + begin, end - begin,
				    job->ref->sums + begin, job->comp + begin,
				    job->ref->mags + begin);
	for (size_t c = begin; c < end; c++)
		job->ref->sums[c] += job->comp[c];
}

/*
 * A column whose sum of magnitudes is not finite holds a NaN or an
 * infinity, or finite values too large to add up.  With only infinities of
 * one sign (and finite values whose magnitudes add up), every order of the
 * additions gives that infinity; with a NaN or both signs, NaN: what numpy
 * gives, and what its sum must equal exactly.  Finite values whose
 * magnitudes overflow have no order-free sum: such a matrix is refused.
 */
static enum cb_status settle_non_finite(const struct matrix *m, struct reference *ref,
					size_t c, struct cb_error *err)
{
	bool nan = false, plus = false, minus = false;
	double finite_mags = 0;
	size_t step = m->layout == LAYOUT_F ? 1 : m->cols;
	const double *x = m->layout == LAYOUT_F ? matrix_major(m, c) : m->data + c;

	for (size_t r = 0; r < m->rows; r++) {
		double v = x[r * step];

		if (isnan(v))
			nan = true;
		else if (isinf(v))
			*(v > 0 ? &plus : &minus) = true;
		else
			finite_mags += fabs(v);
	}
	/* A NaN makes the sum NaN in any order, however large the rest. */
	if (isinf(finite_mags) && !nan)
		return cb_fail(err, CB_USAGE, "column %zu cannot be summed in float64: the "
			       "magnitudes of its finite values add up past %.3g, so its sum "
			       "depends on the order of the additions and no strategy can be "
			       "checked (scale the matrix down)", c, DBL_MAX);
	ref->sums[c] = nan || (plus && minus) ? NAN : plus ? INFINITY : -INFINITY;
	ref->mags[c] = INFINITY;
	return CB_OK;
}

enum cb_status reference_compute(const struct matrix *m, unsigned threads,
				 struct reference *ref, struct cb_error *err)
{
	/* cppcheck-suppress ctuuninitvar ; *ref is the output, filled in here */
	struct reference_job job = { m, ref, NULL, threads };
	enum cb_status st;

	if (threads > m->cols)
		job.threads = (unsigned)m->cols;
	ref->cols = m->cols;
	ref->sums = calloc(m->cols, sizeof(double));
	ref->mags = calloc(m->cols, sizeof(double));
	job.comp = calloc(m->cols, sizeof(double));
	if (!ref->sums || !ref->mags || !job.comp) {
		free(job.comp);
		reference_free(ref);
		return cb_fail(err, CB_SYSTEM, "out of memory for the reference sums");
	}
	st = threads_run(job.threads, reference_columns, &job, err);
	if (st == CB_SYSTEM) /* not the strategy's workers: say whose threads */
		cb_prefix(err, st, "the threads that compute the reference sums: ");
	free(job.comp);
	for (size_t c = 0; st == CB_OK && c < m->cols; c++) {
		if (interrupt_pending()) /* a column at a time: a second at most */
			st = cb_fail(err, CB_INTERRUPTED, "interrupted");
		else if (!isfinite(ref->mags[c]))
			st = settle_non_finite(m, ref, c, err);
	}
	if (st != CB_OK)
		reference_free(ref);
	return st;
}

void reference_free(struct reference *ref)
{
	free(ref->sums);
	free(ref->mags);
	ref->sums = ref->mags = NULL;
}

struct verdict verify_sums(const struct reference *ref, const double *sums,
			   double tolerance)
{
	struct verdict v = { .ok = true, .max_rel_error = 0, .bad_col = 0 };

	for (size_t c = 0; c < ref->cols; c++) {
		double diff = fabs(sums[c] - ref->sums[c]);
		double rel = ref->mags[c] > 0 ? diff / ref->mags[c]
				: diff == 0 ? 0 : INFINITY;

		if (!isfinite(ref->sums[c])) /* NaN or an infinity: that, exactly */
			rel = (isnan(ref->sums[c]) ? isnan(sums[c]) : sums[c] == ref->sums[c])
				      ? 0 : INFINITY;

		if (isnan(rel))
			rel = INFINITY; /* a NaN sum must never pass */
		if (rel > v.max_rel_error)
			v.max_rel_error = rel;
		if (v.ok && !(rel <= tolerance)) {
			v.ok = false;
			v.bad_col = c;
		}
	}
	return v;
}

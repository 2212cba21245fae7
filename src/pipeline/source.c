/*
 * source.c - the matrix a run sums, made or read (see source.h).
 */
#include "pipeline/source.h"

#include <stdlib.h>
#include <string.h>

#include "matrix/npy.h"
#include "measure/floors.h"
#include "os/clock.h"

/* Generate the matrix: first touch by its readers, then the generator. */
static enum cb_status generate_matrix(const struct plan *p, const struct job *job,
				      struct run_record *rec, struct cb_error *err)
{
	/* This process's block of columns: all of them alone, rank r's of N
	 * in a job (the generator is counter-based: no data crosses over). */
	size_t first = p->cols * job->rank / job->size;
	size_t count = p->cols * (job->rank + 1) / job->size - first;
	struct report_info *info = &rec->info;
	struct matrix *m = &rec->m;
	enum cb_status st;
	double t0;

	memset(m, 0, sizeof(*m));
	if (count == 0)
		return cb_fail(err, CB_USAGE, "rank %u of %u has no column: use at most %zu ranks",
			       job->rank, job->size, p->cols);
	if ((st = matrix_alloc(m, p->rows, count, p->layout, p->hugepages, err)) != CB_OK)
		return st;
	t0 = monotonic_seconds();
	st = matrix_first_touch(m, info->sys.usable_cpus, p->pin, err);
	info->touch_seconds = monotonic_seconds() - t0;
	/* The write floor, over the same memory and threads as the generator:
	 * before it, as it writes zeros (measure/floors.h). */
	if (st == CB_OK && !p->no_limit && !p->no_floors && job->size == 1) {
		st = floor_write(m, info->sys.usable_cpus, p->pin, &info->write_gbps, err);
		info->write_threads = info->sys.usable_cpus;
	}
	t0 = monotonic_seconds();
	if (st == CB_OK)
		st = matrix_generate_columns(m, p->seed, first, p->cols, info->sys.usable_cpus,
					     p->pin, err);
	info->generate_seconds = monotonic_seconds() - t0;
	if (st != CB_OK)
		matrix_free(m);
	return st;
}

/* Load the matrix; when --layout asks for the other layout, convert it
 * and keep only the copy. */
static enum cb_status load_matrix(const struct plan *p, const struct job *job,
				  struct run_record *rec, struct cb_error *err)
{
	struct report_info *info = &rec->info;
	struct matrix converted, *m = &rec->m;
	enum cb_status st;
	double t0;

	/* Alone the whole file; in a job, rank r of N reads its own columns. */
	st = npy_load_columns(p->load, p->mmap, p->hugepages, info->sys.usable_cpus,
			      job->rank, job->size, job->rank == 0 ? report_load_progress : NULL,
			      m, &info->npy, err);
	if (st != CB_OK || !p->layout_given || p->layout == m->layout)
		return st;
	t0 = monotonic_seconds();
	st = matrix_convert(m, p->layout, p->hugepages, info->sys.usable_cpus, &converted, err);
	info->convert_seconds = monotonic_seconds() - t0;
	info->converted_from = m->layout;
	info->converted = st == CB_OK;
	matrix_free(m);
	if (st == CB_OK)
		*m = converted;
	return st;
}

enum cb_status source_build(const struct plan *p, const struct job *job, struct run_record *rec,
			    struct cb_error *err)
{
	enum cb_status st;

	memcpy(rec->workers, p->workers, sizeof(rec->workers));
	rec->info.load = p->load;
	if (!p->load)
		return generate_matrix(p, job, rec, err);
	st = load_matrix(p, job, rec, err);
	/* A loaded matrix's shape is known only now (the plan fitted the
	 * counts to a generated one's); a job's ranks run one worker each. */
	if (st == CB_OK && job->size == 1)
		st = strategy_fit_workers(rec->workers, p->worker_count, p->workers_given,
					  plan_any_parallel(p), matrix_major_count(&rec->m),
					  rec->m.layout, err);
	return st;
}

enum cb_status source_save_sums(const char *path, const struct job *job,
				const struct reference *ref, struct cb_error *err)
{
	double *all;
	size_t total;
	enum cb_status st = job->gather(job, ref->sums, ref->cols, &all, &total, err);

	if (st == CB_OK && job->rank == 0)
		st = npy_save_vector(path, all, total, err);
	free(all);
	return job->agree(job, st, err);
}

/*
 * experiment.c - the one pipeline (see experiment.h): options in, a
 * matrix, the strategies over it, the report out.
 */
#include "experiment.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "matrix/matrix.h"
#include "matrix/npy.h"
#include "measure/bench.h"
#include "measure/limit.h"
#include "measure/timing.h"
#include "measure/verify.h"
#include "os/atomic_file.h"
#include "os/interrupt.h"
#include "os/pin.h"
#include "os/sysinfo.h"
#include "report/output.h"
#include "report/report.h"
#include "strategies/job.h"
#include "strategies/mpi_run.h"

/*
 * Every file the run names, before any work: outputs that can be written
 * and hold no input or each other (a run of minutes must not fail at its
 * end, nor replace the matrix it read).
 */
static enum cb_status check_files(const struct config *cfg, struct cb_error *err)
{
	struct named_file inputs[CLI_INPUT_FILES], outputs[CLI_OUTPUT_FILES];

	cli_named_files(cfg, inputs, outputs);
	return check_named_files(inputs, CLI_INPUT_FILES, outputs, CLI_OUTPUT_FILES, err);
}

/* The widest name of the strategies cfg will run, for aligned lines. */
static size_t widest_name(const struct config *cfg)
{
	size_t width = 0;

	for (size_t i = 0; i < cfg->strategy_count; i++)
		if (strlen(cfg->strategies[i]->name) > width)
			width = strlen(cfg->strategies[i]->name);
	return width;
}

/*
 * Run every chosen strategy with every worker count (once if it is not
 * parallel), printing each %timeit line as it finishes.  results must have
 * room for strategy_count x worker_count entries; *n gets how many ran.
 */
static enum cb_status run_all(const struct config *cfg, const struct job *job,
			      const struct matrix *m, const struct reference *ref,
			      const struct report_info *info,
			      struct bench_result *results, size_t *n,
			      struct cb_error *err)
{
	struct timing_config timing = { cfg->number, cfg->repeat, cfg->warmup };
	enum cb_status status = CB_OK;

	*n = 0;
	for (size_t i = 0; i < cfg->strategy_count; i++) {
		const struct strategy *s = cfg->strategies[i];
		size_t counts = s->parallel ? cfg->worker_count : 1;

		for (size_t w = 0; w < counts; w++) {
			struct bench_result *r = &results[*n];
			struct strategy_run setup = { .m = m, .kernel = cfg->kernel,
						      .workers = cfg->workers[w],
						      .pin = cfg->pin };
			enum cb_status st = bench_run(s, &setup, ref, &timing, r, err);

			if (st != CB_OK && s->distributed)
				job->abort(job, st); /* the other ranks wait in a collective */
			if (st != CB_OK)
				return st;
			(*n)++;
			if (s->distributed) { /* the job's verdict, over its processes */
				job->worst(job, &r->verdict.ok, &r->verdict.max_rel_error);
				r->workers = job->size;
			}
			if (job->rank != 0)
				continue; /* rank 0 alone speaks */
			if (cfg->format == FORMAT_TEXT)
				report_timeit_line(stdout, r, info->name_width);
			if (ferror(stdout)) /* nobody reads the report: stop now */
				return cb_fail(err, CB_SYSTEM, "cannot write the report: %s",
					       strerror(errno));
			if (!r->verdict.ok) {
				report_mismatch(r, ref);
				status = CB_VERIFY;
			}
		}
	}
	return status;
}

/*
 * Every kernel once through seq (one warm-up call, then one loop a run,
 * best of 3), so the summary can show what each summation costs and how far
 * each is from the reference.  kernel_results must have room for every
 * kernel.
 */
static enum cb_status survey_kernels(const struct matrix *m, bool pin,
				     const struct reference *ref,
				     struct bench_result *kernel_results,
				     size_t *n, struct cb_error *err)
{
	struct timing_config once = { .number = 1, .repeat = 3, .warmup = 1 };
	size_t count;
	const struct kernel *all = kernel_all(&count);

	*n = 0;
	for (size_t k = 0; k < count; k++) {
		struct strategy_run setup = { .m = m, .kernel = &all[k], .workers = 1,
					      .pin = pin };
		enum cb_status st = bench_run(&strategy_seq, &setup, ref, &once,
					      &kernel_results[k], err);

		if (st != CB_OK)
			return st;
		(*n)++;
	}
	return CB_OK;
}

/*
 * The read-bandwidth limit with 1 worker and with every worker count that
 * will run, each measured once, into info->limits.
 */
static enum cb_status measure_limits(const struct config *cfg,
				     const struct matrix *m,
				     struct report_info *info,
				     struct cb_error *err)
{
	unsigned counts[MAX_WORKER_COUNTS + 1];
	size_t n = 0;

	counts[n++] = 1;
	for (size_t i = 0; i < cfg->worker_count; i++) {
		size_t k;

		for (k = 0; k < n && counts[k] != cfg->workers[i]; k++)
			;
		if (k == n)
			counts[n++] = cfg->workers[i];
	}
	for (size_t i = 0; i < n; i++) {
		struct limit *l = &info->limits[info->limit_count];
		enum cb_status st;

		l->workers = counts[i];
		st = limit_measure(m, counts[i], cfg->pin, &l->gbps, err);
		if (st != CB_OK)
			return st;
		info->limit_count++;
	}
	return CB_OK;
}

/* Generate the matrix: first touch by its readers, then the generator. */
static enum cb_status generate_matrix(const struct config *cfg, const struct job *job,
				      struct matrix *m, struct report_info *info,
				      struct cb_error *err)
{
	/* This process's block of columns: all of them alone, rank r's of N
	 * in a job (the generator is counter-based: no data crosses over). */
	size_t first = cfg->cols * job->rank / job->size;
	size_t count = cfg->cols * (job->rank + 1) / job->size - first;
	enum cb_status st;
	double t0;

	memset(m, 0, sizeof(*m));
	if (count == 0)
		return cb_fail(err, CB_USAGE, "rank %u of %u has no column: use at most %zu ranks",
			       job->rank, job->size, cfg->cols);
	if ((st = matrix_alloc(m, cfg->rows, count, cfg->layout, cfg->hugepages, err)) != CB_OK)
		return st;
	t0 = monotonic_seconds();
	st = matrix_first_touch(m, info->sys.usable_cpus, cfg->pin, err);
	info->touch_seconds = monotonic_seconds() - t0;
	t0 = monotonic_seconds();
	if (st == CB_OK)
		st = matrix_generate_columns(m, cfg->seed, first, cfg->cols, info->sys.usable_cpus,
					     cfg->pin, err);
	info->generate_seconds = monotonic_seconds() - t0;
	if (st != CB_OK)
		matrix_free(m);
	return st;
}

/*
 * Load the matrix from cfg->load; when --layout asks for the other layout,
 * convert it (timed: numpy's asfortranarray) and keep only the copy.
 */
static enum cb_status load_matrix(const struct config *cfg, const struct job *job,
				  struct matrix *m, struct report_info *info, struct cb_error *err)
{
	struct matrix converted;
	enum cb_status st;
	double t0;

	/* Alone the whole file; in a job, rank r of N reads its own columns. */
	st = npy_load_columns(cfg->load, cfg->mmap, cfg->hugepages, info->sys.usable_cpus,
			      job->rank, job->size, job->rank == 0 ? report_load_progress : NULL,
			      m, &info->npy, err);
	if (st != CB_OK || !cfg->layout_given || cfg->layout == m->layout)
		return st;
	t0 = monotonic_seconds();
	st = matrix_convert(m, cfg->layout, cfg->hugepages, info->sys.usable_cpus, &converted, err);
	info->convert_seconds = monotonic_seconds() - t0;
	info->converted_from = m->layout;
	info->converted = st == CB_OK;
	matrix_free(m);
	if (st == CB_OK)
		*m = converted;
	return st;
}

/* This process's matrix (or block of it): loaded from a file or generated. */
static enum cb_status build_matrix(const struct config *cfg, const struct job *job,
				   struct matrix *m, struct report_info *info,
				   struct cb_error *err)
{
	info->load = cfg->load;
	return cfg->load ? load_matrix(cfg, job, m, info, err)
			 : generate_matrix(cfg, job, m, info, err);
}

/*
 * --sums: every process's reference sums, gathered in order on rank 0 and
 * written there, so the file is the whole matrix's reference.
 */
static enum cb_status save_sums(const char *path, const struct job *job,
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

/*
 * Fit cfg's worker counts to a loaded matrix, whose shape is known only
 * once it is read (cli_parse fits them to a generated one's).
 */
static enum cb_status fit_workers(struct config *cfg, const struct matrix *m,
				  struct cb_error *err)
{
	bool parallel = false;

	for (size_t i = 0; i < cfg->strategy_count; i++)
		parallel = parallel || cfg->strategies[i]->parallel;
	return strategy_fit_workers(cfg->workers, cfg->worker_count, cfg->workers_given, parallel,
				    matrix_major_count(m), m->layout, err);
}

/* What cfg asks of the report. */
static struct report_request report_request_of(const struct config *cfg)
{
	return (struct report_request){ .format = cfg->format, .quiet = cfg->quiet,
					.output = cfg->output, .output_format = cfg->output_format,
					.baseline = cfg->baseline, .threshold = cfg->threshold };
}

enum cb_status experiment_run(struct config *cfg, struct cb_error *err)
{
	/* Under mpirun (--strategy mpi) the run is one rank's of a job. */
	const struct job *job = cfg->mpi ? job_mpi_begin() : &job_alone;
	static const struct strategy *const distributed[] = { &strategy_mpi };
	struct matrix m = { 0 }, whole;
	struct reference ref = { 0 };
	struct bench_result *results = NULL, *kernel_results = NULL;
	struct saved_report saved, *baseline = NULL;
	struct report_info info = { .seed = cfg->seed, .m = &m, .kernel = cfg->kernel,
				    .hugepages = cfg->hugepages, .pin = cfg->pin };
	struct timespec res;
	enum cb_status st;
	size_t n = 0, kernels_run = 0, kernel_count;
	double t0;

	if (!job)
		return cb_fail(err, CB_USAGE, "this colbench was built without MPI");
	if (cfg->mpi) { /* its one strategy, with a process (not a worker) a rank */
		cfg->strategies[0] = distributed[0];
		cfg->strategy_count = 1;
		cfg->workers[0] = 1;
		cfg->worker_count = 1;
		cfg->no_limit = true; /* no process holds the matrix to stream it */
	}
	if ((st = job->agree(job, check_files(cfg, err), err)) != CB_OK)
		return job->end(job, st);
	sysinfo_collect(&info.sys, pin_allowed_cpus());
	if (cfg->baseline) { /* a bad baseline fails before any work */
		if ((st = saved_report_load(cfg->baseline, &saved, err)) != CB_OK)
			return st;
		baseline = &saved;
	}
	clock_getres(CLOCK_MONOTONIC, &res);
	info.clock_resolution = res.tv_sec + res.tv_nsec * 1e-9;
	info.name_width = widest_name(cfg);

	st = build_matrix(cfg, job, &m, &info, err);
	if (st == CB_OK && cfg->load && job->size == 1) /* its shape is known now */
		st = fit_workers(cfg, &m, err);
	info.huge_bytes = sysinfo_anon_huge_bytes();
	info.page_tables = sysinfo_page_tables();
	/* The reference first: a matrix that cannot be checked (a column whose
	 * values add up past the float64 range) is refused before any work. */
	t0 = monotonic_seconds();
	if (st == CB_OK && (st = reference_compute(&m, info.sys.usable_cpus, &ref, err)) == CB_USAGE &&
	    cfg->load)
		cb_prefix(err, CB_USAGE, "%s: ", cfg->load);
	info.reference_seconds = monotonic_seconds() - t0;
	/* Every process must be able to go on, or none may. */
	if ((st = job->agree(job, st, err)) != CB_OK)
		goto tidy_reference;
	if (cfg->mpi) { /* the header and the figures describe the whole job's matrix */
		whole = m;
		whole.cols = cfg->load ? info.npy.total_cols : cfg->cols;
		whole.bytes = m.rows * whole.cols * sizeof(double);
		info.m = &whole;
		info.ranks = job->size;
		info.rank0_cols = m.cols;
	}
	if (cfg->save && (st = npy_save_matrix(cfg->save, &m, err)) != CB_OK)
		goto tidy_reference;
	if (!cfg->no_limit && (st = measure_limits(cfg, &m, &info, err)) != CB_OK)
		goto tidy_reference;
	if (cfg->sums && (st = save_sums(cfg->sums, job, &ref, err)) != CB_OK)
		goto tidy_reference;
	if (interrupt_pending()) {
		st = cb_fail(err, CB_INTERRUPTED, "interrupted");
		goto tidy_reference;
	}

	kernel_all(&kernel_count);
	results = calloc(cfg->strategy_count * cfg->worker_count, sizeof(*results));
	kernel_results = calloc(kernel_count, sizeof(*kernel_results));
	if (!results || !kernel_results) {
		st = cb_fail(err, CB_SYSTEM, "out of memory for the results");
		goto tidy_results; /* the one of them that was allocated */
	}
	if (job->rank == 0 && cfg->format == FORMAT_TEXT && !cfg->quiet)
		report_header(stdout, &info);
	st = run_all(cfg, job, &m, &ref, &info, results, &n, err);
	if ((st == CB_OK || st == CB_VERIFY) && job->rank == 0) {
		/*
		 * The survey informs: a kernel other than the run's own may
		 * exceed the tolerance on a very tall matrix (naive's error
		 * grows with the rows) without the run having failed.  A job
		 * has no process that holds the whole matrix to survey.
		 */
		enum cb_status more = cfg->quiet || cfg->mpi ? CB_OK
			: survey_kernels(&m, cfg->pin, &ref, kernel_results, &kernels_run, err);
		struct report_data data = { .info = &info, .results = results, .count = n,
					    .kernels = kernel_results,
					    .kernel_count = kernels_run };
		struct report_request req = report_request_of(cfg);

		if (more == CB_OK)
			more = report_finish(&req, baseline, &data, err);
		/* A failed verification (1) outranks what the report adds (a
		 * regression, or a comparison of nothing); a system failure or a
		 * signal outranks everything. */
		if (more == CB_SYSTEM || more == CB_INTERRUPTED || (st == CB_OK && more != CB_OK))
			st = more;
	}

tidy_results:
	for (size_t i = 0; i < n; i++)
		bench_result_free(&results[i]);
	for (size_t i = 0; i < kernels_run; i++)
		bench_result_free(&kernel_results[i]);
	free(results);
	free(kernel_results);
tidy_reference:
	reference_free(&ref);
	matrix_free(&m);
	if (baseline)
		saved_report_free(baseline);
	return job->end(job, st); /* rank 0's status; the other ranks leave */
}

enum cb_status experiment_compare(const struct config *cfg, struct cb_error *err)
{
	struct report_request req = report_request_of(cfg);

	return report_compare_files(cfg->compare_old, cfg->compare_new, &req, err);
}

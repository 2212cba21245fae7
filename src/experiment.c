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
#include <unistd.h>

#include "matrix/matrix.h"
#include "matrix/npy.h"
#include "measure/bench.h"
#include "measure/floors.h"
#include "measure/limit.h"
#include "measure/progress.h"
#include "measure/timing.h"
#include "measure/verify.h"
#include "os/atomic_file.h"
#include "os/interrupt.h"
#include "os/pin.h"
#include "os/sysinfo.h"
#include "report/output.h"
#include "report/report.h"
#include "sampling/sampler.h"
#include "measure/schedule.h"
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

/* How each pair is timed: cfg's protocol; in a sampled copy, the loops
 * the first copy chose (order), or autorange to SAMPLE_RUN_TARGET. */
static struct timing_config timing_of(const struct config *cfg, const struct sample_order *order,
				      size_t pair, size_t pairs)
{
	struct timing_config t = { cfg->number, cfg->repeat, cfg->warmup, 0 };

	if (cfg->sample_child >= 0) {
		double share = SAMPLE_WINDOW / ((double)pairs * cfg->repeat);

		t.target = share > SAMPLE_RUN_TARGET ? share : SAMPLE_RUN_TARGET;
		if (order && pair < WIRE_MAX_PAIRS && order->loops[pair])
			t.number = order->loops[pair];
	}
	return t;
}

/* The (strategy, workers) pairs cfg runs, in order, into pairs (room for
 * strategy_count x worker_count), each with its result slot; their number. */
static size_t list_pairs(const struct config *cfg, const struct sample_order *order,
			 const struct matrix *m, struct bench_result *results,
			 struct schedule_pair *pairs)
{
	size_t n = 0, total = 0;

	for (size_t i = 0; i < cfg->strategy_count; i++)
		total += cfg->strategies[i]->parallel ? cfg->worker_count : 1;
	for (size_t i = 0; i < cfg->strategy_count; i++) {
		const struct strategy *s = cfg->strategies[i];
		size_t counts = s->parallel ? cfg->worker_count : 1;

		for (size_t w = 0; w < counts; w++, n++)
			pairs[n] = (struct schedule_pair){
				.s = s, .timing = timing_of(cfg, order, n, total), .res = &results[n],
				.setup = { .m = m, .kernel = cfg->kernel, .workers = cfg->workers[w],
					   .pin = cfg->pin } };
	}
	return n;
}

/* After a result is in: its line (rank 0, text), its mismatch if any. */
static enum cb_status show_result(const struct config *cfg, const struct bench_result *r,
				  const struct reference *ref, const struct report_info *info,
				  struct cb_error *err)
{
	if (cfg->format == FORMAT_TEXT && cfg->sample_child < 0)
		report_timeit_line(stdout, r, info->name_width);
	if (ferror(stdout)) /* nobody reads the report: stop now */
		return cb_fail(err, CB_SYSTEM, "cannot write the report: %s", strerror(errno));
	if (!r->verdict.ok) {
		report_mismatch(r, ref);
		return CB_VERIFY;
	}
	return CB_OK;
}

/*
 * The progress line (measure/progress.h): drawn by the process that speaks
 * for the run, on a terminal, unless quiet; a sampled copy leaves the
 * line to its sampler, and only the first copy says a long estimate.
 */
static void begin_progress(const struct config *cfg, const struct job *job,
			   const struct sample_order *order, const struct schedule_pair *pairs,
			   size_t count)
{
	unsigned runs = 0;
	bool speaks = job->rank == 0 && !cfg->quiet;

	for (size_t i = 0; i < count; i++)
		runs += pairs[i].timing.repeat;
	progress_begin(runs, speaks && !order && isatty(STDERR_FILENO),
		       speaks && (!order || order->index == 0));
}

/*
 * Run every chosen strategy with every worker count (once if it is not
 * parallel): taking turns (cfg->interleave, every run but an MPI job's:
 * measure/schedule.h), the %timeit lines printed once all are timed; or
 * one after another, printing each %timeit line as it finishes.
 * results must have room for strategy_count x worker_count entries; *n
 * gets how many ran.
 */
static enum cb_status run_all(const struct config *cfg, const struct job *job,
			      const struct sample_order *order,
			      const struct matrix *m, const struct reference *ref,
			      const struct report_info *info,
			      struct bench_result *results, size_t *n,
			      struct cb_error *err)
{
	struct schedule_pair *pairs = calloc(cfg->strategy_count * cfg->worker_count + 1,
					     sizeof(*pairs));
	size_t count;
	enum cb_status status = CB_OK, st;

	*n = 0;
	if (!pairs)
		return cb_fail(err, CB_SYSTEM, "out of memory for the schedule");
	count = list_pairs(cfg, order, m, results, pairs);
	begin_progress(cfg, job, order, pairs, count);
	if (cfg->interleave) {
		st = schedule_interleaved(pairs, count, ref, order ? order->index : 0, err);
		progress_end();
		*n = st == CB_OK ? count : 0;
		for (size_t i = 0; st == CB_OK && i < count; i++) {
			enum cb_status shown = show_result(cfg, &results[i], ref, info, err);

			if (shown == CB_SYSTEM) /* the report cannot be written */
				st = shown;
			else if (shown == CB_VERIFY)
				status = CB_VERIFY;
		}
		free(pairs);
		return st == CB_OK ? status : st;
	}
	for (size_t i = 0; i < count; i++) {
		struct bench_result *r = &results[i];
		const struct strategy *s = pairs[i].s;

		st = bench_run(s, &pairs[i].setup, ref, &pairs[i].timing, r, err);
		progress_clear();
		if (st != CB_OK && s->distributed)
			job->abort(job, st); /* the other ranks wait in a collective */
		if (st != CB_OK) {
			progress_end();
			free(pairs);
			return st;
		}
		(*n)++;
		if (s->distributed) { /* the job's verdict, over its processes */
			job->worst(job, &r->verdict.ok, &r->verdict.max_rel_error);
			r->workers = job->size;
		}
		if (job->rank != 0)
			continue; /* rank 0 alone speaks */
		st = show_result(cfg, r, ref, info, err);
		if (st == CB_SYSTEM) {
			progress_end();
			free(pairs);
			return st;
		}
		if (st == CB_VERIFY)
			status = CB_VERIFY;
	}
	progress_end();
	free(pairs);
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
 * The fork floor (measure/floors.h) for every worker count a process
 * strategy will run with, into info->fork_floors; none in an MPI job, nor
 * in a sampled copy but the first (whose floors the report shows).
 */
static enum cb_status measure_fork_floors(const struct config *cfg, struct report_info *info,
					  struct cb_error *err)
{
	bool processes = false;

	for (size_t i = 0; !cfg->no_floors && i < cfg->strategy_count; i++)
		processes = processes || (cfg->strategies[i]->processes &&
					  !cfg->strategies[i]->distributed);
	for (size_t i = 0; processes && i < cfg->worker_count; i++) {
		struct fork_floor *f = &info->fork_floors[info->fork_floor_count];
		enum cb_status st = floor_fork(cfg->workers[i], &f->seconds, err);

		if (st != CB_OK)
			return st;
		f->workers = cfg->workers[i];
		info->fork_floor_count++;
	}
	return CB_OK;
}

/*
 * The read-bandwidth limit with 1 worker and with every worker count that
 * will run, each measured once, into info->limits; then the fork floors.
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
	return measure_fork_floors(cfg, info, err);
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
	/* The write floor, over the same memory and threads as the generator:
	 * before it, as it writes zeros (measure/floors.h). */
	if (st == CB_OK && !cfg->no_limit && !cfg->no_floors && job->size == 1) {
		st = floor_write(m, info->sys.usable_cpus, cfg->pin, &info->write_gbps, err);
		info->write_threads = info->sys.usable_cpus;
	}
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
	return (struct report_request){
		.format = cfg->format, .quiet = cfg->quiet, .baseline = cfg->baseline,
		.rule = cfg->rule,
		.files = { { cfg->output, cfg->output_format }, { cfg->export_json, FORMAT_JSON },
			   { cfg->export_csv, FORMAT_CSV },
			   { cfg->export_markdown, FORMAT_MARKDOWN } },
	};
}

/*
 * The run's status st with what the report added (more): a failed
 * verification (1) outranks a regression, an inconclusive comparison or a
 * comparison of nothing; a system failure or a signal outranks everything.
 */
static enum cb_status with_report_status(enum cb_status st, enum cb_status more)
{
	if (more == CB_SYSTEM || more == CB_INTERRUPTED || (st == CB_OK && more != CB_OK))
		return more;
	return st;
}

/*
 * The sampler's side of a sampled run: every copy's runs merged and judged
 * for disturbance (sampler_collect), then the report as experiment_run
 * makes it.
 */
static enum cb_status run_sampled(const struct config *cfg, const struct saved_report *baseline,
				  struct cb_error *err)
{
	static struct sample_merge merged; /* off the stack (ulimit -s 32) */
	enum cb_status st = sampler_collect(cfg, &merged, err), more;
	struct report_info *info = &merged.info;

	if (st != CB_OK && st != CB_VERIFY)
		return st;
	info->kernel = cfg->kernel;
	info->name_width = widest_name(cfg);
	info->sampling_seconds = merged.seconds;
	info->runs_per_process = cfg->repeat;
	if (cfg->format == FORMAT_TEXT && !cfg->quiet)
		report_header(stdout, info);
	for (size_t i = 0; cfg->format == FORMAT_TEXT && i < merged.count; i++)
		report_timeit_line(stdout, &merged.results[i], info->name_width);
	{
		struct report_data data = { .info = info, .results = merged.results,
					    .count = merged.count, .kernels = merged.kernels,
					    .kernel_count = merged.kernel_count };
		struct report_request req = report_request_of(cfg);

		more = report_finish(&req, baseline, &data, err);
	}
	sampler_merge_free(&merged);
	return with_report_status(st, more);
}

/* A sampled copy's end: its results to the sampler, not to stdout. */
static enum cb_status reply_to_sampler(const struct config *cfg, enum cb_status st,
				       const struct report_info *info,
				       const struct bench_result *results, size_t n,
				       const struct bench_result *kernels, size_t kernel_count,
				       struct cb_error *err)
{
	static struct sample_reply reply; /* off the stack (ulimit -s 32) */
	static struct cb_error spare;
	enum cb_status sent;

	reply = (struct sample_reply){ .status = st, .info = *info, .results =
				       (struct bench_result *)results, .count = n,
				       .kernels = (struct bench_result *)kernels,
				       .kernel_count = kernel_count };
	if (info->m)
		reply.shape = *info->m;
	sent = wire_send_reply(cfg->sample_child, &reply, wire_reply_complete(st) ? err : &spare);
	return sent == CB_OK || !wire_reply_complete(st) ? st : sent;
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

	static struct sample_order order; /* 2 kB: off the stack (ulimit -s 32) */
	bool copy = cfg->sample_child >= 0, replied = false;

	if (!job)
		return cb_fail(err, CB_USAGE, "this colbench was built without MPI");
	if (copy && (st = sampler_child_begin(cfg, &order, err)) != CB_OK)
		return st;
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
	if (cfg->processes > 1 && !copy) { /* the sampler: copies do the work */
		st = run_sampled(cfg, baseline, err);
		if (baseline)
			saved_report_free(baseline);
		return st;
	}
	clock_getres(CLOCK_MONOTONIC, &res);
	info.clock_resolution = res.tv_sec + res.tv_nsec * 1e-9;
	info.name_width = widest_name(cfg);

	st = build_matrix(cfg, job, &m, &info, err);
	if (st == CB_OK && copy && cfg->load) /* the file the sampler and the other copies saw */
		st = sampler_child_check_load(&order, cfg->load, &info.npy.version, err);
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
	if (job->rank == 0 && cfg->format == FORMAT_TEXT && !cfg->quiet && !copy)
		report_header(stdout, &info);
	info.processes = 1;
	info.runs_per_process = cfg->repeat;
	st = run_all(cfg, job, copy ? &order : NULL, &m, &ref, &info, results, &n, err);
	/* A copy's runs are judged by its sampler, with the other copies'. */
	if ((st == CB_OK || st == CB_VERIFY) && !copy &&
	    !bench_judge_disturbance(results, n, info.sys.usable_cpus, &info.disturbed_processes))
		st = cb_fail(err, CB_SYSTEM, "out of memory for the results");
	if ((st == CB_OK || st == CB_VERIFY) && job->rank == 0) {
		/*
		 * The survey informs: a kernel other than the run's own may
		 * exceed the tolerance on a very tall matrix (naive's error
		 * grows with the rows) without the run having failed.  A job
		 * has no process that holds the whole matrix to survey.
		 */
		enum cb_status more = cfg->quiet || cfg->no_survey || cfg->mpi ? CB_OK
			: survey_kernels(&m, cfg->pin, &ref, kernel_results, &kernels_run, err);
		struct report_data data = { .info = &info, .results = results, .count = n,
					    .kernels = kernel_results,
					    .kernel_count = kernels_run };
		struct report_request req = report_request_of(cfg);

		if (more == CB_OK && copy) {
			more = reply_to_sampler(cfg, st, &info, results, n, kernel_results,
						kernels_run, err);
			replied = true;
		} else if (more == CB_OK) {
			more = report_finish(&req, baseline, &data, err);
		}
		st = with_report_status(st, more);
	}

tidy_results:
	for (size_t i = 0; i < n; i++)
		bench_result_free(&results[i]);
	for (size_t i = 0; i < kernels_run; i++)
		bench_result_free(&kernel_results[i]);
	free(results);
	free(kernel_results);
tidy_reference:
	if (copy && !replied) /* the sampler learns of the failure; the copy says why */
		(void)reply_to_sampler(cfg, st, &info, NULL, 0, NULL, 0, err);
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

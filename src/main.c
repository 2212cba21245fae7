/*
 * main.c - colbench: parse the options, build the matrix, run the chosen
 * strategies, report.  Thin on purpose: every step lives in its own file,
 * and this is the only place that prints errors and picks the exit status.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "measure/bench.h"
#include "cli/cli.h"
#include "os/interrupt.h"
#include "measure/limit.h"
#include "matrix/matrix.h"
#include "matrix/npy.h"
#include "strategies/mpi_run.h"
#include "os/atomic_file.h"
#include "report/compare.h"
#include "report/noise.h"
#include "os/pin.h"
#include "report/report.h"
#include "os/stdout_stream.h"
#include "os/sysinfo.h"
#include "os/threads.h"
#include "measure/timing.h"
#include "measure/verify.h"

/* Print "colbench: msg" on stderr, unless msg is empty, and return status. */
static enum cb_status complain(enum cb_status status, const struct cb_error *err)
{
	if (err->msg[0]) /* empty: another process (an MPI rank 0) says it */
		fprintf(stderr, "colbench: %s\n", err->msg);
	return status;
}

/* Say which result failed verification, where and by how much. */
static enum cb_status complain_mismatch(const struct bench_result *r,
					const struct reference *ref)
{
	fprintf(stderr, "colbench: %s with %u worker%s and the %s kernel: column %zu sums "
		"to %.17g, the reference is %.17g (relative error %.1e > %.0e)\n",
		r->strategy->name, r->workers, r->workers == 1 ? "" : "s",
		r->kernel->name, r->verdict.bad_col, r->bad_sum,
		ref->sums[r->verdict.bad_col], r->verdict.max_rel_error,
		VERIFY_TOLERANCE);
	return CB_VERIFY;
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
static enum cb_status run_all(const struct config *cfg, const struct matrix *m,
			      const struct reference *ref,
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

			if (st != CB_OK)
				return st;
			(*n)++;
			if (cfg->format == FORMAT_TEXT)
				report_timeit_line(stdout, r, info->name_width);
			if (ferror(stdout)) /* nobody reads the report: stop now */
				return cb_fail(err, CB_SYSTEM, "cannot write the report: %s",
					       strerror(errno));
			if (!r->verdict.ok)
				status = complain_mismatch(r, ref);
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
static enum cb_status generate_matrix(const struct config *cfg, struct matrix *m,
				      struct report_info *info, struct cb_error *err)
{
	enum cb_status st;
	double t0;

	if ((st = matrix_alloc(m, cfg->rows, cfg->cols, cfg->layout, cfg->hugepages,
			       err)) != CB_OK)
		return st;
	t0 = monotonic_seconds();
	st = matrix_first_touch(m, info->sys.usable_cpus, cfg->pin, err);
	info->touch_seconds = monotonic_seconds() - t0;
	t0 = monotonic_seconds();
	if (st == CB_OK)
		st = matrix_generate(m, cfg->seed, info->sys.usable_cpus, cfg->pin, err);
	info->generate_seconds = monotonic_seconds() - t0;
	if (st != CB_OK)
		matrix_free(m);
	return st;
}

/*
 * Load the matrix from cfg->load; when --layout asks for the other layout,
 * convert it (timed: numpy's asfortranarray) and keep only the copy.
 */
static enum cb_status load_matrix(const struct config *cfg, struct matrix *m,
				  struct report_info *info, struct cb_error *err)
{
	struct matrix converted;
	enum cb_status st;
	double t0;

	st = npy_load(cfg->load, cfg->mmap, cfg->hugepages, info->sys.usable_cpus, m,
		      &info->npy, err);
	if (st != CB_OK || !cli_given(cfg, "layout") || cfg->layout == m->layout)
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

/* The matrix to sum: loaded from a file or generated. */
static enum cb_status build_matrix(const struct config *cfg, struct matrix *m,
				   struct report_info *info, struct cb_error *err)
{
	info->load = cfg->load;
	return cfg->load ? load_matrix(cfg, m, info, err) : generate_matrix(cfg, m, info, err);
}

/* This run's results as a comparison reads them. */
static void fresh_report(const struct report_data *d, struct saved_report *fresh,
			 struct sample_set *sets)
{
	const struct report_info *info = d->info;
	char source[160];

	*fresh = (struct saved_report){ .count = d->count, .results = sets };
	for (size_t i = 0; i < d->count; i++) {
		const struct bench_result *r = &d->results[i];

		sets[i] = (struct sample_set){ .workers = r->workers, .mean = r->time.mean,
					       .times = r->per_loop, .runs = r->runs };
		snprintf(sets[i].strategy, sizeof(sets[i].strategy), "%s", r->strategy->name);
	}
	if (info->load)
		snprintf(source, sizeof(source), "%s", info->load);
	else
		snprintf(source, sizeof(source), "seed %llu", (unsigned long long)info->seed);
	describe_matrix(fresh->matrix, sizeof(fresh->matrix), info->m->rows, info->m->cols,
			info->m->layout == LAYOUT_F ? 'f' : 'c', "float64", source);
	describe_system(fresh->system, sizeof(fresh->system), info->sys.cpu_model,
			info->sys.online_cpus, info->sys.kernel);
}

/* Warn when two reports were not made on the same matrix or machine. */
static void warn_if_unlike(const struct saved_report *old, const struct saved_report *fresh)
{
	if (strcmp(old->matrix, fresh->matrix) != 0)
		fprintf(stderr, "colbench: warning: the matrices differ: %s (baseline), %s (now)\n",
			old->matrix, fresh->matrix);
	if (strcmp(old->system, fresh->system) != 0)
		fprintf(stderr, "colbench: warning: the systems differ: %s (baseline), %s (now)\n",
			old->system, fresh->system);
}

/*
 * What a comparison cannot show on its own, on stderr: pairs of the new
 * report the baseline lacks, run counts too small for any difference to be
 * significant, and, when the report itself is not text, each regression.
 */
static void explain_comparison(const struct report_data *d, bool text)
{
	const struct comparison *c = d->comparisons;

	for (size_t i = 0; i < d->missing_count; i++)
		fprintf(stderr, "colbench: warning: %s with %u workers is not in the "
			"baseline: not compared\n", d->fresh->results[d->missing[i]].strategy,
			d->fresh->results[d->missing[i]].workers);
	for (size_t k = 0; k < d->comparison_count; k++)
		if (compare_min_p(c[k].old_runs, c[k].new_runs) >= COMPARE_ALPHA)
			fprintf(stderr, "colbench: warning: %s with %u workers: %zu and %zu "
				"runs can never differ significantly; use --repeat 5 or "
				"more\n", c[k].strategy, c[k].workers, c[k].old_runs,
				c[k].new_runs);
	for (size_t k = 0; !text && k < d->comparison_count; k++)
		if (c[k].verdict == VERDICT_REGRESSED)
			fprintf(stderr, "colbench: %s with %u workers regressed: %+.1f%% "
				"(p = %.2g)\n", c[k].strategy, c[k].workers, 100 * c[k].change,
				c[k].p);
}

/*
 * Compare fresh with the baseline old into d: its comparisons (room for
 * fresh->count in c) and the results old lacks (room for as many in
 * missing), with the warnings on stderr.  CB_USAGE when nothing could be
 * compared: a gate that judged nothing must not pass; the caller still
 * writes its report first.
 */
static enum cb_status judge_against(const struct saved_report *old,
				    const struct saved_report *fresh, double threshold,
				    bool text, struct report_data *d, struct comparison *c,
				    size_t *missing, struct cb_error *err)
{
	enum cb_status st = compare_reports(old, fresh, threshold, c, &d->comparison_count, err);

	if (st != CB_OK)
		return st;
	d->comparisons = c;
	d->fresh = fresh;
	d->missing = missing;
	d->missing_count = compare_not_in_baseline(fresh, c, d->comparison_count, missing);
	warn_if_unlike(old, fresh);
	explain_comparison(d, text);
	if (d->comparison_count > 0)
		return CB_OK;
	if (fresh->count == 0)
		return cb_fail(err, CB_USAGE, "nothing was compared: the new report has no result");
	if (old->count == 0)
		return cb_fail(err, CB_USAGE, "nothing was compared: the baseline %s has no result",
			       d->baseline);
	return cb_fail(err, CB_USAGE, "nothing was compared: the baseline %s has none of the "
		       "%zu strategy and worker count%s compared here", d->baseline, fresh->count,
		       fresh->count == 1 ? "" : "s");
}

/* Write a report document to stdout or, with path, to a file; either way
 * it ends with one newline (JSON's text has none, CSV's has its own). */
static enum cb_status emit(const char *text, const char *path, struct cb_error *err)
{
	size_t len = text ? strlen(text) : 0;
	bool newline = len == 0 || text[len - 1] != '\n';

	if (!text)
		return cb_fail(err, CB_SYSTEM, "out of memory for the report");
	if (path) {
		struct file_part parts[] = { { text, len }, { "\n", newline } };

		return atomic_write(path, parts, 2, err);
	}
	fputs(text, stdout);
	if (newline)
		fputc('\n', stdout);
	return CB_OK;
}

/*
 * Everything after the timings: noise warnings, the baseline comparison,
 * the report in the chosen format and the --output file.  Returns
 * CB_REGRESSED when a result regressed against the baseline.  The noise
 * and the comparisons are added to a copy of the caller's data: they live
 * in this call, so no pointer to them may outlive it.
 */
static enum cb_status finish_report(const struct config *cfg,
				    const struct saved_report *baseline,
				    const struct report_data *timings, struct cb_error *err)
{
	struct report_data data = *timings, *d = &data;
	/* 17 kB of warnings: on the heap, so colbench runs on a small stack. */
	struct noise *noise = malloc(sizeof(*noise));
	struct saved_report fresh;
	struct sample_set *sets = calloc(d->count + 1, sizeof(*sets));
	struct comparison *comparisons = calloc(d->count + 1, sizeof(*comparisons));
	size_t *missing = calloc(d->count + 1, sizeof(*missing));
	enum report_format file_format;
	enum cb_status st = CB_OK, verdict = CB_OK;
	char *text;

	if (!sets || !comparisons || !noise || !missing) {
		free(sets);
		free(comparisons);
		free(noise);
		free(missing);
		return cb_fail(err, CB_SYSTEM, "out of memory for the report");
	}
	noise_check(&d->info->sys, d->info->m->bytes, d->results, d->count, noise);
	report_warnings(stderr, noise);
	d->noise = noise;
	d->threshold = cfg->threshold;
	if (baseline) {
		fresh_report(d, &fresh, sets);
		d->baseline = cfg->baseline;
		verdict = judge_against(baseline, &fresh, cfg->threshold, cfg->format == FORMAT_TEXT,
					d, comparisons, missing, err);
		if (verdict != CB_OK && verdict != CB_USAGE)
			goto out; /* interrupted, or out of memory */
	}
	if (cfg->format == FORMAT_TEXT && !cfg->quiet)
		report_summary(stdout, d->info, d->results, d->count, d->kernels, d->kernel_count);
	if (cfg->format == FORMAT_TEXT && baseline)
		report_comparisons(stdout, d);
	if (cfg->format != FORMAT_TEXT) {
		text = cfg->format == FORMAT_JSON ? report_json(d) : report_csv(d);
		st = emit(text, NULL, err);
		free(text);
	}
	if (st == CB_OK && cfg->output && cli_output_format(cfg->output, &file_format)) {
		text = file_format == FORMAT_JSON ? report_json(d) : report_csv(d);
		st = emit(text, cfg->output, err);
		free(text);
	}
	if (st == CB_OK && verdict == CB_OK && baseline &&
	    compare_regressed(comparisons, d->comparison_count))
		st = CB_REGRESSED;
out:
	if (st == CB_OK)
		st = verdict; /* nothing compared: said once the report is out */
	free(sets);
	free(comparisons);
	free(noise);
	free(missing);
	return st;
}

/* colbench compare OLD NEW: judge two saved reports, run nothing. */
static enum cb_status compare_files(const struct config *cfg, struct cb_error *err)
{
	struct saved_report old, fresh;
	struct comparison *comparisons;
	size_t *missing;
	struct report_data d = { .baseline = cfg->compare_old, .threshold = cfg->threshold };
	enum cb_status st, verdict;

	if ((st = saved_report_load(cfg->compare_old, &old, err)) != CB_OK)
		return st;
	if ((st = saved_report_load(cfg->compare_new, &fresh, err)) != CB_OK) {
		if (st != CB_INTERRUPTED) /* freeing a huge tree takes long: the exit does it */
			saved_report_free(&old);
		return st;
	}
	comparisons = calloc(fresh.count + 1, sizeof(*comparisons));
	missing = calloc(fresh.count + 1, sizeof(*missing));
	if (!comparisons || !missing) {
		st = cb_fail(err, CB_SYSTEM, "out of memory for the comparison");
		goto out;
	}
	verdict = judge_against(&old, &fresh, cfg->threshold, cfg->format == FORMAT_TEXT, &d,
				comparisons, missing, err);
	if (verdict != CB_OK && verdict != CB_USAGE) {
		st = verdict;
		goto out;
	}
	if (cfg->format == FORMAT_JSON) {
		char *text = report_comparison_json(&d);

		st = emit(text, NULL, err);
		free(text);
	} else if (!cfg->quiet || compare_regressed(comparisons, d.comparison_count)) {
		report_comparisons(stdout, &d);
	}
	if (st == CB_OK && compare_regressed(comparisons, d.comparison_count))
		st = CB_REGRESSED;
	if (st == CB_OK)
		st = verdict;
out:
	free(comparisons);
	free(missing);
	saved_report_free(&old);
	saved_report_free(&fresh);
	return st;
}

/*
 * The whole experiment, once the options are known (cfg's worker counts
 * are fitted to a loaded matrix once its shape is read).
 */
static enum cb_status experiment(struct config *cfg, struct cb_error *err)
{
	struct matrix m;
	struct reference ref = { 0 };
	struct bench_result *results = NULL, *kernel_results = NULL;
	struct saved_report saved, *baseline = NULL;
	struct report_info info = { .seed = cfg->seed, .m = &m, .kernel = cfg->kernel,
				    .hugepages = cfg->hugepages, .pin = cfg->pin };
	struct timespec res;
	enum cb_status st;
	size_t n = 0, kernels_run = 0, kernel_count;
	double t0;

	sysinfo_collect(&info.sys, pin_allowed_cpus());
	if (cfg->baseline) { /* a bad baseline fails before any work */
		if ((st = saved_report_load(cfg->baseline, &saved, err)) != CB_OK)
			return st;
		baseline = &saved;
	}
	clock_getres(CLOCK_MONOTONIC, &res);
	info.clock_resolution = res.tv_sec + res.tv_nsec * 1e-9;
	info.name_width = widest_name(cfg);

	if ((st = build_matrix(cfg, &m, &info, err)) != CB_OK)
		goto tidy_baseline;
	if (cfg->load && (st = cli_fit_workers(cfg, m.rows, m.cols, m.layout, err)) != CB_OK)
		goto tidy_matrix;
	info.huge_bytes = sysinfo_anon_huge_bytes();
	info.page_tables = sysinfo_page_tables();
	/* The reference first: a matrix that cannot be checked (a column whose
	 * values add up past the float64 range) is refused before any work. */
	t0 = monotonic_seconds();
	if ((st = reference_compute(&m, info.sys.usable_cpus, &ref, err)) != CB_OK) {
		if (st == CB_USAGE && cfg->load)
			cb_prefix(err, CB_USAGE, "%s: ", cfg->load);
		goto tidy_matrix;
	}
	info.reference_seconds = monotonic_seconds() - t0;
	if (cfg->save && (st = npy_save_matrix(cfg->save, &m, err)) != CB_OK)
		goto tidy_reference;
	if (!cfg->no_limit && (st = measure_limits(cfg, &m, &info, err)) != CB_OK)
		goto tidy_reference;
	if (cfg->sums && (st = npy_save_vector(cfg->sums, ref.sums, ref.cols, err)) != CB_OK)
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
	if (cfg->format == FORMAT_TEXT && !cfg->quiet)
		report_header(stdout, &info);
	st = run_all(cfg, &m, &ref, &info, results, &n, err);
	if (st == CB_OK || st == CB_VERIFY) {
		/*
		 * The survey informs: a kernel other than the run's own may
		 * exceed the tolerance on a very tall matrix (naive's error
		 * grows with the rows) without the run having failed.
		 */
		enum cb_status more = cfg->quiet ? CB_OK
			: survey_kernels(&m, cfg->pin, &ref, kernel_results, &kernels_run, err);
		struct report_data data = { .info = &info, .results = results, .count = n,
					    .kernels = kernel_results,
					    .kernel_count = kernels_run };

		if (more == CB_OK)
			more = finish_report(cfg, baseline, &data, err);
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
tidy_matrix:
	matrix_free(&m);
tidy_baseline:
	if (baseline)
		saved_report_free(baseline);
	return st;
}

/*
 * Flush stdout and turn a write error (a full disk, a closed pipe) into
 * status 3: a report that did not reach its reader is not a success.
 */
static int finish_output(int status)
{
	int flushed = fflush(stdout) == 0, flush_errno = errno;

	if (!flushed || ferror(stdout)) {
		fprintf(stderr, "colbench: cannot write the report: %s\n",
			flushed ? "an earlier write failed" : strerror(flush_errno));
		return status == CB_OK || status == CB_VERIFY ? CB_SYSTEM : status;
	}
	return status;
}

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

/*
 * The end of every run.  A signal that came is said and re-raised, so that
 * the shell sees colbench die of it (130, 143, ...); stdout is not flushed
 * then, so a reader that stopped reading cannot hold colbench up.  SIGXFSZ
 * (a file past ulimit -f) is status 3, as a full disk is.
 */
static int finish(enum cb_status st, struct cb_error *err)
{
	int sig;

	/* The report drains first: a signal may come while it waits for room
	 * in a pipe, and then it is that signal that ends colbench. */
	if (!interrupt_pending())
		(void)fflush(stdout); /* a failure stays in ferror(stdout) */
	sig = interrupt_pending();
	if (sig == SIGXFSZ) {
		if (st != CB_SYSTEM)
			cb_fail(err, CB_SYSTEM, "stopped by SIGXFSZ: a file reached the "
				"file-size limit (ulimit -f)");
		return complain(CB_SYSTEM, err);
	}
	if (sig) {
		char name[32];

		fprintf(stderr, "colbench: interrupted by %s; every worker was reaped\n",
			interrupt_signal_name(sig, name, sizeof(name)));
		(void)signal(sig, SIG_DFL);
		(void)raise(sig); /* die of the signal: 128 + its number */
		return 128 + sig;
	}
	if (st == CB_USAGE || st == CB_SYSTEM || st == CB_INTERRUPTED)
		return complain(st, err);
	return finish_output(st);
}

int main(int argc, char **argv)
{
	static struct config cfg; /* static: colbench must start on a 32 kB stack */
	static struct cb_error err;
	enum cli_action action;
	enum cb_status st;

	threads_set_stack_floor();
	interrupt_install();
	stdout_stream_install();
	/* A closed pipe is a write error (status 3), not a silent death. */
	(void)signal(SIGPIPE, SIG_IGN);
	pin_allowed_cpus(); /* read the CPU set before any worker is pinned */
	st = cli_parse(argc, argv, &cfg, &action, &err);
	if (st != CB_OK)
		return complain(st, &err);
	if (action == CLI_HELP) {
		cli_help(stdout);
		return finish_output(CB_OK);
	}
	if (action == CLI_VERSION) {
		printf("colbench %s\n", COLBENCH_VERSION);
		return finish_output(CB_OK);
	}
	if (action == CLI_COMPARE)
		st = compare_files(&cfg, &err);
	else if (cfg.mpi)
		st = mpi_experiment(&cfg, &err); /* checks the files on every rank */
	else if ((st = check_files(&cfg, &err)) == CB_OK)
		st = experiment(&cfg, &err);
	return finish(st, &err);
}

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

#include "bench.h"
#include "cli.h"
#include "interrupt.h"
#include "matrix.h"
#include "report.h"
#include "sysinfo.h"
#include "verify.h"

/* Print "colbench: msg" on stderr and return status. */
static enum cb_status complain(enum cb_status status, const struct cb_error *err)
{
	fprintf(stderr, "colbench: %s\n", err->msg);
	return status;
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
			enum cb_status st = bench_run(s, cfg->workers[w], m, ref, &timing, r, err);

			if (st != CB_OK) {
				bench_result_free(r);
				return st;
			}
			(*n)++;
			report_timeit_line(stdout, r, info->name_width);
			if (!r->verdict.ok) {
				fprintf(stderr, "colbench: %s with %u worker%s: column %zu sums to %.17g, "
					"the reference is %.17g (relative error %.1e > %.0e)\n",
					s->name, r->workers, r->workers == 1 ? "" : "s",
					r->verdict.bad_col, r->bad_sum, ref->sums[r->verdict.bad_col],
					r->verdict.max_rel_error, VERIFY_TOLERANCE);
				status = CB_VERIFY;
			}
		}
	}
	return status;
}

/* The whole experiment, once the options are known. */
static enum cb_status experiment(const struct config *cfg, struct cb_error *err)
{
	struct matrix m;
	struct reference ref = { 0 };
	struct bench_result *results = NULL;
	struct report_info info = { .seed = cfg->seed, .m = &m };
	char cpu_model[128];
	struct timespec res;
	enum cb_status st;
	size_t n = 0;
	double t0;

	info.cpus = sysinfo_online_cpus();
	sysinfo_cpu_model(cpu_model, sizeof(cpu_model));
	info.cpu_model = cpu_model;
	clock_getres(CLOCK_MONOTONIC, &res);
	info.clock_resolution = res.tv_sec + res.tv_nsec * 1e-9;
	info.name_width = widest_name(cfg);

	if ((st = matrix_alloc(&m, cfg->rows, cfg->cols, cfg->layout, err)) != CB_OK)
		return st;
	t0 = monotonic_seconds();
	if ((st = matrix_generate(&m, cfg->seed, info.cpus, err)) != CB_OK)
		goto tidy_matrix;
	info.generate_seconds = monotonic_seconds() - t0;
	t0 = monotonic_seconds();
	if ((st = reference_compute(&m, info.cpus, &ref, err)) != CB_OK)
		goto tidy_matrix;
	info.reference_seconds = monotonic_seconds() - t0;
	if (interrupt_pending()) {
		st = cb_fail(err, CB_INTERRUPTED, "interrupted");
		goto tidy_reference;
	}

	results = calloc(cfg->strategy_count * cfg->worker_count, sizeof(*results));
	if (!results) {
		st = cb_fail(err, CB_SYSTEM, "out of memory for the results");
		goto tidy_reference;
	}
	if (!cfg->quiet)
		report_header(stdout, &info);
	st = run_all(cfg, &m, &ref, &info, results, &n, err);
	if ((st == CB_OK || st == CB_VERIFY) && !cfg->quiet)
		report_summary(stdout, &info, results, n);

	for (size_t i = 0; i < n; i++)
		bench_result_free(&results[i]);
	free(results);
tidy_reference:
	reference_free(&ref);
tidy_matrix:
	matrix_free(&m);
	return st;
}

/*
 * Flush stdout and turn a write error (a full disk, a closed pipe) into
 * status 3: a report that did not reach its reader is not a success.
 */
static int finish_output(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "colbench: cannot write the report: %s\n", strerror(errno));
		return status == CB_OK || status == CB_VERIFY ? CB_SYSTEM : status;
	}
	return status;
}

int main(int argc, char **argv)
{
	struct config cfg;
	struct cb_error err = { "" };
	enum cli_action action;
	enum cb_status st;

	interrupt_install();
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
	st = experiment(&cfg, &err);
	if (st == CB_INTERRUPTED || interrupt_pending()) {
		int sig = interrupt_pending();

		fprintf(stderr, "colbench: interrupted by %s; every worker was reaped\n",
			sig == SIGTERM ? "SIGTERM" : "SIGINT");
		fflush(stdout);
		signal(sig, SIG_DFL);
		raise(sig); /* die of the signal, so the shell sees 130 or 143 */
		return 128 + sig;
	}
	if (st == CB_USAGE || st == CB_SYSTEM)
		return complain(st, &err);
	return finish_output(st);
}

/*
 * report_csv.c - the report as CSV: one header row, then one row per
 * strategy and worker count.  The first columns are hyperfine's, as its
 * --export-csv writes them (src/export/csv.rs): command, mean, stddev (the
 * sample standard deviation; 0 under two runs, as hyperfine writes it),
 * median, user, system, min, max, in seconds per loop, user and system the
 * CPU time of colbench and all its workers; then parameter_strategy and
 * parameter_workers for the dimensions a scan varies (model.h).
 * colbench's own columns follow.  Every number is written with 17
 * significant digits, enough to read back the same double.  The floors
 * (measure/floors.h) close each row: a process strategy's cost above
 * the threads reference (model.h), its fork floor, and the write
 * bandwidth.  Column names are a saved format: above_pthread_seconds
 * keeps the name it had when the reference was pthread by name.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

/* A double that reads back the same, then the comma; empty when absent. */
static void cell(FILE *out, bool present, double x)
{
	if (present && isfinite(x))
		fprintf(out, "%.17g", x);
	fputc(',', out);
}

char *report_csv(const struct report_data *d)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	unsigned vary = report_parameters(d->results, d->count);

	if (!out)
		return NULL;
	fputs("command,mean,stddev,median,user,system,min,max,", out);
	if (vary & REPORT_PARAM_STRATEGY)
		fputs("parameter_strategy,", out);
	if (vary & REPORT_PARAM_WORKERS)
		fputs("parameter_workers,", out);
	fputs("strategy,workers,kernel,loops,runs,gbps,speedup,startup,wind_down,max_rel_error,verified,"
	      "limit_fraction,stddev_population,above_pthread_seconds,fork_floor_seconds,"
	      "write_gbps\n", out);
	for (size_t i = 0; i < d->count; i++) {
		const struct bench_result *r = &d->results[i];
		const struct result_figures *f = &d->figures[i];
		double stddev = isnan(r->time.std_sample) ? 0 : r->time.std_sample;

		/* No field holds a comma or a quote, so none needs quoting. */
		fprintf(out, "%s --workers %u,", r->strategy->name, r->workers);
		cell(out, true, r->time.mean);
		cell(out, true, stddev);
		cell(out, true, r->time.median);
		cell(out, true, r->user);
		cell(out, true, r->system);
		cell(out, true, r->time.min);
		cell(out, true, r->time.max);
		if (vary & REPORT_PARAM_STRATEGY)
			fprintf(out, "%s,", r->strategy->name);
		if (vary & REPORT_PARAM_WORKERS)
			fprintf(out, "%u,", r->workers);
		fprintf(out, "%s,%u,%s,%u,%u,", r->strategy->name, r->workers, r->kernel->name,
			r->loops, r->runs);
		cell(out, true, f->gbps);
		cell(out, f->has_speedup, f->speedup);
		cell(out, strategy_has_startup(r->strategy), r->startup);
		cell(out, strategy_has_startup(r->strategy), r->wind_down);
		cell(out, true, r->verdict.max_rel_error);
		fprintf(out, "%s,", r->verdict.ok ? "true" : "false");
		cell(out, f->has_limit, f->limit_share);
		cell(out, true, r->time.std);
		cell(out, f->has_above, f->above_reference);
		cell(out, f->has_fork_floor, f->fork_floor);
		if (d->info->write_gbps > 0) /* the matrix's, the same on every row */
			fprintf(out, "%.17g", d->info->write_gbps);
		fputc('\n', out);
	}
	if (fclose(out) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

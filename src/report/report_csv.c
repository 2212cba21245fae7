/*
 * report_csv.c - the report as CSV: one header row, then one row per
 * strategy and worker count.  The first columns are hyperfine's
 * (command,mean,stddev,median,user,system,min,max: seconds per loop, user
 * and system the CPU time of colbench and its workers), colbench's follow.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

char *report_csv(const struct report_data *d)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	if (!out)
		return NULL;
	fprintf(out, "command,mean,stddev,median,user,system,min,max,strategy,workers,kernel,"
		     "loops,runs,gbps,speedup,startup,max_rel_error,verified,limit_fraction\n");
	for (size_t i = 0; i < d->count; i++) {
		const struct bench_result *r = &d->results[i];
		const struct result_figures *f = &d->figures[i];
		/* No field holds a comma or a quote, so none needs quoting. */
		fprintf(out, "%s --workers %u,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%s,%u,%s,%u,%u,%.6g,",
			r->strategy->name, r->workers, r->time.mean, r->time.std, r->time.median,
			r->user, r->system, r->time.min, r->time.max, r->strategy->name,
			r->workers, r->kernel->name, r->loops, r->runs, f->gbps);
		if (f->has_speedup)
			fprintf(out, "%.6g", f->speedup);
		fputc(',', out);
		if (r->strategy->parallel)
			fprintf(out, "%.9g", r->startup);
		fprintf(out, ",%.3g,%s,", r->verdict.max_rel_error, r->verdict.ok ? "true" : "false");
		if (f->has_limit)
			fprintf(out, "%.6g", f->limit_share);
		fputc('\n', out);
	}
	if (fclose(out) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

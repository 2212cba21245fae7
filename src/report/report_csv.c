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
	double seq_min = 0;

	if (!out)
		return NULL;
	for (size_t i = 0; i < d->count; i++)
		if (strcmp(d->results[i].strategy->name, "seq") == 0)
			seq_min = d->results[i].time.min;
	fprintf(out, "command,mean,stddev,median,user,system,min,max,strategy,workers,kernel,"
		     "loops,runs,gbps,speedup,startup,max_rel_error,verified,limit_fraction\n");
	for (size_t i = 0; i < d->count; i++) {
		const struct bench_result *r = &d->results[i];
		double gbps = d->info->m->bytes / 1e9 / r->time.min;
		double cap = report_limit(d->info, r->workers);
		/* No field holds a comma or a quote, so none needs quoting. */
		fprintf(out, "%s --workers %u,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%s,%u,%s,%u,%u,%.6g,",
			r->strategy->name, r->workers, r->time.mean, r->time.std, r->time.median,
			r->user, r->system, r->time.min, r->time.max, r->strategy->name,
			r->workers, r->kernel->name, r->loops, r->runs, gbps);
		if (seq_min > 0)
			fprintf(out, "%.6g", seq_min / r->time.min);
		fputc(',', out);
		if (r->strategy->parallel)
			fprintf(out, "%.9g", r->startup);
		fprintf(out, ",%.3g,%s,", r->verdict.max_rel_error, r->verdict.ok ? "true" : "false");
		if (cap > 0)
			fprintf(out, "%.6g", gbps / cap);
		fputc('\n', out);
	}
	if (fclose(out) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

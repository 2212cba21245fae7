/*
 * report_markdown.c - the report as Markdown tables, for a pull request or
 * a CI job's summary (see report.h).
 *
 * The results table is hyperfine's --export-markdown (src/export/markup.rs):
 * one unit for the whole table, chosen by the first result's mean (s from a
 * second, ms from a millisecond, else µs; 3 decimals in s, 1 in ms and µs),
 * mean ± the sample standard deviation, min, max, and the speed relative to
 * the fastest mean, ± its spread propagated from both means' (independent)
 * deviations.  colbench's own columns follow: GB/s and the verification.
 * Pipes in a cell are escaped, so a table renders on a code-hosting site.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "version.h"
#include "report/report.h"

/* hyperfine's units: a scale and its short name. */
struct unit {
	double scale;
	const char *name;
	int decimals;
};

static struct unit unit_of(double seconds)
{
	if (seconds < 0.001)
		return (struct unit){ 1e6, "µs", 1 };
	if (seconds < 1.0)
		return (struct unit){ 1e3, "ms", 1 };
	return (struct unit){ 1, "s", 3 };
}

/* s with every '|' escaped, so that it stays in its cell. */
static void cell_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputc('\\', out);
		fputc(*s, out);
	}
}

/* The machine's floors (measure/floors.h), when measured: one line. */
static void describe_floors(FILE *out, const struct report_info *info)
{
	char span[32];

	if (info->limit_count == 0 && info->write_gbps <= 0 && info->fork_floor_count == 0)
		return;
	fputs("Floors:", out);
	for (size_t i = 0; i < info->limit_count; i++)
		fprintf(out, "%s %.1f GB/s with %u worker%s (%s)", i ? "," : " read",
			info->limits[i].gbps, info->limits[i].workers,
			info->limits[i].workers == 1 ? "" : "s",
			limit_pattern_name(info->limits[i].pattern));
	if (info->write_gbps > 0)
		fprintf(out, "%s write %.1f GB/s (the generator %.1f GB/s)", info->limit_count ? ";" : "",
			info->write_gbps, report_gbps(info, info->generate_seconds));
	for (size_t i = 0; i < info->fork_floor_count; i++)
		fprintf(out, "%s %s for %u worker%s", i ? "," : "; fork and reap",
			report_timespan(info->fork_floors[i].seconds, 3, span, sizeof(span)),
			info->fork_floors[i].workers, info->fork_floors[i].workers == 1 ? "" : "s");
	fputs("\n\n", out);
}

/* The line above the tables: what was summed, where, and how sampled. */
static void describe(FILE *out, const struct report_data *d)
{
	const struct report_info *info = d->info;
	const struct matrix *m = info->m;

	fprintf(out, "**colbench %s**: %zu x %zu float64 (layout %c, ", COLBENCH_VERSION, m->rows,
		m->cols, m->layout == LAYOUT_F ? 'f' : 'c');
	if (info->load) {
		fputs("from ", out);
		cell_text(out, info->load);
	} else {
		fprintf(out, "seed %llu", (unsigned long long)info->seed);
	}
	fputs(") on ", out);
	cell_text(out, info->sys.cpu_model);
	fprintf(out, ", %u CPUs; %u process%s x %u runs\n\n", info->sys.usable_cpus,
		info->processes > 1 ? info->processes : 1, info->processes > 1 ? "es" : "",
		info->processes > 1 ? info->runs_per_process : (d->count ? d->results[0].runs : 0));
	describe_floors(out, info);
}

/* hyperfine's relative speed of r against the fastest mean, and its spread (NAN: none). */
static void relative(const struct bench_result *r, const struct bench_result *fastest,
		     double *ratio, double *spread)
{
	double a = r->time.std_sample / r->time.mean;
	double b = fastest->time.std_sample / fastest->time.mean;

	*ratio = r->time.mean / fastest->time.mean;
	*spread = r == fastest ? NAN : *ratio * sqrt(a * a + b * b);
}

static void results_table(FILE *out, const struct report_data *d)
{
	const struct bench_result *fastest = &d->results[0];
	struct unit u = unit_of(d->results[0].time.mean);

	for (size_t i = 1; i < d->count; i++)
		if (d->results[i].time.mean < fastest->time.mean)
			fastest = &d->results[i];
	fprintf(out, "| Command | Mean [%s] | Min [%s] | Max [%s] | Relative | GB/s | Verified |\n",
		u.name, u.name, u.name);
	fputs("|:---|---:|---:|---:|---:|---:|:---|\n", out);
	for (size_t i = 0; i < d->count; i++) {
		const struct bench_result *r = &d->results[i];
		double ratio, spread;

		relative(r, fastest, &ratio, &spread);
		fprintf(out, "| `%s --workers %u` | %.*f", r->strategy->name, r->workers,
			u.decimals, r->time.mean * u.scale);
		if (isfinite(r->time.std_sample))
			fprintf(out, " ± %.*f", u.decimals, r->time.std_sample * u.scale);
		fprintf(out, " | %.*f | %.*f | %.2f", u.decimals, r->time.min * u.scale, u.decimals,
			r->time.max * u.scale, ratio);
		if (isfinite(spread))
			fprintf(out, " ± %.2f", spread);
		fprintf(out, " | %.1f | %s |\n", d->figures[i].gbps,
			r->verdict.ok ? "yes" : "**no**");
	}
}

/* A relative change as "+3.1%" (or ±inf). */
static void change_text(FILE *out, double x)
{
	if (isfinite(x))
		fprintf(out, "%+.1f%%", 100 * x);
	else
		fputs(x > 0 ? "+inf" : "-inf", out);
}

static void verdicts_table(FILE *out, const struct report_data *d)
{
	fputs("Against the baseline `", out);
	cell_text(out, d->baseline);
	fprintf(out, "` (threshold %.1f%%, drift %.1f%%; each process's median, disturbed "
		"processes left out):\n\n", d->rule.threshold, d->rule.drift);
	fputs("| Strategy | Workers | Old mean | New mean | Processes | Change | 95% interval "
	      "| Verdict |\n", out);
	fputs("|:---|---:|---:|---:|---:|---:|:---|:---|\n", out);
	for (size_t i = 0; i < d->comparison_count; i++) {
		const struct comparison *c = &d->comparisons[i];
		char old[32], fresh[32];
		bool failed = c->verdict == VERDICT_REGRESSED || c->verdict == VERDICT_INCONCLUSIVE ||
			      c->verdict == VERDICT_FAILED;

		fprintf(out, "| %s | %u | %s | %s | %u/%u | ", c->strategy, c->workers,
			report_timespan(c->old.mean, 3, old, sizeof(old)),
			report_timespan(c->new.mean, 3, fresh, sizeof(fresh)),
			c->old.processes - c->old.disturbed, c->new.processes - c->new.disturbed);
		if (isnan(c->change)) {
			fputs("- | - | ", out);
		} else {
			change_text(out, c->change);
			fputs(" | [", out);
			change_text(out, c->ci_low);
			fputs(", ", out);
			change_text(out, c->ci_high);
			fputs("] | ", out);
		}
		fprintf(out, "%s%s%s", failed ? "**" : "", verdict_name(c->verdict), failed ? "**" : "");
		if (c->reason)
			fprintf(out, " (%s)", c->reason);
		fputs(" |\n", out);
	}
	if (d->comparison_count == 0)
		fputs("| (no strategy and worker count in common with the baseline) | | | | | | | |\n",
		      out);
}

/* Run body(out, d) into a malloc'd string. */
static char *render(const struct report_data *d, void (*body)(FILE *, const struct report_data *))
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	if (!out)
		return NULL;
	body(out, d);
	if (fclose(out) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

static void whole_report(FILE *out, const struct report_data *d)
{
	describe(out, d);
	if (d->count > 0)
		results_table(out, d);
	if (d->baseline) {
		fputc('\n', out);
		verdicts_table(out, d);
	}
}

char *report_markdown(const struct report_data *d)
{
	return render(d, whole_report);
}

char *report_comparison_markdown(const struct report_data *d)
{
	return render(d, verdicts_table);
}

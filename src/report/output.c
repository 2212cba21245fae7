/*
 * output.c - the report leaves colbench (see output.h).
 */
#include "report/output.h"

#include "os/build_id.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "version.h"
#include "os/atomic_file.h"
#include "report/noise.h"

/* Say which result failed verification, where and by how much. */
void report_mismatch(const struct bench_result *r, const struct reference *ref)
{
	if (r->strategy->distributed) { /* the job's worst: no one column to name */
		fprintf(stderr, "colbench: %s: a rank's column sums differ from its reference "
			"(relative error %.1e > %.0e)\n", r->strategy->name,
			r->verdict.max_rel_error, VERIFY_TOLERANCE);
		return;
	}
	fprintf(stderr, "colbench: %s with %u worker%s and the %s kernel: column %zu sums "
		"to %.17g, the reference is %.17g (relative error %.1e > %.0e)\n",
		r->strategy->name, r->workers, r->workers == 1 ? "" : "s",
		r->kernel->name, r->verdict.bad_col, r->bad_sum,
		ref->sums[r->verdict.bad_col], r->verdict.max_rel_error,
		VERIFY_TOLERANCE);
}

void report_as_saved(const struct report_data *d, struct saved_report *fresh,
		     struct sample_set *sets, bool *disturbed)
{
	const struct report_info *info = d->info;
	char source[160];

	*fresh = (struct saved_report){ .count = d->count, .results = sets };
	for (size_t i = 0; i < d->count; i++) {
		const struct bench_result *r = &d->results[i];

		for (unsigned k = 0; k < r->runs; k++)
			disturbed[k] = r->disturbance[k].disturbed;
		sets[i] = (struct sample_set){ .workers = r->workers, .mean = r->time.mean,
					       .times = r->per_loop, .process = r->process,
					       .disturbed = disturbed, .runs = r->runs,
					       .failed = r->verdict.ok ? RUNS_OK : RUNS_UNVERIFIED };
		disturbed += r->runs;
		snprintf(sets[i].strategy, sizeof(sets[i].strategy), "%s", r->strategy->name);
		snprintf(sets[i].kernel, sizeof(sets[i].kernel), "%s", r->kernel->name);
	}
	snprintf(fresh->version, sizeof(fresh->version), "%s", COLBENCH_VERSION);
	snprintf(fresh->commit, sizeof(fresh->commit), "%s", build_commit());
	if (info->load)
		snprintf(source, sizeof(source), "%s", info->load);
	else
		snprintf(source, sizeof(source), "seed %llu", (unsigned long long)info->seed);
	describe_matrix(fresh, info->m->rows, info->m->cols, info->m->layout == LAYOUT_F ? 'f' : 'c',
			"float64", source, info->load != NULL);
	describe_system(fresh->system, sizeof(fresh->system), info->sys.cpu_model,
			info->sys.online_cpus, info->sys.kernel);
	for (size_t i = 0; i < info->limit_count && i < COMPARE_MAX_LIMITS; i++)
		fresh->limits[fresh->limit_count++] = (struct saved_limit){
			info->limits[i].workers, report_limit_typical(info, i) };
}

/* Say how two reports differ in their matrix, colbench or machine: the
 * first two make every verdict inconclusive (compare.h), which the
 * verdicts say, even under -q; this is the detail. */
static void warn_if_unlike(const struct saved_report *old, const struct saved_report *fresh)
{
	if (strcmp(old->matrix, fresh->matrix) != 0)
		fprintf(stderr, "colbench: warning: the matrices differ: %s (baseline), %s (now)\n",
			old->matrix, fresh->matrix);
	if (old->version[0] && fresh->version[0] && strcmp(old->version, fresh->version) != 0)
		fprintf(stderr, "colbench: warning: the colbench versions differ: %s (baseline), "
			"%s (now)\n", old->version, fresh->version);
	if (strcmp(old->system, fresh->system) != 0)
		fprintf(stderr, "colbench: warning: the systems differ: %s (baseline), %s (now)\n",
			old->system, fresh->system);
	/* Another build is what a gate compares; said, so that a verdict is
	 * read as the change between those two builds. */
	if (old->commit[0] && fresh->commit[0] && strcmp(old->commit, fresh->commit) != 0)
		fprintf(stderr, "colbench: note: the reports come from different builds: %s "
			"(baseline), %s (now)\n", old->commit, fresh->commit);
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
		if (c[k].verdict == VERDICT_FAILED)
			fprintf(stderr, "colbench: %s with %u workers: failed: %s\n", c[k].strategy,
				c[k].workers, c[k].reason);
	for (size_t k = 0; k < d->comparison_count; k++)
		if (c[k].verdict == VERDICT_INCONCLUSIVE)
			fprintf(stderr, "colbench: warning: %s with %u workers: inconclusive: %s "
				"(baseline: %u of %u processes disturbed, %.1f GB/s; new: %u of %u, "
				"%.1f GB/s)\n", c[k].strategy, c[k].workers, c[k].reason,
				c[k].old.disturbed, c[k].old.processes, c[k].old_gbps,
				c[k].new.disturbed, c[k].new.processes, c[k].new_gbps);
	for (size_t k = 0; !text && k < d->comparison_count; k++)
		if (c[k].verdict == VERDICT_REGRESSED)
			fprintf(stderr, "colbench: %s with %u workers regressed: %+.1f%% "
				"(95%% interval %+.1f%% to %+.1f%%)\n", c[k].strategy, c[k].workers,
				100 * c[k].change, 100 * c[k].ci_low, 100 * c[k].ci_high);
}

/* The whole report in a file format (not text); malloc'd, NULL when out of memory. */
static char *render(const struct report_data *d, enum report_format f)
{
	if (f == FORMAT_JSON)
		return report_json(d);
	return f == FORMAT_CSV ? report_csv(d) : report_markdown(d);
}

/* The status a set of verdicts gives: a regression or a failed new run
 * (1) outranks an inconclusive pair (5), which outranks passing. */
static enum cb_status verdicts_status(const struct comparison *c, size_t n)
{
	if (compare_regressed(c, n) || compare_failed(c, n))
		return CB_REGRESSED;
	return compare_inconclusive(c, n) ? CB_INCONCLUSIVE : CB_OK;
}

/*
 * Compare fresh with the baseline old into d: its comparisons (room for
 * fresh->count in c) and the results old lacks (room for as many in
 * missing), with the warnings on stderr.  CB_USAGE when nothing could be
 * compared: a gate that judged nothing must not pass; the caller still
 * writes its report first.
 */
static enum cb_status judge_against(const struct saved_report *old,
				    const struct saved_report *fresh,
				    const struct report_request *req, struct report_data *d,
				    struct comparison *c, size_t *missing, struct cb_error *err)
{
	enum cb_status st = compare_reports(old, fresh, &req->rule, c, &d->comparison_count, err);

	if (st != CB_OK)
		return st;
	compare_check_width(c, d->comparison_count, &req->rule);
	d->comparisons = c;
	d->fresh = fresh;
	d->missing = missing;
	d->missing_count = compare_not_in_baseline(fresh, c, d->comparison_count, missing);
	if (!req->quiet) /* a note, not a failure: -q leaves it to the report */
		warn_if_unlike(old, fresh);
	explain_comparison(d, req->format == FORMAT_TEXT);
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

enum cb_status report_finish(const struct report_request *req,
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
	struct result_figures *figures = calloc(d->count + 1, sizeof(*figures));
	enum cb_status st = CB_OK, verdict = CB_OK;
	bool *disturbed = NULL;
	char *text;

	if (!sets || !comparisons || !noise || !missing || !figures) {
		free(sets);
		free(comparisons);
		free(noise);
		free(missing);
		free(figures);
		return cb_fail(err, CB_SYSTEM, "out of memory for the report");
	}
	report_figures(d->info, d->results, d->count, figures);
	d->figures = figures;
	noise_check(&d->info->sys, d->info->m->bytes, d->results, d->count, noise);
	noise_check_limits(d->results, figures, d->count, noise);
	if (!req->quiet) /* -q: the %timeit lines and failures; the JSON keeps them */
		report_warnings(stderr, noise);
	d->noise = noise;
	d->rule = req->rule;
	d->label = req->label;
	if (baseline) {
		size_t runs = 0;

		for (size_t i = 0; i < d->count; i++)
			runs += d->results[i].runs;
		if (!(disturbed = calloc(runs + 1, sizeof(*disturbed)))) {
			st = cb_fail(err, CB_SYSTEM, "out of memory for the report");
			goto out;
		}
		report_as_saved(d, &fresh, sets, disturbed);
		d->baseline = req->baseline;
		verdict = judge_against(baseline, &fresh, req, d, comparisons, missing, err);
		if (verdict != CB_OK && verdict != CB_USAGE)
			goto out; /* interrupted, or out of memory */
	}
	if (req->format == FORMAT_TEXT && !req->quiet)
		report_summary(stdout, d);
	if (req->format == FORMAT_TEXT && baseline)
		report_comparisons(stdout, d);
	if (req->format != FORMAT_TEXT) {
		text = render(d, req->format);
		st = emit(text, NULL, err);
		free(text);
	}
	for (size_t i = 0; st == CB_OK && i < REPORT_FILES; i++)
		if (req->files[i].path) {
			text = render(d, req->files[i].format);
			st = emit(text, req->files[i].path, err);
			free(text);
		}
	if (st == CB_OK && verdict == CB_OK && baseline)
		st = verdicts_status(comparisons, d->comparison_count);
out:
	if (st == CB_OK)
		st = verdict; /* nothing compared: said once the report is out */
	free(disturbed);
	free(sets);
	free(comparisons);
	free(noise);
	free(missing);
	free(figures);
	return st;
}

enum cb_status report_compare_files(const char *old_path, const char *new_path,
				    const struct report_request *req, struct cb_error *err)
{
	struct saved_report old, fresh;
	struct comparison *comparisons;
	size_t *missing;
	struct report_data d = { .baseline = old_path, .rule = req->rule };
	enum cb_status st, verdict;

	if ((st = saved_report_load(old_path, &old, err)) != CB_OK)
		return st;
	if ((st = saved_report_load(new_path, &fresh, err)) != CB_OK) {
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
	verdict = judge_against(&old, &fresh, req, &d, comparisons, missing, err);
	if (verdict != CB_OK && verdict != CB_USAGE) {
		st = verdict;
		goto out;
	}
	if (req->format == FORMAT_JSON || req->format == FORMAT_MARKDOWN) {
		char *text = req->format == FORMAT_JSON ? report_comparison_json(&d)
							: report_comparison_markdown(&d);

		st = emit(text, NULL, err);
		free(text);
	} else if (!req->quiet || verdicts_status(comparisons, d.comparison_count) != CB_OK) {
		report_comparisons(stdout, &d);
	}
	if (st == CB_OK && verdict == CB_OK)
		st = verdicts_status(comparisons, d.comparison_count);
	if (st == CB_OK)
		st = verdict;
out:
	free(comparisons);
	free(missing);
	saved_report_free(&old);
	saved_report_free(&fresh);
	return st;
}

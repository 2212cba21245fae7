/*
 * report_json.c - the report as one JSON document, built as a tree with
 * jansson and printed once (after fio's JSON output).
 *
 * It is a superset of hyperfine's --export-json: "results" holds one object
 * per strategy and worker count with hyperfine's command, mean, stddev,
 * median, user, system, min, max, times, memory_usage_byte, exit_codes and
 * parameters, with hyperfine's meanings (seconds per loop), so hyperfine's
 * analysis scripts read it; colbench's own fields follow.
 * Reading a saved report back (a baseline, colbench compare) is at the
 * end of this file: the schema is written and read side by side.
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "version.h"
#include "os/atomic_file.h"
#include "os/interrupt.h"
#include "kernels/kernels.h"
#include "measure/limit.h"
#include "report/report.h"
#include "measure/verify.h"

/* A number, or null when it is not finite (JSON has no inf or NaN). */
static json_t *number(double x)
{
	return isfinite(x) ? json_real(x) : json_null();
}

static json_t *matrix_object(const struct report_info *info)
{
	const struct matrix *m = info->m;
	json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:I}", "rows", (json_int_t)m->rows,
			      "cols", (json_int_t)m->cols, "layout",
			      m->layout == LAYOUT_F ? "f" : "c", "dtype", "float64", "bytes",
			      (json_int_t)m->bytes);

	if (info->load) {
		json_object_set_new(o, "source", json_string(info->load));
		json_object_set_new(o, "file_dtype", json_string(info->npy.header.descr));
		json_object_set_new(o, "mapped", json_boolean(info->npy.mapped));
	} else {
		char seed[24];

		/* jansson's integers are signed 64-bit: larger seeds go as text. */
		snprintf(seed, sizeof(seed), "%llu", (unsigned long long)info->seed);
		json_object_set_new(o, "seed", info->seed <= INT64_MAX
					       ? json_integer((json_int_t)info->seed)
					       : json_string(seed));
	}
	return o;
}

static json_t *system_object(const struct system_info *s)
{
	json_t *o = json_pack("{s:s, s:i, s:i, s:s, s:s, s:s, s:s, s:s}", "cpu_model",
			      s->cpu_model, "online_cpus", (int)s->online_cpus, "usable_cpus",
			      (int)s->usable_cpus, "kernel", s->kernel, "transparent_hugepages",
			      s->thp, "compiler", s->compiler, "cflags", s->cflags, "date",
			      s->date);

	json_object_set_new(o, "cpufreq_governor",
			    s->governor[0] ? json_string(s->governor) : json_null());
	json_object_set_new(o, "load_average", s->load1 >= 0 ? json_real(s->load1) : json_null());
	json_object_set_new(o, "last_level_cache_bytes",
			    s->llc_bytes ? json_integer((json_int_t)s->llc_bytes) : json_null());
	json_object_set_new(o, "last_level_cache_source",
			    s->llc_bytes ? json_string(s->llc_source) : json_null());
	return o;
}

/* The warnings about result `index` (-1: about the whole run). */
static json_t *warnings_array(const struct noise *noise, long index)
{
	json_t *a = json_array();

	for (size_t i = 0; noise && i < noise->count; i++)
		if (noise->warning[i].result == index)
			json_array_append_new(a, json_string(noise->warning[i].text));
	return a;
}

/* Which process each run came from. */
static json_t *run_processes(const struct bench_result *r)
{
	json_t *a = json_array();

	for (unsigned i = 0; i < r->runs; i++)
		json_array_append_new(a, json_integer(r->process[i]));
	return a;
}

/* The floors (measure/floors.h): null where not measured.  "fork" is the
 * fork floor, the kernel's cost of fork(2) and reaping, for any process
 * strategy that forks in its calls: a saved field name, not a strategy. */
static json_t *floors_object(const struct report_info *info)
{
	json_t *fork_floors = json_array();

	for (size_t i = 0; i < info->fork_floor_count; i++)
		json_array_append_new(fork_floors, json_pack("{s:i, s:o}", "workers",
			(int)info->fork_floors[i].workers, "seconds",
			number(info->fork_floors[i].seconds)));
	return json_pack("{s:o, s:o, s:o, s:o}", "write_gbps", info->write_gbps > 0
			 ? number(info->write_gbps) : json_null(), "write_threads",
			 info->write_gbps > 0 ? json_integer(info->write_threads) : json_null(),
			 "generate_gbps", info->write_gbps > 0 && info->generate_seconds > 0
			 ? number(report_gbps(info, info->generate_seconds)) : json_null(),
			 "fork", fork_floors);
}

/* hyperfine's parameters of result r: the values of the dimensions that
 * vary across the report (report_parameters), as strings; NULL: none. */
static json_t *parameters_object(const struct bench_result *r, unsigned vary)
{
	json_t *o;
	char workers[16];

	if (!vary)
		return NULL;
	o = json_object();
	snprintf(workers, sizeof(workers), "%u", r->workers);
	if (vary & REPORT_PARAM_STRATEGY)
		json_object_set_new(o, "strategy", json_string(r->strategy->name));
	if (vary & REPORT_PARAM_WORKERS)
		json_object_set_new(o, "workers", json_string(workers));
	return o;
}

/* How much other work each run met (see measure/disturbance.h). */
static json_t *run_disturbances(const struct bench_result *r)
{
	json_t *a = json_array();

	for (unsigned i = 0; i < r->runs; i++) {
		const struct disturbance *d = &r->disturbance[i];

		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:o, s:o, s:b}", "wall",
			number(d->wall), "own_cpu", number(d->own), "others_cpu", number(d->others),
			"stolen", number(d->stolen), "preempted", number(d->preempted),
			"disturbed", d->disturbed));
	}
	return a;
}

/*
 * One result: hyperfine's fields first, with hyperfine's meanings
 * (src/benchmark/benchmark_result.rs): stddev the sample standard
 * deviation, null under two runs; user and system per loop, every worker
 * included; memory_usage_byte per run; exit_codes per run; parameters
 * when the report is a scan.  colbench's own fields follow.
 */
static json_t *result_object(const struct report_data *d, size_t index, unsigned vary)
{
	const struct bench_result *r = &d->results[index];
	const struct result_figures *f = &d->figures[index];
	json_t *times = json_array(), *codes = json_array(), *memory = json_array(), *o, *params;
	char command[64];

	for (unsigned i = 0; i < r->runs; i++) {
		json_array_append_new(times, json_real(r->per_loop[i]));
		json_array_append_new(memory, json_integer((json_int_t)r->memory[i]));
		json_array_append_new(codes, json_integer(r->verdict.ok ? 0 : 1));
	}
	snprintf(command, sizeof(command), "%s --workers %u", r->strategy->name, r->workers);
	o = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "command",
		      command, "mean", number(r->time.mean), "stddev",
		      number(r->time.std_sample), "median", number(r->time.median), "user",
		      number(r->user), "system", number(r->system), "min", number(r->time.min),
		      "max", number(r->time.max), "times", times, "memory_usage_byte", memory,
		      "exit_codes", codes);
	if ((params = parameters_object(r, vary)))
		json_object_set_new(o, "parameters", params);
	/* %timeit's figure, the population's, which the text report prints. */
	json_object_set_new(o, "stddev_population", number(r->time.std));
	json_object_set_new(o, "strategy", json_string(r->strategy->name));
	json_object_set_new(o, "workers", json_integer(r->workers));
	json_object_set_new(o, "kernel", json_string(r->kernel->name));
	json_object_set_new(o, "loops", json_integer(r->loops));
	json_object_set_new(o, "runs", json_integer(r->runs));
	json_object_set_new(o, "gbps", number(f->gbps));
	json_object_set_new(o, "speedup", f->has_speedup ? number(f->speedup) : json_null());
	json_object_set_new(o, "startup", r->strategy->parallel ? number(r->startup) : json_null());
	json_object_set_new(o, "wind_down",
			    r->strategy->parallel ? number(r->wind_down) : json_null());
	json_object_set_new(o, "setup", r->setup > 0 ? number(r->setup) : json_null());
	json_object_set_new(o, "peak_rss_bytes", json_integer((json_int_t)r->peak_rss));
	json_object_set_new(o, "cow_copied_bytes", r->strategy->processes
			    ? json_integer((json_int_t)r->cow_copied) : json_null());
	json_object_set_new(o, "max_rel_error", number(r->verdict.max_rel_error));
	json_object_set_new(o, "verified", json_boolean(r->verdict.ok));
	if (f->has_limit)
		json_object_set_new(o, "limit_fraction", number(f->limit_share));
	/* Its cost above the threads reference (model.h), and the kernel's
	 * part; the field keeps the name it had when that was pthread by name. */
	if (r->strategy->processes) {
		json_object_set_new(o, "above_pthread_seconds",
				    f->has_above ? number(f->above_reference) : json_null());
		json_object_set_new(o, "fork_floor_seconds",
				    f->has_fork_floor ? number(f->fork_floor) : json_null());
	}
	json_object_set_new(o, "processes", json_integer(r->processes));
	json_object_set_new(o, "disturbed_runs", json_integer(r->disturbed_runs));
	json_object_set_new(o, "run_process", run_processes(r));
	json_object_set_new(o, "run_disturbance", run_disturbances(r));
	json_object_set_new(o, "warnings", warnings_array(d->noise, (long)index));
	return o;
}

static json_t *baseline_object(const struct report_data *d)
{
	json_t *list = json_array();

	for (size_t i = 0; i < d->comparison_count; i++) {
		const struct comparison *c = &d->comparisons[i];

		json_t *o = json_pack("{s:s, s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:s}",
			"strategy", c->strategy, "workers", (int)c->workers, "old_mean",
			number(c->old.mean), "new_mean", number(c->new.mean), "change",
			number(c->change), "ci_low", number(c->ci_low), "ci_high",
			number(c->ci_high), "p_value", number(c->p), "verdict",
			verdict_name(c->verdict));

		/* The interval from the processes alone, before the drift widened it. */
		json_object_set_new(o, "processes_ci_low", number(c->moses_low));
		json_object_set_new(o, "processes_ci_high", number(c->moses_high));
		json_object_set_new(o, "reason", c->reason ? json_string(c->reason) : json_null());
		json_object_set_new(o, "old_limit_gbps", c->old_gbps > 0 ? number(c->old_gbps)
				    : json_null());
		json_object_set_new(o, "new_limit_gbps", c->new_gbps > 0 ? number(c->new_gbps)
				    : json_null());
		json_object_set_new(o, "old_processes", json_pack("{s:i, s:i}", "total",
			(int)c->old.processes, "disturbed", (int)c->old.disturbed));
		json_object_set_new(o, "new_processes", json_pack("{s:i, s:i}", "total",
			(int)c->new.processes, "disturbed", (int)c->new.disturbed));
		json_array_append_new(list, o);
	}
	json_t *missing = json_array();

	for (size_t i = 0; i < d->missing_count; i++) {
		const struct sample_set *r = &d->fresh->results[d->missing[i]];

		json_array_append_new(missing, json_pack("{s:s, s:i}", "strategy", r->strategy,
							  "workers", (int)r->workers));
	}
	return json_pack("{s:s, s:f, s:f, s:o, s:o}", "file", d->baseline, "threshold_percent",
			 d->rule.threshold, "drift_percent", d->rule.drift, "comparisons", list,
			 "not_in_baseline", missing);
}

char *report_json(const struct report_data *d)
{
	const struct report_info *info = d->info;
	json_t *root = json_object(), *results = json_array(), *limits = json_array();
	json_t *kernels = json_array();
	unsigned vary = report_parameters(d->results, d->count);
	char *text;

	json_object_set_new(root, "colbench", json_string(COLBENCH_VERSION));
	json_object_set_new(root, "matrix", matrix_object(info));
	json_object_set_new(root, "system", system_object(&info->sys));
	json_object_set_new(root, "options", json_pack("{s:s, s:b, s:b}", "kernel",
		info->kernel->name, "pin", info->pin, "hugepages", info->hugepages));
	json_object_set_new(root, "page_table_bytes", json_integer((json_int_t)info->page_tables));
	for (size_t i = 0; i < info->limit_count; i++) {
		json_t *o = json_pack("{s:i, s:o}", "workers", (int)info->limits[i].workers, "gbps",
				      number(info->limits[i].gbps));

		if (info->limit_samples) { /* the median above, of each process's */
			json_t *each = json_array();

			for (unsigned p = 0; p < info->processes; p++)
				json_array_append_new(each, number(
					info->limit_samples[p * info->limit_count + i]));
			json_object_set_new(o, "per_process", each);
		}
		json_array_append_new(limits, o);
	}
	json_object_set_new(root, "limit", limits);
	json_object_set_new(root, "floors", floors_object(info));
	json_object_set_new(root, "sampling", json_pack("{s:i, s:i, s:b, s:o, s:i}", "processes",
		(int)info->processes, "runs_per_process", (int)info->runs_per_process,
		"interleaved", info->ranks == 0, "seconds", info->processes > 1
		? number(info->sampling_seconds) : json_null(), "disturbed_processes",
		(int)info->disturbed_processes));
	json_object_set_new(root, "warnings", warnings_array(d->noise, -1));
	for (size_t i = 0; i < d->count; i++)
		json_array_append_new(results, result_object(d, i, vary));
	json_object_set_new(root, "results", results);
	for (size_t i = 0; i < d->kernel_count; i++)
		json_array_append_new(kernels, json_pack("{s:s, s:o, s:o, s:b}", "kernel",
			d->kernels[i].kernel->name, "min", number(d->kernels[i].time.min),
			"max_rel_error", number(d->kernels[i].verdict.max_rel_error),
			"within_tolerance", d->kernels[i].verdict.ok));
	json_object_set_new(root, "kernels", kernels);
	if (d->baseline)
		json_object_set_new(root, "baseline", baseline_object(d));
	text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
	json_decref(root);
	return text;
}

char *report_comparison_json(const struct report_data *d)
{
	json_t *root = json_pack("{s:s, s:o}", "colbench", COLBENCH_VERSION, "baseline",
				 baseline_object(d));
	char *text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER |
					      JSON_REAL_PRECISION(17));

	json_decref(root);
	return text;
}

/* ---- reading a saved report back: the same schema, the other way ---- */

/*
 * An integer field that must lie in [least, most] when present (absent:
 * *value = 0): false, with "FILE: WHERE: NAME is V, not from least to
 * most" in err, when it is there but another type or out of range, for a
 * cast to a narrower type must never turn 4294967298 into 2, or -1 into
 * 4294967295.
 */
static bool integer_field(json_t *o, const char *name, json_int_t least, json_int_t most,
			  const char *path, const char *where, json_int_t *value,
			  struct cb_error *err)
{
	json_t *v = json_object_get(o, name);

	*value = 0;
	if (!v)
		return true;
	if (json_is_integer(v) && json_integer_value(v) >= least && json_integer_value(v) <= most) {
		*value = json_integer_value(v);
		return true;
	}
	if (json_is_integer(v))
		cb_fail(err, CB_USAGE, "%s: %s%s is %lld, not from %lld to %lld", path, where, name,
			(long long)json_integer_value(v), (long long)least, (long long)most);
	else
		cb_fail(err, CB_USAGE, "%s: %s%s is not an integer", path, where, name);
	return false;
}

/* The version, matrix and system of a report's JSON tree, as saved_report
 * holds them (see compare.h); CB_USAGE when a number there is implausible. */
static enum cb_status describe_saved(json_t *root, const char *path, struct saved_report *r,
				     struct cb_error *err)
{
	json_t *m = json_object_get(root, "matrix"), *s = json_object_get(root, "system");
	json_t *seed = json_object_get(m, "seed"), *src = json_object_get(m, "source");
	const char *layout = json_string_value(json_object_get(m, "layout"));
	json_int_t rows, cols, cpus;
	char source[160];

	snprintf(r->version, sizeof(r->version), "%s", json_string_value(json_object_get(root,
		 "colbench")));
	if (!integer_field(m, "rows", 1, INT64_MAX, path, "matrix.", &rows, err) ||
	    !integer_field(m, "cols", 1, INT64_MAX, path, "matrix.", &cols, err) ||
	    !integer_field(s, "online_cpus", 0, UINT32_MAX, path, "system.", &cpus, err))
		return CB_USAGE;
	if (json_is_integer(seed))
		snprintf(source, sizeof(source), "seed %lld", (long long)json_integer_value(seed));
	else if (json_is_string(seed))
		snprintf(source, sizeof(source), "seed %s", json_string_value(seed));
	else
		snprintf(source, sizeof(source), "%s",
			 json_is_string(src) ? json_string_value(src) : "unknown source");
	describe_matrix(r, (size_t)rows, (size_t)cols, layout ? layout[0] : '?',
			json_string_value(json_object_get(m, "dtype")) ?: "?", source,
			!seed && json_is_string(src));
	if (!json_is_object(m)) /* a hand-made report that does not say: not compared */
		r->matrix_shape[0] = r->matrix_seed[0] = '\0';
	else if (!json_is_integer(seed) && !json_is_string(seed))
		r->matrix_seed[0] = '\0'; /* no seed: nothing to compare it with */
	describe_system(r->system, sizeof(r->system),
			json_string_value(json_object_get(s, "cpu_model")) ?: "?", (unsigned)cpus,
			json_string_value(json_object_get(s, "kernel")) ?: "?");
	/* A saved report is outside input: its names reach the terminal
	 * escaped, one line each, whichever output prints them. */
	cb_escape_in_place(r->version, sizeof(r->version));
	cb_escape_in_place(r->matrix, sizeof(r->matrix));
	cb_escape_in_place(r->matrix_shape, sizeof(r->matrix_shape));
	cb_escape_in_place(r->matrix_seed, sizeof(r->matrix_seed));
	cb_escape_in_place(r->system, sizeof(r->system));
	return CB_OK;
}

/*
 * A result's run_process and run_disturbance (optional: a report of one
 * process, or from before they were kept, has all its runs in process 0,
 * none disturbed) into set's arrays, malloc'ed; CB_USAGE when malformed
 * (err unset: the caller says it), CB_SYSTEM when out of memory.
 */
static enum cb_status read_run_origins(json_t *item, size_t n, struct sample_set *set)
{
	json_t *process = json_object_get(item, "run_process");
	json_t *disturbance = json_object_get(item, "run_disturbance");
	unsigned *p = calloc(n, sizeof(*p));
	bool *d = calloc(n, sizeof(*d));

	set->process = p;
	set->disturbed = d;
	if (!p || !d)
		return CB_SYSTEM;
	if ((process && (!json_is_array(process) || json_array_size(process) != n)) ||
	    (disturbance && (!json_is_array(disturbance) || json_array_size(disturbance) != n)))
		return CB_USAGE;
	for (size_t i = 0; i < n; i++) {
		json_t *k = json_array_get(process, i);
		json_t *flag = json_object_get(json_array_get(disturbance, i), "disturbed");

		if (process && (!json_is_integer(k) || json_integer_value(k) < 0 ||
				json_integer_value(k) >= COMPARE_MAX_RUNS))
			return CB_USAGE;
		if (disturbance && !json_is_boolean(flag))
			return CB_USAGE;
		p[i] = process ? (unsigned)json_integer_value(k) : 0;
		d[i] = disturbance && json_is_true(flag);
	}
	return CB_OK;
}

/* Whether two figures agree beyond the rounding of a printed number. */
static bool agrees(double saved, double computed)
{
	return fabs(saved - computed) <= 1e-6 * computed;
}

/*
 * The times' own mean, min and max against the ones saved beside them
 * (min and max optional): a report is shown by its mean, which must be
 * its times'.  false with "FILE: result K: ..." in err.
 */
static bool check_summary(json_t *item, const double *t, size_t n, const char *path,
			  size_t index, struct cb_error *err)
{
	static const char *const names[] = { "mean", "min", "max" };
	double sum = 0, least = t[0], most = t[0], computed[3];

	for (size_t i = 0; i < n; i++) {
		sum += t[i];
		least = t[i] < least ? t[i] : least;
		most = t[i] > most ? t[i] : most;
	}
	computed[0] = sum / (double)n;
	computed[1] = least;
	computed[2] = most;
	for (size_t k = 0; k < 3; k++) {
		json_t *v = json_object_get(item, names[k]);

		if (!v && k > 0)
			continue;
		if (!json_is_number(v) || !agrees(json_number_value(v), computed[k])) {
			cb_fail(err, CB_USAGE, "%s: result %zu: %s is %.17g, but its times' %s is "
				"%.17g", path, index + 1, names[k], json_number_value(v),
				k ? names[k] : "mean", computed[k]);
			return false;
		}
	}
	return true;
}

/* Whether result i's runs failed: "verified" false, or an exit code not
 * 0 (both optional); CB_USAGE with the field in err when malformed. */
static enum cb_status read_failure(json_t *item, const char *path, size_t index,
				   struct sample_set *set, struct cb_error *err)
{
	json_t *verified = json_object_get(item, "verified"), *codes = json_object_get(item,
		"exit_codes");
	size_t i;
	json_t *code;

	if (verified && !json_is_boolean(verified))
		return cb_fail(err, CB_USAGE, "%s: result %zu: verified is not true or false", path,
			       index + 1);
	if (codes && !json_is_array(codes))
		return cb_fail(err, CB_USAGE, "%s: result %zu: exit_codes is not a list", path,
			       index + 1);
	json_array_foreach(codes, i, code) {
		if (!json_is_integer(code))
			return cb_fail(err, CB_USAGE, "%s: result %zu: exit_codes[%zu] is not an "
				       "integer", path, index + 1, i);
		if (json_integer_value(code) != 0 && set->failed == RUNS_OK)
			set->failed = RUNS_NONZERO_EXIT;
	}
	if (json_is_false(verified))
		set->failed = RUNS_UNVERIFIED;
	return CB_OK;
}

/* One entry of "results" (result index + 1 of the file at path) into
 * *set: CB_USAGE with the reason in err when it lacks what we need or
 * holds implausible numbers, CB_SYSTEM when out of memory (what it
 * allocated is set's to free, with saved_report_free). */
static enum cb_status read_result(json_t *item, const char *path, size_t index,
				  const char *kernel, struct sample_set *set, struct cb_error *err)
{
	json_t *strategy = json_object_get(item, "strategy");
	json_t *workers = json_object_get(item, "workers");
	json_t *mean = json_object_get(item, "mean");
	json_t *list = json_object_get(item, "times");
	json_t *own_kernel = json_object_get(item, "kernel");
	size_t n = json_array_size(list);
	json_int_t count;
	enum cb_status st;
	double *times;
	char where[40];

	/* At most the runs colbench makes (--repeat 1000000): a comparison
	 * sorts them, and must stay within seconds. */
	if (!json_is_string(strategy) || !json_is_integer(workers) || !json_is_number(mean) ||
	    !json_is_array(list) || n == 0 || n > COMPARE_MAX_RUNS || !(json_number_value(mean) > 0) ||
	    !isfinite(json_number_value(mean)))
		goto malformed;
	snprintf(where, sizeof(where), "result %zu: ", index + 1);
	if (!integer_field(item, "workers", 1, COMPARE_MAX_WORKERS, path, where, &count, err))
		return CB_USAGE;
	set->times = times = malloc(n * sizeof(double));
	if (!times)
		return CB_SYSTEM;
	for (size_t i = 0; i < n; i++) {
		json_t *t = json_array_get(list, i);
		double x = json_number_value(t);

		if (!json_is_number(t))
			goto malformed;
		/* Subnormal, zero or absurd times are no measurement (and a
		 * ratio of them overflows). */
		if (!(x >= COMPARE_MIN_TIME && x <= COMPARE_MAX_TIME))
			return cb_fail(err, CB_USAGE, "%s: result %zu: times[%zu] is %g s, outside "
				       "%g to %g s", path, index + 1, i, x, COMPARE_MIN_TIME,
				       COMPARE_MAX_TIME);
		times[i] = x;
	}
	if (!check_summary(item, times, n, path, index, err))
		return CB_USAGE;
	if (own_kernel && !json_is_string(own_kernel))
		return cb_fail(err, CB_USAGE, "%s: result %zu: kernel is not a name", path,
			       index + 1);
	if ((st = read_failure(item, path, index, set, err)) != CB_OK)
		return st;
	snprintf(set->strategy, sizeof(set->strategy), "%s", json_string_value(strategy));
	snprintf(set->kernel, sizeof(set->kernel), "%s",
		 own_kernel ? json_string_value(own_kernel) : kernel);
	cb_escape_in_place(set->strategy, sizeof(set->strategy)); /* as describe_saved's */
	cb_escape_in_place(set->kernel, sizeof(set->kernel));
	set->workers = (unsigned)count;
	set->mean = json_number_value(mean);
	set->runs = n;
	if ((st = read_run_origins(item, n, set)) != CB_USAGE)
		return st;
malformed:
	return cb_fail(err, CB_USAGE, "%s: not a colbench report (result %zu lacks strategy, "
		       "workers, or positive mean and 1 to %d times, or its run_process or "
		       "run_disturbance do not match them)", path, index + 1, COMPARE_MAX_RUNS);
}

/* The report's read-bandwidth limits, where it has them (none: not
 * checked); CB_USAGE when a worker count there is implausible. */
static enum cb_status read_limits(json_t *list, const char *path, struct saved_report *r,
				  struct cb_error *err)
{
	for (size_t i = 0; i < json_array_size(list) && r->limit_count < COMPARE_MAX_LIMITS; i++) {
		json_t *item = json_array_get(list, i);
		json_t *gbps = json_object_get(item, "gbps");
		json_int_t workers;
		char where[32];

		snprintf(where, sizeof(where), "limit[%zu].", i);
		if (!integer_field(item, "workers", 1, COMPARE_MAX_WORKERS, path, where, &workers,
				   err))
			return CB_USAGE;
		/* gbps is null where it was not finite: such an entry is skipped. */
		if (workers && json_is_number(gbps) && json_number_value(gbps) > 0 &&
		    isfinite(json_number_value(gbps)))
			r->limits[r->limit_count++] = (struct saved_limit){ (unsigned)workers,
									   json_number_value(gbps) };
	}
	return CB_OK;
}

/*
 * json_load_callback's reader: the file in blocks of a megabyte (jansson
 * asks for a kilobyte at a time; json_loadfd would read() a byte at a
 * time), stopping at a signal.  It also tracks how deep the arrays and
 * objects nest, outside strings, and stops past REPORT_MAX_DEPTH: jansson
 * recurses once a level, and a hostile file a few hundred levels deep
 * would overflow a small stack.
 */
#define READ_BLOCK (1u << 20)
#define REPORT_MAX_DEPTH 64

struct block_reader {
	int fd;
	char *block;
	size_t have, used; /* bytes in block, bytes handed out */
	int depth;
	bool in_string, escaped;
	int error;     /* errno of a failed read, or 0 */
	bool stopped;  /* a signal came */
	bool too_deep;
};

/* Follow the nesting through bytes p[0..n); false past the limit. */
static bool track_depth(struct block_reader *r, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = p[i];

		if (r->in_string) {
			if (r->escaped)
				r->escaped = false;
			else if (c == '\\')
				r->escaped = true;
			else if (c == '"')
				r->in_string = false;
		} else if (c == '"') {
			r->in_string = true;
		} else if (c == '[' || c == '{') {
			if (++r->depth > REPORT_MAX_DEPTH)
				return false;
		} else if (c == ']' || c == '}') {
			r->depth--;
		}
	}
	return true;
}

static size_t read_block(void *buffer, size_t len, void *data)
{
	struct block_reader *r = data;
	size_t n;

	if (interrupt_pending()) {
		r->stopped = true;
		return (size_t)-1;
	}
	if (r->used == r->have) {
		ssize_t got;

		do
			got = read(r->fd, r->block, READ_BLOCK);
		while (got < 0 && errno == EINTR && !interrupt_pending());
		if (got < 0) {
			r->stopped = interrupt_pending() != 0;
			r->error = errno;
			return (size_t)-1;
		}
		r->have = (size_t)got;
		r->used = 0;
		if (!track_depth(r, r->block, r->have)) {
			r->too_deep = true;
			return (size_t)-1;
		}
	}
	n = r->have - r->used < len ? r->have - r->used : len;
	memcpy(buffer, r->block + r->used, n);
	r->used += n;
	return n;
}

enum cb_status saved_report_load(const char *path, struct saved_report *r,
				 struct cb_error *err)
{
	json_error_t jerr;
	json_t *root, *results;
	struct block_reader reader = { .fd = -1, .block = malloc(READ_BLOCK) };
	const char *kernel;
	enum cb_status st;

	memset(r, 0, sizeof(*r));
	if (!reader.block)
		return cb_fail(err, CB_SYSTEM, "%s: out of memory", path);
	if ((reader.fd = open_regular_file(path, err)) < 0) {
		free(reader.block);
		return CB_USAGE;
	}
	root = json_load_callback(read_block, &reader, 0, &jerr);
	close(reader.fd);
	free(reader.block);
	if (reader.stopped) /* the tree is left to the exit: freeing it takes long */
		return cb_fail(err, CB_INTERRUPTED, "interrupted");
	if (reader.too_deep)
		return cb_fail(err, CB_USAGE, "%s: not a colbench report (nested deeper than %d "
			       "levels)", path, REPORT_MAX_DEPTH);
	/* jansson says "out of memory" where its lexer runs out, and nothing
	 * at all (no text, line -1) where a value or a container's growth
	 * cannot be allocated: every syntax error has its message. */
	if (!root && !reader.error &&
	    (json_error_code(&jerr) == json_error_out_of_memory || !jerr.text[0]))
		return cb_fail(err, CB_SYSTEM, "%s: out of memory for its JSON tree", path);
	if (!root)
		return reader.error
			       ? cb_fail(err, CB_USAGE, "%s: cannot read: %s", path,
					 strerror(reader.error))
			       : cb_fail(err, CB_USAGE, "%s: not JSON: %s (line %d, column %d)",
					 path, jerr.text, jerr.line, jerr.column);
	results = json_object_get(root, "results");
	if (!json_is_string(json_object_get(root, "colbench")) || !json_is_array(results)) {
		json_decref(root);
		return cb_fail(err, CB_USAGE,
			       "%s: not a colbench report (no \"colbench\" version or no \"results\")",
			       path);
	}
	r->owner = root;
	r->results = calloc(json_array_size(results) + 1, sizeof(*r->results));
	if (!r->results) {
		saved_report_free(r);
		return cb_fail(err, CB_SYSTEM, "%s: out of memory", path);
	}
	kernel = json_string_value(json_object_get(json_object_get(root, "options"), "kernel"));
	for (size_t i = 0; i < json_array_size(results); i++) {
		if (interrupt_pending()) /* what was read is left to the exit */
			return cb_fail(err, CB_INTERRUPTED, "interrupted");
		st = read_result(json_array_get(results, i), path, i, kernel ?: "",
				 &r->results[r->count++], err);
		if (st != CB_OK) {
			saved_report_free(r);
			return st == CB_SYSTEM ? cb_fail(err, CB_SYSTEM, "%s: out of memory", path)
					       : st;
		}
	}
	if ((st = describe_saved(root, path, r, err)) != CB_OK ||
	    (st = read_limits(json_object_get(root, "limit"), path, r, err)) != CB_OK)
		saved_report_free(r);
	return st;
}

void saved_report_free(struct saved_report *r)
{
	for (size_t i = 0; r->results && i < r->count; i++) {
		free((void *)r->results[i].times);
		free((void *)r->results[i].process);
		free((void *)r->results[i].disturbed);
	}
	free(r->results);
	json_decref(r->owner);
	memset(r, 0, sizeof(*r));
}

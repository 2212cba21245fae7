/*
 * report_json.c - the report as one JSON document, built as a tree with
 * jansson and printed once (after fio's JSON output).
 *
 * It is a superset of hyperfine's --export-json: "results" holds one object
 * per strategy and worker count with hyperfine's command, mean, stddev,
 * median, user, system, min, max, times, memory_usage_byte, exit_codes and
 * parameters, with hyperfine's meanings (seconds per loop), so hyperfine's
 * analysis scripts read it; colbench's own fields follow.
 * saved_report.c reads it back (a baseline, colbench compare): a change
 * of the schema here is a change there.
 */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "version.h"
#include "os/build_id.h"
#include "matrix/generator.h"
#include "kernels/kernels.h"
#include "kernels/kernels.h"
#include "report/report.h"

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
	json_object_set_new(o, "startup", strategy_has_startup(r->strategy) ? number(r->startup) : json_null());
	json_object_set_new(o, "wind_down",
			    strategy_has_startup(r->strategy) ? number(r->wind_down) : json_null());
	json_object_set_new(o, "setup", r->setup > 0 ? number(r->setup) : json_null());
	json_object_set_new(o, "peak_rss_bytes", json_integer((json_int_t)r->peak_rss));
	json_object_set_new(o, "cow_copied_bytes", r->strategy->processes
			    ? json_integer((json_int_t)r->cow_copied) : json_null());
	json_object_set_new(o, "max_rel_error", number(r->verdict.max_rel_error));
	json_object_set_new(o, "verified", json_boolean(r->verdict.ok));
	if (f->has_limit) {
		json_object_set_new(o, "limit_fraction", number(f->limit_share));
		json_object_set_new(o, "limit_exceeded", json_boolean(f->over_limit));
	}
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

/* An MPI job's ranks, hosts and transport (null for one process). */
static json_t *job_object(const struct report_info *info)
{
	json_t *ranks;

	if (!info->job_ranks)
		return json_null();
	ranks = json_array();
	for (unsigned r = 0; r < info->ranks; r++) {
		const struct job_rank *k = &info->job_ranks[r];

		json_array_append_new(ranks, json_pack("{s:i, s:s, s:I, s:I, s:I, s:o, s:o, s:o}",
			"rank", (int)r, "host", k->host, "pid", (json_int_t)k->pid, "first_column",
			(json_int_t)k->first_col, "columns", (json_int_t)k->cols, "barrier",
			number(k->wait), "sum", number(k->sum), "gather", number(k->gather)));
	}
	return json_pack("{s:i, s:i, s:s, s:o}", "ranks", (int)info->ranks, "hosts",
			 (int)info->hosts, "transport", info->transport ? info->transport : "",
			 "per_rank", ranks);
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
	json_object_set_new(root, "label", d->label ? json_string(d->label) : json_null());
	json_object_set_new(root, "build", json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "version",
		COLBENCH_VERSION, "commit", build_commit(), "compiler", build_compiler_family(),
		"compiler_version", build_compiler(), "cflags", build_cflags(), "simd",
		kernel_simd_isa()));
	json_object_set_new(json_object_get(root, "build"), "generator",
			    json_string(generator_width()));
	json_object_set_new(root, "matrix", matrix_object(info));
	json_object_set_new(root, "system", system_object(&info->sys));
	json_object_set_new(root, "options", json_pack("{s:s, s:b, s:b}", "kernel",
		info->kernel->name, "pin", info->pin, "hugepages", info->hugepages));
	if (info->simd.at_once) /* the simd kernel's reading (measure/tune.h) */
		json_object_set_new(json_object_get(root, "options"), "simd_columns_at_once",
				    json_pack("{s:i, s:o}", "columns", (int)info->simd.at_once,
					      "gain", info->simd.gain > 0 ? number(info->simd.gain)
					      : json_null()));
	json_object_set_new(root, "page_table_bytes", json_integer((json_int_t)info->page_tables));
	for (size_t i = 0; i < info->limit_count; i++) {
		const struct limit *l = &info->limits[i];
		json_t *o = json_pack("{s:i, s:o, s:s, s:i}", "workers", (int)l->workers, "gbps",
				      number(l->gbps), "pattern", limit_pattern_name(l->pattern),
				      "rounds", (int)l->rounds);
		json_t *ways = json_object();

		for (int k = 0; k < LIMIT_PATTERNS; k++)
			json_object_set_new(ways, limit_pattern_name((enum limit_pattern)k),
					    number(l->by_pattern[k]));
		json_object_set_new(o, "by_pattern", ways);

		if (info->limit_samples) { /* each process's best; gbps is the best of them */
			json_t *each = json_array();

			for (unsigned p = 0; p < info->processes; p++)
				json_array_append_new(each, number(
					info->limit_samples[p * info->limit_count + i]));
			json_object_set_new(o, "per_process", each);
		}
		json_array_append_new(limits, o);
	}
	json_object_set_new(root, "limit", limits);
	if (info->limit_count)
		json_object_set_new(root, "limit_method", json_sprintf(
			"for each worker count, the fastest pass of %d ways to read the matrix's "
			"memory (%s: the strategies' own blocks; %s: four far-apart streams a "
			"worker; %s: one stream a worker), over rounds that took turns with the "
			"strategies' runs", LIMIT_PATTERNS, limit_pattern_name(LIMIT_COLUMNS),
			limit_pattern_name(LIMIT_STREAMS), limit_pattern_name(LIMIT_FLAT)));
	json_object_set_new(root, "floors", floors_object(info));
	json_object_set_new(root, "sampling", json_pack("{s:i, s:i, s:b, s:o, s:i}", "processes",
		(int)info->processes, "runs_per_process", (int)info->runs_per_process,
		"interleaved", info->ranks == 0, "seconds", info->processes > 1
		? number(info->sampling_seconds) : json_null(), "disturbed_processes",
		(int)info->disturbed_processes));
	json_object_set_new(root, "job", job_object(info));
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

/*
 * bench.c - time one strategy and verify its results (see bench.h).
 */
#include "measure/bench.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "measure/progress.h"
#include "os/clock.h"
#include "os/interrupt.h"
#include "os/sysinfo.h"

struct bench {
	const struct strategy *s;
	struct strategy_run run;
	const struct reference *ref;
	struct timing_config cfg;
	struct timed_call tc;
	struct bench_result *res;
	unsigned next_run;
	struct call_costs costs_sum; /* over the timed calls */
	unsigned costs_calls;
	bool timing;   /* inside the timed runs: start-up costs count */
	struct cpu_usage cpu_spent; /* over the timed runs, the workers' included */
	struct disturbance_probe probe;
	bool planned;  /* its time estimate was made (measure/progress.h) */
};

/* The live workers' CPU use alone, for the disturbance probe. */
static const struct cpu_usage *live_usage(const struct bench *b, struct cpu_usage *u)
{
	if (!b->s->live_usage)
		return NULL;
	*u = (struct cpu_usage){ 0 };
	b->s->live_usage(&b->run, u);
	return u;
}

/* One call of the strategy, as the timing loop sees it. */
static enum cb_status bench_call(void *p, struct cb_error *err)
{
	struct bench *b = p;
	struct call_costs costs = { 0 };
	enum cb_status st;

	if (interrupt_pending())
		return cb_fail(err, CB_INTERRUPTED, "interrupted");
	st = b->s->call(&b->run, &costs, err);
	if (st == CB_OK && b->timing) {
		b->costs_sum.startup += costs.startup;
		b->costs_sum.wind_down += costs.wind_down;
		b->costs_calls++;
	}
	return st;
}

/* The elapsed time the strategy's processes agree on (see strategy.h). */
static double bench_agree(void *p, double seconds)
{
	struct bench *b = p;

	return b->s->agree(&b->run, seconds);
}

/* Fill the output, and every buffer on its way, with NaN. */
static void poison_results(struct bench *b)
{
	for (size_t c = 0; c < b->run.m->cols; c++)
		b->run.sums[c] = NAN;
	if (b->s->poison)
		b->s->poison(&b->run);
}

/*
 * Before each timed run: the warm-up and autorange calls are over, so
 * start-up costs count from here; the results are poisoned, so the run's
 * last call is checked on sums it computed itself; and the CPU readings
 * start.
 */
static enum cb_status bench_before_run(void *p, unsigned run, struct cb_error *err)
{
	struct bench *b = p;
	struct cpu_usage live;

	(void)run;
	(void)err;
	b->timing = true;
	poison_results(b);
	(void)sysinfo_reset_peak_rss(); /* where the kernel cannot, the peak is the process's */
	disturbance_start(&b->probe, live_usage(b, &live));
	return CB_OK;
}

/* After each timed run: the CPU readings, then the last call's sums
 * against the reference. */
static enum cb_status bench_after_run(void *p, unsigned run, struct cb_error *err)
{
	struct bench *b = p;
	struct bench_result *res = b->res;
	struct cpu_usage live, spent;
	struct verdict v;

	(void)err;
	disturbance_stop(&b->probe, live_usage(b, &live), &res->disturbance[run], &spent);
	res->memory[run] = (double)sysinfo_peak_rss();
	cpu_usage_add(&b->cpu_spent, &spent);
	if (b->s->settle) { /* untimed, uncounted: before the next pair's run */
		static bool said;

		if (!b->s->settle(&b->run) && !said) {
			said = true;
			progress_clear();
			fprintf(stderr, "colbench: warning: %s's idle workers still use the CPUs "
				"0.25 s after its run (for openmp: OMP_WAIT_POLICY or GOMP_SPINCOUNT?); "
				"the runs that follow share the CPUs with them\n", b->s->name);
		}
		disturbance_break(); /* its workers' last spin was no one's run */
	}
	v = verify_sums(b->ref, b->run.sums, VERIFY_TOLERANCE);
	if (v.max_rel_error > res->verdict.max_rel_error)
		res->verdict.max_rel_error = v.max_rel_error;
	if (!v.ok && res->verdict.ok) {
		res->verdict.ok = false;
		res->verdict.bad_col = v.bad_col;
		res->bad_sum = b->run.sums[v.bad_col];
	}
	return CB_OK;
}

bool bench_result_alloc(struct bench_result *res, unsigned runs)
{
	size_t n = runs ? runs : 1;

	res->per_loop = calloc(n, sizeof(*res->per_loop));
	res->process = calloc(n, sizeof(*res->process));
	res->disturbance = calloc(n, sizeof(*res->disturbance));
	res->memory = calloc(n, sizeof(*res->memory));
	return res->per_loop && res->process && res->disturbance && res->memory;
}

void bench_result_summarize(struct bench_result *res)
{
	stats_summarize(res->per_loop, res->runs, &res->time);
	res->disturbed_runs = 0;
	for (unsigned i = 0; i < res->runs; i++)
		res->disturbed_runs += res->disturbance[i].disturbed;
}

enum cb_status bench_open(const struct strategy *s, const struct strategy_run *setup,
			  const struct reference *ref, const struct timing_config *cfg,
			  struct bench_result *res, struct bench **out, struct cb_error *err)
{
	const struct matrix *m = setup->m;
	struct bench *b = calloc(1, sizeof(*b));
	enum cb_status st;

	*out = b;
	*res = (struct bench_result){ .strategy = s, .kernel = setup->kernel,
				      .workers = s->parallel ? setup->workers : 1,
				      .runs = cfg->repeat, .processes = 1,
				      .verdict = { .ok = true } };
	if (!b) {
		(void)cb_fail(err, CB_SYSTEM, "out of memory for %s's results", s->name);
		return CB_SYSTEM;
	}
	*b = (struct bench){
		.s = s,
		.run = { .strategy = s, .m = m, .kernel = setup->kernel, .pin = setup->pin,
			 .workers = res->workers },
		.ref = ref, .cfg = *cfg, .res = res,
	};
	b->tc = (struct timed_call){ bench_call, bench_before_run, bench_after_run, b,
				     monotonic_seconds, s->agree ? bench_agree : NULL };
	b->run.sums = calloc(m->cols, sizeof(double));
	if (!bench_result_alloc(res, cfg->repeat) || !b->run.sums) {
		b->s = NULL; /* nothing prepared to release */
		(void)bench_close(b, CB_SYSTEM, err);
		*out = NULL;
		(void)cb_fail(err, CB_SYSTEM, "out of memory for %s's results", s->name);
		return CB_SYSTEM;
	}
	st = s->prepare(&b->run, err);
	res->setup = b->run.setup;
	if (st != CB_OK) {
		(void)bench_close(b, st, err);
		*out = NULL;
	}
	return st;
}

enum cb_status bench_calibrate(struct bench *b, struct cb_error *err)
{
	const struct bench_result *res = b->res;
	double t0 = monotonic_seconds();
	enum cb_status st;

	progress_warming(res->strategy->name, res->workers);
	st = timing_prepare(&b->tc, &b->cfg, &b->res->loops, err);
	/* A given --number could be huge: the warm-up calls tell how long. */
	if (st == CB_OK && b->cfg.number > 0 && b->cfg.warmup > 0) {
		b->planned = true;
		progress_plan(res->strategy->name, res->workers, res->runs, res->loops,
			      (monotonic_seconds() - t0) / b->cfg.warmup);
	}
	return st;
}

enum cb_status bench_time_run(struct bench *b, struct cb_error *err)
{
	struct bench_result *res = b->res;
	unsigned run = b->next_run++;
	enum cb_status st = timing_run(&b->tc, run, res->loops, &res->per_loop[run], err);

	if (st != CB_OK)
		return st;
	if (!b->planned) { /* no warm-up: the first run tells */
		b->planned = true;
		progress_plan(res->strategy->name, res->workers, res->runs - 1, res->loops,
			      res->per_loop[run]);
	}
	progress_ran(res->strategy->name, res->workers, run, res->runs,
		     res->per_loop[run] * res->loops);
	return CB_OK;
}

enum cb_status bench_close(struct bench *b, enum cb_status st, struct cb_error *err)
{
	struct bench_result *res = b->res;

	if (st == CB_OK && b->s) { /* one more call, untimed, to measure the memory */
		struct call_costs costs;
		double loops = (double)res->runs * res->loops;

		sysinfo_reset_peak_rss();
		b->run.measure_memory = true;
		st = b->s->call(&b->run, &costs, err);
		res->peak_rss = (double)sysinfo_peak_rss() + b->run.worker_private;
		res->cow_copied = b->s->processes ? b->run.worker_private : 0;
		for (unsigned k = 0; k < res->runs; k++)
			res->memory[k] += b->run.worker_private;
		res->user = b->cpu_spent.user / loops;
		res->system = b->cpu_spent.system / loops;
	}
	if (b->s)
		b->s->release(&b->run);
	if (st == CB_OK) {
		bench_result_summarize(res);
		res->startup = b->costs_calls ? b->costs_sum.startup / b->costs_calls : 0;
		res->wind_down = b->costs_calls ? b->costs_sum.wind_down / b->costs_calls : 0;
	}
	free(b->run.sums);
	free(b);
	if (st != CB_OK)
		bench_result_free(res);
	return st;
}

enum cb_status bench_run(const struct strategy *s,
			 const struct strategy_run *setup,
			 const struct reference *ref,
			 const struct timing_config *cfg,
			 struct bench_result *res, struct cb_error *err)
{
	struct bench *b;
	enum cb_status st = bench_open(s, setup, ref, cfg, res, &b, err);

	if (st != CB_OK)
		return st;
	st = bench_calibrate(b, err);
	for (unsigned i = 0; st == CB_OK && i < cfg->repeat; i++)
		st = bench_time_run(b, err);
	return bench_close(b, st, err);
}

bool bench_judge_disturbance(struct bench_result *results, size_t n, unsigned usable_cpus,
			     unsigned *disturbed_processes)
{
	size_t total = 0, processes = 0;
	const struct disturbance **runs;

	*disturbed_processes = 0;
	for (size_t i = 0; i < n; i++) {
		total += results[i].runs;
		for (unsigned k = 0; k < results[i].runs; k++)
			if (results[i].process[k] + 1 > processes)
				processes = results[i].process[k] + 1;
	}
	if (!(runs = calloc(total + 1, sizeof(void *))))
		return false;
	for (unsigned p = 0; p < processes; p++) {
		size_t count = 0;
		struct disturbance_total t;

		for (size_t i = 0; i < n; i++)
			for (unsigned k = 0; k < results[i].runs; k++)
				if (results[i].process[k] == p)
					runs[count++] = &results[i].disturbance[k];
		t = disturbance_judge(runs, count, usable_cpus);
		for (size_t i = 0; i < n; i++)
			for (unsigned k = 0; k < results[i].runs; k++)
				if (results[i].process[k] == p)
					results[i].disturbance[k].disturbed = t.disturbed;
		*disturbed_processes += t.disturbed;
	}
	for (size_t i = 0; i < n; i++)
		bench_result_summarize(&results[i]);
	free(runs);
	return true;
}

void bench_result_free(struct bench_result *res)
{
	free(res->per_loop);
	free(res->process);
	free(res->disturbance);
	free(res->memory);
	res->per_loop = NULL;
	res->process = NULL;
	res->disturbance = NULL;
	res->memory = NULL;
}

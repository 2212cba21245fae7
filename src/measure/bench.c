/*
 * bench.c - time one strategy and verify its results (see bench.h).
 */
#include "measure/bench.h"

#include <math.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "os/interrupt.h"
#include "os/sysinfo.h"

struct bench_ctx {
	const struct strategy *s;
	struct strategy_run run;
	const struct reference *ref;
	struct bench_result *res;
	double startup_sum;
	unsigned startup_calls;
	bool timing; /* inside the timed runs: start-up costs count */
	double cpu_user, cpu_system; /* at the start of the timed runs */
};

/* CPU seconds used so far by colbench and its reaped workers. */
static void cpu_seconds(double *user, double *system)
{
	struct rusage self, children;

	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &children);
	*user = self.ru_utime.tv_sec + children.ru_utime.tv_sec +
		(self.ru_utime.tv_usec + children.ru_utime.tv_usec) * 1e-6;
	*system = self.ru_stime.tv_sec + children.ru_stime.tv_sec +
		  (self.ru_stime.tv_usec + children.ru_stime.tv_usec) * 1e-6;
}

/* One call of the strategy, as the timing loop sees it. */
static enum cb_status bench_call(void *p, struct cb_error *err)
{
	struct bench_ctx *ctx = p;
	double startup = 0;
	enum cb_status st;

	if (interrupt_pending())
		return cb_fail(err, CB_INTERRUPTED, "interrupted");
	st = ctx->s->call(&ctx->run, &startup, err);
	if (st == CB_OK && ctx->timing) {
		ctx->startup_sum += startup;
		ctx->startup_calls++;
	}
	return st;
}

/* The elapsed time the strategy's processes agree on (see strategy.h). */
static double bench_agree(void *p, double seconds)
{
	struct bench_ctx *ctx = p;

	return ctx->s->agree(&ctx->run, seconds);
}

/* Fill the output, and every buffer on its way, with NaN. */
static void poison_results(struct bench_ctx *ctx)
{
	for (size_t c = 0; c < ctx->run.m->cols; c++)
		ctx->run.sums[c] = NAN;
	if (ctx->s->poison)
		ctx->s->poison(&ctx->run);
}

/*
 * Before each timed run: the warm-up and autorange calls are over, so
 * start-up costs count from here; and the results are poisoned, so the
 * run's last call is checked on sums it computed itself.
 */
static enum cb_status bench_before_run(void *p, unsigned run, struct cb_error *err)
{
	struct bench_ctx *ctx = p;

	(void)err;
	ctx->timing = true;
	if (run == 0)
		cpu_seconds(&ctx->cpu_user, &ctx->cpu_system);
	poison_results(ctx);
	return CB_OK;
}

/* After each timed run: compare the last call's sums with the reference. */
static enum cb_status bench_after_run(void *p, unsigned run, struct cb_error *err)
{
	struct bench_ctx *ctx = p;
	struct verdict v = verify_sums(ctx->ref, ctx->run.sums, VERIFY_TOLERANCE);
	struct verdict *worst = &ctx->res->verdict;

	(void)err;
	if (run + 1 == ctx->res->runs) { /* the CPU time of the timed runs, per loop */
		double user, system, loops = (double)ctx->res->runs * ctx->res->loops;

		cpu_seconds(&user, &system);
		ctx->res->user = (user - ctx->cpu_user) / loops;
		ctx->res->system = (system - ctx->cpu_system) / loops;
	}
	if (v.max_rel_error > worst->max_rel_error)
		worst->max_rel_error = v.max_rel_error;
	if (!v.ok && worst->ok) {
		worst->ok = false;
		worst->bad_col = v.bad_col;
		ctx->res->bad_sum = ctx->run.sums[v.bad_col];
	}
	return CB_OK;
}

enum cb_status bench_run(const struct strategy *s,
			 const struct strategy_run *setup,
			 const struct reference *ref,
			 const struct timing_config *cfg,
			 struct bench_result *res, struct cb_error *err)
{
	const struct matrix *m = setup->m;
	struct bench_ctx ctx = {
		.s = s,
		.run = { .strategy = s, .m = m, .kernel = setup->kernel, .pin = setup->pin,
			 .workers = s->parallel ? setup->workers : 1 },
		.ref = ref,
		.res = res,
	};
	struct timed_call tc = { bench_call, bench_before_run, bench_after_run,
				 &ctx, monotonic_seconds, s->agree ? bench_agree : NULL };
	enum cb_status st;

	*res = (struct bench_result){ .strategy = s, .kernel = setup->kernel,
				      .workers = ctx.run.workers,
				      .runs = cfg->repeat, .verdict = { .ok = true } };
	res->per_loop = calloc(cfg->repeat, sizeof(double));
	ctx.run.sums = calloc(m->cols, sizeof(double));
	if (!res->per_loop || !ctx.run.sums) {
		st = cb_fail(err, CB_SYSTEM, "out of memory for %s's results", s->name);
		goto out;
	}
	sysinfo_reset_peak_rss();
	st = s->prepare(&ctx.run, err);
	res->setup = ctx.run.setup;
	if (st == CB_OK)
		st = timing_measure(&tc, cfg, res->per_loop, &res->loops, err);
	if (st == CB_OK) { /* one more call, untimed, to measure the memory */
		double startup;

		ctx.run.measure_memory = true;
		st = s->call(&ctx.run, &startup, err);
		res->peak_rss = (double)sysinfo_peak_rss() + ctx.run.worker_private;
		res->cow_copied = s->processes ? ctx.run.worker_private : 0;
	}
	s->release(&ctx.run);
	if (st == CB_OK) {
		stats_summarize(res->per_loop, res->runs, &res->time);
		res->startup = ctx.startup_calls ? ctx.startup_sum / ctx.startup_calls : 0;
	}
out:
	free(ctx.run.sums);
	if (st != CB_OK)
		bench_result_free(res);
	return st;
}

void bench_result_free(struct bench_result *res)
{
	free(res->per_loop);
	res->per_loop = NULL;
}

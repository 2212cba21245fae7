/*
 * timing.c - the %timeit protocol (see timing.h).
 */
#include "measure/timing.h"

#include <stdbool.h>
#include <time.h>

/* Time `loops` calls; *seconds gets the elapsed time of all of them. */
static enum cb_status time_loops(const struct timed_call *tc, unsigned loops,
				 double *seconds, struct cb_error *err)
{
	double t0 = tc->now();

	for (unsigned i = 0; i < loops; i++) {
		enum cb_status st = tc->call(tc->ctx, err);

		if (st != CB_OK)
			return st;
	}
	*seconds = tc->now() - t0;
	return CB_OK;
}

enum cb_status timing_autorange_to(const struct timed_call *tc, double target,
				   unsigned *loops, struct cb_error *err)
{
	unsigned number = 1, decade = 1;
	/* IPython's steps, 1, 10, 100, ..., up to AUTORANGE_TARGET; below it,
	 * Python's timeit's 1, 2, 5, 10, 20, ..., so that short runs stay short. */
	static const unsigned fine[] = { 1, 2, 5 };
	bool coarse = target >= AUTORANGE_TARGET;

	for (int step = 0; decade <= 1000000000u; step++) {
		double seconds;

		number = coarse ? decade : decade * fine[step % 3];
		enum cb_status st = time_loops(tc, number, &seconds, err);

		if (st != CB_OK)
			return st;
		if (tc->agree)
			seconds = tc->agree(tc->ctx, seconds);
		if (seconds >= target)
			break;
		if (coarse || step % 3 == 2) {
			if (decade == 1000000000u)
				break; /* 10^9 loops and still fast: keep it, as IPython does */
			decade *= 10;
		}
	}
	*loops = number;
	return CB_OK;
}

enum cb_status timing_autorange(const struct timed_call *tc, unsigned *loops,
				struct cb_error *err)
{
	return timing_autorange_to(tc, AUTORANGE_TARGET, loops, err);
}

enum cb_status timing_prepare(const struct timed_call *tc, const struct timing_config *cfg,
			      unsigned *loops, struct cb_error *err)
{
	for (unsigned i = 0; i < cfg->warmup; i++) {
		enum cb_status st = tc->call(tc->ctx, err);

		if (st != CB_OK)
			return st;
	}
	*loops = cfg->number;
	if (*loops == 0)
		return timing_autorange_to(tc, cfg->target > 0 ? cfg->target : AUTORANGE_TARGET,
					   loops, err);
	return CB_OK;
}

enum cb_status timing_run(const struct timed_call *tc, unsigned run, unsigned loops,
			  double *per_loop, struct cb_error *err)
{
	double seconds;
	enum cb_status st;

	if (tc->before_run && (st = tc->before_run(tc->ctx, run, err)) != CB_OK)
		return st;
	if ((st = time_loops(tc, loops, &seconds, err)) != CB_OK)
		return st;
	*per_loop = seconds / loops;
	if (tc->after_run && (st = tc->after_run(tc->ctx, run, err)) != CB_OK)
		return st;
	return CB_OK;
}

enum cb_status timing_measure(const struct timed_call *tc,
			      const struct timing_config *cfg, double *per_loop,
			      unsigned *loops, struct cb_error *err)
{
	enum cb_status st = timing_prepare(tc, cfg, loops, err);

	for (unsigned run = 0; st == CB_OK && run < cfg->repeat; run++)
		st = timing_run(tc, run, *loops, &per_loop[run], err);
	return st;
}

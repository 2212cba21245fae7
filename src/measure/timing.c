/*
 * timing.c - the %timeit protocol (see timing.h).
 */
#include "measure/timing.h"

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

enum cb_status timing_autorange(const struct timed_call *tc, unsigned *loops,
				struct cb_error *err)
{
	unsigned number = 1;

	for (int step = 0; step < AUTORANGE_STEPS; step++, number *= 10) {
		double seconds;
		enum cb_status st = time_loops(tc, number, &seconds, err);

		if (st != CB_OK)
			return st;
		if (tc->agree)
			seconds = tc->agree(tc->ctx, seconds);
		if (seconds >= AUTORANGE_TARGET)
			break;
		if (step == AUTORANGE_STEPS - 1)
			break; /* 10^9 loops and still fast: keep it, as IPython does */
	}
	*loops = number;
	return CB_OK;
}

enum cb_status timing_measure(const struct timed_call *tc,
			      const struct timing_config *cfg, double *per_loop,
			      unsigned *loops, struct cb_error *err)
{
	enum cb_status st;

	for (unsigned i = 0; i < cfg->warmup; i++)
		if ((st = tc->call(tc->ctx, err)) != CB_OK)
			return st;
	*loops = cfg->number;
	if (*loops == 0 && (st = timing_autorange(tc, loops, err)) != CB_OK)
		return st;
	for (unsigned run = 0; run < cfg->repeat; run++) {
		double seconds;

		if (tc->before_run && (st = tc->before_run(tc->ctx, run, err)) != CB_OK)
			return st;
		if ((st = time_loops(tc, *loops, &seconds, err)) != CB_OK)
			return st;
		per_loop[run] = seconds / *loops;
		if (tc->after_run && (st = tc->after_run(tc->ctx, run, err)) != CB_OK)
			return st;
	}
	return CB_OK;
}

/*
 * timing.h - the %timeit protocol: warm-up calls, autorange, timed runs.
 *
 * IPython's %timeit times `number` loops per run and `repeat` runs, and
 * reports per-loop times.  Without -n it autoranges: it tries 1, 10, 100,
 * ... loops until one run takes at least 0.2 s.  This file does the same
 * over any callable, with the clock injectable so the protocol is testable.
 */
#ifndef COLBENCH_TIMING_H
#define COLBENCH_TIMING_H

#include "os/clock.h"
#include "os/status.h"

#define AUTORANGE_TARGET 0.2 /* seconds, as IPython */
#define AUTORANGE_STEPS 10   /* 1 .. 10^9 loops */

struct timing_config {
	unsigned number; /* loops per run; 0: autorange */
	unsigned repeat; /* runs */
	unsigned warmup; /* untimed calls first */
	double target;   /* autorange's shortest run, seconds; 0: AUTORANGE_TARGET */
};

/* What is being timed: one call, and optional hooks around each run. */
struct timed_call {
	enum cb_status (*call)(void *ctx, struct cb_error *err);
	/* Before timed run i (untimed), e.g. to poison the output. */
	enum cb_status (*before_run)(void *ctx, unsigned run, struct cb_error *err);
	/* After timed run i (untimed), e.g. to verify the output. */
	enum cb_status (*after_run)(void *ctx, unsigned run, struct cb_error *err);
	void *ctx;
	double (*now)(void); /* seconds; monotonic_seconds() in colbench */
	/*
	 * Optional: the elapsed time every participant of a distributed run
	 * goes by (rank 0's), so all choose the same loop count.
	 */
	double (*agree)(void *ctx, double seconds);
};

/*
 * Loops per run as %timeit chooses them: the first of 1, 10, 100, ... whose
 * run takes at least AUTORANGE_TARGET seconds.  Returns CB_OK with *loops
 * set, or the first failing call's status.
 */
enum cb_status timing_autorange(const struct timed_call *tc, unsigned *loops,
				struct cb_error *err);

/* Loops per run until one takes at least target seconds (as above). */
enum cb_status timing_autorange_to(const struct timed_call *tc, double target,
				   unsigned *loops, struct cb_error *err);

/*
 * The protocol in its two halves, for a caller that interleaves the runs
 * of several timed calls: timing_prepare makes cfg->warmup untimed calls
 * and sets *loops (cfg->number, or autorange to cfg->target);
 * timing_run then times run number `run` of *loops calls into *per_loop,
 * with the hooks around it.
 */
enum cb_status timing_prepare(const struct timed_call *tc, const struct timing_config *cfg,
			      unsigned *loops, struct cb_error *err);
enum cb_status timing_run(const struct timed_call *tc, unsigned run, unsigned loops,
			  double *per_loop, struct cb_error *err);

/*
 * The whole protocol: cfg->warmup untimed calls, then loops from cfg or
 * autorange, then cfg->repeat runs.  per_loop[0..repeat) gets each run's
 * time divided by the loops; *loops gets the loop count.
 */
enum cb_status timing_measure(const struct timed_call *tc,
			      const struct timing_config *cfg, double *per_loop,
			      unsigned *loops, struct cb_error *err);

#endif

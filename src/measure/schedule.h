/*
 * schedule.h - the timed runs of several benchmarks, taking turns.
 *
 * Timing one (strategy, workers) pair's runs back to back, then the
 * next's, puts each pair in its own stretch of the machine's life: a
 * burst of other work, a drift of the clock or of the host's load falls
 * on one pair and not the others, and shows as a difference between
 * them.  Here every pair is prepared and calibrated first; then each
 * round times one run of every pair, in an order drawn afresh for every
 * round and every process (Google Benchmark's random interleaving, within
 * pyperf's fresh processes), so such noise falls on all of them alike.
 */
#ifndef COLBENCH_SCHEDULE_H
#define COLBENCH_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

#include "measure/bench.h"

/* One benchmark to interleave with the others. */
struct schedule_pair {
	const struct strategy *s;
	struct strategy_run setup;   /* matrix, kernel, workers, pin */
	struct timing_config timing; /* its loops (number) may differ from the others' */
	struct bench_result *res;    /* filled; runs marked with the process */
};

/*
 * Order 0..n-1 shuffled (Fisher-Yates) by a generator seeded with seed:
 * the same seed, the same order.  order has room for n.
 */
void schedule_order(size_t *order, size_t n, uint64_t seed);

/*
 * Work that is not a pair but takes its turn among them: warmed up where
 * the pairs are calibrated, then given one turn in every round (the read
 * limit's passes, measure/limit.h), so that it meets the machine the
 * pairs meet.
 */
struct schedule_turn {
	enum cb_status (*warm)(void *arg, struct cb_error *err);
	enum cb_status (*round)(void *arg, unsigned round, struct cb_error *err);
	void *arg;
};

/*
 * Open, calibrate and time pairs[0..n) as above, with extra (NULL: none)
 * taking its turn, every round in the order schedule_order draws from
 * (process, round); mark every run with process.  On success each pair's
 * res is filled and verified as bench_run fills it; on failure every res
 * is freed and the first failure's status returned.
 */
enum cb_status schedule_interleaved(struct schedule_pair *pairs, size_t n,
				    const struct schedule_turn *extra,
				    const struct reference *ref, unsigned process,
				    struct cb_error *err);

#endif

/*
 * limit.h - the speed limit of a column sum: this machine's memory read
 * bandwidth, measured over the matrix's own memory.
 *
 * A column sum reads every byte once, so no strategy can beat the fastest
 * read of the same bytes with the same number of workers.  But which way
 * of reading is fastest differs from host to host: on one the hardware
 * rewards the strategies' own few neighbouring streams, on another long
 * far-apart streams or a single one (on a 2-core AMD EPYC the far-apart
 * streams alone read 40% slower than the strategies summed).  So the limit
 * is the best over every pattern: after STREAM, the best of several
 * passes, rate = bytes / best time, GB = 10^9, with the pattern that won.
 *
 * Its passes take turns with the strategies' runs (measure/schedule.h), a
 * round of every pattern and worker count among each round's runs, so a
 * drift of the machine falls on the limit as on them.
 */
#ifndef COLBENCH_LIMIT_H
#define COLBENCH_LIMIT_H

#include <stdbool.h>
#include <stddef.h>

#include "matrix/matrix.h"
#include "os/status.h"

#define LIMIT_RUNS 7        /* rounds of a limit measured on its own (limit_probe_measure) */
#define LIMIT_MAX_COUNTS 64 /* worker counts a run measures, besides 1 */
#define LIMIT_WARMUP 3      /* untimed passes a count: fresh memory reads slower at first */

/*
 * How far a strategy's best may read above the limit before the report
 * warns that the limit was no limit: the timer's and a pass's own noise
 * (3%, the spread of the best of seven passes on the development VM).
 */
#define LIMIT_SLACK 0.03

/* The ways of reading the matrix's memory the limit tries. */
enum limit_pattern {
	LIMIT_COLUMNS, /* the strategies' own: each worker its block, as block_sum reads it */
	LIMIT_STREAMS, /* each worker its contiguous share, in four far-apart streams */
	LIMIT_FLAT,    /* each worker its contiguous share, in one stream */
	LIMIT_PATTERNS
};

/* "columns", "streams", "flat" (the JSON's and the header's names). */
const char *limit_pattern_name(enum limit_pattern pattern);

/* The read-bandwidth limit measured with a number of workers: the best
 * pass of any pattern, which pattern that was, each pattern's best, and
 * over how many rounds. */
struct limit {
	unsigned workers;
	enum limit_pattern pattern;
	double gbps;
	double by_pattern[LIMIT_PATTERNS];
	unsigned rounds;
};

/* A limit being measured, for counts[0..n) workers (limit.c). */
struct limit_probe;

/*
 * A probe of m's read bandwidth with counts[0..n) workers, bound to CPU i
 * when pin is set.  *out is NULL after a failure (CB_SYSTEM: out of memory).
 */
enum cb_status limit_probe_open(const struct matrix *m, const unsigned *counts, size_t n,
				bool pin, struct limit_probe **out, struct cb_error *err);

/* The LIMIT_WARMUP untimed passes of every worker count. */
enum cb_status limit_probe_warm(struct limit_probe *probe, struct cb_error *err);

#define LIMIT_LEADER_PASSES 2 /* a round's extra passes of each count's leading pattern */

/*
 * One timed pass of every pattern with every worker count, in an order
 * that turns with `round`, then LIMIT_LEADER_PASSES more of each count's
 * leading pattern, each kept when it is that count's best.
 * Returns CB_SYSTEM if the threads cannot start, CB_INTERRUPTED on a signal.
 */
enum cb_status limit_probe_round(struct limit_probe *probe, unsigned round,
				 struct cb_error *err);

/* The limit with each count so far, in counts' order, into out[0..n). */
void limit_probe_results(const struct limit_probe *probe, struct limit *out);

/* How many worker counts the probe measures (its n). */
size_t limit_probe_count(const struct limit_probe *probe);

void limit_probe_close(struct limit_probe *probe);

/*
 * The probe's limits on their own: the warm-up, then LIMIT_RUNS rounds
 * (for a run whose schedule has no turns to share: MPI's in-step).
 */
enum cb_status limit_probe_measure(struct limit_probe *probe, struct cb_error *err);

/*
 * from's passes added to into's (the same worker count, measured by
 * another process): each pattern's best and the best of all, kept where
 * from's are better; the rounds add up.
 */
void limit_merge(struct limit *into, const struct limit *from);

#endif

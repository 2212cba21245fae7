/*
 * schedule.c - interleaved runs (see schedule.h).
 */
#include "measure/schedule.h"

#include <stdbool.h>
#include <stdlib.h>

#include "measure/disturbance.h"

/* splitmix64: a small, well-mixed generator for the shuffles. */
static uint64_t next_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void schedule_order(size_t *order, size_t n, uint64_t seed)
{
	uint64_t state = seed;

	for (size_t i = 0; i < n; i++)
		order[i] = i;
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)(next_random(&state) % i);
		size_t t = order[i - 1];

		order[i - 1] = order[j];
		order[j] = t;
	}
}

/* The seed of a round's order: distinct for every process and round. */
static uint64_t round_seed(unsigned process, unsigned round)
{
	return ((uint64_t)process << 32 | round) * 0xd1b54a32d192ed03ULL + 1;
}

/* Entry k of a round's order: pair k's run, or (k == n) extra's turn. */
static enum cb_status take_turn(struct bench **open, size_t n, const struct schedule_turn *extra,
				size_t k, bool warm, unsigned round, struct cb_error *err)
{
	if (k == n) { /* entry n is in the order only when there is an extra */
		enum cb_status st = !extra ? CB_OK : warm ? extra->warm(extra->arg, err)
			: extra->round(extra->arg, round, err);

		disturbance_break(); /* its CPU time is this process's, in no run */
		return st;
	}
	return warm ? bench_calibrate(open[k], err) : bench_time_run(open[k], err);
}

enum cb_status schedule_interleaved(struct schedule_pair *pairs, size_t n,
				    const struct schedule_turn *extra,
				    const struct reference *ref, unsigned process,
				    struct cb_error *err)
{
	size_t turns = n + (extra != NULL);
	struct bench **open = calloc(n + 1, sizeof(void *));
	size_t *order = calloc(turns + 1, sizeof(size_t)), opened = 0;
	unsigned rounds = 0;
	enum cb_status st = CB_OK;

	if (!open || !order) {
		free(open);
		free(order);
		return cb_fail(err, CB_SYSTEM, "out of memory for the schedule");
	}
	for (size_t i = 0; st == CB_OK && i < n; i++) {
		st = bench_open(pairs[i].s, &pairs[i].setup, ref, &pairs[i].timing, pairs[i].res,
				&open[i], err);
		opened += st == CB_OK; /* a failed open freed its own */
		if (pairs[i].timing.repeat > rounds)
			rounds = pairs[i].timing.repeat;
	}
	if (st == CB_OK)
		schedule_order(order, turns, round_seed(process, 0xffffffffu));
	for (size_t k = 0; st == CB_OK && k < turns; k++)
		st = take_turn(open, n, extra, order[k], true, 0, err);
	disturbance_carry(true); /* the runs follow one another: one reading of them all */
	for (unsigned round = 0; st == CB_OK && round < rounds; round++) {
		schedule_order(order, turns, round_seed(process, round));
		for (size_t k = 0; st == CB_OK && k < turns; k++)
			if (order[k] == n || round < pairs[order[k]].timing.repeat)
				st = take_turn(open, n, extra, order[k], false, round, err);
	}
	disturbance_carry(false);
	/* Close every opened one; the first failure's status and message stay. */
	for (size_t i = 0; i < opened; i++) {
		struct cb_error spare;
		enum cb_status closed = bench_close(open[i], st, st == CB_OK ? err : &spare);

		if (st == CB_OK && closed != CB_OK)
			st = closed;
	}
	for (size_t i = 0; st == CB_OK && i < n; i++)
		for (unsigned r = 0; r < pairs[i].res->runs; r++)
			pairs[i].res->process[r] = process;
	if (st != CB_OK) /* a close after another's failure kept its result: free all */
		for (size_t i = 0; i < opened; i++)
			bench_result_free(pairs[i].res);
	free(open);
	free(order);
	return st;
}

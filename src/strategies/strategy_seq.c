/*
 * strategy_seq.c - one thread sums every column: the baseline, and what
 * numpy's single-threaded B.sum(axis=0) does in the blog.
 *
 * It runs in the calling thread, so it has no start-up cost, and it shares
 * block_sum() with the parallel strategies: it is exactly one worker's job.
 */
#include "os/pin.h"
#include "strategies/strategy.h"

static enum cb_status seq_prepare(struct strategy_run *run, struct cb_error *err)
{
	(void)err;
	if (run->pin) /* the one worker is the calling thread */
		pin_to_cpu(0);
	return CB_OK;
}

static enum cb_status seq_call(struct strategy_run *run, struct call_costs *costs,
			       struct cb_error *err)
{
	(void)err;
	/* With one worker the block area fits in the column-sum vector. */
	block_sum(run, 0, run->sums);
	*costs = (struct call_costs){ 0 };
	return CB_OK;
}

static void seq_release(struct strategy_run *run)
{
	if (run->pin)
		pin_restore();
}

const struct strategy strategy_seq = {
	.name = "seq",
	.summary = "one thread sums every column",
	.parallel = false,
	.reference = true, /* every speedup is over its fastest time */
	.prepare = seq_prepare,
	.call = seq_call,
	.release = seq_release,
};

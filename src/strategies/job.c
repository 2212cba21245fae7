/*
 * job.c - the job of one process alone (see job.h): nothing to agree on,
 * gather or gate.
 */
#include "strategies/job.h"

#include <stdlib.h>
#include <string.h>

static enum cb_status alone_agree(const struct job *j, enum cb_status mine,
				  struct cb_error *err)
{
	(void)j;
	(void)err;
	return mine;
}

static void alone_worst(const struct job *j, bool *ok, double *max_rel_error)
{
	(void)j;
	(void)ok;
	(void)max_rel_error;
}

static enum cb_status alone_gather(const struct job *j, const double *mine, size_t n,
				   double **all, size_t *total, struct cb_error *err)
{
	(void)j;
	*all = malloc((n + 1) * sizeof(double));
	if (!*all)
		return cb_fail(err, CB_SYSTEM, "out of memory for the sums");
	memcpy(*all, mine, n * sizeof(double));
	*total = n;
	return CB_OK;
}

static _Noreturn void alone_abort(const struct job *j, int status)
{
	(void)j;
	exit(status);
}

static enum cb_status alone_end(const struct job *j, enum cb_status status)
{
	(void)j;
	return status;
}

const struct job job_alone = {
	.rank = 0, .size = 1, .agree = alone_agree, .worst = alone_worst,
	.gather = alone_gather, .abort = alone_abort, .end = alone_end,
};

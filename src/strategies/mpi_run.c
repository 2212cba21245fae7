/*
 * mpi_run.c - the mpi strategy (see mpi_run.h).
 *
 * Design: rank r of N owns columns [cols * r / N, cols * (r + 1) / N): it
 * generates them itself (the generator is counter-based, so no data
 * crosses the network), as a local rows x local_cols matrix in the chosen
 * layout.  A timed call is the whole distributed sum: a barrier, the local
 * column sums (one thread, the seq kernel path), and MPI_Gatherv of the
 * sums to rank 0 in rank order, so the result does not depend on timing.
 * Each rank times its own calls; the barrier keeps them in step, and
 * rank 0's elapsed times decide the loop count for all (agree), so every
 * rank makes the same calls.  Rank 0 reports its own times, which include
 * the barrier and the gather.
 *
 * The MPI job (job.h) is the rest of what MPI supplies to the one
 * pipeline (pipeline/pipeline.c): agreement on each step's status, the worst
 * verdict and the reference sums gathered to rank 0, and rank 0's gate.
 */
#include "strategies/mpi_run.h"

#ifndef COLBENCH_MPI

int job_mpi_built(void)
{
	return 0;
}

const struct job *job_mpi_begin(void)
{
	return NULL;
}

/* Never run: the cli refuses --strategy mpi in a build without MPI. */
static enum cb_status no_mpi(struct strategy_run *run, struct cb_error *err)
{
	(void)run;
	return cb_fail(err, CB_USAGE, "this colbench was built without MPI");
}

static void no_mpi_release(struct strategy_run *run)
{
	run->state = NULL;
}


#else

#include <mpi.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "os/clock.h"
#include "strategies/mpi_ranks.h"

static struct job mpi_job; /* the hooks, below */
static struct job_rank *rank_table; /* rank 0: every rank's (job.h) */
static char transport[256];

struct mpi_state {
	int rank, size;
	int *counts, *displs; /* columns of each rank, and where they start */
	double *gathered;     /* rank 0: every column's sum */
	double times[3];      /* this rank's calls: barrier, own block, gather */
	double *all_times;    /* rank 0: every rank's times[], rank order */
	unsigned calls;
};

int job_mpi_built(void)
{
	return 1;
}

static double mpi_agree(struct strategy_run *run, double seconds)
{
	(void)run;
	MPI_Bcast(&seconds, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
	return seconds;
}

/* Learn every rank's share of the columns; rank 0 makes room for all. */
static enum cb_status mpi_prepare(struct strategy_run *run, struct cb_error *err)
{
	struct mpi_state *st = calloc(1, sizeof(*st));
	int mine = (int)run->m->cols, total = 0;

	run->state = st;
	if (!st)
		return cb_fail(err, CB_SYSTEM, "out of memory for the mpi strategy");
	MPI_Comm_rank(MPI_COMM_WORLD, &st->rank);
	MPI_Comm_size(MPI_COMM_WORLD, &st->size);
	st->counts = calloc((size_t)st->size, sizeof(int));
	st->displs = calloc((size_t)st->size, sizeof(int));
	st->all_times = calloc((size_t)st->size * 3, sizeof(double));
	if (!st->counts || !st->displs || !st->all_times)
		return cb_fail(err, CB_SYSTEM, "out of memory for the mpi strategy");
	MPI_Allgather(&mine, 1, MPI_INT, st->counts, 1, MPI_INT, MPI_COMM_WORLD);
	for (int r = 0; r < st->size; r++) {
		st->displs[r] = total;
		total += st->counts[r];
		if (rank_table) {
			rank_table[r].first_col = (size_t)st->displs[r];
			rank_table[r].cols = (size_t)st->counts[r];
		}
	}
	/* total >= 1: every rank has a column, or the run stopped before this. */
	/* NOLINTNEXTLINE(clang-analyzer-optin.portability.UnixAPI) */
	st->gathered = calloc((size_t)total, sizeof(double));
	if (!st->gathered)
		return cb_fail(err, CB_SYSTEM, "out of memory for the gathered sums");
	return CB_OK;
}

/*
 * Every rank's mean times so far, into rank 0's table: in the untimed
 * call that measures the memory, the last of a run, made by every rank.
 */
static void share_times(struct mpi_state *st)
{
	double mean[3];

	for (int k = 0; k < 3; k++)
		mean[k] = st->calls ? st->times[k] / st->calls : 0;
	MPI_Gather(mean, 3, MPI_DOUBLE, st->all_times, 3, MPI_DOUBLE, 0, MPI_COMM_WORLD);
	for (size_t r = 0; rank_table && r < (size_t)st->size; r++) {
		rank_table[r].wait = st->all_times[3 * r];
		rank_table[r].sum = st->all_times[3 * r + 1];
		rank_table[r].gather = st->all_times[3 * r + 2];
	}
}

/* A call in three parts, each timed: the barrier (start-up: until the last
 * rank has come), this rank's block, the gather (wind-down). */
static enum cb_status mpi_call(struct strategy_run *run, struct call_costs *costs,
			       struct cb_error *err)
{
	struct mpi_state *st = run->state;
	double t0 = monotonic_seconds(), t1, t2, t3;

	(void)err;
	MPI_Barrier(MPI_COMM_WORLD);
	t1 = monotonic_seconds();
	block_sum(run, 0, run->sums);
	t2 = monotonic_seconds();
	MPI_Gatherv(run->sums, (int)run->m->cols, MPI_DOUBLE, st->gathered, st->counts,
		    st->displs, MPI_DOUBLE, 0, MPI_COMM_WORLD);
	t3 = monotonic_seconds();
	if (run->measure_memory) {
		share_times(st);
	} else {
		st->times[0] += t1 - t0;
		st->times[1] += t2 - t1;
		st->times[2] += t3 - t2;
		st->calls++;
	}
	*costs = (struct call_costs){ .startup = t1 - t0, .wind_down = t3 - t2 };
	return CB_OK;
}

static void mpi_release(struct strategy_run *run)
{
	struct mpi_state *st = run->state;

	if (st) {
		free(st->counts);
		free(st->displs);
		free(st->gathered);
		free(st->all_times);
		free(st);
	}
	run->state = NULL;
}


/* ---- the MPI job (job.h) ------------------------------------------------ */

/*
 * End every rank of the job with status.  MPI_Abort does, but its prototype
 * does not say that it never returns: the _exit behind it says so to the
 * compiler and the analyzers, and ends this rank should it ever return.
 */
static _Noreturn void mpi_job_abort(const struct job *j, int status)
{
	(void)j;
	MPI_Abort(MPI_COMM_WORLD, status);
	_exit(status);
}

/*
 * The worst status of every rank; the message of the lowest rank that
 * failed in err on rank 0 (which alone prints), the other ranks' emptied.
 */
static enum cb_status mpi_job_agree(const struct job *j, enum cb_status mine,
				    struct cb_error *err)
{
	int local = (int)mine, worst = 0;
	int candidate = mine != CB_OK ? (int)j->rank : (int)j->size, first = (int)j->size;

	MPI_Allreduce(&local, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
	if (worst == CB_OK)
		return CB_OK;
	MPI_Allreduce(&candidate, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
	MPI_Bcast(err->msg, sizeof(err->msg), MPI_CHAR, first, MPI_COMM_WORLD);
	if (j->rank != 0)
		err->msg[0] = '\0';
	return (enum cb_status)worst;
}

/* The worst verdict of all ranks, on rank 0. */
static void mpi_job_worst(const struct job *j, bool *ok, double *max_rel_error)
{
	double error = *max_rel_error, worst_error = 0;
	int mine = *ok, all_ok = 0;

	MPI_Reduce(&error, &worst_error, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
	MPI_Reduce(&mine, &all_ok, 1, MPI_INT, MPI_MIN, 0, MPI_COMM_WORLD);
	if (j->rank == 0) {
		*ok = all_ok;
		*max_rel_error = worst_error;
	}
}

/* Every rank's sums, gathered on rank 0 in rank order. */
static enum cb_status mpi_job_gather(const struct job *j, const double *mine, size_t n,
				     double **all, size_t *total, struct cb_error *err)
{
	int count = (int)n, size = (int)j->size, sum = 0;
	int *counts = calloc((size_t)size, sizeof(int)), *displs = calloc((size_t)size, sizeof(int));

	(void)err;
	*all = NULL;
	*total = 0;
	if (!counts || !displs)
		mpi_job_abort(j, CB_SYSTEM); /* the others wait in the gather */
	MPI_Gather(&count, 1, MPI_INT, counts, 1, MPI_INT, 0, MPI_COMM_WORLD);
	for (int r = 0; j->rank == 0 && r < size; r++) {
		displs[r] = sum;
		sum += counts[r];
	}
	/* sum >= 1 on rank 0: every rank has a column, or the run stopped. */
	/* NOLINTNEXTLINE(clang-analyzer-optin.portability.UnixAPI) */
	if (j->rank == 0 && !(*all = calloc((size_t)sum, sizeof(double))))
		mpi_job_abort(j, CB_SYSTEM);
	MPI_Gatherv(mine, count, MPI_DOUBLE, *all, counts, displs, MPI_DOUBLE, 0, MPI_COMM_WORLD);
	*total = (size_t)sum;
	free(counts);
	free(displs);
	return CB_OK;
}

/*
 * Only rank 0 speaks for the job: its status goes to every rank, then
 * MPI_Finalize.  mpirun kills every rank as soon as one exits non-zero,
 * so the others leave at once, with status 0 and deaf to the SIGTERM
 * mpirun may still send them: rank 0 is then never killed before it has
 * said what went wrong, and mpirun's status is rank 0's.
 */
static enum cb_status mpi_job_end(const struct job *j, enum cb_status status)
{
	int st = (int)status;

	MPI_Bcast(&st, 1, MPI_INT, 0, MPI_COMM_WORLD);
	fflush(stdout);
	free(rank_table); /* the report that read it is out */
	rank_table = NULL;
	mpi_job.ranks = NULL;
	MPI_Finalize();
	if (j->rank != 0) {
		(void)signal(SIGTERM, SIG_IGN);
		(void)signal(SIGINT, SIG_IGN);
		_exit(CB_OK);
	}
	return (enum cb_status)st;
}

static struct job mpi_job = {
	.agree = mpi_job_agree, .worst = mpi_job_worst, .gather = mpi_job_gather,
	.abort = mpi_job_abort, .end = mpi_job_end,
};

const struct job *job_mpi_begin(void)
{
	int rank, size;

	MPI_Init(NULL, NULL);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	mpi_job.rank = (unsigned)rank;
	mpi_job.size = (unsigned)size;
	rank_table = mpi_ranks_learn(rank, size, &mpi_job.hosts, transport, sizeof(transport));
	mpi_job.ranks = rank_table;
	mpi_job.transport = rank == 0 ? transport : NULL;
	return &mpi_job;
}

#endif

/* The one registry entry, in every build: without MPI, the cli refuses it
 * first, and its hooks only say why. */
const struct strategy strategy_mpi = {
	.name = "mpi",
	.summary = "MPI ranks, each summing its own block of columns, gathered on rank 0",
	.opt_in = true,
	.distributed = true,
#ifdef COLBENCH_MPI
	.prepare = mpi_prepare,
	.call = mpi_call,
	.release = mpi_release,
	.agree = mpi_agree,
#else
	.prepare = no_mpi,
	.release = no_mpi_release,
#endif
};

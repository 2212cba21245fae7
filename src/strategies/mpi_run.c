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
 */
#include "strategies/mpi_run.h"

#ifndef COLBENCH_MPI

bool mpi_built(void)
{
	return false;
}

enum cb_status mpi_experiment(const struct config *cfg, struct cb_error *err)
{
	(void)cfg;
	return cb_fail(err, CB_USAGE, "this colbench was built without MPI");
}

#else

#include <mpi.h>
#include <signal.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "measure/bench.h"
#include "matrix/npy.h"
#include "os/pin.h"
#include "report/report.h"
#include "os/sysinfo.h"
#include "measure/timing.h"
#include "measure/verify.h"

struct mpi_state {
	int rank, size;
	int *counts, *displs; /* columns of each rank, and where they start */
	double *gathered;     /* rank 0: every column's sum */
};

bool mpi_built(void)
{
	return true;
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
	if (!st->counts || !st->displs)
		return cb_fail(err, CB_SYSTEM, "out of memory for the mpi strategy");
	MPI_Allgather(&mine, 1, MPI_INT, st->counts, 1, MPI_INT, MPI_COMM_WORLD);
	for (int r = 0; r < st->size; r++) {
		st->displs[r] = total;
		total += st->counts[r];
	}
	/* total >= 1: every rank has a column, or the run stopped before this. */
	/* NOLINTNEXTLINE(clang-analyzer-optin.portability.UnixAPI) */
	st->gathered = calloc((size_t)total, sizeof(double));
	if (!st->gathered)
		return cb_fail(err, CB_SYSTEM, "out of memory for the gathered sums");
	return CB_OK;
}

static enum cb_status mpi_call(struct strategy_run *run, double *startup,
			       struct cb_error *err)
{
	struct mpi_state *st = run->state;

	(void)err;
	MPI_Barrier(MPI_COMM_WORLD);
	block_sum(run, 0, run->sums);
	MPI_Gatherv(run->sums, (int)run->m->cols, MPI_DOUBLE, st->gathered, st->counts,
		    st->displs, MPI_DOUBLE, 0, MPI_COMM_WORLD);
	*startup = 0;
	return CB_OK;
}

static void mpi_release(struct strategy_run *run)
{
	struct mpi_state *st = run->state;

	if (st) {
		free(st->counts);
		free(st->displs);
		free(st->gathered);
		free(st);
	}
	run->state = NULL;
}

static const struct strategy strategy_mpi = {
	.name = "mpi",
	.summary = "MPI ranks, each summing its own block of columns, gathered on rank 0",
	.parallel = false,
	.prepare = mpi_prepare,
	.call = mpi_call,
	.release = mpi_release,
	.agree = mpi_agree,
};

/*
 * End every rank of the job with status.  MPI_Abort does, but its prototype
 * does not say that it never returns: the _exit behind it says so to the
 * compiler and the analyzers, and ends this rank should it ever return.
 */
static _Noreturn void abort_job(int status)
{
	MPI_Abort(MPI_COMM_WORLD, status);
	_exit(status);
}

/* The worst verdict of all ranks, on rank 0. */
static struct verdict worst_verdict(const struct verdict *mine)
{
	double error = mine->max_rel_error, worst_error = 0;
	int ok = mine->ok, all_ok = 0;

	MPI_Reduce(&error, &worst_error, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
	MPI_Reduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, 0, MPI_COMM_WORLD);
	return (struct verdict){ .ok = all_ok, .max_rel_error = worst_error };
}

/*
 * The message of the lowest rank that failed, in err on rank 0 (which
 * alone prints); the other ranks' messages are emptied, so main says
 * nothing for them.
 */
static void first_failure_to_rank0(bool failed, int rank, int size, struct cb_error *err)
{
	int candidate = failed ? rank : size, first = size;

	MPI_Allreduce(&candidate, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
	MPI_Bcast(err->msg, sizeof(err->msg), MPI_CHAR, first, MPI_COMM_WORLD);
	if (rank != 0)
		err->msg[0] = '\0';
}

/*
 * --sums under MPI: every rank's reference sums, gathered on rank 0 in rank
 * order and written there, so the file is the whole matrix's reference.
 */
static enum cb_status save_gathered_reference(const char *path, const struct reference *ref,
					      int rank, int size, struct cb_error *err)
{
	int mine = (int)ref->cols, *counts = calloc((size_t)size, sizeof(int));
	int *displs = calloc((size_t)size, sizeof(int)), total = 0;
	enum cb_status st = CB_OK;
	double *all = NULL;

	if (!counts || !displs)
		abort_job(CB_SYSTEM);
	MPI_Gather(&mine, 1, MPI_INT, counts, 1, MPI_INT, 0, MPI_COMM_WORLD);
	for (int r = 0; rank == 0 && r < size; r++) {
		displs[r] = total;
		total += counts[r];
	}
	/* total >= 1 on rank 0, as in mpi_prepare. */
	/* NOLINTNEXTLINE(clang-analyzer-optin.portability.UnixAPI) */
	if (rank == 0 && !(all = calloc((size_t)total, sizeof(double))))
		abort_job(CB_SYSTEM);
	MPI_Gatherv(ref->sums, mine, MPI_DOUBLE, all, counts, displs, MPI_DOUBLE, 0,
		    MPI_COMM_WORLD);
	if (rank == 0)
		st = npy_save_vector(path, all, (size_t)total, err);
	free(all);
	free(counts);
	free(displs);
	return st;
}

enum cb_status mpi_experiment(const struct config *cfg, struct cb_error *err)
{
	int rank, size;
	struct matrix m = { 0 };
	struct reference ref = { 0 };
	struct bench_result result = { 0 };
	struct report_info info = { .seed = cfg->seed, .m = &m, .kernel = cfg->kernel,
				    .hugepages = cfg->hugepages, .pin = cfg->pin };
	struct timing_config timing = { cfg->number, cfg->repeat, cfg->warmup };
	struct timespec res;
	enum cb_status st_local, st_all;
	size_t count, total_cols;
	double t0;
	int status_local, status_worst;

	MPI_Init(NULL, NULL);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	sysinfo_collect(&info.sys, pin_allowed_cpus());
	clock_getres(CLOCK_MONOTONIC, &res);
	info.clock_resolution = res.tv_sec + res.tv_nsec * 1e-9;
	info.name_width = 3;
	{
		struct named_file inputs[CLI_INPUT_FILES], outputs[CLI_OUTPUT_FILES];

		cli_named_files(cfg, inputs, outputs);
		st_local = check_named_files(inputs, CLI_INPUT_FILES, outputs, CLI_OUTPUT_FILES,
					     err);
	}

	if (st_local != CB_OK) {
		total_cols = count = 0; /* reported below, with every rank's status */
	} else if (cfg->load) { /* each rank reads its own columns of the file */
		st_local = npy_load_columns(cfg->load, false, cfg->hugepages, info.sys.usable_cpus,
					    (unsigned)rank, (unsigned)size, &m, &info.npy, err);
		info.load = cfg->load;
		total_cols = info.npy.total_cols;
		count = m.cols;
	} else {
		size_t first = cfg->cols * (size_t)rank / (size_t)size;

		total_cols = cfg->cols;
		count = cfg->cols * (size_t)(rank + 1) / (size_t)size - first;
		st_local = count == 0 ? cb_fail(err, CB_USAGE, "rank %d of %d has no column: use "
						"at most %zu ranks", rank, size, cfg->cols)
				      : matrix_alloc(&m, cfg->rows, count, cfg->layout,
						     cfg->hugepages, err);
		t0 = monotonic_seconds();
		if (st_local == CB_OK)
			st_local = matrix_first_touch(&m, info.sys.usable_cpus, cfg->pin, err);
		info.touch_seconds = monotonic_seconds() - t0;
		t0 = monotonic_seconds();
		if (st_local == CB_OK)
			st_local = matrix_generate_columns(&m, cfg->seed, first, cfg->cols,
							   info.sys.usable_cpus, cfg->pin, err);
		info.generate_seconds = monotonic_seconds() - t0;
	}
	t0 = monotonic_seconds();
	if (st_local == CB_OK)
		st_local = reference_compute(&m, info.sys.usable_cpus, &ref, err);
	info.reference_seconds = monotonic_seconds() - t0;
	/* Every rank must agree to go on, or none may: a barrier waits for all. */
	status_local = (int)st_local;
	MPI_Allreduce(&status_local, &status_worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
	st_all = (enum cb_status)status_worst;
	if (st_all != CB_OK) {
		first_failure_to_rank0(st_local != CB_OK, rank, size, err);
		goto out;
	}

	struct strategy_run setup = { .m = &m, .kernel = cfg->kernel, .workers = 1,
				      .pin = cfg->pin };
	struct matrix whole = m;

	whole.cols = total_cols;
	whole.bytes = m.rows * total_cols * sizeof(double);
	if (rank == 0 && !cfg->quiet && cfg->format == FORMAT_TEXT) {
		info.m = &whole; /* the header describes the whole matrix */
		report_header(stdout, &info);
		printf("mpi:       %d ranks, each generating and summing its own columns "
		       "(rank 0: %zu of %zu)\n\n", size, count, total_cols);
		fflush(stdout);
	}
	if (bench_run(&strategy_mpi, &setup, &ref, &timing, &result, err) != CB_OK)
		abort_job(CB_SYSTEM); /* the others wait in a collective */
	result.verdict = worst_verdict(&result.verdict);
	result.workers = (unsigned)size; /* the line says how many processes */
	if (cfg->sums)
		st_local = save_gathered_reference(cfg->sums, &ref, rank, size, err);
	if (rank == 0) {
		report_timeit_line(stdout, &result, 3);
		if (!cfg->quiet && cfg->format == FORMAT_TEXT) {
			struct result_figures figures;
			struct report_data data = { .info = &info, .results = &result, .count = 1,
						    .figures = &figures };

			report_figures(&info, &result, 1, &figures);
			report_summary(stdout, &data);
		}
		if (!result.verdict.ok)
			fprintf(stderr, "colbench: mpi: a rank's column sums differ from its "
				"reference (relative error %.1e > %.0e)\n",
				result.verdict.max_rel_error, VERIFY_TOLERANCE);
	}
	status_local = st_local != CB_OK ? (int)st_local : result.verdict.ok ? CB_OK : CB_VERIFY;
	MPI_Bcast(&status_local, 1, MPI_INT, 0, MPI_COMM_WORLD);
	st_all = (enum cb_status)status_local;
	bench_result_free(&result);
out:
	reference_free(&ref);
	matrix_free(&m);
	fflush(stdout);
	MPI_Finalize();
	/*
	 * Only rank 0 speaks for the job.  mpirun kills every rank as soon as
	 * one exits non-zero, so the others leave at once, with status 0 and
	 * deaf to the SIGTERM mpirun may still send them: rank 0 is then never
	 * killed before it has said what went wrong, and mpirun's status is
	 * rank 0's.
	 */
	if (rank != 0) {
		(void)signal(SIGTERM, SIG_IGN);
		(void)signal(SIGINT, SIG_IGN);
		_exit(CB_OK);
	}
	return st_all;
}

#endif

/*
 * pipeline.c - one run of a plan in this process (see pipeline.h).
 */
#include "pipeline/pipeline.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "matrix/npy.h"
#include "measure/progress.h"
#include "measure/schedule.h"
#include "os/clock.h"
#include "os/interrupt.h"
#include "os/pin.h"
#include "os/sysinfo.h"
#include "pipeline/machine.h"
#include "pipeline/source.h"

/* How pair n is timed: the plan's protocol, with its fixed loops if any
 * (a sampled copy's, chosen by the first copy). */
static struct timing_config timing_of(const struct plan *p, size_t n)
{
	struct timing_config t = { p->number, p->repeat, p->warmup, p->run_target };

	if (n < PLAN_MAX_PAIRS && p->loops[n])
		t.number = p->loops[n];
	return t;
}

/* The (strategy, workers) pairs p runs, in order, into pairs (room for
 * plan_pair_count), each with its result slot in rec; their number. */
static size_t list_pairs(const struct plan *p, struct run_record *rec,
			 struct schedule_pair *pairs)
{
	size_t n = 0;

	for (size_t i = 0; i < p->strategy_count; i++) {
		const struct strategy *s = p->strategies[i];
		size_t counts = s->parallel ? p->worker_count : 1;

		for (size_t w = 0; w < counts; w++, n++)
			pairs[n] = (struct schedule_pair){
				.s = s, .timing = timing_of(p, n), .res = &rec->results[n],
				.setup = { .m = &rec->m, .kernel = p->kernel,
					   .workers = rec->workers[w], .pin = p->pin } };
	}
	return n;
}

/*
 * The in-step policy (an MPI job's): each pair's runs together, on every
 * process at once, their verdict the job's; a process that fails ends
 * the job, since the others wait in a collective.
 */
static enum cb_status schedule_in_step(const struct job *job, struct schedule_pair *pairs,
				       size_t count, const struct reference *ref,
				       struct cb_error *err)
{
	for (size_t i = 0; i < count; i++) {
		struct bench_result *r = pairs[i].res;
		enum cb_status st = bench_run(pairs[i].s, &pairs[i].setup, ref, &pairs[i].timing,
					      r, err);

		progress_clear();
		if (st != CB_OK && pairs[i].s->distributed)
			job->abort(job, st);
		if (st != CB_OK) {
			for (size_t k = 0; k < i; k++)
				bench_result_free(pairs[k].res);
			return st;
		}
		if (pairs[i].s->distributed) { /* the job's verdict, over its processes */
			job->worst(job, &r->verdict.ok, &r->verdict.max_rel_error);
			r->workers = job->size;
		}
	}
	return CB_OK;
}

/* The read limit's turn in a round (schedule.h's schedule_turn). */
static enum cb_status limit_warm(void *probe, struct cb_error *err)
{
	return limit_probe_warm(probe, err);
}

static enum cb_status limit_round(void *probe, unsigned round, struct cb_error *err)
{
	return limit_probe_round(probe, round, err);
}

/*
 * Time every pair by the plan's schedule into rec->results, the read
 * limit (probe, unless NULL) taking its turns among them, with the
 * progress line drawn where the plan says (measure/progress.h).
 */
static enum cb_status run_pairs(const struct plan *p, const struct job *job,
				struct limit_probe *probe, struct run_record *rec,
				struct cb_error *err)
{
	size_t total = plan_pair_count(p), count;
	struct schedule_pair *pairs = calloc(total + 1, sizeof(*pairs));
	struct schedule_turn limit = { limit_warm, limit_round, probe };
	unsigned runs = 0;
	bool speaks = job->rank == 0;
	enum cb_status st;

	rec->results = calloc(total + 1, sizeof(*rec->results));
	if (!pairs || !rec->results) {
		free(pairs);
		return cb_fail(err, CB_SYSTEM, "out of memory for the results");
	}
	count = list_pairs(p, rec, pairs);
	for (size_t i = 0; i < count; i++)
		runs += pairs[i].timing.repeat;
	progress_begin(runs, speaks && p->progress_line && isatty(STDERR_FILENO),
		       speaks && p->warn_long);
	if (p->schedule == SCHEDULE_IN_STEP) {
		/* The limit on its own, before the pairs: every rank's passes at
		 * once, as an in-step schedule has no turns to share. */
		st = probe ? limit_probe_measure(probe, err) : CB_OK;
		if (st == CB_OK)
			st = schedule_in_step(job, pairs, count, &rec->ref, err);
	} else {
		st = schedule_interleaved(pairs, count, probe ? &limit : NULL, &rec->ref, p->turn,
					  err);
	}
	progress_end();
	rec->count = st == CB_OK ? count : 0;
	free(pairs);
	return st;
}

/*
 * Every kernel once through the one-worker reference strategy (seq: one
 * warm-up call, then one loop a run, best of 3), so the summary can show
 * what each summation costs and how far each is from the reference.
 */
static enum cb_status survey_kernels(const struct plan *p, struct run_record *rec,
				     struct cb_error *err)
{
	struct timing_config once = { .number = 1, .repeat = 3, .warmup = 1 };
	const struct strategy *one = strategy_reference(STRATEGY_ONE);
	size_t count;
	const struct kernel *all = kernel_all(&count);

	if (!one) /* a registry without one: nothing to survey with */
		return CB_OK;

	if (!(rec->kernels = calloc(count + 1, sizeof(*rec->kernels))))
		return cb_fail(err, CB_SYSTEM, "out of memory for the results");
	for (size_t k = 0; k < count; k++) {
		struct strategy_run setup = { .m = &rec->m, .kernel = &all[k], .workers = 1,
					      .pin = p->pin };
		enum cb_status st = bench_run(one, &setup, &rec->ref, &once,
					      &rec->kernels[k], err);

		if (st != CB_OK)
			return st;
		rec->kernel_count++;
	}
	return CB_OK;
}

/* The header's view of a job's matrix: the whole of it, not this rank's block. */
static void name_whole_matrix(const struct plan *p, const struct job *job,
			      struct run_record *rec)
{
	rec->whole = rec->m;
	if (p->mpi) {
		rec->whole.cols = p->load ? rec->info.npy.total_cols : p->cols;
		rec->whole.bytes = rec->m.rows * rec->whole.cols * sizeof(double);
		rec->info.ranks = job->size;
		rec->info.rank0_cols = rec->m.cols;
		rec->info.job_ranks = job->ranks;
		rec->info.hosts = job->hosts;
		rec->info.transport = job->transport;
	}
	rec->info.m = &rec->whole;
}

/* The matrix, its reference (a matrix that cannot be checked, such as a
 * column whose values add up past the float64 range, is refused before
 * any work), and the job's agreement that every process can go on. */
static enum cb_status prepare_matrix(const struct plan *p, const struct job *job,
				     const struct pipeline_hooks *hooks, struct run_record *rec,
				     struct cb_error *err)
{
	enum cb_status st = source_build(p, job, rec, err);
	double t0;

	if (st == CB_OK && hooks && hooks->built)
		st = hooks->built(hooks->built_arg, rec, err);
	rec->info.huge_bytes = sysinfo_anon_huge_bytes();
	rec->info.page_tables = sysinfo_page_tables();
	t0 = monotonic_seconds();
	if (st == CB_OK &&
	    (st = reference_compute(&rec->m, rec->info.sys.usable_cpus, &rec->ref, err)) ==
	    CB_USAGE && p->load)
		cb_prefix(err, CB_USAGE, "%s: ", p->load);
	rec->info.reference_seconds = monotonic_seconds() - t0;
	return job->agree(job, st, err);
}

enum cb_status pipeline_run(const struct plan *p, const struct job *job,
			    const struct pipeline_hooks *hooks, struct run_record *rec,
			    struct cb_error *err)
{
	struct timespec res;
	struct limit_probe *probe;
	enum cb_status st;

	memset(rec, 0, sizeof(*rec));
	rec->info = (struct report_info){ .seed = p->seed, .m = &rec->m, .kernel = p->kernel,
					  .hugepages = p->hugepages, .pin = p->pin,
					  .processes = 1, .runs_per_process = p->repeat };
	sysinfo_collect(&rec->info.sys, pin_allowed_cpus());
	clock_getres(CLOCK_MONOTONIC, &res);
	rec->info.clock_resolution = res.tv_sec + res.tv_nsec * 1e-9;
	rec->info.name_width = plan_name_width(p);
	if ((st = prepare_matrix(p, job, hooks, rec, err)) != CB_OK)
		return st;
	name_whole_matrix(p, job, rec);
	if (p->save && (st = npy_save_matrix(p->save, &rec->m, err)) != CB_OK)
		return st;
	if ((st = machine_tune(p, rec, err)) != CB_OK)
		return st;
	if (!p->no_limit && (st = machine_floors(p, rec, err)) != CB_OK)
		return st;
	if (p->sums && (st = source_save_sums(p->sums, job, &rec->ref, err)) != CB_OK)
		return st;
	if (interrupt_pending())
		return cb_fail(err, CB_INTERRUPTED, "interrupted");
	if ((st = machine_limit_open(p, rec, &probe, err)) != CB_OK)
		return st;
	if (job->rank == 0 && hooks && hooks->ready)
		hooks->ready(p, rec);
	st = run_pairs(p, job, probe, rec, err);
	if (st == CB_OK)
		machine_limit_keep(probe, rec);
	else
		limit_probe_close(probe);
	return st;
}

enum cb_status pipeline_survey(const struct plan *p, struct run_record *rec,
			       struct cb_error *err)
{
	/* The survey informs: a kernel other than the run's own may exceed
	 * the tolerance on a very tall matrix (naive's error grows with the
	 * rows) without the run having failed. */
	return p->survey ? survey_kernels(p, rec, err) : CB_OK;
}

void run_record_free(struct run_record *rec)
{
	for (size_t i = 0; i < rec->count; i++)
		bench_result_free(&rec->results[i]);
	for (size_t i = 0; i < rec->kernel_count; i++)
		bench_result_free(&rec->kernels[i]);
	free(rec->results);
	free(rec->kernels);
	reference_free(&rec->ref);
	matrix_free(&rec->m);
	rec->results = rec->kernels = NULL;
	rec->count = rec->kernel_count = 0;
}

/*
 * copy.c - one of a sampler's fresh processes (sampling/sampler.h): its
 * order and plan from the socket, the pipeline, its results back through
 * the socket; nothing on stdout (driver.h).
 */
#include <stdio.h>

#include "drivers/common.h"
#include "drivers/driver.h"
#include "os/interrupt.h"
#include "sampling/wire.h"

static char origin[48]; /* "sampled process K of N" */

const char *copy_origin(void)
{
	return origin[0] ? origin : NULL;
}

/* The pipeline's built hook: the --load file this copy read must be the
 * version the sampler found before the first copy (the copies must all
 * sum the same matrix). */
static enum cb_status check_load(const void *arg, const struct run_record *rec,
				 struct cb_error *err)
{
	const struct sample_order *o = arg;
	char when[64];

	if (!o->load_known || !rec->info.load)
		return CB_OK;
	snprintf(when, sizeof(when), "seen by %s", origin);
	return file_version_expect(rec->info.load, &o->load, &rec->info.npy.version, when, err);
}

/*
 * The copy's end: its status, and with a complete one (its results were
 * timed, verified or not) its results, to the sampler.  A failure is said
 * by the copy itself, on stderr; the sampler learns only of it.
 */
static enum cb_status reply(int fd, enum cb_status st, struct run_record *rec,
			    struct cb_error *err)
{
	static struct sample_reply r; /* off the stack (ulimit -s 32) */
	static struct cb_error spare;
	enum cb_status sent;
	bool complete = wire_reply_complete(st);

	r = (struct sample_reply){ .status = st, .info = rec->info };
	if (complete) { /* the results travel; the failure's reason is said here */
		r.shape = *rec->info.m;
		r.results = rec->results;
		r.count = rec->count;
		r.kernels = rec->kernels;
		r.kernel_count = rec->kernel_count;
	}
	sent = wire_send_reply(fd, &r, complete ? err : &spare);
	return sent == CB_OK || !complete ? st : sent;
}

enum cb_status drive_copy(int fd, struct cb_error *err)
{
	static struct sample_order order; /* off the stack (ulimit -s 32) */
	static struct plan plan;
	static struct run_record rec;
	const struct plan *p = &plan; /* const from here on, as every driver's */
	struct pipeline_hooks hooks = { .built = check_load, .built_arg = &order };
	enum cb_status st;

	interrupt_end_quietly(); /* the sampler says it */
	if ((st = wire_receive_order(fd, &order, &plan, err)) != CB_OK)
		return st;
	snprintf(origin, sizeof(origin), "sampled process %u of %u", order.index + 1,
		 order.processes);
	interrupt_name_origin(origin);
	st = driver_check_files(p, &job_alone, err);
	if (st == CB_OK)
		st = pipeline_run(p, &job_alone, &hooks, &rec, err);
	if (st == CB_OK) { /* its mismatches said here, its lines by the sampler */
		struct report_data data = { .info = &rec.info, .results = rec.results,
					    .count = rec.count };

		st = driver_results(p, &data, &rec.ref, false, CB_OK, err);
	}
	if (st == CB_OK || st == CB_VERIFY) {
		enum cb_status survey = pipeline_survey(p, &rec, err);

		st = survey != CB_OK ? survey : st;
	}
	st = reply(fd, st, &rec, err);
	run_record_free(&rec);
	return st;
}

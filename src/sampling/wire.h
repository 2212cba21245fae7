/*
 * wire.h - what a sampled process and the sampler say to each other over
 * their socket (see sampler.h).
 *
 * Both ends are the same binary (/proc/self/exe), so the structs travel
 * as they lie in memory; only pointers are replaced, by names (strategy,
 * kernel), by the strings themselves (a plan's paths) or by what the
 * receiver owns (the matrix, the report's strings).  The sampler speaks
 * first: the copy's order and its whole plan (plan.h), which is how a
 * copy learns what to do (its command line is --sample-child FD alone).
 */
#ifndef COLBENCH_WIRE_H
#define COLBENCH_WIRE_H

#include <stdbool.h>
#include <stddef.h>

#include "measure/bench.h"
#include "os/file_version.h"
#include "plan/plan.h"
#include "report/report.h"

/* The sampler's word to process `index` of `processes`, beside its plan. */
struct sample_order {
	unsigned magic;
	unsigned index, processes;
	/* --load: the version of the file the sampler found before the first
	 * copy; each copy loads the file itself and must find the same. */
	bool load_known;
	struct file_version load;
};

/* What a sampled process sends back. */
struct sample_reply {
	enum cb_status status;
	struct report_info info;    /* its pointers replaced by the receiver */
	struct matrix shape;        /* info.m's figures (no data) */
	struct bench_result *results, *kernels;
	size_t count, kernel_count;
};

/* What begins every message: its sender's build. */
unsigned wire_magic(void);

/* Whether a reply of this status carries the results (a run whose
 * results failed verification still reports them). */
bool wire_reply_complete(enum cb_status status);

/* Write all of buf, or read all of it, over fd; CB_SYSTEM, or
 * CB_INTERRUPTED when a signal came while waiting. */
enum cb_status wire_write(int fd, const void *buf, size_t len, struct cb_error *err);
enum cb_status wire_read(int fd, void *buf, size_t len, struct cb_error *err);

/*
 * While waiting for a peer, every 100 ms: check(arg, err), and its
 * failure (err filled) ends the wait (the sampler's check that its copy
 * was not stopped).  NULL: none.
 */
void wire_watch(enum cb_status (*check)(void *arg, struct cb_error *err), void *arg);

/*
 * The sampler's side: a copy's order and plan.  The plan carries no
 * report request (a copy reports to its sampler) and no compare paths:
 * only --load, --save and --sums travel as strings.
 */
enum cb_status wire_send_order(int fd, const struct sample_order *o, const struct plan *p,
			       struct cb_error *err);

/*
 * The sampled process's side: its order and plan (the plan's strings
 * malloc'd for the life of the process); CB_USAGE when fd does not come
 * from a sampler of this build.  Then its reply.
 */
enum cb_status wire_receive_order(int fd, struct sample_order *o, struct plan *p,
				  struct cb_error *err);
enum cb_status wire_send_reply(int fd, const struct sample_reply *r, struct cb_error *err);

/*
 * The sampler's side: read a reply into *r; its results' and kernels'
 * arrays are the caller's to free (bench_result_free, then free).  info.m
 * points at r->shape, so r must not move while info is used; info.load
 * is set to load, info.kernel to NULL (the caller's).  Returns the
 * process's status (CB_VERIFY with its results), or why the reply could
 * not be read.
 */
enum cb_status wire_receive_reply(int fd, const char *load, struct sample_reply *r,
				  struct cb_error *err);

#endif

/*
 * wire.c - the sampler's socket protocol (see wire.h).
 */
#include "sampling/wire.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernels/kernels.h"
#include "os/interrupt.h"

/* "colb", and the sizes of what travels: a copy started from a binary
 * rebuilt since the sampler started does not read the other's structs. */
#define WIRE_MAGIC (0x636f6c62u ^ (unsigned)sizeof(struct sample_reply) ^ \
		    (unsigned)sizeof(struct bench_result) << 12 ^ \
		    (unsigned)sizeof(struct sample_order) << 20 ^ \
		    (unsigned)sizeof(struct plan) << 8)
#define WIRE_MAX_PATH 65536    /* a path's length that no copy is sent */
#define WIRE_WAIT_MS 100       /* how often a waiting end looks for a signal */

/* What a waiting end also looks at (wire_watch), and its argument. */
static enum cb_status (*watch)(void *arg, struct cb_error *err);
static void *watch_arg;

void wire_watch(enum cb_status (*check)(void *arg, struct cb_error *err), void *arg)
{
	watch = check;
	watch_arg = arg;
}

/* Wait until fd is ready for events, looking for a signal (and asking the
 * watch) every WIRE_WAIT_MS. */
static enum cb_status wait_ready(int fd, short events, struct cb_error *err)
{
	struct pollfd p = { .fd = fd, .events = events };

	for (;;) {
		enum cb_status st;

		if (interrupt_pending())
			return cb_fail(err, CB_INTERRUPTED, "interrupted");
		if (poll(&p, 1, WIRE_WAIT_MS) > 0)
			return CB_OK;
		if (watch && (st = watch(watch_arg, err)) != CB_OK)
			return st;
	}
}

/* Move all of buf through fd: written (writing) or read. */
static enum cb_status transfer(int fd, char *buf, size_t len, bool writing, struct cb_error *err)
{
	while (len > 0) {
		enum cb_status st = wait_ready(fd, writing ? POLLOUT : POLLIN, err);
		ssize_t n;

		if (st != CB_OK)
			return st;
		n = writing ? write(fd, buf, len) : read(fd, buf, len);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0 && writing)
			return cb_fail(err, CB_SYSTEM, "cannot write to the sampler: %s",
				       n < 0 ? strerror(errno) : "closed");
		if (n <= 0) /* the other end ended: its status says why */
			return cb_fail(err, CB_SYSTEM, "the sampled process ended before its "
				       "report was whole%s%s", n < 0 ? ": " : "",
				       n < 0 ? strerror(errno) : "");
		buf += n;
		len -= (size_t)n;
	}
	return CB_OK;
}

enum cb_status wire_write(int fd, const void *buf, size_t len, struct cb_error *err)
{
	return transfer(fd, (char *)buf, len, true, err);
}

enum cb_status wire_read(int fd, void *buf, size_t len, struct cb_error *err)
{
	return transfer(fd, buf, len, false, err);
}

/* What travels for a plan beside its struct: names for its pointers. */
struct plan_names {
	char strategies[MAX_STRATEGIES][32];
	char kernel[32];
};

/* A plan's string: its length (SIZE_MAX: NULL), then its bytes. */
static enum cb_status send_string(int fd, const char *s, struct cb_error *err)
{
	size_t len = s ? strlen(s) : SIZE_MAX;
	enum cb_status st = wire_write(fd, &len, sizeof(len), err);

	return st == CB_OK && s ? wire_write(fd, s, len, err) : st;
}

static enum cb_status receive_string(int fd, const char **out, struct cb_error *err)
{
	size_t len;
	char *s;
	enum cb_status st = wire_read(fd, &len, sizeof(len), err);

	*out = NULL;
	if (st != CB_OK || len == SIZE_MAX)
		return st;
	if (len > WIRE_MAX_PATH)
		return cb_fail(err, CB_USAGE, "--sample-child is colbench's own: not for use");
	if (!(s = calloc(len + 1, 1)))
		return cb_fail(err, CB_SYSTEM, "out of memory for the plan");
	if ((st = wire_read(fd, s, len, err)) == CB_OK)
		*out = s;
	else
		free(s);
	return st;
}

enum cb_status wire_send_order(int fd, const struct sample_order *o, const struct plan *p,
			       struct cb_error *err)
{
	struct plan_names names;
	enum cb_status st;

	memset(&names, 0, sizeof(names));
	for (size_t i = 0; i < p->strategy_count; i++)
		strncpy(names.strategies[i], p->strategies[i]->name, sizeof(names.strategies[i]) - 1);
	strncpy(names.kernel, p->kernel->name, sizeof(names.kernel) - 1);
	st = wire_write(fd, o, sizeof(*o), err);
	if (st == CB_OK)
		st = wire_write(fd, p, sizeof(*p), err);
	if (st == CB_OK)
		st = wire_write(fd, &names, sizeof(names), err);
	if (st == CB_OK)
		st = send_string(fd, p->load, err);
	if (st == CB_OK)
		st = send_string(fd, p->save, err);
	return st == CB_OK ? send_string(fd, p->sums, err) : st;
}

/*
 * Whether a plan read from the socket is one a sampler of this build can
 * have made (cli.c's ranges, copy_plan's settings): the socket is only
 * the sampler's, but a copy must not run 0 or 100000 workers, or
 * autorange for ever, on a word it cannot check otherwise.
 */
static bool plan_received_whole(const struct plan *p)
{
	bool ok = p->strategy_count >= 1 && p->strategy_count <= MAX_STRATEGIES &&
		  p->worker_count >= 1 && p->worker_count <= MAX_WORKER_COUNTS &&
		  p->rows >= 1 && p->cols >= 1 && p->repeat >= 1 && p->repeat <= 1000000 &&
		  p->number <= 1000000000 && p->warmup <= 1000000 && p->processes == 1 &&
		  !p->mpi && p->schedule == SCHEDULE_INTERLEAVED &&
		  p->run_target >= 0 && p->run_target <= 10 && /* NaN fails too */
		  (p->simd_at_once == 0 || p->simd_at_once == 1 ||
		   p->simd_at_once == KERNEL_SIMD_AT_ONCE);

	for (size_t i = 0; ok && i < p->worker_count; i++)
		ok = p->workers[i] >= 1 && p->workers[i] <= MAX_WORKERS;
	for (size_t i = 0; ok && i < p->strategy_count; i++)
		ok = !p->strategies[i]->distributed;
	return ok;
}

/* The plan's pointers, from the names and strings that came with it. */
static enum cb_status receive_plan_pointers(int fd, struct plan *p, struct cb_error *err)
{
	struct plan_names names;
	enum cb_status st = wire_read(fd, &names, sizeof(names), err);

	if (st != CB_OK)
		return st;
	/* Every pointer of struct plan is replaced here: the strategies and
	 * the kernel by name, the paths by their strings, the report request
	 * and the compare paths by nothing (a copy reports to its sampler).
	 * A pointer field added to the plan must be added here and in
	 * wire_send_order. */
	names.kernel[sizeof(names.kernel) - 1] = '\0';
	p->kernel = kernel_find(names.kernel);
	for (size_t i = p->strategy_count; i < MAX_STRATEGIES; i++)
		p->strategies[i] = NULL;
	for (size_t i = 0; i < p->strategy_count && i < MAX_STRATEGIES; i++) {
		names.strategies[i][sizeof(names.strategies[i]) - 1] = '\0';
		if (!(p->strategies[i] = strategy_find(names.strategies[i])))
			p->kernel = NULL;
	}
	if (!p->kernel || !plan_received_whole(p))
		return cb_fail(err, CB_USAGE, "--sample-child is colbench's own: not for use");
	p->report = (struct report_request){ .format = FORMAT_TEXT, .quiet = true,
					     .rule = p->report.rule };
	p->compare_old = p->compare_new = NULL;
	st = receive_string(fd, &p->load, err);
	if (st == CB_OK)
		st = receive_string(fd, &p->save, err);
	return st == CB_OK ? receive_string(fd, &p->sums, err) : st;
}

enum cb_status wire_receive_order(int fd, struct sample_order *o, struct plan *p,
				  struct cb_error *err)
{
	enum cb_status st = wire_read(fd, o, sizeof(*o), err);

	if (st == CB_INTERRUPTED)
		return st;
	if (st != CB_OK || o->magic != WIRE_MAGIC) /* not started by a sampler */
		return cb_fail(err, CB_USAGE, "--sample-child is colbench's own: not for use");
	if (o->processes == 0 || o->index >= o->processes)
		return cb_fail(err, CB_USAGE, "--sample-child is colbench's own: not for use");
	st = wire_read(fd, p, sizeof(*p), err);
	return st == CB_OK ? receive_plan_pointers(fd, p, err) : st;
}

unsigned wire_magic(void)
{
	return WIRE_MAGIC;
}

bool wire_reply_complete(enum cb_status status)
{
	return status == CB_OK || status == CB_VERIFY;
}

/* What travels for one result beside its struct: names for its pointers. */
struct result_names {
	char strategy[32], kernel[32];
};

static enum cb_status send_results(int fd, const struct bench_result *r, size_t n,
				   struct cb_error *err)
{
	enum cb_status st = CB_OK;

	for (size_t i = 0; st == CB_OK && i < n; i++) {
		struct result_names names;

		memset(&names, 0, sizeof(names));

		strncpy(names.strategy, r[i].strategy->name, sizeof(names.strategy) - 1);
		strncpy(names.kernel, r[i].kernel->name, sizeof(names.kernel) - 1);
		st = wire_write(fd, &r[i], sizeof(r[i]), err);
		if (st == CB_OK)
			st = wire_write(fd, &names, sizeof(names), err);
		if (st == CB_OK)
			st = wire_write(fd, r[i].per_loop, r[i].runs * sizeof(double), err);
		if (st == CB_OK)
			st = wire_write(fd, r[i].process, r[i].runs * sizeof(unsigned), err);
		if (st == CB_OK)
			st = wire_write(fd, r[i].disturbance, r[i].runs * sizeof(struct disturbance),
					err);
		if (st == CB_OK)
			st = wire_write(fd, r[i].memory, r[i].runs * sizeof(double), err);
	}
	return st;
}

enum cb_status wire_send_reply(int fd, const struct sample_reply *r, struct cb_error *err)
{
	unsigned magic = WIRE_MAGIC;
	char llc_source[16] = { 0 };
	enum cb_status st = wire_write(fd, &magic, sizeof(magic), err);

	if (st == CB_OK)
		st = wire_write(fd, r, sizeof(*r), err);
	if (st != CB_OK || !wire_reply_complete(r->status))
		return st;
	strncpy(llc_source, r->info.sys.llc_source ? r->info.sys.llc_source : "",
		sizeof(llc_source) - 1);
	st = wire_write(fd, &r->shape, sizeof(r->shape), err);
	if (st == CB_OK)
		st = wire_write(fd, llc_source, sizeof(llc_source), err);
	if (st == CB_OK)
		st = send_results(fd, r->results, r->count, err);
	if (st == CB_OK)
		st = send_results(fd, r->kernels, r->kernel_count, err);
	return st;
}

/* Read n results into a fresh array *out (NULL when n is 0). */
static enum cb_status receive_results(int fd, size_t n, struct bench_result **out,
				      struct cb_error *err)
{
	struct bench_result *r = calloc(n + 1, sizeof(*r));
	enum cb_status st = CB_OK;
	size_t got = 0;

	*out = NULL;
	if (!r)
		return cb_fail(err, CB_SYSTEM, "out of memory for the results");
	for (; st == CB_OK && got < n; got++) {
		struct result_names names;
		unsigned runs;

		st = wire_read(fd, &r[got], sizeof(r[got]), err);
		if (st == CB_OK)
			st = wire_read(fd, &names, sizeof(names), err);
		if (st != CB_OK)
			break;
		runs = r[got].runs;
		names.strategy[sizeof(names.strategy) - 1] = names.kernel[sizeof(names.kernel) - 1] = 0;
		r[got].strategy = strategy_find(names.strategy);
		r[got].kernel = kernel_find(names.kernel);
		r[got].per_loop = NULL;
		r[got].process = NULL;
		r[got].disturbance = NULL;
		r[got].memory = NULL;
		if (!r[got].strategy || !r[got].kernel || runs == 0 || runs > COMPARE_MAX_RUNS) {
			st = cb_fail(err, CB_SYSTEM, "a sampled process sent a malformed result");
			break;
		}
		if (!bench_result_alloc(&r[got], runs)) {
			st = cb_fail(err, CB_SYSTEM, "out of memory for the results");
			got++;
			break;
		}
		st = wire_read(fd, r[got].per_loop, runs * sizeof(double), err);
		if (st == CB_OK)
			st = wire_read(fd, r[got].process, runs * sizeof(unsigned), err);
		if (st == CB_OK)
			st = wire_read(fd, r[got].disturbance, runs * sizeof(struct disturbance), err);
		if (st == CB_OK)
			st = wire_read(fd, r[got].memory, runs * sizeof(double), err);
	}
	if (st != CB_OK) {
		for (size_t i = 0; i <= got && i < n; i++)
			bench_result_free(&r[i]);
		free(r);
		r = NULL;
	}
	*out = r;
	return st;
}

/* The same static string the sender pointed at, found by its text. */
static const char *llc_source_of(const char *text)
{
	static const char *const known[] = { "sysfs", "sysconf", "" };

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(text, known[i]) == 0)
			return known[i];
	return "";
}

enum cb_status wire_receive_reply(int fd, const char *load, struct sample_reply *r,
				  struct cb_error *err)
{
	unsigned magic = 0;
	char llc_source[16];
	enum cb_status st = wire_read(fd, &magic, sizeof(magic), err);

	if (st == CB_OK && magic != WIRE_MAGIC)
		st = cb_fail(err, CB_SYSTEM, "a sampled process sent a malformed report");
	if (st == CB_OK)
		st = wire_read(fd, r, sizeof(*r), err);
	r->results = r->kernels = NULL;
	if (st != CB_OK)
		return st;
	if (!wire_reply_complete(r->status))
		return r->status;
	st = wire_read(fd, &r->shape, sizeof(r->shape), err);
	if (st == CB_OK)
		st = wire_read(fd, llc_source, sizeof(llc_source), err);
	if (st != CB_OK)
		return st;
	llc_source[sizeof(llc_source) - 1] = '\0';
	r->shape.data = NULL;
	r->shape.map_base = NULL;
	r->info.m = &r->shape;
	r->info.load = load;
	r->info.kernel = NULL; /* the caller's own */
	r->info.limit_samples = NULL;
	r->info.sys.llc_source = llc_source_of(llc_source);
	if (r->count > PLAN_MAX_PAIRS || r->kernel_count > 64)
		return cb_fail(err, CB_SYSTEM, "a sampled process sent a malformed report");
	st = receive_results(fd, r->count, &r->results, err);
	if (st == CB_OK)
		st = receive_results(fd, r->kernel_count, &r->kernels, err);
	return st == CB_OK ? r->status : st;
}

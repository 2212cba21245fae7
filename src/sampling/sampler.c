/*
 * sampler.c - fresh processes, one after another (see sampler.h).
 */
#include "sampling/sampler.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "measure/progress.h"
#include "os/children.h"
#include "os/clock.h"
#include "os/interrupt.h"

/*
 * The file to start a copy from: this binary's path as the kernel names
 * it.  Under valgrind, /proc/self/exe is valgrind's tool and only its
 * readlink is the program's (valgrind answers it), so the path is what is
 * executed; a binary replaced on disk since it started (" (deleted)") is
 * still reachable through /proc/self/exe itself.
 */
static const char *self_path(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	static const char deleted[] = " (deleted)";

	if (n <= 0 || (size_t)n >= len - 1)
		return "/proc/self/exe";
	buf[n] = '\0';
	if ((size_t)n > sizeof(deleted) - 1 && strcmp(buf + n - (sizeof(deleted) - 1), deleted) == 0)
		return "/proc/self/exe";
	return buf;
}

/* In the forked child: become a copy of colbench reading its order on fd. */
static void exec_copy(const struct config *cfg, int fd, pid_t parent)
{
	static char path_buf[4096];
	const char *path = self_path(path_buf, sizeof(path_buf));
	char fd_text[16], **argv = calloc((size_t)cfg->argc + 3, sizeof(char *));
	int n = 0;
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent || !argv || null < 0 ||
	    dup2(null, STDOUT_FILENO) < 0 || fcntl(fd, F_SETFD, 0) != 0)
		_exit(CB_SYSTEM);
	snprintf(fd_text, sizeof(fd_text), "%d", fd);
	for (int i = 0; i < cfg->argc; i++)
		if (i == 0 || i != cfg->command_at) /* a copy makes one report: no calibrate */
			argv[n++] = cfg->argv[i];
	argv[n] = "--sample-child";
	argv[n + 1] = fd_text;
	execv(path, argv);
	fprintf(stderr, "colbench: cannot start a copy of itself (%s): %s\n", path,
		strerror(errno));
	_exit(CB_SYSTEM);
}

/* A copy being waited for, and whether it was found stopped alone. */
struct copy_watch {
	pid_t pid;
	unsigned index, count;
	enum cb_status stopped; /* CB_SYSTEM once found stopped (and killed) */
};

/* Whether the copy was stopped alone (kill -STOP): it would hold the run
 * up for ever.  Then it is killed and err says so (children.h); wire.c
 * asks this while it waits on the copy's socket. */
static enum cb_status copy_stopped(void *arg, struct cb_error *err)
{
	struct copy_watch *w = arg;

	if (w->stopped == CB_OK)
		w->stopped = children_check_stopped(w->pid, "sampled process", w->index,
						    w->count, err);
	return w->stopped;
}

/* Wait for the copy; its status as ours.  After a signal, a copy gets
 * COPY_GRACE seconds to unwind (its temporary files) before SIGKILL, and
 * a SIGCONT with the signal, so that a stopped copy runs to unwind. */
#define COPY_GRACE 10.0
static enum cb_status reap_copy(struct copy_watch *w, enum cb_status said, struct cb_error *err)
{
	int wstatus;
	double signalled = 0;

	for (;;) {
		siginfo_t info = { 0 };
		bool pending = interrupt_pending() != 0;

		/* Its news, not taken: a stop is looked into, an end reaped. */
		if (waitid(P_PID, (id_t)w->pid, &info,
			   WEXITED | WSTOPPED | WNOWAIT | (pending ? WNOHANG : 0)) != 0 &&
		    errno != EINTR)
			return cb_fail(err, CB_SYSTEM, "cannot wait for sampled process %u: %s",
				       w->index + 1, strerror(errno));
		if (info.si_pid == w->pid && info.si_code == CLD_STOPPED) {
			if (!pending) {
				copy_stopped(w, err);
				continue;
			}
			(void)waitid(P_PID, (id_t)w->pid, &info, WSTOPPED | WNOHANG); /* taken */
			kill(w->pid, SIGCONT);
		} else if (info.si_pid == w->pid) {
			if (waitpid(w->pid, &wstatus, 0) == w->pid)
				break;
		}
		if (pending) {
			if (signalled == 0) {
				kill(w->pid, interrupt_pending());
				kill(w->pid, SIGCONT);
				signalled = monotonic_seconds();
			} else if (monotonic_seconds() - signalled > COPY_GRACE) {
				kill(w->pid, SIGKILL);
			}
			nanosleep(&(struct timespec){ .tv_nsec = 10000000 }, NULL);
		}
	}
	if (w->stopped != CB_OK && !interrupt_pending())
		return w->stopped; /* err says how it was stopped */
	if (WIFSIGNALED(wstatus) && !interrupt_pending()) {
		char name[32];

		return cb_fail(err, CB_SYSTEM, "sampled process %u of %u (pid %d) was killed by "
			       "signal %d (%s)", w->index + 1, w->count, (int)w->pid,
			       WTERMSIG(wstatus),
			       interrupt_signal_name(WTERMSIG(wstatus), name, sizeof(name)));
	}
	if (WIFSIGNALED(wstatus) || interrupt_pending())
		return cb_fail(err, CB_INTERRUPTED, "interrupted");
	if (said != CB_OK && said != CB_VERIFY && WEXITSTATUS(wstatus) != 0) {
		err->msg[0] = '\0'; /* the copy said why, on stderr */
		return (enum cb_status)WEXITSTATUS(wstatus);
	}
	return said;
}

/* Start copy `index`, give it its order, read its reply into *r. */
static enum cb_status run_copy(const struct config *cfg, const struct sample_order *order,
			       struct sample_reply *r, struct cb_error *err)
{
	int sv[2];
	pid_t pid, parent = getpid();
	struct copy_watch w;
	enum cb_status st;

	memset(r, 0, sizeof(*r));
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return cb_fail(err, CB_SYSTEM, "cannot make a socket for a sampled process: %s",
			       strerror(errno));
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		exec_copy(cfg, sv[1], parent);
	}
	close(sv[1]);
	if (pid < 0) {
		close(sv[0]);
		return cb_fail(err, CB_SYSTEM, "cannot fork a sampled process: %s", strerror(errno));
	}
	w = (struct copy_watch){ pid, order->index, order->processes, CB_OK };
	wire_watch(copy_stopped, &w);
	st = wire_write(sv[0], order, sizeof(*order), err);
	if (st == CB_OK || (st == CB_SYSTEM && w.stopped == CB_OK))
		st = wire_receive_reply(sv[0], cfg->load, r, err); /* one that failed at once says why */
	wire_watch(NULL, NULL);
	close(sv[0]);
	return reap_copy(&w, st, err);
}

/* Append the runs of `from` to `to` (a merged result); false: out of memory. */
static bool merge_runs(struct bench_result *to, const struct bench_result *from)
{
	unsigned runs = to->runs + from->runs;
	double *per_loop = realloc(to->per_loop, runs * sizeof(*per_loop));
	unsigned *process = per_loop ? realloc(to->process, runs * sizeof(*process)) : NULL;
	struct disturbance *d = process ? realloc(to->disturbance, runs * sizeof(*d)) : NULL;
	double *memory = d ? realloc(to->memory, runs * sizeof(*memory)) : NULL;
	double before = to->runs, added = from->runs;

	if (per_loop)
		to->per_loop = per_loop;
	if (process)
		to->process = process;
	if (d)
		to->disturbance = d;
	if (!memory)
		return false;
	to->memory = memory;
	memcpy(to->memory + to->runs, from->memory, from->runs * sizeof(*memory));
	memcpy(to->per_loop + to->runs, from->per_loop, from->runs * sizeof(*per_loop));
	memcpy(to->process + to->runs, from->process, from->runs * sizeof(*process));
	memcpy(to->disturbance + to->runs, from->disturbance, from->runs * sizeof(*d));
	/* Per-loop figures: weighted by runs; memory: the largest. */
	to->user = (to->user * before + from->user * added) / (before + added);
	to->system = (to->system * before + from->system * added) / (before + added);
	to->startup = (to->startup * before + from->startup * added) / (before + added);
	to->wind_down = (to->wind_down * before + from->wind_down * added) / (before + added);
	to->setup = (to->setup * before + from->setup * added) / (before + added);
	if (from->peak_rss > to->peak_rss)
		to->peak_rss = from->peak_rss;
	if (from->cow_copied > to->cow_copied)
		to->cow_copied = from->cow_copied;
	if (from->verdict.max_rel_error > to->verdict.max_rel_error)
		to->verdict.max_rel_error = from->verdict.max_rel_error;
	if (!from->verdict.ok && to->verdict.ok) {
		to->verdict = from->verdict;
		to->bad_sum = from->bad_sum;
	}
	to->runs = runs;
	to->processes++;
	return true;
}

/* Keep copy index's limits in m->limit_samples (room for every copy's). */
static void keep_limits(struct sample_merge *m, const struct sample_reply *r, unsigned index)
{
	size_t count = m->info.limit_count;

	if (!m->limit_samples || r->info.limit_count != count)
		return;
	for (size_t i = 0; i < count; i++)
		m->limit_samples[index * count + i] = r->info.limits[i].gbps;
}

/* Each limit's gbps: the median over the copies. */
static void median_limits(struct sample_merge *m, unsigned copies)
{
	size_t count = m->info.limit_count;
	double *column = calloc(copies + 1, sizeof(double));

	if (!column || !m->limit_samples) {
		free(column);
		return;
	}
	for (size_t i = 0; i < count; i++) {
		struct summary s;

		for (unsigned p = 0; p < copies; p++)
			column[p] = m->limit_samples[p * count + i];
		stats_summarize(column, copies, &s);
		m->info.limits[i].gbps = s.median;
	}
	free(column);
	m->info.limit_samples = m->limit_samples;
}

/* The first copy's results become the merge's; the next ones are appended. */
static enum cb_status merge_reply(struct sample_merge *m, struct sample_reply *r,
				  unsigned index, unsigned copies, struct cb_error *err)
{
	if (index == 0) {
		m->info = r->info;
		m->shape = r->shape;
		m->info.m = &m->shape;
		m->results = r->results;
		m->count = r->count;
		m->kernels = r->kernels;
		m->kernel_count = r->kernel_count;
		r->results = r->kernels = NULL;
		m->info.limit_samples = NULL;
		if (m->info.limit_count > 0 &&
		    !(m->limit_samples = calloc((size_t)copies * m->info.limit_count, sizeof(double))))
			return cb_fail(err, CB_SYSTEM, "out of memory for the results");
		keep_limits(m, r, 0);
		return CB_OK;
	}
	keep_limits(m, r, index);
	if (r->count != m->count)
		return cb_fail(err, CB_SYSTEM, "sampled process %u ran %zu benchmarks, the first %zu",
			       index + 1, r->count, m->count);
	for (size_t i = 0; i < m->count; i++)
		if (!merge_runs(&m->results[i], &r->results[i]))
			return cb_fail(err, CB_SYSTEM, "out of memory for the results");
	return CB_OK;
}

static void free_results(struct bench_result *r, size_t n)
{
	for (size_t i = 0; r && i < n; i++)
		bench_result_free(&r[i]);
	free(r);
}

/* On a terminal, where the sampling is and what is left of it. */
static void show_progress(const struct config *cfg, unsigned done, unsigned total,
			  double elapsed)
{
	char left[24];

	if (cfg->quiet || !isatty(STDERR_FILENO))
		return; /* never under -q, nor in pipes, files or CI logs */
	if (done == total) {
		progress_clear();
		return;
	}
	if (done == 0) {
		progress_show("process 1 of %u", total);
		return;
	}
	progress_duration(left, sizeof(left), elapsed / done * (total - done));
	progress_show("process %u of %u, about %s left", done + 1, total, left);
}

enum cb_status sampler_collect(const struct config *cfg, struct sample_merge *out,
			       struct cb_error *err)
{
	static struct sample_order order; /* off the stack (ulimit -s 32) */
	double t0 = monotonic_seconds();
	enum cb_status st = CB_OK, verify = CB_OK;
	struct stat loaded;

	memset(out, 0, sizeof(*out));
	order = (struct sample_order){ .magic = wire_magic(), .processes = cfg->processes };
	/* --load: each copy opens the file itself, so each must find the
	 * version found here, and it must still be there at the end; else
	 * the report would hold the times of two matrices. */
	if (cfg->load && stat(cfg->load, &loaded) == 0) {
		file_version_of(&loaded, &order.load);
		order.load_known = true;
	}
	for (unsigned p = 0; p < cfg->processes && (st == CB_OK || st == CB_VERIFY); p++) {
		static struct sample_reply reply; /* off the stack */

		show_progress(cfg, p, cfg->processes, monotonic_seconds() - t0);
		order.index = p;
		order.files = p == 0;
		/* Every copy: the machine's state, process by process, for
		 * comparisons to see whether it changed (report/compare.h). */
		order.limits = !cfg->no_limit;
		order.survey = p == 0 && !cfg->quiet && !cfg->no_survey;
		order.floors = p == 0; /* the report shows the first copy's */
		st = run_copy(cfg, &order, &reply, err);
		if (st == CB_VERIFY)
			verify = CB_VERIFY;
		if (st == CB_OK || st == CB_VERIFY) {
			enum cb_status merged = merge_reply(out, &reply, p, cfg->processes, err);

			if (merged != CB_OK)
				st = merged;
		}
		for (size_t i = 0; p == 0 && i < out->count && i < WIRE_MAX_PAIRS; i++)
			order.loops[i] = out->results[i].loops; /* the first copy calibrates */
		free_results(reply.results, reply.count);
		free_results(reply.kernels, reply.kernel_count);
	}
	show_progress(cfg, cfg->processes, cfg->processes, 0);
	if ((st == CB_OK || st == CB_VERIFY) && order.load_known &&
	    file_version_check(cfg->load, &order.load, "seen after the last sampled process",
			       err) != CB_OK)
		st = CB_SYSTEM;
	out->seconds = monotonic_seconds() - t0;
	out->info.processes = cfg->processes;
	if (st != CB_OK && st != CB_VERIFY) {
		sampler_merge_free(out);
		return st;
	}
	/* Each process judged over all its runs (it summarises each result too). */
	if (!bench_judge_disturbance(out->results, out->count, out->info.sys.usable_cpus,
				     &out->info.disturbed_processes)) {
		sampler_merge_free(out);
		return cb_fail(err, CB_SYSTEM, "out of memory for the results");
	}
	median_limits(out, cfg->processes);
	return st == CB_OK ? verify : st;
}

void sampler_merge_free(struct sample_merge *m)
{
	free_results(m->results, m->count);
	free_results(m->kernels, m->kernel_count);
	free(m->limit_samples);
	m->limit_samples = NULL;
	m->info.limit_samples = NULL;
	m->results = m->kernels = NULL;
	m->count = m->kernel_count = 0;
}

enum cb_status sampler_child_check_load(const struct sample_order *o, const char *path,
					const struct file_version *read, struct cb_error *err)
{
	char when[64];

	if (!o->load_known)
		return CB_OK;
	snprintf(when, sizeof(when), "seen by sampled process %u of %u", o->index + 1,
		 o->processes);
	return file_version_expect(path, &o->load, read, when, err);
}

static char child_origin[48]; /* "sampled process K of N" in a copy */

const char *sampler_child_origin(void)
{
	return child_origin[0] ? child_origin : NULL;
}

enum cb_status sampler_child_begin(struct config *cfg, struct sample_order *o,
				   struct cb_error *err)
{
	enum cb_status st = wire_receive_order(cfg->sample_child, o, err);

	if (st != CB_OK)
		return st;
	snprintf(child_origin, sizeof(child_origin), "sampled process %u of %u", o->index + 1,
		 o->processes);
	interrupt_name_origin(child_origin);
	/* The sampler writes the report and judges it; one copy writes files. */
	cfg->output = cfg->export_json = cfg->export_csv = cfg->export_markdown = NULL;
	cfg->baseline = NULL;
	if (!o->files)
		cfg->save = cfg->sums = NULL;
	cfg->no_limit = !o->limits;
	cfg->no_floors = !o->floors;
	cfg->quiet = !o->survey; /* a copy prints nothing but the first's long-run warning */
	cfg->no_survey = !o->survey;
	cfg->format = FORMAT_TEXT;
	return CB_OK;
}

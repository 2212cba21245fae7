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
static void exec_copy(int fd, pid_t parent)
{
	static char path_buf[4096];
	const char *path = self_path(path_buf, sizeof(path_buf));
	static char name[] = "colbench", flag[] = "--sample-child";
	char fd_text[16], *argv[] = { name, flag, fd_text, NULL };
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent || null < 0 ||
	    dup2(null, STDOUT_FILENO) < 0 || fcntl(fd, F_SETFD, 0) != 0)
		_exit(CB_SYSTEM);
	snprintf(fd_text, sizeof(fd_text), "%d", fd);
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

/* Start copy `index`, give it its order and plan, read its reply into *r. */
static enum cb_status run_copy(const struct plan *plan, const struct sample_order *order,
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
		exec_copy(sv[1], parent);
	}
	close(sv[1]);
	if (pid < 0) {
		close(sv[0]);
		return cb_fail(err, CB_SYSTEM, "cannot fork a sampled process: %s", strerror(errno));
	}
	w = (struct copy_watch){ pid, order->index, order->processes, CB_OK };
	wire_watch(copy_stopped, &w);
	st = wire_send_order(sv[0], order, plan, err);
	if (st == CB_OK || (st == CB_SYSTEM && w.stopped == CB_OK))
		st = wire_receive_reply(sv[0], plan->load, r, err); /* one that failed at once says why */
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

/*
 * Copy index's limits: each kept in m->limit_samples (room for every
 * copy's), and in m->info.limits where it is the best so far, with the
 * pattern that won it; the rounds add up.  The best, not the median: the
 * limit bounds every run of every copy, and the summary's GB/s is the
 * fastest run of any copy.
 */
static void keep_limits(struct sample_merge *m, const struct sample_reply *r, unsigned index)
{
	size_t count = m->info.limit_count;

	if (!m->limit_samples || r->info.limit_count != count)
		return;
	for (size_t i = 0; i < count; i++) {
		m->limit_samples[index * count + i] = r->info.limits[i].gbps;
		if (index > 0) /* the first copy's are the merge's already */
			limit_merge(&m->info.limits[i], &r->info.limits[i]);
	}
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
static void show_progress(const struct plan *p, unsigned done, unsigned total,
			  double elapsed)
{
	char left[24];

	if (p->quiet || !isatty(STDERR_FILENO))
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

/*
 * The plan of copy index: its sampler's, less what the sampler does
 * itself (the report and its files, the baseline, the judgement of
 * disturbance, over every copy's runs), with what one copy does for all
 * (--save, --sums, the floors the report shows and the kernels' survey:
 * the first), and the loops and the simd kernel's reading (measure/tune.h)
 * the first copy chose, so that every run of a pair times the same work.  Every copy measures the limit: the machine's
 * state, process by process, for comparisons to see whether it changed
 * (report/compare.h).
 */
static void copy_plan(const struct plan *p, unsigned index, const unsigned *loops,
		      unsigned simd_at_once, struct plan *out)
{
	double share = SAMPLE_WINDOW / ((double)plan_pair_count(p) * p->repeat);

	*out = *p;
	out->report = (struct report_request){ .format = FORMAT_TEXT, .quiet = true,
					       .rule = p->report.rule };
	out->compare_old = out->compare_new = NULL;
	out->processes = 1;
	out->turn = index;
	out->run_target = share > SAMPLE_RUN_TARGET ? share : SAMPLE_RUN_TARGET;
	memcpy(out->loops, loops, sizeof(out->loops));
	out->simd_at_once = simd_at_once;
	out->judge = false;
	out->survey = index == 0 && p->survey;
	out->progress_line = false;  /* the sampler draws its own */
	out->warn_long = out->survey; /* the first copy's estimate, unless quiet */
	if (index > 0) {
		out->save = out->sums = NULL;
		out->no_floors = true;
	}
}

enum cb_status sampler_collect(const struct plan *plan, struct sample_merge *out,
			       struct cb_error *err)
{
	static struct sample_order order; /* off the stack (ulimit -s 32) */
	static struct plan copy;
	static unsigned loops[PLAN_MAX_PAIRS]; /* chosen by the first copy */
	unsigned simd_at_once = plan->simd_at_once; /* the same */
	double t0 = monotonic_seconds();
	enum cb_status st = CB_OK, verify = CB_OK;
	struct stat loaded;

	memset(out, 0, sizeof(*out));
	memset(loops, 0, sizeof(loops));
	order = (struct sample_order){ .magic = wire_magic(), .processes = plan->processes };
	/* --load: each copy opens the file itself, so each must find the
	 * version found here, and it must still be there at the end; else
	 * the report would hold the times of two matrices. */
	if (plan->load && stat(plan->load, &loaded) == 0) {
		file_version_of(&loaded, &order.load);
		order.load_known = true;
	}
	for (unsigned p = 0; p < plan->processes && (st == CB_OK || st == CB_VERIFY); p++) {
		static struct sample_reply reply; /* off the stack */

		show_progress(plan, p, plan->processes, monotonic_seconds() - t0);
		order.index = p;
		copy_plan(plan, p, loops, simd_at_once, &copy);
		st = run_copy(&copy, &order, &reply, err);
		if (st == CB_VERIFY)
			verify = CB_VERIFY;
		if (st == CB_OK || st == CB_VERIFY) {
			enum cb_status merged = merge_reply(out, &reply, p, plan->processes, err);

			if (merged != CB_OK)
				st = merged;
		}
		for (size_t i = 0; p == 0 && i < out->count && i < PLAN_MAX_PAIRS; i++)
			loops[i] = out->results[i].loops; /* the first copy calibrates */
		if (p == 0 && !simd_at_once)
			simd_at_once = out->info.simd.at_once;
		free_results(reply.results, reply.count);
		free_results(reply.kernels, reply.kernel_count);
	}
	show_progress(plan, plan->processes, plan->processes, 0);
	if ((st == CB_OK || st == CB_VERIFY) && order.load_known &&
	    file_version_check(plan->load, &order.load, "seen after the last sampled process",
			       err) != CB_OK)
		st = CB_SYSTEM;
	out->seconds = monotonic_seconds() - t0;
	out->info.processes = plan->processes;
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

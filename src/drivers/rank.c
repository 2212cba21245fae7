/*
 * rank.c - one rank of an MPI job (--strategy mpi under mpirun, a build
 * made with make MPI=1): every rank runs the pipeline over its block of
 * columns, in step; rank 0 alone reports, and gives the job's status
 * (driver.h, strategies/job.h).
 *
 * Each rank runs in a kept child (os/keeper.h): the process mpirun started
 * only waits for it.  A rank killed by a signal that did not come through
 * its keeper (the OOM killer, a kill -9 on its host) is lost: its keeper
 * says so in one line, naming the rank and its host, and ends with status
 * 3, which mpirun, reporting the first of its processes to end, makes the
 * job's.  A rank that Open MPI itself ended because a peer was lost (its
 * own message said so, with a status of its own) ends with 3 quietly.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "drivers/common.h"
#include "drivers/driver.h"
#include "os/interrupt.h"
#include "os/keeper.h"

/* "rank 1 of 3": Open MPI tells every process its rank in the environment. */
static void name_this_rank(char *buf, size_t len)
{
	const char *rank = getenv("OMPI_COMM_WORLD_RANK");
	const char *size = getenv("OMPI_COMM_WORLD_SIZE");

	if (rank && size)
		snprintf(buf, len, "rank %s of %s", rank, size);
	else
		snprintf(buf, len, "a rank");
}

/* The keeper's end: it never returns (see the top of this file). */
static _Noreturn void end_keeper(const struct keeper_end *end)
{
	if (WIFSIGNALED(end->wstatus) && !end->forwarded) {
		int sig = WTERMSIG(end->wstatus);
		char who[64], host[256] = "an unknown host", name[32], line[640];
		int n;

		name_this_rank(who, sizeof(who));
		if (gethostname(host, sizeof(host) - 1) != 0)
			snprintf(host, sizeof(host), "an unknown host");
		host[sizeof(host) - 1] = '\0';
		n = snprintf(line, sizeof(line),
			     "colbench: %s on %s was lost: its process (pid %d) was killed by "
			     "signal %d (%s)%s; the job stopped\n", who, host, (int)end->child,
			     sig, interrupt_signal_name(sig, name, sizeof(name)),
			     sig == SIGKILL ? ", possibly the OOM killer" : "");
		if (n > 0)
			(void)!write(STDERR_FILENO, line, (size_t)n < sizeof(line) ? (size_t)n
									 : sizeof(line) - 1);
		_exit(CB_SYSTEM);
	}
	if (WIFEXITED(end->wstatus) && WEXITSTATUS(end->wstatus) > CB_INCONCLUSIVE)
		_exit(CB_SYSTEM); /* Open MPI's own abort, which said why */
	keeper_mirror(end);
}

enum cb_status drive_rank(const struct plan *p, struct cb_error *err)
{
	static struct run_record rec; /* off the stack (ulimit -s 32) */
	struct keeper_end end;
	const struct job *job;
	struct pipeline_hooks hooks = { .ready = driver_print_header };
	enum cb_status st;
	int split = keeper_split(&end);

	if (split < 0)
		return cb_fail(err, CB_SYSTEM, "cannot fork this rank's process: %s",
			       strerror(errno));
	if (split > 0)
		end_keeper(&end);
	job = job_mpi_begin();
	if (!job)
		return cb_fail(err, CB_USAGE, "this colbench was built without MPI");
	st = driver_check_files(p, job, err);
	if (st == CB_OK)
		st = pipeline_run(p, job, &hooks, &rec, err);
	/* A job takes no --baseline (cli.c): its report is rank 0's text. */
	if (st == CB_OK && job->rank == 0)
		st = driver_finish_here(p, NULL, &rec, err);
	run_record_free(&rec);
	return job->end(job, st); /* rank 0's status; the other ranks leave */
}
DRIVER_TAKES_PLAN(drive_rank);

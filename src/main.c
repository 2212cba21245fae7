/*
 * main.c - colbench: parse the options into a plan, hand it to the driver
 * the command line asks for (drivers/driver.h), turn its status into the
 * exit status.  The only place that prints errors and picks the exit
 * status.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "drivers/driver.h"
#include "os/interrupt.h"
#include "os/omp_env.h"
#include "os/pin.h"
#include "os/stdout_stream.h"
#include "report/report.h"
#include "os/threads.h"

/*
 * Print "colbench: msg" on stderr, unless msg is empty, and return status.
 * A sampled copy says which it is, unless the message names it already:
 * its line reaches the user among its sampler's.
 */
static enum cb_status complain(enum cb_status status, const struct cb_error *err)
{
	const char *origin = copy_origin();

	if (!err->msg[0]) /* empty: another process (an MPI rank 0) says it */
		return status;
	if (origin && !strstr(err->msg, "sampled process"))
		fprintf(stderr, "colbench: %s (%s)\n", err->msg, origin);
	else
		fprintf(stderr, "colbench: %s\n", err->msg);
	return status;
}

/*
 * Flush stdout and turn a write error (a full disk, a closed pipe) into
 * status 3: a report that did not reach its reader is not a success.
 */
static int finish_output(int status)
{
	int flushed = fflush(stdout) == 0, flush_errno = errno;
	int first = stdout_stream_error(); /* the reason, though the write that met it was early */

	if (!flushed || ferror(stdout)) {
		fprintf(stderr, "colbench: cannot write the report: %s\n",
			first ? strerror(first) : !flushed ? strerror(flush_errno)
			: "an earlier write failed");
		return status == CB_OK || status == CB_VERIFY || status == CB_INCONCLUSIVE ? CB_SYSTEM
											: status;
	}
	return status;
}

/*
 * The end of every run.  A signal that came is said and re-raised, so that
 * the shell sees colbench die of it (130, 143, ...); stdout is not flushed
 * then, so a reader that stopped reading cannot hold colbench up.  SIGXFSZ
 * (a file past ulimit -f) is status 3, as a full disk is.
 */
static int finish(enum cb_status st, struct cb_error *err)
{
	int sig;

	/* The report drains first: a signal may come while it waits for room
	 * in a pipe, and then it is that signal that ends colbench. */
	if (!interrupt_pending())
		(void)fflush(stdout); /* a failure stays in ferror(stdout) */
	sig = interrupt_end(); /* dies of any signal but SIGXFSZ */
	if (sig == SIGXFSZ) {
		if (st != CB_SYSTEM)
			cb_fail(err, CB_SYSTEM, "stopped by SIGXFSZ: a file reached the "
				"file-size limit (ulimit -f)");
		return complain(CB_SYSTEM, err);
	}
	if (st == CB_USAGE || st == CB_SYSTEM || st == CB_INTERRUPTED)
		return complain(st, err);
	return finish_output(st);
}

/* Run by the dynamic loader before any library's constructor, so that
 * libgomp's verdict on the OMP_* variables is held for main (omp_env.h). */
static void hold_start_up_stderr(int argc, char **argv, char **envp)
{
	(void)argc;
	(void)argv;
	(void)envp;
	omp_env_capture();
}

__attribute__((section(".preinit_array"), used))
static void (*const start_up_stderr)(int, char **, char **) = hold_start_up_stderr;

/* Print what needs no run: --help, --list, --version. */
static int print_only(enum cli_action action)
{
	if (action == CLI_HELP)
		cli_help(stdout);
	else if (action == CLI_LIST)
		cli_list(stdout);
	else if (action == CLI_COMPLETION_SPEC)
		cli_completion_spec(stdout);
	else
		report_version(stdout);
	return finish_output(CB_OK);
}

int main(int argc, char **argv)
{
	static struct plan draft; /* static: colbench must start on a 32 kB stack */
	static struct cb_error err;
	const struct plan *plan = &draft; /* read-only once parsed */
	struct cli_command cmd;
	enum cb_status st;

	if ((st = omp_env_check(&err)) != CB_OK) /* first: stderr comes back */
		return complain(st, &err);
	threads_set_stack_floor();
	interrupt_install();
	stdout_stream_install(); /* a closed pipe is a write error: see interrupt.h */
	pin_allowed_cpus(); /* read the CPU set before any worker is pinned */
	if ((st = cli_parse(argc, argv, &draft, &cmd, &err)) != CB_OK)
		return complain(st, &err);
	switch (cmd.action) {
	case CLI_HELP:
	case CLI_LIST:
	case CLI_VERSION:
	case CLI_COMPLETION_SPEC:
		return print_only(cmd.action);
	case CLI_COPY:
		st = drive_copy(cmd.copy_fd, &err);
		break;
	case CLI_COMPARE:
		st = drive_compare(plan, &err);
		break;
	case CLI_HISTORY:
		st = drive_history(plan, &err);
		break;
	case CLI_CALIBRATE:
		st = drive_calibrate(plan, &err);
		break;
	case CLI_RUN:
		st = driver_for(plan)(plan, &err);
		break;
	}
	return finish(st, &err);
}

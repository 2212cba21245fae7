/*
 * cli.h - the command line: one option table drives parsing, defaults,
 * range checks and --help (after fio's fio_options[]).
 */
#ifndef COLBENCH_CLI_H
#define COLBENCH_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "os/status.h"
#include "plan/plan.h"

enum cli_action { CLI_RUN, CLI_COMPARE, CLI_HISTORY, CLI_CALIBRATE, CLI_COPY, CLI_HELP, CLI_VERSION, CLI_LIST,
		  CLI_COMPLETION_SPEC };

/* What the command line asks for. */
struct cli_command {
	enum cli_action action;
	int copy_fd; /* CLI_COPY: the socket its sampler gave (--sample-child FD) */
};

/*
 * Parse argv into the plan (plan.h), every default settled: the option
 * table's, the sampled defaults, the worker counts fitted to a generated
 * matrix.  cmd says whether to run, to compare two saved reports (colbench
 * compare OLD.json NEW.json), to calibrate, to be a sampled copy (whose
 * plan comes from its sampler: *plan is then unused), or to print help,
 * the list or the version.  Returns CB_OK, or CB_USAGE with err filled
 * (CB_SYSTEM when out of memory).  The caller keeps the plan const.
 */
enum cb_status cli_parse(int argc, char **argv, struct plan *plan, struct cli_command *cmd,
			 struct cb_error *err);

/*
 * Print --list: the strategy registry, one tab-separated line a strategy:
 * its name; "all" (run by --strategy all) or "opt-in"; "one" (a single
 * worker), "threads", "processes" or "ranks" (an MPI job's); its summary.  Tests and scripts read
 * the list of strategies here, never from a list of their own.
 */
void cli_list(FILE *out);

/*
 * The option table for the shells' completion (scripts/completion.sh, at
 * build time), one a line, tab-separated: "command NAME", and "option
 * --NAME -X VALUES HELP", -X "-" when it has no short name, and VALUES
 * "none" (a flag), "any" (a number, a text), "one:A B" (one of them),
 * "list:A B" (a comma-separated list of them) or "file:EXT,EXT" (a file).
 * From colbench --internal-completion-spec, which --help does not list.
 */
void cli_completion_spec(FILE *out);

/* Print --help, generated from the option table. */
void cli_help(FILE *out);

/*
 * Parse s as an integer in [min, max]: digits only, no sign, no spaces.
 * Returns 0, or -1 when it is not a number and -2 when out of range.
 */
int cli_parse_integer(const char *s, unsigned long long min,
		      unsigned long long max, unsigned long long *out);

#endif

/*
 * cli.h - the command line: one option table drives parsing, defaults,
 * range checks and --help (after fio's fio_options[]).
 */
#ifndef COLBENCH_CLI_H
#define COLBENCH_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "measure/limit.h"
#include "os/atomic_file.h"
#include "report/compare.h"
#include "report/format.h"
#include "kernels/kernels.h"
#include "matrix/matrix.h"
#include "os/status.h"
#include "strategies/strategy.h"

#define MAX_STRATEGIES 32
#define MAX_WORKER_COUNTS LIMIT_MAX_COUNTS
#define MAX_WORKERS 1024

struct config {
	size_t rows, cols;
	enum layout layout;
	uint64_t seed;
	const struct strategy *strategies[MAX_STRATEGIES];
	size_t strategy_count;
	unsigned workers[MAX_WORKER_COUNTS];
	size_t worker_count; /* 0 until parsed: then the usable CPUs */
	unsigned number;     /* loops per run; 0 = autorange */
	unsigned repeat;     /* runs */
	unsigned warmup;     /* untimed calls before timing */
	unsigned pairs;      /* colbench calibrate: A/A comparisons */
	const struct kernel *kernel;
	bool no_limit;       /* skip measuring the read-bandwidth limit */
	bool no_floors;      /* skip the floors (a sampled copy but the first) */
	bool hugepages;      /* ask for transparent huge pages */
	bool pin;            /* bind each worker to its own CPU */
	const char *load;    /* --load: a .npy file instead of a generated matrix */
	bool mmap;           /* map the loaded file instead of reading it */
	const char *save;    /* --save: write the matrix as .npy */
	const char *sums;    /* --sums: write the reference column sums as .npy */
	bool quiet;          /* -q: print only the %timeit lines and errors */
	bool no_survey;      /* skip the survey of the kernels (calibrate; the copies but the first) */
	bool mpi;            /* --strategy mpi: the distributed mode */
	enum report_format format; /* of stdout */
	const char *output;  /* --output: the report also into this file */
	enum report_format output_format; /* --output's, by its extension */
	/* --export-json, --export-csv, --export-markdown, as hyperfine names them */
	const char *export_json, *export_csv, *export_markdown;
	bool workers_given, layout_given; /* as given, not defaults */
	bool interleave;     /* the pairs take turns (measure/schedule.h) */
	const char *baseline; /* --baseline: compare with this saved report */
	struct verdict_rule rule; /* --threshold and --drift, in percent */
	const char *compare_old, *compare_new; /* colbench compare OLD NEW */
	unsigned long long given; /* bit i: option i of the table was given */
	char **argv;         /* the command line, for the sampler to start copies */
	int argc;
	int command_at;      /* argv's index of "calibrate", which copies leave out; 0 none */
	/* Sampling (sampling/sampler.h): the runs spread over `processes`
	 * fresh processes, `repeat` in each, their turns interleaved. */
	unsigned processes;
	int sample_child;    /* --sample-child FD: this process is one of them; -1 not */
};

/* Fresh processes, and runs in each, when a report is saved or compared
 * and --processes or --repeat was not given (see docs/ci.md). */
#define SAMPLE_PROCESSES_DEFAULT 10
#define SAMPLE_REPEAT_DEFAULT 3
#define CALIBRATE_PAIRS_DEFAULT 10

enum cli_action { CLI_RUN, CLI_COMPARE, CLI_CALIBRATE, CLI_HELP, CLI_VERSION, CLI_LIST };

/*
 * Parse argv into cfg, defaults first.  *action says whether to run, to
 * compare two saved reports (colbench compare OLD.json NEW.json), or to
 * print help or the version.  Returns CB_OK, or CB_USAGE with err filled
 * (CB_SYSTEM when out of memory).
 */
enum cb_status cli_parse(int argc, char **argv, struct config *cfg,
			 enum cli_action *action, struct cb_error *err);


/*
 * The files cfg names, for check_named_files (atomic_file.h): inputs
 * (--load, --baseline) and outputs (--save, --sums, --output, --export-*); a path is
 * NULL when its option was not given.
 */
#define CLI_INPUT_FILES 2
#define CLI_OUTPUT_FILES 6
void cli_named_files(const struct config *cfg, struct named_file inputs[CLI_INPUT_FILES],
		     struct named_file outputs[CLI_OUTPUT_FILES]);

/* The format a report file's name asks for (.json, .csv, .md); false if none. */
bool cli_output_format(const char *path, enum report_format *format);

/* Whether cfg writes a report into a file (--output, --export-*). */
bool cli_writes_report(const struct config *cfg);

/* Whether the option called name (its long name) was on the command line. */
bool cli_given(const struct config *cfg, const char *name);

/*
 * Print --list: the strategy registry, one tab-separated line a strategy:
 * its name; "all" (run by --strategy all) or "opt-in"; "one" (a single
 * worker), "threads", "processes" or "ranks" (an MPI job's); its summary.  Tests and scripts read
 * the list of strategies here, never from a list of their own.
 */
void cli_list(FILE *out);

/* Print --help, generated from the option table. */
void cli_help(FILE *out);

/*
 * Parse s as an integer in [min, max]: digits only, no sign, no spaces.
 * Returns 0, or -1 when it is not a number and -2 when out of range.
 */
int cli_parse_integer(const char *s, unsigned long long min,
		      unsigned long long max, unsigned long long *out);

#endif

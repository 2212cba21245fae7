/*
 * plan.h - what one run of colbench will do, settled before any of it
 * starts: the matrix, the strategies and worker counts, how each pair is
 * timed and scheduled, what is measured beside the timings, what is said
 * and written, and how the runs are sampled.
 *
 * The plan is made once, by the option parser (cli/) or, in a sampled
 * copy, from what its sampler sends (sampling/wire.h), and is read-only
 * from then on: every layer below main takes it as const, and no default
 * is decided anywhere else (docs/design.md).  A sampler that needs a
 * different plan for its copies makes a new one (sampler.c's copy_plan);
 * it never edits its own.
 */
#ifndef COLBENCH_PLAN_H
#define COLBENCH_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernels/kernels.h"
#include "matrix/matrix.h"
#include "measure/limit.h"
#include "os/atomic_file.h"
#include "os/status.h"
#include "report/output.h"
#include "strategies/strategy.h"

#define MAX_STRATEGIES 32
#define MAX_WORKER_COUNTS LIMIT_MAX_COUNTS
#define MAX_WORKERS 1024
#define PLAN_MAX_PAIRS ((size_t)MAX_STRATEGIES * MAX_WORKER_COUNTS)

/* How the (strategy, workers) pairs share the run (measure/schedule.h). */
enum plan_schedule {
	SCHEDULE_INTERLEAVED, /* a run of every pair in each round, in a drawn order */
	SCHEDULE_IN_STEP,     /* each pair's runs together, every process at once (an MPI job) */
};

/*
 * The fields are in the order of their sizes, not of their topics (a
 * plan travels to every sampled copy, and clang-tidy counts its padding);
 * each comment names its topic: matrix, run, timing, beside (what is
 * measured and written beside the timings), said, sampling, commands.
 */
struct plan {
	size_t rows, cols;           /* matrix: generated from rows, cols and seed ... */
	uint64_t seed;
	const char *load;            /* ... or --load: a .npy file */
	const char *save;            /* beside: --save, the matrix as .npy */
	const char *sums;            /* beside: --sums, the reference column sums as .npy */
	const char *compare_old, *compare_new; /* commands: colbench compare OLD NEW */
	char *const *history;        /* commands: colbench history's reports (or folder) */
	size_t history_count;
	const char *history_plot;    /* commands: history --plot FILE.png|.svg */
	bool history_gate;           /* commands: history --gate */
	const struct kernel *kernel; /* run */
	double run_target;           /* timing: autorange's shortest run, seconds; 0: timing.h's */
	size_t strategy_count, worker_count;
	/* run: every strategy with every worker count (once if it is not
	 * parallel), fitted to a generated matrix's blocks; a loaded matrix's
	 * shape is known only once it is read, so the pipeline fits them
	 * then (strategy_fit_workers). */
	const struct strategy *strategies[MAX_STRATEGIES];
	struct report_request report; /* said: the report */
	unsigned workers[MAX_WORKER_COUNTS];
	unsigned loops[PLAN_MAX_PAIRS]; /* timing: per pair, in run order: fixed loops; 0: number */
	enum layout layout;          /* matrix */
	unsigned number;             /* timing: loops per run; 0 = autorange */
	unsigned repeat;             /* timing: runs (in each process, when sampled) */
	unsigned warmup;             /* timing: untimed calls before timing */
	enum plan_schedule schedule; /* timing */
	unsigned turn;               /* timing: seeds the order of turns: the process's index */
	unsigned processes;          /* sampling: the runs spread over fresh processes */
	unsigned aa_pairs;           /* commands: colbench calibrate's A/A comparisons */
	unsigned simd_at_once;       /* run: the simd kernel's columns at once (tune.h); 0: measure */
	bool layout_given;           /* matrix: --layout, a loaded matrix converted to it */
	bool hugepages;              /* matrix */
	bool mmap;                   /* matrix: map the loaded file instead of reading it */
	bool workers_given;          /* run: --workers, not the usable CPUs */
	bool pin;                    /* run: bind each worker to its own CPU */
	bool mpi;                    /* run: one rank of an MPI job (--strategy mpi) */
	bool no_limit;               /* beside: skip the read-bandwidth limit */
	bool no_floors;              /* beside: skip the write and fork floors */
	bool survey;                 /* beside: time every kernel through seq */
	bool judge;                  /* beside: judge the runs for disturbance (not a copy) */
	bool quiet;                  /* said: -q, only the %timeit lines and errors */
	bool progress_line;          /* said: draw the line when stderr is a terminal */
	bool warn_long;              /* said: say up front that the runs will take long */
};

/*
 * Settle what the options leave to colbench in a draft plan the parser
 * filled (cli.c; its sampling and its given flags already set): the
 * report's file formats and quiet, what is surveyed, judged and drawn,
 * an MPI job's one strategy, the worker counts (the usable CPUs unless
 * given) fitted to a generated matrix.  CB_USAGE when a given count is
 * more than the matrix's blocks (strategy_fit_workers).
 */
enum cb_status plan_settle(struct plan *draft, bool calibrating, struct cb_error *err);

/*
 * The files p names, for check_named_files (atomic_file.h): inputs
 * (--load, --baseline) and outputs (--save, --sums, --output, --export-*);
 * a path is NULL when its option was not given.
 */
#define PLAN_INPUT_FILES 2
#define PLAN_OUTPUT_FILES 6
void plan_named_files(const struct plan *p, struct named_file inputs[PLAN_INPUT_FILES],
		      struct named_file outputs[PLAN_OUTPUT_FILES]);

/* Whether p writes a report into a file (--output, --export-*). */
bool plan_writes_report(const struct plan *p);

/* Whether any strategy p runs takes --workers. */
bool plan_any_parallel(const struct plan *p);

/* The widest name of the strategies p runs, for aligned lines. */
size_t plan_name_width(const struct plan *p);

/* The (strategy, workers) pairs p runs: a parallel strategy's with every
 * worker count, any other's once. */
size_t plan_pair_count(const struct plan *p);

#endif

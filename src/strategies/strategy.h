/*
 * strategy.h - the interface every column-sum strategy implements, the
 * registry that lists them, and the block work they all share.
 *
 * A strategy is a name, a one-line summary and three hooks: prepare (once,
 * untimed), call (one timed column sum, the unit %timeit loops over) and
 * release.  Strategies never print or exit: they return a status and fill a
 * struct cb_error, and main and the report decide what the user sees.
 *
 * Adding a strategy is one new file that defines `const struct strategy
 * strategy_NAME` and one X(NAME) line in STRATEGY_LIST below.
 */
#ifndef COLBENCH_STRATEGY_H
#define COLBENCH_STRATEGY_H

#include <stdbool.h>
#include <stddef.h>

#include "kernels/kernels.h"
#include "matrix/matrix.h"
#include "os/cpu_activity.h"
#include "os/status.h"

/*
 * The registry, in the order `--strategy all` runs them.  A line may end
 * in a comment of build flags, `cflags: ...` for the strategy's own file
 * (src/strategies/strategy_NAME.c) and `ldlibs: ...` for linking, fields
 * separated by `;`: the Makefile and the static checks read them from
 * here (scripts/strategy_flags.sh) and name no strategy.
 */
#define STRATEGY_LIST(X) \
	X(seq)           \
	X(fork)          \
	X(forkpool)      \
	X(pthread)       \
	X(openmp)        /* cflags: -fopenmp; ldlibs: -fopenmp */ \
	X(forkwrite)     \
	X(mpi)

/*
 * What a call costs around its workers' sums (0 for a strategy without
 * workers): start-up, from the call's start until its last worker was
 * running; wind-down, from the moment its last worker finished until the
 * call returned, the workers joined or reaped.  A process strategy's
 * forks land in the first, its workers' exits in the second.
 */
struct call_costs {
	double startup, wind_down; /* seconds */
};

/* One strategy bound to a matrix, a kernel and a worker count. */
struct strategy;
struct launcher;

struct strategy_run {
	const struct strategy *strategy; /* whose run this is (set by bench) */
	const struct matrix *m;
	const struct kernel *kernel;
	unsigned workers; /* 1 for strategies that are not parallel */
	bool pin;         /* bind worker i to the i-th allowed CPU */
	double setup;     /* seconds prepare spent starting workers (forkpool) */
	/*
	 * Set by bench for one untimed call after the timed runs: process
	 * strategies then have each worker read its Private_Dirty memory at
	 * the end of its work, and store the sum in worker_private (bytes).
	 */
	bool measure_memory;
	double worker_private;
	double *sums;     /* m->cols column sums: the output of every call */
	void *state;      /* the strategy's own, from prepare to release */
};

struct strategy {
	const char *name;
	const char *summary;
	bool parallel; /* takes --workers */
	bool opt_in;   /* not part of --strategy all: asked for by name only */
	bool processes; /* its workers are processes: copy-on-write applies */
	bool forks_each_call; /* every call forks its workers (the fork floor applies) */
	bool distributed; /* spread over the processes of a job (mpi): alone */
	/*
	 * The strategy its kind is measured against, one of each kind at
	 * most: the one-worker reference (seq), whose fastest time is every
	 * speedup's numerator, and the threads reference (pthread), above
	 * whose mean call a process strategy's costs are reported.  The
	 * report finds them by this flag, never by name.
	 */
	bool reference;
	/* A parallel strategy's launcher (team.h), whose hooks are the team's. */
	const struct launcher *launcher;

	/* Set up run->state; untimed. */
	enum cb_status (*prepare)(struct strategy_run *run, struct cb_error *err);
	/*
	 * One timed call: write all column sums into run->sums, and what the
	 * call cost around its workers' sums into *costs.
	 */
	enum cb_status (*call)(struct strategy_run *run, struct call_costs *costs,
			       struct cb_error *err);
	/* Free run->state; must accept a run whose prepare failed. */
	void (*release)(struct strategy_run *run);
	/*
	 * Fill every buffer a result passes through on its way to run->sums
	 * with NaN (untimed, before each run), so a call whose worker skipped
	 * its block cannot pass on an earlier call's sums.  NULL when the
	 * strategy writes run->sums directly.
	 */
	void (*poison)(struct strategy_run *run);
	/*
	 * Optional, for a strategy spread over processes that time themselves
	 * (mpi): the elapsed time all of them use for timing decisions.
	 */
	double (*agree)(struct strategy_run *run, double seconds);
	/*
	 * Optional, untimed, after each timed run: let the strategy's idle
	 * workers leave the CPUs before another strategy's run (the runs take
	 * turns), which would otherwise share them and be charged their time.
	 * false: they would not (within a quarter of a second).
	 */
	bool (*settle)(struct strategy_run *run);
	/*
	 * Optional, for workers that outlive a call (forkpool's pool): add
	 * their CPU use so far to *u.  Reaped workers are in RUSAGE_CHILDREN
	 * and threads in RUSAGE_SELF already; a live process is in neither.
	 */
	void (*live_usage)(const struct strategy_run *run, struct cpu_usage *u);
};

#define X(name) extern const struct strategy strategy_##name;
STRATEGY_LIST(X)
#undef X

/* What a strategy's workers are, from its flags: --list's third column. */
enum strategy_kind {
	STRATEGY_ONE,       /* not parallel: the calling thread alone */
	STRATEGY_THREADS,   /* parallel, threads of one process */
	STRATEGY_PROCESSES, /* parallel, processes: copy-on-write applies */
	STRATEGY_RANKS,     /* distributed: the ranks of an MPI job */
};

enum strategy_kind strategy_kind(const struct strategy *s);

/* Whether a call of s has a start-up and a wind-down to report: workers
 * to start and join, or (mpi) a barrier and a gather. */
bool strategy_has_startup(const struct strategy *s);

/* The kind's word in --list: one, threads, processes or ranks. */
const char *strategy_kind_name(enum strategy_kind kind);

/* The registered reference strategy of kind (see .reference), or NULL. */
const struct strategy *strategy_reference(enum strategy_kind kind);

/* Every registered strategy, in registry order; *count gets their number. */
const struct strategy *const *strategy_all(size_t *count);

/* The strategy called name, or NULL. */
const struct strategy *strategy_find(const char *name);

/*
 * The block work shared by every strategy.  Worker i of run->workers sums
 * block matrix_block(run->m, run->workers, i) with run->kernel into an area
 * of block_area_size(run) doubles; block_area_collect() then turns the area
 * into the column sums.  For layout f the area holds the column sums, each
 * worker writing its own columns (seq passes run->sums itself as the area).  For layout c each worker
 * sums its rows into a private vector of all the column sums (one
 * cache-line-aligned slot per worker, so no two workers write one line),
 * and collect adds the partial vectors in worker order, so results do not
 * depend on timing.
 */
size_t block_area_size(const struct strategy_run *run);
void block_sum(const struct strategy_run *run, unsigned i, double *area);
void block_area_collect(const struct strategy_run *run, const double *area);

/* Fill an area of block_area_size(run) doubles with NaN. */
void block_area_poison(const struct strategy_run *run, double *area);

/*
 * What workers report through, in one mapping made before they start:
 * an optional header (a pool's control block), a start and a finish
 * stamp and a Private_Dirty figure per worker, then the block area.  MAP_SHARED, so
 * forked workers write the parent's copy; threads use it the same way.
 */
struct worker_area {
	void *base;
	size_t bytes;
	double *started; /* monotonic time each worker began */
	double *finished; /* and finished its block */
	double *dirty;   /* each worker's Private_Dirty bytes (memory calls) */
	struct cpu_usage *usage; /* a live worker's own CPU use (launcher's live_usage) */
	double *area;    /* block_area_size() doubles */
};

/* Map wa for run's workers after header_bytes of header; CB_SYSTEM on failure. */
enum cb_status worker_area_map(struct worker_area *wa, const struct strategy_run *run,
			       size_t header_bytes, struct cb_error *err);
void worker_area_unmap(struct worker_area *wa);

/* After a call with run->measure_memory: the workers' Private_Dirty summed. */
void worker_area_collect_memory(const struct worker_area *wa, struct strategy_run *run);

/*
 * What a parallel worker (thread or process) does first: bind itself to
 * its CPU when run->pin asks, then record in *started when it began.
 */
void worker_begin(const struct strategy_run *run, unsigned i, double *started);

/*
 * The start-up cost of a call that began at t0: the latest of the
 * workers' start stamps started[0..n), minus t0 (0 if none is later).
 */
double workers_startup(const double *started, unsigned n, double t0);

/*
 * The wind-down of a call that began at t0 and returned at t1: t1 minus
 * the latest of the workers' finish stamps finished[0..n), a stamp from
 * before t0 (an earlier call's) counting as t0; 0 if t1 is not later.
 */
double workers_wind_down(const double *finished, unsigned n, double t0, double t1);

/*
 * Fit worker counts to a matrix of `blocks` columns (layout f) or rows
 * (layout c): a parallel strategy splits them into a block per worker, so
 * a count above them would time idle workers as if they worked.  A count
 * the user gave (given) above them is CB_USAGE when a parallel strategy
 * is to run (parallel); a default one is lowered to them.
 */
enum cb_status strategy_fit_workers(unsigned *workers, size_t count, bool given, bool parallel,
				    size_t blocks, enum layout layout, struct cb_error *err);

#endif

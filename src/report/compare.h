/*
 * compare.h - regressions: this run's results (or a saved report's)
 * against a baseline report, pair by pair, on the evidence that varies
 * between processes.
 *
 * The runs of one process share one allocation of the matrix (its
 * physical pages, their cache colouring, its huge pages), one placement
 * of the code and one state of the machine: they agree with each other
 * far more than two processes do, so a test that took them for
 * independent samples would call every between-process difference
 * significant (the A/A problem).  A pair is therefore judged on one value
 * per process, the median of its runs, with processes that other work
 * disturbed (measure/disturbance.h) left out:
 *
 *   change        the Hodges-Lehmann shift of the log process values:
 *                 the median over every (old, new) process pair of
 *                 log(new / old), as a ratio minus 1;
 *   interval      its 95% interval: Moses' (the order statistics of
 *                 those pairwise shifts at the Mann-Whitney critical
 *                 value), each side widened in quadrature by the drift;
 *   p             Mann-Whitney U on the process values, two-sided.
 *
 * The drift is what no report can see in itself: the machine's own slow
 * wander between two reports made minutes (or days) apart, the neighbours
 * of a shared host, its clocks and caches.  On the 2-core development VM,
 * reports of unchanged code made a minute apart differ by 3% (standard
 * deviation; up to 8%) on a cache-resident matrix, while the processes of
 * one report agree to within 1-2%: a report-level spread of about 2%
 * each, which, untreated, made 2 of 20 A/A pairs "regress" at a 5%
 * threshold.  --drift PCT names it (the standard deviation of one
 * report's level; default COMPARE_DRIFT_DEFAULT), and a pair's interval
 * grows by 1.96 * sqrt(2) * drift, the spread of a difference of two
 * reports; colbench calibrate measures it on the machine at hand.
 *
 * A pair's verdict:
 *   failed        the new report's runs failed: a result not verified,
 *                 or a run that did not exit 0 (status 1, as a
 *                 regression: the gate must fail);
 *   inconclusive  the reports cannot be compared (their matrices' shapes
 *                 or seeds, their kernels or their colbench versions
 *                 differ, or the
 *                 baseline's runs failed); either side has fewer than
 *                 COMPARE_MIN_PROCESSES undisturbed processes, or more
 *                 than a third of its processes were disturbed: the
 *                 machine was too busy to judge; or, where a gate judges
 *                 (compare_check_width), the interval from the processes
 *                 alone is wider than COMPARE_MAX_WIDTH times the
 *                 threshold, so that "no change" would claim what the
 *                 evidence cannot show.  Said as such, with the reason
 *                 (never a pass, never a regression);
 *   regressed     the whole interval above +threshold;
 *   improved      the whole interval below -threshold;
 *   within noise  the change is beyond the threshold but the interval
 *                 reaches inside it;
 *   no change     the change is within the threshold.
 */
#ifndef COLBENCH_COMPARE_H
#define COLBENCH_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "os/status.h"

#define COMPARE_ALPHA 0.05
#define COMPARE_Z 1.959963984540054 /* the normal's two-sided 95% point */
#define COMPARE_THRESHOLD_DEFAULT 5.0 /* percent */
#define COMPARE_DRIFT_DEFAULT 2.0     /* percent: see above */
#define COMPARE_MAX_RUNS 1000000       /* a result's runs, as --repeat allows */

#define COMPARE_MIN_PROCESSES 3 /* undisturbed processes a side needs */

/*
 * A verdict of no change (or within noise) needs an interval from the
 * processes alone (Moses', before the drift) at most this many times the
 * threshold wide, as ratios: (1 + high) / (1 + low) at most (1 +
 * threshold)^COMPARE_MAX_WIDTH, the threshold taken as at least 1%
 * (1.216 at the default 5%).  [-44%, +380%] says nothing about a 5%
 * threshold.  A gate whose threshold colbench calibrate suggested (above
 * every A/A interval) has intervals about twice the threshold wide, well
 * inside.
 */
#define COMPARE_MAX_WIDTH 4.0

/*
 * What a saved report may hold and still be taken for a measurement:
 * per-loop times from a picosecond (a loop over one cached column takes
 * nanoseconds) to 11 days, and worker counts that --workers allows
 * (cli.h's MAX_WORKERS; tests/unit/test_compare.c checks they agree).
 * Anything else is bad input, not a verdict.
 */
#define COMPARE_MIN_TIME 1e-12
#define COMPARE_MAX_TIME 1e6
#define COMPARE_MAX_WORKERS 1024

/* Whether a result's runs did what they should. */
enum run_failure { RUNS_OK, RUNS_UNVERIFIED, RUNS_NONZERO_EXIT };

/* One result as a comparison needs it. */
struct sample_set {
	char strategy[32];
	char kernel[32];         /* the summation kernel; "" unknown (not compared) */
	enum run_failure failed; /* "verified": false, or a nonzero exit code */
	unsigned workers;
	double mean;
	const double *times;     /* per-loop time of each run */
	const unsigned *process; /* the process of each run; NULL: all one */
	const bool *disturbed;   /* each run's; NULL: none */
	size_t runs;
};

#define COMPARE_MAX_LIMITS 65
/*
 * A change of the machine's read bandwidth between the two reports (the
 * median over their processes, with a pair's worker count) beyond this
 * share makes the pair inconclusive: the machine changed under the code.
 * On the 2-core development VM the bandwidth with 2 workers sits at
 * 50-57 GB/s for minutes, then at about 90 GB/s for minutes (where the
 * host runs the two virtual CPUs), and the parallel strategies move with
 * it by 20-40%; within one state its median over 10 processes varies by a
 * few percent (a cache-resident matrix's, whose processes spread by 15%,
 * by up to about 8%).
 */
#define COMPARE_MACHINE_SHIFT 0.25

/* How a pair is judged: both in percent. */
struct verdict_rule {
	double threshold; /* a change beyond it counts (--threshold) */
	double drift;     /* one report's own level's spread (--drift) */
};

struct saved_limit {
	unsigned workers;
	double gbps;
};

/* A report as a comparison needs it: its results and what it ran on. */
struct saved_report {
	char version[32]; /* colbench's; "" unknown (not compared) */
	char matrix[256]; /* "30000 x 10000, layout f, float64, seed 42" */
	/* What two reports' matrices must share: the shape ("30000 x 10000,
	 * layout f, float64"; "" unknown, not compared) and, where both were
	 * generated, the seed ("seed 42"; "" for a loaded file, whose path
	 * may differ between checkouts and whose content is not known). */
	char matrix_shape[128];
	char matrix_seed[64];
	char system[256]; /* "AMD EPYC, 2 online CPUs, Linux ..." */
	char label[72];   /* --label's (escaped); "" none */
	char commit[48];  /* build.commit: the build that made it; "" unknown */
	char date[40];    /* system.date: when it ran, "2026-12-04T03:28:38Z"; "" unknown */
	size_t count;
	struct sample_set *results;
	struct saved_limit limits[COMPARE_MAX_LIMITS]; /* none with --no-limit */
	size_t limit_count;
	void *owner;      /* what holds the memory (a JSON tree) */
};

enum pair_verdict { VERDICT_NO_CHANGE, VERDICT_WITHIN_NOISE, VERDICT_IMPROVED, VERDICT_REGRESSED,
		    VERDICT_INCONCLUSIVE, VERDICT_FAILED };

/* What one side of a pair brought as evidence. */
struct side_evidence {
	size_t runs;
	unsigned processes;  /* that its runs came from */
	unsigned disturbed;  /* of them, disturbed by other work */
	double mean;         /* of every run */
};

struct comparison {
	char strategy[32];
	unsigned workers;
	size_t fresh_index;     /* of the result in the fresh report */
	struct side_evidence old, new;
	double change;          /* the Hodges-Lehmann shift, as new / old - 1 */
	double ci_low, ci_high; /* its 95% interval, drift included; +-inf when too few */
	double moses_low, moses_high; /* the interval from the processes alone */
	double p;               /* Mann-Whitney U on the process values, two-sided */
	enum pair_verdict verdict;
	const char *reason;     /* why inconclusive or failed (a constant), else NULL */
	/* Inconclusive for what the reports are, not for want of evidence:
	 * runs that met other work, a changed machine, unlike reports. */
	bool untrusted;
	double old_gbps, new_gbps; /* the read bandwidth with its workers; 0 unknown */
};

/* "regressed", "improved", "within noise", "no change", "inconclusive",
 * "failed". */
const char *verdict_name(enum pair_verdict v);


/*
 * Compare every result of fresh that the baseline also has (the first of
 * the baseline's with that strategy and worker count), in fresh's order.
 * out has room for fresh->count entries; *n gets how many were compared.
 * O(n log n) in the results and in the runs.  Reports that differ in
 * their matrix's shape or seed, colbench version or a pair's kernel are
 * inconclusive; a new result that failed is VERDICT_FAILED (see above).
 * Returns CB_OK, CB_INTERRUPTED (a signal came: checked between pairs and
 * between the steps of one), or CB_SYSTEM when out of memory.
 */
enum cb_status compare_reports(const struct saved_report *baseline,
			       const struct saved_report *fresh, const struct verdict_rule *rule,
			       struct comparison *out, size_t *n, struct cb_error *err);

/*
 * The indices of fresh's results that no comparison covers (the baseline
 * lacks them), from compare_reports' out[0..n), into missing (room for
 * fresh->count); returns how many.
 */
size_t compare_not_in_baseline(const struct saved_report *fresh,
			       const struct comparison *c, size_t n, size_t *missing);

/*
 * Judge one pair from the per-process values of each side (pure; the
 * arrays are sorted in place): old[0..n), new[0..m), each
 * the median of one undisturbed process's runs, positive and finite.
 * Sets change, the intervals, p and verdict of *c (not its evidence
 * counts; a side under COMPARE_MIN_PROCESSES is inconclusive).  The
 * n x m pairwise shifts are never stored: their order statistics are
 * found by bisection, counting in O(n + m) a step, so the cost is
 * O((n + m) log(n + m)) time and O(n + m) memory.  Returns false when
 * out of memory, *c then unjudged.
 */
bool compare_process_values(double *old, size_t n, double *new, size_t m,
			    const struct verdict_rule *rule, struct comparison *c);

/*
 * The gate's last rule: each of c[0..n) that says no change or within
 * noise on an interval from the processes alone wider than
 * COMPARE_MAX_WIDTH allows is made inconclusive ("the interval is too
 * wide for the threshold").  Apart from compare_reports, since colbench
 * calibrate measures those very intervals, at any width, to choose the
 * threshold.
 */
void compare_check_width(struct comparison *c, size_t n, const struct verdict_rule *rule);

/* Whether any comparison regressed; was inconclusive; failed. */
/*
 * What one report's level of s stands on (colbench history): the median
 * of each undisturbed process's runs when they came from
 * COMPARE_MIN_PROCESSES processes or more, else its undisturbed runs'
 * times; into values (room for s->runs).  How many, or (size_t)-1 when
 * out of memory.
 */
size_t compare_level_values(const struct sample_set *s, double *values);

bool compare_regressed(const struct comparison *c, size_t n);
bool compare_inconclusive(const struct comparison *c, size_t n);
bool compare_failed(const struct comparison *c, size_t n);

/* The one-line descriptions saved_report holds, from their parts; layout
 * is a character ('c', 'f' or '?'), passed as an int as %c takes it.
 * describe_matrix fills the matrix and its shape and seed (see
 * saved_report): source is "seed N" or, with loaded set, the file. */
void describe_matrix(struct saved_report *r, size_t rows, size_t cols, int layout,
		     const char *dtype, const char *source, bool loaded);
void describe_system(char *out, size_t len, const char *cpu, unsigned cpus,
		     const char *kernel);

#endif

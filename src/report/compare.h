/*
 * compare.h - regressions: this run's results (or a saved report's)
 * against a baseline report, pair by pair, with a test of significance.
 *
 * A pair is one strategy with one worker count.  Its verdict:
 *   regressed     slower by more than the threshold, and significant
 *                 (Mann-Whitney U on the per-run times, p < 0.05), with
 *                 the whole 95% interval of the change (Welch) above it;
 *   improved      the same, faster;
 *   within noise  the means differ by more than the threshold, but the
 *                 runs cannot tell that apart from chance, or cannot
 *                 place the change beyond the threshold;
 *   no change     the means differ by the threshold or less.
 */
#ifndef COLBENCH_COMPARE_H
#define COLBENCH_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "os/status.h"

#define COMPARE_ALPHA 0.05
#define COMPARE_THRESHOLD_DEFAULT 5.0 /* percent */
#define COMPARE_MAX_RUNS 1000000       /* a result's runs, as --repeat allows */

/* One result as a comparison needs it. */
struct sample_set {
	char strategy[32];
	unsigned workers;
	double mean;
	const double *times; /* per-loop time of each run */
	size_t runs;
};

/* A report as a comparison needs it: its results and what it ran on. */
struct saved_report {
	char matrix[256]; /* "30000 x 10000, layout f, float64, seed 42" */
	char system[256]; /* "AMD EPYC, 2 online CPUs, Linux ..." */
	size_t count;
	struct sample_set *results;
	void *owner;      /* what holds the memory (a JSON tree) */
};

enum pair_verdict { VERDICT_NO_CHANGE, VERDICT_WITHIN_NOISE, VERDICT_IMPROVED, VERDICT_REGRESSED };

struct comparison {
	char strategy[32];
	unsigned workers;
	size_t fresh_index;     /* of the result in the fresh report */
	size_t old_runs, new_runs;
	double old_mean, new_mean;
	double change;          /* new / old - 1 */
	double ci_low, ci_high; /* 95% interval of the change (Welch) */
	double p;               /* Mann-Whitney U, two-sided */
	enum pair_verdict verdict;
};

/* "regressed", "improved", "within noise", "no change". */
const char *verdict_name(enum pair_verdict v);


/*
 * Compare every result of fresh that the baseline also has (the first of
 * the baseline's with that strategy and worker count), in fresh's order.
 * out has room for fresh->count entries; *n gets how many were compared.
 * threshold is in percent.  O(n log n) in the results and in the runs.
 * Returns CB_OK, CB_INTERRUPTED (a signal came: checked between pairs), or
 * CB_SYSTEM when out of memory.
 */
enum cb_status compare_reports(const struct saved_report *baseline,
			       const struct saved_report *fresh, double threshold,
			       struct comparison *out, size_t *n, struct cb_error *err);

/*
 * The indices of fresh's results that no comparison covers (the baseline
 * lacks them), from compare_reports' out[0..n), into missing (room for
 * fresh->count); returns how many.
 */
size_t compare_not_in_baseline(const struct saved_report *fresh,
			       const struct comparison *c, size_t n, size_t *missing);

/*
 * The smallest two-sided p-value Mann-Whitney U can give for samples of n
 * and m runs without ties: 2 / C(n + m, n).  When it is not below
 * COMPARE_ALPHA, no difference can ever be called significant.
 */
double compare_min_p(size_t n, size_t m);

/* Whether any comparison regressed. */
bool compare_regressed(const struct comparison *c, size_t n);

/* The one-line descriptions saved_report holds, from their parts; layout
 * is a character ('c', 'f' or '?'), passed as an int as %c takes it. */
void describe_matrix(char *out, size_t len, size_t rows, size_t cols, int layout,
		     const char *dtype, const char *source);
void describe_system(char *out, size_t len, const char *cpu, unsigned cpus,
		     const char *kernel);

#endif

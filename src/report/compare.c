/*
 * compare.c - baselines: reading saved reports (with jansson) and judging
 * each pair (see compare.h).
 */
#include "report/compare.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "os/atomic_file.h"
#include "os/interrupt.h"
#include "measure/stats.h"

const char *verdict_name(enum pair_verdict v)
{
	static const char *const names[] = { "no change", "within noise", "improved",
					     "regressed" };

	return names[v];
}

void describe_matrix(char *out, size_t len, size_t rows, size_t cols, int layout,
		     const char *dtype, const char *source)
{
	snprintf(out, len, "%zu x %zu, layout %c, %s, %s", rows, cols, layout, dtype, source);
}

void describe_system(char *out, size_t len, const char *cpu, unsigned cpus,
		     const char *kernel)
{
	snprintf(out, len, "%s, %u online CPUs, %s", cpu, cpus, kernel);
}

/* The matrix and system descriptions of a report's JSON tree. */
static void describe_saved(json_t *root, struct saved_report *r)
{
	json_t *m = json_object_get(root, "matrix"), *s = json_object_get(root, "system");
	json_t *seed = json_object_get(m, "seed"), *src = json_object_get(m, "source");
	const char *layout = json_string_value(json_object_get(m, "layout"));
	char source[160];

	if (json_is_integer(seed))
		snprintf(source, sizeof(source), "seed %lld", (long long)json_integer_value(seed));
	else if (json_is_string(seed))
		snprintf(source, sizeof(source), "seed %s", json_string_value(seed));
	else
		snprintf(source, sizeof(source), "%s",
			 json_is_string(src) ? json_string_value(src) : "unknown source");
	describe_matrix(r->matrix, sizeof(r->matrix),
			(size_t)json_integer_value(json_object_get(m, "rows")),
			(size_t)json_integer_value(json_object_get(m, "cols")),
			layout ? layout[0] : '?',
			json_string_value(json_object_get(m, "dtype")) ?: "?", source);
	describe_system(r->system, sizeof(r->system),
			json_string_value(json_object_get(s, "cpu_model")) ?: "?",
			(unsigned)json_integer_value(json_object_get(s, "online_cpus")),
			json_string_value(json_object_get(s, "kernel")) ?: "?");
}

/* One entry of "results" into *set; false when it lacks what we need. */
static bool read_result(json_t *item, struct sample_set *set, double **times)
{
	json_t *strategy = json_object_get(item, "strategy");
	json_t *workers = json_object_get(item, "workers");
	json_t *mean = json_object_get(item, "mean");
	json_t *list = json_object_get(item, "times");
	size_t n = json_array_size(list);

	/* At most the runs colbench makes (--repeat 1000000): a comparison
	 * sorts them, and must stay within seconds. */
	if (!json_is_string(strategy) || !json_is_integer(workers) || !json_is_number(mean) ||
	    !json_is_array(list) || n == 0 || n > COMPARE_MAX_RUNS || !(json_number_value(mean) > 0) ||
	    !isfinite(json_number_value(mean)))
		return false;
	*times = malloc(n * sizeof(double));
	if (!*times)
		return false;
	for (size_t i = 0; i < n; i++) {
		json_t *t = json_array_get(list, i);

		if (!json_is_number(t) || !(json_number_value(t) > 0) ||
		    !isfinite(json_number_value(t))) {
			free(*times);
			return false;
		}
		(*times)[i] = json_number_value(t);
	}
	snprintf(set->strategy, sizeof(set->strategy), "%s", json_string_value(strategy));
	set->workers = (unsigned)json_integer_value(workers);
	set->mean = json_number_value(mean);
	set->times = *times;
	set->runs = n;
	return true;
}

/*
 * json_load_callback's reader: the file in blocks of a megabyte (jansson
 * asks for a kilobyte at a time; json_loadfd would read() a byte at a
 * time), stopping at a signal.  It also tracks how deep the arrays and
 * objects nest, outside strings, and stops past REPORT_MAX_DEPTH: jansson
 * recurses once a level, and a hostile file a few hundred levels deep
 * would overflow a small stack.
 */
#define READ_BLOCK (1u << 20)
#define REPORT_MAX_DEPTH 64

struct block_reader {
	int fd;
	char *block;
	size_t have, used; /* bytes in block, bytes handed out */
	int depth;
	bool in_string, escaped;
	int error;     /* errno of a failed read, or 0 */
	bool stopped;  /* a signal came */
	bool too_deep;
};

/* Follow the nesting through bytes p[0..n); false past the limit. */
static bool track_depth(struct block_reader *r, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = p[i];

		if (r->in_string) {
			if (r->escaped)
				r->escaped = false;
			else if (c == '\\')
				r->escaped = true;
			else if (c == '"')
				r->in_string = false;
		} else if (c == '"') {
			r->in_string = true;
		} else if (c == '[' || c == '{') {
			if (++r->depth > REPORT_MAX_DEPTH)
				return false;
		} else if (c == ']' || c == '}') {
			r->depth--;
		}
	}
	return true;
}

static size_t read_block(void *buffer, size_t len, void *data)
{
	struct block_reader *r = data;
	size_t n;

	if (interrupt_pending()) {
		r->stopped = true;
		return (size_t)-1;
	}
	if (r->used == r->have) {
		ssize_t got;

		do
			got = read(r->fd, r->block, READ_BLOCK);
		while (got < 0 && errno == EINTR && !interrupt_pending());
		if (got < 0) {
			r->stopped = interrupt_pending() != 0;
			r->error = errno;
			return (size_t)-1;
		}
		r->have = (size_t)got;
		r->used = 0;
		if (!track_depth(r, r->block, r->have)) {
			r->too_deep = true;
			return (size_t)-1;
		}
	}
	n = r->have - r->used < len ? r->have - r->used : len;
	memcpy(buffer, r->block + r->used, n);
	r->used += n;
	return n;
}

enum cb_status saved_report_load(const char *path, struct saved_report *r,
				 struct cb_error *err)
{
	json_error_t jerr;
	json_t *root, *results;
	struct block_reader reader = { .fd = -1, .block = malloc(READ_BLOCK) };

	memset(r, 0, sizeof(*r));
	if (!reader.block)
		return cb_fail(err, CB_SYSTEM, "%s: out of memory", path);
	if ((reader.fd = open_regular_file(path, err)) < 0) {
		free(reader.block);
		return CB_USAGE;
	}
	root = json_load_callback(read_block, &reader, 0, &jerr);
	close(reader.fd);
	free(reader.block);
	if (reader.stopped) /* the tree is left to the exit: freeing it takes long */
		return cb_fail(err, CB_INTERRUPTED, "interrupted");
	if (reader.too_deep)
		return cb_fail(err, CB_USAGE, "%s: not a colbench report (nested deeper than %d "
			       "levels)", path, REPORT_MAX_DEPTH);
	if (!root)
		return reader.error
			       ? cb_fail(err, CB_USAGE, "%s: cannot read: %s", path,
					 strerror(reader.error))
			       : cb_fail(err, CB_USAGE, "%s: not JSON: %s (line %d, column %d)",
					 path, jerr.text, jerr.line, jerr.column);
	results = json_object_get(root, "results");
	if (!json_is_string(json_object_get(root, "colbench")) || !json_is_array(results)) {
		json_decref(root);
		return cb_fail(err, CB_USAGE,
			       "%s: not a colbench report (no \"colbench\" version or no \"results\")",
			       path);
	}
	r->owner = root;
	r->results = calloc(json_array_size(results) + 1, sizeof(*r->results));
	if (!r->results) {
		saved_report_free(r);
		return cb_fail(err, CB_SYSTEM, "%s: out of memory", path);
	}
	for (size_t i = 0; i < json_array_size(results); i++) {
		double *times;

		if (interrupt_pending()) /* what was read is left to the exit */
			return cb_fail(err, CB_INTERRUPTED, "interrupted");
		if (!read_result(json_array_get(results, i), &r->results[r->count], &times)) {
			saved_report_free(r);
			return cb_fail(err, CB_USAGE,
				       "%s: not a colbench report (result %zu lacks strategy, "
				       "workers, or positive mean and 1 to %d times)", path, i + 1,
				       COMPARE_MAX_RUNS);
		}
		r->count++;
	}
	describe_saved(root, r);
	return CB_OK;
}

void saved_report_free(struct saved_report *r)
{
	for (size_t i = 0; r->results && i < r->count; i++)
		free((void *)r->results[i].times);
	free(r->results);
	json_decref(r->owner);
	memset(r, 0, sizeof(*r));
}

/* Judge one pair. */
static void judge(const struct sample_set *old, const struct sample_set *fresh,
		  double threshold, struct comparison *c)
{
	double low, high, limit = threshold / 100;
	bool significant;

	*c = (struct comparison){ .workers = fresh->workers, .old_mean = old->mean,
				  .new_mean = fresh->mean, .old_runs = old->runs,
				  .new_runs = fresh->runs };
	snprintf(c->strategy, sizeof(c->strategy), "%s", fresh->strategy);
	c->change = fresh->mean / old->mean - 1;
	stats_welch_interval(old->times, old->runs, fresh->times, fresh->runs, 0.95, &low, &high);
	c->ci_low = low / old->mean;
	c->ci_high = high / old->mean;
	c->p = stats_mann_whitney_p(old->times, old->runs, fresh->times, fresh->runs);
	/*
	 * Significant, and the whole 95% interval beyond the threshold: a
	 * shift the runs show but whose size they cannot pin above the
	 * threshold is noise, not a verdict to fail a CI job on.
	 */
	significant = c->p < COMPARE_ALPHA;
	if (fabs(c->change) <= limit)
		c->verdict = VERDICT_NO_CHANGE;
	else if (significant && c->ci_low > limit)
		c->verdict = VERDICT_REGRESSED;
	else if (significant && c->ci_high < -limit)
		c->verdict = VERDICT_IMPROVED;
	else
		c->verdict = VERDICT_WITHIN_NOISE;
}

/* Order of sample sets by (strategy, workers). */
static int compare_pairs(const struct sample_set *a, const struct sample_set *b)
{
	int by_name = strcmp(a->strategy, b->strategy);

	if (by_name)
		return by_name;
	return (a->workers > b->workers) - (a->workers < b->workers);
}

/* Indices into a sample set array, by pair and then by position, so that
 * a search finds the first of equal pairs. */
static int compare_indexed(const void *pa, const void *pb, void *sets)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	const struct sample_set *s = sets;
	int by_pair = compare_pairs(&s[a], &s[b]);

	return by_pair ? by_pair : (a > b) - (a < b);
}

/* The first of base[order[0..n)] with the pair of want, or NULL. */
static const struct sample_set *find_pair(const struct sample_set *base, const size_t *order,
					  size_t n, const struct sample_set *want)
{
	size_t lo = 0, hi = n;

	while (lo < hi) { /* the first position not below want */
		size_t mid = lo + (hi - lo) / 2;

		if (compare_pairs(&base[order[mid]], want) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && compare_pairs(&base[order[lo]], want) == 0 ? &base[order[lo]] : NULL;
}

enum cb_status compare_reports(const struct saved_report *baseline,
			       const struct saved_report *fresh, double threshold,
			       struct comparison *out, size_t *n, struct cb_error *err)
{
	size_t *order = malloc((baseline->count + 1) * sizeof(*order));

	*n = 0;
	if (!order)
		return cb_fail(err, CB_SYSTEM, "out of memory for the comparison");
	for (size_t j = 0; j < baseline->count; j++)
		order[j] = j;
	qsort_r(order, baseline->count, sizeof(*order), compare_indexed, baseline->results);
	for (size_t i = 0; i < fresh->count; i++) {
		const struct sample_set *old;

		if (interrupt_pending()) {
			free(order);
			return cb_fail(err, CB_INTERRUPTED, "interrupted");
		}
		old = find_pair(baseline->results, order, baseline->count, &fresh->results[i]);
		if (!old)
			continue;
		judge(old, &fresh->results[i], threshold, &out[*n]);
		out[(*n)++].fresh_index = i;
	}
	free(order);
	return CB_OK;
}

size_t compare_not_in_baseline(const struct saved_report *fresh,
			       const struct comparison *c, size_t n, size_t *missing)
{
	size_t count = 0, k = 0;

	for (size_t i = 0; i < fresh->count; i++) {
		if (k < n && c[k].fresh_index == i)
			k++;
		else
			missing[count++] = i;
	}
	return count;
}

bool compare_regressed(const struct comparison *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (c[i].verdict == VERDICT_REGRESSED)
			return true;
	return false;
}

double compare_min_p(size_t n, size_t m)
{
	double ways = 1; /* C(n + m, n), built up term by term */

	for (size_t k = 1; k <= n; k++)
		ways = ways * (double)(m + k) / (double)k;
	return 2 / ways > 1 ? 1 : 2 / ways;
}

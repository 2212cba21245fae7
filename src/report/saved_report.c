/*
 * saved_report.c - a saved JSON report read back, for a baseline and
 * colbench compare (report.h): the schema report_json.c writes, the
 * other way, every figure checked as a measurement could give it.
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "os/atomic_file.h"
#include "measure/stats.h"
#include "os/interrupt.h"
#include "report/report.h"

/* v's value when it is a positive, finite number; 0 otherwise. */
static double positive_number(const json_t *v)
{
	double x = json_is_number(v) ? json_number_value(v) : 0;

	return x > 0 && isfinite(x) ? x : 0;
}

/*
 * An integer field that must lie in [least, most] when present (absent:
 * *value = 0): false, with "FILE: WHERE: NAME is V, not from least to
 * most" in err, when it is there but another type or out of range, for a
 * cast to a narrower type must never turn 4294967298 into 2, or -1 into
 * 4294967295.
 */
static bool integer_field(json_t *o, const char *name, json_int_t least, json_int_t most,
			  const char *path, const char *where, json_int_t *value,
			  struct cb_error *err)
{
	json_t *v = json_object_get(o, name);

	*value = 0;
	if (!v)
		return true;
	if (json_is_integer(v) && json_integer_value(v) >= least && json_integer_value(v) <= most) {
		*value = json_integer_value(v);
		return true;
	}
	if (json_is_integer(v))
		cb_fail(err, CB_USAGE, "%s: %s%s is %lld, not from %lld to %lld", path, where, name,
			(long long)json_integer_value(v), (long long)least, (long long)most);
	else
		cb_fail(err, CB_USAGE, "%s: %s%s is not an integer", path, where, name);
	return false;
}

/* The version, matrix and system of a report's JSON tree, as saved_report
 * holds them (see compare.h); CB_USAGE when a number there is implausible. */
static enum cb_status describe_saved(json_t *root, const char *path, struct saved_report *r,
				     struct cb_error *err)
{
	json_t *m = json_object_get(root, "matrix"), *s = json_object_get(root, "system");
	json_t *seed = json_object_get(m, "seed"), *src = json_object_get(m, "source");
	const char *layout = json_string_value(json_object_get(m, "layout"));
	json_int_t rows, cols, cpus;
	char source[160];

	snprintf(r->version, sizeof(r->version), "%s", json_string_value(json_object_get(root,
		 "colbench")));
	snprintf(r->label, sizeof(r->label), "%s",
		 json_string_value(json_object_get(root, "label")) ?: "");
	snprintf(r->date, sizeof(r->date), "%s",
		 json_string_value(json_object_get(s, "date")) ?: "");
	snprintf(r->commit, sizeof(r->commit), "%s", json_string_value(json_object_get(
		 json_object_get(root, "build"), "commit")) ?: "");
	if (!integer_field(m, "rows", 1, INT64_MAX, path, "matrix.", &rows, err) ||
	    !integer_field(m, "cols", 1, INT64_MAX, path, "matrix.", &cols, err) ||
	    !integer_field(s, "online_cpus", 0, UINT32_MAX, path, "system.", &cpus, err))
		return CB_USAGE;
	if (json_is_integer(seed))
		snprintf(source, sizeof(source), "seed %lld", (long long)json_integer_value(seed));
	else if (json_is_string(seed))
		snprintf(source, sizeof(source), "seed %s", json_string_value(seed));
	else
		snprintf(source, sizeof(source), "%s",
			 json_is_string(src) ? json_string_value(src) : "unknown source");
	describe_matrix(r, (size_t)rows, (size_t)cols, layout ? layout[0] : '?',
			json_string_value(json_object_get(m, "dtype")) ?: "?", source,
			!seed && json_is_string(src));
	if (!json_is_object(m)) /* a hand-made report that does not say: not compared */
		r->matrix_shape[0] = r->matrix_seed[0] = '\0';
	else if (!json_is_integer(seed) && !json_is_string(seed))
		r->matrix_seed[0] = '\0'; /* no seed: nothing to compare it with */
	describe_system(r->system, sizeof(r->system),
			json_string_value(json_object_get(s, "cpu_model")) ?: "?", (unsigned)cpus,
			json_string_value(json_object_get(s, "kernel")) ?: "?");
	/* A saved report is outside input: its names reach the terminal
	 * escaped, one line each, whichever output prints them. */
	cb_escape_in_place(r->version, sizeof(r->version));
	cb_escape_in_place(r->matrix, sizeof(r->matrix));
	cb_escape_in_place(r->matrix_shape, sizeof(r->matrix_shape));
	cb_escape_in_place(r->matrix_seed, sizeof(r->matrix_seed));
	cb_escape_in_place(r->system, sizeof(r->system));
	cb_escape_in_place(r->label, sizeof(r->label));
	cb_escape_in_place(r->date, sizeof(r->date));
	cb_escape_in_place(r->commit, sizeof(r->commit));
	return CB_OK;
}

/*
 * A result's run_process and run_disturbance (optional: a report of one
 * process, or from before they were kept, has all its runs in process 0,
 * none disturbed) into set's arrays, malloc'ed; CB_USAGE when malformed
 * (err unset: the caller says it), CB_SYSTEM when out of memory.
 */
static enum cb_status read_run_origins(json_t *item, size_t n, struct sample_set *set)
{
	json_t *process = json_object_get(item, "run_process");
	json_t *disturbance = json_object_get(item, "run_disturbance");
	unsigned *p = calloc(n, sizeof(*p));
	bool *d = calloc(n, sizeof(*d));

	set->process = p;
	set->disturbed = d;
	if (!p || !d)
		return CB_SYSTEM;
	if ((process && (!json_is_array(process) || json_array_size(process) != n)) ||
	    (disturbance && (!json_is_array(disturbance) || json_array_size(disturbance) != n)))
		return CB_USAGE;
	for (size_t i = 0; i < n; i++) {
		json_t *k = json_array_get(process, i);
		json_t *flag = json_object_get(json_array_get(disturbance, i), "disturbed");

		if (process && (!json_is_integer(k) || json_integer_value(k) < 0 ||
				json_integer_value(k) >= COMPARE_MAX_RUNS))
			return CB_USAGE;
		if (disturbance && !json_is_boolean(flag))
			return CB_USAGE;
		p[i] = process ? (unsigned)json_integer_value(k) : 0;
		d[i] = disturbance && json_is_true(flag);
	}
	return CB_OK;
}

/* Whether two figures agree beyond the rounding of a printed number. */
static bool agrees(double saved, double computed)
{
	return fabs(saved - computed) <= 1e-6 * computed;
}

/*
 * The times' own mean, min and max against the ones saved beside them
 * (min and max optional): a report is shown by its mean, which must be
 * its times'.  false with "FILE: result K: ..." in err.
 */
static bool check_summary(json_t *item, const double *t, size_t n, const char *path,
			  size_t index, struct cb_error *err)
{
	static const char *const names[] = { "mean", "min", "max" };
	double sum = 0, least = t[0], most = t[0], computed[3];

	for (size_t i = 0; i < n; i++) {
		sum += t[i];
		least = t[i] < least ? t[i] : least;
		most = t[i] > most ? t[i] : most;
	}
	computed[0] = sum / (double)n;
	computed[1] = least;
	computed[2] = most;
	for (size_t k = 0; k < 3; k++) {
		json_t *v = json_object_get(item, names[k]);

		if (!v && k > 0)
			continue;
		if (!json_is_number(v) || !agrees(json_number_value(v), computed[k])) {
			cb_fail(err, CB_USAGE, "%s: result %zu: %s is %.17g, but its times' %s is "
				"%.17g", path, index + 1, names[k], json_number_value(v),
				k ? names[k] : "mean", computed[k]);
			return false;
		}
	}
	return true;
}

/* Whether result i's runs failed: "verified" false, or an exit code not
 * 0 (both optional); CB_USAGE with the field in err when malformed. */
static enum cb_status read_failure(json_t *item, const char *path, size_t index,
				   struct sample_set *set, struct cb_error *err)
{
	json_t *verified = json_object_get(item, "verified"), *codes = json_object_get(item,
		"exit_codes");
	size_t i;
	json_t *code;

	if (verified && !json_is_boolean(verified))
		return cb_fail(err, CB_USAGE, "%s: result %zu: verified is not true or false", path,
			       index + 1);
	if (codes && !json_is_array(codes))
		return cb_fail(err, CB_USAGE, "%s: result %zu: exit_codes is not a list", path,
			       index + 1);
	json_array_foreach(codes, i, code) {
		if (!json_is_integer(code))
			return cb_fail(err, CB_USAGE, "%s: result %zu: exit_codes[%zu] is not an "
				       "integer", path, index + 1, i);
		if (json_integer_value(code) != 0 && set->failed == RUNS_OK)
			set->failed = RUNS_NONZERO_EXIT;
	}
	if (json_is_false(verified))
		set->failed = RUNS_UNVERIFIED;
	return CB_OK;
}

/* One entry of "results" (result index + 1 of the file at path) into
 * *set: CB_USAGE with the reason in err when it lacks what we need or
 * holds implausible numbers, CB_SYSTEM when out of memory (what it
 * allocated is set's to free, with saved_report_free). */
static enum cb_status read_result(json_t *item, const char *path, size_t index,
				  const char *kernel, struct sample_set *set, struct cb_error *err)
{
	json_t *strategy = json_object_get(item, "strategy");
	json_t *workers = json_object_get(item, "workers");
	json_t *mean = json_object_get(item, "mean");
	json_t *list = json_object_get(item, "times");
	json_t *own_kernel = json_object_get(item, "kernel");
	size_t n = json_array_size(list);
	json_int_t count;
	enum cb_status st;
	double *times;
	char where[40];

	/* At most the runs colbench makes (--repeat 1000000): a comparison
	 * sorts them, and must stay within seconds. */
	if (!json_is_string(strategy) || !json_is_integer(workers) || positive_number(mean) == 0 ||
	    !json_is_array(list) || n == 0 || n > COMPARE_MAX_RUNS)
		goto malformed;
	snprintf(where, sizeof(where), "result %zu: ", index + 1);
	if (!integer_field(item, "workers", 1, COMPARE_MAX_WORKERS, path, where, &count, err))
		return CB_USAGE;
	set->times = times = malloc(n * sizeof(double));
	if (!times)
		return CB_SYSTEM;
	for (size_t i = 0; i < n; i++) {
		json_t *t = json_array_get(list, i);
		double x = json_number_value(t);

		if (!json_is_number(t))
			goto malformed;
		/* Subnormal, zero or absurd times are no measurement (and a
		 * ratio of them overflows). */
		if (!(x >= COMPARE_MIN_TIME && x <= COMPARE_MAX_TIME))
			return cb_fail(err, CB_USAGE, "%s: result %zu: times[%zu] is %g s, outside "
				       "%g to %g s", path, index + 1, i, x, COMPARE_MIN_TIME,
				       COMPARE_MAX_TIME);
		times[i] = x;
	}
	if (!check_summary(item, times, n, path, index, err))
		return CB_USAGE;
	if (own_kernel && !json_is_string(own_kernel))
		return cb_fail(err, CB_USAGE, "%s: result %zu: kernel is not a name", path,
			       index + 1);
	if ((st = read_failure(item, path, index, set, err)) != CB_OK)
		return st;
	snprintf(set->strategy, sizeof(set->strategy), "%s", json_string_value(strategy));
	snprintf(set->kernel, sizeof(set->kernel), "%s",
		 own_kernel ? json_string_value(own_kernel) : kernel);
	cb_escape_in_place(set->strategy, sizeof(set->strategy)); /* as describe_saved's */
	cb_escape_in_place(set->kernel, sizeof(set->kernel));
	set->workers = (unsigned)count;
	set->mean = json_number_value(mean);
	set->runs = n;
	if ((st = read_run_origins(item, n, set)) != CB_USAGE)
		return st;
malformed:
	return cb_fail(err, CB_USAGE, "%s: not a colbench report (result %zu lacks strategy, "
		       "workers, or positive mean and 1 to %d times, or its run_process or "
		       "run_disturbance do not match them)", path, index + 1, COMPARE_MAX_RUNS);
}

/*
 * A limit entry's figure for judging whether the machine changed: the
 * median of its per-process limits where it has them (a sampled report's,
 * whose gbps is the best of them, a bound rather than the machine's
 * typical state), its gbps otherwise; 0 when neither is a positive number.
 */
static double typical_limit(json_t *item)
{
	json_t *each = json_object_get(item, "per_process"), *v;
	double *x = calloc(json_array_size(each) + 1, sizeof(double)), median = 0;
	size_t n = 0, i;
	struct summary s;

	json_array_foreach(each, i, v)
		if (x && positive_number(v) > 0)
			x[n++] = positive_number(v);
	if (n > 0) {
		stats_summarize(x, n, &s);
		median = s.median;
	}
	free(x);
	return median > 0 ? median : positive_number(json_object_get(item, "gbps"));
}

/* The report's read-bandwidth limits, where it has them (none: not
 * checked); CB_USAGE when a worker count there is implausible. */
static enum cb_status read_limits(json_t *list, const char *path, struct saved_report *r,
				  struct cb_error *err)
{
	for (size_t i = 0; i < json_array_size(list) && r->limit_count < COMPARE_MAX_LIMITS; i++) {
		json_t *item = json_array_get(list, i);
		double gbps = typical_limit(item);
		json_int_t workers;
		char where[32];

		snprintf(where, sizeof(where), "limit[%zu].", i);
		if (!integer_field(item, "workers", 1, COMPARE_MAX_WORKERS, path, where, &workers,
				   err))
			return CB_USAGE;
		/* gbps is null where it was not finite: such an entry is skipped. */
		if (workers && gbps > 0)
			r->limits[r->limit_count++] = (struct saved_limit){ (unsigned)workers, gbps };
	}
	return CB_OK;
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
	const char *kernel;
	enum cb_status st;

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
	/* jansson says "out of memory" where its lexer runs out, and nothing
	 * at all (no text, line -1) where a value or a container's growth
	 * cannot be allocated: every syntax error has its message. */
	if (!root && !reader.error &&
	    (json_error_code(&jerr) == json_error_out_of_memory || !jerr.text[0]))
		return cb_fail(err, CB_SYSTEM, "%s: out of memory for its JSON tree", path);
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
	kernel = json_string_value(json_object_get(json_object_get(root, "options"), "kernel"));
	for (size_t i = 0; i < json_array_size(results); i++) {
		if (interrupt_pending()) /* what was read is left to the exit */
			return cb_fail(err, CB_INTERRUPTED, "interrupted");
		st = read_result(json_array_get(results, i), path, i, kernel ?: "",
				 &r->results[r->count++], err);
		if (st != CB_OK) {
			saved_report_free(r);
			return st == CB_SYSTEM ? cb_fail(err, CB_SYSTEM, "%s: out of memory", path)
					       : st;
		}
	}
	if ((st = describe_saved(root, path, r, err)) != CB_OK ||
	    (st = read_limits(json_object_get(root, "limit"), path, r, err)) != CB_OK)
		saved_report_free(r);
	return st;
}

void saved_report_free(struct saved_report *r)
{
	for (size_t i = 0; r->results && i < r->count; i++) {
		free((void *)r->results[i].times);
		free((void *)r->results[i].process);
		free((void *)r->results[i].disturbed);
	}
	free(r->results);
	json_decref(r->owner);
	memset(r, 0, sizeof(*r));
}

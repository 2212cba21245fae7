/*
 * cli.c - the option table and the parser it drives (see cli.h).
 */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "os/pin.h"
#include "strategies/job.h"

struct cli_option;
typedef enum cb_status (*option_setter)(struct plan *plan,
					const struct cli_option *opt,
					const char *value, struct cb_error *err);

struct cli_option {
	const char *name;
	int short_name;      /* 0: long option only */
	const char *metavar; /* NULL: a flag without a value */
	option_setter set;
	size_t offset;       /* field of struct plan the setter fills */
	unsigned long long min, max;
	const char *def;     /* default, parsed by set like a user's value */
	const char *help;
};

/* The options whose default differs when the runs are sampled
 * (choose_sampling): that default, and when it applies, for --help. */
static const struct sampled_default {
	const char *name, *value, *when;
} sampled_defaults[] = {
	{ "processes", "10", "a report is saved or compared" },
	{ "repeat", "3", "the runs are spread over processes" },
};
#define SAMPLED_DEFAULTS (sizeof(sampled_defaults) / sizeof(sampled_defaults[0]))

/* The sampled default of the option called name, or NULL. */
static const struct sampled_default *sampled_default_of(const char *name)
{
	for (size_t i = 0; i < SAMPLED_DEFAULTS; i++)
		if (strcmp(sampled_defaults[i].name, name) == 0)
			return &sampled_defaults[i];
	return NULL;
}

/* Parse an integer option's value within its table range. */
static enum cb_status parse_option_integer(const struct cli_option *opt,
					   const char *value,
					   unsigned long long *v,
					   struct cb_error *err)
{
	int rc = cli_parse_integer(value, 0, ULLONG_MAX, v);
	const char *kind = opt->min > 0 ? "positive" : "non-negative";

	if (rc == -1 || (rc == 0 && *v == 0 && opt->min > 0))
		return cb_fail(err, CB_USAGE, "--%s: '%s' is not a %s integer", opt->name,
			       value, kind);
	if (rc == -2 || *v > opt->max)
		return cb_fail(err, CB_USAGE, "--%s: %s is too large (at most %llu)",
			       opt->name, value, opt->max);
	if (*v < opt->min)
		return cb_fail(err, CB_USAGE, "--%s: %s is too small (at least %llu)",
			       opt->name, value, opt->min);
	return CB_OK;
}

#define FIELD_AT(plan, opt, type) ((type *)((char *)(plan) + (opt)->offset))

static enum cb_status set_size(struct plan *plan, const struct cli_option *opt,
			       const char *value, struct cb_error *err)
{
	unsigned long long v = 0;
	enum cb_status st = parse_option_integer(opt, value, &v, err);

	if (st == CB_OK)
		*FIELD_AT(plan, opt, size_t) = (size_t)v;
	return st;
}

static enum cb_status set_unsigned(struct plan *plan, const struct cli_option *opt,
				   const char *value, struct cb_error *err)
{
	unsigned long long v = 0;
	enum cb_status st = parse_option_integer(opt, value, &v, err);

	if (st == CB_OK)
		*FIELD_AT(plan, opt, unsigned) = (unsigned)v;
	return st;
}

static enum cb_status set_u64(struct plan *plan, const struct cli_option *opt,
			      const char *value, struct cb_error *err)
{
	unsigned long long v = 0;
	enum cb_status st = parse_option_integer(opt, value, &v, err);

	if (st == CB_OK)
		*FIELD_AT(plan, opt, uint64_t) = (uint64_t)v;
	return st;
}

static enum cb_status set_layout(struct plan *plan, const struct cli_option *opt,
				 const char *value, struct cb_error *err)
{
	if (strcmp(value, "f") == 0 || strcmp(value, "F") == 0)
		plan->layout = LAYOUT_F;
	else if (strcmp(value, "c") == 0 || strcmp(value, "C") == 0)
		plan->layout = LAYOUT_C;
	else
		return cb_fail(err, CB_USAGE,
			       "--%s: '%s' is not a layout (f: column-major, c: row-major)",
			       opt->name, value);
	return CB_OK;
}

/* Append s to the strategy list unless it is there already. */
static void add_strategy(struct plan *plan, const struct strategy *s)
{
	for (size_t i = 0; i < plan->strategy_count; i++)
		if (plan->strategies[i] == s)
			return;
	if (plan->strategy_count < MAX_STRATEGIES)
		plan->strategies[plan->strategy_count++] = s;
}

/*
 * A copy of the comma list value for strsep() to split in place: items of
 * any length, so that an over-long one gets the error its content earns
 * ("unknown strategy", "too large") and not a word about commas.
 */
static char *list_copy(const char *value, struct cb_error *err)
{
	char *copy = strdup(value);

	if (!copy)
		cb_fail(err, CB_SYSTEM, "out of memory for the option values");
	return copy;
}

/* "unknown strategy 'x' (known: all, seq, fork, ...)" into err. */
static enum cb_status unknown_strategy(const struct cli_option *opt,
				       const char *name, struct cb_error *err)
{
	size_t n;
	const struct strategy *const *all = strategy_all(&n);

	cb_fail(err, CB_USAGE, "--%s: unknown strategy '%s' (known: all", opt->name, name);
	for (size_t i = 0; i < n; i++)
		cb_append(err, ", %s", all[i]->name);
	cb_append(err, ")");
	return CB_USAGE;
}

/*
 * Whether the item at item, in a list strsep has split in place from
 * list, equals an item before it (strsep ends each item with a '\0').
 */
static bool named_before(const char *list, const char *item)
{
	for (const char *p = list; p < item; p += strlen(p) + 1)
		if (strcmp(p, item) == 0)
			return true;
	return false;
}

static enum cb_status set_strategies(struct plan *plan, const struct cli_option *opt,
				     const char *value, struct cb_error *err)
{
	char *list = list_copy(value, err), *rest = list, *item;
	size_t n;
	const struct strategy *const *all = strategy_all(&n);
	enum cb_status st = list ? CB_OK : CB_SYSTEM;

	plan->strategy_count = 0;
	plan->mpi = false;
	while (st == CB_OK && (item = strsep(&rest, ",")) != NULL) {
		const struct strategy *s = strategy_find(item);

		if (*item == '\0') /* "", "a,", ",a", "a,,b" */
			st = cb_fail(err, CB_USAGE, "--%s: '%s' is not a comma-separated list "
				     "of strategies", opt->name, value);
		else if (named_before(list, item))
			/* As --workers refuses a count given twice: "seq,seq" is
			 * a slip.  "all,seq" is not: all names a set, not seq. */
			st = cb_fail(err, CB_USAGE, "--%s: %s is in the list twice", opt->name,
				     item);
		else if (s && s->distributed) /* mpi: the whole run is one rank of a job */
			plan->mpi = true;
		else if (strcmp(item, "all") == 0) {
			for (size_t i = 0; i < n; i++)
				if (!all[i]->opt_in)
					add_strategy(plan, all[i]);
		}
		else if (s)
			add_strategy(plan, s);
		else
			st = unknown_strategy(opt, item, err);
	}
	free(list);
	return st;
}

static enum cb_status set_workers(struct plan *plan, const struct cli_option *opt,
				  const char *value, struct cb_error *err)
{
	char *list = list_copy(value, err), *rest = list, *item;
	enum cb_status st = list ? CB_OK : CB_SYSTEM;

	plan->worker_count = 0;
	while (st == CB_OK && (item = strsep(&rest, ",")) != NULL) {
		unsigned long long v = 0;

		if (*item == '\0') {
			st = cb_fail(err, CB_USAGE, "--%s: '%s' is not a comma-separated list "
				     "of counts", opt->name, value);
			break;
		}
		if ((st = parse_option_integer(opt, item, &v, err)) != CB_OK)
			break;
		if (plan->worker_count == MAX_WORKER_COUNTS) {
			st = cb_fail(err, CB_USAGE, "--%s: more than %d counts", opt->name,
				     MAX_WORKER_COUNTS);
			break;
		}
		/*
		 * The report and a baseline pair results by strategy and
		 * worker count: two runs of one count could not be told
		 * apart.  (A strategy named twice is refused alike; one that
		 * "all" includes, as in "all,seq", is run once.)
		 */
		for (size_t i = 0; st == CB_OK && i < plan->worker_count; i++)
			if (plan->workers[i] == v)
				st = cb_fail(err, CB_USAGE, "--%s: %llu is in the list twice",
					     opt->name, v);
		if (st == CB_OK)
			plan->workers[plan->worker_count++] = (unsigned)v;
	}
	free(list);
	return st;
}

static enum cb_status set_kernel(struct plan *plan, const struct cli_option *opt,
				 const char *value, struct cb_error *err)
{
	size_t n;
	const struct kernel *all = kernel_all(&n);

	plan->kernel = kernel_find(value);
	if (plan->kernel)
		return CB_OK;
	cb_fail(err, CB_USAGE, "--%s: unknown kernel '%s' (known:", opt->name, value);
	for (size_t i = 0; i < n; i++)
		cb_append(err, "%s %s", i ? "," : "", all[i].name);
	cb_append(err, ")");
	return CB_USAGE;
}

static enum cb_status set_on_off(struct plan *plan, const struct cli_option *opt,
				 const char *value, struct cb_error *err)
{
	bool *field = (bool *)((char *)plan + opt->offset);

	if (strcmp(value, "on") == 0)
		*field = true;
	else if (strcmp(value, "off") == 0)
		*field = false;
	else
		return cb_fail(err, CB_USAGE, "--%s: '%s' is neither on nor off",
			       opt->name, value);
	return CB_OK;
}

static enum cb_status set_path(struct plan *plan, const struct cli_option *opt,
			       const char *value, struct cb_error *err)
{
	if (*value == '\0')
		return cb_fail(err, CB_USAGE, "--%s: the file name is empty", opt->name);
	*(const char **)((char *)plan + opt->offset) = value;
	return CB_OK;
}

/* A label for a saved report: one line of printable text, short enough
 * for a table's column (a commit hash, a tag, a date). */
static enum cb_status set_label(struct plan *plan, const struct cli_option *opt,
				const char *value, struct cb_error *err)
{
	size_t n = strlen(value);

	if (n == 0 || n > 64)
		return cb_fail(err, CB_USAGE, "--%s: 1 to 64 characters, not %zu", opt->name, n);
	for (const unsigned char *c = (const unsigned char *)value; *c; c++)
		if (*c < 0x20 || *c == 0x7f)
			return cb_fail(err, CB_USAGE, "--%s: a control character in it", opt->name);
	*(const char **)((char *)plan + opt->offset) = value;
	return CB_OK;
}

static enum cb_status set_format(struct plan *plan, const struct cli_option *opt,
				 const char *value, struct cb_error *err)
{
	static const char *const names[] = { "text", "json", "csv", "markdown" };

	for (int i = 0; i < 4; i++)
		if (strcmp(value, names[i]) == 0) {
			plan->report.format = (enum report_format)i;
			return CB_OK;
		}
	return cb_fail(err, CB_USAGE, "--%s: '%s' is not a format (text, json, csv, markdown)",
		       opt->name, value);
}

/*
 * Whether s is a number in plain decimal: digits, with at most one point
 * among them ("5", "2.5", ".5", "5.").  strtod alone would also take
 * " 5", "-0", "0x10", "1e2" and "nan", which no integer option takes.
 */
static bool plain_decimal(const char *s)
{
	size_t digits = strspn(s, "0123456789");

	if (s[digits] == '.')
		digits += 1 + strspn(s + digits + 1, "0123456789");
	return s[digits] == '\0' && strcmp(s, ".") != 0 && *s != '\0';
}

static enum cb_status set_percent(struct plan *plan, const struct cli_option *opt,
				  const char *value, struct cb_error *err)
{
	double v = plain_decimal(value) ? strtod(value, NULL) : -1;

	if (!(v >= 0 && v <= 1000))
		return cb_fail(err, CB_USAGE, "--%s: '%s' is not a percentage from 0 to 1000 "
			       "(such as 5 or 2.5)", opt->name, value);
	/* Copied in: a double stored through a cast char pointer is not portable. */
	memcpy((char *)plan + opt->offset, &v, sizeof(v));
	return CB_OK;
}

/* The options given: bit i for options[i] (set while parsing). */
static unsigned long long given;
/* --sample-child's FD; -1: not a copy. */
static int copy_fd = -1;

/* --sample-child FD: internal, given by the sampler to the processes it
 * starts (sampling/sampler.h); not in --help. */
static enum cb_status set_sample_child(struct plan *plan, const struct cli_option *opt,
				       const char *value, struct cb_error *err)
{
	unsigned long long fd;

	(void)plan; /* not the plan's: a copy's plan comes from its sampler */
	if (cli_parse_integer(value, 3, 1023, &fd) != 0)
		return cb_fail(err, CB_USAGE, "--%s is colbench's own: not for use", opt->name);
	copy_fd = (int)fd;
	return CB_OK;
}

static enum cb_status set_flag(struct plan *plan, const struct cli_option *opt,
			       const char *value, struct cb_error *err)
{
	(void)value;
	(void)err;
	*(bool *)((char *)plan + opt->offset) = true;
	return CB_OK;
}

#define FIELD(f) offsetof(struct plan, f)

static const struct cli_option options[] = {
	{ "rows", 0, "N", set_size, FIELD(rows), 1, SIZE_MAX, "30000",
	  "rows of the matrix" },
	{ "cols", 0, "N", set_size, FIELD(cols), 1, SIZE_MAX, "10000",
	  "columns of the matrix" },
	{ "layout", 'l', "f|c", set_layout, 0, 0, 0, "f",
	  "f: column-major (Fortran order), c: row-major (C order)" },
	{ "seed", 0, "N", set_u64, FIELD(seed), 0, UINT64_MAX, "42",
	  "seed of the generator: the same seed gives the same matrix" },
	{ "strategy", 's', "LIST", set_strategies, 0, 0, 0, "all",
	  "comma-separated strategies to run, or all (mpi: alone, under mpirun)" },
	{ "workers", 'w', "LIST", set_workers, 0, 1, MAX_WORKERS, NULL,
	  "workers for the parallel strategies, e.g. 1,2,4; at most the columns "
	  "(layout c: rows) (default: usable CPUs)" },
	{ "number", 'n', "N", set_unsigned, FIELD(number), 1, 1000000000, NULL,
	  "loops per run (default: autorange until a run takes 0.2 s)" },
	{ "repeat", 'r', "N", set_unsigned, FIELD(repeat), 1, 1000000, "7",
	  "timed runs, in each process" },
	{ "warmup", 0, "N", set_unsigned, FIELD(warmup), 0, 1000000, "1",
	  "untimed calls before timing" },
	{ "kernel", 'k', "NAME", set_kernel, 0, 0, 0, KERNEL_DEFAULT,
	  "summation kernel: naive, simd, pairwise (numpy's) or kahan" },
	{ "no-limit", 0, NULL, set_flag, FIELD(no_limit), 0, 0, NULL,
	  "do not measure the machine's read-bandwidth limit, nor its write and fork floors" },
	{ "hugepages", 0, "on|off", set_on_off, FIELD(hugepages), 0, 0, "on",
	  "transparent huge pages for the matrix" },
	{ "pin", 'p', NULL, set_flag, FIELD(pin), 0, 0, NULL,
	  "bind each worker, thread or process, to its own CPU" },
	{ "load", 'L', "FILE", set_path, FIELD(load), 0, 0, NULL,
	  "sum the matrix in a .npy file (float64 or float32) instead of a random one" },
	{ "mmap", 0, NULL, set_flag, FIELD(mmap), 0, 0, NULL,
	  "with --load: map the file instead of reading it into memory" },
	{ "save", 0, "FILE", set_path, FIELD(save), 0, 0, NULL,
	  "write the matrix as a .npy file" },
	{ "sums", 0, "FILE", set_path, FIELD(sums), 0, 0, NULL,
	  "write the reference column sums as a .npy file" },
	{ "format", 'f', "FMT", set_format, 0, 0, 0, "text",
	  "report on stdout as text, json (hyperfine's, and more), csv or markdown "
	  "(tables for a pull request)" },
	{ "output", 'o', "FILE", set_path, FIELD(report.files[0].path), 0, 0, NULL,
	  "also write the report to FILE.json, FILE.csv or FILE.md (by its extension)" },
	{ "export-json", 0, "FILE", set_path, FIELD(report.files[1].path), 0, 0, NULL,
	  "also write the JSON report to FILE (hyperfine's option)" },
	{ "export-csv", 0, "FILE", set_path, FIELD(report.files[2].path), 0, 0, NULL,
	  "also write the CSV report to FILE (hyperfine's option)" },
	{ "export-markdown", 0, "FILE", set_path, FIELD(report.files[3].path), 0, 0, NULL,
	  "also write the Markdown tables to FILE (hyperfine's option)" },
	{ "baseline", 'b', "FILE", set_path, FIELD(report.baseline), 0, 0, NULL,
	  "compare with a saved JSON report; status 1 if a result regressed" },
	{ "label", 0, "TEXT", set_label, FIELD(report.label), 0, 0, NULL,
	  "a label kept in the JSON report (a commit, a tag): colbench history shows it" },
	{ "gate", 0, NULL, set_flag, FIELD(history_gate), 0, 0, NULL,
	  "colbench history: status 1 when the latest change point is a regression past "
	  "--threshold, 5 when the series cannot tell" },
	{ "plot", 0, "FILE", set_path, FIELD(history_plot), 0, 0, NULL,
	  "colbench history: draw each series and its change points into FILE.png or "
	  "FILE.svg (gnuplot)" },
	{ "threshold", 't', "PCT", set_percent, FIELD(report.rule.threshold), 0, 0, "5",
	  "how much slower (and significant) counts as a regression" },
	{ "drift", 0, "PCT", set_percent, FIELD(report.rule.drift), 0, 0, "2",
	  "how far the machine itself wanders between two reports (one report's spread, "
	  "measured by colbench calibrate), added to each verdict's interval" },
	{ "quiet", 'q', NULL, set_flag, FIELD(quiet), 0, 0, NULL,
	  "print only the %timeit lines, errors and what explains a failing status" },
	{ "processes", 'P', "N", set_unsigned, FIELD(processes), 1, 1000, "1",
	  "fresh processes to spread the runs over, --repeat runs in each, taking turns" },
	{ "pairs", 0, "K", set_unsigned, FIELD(aa_pairs), 1, 1000, "10",
	  "colbench calibrate: A/A comparisons of fresh reports to run" },
	{ "sample-child", 0, "FD", set_sample_child, 0, 0, 0, NULL, NULL },
	{ "internal-completion-spec", 0, NULL, NULL, 0, 0, 0, NULL, NULL },
	{ "list", 0, NULL, NULL, 0, 0, 0, NULL,
	  "list the strategies, one a line: name, all or opt-in, one, threads, processes or ranks" },
	{ "help", 'h', NULL, NULL, 0, 0, 0, NULL, "show this help and exit" },
	{ "version", 'V', NULL, NULL, 0, 0, 0, NULL, "show the version and exit" },
};

#define OPTION_COUNT (sizeof(options) / sizeof(options[0]))
_Static_assert(OPTION_COUNT <= 64, "given has a bit per option");

int cli_parse_integer(const char *s, unsigned long long min,
		      unsigned long long max, unsigned long long *out)
{
	char *end;
	unsigned long long v = 0;

	if (*s < '0' || *s > '9') /* no sign, no space, not empty */
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end != '\0')
		return -1;
	if (errno == ERANGE || v < min || v > max)
		return -2;
	*out = v;
	return 0;
}

void cli_list(FILE *out)
{
	size_t n;
	const struct strategy *const *all = strategy_all(&n);

	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s\t%s\t%s\t%s\n", all[i]->name, all[i]->opt_in ? "opt-in" : "all",
			strategy_kind_name(strategy_kind(all[i])), all[i]->summary);
}

/*
 * What a shell's completion offers after an option: a value from a fixed
 * set, a file of a kind, or nothing known (a number, a free text).
 */
static void completion_values(FILE *out, const struct cli_option *o)
{
	static const struct { const char *option, *hint; } files[] = {
		{ "load", "file:npy" }, { "save", "file:npy" }, { "sums", "file:npy" },
		{ "baseline", "file:json" }, { "export-json", "file:json" },
		{ "export-csv", "file:csv" }, { "export-markdown", "file:md" },
		{ "output", "file:json,csv,md" }, { "plot", "file:png,svg" },
	};
	size_t n;

	for (size_t k = 0; k < sizeof(files) / sizeof(files[0]); k++)
		if (!strcmp(o->name, files[k].option)) {
			fputs(files[k].hint, out);
			return;
		}
	if (o->set == set_strategies) {
		const struct strategy *const *all = strategy_all(&n);

		fputs("list:all", out);
		for (size_t i = 0; i < n; i++)
			fprintf(out, " %s", all[i]->name);
	} else if (o->set == set_kernel) {
		const struct kernel *k = kernel_all(&n);

		fputs("one:", out);
		for (size_t i = 0; i < n; i++)
			fprintf(out, "%s%s", i ? " " : "", k[i].name);
	} else if (o->set == set_format) {
		fputs("one:text json csv markdown", out);
	} else if (o->metavar && strchr(o->metavar, '|')) { /* "f|c", "on|off" */
		fputs("one:", out);
		for (const char *c = o->metavar; *c; c++)
			fputc(*c == '|' ? ' ' : *c, out);
	} else {
		fputs(o->metavar ? "any" : "none", out);
	}
}

void cli_completion_spec(FILE *out)
{
	static const char *const commands[] = { "compare", "calibrate", "history" };

	for (size_t k = 0; k < sizeof(commands) / sizeof(commands[0]); k++)
		fprintf(out, "command\t%s\n", commands[k]);
	for (size_t i = 0; i < OPTION_COUNT; i++) {
		const struct cli_option *o = &options[i];

		if (!o->help)
			continue; /* colbench's own */
		fprintf(out, "option\t--%s\t%s%c\t", o->name, o->short_name ? "-" : "",
			o->short_name ? o->short_name : '-');
		completion_values(out, o);
		fprintf(out, "\t%s\n", o->help);
	}
}

void cli_help(FILE *out)
{
	fprintf(out,
		"Usage: colbench [OPTION]...\n"
		"       colbench compare [--threshold PCT] [--drift PCT] [--format FMT] OLD.json NEW.json\n"
		"       colbench calibrate [--pairs K] [OPTION]...\n"
		"       colbench history [--gate] [--threshold PCT] [--format FMT] [--plot FILE] "
		"REPORT.json...|FOLDER\n"
		"Sum the columns of a large random float64 matrix with several\n"
		"strategies side by side, timed like IPython's %%timeit, every\n"
		"result verified against a compensated reference sum.\n\n");
	for (size_t i = 0; i < OPTION_COUNT; i++) {
		const struct cli_option *o = &options[i];
		char flags[64];

		if (!o->help)
			continue; /* colbench's own */

		snprintf(flags, sizeof(flags), "%s%c%s--%s%s%s",
			 o->short_name ? "-" : "   ", o->short_name ? o->short_name : ' ',
			 o->short_name ? ", " : "  ", o->name,
			 o->metavar ? " " : "", o->metavar ? o->metavar : "");
		fprintf(out, "  %-24s %s", flags, o->help);
		const struct sampled_default *sampled = sampled_default_of(o->name);

		if (o->def && sampled)
			fprintf(out, " (default: %s; %s when %s)", o->def, sampled->value,
				sampled->when);
		else if (o->def)
			fprintf(out, " (default: %s)", o->def);
		fputc('\n', out);
	}
	fprintf(out,
		"\nStrategies:\n");
	size_t n;
	const struct strategy *const *all = strategy_all(&n);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "  %-10s %s\n", all[i]->name, all[i]->summary);
	fprintf(out,
		"\nExit status: 0 all results verified, 1 a result failed verification\n"
		"or regressed (history --gate: at the latest change point), 2 bad usage or input (including a matrix that does not fit\n"
		"in memory, an output that is not a regular file or is an input, and a\n"
		"comparison that compares nothing), 3 a system failure (allocation, fork\n"
		"or thread creation, a worker died, a --mmap file truncated, a report or\n"
		".npy file that cannot be written), 5 a comparison inconclusive (other\n"
		"work disturbed too many of its processes, too few were run, or the\n"
		"machine's read bandwidth changed between the reports; history --gate: a\n"
		"series too short, or a latest report that cannot be judged or is alone).\n"
		"On a signal that would end it (SIGINT, SIGTERM, SIGHUP, ...) every worker\n"
		"is killed and reaped and no half-written file stays, then colbench dies\n"
		"of the same signal (status 128 + N in the shell: 130 for SIGINT, 143 for\n"
		"SIGTERM, 129 for SIGHUP; SIGXFSZ, a file past ulimit -f, is 3).\n");
}

/* Build getopt_long's tables from the option table. */
static void build_getopt(struct option *longopts, char *shortopts)
{
	char *p = shortopts;

	*p++ = ':'; /* report a missing value as ':' */
	for (size_t i = 0; i < OPTION_COUNT; i++) {
		longopts[i] = (struct option){ options[i].name,
					       options[i].metavar ? required_argument
								  : no_argument,
					       NULL, 256 + (int)i };
		if (options[i].short_name) {
			*p++ = (char)options[i].short_name;
			if (options[i].metavar)
				*p++ = ':';
		}
	}
	*p = '\0';
	longopts[OPTION_COUNT] = (struct option){ 0 };
}

/* The table entry for getopt's return value c, or NULL. */
static const struct cli_option *option_for(int c)
{
	if (c >= 256 && c < 256 + (int)OPTION_COUNT)
		return &options[c - 256];
	for (size_t i = 0; i < OPTION_COUNT; i++)
		if (options[i].short_name && options[i].short_name == c)
			return &options[i];
	return NULL;
}

/*
 * The option whose long name arg spells with a single dash ("-rows",
 * "-rows=5"), or NULL.  getopt reads "-rows" as -r given "ows", and its
 * error ("--repeat: 'ows' is not a positive integer") would hide the slip.
 */
static const struct cli_option *single_dash_long(const char *arg)
{
	size_t len;

	if (arg == NULL || arg[0] != '-' || arg[1] == '-')
		return NULL;
	len = strcspn(arg + 1, "=");
	for (size_t i = 0; len > 1 && i < OPTION_COUNT; i++)
		if (strlen(options[i].name) == len && strncmp(options[i].name, arg + 1, len) == 0)
			return &options[i];
	return NULL;
}

static enum cb_status single_dash_error(const char *arg, const struct cli_option *opt,
					struct cb_error *err)
{
	return cb_fail(err, CB_USAGE, "unknown option '%.*s': long options take two dashes "
		       "(--%s)", (int)strcspn(arg, "="), arg, opt->name);
}

/*
 * What getopt_long rejected, in words: a value given to a flag, an
 * ambiguous abbreviation (naming the candidates), or an unknown option.
 */
static enum cb_status bad_option(int code, const char *arg, struct cb_error *err)
{
	const struct cli_option *opt = option_for(code);
	size_t len = strcspn(arg + 2, "="), matches = 0;

	if (opt && code >= 256)
		return cb_fail(err, CB_USAGE, "option '--%s' takes no value (try --help)",
			       opt->name);
	if (code > 0 && code < 256)
		return cb_fail(err, CB_USAGE, "unknown option '-%c' (try --help)", code);
	if (strncmp(arg, "--", 2) == 0 && len > 0)
		for (size_t i = 0; i < OPTION_COUNT; i++)
			matches += strncmp(options[i].name, arg + 2, len) == 0;
	if (matches < 2)
		return cb_fail(err, CB_USAGE, "unknown option '%s' (try --help)", arg);
	cb_fail(err, CB_USAGE, "ambiguous option '%.*s': it could be", (int)len + 2, arg);
	for (size_t i = 0, listed = 0; i < OPTION_COUNT; i++) {
		if (strncmp(options[i].name, arg + 2, len) != 0)
			continue;
		listed++;
		cb_append(err, "%s--%s", listed == 1 ? " " : listed == matches ? " or " : ", ",
			  options[i].name);
	}
	return CB_USAGE;
}

static bool output_format(const char *path, enum report_format *format)
{
	size_t len = strlen(path);
	enum report_format f;

	if (len > 5 && strcmp(path + len - 5, ".json") == 0)
		f = FORMAT_JSON;
	else if (len > 4 && strcmp(path + len - 4, ".csv") == 0)
		f = FORMAT_CSV;
	else if (len > 3 && strcmp(path + len - 3, ".md") == 0)
		f = FORMAT_MARKDOWN;
	else
		return false;
	if (format)
		*format = f;
	return true;
}

/* Whether the option called name (its long name) was on the command line. */
static bool given_option(const char *name)
{
	for (size_t i = 0; i < OPTION_COUNT; i++)
		if (strcmp(options[i].name, name) == 0)
			return given >> i & 1;
	return false;
}

/*
 * --pin binds each worker to a CPU of its own: a count past the usable
 * CPUs would have workers share them, round-robin, which a pinned
 * measurement must not do without a word.  Refused, as a count past the
 * columns is.  Strategies of one worker (seq) are never past.
 */
static enum cb_status check_pin(const struct plan *plan, struct cb_error *err)
{
	unsigned cpus = pin_allowed_cpus();
	bool parallel = plan_any_parallel(plan);

	for (size_t i = 0; plan->pin && parallel && i < plan->worker_count; i++)
		if (plan->workers[i] > cpus)
			return cb_fail(err, CB_USAGE, "--pin gives each worker a CPU of its own: "
				       "%u workers, but only %u usable CPU%s (--workers at most %u, "
				       "or no --pin)", plan->workers[i], cpus, cpus == 1 ? "" : "s",
				       cpus);
	return CB_OK;
}

/* Options that make no sense together. */
static enum cb_status check_combinations(const struct plan *plan,
					 struct cb_error *err)
{
	static const struct { const char *name, *why; } generator_only[] = {
		{ "rows", "its shape comes from the file" },
		{ "cols", "its shape comes from the file" },
		{ "seed", "its values come from the file" },
	};
	struct named_file unused[PLAN_INPUT_FILES], written[PLAN_OUTPUT_FILES];
	enum cb_status st;

	for (size_t i = 0; plan->load && i < 3; i++)
		if (given_option(generator_only[i].name))
			return cb_fail(err, CB_USAGE,
				       "--%s does not apply to a loaded matrix (--load): %s",
				       generator_only[i].name, generator_only[i].why);
	if (plan->mpi && !job_mpi_built())
		return cb_fail(err, CB_USAGE, "--strategy mpi needs colbench built with Open MPI: "
			       "apt-get install openmpi-bin libopenmpi-dev, then make MPI=1");
	if (plan->mpi && plan->strategy_count > 0)
		return cb_fail(err, CB_USAGE, "--strategy mpi runs alone (under mpirun), "
			       "not with other strategies");
	if (plan->mpi && (plan->mmap || plan->save || plan->report.baseline))
		return cb_fail(err, CB_USAGE, "--strategy mpi takes no --mmap, --save or --baseline");
	if (plan->mpi && given_option("workers"))
		return cb_fail(err, CB_USAGE, "--workers does not apply to --strategy mpi: "
			       "it runs one process per rank (mpirun -np N)");
	if (plan->mmap && !plan->load)
		return cb_fail(err, CB_USAGE, "--mmap maps a file given with --load");
	if (plan->mpi && plan->processes > 1)
		return cb_fail(err, CB_USAGE, "--processes does not apply to --strategy mpi: "
			       "mpirun starts its processes");
	if ((st = check_pin(plan, err)) != CB_OK)
		return st;

	/* Each file is written whole, then renamed: the later would replace the earlier. */
	plan_named_files(plan, unused, written);
	for (size_t i = 0; i < PLAN_OUTPUT_FILES; i++)
		for (size_t k = i + 1; k < PLAN_OUTPUT_FILES; k++)
			if (written[i].path && written[k].path &&
			    strcmp(written[i].path, written[k].path) == 0)
				return cb_fail(err, CB_USAGE, "--%s and --%s both write '%s'",
					       written[i].option, written[k].option,
					       written[i].path);
	if (plan->report.files[0].path && !output_format(plan->report.files[0].path, NULL))
		return cb_fail(err, CB_USAGE, "--output: '%s' does not end in .json, .csv or .md",
			       plan->report.files[0].path);
	return CB_OK;
}

/* Option name's value when the runs are sampled (the table's), unless it was given. */
static enum cb_status sampled_default(struct plan *plan, const char *name, struct cb_error *err)
{
	const struct sampled_default *sampled = sampled_default_of(name);

	for (size_t i = 0; sampled && i < OPTION_COUNT; i++)
		if (strcmp(options[i].name, name) == 0 && !(given >> i & 1))
			return options[i].set(plan, &options[i], sampled->value, err);
	return CB_OK;
}

/*
 * How the runs are sampled: a report that is saved or compared (judged)
 * gets the table's sampled defaults (10 fresh processes of 3 runs),
 * unless --processes or --repeat says otherwise; an interactive text
 * report keeps one process.  Either way the pairs take turns, run by run
 * (measure/schedule.h): on a machine whose memory bandwidth wanders by
 * half within a minute, fork timed in one stretch and pthread in the next
 * differed by 10 ms a call that start-up and wind-down put at 3 (an MPI
 * job's ranks time their one pair in step: plan_settle).
 */
static enum cb_status choose_sampling(struct plan *plan, bool judged, struct cb_error *err)
{
	enum cb_status st = CB_OK;

	if (judged && !plan->mpi)
		st = sampled_default(plan, "processes", err);
	if (st == CB_OK && plan->processes > 1)
		st = sampled_default(plan, "repeat", err);
	return st;
}

/*
 * The plan's last word (plan_settle), after the options are parsed and
 * checked: the sampling, what was given rather than defaulted, the
 * report's file formats.
 */
static enum cb_status settle_options(struct plan *plan, bool judged, bool calibrating,
			     struct cb_error *err)
{
	enum cb_status st = choose_sampling(plan, judged, err);

	plan->workers_given = given_option("workers");
	plan->layout_given = given_option("layout");
	if (plan->report.files[0].path)
		(void)output_format(plan->report.files[0].path, &plan->report.files[0].format);
	return st == CB_OK ? plan_settle(plan, calibrating, err) : st;
}

/* colbench calibrate: a run's options, less what it writes or compares. */
static enum cb_status check_calibrate(struct plan *plan, struct cb_error *err)
{
	static const char *const refused[] = { "baseline", "output", "export-json", "export-csv",
					       "export-markdown", "save", "sums", "label", "gate",
					       "plot" };
	enum cb_status st;

	for (size_t k = 0; k < sizeof(refused) / sizeof(refused[0]); k++)
		if (given_option(refused[k]))
			return cb_fail(err, CB_USAGE, "--%s does not apply to colbench calibrate",
				       refused[k]);
	if (plan->mpi)
		return cb_fail(err, CB_USAGE, "colbench calibrate does not run --strategy mpi");
	if ((st = check_combinations(plan, err)) != CB_OK)
		return st;
	if (plan->report.format == FORMAT_CSV || plan->report.format == FORMAT_MARKDOWN)
		return cb_fail(err, CB_USAGE, "colbench calibrate prints text or json, not %s",
			       plan->report.format == FORMAT_CSV ? "csv" : "markdown");
	return settle_options(plan, true, true, err);
}

/* A command that takes only the options named in allowed[0..n): any
 * other given is refused, naming it. */
static enum cb_status only_options(const char *const *allowed, size_t n, const char *command,
				   struct cb_error *err)
{
	unsigned long long ok = 0;

	for (size_t i = 0; i < OPTION_COUNT; i++)
		for (size_t k = 0; k < n; k++)
			if (strcmp(options[i].name, allowed[k]) == 0)
				ok |= 1ull << i;
	for (size_t i = 0; i < OPTION_COUNT; i++)
		if ((given & ~ok) >> i & 1)
			return cb_fail(err, CB_USAGE, "--%s does not apply to colbench %s",
				       options[i].name, command);
	return CB_OK;
}

/* colbench compare OLD NEW: two files, and only the options of a report. */
static enum cb_status check_compare(int argc, char **argv, struct plan *plan,
				    struct cb_error *err)
{
	static const char *const allowed[] = { "threshold", "drift", "format", "quiet" };
	enum cb_status st;

	if (argc - optind != 3)
		return cb_fail(err, CB_USAGE, "usage: colbench compare [OPTION]... OLD.json NEW.json");
	if ((st = only_options(allowed, sizeof(allowed) / sizeof(allowed[0]), "compare", err)))
		return st;
	if (plan->report.format == FORMAT_CSV)
		return cb_fail(err, CB_USAGE, "colbench compare prints text, json or markdown, not csv");
	plan->compare_old = argv[optind + 1];
	plan->compare_new = argv[optind + 2];
	plan->report.quiet = plan->quiet;
	return CB_OK;
}

/* colbench history REPORT...|FOLDER: reports, and the options of a series. */
static enum cb_status check_history(int argc, char **argv, struct plan *plan,
				    struct cb_error *err)
{
	static const char *const allowed[] = { "threshold", "format", "quiet", "gate", "plot" };
	enum cb_status st;

	if (argc - optind < 2)
		return cb_fail(err, CB_USAGE, "usage: colbench history [OPTION]... REPORT.json... "
			       "(or a folder of them)");
	if ((st = only_options(allowed, sizeof(allowed) / sizeof(allowed[0]), "history", err)))
		return st;
	if (plan->report.format == FORMAT_CSV)
		return cb_fail(err, CB_USAGE, "colbench history prints text, json or markdown, not csv");
	if (plan->history_plot) {
		size_t n = strlen(plan->history_plot);

		if (n < 5 || (strcmp(plan->history_plot + n - 4, ".png") != 0 &&
			      strcmp(plan->history_plot + n - 4, ".svg") != 0))
			return cb_fail(err, CB_USAGE, "--plot %s: the file must end in .png or .svg",
				       plan->history_plot);
		if (strpbrk(plan->history_plot, "'\n"))
			return cb_fail(err, CB_USAGE, "--plot: a quote or a newline in the file name");
	}
	plan->history = argv + optind + 1;
	plan->history_count = (size_t)(argc - optind - 1);
	plan->report.quiet = plan->quiet;
	return CB_OK;
}

/*
 * --help, --version and --list (opt) print and exit, whatever options
 * follow them, but an operand is refused: "-V foo" is a slip, not a
 * request for the version.  A command word first ("calibrate --help")
 * is not an operand of theirs.
 */
static enum cb_status check_standalone(int argc, char **argv, const struct cli_option *opt,
				       struct cb_error *err)
{
	int first = optind;

	/* compare's and history's reports are their operands: --help beside
	 * them still helps. */
	if (first < argc && (strcmp(argv[first], "compare") == 0 ||
			     strcmp(argv[first], "history") == 0))
		return CB_OK;
	if (first < argc && strcmp(argv[first], "calibrate") == 0)
		first++;
	if (first < argc)
		return cb_fail(err, CB_USAGE, "--%s takes no argument ('%s')", opt->name,
			       argv[first]);
	return CB_OK;
}

/*
 * Read every option of argv into plan, after the table's defaults, and
 * note in *standalone the first --help, --version or --list (which wins
 * over every option after it).  getopt leaves optind at the operands.
 */
static enum cb_status read_options(int argc, char **argv, struct plan *plan,
				   const struct cli_option **standalone, struct cb_error *err)
{
	struct option longopts[OPTION_COUNT + 1];
	char shortopts[2 * OPTION_COUNT + 2];
	enum cb_status status;
	int c;

	for (size_t i = 0; i < OPTION_COUNT; i++)
		if (options[i].def &&
		    (status = options[i].set(plan, &options[i], options[i].def, err)) != CB_OK)
			return status;
	build_getopt(longopts, shortopts);
	opterr = 0;
	optind = 0; /* glibc: 0 also resets getopt's internal state */
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		const struct cli_option *opt = option_for(c), *meant = NULL;

		if (*standalone)
			continue; /* it wins over every option after it */
		if (c == '?' && optopt > 0 && optopt < 256) {
			/*
			 * An unknown letter: getopt steps past an argument
			 * once it has read its last letter, so the letter
			 * ended argv[optind - 1] ("-Z", or "-x" in "-x -seed")
			 * or sits inside argv[optind] ("-cols").  A
			 * single-dash long name there is the slip to name.
			 */
			const char *prev = argv[optind - 1];
			size_t plen = strlen(prev);
			bool ended = plen >= 2 && prev[0] == '-' && prev[1] != '-' &&
				     (unsigned char)prev[plen - 1] == optopt;
			const char *here = ended ? prev : optind < argc ? argv[optind] : NULL;

			if ((meant = single_dash_long(here)))
				return single_dash_error(here, meant, err);
		}
		if (c == '?')
			return bad_option(optopt, argv[optind - 1], err);
		if (c == ':')
			return cb_fail(err, CB_USAGE, "option '%s' needs a value (try --help)",
				       argv[optind - 1]);
		if (!opt->set) { /* --help, --version, --list */
			*standalone = opt; /* getopt goes on, to put the operands last */
			continue;
		}
		/* A short option's value glued to it: "-rows" is -r "ows". */
		if (c < 256 && optarg && optarg != argv[optind - 1] &&
		    (meant = single_dash_long(argv[optind - 1])))
			return single_dash_error(argv[optind - 1], meant, err);
		/*
		 * Each option at most once: of two values, which one was meant
		 * is a guess, and a script that adds its own option after its
		 * user's would override the user without a word.
		 */
		if (given >> (opt - options) & 1)
			return cb_fail(err, CB_USAGE, "--%s given twice", opt->name);
		if ((status = opt->set(plan, opt, optarg, err)) != CB_OK)
			return status;
		given |= 1ull << (opt - options);
	}
	return CB_OK;
}

/* A sampled copy's command line: --sample-child FD and nothing else (its
 * plan comes from its sampler, sampling/wire.h). */
static enum cb_status check_copy(int argc, struct cb_error *err)
{
	for (size_t i = 0; i < OPTION_COUNT; i++)
		if (given >> i & 1 && strcmp(options[i].name, "sample-child") != 0)
			return cb_fail(err, CB_USAGE, "--sample-child is colbench's own: not for use");
	if (optind < argc)
		return cb_fail(err, CB_USAGE, "--sample-child is colbench's own: not for use");
	return CB_OK;
}

enum cb_status cli_parse(int argc, char **argv, struct plan *plan, struct cli_command *cmd,
			 struct cb_error *err)
{
	const struct cli_option *standalone = NULL; /* --help, --version or --list */
	enum cb_status status;

	memset(plan, 0, sizeof(*plan));
	given = 0;
	copy_fd = -1;
	*cmd = (struct cli_command){ CLI_RUN, -1 };
	if ((status = read_options(argc, argv, plan, &standalone, err)) != CB_OK)
		return status;
	if (standalone) {
		cmd->action = !strcmp(standalone->name, "help") ? CLI_HELP
			    : !strcmp(standalone->name, "version") ? CLI_VERSION
			    : !strcmp(standalone->name, "list") ? CLI_LIST : CLI_COMPLETION_SPEC;
		return check_standalone(argc, argv, standalone, err);
	}
	if (copy_fd >= 0) {
		*cmd = (struct cli_command){ CLI_COPY, copy_fd };
		return check_copy(argc, err);
	}
	if (optind < argc && strcmp(argv[optind], "compare") == 0) {
		cmd->action = CLI_COMPARE;
		return check_compare(argc, argv, plan, err);
	}
	if (optind < argc && strcmp(argv[optind], "history") == 0) {
		cmd->action = CLI_HISTORY;
		return check_history(argc, argv, plan, err);
	}
	if (optind < argc && strcmp(argv[optind], "calibrate") == 0 && optind + 1 == argc) {
		cmd->action = CLI_CALIBRATE;
		return check_calibrate(plan, err);
	}
	if (optind + 1 < argc && strcmp(argv[optind], "calibrate") == 0)
		return cb_fail(err, CB_USAGE, "unexpected argument '%s': colbench calibrate "
			       "takes options only (try --help)", argv[optind + 1]);
	if (optind < argc)
		return cb_fail(err, CB_USAGE, "unexpected argument '%s' (try --help)",
			       argv[optind]);
	if (given_option("pairs"))
		return cb_fail(err, CB_USAGE, "--pairs applies to colbench calibrate");
	if (given_option("gate") || given_option("plot"))
		return cb_fail(err, CB_USAGE, "--%s applies to colbench history",
			       given_option("gate") ? "gate" : "plot");
	if ((status = check_combinations(plan, err)) != CB_OK)
		return status;
	return settle_options(plan, plan->report.format != FORMAT_TEXT || plan_writes_report(plan) ||
			    plan->report.baseline, false, err);
}

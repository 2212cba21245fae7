/*
 * report_history.c - colbench history's report: text, JSON, Markdown and
 * a gnuplot plot of each series with its change points (see
 * report_history.h).
 */
#include "report/report_history.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "os/atomic_file.h"
#include "report/report.h"
#include "version.h"

/* A report as people name it: its label, else its file. */
static const char *name_of(const struct history_data *d, size_t report)
{
	return d->reports[report].label[0] ? d->reports[report].label : d->paths[report];
}

static const char *gate_word(enum cb_status gate)
{
	return gate == CB_REGRESSED ? "fail" : gate == CB_INCONCLUSIVE ? "inconclusive" : "pass";
}

static const char *step_kind(const struct history_step *s)
{
	return s->ratio > 1 ? "regression" : "improvement";
}

/* Each report's level, in one unit (the first's), report by report;
 * their intervals are in the JSON and the plot. */
static void print_levels(FILE *out, const struct history_series *h)
{
	static const char *const units[] = { "s", "ms", "\u00b5s", "ns" };
	int order = 0;

	while (order < 3 && h->points[0].level * pow(1000, order) < 1)
		order++;
	fprintf(out, "  levels (%s):", units[order]);
	for (size_t k = 0; k < h->count; k++)
		fprintf(out, " %.3g%s", h->points[k].level * pow(1000, order),
			h->fit.outlier[k] ? "*" : "");
	fputc('\n', out);
}

void report_history_text(FILE *out, const struct history_data *d, bool gated)
{
	fprintf(out, "colbench history: %zu reports, from %s (%s) to %s (%s)\n", d->report_count,
		name_of(d, 0), d->reports[0].date[0] ? d->reports[0].date : "no date",
		name_of(d, d->report_count - 1), d->reports[d->report_count - 1].date[0]
		? d->reports[d->report_count - 1].date : "no date");
	for (size_t i = 0; i < d->series_count; i++) {
		const struct history_series *h = &d->series[i];
		const struct history_fit *f = &h->fit;
		char level[32];

		if (h->count == 0) {
			fprintf(out, "\n%s, %u worker%s: no report with undisturbed runs that "
				"verified\n", h->strategy, h->workers, h->workers == 1 ? "" : "s");
			continue;
		}
		fprintf(out, "\n%s, %u worker%s: %zu report%s, latest %s, noise %.1f%% a report, ",
			h->strategy, h->workers, h->workers == 1 ? "" : "s", h->count,
			h->count == 1 ? "" : "s",
			report_timespan(h->points[h->count - 1].level, 3, level, sizeof(level)),
			100 * f->noise);
		if (f->step_count == 0)
			fprintf(out, "no change point\n");
		else
			fprintf(out, "%zu change point%s\n", f->step_count, f->step_count == 1 ? "" : "s");
		print_levels(out, h);
		for (size_t k = 0; k < f->step_count; k++) {
			const struct history_step *s = &f->steps[k];
			size_t r = h->points[s->at].report;

			fprintf(out, "  at report %zu (%s): %+.1f%% (%+.1f%% to %+.1f%%), a %s%s\n",
				r + 1, name_of(d, r), 100 * (s->ratio - 1), 100 * (s->low - 1),
				100 * (s->high - 1), step_kind(s),
				s->ratio > 1 && !history_step_fails(d, s) ? ", under the threshold" : "");
		}
		for (size_t k = 0; k < h->count; k++)
			if (f->outlier[k])
				fprintf(out, "  report %zu (%s): an outlier, left out (one report off "
					"both its neighbours)\n", h->points[k].report + 1,
					name_of(d, h->points[k].report));
		if (f->last_apart)
			fprintf(out, "  the latest report is %+.1f%% off the level before it, alone: "
				"the next report will tell a step from an outlier\n",
				100 * (f->last_ratio - 1));
	}
	if (gated)
		fprintf(out, "\ngate: %s: %s\n", gate_word(d->gate), d->gate_reason);
}

static json_t *number(double x)
{
	return isfinite(x) ? json_real(x) : json_null();
}

char *report_history_json(const struct history_data *d, bool gated)
{
	json_t *root = json_object(), *reports = json_array(), *series = json_array();
	char *text;

	for (size_t r = 0; r < d->report_count; r++)
		json_array_append_new(reports, json_pack("{s:i, s:s, s:o, s:o}", "report", (int)r + 1,
			"file", d->paths[r], "label", d->reports[r].label[0]
			? json_string(d->reports[r].label) : json_null(), "date", d->reports[r].date[0]
			? json_string(d->reports[r].date) : json_null()));
	for (size_t i = 0; i < d->series_count; i++) {
		const struct history_series *h = &d->series[i];
		json_t *levels = json_array(), *steps = json_array();

		for (size_t k = 0; k < h->count; k++)
			json_array_append_new(levels, json_pack("{s:i, s:o, s:o, s:o, s:b}", "report",
				(int)h->points[k].report + 1, "seconds", number(h->points[k].level),
				"low", number(h->points[k].low), "high", number(h->points[k].high),
				"outlier", h->fit.outlier[k]));
		for (size_t k = 0; k < h->fit.step_count; k++) {
			const struct history_step *s = &h->fit.steps[k];

			json_array_append_new(steps, json_pack("{s:i, s:o, s:o, s:o, s:o, s:s, s:b}",
				"report", (int)h->points[s->at].report + 1, "ratio", number(s->ratio),
				"ratio_low", number(s->low), "ratio_high", number(s->high), "t",
				number(s->t), "kind", step_kind(s), "past_threshold",
				s->ratio > 1 ? history_step_fails(d, s) : s->ratio < 1 - d->threshold / 100));
		}
		json_array_append_new(series, json_pack("{s:s, s:i, s:o, s:o, s:o, s:o}", "strategy",
			h->strategy, "workers", (int)h->workers, "noise", number(h->fit.noise),
			"levels", levels, "change_points", steps, "latest_apart",
			h->fit.last_apart ? number(h->fit.last_ratio) : json_null()));
	}
	json_object_set_new(root, "colbench", json_string(COLBENCH_VERSION));
	json_object_set_new(root, "method", json_string(
		"E-divisive means (alpha 1) picks each split, a t-test over the series' robust "
		"between-report noise keeps it; two reports a side at least; outliers left out"));
	json_object_set_new(root, "threshold_percent", json_real(d->threshold));
	json_object_set_new(root, "reports", reports);
	json_object_set_new(root, "series", series);
	json_object_set_new(root, "gate", gated ? json_pack("{s:s, s:i, s:s}", "verdict",
		gate_word(d->gate), "status", (int)d->gate, "reason", d->gate_reason) : json_null());
	text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
	json_decref(root);
	return text;
}

/* Append to a growing string; false when out of memory (buf freed). */
static bool add(char **buf, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static bool add(char **buf, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *grown;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !(grown = realloc(*buf, *len + (size_t)n + 1))) {
		free(*buf);
		*buf = NULL;
		return false;
	}
	*buf = grown;
	va_start(ap, fmt);
	vsnprintf(*buf + *len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	*len += (size_t)n;
	return true;
}

char *report_history_markdown(const struct history_data *d, bool gated)
{
	char *md = NULL;
	size_t len = 0;
	bool ok = add(&md, &len, "### colbench history: %zu reports\n\n", d->report_count);

	if (ok && gated)
		ok = add(&md, &len, "**gate: %s**: %s\n\n", gate_word(d->gate), d->gate_reason);
	ok = ok && add(&md, &len, "| strategy | workers | reports | noise | change points |\n"
		       "| --- | ---: | ---: | ---: | --- |\n");
	for (size_t i = 0; ok && i < d->series_count; i++) {
		const struct history_series *h = &d->series[i];

		ok = add(&md, &len, "| %s | %u | %zu | %.1f%% | ", h->strategy, h->workers, h->count,
			 100 * h->fit.noise);
		for (size_t k = 0; ok && k < h->fit.step_count; k++) {
			const struct history_step *s = &h->fit.steps[k];
			size_t r = h->points[s->at].report;

			ok = add(&md, &len, "%s%+.1f%% at report %zu (`%s`), %s", k ? "; " : "",
				 100 * (s->ratio - 1), r + 1, name_of(d, r), step_kind(s));
		}
		ok = ok && add(&md, &len, "%s |\n", h->fit.step_count ? "" : "none");
	}
	return ok ? md : NULL;
}

/*
 * The plot: every series as its ratio to its first level against the
 * report, with each level's interval, one line a series, and each change
 * point an arrow.  gnuplot reads the script on its stdin.
 */
/* A name from a saved report, fit for a gnuplot string: a report is
 * outside input, and a quote in it would end the string (gnuplot runs
 * system() calls), so anything but letters, digits and -_.+ becomes _. */
static const char *plot_safe(const char *name, char *buf, size_t len)
{
	size_t i = 0;

	for (; name[i] && i + 1 < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c < 128 && (isalnum(c) || strchr("-_.+", c)))
			buf[i] = name[i];
		else
			buf[i] = '_';
	}
	buf[i] = '\0';
	return buf;
}

static void plot_script(FILE *g, const struct history_data *d, bool svg)
{
	fprintf(g, "set terminal %s size 1000,600\n", svg ? "svg" : "pngcairo");
	fprintf(g, "set title 'colbench history: %zu reports'\nset xlabel 'report'\n"
		"set ylabel 'time a loop, as a ratio to the first report'\nset key outside\n"
		"set grid\nset xrange [0.5:%zu.5]\n", d->report_count, d->report_count);
	for (size_t i = 0, arrow = 1; i < d->series_count; i++) {
		const struct history_series *h = &d->series[i];

		for (size_t k = 0; k < h->fit.step_count; k++, arrow++) {
			size_t at = h->fit.steps[k].at;

			fprintf(g, "set arrow %zu from %.1f, graph 0 to %.1f, graph 1 nohead "
				"dashtype 2 linecolor %zu\n", arrow, (double)h->points[at].report + 0.5,
				(double)h->points[at].report + 0.5, i + 1);
		}
	}
	fprintf(g, "plot ");
	for (size_t i = 0, shown = 0; i < d->series_count; i++) {
		if (d->series[i].count) { /* a series without a level has nothing to draw */
			char name[sizeof(d->series[i].strategy)];

			fprintf(g, "%s'-' using 1:2:3:4 with yerrorlines linecolor %zu title '%s %u'",
				shown++ ? ", " : "", i + 1,
				plot_safe(d->series[i].strategy, name, sizeof(name)),
				d->series[i].workers);
		}
	}
	fprintf(g, "\n");
	for (size_t i = 0; i < d->series_count; i++) {
		const struct history_series *h = &d->series[i];
		double first = h->count ? h->points[0].level : 1;

		if (!h->count)
			continue;
		for (size_t k = 0; k < h->count; k++)
			fprintf(g, "%zu %.6g %.6g %.6g\n", h->points[k].report + 1,
				h->points[k].level / first, h->points[k].low / first,
				h->points[k].high / first);
		fprintf(g, "e\n");
	}
}

/* Run gnuplot on script (a file), its image (its stdout) into *image. */
static enum cb_status run_gnuplot(const char *script, char **image, size_t *len,
				  struct cb_error *err)
{
	int fds[2], wstatus = 0;
	size_t room = 1 << 16;
	ssize_t got;
	pid_t pid;

	*len = 0;
	if (!(*image = malloc(room)))
		return cb_fail(err, CB_SYSTEM, "out of memory for the plot");
	if (pipe(fds) != 0 || (pid = fork()) < 0)
		return cb_fail(err, CB_SYSTEM, "--plot: cannot start gnuplot");
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execlp("gnuplot", "gnuplot", script, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	while ((got = read(fds[0], *image + *len, room - *len)) != 0) {
		char *grown;

		if (got < 0)
			continue; /* EINTR */
		*len += (size_t)got;
		if (*len == room && (grown = realloc(*image, room *= 2)))
			*image = grown;
		else if (*len == room)
			break; /* out of memory: gnuplot gets EPIPE, the plot fails below */
	}
	close(fds[0]);
	while (waitpid(pid, &wstatus, 0) < 0)
		;
	if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 127)
		return cb_fail(err, CB_SYSTEM, "--plot needs gnuplot: apt-get install gnuplot-nox");
	if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0 || *len == 0)
		return cb_fail(err, CB_SYSTEM, "--plot: gnuplot could not draw the plot");
	return CB_OK;
}

enum cb_status report_history_plot(const struct history_data *d, const char *path,
				   struct cb_error *err)
{
	size_t n = strlen(path), len = 0;
	bool svg = n > 4 && !strcmp(path + n - 4, ".svg");
	char script[] = "/tmp/colbench-history-plot-XXXXXX", *image = NULL;
	int fd = mkstemp(script);
	FILE *g = fd >= 0 ? fdopen(fd, "w") : NULL;
	enum cb_status st;

	if (!g) {
		if (fd >= 0) {
			close(fd);
			unlink(script);
		}
		return cb_fail(err, CB_SYSTEM, "--plot: cannot write gnuplot's script in /tmp");
	}
	plot_script(g, d, svg);
	if (fclose(g) != 0) {
		unlink(script);
		return cb_fail(err, CB_SYSTEM, "--plot: cannot write gnuplot's script in /tmp");
	}
	st = run_gnuplot(script, &image, &len, err);
	unlink(script);
	if (st == CB_OK)
		st = atomic_write(path, &(struct file_part){ image, len }, 1, err);
	free(image);
	return st;
}

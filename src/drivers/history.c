/*
 * history.c - colbench history REPORT... | FOLDER: a series of saved
 * reports, each strategy's change points, and the gate (driver.h).
 *
 * Reports named on the command line are taken in the order given; a
 * folder's *.json files in the order of their timestamps (system.date,
 * then the name).  Nothing is run.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "drivers/driver.h"
#include "os/atomic_file.h"
#include "report/output.h"
#include "report/report_history.h"

struct series_files {
	char **paths;
	size_t count;
	bool owned; /* the paths were made from a folder's names */
};

static int by_name(const void *pa, const void *pb)
{
	return strcmp(*(char *const *)pa, *(char *const *)pb);
}

/* A folder's *.json files, by name (their dates order them once read). */
static enum cb_status list_folder(const char *dir, struct series_files *f, struct cb_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t room = 0;

	if (!d)
		return cb_fail(err, CB_USAGE, "%s: cannot read the folder", dir);
	f->owned = true;
	f->paths = NULL;
	f->count = 0;
	/* readdir_r is deprecated: one stream, one thread. */
	// cppcheck-suppress readdirCalled
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);

		if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0 || e->d_name[0] == '.')
			continue;
		if (f->count == room) {
			size_t more = room ? 2 * room : 16;
			char **grown = realloc(f->paths, more * sizeof(*grown));

			if (!grown) {
				closedir(d);
				return cb_fail(err, CB_SYSTEM, "out of memory for the reports");
			}
			f->paths = grown;
			room = more;
		}
		if (asprintf(&f->paths[f->count], "%s/%s", dir, e->d_name) < 0) {
			closedir(d);
			return cb_fail(err, CB_SYSTEM, "out of memory for the reports");
		}
		f->count++;
	}
	closedir(d);
	if (f->count == 0)
		return cb_fail(err, CB_USAGE, "%s: no saved report (*.json) in the folder", dir);
	qsort(f->paths, f->count, sizeof(*f->paths), by_name);
	return CB_OK;
}

struct dated {
	struct saved_report report;
	const char *path;
	size_t given; /* its place by name, for equal dates */
};

static int by_date(const void *pa, const void *pb)
{
	const struct dated *a = pa, *b = pb;
	int c = strcmp(a->report.date, b->report.date);

	return c ? c : (a->given > b->given) - (a->given < b->given);
}

static void free_files(struct series_files *f)
{
	for (size_t i = 0; f->owned && i < f->count; i++)
		free(f->paths[i]);
	if (f->owned)
		free(f->paths);
}

/* Load every report; a folder's ordered by date. */
static enum cb_status load_all(struct series_files *f, bool by_dates, struct saved_report **out,
			       const char ***paths, struct cb_error *err)
{
	struct dated *all = calloc(f->count + 1, sizeof(*all));
	enum cb_status st = CB_OK;
	size_t loaded = 0;

	*out = calloc(f->count + 1, sizeof(**out));
	*paths = calloc(f->count + 1, sizeof(**paths));
	if (!all || !*out || !*paths) {
		free(all);
		return cb_fail(err, CB_SYSTEM, "out of memory for the reports");
	}
	for (; loaded < f->count && st == CB_OK; loaded++) {
		all[loaded].path = f->paths[loaded];
		all[loaded].given = loaded;
		st = saved_report_load(f->paths[loaded], &all[loaded].report, err);
	}
	if (st != CB_OK) {
		for (size_t i = 0; i + 1 < loaded; i++)
			saved_report_free(&all[i].report);
		free(all);
		return st;
	}
	if (by_dates)
		qsort(all, f->count, sizeof(*all), by_date);
	for (size_t i = 0; i < f->count; i++) {
		(*out)[i] = all[i].report;
		(*paths)[i] = all[i].path;
	}
	free(all);
	return CB_OK;
}

static enum cb_status print(const struct plan *p, const struct history_data *d,
			    struct cb_error *err)
{
	enum report_format format = p->report.format;
	char *text;

	if (format == FORMAT_TEXT) {
		if (!p->report.quiet || d->gate != CB_OK)
			report_history_text(stdout, d, p->history_gate);
		return CB_OK;
	}
	text = format == FORMAT_JSON ? report_history_json(d, p->history_gate)
				     : report_history_markdown(d, p->history_gate);
	if (!text)
		return cb_fail(err, CB_SYSTEM, "out of memory for the report");
	fputs(text, stdout);
	if (format == FORMAT_JSON)
		fputc('\n', stdout);
	free(text);
	return CB_OK;
}

enum cb_status drive_history(const struct plan *p, struct cb_error *err)
{
	struct series_files files = { (char **)p->history, p->history_count, false };
	struct saved_report *reports = NULL;
	const char **paths = NULL;
	struct history_data d = { 0 };
	struct stat sb;
	bool folder = p->history_count == 1 && stat(p->history[0], &sb) == 0 && S_ISDIR(sb.st_mode);
	enum cb_status st = CB_OK;

	if (p->history_plot && (st = atomic_check_target(p->history_plot, err)) != CB_OK)
		return st;
	if (folder && (st = list_folder(p->history[0], &files, err)) != CB_OK) {
		free_files(&files);
		return st;
	}
	st = load_all(&files, folder, &reports, &paths, err);
	if (st == CB_OK)
		st = history_build(reports, paths, files.count, &p->report.rule, &d, err);
	if (st == CB_OK)
		st = print(p, &d, err);
	if (st == CB_OK && p->history_plot)
		st = report_history_plot(&d, p->history_plot, err);
	if (st == CB_OK && p->history_gate)
		st = d.gate;
	history_data_free(&d);
	for (size_t i = 0; reports && i < files.count && paths && paths[i]; i++)
		saved_report_free(&reports[i]);
	free(reports);
	free(paths);
	free_files(&files);
	return st;
}
DRIVER_TAKES_PLAN(drive_history);

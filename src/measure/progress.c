/*
 * progress.c - where the timing is (see progress.h).
 */
#include "measure/progress.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "os/clock.h"

static struct {
	bool active, line, warn, drawn;
	unsigned runs, done;  /* timed runs: in all, and finished */
	double run_seconds;   /* the finished ones' time */
	double drawn_at;      /* monotonic seconds of the last redraw */
} progress;

void progress_begin(unsigned runs, bool line, bool warn)
{
	progress.active = true;
	progress.line = line;
	progress.warn = warn;
	progress.drawn = false;
	progress.runs = runs;
	progress.done = 0;
	progress.run_seconds = 0;
	progress.drawn_at = -INFINITY;
}

void progress_duration(char *buf, size_t len, double seconds)
{
	if (seconds < 90) /* "about 0 s" would say nothing */
		snprintf(buf, len, "%.0f s", seconds < 1 ? 1 : seconds);
	else if (seconds < 5400)
		snprintf(buf, len, "%.0f min", seconds / 60);
	else
		snprintf(buf, len, "%.1f h", seconds / 3600);
}

/* Redraw the line (at most every PROGRESS_REDRAW unless forced). */
static void draw(const char *strategy, unsigned workers, const char *what, bool force)
{
	double now = monotonic_seconds();
	char left[48] = "";

	if (!progress.active || !progress.line || (!force && now - progress.drawn_at < PROGRESS_REDRAW))
		return;
	progress.drawn_at = now;
	if (progress.done > 0 && progress.done < progress.runs) {
		char span[24];

		progress_duration(span, sizeof(span), progress.run_seconds / progress.done *
						      (progress.runs - progress.done));
		snprintf(left, sizeof(left), ", about %s left", span);
	}
	progress_show("%s, %u worker%s: %s (%u of %u runs done%s)", strategy, workers,
		      workers == 1 ? "" : "s", what, progress.done, progress.runs, left);
}

bool progress_terminal(void)
{
	const char *term = getenv("TERM");

	return isatty(STDERR_FILENO) && term && *term && strcmp(term, "dumb") != 0;
}

void progress_show(const char *fmt, ...)
{
	va_list ap;

	if (!progress_terminal())
		return; /* nothing drawn, so nothing to erase */
	fputs("\r\033[Kcolbench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
	progress.drawn = true;
}

void progress_warming(const char *strategy, unsigned workers)
{
	draw(strategy, workers, "warming up", true);
}

void progress_plan(const char *strategy, unsigned workers, unsigned runs, unsigned loops,
		   double per_loop)
{
	double seconds = per_loop * loops * runs;
	char span[24];

	if (!progress.active || !progress.warn || !(seconds > PROGRESS_LONG))
		return;
	progress_clear();
	progress_duration(span, sizeof(span), seconds);
	fprintf(stderr, "colbench: warning: %s with %u worker%s: %u runs of %u loops will take "
		"about %s\n", strategy, workers, workers == 1 ? "" : "s", runs, loops, span);
	fflush(stderr);
}

void progress_ran(const char *strategy, unsigned workers, unsigned run, unsigned runs,
		  double seconds)
{
	char what[48];

	if (!progress.active)
		return;
	progress.done++;
	progress.run_seconds += seconds;
	if (run + 1 == runs) {
		progress_clear(); /* the result's line comes next */
		return;
	}
	snprintf(what, sizeof(what), "run %u of %u", run + 2, runs);
	draw(strategy, workers, what, false);
}

void progress_clear(void)
{
	if (!progress.drawn)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	progress.drawn = false;
}

void progress_end(void)
{
	progress_clear();
	progress.active = false;
}

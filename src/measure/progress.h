/*
 * progress.h - where the timing is, on stderr, while it runs.
 *
 * A default run sums a 2.4 GB matrix some 400 times between two %timeit
 * lines, silently.  On a terminal a line says which strategy and worker
 * count runs, which run of how many, and about how long is left, redrawn
 * in place at most every PROGRESS_REDRAW seconds and erased before the
 * result's own line, as hyperfine draws its bar; never in pipes, files
 * or CI logs, nor on a terminal whose TERM is dumb or unset.  A run that will plainly take long (an --number of a
 * million on a big matrix) says its estimate once, up front, wherever
 * stderr goes.
 */
#ifndef COLBENCH_PROGRESS_H
#define COLBENCH_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

#define PROGRESS_REDRAW 0.1 /* seconds between redraws */
#define PROGRESS_LONG 60.0  /* seconds: an estimate above this is said up front */

/*
 * Begin: `runs` timed runs to come in all.  line: draw the line (stderr
 * is a terminal, the user did not ask for quiet, and this process speaks
 * for the run); warn: say long estimates.
 */
void progress_begin(unsigned runs, bool line, bool warn);

/* A benchmark is warming up and choosing its loops. */
void progress_warming(const char *strategy, unsigned workers);

/*
 * A benchmark's loops are fixed: `runs` runs of `loops` loops, each loop
 * about `per_loop` seconds (0: not known yet).  Says the estimate when it
 * exceeds PROGRESS_LONG.
 */
void progress_plan(const char *strategy, unsigned workers, unsigned runs, unsigned loops,
		   double per_loop);

/* Run `run` (from 0) of `runs` of a benchmark took `seconds`. */
void progress_ran(const char *strategy, unsigned workers, unsigned run, unsigned runs,
		  double seconds);

/* Erase the line (before a result's line is printed). */
void progress_clear(void);

/*
 * The line itself: "colbench: " and the text, drawn in place on stderr,
 * erased by progress_clear.  For a caller that tracks its own progress (a
 * sampler counting its processes, whose copies draw none).  Nothing at
 * all where progress_terminal() says no.
 */
void progress_show(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Whether stderr is a terminal that can redraw a line in place: a tty
 * whose TERM is set and is not "dumb" (Emacs's shell buffer, a CI agent's
 * pseudo-terminal), which would show each \r and ESC [ K as text.
 */
bool progress_terminal(void);

/* A duration as the line says it: "45 s", "12 min" or "3.2 h". */
void progress_duration(char *buf, size_t len, double seconds);

/* Erase the line and say nothing more until the next progress_begin
 * (benchmarks outside the timing proper, such as the kernels' survey). */
void progress_end(void);

#endif

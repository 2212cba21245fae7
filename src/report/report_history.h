/*
 * report_history.h - what colbench history prints: each series' levels,
 * change points, outliers and the gate, as text, JSON or Markdown, and a
 * plot (gnuplot: PNG or SVG).  gated: the gate's verdict is part of it.
 */
#ifndef COLBENCH_REPORT_HISTORY_H
#define COLBENCH_REPORT_HISTORY_H

#include <stdbool.h>
#include <stdio.h>

#include "os/status.h"
#include "report/history_series.h"

void report_history_text(FILE *out, const struct history_data *d, bool gated);
char *report_history_json(const struct history_data *d, bool gated);     /* malloc'd */
char *report_history_markdown(const struct history_data *d, bool gated); /* malloc'd */

/* Draw every series into path (.png or .svg, by its end) with gnuplot:
 * CB_USAGE for another name, CB_SYSTEM when gnuplot is missing or fails. */
enum cb_status report_history_plot(const struct history_data *d, const char *path,
				   struct cb_error *err);

#endif

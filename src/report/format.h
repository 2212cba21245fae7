/*
 * format.h - the formats a report is written in (stdout, --output, the
 * --export-* files).
 */
#ifndef COLBENCH_REPORT_FORMAT_H
#define COLBENCH_REPORT_FORMAT_H

enum report_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_CSV, FORMAT_MARKDOWN };

#endif

/*
 * version.h - colbench's version, for --version and every report.
 */
#ifndef COLBENCH_VERSION_H
#define COLBENCH_VERSION_H

#define COLBENCH_VERSION "0.1.0"

#endif

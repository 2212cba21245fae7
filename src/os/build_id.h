/*
 * build_id.h - which build this colbench is: its commit, as git describe
 * named it when it was built (the Makefile writes it), or "unknown" (a
 * tarball, no git), and the compiler and flags that built it.  colbench
 * --version and every JSON report carry them.
 */
#ifndef COLBENCH_BUILD_ID_H
#define COLBENCH_BUILD_ID_H

const char *build_commit(void);

/* The compiler that built colbench: its family ("gcc", "clang") and its
 * version (__VERSION__), and the CFLAGS it was given. */
const char *build_compiler_family(void);
const char *build_compiler(void);
const char *build_cflags(void);

#endif

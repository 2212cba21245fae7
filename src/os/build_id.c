/*
 * build_id.c - the build's commit (see build_id.h).
 */
#include "os/build_id.h"

/* build_id_commit.h is the Makefile's, in the build folder: rewritten only
 * when the commit changes, so that this file is rebuilt exactly then. */
#if defined(__has_include)
#if __has_include("build_id_commit.h")
#include "build_id_commit.h"
#endif
#endif
#ifndef COLBENCH_COMMIT
#define COLBENCH_COMMIT "unknown"
#endif

const char *build_commit(void)
{
	return COLBENCH_COMMIT;
}

#ifndef COLBENCH_CFLAGS
#define COLBENCH_CFLAGS "unknown"
#endif

const char *build_compiler_family(void)
{
#if defined(__clang__)
	return "clang";
#elif defined(__GNUC__)
	return "gcc";
#else
	return "cc";
#endif
}

const char *build_compiler(void)
{
#ifdef __VERSION__
	return __VERSION__;
#else
	return "unknown";
#endif
}

const char *build_cflags(void)
{
	return COLBENCH_CFLAGS;
}

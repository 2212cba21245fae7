/*
 * omp_env.h - the OpenMP runtime's verdict on the environment, in
 * colbench's words.
 *
 * libgomp reads OMP_NUM_THREADS, OMP_PLACES, OMP_PROC_BIND, ... when it
 * is loaded, before main, and answers a value it cannot use with a line
 * of its own ("libgomp: Invalid value for environment variable ...") and
 * a default in its place: a benchmark then runs under settings nobody
 * asked for, and its stderr holds a line no colbench convention covers.
 * Rather than second-guess libgomp's grammar (it grows with each GCC),
 * colbench lets libgomp judge: stderr goes into memory from before the
 * libraries start (omp_env_capture, from main.c's .preinit_array) until
 * main begins (omp_env_check), and a refusal found there is colbench's
 * usage error.
 */
#ifndef COLBENCH_OMP_ENV_H
#define COLBENCH_OMP_ENV_H

#include "os/status.h"

/*
 * Point stderr (fd 2) at an anonymous memory file, keeping the real one
 * aside.  For the executable's .preinit_array, which runs before any
 * library's constructor; does nothing when fd 2 is closed or no memory
 * file can be made.
 */
void omp_env_capture(void);

/*
 * Put the real stderr back and judge what went to the memory file: any
 * "libgomp: ..." line is a refusal, CB_USAGE with err naming each variable
 * libgomp named ("Invalid value for environment variable NAME") with its
 * value, and libgomp's other words ("Logical CPU number 99999 out of
 * range") in brackets; anything else written there (OMP_DISPLAY_ENV's
 * table, another library's words) goes on to stderr unchanged.  CB_OK
 * when nothing was refused, or nothing captured.
 * Call first thing in main.
 */
enum cb_status omp_env_check(struct cb_error *err);

#endif

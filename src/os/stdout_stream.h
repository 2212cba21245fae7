/*
 * stdout_stream.h - a stdout and stderr that a signal can stop.
 *
 * The C library retries a write cut short by a signal, so a colbench
 * blocked writing its report (or a warning) into a pipe that nobody reads
 * would ignore SIGTERM until the reader went.  These streams write through
 * a loop that waits for room with the signals unblocked (ppoll) and gives
 * up as soon as interrupt_pending() says a signal came.
 */
#ifndef COLBENCH_STDOUT_STREAM_H
#define COLBENCH_STDOUT_STREAM_H

/* Replace stdout (line-buffered on a terminal, fully buffered otherwise,
 * as stdio's own) and stderr (unbuffered) with interruptible streams.
 * Call once, after interrupt_install(); a stream that cannot be made
 * stays as it was. */
void stdout_stream_install(void);

/* The errno of stdout's first failed write (ENOSPC, EPIPE, ...), 0 when
 * none failed (or stdout is the C library's own). */
int stdout_stream_error(void);

#endif

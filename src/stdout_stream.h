/*
 * stdout_stream.h - a stdout that a signal can stop.
 *
 * The C library's stdout retries a write cut short by a signal, so a
 * colbench blocked writing its report into a pipe that nobody reads would
 * ignore SIGTERM until the reader went.  This stdout writes through a
 * loop that waits for room with the signals unblocked (ppoll) and gives
 * up as soon as interrupt_pending() says a signal came.
 */
#ifndef COLBENCH_STDOUT_STREAM_H
#define COLBENCH_STDOUT_STREAM_H

/* Replace stdout with the interruptible stream (line-buffered on a
 * terminal, fully buffered otherwise, as stdio's own).  Call once, after
 * interrupt_install(); on failure stdout stays as it was. */
void stdout_stream_install(void);

#endif

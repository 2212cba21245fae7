/*
 * pin.h - binding a worker to one CPU (--pin).
 *
 * Worker i goes to the i-th CPU of the set colbench was started with (all
 * online CPUs, or what taskset allowed), wrapping around when there are
 * more workers than CPUs.
 */
#ifndef COLBENCH_PIN_H
#define COLBENCH_PIN_H

/* CPUs colbench may run on: the affinity mask it was started with (>= 1). */
unsigned pin_allowed_cpus(void);

/*
 * Bind the calling thread (or process) to the CPU for worker `index`.
 * Returns 0, or -1 when the kernel refused (the worker then runs unbound:
 * pinning is a request for steadier numbers, never a reason to fail).
 */
int pin_to_cpu(unsigned index);

/* Whether CPU number cpu is in the set colbench was started with. */
int pin_cpu_allowed(unsigned cpu);

/* Let the calling thread run on every allowed CPU again. */
int pin_restore(void);

#endif

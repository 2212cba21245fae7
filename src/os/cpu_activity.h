/*
 * cpu_activity.h - what the CPUs did while colbench timed a run: its own
 * CPU time and preemptions, the time every task spent on the CPUs it may
 * use, the time the hypervisor took.  Raw readings only;
 * measure/disturbance.c judges them.
 */
#ifndef COLBENCH_CPU_ACTIVITY_H
#define COLBENCH_CPU_ACTIVITY_H

/* CPU time and involuntary context switches of a group of tasks. */
struct cpu_usage {
	double user, system; /* seconds */
	double involuntary;  /* context switches forced on the tasks (preemptions) */
};

/* colbench's own threads and its reaped child processes, so far. */
void cpu_usage_of_self(struct cpu_usage *u);

/* The calling process alone (a pool worker reporting on itself). */
void cpu_usage_of_process(struct cpu_usage *u);

/* *to += *u. */
void cpu_usage_add(struct cpu_usage *to, const struct cpu_usage *u);

/* What every task did on the CPUs colbench may use (pin.h), since boot. */
struct cpu_times {
	double busy;  /* seconds the CPUs ran tasks (user, nice, system, irq, softirq) */
	double steal; /* seconds the hypervisor ran something else while they had work */
};

/*
 * Read /proc/stat's lines for colbench's CPUs into *t.  Its figures are
 * clock ticks (10 ms), so a difference over a short run is coarse: sum
 * them over many runs.  Returns 0, or -1 when unreadable.
 */
int cpu_times_read(struct cpu_times *t);

#endif

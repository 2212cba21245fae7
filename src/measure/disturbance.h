/*
 * disturbance.h - was a timed run disturbed by other work?
 *
 * A run shares the machine with whatever else runs on it.  Around each
 * run colbench reads the CPU time every task spent on the CPUs it may use
 * (/proc/stat) and its own CPU time (getrusage, its live workers
 * included): the difference is what other work took from those CPUs.  It
 * also reads the steal time of a virtual machine (the hypervisor gave the
 * CPU to another guest) and counts its own involuntary context switches.
 *
 * /proc/stat counts in clock ticks of 10 ms, too coarse for one run of
 * tens of milliseconds, so the judgement is made over every run of one
 * process (a second or more): a process is disturbed when other work
 * used more than DISTURBANCE_OTHERS_MAX of a CPU beyond the CPUs colbench
 * left idle (keeping one in reserve), or steal took more than
 * DISTURBANCE_STOLEN_MAX of a CPU.  Its runs are then left out of
 * regression verdicts, and a comparison left with too little undisturbed
 * evidence is inconclusive (report/compare.h).  Preemptions are kept as a
 * reading only: colbench's own start-up of workers (a fork or pthread
 * call on as many CPUs as there are workers) causes them too.
 *
 * Measured on the 2-core development VM (docs/ci.md): idle processes show
 * other work of 0.00-0.05 CPUs; with one `while :` loop beside them, 0.9-1.0.
 */
#ifndef COLBENCH_DISTURBANCE_H
#define COLBENCH_DISTURBANCE_H

#include <stdbool.h>
#include <stddef.h>

#include "os/cpu_activity.h"

#define DISTURBANCE_OTHERS_MAX 0.25 /* CPUs' worth of other work */
#define DISTURBANCE_STOLEN_MAX 0.05 /* CPUs' worth of steal time */
/*
 * /proc/stat's unit (USER_HZ, 100 a second on Linux): each CPU's reading
 * at either end of a window is rounded by up to a tick, so other work over
 * a window of w seconds on c CPUs is known to within c * TICK / w of a CPU
 * (0.08 over 0.25 s on two CPUs, 0.2 over 0.1 s).  The limits above are
 * raised by that much, so a short window is judged as surely as a long
 * one: every-CPU-busy reads a CPU or more of other work, idle a few
 * hundredths.
 */
#define DISTURBANCE_TICK 0.01 /* seconds */
/* Shorter than this, the rounding (0.4 of a CPU on two) hides a CPU of
 * other work: such a process is not judged. */
#define DISTURBANCE_MIN_WINDOW 0.05 /* seconds */

/* One run's readings; a reading the machine cannot give is NAN. */
struct disturbance {
	double wall;      /* seconds the run took, its readings included */
	double own;       /* CPU seconds colbench and its workers used */
	double others;    /* CPU seconds other tasks used on colbench's CPUs */
	double stolen;    /* seconds of steal time on colbench's CPUs */
	double preempted; /* involuntary context switches of colbench's tasks */
	bool disturbed;   /* its process's judgement (disturbance_judge) */
};

/* The readings at the start of a run. */
struct disturbance_probe {
	double wall;
	struct cpu_usage own;
	struct cpu_times cpus;
	bool cpus_known;
};

/*
 * Read at the start (disturbance_start) and end (disturbance_stop) of a
 * run; live: the CPU use of workers alive at that moment (not yet reaped,
 * so not in RUSAGE_CHILDREN), or NULL.  *spent gets colbench's own user
 * and system time over the run (the same reading, for the report's
 * user and system).
 */
void disturbance_start(struct disturbance_probe *p, const struct cpu_usage *live);
void disturbance_stop(const struct disturbance_probe *p, const struct cpu_usage *live,
		      struct disturbance *d, struct cpu_usage *spent);

/*
 * Between disturbance_carry(true) and disturbance_carry(false), each run's
 * probe starts where the previous run's stopped (its /proc/stat reading
 * and its clock), so that the tick-grained figures of a process's
 * consecutive runs add up to one reading over all of them: each tick's
 * rounding counts once, not once a run.  For interleaved runs
 * (measure/schedule.h), which follow one another.
 */
void disturbance_carry(bool on);

/*
 * The next run's probe starts afresh: time passed since the last stop
 * that belongs to no run (a strategy settling its idle workers, whose own
 * spinning would read as other work in the next run).
 */
void disturbance_break(void);

/* What runs[0..n) of one process add up to, as CPUs' worth over their time. */
struct disturbance_total {
	double wall;     /* seconds */
	double own;      /* CPUs colbench kept busy, on average */
	double others;   /* CPUs' worth of other work; NAN unknown */
	double stolen;   /* CPUs' worth of steal; NAN unknown */
	bool disturbed;
};

/*
 * Judge the runs of one process together (pure): other work above
 * DISTURBANCE_OTHERS_MAX plus the CPUs colbench left idle beyond one
 * (usable_cpus - own - 1, at least 0), or steal above DISTURBANCE_STOLEN_MAX,
 * each limit raised by the ticks' rounding over the window.  Unknown
 * readings pass, and so do runs that last less than DISTURBANCE_MIN_WINDOW
 * in all (too short to tell: others, stolen NAN).
 */
struct disturbance_total disturbance_judge(const struct disturbance *const *runs, size_t n,
					   unsigned usable_cpus);

#endif

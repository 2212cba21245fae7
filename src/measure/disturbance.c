/*
 * disturbance.c - was a timed run disturbed (see disturbance.h).
 */
#include "measure/disturbance.h"

#include <math.h>

#include "os/clock.h"

/* colbench's own CPU use now: its threads, reaped children, live workers. */
static void own_usage(struct cpu_usage *u, const struct cpu_usage *live)
{
	cpu_usage_of_self(u);
	if (live)
		cpu_usage_add(u, live);
}

/* The last stop's readings, for the next start (disturbance_carry). */
struct carried_reading {
	bool on, valid;
	double wall;
	struct cpu_times cpus;
	bool cpus_known;
};
static struct carried_reading carried;

void disturbance_break(void)
{
	carried.valid = false;
}

void disturbance_carry(bool on)
{
	carried.on = on;
	carried.valid = false;
}

void disturbance_start(struct disturbance_probe *p, const struct cpu_usage *live)
{
	own_usage(&p->own, live);
	if (carried.on && carried.valid) {
		p->cpus = carried.cpus;
		p->cpus_known = carried.cpus_known;
		p->wall = carried.wall;
		return;
	}
	p->cpus_known = cpu_times_read(&p->cpus) == 0;
	p->wall = monotonic_seconds();
}

void disturbance_stop(const struct disturbance_probe *p, const struct cpu_usage *live,
		      struct disturbance *d, struct cpu_usage *spent)
{
	struct cpu_usage own;
	struct cpu_times cpus;
	bool read = cpu_times_read(&cpus) == 0, known = p->cpus_known && read;
	double now = monotonic_seconds(), wall = now - p->wall;

	own_usage(&own, live);
	if (carried.on)
		carried = (struct carried_reading){ .on = true, .valid = true, .wall = now, .cpus = cpus,
					     .cpus_known = read };
	*spent = (struct cpu_usage){ own.user - p->own.user, own.system - p->own.system,
				     own.involuntary - p->own.involuntary };
	d->wall = wall;
	d->own = spent->user + spent->system;
	d->others = known ? cpus.busy - p->cpus.busy - d->own : NAN;
	d->stolen = known ? cpus.steal - p->cpus.steal : NAN;
	d->preempted = spent->involuntary;
	d->disturbed = false; /* judged with the rest of its process's runs */
}

struct disturbance_total disturbance_judge(const struct disturbance *const *runs, size_t n,
					   unsigned usable_cpus)
{
	struct disturbance_total t = { 0 };
	double others = 0, stolen = 0, spare, rounding;
	bool known = n > 0;

	for (size_t i = 0; i < n; i++) {
		t.wall += runs[i]->wall;
		t.own += runs[i]->own;
		known = known && isfinite(runs[i]->others) && isfinite(runs[i]->stolen);
		others += runs[i]->others;
		stolen += runs[i]->stolen;
	}
	if (!(t.wall >= DISTURBANCE_MIN_WINDOW))
		return (struct disturbance_total){ .wall = t.wall, .others = NAN, .stolen = NAN };
	t.own /= t.wall;
	t.others = known ? others / t.wall : NAN;
	t.stolen = known ? stolen / t.wall : NAN;
	spare = (double)usable_cpus - t.own - 1;
	if (spare < 0)
		spare = 0;
	rounding = (double)usable_cpus * DISTURBANCE_TICK / t.wall;
	t.disturbed = known && (t.others > DISTURBANCE_OTHERS_MAX + spare + rounding ||
				t.stolen > DISTURBANCE_STOLEN_MAX + rounding);
	return t;
}

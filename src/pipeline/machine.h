/*
 * machine.h - what the machine allows, measured beside the timings so
 * that the report can say how far each result is from it: the read
 * limit, and the fork floor (measure/limit.h, measure/floors.h).
 */
#ifndef COLBENCH_PIPELINE_MACHINE_H
#define COLBENCH_PIPELINE_MACHINE_H

#include "measure/limit.h"
#include "pipeline/pipeline.h"

/*
 * A probe of the read-bandwidth limit with 1 worker and with every worker
 * count that will run, for the schedule to give turns to (*probe NULL
 * under p->no_limit).
 */
enum cb_status machine_limit_open(const struct plan *p, const struct run_record *rec,
				  struct limit_probe **probe, struct cb_error *err);

/* The probe's limits into rec->info.limits; then it is closed. */
void machine_limit_keep(struct limit_probe *probe, struct run_record *rec);

/*
 * How the simd kernel reads the matrix (measure/tune.h), when it is the
 * plan's kernel and the matrix is column-major: p->simd_at_once when given
 * (a sampled copy after the first: the first one's choice), else measured;
 * into rec->info.simd.
 */
enum cb_status machine_tune(const struct plan *p, struct run_record *rec,
			    struct cb_error *err);

/*
 * The fork floor for every worker count of a process strategy (none in an
 * MPI job, nor under p->no_floors), into rec->info.fork_floors.
 */
enum cb_status machine_floors(const struct plan *p, struct run_record *rec,
			      struct cb_error *err);

#endif

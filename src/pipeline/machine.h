/*
 * machine.h - what the machine allows, measured beside the timings so
 * that the report can say how far each result is from it: the read
 * limit, and the fork floor (measure/limit.h, measure/floors.h).
 */
#ifndef COLBENCH_PIPELINE_MACHINE_H
#define COLBENCH_PIPELINE_MACHINE_H

#include "pipeline/pipeline.h"

/*
 * The read-bandwidth limit with 1 worker and with every worker count that
 * will run, each measured once, into rec->info.limits; then the fork floor
 * for every worker count of a process strategy (none in an MPI job, nor
 * under p->no_floors).
 */
enum cb_status machine_measure(const struct plan *p, struct run_record *rec,
			       struct cb_error *err);

#endif

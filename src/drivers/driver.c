/*
 * driver.c - which driver runs a plan (see driver.h).
 */
#include "drivers/driver.h"

driver_fn *driver_for(const struct plan *p)
{
	if (p->mpi)
		return drive_rank;  /* under mpirun: one rank of the job */
	if (p->processes > 1)
		return drive_sampled; /* fresh copies do the work */
	return drive_alone;
}

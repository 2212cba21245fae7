/*
 * source.h - the pipeline's matrix: generated or loaded, then the files
 * made from it (pipeline.h).
 */
#ifndef COLBENCH_PIPELINE_SOURCE_H
#define COLBENCH_PIPELINE_SOURCE_H

#include "pipeline/pipeline.h"

/*
 * This process's matrix (its block of columns, in a job) into rec->m:
 * loaded from p->load, converted to --layout when it asks for the other
 * (timed, as numpy's asfortranarray), or generated from p->seed after the
 * first touch and, alone, the write floor.  rec->workers gets p's worker
 * counts, fitted to a loaded matrix's shape.
 */
enum cb_status source_build(const struct plan *p, const struct job *job, struct run_record *rec,
			    struct cb_error *err);

/* --sums: every process's reference sums, gathered in order and written
 * on rank 0, so the file is the whole matrix's reference. */
enum cb_status source_save_sums(const char *path, const struct job *job,
				const struct reference *ref, struct cb_error *err);

#endif

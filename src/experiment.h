/*
 * experiment.h - the one pipeline: the files checked, the matrix built
 * (generated or loaded), the limit measured, the reference computed, every
 * strategy timed and verified, the kernels surveyed, the report written.
 */
#ifndef COLBENCH_EXPERIMENT_H
#define COLBENCH_EXPERIMENT_H

#include "cli/cli.h"
#include "os/status.h"

/*
 * Run the experiment cfg describes (its worker counts are fitted to a
 * loaded matrix once its shape is read).  Returns CB_OK; CB_VERIFY (a
 * result was wrong) or CB_REGRESSED; CB_USAGE, CB_SYSTEM or
 * CB_INTERRUPTED with err filled.
 */
enum cb_status experiment_run(struct config *cfg, struct cb_error *err);

/* colbench compare: the two saved reports cfg names, judged. */
enum cb_status experiment_compare(const struct config *cfg, struct cb_error *err);

#endif

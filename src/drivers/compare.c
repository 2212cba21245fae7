/*
 * compare.c - colbench compare OLD NEW: two saved reports judged as
 * --baseline judges a fresh one, nothing run (driver.h).
 */
#include "drivers/driver.h"
#include "report/output.h"

enum cb_status drive_compare(const struct plan *p, struct cb_error *err)
{
	return report_compare_files(p->compare_old, p->compare_new, &p->report, err);
}
DRIVER_TAKES_PLAN(drive_compare);

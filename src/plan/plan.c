/*
 * plan.c - what a plan names and counts (see plan.h).
 */
#include "plan/plan.h"

#include <string.h>

#include "os/pin.h"

void plan_named_files(const struct plan *p, struct named_file inputs[PLAN_INPUT_FILES],
		      struct named_file outputs[PLAN_OUTPUT_FILES])
{
	inputs[0] = (struct named_file){ "load", p->load };
	inputs[1] = (struct named_file){ "baseline", p->report.baseline };
	outputs[0] = (struct named_file){ "save", p->save };
	outputs[1] = (struct named_file){ "sums", p->sums };
	/* In the order of report_request's files: --output, then hyperfine's. */
	outputs[2] = (struct named_file){ "output", p->report.files[0].path };
	outputs[3] = (struct named_file){ "export-json", p->report.files[1].path };
	outputs[4] = (struct named_file){ "export-csv", p->report.files[2].path };
	outputs[5] = (struct named_file){ "export-markdown", p->report.files[3].path };
}

bool plan_writes_report(const struct plan *p)
{
	for (size_t i = 0; i < REPORT_FILES; i++)
		if (p->report.files[i].path)
			return true;
	return false;
}

bool plan_any_parallel(const struct plan *p)
{
	for (size_t i = 0; i < p->strategy_count; i++)
		if (p->strategies[i]->parallel)
			return true;
	return false;
}

size_t plan_name_width(const struct plan *p)
{
	size_t width = 0;

	for (size_t i = 0; i < p->strategy_count; i++)
		if (strlen(p->strategies[i]->name) > width)
			width = strlen(p->strategies[i]->name);
	return width;
}

size_t plan_pair_count(const struct plan *p)
{
	size_t n = 0;

	for (size_t i = 0; i < p->strategy_count; i++)
		n += p->strategies[i]->parallel ? p->worker_count : 1;
	return n;
}

enum cb_status plan_settle(struct plan *draft, bool calibrating, struct cb_error *err)
{
	struct plan *p = draft;

	p->report.files[1].format = FORMAT_JSON; /* hyperfine's --export-* */
	p->report.files[2].format = FORMAT_CSV;
	p->report.files[3].format = FORMAT_MARKDOWN;
	p->report.quiet = p->quiet;
	p->progress_line = p->warn_long = !p->quiet;
	p->judge = true;
	/* The survey informs a report; calibrate's timings are the point,
	 * and no process of a job holds the whole matrix to survey. */
	p->survey = !p->quiet && !calibrating && !p->mpi;
	if (p->mpi) { /* its one strategy: a process, not a worker, a rank */
		p->strategies[0] = &strategy_mpi;
		p->strategy_count = 1;
		p->workers[0] = 1;
		p->worker_count = 1;
		p->no_limit = true; /* no process holds the matrix to stream it */
		p->schedule = SCHEDULE_IN_STEP;
	}
	if (p->worker_count == 0) {
		p->workers[0] = pin_allowed_cpus();
		p->worker_count = 1;
	}
	if (p->load || p->mpi) /* fitted once the file's shape is read (pipeline/source.c) */
		return CB_OK;
	return strategy_fit_workers(p->workers, p->worker_count, p->workers_given,
				    plan_any_parallel(p), p->layout == LAYOUT_F ? p->cols : p->rows,
				    p->layout, err);
}

/*
 * report.c - the text report (see report.h).
 */
#include "report/report.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

#include "version.h"
#include "os/build_id.h"
#include "matrix/generator.h"
#include "measure/limit.h"
#include "measure/progress.h"
#include "measure/verify.h"

#define GB 1e9

char *report_timespan(double seconds, int precision, char *buf, size_t len)
{
	static const char *const units[] = { "s", "ms", "\u00b5s", "ns" };
	static const double scaling[] = { 1, 1e3, 1e6, 1e9 };
	int order;

	if (seconds >= 60.0) {
		/* IPython: "1min 5s", "2h 3min 4s": whole units, largest first. */
		static const struct { const char *suffix; double length; } parts[] = {
			{ "d", 86400 }, { "h", 3600 }, { "min", 60 }, { "s", 1 } };
		double leftover = seconds;
		size_t used = 0;

		buf[0] = '\0';
		for (size_t i = 0; i < 4; i++) {
			long long value = (long long)(leftover / parts[i].length);

			if (value > 0) {
				leftover = fmod(leftover, parts[i].length);
				used += snprintf(buf + used, used < len ? len - used : 0,
						 "%s%lld%s", used ? " " : "", value,
						 parts[i].suffix);
			}
			if (leftover < 1)
				break;
		}
		return buf;
	}
	/* Python's -(floor(log10(t)) // 3), capped at ns. */
	order = seconds > 0 ? (int)-floor(floor(log10(seconds)) / 3) : 3;
	if (order > 3)
		order = 3;
	if (order < 0)
		order = 0;
	snprintf(buf, len, "%.*g %s", precision, seconds * scaling[order], units[order]);
	return buf;
}

/* n with thousands separators, as Python's "{:,}". */
static char *with_commas(unsigned long long n, char *buf, size_t len)
{
	char digits[32];
	size_t nd = (size_t)snprintf(digits, sizeof(digits), "%llu", n), o = 0;

	for (size_t i = 0; i < nd && o + 2 < len; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

static const char *layout_name(enum layout layout)
{
	return layout == LAYOUT_F ? "f (column-major)" : "c (row-major)";
}

/* The matrix line of a loaded matrix: where from, how, and what changed. */
static void report_loaded(FILE *out, const struct report_info *info)
{
	const struct npy_header *h = &info->npy.header;

	fprintf(out, "matrix:    %s (.npy %d.%d, %s, fortran_order %s), %s in %.2f s\n",
		info->load, h->major, h->minor, h->descr, h->fortran_order ? "True" : "False",
		info->npy.mapped ? "mapped" : "read", info->npy.read_seconds);
	if (h->itemsize == 4)
		fprintf(out, "           float32 widened to float64: sums and times are of "
			"the float64 copy\n");
	if (info->converted)
		fprintf(out, "           converted from layout %c to %c in %.2f s "
			"(numpy's %s)\n", info->converted_from == LAYOUT_F ? 'f' : 'c',
			info->m->layout == LAYOUT_F ? 'f' : 'c', info->convert_seconds,
			info->m->layout == LAYOUT_F ? "asfortranarray" : "ascontiguousarray");
	fprintf(out, "           layout %s, %.2f GB\n", layout_name(info->m->layout),
		info->m->bytes / GB);
}

/* The floors line (measure/floors.h): the write pass the generator races,
 * and the kernel's own cost of forking and reaping workers. */
static void report_floors(FILE *out, const struct report_info *info)
{
	char span[32];

	if (info->write_gbps <= 0 && info->fork_floor_count == 0)
		return;
	fprintf(out, "floors:    ");
	if (info->write_gbps > 0) {
		double generated = report_gbps(info, info->generate_seconds);

		fprintf(out, "write %.1f GB/s with %u thread%s", info->write_gbps,
			info->write_threads, info->write_threads == 1 ? "" : "s");
		if (info->generate_seconds > 0)
			fprintf(out, " (the generator: %.1f GB/s, %.1fx the write pass)", generated,
				info->write_gbps / generated);
	}
	for (size_t i = 0; i < info->fork_floor_count; i++)
		fprintf(out, "%s %s for %u worker%s", i ? "," : info->write_gbps > 0 ?
			"; fork and reap" : "fork and reap",
			report_timespan(info->fork_floors[i].seconds, 3, span, sizeof(span)),
			info->fork_floors[i].workers, info->fork_floors[i].workers == 1 ? "" : "s");
	fprintf(out, " (best of %d)\n", FLOOR_RUNS);
}

void report_version(FILE *out)
{
	fprintf(out, "colbench %s\ncommit:    %s\ncompiler:  %s %s, CFLAGS %s\n"
		"kernels:   simd in %s on this CPU; the generator in %s\n", COLBENCH_VERSION,
		build_commit(), build_compiler_family(), build_compiler(), build_cflags(),
		kernel_simd_isa(), generator_width());
}

/* An MPI job: its ranks, on which hosts, and how they talk. */
static void report_job(FILE *out, const struct report_info *info)
{
	fprintf(out, "mpi:       %u rank%s on %u host%s", info->ranks, info->ranks == 1 ? "" : "s",
		info->hosts, info->hosts == 1 ? "" : "s");
	for (unsigned r = 0; info->job_ranks && r < info->ranks; r++) {
		unsigned first = r;

		for (unsigned q = 0; q < r; q++)
			if (!strcmp(info->job_ranks[q].host, info->job_ranks[r].host)) {
				first = q;
				break;
			}
		if (first != r)
			continue; /* named with the first rank on its host */
		fprintf(out, "%s%s: rank", r ? "; " : " (", info->job_ranks[r].host);
		for (unsigned q = r, shown = 0; q < info->ranks; q++)
			if (!strcmp(info->job_ranks[q].host, info->job_ranks[r].host))
				fprintf(out, "%s %u", shown++ ? "," : "", q);
	}
	fprintf(out, "%s, each %s and summing its own columns (rank 0: %zu of %zu), "
		"gathered on rank 0\n", info->job_ranks ? ")" : "",
		info->load ? "reading" : "generating", info->rank0_cols, info->m->cols);
	if (info->transport && info->transport[0])
		fprintf(out, "transport: %s\n", info->transport);
}

void report_header(FILE *out, const struct report_info *info)
{
	const struct matrix *m = info->m;
	char res[32];

	fprintf(out, "colbench %s: column sums of a %zu x %zu float64 matrix\n",
		COLBENCH_VERSION, m->rows, m->cols);
	if (info->load)
		report_loaded(out, info);
	else
		fprintf(out, "matrix:    layout %s, %.2f GB, seed %llu, generated in %.2f s\n",
			layout_name(m->layout), m->bytes / GB, (unsigned long long)info->seed,
			info->generate_seconds);
	if (info->load && info->npy.mapped && !info->converted)
		fprintf(out, "memory:    the file's pages, mapped (--mmap): no huge pages\n");
	else if (info->load)
		fprintf(out, "memory:    huge pages %s, %.2f GB of this process in huge pages\n",
			info->hugepages ? "on" : "off", info->huge_bytes / GB);
	else
		fprintf(out, "memory:    huge pages %s, %.2f GB of this process in huge pages, "
			"page tables %.1f MB, first touch (page faults) %.2f s\n",
			info->hugepages ? "on" : "off", info->huge_bytes / GB,
			info->page_tables / 1e6, info->touch_seconds);
	fprintf(out, "machine:   %u online CPUs, %u usable (%s), clock resolution %s, ",
		info->sys.online_cpus, info->sys.usable_cpus, info->sys.cpu_model,
		report_timespan(info->clock_resolution, 3, res, sizeof(res)));
	if (info->sys.llc_bytes)
		fprintf(out, "last-level cache %.1f MB (%s)\n", info->sys.llc_bytes / 1e6,
			info->sys.llc_source);
	else
		fprintf(out, "last-level cache unknown\n");
	fprintf(out, "kernel:    %s (%s), ", info->kernel->name, kernel_simd_isa());
	if (info->simd.at_once)
		fprintf(out, "%u column%s at a time", info->simd.at_once,
			info->simd.at_once == 1 ? "" : "s");
	if (info->simd.gain > 0)
		fprintf(out, " (%.2fx as fast as %u here)", info->simd.gain,
			info->simd.at_once == 1 ? (unsigned)KERNEL_SIMD_AT_ONCE : 1u);
	fprintf(out, "%s%s\n", info->simd.at_once ? ", " : "",
		info->pin ? "workers pinned to CPUs" : "workers not pinned");
	report_floors(out, info);
	if (info->ranks > 0)
		report_job(out, info);
	if (info->processes > 1)
		fprintf(out, "sampling:  %u fresh processes x %u runs a pair, taking turns, in %.1f s; "
			"%u disturbed by other work (left out of verdicts)\n", info->processes,
			info->runs_per_process, info->sampling_seconds, info->disturbed_processes);
	fprintf(out, "reference: Neumaier-compensated sums in %.2f s; every run is checked"
		" to %.0e of each column's sum of |x|\n\n",
		info->reference_seconds, VERIFY_TOLERANCE);
	fflush(out);
}

void report_timeit_line(FILE *out, const struct bench_result *r,
			size_t name_width)
{
	char mean[32], std[32], loops[32];

	if (stats_slow_outlier(&r->time))
		fprintf(out, "The slowest run took %0.2f times longer than the fastest. "
			"This could mean that an intermediate result is being cached.\n",
			r->time.max / r->time.min);
	fprintf(out, "%-*s %2u worker%s  %s \u00b1 %s per loop (mean \u00b1 std. dev. of "
		"%u run%s, %s loop%s each)\n",
		(int)name_width, r->strategy->name, r->workers, r->workers == 1 ? " " : "s",
		report_timespan(r->time.mean, 3, mean, sizeof(mean)),
		report_timespan(r->time.std, 3, std, sizeof(std)),
		r->runs, r->runs == 1 ? "" : "s",
		with_commas(r->loops, loops, sizeof(loops)), r->loops == 1 ? "" : "s");
	fflush(out);
}

/*
 * s right-aligned in `width` terminal columns: printf's widths count bytes,
 * and the micro sign is two bytes in UTF-8 but one column.
 */
static void print_cell(FILE *out, const char *s, int width)
{
	int columns = 0;

	for (const char *p = s; *p; p++)
		columns += ((unsigned char)*p & 0xc0) != 0x80;
	fprintf(out, "  %*s%s", width > columns ? width - columns : 0, "", s);
}

/* Each kernel through one strategy (seq): what it costs and how accurate
 * it is; count > 0. */
static void report_kernels(FILE *out, const struct report_info *info,
			   const struct bench_result *kernels, size_t count)
{
	char min_header[64];

	snprintf(min_header, sizeof(min_header), "%s min", kernels[0].strategy->name);
	fprintf(out, "\n%-8s  %9s  %7s  %11s  %s\n", "kernel", min_header, "GB/s",
		"max rel err", "summation");
	for (size_t i = 0; i < count; i++) {
		const struct bench_result *k = &kernels[i];
		char min[32];

		fprintf(out, "%-8s", k->kernel->name);
		print_cell(out, report_timespan(k->time.min, 3, min, sizeof(min)), 9);
		fprintf(out, "  %7.2f  %11.1e  %s%s\n", report_gbps(info, k->time.min),
			k->verdict.max_rel_error, k->kernel->summary,
			k->verdict.ok ? "" : "  (over the tolerance)");
	}
}

/* What each strategy cost in memory, and what copy-on-write copied. */
static void report_memory(FILE *out, const struct report_info *info,
			  const struct bench_result *results, size_t n)
{
	fprintf(out, "\n%-*s  %7s  %9s  %s\n",
		(int)(info->name_width > 8 ? info->name_width : 8), "strategy", "workers",
		"peak RSS", "copied by copy-on-write");
	for (size_t i = 0; i < n; i++) {
		const struct bench_result *r = &results[i];

		fprintf(out, "%-*s  %7u  %6.2f GB  ",
			(int)(info->name_width > 8 ? info->name_width : 8), r->strategy->name,
			r->workers, r->peak_rss / GB);
		if (r->strategy->processes)
			fprintf(out, "%.1f MB of %.0f MB shared\n", r->cow_copied / 1e6,
				info->m->bytes / 1e6);
		else if (r->strategy->distributed)
			fprintf(out, "- (rank 0's: each rank holds its own block)\n");
		else
			fprintf(out, "- (threads share the memory)\n");
	}
}

/*
 * In an MPI job: each rank's host and columns, and the three parts of its
 * calls (the mean over every call of the run), so that the sum on each
 * host stands apart from the barrier and from the gather.
 */
static void report_ranks(FILE *out, const struct report_info *info)
{
	char wait[32], sum[32], gather[32], cols[48];

	if (!info->job_ranks)
		return;
	fprintf(out, "\n%4s  %-16s  %8s  %-15s  %9s  %9s  %9s\n", "rank", "host", "pid",
		"columns", "barrier", "sum", "gather");
	for (unsigned r = 0; r < info->ranks; r++) {
		const struct job_rank *k = &info->job_ranks[r];

		snprintf(cols, sizeof(cols), "%zu-%zu", k->first_col,
			 k->first_col + k->cols - (k->cols > 0));
		fprintf(out, "%4u  %-16s  %8ld  %-15s", r, k->host, k->pid, cols);
		print_cell(out, report_timespan(k->wait, 3, wait, sizeof(wait)), 9);
		print_cell(out, report_timespan(k->sum, 3, sum, sizeof(sum)), 9);
		print_cell(out, report_timespan(k->gather, 3, gather, sizeof(gather)), 9);
		fputc('\n', out);
	}
	fprintf(out, "barrier, sum, gather: a call's three parts on that rank, each the mean over "
		"the run's calls: waiting for\nevery rank, summing its own block (one thread), "
		"MPI_Gatherv of the sums to rank 0 (start-up and wind-down above are rank 0's).\n");
}

/* What each process strategy's call costs above the threads reference's
 * (pthread's), and how much of that the kernel's fork floor accounts for. */
static void report_costs_above_reference(FILE *out, const struct report_data *d)
{
	bool first = true;

	for (size_t i = 0; i < d->count; i++) {
		const struct bench_result *r = &d->results[i];
		const struct result_figures *f = &d->figures[i];
		char above[32], floor[32], times[4][32];

		if (!f->has_above)
			continue;
		fprintf(out, "%s%s with %u worker%s: %s a call %s %s's", first ? "\n" : "",
			r->strategy->name, r->workers, r->workers == 1 ? "" : "s",
			report_timespan(fabs(f->above_reference), 3, above, sizeof(above)),
			f->above_reference < 0 ? "below" : "above", f->reference->strategy->name);
		if (f->has_fork_floor)
			report_timespan(f->fork_floor, 3, floor, sizeof(floor));
		if (f->has_fork_floor && f->fork_floor < f->above_reference)
			fprintf(out, "; the kernel's fork floor is %s of it (%.0f%%)", floor,
				100 * f->fork_floor / f->above_reference);
		else if (f->has_fork_floor)
			fprintf(out, "; the kernel's fork floor (%s) covers all of it", floor);
		else if (!r->strategy->forks_each_call)
			fprintf(out, " (forked once, before timing: no fork in its calls)");
		/* Where the difference lies: around the sums, or in them. */
		fprintf(out, "; start-up %s, wind-down %s (%s: %s, %s)",
			report_timespan(r->startup, 3, times[0], sizeof(times[0])),
			report_timespan(r->wind_down, 3, times[1], sizeof(times[1])),
			f->reference->strategy->name,
			report_timespan(f->reference->startup, 3, times[2], sizeof(times[2])),
			report_timespan(f->reference->wind_down, 3, times[3], sizeof(times[3])));
		fputc('\n', out);
		first = false;
	}
}

/* One row of the summary table: result i and its figures. */
static void summary_row(FILE *out, const struct report_data *d, size_t i)
{
	const struct bench_result *r = &d->results[i];
	const struct result_figures *f = &d->figures[i];
	char mean[32], std[32], min[32], startup[32], wind_down[32], speedup[32], limit[32];

	if (f->has_speedup)
		snprintf(speedup, sizeof(speedup), "%.2fx", f->speedup);
	else
		snprintf(speedup, sizeof(speedup), "-");
	if (strategy_has_startup(r->strategy)) {
		report_timespan(r->startup, 3, startup, sizeof(startup));
		report_timespan(r->wind_down, 3, wind_down, sizeof(wind_down));
	} else {
		snprintf(startup, sizeof(startup), "-");
		snprintf(wind_down, sizeof(wind_down), "-");
	}
	fprintf(out, "%-*s  %7u", (int)(d->info->name_width > 8 ? d->info->name_width : 8),
		r->strategy->name, r->workers);
	print_cell(out, report_timespan(r->time.mean, 3, mean, sizeof(mean)), 9);
	print_cell(out, report_timespan(r->time.std, 3, std, sizeof(std)), 9);
	print_cell(out, report_timespan(r->time.min, 3, min, sizeof(min)), 9);
	if (f->over_limit) /* a warning says by how much and why */
		snprintf(limit, sizeof(limit), ">100%%");
	else if (f->has_limit)
		snprintf(limit, sizeof(limit), "%.0f%%", 100 * f->limit_share);
	else
		snprintf(limit, sizeof(limit), "-");
	fprintf(out, "  %7.2f", f->gbps);
	print_cell(out, limit, 6);
	print_cell(out, speedup, 7);
	print_cell(out, startup, 9);
	print_cell(out, wind_down, 9);
	fprintf(out, "  %11.1e%s\n", r->verdict.max_rel_error, r->verdict.ok ? "" : "  FAILED");
}

/* The strategies that start their workers once, before timing, and how long it took. */
static void summary_setups(FILE *out, const struct bench_result *results, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (results[i].setup > 0) {
			char setup[32];

			fprintf(out, "%s%s with %u worker%s: started once, before timing, in %s",
				i && results[i - 1].setup > 0 ? "; " : "\n",
				results[i].strategy->name, results[i].workers,
				results[i].workers == 1 ? "" : "s",
				report_timespan(results[i].setup, 3, setup, sizeof(setup)));
			if (i + 1 == n || results[i + 1].setup <= 0)
				fputc('\n', out);
		}
}

/* The kernels' survey, if there was one, and its verdict. */
static void summary_survey(FILE *out, const struct report_data *d)
{
	size_t kernel_failed = 0;

	if (d->kernel_count == 0)
		return;
	report_kernels(out, d->info, d->kernels, d->kernel_count);
	fprintf(out, "\nEach kernel ran through %s, 1 loop a run, best of 3; the error is the "
		"largest over columns of |sum - reference| / sum of |x|;\n"
		"the survey informs, only the run's own kernel (above) decides the "
		"exit status.\n", d->kernels[0].strategy->name);
	for (size_t i = 0; i < d->kernel_count; i++)
		kernel_failed += !d->kernels[i].verdict.ok;
	if (kernel_failed)
		fprintf(out, "%zu of %zu kernels over the %.0e tolerance.\n", kernel_failed,
			d->kernel_count, VERIFY_TOLERANCE);
	else
		fprintf(out, "All %zu kernels verified.\n", d->kernel_count);
}

/*
 * The read limit with each worker count and the pattern that won it, and
 * how it was measured: it took turns with the strategies' runs, so it
 * comes with their results, not in the header.
 */
static void report_limits(FILE *out, const struct report_info *info)
{
	unsigned rounds = 0;

	if (info->limit_count == 0)
		return;
	fprintf(out, "\nlimit:     read bandwidth");
	for (size_t i = 0; i < info->limit_count; i++) {
		const struct limit *l = &info->limits[i];

		fprintf(out, "%s %.1f GB/s with %u worker%s (%s)", i ? "," : "", l->gbps,
			l->workers, l->workers == 1 ? "" : "s", limit_pattern_name(l->pattern));
		rounds = l->rounds > rounds ? l->rounds : rounds;
	}
	fprintf(out, ": the fastest pass of %d ways to read the matrix's memory (%s, %s, %s) in "
		"%u round%s taking turns with the strategies", LIMIT_PATTERNS,
		limit_pattern_name(LIMIT_COLUMNS), limit_pattern_name(LIMIT_STREAMS),
		limit_pattern_name(LIMIT_FLAT), rounds, rounds == 1 ? "" : "s");
	if (info->processes > 1)
		fprintf(out, ", over %u processes", info->processes);
	fputc('\n', out);
}

void report_summary(FILE *out, const struct report_data *d)
{
	size_t n = d->count, failed = 0;
	const struct strategy *speedup_over = report_speedup_reference(d->results, n);
	char speedup[64];

	report_limits(out, d->info);
	fprintf(out, "%s%-*s  %7s  %9s  %9s  %9s  %7s  %6s  %7s  %9s  %9s  %11s\n",
		d->info->limit_count ? "" : "\n",
		(int)(d->info->name_width > 8 ? d->info->name_width : 8), "strategy", "workers",
		"mean", "std", "min", "GB/s", "limit", "speedup", "start-up", "wind-down",
		"max rel err");
	for (size_t i = 0; i < n; i++) {
		summary_row(out, d, i);
		failed += !d->results[i].verdict.ok;
	}
	summary_setups(out, d->results, n);
	report_costs_above_reference(out, d);
	report_memory(out, d->info, d->results, n);
	report_ranks(out, d->info);
	if (speedup_over)
		snprintf(speedup, sizeof(speedup), "%s's fastest / this fastest", speedup_over->name);
	else /* the column is all "-" */
		snprintf(speedup, sizeof(speedup), "over the one-worker reference, which did not run");
	fprintf(out, "\nGB/s: matrix bytes / fastest per-loop time (GB = 10^9 bytes). "
		"limit: GB/s as a share of the read limit with as many workers.\n"
		"speedup: %s. "
		"start-up: mean time from a call's start until its last worker was running.\n"
		"wind-down: mean time from its last worker's finish until the call returned, "
		"the workers joined or reaped.\n", speedup);
	summary_survey(out, d);
	if (failed)
		fprintf(out, "%zu of %zu results FAILED verification.\n", failed, n);
	else if (n == 1)
		fprintf(out, "The result verified.\n");
	else
		fprintf(out, "All %zu results verified.\n", n);
	fflush(out);
}

void report_warnings(FILE *out, const struct noise *noise)
{
	for (size_t i = 0; i < noise->count; i++)
		fprintf(out, "colbench: warning: %s\n", noise->warning[i].text);
	fflush(out);
}

/* A relative change as "+3.1%". */
static char *percent(double x, char *buf, size_t len)
{
	if (isfinite(x))
		snprintf(buf, len, "%+.1f%%", 100 * x);
	else
		snprintf(buf, len, "%s", x > 0 ? "+inf" : "-inf");
	return buf;
}

void report_comparisons(FILE *out, const struct report_data *d)
{
	fprintf(out, "\nbaseline: %s (threshold %.1f%%, drift %.1f%%; judged on each process's "
		"median, disturbed processes left out)\n", d->baseline, d->rule.threshold,
		d->rule.drift);
	fprintf(out, "%-8s  %7s  %9s  %9s  %9s  %8s  %-19s  %s\n", "strategy", "workers",
		"old mean", "new mean", "processes", "change", "95% interval", "verdict");
	for (size_t i = 0; i < d->comparison_count; i++) {
		const struct comparison *c = &d->comparisons[i];
		char old[32], fresh[32], change[32], interval[80], procs[32];

		if (isnan(c->change)) {
			snprintf(interval, sizeof(interval), "-");
		} else {
			char low[32], high[32];

			snprintf(interval, sizeof(interval), "[%s, %s]",
				 percent(c->ci_low, low, sizeof(low)),
				 percent(c->ci_high, high, sizeof(high)));
		}
		snprintf(procs, sizeof(procs), "%u/%u", c->old.processes - c->old.disturbed,
			 c->new.processes - c->new.disturbed);
		fprintf(out, "%-8s  %7u", c->strategy, c->workers);
		print_cell(out, report_timespan(c->old.mean, 3, old, sizeof(old)), 9);
		print_cell(out, report_timespan(c->new.mean, 3, fresh, sizeof(fresh)), 9);
		fprintf(out, "  %9s  %8s  %-19s  %s%s%s%s\n", procs,
			isnan(c->change) ? "-" : percent(c->change, change, sizeof(change)),
			interval, verdict_name(c->verdict), c->reason ? " (" : "",
			c->reason ? c->reason : "", c->reason ? ")" : "");
	}
	if (d->comparison_count == 0)
		fprintf(out, "(no strategy and worker count in common with the baseline)\n");
	fflush(out);
}

void report_load_progress(const char *path, int percent)
{
	char shown[1024];

	if (!progress_terminal())
		return; /* never in pipes, files, CI logs, nor on a dumb terminal */
	if (percent < 0) {
		fputc('\n', stderr);
		return;
	}
	snprintf(shown, sizeof(shown), "%s", path);
	cb_escape_in_place(shown, sizeof(shown));
	fprintf(stderr, "\rcolbench: reading %s: %3d%%", shown, percent);
}

/*
 * noise.c - noise warnings (see noise.h).
 */
#include "report/noise.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Append one warning. */
__attribute__((format(printf, 3, 4)))
static void warn(struct noise *out, long result, const char *fmt, ...)
{
	va_list ap;

	if (out->count == NOISE_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(out->warning[out->count].text, sizeof(out->warning[0].text), fmt, ap);
	va_end(ap);
	out->warning[out->count++].result = result;
}

void noise_check(const struct system_info *sys, size_t matrix_bytes,
		 const struct bench_result *results, size_t n, struct noise *out)
{
	out->count = 0;
	if (sys->governor[0] && strcmp(sys->governor, "performance") != 0)
		warn(out, -1, "the cpufreq governor is '%s', not 'performance': the clock "
			      "may change speed during the run", sys->governor);
	if (sys->load1 > sys->online_cpus / 2.0)
		warn(out, -1, "the load average is %.2f, above half of the %u CPUs: other "
			      "work competes for them", sys->load1, sys->online_cpus);
	if (sys->llc_bytes > 0 && matrix_bytes <= sys->llc_bytes)
		warn(out, -1, "the matrix (%.1f MB) fits in the last-level cache (%.1f MB): "
			      "this measures the cache, not memory", matrix_bytes / 1e6,
		     sys->llc_bytes / 1e6);
	for (size_t i = 0; i < n; i++) {
		const struct bench_result *r = &results[i];
		double rsd = r->time.mean > 0 ? r->time.std / r->time.mean : 0;

		if (rsd > NOISE_RSD)
			warn(out, (long)i, "%s with %u worker%s: relative standard deviation "
					   "%.0f%% (above %.0f%%): the timings are noisy",
			     r->strategy->name, r->workers, r->workers == 1 ? "" : "s",
			     100 * rsd, 100 * NOISE_RSD);
		if (stats_slow_outlier(&r->time))
			warn(out, (long)i, "%s with %u worker%s: the slowest run took %.2f times "
					   "as long as the fastest", r->strategy->name, r->workers,
			     r->workers == 1 ? "" : "s", r->time.max / r->time.min);
	}
}

void noise_check_limits(const struct bench_result *results,
			const struct result_figures *figures, size_t n, struct noise *out)
{
	for (size_t i = 0; i < n; i++) {
		const struct bench_result *r = &results[i];
		const struct result_figures *f = &figures[i];

		if (f->over_limit)
			warn(out, (long)i, "%s with %u worker%s read %.1f GB/s, %.0f%% above the "
					   "read limit measured with as many (%.1f GB/s): that limit "
					   "is no bound on this host, and its share is shown as >100%%",
			     r->strategy->name, r->workers, r->workers == 1 ? "" : "s", f->gbps,
			     100 * (f->limit_share - 1), f->limit_gbps);
	}
}

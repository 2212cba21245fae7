/*
 * Unit tests for the strategies (src/strategy*.c): every registered
 * strategy with every kernel, on awkward shapes, in both layouts, with 1 to
 * 8 workers (pinned or not), against the reference.
 */
#include "cmocka_all.h"

#include <dirent.h>
#include <sys/syscall.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "measure/verify.h"
#include "os/clock.h"
#include "strategies/strategy.h"

static const struct { size_t rows, cols; } shapes[] = {
	{ 1, 1 }, { 1, 9 }, { 9, 1 },  /* a single row or column */
	{ 3, 2 }, { 2, 5 },            /* fewer rows or columns than workers */
	{ 13, 17 }, { 31, 7 }, { 101, 53 }, /* primes: blocks never divide evenly */
	{ 64, 24 },
};

/* Run s once with `workers` on m and check its sums; returns max rel error. */
static double check_strategy(const struct strategy *s, const struct kernel *k,
			     const struct matrix *m, unsigned workers, bool pin,
			     const struct reference *ref)
{
	struct strategy_run run = { .strategy = s, .m = m, .kernel = k, .workers = workers,
				    .pin = pin };
	struct cb_error err = { "" };
	struct verdict v;
	struct call_costs costs = { -1, -1 };
	double before, after;

	run.sums = malloc(m->cols * sizeof(double));
	assert_non_null(run.sums);
	for (size_t c = 0; c < m->cols; c++)
		run.sums[c] = NAN;
	if (s->prepare(&run, &err) != CB_OK || s->call(&run, &costs, &err) != CB_OK)
		fail_msg("%s/%s with %u workers on %zu x %zu: %s", s->name, k->name,
			 workers, m->rows, m->cols, err.msg);
	/* A second call into the same state must give the same sums. */
	double *first = malloc(m->cols * sizeof(double));
	memcpy(first, run.sums, m->cols * sizeof(double));
	costs = (struct call_costs){ -1, -1 };
	before = monotonic_seconds();
	assert_int_equal(s->call(&run, &costs, &err), CB_OK);
	after = monotonic_seconds();
	assert_memory_equal(first, run.sums, m->cols * sizeof(double));
	s->release(&run);
	/* Parts of the call: none below 0, neither longer than the call; a
	 * strategy without workers has neither. */
	assert_true(costs.startup >= 0 && costs.wind_down >= 0);
	assert_true(costs.startup + costs.wind_down <= after - before);
	if (!s->parallel)
		assert_true(costs.startup == 0 && costs.wind_down == 0);

	v = verify_sums(ref, run.sums, VERIFY_TOLERANCE);
	if (!v.ok)
		fail_msg("%s/%s with %u workers on %zu x %zu layout %c: column %zu is "
			 "%.17g, reference %.17g", s->name, k->name, workers, m->rows, m->cols,
			 m->layout == LAYOUT_F ? 'f' : 'c', v.bad_col,
			 run.sums[v.bad_col], ref->sums[v.bad_col]);
	free(first);
	free(run.sums);
	return v.max_rel_error;
}

/* The reference itself against a long double sum straight from the generator. */
static void check_reference(const struct matrix *m, uint64_t seed,
			    const struct reference *ref)
{
	for (size_t c = 0; c < m->cols; c++) {
		long double sum = 0;

		for (size_t r = 0; r < m->rows; r++)
			sum += matrix_element(seed, r, c, m->cols);
		assert_close(ref->sums[c], (double)sum, 1e-15 * (double)sum);
	}
}

/*
 * Whether strategy s is checked with kernel k and w workers.  Threads:
 * every kernel with 1 to 8 workers.  Processes: every worker count with
 * the first kernel, the others with 3 (blocks that never divide evenly):
 * a launcher never sees the kernel its workers call (team.c passes it on,
 * and the threaded launchers check every pairing of the two), while each
 * process costs a fork, and the full product took 133 s of make test's
 * ASan run on the 2-CPU runner.
 */
static bool checked(const struct strategy *s, size_t k, unsigned w)
{
	return !s->processes || k == 0 || w == 3;
}

static void test_every_strategy_every_shape(void **state)
{
	size_t count, kernels;
	const struct strategy *const *all = strategy_all(&count);
	const struct kernel *kernel = kernel_all(&kernels);

	(void)state;
	for (size_t si = 0; si < sizeof(shapes) / sizeof(shapes[0]); si++)
		for (int layout = 0; layout < 2; layout++) {
			struct matrix m = test_matrix(shapes[si].rows, shapes[si].cols,
						      layout ? LAYOUT_C : LAYOUT_F, 99, 3);
			struct reference ref;
			struct cb_error err;

			assert_int_equal(reference_compute(&m, 4, &ref, &err), CB_OK);
			check_reference(&m, 99, &ref);
			for (size_t i = 0; i < count; i++)
				for (size_t k = 0; k < kernels && !all[i]->distributed; k++)
					for (unsigned w = 1; w <= (all[i]->parallel ? 8u : 1u); w++)
						if (checked(all[i], k, w))
							check_strategy(all[i], &kernel[k], &m, w, w % 2,
								       &ref);
			reference_free(&ref);
			matrix_free(&m);
		}
}

/* Layout f: a column's sum does not depend on the strategy or the workers. */
static void test_layout_f_sums_independent_of_workers(void **state)
{
	size_t count, kernels;
	const struct strategy *const *all = strategy_all(&count);
	const struct kernel *kernel = kernel_all(&kernels);
	struct matrix m = test_matrix(77, 41, LAYOUT_F, 3, 2);
	double first[41], sums[41];
	struct cb_error err;

	(void)state;
	for (size_t k = 0; k < kernels; k++)
		for (size_t i = 0; i < count; i++)
			/* mpi runs under mpirun only: tests/cli/mpi.bats */
			for (unsigned w = 1; w <= (all[i]->parallel ? 7u : 1u) && !all[i]->distributed;
			     w++) {
				struct strategy_run run = { .strategy = all[i], .m = &m,
							    .kernel = &kernel[k], .workers = w,
							    .sums = sums };
				struct call_costs costs;

				assert_int_equal(all[i]->prepare(&run, &err), CB_OK);
				assert_int_equal(all[i]->call(&run, &costs, &err), CB_OK);
				all[i]->release(&run);
				if (i == 0 && w == 1)
					memcpy(first, sums, sizeof(first));
				/* The same bits, not only equal values (memcmp tells
				 * -0.0 from 0.0): the same additions in the same order. */
				/* NOLINTNEXTLINE(bugprone-suspicious-memory-comparison,cert-exp42-c,cert-flp37-c) */
				else if (memcmp(first, sums, sizeof(first)) != 0)
					fail_msg("%s/%s with %u workers differs from seq",
						 all[i]->name, kernel[k].name, w);
			}
	matrix_free(&m);
}

/* Start-up ends at the last worker's start, wind-down begins at the last
 * one's finish; a clock that has not moved past either gives 0. */
static void test_startup_and_wind_down(void **state)
{
	const double started[] = { 1.5, 1.25, 1.75 }, finished[] = { 3.0, 4.5, 4.0 };

	(void)state;
	assert_close(workers_startup(started, 3, 1.0), 0.75, 1e-15);
	assert_close(workers_startup(started, 3, 2.0), 0.0, 0.0);
	assert_close(workers_wind_down(finished, 3, 1.0, 5.0), 0.5, 1e-15);
	assert_close(workers_wind_down(finished, 1, 1.0, 5.0), 2.0, 1e-15);
	assert_close(workers_wind_down(finished, 3, 1.0, 4.25), 0.0, 0.0);
	/* Stamps from an earlier call (before t0) count as the call's start. */
	assert_close(workers_wind_down(finished, 3, 4.75, 5.0), 0.25, 1e-15);
}

/* How many threads of this process, the caller aside, are running. */
static int others_running(void)
{
	char self[24], path[300], line[512];
	DIR *dir = opendir("/proc/self/task");
	const struct dirent *e;
	int running = 0;

	assert_non_null(dir);
	snprintf(self, sizeof(self), "%ld", (long)syscall(SYS_gettid));
	/* cppcheck-suppress readdirCalled ; this DIR is ours alone */
	while ((e = readdir(dir))) {
		FILE *f;
		const char *state;

		if (e->d_name[0] == '.' || strcmp(e->d_name, self) == 0)
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/stat", e->d_name);
		if (!(f = fopen(path, "r")))
			continue;
		if (fgets(line, sizeof(line), f) && (state = strrchr(line, ')')))
			running += state[2] == 'R';
		(void)fclose(f);
	}
	(void)closedir(dir);
	return running;
}

/*
 * openmp's settle: libgomp's team thread spins for milliseconds after a
 * parallel region; once the run is settled, no thread but this one runs,
 * so the strategy that takes the next turn has the CPUs to itself.
 */
static void test_openmp_settles_its_spinning_threads(void **state)
{
	struct matrix m = test_matrix(64, 24, LAYOUT_F, 5, 2);
	double sums[24];
	struct strategy_run run = { .strategy = &strategy_openmp, .m = &m,
				    .kernel = kernel_find(KERNEL_DEFAULT), .workers = 2, .sums = sums };
	struct call_costs costs;
	struct cb_error err;

	(void)state;
	assert_non_null(strategy_openmp.settle);
	assert_int_equal(strategy_openmp.prepare(&run, &err), CB_OK);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(strategy_openmp.call(&run, &costs, &err), CB_OK);
		assert_true(strategy_openmp.settle(&run));
		assert_int_equal(others_running(), 0);
	}
	strategy_openmp.release(&run);
	matrix_free(&m);
}

/* forkwrite refuses, before forking, copies that cannot fit in memory. */
static void test_forkwrite_refuses_what_cannot_fit(void **state)
{
	const struct strategy *s = strategy_find("forkwrite");
	struct matrix m = test_matrix(8, 8, LAYOUT_F, 1, 1);
	struct matrix huge = m;
	struct strategy_run run = { .strategy = s, .m = &huge, .kernel = kernel_find("simd"),
				    .workers = 2 };
	struct cb_error err;

	(void)state;
	assert_non_null(s);
	assert_true(s->opt_in && s->processes);
	huge.bytes = (size_t)1 << 50; /* 1 PB: never available */
	assert_int_equal(s->prepare(&run, &err), CB_USAGE);
	assert_non_null(strstr(err.msg, "forkwrite copies the whole matrix"));
	s->release(&run);
	matrix_free(&m);
}

static void test_registry(void **state)
{
	size_t count;
	const struct strategy *const *all = strategy_all(&count);

	(void)state;
	assert_true(count >= 3);
	for (size_t i = 0; i < count; i++) {
		assert_ptr_equal(strategy_find(all[i]->name), all[i]);
		assert_true(strlen(all[i]->summary) > 0);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(all[i]->name, all[j]->name);
	}
	assert_non_null(strategy_find("seq"));
	assert_non_null(strategy_find("fork"));
	assert_non_null(strategy_find("pthread"));
	assert_null(strategy_find("all"));
	assert_null(strategy_find("Seq"));
}

/*
 * The report measures strategies against references it finds by flag
 * (strategy.h's .reference): one a kind at most, a one-worker one for the
 * speedups and a threads one for the process strategies, both run by
 * --strategy all.  Today they are seq and pthread.
 */
static void test_registry_references(void **state)
{
	size_t n;
	const struct strategy *const *all = strategy_all(&n);
	const struct strategy *one = strategy_reference(STRATEGY_ONE);
	const struct strategy *threads = strategy_reference(STRATEGY_THREADS);

	(void)state;
	assert_non_null(one);
	assert_non_null(threads);
	assert_false(one->opt_in || threads->opt_in);
	assert_string_equal(one->name, "seq");
	assert_string_equal(threads->name, "pthread");
	assert_null(strategy_reference(STRATEGY_PROCESSES));
	assert_null(strategy_reference(STRATEGY_RANKS));
	for (size_t i = 0; i < n; i++)
		if (all[i]->reference)
			assert_ptr_equal(strategy_reference(strategy_kind(all[i])), all[i]);
	assert_string_equal(strategy_kind_name(strategy_kind(strategy_find("fork"))),
			    "processes");
	assert_string_equal(strategy_kind_name(strategy_kind(one)), "one");
	assert_string_equal(strategy_kind_name(strategy_kind(threads)), "threads");
}

/* Tests and scripts read the registry through --list, a tab-separated
 * line a strategy, and put names into regexes: names are lower-case
 * words, summaries single lines without tabs. */
static void test_registry_names_are_plain(void **state)
{
	size_t n;
	const struct strategy *const *all = strategy_all(&n);

	(void)state;
	assert_true(n > 0);
	for (size_t i = 0; i < n; i++) {
		const char *name = all[i]->name;

		assert_true(name[0] >= 'a' && name[0] <= 'z');
		for (const char *p = name; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
				fail_msg("strategy name '%s' has '%c'", name, *p);
		assert_null(strpbrk(all[i]->summary, "\t\n"));
		assert_ptr_equal(strategy_find(name), all[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry_names_are_plain),
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_registry_references),
		cmocka_unit_test(test_every_strategy_every_shape),
		cmocka_unit_test(test_layout_f_sums_independent_of_workers),
		cmocka_unit_test(test_forkwrite_refuses_what_cannot_fit),
		cmocka_unit_test(test_startup_and_wind_down),
		cmocka_unit_test(test_openmp_settles_its_spinning_threads),
	};
	return cmocka_run_group_tests_name("strategy", tests, NULL, NULL);
}

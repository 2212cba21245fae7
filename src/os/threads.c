/*
 * threads.c - run one function on N threads (see threads.h).
 */
#include "os/threads.h"

#include "os/interrupt.h"

#include <dirent.h>
#include <sys/syscall.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "os/clock.h"

struct thread_slot {
	thread_fn fn;
	void *arg;
	unsigned index;
};

void threads_set_stack_floor(void)
{
	pthread_attr_t attr;
	size_t size;

	if (pthread_getattr_default_np(&attr) != 0)
		return;
	if (pthread_attr_getstacksize(&attr, &size) == 0 && size < THREAD_STACK_FLOOR &&
	    pthread_attr_setstacksize(&attr, THREAD_STACK_FLOOR) == 0)
		(void)pthread_setattr_default_np(&attr);
	pthread_attr_destroy(&attr);
}

size_t threads_stack_bytes(void)
{
	pthread_attr_t attr;
	size_t size = THREAD_STACK_FLOOR;

	if (pthread_getattr_default_np(&attr) != 0)
		return size;
	if (pthread_attr_getstacksize(&attr, &size) != 0 || size < THREAD_STACK_FLOOR)
		size = THREAD_STACK_FLOOR;
	pthread_attr_destroy(&attr);
	return size;
}

static void *thread_main(void *p)
{
	struct thread_slot *slot = p;

	slot->fn(slot->arg, slot->index);
	return NULL;
}

enum cb_status threads_run(unsigned n, thread_fn fn, void *arg,
			   struct cb_error *err)
{
	pthread_t *tids = calloc(n, sizeof(*tids));
	struct thread_slot *slots = calloc(n, sizeof(*slots));
	enum cb_status status = CB_OK;
	unsigned started;
	int rc = 0;

	if (!tids || !slots) {
		status = cb_fail(err, CB_SYSTEM, "out of memory for %u threads", n);
		goto out;
	}
	/* The threads start with the stop signals blocked, so only the main
	 * thread runs their handler (see interrupt.h). */
	interrupt_block(1);
	for (started = 0; started < n; started++) {
		slots[started] = (struct thread_slot){ fn, arg, started };
		rc = pthread_create(&tids[started], NULL, thread_main, &slots[started]);
		if (rc != 0)
			break;
	}
	interrupt_block(0);
	for (unsigned i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	if (rc != 0)
		status = cb_fail(err, CB_SYSTEM, "cannot create thread %u of %u: %s",
				 started + 1, n, strerror(rc));
	else if (interrupt_pending())
		status = cb_fail(err, CB_INTERRUPTED, "interrupted");
out:
	free(tids);
	free(slots);
	return status;
}

/* ---- a pool of threads that outlive a run ----------------------------- */

struct pool_slot {
	struct thread_pool *pool;
	unsigned index;
};

struct thread_pool {
	pthread_mutex_t lock;
	pthread_cond_t wake, done; /* a run begins; its last thread ended */
	unsigned size;
	/* Under lock: the run under way (its number, its first `active`
	 * threads, how many of them are still working), or stop. */
	unsigned generation, active, left;
	bool stop;
	thread_fn fn;
	void *arg;
	pthread_t *tids;
	struct pool_slot *slots;
};

static void *pool_main(void *p)
{
	const struct pool_slot *slot = p;
	struct thread_pool *pool = slot->pool;
	unsigned seen = 0;

	pthread_mutex_lock(&pool->lock);
	for (;;) {
		while (!pool->stop && pool->generation == seen)
			pthread_cond_wait(&pool->wake, &pool->lock);
		if (pool->stop)
			break;
		seen = pool->generation;
		if (slot->index < pool->active) {
			thread_fn fn = pool->fn;
			void *arg = pool->arg;

			pthread_mutex_unlock(&pool->lock);
			fn(arg, slot->index);
			pthread_mutex_lock(&pool->lock);
			if (--pool->left == 0)
				pthread_cond_signal(&pool->done);
		}
	}
	pthread_mutex_unlock(&pool->lock);
	return NULL;
}

/* End and join the first `started` threads of pool, and free it. */
static void pool_end(struct thread_pool *pool, unsigned started)
{
	pthread_mutex_lock(&pool->lock);
	pool->stop = true;
	pthread_cond_broadcast(&pool->wake);
	pthread_mutex_unlock(&pool->lock);
	for (unsigned i = 0; i < started; i++)
		pthread_join(pool->tids[i], NULL);
	pthread_cond_destroy(&pool->wake);
	pthread_cond_destroy(&pool->done);
	pthread_mutex_destroy(&pool->lock);
	free(pool->tids);
	free(pool->slots);
	free(pool);
}

enum cb_status threads_pool_start(unsigned n, struct thread_pool **out, struct cb_error *err)
{
	struct thread_pool *pool = calloc(1, sizeof(*pool));
	unsigned started;
	int rc = 0;

	*out = NULL;
	if (pool) {
		pool->tids = calloc(n + 1, sizeof(*pool->tids));
		pool->slots = calloc(n + 1, sizeof(*pool->slots));
	}
	if (!pool || !pool->tids || !pool->slots) {
		if (pool) {
			free(pool->tids);
			free(pool->slots);
		}
		free(pool);
		return cb_fail(err, CB_SYSTEM, "out of memory for %u threads", n);
	}
	pthread_mutex_init(&pool->lock, NULL);
	pthread_cond_init(&pool->wake, NULL);
	pthread_cond_init(&pool->done, NULL);
	pool->size = n;
	interrupt_block(1); /* the stop signals are the main thread's (interrupt.h) */
	for (started = 0; started < n; started++) {
		pool->slots[started] = (struct pool_slot){ pool, started };
		rc = pthread_create(&pool->tids[started], NULL, pool_main, &pool->slots[started]);
		if (rc != 0)
			break;
	}
	interrupt_block(0);
	if (rc != 0) {
		pool_end(pool, started);
		return cb_fail(err, CB_SYSTEM, "cannot create thread %u of %u: %s", started + 1, n,
			       strerror(rc));
	}
	*out = pool;
	return CB_OK;
}

enum cb_status threads_pool_run(struct thread_pool *pool, unsigned n, thread_fn fn, void *arg,
				struct cb_error *err)
{
	if (n > pool->size)
		return cb_fail(err, CB_SYSTEM, "a pool of %u threads asked to run %u", pool->size, n);
	pthread_mutex_lock(&pool->lock);
	pool->fn = fn;
	pool->arg = arg;
	pool->active = pool->left = n;
	pool->generation++;
	pthread_cond_broadcast(&pool->wake);
	while (pool->left > 0)
		pthread_cond_wait(&pool->done, &pool->lock);
	pthread_mutex_unlock(&pool->lock);
	if (interrupt_pending())
		return cb_fail(err, CB_INTERRUPTED, "interrupted");
	return CB_OK;
}

void threads_pool_stop(struct thread_pool *pool)
{
	if (pool)
		pool_end(pool, pool->size);
}

/* Whether thread tid of this process is running or runnable ('R'). */
static bool thread_running(const char *tid)
{
	char path[64], line[512];
	const char *state;
	FILE *f;
	bool running = false;

	snprintf(path, sizeof(path), "/proc/self/task/%s/stat", tid);
	f = fopen(path, "r");
	if (!f)
		return false; /* it has just ended */
	if (fgets(line, sizeof(line), f) && (state = strrchr(line, ')')) && state[1] == ' ')
		running = state[2] == 'R';
	(void)fclose(f); /* read-only */
	return running;
}

/* Whether any thread of this process but the caller is running. */
static bool others_running(void)
{
	char self[24];
	DIR *dir = opendir("/proc/self/task");
	const struct dirent *e;
	bool running = false;

	if (!dir)
		return false; /* no /proc: nothing to wait on */
	snprintf(self, sizeof(self), "%ld", (long)syscall(SYS_gettid));
	/* cppcheck-suppress readdirCalled ; this DIR is ours alone (readdir_r is deprecated) */
	while (!running && (e = readdir(dir)))
		if (e->d_name[0] != '.' && strcmp(e->d_name, self) != 0)
			running = thread_running(e->d_name);
	(void)closedir(dir);
	return running;
}

bool threads_wait_others_asleep(double max_seconds)
{
	const struct timespec tick = { 0, 200000 }; /* 0.2 ms */
	double deadline = monotonic_seconds() + max_seconds;

	while (others_running()) {
		if (monotonic_seconds() > deadline)
			return false;
		nanosleep(&tick, NULL);
	}
	return true;
}

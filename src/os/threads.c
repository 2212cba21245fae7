/*
 * threads.c - run one function on N threads (see threads.h).
 */
#include "os/threads.h"

#include "os/interrupt.h"

#include <dirent.h>
#include <sys/syscall.h>
#include <pthread.h>
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

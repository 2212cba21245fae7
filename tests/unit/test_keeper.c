/*
 * Unit tests for src/os/keeper.c: the keeper sees how its child ended (an
 * exit status, a signal nobody sent through it), passes on a signal sent
 * to it and says which, and mirrors the end (in a grandchild, so that the
 * test itself goes on).
 */
#include "cmocka_all.h"

#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "os/keeper.h"

static void test_exit_status_is_seen(void **state)
{
	struct keeper_end end;

	(void)state;
	if (keeper_split(&end) == 0)
		_exit(7);
	assert_true(WIFEXITED(end.wstatus));
	assert_int_equal(WEXITSTATUS(end.wstatus), 7);
	assert_int_equal(end.forwarded, 0);
	assert_true(end.child > 0);
}

static void test_signal_not_sent_through_the_keeper(void **state)
{
	struct keeper_end end;

	(void)state;
	if (keeper_split(&end) == 0) {
		(void)kill(getpid(), SIGKILL); /* as the OOM killer would */
		_exit(0);
	}
	assert_true(WIFSIGNALED(end.wstatus));
	assert_int_equal(WTERMSIG(end.wstatus), SIGKILL);
	assert_int_equal(end.forwarded, 0);
}

static void test_signal_to_the_keeper_is_passed_on(void **state)
{
	struct keeper_end end;

	(void)state;
	if (keeper_split(&end) == 0) {
		(void)signal(SIGUSR1, SIG_DFL);
		(void)kill(getppid(), SIGUSR1); /* to the keeper, which passes it on */
		struct timespec tick = { 0, 10000000 };

		for (int i = 0; i < 500; i++)
			nanosleep(&tick, NULL);
		_exit(0); /* not passed on in 5 s */
	}
	assert_true(WIFSIGNALED(end.wstatus));
	assert_int_equal(WTERMSIG(end.wstatus), SIGUSR1);
	assert_int_equal(end.forwarded, SIGUSR1);
}

/* keeper_mirror ends a process as its child ended: run in a process of
 * its own, whose end is then read. */
static int mirrored(int (*child)(void))
{
	int wstatus = 0;
	pid_t pid = fork();

	if (pid == 0) {
		struct keeper_end end;

		if (keeper_split(&end) == 0)
			_exit(child());
		keeper_mirror(&end);
	}
	assert_int_equal(waitpid(pid, &wstatus, 0), pid);
	return wstatus;
}

static int exit_five(void)
{
	return 5;
}

static int die_of_sigterm(void)
{
	(void)signal(SIGTERM, SIG_DFL);
	(void)kill(getpid(), SIGTERM);
	return 0;
}

static void test_mirror(void **state)
{
	int ws;

	(void)state;
	ws = mirrored(exit_five);
	assert_true(WIFEXITED(ws));
	assert_int_equal(WEXITSTATUS(ws), 5);
	ws = mirrored(die_of_sigterm);
	assert_true(WIFSIGNALED(ws));
	assert_int_equal(WTERMSIG(ws), SIGTERM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_status_is_seen),
		cmocka_unit_test(test_signal_not_sent_through_the_keeper),
		cmocka_unit_test(test_signal_to_the_keeper_is_passed_on),
		cmocka_unit_test(test_mirror),
	};

	return cmocka_run_group_tests_name("keeper", tests, NULL, NULL);
}

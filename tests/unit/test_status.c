/* Unit tests for src/os/status.c: one printable line, a long one elided in its middle. */
#include "cmocka_all.h"

#include <string.h>

#include "os/status.h"

static void test_message_and_status(void **state)
{
	struct cb_error err = { "" };

	(void)state;
	assert_int_equal(cb_fail(&err, CB_USAGE, "--rows: '%s' is not a positive integer", "x"),
			 CB_USAGE);
	assert_string_equal(err.msg, "--rows: 'x' is not a positive integer");
	assert_int_equal(cb_prefix(&err, CB_SYSTEM, "%s: ", "m.npy"), CB_SYSTEM);
	assert_string_equal(err.msg, "m.npy: --rows: 'x' is not a positive integer");
	cb_append(&err, " (%d)", 7);
	assert_string_equal(err.msg, "m.npy: --rows: 'x' is not a positive integer (7)");
	assert_int_equal(cb_fail(NULL, CB_VERIFY, "nothing"), CB_VERIFY);
}

/* Control characters a user typed come out as C writes them; the rest is kept. */
static void test_controls_escaped(void **state)
{
	static const struct { const char *given, *shown; } cases[] = {
		{ "se\nq", "se\\nq" },
		{ "\033[31mred\033[0m", "\\x1b[31mred\\x1b[0m" },
		{ "a\tb\rc", "a\\tb\\rc" },
		{ "del\177", "del\\x7f" },
		{ "csi\xc2\x9b" "2J", "csi\\xc2\\x9b2J" },   /* U+009B, a C1 control */
		{ "caf\xc3\xa9 \xc2\xa0x", "caf\xc3\xa9 \xc2\xa0x" }, /* é and U+00A0 stay */
		{ "back\\slash", "back\\slash" },
	};
	struct cb_error err = { "" };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cb_fail(&err, CB_USAGE, "%s", cases[i].given);
		assert_string_equal(err.msg, cases[i].shown);
	}
	cb_fail(&err, CB_USAGE, "'%s'", "a\nb");
	assert_string_equal(err.msg, "'a\\nb'");
	/* Escaping again (a prefix on an escaped message) changes nothing. */
	cb_prefix(&err, CB_USAGE, "%s: ", "x\ny");
	assert_string_equal(err.msg, "x\\ny: 'a\\nb'");
	cb_append(&err, " %s", "\033");
	assert_string_equal(err.msg, "x\\ny: 'a\\nb' \\x1b");
}

/* A message past the buffer keeps its head and its end, and stays one line. */
static void test_long_message_elided(void **state)
{
	static char path[3 * CB_ERROR_MAX];
	struct cb_error err = { "" };
	size_t len;

	(void)state;
	memset(path, '\n', sizeof(path) - 1);
	cb_fail(&err, CB_SYSTEM, "cannot open '%s': %s", path, "No space left on device");
	len = strlen(err.msg);
	assert_true(len == CB_ERROR_MAX - 1);
	assert_true(strncmp(err.msg, "cannot open '\\n\\n", 17) == 0);
	assert_non_null(strstr(err.msg, " ... "));
	assert_string_equal(err.msg + len - 26, "': No space left on device");
	assert_null(strchr(err.msg, '\n'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_message_and_status),
		cmocka_unit_test(test_controls_escaped),
		cmocka_unit_test(test_long_message_elided),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests for src/cli/cli.c: defaults, every option, every kind of bad value. */
#include "cmocka_all.h"

#include <string.h>

#include "cli/cli.h"
#include "os/sysinfo.h"

/* Parse a NULL-terminated argument list (argv[0] is added). */
static enum cb_status parse(struct plan *cfg, struct cb_error *err,
			    enum cli_action *action, const char *const *args)
{
	char *argv[32] = { "colbench" };
	int argc = 1;
	struct cli_command cmd;
	enum cb_status st;

	for (; args[argc - 1]; argc++)
		argv[argc] = (char *)args[argc - 1];
	argv[argc] = NULL;
	st = cli_parse(argc, argv, cfg, &cmd, err);
	*action = cmd.action;
	return st;
}

#define PARSE(cfg, err, ...) \
	parse(cfg, err, &(enum cli_action){ 0 }, (const char *[]){ __VA_ARGS__, NULL })

/* The registry, and how many strategies --strategy all runs from it. */
static const struct strategy *const *registry(void)
{
	size_t n;

	return strategy_all(&n);
}

static size_t registry_count(void)
{
	size_t n;

	strategy_all(&n);
	return n;
}

static size_t strategies_in_all(void)
{
	size_t count = 0;

	for (size_t i = 0; i < registry_count(); i++)
		count += !registry()[i]->opt_in;
	return count;
}

static void test_defaults(void **state)
{
	struct plan cfg;
	struct cb_error err;

	(void)state;
	assert_int_equal(parse(&cfg, &err, &(enum cli_action){ 0 }, (const char *[]){ NULL }),
			 CB_OK);
	assert_int_equal(cfg.rows, 30000);
	assert_int_equal(cfg.cols, 10000);
	assert_int_equal(cfg.layout, LAYOUT_F);
	assert_int_equal(cfg.seed, 42);
	/* all: the registry's strategies but the opt-in ones, in its order */
	assert_int_equal(cfg.strategy_count, strategies_in_all());
	for (size_t i = 0, k = 0; i < registry_count(); i++)
		if (!registry()[i]->opt_in)
			assert_ptr_equal(cfg.strategies[k++], registry()[i]);
	assert_string_equal(cfg.strategies[0]->name, "seq");
	assert_int_equal(cfg.worker_count, 1);
	assert_int_equal(cfg.workers[0], sysinfo_online_cpus());
	assert_int_equal(cfg.number, 0);
	assert_int_equal(cfg.repeat, 7);
	assert_int_equal(cfg.warmup, 1);
	assert_false(cfg.quiet);
}

static void test_every_option(void **state)
{
	struct plan cfg;
	struct cb_error err;

	(void)state;
	assert_int_equal(PARSE(&cfg, &err, "--rows", "4", "--cols=5", "--layout", "c",
			       "--seed", "18446744073709551615", "-s", "pthread,seq",
			       "-w", "1,2,4", "-n", "10", "-r", "3", "--warmup", "0", "-q"),
			 CB_OK);
	assert_int_equal(cfg.rows, 4);
	assert_int_equal(cfg.cols, 5);
	assert_int_equal(cfg.layout, LAYOUT_C);
	assert_true(cfg.seed == UINT64_MAX);
	assert_int_equal(cfg.strategy_count, 2);
	assert_string_equal(cfg.strategies[0]->name, "pthread");
	assert_string_equal(cfg.strategies[1]->name, "seq");
	assert_int_equal(cfg.worker_count, 3);
	assert_int_equal(cfg.workers[2], 4);
	assert_int_equal(cfg.number, 10);
	assert_int_equal(cfg.repeat, 3);
	assert_int_equal(cfg.warmup, 0);
	assert_true(cfg.quiet);
	/* Short options cluster. */
	assert_int_equal(PARSE(&cfg, &err, "-qlc", "--strategy", "all"), CB_OK);
	assert_true(cfg.quiet);
	assert_int_equal(cfg.layout, LAYOUT_C);
	assert_int_equal(cfg.strategy_count, strategies_in_all());
}

static void test_option_given_twice(void **state)
{
	struct plan cfg;
	struct cb_error err = { "" };

	(void)state;
	/* Whatever the spelling: long, short, clustered, abbreviated. */
	assert_int_equal(PARSE(&cfg, &err, "-qlc", "-l", "f"), CB_USAGE);
	assert_string_equal(err.msg, "--layout given twice");
	assert_int_equal(PARSE(&cfg, &err, "--rep", "2", "-r", "3"), CB_USAGE);
	assert_string_equal(err.msg, "--repeat given twice");
	assert_int_equal(PARSE(&cfg, &err, "-qq"), CB_USAGE);
	assert_string_equal(err.msg, "--quiet given twice");
}

static void test_fit_workers(void **state)
{
	struct plan cfg;
	struct cb_error err = { "" };

	(void)state;
	/* An explicit count above the blocks is refused... */
	assert_int_equal(PARSE(&cfg, &err, "--rows", "9", "--cols", "3", "-w", "1,4"), CB_USAGE);
	assert_string_equal(err.msg, "--workers: 4 workers but only 3 columns to split "
			    "among them (layout f): use at most 3");
	assert_int_equal(PARSE(&cfg, &err, "--rows", "3", "--cols", "9", "-l", "c", "-w", "4"),
			 CB_USAGE);
	assert_non_null(strstr(err.msg, "only 3 rows"));
	/* ...unless no parallel strategy runs... */
	assert_int_equal(PARSE(&cfg, &err, "--rows", "9", "--cols", "3", "-w", "4", "-s", "seq"),
			 CB_OK);
	/* ...and the default, the usable CPUs, is lowered to the blocks. */
	assert_int_equal(PARSE(&cfg, &err, "--rows", "9", "--cols", "1"), CB_OK);
	assert_int_equal(cfg.worker_count, 1);
	assert_int_equal(cfg.workers[0], 1);
	/* A loaded matrix is fitted once read, by the pipeline: the counts
	 * the user gave stand, and strategy_fit_workers judges them. */
	assert_int_equal(PARSE(&cfg, &err, "--load", "m.npy", "-w", "8"), CB_OK);
	assert_true(cfg.workers_given);
	assert_int_equal(strategy_fit_workers(cfg.workers, cfg.worker_count, cfg.workers_given,
					      true, 7, LAYOUT_F, &err), CB_USAGE);
	assert_int_equal(strategy_fit_workers(cfg.workers, cfg.worker_count, cfg.workers_given,
					      true, 8, LAYOUT_C, &err), CB_OK);
}

static void test_help_and_version(void **state)
{
	struct plan cfg;
	struct cb_error err;
	enum cli_action action;

	(void)state;
	assert_int_equal(parse(&cfg, &err, &action, (const char *[]){ "--help", NULL }), CB_OK);
	assert_int_equal(action, CLI_HELP);
	assert_int_equal(parse(&cfg, &err, &action, (const char *[]){ "-V", NULL }), CB_OK);
	assert_int_equal(action, CLI_VERSION);
	assert_int_equal(parse(&cfg, &err, &action, (const char *[]){ "-r", "2", NULL }), CB_OK);
	assert_int_equal(action, CLI_RUN);
	/* Options after an action are not read; a command word before it is no operand. */
	assert_int_equal(parse(&cfg, &err, &action, (const char *[]){ "--list", "--rows", "0", NULL }),
			 CB_OK);
	assert_int_equal(action, CLI_LIST);
	assert_int_equal(parse(&cfg, &err, &action, (const char *[]){ "calibrate", "-h", NULL }),
			 CB_OK);
	assert_int_equal(action, CLI_HELP);
	/* compare's reports are its operands: help beside them still helps. */
	assert_int_equal(parse(&cfg, &err, &action,
			       (const char *[]){ "compare", "a.json", "b.json", "--help", NULL }),
			 CB_OK);
	assert_int_equal(action, CLI_HELP);
	assert_int_equal(parse(&cfg, &err, &action, (const char *[]){ "-s", "all,seq", NULL }),
			 CB_OK);
}

/* Each bad command line, and a piece of the message it must give. */
static const struct { const char *args[4]; const char *says; } bad[] = {
	{ { "--frobnicate" }, "unknown option '--frobnicate'" },
	{ { "-Z" }, "unknown option '-Z'" },
	{ { "--rows" }, "needs a value" },
	{ { "--rows", "0" }, "--rows: '0' is not a positive integer" },
	{ { "--rows", "-5" }, "'-5' is not a positive integer" },
	{ { "--cols", "abc" }, "'abc' is not a positive integer" },
	{ { "--cols", "1.5" }, "not a positive integer" },
	{ { "--cols", "" }, "not a positive integer" },
	{ { "--cols", " 7" }, "not a positive integer" },
	{ { "--rows", "12abc" }, "not a positive integer" },
	{ { "--rows", "99999999999999999999999" }, "is too large" },
	{ { "--seed", "18446744073709551616" }, "too large" },
	{ { "--layout", "x" }, "'x' is not a layout" },
	/* The list after 'known:' is the registry's (malformed.tsv checks it whole). */
	{ { "--strategy", "seq,bogus" }, "unknown strategy 'bogus' (known: all, seq, " },
	{ { "--strategy", "seq," }, "not a comma-separated list" },
	{ { "--workers", "0" }, "--workers: '0' is not a positive integer" },
	{ { "--workers", "1,,2" }, "not a comma-separated list" },
	{ { "--workers", "2,x" }, "'x' is not a positive integer" },
	{ { "--workers", "1025" }, "--workers: 1025 is too large (at most 1024)" },
	{ { "--number", "0" }, "not a positive integer" },
	{ { "--repeat", "0" }, "not a positive integer" },
	{ { "--repeat", "1000001" }, "too large" },
	{ { "--warmup", "-1" }, "not a non-negative integer" },
	{ { "stray" }, "unexpected argument 'stray'" },
	/* A strategy named twice, as a count given twice (--workers 1,1). */
	{ { "--strategy", "seq,seq" }, "--strategy: seq is in the list twice" },
	{ { "--strategy", "all,fork,all" }, "--strategy: all is in the list twice" },
	{ { "--workers", "1,1" }, "--workers: 1 is in the list twice" },
	/* An action takes no operand; calibrate's extra operand is named. */
	{ { "-V", "foo" }, "--version takes no argument ('foo')" },
	{ { "foo", "--help" }, "--help takes no argument ('foo')" },
	{ { "--list", "calibrate", "x" }, "--list takes no argument ('x')" },
	{ { "calibrate", "foo" }, "unexpected argument 'foo': colbench calibrate takes options" },
	/* What the user typed is quoted escaped: one line, no raw escape. */
	{ { "--strategy", "se\nq" }, "unknown strategy 'se\\nq'" },
	{ { "--kernel", "\033[31mred" }, "unknown kernel '\\x1b[31mred'" },
};

static void test_bad_command_lines(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct plan cfg;
		struct cb_error err = { "" };
		enum cli_action action;

		assert_int_equal(parse(&cfg, &err, &action, bad[i].args), CB_USAGE);
		if (!strstr(err.msg, bad[i].says))
			fail_msg("'%s': message '%s' lacks '%s'", bad[i].args[0], err.msg,
				 bad[i].says);
		assert_null(strchr(err.msg, '\n'));
		assert_null(strchr(err.msg, '\033'));
	}
}

static void test_parse_integer(void **state)
{
	unsigned long long v = 0;

	(void)state;
	assert_int_equal(cli_parse_integer("18446744073709551615", 0, UINT64_MAX, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(cli_parse_integer("18446744073709551616", 0, UINT64_MAX, &v), -2);
	assert_int_equal(cli_parse_integer("+3", 0, 9, &v), -1);
	assert_int_equal(cli_parse_integer("0x10", 0, 99, &v), -1);
	assert_int_equal(cli_parse_integer("007", 1, 9, &v), 0);
	assert_true(v == 7);
	assert_int_equal(cli_parse_integer("10", 1, 9, &v), -2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_option),
		cmocka_unit_test(test_help_and_version),
		cmocka_unit_test(test_option_given_twice),
		cmocka_unit_test(test_fit_workers),
		cmocka_unit_test(test_bad_command_lines),
		cmocka_unit_test(test_parse_integer),
	};
	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}

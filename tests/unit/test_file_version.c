/* Unit tests for src/os/file_version.c: what counts as another version of
 * a file, and the line that says so. */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "os/file_version.h"

static struct file_version version(dev_t dev, ino_t ino, off_t size, long mtime, long ctime)
{
	struct stat sb;
	struct file_version v;

	memset(&sb, 0, sizeof(sb));
	sb.st_dev = dev;
	sb.st_ino = ino;
	sb.st_size = size;
	sb.st_mtim.tv_nsec = mtime;
	sb.st_ctim.tv_nsec = ctime;
	file_version_of(&sb, &v);
	return v;
}

/* Each stamp that moves is a change, named; the first that differs wins. */
static void test_each_stamp_is_a_change(void **state)
{
	struct file_version then = version(1, 2, 100, 5, 6), now;
	char why[96];

	(void)state;
	now = then;
	assert_true(file_version_same(&then, &now, why, sizeof(why)));
	now = version(1, 3, 100, 5, 6); /* a new file renamed over the name */
	assert_false(file_version_same(&then, &now, why, sizeof(why)));
	assert_string_equal(why, "replaced by another file");
	now = version(9, 2, 100, 5, 6);
	assert_false(file_version_same(&then, &now, why, sizeof(why)));
	assert_string_equal(why, "replaced by another file");
	now = version(1, 2, 120, 7, 8);
	assert_false(file_version_same(&then, &now, why, sizeof(why)));
	assert_string_equal(why, "its size went from 100 to 120 bytes");
	now = version(1, 2, 100, 7, 8);
	assert_false(file_version_same(&then, &now, why, sizeof(why)));
	assert_string_equal(why, "written to");
	/* The modification time set back after a write (touch -d): the
	 * change time, which no user sets, still moved. */
	now = version(1, 2, 100, 5, 8);
	assert_false(file_version_same(&then, &now, why, sizeof(why)));
	assert_string_equal(why, "its status changed");
}

/* Through the file system: the same file is the same version; one
 * renamed over it, or none, is not, said in one line naming the path. */
static void test_check_through_the_file_system(void **state)
{
	char dir[] = "/tmp/colbench-version-XXXXXX", path[64], other[64];
	struct file_version then;
	struct stat sb;
	struct cb_error err = { { 0 } };
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.npy", dir);
	snprintf(other, sizeof(other), "%s/new.npy", dir);
	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fclose(f), 0);
	assert_int_equal(stat(path, &sb), 0);
	file_version_of(&sb, &then);
	assert_int_equal(file_version_check(path, &then, "at the end", &err), CB_OK);
	assert_non_null(f = fopen(other, "w"));
	assert_int_equal(fclose(f), 0);
	assert_int_equal(rename(other, path), 0);
	assert_int_equal(file_version_check(path, &then, "at the end", &err), CB_SYSTEM);
	assert_non_null(strstr(err.msg, "t.npy: the file changed while colbench ran "
				       "(replaced by another file, at the end)"));
	assert_int_equal(unlink(path), 0);
	assert_int_equal(file_version_check(path, &then, "at the end", &err), CB_SYSTEM);
	assert_non_null(strstr(err.msg, "t.npy: the file changed while colbench ran (gone: "
				       "No such file or directory, at the end)"));
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_stamp_is_a_change),
		cmocka_unit_test(test_check_through_the_file_system),
	};

	return cmocka_run_group_tests_name("file_version", tests, NULL, NULL);
}

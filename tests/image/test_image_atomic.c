/*
 * Unit tests for cr/image: writes are atomic.
 *
 * A previous image survives an abort, a failed commit, and a writer process
 * killed while writing or between its last sync and its rename; commit and
 * abort leave no temporary file. Crashes are real: a forked child writes and
 * is killed with SIGKILL. This program is linked with --wrap=renameat (to
 * kill the child exactly before the rename) and --wrap=openat (to refuse
 * O_TMPFILE and so exercise the writer's named-temporary fallback).
 */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>

#include "image_test.h"

static bool crash_at_rename;	/* __wrap_renameat kills the process */
static bool no_tmpfile;		/* __wrap_openat refuses O_TMPFILE */

int __real_renameat(int olddirfd, char const *oldpath, int newdirfd,
		    char const *newpath);
int __wrap_renameat(int olddirfd, char const *oldpath, int newdirfd,
		    char const *newpath);
int __real_openat(int dirfd, char const *path, int flags, ...);
int __wrap_openat(int dirfd, char const *path, int flags, ...);

int __wrap_renameat(int olddirfd, char const *oldpath, int newdirfd,
		    char const *newpath)
{
	if (crash_at_rename)
		kill(getpid(), SIGKILL);
	return __real_renameat(olddirfd, oldpath, newdirfd, newpath);
}

int __wrap_openat(int dirfd, char const *path, int flags, ...)
{
	mode_t mode = 0;

	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) {
		va_list ap;

		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	if (no_tmpfile && (flags & O_TMPFILE) == O_TMPFILE) {
		errno = EOPNOTSUPP;	/* as on a file system without it */
		return -1;
	}
	return __real_openat(dirfd, path, flags, mode);
}

static int setup_tmpfile(void **state)
{
	(void)state;
	no_tmpfile = false;
	return 0;
}

static int setup_named(void **state)
{
	(void)state;
	no_tmpfile = true;
	return 0;
}

/* A second image, different from the sample, to replace it with. */
static enum image_status other_write(char const *path, bool commit)
{
	static uint8_t page[1 << 16];
	struct image_writer *w;
	enum image_status st;

	memset(page, 0x5a, sizeof(page));
	if ((st = image_writer_open(path, IMAGE_COMPRESS, &w, NULL)) ||
	    (st = image_writer_section(w, IMAGE_SEC_META, "other", 5)) ||
	    (st = image_writer_begin(w, IMAGE_SEC_PAGES)))
		return st;
	for (int i = 0; i < 128; i++)	/* 8 MiB */
		if ((st = image_writer_append(w, page, sizeof(page))))
			return st;
	if ((st = image_writer_end(w)))
		return st;
	if (!commit) {
		image_writer_abort(w);
		return IMAGE_OK;
	}
	return image_writer_commit(w);
}

static void other_check(char const *path)
{
	struct image *img;
	void const *d;
	size_t len;

	assert_int_equal(image_open(path, &img, NULL), IMAGE_OK);
	assert_int_equal(image_section(img, IMAGE_SEC_META, 0, &d, &len),
			 IMAGE_OK);
	assert_int_equal(len, 5);
	assert_memory_equal(d, "other", 5);
	assert_int_equal(image_section(img, IMAGE_SEC_PAGES, 0, &d, &len),
			 IMAGE_OK);
	assert_int_equal(len, 8 << 20);
	image_close(img);
}

/* The sample image at PATH, byte for byte as BEFORE. */
static void unchanged(char const *path, uint8_t const *before, size_t len)
{
	size_t now_len;
	uint8_t *now = file_read(path, &now_len);

	assert_int_equal(now_len, len);
	assert_memory_equal(now, before, len);
	free(now);
	sample_check(path);
}

/* ---------------------------------------------------------------- */

static void test_commit_replaces(void **state)
{
	char *dir = tdir_make();
	char const *p = tpath(dir, "img");
	struct stat sb;
	(void)state;

	sample_write(p, 0);
	assert_string_equal(tdir_list(dir), "img");
	/* Images hold task memory: readable by their owner only. */
	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(other_write(p, true), IMAGE_OK);
	other_check(p);
	assert_string_equal(tdir_list(dir), "img");
	tdir_remove(dir);
}

static void test_abort_keeps_previous(void **state)
{
	char *dir = tdir_make();
	char const *p = tpath(dir, "img");
	uint8_t *before;
	size_t len;
	(void)state;

	sample_write(p, 0);
	before = file_read(p, &len);
	assert_int_equal(other_write(p, false), IMAGE_OK);
	unchanged(p, before, len);
	assert_string_equal(tdir_list(dir), "img");
	free(before);
	tdir_remove(dir);
}

static void test_failed_commit_keeps_previous(void **state)
{
	char *dir = tdir_make();
	char const *p = tpath(dir, "img");
	struct image_writer *w;
	uint8_t *before;
	size_t len;
	(void)state;

	sample_write(p, 0);
	before = file_read(p, &len);
	assert_int_equal(image_writer_open(p, 0, &w, NULL), IMAGE_OK);
	assert_int_equal(image_writer_section(w, IMAGE_SEC_META, "x", 1),
			 IMAGE_OK);
	assert_int_equal(image_writer_begin(w, IMAGE_SEC_PAGES), IMAGE_OK);
	assert_int_equal(image_writer_commit(w), IMAGE_ERR_USAGE);
	unchanged(p, before, len);
	assert_string_equal(tdir_list(dir), "img");
	free(before);
	tdir_remove(dir);
}

/* Fork a writer of the other image and expect it to die by SIGKILL. */
static void crashing_writer(char const *path, bool at_rename)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		struct image_writer *w;

		crash_at_rename = at_rename;
		if (at_rename)
			other_write(path, true);
		else if (!image_writer_open(path, 0, &w, NULL) &&
			 !image_writer_section(w, IMAGE_SEC_META, "half", 4))
			kill(getpid(), SIGKILL);
		_exit(3);		/* did not crash where it should */
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
}

static void test_crash_while_writing(void **state)
{
	char *dir = tdir_make();
	char const *p = tpath(dir, "img");
	uint8_t *before;
	size_t len;
	(void)state;

	sample_write(p, 0);
	before = file_read(p, &len);
	crashing_writer(p, false);
	unchanged(p, before, len);
	if (!no_tmpfile) {
		/* The unnamed file died with the writer. */
		assert_string_equal(tdir_list(dir), "img");
	} else {
		/* A named temporary stays behind, next to the intact image. */
		char const *l = tdir_list(dir);

		assert_int_equal(strncmp(l, ".img.tmp.", 9), 0);
		assert_string_equal(l + strlen(l) - 4, " img");
	}
	free(before);
	tdir_remove(dir);
}

static void test_crash_before_rename(void **state)
{
	char *dir = tdir_make();
	char const *p = tpath(dir, "img");
	char stray[64];
	uint8_t *before;
	size_t len;
	(void)state;

	sample_write(p, 0);
	before = file_read(p, &len);
	crashing_writer(p, true);
	unchanged(p, before, len);
	/* The complete new image under its temporary name: it was synced
	 * before the rename was attempted. */
	assert_true(sscanf(tdir_list(dir), "%63s img", stray) == 1);
	assert_int_equal(strncmp(stray, ".img.tmp.", 9), 0);
	other_check(tpath(dir, stray));
	/* The next writer is not disturbed by it. */
	assert_int_equal(other_write(p, true), IMAGE_OK);
	other_check(p);
	free(before);
	tdir_remove(dir);
}

/* A bare file name is in the current directory. */
static void test_relative_path(void **state)
{
	char *dir = tdir_make();
	char cwd[PATH_MAX_T];
	(void)state;

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	sample_write("img", 0);
	sample_check("img");
	assert_int_equal(other_write("img", false), IMAGE_OK);
	assert_int_equal(chdir(cwd), 0);
	assert_string_equal(tdir_list(dir), "img");
	sample_check(tpath(dir, "img"));
	tdir_remove(dir);
}

/* Each test twice: with O_TMPFILE, and with the named-file fallback. */
#define BOTH(t) \
	{ #t, t, setup_tmpfile, NULL, NULL }, \
	{ #t " (no O_TMPFILE)", t, setup_named, NULL, NULL }

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(test_commit_replaces),
		BOTH(test_abort_keeps_previous),
		BOTH(test_failed_commit_keeps_previous),
		BOTH(test_crash_while_writing),
		BOTH(test_crash_before_rename),
		BOTH(test_relative_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Helpers shared by the image tests: scratch directories, whole files, a
 * sample image, and "this open must fail with exactly this message".
 *
 * Included by each test program (they are built one program per file), so
 * everything here is static.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image.h"

#define PATH_MAX_T 512

/* A fresh directory under $TMPDIR (or /tmp): images and their temporary
 * files live next to each other, so each test gets its own. */
static __attribute__((unused)) char *tdir_make(void)
{
	char const *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char *d = malloc(PATH_MAX_T);

	assert_non_null(d);
	snprintf(d, PATH_MAX_T, "%s/recap-image-XXXXXX", base);
	assert_non_null(mkdtemp(d));
	return d;
}

/* DIR/NAME into a static buffer (one at a time is enough for the tests). */
static __attribute__((unused)) char const *tpath(char const *dir,
						 char const *name)
{
	static char p[2][PATH_MAX_T];
	static int which;

	which ^= 1;
	snprintf(p[which], PATH_MAX_T, "%s/%s", dir, name);
	return p[which];
}

/* The names in DIR, sorted, joined by spaces ("" if empty). */
static __attribute__((unused)) char const *tdir_list(char const *dir)
{
	static char out[4096];
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);

	assert_true(n >= 0);
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") &&
		    strcmp(names[i]->d_name, "..")) {
			if (out[0])
				strcat(out, " ");
			strcat(out, names[i]->d_name);
		}
		free(names[i]);
	}
	free(names);
	return out;
}

static __attribute__((unused)) void tdir_remove(char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, NULL);

	assert_true(n >= 0);
	for (int i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") &&
		    strcmp(names[i]->d_name, ".."))
			assert_int_equal(unlink(tpath(dir, names[i]->d_name)),
					 0);
		free(names[i]);
	}
	free(names);
	assert_int_equal(rmdir(dir), 0);
	free(dir);
}

static __attribute__((unused)) uint8_t *file_read(char const *path,
						  size_t *len)
{
	struct stat sb;
	uint8_t *b;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &sb), 0);
	b = malloc((size_t)sb.st_size + 1);
	assert_non_null(b);
	assert_int_equal(read(fd, b, (size_t)sb.st_size), sb.st_size);
	close(fd);
	*len = (size_t)sb.st_size;
	return b;
}

static __attribute__((unused)) void file_write(char const *path,
					       void const *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

/* ---- a sample image ------------------------------------------------ */

static char const sample_meta[] = "recap checkpoint of scenario hello";

/* Compressible, a few KiB: stands for a capability space listing. */
static __attribute__((unused)) void sample_caps(uint8_t *b, size_t len)
{
	for (size_t i = 0; i < len; i++)
		b[i] = (uint8_t)("slot gate rw label "[i % 19] + (i / 512));
}

#define SAMPLE_CAPS_LEN 3000
#define SAMPLE_THREAD_LEN 40

/* Four sections: meta, capspace, two threads, in that order. */
static __attribute__((unused)) void sample_write(char const *path,
						 unsigned flags)
{
	struct image_writer *w;
	struct image_err err;
	uint8_t caps[SAMPLE_CAPS_LEN];
	uint8_t thread[SAMPLE_THREAD_LEN];

	sample_caps(caps, sizeof(caps));
	assert_int_equal(image_writer_open(path, flags, &w, &err), IMAGE_OK);
	assert_int_equal(image_writer_section(w, IMAGE_SEC_META, sample_meta,
					      sizeof(sample_meta)), IMAGE_OK);
	assert_int_equal(image_writer_section(w, IMAGE_SEC_CAPSPACE, caps,
					      sizeof(caps)), IMAGE_OK);
	for (int t = 0; t < 2; t++) {
		memset(thread, 'a' + t, sizeof(thread));
		assert_int_equal(image_writer_section(w, IMAGE_SEC_THREADS,
						      thread, sizeof(thread)),
				 IMAGE_OK);
	}
	assert_int_equal(image_writer_commit(w), IMAGE_OK);
}

/* Open PATH, which must be the sample image, and check every section. */
static __attribute__((unused)) void sample_check(char const *path)
{
	struct image *img;
	struct image_err err;
	void const *d;
	size_t len;
	uint8_t caps[SAMPLE_CAPS_LEN];

	if (image_open(path, &img, &err))
		fail_msg("open: %s", err.msg);
	assert_int_equal(image_nsections(img), 4);
	assert_int_equal(image_section(img, IMAGE_SEC_META, 0, &d, &len),
			 IMAGE_OK);
	assert_int_equal(len, sizeof(sample_meta));
	assert_memory_equal(d, sample_meta, len);
	sample_caps(caps, sizeof(caps));
	assert_int_equal(image_section(img, IMAGE_SEC_CAPSPACE, 0, &d, &len),
			 IMAGE_OK);
	assert_int_equal(len, sizeof(caps));
	assert_memory_equal(d, caps, len);
	for (int t = 0; t < 2; t++) {
		assert_int_equal(image_section(img, IMAGE_SEC_THREADS,
					       (size_t)t, &d, &len), IMAGE_OK);
		assert_int_equal(len, SAMPLE_THREAD_LEN);
		for (size_t i = 0; i < len; i++)
			assert_int_equal(((uint8_t const *)d)[i], 'a' + t);
	}
	image_close(img);
}

/* Opening PATH must fail with CODE and the message "PATH: MSG". */
static __attribute__((unused)) void open_fails(char const *path,
					       enum image_status code,
					       char const *msg)
{
	struct image *img = (struct image *)1;
	struct image_err err;
	char want[IMAGE_MSG_MAX + PATH_MAX_T];
	enum image_status st = image_open(path, &img, &err);

	snprintf(want, sizeof(want), "%s: %s", path, msg);
	if (st != code || strcmp(err.msg, want))
		fail_msg("want %d \"%s\"\n  got %d \"%s\"", code, want, st,
			 err.msg);
	assert_null(img);
}

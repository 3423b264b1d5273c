/*
 * Unit tests for cr/image: writing and reading images.
 *
 * Round trips of several sections, plain and compressed, one-shot and
 * streamed (64 MiB, with the write and read rates printed), lookups, and
 * every way the writer API can be misused. Corruption is in
 * test_image_corrupt.c, atomicity in test_image_atomic.c.
 */
#include <time.h>

#include <zstd.h>

#include "image_test.h"

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---------------------------------------------------------------- */
/* Round trips                                                       */

static void test_round_trip_plain(void **state)
{
	char *dir = tdir_make();
	char const *p = tpath(dir, "img");
	struct image *img;
	struct image_section_info info;
	(void)state;

	sample_write(p, 0);
	sample_check(p);
	assert_int_equal(image_open(p, &img, NULL), IMAGE_OK);
	for (size_t i = 0; i < image_nsections(img); i++) {
		image_section_info(img, i, &info);
		assert_false(info.compressed);
		assert_false(info.optional);
		assert_int_equal(info.stored_len, info.raw_len);
	}
	image_section_info(img, 2, &info);
	assert_int_equal(info.type, IMAGE_SEC_THREADS);
	assert_string_equal(info.name, "threads");
	image_close(img);
	tdir_remove(dir);
}

static void test_round_trip_compressed(void **state)
{
	char *dir = tdir_make();
	char const *p = tpath(dir, "img");
	struct image *img;
	struct image_section_info info;
	(void)state;

	sample_write(p, IMAGE_COMPRESS);
	sample_check(p);
	assert_int_equal(image_open(p, &img, NULL), IMAGE_OK);
	/* The capability listing shrinks; the 35-byte meta does not, so it
	 * is stored as it is. */
	image_section_info(img, 1, &info);
	assert_true(info.compressed);
	assert_true(info.stored_len < info.raw_len / 4);
	image_section_info(img, 0, &info);
	assert_false(info.compressed);
	image_close(img);
	tdir_remove(dir);
}

/* Random bytes do not compress: stored raw even with IMAGE_COMPRESS. */
static void test_incompressible_stored_raw(void **state)
{
	char *dir = tdir_make();
	char const *p = tpath(dir, "img");
	struct image_writer *w;
	struct image *img;
	struct image_section_info info;
	uint8_t rnd[4096];
	uint64_t x = 88172645463325252ull;
	(void)state;

	for (size_t i = 0; i < sizeof(rnd); i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		rnd[i] = (uint8_t)x;
	}
	assert_int_equal(image_writer_open(p, IMAGE_COMPRESS, &w, NULL),
			 IMAGE_OK);
	assert_int_equal(image_writer_section(w, IMAGE_SEC_PAGES, rnd,
					      sizeof(rnd)), IMAGE_OK);
	assert_int_equal(image_writer_section(w, IMAGE_SEC_REGIONS, NULL, 0),
			 IMAGE_OK);
	assert_int_equal(image_writer_begin(w, IMAGE_SEC_PAGES), IMAGE_OK);
	assert_int_equal(image_writer_append(w, NULL, 0), IMAGE_OK);
	assert_int_equal(image_writer_end(w), IMAGE_OK);
	assert_int_equal(image_writer_commit(w), IMAGE_OK);
	assert_int_equal(image_open(p, &img, NULL), IMAGE_OK);
	image_section_info(img, 0, &info);
	assert_false(info.compressed);
	assert_memory_equal(info.data, rnd, sizeof(rnd));
	image_section_info(img, 1, &info);
	assert_false(info.compressed);
	assert_int_equal(info.raw_len, 0);
	image_close(img);
	tdir_remove(dir);
}

/* Every level round-trips; levels outside zstd's range are refused. */
static void test_levels(void **state)
{
	static int const levels[] = { -5, 1, 3, 9, 19 };
	char *dir = tdir_make();
	char const *p = tpath(dir, "img");
	struct image_writer *w;
	uint8_t caps[SAMPLE_CAPS_LEN];
	char want[IMAGE_MSG_MAX];
	(void)state;

	sample_caps(caps, sizeof(caps));
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		struct image *img;
		void const *d;
		size_t len;

		assert_int_equal(image_writer_open(p, IMAGE_COMPRESS, &w, NULL),
				 IMAGE_OK);
		assert_int_equal(image_writer_set_level(w, levels[i]), IMAGE_OK);
		assert_int_equal(image_writer_section(w, IMAGE_SEC_CAPSPACE,
						      caps, sizeof(caps)),
				 IMAGE_OK);
		assert_int_equal(image_writer_commit(w), IMAGE_OK);
		assert_int_equal(image_open(p, &img, NULL), IMAGE_OK);
		assert_int_equal(image_section(img, IMAGE_SEC_CAPSPACE, 0, &d,
					       &len), IMAGE_OK);
		assert_int_equal(len, sizeof(caps));
		assert_memory_equal(d, caps, len);
		image_close(img);
	}
	assert_int_equal(image_writer_open(p, IMAGE_COMPRESS, &w, NULL),
			 IMAGE_OK);
	assert_int_equal(image_writer_set_level(w, ZSTD_maxCLevel() + 1),
			 IMAGE_ERR_USAGE);
	snprintf(want, sizeof(want), "%s: zstd level %d out of range %d..%d",
		 p, ZSTD_maxCLevel() + 1, ZSTD_minCLevel(), ZSTD_maxCLevel());
	assert_string_equal(image_writer_error(w)->msg, want);
	image_writer_abort(w);
	tdir_remove(dir);
}

/* ---------------------------------------------------------------- */
/* Streaming                                                         */

#define CHUNK (1u << 20)
#define LARGE (64u << 20)

/*
 * Chunk I of a large section, something like a component's memory: per
 * 4 KiB page in turn zeros, random bytes, a repeated pattern and text-like
 * bytes over a small alphabet.
 */
static void large_chunk(size_t i, uint8_t *b)
{
	uint64_t x = 0x9e3779b97f4a7c15ull * (i + 1);

	for (size_t pg = 0; pg < CHUNK / 4096; pg++) {
		uint8_t *p = b + pg * 4096;

		switch (pg % 4) {
		case 0:
			memset(p, 0, 4096);
			break;
		case 1:
			for (size_t k = 0; k < 4096; k++) {
				x ^= x << 13, x ^= x >> 7, x ^= x << 17;
				p[k] = (uint8_t)x;
			}
			break;
		case 2:
			for (size_t k = 0; k < 4096; k++)
				p[k] = (uint8_t)(k % 24 + i + pg);
			break;
		case 3:
			for (size_t k = 0; k < 4096; k++) {
				x ^= x << 13, x ^= x >> 7, x ^= x << 17;
				p[k] = (uint8_t)("etaoin shrdlu\n"[x % 14]);
			}
			break;
		}
	}
}

/* Write LARGE bytes through begin/append/end, read them back, and report
 * the rates: writing includes the final fsync, reading is image_open, which
 * maps, verifies and (if compressed) decompresses everything. */
static void large_round_trip(unsigned flags, char const *what)
{
	char *dir = tdir_make();
	char const *p = tpath(dir, "img");
	struct image_writer *w;
	struct image *img;
	struct image_section_info info;
	uint8_t *chunk = malloc(CHUNK);
	double t0, t_gen = 0, t_write, t_read;
	void const *d;
	size_t len;

	assert_non_null(chunk);
	t0 = now();
	assert_int_equal(image_writer_open(p, flags, &w, NULL), IMAGE_OK);
	assert_int_equal(image_writer_section(w, IMAGE_SEC_META, "m", 1),
			 IMAGE_OK);
	assert_int_equal(image_writer_begin(w, IMAGE_SEC_PAGES), IMAGE_OK);
	for (size_t i = 0; i < LARGE / CHUNK; i++) {
		double g = now();

		large_chunk(i, chunk);
		t_gen += now() - g;
		assert_int_equal(image_writer_append(w, chunk, CHUNK), IMAGE_OK);
	}
	assert_int_equal(image_writer_end(w), IMAGE_OK);
	assert_int_equal(image_writer_section(w, IMAGE_SEC_REGIONS, "r", 1),
			 IMAGE_OK);
	assert_int_equal(image_writer_commit(w), IMAGE_OK);
	t_write = now() - t0 - t_gen;	/* the image layer's time only */

	t0 = now();
	assert_int_equal(image_open(p, &img, NULL), IMAGE_OK);
	t_read = now() - t0;
	assert_int_equal(image_section(img, IMAGE_SEC_PAGES, 0, &d, &len),
			 IMAGE_OK);
	assert_int_equal(len, LARGE);
	for (size_t i = 0; i < LARGE / CHUNK; i++) {
		large_chunk(i, chunk);
		assert_memory_equal((uint8_t const *)d + i * CHUNK, chunk,
				    CHUNK);
	}
	assert_int_equal(image_section(img, IMAGE_SEC_REGIONS, 0, &d, &len),
			 IMAGE_OK);
	assert_int_equal(len, 1);
	image_section_info(img, 1, &info);
	assert_int_equal(info.compressed, (flags & IMAGE_COMPRESS) != 0);
	printf("# image %s: 64 MiB stored as %.1f MiB, write %.0f MB/s, "
	       "open+verify %.0f MB/s\n", what,
	       (double)info.stored_len / (1 << 20), LARGE / t_write / 1e6,
	       LARGE / t_read / 1e6);
	image_close(img);
	free(chunk);
	tdir_remove(dir);
}

static void test_large_streamed_plain(void **state)
{
	(void)state;
	large_round_trip(0, "plain");
}

static void test_large_streamed_zstd(void **state)
{
	(void)state;
	large_round_trip(IMAGE_COMPRESS, "zstd-1");
}

/* Appends of every size, an empty streamed section, and one-shot sections
 * above the one-shot compression limit (streamed inside). */
static void test_streaming_odd_sizes(void **state)
{
	char *dir = tdir_make();
	char const *p = tpath(dir, "img");
	size_t const big = (5u << 20) + 3;
	uint8_t *buf = malloc(big);
	(void)state;

	assert_non_null(buf);
	for (size_t i = 0; i < big; i++)
		buf[i] = (uint8_t)(i * 7 / 3);
	for (unsigned flags = 0; flags <= IMAGE_COMPRESS; flags++) {
		struct image_writer *w;
		struct image *img;
		void const *d;
		size_t len, off = 0;

		assert_int_equal(image_writer_open(p, flags, &w, NULL),
				 IMAGE_OK);
		assert_int_equal(image_writer_begin(w, IMAGE_SEC_PAGES),
				 IMAGE_OK);
		for (size_t n = 0; off + n <= 200000; off += n, n++)
			assert_int_equal(image_writer_append(w, buf + off, n),
					 IMAGE_OK);
		assert_int_equal(image_writer_end(w), IMAGE_OK);
		assert_int_equal(image_writer_begin(w, IMAGE_SEC_PAGES),
				 IMAGE_OK);
		assert_int_equal(image_writer_end(w), IMAGE_OK);
		assert_int_equal(image_writer_section(w, IMAGE_SEC_PAGES, buf,
						      big), IMAGE_OK);
		assert_int_equal(image_writer_commit(w), IMAGE_OK);

		assert_int_equal(image_open(p, &img, NULL), IMAGE_OK);
		assert_int_equal(image_section_count(img, IMAGE_SEC_PAGES), 3);
		assert_int_equal(image_section(img, IMAGE_SEC_PAGES, 0, &d,
					       &len), IMAGE_OK);
		assert_int_equal(len, off);
		assert_memory_equal(d, buf, off);
		assert_int_equal(image_section(img, IMAGE_SEC_PAGES, 1, &d,
					       &len), IMAGE_OK);
		assert_int_equal(len, 0);
		assert_int_equal(image_section(img, IMAGE_SEC_PAGES, 2, &d,
					       &len), IMAGE_OK);
		assert_int_equal(len, big);
		assert_memory_equal(d, buf, big);
		image_close(img);
	}
	free(buf);
	tdir_remove(dir);
}

/* ---------------------------------------------------------------- */
/* Lookups                                                           */

static void test_lookup(void **state)
{
	char *dir = tdir_make();
	char const *p = tpath(dir, "img"), *q = tpath(dir, "img2");
	struct image *img, *img2;
	void const *d;
	size_t len;
	(void)state;

	sample_write(p, 0);
	sample_write(q, 0);
	assert_int_equal(image_open(p, &img, NULL), IMAGE_OK);
	assert_int_equal(image_section_count(img, IMAGE_SEC_THREADS), 2);
	assert_int_equal(image_section_count(img, IMAGE_SEC_SESSIONS), 0);
	assert_int_equal(image_section(img, IMAGE_SEC_THREADS, 2, &d, &len),
			 IMAGE_ERR_NOTFOUND);
	assert_null(d);
	assert_int_equal(len, 0);
	assert_int_equal(image_section(img, IMAGE_SEC_PARENT, 0, &d, &len),
			 IMAGE_ERR_NOTFOUND);
	/* The same content gives the same id; other content another. */
	assert_int_equal(image_open(q, &img2, NULL), IMAGE_OK);
	assert_int_equal(image_id(img), image_id(img2));
	image_close(img2);
	sample_write(q, IMAGE_COMPRESS);
	assert_int_equal(image_open(q, &img2, NULL), IMAGE_OK);
	assert_int_not_equal(image_id(img), image_id(img2));
	image_close(img2);
	image_close(img);
	image_close(NULL);
	tdir_remove(dir);
}

static void test_section_names(void **state)
{
	static char const *const names[] = {
		NULL, "meta", "capspace", "threads", "sessions", "regions",
		"pages", "parent", NULL,
	};
	(void)state;

	for (uint32_t t = 0; t < sizeof(names) / sizeof(names[0]); t++) {
		if (names[t])
			assert_string_equal(image_section_name(t), names[t]);
		else
			assert_null(image_section_name(t));
	}
}

/* An image with no sections at all is a valid, empty image. */
static void test_empty_image(void **state)
{
	char *dir = tdir_make();
	char const *p = tpath(dir, "img");
	struct image_writer *w;
	struct image *img;
	size_t len;
	(void)state;

	assert_int_equal(image_writer_open(p, 0, &w, NULL), IMAGE_OK);
	assert_int_equal(image_writer_commit(w), IMAGE_OK);
	free(file_read(p, &len));
	assert_int_equal(len, 64);
	assert_int_equal(image_open(p, &img, NULL), IMAGE_OK);
	assert_int_equal(image_nsections(img), 0);
	image_close(img);
	tdir_remove(dir);
}

/* ---------------------------------------------------------------- */
/* Misuse                                                            */

/* Run one misuse: SETUP fails with WANT_CODE and message WANT_MSG; the failure is
 * sticky, and commit reports it and leaves nothing behind. */
#define MISUSE(setup, want_code, want_msg) do {					\
	struct image_writer *w;						\
	char want[IMAGE_MSG_MAX];					\
									\
	assert_int_equal(image_writer_open(p, 0, &w, NULL), IMAGE_OK);	\
	setup;								\
	snprintf(want, sizeof(want), "%s: %s", p, want_msg);			\
	assert_int_equal(image_writer_error(w)->code, want_code);		\
	assert_string_equal(image_writer_error(w)->msg, want);		\
	assert_int_equal(image_writer_section(w, IMAGE_SEC_META, "x", 1), \
			 want_code);						\
	assert_int_equal(image_writer_commit(w), want_code);			\
	assert_string_equal(tdir_list(dir), "");			\
} while (0)

static void test_writer_misuse(void **state)
{
	char *dir = tdir_make();
	char const *p = tpath(dir, "img");
	struct image_writer *w = (struct image_writer *)1;
	struct image_err err;
	char want[IMAGE_MSG_MAX];
	(void)state;

	MISUSE(assert_int_equal(image_writer_section(w, 42, "x", 1),
				IMAGE_ERR_USAGE),
	       IMAGE_ERR_USAGE, "section 0: type 42 unknown to this build");
	MISUSE(assert_int_equal(image_writer_append(w, "x", 1),
				IMAGE_ERR_USAGE),
	       IMAGE_ERR_USAGE, "section 0: append without begin");
	MISUSE(assert_int_equal(image_writer_end(w), IMAGE_ERR_USAGE),
	       IMAGE_ERR_USAGE, "section 0: end without begin");
	MISUSE(assert_int_equal(image_writer_begin(w, IMAGE_SEC_PAGES),
				IMAGE_OK);
	       assert_int_equal(image_writer_section(w, IMAGE_SEC_META, "", 0),
				IMAGE_ERR_USAGE),
	       IMAGE_ERR_USAGE,
	       "section 0: a new section while one is streamed");
	MISUSE(assert_int_equal(image_writer_section(w, IMAGE_SEC_META, "", 0),
				IMAGE_OK);
	       assert_int_equal(image_writer_begin(w, IMAGE_SEC_PAGES),
				IMAGE_OK);
	       assert_int_equal(image_writer_begin(w, IMAGE_SEC_PAGES),
				IMAGE_ERR_USAGE),
	       IMAGE_ERR_USAGE,
	       "section 1: a new section while one is streamed");

	/* Commit in the middle of a streamed section. */
	assert_int_equal(image_writer_open(p, 0, &w, NULL), IMAGE_OK);
	assert_int_equal(image_writer_begin(w, IMAGE_SEC_PAGES), IMAGE_OK);
	assert_int_equal(image_writer_commit(w), IMAGE_ERR_USAGE);
	assert_string_equal(tdir_list(dir), "");

	assert_int_equal(image_writer_open(p, 0x10, &w, &err), IMAGE_ERR_USAGE);
	assert_null(w);
	snprintf(want, sizeof(want), "%s: unknown writer flags 0x10", p);
	assert_string_equal(err.msg, want);

	assert_int_equal(image_writer_open(tpath(dir, "no/img"), 0, &w, &err),
			 IMAGE_ERR_IO);
	assert_null(w);
	snprintf(want, sizeof(want),
		 "%s/no/img: cannot create image in %s/no: No such file or "
		 "directory", dir, dir);
	assert_string_equal(err.msg, want);

	assert_int_equal(image_writer_open(tpath(dir, "sub/"), 0, &w, &err),
			 IMAGE_ERR_USAGE);
	snprintf(want, sizeof(want), "%s/sub/: not a file name", dir);
	assert_string_equal(err.msg, want);

	image_writer_abort(NULL);
	assert_string_equal(tdir_list(dir), "");
	tdir_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_plain),
		cmocka_unit_test(test_round_trip_compressed),
		cmocka_unit_test(test_incompressible_stored_raw),
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_large_streamed_plain),
		cmocka_unit_test(test_large_streamed_zstd),
		cmocka_unit_test(test_streaming_odd_sizes),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_section_names),
		cmocka_unit_test(test_empty_image),
		cmocka_unit_test(test_writer_misuse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests for checkpoint streams (recap/cr_stream.h, cr/image/stream.c):
 * a stream becomes an image and the image the same stream again, byte for
 * byte, compressed or not; every malformed stream is refused with its
 * exact one-line message and nothing is written; an image that fails
 * image_open's checks gives no stream.
 */
#include "image_test.h"

#include <recap/cr_stream.h>

#include "sample.h"
#include "stream.h"

static uint8_t *stream;
static size_t stream_len;

static int setup(void **state)
{
	(void)state;
	stream = sample_stream("\1\0\0\0\0\0", 6, &stream_len);
	return stream ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(stream);
	return 0;
}

static void identity(bool compress)
{
	char *dir = tdir_make();
	char const *p = tpath(dir, "ck.img");
	struct image_err err;
	void *back;
	size_t len;

	assert_int_equal(image_write_from_stream(p, stream, stream_len,
						 compress, &err),
			 IMAGE_OK);
	assert_string_equal(err.msg, "");
	assert_int_equal(image_read_to_stream(p, &back, &len, &err), IMAGE_OK);
	assert_int_equal(len, stream_len);
	assert_memory_equal(back, stream, len);
	free(back);
	assert_string_equal(tdir_list(dir), "ck.img");
	tdir_remove(dir);
}

static void identity_plain(void **state)
{
	(void)state;
	identity(false);
}

static void identity_zstd(void **state)
{
	(void)state;
	identity(true);
}

/* A stream of no sections is an image of no sections. */
static void empty(void **state)
{
	char *dir = tdir_make();
	char const *p = tpath(dir, "ck.img");
	uint8_t h[CR_STREAM_HEADER_SIZE];
	struct image_err err;
	void *back;
	size_t len;

	(void)state;
	cr_stream_header(h, 0);
	assert_int_equal(image_write_from_stream(p, h, sizeof(h), false, &err),
			 IMAGE_OK);
	assert_int_equal(image_read_to_stream(p, &back, &len, &err), IMAGE_OK);
	assert_int_equal(len, sizeof(h));
	assert_memory_equal(back, h, len);
	free(back);
	tdir_remove(dir);
}

/* Writing BUF must fail with exactly MSG (after "DIR/ck.img: ") and leave
 * the directory empty. */
static void refused(uint8_t const *buf, size_t len, char const *msg)
{
	char *dir = tdir_make();
	char const *p = tpath(dir, "ck.img");
	char want[IMAGE_MSG_MAX];
	struct image_err err;

	assert_int_equal(image_write_from_stream(p, buf, len, true, &err),
			 IMAGE_ERR_STREAM);
	snprintf(want, sizeof(want), "%s: %s", p, msg);
	assert_string_equal(err.msg, want);
	assert_int_equal(err.code, IMAGE_ERR_STREAM);
	assert_string_equal(tdir_list(dir), "");
	tdir_remove(dir);
}

/* A copy of the sample stream with the u32/u64 at OFF set to V. */
static uint8_t *patched(size_t off, uint64_t v, int width)
{
	uint8_t *b = malloc(stream_len);

	assert_non_null(b);
	memcpy(b, stream, stream_len);
	if (width == 4)
		cr_stream_put_u32(b + off, (uint32_t)v);
	else if (width == 8)
		cr_stream_put_u64(b + off, v);
	else
		b[off] = (uint8_t)v;
	return b;
}

/* Offset of section I's header in the sample stream. */
static size_t sec_off(uint32_t i)
{
	struct cr_stream_reader r;
	struct cr_stream_section sec;

	assert_int_equal(cr_stream_reader_init(&r, stream, stream_len),
			 CR_STREAM_OK);
	for (uint32_t k = 0; k < i; k++)
		assert_int_equal(cr_stream_next(&r, &sec), CR_STREAM_OK);
	return r.off;
}

static void bad_streams(void **state)
{
	size_t s1 = sec_off(1), s5 = sec_off(5);
	uint64_t last_len = cr_stream_get_u64(stream + s5 + 8);
	char msg[200];
	uint8_t *b;

	(void)state;
	refused((uint8_t const *)"RECAPIMG", 8,
		"stream: not a checkpoint stream (bad magic)");
	refused((uint8_t const *)"RECAP", 5,
		"stream: truncated: 5 bytes, shorter than a stream header "
		"(16)");
	refused(stream, 12, "stream: truncated: 12 bytes, shorter than a "
			    "stream header (16)");
	refused(b = patched(8, 2, 4), stream_len,
		"stream: unsupported stream version 2 (this recap reads "
		"version 1)");
	free(b);
	refused(b = patched(12, (1u << 20) + 1, 4), stream_len,
		"stream: 1048577 sections, at most 1048576");
	free(b);
	snprintf(msg, sizeof(msg), "stream: %zu bytes after the last of 5 "
		 "sections", stream_len - s5);
	refused(b = patched(12, 5, 4), stream_len, msg);
	free(b);
	snprintf(msg, sizeof(msg), "stream: truncated: section 6 of 7 at "
		 "byte %zu: %zu bytes left, a section header is 16", stream_len,
		 (size_t)0);
	refused(b = patched(12, 7, 4), stream_len, msg);
	free(b);
	refused(b = patched(16, 99, 4), stream_len,
		"stream: section 0 at byte 16: unknown section type 99");
	free(b);
	snprintf(msg, sizeof(msg), "stream: section 1 at byte %zu: unknown "
		 "section type 0", s1);
	refused(b = patched(s1, 0, 4), stream_len, msg);
	free(b);
	snprintf(msg, sizeof(msg), "stream: section 1 at byte %zu: unknown "
		 "flags 0x1", s1);
	refused(b = patched(s1 + 4, 1, 4), stream_len, msg);
	free(b);
	snprintf(msg, sizeof(msg), "stream: section 1 at byte %zu: length "
		 "140737488355329, at most 2^47", s1);
	refused(b = patched(s1 + 8, (1ull << 47) + 1, 8), stream_len, msg);
	free(b);
	/* The capspace section has 6 bytes and 2 of padding. */
	snprintf(msg, sizeof(msg), "stream: section 1 at byte %zu: padding "
		 "byte not zero", s1);
	refused(b = patched(s1 + 16 + 7, 1, 1), stream_len, msg);
	free(b);
	snprintf(msg, sizeof(msg), "stream: truncated: section 5 at byte "
		 "%zu: %llu bytes and padding, %zu left", s5,
		 (unsigned long long)last_len + 8, stream_len - s5 - 16);
	refused(b = patched(s5 + 8, last_len + 8, 8), stream_len, msg);
	free(b);
	snprintf(msg, sizeof(msg), "stream: truncated: section 5 of 6 at "
		 "byte %zu: 10 bytes left, a section header is 16", s5);
	refused(stream, s5 + 10, msg);
	snprintf(msg, sizeof(msg), "stream: truncated: section 5 at byte "
		 "%zu: %llu bytes and padding, %zu left", s5,
		 (unsigned long long)last_len, stream_len - 1 - s5 - 16);
	refused(stream, stream_len - 1, msg);
	b = calloc(1, stream_len + 8);
	memcpy(b, stream, stream_len);
	refused(b, stream_len + 8, "stream: 8 bytes after the last of 6 "
				   "sections");
	free(b);
}

/* Every cut of the stream short of its end is refused. */
static void every_truncation(void **state)
{
	char *dir = tdir_make();
	char const *p = tpath(dir, "ck.img");
	struct image_err err;

	(void)state;
	for (size_t n = 0; n < stream_len; n++)
		assert_int_equal(image_write_from_stream(p, stream, n, false,
							 &err),
				 IMAGE_ERR_STREAM);
	assert_string_equal(tdir_list(dir), "");
	tdir_remove(dir);
}

/* A damaged image gives no stream, and says why in one line. */
static void damaged_image(void **state)
{
	char *dir = tdir_make();
	char const *p = tpath(dir, "ck.img");
	struct image_err err;
	uint8_t *img;
	void *back = (void *)1;
	size_t len = 1, ilen;
	char want[IMAGE_MSG_MAX];

	(void)state;
	assert_int_equal(image_write_from_stream(p, stream, stream_len, false,
						 &err),
			 IMAGE_OK);
	img = file_read(p, &ilen);
	img[100] ^= 1;		/* inside section 0 (meta) */
	file_write(p, img, ilen);
	assert_int_equal(image_read_to_stream(p, &back, &len, &err),
			 IMAGE_ERR_SECTION);
	assert_null(back);
	assert_int_equal(len, 0);
	snprintf(want, sizeof(want), "%s: section 0 (meta): checksum mismatch",
		 p);
	assert_string_equal(err.msg, want);
	free(img);
	tdir_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(identity_plain),
		cmocka_unit_test(identity_zstd),
		cmocka_unit_test(empty),
		cmocka_unit_test(bad_streams),
		cmocka_unit_test(every_truncation),
		cmocka_unit_test(damaged_image),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

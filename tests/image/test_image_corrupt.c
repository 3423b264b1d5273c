/*
 * Unit tests for cr/image: damaged, truncated and foreign files.
 *
 * Every single-byte corruption and every truncation of a small image, plain
 * and compressed, is refused with exactly the message the byte's place
 * calls for. Then images that are damaged but carry correct checksums
 * ("resealed", as a bug or a hostile writer could make them) show that each
 * structural check catches what the checksums cannot.
 */
#include <zstd.h>

#include "image_test.h"
#include "image_format.h"

/* What the reader knows of a good image, to predict messages. */
struct layout {
	size_t size;
	size_t count;
	size_t table;			/* table offset */
	struct image_section_info sec[8];
};

static uint8_t *load(char const *path, struct layout *l)
{
	struct image *img;
	uint8_t *b;

	assert_int_equal(image_open(path, &img, NULL), IMAGE_OK);
	l->count = image_nsections(img);
	assert_true(l->count <= 8);
	for (size_t i = 0; i < l->count; i++) {
		image_section_info(img, i, &l->sec[i]);
		l->sec[i].data = NULL;	/* gone after close */
	}
	image_close(img);
	b = file_read(path, &l->size);
	l->table = l->size - l->count * IMAGE_ENTRY_SIZE;
	return b;
}

/* Recompute the table, file and header checksums of an image in memory
 * after a test changed it, so that only the intended check can fail. */
static void reseal(uint8_t *b, size_t len)
{
	uint64_t table = image_get_u64(b + IMAGE_H_TABLE_OFFSET);
	uint64_t count = image_get_u32(b + IMAGE_H_COUNT);

	if (table <= len && (len - table) / IMAGE_ENTRY_SIZE >= count)
		image_put_u64(b + IMAGE_H_TABLE_HASH,
			      image_hash(b + table, count * IMAGE_ENTRY_SIZE));
	image_put_u64(b + IMAGE_H_FILE_HASH, image_hash(b + 64, len - 64));
	image_put_u64(b + IMAGE_H_HEADER_HASH,
		      image_hash(b, IMAGE_H_HEADER_HASH));
}

static uint8_t *entry(uint8_t *b, struct layout const *l, size_t i)
{
	return b + l->table + i * IMAGE_ENTRY_SIZE;
}

/* ---------------------------------------------------------------- */
/* Every byte, every length                                          */

/* The message a corruption at byte OFF must produce; *CODE gets its code. */
static void flip_expect(struct layout const *l, size_t off, uint8_t mask,
			enum image_status *code, char *msg, size_t size)
{
	if (off < IMAGE_H_VERSION) {
		*code = IMAGE_ERR_FOREIGN;
		snprintf(msg, size, "not a recap image (bad magic)");
	} else if (off < IMAGE_H_HEADER_SIZE) {
		*code = IMAGE_ERR_VERSION;
		snprintf(msg, size, "unsupported format version %u (this "
			 "recap reads version 1)",
			 1u ^ (uint32_t)mask << 8 * (off - IMAGE_H_VERSION));
	} else if (off < IMAGE_HEADER_SIZE) {
		*code = IMAGE_ERR_HEADER;
		snprintf(msg, size, "header checksum mismatch");
	} else if (off >= l->table) {
		*code = IMAGE_ERR_TABLE;
		snprintf(msg, size, "section table checksum mismatch");
	} else {
		size_t i = 0;

		while (off >= l->sec[i].offset + l->sec[i].stored_len)
			i++;
		*code = IMAGE_ERR_SECTION;
		snprintf(msg, size, "section %zu (%s): %schecksum mismatch", i,
			 l->sec[i].name,
			 l->sec[i].compressed ? "compressed data " : "");
	}
}

static void flip_every_byte(unsigned flags)
{
	static uint8_t const masks[] = { 0xff, 0x01, 0x80 };
	char *dir = tdir_make();
	char const *good = tpath(dir, "good"), *bad = tpath(dir, "bad");
	struct layout l;
	uint8_t *b;

	sample_write(good, flags);
	b = load(good, &l);
	if (flags & IMAGE_COMPRESS)
		assert_true(l.sec[1].compressed);
	for (size_t off = 0; off < l.size; off++)
		for (size_t m = 0; m < sizeof(masks); m++) {
			enum image_status code;
			char msg[IMAGE_MSG_MAX];

			flip_expect(&l, off, masks[m], &code, msg, sizeof(msg));
			b[off] ^= masks[m];
			file_write(bad, b, l.size);
			b[off] ^= masks[m];
			open_fails(bad, code, msg);
		}
	free(b);
	tdir_remove(dir);
}

static void test_flip_every_byte_plain(void **state)
{
	(void)state;
	flip_every_byte(0);
}

static void test_flip_every_byte_compressed(void **state)
{
	(void)state;
	flip_every_byte(IMAGE_COMPRESS);
}

static void truncate_every_length(unsigned flags)
{
	char *dir = tdir_make();
	char const *good = tpath(dir, "good"), *bad = tpath(dir, "bad");
	char msg[IMAGE_MSG_MAX];
	struct layout l;
	uint8_t *b;

	sample_write(good, flags);
	b = load(good, &l);
	for (size_t len = 0; len < l.size; len++) {
		file_write(bad, b, len);
		if (len < IMAGE_HEADER_SIZE)
			snprintf(msg, sizeof(msg), "truncated: %zu bytes, "
				 "shorter than a header (64)", len);
		else
			snprintf(msg, sizeof(msg), "truncated: header says "
				 "%zu bytes, file has %zu", l.size, len);
		open_fails(bad, IMAGE_ERR_TRUNCATED, msg);
	}
	/* One byte too many is as wrong as one too few. */
	b[l.size] = 0;
	file_write(bad, b, l.size + 1);
	snprintf(msg, sizeof(msg), "trailing data: header says %zu bytes, "
		 "file has %zu", l.size, l.size + 1);
	open_fails(bad, IMAGE_ERR_HEADER, msg);
	free(b);
	tdir_remove(dir);
}

static void test_truncate_every_length_plain(void **state)
{
	(void)state;
	truncate_every_length(0);
}

static void test_truncate_every_length_compressed(void **state)
{
	(void)state;
	truncate_every_length(IMAGE_COMPRESS);
}

/* ---------------------------------------------------------------- */
/* Not images at all                                                 */

static void test_foreign_files(void **state)
{
	static uint8_t const zstd_frame[] = {
		0x28, 0xb5, 0x2f, 0xfd, 0x20, 0x00, 0x01, 0x00, 0x00,
	};
	char *dir = tdir_make();
	char const *p = tpath(dir, "f");
	uint8_t rnd[4096];
	uint64_t x = 1;
	(void)state;

	open_fails("/proc/self/exe", IMAGE_ERR_FOREIGN,
		   "not a recap image (bad magic)");
	for (size_t i = 0; i < sizeof(rnd); i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		rnd[i] = (uint8_t)(x >> 56);
	}
	file_write(p, rnd, sizeof(rnd));
	open_fails(p, IMAGE_ERR_FOREIGN, "not a recap image (bad magic)");
	file_write(p, zstd_frame, sizeof(zstd_frame));
	open_fails(p, IMAGE_ERR_FOREIGN, "not a recap image (bad magic)");
	file_write(p, "hello\n", 6);
	open_fails(p, IMAGE_ERR_FOREIGN, "not a recap image (bad magic)");
	file_write(p, "RECAPIMX", 8);
	open_fails(p, IMAGE_ERR_FOREIGN, "not a recap image (bad magic)");
	file_write(p, "RECAP", 5);
	open_fails(p, IMAGE_ERR_TRUNCATED,
		   "truncated: 5 bytes, shorter than a header (64)");
	file_write(p, "", 0);
	open_fails(p, IMAGE_ERR_TRUNCATED,
		   "truncated: 0 bytes, shorter than a header (64)");
	/* The magic followed by noise: an image with a broken header. */
	memcpy(rnd, "RECAPIMG\1\0\0\0", 12);
	file_write(p, rnd, sizeof(rnd));
	open_fails(p, IMAGE_ERR_HEADER, "header checksum mismatch");
	open_fails(dir, IMAGE_ERR_FOREIGN, "not a regular file");
	assert_int_equal(mkfifo(tpath(dir, "fifo"), 0600), 0);
	open_fails(tpath(dir, "fifo"), IMAGE_ERR_FOREIGN, "not a regular file");
	open_fails("/dev/zero", IMAGE_ERR_FOREIGN, "not a regular file");
	open_fails(tpath(dir, "missing"), IMAGE_ERR_IO,
		   "cannot open: No such file or directory");
	tdir_remove(dir);
}

static void test_wrong_version(void **state)
{
	static uint32_t const versions[] = { 0, 2, 0x100, 0xffffffff };
	char *dir = tdir_make();
	char const *good = tpath(dir, "good"), *bad = tpath(dir, "bad");
	struct layout l;
	uint8_t *b;
	(void)state;

	sample_write(good, 0);
	b = load(good, &l);
	for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
		char msg[IMAGE_MSG_MAX];

		/* Sealed as a writer of that version would: the version
		 * alone decides. */
		image_put_u32(b + IMAGE_H_VERSION, versions[i]);
		reseal(b, l.size);
		file_write(bad, b, l.size);
		snprintf(msg, sizeof(msg), "unsupported format version %u "
			 "(this recap reads version 1)", versions[i]);
		open_fails(bad, IMAGE_ERR_VERSION, msg);
	}
	free(b);
	tdir_remove(dir);
}

/* ---------------------------------------------------------------- */
/* Damage behind correct checksums                                   */

/* A fresh copy of the good image for one case. */
static uint8_t *fresh(uint8_t const *good, struct layout const *l)
{
	uint8_t *b = malloc(l->size);

	assert_non_null(b);
	memcpy(b, good, l->size);
	return b;
}

/* Reseal B, write it to PATH, expect CODE and the formatted message. */
static void resealed_fails(char const *path, uint8_t *b, size_t len,
			   enum image_status code, char const *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void resealed_fails(char const *path, uint8_t *b, size_t len,
			   enum image_status code, char const *fmt, ...)
{
	char msg[IMAGE_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	reseal(b, len);
	file_write(path, b, len);
	open_fails(path, code, msg);
	free(b);
}

static void test_resealed_header_and_table(void **state)
{
	char *dir = tdir_make();
	char const *good = tpath(dir, "good"), *bad = tpath(dir, "bad");
	struct layout l;
	uint8_t *g, *b;
	(void)state;

	sample_write(good, 0);
	g = load(good, &l);

	b = fresh(g, &l);
	image_put_u32(b + IMAGE_H_HEADER_SIZE, 65);
	resealed_fails(bad, b, l.size, IMAGE_ERR_HEADER,
		       "header size 65, expected 64");

	b = fresh(g, &l);
	image_put_u32(b + IMAGE_H_FLAGS, 0x81);
	resealed_fails(bad, b, l.size, IMAGE_ERR_HEADER,
		       "unknown header flags 0x80");

	b = fresh(g, &l);
	image_put_u32(b + IMAGE_H_COUNT, IMAGE_SECTIONS_MAX + 1);
	resealed_fails(bad, b, l.size, IMAGE_ERR_TABLE,
		       "1048577 sections, at most 1048576");

	b = fresh(g, &l);
	image_put_u32(b + IMAGE_H_COUNT, 3);
	resealed_fails(bad, b, l.size, IMAGE_ERR_TABLE,
		       "section table of 3 entries at offset %zu does not "
		       "end the file (%zu bytes)", l.table, l.size);

	b = fresh(g, &l);
	image_put_u64(b + IMAGE_H_TABLE_OFFSET, 12);
	resealed_fails(bad, b, l.size, IMAGE_ERR_TABLE,
		       "section table of 4 entries at offset 12 does not end "
		       "the file (%zu bytes)", l.size);

	b = fresh(g, &l);
	image_put_u64(b + IMAGE_H_TABLE_OFFSET, ~0ull);
	resealed_fails(bad, b, l.size, IMAGE_ERR_TABLE,
		       "section table of 4 entries at offset %llu does not "
		       "end the file (%zu bytes)", ~0ull, l.size);

	/* Everything sealed but the whole-file checksum. */
	b = fresh(g, &l);
	b[100] ^= 1;
	image_put_u64(entry(b, &l, 1) + IMAGE_E_STORED_HASH,
		      image_hash(b + l.sec[1].offset, l.sec[1].stored_len));
	image_put_u64(entry(b, &l, 1) + IMAGE_E_RAW_HASH,
		      image_hash(b + l.sec[1].offset, l.sec[1].stored_len));
	image_put_u64(b + IMAGE_H_TABLE_HASH,
		      image_hash(b + l.table, 4 * IMAGE_ENTRY_SIZE));
	image_put_u64(b + IMAGE_H_HEADER_HASH,
		      image_hash(b, IMAGE_H_HEADER_HASH));
	file_write(bad, b, l.size);
	open_fails(bad, IMAGE_ERR_CHECKSUM, "file checksum mismatch");
	free(b);

	free(g);
	tdir_remove(dir);
}

static void test_resealed_entries(void **state)
{
	char *dir = tdir_make();
	char const *good = tpath(dir, "good"), *bad = tpath(dir, "bad");
	struct layout l;
	uint8_t *g, *b;
	(void)state;

	sample_write(good, 0);
	g = load(good, &l);

	b = fresh(g, &l);
	image_put_u32(entry(b, &l, 1) + IMAGE_E_FLAGS, 0x4);
	resealed_fails(bad, b, l.size, IMAGE_ERR_SECTION,
		       "section 1 (capspace): unknown flags 0x4");

	b = fresh(g, &l);
	image_put_u32(entry(b, &l, 1) + IMAGE_E_TYPE, 99);
	resealed_fails(bad, b, l.size, IMAGE_ERR_SECTION,
		       "section 1 (type 99): unknown type, written by a "
		       "newer recap?");

	b = fresh(g, &l);
	image_put_u64(entry(b, &l, 1) + IMAGE_E_OFFSET, l.sec[1].offset + 1);
	resealed_fails(bad, b, l.size, IMAGE_ERR_SECTION,
		       "section 1 (capspace): at offset %llu, expected %llu",
		       (unsigned long long)l.sec[1].offset + 1,
		       (unsigned long long)l.sec[1].offset);

	b = fresh(g, &l);
	image_put_u64(entry(b, &l, 3) + IMAGE_E_STORED_LEN,
		      l.sec[3].stored_len + 1);
	image_put_u64(entry(b, &l, 3) + IMAGE_E_RAW_LEN, l.sec[3].raw_len + 1);
	resealed_fails(bad, b, l.size, IMAGE_ERR_SECTION,
		       "section 3 (threads): 41 bytes at offset %llu run "
		       "into the section table at %zu",
		       (unsigned long long)l.sec[3].offset, l.table);

	b = fresh(g, &l);
	image_put_u64(entry(b, &l, 3) + IMAGE_E_STORED_LEN,
		      l.sec[3].stored_len - 1);
	image_put_u64(entry(b, &l, 3) + IMAGE_E_RAW_LEN, l.sec[3].raw_len - 1);
	resealed_fails(bad, b, l.size, IMAGE_ERR_TABLE,
		       "the sections end at offset %zu, the section table "
		       "starts at %zu", l.table - 1, l.table);

	b = fresh(g, &l);
	image_put_u64(entry(b, &l, 1) + IMAGE_E_RAW_LEN, l.sec[1].raw_len + 1);
	resealed_fails(bad, b, l.size, IMAGE_ERR_SECTION,
		       "section 1 (capspace): not compressed, yet stored and "
		       "raw length or checksum differ");

	b = fresh(g, &l);
	image_put_u64(entry(b, &l, 1) + IMAGE_E_RAW_HASH, 1);
	resealed_fails(bad, b, l.size, IMAGE_ERR_SECTION,
		       "section 1 (capspace): not compressed, yet stored and "
		       "raw length or checksum differ");

	b = fresh(g, &l);
	image_put_u64(entry(b, &l, 1) + IMAGE_E_RAW_LEN, IMAGE_RAW_MAX + 1);
	resealed_fails(bad, b, l.size, IMAGE_ERR_SECTION,
		       "section 1 (capspace): raw length %llu, at most %llu",
		       IMAGE_RAW_MAX + 1, IMAGE_RAW_MAX);

	free(g);
	tdir_remove(dir);
}

/* A type this build does not know, marked optional, is skipped over by
 * name but still verified and still reachable by number. */
static void test_unknown_optional_section(void **state)
{
	char *dir = tdir_make();
	char const *good = tpath(dir, "good");
	struct image_section_info info;
	struct image *img;
	struct layout l;
	void const *d;
	size_t len;
	uint8_t *b;
	(void)state;

	sample_write(good, 0);
	b = load(good, &l);
	image_put_u32(entry(b, &l, 1) + IMAGE_E_TYPE, 99);
	image_put_u32(entry(b, &l, 1) + IMAGE_E_FLAGS, IMAGE_SF_OPTIONAL);
	reseal(b, l.size);
	file_write(good, b, l.size);
	assert_int_equal(image_open(good, &img, NULL), IMAGE_OK);
	image_section_info(img, 1, &info);
	assert_int_equal(info.type, 99);
	assert_null(info.name);
	assert_true(info.optional);
	assert_int_equal(image_section(img, 99, 0, &d, &len), IMAGE_OK);
	assert_int_equal(len, SAMPLE_CAPS_LEN);
	assert_int_equal(image_section_count(img, IMAGE_SEC_CAPSPACE), 0);
	image_close(img);

	/* Damage in it is still damage. */
	b[l.sec[1].offset] ^= 1;
	file_write(good, b, l.size);
	open_fails(good, IMAGE_ERR_SECTION,
		   "section 1 (type 99): checksum mismatch");
	free(b);
	tdir_remove(dir);
}

/*
 * Compressed sections whose frame disagrees with the table. Each image is
 * written with an uncompressed meta section holding crafted bytes; the test
 * then marks it compressed and sets the raw length and checksum it wants,
 * so the stored checksum stays right and the frame checks are reached.
 */
static char const *zstd_craft(char const *dir, void const *stored,
			      size_t slen, uint64_t raw_len, void const *raw,
			      size_t rlen)
{
	char const *p = tpath(dir, "z");
	struct image_writer *w;
	struct layout l;
	uint8_t *b;

	assert_int_equal(image_writer_open(p, 0, &w, NULL), IMAGE_OK);
	assert_int_equal(image_writer_section(w, IMAGE_SEC_META, stored, slen),
			 IMAGE_OK);
	assert_int_equal(image_writer_commit(w), IMAGE_OK);
	b = load(p, &l);
	image_put_u32(entry(b, &l, 0) + IMAGE_E_FLAGS, IMAGE_SF_ZSTD);
	image_put_u64(entry(b, &l, 0) + IMAGE_E_RAW_LEN, raw_len);
	image_put_u64(entry(b, &l, 0) + IMAGE_E_RAW_HASH, image_hash(raw, rlen));
	reseal(b, l.size);
	file_write(p, b, l.size);
	free(b);
	return p;
}

static void zstd_case(char const *dir, void const *stored, size_t slen,
		      uint64_t raw_len, void const *raw, size_t rlen,
		      char const *msg)
{
	open_fails(zstd_craft(dir, stored, slen, raw_len, raw, rlen),
		   IMAGE_ERR_SECTION, msg);
}

/* The crafted image with the right raw length and checksum opens. */
static void zstd_good(char const *dir, void const *stored, size_t slen,
		      void const *raw, size_t rlen)
{
	struct image *img;
	void const *d;
	size_t len;

	assert_int_equal(image_open(zstd_craft(dir, stored, slen, rlen, raw,
					       rlen), &img, NULL), IMAGE_OK);
	assert_int_equal(image_section(img, IMAGE_SEC_META, 0, &d, &len),
			 IMAGE_OK);
	assert_int_equal(len, rlen);
	assert_memory_equal(d, raw, rlen);
	image_close(img);
}

static void test_resealed_zstd(void **state)
{
	char *dir = tdir_make();
	uint8_t raw[10000], frame[10100], stream[10100], junk[64];
	size_t flen, slen;
	ZSTD_CCtx *cc = ZSTD_createCCtx();
	ZSTD_inBuffer in = { raw, sizeof(raw), 0 };
	ZSTD_outBuffer out = { stream, sizeof(stream), 0 };
	(void)state;

	for (size_t i = 0; i < sizeof(raw); i++)
		raw[i] = (uint8_t)(i % 251 ^ i / 251);
	/* One-shot: the frame records its content size. */
	flen = ZSTD_compress(frame, sizeof(frame), raw, sizeof(raw), 3);
	assert_false(ZSTD_isError(flen));
	assert_true(flen + 3 <= sizeof(frame));
	/* Streamed: the frame does not know its size. */
	assert_false(ZSTD_isError(ZSTD_compressStream2(cc, &out, &in,
						       ZSTD_e_continue)));
	in = (ZSTD_inBuffer){ NULL, 0, 0 };
	assert_int_equal(ZSTD_compressStream2(cc, &out, &in, ZSTD_e_end), 0);
	slen = out.pos;
	ZSTD_freeCCtx(cc);
	assert_int_equal(ZSTD_getFrameContentSize(stream, slen),
			 ZSTD_CONTENTSIZE_UNKNOWN);

	/* Right as they are: the crafting itself is sound. */
	zstd_good(dir, frame, flen, raw, sizeof(raw));
	zstd_good(dir, stream, slen, raw, sizeof(raw));

	zstd_case(dir, frame, flen, 9999, raw, 9999,
		  "section 0 (meta): zstd frame holds 10000 bytes, table says "
		  "9999");
	zstd_case(dir, frame, flen, 0, "", 0,
		  "section 0 (meta): zstd frame holds 10000 bytes, table says "
		  "0");
	zstd_case(dir, stream, slen, 9999, raw, 9999,
		  "section 0 (meta): decompressed to 10000 bytes, table says "
		  "9999");
	zstd_case(dir, stream, slen, 10001, raw, 10000,
		  "section 0 (meta): decompressed to 10000 bytes, table says "
		  "10001");
	zstd_case(dir, stream, slen, 5000, raw, 5000,
		  "section 0 (meta): zstd: Destination buffer is too small");
	zstd_case(dir, stream, slen, sizeof(raw), raw, 9999,
		  "section 0 (meta): checksum mismatch after decompression");
	memcpy(frame + flen, "xyz", 3);
	zstd_case(dir, frame, flen + 3, sizeof(raw), raw, sizeof(raw),
		  "section 0 (meta): 3 bytes after the zstd frame");
	zstd_case(dir, frame, flen - 1, sizeof(raw), raw, sizeof(raw),
		  "section 0 (meta): zstd: Src size is incorrect");
	memset(junk, 'j', sizeof(junk));
	zstd_case(dir, junk, sizeof(junk), 100, junk, 100,
		  "section 0 (meta): zstd: Unknown frame descriptor");
	tdir_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flip_every_byte_plain),
		cmocka_unit_test(test_flip_every_byte_compressed),
		cmocka_unit_test(test_truncate_every_length_plain),
		cmocka_unit_test(test_truncate_every_length_compressed),
		cmocka_unit_test(test_foreign_files),
		cmocka_unit_test(test_wrong_version),
		cmocka_unit_test(test_resealed_header_and_table),
		cmocka_unit_test(test_resealed_entries),
		cmocka_unit_test(test_unknown_optional_section),
		cmocka_unit_test(test_resealed_zstd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests for cr/image/tlv: records round-trip through a field table,
 * unknown tags are skipped (a newer writer's record still reads), and every
 * malformed length, string, duplicate or missing field is refused with its
 * exact message. Every truncation of a good record is refused too.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "tlv.h"

/* A thread record as a later module might define it. */
struct thread_rec {
	uint64_t id;
	uint32_t prio;
	char name[16];
	struct tlv_bytes regs;
	uint64_t flags;			/* optional */
};

enum { T_ID = 1, T_PRIO = 2, T_NAME = 3, T_REGS = 4, T_FLAGS = 5 };

static struct tlv_field const thread_fields[] = {
	TLV_FIELD(T_ID, TLV_U64, struct thread_rec, id, true),
	TLV_FIELD(T_PRIO, TLV_U32, struct thread_rec, prio, true),
	TLV_FIELD(T_NAME, TLV_STR, struct thread_rec, name, true),
	TLV_FIELD(T_REGS, TLV_BLOB, struct thread_rec, regs, true),
	TLV_FIELD(T_FLAGS, TLV_U64, struct thread_rec, flags, false),
};
#define N_FIELDS (sizeof(thread_fields) / sizeof(thread_fields[0]))

static uint8_t const regs[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };

static struct thread_rec sample(void)
{
	struct thread_rec r = {
		.id = 0x1122334455667788ull,
		.prio = 0xfedcba98u,
		.name = "main",
		.regs = { regs, sizeof(regs) },
		.flags = 7,
	};
	return r;
}

/* Decoding must fail with CODE and exactly MSG. */
static void decode_fails(void const *data, size_t len, enum tlv_status code,
			 char const *msg)
{
	struct thread_rec r = { 0 };
	struct tlv_err err;
	enum tlv_status st = tlv_decode(data, len, thread_fields, N_FIELDS, &r,
					&err);

	if (st != code || strcmp(err.msg, msg))
		fail_msg("want %d \"%s\"\n  got %d \"%s\"", code, msg, st,
			 err.msg);
}

static void test_round_trip(void **state)
{
	struct thread_rec in = sample(), out;
	struct tlv_writer w;
	struct tlv_err err;
	(void)state;

	tlv_writer_init(&w);
	tlv_encode(&w, thread_fields, N_FIELDS, &in);
	assert_true(tlv_writer_ok(&w));
	/* 5 headers, 8+8+4+9+8 value bytes. */
	assert_int_equal(w.len, 5 * TLV_HEADER_SIZE + 37);
	/* Little-endian, as documented: tag 1, length 8, id. */
	assert_memory_equal(w.buf, "\1\0\10\0\0\0\x88\x77\x66\x55\x44\x33\x22\x11",
			    14);
	memset(&out, 0xee, sizeof(out));
	assert_int_equal(tlv_decode(w.buf, w.len, thread_fields, N_FIELDS, &out,
				    &err), TLV_OK);
	assert_int_equal(err.code, TLV_OK);
	assert_int_equal(out.id, in.id);
	assert_int_equal(out.prio, in.prio);
	assert_string_equal(out.name, "main");
	assert_int_equal(out.regs.len, sizeof(regs));
	assert_memory_equal(out.regs.data, regs, sizeof(regs));
	assert_ptr_equal(out.regs.data, w.buf + w.len - 8 - 6 - 9);
	assert_int_equal(out.flags, 7);
	tlv_writer_free(&w);
	assert_null(w.buf);
}

/* A newer writer's record: unknown tags anywhere, of any length, nested
 * records too; an older reader takes what it knows. An absent optional
 * field keeps its default. */
static void test_unknown_tags_skipped(void **state)
{
	struct thread_rec out = { .flags = 42 };
	struct tlv_writer w;
	struct tlv_err err;
	size_t mark;
	(void)state;

	tlv_writer_init(&w);
	tlv_put_str(&w, 900, "from the future");
	tlv_put_u64(&w, T_ID, 5);
	tlv_put_blob(&w, 901, NULL, 0);
	mark = tlv_begin(&w, 902);
	tlv_put_u64(&w, T_ID, 666);	/* inside a nested record: not ours */
	tlv_put_str(&w, 1, "x");
	tlv_end(&w, mark);
	tlv_put_u64(&w, T_PRIO, 3);
	tlv_put_str(&w, T_NAME, "");
	tlv_put_blob(&w, T_REGS, regs, 2);
	tlv_put_u64(&w, 0xffff, 1);
	assert_true(tlv_writer_ok(&w));
	assert_int_equal(tlv_decode(w.buf, w.len, thread_fields, N_FIELDS, &out,
				    &err), TLV_OK);
	assert_int_equal(out.id, 5);
	assert_int_equal(out.prio, 3);
	assert_string_equal(out.name, "");
	assert_int_equal(out.regs.len, 2);
	assert_int_equal(out.flags, 42);
	tlv_writer_free(&w);
}

/* Nested records read with the primitive iterator. */
static void test_nested(void **state)
{
	struct tlv_writer w;
	struct tlv_reader r, inner;
	struct tlv_item it;
	struct tlv_err err;
	uint64_t v;
	(void)state;

	tlv_writer_init(&w);
	for (uint64_t slot = 0; slot < 3; slot++) {
		size_t mark = tlv_begin(&w, 10);

		tlv_put_u64(&w, 1, slot * 100);
		tlv_put_str(&w, 2, "gate");
		tlv_end(&w, mark);
	}
	assert_true(tlv_writer_ok(&w));
	tlv_reader_init(&r, w.buf, w.len);
	for (uint64_t slot = 0; slot < 3; slot++) {
		assert_int_equal(tlv_next(&r, &it, &err), TLV_OK);
		assert_int_equal(it.tag, 10);
		assert_int_equal(it.len, 2 * TLV_HEADER_SIZE + 8 + 4);
		tlv_reader_init(&inner, it.val, it.len);
		assert_int_equal(tlv_next(&inner, &it, &err), TLV_OK);
		assert_int_equal(tlv_get_u64(&it, &v, &err), TLV_OK);
		assert_int_equal(v, slot * 100);
		assert_int_equal(tlv_next(&inner, &it, &err), TLV_OK);
		assert_int_equal(it.len, 4);
		assert_memory_equal(it.val, "gate", 4);
		assert_int_equal(tlv_get_u64(&it, &v, &err), TLV_ERR_LENGTH);
		assert_string_equal(err.msg,
				    "at byte 14: tag 2: length 4, expected 8");
		assert_int_equal(tlv_next(&inner, &it, &err), TLV_END);
	}
	assert_int_equal(tlv_next(&r, &it, &err), TLV_END);
	tlv_writer_free(&w);
}

/* Build a record from the sample, then one field written by hand. */
static void with_extra(struct tlv_writer *w, uint16_t tag, void const *val,
		       size_t len)
{
	struct thread_rec in = sample();

	tlv_writer_init(w);
	tlv_encode(w, thread_fields, N_FIELDS, &in);
	tlv_put_blob(w, tag, val, len);
	assert_true(tlv_writer_ok(w));
}

static void test_bad_fields(void **state)
{
	struct tlv_writer w;
	uint8_t eight[8] = { 0, 0, 0, 0, 1, 0, 0, 0 };	/* 2^32 */
	struct thread_rec in = sample();
	(void)state;

	/* The sample record is 67 bytes: extras start at byte 67. A
	 * duplicate is refused whatever it holds. */
	with_extra(&w, T_ID, "1234567", 7);
	assert_int_equal(w.len, 67 + 6 + 7);
	decode_fails(w.buf, w.len, TLV_ERR_DUP,
		     "at byte 67: tag 1 (id) given twice");
	tlv_writer_free(&w);

	/* Wrong lengths for integers, in first position. */
	tlv_writer_init(&w);
	tlv_put_blob(&w, T_ID, "1234567", 7);
	decode_fails(w.buf, w.len, TLV_ERR_LENGTH,
		     "at byte 0: tag 1 (id): length 7, expected 8");
	tlv_writer_free(&w);
	tlv_writer_init(&w);
	tlv_put_blob(&w, T_PRIO, "123456789", 9);
	decode_fails(w.buf, w.len, TLV_ERR_LENGTH,
		     "at byte 0: tag 2 (prio): length 9, expected 8");
	tlv_writer_free(&w);
	tlv_writer_init(&w);
	tlv_put_blob(&w, T_PRIO, eight, 8);
	decode_fails(w.buf, w.len, TLV_ERR_RANGE,
		     "at byte 0: tag 2 (prio): 4294967296 does not fit 32 bits");
	tlv_writer_free(&w);

	/* Strings: at most 15 bytes for char[16], no NUL inside. */
	tlv_writer_init(&w);
	tlv_put_str(&w, T_NAME, "0123456789abcdef");
	decode_fails(w.buf, w.len, TLV_ERR_STRING,
		     "at byte 0: tag 3 (name): 16 bytes, at most 15");
	tlv_writer_free(&w);
	tlv_writer_init(&w);
	tlv_put_blob(&w, T_NAME, "ma\0n", 4);
	decode_fails(w.buf, w.len, TLV_ERR_STRING,
		     "at byte 0: tag 3 (name): NUL inside the string");
	tlv_writer_free(&w);

	/* A required field absent. */
	tlv_writer_init(&w);
	in.flags = 0;
	tlv_encode(&w, thread_fields, 3, &in);	/* id, prio, name */
	decode_fails(w.buf, w.len, TLV_ERR_MISSING, "tag 4 (regs) missing");
	tlv_writer_free(&w);
}

/* Lengths that run past the end: every truncation of a good record, and
 * lengths near 2^32 that must not wrap around. */
static void test_bad_lengths(void **state)
{
	struct thread_rec in = sample();
	struct tlv_writer w;
	uint8_t huge[] = { 9, 0, 0xff, 0xff, 0xff, 0xff, 'x' };
	(void)state;

	tlv_writer_init(&w);
	tlv_encode(&w, thread_fields, N_FIELDS, &in);
	for (size_t len = 1; len < w.len; len++) {
		struct thread_rec out;
		struct tlv_err err;
		enum tlv_status st = tlv_decode(w.buf, len, thread_fields,
						N_FIELDS, &out, &err);

		/* A cut at a field boundary (14, 28, 38, 53) leaves a
		 * well-formed record without some fields: required ones,
		 * or at 53 only the optional flags. */
		if (len == 14 || len == 28 || len == 38)
			assert_int_equal(st, TLV_ERR_MISSING);
		else if (len == 53)
			assert_int_equal(st, TLV_OK);
		else
			assert_int_equal(st, TLV_ERR_TRUNCATED);
	}
	decode_fails(w.buf, 3, TLV_ERR_TRUNCATED,
		     "at byte 0: 3 bytes, too short for a field header");
	decode_fails(w.buf, 20, TLV_ERR_TRUNCATED,
		     "at byte 14: tag 2: length 8, only 0 bytes left");
	decode_fails(w.buf, 30, TLV_ERR_TRUNCATED,
		     "at byte 28: 2 bytes, too short for a field header");
	decode_fails(huge, sizeof(huge), TLV_ERR_TRUNCATED,
		     "at byte 0: tag 9: length 4294967295, only 1 bytes left");
	tlv_writer_free(&w);
}

/* A failed writer stays failed and says so. */
static void test_writer_failure(void **state)
{
	struct tlv_writer w;
	(void)state;

	tlv_writer_init(&w);
	tlv_put_u64(&w, 1, 1);
	w.failed = true;		/* as after an allocation failure */
	tlv_put_u64(&w, 2, 2);
	tlv_end(&w, 0);
	assert_false(tlv_writer_ok(&w));
	assert_int_equal(w.len, 14);
	tlv_writer_free(&w);
	assert_true(tlv_writer_ok(&w));

	/* A value longer than a u32 length can say: refused, not wrapped. */
	tlv_put_blob(&w, 1, "", (size_t)UINT32_MAX + 1);
	assert_false(tlv_writer_ok(&w));
	assert_int_equal(w.len, 0);
	tlv_writer_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_unknown_tags_skipped),
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_bad_fields),
		cmocka_unit_test(test_bad_lengths),
		cmocka_unit_test(test_writer_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests for cr/capspace_record: the model keeps slots sorted and
 * refuses what no kernel reports; a space round-trips through a real image
 * file (cr/image), plain and compressed; optional fields cost nothing when
 * at their default; tags from a newer writer are skipped; every malformed
 * section is refused with its exact message, and no truncation of a good
 * one reads out of bounds.
 */
#include "caps_test.h"

#include <stdlib.h>
#include <unistd.h>

/* ---- scratch directory ------------------------------------------- */

static char tmp_dir[256];
static char tmp_img[300];

static int setup(void **state)
{
	char const *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	(void)state;

	snprintf(tmp_dir, sizeof(tmp_dir), "%s/recap-caps-XXXXXX", base);
	if (!mkdtemp(tmp_dir))
		return -1;
	snprintf(tmp_img, sizeof(tmp_img), "%s/ck.img", tmp_dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(tmp_img);
	return rmdir(tmp_dir);
}

/* ---- helpers --------------------------------------------------- */

static void add_fails(struct caps_space *cs, struct caps_entry const *e,
		      enum caps_status code, char const *msg)
{
	struct caps_err err;
	enum caps_status st = caps_add(cs, e, &err);

	if (st != code || strcmp(err.msg, msg))
		fail_msg("want %d \"%s\"\n  got %d \"%s\"", code, msg, st,
			 err.msg);
}

static void decode_fails(void const *data, size_t len, enum caps_status code,
			 char const *msg)
{
	struct caps_space cs;
	struct caps_err err;
	enum caps_status st;

	sample_space(&cs);		/* must come back empty */
	st = caps_decode(data, len, &cs, &err);
	if (st != code || strcmp(err.msg, msg))
		fail_msg("want %d \"%s\"\n  got %d \"%s\"", code, msg, st,
			 err.msg);
	assert_int_equal(cs.n, 0);
	assert_string_equal(cs.name, "");
	caps_free(&cs);
}

/* A slot record with the four required fields and nothing else. */
static void put_minimal(struct tlv_writer *w, uint64_t slot, uint64_t kind)
{
	size_t mark = tlv_begin(w, CAPS_TAG_SLOT);

	tlv_put_u64(w, CAPS_STAG_SLOT, slot);
	tlv_put_u64(w, CAPS_STAG_KIND, kind);
	tlv_put_u64(w, CAPS_STAG_RIGHTS, RWS);
	tlv_put_u64(w, CAPS_STAG_OBJECT, 7);
	tlv_end(w, mark);
}

#define MINIMAL_LEN (TLV_HEADER_SIZE + 4 * (TLV_HEADER_SIZE + 8))

/* ---- the model ------------------------------------------------- */

static void test_add_find(void **state)
{
	struct caps_space cs;
	struct caps_entry e;
	(void)state;

	sample_space(&cs);
	assert_int_equal(cs.n, SAMPLE_SLOTS);
	for (size_t i = 1; i < cs.n; i++)
		assert_true(cs.entries[i - 1].slot < cs.entries[i].slot);
	assert_int_equal(cs.entries[0].slot, 1);
	assert_int_equal(cs.entries[SAMPLE_SLOTS - 1].slot, 0x203);

	assert_non_null(caps_find(&cs, 8));
	assert_int_equal(caps_find(&cs, 8)->object, SAMPLE_PARENT);
	assert_string_equal(caps_find(&cs, 0x200)->detail,
			    "LOG session 'hello'");
	assert_null(caps_find(&cs, 0));
	assert_null(caps_find(&cs, 2));
	assert_null(caps_find(&cs, 0x204));

	caps_entry_init(&e);
	assert_int_equal(e.label, CAPS_NO_LABEL);
	assert_int_equal(e.role, CAPS_ROLE_UNKNOWN);
	e.slot = 8;
	e.kind = L4X_KIND_GATE;
	e.rights = RWS;
	add_fails(&cs, &e, CAPS_ERR_SLOT, "slot 0x8: used twice");
	e.slot = 0x300;
	e.kind = L4X_KIND_NONE;
	add_fails(&cs, &e, CAPS_ERR_ENTRY,
		  "slot 0x300: kind none in a used slot");
	e.kind = L4X_KIND_GATE;
	e.rights = RWS | 0x10;
	add_fails(&cs, &e, CAPS_ERR_ENTRY,
		  "slot 0x300: unknown rights bits 0x10");
	e.rights = RWS;
	e.slot = CAPS_SLOT_LIMIT;
	add_fails(&cs, &e, CAPS_ERR_SLOT,
		  "slot 0x100000: beyond the 1048576 slots of a capability "
		  "space");
	e.slot = CAPS_SLOT_LIMIT - 1;
	assert_int_equal(caps_add(&cs, &e, NULL), CAPS_OK);
	assert_int_equal(cs.n, SAMPLE_SLOTS + 1);

	caps_free(&cs);
	assert_int_equal(cs.n, 0);
	assert_null(cs.entries);
}

/* Many slots, added in descending order: sorted insertion and growth. */
static void test_many_slots(void **state)
{
	struct caps_space cs;
	struct caps_entry e;
	(void)state;

	caps_init(&cs);
	caps_entry_init(&e);
	e.kind = L4X_KIND_GATE;
	for (uint64_t s = 4096; s-- > 0;) {
		e.slot = s;
		e.object = s * 3;
		assert_int_equal(caps_add(&cs, &e, NULL), CAPS_OK);
	}
	assert_int_equal(cs.n, 4096);
	for (uint64_t s = 0; s < 4096; s++) {
		assert_int_equal(cs.entries[s].slot, s);
		assert_int_equal(caps_find(&cs, s)->object, s * 3);
	}
	caps_free(&cs);
}

static void test_names(void **state)
{
	char r[CAPS_RIGHTS_STR];
	(void)state;

	assert_string_equal(caps_kind_name(L4X_KIND_GATE), "gate");
	assert_string_equal(caps_kind_name(L4X_KIND_HOST), "host");
	assert_null(caps_kind_name(8));
	assert_string_equal(caps_role_name(CAPS_ROLE_EP_GATE), "ep-gate");
	assert_string_equal(caps_role_name(CAPS_ROLE_UNKNOWN), "unknown");
	assert_null(caps_role_name(CAPS_ROLE_COUNT));
	for (uint32_t role = 0; role < CAPS_ROLE_COUNT; role++)
		assert_non_null(caps_role_name(role));
	assert_string_equal(caps_rights_str(RWSD, r), "RWSD");
	assert_string_equal(caps_rights_str(RW, r), "RW--");
	assert_string_equal(caps_rights_str(CAPS_S | CAPS_D, r), "--SD");
	assert_string_equal(caps_rights_str(0, r), "----");
}

/* ---- the section ------------------------------------------------ */

static void test_image_round_trip(void **state)
{
	(void)state;

	for (unsigned flags = 0; flags <= IMAGE_COMPRESS; flags++) {
		struct caps_space in, in2, out;
		struct image_writer *w;
		struct image *img;
		struct image_err ierr;
		struct caps_err err;

		sample_space(&in);
		restored_space(&in2);
		caps_init(&out);
		assert_int_equal(image_writer_open(tmp_img, flags, &w, &ierr),
				 IMAGE_OK);
		assert_int_equal(image_writer_section(w, IMAGE_SEC_META, "m",
						      1), IMAGE_OK);
		assert_int_equal(caps_write(w, &in, &err), CAPS_OK);
		assert_string_equal(err.msg, "");
		assert_int_equal(caps_write(w, &in2, &err), CAPS_OK);
		assert_int_equal(image_writer_commit(w), IMAGE_OK);

		if (image_open(tmp_img, &img, &ierr))
			fail_msg("open: %s", ierr.msg);
		assert_int_equal(image_section_count(img, IMAGE_SEC_CAPSPACE),
				 2);
		assert_int_equal(caps_read(img, 0, &out, &err), CAPS_OK);
		space_equal(&in, &out);
		assert_int_equal(caps_read(img, 1, &out, &err), CAPS_OK);
		space_equal(&in2, &out);
		assert_int_equal(caps_read(img, 2, &out, &err),
				 CAPS_ERR_IMAGE);
		assert_string_equal(err.msg,
				    "no capspace section 2 (the image has 2)");
		assert_int_equal(out.n, 0);
		image_close(img);
		caps_free(&in);
		caps_free(&in2);
		caps_free(&out);
	}
}

/* An empty space, and one without a name, round-trip too. */
static void test_empty(void **state)
{
	struct caps_space in, out;
	struct tlv_writer w;
	(void)state;

	caps_init(&in);
	sample_space(&out);
	tlv_writer_init(&w);
	caps_encode(&in, &w);
	assert_true(tlv_writer_ok(&w));
	assert_int_equal(w.len, 0);
	assert_int_equal(caps_decode(w.buf, w.len, &out, NULL), CAPS_OK);
	space_equal(&in, &out);
	tlv_writer_free(&w);
	caps_free(&out);
}

/* Optional fields at their default are not written. */
static void test_compact(void **state)
{
	struct caps_space cs, out;
	struct tlv_writer w;
	uint8_t const head[] = { CAPS_TAG_SLOT, 0, MINIMAL_LEN - 6, 0, 0, 0,
				 CAPS_STAG_SLOT, 0, 8, 0, 0, 0,
				 0x03, 0x02, 0, 0, 0, 0, 0, 0 };
	(void)state;

	caps_init(&cs);
	add(&cs, 0x203, L4X_KIND_FACTORY, RWS, 2, CAPS_NO_LABEL,
	    CAPS_ROLE_UNKNOWN, 0, 0, "", "");
	tlv_writer_init(&w);
	caps_encode(&cs, &w);
	assert_int_equal(w.len, MINIMAL_LEN);
	assert_memory_equal(w.buf, head, sizeof(head));
	tlv_writer_free(&w);

	/* A thread-area gate: label and role on top; thread 0 is default. */
	caps_free(&cs);
	add(&cs, 9, L4X_KIND_GATE, RWS, 20, 0x9, CAPS_ROLE_THREAD_GATE, 0, 0,
	    "", "");
	caps_encode(&cs, &w);
	assert_int_equal(w.len, MINIMAL_LEN + 2 * (TLV_HEADER_SIZE + 8));
	caps_init(&out);
	assert_int_equal(caps_decode(w.buf, w.len, &out, NULL), CAPS_OK);
	space_equal(&cs, &out);
	tlv_writer_free(&w);
	caps_free(&cs);
	caps_free(&out);
}

/* A newer writer's fields, top-level and inside a slot, are skipped. */
static void test_unknown_tags(void **state)
{
	struct caps_space want, out;
	struct tlv_writer w;
	struct caps_err err;
	size_t mark;
	(void)state;

	tlv_writer_init(&w);
	tlv_put_str(&w, 99, "a field from the future");
	tlv_put_str(&w, CAPS_TAG_NAME, "hello");
	mark = tlv_begin(&w, CAPS_TAG_SLOT);
	tlv_put_u64(&w, 77, 12345);		/* before the known ones */
	tlv_put_u64(&w, CAPS_STAG_OBJECT, 31);
	tlv_put_str(&w, CAPS_STAG_SERVICE, "LOG");
	tlv_put_u64(&w, CAPS_STAG_SLOT, 0x200);
	tlv_put_u64(&w, CAPS_STAG_KIND, L4X_KIND_GATE);
	tlv_put_str(&w, 78, "new string");
	tlv_put_u64(&w, CAPS_STAG_RIGHTS, RW);
	tlv_put_u64(&w, CAPS_STAG_LABEL, 0x2a);
	tlv_put_u64(&w, CAPS_STAG_ROLE, CAPS_ROLE_SESSION);
	tlv_put_blob(&w, 79, "\0\1\2", 3);
	tlv_end(&w, mark);
	tlv_put_u64(&w, 100, 1);
	/* A role this build does not know is kept, not refused. */
	mark = tlv_begin(&w, CAPS_TAG_SLOT);
	tlv_put_u64(&w, CAPS_STAG_SLOT, 0x201);
	tlv_put_u64(&w, CAPS_STAG_KIND, 9);
	tlv_put_u64(&w, CAPS_STAG_RIGHTS, CAPS_R);
	tlv_put_u64(&w, CAPS_STAG_OBJECT, 32);
	tlv_put_u64(&w, CAPS_STAG_ROLE, 200);
	tlv_end(&w, mark);
	assert_true(tlv_writer_ok(&w));

	caps_init(&want);
	snprintf(want.name, sizeof(want.name), "hello");
	add(&want, 0x200, L4X_KIND_GATE, RW, 31, 0x2a, CAPS_ROLE_SESSION, 0, 0,
	    "LOG", "");
	add(&want, 0x201, 9, CAPS_R, 32, CAPS_NO_LABEL, 200, 0, 0, "", "");
	caps_init(&out);
	assert_int_equal(caps_decode(w.buf, w.len, &out, &err), CAPS_OK);
	assert_string_equal(err.msg, "");
	space_equal(&want, &out);
	tlv_writer_free(&w);
	caps_free(&want);
	caps_free(&out);
}

static void test_bad_sections(void **state)
{
	struct tlv_writer w;
	size_t mark;
	char name[CAPS_NAME_MAX + 1];
	(void)state;

	/* A required field missing. */
	tlv_writer_init(&w);
	mark = tlv_begin(&w, CAPS_TAG_SLOT);
	tlv_put_u64(&w, CAPS_STAG_SLOT, 9);
	tlv_put_u64(&w, CAPS_STAG_KIND, L4X_KIND_GATE);
	tlv_put_u64(&w, CAPS_STAG_RIGHTS, RWS);
	tlv_end(&w, mark);
	decode_fails(w.buf, w.len, CAPS_ERR_RECORD,
		     "slot record at byte 0: tag 4 (object) missing");
	tlv_writer_free(&w);

	/* A field of the wrong size inside a slot. */
	mark = tlv_begin(&w, CAPS_TAG_SLOT);
	tlv_put_blob(&w, CAPS_STAG_SLOT, "\1\2\3\4", 4);
	tlv_end(&w, mark);
	decode_fails(w.buf, w.len, CAPS_ERR_RECORD,
		     "slot record at byte 0: at byte 0: tag 1 (slot): length "
		     "4, expected 8");
	tlv_writer_free(&w);

	/* Kind and rights beyond their 32 bits. */
	put_minimal(&w, 9, 1ull << 32);
	decode_fails(w.buf, w.len, CAPS_ERR_RECORD,
		     "slot record at byte 0: at byte 14: tag 2 (kind): "
		     "4294967296 does not fit 32 bits");
	tlv_writer_free(&w);

	/* Out of order, and the same slot twice. */
	put_minimal(&w, 9, L4X_KIND_GATE);
	put_minimal(&w, 8, L4X_KIND_GATE);
	decode_fails(w.buf, w.len, CAPS_ERR_SLOT,
		     "slot record at byte 62: slot 0x8 after slot 0x9");
	tlv_writer_free(&w);
	put_minimal(&w, 9, L4X_KIND_GATE);
	put_minimal(&w, 9, L4X_KIND_GATE);
	decode_fails(w.buf, w.len, CAPS_ERR_SLOT,
		     "slot record at byte 62: slot 0x9 after slot 0x9");
	tlv_writer_free(&w);

	/* What caps_add refuses. */
	put_minimal(&w, 9, L4X_KIND_GATE);
	put_minimal(&w, 10, L4X_KIND_NONE);
	decode_fails(w.buf, w.len, CAPS_ERR_ENTRY,
		     "slot record at byte 62: slot 0xa: kind none in a used "
		     "slot");
	tlv_writer_free(&w);
	put_minimal(&w, CAPS_SLOT_LIMIT, L4X_KIND_GATE);
	decode_fails(w.buf, w.len, CAPS_ERR_SLOT,
		     "slot record at byte 0: slot 0x100000: beyond the "
		     "1048576 slots of a capability space");
	tlv_writer_free(&w);

	/* The name: twice, too long, with a NUL inside. */
	tlv_put_str(&w, CAPS_TAG_NAME, "hello");
	put_minimal(&w, 9, L4X_KIND_GATE);
	tlv_put_str(&w, CAPS_TAG_NAME, "hello");
	decode_fails(w.buf, w.len, CAPS_ERR_RECORD,
		     "at byte 73: name given twice");
	tlv_writer_free(&w);
	memset(name, 'n', CAPS_NAME_MAX);
	name[CAPS_NAME_MAX] = '\0';
	tlv_put_str(&w, CAPS_TAG_NAME, name);
	decode_fails(w.buf, w.len, CAPS_ERR_RECORD,
		     "at byte 0: name of 64 bytes, at most 63");
	tlv_writer_free(&w);
	tlv_put_blob(&w, CAPS_TAG_NAME, "a\0b", 3);
	decode_fails(w.buf, w.len, CAPS_ERR_RECORD,
		     "at byte 0: NUL inside the name");
	tlv_writer_free(&w);

	/* A field running past the end of the section. */
	put_minimal(&w, 9, L4X_KIND_GATE);
	decode_fails(w.buf, 3, CAPS_ERR_RECORD,
		     "at byte 0: 3 bytes, too short for a field header");
	decode_fails(w.buf, 20, CAPS_ERR_RECORD,
		     "at byte 0: tag 2: length 56, only 14 bytes left");
	tlv_writer_free(&w);
}

/*
 * Every prefix of a good section either decodes to a prefix of its slots
 * (it ends between two slot records) or is refused; under ASan this also
 * shows no prefix reads past its end.
 */
static void test_truncations(void **state)
{
	struct caps_space in, out;
	struct tlv_writer w;
	size_t good = 0;
	(void)state;

	sample_space(&in);
	caps_init(&out);
	tlv_writer_init(&w);
	caps_encode(&in, &w);
	for (size_t len = 0; len < w.len; len++) {
		uint8_t *copy = malloc(len ? len : 1);
		struct caps_err err;

		memcpy(copy, w.buf, len);
		if (caps_decode(copy, len, &out, &err) == CAPS_OK) {
			good++;
			assert_true(out.n < in.n);
			for (size_t i = 0; i < out.n; i++)
				entry_equal(&in.entries[i], &out.entries[i]);
		} else {
			assert_int_equal(err.code, CAPS_ERR_RECORD);
			assert_int_equal(out.n, 0);
		}
		free(copy);
	}
	/* Empty, after the name, after each slot but the last. */
	assert_int_equal(good, 1 + in.n);
	tlv_writer_free(&w);
	caps_free(&in);
	caps_free(&out);
}

/* A bad section in a good image: caps_read names the section. */
static void test_read_bad_section(void **state)
{
	struct image_writer *w;
	struct image *img;
	struct image_err ierr;
	struct caps_space cs;
	struct caps_err err;
	struct tlv_writer tw;
	(void)state;

	tlv_writer_init(&tw);
	put_minimal(&tw, 9, L4X_KIND_NONE);
	assert_int_equal(image_writer_open(tmp_img, 0, &w, &ierr), IMAGE_OK);
	assert_int_equal(image_writer_section(w, IMAGE_SEC_CAPSPACE, tw.buf,
					      tw.len), IMAGE_OK);
	assert_int_equal(image_writer_commit(w), IMAGE_OK);
	tlv_writer_free(&tw);

	assert_int_equal(image_open(tmp_img, &img, &ierr), IMAGE_OK);
	sample_space(&cs);
	assert_int_equal(caps_read(img, 0, &cs, &err), CAPS_ERR_ENTRY);
	assert_string_equal(err.msg, "capspace section 0: slot record at byte "
				     "0: slot 0x9: kind none in a used slot");
	assert_int_equal(cs.n, 0);
	image_close(img);
	caps_free(&cs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_find),
		cmocka_unit_test(test_many_slots),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_image_round_trip),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_compact),
		cmocka_unit_test(test_unknown_tags),
		cmocka_unit_test(test_bad_sections),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_read_bad_section),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

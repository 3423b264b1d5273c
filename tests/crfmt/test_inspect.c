/*
 * Tests of `recap inspect` (tools/inspect.c) on an image built here from
 * the sample stream: the exact text listing (tests/crfmt/inspect.out), the
 * JSON document (exact substrings, and python3's json.load when there is a
 * python3), usage errors, a malformed record in a valid image, and every
 * single-byte corruption and every truncation of the image: exit 1, one
 * line on stderr, nothing on stdout.
 */
#include "image_test.h"

#include <errno.h>

#include <recap/cr_stream.h>

#include "capspace_record.h"
#include "inspect.h"
#include "sample.h"
#include "stream.h"
#include "tool_run.h"

/* The sample stream with a capability space of two slots. */
static uint8_t *full_stream(size_t *len)
{
	struct caps_space cs;
	struct caps_entry e;
	struct tlv_writer w;
	uint8_t *s;

	caps_init(&cs);
	strcpy(cs.name, "counter");
	caps_entry_init(&e);
	e.slot = 1;
	e.kind = L4X_KIND_TASK;
	e.rights = CAPS_RIGHTS_ALL;
	e.object = 3;
	e.role = CAPS_ROLE_TASK;
	assert_int_equal(caps_add(&cs, &e, NULL), CAPS_OK);
	caps_entry_init(&e);
	e.slot = 0x200;
	e.kind = L4X_KIND_GATE;
	e.rights = CAPS_R | CAPS_W;
	e.object = 31;
	e.label = 0x2a;
	e.role = CAPS_ROLE_SESSION;
	strcpy(e.service, "LOG");
	strcpy(e.detail, "LOG session 'counter'");
	assert_int_equal(caps_add(&cs, &e, NULL), CAPS_OK);
	tlv_writer_init(&w);
	caps_encode(&cs, &w);
	assert_true(tlv_writer_ok(&w));
	s = sample_stream(w.buf, w.len, len);
	assert_non_null(s);
	tlv_writer_free(&w);
	caps_free(&cs);
	return s;
}

/* Work in a scratch directory so the image is just "ck.img". */
static int setup(void **state)
{
	uint8_t *s;
	size_t len;
	struct image_err err;

	(void)state;
	if (scratch_enter())
		return -1;
	s = full_stream(&len);
	if (image_write_from_stream("ck.img", s, len, false, &err) ||
	    image_write_from_stream("ckz.img", s, len, true, &err))
		return -1;
	free(s);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return scratch_leave();
}

/* inspect_main with ARGS (NULL-terminated after "inspect"). */
static struct run inspect(char const *a1, char const *a2, char const *a3)
{
	char const *argv[] = { "inspect", a1, a2, a3, NULL };

	return tool_run(inspect_main, argv);
}

static void text_listing(void **state)
{
	char path[PATH_MAX_T + 32];
	size_t len;
	uint8_t *want;
	struct run r = inspect("ck.img", NULL, NULL);

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/crfmt/inspect.out",
		 scratch_top());
	want = file_read(path, &len);
	want[len] = '\0';
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.err, "");
	assert_string_equal(r.out, (char *)want);
	free(want);
	run_free(&r);
}

static void compressed_listing(void **state)
{
	struct run r = inspect("ckz.img", NULL, NULL);

	(void)state;
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.out, ", zstd\n"));
	/* Past the header, the listing is the uncompressed one's. */
	assert_non_null(strstr(r.out, "\nmeta\n  target \"counter\""));
	assert_non_null(strstr(r.out, "  dataspace 9: 10000 bytes, 1 run, "
				      "2 pages\n"));
	run_free(&r);
}

static void json_document(void **state)
{
	struct run r = inspect("--json", "ck.img", NULL);
	static char const *const want[] = {
		"{\n  \"file\": \"ck.img\",\n  \"format\": 1, ",
		"\"compressed\": false",
		"{\"type\": \"threads\", \"stored\": 4396, \"raw\": 4396, "
		"\"zstd\": false}",
		"\"time_ns\": \"1700000000123456789\", \"seq\": 3, "
		"\"stopped\": true, \"incremental\": false",
		"\"rip\": \"0x10001235\"",
		"\"rsp\": \"0x7ffef000\"",
		"\"fs_base\": \"0x20000001\"",
		"\"pending\": {\"state\": \"recv\", \"dest\": \"0x511\"",
		"\"partner_id\": \"0x2a\"",
		"\"irq_slot\": 70",
		"\"timer\": {\"mode\": \"periodic\", \"period_us\": 250000, "
		"\"next_us\": 1200, \"signal\": \"0x77\"}",
		"{\"address\": \"0x10200000\", \"size\": 4096, \"offset\": "
		"4096, \"rights\": \"r--\"}",
		"{\"dataspace\": 9, \"size\": 10000, \"form\": \"runs\", "
		"\"runs\": 1, \"pages\": 2}",
		"\"label\": \"0x2a\", \"role\": \"session\"",
	};
	FILE *f;

	(void)state;
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.err, "");
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!strstr(r.out, want[i]))
			fail_msg("JSON lacks: %s", want[i]);
	assert_int_equal(r.out[r.out_len - 1], '\n');
	/* A JSON parser, where the machine has one. */
	if (system("command -v python3 >/dev/null 2>&1") == 0) {
		assert_non_null(f = fopen("ck.json", "w"));
		fwrite(r.out, 1, r.out_len, f);
		fclose(f);
		assert_int_equal(system("python3 -c 'import json; "
					"d = json.load(open(\"ck.json\")); "
					"assert len(d[\"contents\"]) == 6'"),
				 0);
		unlink("ck.json");
	}
	run_free(&r);
}

static void usage_errors(void **state)
{
	struct run r;

	(void)state;
	r = inspect(NULL, NULL, NULL);
	one_line_error(&r, 2);
	assert_string_equal(r.err, "recap inspect: missing FILE (usage: recap "
				   "inspect FILE [--json])\n");
	run_free(&r);
	r = inspect("--yaml", "ck.img", NULL);
	one_line_error(&r, 2);
	assert_string_equal(r.err, "recap inspect: unknown option --yaml "
				   "(usage: recap inspect FILE [--json])\n");
	run_free(&r);
	r = inspect("ck.img", "ckz.img", NULL);
	one_line_error(&r, 2);
	run_free(&r);
	r = inspect("--help", NULL, NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(strncmp(r.out, "usage: recap inspect FILE [--json]\n",
				 35), 0);
	run_free(&r);
	r = inspect("nothere.img", NULL, NULL);
	one_line_error(&r, 1);
	assert_string_equal(r.err, "recap inspect: nothere.img: cannot open: "
				   "No such file or directory\n");
	run_free(&r);
}

/* A valid image whose threads section holds a thread without registers. */
static void bad_record(void **state)
{
	struct run r;

	(void)state;
	write_bad_record_image("bad.img");
	r = inspect("bad.img", NULL, NULL);
	one_line_error(&r, 1);
	assert_string_equal(r.err, "recap inspect: bad.img: section 0 "
				   "(threads): thread record at byte 0: tag 10 "
				   "(state.fpu) missing\n");
	run_free(&r);
	unlink("bad.img");
}

/* Every byte of the image damaged in turn, and every truncation. */
static void every_corruption(void **state)
{
	size_t len;
	uint8_t *img = file_read("ck.img", &len);

	(void)state;
	for (size_t i = 0; i < len; i++) {
		struct run r;

		img[i] ^= 0x5a;
		file_write("bad.img", img, len);
		img[i] ^= 0x5a;
		r = inspect("bad.img", NULL, NULL);
		one_line_error(&r, 1);
		run_free(&r);
	}
	for (size_t n = 0; n < len; n += 1 + n / 64) {
		struct run r;

		file_write("bad.img", img, n);
		r = inspect("bad.img", NULL, NULL);
		one_line_error(&r, 1);
		run_free(&r);
	}
	unlink("bad.img");
	free(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_listing),
		cmocka_unit_test(compressed_listing),
		cmocka_unit_test(json_document),
		cmocka_unit_test(usage_errors),
		cmocka_unit_test(bad_record),
		cmocka_unit_test(every_corruption),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

/*
 * Tests of `recap diff` (tools/diff.c) on images built here: the sample
 * checkpoint (sample.h) with a capability space of three slots, and
 * variants of it with exactly known changes (enum change), each compared
 * with the original for its exact text (or JSON) output and exit status.
 * Also: identical images, --ignore-ids, both directions (added in one is
 * removed in the other), usage errors, a missing file, a malformed record,
 * and every single-byte corruption of an image (exit 2, one line on
 * stderr, nothing on stdout).
 */
#include "image_test.h"

#include <recap/cr_stream.h>

#include "capspace_record.h"
#include "../caps/caps_test.h"
#include "diff.h"
#include "sample.h"
#include "stream.h"
#include "tool_run.h"

static bool zstd;			/* build() compresses */

/* What a variant changes against the sample. */
enum change {
	C_SLOT_ADD = 1 << 0,	/* slot 0x300: a Timer session gate */
	C_SLOT_DEL = 1 << 1,	/* slot 0x201 (a dataspace) gone */
	C_SLOT_RENAME = 1 << 2,	/* slot 0x200: label 0x2a -> 0x2c, RW -> R */
	C_SLOT_OBJECT = 1 << 3,	/* slot 1: object 3 -> 4, nothing else */
	C_REGS = 1 << 4,	/* thread 0: rip + 0x10, rax 0xdead */
	C_PENDING = 1 << 5,	/* thread 1: receive -> running */
	C_THREAD_ADD = 1 << 6,	/* thread 2 */
	C_TIMER = 1 << 7,	/* session 1: periodic -> once; signal 0x77
				   pending 2 -> 0 */
	C_ATTACH = 1 << 8,	/* dataspace 7's attachment at 0x10200000:
				   r -> rw */
	C_DS_ADD = 1 << 9,	/* dataspace 11 at 0x10400000 */
	C_PAGE = 1 << 10,	/* dataspace 7, page 1: one byte */
	C_META = 1 << 11,	/* target "counter2", incremental */
	C_SES_ADD = 1 << 12,	/* session 6: ROM "config" */
	C_RUNS = 1 << 13,	/* dataspace 9 (sparse, pages 1-2 held): also
				   page 0; page 2's bytes changed */
};

static void put_caps(struct tlv_writer *w, unsigned ch)
{
	struct caps_space cs;
	struct tlv_writer cw;

	caps_init(&cs);
	strcpy(cs.name, "counter");
	add(&cs, 1, L4X_KIND_TASK, CAPS_RIGHTS_ALL,
		 ch & C_SLOT_OBJECT ? 4 : 3, CAPS_NO_LABEL, CAPS_ROLE_TASK, 0, 0, "",
		 "");
	add(&cs, 0x200, L4X_KIND_GATE,
		 ch & C_SLOT_RENAME ? CAPS_R : CAPS_R | CAPS_W, 31,
		 ch & C_SLOT_RENAME ? 0x2c : 0x2a, CAPS_ROLE_SESSION, 0, 0, "LOG",
		 "LOG session 'counter'");
	if (!(ch & C_SLOT_DEL))
		add(&cs, 0x201, L4X_KIND_GATE, CAPS_R | CAPS_W, 33, 0x40,
			 CAPS_ROLE_DATASPACE, 0, 0, "", "");
	if (ch & C_SLOT_ADD)
		add(&cs, 0x300, L4X_KIND_GATE, CAPS_R | CAPS_W, 50, 0x2b,
			 CAPS_ROLE_SESSION, 0, 0, "Timer", "Timer session 'counter'");
	tlv_writer_init(&cw);
	caps_encode(&cs, &cw);
	assert_true(tlv_writer_ok(&cw));
	tlv_put_raw(w, cw.buf, cw.len);
	tlv_writer_free(&cw);
	caps_free(&cs);
}

static void put_threads(struct tlv_writer *w, unsigned ch)
{
	static struct crfmt_thread t;	/* 1.6 KiB: off the stack */

	for (uint32_t i = 0; i < (ch & C_THREAD_ADD ? 3u : 2u); i++) {
		sample_thread(&t, i);
		if (i == 2)
			strcpy(t.name, "worker");
		if (i == 0 && ch & C_REGS) {
			t.state.regs.rip += 0x10;
			t.state.regs.rax = 0xdead;
		}
		if (i == 1 && ch & C_PENDING) {
			t.state.pending.kind = L4X_PENDING_NONE;
			t.state.pending.partner_id = 0;
		}
		crfmt_thread_encode(w, &t);
	}
}

static void put_sessions(struct tlv_writer *w, unsigned ch)
{
	struct crfmt_session s;

	sample_session_timer(&s);
	if (ch & C_TIMER) {
		s.timer.mode = CRFMT_TIMER_ONCE;
		s.timer.next_us = 500;
		s.signals[0].pending = 0;
	}
	crfmt_session_encode(w, &s);
	sample_session_log(&s);
	crfmt_session_encode(w, &s);
	sample_session_ram(&s);
	crfmt_session_encode(w, &s);
	if (ch & C_SES_ADD) {
		crfmt_session_init(&s);
		s.id = 6;
		strcpy(s.service, "ROM");
		s.role = CRFMT_ROLE_CLIENT;
		strcpy(s.label, "config");
		s.has = CRFMT_HAS_ROM;
		strcpy(s.rom.module, "config");
		s.rom.ds = 9;
		crfmt_session_encode(w, &s);
	}
}

static void put_regions(struct tlv_writer *w, unsigned ch)
{
	struct crfmt_ds d;

	sample_ds_ram(&d);
	if (ch & C_ATTACH)
		d.attach[1].rights = CRFMT_R | CRFMT_W;
	crfmt_ds_encode(w, &d);
	sample_ds_rom(&d);
	crfmt_ds_encode(w, &d);
	if (ch & C_DS_ADD) {
		crfmt_ds_init(&d);
		d.id = 11;
		d.size = 4096;
		d.kind = CRFMT_DS_RAM;
		d.writable = 1;
		d.n_attach = 1;
		d.attach[0] = (struct crfmt_attach){ 0x10400000, 0, 4096,
						     CRFMT_R | CRFMT_W };
		crfmt_ds_encode(w, &d);
	}
}

static void put_pages(struct tlv_writer *w, unsigned ch)
{
	static uint8_t zero[4096];
	uint8_t rom_page[10000 - 4096];
	size_t mark;

	sample_fill_ram();
	if (ch & C_PAGE)
		sample_ram[4096 + 100] ^= 1;
	memset(rom_page, 0xab, sizeof(rom_page));
	crfmt_pages_encode(w, 7, sample_ram, SAMPLE_RAM_SIZE);
	mark = crfmt_pages_begin(w, 9, 10000);
	if (ch & C_RUNS) {
		crfmt_pages_run(w, 0, rom_page, 4096);
		memset(rom_page + 4096, 0xac, sizeof(rom_page) - 4096);
	}
	crfmt_pages_run(w, 1, rom_page, sizeof(rom_page));
	crfmt_pages_end(w, mark);
	if (ch & C_DS_ADD)
		crfmt_pages_encode(w, 11, zero, sizeof(zero));
}

/* The sample checkpoint with the changes CH, as image PATH. */
static void build(char const *path, unsigned ch)
{
	static void (*const put[])(struct tlv_writer *, unsigned) = {
		put_caps, put_threads, put_sessions, put_regions, put_pages,
	};
	static uint32_t const type[] = { CR_SEC_CAPSPACE, CR_SEC_THREADS,
		CR_SEC_SESSIONS, CR_SEC_REGIONS, CR_SEC_PAGES };
	struct tlv_writer w;
	struct crfmt_meta m;
	struct image_err err;
	size_t sec;

	sample_writer_init(&w);
	crfmt_stream_begin(&w);
	sec = crfmt_stream_section_begin(&w, CR_SEC_META);
	sample_meta_rec(&m);
	if (ch & C_META) {
		strcpy(m.target, "counter2");
		m.flags |= CRFMT_META_INCREMENTAL;
	}
	m.seq += ch;			/* the checkpoint number: no difference */
	crfmt_meta_encode(&w, &m);
	crfmt_stream_section_end(&w, sec);
	for (size_t i = 0; i < sizeof(put) / sizeof(put[0]); i++) {
		sec = crfmt_stream_section_begin(&w, type[i]);
		put[i](&w, ch);
		crfmt_stream_section_end(&w, sec);
	}
	assert_true(tlv_writer_ok(&w));
	assert_int_equal(image_write_from_stream(path, w.buf, w.len, zstd,
						 &err),
			 IMAGE_OK);
	sample_writer_free(&w);
}

/* Work in a scratch directory; a.img is the sample, a2.img the same again
 * (written separately), az.img the same compressed. */
static int setup(void **state)
{
	(void)state;
	if (scratch_enter())
		return -1;
	build("a.img", 0);
	build("a2.img", 0);
	zstd = true;
	build("az.img", 0);
	zstd = false;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return scratch_leave();
}

/* diff_main with up to four arguments after "diff" (up to the first NULL). */
static struct run diff(char const *a1, char const *a2, char const *a3,
		       char const *a4)
{
	char const *argv[] = { "diff", a1, a2, a3, a4, NULL };

	return tool_run(diff_main, argv);
}

/* b.img = the sample with CH; diff a.img b.img (with OPT) prints WANT. */
static void expect(unsigned ch, char const *opt, int rc, char const *want)
{
	struct run r;

	build("b.img", ch);
	r = diff("a.img", "b.img", opt, NULL);
	assert_string_equal(r.err, "");
	assert_string_equal(r.out, want);
	assert_int_equal(r.rc, rc);
	run_free(&r);
}

static void identical(void **state)
{
	struct run r;

	(void)state;
	r = diff("a.img", "a2.img", NULL, NULL);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out, "identical\n");
	assert_string_equal(r.err, "");
	run_free(&r);
	/* Compression is the container's business, not a difference. */
	r = diff("az.img", "a.img", NULL, NULL);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out, "identical\n");
	run_free(&r);
	r = diff("--json", "a.img", "a.img", NULL);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out, "{\n  \"a\": \"a.img\", \"b\": \"a.img\",\n"
				   "  \"identical\": true, \"differences\": 0,\n"
				   "  \"changes\": []\n}\n");
	run_free(&r);
}

static void capspace(void **state)
{
	(void)state;
	expect(C_SLOT_ADD | C_SLOT_DEL | C_SLOT_RENAME | C_SLOT_OBJECT, NULL, 1,
	       "capspace\n"
	       "  ~ slot 0x1\n"
	       "      object 3 -> 4\n"
	       "  ~ slot 0x200\n"
	       "      rights RW-- -> R---\n"
	       "      label 0x2a -> 0x2c\n"
	       "  - slot 0x201: gate 33 RW-- label 0x40, dataspace\n"
	       "  + slot 0x300: gate 50 RW-- label 0x2b, session Timer: Timer "
	       "session 'counter'\n"
	       "4 differences\n");
	/* Images of different runs: the object id alone is no difference. */
	expect(C_SLOT_OBJECT, "--ignore-ids", 0, "identical\n");
	expect(C_SLOT_OBJECT | C_SLOT_RENAME, "--ignore-ids", 1,
	       "capspace\n"
	       "  ~ slot 0x200\n"
	       "      rights RW-- -> R---\n"
	       "      label 0x2a -> 0x2c\n"
	       "1 difference\n");
}

static void threads(void **state)
{
	struct run r;

	(void)state;
	expect(C_REGS | C_PENDING | C_THREAD_ADD, NULL, 1,
	       "threads\n"
	       "  ~ thread 0 \"main\"\n"
	       "      rax 0x100a -> 0xdead\n"
	       "      rip 0x10001234 -> 0x10001244\n"
	       "  ~ thread 1 \"ep\"\n"
	       "      doing blocked in call: receive from thread 42 -> running\n"
	       "      pending.kind recv -> none\n"
	       "      pending.partner_id 0x2a -> 0x0\n"
	       "  + thread 2: \"worker\" [paused blocked entrypoint], blocked "
	       "in call: receive from thread 42\n"
	       "3 differences\n");
	/* The other way round, the thread is removed. */
	r = diff("b.img", "a.img", NULL, NULL);
	assert_int_equal(r.rc, 1);
	assert_non_null(strstr(r.out, "\n  - thread 2: \"worker\" [paused "
				      "blocked entrypoint], blocked in call: "
				      "receive from thread 42\n"));
	assert_non_null(strstr(r.out, "      rip 0x10001244 -> 0x10001234\n"));
	run_free(&r);
	/* The thread ids in the pending call are kernel object ids. */
	expect(C_PENDING, "--ignore-ids", 1,
	       "threads\n"
	       "  ~ thread 1 \"ep\"\n"
	       "      doing blocked in call: receive from thread 42 -> running\n"
	       "      pending.kind recv -> none\n"
	       "1 difference\n");
}

static void sessions(void **state)
{
	struct run r;

	(void)state;
	expect(C_TIMER | C_SES_ADD, NULL, 1,
	       "sessions\n"
	       "  ~ session 1 Timer\n"
	       "      timer periodic every 250000 us, next in 1200 us, "
	       "signals 0x77 -> once, next in 500 us, signals 0x77\n"
	       "      signal 0x77 thread 1, 2 pending, slot 0x205 -> thread 1, "
	       "0 pending, slot 0x205\n"
	       "  + session 6: ROM (client) label \"config\"\n"
	       "2 differences\n");
	r = diff("b.img", "a.img", NULL, NULL);
	assert_int_equal(r.rc, 1);
	assert_non_null(strstr(r.out, "\n  - session 6: ROM (client) label "
				      "\"config\"\n2 differences\n"));
	run_free(&r);
}

static void meta(void **state)
{
	(void)state;
	expect(C_META, NULL, 1,
	       "meta\n"
	       "  ~ checkpoint\n"
	       "      target \"counter\" -> \"counter2\"\n"
	       "      flags stopped -> stopped, incremental\n"
	       "1 difference\n");
}

static void regions_and_pages(void **state)
{
	struct run r;

	(void)state;
	expect(C_ATTACH | C_DS_ADD | C_PAGE, NULL, 1,
	       "regions\n"
	       "  ~ dataspace at 0x10100000\n"
	       "      attach 0x10200000 0x10200000-0x10201000 r-- offset 0x1000 "
	       "-> 0x10200000-0x10201000 rw- offset 0x1000\n"
	       "  + dataspace at 0x10400000: id 11, ram, 4096 bytes, writable; "
	       "0x10400000-0x10401000 rw- offset 0x0\n"
	       "pages\n"
	       "  ~ dataspace at 0x10100000\n"
	       "      pages 1 of 2 differ: 1\n"
	       "3 differences\n");
	r = diff("b.img", "a.img", NULL, NULL);
	assert_int_equal(r.rc, 1);
	assert_non_null(strstr(r.out, "  - dataspace at 0x10400000: id 11, "));
	run_free(&r);
	/* Sparse pages: one held only by B, one changed, one the same. */
	expect(C_RUNS, NULL, 1,
	       "pages\n"
	       "  ~ dataspace at 0x10300000\n"
	       "      pages 2 of 3 differ: 0, 2\n"
	       "1 difference\n");
	expect(C_RUNS | C_PAGE, "--json", 1,
	       "{\n  \"a\": \"a.img\", \"b\": \"b.img\",\n"
	       "  \"identical\": false, \"differences\": 2,\n"
	       "  \"changes\": [\n"
	       "    {\"section\": \"pages\", \"change\": \"changed\", "
	       "\"what\": \"dataspace at 0x10100000\", \"fields\": ["
	       "{\"field\": \"pages\", \"note\": \"1 of 2 pages differ\"}], "
	       "\"pages\": 1, \"ranges\": [[1, 1]]},\n"
	       "    {\"section\": \"pages\", \"change\": \"changed\", "
	       "\"what\": \"dataspace at 0x10300000\", \"fields\": ["
	       "{\"field\": \"pages\", \"note\": \"2 of 3 pages differ\"}], "
	       "\"pages\": 2, \"ranges\": [[0, 0], [2, 2]]}\n"
	       "  ]\n}\n");
}

static void json(void **state)
{
	struct run r;
	FILE *f;

	(void)state;
	build("b.img", C_SLOT_RENAME | C_DS_ADD | C_PAGE);
	r = diff("a.img", "b.img", "--json", NULL);
	assert_string_equal(r.err, "");
	assert_int_equal(r.rc, 1);
	assert_string_equal(r.out,
		"{\n  \"a\": \"a.img\", \"b\": \"b.img\",\n"
		"  \"identical\": false, \"differences\": 3,\n"
		"  \"changes\": [\n"
		"    {\"section\": \"capspace\", \"change\": \"changed\", "
		"\"what\": \"slot 0x200\", \"fields\": ["
		"{\"field\": \"rights\", \"old\": \"RW--\", \"new\": \"R---\"}, "
		"{\"field\": \"label\", \"old\": \"0x2a\", \"new\": \"0x2c\"}]},\n"
		"    {\"section\": \"regions\", \"change\": \"added\", "
		"\"what\": \"dataspace at 0x10400000\", \"desc\": \"id 11, ram, "
		"4096 bytes, writable; 0x10400000-0x10401000 rw- offset 0x0\"},\n"
		"    {\"section\": \"pages\", \"change\": \"changed\", "
		"\"what\": \"dataspace at 0x10100000\", \"fields\": ["
		"{\"field\": \"pages\", \"note\": \"1 of 2 pages differ\"}], "
		"\"pages\": 1, \"ranges\": [[1, 1]]}\n"
		"  ]\n}\n");
	/* A JSON parser, where the machine has one. */
	if (system("command -v python3 >/dev/null 2>&1") == 0) {
		assert_non_null(f = fopen("d.json", "w"));
		fwrite(r.out, 1, r.out_len, f);
		fclose(f);
		assert_int_equal(system("python3 -c 'import json; "
					"d = json.load(open(\"d.json\")); "
					"assert len(d[\"changes\"]) == 3'"),
				 0);
		unlink("d.json");
	}
	run_free(&r);
	/* Every kind of change at once: still one valid document, as many
	 * changes as the text counts (13: meta 1, capspace 4, threads 3,
	 * sessions 2, regions 2, pages 1). */
	build("b.img", (C_SES_ADD << 1) - 1);	/* all but C_RUNS */
	r = diff("a.img", "b.img", "--json", NULL);
	assert_int_equal(r.rc, 1);
	assert_non_null(strstr(r.out, "\"differences\": 13,"));
	if (system("command -v python3 >/dev/null 2>&1") == 0) {
		assert_non_null(f = fopen("d.json", "w"));
		fwrite(r.out, 1, r.out_len, f);
		fclose(f);
		assert_int_equal(system("python3 -c 'import json; "
					"d = json.load(open(\"d.json\")); "
					"assert len(d[\"changes\"]) == 13'"),
				 0);
		unlink("d.json");
	}
	run_free(&r);
	r = diff("a.img", "b.img", NULL, NULL);
	assert_int_equal(r.rc, 1);
	assert_non_null(strstr(r.out, "\n13 differences\n"));
	run_free(&r);
}

static void usage_errors(void **state)
{
	struct run r;

	(void)state;
	r = diff("a.img", NULL, NULL, NULL);
	one_line_error(&r, 2);
	assert_string_equal(r.err, "recap diff: two images needed (usage: "
				   "recap diff A B [--json] [--ignore-ids])\n");
	run_free(&r);
	r = diff("a.img", "a2.img", "--yaml", NULL);
	one_line_error(&r, 2);
	assert_string_equal(r.err, "recap diff: unknown option --yaml (usage: "
				   "recap diff A B [--json] [--ignore-ids])\n");
	run_free(&r);
	r = diff("a.img", "a2.img", "a.img", NULL);
	one_line_error(&r, 2);
	run_free(&r);
	r = diff("--help", NULL, NULL, NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(strncmp(r.out, "usage: recap diff A B [--json] "
				       "[--ignore-ids]\n", 46), 0);
	run_free(&r);
	r = diff("a.img", "nothere.img", NULL, NULL);
	one_line_error(&r, 2);
	assert_string_equal(r.err, "recap diff: nothere.img: cannot open: "
				   "No such file or directory\n");
	run_free(&r);
}

/* A valid image whose threads section holds a thread without registers. */
static void bad_record(void **state)
{
	struct run r;

	(void)state;
	write_bad_record_image("bad.img");
	r = diff("a.img", "bad.img", NULL, NULL);
	one_line_error(&r, 2);
	assert_string_equal(r.err, "recap diff: bad.img: section 0 (threads): "
				   "thread record at byte 0: tag 10 (state.fpu) "
				   "missing\n");
	run_free(&r);
	unlink("bad.img");
}

/* Every byte of the image damaged in turn (the image layer's message),
 * either side; and one exact message. */
static void every_corruption(void **state)
{
	size_t len;
	uint8_t *img = file_read("a.img", &len);
	struct run r;

	(void)state;
	for (size_t i = 0; i < len; i++) {
		img[i] ^= 0x5a;
		file_write("bad.img", img, len);
		img[i] ^= 0x5a;
		r = i % 2 ? diff("bad.img", "a.img", NULL, NULL)
			  : diff("a.img", "bad.img", "--json", NULL);
		one_line_error(&r, 2);
		assert_int_equal(strncmp(r.err, "recap diff: bad.img: ", 21), 0);
		run_free(&r);
	}
	img[0] ^= 0x5a;
	file_write("bad.img", img, len);
	r = diff("bad.img", "a.img", NULL, NULL);
	one_line_error(&r, 2);
	assert_string_equal(r.err, "recap diff: bad.img: not a recap image "
				   "(bad magic)\n");
	run_free(&r);
	unlink("bad.img");
	free(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(identical),
		cmocka_unit_test(capspace),
		cmocka_unit_test(threads),
		cmocka_unit_test(sessions),
		cmocka_unit_test(meta),
		cmocka_unit_test(regions_and_pages),
		cmocka_unit_test(json),
		cmocka_unit_test(usage_errors),
		cmocka_unit_test(bad_record),
		cmocka_unit_test(every_corruption),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

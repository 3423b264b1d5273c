/*
 * Unit tests for cr/capspace_images (`recap inspect --check-against ORIG
 * RESTORED`): two real image files, each with a capspace section; the
 * exact output and exit status for an equivalent restore, translated
 * labels (consistent, inconsistent, of a label the component serves), a
 * missing or wrong new parent, slots used on one side only, a kind
 * changed, one object become two; unreadable images and bad usage, each
 * one line on stderr and nothing on stdout.
 */
#include "caps_test.h"

#include <stdlib.h>
#include <unistd.h>

#include "capspace_images.h"

static char tmp_dir[256];
static char orig_img[300], rest_img[300], meta_img[300];

static int setup(void **state)
{
	char const *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	(void)state;

	snprintf(tmp_dir, sizeof(tmp_dir), "%s/recap-capimg-XXXXXX", base);
	if (!mkdtemp(tmp_dir))
		return -1;
	snprintf(orig_img, sizeof(orig_img), "%s/orig.img", tmp_dir);
	snprintf(rest_img, sizeof(rest_img), "%s/rest.img", tmp_dir);
	snprintf(meta_img, sizeof(meta_img), "%s/meta.img", tmp_dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(orig_img);
	unlink(rest_img);
	unlink(meta_img);
	return rmdir(tmp_dir);
}

/* ---- helpers --------------------------------------------------- */

static void write_image(char const *path, struct caps_space const *cs)
{
	struct image_writer *w;
	struct image_err ierr;
	struct caps_err err;

	assert_int_equal(image_writer_open(path, 0, &w, &ierr), IMAGE_OK);
	assert_int_equal(image_writer_section(w, IMAGE_SEC_META, "m", 1),
			 IMAGE_OK);
	if (cs)
		assert_int_equal(caps_write(w, cs, &err), CAPS_OK);
	assert_int_equal(image_writer_commit(w), IMAGE_OK);
}

/* The sample as a checkpoint of the restored component shows it: new
 * objects (old + 100; the third party's factory the same), slot 8 the new
 * parent, cr's roles as before. */
static void restored(struct caps_space *cs)
{
	restored_capture(cs, true);
}

/* The entry at slot, to change it. */
static struct caps_entry *at(struct caps_space *cs, uint64_t slot)
{
	struct caps_entry *e = (struct caps_entry *)caps_find(cs, slot);

	assert_non_null(e);
	return e;
}

struct run {
	int rc;
	char *out, *err;
	size_t out_len, err_len;
};

static struct run run_argv(int argc, char **argv)
{
	struct run r;
	FILE *out = open_memstream(&r.out, &r.out_len);
	FILE *err = open_memstream(&r.err, &r.err_len);

	assert_non_null(out);
	assert_non_null(err);
	r.rc = caps_images_main(argc, argv, out, err);
	fclose(out);
	fclose(err);
	return r;
}

/* Write both spaces, compare them, expect rc and out exactly, no err. */
static void expect(struct caps_space *o, struct caps_space *r, int rc,
		   char const *out)
{
	char *argv[] = { "inspect", "--check-against", orig_img, rest_img, NULL };
	struct run res;

	write_image(orig_img, o);
	write_image(rest_img, r);
	res = run_argv(4, argv);
	assert_string_equal(res.out, out);
	assert_string_equal(res.err, "");
	assert_int_equal(res.rc, rc);
	free(res.out);
	free(res.err);
	caps_free(o);
	caps_free(r);
}

/* One line on stderr exactly, nothing on stdout, exit rc. */
static void expect_error(int argc, char **argv, int rc, char const *err)
{
	struct run res = run_argv(argc, argv);

	assert_string_equal(res.out, "");
	assert_string_equal(res.err, err);
	assert_int_equal(res.rc, rc);
	free(res.out);
	free(res.err);
}

/* ---- tests ------------------------------------------------------- */

static void equivalent(void **state)
{
	struct caps_space o, r;
	(void)state;

	sample_space(&o);
	restored(&r);
	expect(&o, &r, 0, "equivalent: 9 slots, 0 labels translated\n");
}

/* The LOG session (two slots) and the parent under new labels: the
 * component only calls them. */
static void translated(void **state)
{
	struct caps_space o, r;
	(void)state;

	sample_space(&o);
	restored(&r);
	at(&r, 0x200)->label = 0x2e;
	at(&r, 0x201)->label = 0x2e;
	at(&r, 8)->label = 0x1004;
	expect(&o, &r, 0, "equivalent: 9 slots, 2 labels translated\n");

	sample_space(&o);
	restored(&r);
	at(&r, 10)->label = 0x10a;	/* the pager: core's */
	expect(&o, &r, 0, "equivalent: 9 slots, 1 label translated\n");
}

/* One object's label translated two ways. */
static void inconsistent(void **state)
{
	struct caps_space o, r;
	(void)state;

	sample_space(&o);
	restored(&r);
	at(&r, 0x200)->label = 0x2e;
	at(&r, 0x201)->label = 0x32;
	expect(&o, &r, 1, "slot 0x201: label 0x2a before (translated: 0x2e), "
	       "0x32 after restore\n1 difference\n");
}

/* Labels the component serves come back exactly, even where another
 * slot's translation would cover them. */
static void served(void **state)
{
	struct caps_space o, r;
	(void)state;

	sample_space(&o);
	restored(&r);
	at(&r, 9)->label = 0xd;
	at(&r, 0x202)->label = 0x45;
	expect(&o, &r, 1, "slot 0x9: label 0x9 before, 0xd after restore\n"
	       "slot 0x202: label 0x5 before, 0x45 after restore\n"
	       "2 differences\n");

	sample_space(&o);
	restored(&r);
	add(&o, 0x204, L4X_KIND_GATE, RWS, 41, 0x5, CAPS_ROLE_SESSION, 0, 0,
	    "Timer", "");
	add(&r, 0x204, L4X_KIND_GATE, RWS, 141, 0x45, CAPS_ROLE_SESSION, 0, 0,
	    "Timer", "");
	at(&r, 0x202)->label = 0x45;
	expect(&o, &r, 1, "slot 0x202: label 0x5 before, 0x45 after restore "
	       "(the component serves it)\n1 difference\n");
}

static void parent(void **state)
{
	struct caps_space o, r;
	(void)state;

	/* cr did not see its parent object anywhere. */
	sample_space(&o);
	restored(&r);
	at(&r, 8)->role = CAPS_ROLE_UNKNOWN;
	expect(&o, &r, 1, "no slot names the new parent (no slot of role "
	       "parent after restore)\n1 difference\n");

	/* Slot 8 names another object than the parent. */
	sample_space(&o);
	restored(&r);
	at(&r, 8)->role = CAPS_ROLE_UNKNOWN;
	add(&r, 0x204, L4X_KIND_GATE, RWS, 151, 0x1000, CAPS_ROLE_PARENT, 0, 0,
	    "", "");
	expect(&o, &r, 1, "slot 0x204: empty before, used after restore "
	       "(gate, object 151)\n"
	       "slot 0x8: names object 150 after restore, not the new parent "
	       "(object 151)\n2 differences\n");
}

static void slots_objects(void **state)
{
	struct caps_space o, r;
	(void)state;

	sample_space(&o);
	restored(&r);
	at(&r, 0x203)->kind = L4X_KIND_IRQ;
	at(&r, 0x201)->object = 177;
	at(&r, 0x200)->rights = RW | CAPS_S;
	expect(&o, &r, 1, "slot 0x200: rights RW-- before, RWS- after restore\n"
	       "slot 0x203: kind factory before, irq after restore\n"
	       "slots 0x200 and 0x201: named one object (31) before, two (131 "
	       "and 177) after restore\n3 differences\n");
}

static void readable(void **state)
{
	struct caps_space o;
	char *argv[] = { "inspect", "--check-against", orig_img, rest_img, NULL };
	char *nofile[] = { "inspect", "--check-against", orig_img,
			   "nothere.img", NULL };
	char msg[700];
	(void)state;

	sample_space(&o);
	write_image(orig_img, &o);
	write_image(rest_img, NULL);
	caps_free(&o);
	snprintf(msg, sizeof(msg), "recap inspect: %s: no capspace section 0 "
		 "(the image has 0)\n", rest_img);
	expect_error(4, argv, 1, msg);
	expect_error(4, nofile, 1, "recap inspect: nothere.img: cannot open: "
		     "No such file or directory\n");
	/* Not an image at all. */
	FILE *f = fopen(rest_img, "w");

	assert_non_null(f);
	fputs("<config/>\n", f);
	fclose(f);
	snprintf(msg, sizeof(msg), "recap inspect: %s: not a recap image "
		 "(bad magic)\n", rest_img);
	expect_error(4, argv, 1, msg);
}

static void usage(void **state)
{
	char *missing_orig[] = { "inspect", "--check-against", NULL };
	char *missing_rest[] = { "inspect", "--check-against", "a.img", NULL };
	char *twice[] = { "inspect", "--check-against", "a.img",
			  "--check-against", "b.img", NULL };
	char *extra[] = { "inspect", "--check-against", "a.img", "b.img",
			  "c.img", NULL };
	char *json[] = { "inspect", "--json", "--check-against", "a.img",
			 "b.img", NULL };
	char const *u = " (usage: recap inspect --check-against ORIG RESTORED)\n";
	char msg[200];
	(void)state;

	snprintf(msg, sizeof(msg), "recap inspect: missing ORIG%s", u);
	expect_error(2, missing_orig, 2, msg);
	snprintf(msg, sizeof(msg), "recap inspect: missing RESTORED%s", u);
	expect_error(3, missing_rest, 2, msg);
	snprintf(msg, sizeof(msg), "recap inspect: unexpected argument "
		 "--check-against%s", u);
	expect_error(5, twice, 2, msg);
	snprintf(msg, sizeof(msg), "recap inspect: unexpected argument c.img%s",
		 u);
	expect_error(5, extra, 2, msg);
	snprintf(msg, sizeof(msg), "recap inspect: unknown option --json%s", u);
	expect_error(5, json, 2, msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(equivalent),
		cmocka_unit_test(translated),
		cmocka_unit_test(inconsistent),
		cmocka_unit_test(served),
		cmocka_unit_test(parent),
		cmocka_unit_test(slots_objects),
		cmocka_unit_test(readable),
		cmocka_unit_test(usage),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

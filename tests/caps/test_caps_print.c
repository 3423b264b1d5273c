/*
 * Unit tests for cr/capspace_print: the exact text and JSON listings of the
 * sample space, of an empty one, and of one whose strings, kind and role
 * this build cannot trust or does not know; role descriptions; a write
 * error is reported.
 */
#include "caps_test.h"

#include <stdlib.h>

#include "capspace_print.h"

/* What PRINT writes for CS, as a malloc'd string. */
static char *print(int (*fn)(FILE *, struct caps_space const *),
		   struct caps_space const *cs)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(fn(f, cs), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void prints(int (*fn)(FILE *, struct caps_space const *),
		   struct caps_space const *cs, char const *want)
{
	char *got = print(fn, cs);

	if (strcmp(got, want))
		fail_msg("want:\n%s\ngot:\n%s", want, got);
	free(got);
}

static char const sample_text[] =
	"capspace hello: 9 slots\n"
	"slot     kind     object   rights  label              role\n"
	"0x001    task     3        RWSD    none               own task\n"
	"0x008    gate     12       RWS-    0x1000             parent\n"
	"0x009    gate     20       RWS-    0x9                thread 0 gate\n"
	"0x00a    gate     21       RWS-    0xa                thread 0 pager\n"
	"0x00b    irq      22       RWS-    0x0                thread 0 irq\n"
	"0x200    gate     31       RW--    0x2a               session LOG: "
	"LOG session 'hello'\n"
	"0x201    gate     31       RW--    0x2a               session LOG\n"
	"0x202    gate     40       RWS-    0x5                entrypoint 1, "
	"badge 0x5\n"
	"0x203    factory  2        RWS-    none               unknown\n";

static char const sample_json[] =
	"{\n"
	"  \"name\": \"hello\",\n"
	"  \"slots\": [\n"
	"    {\"slot\": 1, \"kind\": \"task\", \"object\": 3, \"rights\": "
	"\"RWSD\", \"label\": null, \"role\": \"task\"},\n"
	"    {\"slot\": 8, \"kind\": \"gate\", \"object\": 12, \"rights\": "
	"\"RWS\", \"label\": \"0x1000\", \"role\": \"parent\"},\n"
	"    {\"slot\": 9, \"kind\": \"gate\", \"object\": 20, \"rights\": "
	"\"RWS\", \"label\": \"0x9\", \"role\": \"thread-gate\", "
	"\"thread\": 0},\n"
	"    {\"slot\": 10, \"kind\": \"gate\", \"object\": 21, \"rights\": "
	"\"RWS\", \"label\": \"0xa\", \"role\": \"thread-pager\", "
	"\"thread\": 0},\n"
	"    {\"slot\": 11, \"kind\": \"irq\", \"object\": 22, \"rights\": "
	"\"RWS\", \"label\": \"0x0\", \"role\": \"thread-irq\", "
	"\"thread\": 0},\n"
	"    {\"slot\": 512, \"kind\": \"gate\", \"object\": 31, \"rights\": "
	"\"RW\", \"label\": \"0x2a\", \"role\": \"session\", \"service\": "
	"\"LOG\", \"detail\": \"LOG session 'hello'\"},\n"
	"    {\"slot\": 513, \"kind\": \"gate\", \"object\": 31, \"rights\": "
	"\"RW\", \"label\": \"0x2a\", \"role\": \"session\", \"service\": "
	"\"LOG\"},\n"
	"    {\"slot\": 514, \"kind\": \"gate\", \"object\": 40, \"rights\": "
	"\"RWS\", \"label\": \"0x5\", \"role\": \"ep-gate\", \"thread\": 1, "
	"\"badge\": \"0x5\"},\n"
	"    {\"slot\": 515, \"kind\": \"factory\", \"object\": 2, \"rights\": "
	"\"RWS\", \"label\": null, \"role\": \"unknown\"}\n"
	"  ]\n"
	"}\n";

static void test_sample(void **state)
{
	struct caps_space cs;
	(void)state;

	sample_space(&cs);
	prints(caps_print_text, &cs, sample_text);
	prints(caps_print_json, &cs, sample_json);
	caps_free(&cs);
}

static void test_empty_and_one(void **state)
{
	struct caps_space cs;
	(void)state;

	caps_init(&cs);
	prints(caps_print_text, &cs,
	       "capspace: 0 slots\n"
	       "slot     kind     object   rights  label              role\n");
	prints(caps_print_json, &cs,
	       "{\n  \"name\": \"\",\n  \"slots\": []\n}\n");

	add(&cs, 0xfffff, L4X_KIND_THREAD, CAPS_R, 123456789012ull,
	    0xfedcba9876543210ull, CAPS_ROLE_THREAD, 127, 0, "", "");
	prints(caps_print_text, &cs,
	       "capspace: 1 slot\n"
	       "slot     kind     object   rights  label              role\n"
	       "0xfffff  thread   123456789012 R---    0xfedcba9876543210 "
	       "thread 127\n");
	prints(caps_print_json, &cs,
	       "{\n  \"name\": \"\",\n  \"slots\": [\n"
	       "    {\"slot\": 1048575, \"kind\": \"thread\", \"object\": "
	       "123456789012, \"rights\": \"R\", \"label\": "
	       "\"0xfedcba9876543210\", \"role\": \"thread\", \"thread\": "
	       "127}\n  ]\n}\n");
	caps_free(&cs);
}

/* Strings from an image are escaped; unknown kinds and roles shown as
 * numbers; fields a role does not use still shown when set. */
static void test_untrusted(void **state)
{
	struct caps_space cs;
	(void)state;

	caps_init(&cs);
	snprintf(cs.name, sizeof(cs.name), "a\"b\\c\n");
	add(&cs, 0x300, 9, 0, 7, CAPS_NO_LABEL, 200, 3, 0x77, "",
	    "\x1b[31mred\xff \xc3\xa9\t\x7f\xed\xa0\x80\xc0\xaf");
	prints(caps_print_text, &cs,
	       "capspace a\"b\\c\\x0a: 1 slot\n"
	       "slot     kind     object   rights  label              role\n"
	       "0x300    kind 9   7        ----    none               "
	       "role 200: \\x1b[31mred\\xff \xc3\xa9\\x09\\x7f\\xed\\xa0"
	       "\\x80\\xc0\\xaf\n");
	prints(caps_print_json, &cs,
	       "{\n  \"name\": \"a\\\"b\\\\c\\n\",\n  \"slots\": [\n"
	       "    {\"slot\": 768, \"kind\": \"kind 9\", \"object\": 7, "
	       "\"rights\": \"\", \"label\": null, \"role\": \"role 200\", "
	       "\"thread\": 3, \"badge\": \"0x77\", \"detail\": "
	       "\"\\u001b[31mred\\ufffd \xc3\xa9\\t\\u007f\\ufffd\\ufffd"
	       "\\ufffd\\ufffd\\ufffd\"}\n  ]\n}\n");
	caps_free(&cs);
}

static void test_describe(void **state)
{
	struct caps_entry e;
	char buf[64];
	(void)state;

	caps_entry_init(&e);
	e.role = CAPS_ROLE_SESSION;
	caps_describe(&e, buf, sizeof(buf));
	assert_string_equal(buf, "session");
	snprintf(e.service, sizeof(e.service), "ROM");
	snprintf(e.detail, sizeof(e.detail), "ROM session 'config'");
	caps_describe(&e, buf, sizeof(buf));
	assert_string_equal(buf, "session ROM: ROM session 'config'");
	caps_describe(&e, buf, 12);
	assert_string_equal(buf, "session ROM");
	caps_describe(&e, buf, 5);
	assert_string_equal(buf, "sess");

	caps_entry_init(&e);
	e.role = CAPS_ROLE_DATASPACE;
	caps_describe(&e, buf, sizeof(buf));
	assert_string_equal(buf, "dataspace");
	e.role = CAPS_ROLE_REGION_MAP;
	caps_describe(&e, buf, sizeof(buf));
	assert_string_equal(buf, "region map");
	e.role = CAPS_ROLE_SIGNAL_SOURCE;
	caps_describe(&e, buf, sizeof(buf));
	assert_string_equal(buf, "signal source");
	e.role = CAPS_ROLE_SIGNAL_CONTEXT;
	snprintf(e.detail, sizeof(e.detail), "timer");
	caps_describe(&e, buf, sizeof(buf));
	assert_string_equal(buf, "signal context: timer");

	/* An entrypoint gate, and one whose thread was killed. */
	caps_entry_init(&e);
	e.role = CAPS_ROLE_EP_GATE;
	e.thread = 2;
	e.badge = 0x10040;
	caps_describe(&e, buf, sizeof(buf));
	assert_string_equal(buf, "entrypoint 2, badge 0x10040");
	e.thread = CAPS_THREAD_GONE;
	caps_describe(&e, buf, sizeof(buf));
	assert_string_equal(buf, "entrypoint gone, badge 0x10040");
}

static void test_write_error(void **state)
{
	struct caps_space cs;
	FILE *f = fopen("/dev/full", "w");
	(void)state;

	if (!f)
		skip();
	sample_space(&cs);
	assert_int_equal(caps_print_text(f, &cs), -1);
	clearerr(f);
	assert_int_equal(caps_print_json(f, &cs), -1);
	fclose(f);
	caps_free(&cs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample),
		cmocka_unit_test(test_empty_and_one),
		cmocka_unit_test(test_untrusted),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_write_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

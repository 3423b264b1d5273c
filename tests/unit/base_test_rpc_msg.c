/*
 * Unit tests for lib/base/rpc_msg.c (recap/rpc_msg.h): the wire format of
 * recap/rpc_wire.h, built and read over a plain array of message
 * registers. Messages are built, then "delivered" by a fake kernel that
 * does what recapd does to map items (rewrites each object item's control
 * word with the receive slot it used), then read back. The reader's checks
 * get one test each, with the malformed message a hostile sender could
 * send.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <l4/sys/consts.h>
#include <l4/sys/utcb.h>

#include <recap/err.h>
#include <recap/rpc_msg.h>

#define WINDOW (0x300UL << L4_CAP_SHIFT)	/* receiver's window selector */

static l4_umword_t mr[L4_UTCB_GENERIC_DATA_SIZE];

static struct recap_cap cap(recap_badge_t badge, unsigned long slot)
{
	return (struct recap_cap){ .badge = badge, .sel = slot << L4_CAP_SHIFT };
}

/* What the kernel does to the items: each object item uses the next
 * receive buffer; empty_mask bit k: item k's source slot was empty. */
static void deliver(l4_msgtag_t tag, unsigned empty_mask)
{
	unsigned words = l4_msgtag_words(tag);

	for (unsigned k = 0; k < l4_msgtag_items(tag); k++)
		mr[words + 2 * k] = (WINDOW + ((l4_umword_t)k << L4_CAP_SHIFT)) |
				    L4_ITEM_MAP | ((empty_mask >> k) & 1 ? 2 : 0);
}

static void setup_words(void)
{
	memset(mr, 0xa5, sizeof(mr));
}

static void test_call_layout(void **state)
{
	struct recap_cap caps[2] = { cap(0x100, 0x210), recap_cap_invalid() };
	struct rpc_msg m;
	l4_msgtag_t tag;

	(void)state;
	setup_words();
	rpc_msg_start(&m, mr, 0x40, caps, 2);
	rpc_msg_put_word(&m, 7);
	rpc_msg_put_word(&m, 99);
	assert_int_equal(rpc_msg_finish(&m, &tag), RECAP_OK);
	assert_int_equal(l4_msgtag_words(tag), 6);
	assert_int_equal(l4_msgtag_items(tag), 1);
	assert_int_equal(l4_msgtag_label(tag), 0);
	assert_int_equal(mr[0], 0x40);
	assert_int_equal(mr[1], 2);
	assert_int_equal(mr[2], 0x100);
	assert_int_equal(mr[3], RECAP_BADGE_INVALID);
	assert_int_equal(mr[4], 7);
	assert_int_equal(mr[5], 99);
	assert_int_equal(mr[6], L4_ITEM_MAP);
	assert_int_equal(mr[7], l4_obj_fpage(0x210UL << L4_CAP_SHIFT, 0,
					     L4_FPAGE_RWX).raw);
}

static void test_round_trip(void **state)
{
	struct recap_cap caps[3] = { cap(0x100, 0x210), recap_cap_invalid(),
				     cap(0x204, 0x211) };
	char buf[64];
	struct rpc_msg m;
	l4_msgtag_t tag;

	(void)state;
	setup_words();
	rpc_msg_start(&m, mr, 0x40, caps, 3);
	rpc_msg_put_word(&m, 1);
	rpc_msg_put_string(&m, "LOG", 3);
	rpc_msg_put_string(&m, "label=\"exactly 16\"", 18);
	rpc_msg_put_string(&m, "", 0);
	assert_int_equal(rpc_msg_finish(&m, &tag), RECAP_OK);
	deliver(tag, 0);

	assert_int_equal(rpc_msg_parse(&m, mr, tag, WINDOW), RECAP_OK);
	assert_int_equal(rpc_msg_head(&m), 0x40);
	assert_int_equal(m.ncaps, 3);
	assert_int_equal(m.caps[0].badge, 0x100);
	assert_int_equal(m.caps[0].sel, WINDOW);
	assert_false(recap_cap_valid(m.caps[1]));
	assert_int_equal(m.caps[2].badge, 0x204);
	assert_int_equal(m.caps[2].sel, WINDOW + L4_CAP_OFFSET);
	assert_int_equal(rpc_msg_get_word(&m), 1);
	assert_int_equal(rpc_msg_get_string(&m, buf, sizeof(buf)), 3);
	assert_string_equal(buf, "LOG");
	assert_int_equal(rpc_msg_get_string(&m, buf, sizeof(buf)), 18);
	assert_string_equal(buf, "label=\"exactly 16\"");
	assert_int_equal(rpc_msg_get_string(&m, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	assert_int_equal(rpc_msg_end(&m), RECAP_OK);
}

static void test_longest_string_fits(void **state)
{
	char s[RECAP_RPC_MAX_STRING], buf[RECAP_RPC_MAX_STRING + 1];
	struct rpc_msg m;
	l4_msgtag_t tag;

	(void)state;
	for (size_t i = 0; i < sizeof(s); i++)
		s[i] = (char)('a' + i % 26);
	rpc_msg_start(&m, mr, 0x40, NULL, 0);
	rpc_msg_put_word(&m, 1);
	rpc_msg_put_string(&m, s, sizeof(s));
	assert_int_equal(rpc_msg_finish(&m, &tag), RECAP_OK);
	assert_int_equal(rpc_msg_parse(&m, mr, tag, L4_INVALID_CAP), RECAP_OK);
	rpc_msg_get_word(&m);
	assert_int_equal(rpc_msg_get_string(&m, buf, sizeof(buf)), sizeof(s));
	assert_memory_equal(buf, s, sizeof(s));
	assert_int_equal(rpc_msg_end(&m), RECAP_OK);
}

static void test_write_errors_are_sticky(void **state)
{
	char s[RECAP_RPC_MAX_STRING + 1];
	struct rpc_msg m;
	l4_msgtag_t tag = l4_msgtag(0x77, 0, 0, 0);

	(void)state;
	memset(s, 'x', sizeof(s));
	rpc_msg_start(&m, mr, 0x40, NULL, 0);
	rpc_msg_put_string(&m, s, sizeof(s));	/* one byte too long */
	rpc_msg_put_word(&m, 1);
	assert_int_equal(rpc_msg_finish(&m, &tag), RECAP_ERR_RANGE);
	assert_int_equal(l4_msgtag_label(tag), 0x77);	/* untouched */

	rpc_msg_start(&m, mr, 0x40, NULL, 0);
	rpc_msg_put_string(&m, "a\0b", 3);
	assert_int_equal(rpc_msg_finish(&m, &tag), RECAP_ERR_INVAL);
}

static void test_write_room_counts_items(void **state)
{
	struct recap_cap caps[4] = { cap(4, 0x210), cap(8, 0x211), cap(12, 0x212),
				     cap(16, 0x213) };
	struct rpc_msg m;
	l4_msgtag_t tag;
	unsigned words = 2 + 4;

	(void)state;
	rpc_msg_start(&m, mr, 0x40, caps, 4);
	/* 63 registers, 8 of them for the four items: 55 words fit. */
	while (words < L4_UTCB_GENERIC_DATA_SIZE - 8) {
		rpc_msg_put_word(&m, words);
		words++;
	}
	assert_int_equal(rpc_msg_finish(&m, &tag), RECAP_OK);
	assert_int_equal(l4_msgtag_words(tag) + 2 * l4_msgtag_items(tag),
			 L4_UTCB_GENERIC_DATA_SIZE);
	rpc_msg_put_word(&m, 0);
	assert_int_equal(rpc_msg_finish(&m, &tag), RECAP_ERR_RANGE);
}

static void test_too_many_caps_to_send(void **state)
{
	struct recap_cap caps[5] = { cap(4, 0x210), cap(8, 0x211), cap(12, 0x212),
				     cap(16, 0x213), cap(20, 0x214) };
	struct rpc_msg m;
	l4_msgtag_t tag;

	(void)state;
	rpc_msg_start(&m, mr, 0x40, caps, 5);
	assert_int_equal(rpc_msg_finish(&m, &tag), RECAP_ERR_INVAL);
}

/* A hand-made message: words as given, no items. */
static l4_msgtag_t raw(unsigned n, ...)
{
	va_list ap;

	va_start(ap, n);
	for (unsigned i = 0; i < n; i++)
		mr[i] = va_arg(ap, l4_umword_t);
	va_end(ap);
	return l4_msgtag(0, n, 0, 0);
}

static void test_parse_refuses_short_headers(void **state)
{
	struct rpc_msg m;

	(void)state;
	assert_int_equal(rpc_msg_parse(&m, mr, raw(0), WINDOW), RECAP_ERR_INVAL);
	assert_int_equal(rpc_msg_parse(&m, mr, raw(1, 0x40UL), WINDOW),
			 RECAP_ERR_INVAL);
	/* Claims 2 caps but carries only one badge. */
	assert_int_equal(rpc_msg_parse(&m, mr, raw(3, 0x40UL, 2UL, ~0UL), WINDOW),
			 RECAP_ERR_INVAL);
	assert_int_equal(rpc_msg_parse(&m, mr, raw(2, 0x40UL, 5UL), WINDOW),
			 RECAP_ERR_INVAL);
	assert_int_equal(rpc_msg_parse(&m, mr, raw(2, 0x40UL, ~0UL), WINDOW),
			 RECAP_ERR_INVAL);
	/* The minimum: head and no caps. */
	assert_int_equal(rpc_msg_parse(&m, mr, raw(2, 0x40UL, 0UL), WINDOW),
			 RECAP_OK);
	assert_int_equal(rpc_msg_end(&m), RECAP_OK);
}

static void test_parse_refuses_beyond_registers(void **state)
{
	struct rpc_msg m;

	(void)state;
	raw(2, 0x40UL, 0UL);
	assert_int_equal(rpc_msg_parse(&m, mr, l4_msgtag(0, 62, 1, 0), WINDOW),
			 RECAP_ERR_INVAL);
}

static void test_parse_refuses_bad_badges(void **state)
{
	struct rpc_msg m;
	l4_msgtag_t tag;

	(void)state;
	/* Badge 0, and a badge with rights bits set. */
	raw(3, 0x40UL, 1UL, 0UL);
	tag = l4_msgtag(0, 3, 1, 0);
	mr[3] = WINDOW | L4_ITEM_MAP;
	mr[4] = l4_obj_fpage(0x1000, 0, L4_FPAGE_RWX).raw;
	assert_int_equal(rpc_msg_parse(&m, mr, tag, WINDOW), RECAP_ERR_INVAL);
	mr[2] = 0x41;
	assert_int_equal(rpc_msg_parse(&m, mr, tag, WINDOW), RECAP_ERR_INVAL);
	mr[2] = 0x44;
	assert_int_equal(rpc_msg_parse(&m, mr, tag, WINDOW), RECAP_OK);
}

static void test_parse_needs_one_item_per_valid_badge(void **state)
{
	struct rpc_msg m;

	(void)state;
	/* A valid badge without an item. */
	assert_int_equal(rpc_msg_parse(&m, mr, raw(3, 0x40UL, 1UL, 0x44UL), WINDOW),
			 RECAP_ERR_INVAL);
	/* An item without a valid badge. */
	raw(3, 0x40UL, 1UL, ~0UL);
	mr[3] = WINDOW | L4_ITEM_MAP;
	mr[4] = l4_obj_fpage(0x1000, 0, L4_FPAGE_RWX).raw;
	assert_int_equal(rpc_msg_parse(&m, mr, l4_msgtag(0, 3, 1, 0), WINDOW),
			 RECAP_ERR_INVAL);
}

/*
 * Items the kernel skipped (not object items) keep the words the sender
 * wrote: a sender may write what looks like a return item for any slot.
 */
static void test_parse_refuses_forged_items(void **state)
{
	struct rpc_msg m;
	l4_msgtag_t tag = l4_msgtag(0, 3, 1, 0);

	(void)state;
	raw(3, 0x40UL, 1UL, 0x44UL);
	/* A memory flexpage: skipped by the kernel, control word forged. */
	mr[3] = WINDOW | L4_ITEM_MAP;
	mr[4] = l4_fpage(0x10000000, 12, L4_FPAGE_RW).raw;
	assert_int_equal(rpc_msg_parse(&m, mr, tag, WINDOW), RECAP_ERR_INVAL);
	/* An object item naming another slot than the window's. */
	mr[3] = (1UL << L4_CAP_SHIFT) | L4_ITEM_MAP;
	mr[4] = l4_obj_fpage(0x1000, 0, L4_FPAGE_RWX).raw;
	assert_int_equal(rpc_msg_parse(&m, mr, tag, WINDOW), RECAP_ERR_INVAL);
	/* A control word without L4_ITEM_MAP: the kernel skipped it. */
	mr[3] = WINDOW;
	assert_int_equal(rpc_msg_parse(&m, mr, tag, WINDOW), RECAP_ERR_INVAL);
	/* No window armed: no item can have been delivered. */
	mr[3] = WINDOW | L4_ITEM_MAP;
	assert_int_equal(rpc_msg_parse(&m, mr, tag, L4_INVALID_CAP),
			 RECAP_ERR_INVAL);
	assert_int_equal(rpc_msg_parse(&m, mr, tag, WINDOW), RECAP_OK);
}

static void test_parse_empty_source_reads_invalid(void **state)
{
	struct recap_cap caps[2] = { cap(0x100, 0x210), cap(0x104, 0x211) };
	struct rpc_msg m;
	l4_msgtag_t tag;

	(void)state;
	rpc_msg_start(&m, mr, 0x40, caps, 2);
	assert_int_equal(rpc_msg_finish(&m, &tag), RECAP_OK);
	deliver(tag, 1);	/* the first one's slot was empty */
	assert_int_equal(rpc_msg_parse(&m, mr, tag, WINDOW), RECAP_OK);
	assert_false(recap_cap_valid(m.caps[0]));
	assert_int_equal(m.caps[1].badge, 0x104);
	assert_int_equal(m.caps[1].sel, WINDOW + L4_CAP_OFFSET);
}

static void test_get_past_the_end(void **state)
{
	struct rpc_msg m;
	char buf[8];

	(void)state;
	assert_int_equal(rpc_msg_parse(&m, mr, raw(3, 0x40UL, 0UL, 5UL), WINDOW),
			 RECAP_OK);
	assert_int_equal(rpc_msg_get_word(&m), 5);
	assert_int_equal(rpc_msg_get_word(&m), 0);
	assert_int_equal(rpc_msg_end(&m), RECAP_ERR_INVAL);
	/* Sticky: later reads give nothing, even if the words were there. */
	strcpy(buf, "junk");
	assert_int_equal(rpc_msg_get_string(&m, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
}

/* An optional trailing word: read if sent, the default if not, never past
 * the end and never after an error. */
static void test_get_word_or(void **state)
{
	struct rpc_msg m;

	(void)state;
	assert_int_equal(rpc_msg_parse(&m, mr, raw(4, 0x40UL, 0UL, 5UL, 7UL), WINDOW),
			 RECAP_OK);
	assert_int_equal(rpc_msg_get_word(&m), 5);
	assert_int_equal(rpc_msg_get_word_or(&m, 9), 7);
	assert_int_equal(rpc_msg_get_word_or(&m, 9), 9);
	assert_int_equal(rpc_msg_end(&m), RECAP_OK);
	assert_int_equal(rpc_msg_parse(&m, mr, raw(3, 0x40UL, 0UL, 5UL), WINDOW),
			 RECAP_OK);
	assert_int_equal(rpc_msg_get_word(&m), 5);
	assert_int_equal(rpc_msg_get_word(&m), 0);	/* past the end: an error */
	assert_int_equal(rpc_msg_get_word_or(&m, 9), 9);
	assert_int_equal(rpc_msg_end(&m), RECAP_ERR_INVAL);
}

static void test_get_string_refusals(void **state)
{
	struct rpc_msg m;
	char buf[8];

	(void)state;
	/* Longer than the message. */
	assert_int_equal(rpc_msg_parse(&m, mr, raw(4, 0x40UL, 0UL, 9UL, 0x61UL),
				       WINDOW), RECAP_OK);
	rpc_msg_get_string(&m, buf, sizeof(buf));
	assert_int_equal(rpc_msg_end(&m), RECAP_ERR_INVAL);
	/* Longer than RECAP_RPC_MAX_STRING (a huge length must not wrap). */
	assert_int_equal(rpc_msg_parse(&m, mr, raw(4, 0x40UL, 0UL, ~0UL, 0x61UL),
				       WINDOW), RECAP_OK);
	rpc_msg_get_string(&m, buf, sizeof(buf));
	assert_int_equal(rpc_msg_end(&m), RECAP_ERR_INVAL);
	/* Does not fit the buffer with its NUL. */
	assert_int_equal(rpc_msg_parse(&m, mr, raw(4, 0x40UL, 0UL, 8UL,
						   0x6867666564636261UL), WINDOW),
			 RECAP_OK);
	rpc_msg_get_string(&m, buf, sizeof(buf));
	assert_int_equal(rpc_msg_end(&m), RECAP_ERR_INVAL);
	/* A NUL inside. */
	assert_int_equal(rpc_msg_parse(&m, mr, raw(4, 0x40UL, 0UL, 3UL, 0x630061UL),
				       WINDOW), RECAP_OK);
	assert_int_equal(rpc_msg_get_string(&m, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	assert_int_equal(rpc_msg_end(&m), RECAP_ERR_INVAL);
	/* Words left over after the string. */
	assert_int_equal(rpc_msg_parse(&m, mr, raw(5, 0x40UL, 0UL, 1UL, 0x61UL, 0UL),
				       WINDOW), RECAP_OK);
	assert_int_equal(rpc_msg_get_string(&m, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "a");
	assert_int_equal(rpc_msg_end(&m), RECAP_ERR_INVAL);
}

int main(void)
{
#define T(f) cmocka_unit_test(f)
	const struct CMUnitTest tests[] = {
		T(test_call_layout),
		T(test_round_trip),
		T(test_longest_string_fits),
		T(test_write_errors_are_sticky),
		T(test_write_room_counts_items),
		T(test_too_many_caps_to_send),
		T(test_parse_refuses_short_headers),
		T(test_parse_refuses_beyond_registers),
		T(test_parse_refuses_bad_badges),
		T(test_parse_needs_one_item_per_valid_badge),
		T(test_parse_refuses_forged_items),
		T(test_parse_empty_source_reads_invalid),
		T(test_get_past_the_end),
		T(test_get_word_or),
		T(test_get_string_refusals),
	};
#undef T

	return cmocka_run_group_tests_name("base/rpc_msg", tests, NULL, NULL);
}

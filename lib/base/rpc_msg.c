/*
 * rpc_msg.c — RPC messages in the wire format of recap/rpc_wire.h, built
 * and read (recap/rpc_msg.h). Pure word shuffling, no system calls: the
 * same object serves components (freestanding) and core (hosted), and the
 * unit tests drive it over a plain array.
 *
 * The reader trusts nothing in the registers: the sender chose every word,
 * including the control words of its map items. An item only counts as a
 * delivered capability if it has the shape only the kernel writes: the
 * kernel processes object items alone (it skips others and leaves their
 * words as the sender wrote them), consumes the receive buffers in order,
 * and overwrites the control word of each one it processed with the
 * receive slot. So the k-th item must be an object flexpage whose control
 * word names window slot k; anything else is a forgery or a mismatch.
 */
#include <l4/sys/consts.h>
#include <l4/sys/utcb.h>

#include <recap/err.h>
#include <recap/rpc_msg.h>

#define MR_WORDS L4_UTCB_GENERIC_DATA_SIZE
#define WORD_BYTES sizeof(l4_umword_t)

static void fail(struct rpc_msg *m, int err)
{
	if (m->err == RECAP_OK)
		m->err = err;
}

static unsigned string_words(size_t len)
{
	return (unsigned)((len + WORD_BYTES - 1) / WORD_BYTES);
}

/* ---- writing -------------------------------------------------------------- */

void rpc_msg_start(struct rpc_msg *m, l4_umword_t *mr, l4_umword_t head,
		   struct recap_cap const *caps, unsigned ncaps)
{
	unsigned items = 0;

	m->mr = mr;
	m->err = RECAP_OK;
	m->ncaps = 0;
	m->pos = 0;
	m->limit = 0;
	if (ncaps > RECAP_RPC_MAX_CAPS) {
		fail(m, RECAP_ERR_INVAL);
		return;
	}
	mr[0] = head;
	mr[1] = ncaps;
	for (unsigned i = 0; i < ncaps; i++) {
		bool valid = recap_cap_valid(caps[i]);

		m->caps[i] = valid ? caps[i] : recap_cap_invalid();
		mr[2 + i] = m->caps[i].badge;
		items += valid;
	}
	m->ncaps = ncaps;
	m->pos = 2 + ncaps;
	/* Room for the words: what the map items leave of the registers. */
	m->limit = MR_WORDS - 2 * items;
}

void rpc_msg_put_word(struct rpc_msg *m, l4_umword_t w)
{
	if (m->err != RECAP_OK)
		return;
	if (m->pos >= m->limit) {
		fail(m, RECAP_ERR_RANGE);
		return;
	}
	m->mr[m->pos++] = w;
}

void rpc_msg_put_string(struct rpc_msg *m, char const *s, size_t len)
{
	unsigned n = string_words(len);

	if (m->err != RECAP_OK)
		return;
	if (len > RECAP_RPC_MAX_STRING || m->pos + 1 + n > m->limit) {
		fail(m, RECAP_ERR_RANGE);
		return;
	}
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\0') {
			fail(m, RECAP_ERR_INVAL);
			return;
		}
	}
	m->mr[m->pos++] = len;
	for (unsigned w = 0; w < n; w++) {
		l4_umword_t word = 0;

		for (unsigned b = 0; b < WORD_BYTES; b++) {
			size_t i = w * WORD_BYTES + b;

			if (i < len)
				word |= (l4_umword_t)(unsigned char)s[i] << (8 * b);
		}
		m->mr[m->pos++] = word;
	}
}

int rpc_msg_finish(struct rpc_msg *m, l4_msgtag_t *tag)
{
	unsigned items = 0, words = m->pos;

	if (m->err != RECAP_OK)
		return m->err;
	for (unsigned i = 0; i < m->ncaps; i++) {
		if (!recap_cap_valid(m->caps[i]))
			continue;
		m->mr[words + 2 * items] = L4_ITEM_MAP;
		m->mr[words + 2 * items + 1] =
			l4_obj_fpage(m->caps[i].sel, 0, L4_FPAGE_RWX).raw;
		items++;
	}
	*tag = l4_msgtag(0, words, items, 0);
	return RECAP_OK;
}

/* ---- reading -------------------------------------------------------------- */

/* Did the kernel deliver item k of the message into window slot k? */
static bool item_delivered(l4_umword_t const *item, unsigned k,
			   l4_cap_idx_t window)
{
	l4_fpage_t fp = { .raw = item[1] };
	l4_cap_idx_t slot = window + ((l4_cap_idx_t)k << L4_CAP_SHIFT);

	if (!l4_is_valid_cap(window) || l4_fpage_type(fp) != L4_FPAGE_OBJ)
		return false;
	/* The kernel's return item: the slot, L4_ITEM_MAP, and in bits 1-2
	 * 0 for "mapped something", 2 for "the source was empty". */
	return (item[0] & ~(l4_umword_t)0xf) == slot &&
	       ((item[0] & 0xf) == L4_ITEM_MAP ||
		(item[0] & 0xf) == (L4_ITEM_MAP | 2));
}

int rpc_msg_parse(struct rpc_msg *m, l4_umword_t *mr, l4_msgtag_t tag,
		  l4_cap_idx_t window)
{
	unsigned words = l4_msgtag_words(tag), items = l4_msgtag_items(tag);
	unsigned k = 0;

	m->mr = mr;
	m->err = RECAP_OK;
	m->ncaps = 0;
	m->pos = 0;
	m->limit = 0;
	if (words < 2 || words + 2 * items > MR_WORDS || mr[1] > RECAP_RPC_MAX_CAPS ||
	    words < 2 + mr[1]) {
		fail(m, RECAP_ERR_INVAL);
		return m->err;
	}
	m->ncaps = (unsigned)mr[1];
	for (unsigned i = 0; i < m->ncaps; i++) {
		recap_badge_t badge = mr[2 + i];
		l4_umword_t const *item = &mr[words + 2 * k];

		m->caps[i] = recap_cap_invalid();
		if (badge == RECAP_BADGE_INVALID)
			continue;
		if (badge == 0 || badge % RECAP_BADGE_STEP || k >= items ||
		    !item_delivered(item, k, window)) {
			fail(m, RECAP_ERR_INVAL);
			return m->err;
		}
		/* Mapped nothing: the sender's slot was empty (a dead cap). */
		if ((item[0] & 6) == 0)
			m->caps[i] = (struct recap_cap){
				.badge = badge,
				.sel = item[0] & ~(l4_umword_t)0xfff,
			};
		k++;
	}
	if (k != items) {
		fail(m, RECAP_ERR_INVAL);
		return m->err;
	}
	m->pos = 2 + m->ncaps;
	m->limit = words;
	return RECAP_OK;
}

l4_umword_t rpc_msg_get_word(struct rpc_msg *m)
{
	if (m->err != RECAP_OK)
		return 0;
	if (m->pos >= m->limit) {
		fail(m, RECAP_ERR_INVAL);
		return 0;
	}
	return m->mr[m->pos++];
}

size_t rpc_msg_get_string(struct rpc_msg *m, char *buf, size_t size)
{
	l4_umword_t len = rpc_msg_get_word(m);
	unsigned n;

	if (size)
		buf[0] = '\0';
	if (m->err != RECAP_OK)
		return 0;
	n = string_words(len > RECAP_RPC_MAX_STRING ? 0 : len);
	if (len > RECAP_RPC_MAX_STRING || len >= size || m->pos + n > m->limit) {
		fail(m, RECAP_ERR_INVAL);
		return 0;
	}
	for (size_t i = 0; i < len; i++) {
		l4_umword_t word = m->mr[m->pos + i / WORD_BYTES];
		char c = (char)(word >> (8 * (i % WORD_BYTES)));

		if (c == '\0') {
			buf[0] = '\0';
			fail(m, RECAP_ERR_INVAL);
			return 0;
		}
		buf[i] = c;
	}
	buf[len] = '\0';
	m->pos += n;
	return len;
}

int rpc_msg_end(struct rpc_msg *m)
{
	if (m->err == RECAP_OK && m->pos != m->limit)
		fail(m, RECAP_ERR_INVAL);
	return m->err;
}

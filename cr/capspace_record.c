/*
 * capspace_record — the capability-space model and its image section
 * (see capspace_record.h).
 *
 * Optional slot fields are written only when they differ from their
 * default, and a reader restores the default when they are absent: a
 * typical slot (a session gate) costs its four required fields and a
 * label, not ten fields of which most say "nothing". Encoding is in
 * capspace_encode.c, which cr links freestanding.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capspace_record.h"

static enum caps_status caps_ok(struct caps_err *err)
{
	if (err)
		*err = (struct caps_err){ .code = CAPS_OK };
	return CAPS_OK;
}

/* ---------------------------------------------------------------- */
/* The model                                                         */

void caps_init(struct caps_space *cs)
{
	*cs = (struct caps_space){ .name = "" };
}

void caps_free(struct caps_space *cs)
{
	free(cs->entries);
	caps_init(cs);
}

/* Index of the first entry whose slot is >= SLOT (n if none). */
static size_t lower_bound(struct caps_space const *cs, uint64_t slot)
{
	size_t lo = 0, hi = cs->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cs->entries[mid].slot < slot)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

enum caps_status caps_add(struct caps_space *cs, struct caps_entry const *e,
			  struct caps_err *err)
{
	enum caps_status st;
	size_t i;

	if ((st = caps_entry_valid(e, err)))
		return st;
	/* The common case first: capture walks the space in slot order. */
	if (!cs->n || cs->entries[cs->n - 1].slot < e->slot)
		i = cs->n;
	else
		i = lower_bound(cs, e->slot);
	if (i < cs->n && cs->entries[i].slot == e->slot)
		return caps_fail(err, CAPS_ERR_SLOT,
				 "slot 0x%llx: used twice",
				 (unsigned long long)e->slot);
	if (cs->n == cs->cap) {
		size_t cap = cs->cap ? cs->cap * 2 : 64;
		struct caps_entry *p;

		if (cap > SIZE_MAX / sizeof(*p) ||
		    !(p = realloc(cs->entries, cap * sizeof(*p))))
			return caps_fail(err, CAPS_ERR_NOMEM, "out of memory");
		cs->entries = p;
		cs->cap = cap;
	}
	memmove(&cs->entries[i + 1], &cs->entries[i],
		(cs->n - i) * sizeof(*cs->entries));
	cs->entries[i] = *e;
	cs->n++;
	return caps_ok(err);
}

struct caps_entry const *caps_find(struct caps_space const *cs, uint64_t slot)
{
	size_t i = lower_bound(cs, slot);

	return i < cs->n && cs->entries[i].slot == slot ? &cs->entries[i]
							 : NULL;
}

/* ---------------------------------------------------------------- */
/* Names                                                             */

char const *caps_kind_name(uint32_t kind)
{
	static char const *const names[] = {
		[L4X_KIND_NONE] = "none",
		[L4X_KIND_TASK] = "task",
		[L4X_KIND_THREAD] = "thread",
		[L4X_KIND_GATE] = "gate",
		[L4X_KIND_IRQ] = "irq",
		[L4X_KIND_FACTORY] = "factory",
		[L4X_KIND_LOG] = "log",
		[L4X_KIND_HOST] = "host",
	};

	return kind < sizeof(names) / sizeof(names[0]) ? names[kind] : NULL;
}

char const *caps_kind_str(uint32_t kind, char buf[16])
{
	char const *name = caps_kind_name(kind);

	if (name)
		return name;
	snprintf(buf, 16, "kind %u", kind);
	return buf;
}

char const *caps_role_name(uint32_t role)
{
	static char const *const names[CAPS_ROLE_COUNT] = {
		[CAPS_ROLE_UNKNOWN] = "unknown",
		[CAPS_ROLE_TASK] = "task",
		[CAPS_ROLE_PARENT] = "parent",
		[CAPS_ROLE_THREAD_GATE] = "thread-gate",
		[CAPS_ROLE_THREAD_PAGER] = "thread-pager",
		[CAPS_ROLE_THREAD_IRQ] = "thread-irq",
		[CAPS_ROLE_SESSION] = "session",
		[CAPS_ROLE_DATASPACE] = "dataspace",
		[CAPS_ROLE_REGION_MAP] = "region-map",
		[CAPS_ROLE_SIGNAL_SOURCE] = "signal-source",
		[CAPS_ROLE_SIGNAL_CONTEXT] = "signal-context",
		[CAPS_ROLE_EP_GATE] = "ep-gate",
		[CAPS_ROLE_THREAD] = "thread",
	};

	return role < CAPS_ROLE_COUNT ? names[role] : NULL;
}

char *caps_rights_str(uint32_t rights, char out[CAPS_RIGHTS_STR])
{
	out[0] = rights & CAPS_R ? 'R' : '-';
	out[1] = rights & CAPS_W ? 'W' : '-';
	out[2] = rights & CAPS_S ? 'S' : '-';
	out[3] = rights & CAPS_D ? 'D' : '-';
	out[4] = '\0';
	return out;
}

/* ---------------------------------------------------------------- */
/* The image section                                                 */

/* The task name: a string field like tlv_decode's TLV_STR. */
static enum caps_status decode_name(struct caps_space *cs,
				    struct tlv_item const *it,
				    struct caps_err *err)
{
	if (it->len >= sizeof(cs->name))
		return caps_fail(err, CAPS_ERR_RECORD,
				 "at byte %zu: name of %u bytes, at most %zu",
				 it->offset, it->len, sizeof(cs->name) - 1);
	if (memchr(it->val, '\0', it->len))
		return caps_fail(err, CAPS_ERR_RECORD,
				 "at byte %zu: NUL inside the name",
				 it->offset);
	memcpy(cs->name, it->val, it->len);
	cs->name[it->len] = '\0';
	return CAPS_OK;
}

static enum caps_status decode_entry(struct caps_space *cs,
				     struct tlv_item const *it,
				     struct caps_err *err)
{
	struct caps_entry e;
	enum caps_status st;

	if ((st = caps_entry_decode(it, &e, err)))
		return st;
	/* A writer emits ascending slots; anything else is damage, and
	 * refusing it keeps decoding linear. */
	if (cs->n && e.slot <= cs->entries[cs->n - 1].slot)
		return caps_fail(err, CAPS_ERR_SLOT,
				 "slot record at byte %zu: slot 0x%llx after "
				 "slot 0x%llx",
				 it->offset, (unsigned long long)e.slot,
				 (unsigned long long)cs->entries[cs->n - 1].slot);
	if ((st = caps_add(cs, &e, err)) && err) {
		char msg[CAPS_MSG_MAX];

		memcpy(msg, err->msg, sizeof(msg));
		caps_fail(err, st, "slot record at byte %zu: %.200s",
			  it->offset, msg);
	}
	return st;
}

enum caps_status caps_decode(void const *data, size_t len,
			     struct caps_space *cs, struct caps_err *err)
{
	struct tlv_reader r;
	struct tlv_item it;
	struct tlv_err terr;
	enum tlv_status ts = TLV_OK;
	enum caps_status st = CAPS_OK;
	bool named = false;

	caps_free(cs);
	tlv_reader_init(&r, data, len);
	while (!st && (ts = tlv_next(&r, &it, &terr)) == TLV_OK) {
		switch (it.tag) {
		case CAPS_TAG_NAME:
			if (named)
				st = caps_fail(err, CAPS_ERR_RECORD,
					       "at byte %zu: name given twice",
					       it.offset);
			else
				st = decode_name(cs, &it, err);
			named = true;
			break;
		case CAPS_TAG_SLOT:
			st = decode_entry(cs, &it, err);
			break;
		default:
			break;		/* from a newer writer: not ours */
		}
	}
	if (!st && ts != TLV_END)
		st = caps_fail(err, CAPS_ERR_RECORD, "%s", terr.msg);
	if (st) {
		caps_free(cs);
		return st;
	}
	return caps_ok(err);
}

enum caps_status caps_write(struct image_writer *w,
			    struct caps_space const *cs, struct caps_err *err)
{
	struct tlv_writer tw;
	enum caps_status st;

	tlv_writer_init(&tw);
	caps_encode(cs, &tw);
	if (!tlv_writer_ok(&tw))
		st = caps_fail(err, CAPS_ERR_NOMEM, "out of memory");
	else if (image_writer_section(w, IMAGE_SEC_CAPSPACE, tw.buf, tw.len))
		st = caps_fail(err, CAPS_ERR_IMAGE, "%s",
			       image_writer_error(w)->msg);
	else
		st = caps_ok(err);
	tlv_writer_free(&tw);
	return st;
}

enum caps_status caps_read(struct image const *img, size_t index,
			   struct caps_space *cs, struct caps_err *err)
{
	void const *data;
	size_t len;
	enum caps_status st;

	if (image_section(img, IMAGE_SEC_CAPSPACE, index, &data, &len)) {
		caps_free(cs);
		return caps_fail(err, CAPS_ERR_IMAGE,
				 "no capspace section %zu (the image has %zu)",
				 index,
				 image_section_count(img, IMAGE_SEC_CAPSPACE));
	}
	if ((st = caps_decode(data, len, cs, err)) && err) {
		char msg[CAPS_MSG_MAX];

		memcpy(msg, err->msg, sizeof(msg));
		caps_fail(err, st, "capspace section %zu: %.200s", index, msg);
	}
	return st;
}

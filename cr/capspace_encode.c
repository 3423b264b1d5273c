/*
 * capspace_encode — writing the capspace section (capspace_record.h):
 * caps_encode and what it needs, and the reading of one slot record
 * (caps_entry_decode), apart from the rest of the module so that cr, which
 * captures capability spaces and restores them, links it freestanding
 * ($(B)/libcrfmt.a; compat.h). Decoding is in capspace_record.c.
 */
#include <stdarg.h>

#include "capspace_record.h"
#include "image/compat.h"

void caps_entry_init(struct caps_entry *e)
{
	*e = (struct caps_entry){
		.label = CAPS_NO_LABEL,
		.role = CAPS_ROLE_UNKNOWN,
	};
}

/* The required fields, written always and first. */
static struct tlv_field const slot_required[] = {
	TLV_FIELD(CAPS_STAG_SLOT, TLV_U64, struct caps_entry, slot, true),
	TLV_FIELD(CAPS_STAG_KIND, TLV_U32, struct caps_entry, kind, true),
	TLV_FIELD(CAPS_STAG_RIGHTS, TLV_U32, struct caps_entry, rights, true),
	TLV_FIELD(CAPS_STAG_OBJECT, TLV_U64, struct caps_entry, object, true),
};
#define N_REQUIRED (sizeof(slot_required) / sizeof(slot_required[0]))

static void encode_entry(struct tlv_writer *w, struct caps_entry const *e)
{
	size_t mark = tlv_begin(w, CAPS_TAG_SLOT);

	tlv_encode(w, slot_required, N_REQUIRED, e);
	if (e->label != CAPS_NO_LABEL)
		tlv_put_u64(w, CAPS_STAG_LABEL, e->label);
	if (e->role != CAPS_ROLE_UNKNOWN)
		tlv_put_u64(w, CAPS_STAG_ROLE, e->role);
	if (e->thread)
		tlv_put_u64(w, CAPS_STAG_THREAD, e->thread);
	if (e->badge)
		tlv_put_u64(w, CAPS_STAG_BADGE, e->badge);
	/* strnlen: a member filled to the brim has no NUL to stop at. */
	if (e->service[0])
		tlv_put_blob(w, CAPS_STAG_SERVICE, e->service,
			     crfmt_strnlen(e->service, sizeof(e->service)));
	if (e->detail[0])
		tlv_put_blob(w, CAPS_STAG_DETAIL, e->detail,
			     crfmt_strnlen(e->detail, sizeof(e->detail)));
	tlv_end(w, mark);
}

void caps_encode(struct caps_space const *cs, struct tlv_writer *w)
{
	if (cs->name[0])
		tlv_put_blob(w, CAPS_TAG_NAME, cs->name,
			     crfmt_strnlen(cs->name, sizeof(cs->name)));
	for (size_t i = 0; i < cs->n; i++)
		encode_entry(w, &cs->entries[i]);
}

/* ---------------------------------------------------------------- */
/* One slot record, read: what cr needs to walk a section on restore  */

CRFMT_FAIL_FN(, caps_fail, struct caps_err, enum caps_status)

/* Every field, for reading. */
static struct tlv_field const slot_fields[] = {
	TLV_FIELD(CAPS_STAG_SLOT, TLV_U64, struct caps_entry, slot, true),
	TLV_FIELD(CAPS_STAG_KIND, TLV_U32, struct caps_entry, kind, true),
	TLV_FIELD(CAPS_STAG_RIGHTS, TLV_U32, struct caps_entry, rights, true),
	TLV_FIELD(CAPS_STAG_OBJECT, TLV_U64, struct caps_entry, object, true),
	TLV_FIELD(CAPS_STAG_LABEL, TLV_U64, struct caps_entry, label, false),
	TLV_FIELD(CAPS_STAG_ROLE, TLV_U32, struct caps_entry, role, false),
	TLV_FIELD(CAPS_STAG_THREAD, TLV_U32, struct caps_entry, thread, false),
	TLV_FIELD(CAPS_STAG_BADGE, TLV_U64, struct caps_entry, badge, false),
	TLV_FIELD(CAPS_STAG_SERVICE, TLV_STR, struct caps_entry, service,
		  false),
	TLV_FIELD(CAPS_STAG_DETAIL, TLV_STR, struct caps_entry, detail,
		  false),
};
#define N_FIELDS (sizeof(slot_fields) / sizeof(slot_fields[0]))

/* What caps_add refuses whatever the space holds. */
enum caps_status caps_entry_valid(struct caps_entry const *e,
				    struct caps_err *err)
{
	if (e->slot >= CAPS_SLOT_LIMIT)
		return caps_fail(err, CAPS_ERR_SLOT,
				 "slot 0x%llx: beyond the %llu slots of a "
				 "capability space",
				 (unsigned long long)e->slot, CAPS_SLOT_LIMIT);
	if (e->kind == L4X_KIND_NONE)
		return caps_fail(err, CAPS_ERR_ENTRY,
				 "slot 0x%llx: kind none in a used slot",
				 (unsigned long long)e->slot);
	if (e->rights & ~CAPS_RIGHTS_ALL)
		return caps_fail(err, CAPS_ERR_ENTRY,
				 "slot 0x%llx: unknown rights bits 0x%x",
				 (unsigned long long)e->slot,
				 e->rights & ~CAPS_RIGHTS_ALL);
	return CAPS_OK;
}

enum caps_status caps_entry_decode(struct tlv_item const *it,
				   struct caps_entry *e, struct caps_err *err)
{
	struct tlv_err terr;
	enum caps_status st;

	caps_entry_init(e);
	if (tlv_decode(it->val, it->len, slot_fields, N_FIELDS, e, &terr))
		return caps_fail(err, CAPS_ERR_RECORD,
				  "slot record at byte %zu: %s", it->offset,
				  terr.msg);
	st = caps_entry_valid(e, err);
	if (st && err) {
		char msg[CAPS_MSG_MAX];

		memcpy(msg, err->msg, sizeof(msg));
		caps_fail(err, st, "slot record at byte %zu: %.200s",
			   it->offset, msg);
	}
	return st;
}

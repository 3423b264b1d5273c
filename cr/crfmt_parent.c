/*
 * crfmt_parent — the parent section of an incremental image: which image
 * it extends, by the path given when it was written and that image's
 * identity (image_id, its whole-file checksum), which a reader checks
 * before it believes the path (crfmt.h, docs/image-format.md).
 * Freestanding (compat.h), though only the host writes and reads it.
 */
#include "crfmt_impl.h"

static struct tlv_field const parent_fields[] = {
	TLV_FIELD(CRFMT_PARENT_PATH, TLV_STR, struct crfmt_parent, path, true),
	TLV_FIELD(CRFMT_PARENT_ID, TLV_U64, struct crfmt_parent, image_id,
		  true),
	TLV_FIELD(CRFMT_PARENT_SEQ, TLV_U64, struct crfmt_parent, seq, false),
};

void crfmt_parent_encode(struct tlv_writer *w, struct crfmt_parent const *p)
{
	tlv_put_blob(w, CRFMT_PARENT_PATH, p->path,
		     crfmt_strnlen(p->path, sizeof(p->path)));
	tlv_put_u64(w, CRFMT_PARENT_ID, p->image_id);
	crfmt_put_opt(w, CRFMT_PARENT_SEQ, p->seq, 0);
}

enum crfmt_status crfmt_parent_decode(void const *data, size_t len,
				      struct crfmt_parent *p,
				      struct crfmt_err *err)
{
	struct tlv_err terr;

	memset(p, 0, sizeof(*p));
	if (tlv_decode(data, len, parent_fields, CRFMT_N(parent_fields), p,
		       &terr))
		return crfmt_tlv_fail(err, "parent", 0, &terr);
	if (!p->path[0])
		return crfmt_fail(err, CRFMT_ERR_VALUE,
				  "parent record: empty path");
	return crfmt_ok(err);
}

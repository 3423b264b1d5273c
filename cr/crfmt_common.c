/*
 * crfmt_common — errors and the record iterator of the section records
 * (crfmt.h). Freestanding (compat.h).
 */
#include "crfmt_impl.h"

CRFMT_FAIL_FN(, crfmt_fail, struct crfmt_err, enum crfmt_status)

enum crfmt_status crfmt_ok(struct crfmt_err *err)
{
	if (err) {
		err->code = CRFMT_OK;
		err->msg[0] = '\0';
	}
	return CRFMT_OK;
}

enum crfmt_status crfmt_tlv_fail(struct crfmt_err *err, char const *what,
				 size_t offset, struct tlv_err const *terr)
{
	return crfmt_fail(err, CRFMT_ERR_RECORD, "%s record at byte %zu: %s",
			  what, offset, terr->msg);
}

void crfmt_iter_init(struct crfmt_iter *it, void const *data, size_t len)
{
	tlv_reader_init(&it->r, data, len);
	it->last = 0;
	it->any = false;
}

enum crfmt_status crfmt_iter_item(struct crfmt_iter *it, uint16_t tag,
				  struct tlv_item *item,
				  struct crfmt_err *err)
{
	struct tlv_err terr;
	enum tlv_status st;

	while ((st = tlv_next(&it->r, item, &terr)) == TLV_OK)
		if (item->tag == tag)
			return CRFMT_OK;
	if (st == TLV_END)
		return CRFMT_END;
	return crfmt_fail(err, CRFMT_ERR_RECORD, "%s", terr.msg);
}

enum crfmt_status crfmt_iter_key(struct crfmt_iter *it, uint64_t key,
				 char const *what, size_t offset,
				 struct crfmt_err *err)
{
	/* A writer emits ascending keys; anything else is damage, and
	 * refusing it keeps each object once without a lookup. */
	if (it->any && key <= it->last)
		return crfmt_fail(err, CRFMT_ERR_ORDER,
				  "%s record at byte %zu: %s %llu after %llu",
				  what, offset, what, (unsigned long long)key,
				  (unsigned long long)it->last);
	it->any = true;
	it->last = key;
	return CRFMT_OK;
}

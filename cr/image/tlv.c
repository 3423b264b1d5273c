/*
 * tlv — reading versioned records (see tlv.h; writing is tlv_write.c).
 *
 * Freestanding like tlv_write.c (compat.h): cr decodes the records of a
 * stream on restore with the same code the host uses.
 *
 * The reader trusts nothing: every length is checked against what is left
 * before anything is read, so a record from a damaged or hostile section
 * can make tlv_next and tlv_decode fail but never read out of bounds.
 */
#include <recap/cr_stream.h>	/* little-endian helpers */

#include "compat.h"
#include "tlv.h"

CRFMT_FAIL_FN(static, tlv_fail, struct tlv_err, enum tlv_status)

/* ---------------------------------------------------------------- */
/* Reading                                                           */

void tlv_reader_init(struct tlv_reader *r, void const *data, size_t len)
{
	*r = (struct tlv_reader){ data, len, 0 };
}

enum tlv_status tlv_next(struct tlv_reader *r, struct tlv_item *item,
			 struct tlv_err *err)
{
	size_t left = r->len - r->off;
	uint8_t const *p = r->p + r->off;

	if (!left)
		return TLV_END;
	if (left < TLV_HEADER_SIZE)
		return tlv_fail(err, TLV_ERR_TRUNCATED,
				"at byte %zu: %zu bytes, too short for a field "
				"header", r->off, left);
	item->tag = (uint16_t)(p[0] | p[1] << 8);
	item->len = cr_stream_get_u32(p + 2);
	item->offset = r->off;
	if (item->len > left - TLV_HEADER_SIZE)
		return tlv_fail(err, TLV_ERR_TRUNCATED,
				"at byte %zu: tag %u: length %u, only %zu "
				"bytes left", r->off, item->tag, item->len,
				left - TLV_HEADER_SIZE);
	item->val = p + TLV_HEADER_SIZE;
	r->off += TLV_HEADER_SIZE + item->len;
	return TLV_OK;
}

enum tlv_status tlv_get_u64(struct tlv_item const *item, uint64_t *v,
			    struct tlv_err *err)
{
	if (item->len != 8)
		return tlv_fail(err, TLV_ERR_LENGTH,
				"at byte %zu: tag %u: length %u, expected 8",
				item->offset, item->tag, item->len);
	*v = cr_stream_get_u64(item->val);
	return TLV_OK;
}

/* ---------------------------------------------------------------- */
/* Records described by a table                                      */

/* Store one field's value into its member, checking it fits the kind. */
static enum tlv_status decode_field(struct tlv_field const *f,
				    struct tlv_item const *it, void *m,
				    struct tlv_err *err)
{
	uint64_t v;

	switch (f->kind) {
	case TLV_U64:
	case TLV_U32:
		if (it->len != 8)
			return tlv_fail(err, TLV_ERR_LENGTH,
					"at byte %zu: tag %u (%s): length %u, "
					"expected 8", it->offset, it->tag,
					f->name, it->len);
		v = cr_stream_get_u64(it->val);
		if (f->kind == TLV_U64) {
			*(uint64_t *)m = v;
			return TLV_OK;
		}
		if (v > UINT32_MAX)
			return tlv_fail(err, TLV_ERR_RANGE,
					"at byte %zu: tag %u (%s): %llu does "
					"not fit 32 bits", it->offset, it->tag,
					f->name, (unsigned long long)v);
		*(uint32_t *)m = (uint32_t)v;
		return TLV_OK;
	case TLV_STR:
		if (it->len >= f->size)
			return tlv_fail(err, TLV_ERR_STRING,
					"at byte %zu: tag %u (%s): %u bytes, "
					"at most %zu", it->offset, it->tag,
					f->name, it->len, f->size - 1);
		if (crfmt_has_byte(it->val, '\0', it->len))
			return tlv_fail(err, TLV_ERR_STRING,
					"at byte %zu: tag %u (%s): NUL inside "
					"the string", it->offset, it->tag,
					f->name);
		memcpy(m, it->val, it->len);
		((char *)m)[it->len] = '\0';
		return TLV_OK;
	case TLV_BLOB:
		*(struct tlv_bytes *)m = (struct tlv_bytes){ it->val, it->len };
		return TLV_OK;
	case TLV_BYTES:
		if (it->len != f->size)
			return tlv_fail(err, TLV_ERR_LENGTH,
					"at byte %zu: tag %u (%s): length %u, "
					"expected %zu", it->offset, it->tag,
					f->name, it->len, f->size);
		memcpy(m, it->val, it->len);
		return TLV_OK;
	}
	return TLV_OK;
}

enum tlv_status tlv_decode(void const *data, size_t len,
			   struct tlv_field const *fields, size_t n, void *rec,
			   struct tlv_err *err)
{
	bool seen[TLV_FIELDS_MAX] = { false };
	struct tlv_reader r;
	struct tlv_item it;
	enum tlv_status st;

	if (n > TLV_FIELDS_MAX)		/* a table bug, not bad data */
		return tlv_fail(err, TLV_ERR_LENGTH, "a table of %zu fields, "
				"at most %u", n, TLV_FIELDS_MAX);
	tlv_reader_init(&r, data, len);
	while ((st = tlv_next(&r, &it, err)) == TLV_OK) {
		size_t i = 0;

		while (i < n && fields[i].tag != it.tag)
			i++;
		if (i == n)
			continue;	/* from a newer writer: not ours */
		if (seen[i])
			return tlv_fail(err, TLV_ERR_DUP,
					"at byte %zu: tag %u (%s) given twice",
					it.offset, it.tag, fields[i].name);
		seen[i] = true;
		if ((st = decode_field(&fields[i], &it,
				       (uint8_t *)rec + fields[i].offset, err)))
			return st;
	}
	if (st != TLV_END)
		return st;
	for (size_t i = 0; i < n; i++)
		if (fields[i].required && !seen[i])
			return tlv_fail(err, TLV_ERR_MISSING,
					"tag %u (%s) missing", fields[i].tag,
					fields[i].name);
	if (err)
		*err = (struct tlv_err){ .code = TLV_OK };
	return TLV_OK;
}

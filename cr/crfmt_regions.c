/*
 * crfmt_regions — the regions section: per dataspace (each once, even if
 * attached twice), its size, kind and writability, and where it is
 * attached in the target's address space (crfmt.h). Freestanding.
 *
 * Checked on decode: attachments are whole pages inside the dataspace
 * (rounded up to pages) and inside the component's part of the address
 * space, rights are R/W/X bits with R set, and W only on a writable
 * dataspace. A restore maps what it reads, so it must not be able to map
 * outside a dataspace or over the task's own area.
 */
#include "crfmt_impl.h"

static struct tlv_field const ds_fields[] = {
	TLV_FIELD(CRFMT_DS_ID, TLV_U64, struct crfmt_ds, id, true),
	TLV_FIELD(CRFMT_DS_SIZE, TLV_U64, struct crfmt_ds, size, true),
	TLV_FIELD(CRFMT_DS_KIND, TLV_U32, struct crfmt_ds, kind, true),
	TLV_FIELD(CRFMT_DS_WRITABLE, TLV_U64, struct crfmt_ds, writable,
		  false),
	TLV_FIELD(CRFMT_DS_MODULE, TLV_STR, struct crfmt_ds, module, false),
	TLV_FIELD(CRFMT_DS_OBJECT, TLV_U64, struct crfmt_ds, object, false),
	TLV_FIELD(CRFMT_DS_MAP_OBJECT, TLV_U64, struct crfmt_ds, map_object,
		  false),
	TLV_FIELD(CRFMT_DS_MAP_SESSION, TLV_U64, struct crfmt_ds, map_session,
		  false),
	TLV_FIELD(CRFMT_DS_MAP_SIGNAL, TLV_U64, struct crfmt_ds, map_signal,
		  false),
};

static struct tlv_field const inner_fields[] = {
	TLV_FIELD(CRFMT_INN_DS, TLV_U64, struct crfmt_inner, ds, true),
	TLV_FIELD(CRFMT_INN_OFFSET, TLV_U64, struct crfmt_inner, offset, true),
	TLV_FIELD(CRFMT_INN_SIZE, TLV_U64, struct crfmt_inner, size, true),
	TLV_FIELD(CRFMT_INN_DS_OFFSET, TLV_U64, struct crfmt_inner, ds_offset,
		  true),
	TLV_FIELD(CRFMT_INN_RIGHTS, TLV_U32, struct crfmt_inner, rights, true),
};

static struct tlv_field const attach_fields[] = {
	TLV_FIELD(CRFMT_ATT_ADDR, TLV_U64, struct crfmt_attach, addr, true),
	TLV_FIELD(CRFMT_ATT_OFFSET, TLV_U64, struct crfmt_attach, offset, true),
	TLV_FIELD(CRFMT_ATT_SIZE, TLV_U64, struct crfmt_attach, size, true),
	TLV_FIELD(CRFMT_ATT_RIGHTS, TLV_U32, struct crfmt_attach, rights, true),
};

void crfmt_ds_init(struct crfmt_ds *d)
{
	memset(d, 0, sizeof(*d));
}

void crfmt_ds_encode(struct tlv_writer *w, struct crfmt_ds const *d)
{
	size_t mark = tlv_begin(w, CRFMT_REGIONS_DS);

	tlv_encode(w, ds_fields, 3, d);		/* id, size, kind */
	crfmt_put_opt(w, CRFMT_DS_WRITABLE, d->writable, 0);
	crfmt_put_str(w, CRFMT_DS_MODULE, d->module, sizeof(d->module));
	crfmt_put_opt(w, CRFMT_DS_OBJECT, d->object, 0);
	for (size_t i = 0; i < d->n_attach && i < CRFMT_ATTACH_MAX; i++) {
		size_t sub = tlv_begin(w, CRFMT_DS_ATTACH);

		tlv_encode(w, attach_fields, CRFMT_N(attach_fields),
			   &d->attach[i]);
		tlv_end(w, sub);
	}
	crfmt_put_opt(w, CRFMT_DS_MAP_OBJECT, d->map_object, 0);
	crfmt_put_opt(w, CRFMT_DS_MAP_SESSION, d->map_session, 0);
	crfmt_put_opt(w, CRFMT_DS_MAP_SIGNAL, d->map_signal, 0);
	for (size_t i = 0; i < d->n_inner && i < CRFMT_INNER_MAX; i++) {
		size_t sub = tlv_begin(w, CRFMT_DS_INNER);

		tlv_encode(w, inner_fields, CRFMT_N(inner_fields), &d->inner[i]);
		tlv_end(w, sub);
	}
	tlv_end(w, mark);
}

static bool page_aligned(uint64_t v)
{
	return !(v & (CRFMT_PAGE_SIZE - 1));
}

static enum crfmt_status attach_valid(struct crfmt_ds const *d,
				      struct crfmt_attach const *a, size_t i,
				      struct crfmt_err *err)
{
	uint64_t pages = (d->size + CRFMT_PAGE_SIZE - 1) & ~(CRFMT_PAGE_SIZE - 1);
	unsigned long long id = (unsigned long long)d->id;

	if (!page_aligned(a->addr) || !page_aligned(a->offset) ||
	    !page_aligned(a->size) || !a->size)
		return crfmt_fail(err, CRFMT_ERR_VALUE,
				  "dataspace %llu: attachment %zu: not whole "
				  "pages", id, i);
	if (a->offset > pages || a->size > pages - a->offset)
		return crfmt_fail(err, CRFMT_ERR_VALUE,
				  "dataspace %llu: attachment %zu: offset "
				  "0x%llx size 0x%llx beyond the dataspace "
				  "(0x%llx bytes)", id, i,
				  (unsigned long long)a->offset,
				  (unsigned long long)a->size,
				  (unsigned long long)d->size);
	if (a->addr < L4X_TASK_VM_START || a->addr > L4X_TASK_VM_END ||
	    a->size > L4X_TASK_VM_END - a->addr)
		return crfmt_fail(err, CRFMT_ERR_VALUE,
				  "dataspace %llu: attachment %zu: address "
				  "0x%llx size 0x%llx outside the component "
				  "range", id, i,
				  (unsigned long long)a->addr,
				  (unsigned long long)a->size);
	if ((a->rights & ~CRFMT_RIGHTS_ALL) || !(a->rights & CRFMT_R))
		return crfmt_fail(err, CRFMT_ERR_VALUE,
				  "dataspace %llu: attachment %zu: bad rights "
				  "0x%x", id, i, a->rights);
	if ((a->rights & CRFMT_W) && !d->writable)
		return crfmt_fail(err, CRFMT_ERR_VALUE,
				  "dataspace %llu: attachment %zu: writable, "
				  "the dataspace is not", id, i);
	return CRFMT_OK;
}

/*
 * A record's repeated sub-records of one kind (attachments, inner
 * attachments): each of tag in item decoded with fields into the next of
 * at most max elements of size bytes at base (*n of them so far), then
 * checked by valid. what names them in messages.
 */
struct repeated {
	uint32_t tag;
	struct tlv_field const *fields;
	size_t nfields;
	void *base;
	size_t size, max, *n;
	char const *what;
	enum crfmt_status (*valid)(struct crfmt_ds const *d, void const *el,
				   size_t i, struct crfmt_err *err);
};

static enum crfmt_status decode_repeated(struct crfmt_ds const *d,
					 struct tlv_item const *item,
					 struct repeated const *rp,
					 struct crfmt_err *err)
{
	struct tlv_reader r;
	struct tlv_item sub;
	struct tlv_err terr;
	enum crfmt_status st;

	tlv_reader_init(&r, item->val, item->len);
	/* tlv_decode has walked this record already: it is well-formed. */
	while (tlv_next(&r, &sub, &terr) == TLV_OK) {
		uint8_t *el = (uint8_t *)rp->base + *rp->n * rp->size;

		if (sub.tag != rp->tag)
			continue;
		if (*rp->n == rp->max)
			return crfmt_fail(err, CRFMT_ERR_FULL,
					  "dataspace %llu: more than %zu %ss",
					  (unsigned long long)d->id, rp->max,
					  rp->what);
		for (size_t i = 0; i < rp->size; i++)
			el[i] = 0;
		if (tlv_decode(sub.val, sub.len, rp->fields, rp->nfields, el,
			       &terr))
			return crfmt_fail(err, CRFMT_ERR_RECORD,
					  "dataspace %llu: %s %zu: %s",
					  (unsigned long long)d->id, rp->what,
					  *rp->n, terr.msg);
		if ((st = rp->valid(d, el, *rp->n, err)))
			return st;
		(*rp->n)++;
	}
	return CRFMT_OK;
}

static enum crfmt_status attach_check(struct crfmt_ds const *d, void const *el,
				      size_t i, struct crfmt_err *err)
{
	return attach_valid(d, el, i, err);
}

static enum crfmt_status decode_attachments(struct crfmt_ds *d,
					    struct tlv_item const *item,
					    struct crfmt_err *err)
{
	struct repeated rp = {
		CRFMT_DS_ATTACH, attach_fields, CRFMT_N(attach_fields),
		d->attach, sizeof(d->attach[0]), CRFMT_ATTACH_MAX, &d->n_attach,
		"attachment", attach_check };

	return decode_repeated(d, item, &rp, err);
}

static enum crfmt_status inner_valid(struct crfmt_ds const *d,
				     struct crfmt_inner const *in, size_t i,
				     struct crfmt_err *err)
{
	unsigned long long id = (unsigned long long)d->id;

	if (d->kind != CRFMT_DS_MANAGED)
		return crfmt_fail(err, CRFMT_ERR_VALUE, "dataspace %llu: inner "
				  "attachment of a dataspace not managed", id);
	if (!in->ds || in->ds == d->id)
		return crfmt_fail(err, CRFMT_ERR_VALUE, "dataspace %llu: inner "
				  "attachment %zu: dataspace %llu", id, i,
				  (unsigned long long)in->ds);
	if (!page_aligned(in->offset) || !page_aligned(in->ds_offset) ||
	    !page_aligned(in->size) || !in->size ||
	    in->offset > d->size || in->size > d->size - in->offset)
		return crfmt_fail(err, CRFMT_ERR_VALUE, "dataspace %llu: inner "
				  "attachment %zu: offset 0x%llx size 0x%llx "
				  "not whole pages inside the map (0x%llx "
				  "bytes)", id, i,
				  (unsigned long long)in->offset,
				  (unsigned long long)in->size,
				  (unsigned long long)d->size);
	if ((in->rights & ~CRFMT_RIGHTS_ALL) || !(in->rights & CRFMT_R))
		return crfmt_fail(err, CRFMT_ERR_VALUE, "dataspace %llu: inner "
				  "attachment %zu: bad rights 0x%x", id, i,
				  in->rights);
	return CRFMT_OK;
}

static enum crfmt_status inner_check(struct crfmt_ds const *d, void const *el,
				     size_t i, struct crfmt_err *err)
{
	return inner_valid(d, el, i, err);
}

static enum crfmt_status decode_inner(struct crfmt_ds *d,
				      struct tlv_item const *item,
				      struct crfmt_err *err)
{
	struct repeated rp = {
		CRFMT_DS_INNER, inner_fields, CRFMT_N(inner_fields), d->inner,
		sizeof(d->inner[0]), CRFMT_INNER_MAX, &d->n_inner,
		"inner attachment", inner_check };

	return decode_repeated(d, item, &rp, err);
}

/* A managed dataspace's own fields: an owner, whole pages, no module. */
static enum crfmt_status managed_valid(struct crfmt_ds const *d,
				       struct crfmt_err *err)
{
	if (d->kind != CRFMT_DS_MANAGED) {
		if (d->map_object || d->map_session || d->map_signal)
			return crfmt_fail(err, CRFMT_ERR_VALUE, "dataspace %llu: "
					  "map fields on a dataspace not managed",
					  (unsigned long long)d->id);
		return CRFMT_OK;
	}
	if (!d->map_session || !d->size || !page_aligned(d->size) ||
	    d->module[0])
		return crfmt_fail(err, CRFMT_ERR_VALUE, "dataspace %llu: managed "
				  "without an RM session, whole pages, or with "
				  "a module", (unsigned long long)d->id);
	return CRFMT_OK;
}

enum crfmt_status crfmt_regions_next(struct crfmt_iter *it,
				     struct crfmt_ds *d,
				     struct crfmt_err *err)
{
	struct tlv_item item;
	struct tlv_err terr;
	enum crfmt_status st;

	if ((st = crfmt_iter_item(it, CRFMT_REGIONS_DS, &item, err)))
		return st;
	crfmt_ds_init(d);
	if (tlv_decode(item.val, item.len, ds_fields, CRFMT_N(ds_fields), d,
		       &terr))
		return crfmt_tlv_fail(err, "dataspace", item.offset, &terr);
	if (!d->id)
		return crfmt_fail(err, CRFMT_ERR_VALUE,
				  "dataspace record at byte %zu: id 0",
				  item.offset);
	if (!crfmt_ds_kind_name(d->kind))
		return crfmt_fail(err, CRFMT_ERR_VALUE,
				  "dataspace %llu: unknown kind %u",
				  (unsigned long long)d->id, d->kind);
	if (d->writable > 1)
		return crfmt_fail(err, CRFMT_ERR_VALUE,
				  "dataspace %llu: writable %llu, not 0 or 1",
				  (unsigned long long)d->id,
				  (unsigned long long)d->writable);
	if (d->size > CRFMT_DS_SIZE_MAX)
		return crfmt_fail(err, CRFMT_ERR_VALUE,
				  "dataspace %llu: size 0x%llx, at most 2^47",
				  (unsigned long long)d->id,
				  (unsigned long long)d->size);
	if ((st = managed_valid(d, err)) ||
	    (st = decode_attachments(d, &item, err)) ||
	    (st = decode_inner(d, &item, err)))
		return st;
	if ((st = crfmt_iter_key(it, d->id, "dataspace", item.offset, err)))
		return st;
	return crfmt_ok(err);
}

char const *crfmt_ds_kind_name(uint32_t kind)
{
	switch (kind) {
	case CRFMT_DS_RAM:
		return "ram";
	case CRFMT_DS_ROM:
		return "rom";
	case CRFMT_DS_ELF:
		return "elf";
	case CRFMT_DS_MANAGED:
		return "managed";
	}
	return NULL;
}

char *crfmt_rights_str(uint32_t rights, char out[CRFMT_RIGHTS_STR])
{
	out[0] = rights & CRFMT_R ? 'r' : '-';
	out[1] = rights & CRFMT_W ? 'w' : '-';
	out[2] = rights & CRFMT_X ? 'x' : '-';
	out[3] = '\0';
	return out;
}

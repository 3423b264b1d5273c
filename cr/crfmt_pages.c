/*
 * crfmt_pages — the pages section: per dataspace, its content, whole or as
 * runs of changed pages (crfmt.h). Freestanding (compat.h).
 *
 * A TLV value holds at most 4 GiB, so a larger dataspace is written as
 * runs (each below 4 GiB) even in a full image; a reader treats both forms
 * alike: runs cover whole pages inside the dataspace, in ascending order,
 * without overlap.
 */
#include "crfmt_impl.h"

static struct tlv_field const pg_fields[] = {
	TLV_FIELD(CRFMT_PG_ID, TLV_U64, struct crfmt_pages, id, true),
	TLV_FIELD(CRFMT_PG_SIZE, TLV_U64, struct crfmt_pages, size, true),
	TLV_FIELD(CRFMT_PG_DATA, TLV_BLOB, struct crfmt_pages, data, false),
};

static struct tlv_field const run_fields[] = {
	TLV_FIELD(CRFMT_RUN_PAGE, TLV_U64, struct crfmt_run, page, true),
	TLV_FIELD(CRFMT_RUN_DATA, TLV_BLOB, struct crfmt_run, data, true),
};

void crfmt_pages_encode(struct tlv_writer *w, uint64_t id, void const *data,
			uint64_t size)
{
	size_t mark = tlv_begin(w, CRFMT_PAGES_DS);

	tlv_put_u64(w, CRFMT_PG_ID, id);
	tlv_put_u64(w, CRFMT_PG_SIZE, size);
	tlv_put_blob(w, CRFMT_PG_DATA, data, (size_t)size);
	tlv_end(w, mark);
}

size_t crfmt_pages_begin(struct tlv_writer *w, uint64_t id, uint64_t size)
{
	size_t mark = tlv_begin(w, CRFMT_PAGES_DS);

	tlv_put_u64(w, CRFMT_PG_ID, id);
	tlv_put_u64(w, CRFMT_PG_SIZE, size);
	return mark;
}

void crfmt_pages_run(struct tlv_writer *w, uint64_t page, void const *data,
		     size_t len)
{
	size_t mark = tlv_begin(w, CRFMT_PG_RUN);

	tlv_put_u64(w, CRFMT_RUN_PAGE, page);
	tlv_put_blob(w, CRFMT_RUN_DATA, data, len);
	tlv_end(w, mark);
}

void crfmt_pages_end(struct tlv_writer *w, size_t mark)
{
	tlv_end(w, mark);
}

void crfmt_runs_init(struct crfmt_iter *it, struct crfmt_pages const *p)
{
	crfmt_iter_init(it, p->runs.data, p->runs.len);
}

/* The next run, not checked against the dataspace (see check_runs). */
static enum crfmt_status next_run(struct crfmt_iter *it, struct crfmt_run *r,
				  size_t *offset, struct crfmt_err *err)
{
	struct tlv_item item;
	struct tlv_err terr;
	enum crfmt_status st;

	if ((st = crfmt_iter_item(it, CRFMT_PG_RUN, &item, err)))
		return st;
	*r = (struct crfmt_run){ 0 };
	*offset = item.offset;
	if (tlv_decode(item.val, item.len, run_fields, CRFMT_N(run_fields), r,
		       &terr))
		return crfmt_tlv_fail(err, "run", item.offset, &terr);
	return CRFMT_OK;
}

enum crfmt_status crfmt_runs_next(struct crfmt_iter *it, struct crfmt_run *r,
				  struct crfmt_err *err)
{
	size_t offset;

	return next_run(it, r, &offset, err);
}

/* Every run of P inside the dataspace, whole pages (but the last page of
 * the dataspace), ascending and apart. */
static enum crfmt_status check_runs(struct crfmt_pages *p,
				    struct crfmt_err *err)
{
	uint64_t pages = (p->size + CRFMT_PAGE_SIZE - 1) / CRFMT_PAGE_SIZE;
	uint64_t next = 0;		/* first page the next run may use */
	unsigned long long id = (unsigned long long)p->id;
	struct crfmt_iter it;
	struct crfmt_run r;
	enum crfmt_status st;
	size_t offset;

	crfmt_runs_init(&it, p);
	while ((st = next_run(&it, &r, &offset, err)) == CRFMT_OK) {
		uint64_t start, n;

		if (r.page < next || r.page >= pages)
			return crfmt_fail(err, CRFMT_ERR_ORDER,
					  "dataspace %llu: run at byte %zu: "
					  "page %llu %s", id, offset,
					  (unsigned long long)r.page,
					  r.page >= pages ? "beyond the end"
							  : "overlaps or "
							    "precedes the "
							    "previous run");
		start = r.page * CRFMT_PAGE_SIZE;
		n = (r.data.len + CRFMT_PAGE_SIZE - 1) / CRFMT_PAGE_SIZE;
		if (!r.data.len || r.data.len > p->size - start ||
		    (r.data.len % CRFMT_PAGE_SIZE &&
		     start + r.data.len != p->size))
			return crfmt_fail(err, CRFMT_ERR_VALUE,
					  "dataspace %llu: run at byte %zu: "
					  "%zu bytes at page %llu, not whole "
					  "pages inside 0x%llx bytes", id,
					  offset, r.data.len,
					  (unsigned long long)r.page,
					  (unsigned long long)p->size);
		next = r.page + n;
		p->n_runs++;
	}
	return st == CRFMT_END ? CRFMT_OK : st;
}

enum crfmt_status crfmt_pages_next(struct crfmt_iter *it,
				   struct crfmt_pages *p,
				   struct crfmt_err *err)
{
	struct tlv_item item;
	struct tlv_err terr;
	enum crfmt_status st;

	if ((st = crfmt_iter_item(it, CRFMT_PAGES_DS, &item, err)))
		return st;
	*p = (struct crfmt_pages){ 0 };
	if (tlv_decode(item.val, item.len, pg_fields, CRFMT_N(pg_fields), p,
		       &terr))
		return crfmt_tlv_fail(err, "pages", item.offset, &terr);
	/* The runs are the record's own fields: walk them from its start. */
	p->runs = (struct tlv_bytes){ item.val, item.len };
	if ((st = check_runs(p, err)))
		return st;
	if (p->data.data && p->n_runs)
		return crfmt_fail(err, CRFMT_ERR_VALUE,
				  "dataspace %llu: both whole content and runs",
				  (unsigned long long)p->id);
	if (p->data.data && p->data.len != p->size)
		return crfmt_fail(err, CRFMT_ERR_VALUE,
				  "dataspace %llu: %zu bytes of content, size "
				  "%llu", (unsigned long long)p->id,
				  p->data.len, (unsigned long long)p->size);
	if ((st = crfmt_iter_key(it, p->id, "dataspace", item.offset, err)))
		return st;
	return crfmt_ok(err);
}

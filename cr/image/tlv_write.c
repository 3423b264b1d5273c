/*
 * tlv_write — writing records (see tlv.h).
 *
 * Freestanding: built into libimage.a for the host and into libcrfmt.a for
 * components (cr writes checkpoints with it), so it uses only compat.h and
 * gets memory through the writer's grow callback, never from an allocator.
 */
#include <recap/cr_stream.h>	/* little-endian helpers */

#include "compat.h"
#include "tlv.h"

void tlv_writer_init_buf(struct tlv_writer *w, void *buf, size_t cap,
			 tlv_grow_fn grow, void *ctx)
{
	*w = (struct tlv_writer){
		.buf = buf, .cap = buf ? cap : 0, .grow = grow, .grow_ctx = ctx,
	};
}

bool tlv_writer_ok(struct tlv_writer const *w)
{
	return !w->failed;
}

/* Room for N more bytes; NULL (and the writer failed) if there is none. */
static uint8_t *reserve(struct tlv_writer *w, size_t n)
{
	if (w->failed)
		return NULL;
	if (n > w->cap - w->len) {
		if (n > SIZE_MAX - w->len || !w->grow ||
		    !w->grow(w->grow_ctx, &w->buf, &w->cap, w->len + n) ||
		    n > w->cap - w->len) {
			w->failed = true;
			return NULL;
		}
	}
	return w->buf + w->len;
}

static void put_field(struct tlv_writer *w, uint16_t tag, void const *val,
		      size_t len)
{
	uint8_t *p;

	if (len > UINT32_MAX) {
		w->failed = true;
		return;
	}
	if (!(p = reserve(w, TLV_HEADER_SIZE + len)))
		return;
	p[0] = (uint8_t)tag;
	p[1] = (uint8_t)(tag >> 8);
	cr_stream_put_u32(p + 2, (uint32_t)len);
	if (len)
		memcpy(p + TLV_HEADER_SIZE, val, len);
	w->len += TLV_HEADER_SIZE + len;
}

void tlv_put_u64(struct tlv_writer *w, uint16_t tag, uint64_t v)
{
	uint8_t b[8];

	cr_stream_put_u64(b, v);
	put_field(w, tag, b, sizeof(b));
}

void tlv_put_str(struct tlv_writer *w, uint16_t tag, char const *s)
{
	put_field(w, tag, s, strlen(s));
}

void tlv_put_blob(struct tlv_writer *w, uint16_t tag, void const *data,
		  size_t len)
{
	put_field(w, tag, data, len);
}

void tlv_put_raw(struct tlv_writer *w, void const *data, size_t len)
{
	uint8_t *p = reserve(w, len);

	if (!p)
		return;
	if (len)
		memcpy(p, data, len);
	w->len += len;
}

size_t tlv_begin(struct tlv_writer *w, uint16_t tag)
{
	size_t mark = w->len;

	put_field(w, tag, NULL, 0);	/* length patched by tlv_end */
	return mark;
}

void tlv_end(struct tlv_writer *w, size_t mark)
{
	size_t len;

	if (w->failed)
		return;
	len = w->len - mark - TLV_HEADER_SIZE;
	if (len > UINT32_MAX) {
		w->failed = true;
		return;
	}
	cr_stream_put_u32(w->buf + mark + 2, (uint32_t)len);
}

void tlv_encode(struct tlv_writer *w, struct tlv_field const *fields,
		size_t n, void const *rec)
{
	uint8_t const *base = rec;

	for (size_t i = 0; i < n; i++) {
		struct tlv_field const *f = &fields[i];
		void const *m = base + f->offset;

		switch (f->kind) {
		case TLV_U64:
			tlv_put_u64(w, f->tag, *(uint64_t const *)m);
			break;
		case TLV_U32:
			tlv_put_u64(w, f->tag, *(uint32_t const *)m);
			break;
		case TLV_STR:
			put_field(w, f->tag, m, crfmt_strnlen(m, f->size));
			break;
		case TLV_BLOB: {
			struct tlv_bytes const *b = m;

			tlv_put_blob(w, f->tag, b->data, b->len);
			break;
		}
		case TLV_BYTES:
			tlv_put_blob(w, f->tag, m, f->size);
			break;
		}
	}
}

/*
 * crfmt_stream — building a checkpoint stream (recap/cr_stream.h) in a
 * tlv_writer's buffer, for cr (crfmt.h). Freestanding (compat.h).
 *
 * The buffer may move when it grows (a new RAM dataspace in cr), so the
 * section header is patched through its offset, never through a pointer.
 */
#include <recap/cr_stream.h>

#include "crfmt_impl.h"

void crfmt_stream_begin(struct tlv_writer *w)
{
	uint8_t h[CR_STREAM_HEADER_SIZE];

	cr_stream_header(h, 0);
	tlv_put_raw(w, h, sizeof(h));
}

size_t crfmt_stream_section_begin(struct tlv_writer *w, uint32_t type)
{
	uint8_t h[CR_STREAM_SECTION_HEADER_SIZE];
	size_t mark = w->len;

	cr_stream_section_header(h, type, 0);
	tlv_put_raw(w, h, sizeof(h));
	return mark;
}

void crfmt_stream_section_end(struct tlv_writer *w, size_t mark)
{
	static uint8_t const zero[CR_STREAM_ALIGN];
	uint64_t len;

	if (!tlv_writer_ok(w))
		return;
	len = w->len - mark - CR_STREAM_SECTION_HEADER_SIZE;
	tlv_put_raw(w, zero, (size_t)cr_stream_pad(len));
	if (!tlv_writer_ok(w))
		return;
	cr_stream_put_u64(w->buf + mark + 8, len);
	cr_stream_put_u32(w->buf + 12, cr_stream_get_u32(w->buf + 12) + 1);
}

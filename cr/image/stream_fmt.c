/*
 * stream_fmt — walking and checking checkpoint streams (recap/cr_stream.h).
 *
 * Freestanding: built into libimage.a for the host and into libcrfmt.a for
 * components, so it uses nothing but the stream header itself. It trusts
 * nothing: every length is checked against what is left before it is used,
 * so a damaged stream can fail the walk but never make it read outside.
 */
#include <recap/cr_stream.h>

enum cr_stream_status cr_stream_reader_init(struct cr_stream_reader *r,
					    void const *stream, size_t len)
{
	uint8_t const *p = stream;
	uint32_t version;

	*r = (struct cr_stream_reader){ .p = p, .len = len };
	for (size_t i = 0; i < CR_STREAM_MAGIC_LEN; i++)
		if (i >= len || p[i] != (uint8_t)CR_STREAM_MAGIC[i])
			return i >= len ? CR_STREAM_ERR_TRUNCATED
					: CR_STREAM_ERR_MAGIC;
	if (len < CR_STREAM_HEADER_SIZE)
		return CR_STREAM_ERR_TRUNCATED;
	version = cr_stream_get_u32(p + 8);
	if (version != CR_STREAM_VERSION) {
		r->off = 8;
		return CR_STREAM_ERR_VERSION;
	}
	r->count = cr_stream_get_u32(p + 12);
	if (r->count > CR_STREAM_SECTIONS_MAX) {
		r->off = 12;
		return CR_STREAM_ERR_COUNT;
	}
	r->off = CR_STREAM_HEADER_SIZE;
	return CR_STREAM_OK;
}

enum cr_stream_status cr_stream_next(struct cr_stream_reader *r,
				     struct cr_stream_section *s)
{
	size_t left = r->len - r->off;
	uint8_t const *h = r->p + r->off;
	uint64_t pad;

	if (r->index == r->count)
		return left ? CR_STREAM_ERR_COUNT : CR_STREAM_END;
	if (left < CR_STREAM_SECTION_HEADER_SIZE)
		return CR_STREAM_ERR_TRUNCATED;
	s->type = cr_stream_get_u32(h);
	s->flags = cr_stream_get_u32(h + 4);
	s->len = cr_stream_get_u64(h + 8);
	s->offset = r->off;
	if (s->type == 0 || s->type > CR_SEC_LAST)
		return CR_STREAM_ERR_TYPE;
	if (s->flags)
		return CR_STREAM_ERR_FLAGS;
	if (s->len > CR_STREAM_SECTION_MAX)
		return CR_STREAM_ERR_LENGTH;
	pad = cr_stream_pad(s->len);
	left -= CR_STREAM_SECTION_HEADER_SIZE;
	if (s->len > left || pad > left - s->len)
		return CR_STREAM_ERR_TRUNCATED;
	s->payload = h + CR_STREAM_SECTION_HEADER_SIZE;
	for (uint64_t i = 0; i < pad; i++)
		if (((uint8_t const *)s->payload)[s->len + i])
			return CR_STREAM_ERR_PADDING;
	r->off += CR_STREAM_SECTION_HEADER_SIZE + (size_t)(s->len + pad);
	r->index++;
	return CR_STREAM_OK;
}

enum cr_stream_status cr_stream_check(void const *stream, size_t len,
				      size_t *at, uint32_t *index)
{
	struct cr_stream_reader r;
	struct cr_stream_section s;
	enum cr_stream_status st;

	if ((st = cr_stream_reader_init(&r, stream, len))) {
		if (at)
			*at = r.off;
		if (index)
			*index = ~0u;
		return st;
	}
	while ((st = cr_stream_next(&r, &s)) == CR_STREAM_OK)
		;
	if (st == CR_STREAM_END)
		return CR_STREAM_OK;
	if (at)
		*at = r.off;
	if (index)
		*index = r.index;
	return st;
}

char const *cr_stream_status_str(enum cr_stream_status st)
{
	switch (st) {
	case CR_STREAM_OK:
		return "ok";
	case CR_STREAM_END:
		return "end of stream";
	case CR_STREAM_ERR_MAGIC:
		return "not a checkpoint stream (bad magic)";
	case CR_STREAM_ERR_VERSION:
		return "unsupported stream version";
	case CR_STREAM_ERR_TRUNCATED:
		return "truncated";
	case CR_STREAM_ERR_COUNT:
		return "section count does not match the stream";
	case CR_STREAM_ERR_TYPE:
		return "unknown section type";
	case CR_STREAM_ERR_FLAGS:
		return "unknown section flags";
	case CR_STREAM_ERR_LENGTH:
		return "section longer than 2^47 bytes";
	case CR_STREAM_ERR_PADDING:
		return "padding byte not zero";
	}
	return "unknown error";
}

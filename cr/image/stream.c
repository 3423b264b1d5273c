/*
 * stream — checkpoint stream <-> image file (see stream.h).
 *
 * Writing validates the whole stream before the image writer is opened, so
 * a bad stream leaves no trace, not even a temporary file. Reading goes
 * through image_open, so a stream handed to cr was verified byte by byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <recap/cr_stream.h>

#include "image_format.h"
#include "stream.h"

_Static_assert((int)CR_SEC_META == (int)IMAGE_SEC_META &&
	       (int)CR_SEC_CAPSPACE == (int)IMAGE_SEC_CAPSPACE &&
	       (int)CR_SEC_THREADS == (int)IMAGE_SEC_THREADS &&
	       (int)CR_SEC_SESSIONS == (int)IMAGE_SEC_SESSIONS &&
	       (int)CR_SEC_REGIONS == (int)IMAGE_SEC_REGIONS &&
	       (int)CR_SEC_PAGES == (int)IMAGE_SEC_PAGES &&
	       (int)CR_SEC_PARENT == (int)IMAGE_SEC_PARENT,
	       "stream and image section types differ");
_Static_assert(CR_STREAM_SECTIONS_MAX == IMAGE_SECTIONS_MAX &&
	       CR_STREAM_SECTION_MAX == IMAGE_RAW_MAX,
	       "stream and image limits differ");

/* One line for a failed stream check: where, and what the field held. */
static enum image_status stream_fail(struct image_err *err, char const *path,
				     struct cr_stream_reader const *r,
				     struct cr_stream_section const *s,
				     enum cr_stream_status st)
{
	uint8_t const *h = r->p + r->off;
	char const *what = cr_stream_status_str(st);

	switch (st) {
	case CR_STREAM_ERR_MAGIC:
		return image_err_set(err, IMAGE_ERR_STREAM, path,
				     "stream: %s", what);
	case CR_STREAM_ERR_VERSION:
		return image_err_set(err, IMAGE_ERR_STREAM, path,
				     "stream: unsupported stream version %u "
				     "(this recap reads version %u)",
				     cr_stream_get_u32(h), CR_STREAM_VERSION);
	default:
		break;
	}
	if (r->off < CR_STREAM_HEADER_SIZE) {
		if (st == CR_STREAM_ERR_COUNT)
			return image_err_set(err, IMAGE_ERR_STREAM, path,
					     "stream: %u sections, at most %u",
					     cr_stream_get_u32(r->p + 12),
					     CR_STREAM_SECTIONS_MAX);
		return image_err_set(err, IMAGE_ERR_STREAM, path,
				     "stream: truncated: %zu bytes, shorter "
				     "than a stream header (%u)",
				     r->len, CR_STREAM_HEADER_SIZE);
	}
	switch (st) {
	case CR_STREAM_ERR_COUNT:
		return image_err_set(err, IMAGE_ERR_STREAM, path,
				     "stream: %zu bytes after the last of "
				     "%u sections", r->len - r->off, r->count);
	case CR_STREAM_ERR_TYPE:
		return image_err_set(err, IMAGE_ERR_STREAM, path,
				     "stream: section %u at byte %zu: unknown "
				     "section type %u", r->index, r->off,
				     s->type);
	case CR_STREAM_ERR_FLAGS:
		return image_err_set(err, IMAGE_ERR_STREAM, path,
				     "stream: section %u at byte %zu: unknown "
				     "flags 0x%x", r->index, r->off, s->flags);
	case CR_STREAM_ERR_LENGTH:
		return image_err_set(err, IMAGE_ERR_STREAM, path,
				     "stream: section %u at byte %zu: length "
				     "%llu, at most 2^47", r->index, r->off,
				     (unsigned long long)s->len);
	case CR_STREAM_ERR_PADDING:
		return image_err_set(err, IMAGE_ERR_STREAM, path,
				     "stream: section %u at byte %zu: padding "
				     "byte not zero", r->index, r->off);
	case CR_STREAM_ERR_TRUNCATED:
		if (r->len - r->off < CR_STREAM_SECTION_HEADER_SIZE)
			return image_err_set(err, IMAGE_ERR_STREAM, path,
					     "stream: truncated: section %u "
					     "of %u at byte %zu: %zu bytes "
					     "left, a section header is %u",
					     r->index, r->count, r->off,
					     r->len - r->off,
					     CR_STREAM_SECTION_HEADER_SIZE);
		return image_err_set(err, IMAGE_ERR_STREAM, path,
				     "stream: truncated: section %u at byte "
				     "%zu: %llu bytes and padding, %zu left",
				     r->index, r->off,
				     (unsigned long long)s->len,
				     r->len - r->off -
					     CR_STREAM_SECTION_HEADER_SIZE);
	default:
		return image_err_set(err, IMAGE_ERR_STREAM, path,
				     "stream: section %u at byte %zu: %s",
				     r->index, r->off, what);
	}
}

/* Check the whole stream, reporting the first problem. */
static enum image_status stream_validate(char const *path, void const *stream,
					 size_t len, struct image_err *err)
{
	struct cr_stream_reader r;
	struct cr_stream_section s = { 0 };
	enum cr_stream_status st;

	if ((st = cr_stream_reader_init(&r, stream, len)))
		return stream_fail(err, path, &r, &s, st);
	while ((st = cr_stream_next(&r, &s)) == CR_STREAM_OK)
		;
	if (st != CR_STREAM_END)
		return stream_fail(err, path, &r, &s, st);
	return IMAGE_OK;
}

enum image_status image_write_from_stream(char const *path,
					  void const *stream, size_t len,
					  bool compress, struct image_err *err)
{
	return image_write_from_stream_lent(path, stream, len, compress, NULL,
					    NULL, err);
}

enum image_status image_write_from_stream_lent(
	char const *path, void const *stream, size_t len, bool compress,
	char const *(*lost)(void *arg), void *arg, struct image_err *err)
{
	struct cr_stream_reader r;
	struct cr_stream_section s;
	struct image_writer *w;
	enum image_status st;
	char const *why;

	if ((st = stream_validate(path, stream, len, err)))
		return st;
	if ((st = image_writer_open(path, compress ? IMAGE_COMPRESS : 0, &w,
				    err)))
		return st;
	cr_stream_reader_init(&r, stream, len);
	while (cr_stream_next(&r, &s) == CR_STREAM_OK)
		if ((st = image_writer_section(w, s.type, s.payload,
					       (size_t)s.len)))
			goto fail;
	if (lost && (why = lost(arg))) {
		image_writer_abort(w);
		return image_err_set(err, IMAGE_ERR_STREAM, path, "stream: %s",
				     why);
	}
	return image_writer_commit_err(w, err);
fail:
	if (err)
		*err = *image_writer_error(w);
	image_writer_abort(w);
	return st;
}

enum image_status image_to_stream(struct image const *img, void **buf,
				  size_t *len, struct image_err *err)
{
	size_t n = image_nsections(img), total = CR_STREAM_HEADER_SIZE;
	struct image_section_info info;
	uint8_t *p, *q;

	*buf = NULL;
	*len = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t add;

		image_section_info(img, i, &info);
		add = CR_STREAM_SECTION_HEADER_SIZE + info.raw_len +
		      cr_stream_pad(info.raw_len);
		if (add > SIZE_MAX - total)	/* raw_len < 2^47: no wrap */
			return image_err_set(err, IMAGE_ERR_NOMEM, "image",
					     "a stream of more than %zu bytes",
					     SIZE_MAX);
		total += add;
	}
	if (!(p = malloc(total)))
		return image_err_set(err, IMAGE_ERR_NOMEM, "image",
				     "out of memory for a stream of %zu bytes",
				     total);
	cr_stream_header(p, (uint32_t)n);
	q = p + CR_STREAM_HEADER_SIZE;
	for (size_t i = 0; i < n; i++) {
		uint64_t pad;

		image_section_info(img, i, &info);
		pad = cr_stream_pad(info.raw_len);
		cr_stream_section_header(q, info.type, info.raw_len);
		q += CR_STREAM_SECTION_HEADER_SIZE;
		if (info.raw_len)
			memcpy(q, info.data, info.raw_len);
		memset(q + info.raw_len, 0, pad);
		q += info.raw_len + pad;
	}
	*buf = p;
	*len = total;
	if (err)
		*err = (struct image_err){ .code = IMAGE_OK };
	return IMAGE_OK;
}

enum image_status image_read_to_stream(char const *path, void **buf,
				       size_t *len, struct image_err *err)
{
	struct image *img;
	enum image_status st;

	*buf = NULL;
	*len = 0;
	if ((st = image_open(path, &img, err)))
		return st;
	st = image_to_stream(img, buf, len, err);
	if (st && err)
		image_err_set(err, st, path, "out of memory for the stream");
	image_close(img);
	return st;
}

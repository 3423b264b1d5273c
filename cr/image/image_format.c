/*
 * image_format — header and section table entries to and from bytes.
 *
 * Field by field through image_put/get_*, so the file layout is exactly the
 * one in image_format.h whatever the host's struct padding or byte order.
 */
#include <stdarg.h>
#include <stdio.h>

#include <xxhash.h>

#include "image_format.h"

uint64_t image_hash(void const *data, size_t len)
{
	return XXH3_64bits(data, len);
}

enum image_status image_err_set(struct image_err *e, enum image_status code,
				char const *path, char const *fmt, ...)
{
	va_list ap;
	int n;

	if (!e)
		return code;
	e->code = code;
	n = snprintf(e->msg, sizeof(e->msg), "%s: ", path);
	if (n < 0 || (size_t)n >= sizeof(e->msg))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(e->msg + n, sizeof(e->msg) - (size_t)n, fmt, ap);
	va_end(ap);
	return code;
}

void image_header_encode(uint8_t out[IMAGE_HEADER_SIZE],
			 struct image_header const *h)
{
	memcpy(out + IMAGE_H_MAGIC, IMAGE_MAGIC, IMAGE_MAGIC_LEN);
	image_put_u32(out + IMAGE_H_VERSION, h->version);
	image_put_u32(out + IMAGE_H_HEADER_SIZE, h->header_size);
	image_put_u32(out + IMAGE_H_FLAGS, h->flags);
	image_put_u32(out + IMAGE_H_COUNT, h->count);
	image_put_u64(out + IMAGE_H_TABLE_OFFSET, h->table_offset);
	image_put_u64(out + IMAGE_H_FILE_SIZE, h->file_size);
	image_put_u64(out + IMAGE_H_TABLE_HASH, h->table_hash);
	image_put_u64(out + IMAGE_H_FILE_HASH, h->file_hash);
	image_put_u64(out + IMAGE_H_HEADER_HASH,
		      image_hash(out, IMAGE_H_HEADER_HASH));
}

void image_header_decode(uint8_t const in[IMAGE_HEADER_SIZE],
			 struct image_header *h)
{
	h->version = image_get_u32(in + IMAGE_H_VERSION);
	h->header_size = image_get_u32(in + IMAGE_H_HEADER_SIZE);
	h->flags = image_get_u32(in + IMAGE_H_FLAGS);
	h->count = image_get_u32(in + IMAGE_H_COUNT);
	h->table_offset = image_get_u64(in + IMAGE_H_TABLE_OFFSET);
	h->file_size = image_get_u64(in + IMAGE_H_FILE_SIZE);
	h->table_hash = image_get_u64(in + IMAGE_H_TABLE_HASH);
	h->file_hash = image_get_u64(in + IMAGE_H_FILE_HASH);
	h->header_hash = image_get_u64(in + IMAGE_H_HEADER_HASH);
}

void image_entry_encode(uint8_t out[IMAGE_ENTRY_SIZE],
			struct image_entry const *e)
{
	image_put_u32(out + IMAGE_E_TYPE, e->type);
	image_put_u32(out + IMAGE_E_FLAGS, e->flags);
	image_put_u64(out + IMAGE_E_OFFSET, e->offset);
	image_put_u64(out + IMAGE_E_STORED_LEN, e->stored_len);
	image_put_u64(out + IMAGE_E_RAW_LEN, e->raw_len);
	image_put_u64(out + IMAGE_E_STORED_HASH, e->stored_hash);
	image_put_u64(out + IMAGE_E_RAW_HASH, e->raw_hash);
}

void image_entry_decode(uint8_t const in[IMAGE_ENTRY_SIZE],
			struct image_entry *e)
{
	e->type = image_get_u32(in + IMAGE_E_TYPE);
	e->flags = image_get_u32(in + IMAGE_E_FLAGS);
	e->offset = image_get_u64(in + IMAGE_E_OFFSET);
	e->stored_len = image_get_u64(in + IMAGE_E_STORED_LEN);
	e->raw_len = image_get_u64(in + IMAGE_E_RAW_LEN);
	e->stored_hash = image_get_u64(in + IMAGE_E_STORED_HASH);
	e->raw_hash = image_get_u64(in + IMAGE_E_RAW_HASH);
}

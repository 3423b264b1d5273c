/*
 * recap/cr_stream.h — the checkpoint stream: how the checkpointing component
 * (cr, freestanding) hands a checkpoint to the host side, and gets one back.
 *
 * cr cannot write files. It writes the checkpoint into a RAM dataspace as a
 * stream: a small header, then (section type, bytes) pairs whose bytes are
 * exactly the payloads of the image's sections (docs/image-format.md). The
 * host (recap, cr/image/stream.h) validates a stream and turns it into an
 * image file (checksums, zstd, atomic write); on restore it verifies an
 * image and turns it back into a stream for cr to read.
 *
 *   offset 0    magic "RECAPSTR"                      8 bytes
 *   offset 8    version u32 (CR_STREAM_VERSION)
 *   offset 12   section count u32
 *   offset 16   sections, each:
 *                 type u32 | flags u32 (0) | length u64 | bytes | zero
 *                 padding to the next multiple of 8
 *   the stream ends exactly after the last section's padding.
 *
 * Everything is little-endian and encoded field by field (the helpers
 * below), never by copying a struct. This header needs only <stdint.h> and
 * <stddef.h>, so it serves freestanding components and host tools alike.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define CR_STREAM_MAGIC "RECAPSTR"
#define CR_STREAM_MAGIC_LEN 8
#define CR_STREAM_VERSION 1
#define CR_STREAM_HEADER_SIZE 16	/* magic, version, count */
#define CR_STREAM_SECTION_HEADER_SIZE 16	/* type, flags, length */
#define CR_STREAM_ALIGN 8
/* Same limits as the image (cr/image/image_format.h). */
#define CR_STREAM_SECTIONS_MAX (1u << 20)
#define CR_STREAM_SECTION_MAX (1ull << 47)

/*
 * Section types: the image's numbers (enum image_section_type in
 * cr/image/image.h, checked equal there), repeated here so that components
 * need no host header.
 */
enum cr_stream_type {
	CR_SEC_META = 1,
	CR_SEC_CAPSPACE = 2,
	CR_SEC_THREADS = 3,
	CR_SEC_SESSIONS = 4,
	CR_SEC_REGIONS = 5,
	CR_SEC_PAGES = 6,
	CR_SEC_PARENT = 7,
	CR_SEC_LAST = CR_SEC_PARENT,	/* highest type this build knows */
};

/* ---- little-endian fields ---------------------------------------- */

static inline void cr_stream_put_u32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline void cr_stream_put_u64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint32_t cr_stream_get_u32(uint8_t const *p)
{
	uint32_t v = 0;

	for (int i = 3; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static inline uint64_t cr_stream_get_u64(uint8_t const *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* Padding after LEN payload bytes (0..7). */
static inline uint64_t cr_stream_pad(uint64_t len)
{
	return (CR_STREAM_ALIGN - (len & (CR_STREAM_ALIGN - 1))) &
	       (CR_STREAM_ALIGN - 1);
}

/* ---- writing ------------------------------------------------------ */

/* The stream header for COUNT sections (count may be patched later). */
static inline void cr_stream_header(uint8_t out[CR_STREAM_HEADER_SIZE],
				    uint32_t count)
{
	for (int i = 0; i < CR_STREAM_MAGIC_LEN; i++)
		out[i] = (uint8_t)CR_STREAM_MAGIC[i];
	cr_stream_put_u32(out + 8, CR_STREAM_VERSION);
	cr_stream_put_u32(out + 12, count);
}

/* The header of one section of LEN bytes; the payload and
 * cr_stream_pad(LEN) zero bytes follow it. */
static inline void cr_stream_section_header(
	uint8_t out[CR_STREAM_SECTION_HEADER_SIZE], uint32_t type,
	uint64_t len)
{
	cr_stream_put_u32(out, type);
	cr_stream_put_u32(out + 4, 0);
	cr_stream_put_u64(out + 8, len);
}

/* ---- reading (validation: cr_stream_check in cr/image/stream_fmt.c) -- */

enum cr_stream_status {
	CR_STREAM_OK = 0,
	CR_STREAM_END,			/* cr_stream_next: no more sections */
	CR_STREAM_ERR_MAGIC,		/* not a stream */
	CR_STREAM_ERR_VERSION,		/* a stream of another version */
	CR_STREAM_ERR_TRUNCATED,	/* a header or payload runs past the end */
	CR_STREAM_ERR_COUNT,		/* too many sections, or trailing bytes */
	CR_STREAM_ERR_TYPE,		/* a section type this build does not know */
	CR_STREAM_ERR_FLAGS,		/* section flags not 0 */
	CR_STREAM_ERR_LENGTH,		/* a section longer than the limit */
	CR_STREAM_ERR_PADDING,		/* a padding byte not 0 */
};

/* One section as found: PAYLOAD points into the stream. */
struct cr_stream_section {
	uint32_t type;
	uint32_t flags;
	uint64_t len;
	void const *payload;
	size_t offset;			/* of the section header in the stream */
};

/* Walks a stream that cr_stream_check accepted (or checks as it goes). */
struct cr_stream_reader {
	uint8_t const *p;
	size_t len;
	size_t off;			/* the next section header */
	uint32_t count;			/* sections the header announces */
	uint32_t index;			/* sections returned so far */
};

/*
 * Check the whole stream: magic, version, count, every section's type,
 * flags, length and padding, and that the last section ends the stream.
 * On failure *AT (if not NULL) is the offset of the offending field and
 * *INDEX the section's index (or ~0u for the stream header).
 */
enum cr_stream_status cr_stream_check(void const *stream, size_t len,
				      size_t *at, uint32_t *index);

/* Start walking STREAM: checks the header only. */
enum cr_stream_status cr_stream_reader_init(struct cr_stream_reader *r,
					    void const *stream, size_t len);

/* The next section (checked as cr_stream_check does), or CR_STREAM_END. */
enum cr_stream_status cr_stream_next(struct cr_stream_reader *r,
				     struct cr_stream_section *s);

/* "bad magic", ...: for messages. */
char const *cr_stream_status_str(enum cr_stream_status st);

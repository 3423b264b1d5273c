/*
 * tlv — versioned records for the structured sections of an image.
 *
 * A record is a sequence of fields, each
 *
 *   tag u16 | length u32 | value (length bytes)        little-endian
 *
 * Integers are always 8 bytes on the wire, whatever the C member's width,
 * so a field can grow from u32 to u64 without a format change. Strings are
 * their bytes without a NUL. A nested record (tlv_begin/tlv_end) is a field
 * whose value is itself a record: a capability space section is a sequence
 * of slot fields, each a record of the slot's fields.
 *
 * Versioning follows protobuf's proto2 rules: a field is never renumbered
 * or reinterpreted; a new field gets a new tag and old readers skip it
 * (tlv_decode ignores tags its table lacks); a dropped field's tag is
 * retired, never reused. A reader requires only the fields it cannot do
 * without (struct tlv_field.required).
 *
 * Modules describe a record once, as a table of struct tlv_field, and use
 * the same table to write (tlv_encode) and read (tlv_decode) it; the
 * primitive calls below are there for what a table does not fit.
 *
 * Writing (tlv_write.c) and reading (tlv.c) need no C library (compat.h):
 * they are also built into $(B)/libcrfmt.a for cr, the freestanding
 * checkpointing component. Only tlv_host.c's realloc-grown writer
 * (tlv_writer_init/free) is host-only.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TLV_HEADER_SIZE 6		/* tag u16 + length u32 */
#define TLV_MSG_MAX 160
#define TLV_FIELDS_MAX 64		/* fields in one struct tlv_field table */

enum tlv_status {
	TLV_OK = 0,
	TLV_END,			/* tlv_next: no more fields */
	TLV_ERR_TRUNCATED,		/* a header or value runs past the end */
	TLV_ERR_LENGTH,			/* wrong length for the field's kind */
	TLV_ERR_RANGE,			/* an integer too large for its member */
	TLV_ERR_STRING,			/* a NUL inside, or too long for its member */
	TLV_ERR_DUP,			/* a known field given twice */
	TLV_ERR_MISSING,		/* a required field absent */
};

struct tlv_err {
	enum tlv_status code;
	char msg[TLV_MSG_MAX];		/* "at byte 12: tag 3 (pid): ..." */
};

/* ---------------------------------------------------------------- */
/* Writing                                                           */

/*
 * Make room: called with the writer's buffer and capacity when NEED bytes
 * (in all) do not fit. It must provide a buffer of at least NEED bytes
 * holding the old buffer's content (a realloc, or a new RAM
 * dataspace the old content is copied to), update *BUF and *CAP, and
 * return true; or return false, which fails the writer.
 */
typedef bool (*tlv_grow_fn)(void *ctx, uint8_t **buf, size_t *cap,
			    size_t need);

/*
 * A growing buffer of fields. Calls never fail individually: running out of
 * memory (or a value past 4 GiB) marks the writer failed, later calls do
 * nothing, and tlv_writer_ok() says so at the end.
 */
struct tlv_writer {
	uint8_t *buf;			/* the record so far */
	size_t len;
	size_t cap;
	bool failed;
	tlv_grow_fn grow;		/* NULL: a fixed buffer */
	void *grow_ctx;
};

/* Host only (tlv_host.c): a buffer grown with realloc, freed by
 * tlv_writer_free. */
void tlv_writer_init(struct tlv_writer *w);
void tlv_writer_free(struct tlv_writer *w);

/* Freestanding too: the buffer BUF of CAP bytes (may be NULL, 0), grown by
 * GROW (may be NULL: the writer fails when BUF is full). The caller owns
 * whatever buffer w->buf points to at the end. */
void tlv_writer_init_buf(struct tlv_writer *w, void *buf, size_t cap,
			 tlv_grow_fn grow, void *ctx);
bool tlv_writer_ok(struct tlv_writer const *w);

void tlv_put_u64(struct tlv_writer *w, uint16_t tag, uint64_t v);
void tlv_put_str(struct tlv_writer *w, uint16_t tag, char const *s);
void tlv_put_blob(struct tlv_writer *w, uint16_t tag, void const *data,
		  size_t len);

/* LEN bytes as they are, no field header: for containers around records
 * (a checkpoint stream's section headers, crfmt_stream_*). */
void tlv_put_raw(struct tlv_writer *w, void const *data, size_t len);

/* A nested record: fields put between begin and end form its value. */
size_t tlv_begin(struct tlv_writer *w, uint16_t tag);
void tlv_end(struct tlv_writer *w, size_t mark);

/* ---------------------------------------------------------------- */
/* Reading                                                           */

/* One field as found: its value points into the record being read. */
struct tlv_item {
	uint16_t tag;
	uint32_t len;
	void const *val;
	size_t offset;			/* of the field's header in the record */
};

struct tlv_reader {
	uint8_t const *p;		/* the record */
	size_t len;
	size_t off;			/* the next field's header */
};

void tlv_reader_init(struct tlv_reader *r, void const *data, size_t len);

/* The next field: TLV_OK with *ITEM, TLV_END, or TLV_ERR_TRUNCATED. */
enum tlv_status tlv_next(struct tlv_reader *r, struct tlv_item *item,
			 struct tlv_err *err);

/* The value of an integer field (length must be 8). */
enum tlv_status tlv_get_u64(struct tlv_item const *item, uint64_t *v,
			    struct tlv_err *err);

/* ---------------------------------------------------------------- */
/* Records described by a table                                      */

enum tlv_kind {
	TLV_U64,			/* uint64_t member */
	TLV_U32,			/* uint32_t member, range-checked */
	TLV_STR,			/* char[size] member, NUL-terminated */
	TLV_BLOB,			/* struct tlv_bytes member, a view */
	TLV_BYTES,			/* uint8_t[size] member: exactly size
					   bytes on the wire */
};

/* A blob as decoded: points into the record (e.g. an image section), so
 * valid as long as that is. */
struct tlv_bytes {
	void const *data;
	size_t len;
};

struct tlv_field {
	uint16_t tag;
	enum tlv_kind kind;
	char const *name;		/* for messages */
	size_t offset;			/* of the member in the struct */
	size_t size;			/* of the member */
	bool required;
};

#define TLV_FIELD(tag, kind, type, member, required) \
	{ (tag), (kind), #member, offsetof(type, member), \
	  sizeof(((type *)0)->member), (required) }

/* Append every field of REC as FIELDS describes it, in table order. */
void tlv_encode(struct tlv_writer *w, struct tlv_field const *fields,
		size_t n, void const *rec);

/*
 * Fill REC from the record DATA: fields in FIELDS go to their members,
 * other tags are skipped, absent optional fields leave their member as it
 * was (so set defaults first). Rejects bad lengths, out-of-range integers,
 * bad strings, duplicates and missing required fields.
 */
enum tlv_status tlv_decode(void const *data, size_t len,
			   struct tlv_field const *fields, size_t n, void *rec,
			   struct tlv_err *err);

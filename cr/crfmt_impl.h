/*
 * crfmt_impl — what the cr/crfmt_*.c record modules share (private).
 */
#pragma once

#include "crfmt.h"
#include "image/compat.h"

enum crfmt_status crfmt_fail(struct crfmt_err *err, enum crfmt_status code,
			     char const *fmt, ...)
	__attribute__((format(printf, 3, 4)));

enum crfmt_status crfmt_ok(struct crfmt_err *err);

/* A tlv_decode failure as CRFMT_ERR_RECORD, prefixed with WHAT and the
 * record's offset in the section. */
enum crfmt_status crfmt_tlv_fail(struct crfmt_err *err, char const *what,
				 size_t offset, struct tlv_err const *terr);

/* The next top-level field with TAG (others skipped): CRFMT_OK, CRFMT_END
 * or CRFMT_ERR_RECORD. */
enum crfmt_status crfmt_iter_item(struct crfmt_iter *it, uint16_t tag,
				  struct tlv_item *item,
				  struct crfmt_err *err);

/* KEY must be above the previous record's (or the first). */
enum crfmt_status crfmt_iter_key(struct crfmt_iter *it, uint64_t key,
				 char const *what, size_t offset,
				 struct crfmt_err *err);

/* Put a u64 field unless it has its default value. */
static inline void crfmt_put_opt(struct tlv_writer *w, uint16_t tag,
				 uint64_t v, uint64_t dflt)
{
	if (v != dflt)
		tlv_put_u64(w, tag, v);
}

/* Put a string member (MAX bytes, maybe without NUL) unless empty. */
static inline void crfmt_put_str(struct tlv_writer *w, uint16_t tag,
				 char const *s, size_t max)
{
	if (s[0])
		tlv_put_blob(w, tag, s, crfmt_strnlen(s, max));
}

#define CRFMT_N(table) (sizeof(table) / sizeof((table)[0]))

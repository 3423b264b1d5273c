/*
 * image_format — the byte layout of an image, shared by writer and reader
 * (private to cr/image/; docs/image-format.md is the prose version).
 *
 *   offset 0       header, 64 bytes
 *   offset 64      section 0 data, section 1 data, ... (contiguous, in order)
 *   table_offset   section table: section_count entries of 48 bytes
 *   file_size      end of file (= table_offset + 48 * section_count)
 *
 * Every field is little-endian and fixed-width. The header and table are
 * encoded and decoded field by field into the host structs below, never
 * copied as memory, so neither padding nor host byte order nor pointers can
 * reach the file.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "image.h"

#define IMAGE_MAGIC "RECAPIMG"
#define IMAGE_MAGIC_LEN 8
#define IMAGE_HEADER_SIZE 64
#define IMAGE_ENTRY_SIZE 48

/*
 * Header field offsets. The first two (magic and version) stay where they
 * are in every future version, so that any reader can tell what a file is;
 * everything after them may change with the version.
 */
#define IMAGE_H_MAGIC 0			/* 8 bytes "RECAPIMG" */
#define IMAGE_H_VERSION 8		/* u32 format version */
#define IMAGE_H_HEADER_SIZE 12		/* u32, 64 */
#define IMAGE_H_FLAGS 16		/* u32 IMAGE_HF_* */
#define IMAGE_H_COUNT 20		/* u32 number of sections */
#define IMAGE_H_TABLE_OFFSET 24		/* u64 */
#define IMAGE_H_FILE_SIZE 32		/* u64 */
#define IMAGE_H_TABLE_HASH 40		/* u64 XXH3-64 of the section table */
#define IMAGE_H_FILE_HASH 48		/* u64 XXH3-64 of bytes [64, file_size) */
#define IMAGE_H_HEADER_HASH 56		/* u64 XXH3-64 of bytes [0, 56) */

/* Header flags. */
#define IMAGE_HF_COMPRESSED 0x1u	/* written with IMAGE_COMPRESS */
#define IMAGE_HF_KNOWN IMAGE_HF_COMPRESSED

/* Section table entry field offsets. */
#define IMAGE_E_TYPE 0			/* u32 enum image_section_type */
#define IMAGE_E_FLAGS 4			/* u32 IMAGE_SF_* */
#define IMAGE_E_OFFSET 8		/* u64 */
#define IMAGE_E_STORED_LEN 16		/* u64 bytes in the file */
#define IMAGE_E_RAW_LEN 24		/* u64 bytes after decompression */
#define IMAGE_E_STORED_HASH 32		/* u64 XXH3-64 of the stored bytes */
#define IMAGE_E_RAW_HASH 40		/* u64 XXH3-64 of the raw bytes */

/* Section flags. */
#define IMAGE_SF_ZSTD 0x1u		/* stored bytes are one zstd frame */
#define IMAGE_SF_OPTIONAL 0x2u		/* may be skipped if the type is unknown */
#define IMAGE_SF_KNOWN (IMAGE_SF_ZSTD | IMAGE_SF_OPTIONAL)

/*
 * Limits a reader enforces before it allocates anything: a table of a
 * million sections is 48 MiB, and no memory section of a component is
 * larger than the component range of a task (L4X_TASK_VM_END in
 * include/l4/sys/x.h is below 2^47).
 */
#define IMAGE_SECTIONS_MAX (1u << 20)
#define IMAGE_RAW_MAX (1ull << 47)

struct image_header {
	uint32_t version;
	uint32_t header_size;
	uint32_t flags;
	uint32_t count;
	uint64_t table_offset;
	uint64_t file_size;
	uint64_t table_hash;
	uint64_t file_hash;
	uint64_t header_hash;
};

struct image_entry {
	uint32_t type;
	uint32_t flags;
	uint64_t offset;
	uint64_t stored_len;
	uint64_t raw_len;
	uint64_t stored_hash;
	uint64_t raw_hash;
};

/* ---- little-endian fields ---------------------------------------- */

static inline void image_put_u32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline void image_put_u64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint32_t image_get_u32(uint8_t const *p)
{
	uint32_t v = 0;

	for (int i = 3; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static inline uint64_t image_get_u64(uint8_t const *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* ---- header and table entries (image_format.c) -------------------- */

/* Encode H into 64 bytes; header_hash is computed here, not taken from H. */
void image_header_encode(uint8_t out[IMAGE_HEADER_SIZE],
			 struct image_header const *h);
void image_header_decode(uint8_t const in[IMAGE_HEADER_SIZE],
			 struct image_header *h);
void image_entry_encode(uint8_t out[IMAGE_ENTRY_SIZE],
			struct image_entry const *e);
void image_entry_decode(uint8_t const in[IMAGE_ENTRY_SIZE],
			struct image_entry *e);

/* XXH3-64 with seed 0: every checksum in the format. */
uint64_t image_hash(void const *data, size_t len);

/* Fill E (if not NULL) with CODE and "PATH: " followed by the formatted
 * text; returns CODE. */
enum image_status image_err_set(struct image_err *e, enum image_status code,
				char const *path, char const *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* ---- section types (image_types.c) -------------------------------- */

struct image_type_desc {
	uint32_t type;
	char const *name;
	bool optional;		/* older readers may skip it (IMAGE_SF_OPTIONAL) */
};

/* The descriptor of TYPE, NULL if this build does not know it. */
struct image_type_desc const *image_type_desc(uint32_t type);

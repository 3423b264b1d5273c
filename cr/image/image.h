/*
 * image — the checkpoint image: one file per checkpoint (host side).
 *
 * An image is a versioned container of typed sections (metadata, capability
 * space, threads, sessions, memory regions, memory pages, a link to a parent
 * image). Resource modules only hand the layer bytes: one section per call,
 * or a stream of appends for sections too large to hold twice in memory.
 * What goes inside a section is the module's business; structured sections
 * use the record encoding of tlv.h so they stay readable across versions.
 * The byte layout is in docs/image-format.md.
 *
 * Writing is atomic: the image is built in an unnamed file in the target's
 * directory and only linked and renamed over the target after it has been
 * synced, so a crash at any point leaves the previous image as it was.
 *
 * Reading is all-or-nothing: image_open() checks every byte (magic, version,
 * sizes against the file length, the section table, every section's
 * checksum before and after decompression, the whole-file checksum) before
 * it returns an image, and names the first failed check in one line
 * ("ck.img: section 3 (threads): checksum mismatch"). Nothing that uses an
 * image ever sees a corrupt, truncated or foreign one.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IMAGE_VERSION 1			/* the only format version this build reads */
#define IMAGE_MSG_MAX 512		/* error message buffer, NUL included */
/* zstd level unless image_writer_set_level: on memory-like data level 1
 * compresses within 1% of level 3 at 2.5 times the speed, and writing is
 * on the checkpoint's critical path (docs/image-format.md has figures). */
#define IMAGE_LEVEL_DEFAULT 1

/*
 * Section types: numbers are part of the format and never reused. The table
 * of names and properties is in image_types.c; add a type there and here.
 */
enum image_section_type {
	IMAGE_SEC_META = 1,		/* what was checkpointed, when, by whom */
	IMAGE_SEC_CAPSPACE = 2,		/* one task's capability space */
	IMAGE_SEC_THREADS = 3,		/* thread states (registers, IPC state) */
	IMAGE_SEC_SESSIONS = 4,		/* sessions and their creation arguments */
	IMAGE_SEC_REGIONS = 5,		/* memory regions: address, size, rights */
	IMAGE_SEC_PAGES = 6,		/* memory contents, indexed by REGIONS */
	IMAGE_SEC_PARENT = 7,		/* incremental: the image this one extends */
};

enum image_status {
	IMAGE_OK = 0,
	IMAGE_ERR_IO,			/* open/read/write/sync/rename failed */
	IMAGE_ERR_NOMEM,
	IMAGE_ERR_USAGE,		/* API misuse, e.g. a section while streaming */
	IMAGE_ERR_ZSTD,			/* the compressor failed (writing) */
	IMAGE_ERR_TRUNCATED,		/* the file is shorter than it says */
	IMAGE_ERR_FOREIGN,		/* not an image at all: bad magic */
	IMAGE_ERR_VERSION,		/* an image, but of another format version */
	IMAGE_ERR_HEADER,		/* header checksum or a header field */
	IMAGE_ERR_TABLE,		/* section table checksum or bounds */
	IMAGE_ERR_SECTION,		/* a section's fields, checksum or data */
	IMAGE_ERR_CHECKSUM,		/* the whole-file checksum */
	IMAGE_ERR_NOTFOUND,		/* no such section (image_section) */
	IMAGE_ERR_STREAM,		/* a malformed checkpoint stream (stream.h) */
};

/* What a failed call reports: the code and one line naming file and check. */
struct image_err {
	enum image_status code;
	char msg[IMAGE_MSG_MAX];	/* "PATH: what failed", "" when IMAGE_OK */
};

/* ---------------------------------------------------------------- */
/* Section types                                                     */

/* "threads", ...; NULL for a type this build does not know. */
char const *image_section_name(uint32_t type);

/* ---------------------------------------------------------------- */
/* Writing                                                           */

struct image_writer;

/* image_writer_open flags */
#define IMAGE_COMPRESS 0x1u		/* zstd-compress the sections */

/*
 * Start writing the image that will replace PATH (if any) on commit. Nothing
 * visible changes until image_writer_commit(). The directory of PATH must
 * exist and be writable. Every writer call after a failure returns that
 * failure again; only commit or abort remain useful (both free the writer).
 */
enum image_status image_writer_open(char const *path, unsigned flags,
				    struct image_writer **w,
				    struct image_err *err);

/* zstd level for the sections that follow (1..ZSTD_maxCLevel(), or negative
 * for the fast levels). Ignored without IMAGE_COMPRESS. */
enum image_status image_writer_set_level(struct image_writer *w, int level);

/*
 * Add one section. DATA is copied out before the call returns. A small
 * compressed section that does not shrink is stored uncompressed. Sections
 * keep their order; several of one type are told apart by their index.
 */
enum image_status image_writer_section(struct image_writer *w, uint32_t type,
				       void const *data, size_t len);

/*
 * Streaming form of image_writer_section, for large sections: data goes to
 * the file (compressed, if asked) as it is appended, so the writer holds a
 * few megabytes (its output buffer, the compressor's window), never the
 * section.
 */
enum image_status image_writer_begin(struct image_writer *w, uint32_t type);
enum image_status image_writer_append(struct image_writer *w,
				      void const *data, size_t len);
enum image_status image_writer_end(struct image_writer *w);

/*
 * Finish the image and put it in place atomically: sync the file, rename it
 * over PATH, sync the directory. Frees W whatever the outcome. On failure
 * PATH is untouched and no temporary file is left behind -- except when
 * only the final directory sync fails: PATH then already names the new
 * image, which might not survive a power failure.
 */
enum image_status image_writer_commit(struct image_writer *w);

/* The same, and ERR (if not NULL) receives the writer's last error (code
 * IMAGE_OK and "" on success): commit frees W, so image_writer_error
 * cannot be asked afterwards. */
enum image_status image_writer_commit_err(struct image_writer *w,
					  struct image_err *err);

/* Drop the image being written: PATH is untouched, nothing is left behind.
 * Frees W; W may be NULL. */
void image_writer_abort(struct image_writer *w);

/* The last failure of W (code IMAGE_OK and "" if none). */
struct image_err const *image_writer_error(struct image_writer const *w);

/* ---------------------------------------------------------------- */
/* Reading                                                           */

struct image;

/* One entry of the section table, as image_section_info reports it. */
struct image_section_info {
	uint32_t type;
	char const *name;		/* NULL: a type this build does not know */
	bool compressed;
	bool optional;			/* a reader may skip it if it does not know it */
	uint64_t offset;		/* in the file */
	uint64_t stored_len;		/* bytes in the file */
	uint64_t raw_len;		/* bytes after decompression */
	uint64_t raw_hash;		/* XXH3-64 of the raw bytes */
	void const *data;		/* the raw bytes, valid until image_close */
};

/*
 * Open and verify the image at PATH. On success *IMG holds it, every
 * section already checked and decompressed; on failure *IMG is NULL and
 * ERR (if not NULL) says which check failed.
 */
enum image_status image_open(char const *path, struct image **img,
			     struct image_err *err);

/*
 * Open the image at PATH for its identity and its place in a chain only:
 * the header, the section table and the sections of the types in
 * ONLY[0..N) are checked as image_open checks them; the other sections
 * are not read (image_section finds none of them) and the file checksum
 * is not computed, so image_id is what the header says. For the parent of
 * a new increment, whose every byte is verified when the chain is
 * restored: reading all of it would cost more than the increment.
 */
enum image_status image_open_only(char const *path, uint32_t const *only,
				  size_t n, struct image **img,
				  struct image_err *err);

/*
 * The INDEX-th (from 0) section of TYPE: *DATA and *LEN are its raw bytes,
 * valid until image_close. IMAGE_ERR_NOTFOUND if there is no such section.
 */
enum image_status image_section(struct image const *img, uint32_t type,
				size_t index, void const **data, size_t *len);

/* How many sections of TYPE the image has. */
size_t image_section_count(struct image const *img, uint32_t type);

/* The whole section table, in file order (for `recap inspect`, and to walk
 * many sections without a search each). */
size_t image_nsections(struct image const *img);
void image_section_info(struct image const *img, size_t i,
			struct image_section_info *info);

/* The whole-file checksum: identifies this image's content, e.g. in the
 * PARENT section of an incremental image built on top of it. */
uint64_t image_id(struct image const *img);

void image_close(struct image *img);

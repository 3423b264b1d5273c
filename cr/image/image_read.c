/*
 * image_read — open an image, verify all of it, hand out its sections.
 *
 * The checks run from the cheapest and most telling to the most expensive,
 * and the first one that fails is the one reported:
 *
 *   1. magic, then version (their place in the header never changes, so
 *      they are checked before anything whose place might);
 *   2. header checksum and fields, declared size against the file's size;
 *   3. section table bounds and checksum;
 *   4. every table entry: flags, type, place (sections are contiguous, in
 *      order, from the end of the header to the table), lengths;
 *   5. every section's data: stored checksum, then for a compressed one the
 *      frame, its decompressed size and the checksum of the raw bytes;
 *   6. the whole-file checksum.
 *
 * Only the header is read before the checks that can tell a foreign file
 * from an image, so opening a large foreign file costs one small read. The
 * rest is mapped: an uncompressed section is handed out straight from the
 * mapping; a compressed one is decompressed once, here, into its own buffer.
 * The file is only mapped after its size is checked, and images are only
 * ever replaced by rename (image_write.c), never changed in place, so the
 * mapping cannot be truncated under us.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zstd.h>

#include "image_format.h"

struct image_sec {
	struct image_entry e;
	void const *data;		/* raw bytes: in the mapping, or buf */
	void *buf;			/* decompressed bytes, or NULL */
};

struct image {
	uint8_t *map;			/* the whole file, read-only */
	size_t map_len;
	struct image_header h;
	struct image_sec *secs;		/* h.count of them, in file order */
};

/* Everything image_open needs to report a failure. */
struct open_ctx {
	char const *path;
	struct image_err *err;
};

#define FAIL(c, code, ...) image_err_set((c)->err, code, (c)->path, __VA_ARGS__)

/* "section 3 (threads)" or, for a type this build does not know,
 * "section 3 (type 42)". */
static char const *sec_label(char *buf, size_t size, size_t i, uint32_t type)
{
	char const *name = image_section_name(type);

	if (name)
		snprintf(buf, size, "section %zu (%s)", i, name);
	else
		snprintf(buf, size, "section %zu (type %u)", i, type);
	return buf;
}

/* ---------------------------------------------------------------- */
/* Header                                                            */

/* Read and check the header; FILE_LEN is the file's actual length. */
static enum image_status check_header(struct open_ctx *c, int fd,
				      uint64_t file_len, struct image_header *h)
{
	uint8_t head[IMAGE_HEADER_SIZE];
	size_t have = file_len < sizeof(head) ? (size_t)file_len : sizeof(head);
	ssize_t n = pread(fd, head, have, 0);

	if (n != (ssize_t)have)
		return FAIL(c, IMAGE_ERR_IO, "read: %s",
			    n < 0 ? strerror(errno) : "short read");
	/* A short file that starts like an image is a truncated image;
	 * anything else is not an image at all. */
	if (memcmp(head, IMAGE_MAGIC, have < IMAGE_MAGIC_LEN
					      ? have : IMAGE_MAGIC_LEN))
		return FAIL(c, IMAGE_ERR_FOREIGN, "not a recap image (bad magic)");
	if (have < IMAGE_H_VERSION + 4)
		return FAIL(c, IMAGE_ERR_TRUNCATED,
			    "truncated: %zu bytes, shorter than a header (%d)",
			    have, IMAGE_HEADER_SIZE);
	image_header_decode(head, h);	/* only version is valid yet */
	if (h->version != IMAGE_VERSION)
		return FAIL(c, IMAGE_ERR_VERSION,
			    "unsupported format version %u (this recap reads "
			    "version %d)", h->version, IMAGE_VERSION);
	if (have < IMAGE_HEADER_SIZE)
		return FAIL(c, IMAGE_ERR_TRUNCATED,
			    "truncated: %zu bytes, shorter than a header (%d)",
			    have, IMAGE_HEADER_SIZE);
	if (image_hash(head, IMAGE_H_HEADER_HASH) != h->header_hash)
		return FAIL(c, IMAGE_ERR_HEADER, "header checksum mismatch");
	if (h->header_size != IMAGE_HEADER_SIZE)
		return FAIL(c, IMAGE_ERR_HEADER, "header size %u, expected %d",
			    h->header_size, IMAGE_HEADER_SIZE);
	if (h->flags & ~IMAGE_HF_KNOWN)
		return FAIL(c, IMAGE_ERR_HEADER, "unknown header flags 0x%x",
			    h->flags & ~IMAGE_HF_KNOWN);
	if (h->file_size > file_len)
		return FAIL(c, IMAGE_ERR_TRUNCATED,
			    "truncated: header says %llu bytes, file has %llu",
			    (unsigned long long)h->file_size,
			    (unsigned long long)file_len);
	if (h->file_size < file_len)
		return FAIL(c, IMAGE_ERR_HEADER,
			    "trailing data: header says %llu bytes, file has "
			    "%llu", (unsigned long long)h->file_size,
			    (unsigned long long)file_len);
	if (h->count > IMAGE_SECTIONS_MAX)
		return FAIL(c, IMAGE_ERR_TABLE, "%u sections, at most %u",
			    h->count, IMAGE_SECTIONS_MAX);
	if (h->table_offset < IMAGE_HEADER_SIZE ||
	    h->table_offset > h->file_size ||
	    h->file_size - h->table_offset !=
		    (uint64_t)h->count * IMAGE_ENTRY_SIZE)
		return FAIL(c, IMAGE_ERR_TABLE,
			    "section table of %u entries at offset %llu does "
			    "not end the file (%llu bytes)", h->count,
			    (unsigned long long)h->table_offset,
			    (unsigned long long)h->file_size);
	return IMAGE_OK;
}

/* ---------------------------------------------------------------- */
/* Section table                                                     */

static enum image_status check_table(struct open_ctx *c, struct image *img)
{
	struct image_header const *h = &img->h;
	uint8_t const *table = img->map + h->table_offset;
	uint64_t next = IMAGE_HEADER_SIZE;	/* where the next section starts */
	char label[64];

	if (image_hash(table, (size_t)h->count * IMAGE_ENTRY_SIZE) !=
	    h->table_hash)
		return FAIL(c, IMAGE_ERR_TABLE, "section table checksum mismatch");
	for (size_t i = 0; i < h->count; i++) {
		struct image_entry *e = &img->secs[i].e;

		image_entry_decode(table + i * IMAGE_ENTRY_SIZE, e);
		sec_label(label, sizeof(label), i, e->type);
		if (e->flags & ~IMAGE_SF_KNOWN)
			return FAIL(c, IMAGE_ERR_SECTION, "%s: unknown flags 0x%x",
				    label, e->flags & ~IMAGE_SF_KNOWN);
		if (!image_type_desc(e->type) && !(e->flags & IMAGE_SF_OPTIONAL))
			return FAIL(c, IMAGE_ERR_SECTION,
				    "%s: unknown type, written by a newer recap?",
				    label);
		if (e->offset != next)
			return FAIL(c, IMAGE_ERR_SECTION,
				    "%s: at offset %llu, expected %llu", label,
				    (unsigned long long)e->offset,
				    (unsigned long long)next);
		if (e->stored_len > h->table_offset - next)
			return FAIL(c, IMAGE_ERR_SECTION,
				    "%s: %llu bytes at offset %llu run into the "
				    "section table at %llu", label,
				    (unsigned long long)e->stored_len,
				    (unsigned long long)e->offset,
				    (unsigned long long)h->table_offset);
		if (e->raw_len > IMAGE_RAW_MAX)
			return FAIL(c, IMAGE_ERR_SECTION,
				    "%s: raw length %llu, at most %llu", label,
				    (unsigned long long)e->raw_len,
				    (unsigned long long)IMAGE_RAW_MAX);
		if (!(e->flags & IMAGE_SF_ZSTD) &&
		    (e->stored_len != e->raw_len ||
		     e->stored_hash != e->raw_hash))
			return FAIL(c, IMAGE_ERR_SECTION,
				    "%s: not compressed, yet stored and raw "
				    "length or checksum differ", label);
		next += e->stored_len;
	}
	if (next != h->table_offset)
		return FAIL(c, IMAGE_ERR_TABLE,
			    "the sections end at offset %llu, the section "
			    "table starts at %llu", (unsigned long long)next,
			    (unsigned long long)h->table_offset);
	return IMAGE_OK;
}

/* ---------------------------------------------------------------- */
/* Section data                                                      */

static enum image_status check_data(struct open_ctx *c, struct image *img,
				    size_t i, ZSTD_DCtx **dctx)
{
	struct image_sec *s = &img->secs[i];
	struct image_entry const *e = &s->e;
	uint8_t const *stored = img->map + e->offset;
	unsigned long long fsize;
	char label[64];
	size_t r;

	sec_label(label, sizeof(label), i, e->type);
	if (image_hash(stored, e->stored_len) != e->stored_hash)
		return FAIL(c, IMAGE_ERR_SECTION, "%s: %schecksum mismatch", label,
			    e->flags & IMAGE_SF_ZSTD ? "compressed data " : "");
	if (!(e->flags & IMAGE_SF_ZSTD)) {
		s->data = stored;
		return IMAGE_OK;
	}

	/* One frame, exactly filling the section, of the size the table says:
	 * checked before the decompressor is given a buffer to fill. */
	r = ZSTD_findFrameCompressedSize(stored, e->stored_len);
	if (ZSTD_isError(r))
		return FAIL(c, IMAGE_ERR_SECTION, "%s: zstd: %s", label,
			    ZSTD_getErrorName(r));
	if (r != e->stored_len)
		return FAIL(c, IMAGE_ERR_SECTION,
			    "%s: %llu bytes after the zstd frame", label,
			    (unsigned long long)(e->stored_len - r));
	fsize = ZSTD_getFrameContentSize(stored, e->stored_len);
	if (fsize != ZSTD_CONTENTSIZE_UNKNOWN && fsize != e->raw_len)
		return FAIL(c, IMAGE_ERR_SECTION,
			    "%s: zstd frame holds %llu bytes, table says %llu",
			    label, fsize, (unsigned long long)e->raw_len);

	if (!*dctx && !(*dctx = ZSTD_createDCtx()))
		return FAIL(c, IMAGE_ERR_NOMEM, "%s: out of memory", label);
	/* +1: malloc(0) may return NULL, and the decompressor then gets a
	 * byte of room to prove the frame is longer than it should be. */
	if (!(s->buf = malloc((size_t)e->raw_len + 1)))
		return FAIL(c, IMAGE_ERR_NOMEM,
			    "%s: out of memory for %llu bytes", label,
			    (unsigned long long)e->raw_len);
	r = ZSTD_decompressDCtx(*dctx, s->buf, (size_t)e->raw_len + 1, stored,
				e->stored_len);
	if (ZSTD_isError(r))
		return FAIL(c, IMAGE_ERR_SECTION, "%s: zstd: %s", label,
			    ZSTD_getErrorName(r));
	if (r != e->raw_len)
		return FAIL(c, IMAGE_ERR_SECTION,
			    "%s: decompressed to %zu bytes, table says %llu",
			    label, r, (unsigned long long)e->raw_len);
	if (image_hash(s->buf, r) != e->raw_hash)
		return FAIL(c, IMAGE_ERR_SECTION,
			    "%s: checksum mismatch after decompression", label);
	s->data = s->buf;
	return IMAGE_OK;
}

/* ---------------------------------------------------------------- */
/* Open and close                                                    */

static bool wanted(uint32_t type, uint32_t const *only, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (only[i] == type)
			return true;
	return false;
}

/* image_open (only NULL) or image_open_only. */
static enum image_status open_sections(char const *path, uint32_t const *only,
				       size_t n, struct image **imgp,
				       struct image_err *err)
{
	struct open_ctx c = { path, err };
	struct image *img = NULL;
	ZSTD_DCtx *dctx = NULL;
	enum image_status st;
	struct stat sb;
	int fd;

	*imgp = NULL;
	/* O_NONBLOCK: a FIFO given by mistake must be refused, not waited on. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0)
		return FAIL(&c, IMAGE_ERR_IO, "cannot open: %s", strerror(errno));
	if (fstat(fd, &sb) < 0) {
		st = FAIL(&c, IMAGE_ERR_IO, "stat: %s", strerror(errno));
		goto out;
	}
	if (!S_ISREG(sb.st_mode)) {
		st = FAIL(&c, IMAGE_ERR_FOREIGN, "not a regular file");
		goto out;
	}
	if (!(img = calloc(1, sizeof(*img)))) {
		st = FAIL(&c, IMAGE_ERR_NOMEM, "out of memory");
		goto out;
	}
	if ((st = check_header(&c, fd, (uint64_t)sb.st_size, &img->h)))
		goto out;
	if (!(img->secs = calloc(img->h.count ? img->h.count : 1,
				 sizeof(*img->secs)))) {
		st = FAIL(&c, IMAGE_ERR_NOMEM, "out of memory");
		goto out;
	}
	/* Every byte is about to be hashed: read it all in one go. */
	img->map = mmap(NULL, (size_t)img->h.file_size, PROT_READ,
			MAP_PRIVATE | (only ? 0 : MAP_POPULATE), fd, 0);
	if (img->map == MAP_FAILED) {
		img->map = NULL;
		st = FAIL(&c, IMAGE_ERR_IO, "mmap: %s", strerror(errno));
		goto out;
	}
	img->map_len = (size_t)img->h.file_size;
	if ((st = check_table(&c, img)))
		goto out;
	for (size_t i = 0; i < img->h.count; i++)
		if ((!only || wanted(img->secs[i].e.type, only, n)) &&
		    (st = check_data(&c, img, i, &dctx)))
			goto out;
	/*
	 * check_table made the sections and the table tile the file after
	 * the header, so this is redundant with the checks above; it stays as
	 * the one checksum that does not depend on the table being read
	 * right, and it is the image's identity (image_id).
	 */
	if (!only && image_hash(img->map + IMAGE_HEADER_SIZE,
				img->map_len - IMAGE_HEADER_SIZE) !=
			     img->h.file_hash) {
		st = FAIL(&c, IMAGE_ERR_CHECKSUM, "file checksum mismatch");
		goto out;
	}
	if (err)
		*err = (struct image_err){ .code = IMAGE_OK };
	*imgp = img;
	img = NULL;
out:
	ZSTD_freeDCtx(dctx);
	image_close(img);
	close(fd);
	return st;
}

enum image_status image_open(char const *path, struct image **imgp,
			     struct image_err *err)
{
	return open_sections(path, NULL, 0, imgp, err);
}

enum image_status image_open_only(char const *path, uint32_t const *only,
				  size_t n, struct image **imgp,
				  struct image_err *err)
{
	return open_sections(path, only, n, imgp, err);
}

void image_close(struct image *img)
{
	if (!img)
		return;
	if (img->secs)
		for (size_t i = 0; i < img->h.count; i++)
			free(img->secs[i].buf);
	free(img->secs);
	if (img->map)
		munmap(img->map, img->map_len);
	free(img);
}

/* ---------------------------------------------------------------- */
/* Sections                                                          */

enum image_status image_section(struct image const *img, uint32_t type,
				size_t index, void const **data, size_t *len)
{
	for (size_t i = 0; i < img->h.count; i++) {
		struct image_sec const *s = &img->secs[i];

		if (s->e.type != type || !s->data || index--)
			continue;
		*data = s->data;
		*len = (size_t)s->e.raw_len;
		return IMAGE_OK;
	}
	*data = NULL;
	*len = 0;
	return IMAGE_ERR_NOTFOUND;
}

size_t image_section_count(struct image const *img, uint32_t type)
{
	size_t n = 0;

	for (size_t i = 0; i < img->h.count; i++)
		n += img->secs[i].e.type == type;
	return n;
}

size_t image_nsections(struct image const *img)
{
	return img->h.count;
}

void image_section_info(struct image const *img, size_t i,
			struct image_section_info *info)
{
	struct image_sec const *s = &img->secs[i];

	*info = (struct image_section_info){
		.type = s->e.type,
		.name = image_section_name(s->e.type),
		.compressed = s->e.flags & IMAGE_SF_ZSTD,
		.optional = s->e.flags & IMAGE_SF_OPTIONAL,
		.offset = s->e.offset,
		.stored_len = s->e.stored_len,
		.raw_len = s->e.raw_len,
		.raw_hash = s->e.raw_hash,
		.data = s->data,
	};
}

uint64_t image_id(struct image const *img)
{
	return img->h.file_hash;
}

/*
 * image_write — build an image and put it in place atomically.
 *
 * The file is written front to back in one pass: a zeroed header, the
 * sections as they come, the section table, and finally the real header at
 * offset 0 (only then are all sizes and checksums known). Checksums are
 * computed on the way out, so nothing is read back and a streamed section is
 * never held in memory.
 *
 * Atomicity. The image is written into an unnamed file (O_TMPFILE) in the
 * target's directory: until commit it has no name, so a crash while writing
 * leaves nothing behind. Commit syncs it, links it under a temporary name,
 * renames that over the target (atomic within one directory) and syncs the
 * directory so the rename itself is durable. A crash in the short window
 * between link and rename leaves a complete, valid ".NAME.tmp.*" file next
 * to an untouched target. Where O_TMPFILE is not supported the file is named
 * from the start (mkostemp) and a crash while writing leaves it behind; the
 * target is never at risk either way.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xxhash.h>
#include <zstd.h>

#include "image_format.h"

#define OUT_BUF_SIZE (1u << 20)		/* write(2)s of about a megabyte */
/* image_writer_section compresses in one go up to this size and streams
 * beyond it, so a large section is never held compressed and raw at once. */
#define ONESHOT_MAX (4u << 20)

struct image_writer {
	struct image_err err;		/* the first failure, sticky */
	char *path;			/* the target */
	char *base;			/* its last component, inside path */
	int dirfd;			/* its directory */
	int fd;				/* the file being written */
	char *tmpname;			/* its name in dirfd; NULL while unnamed */
	unsigned flags;			/* IMAGE_COMPRESS */
	int level;			/* zstd level */

	uint8_t *out;			/* bytes not yet written */
	size_t out_len;
	uint64_t pos;			/* file offset after the buffered bytes */
	XXH3_state_t *file_hash;	/* over every byte after the header */

	struct image_entry *entries;	/* the finished sections */
	size_t n_entries, cap_entries;

	bool streaming;			/* between begin and end */
	struct image_entry cur;		/* the section being streamed */
	XXH3_state_t *raw_hash;
	XXH3_state_t *stored_hash;
	ZSTD_CCtx *cctx;
	uint8_t *zbuf;			/* compressor output */
	size_t zbuf_cap;
};

static enum image_status w_fail(struct image_writer *w, enum image_status code,
				char const *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum image_status w_fail(struct image_writer *w, enum image_status code,
				char const *fmt, ...)
{
	char text[IMAGE_MSG_MAX];
	va_list ap;

	if (w->err.code)		/* keep the first: it is the cause */
		return w->err.code;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return image_err_set(&w->err, code, w->path, "%s", text);
}

/* ---------------------------------------------------------------- */
/* Output                                                            */

static enum image_status write_all(struct image_writer *w, void const *data,
				   size_t len)
{
	uint8_t const *p = data;

	while (len) {
		ssize_t n = write(w->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return w_fail(w, IMAGE_ERR_IO, "write: %s",
				      strerror(errno));
		p += n;
		len -= (size_t)n;
	}
	return IMAGE_OK;
}

static enum image_status out_flush(struct image_writer *w)
{
	enum image_status st = write_all(w, w->out, w->out_len);

	w->out_len = 0;
	return st;
}

/* Append to the file body: buffered, and hashed into the file checksum. */
static enum image_status out_put(struct image_writer *w, void const *data,
				 size_t len)
{
	enum image_status st;

	if (!len)			/* DATA may be NULL then */
		return IMAGE_OK;
	XXH3_64bits_update(w->file_hash, data, len);
	w->pos += len;
	if (w->out_len + len > OUT_BUF_SIZE && (st = out_flush(w)))
		return st;
	if (len >= OUT_BUF_SIZE)
		return write_all(w, data, len);
	memcpy(w->out + w->out_len, data, len);
	w->out_len += len;
	return IMAGE_OK;
}

/* ---------------------------------------------------------------- */
/* Opening                                                           */

/*
 * Create the file the image is written into: unnamed if the file system
 * can, else under a temporary name. Returns an fd or -1 with errno set.
 */
static int create_file(struct image_writer *w, char const *dir)
{
	int fd = openat(w->dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	size_t n;

	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR &&
			errno != EINVAL))
		return fd;
	n = strlen(dir) + strlen(w->base) + 16;
	if (!(w->tmpname = malloc(n))) {
		errno = ENOMEM;
		return -1;
	}
	snprintf(w->tmpname, n, "%s/.%s.tmp.XXXXXX", dir, w->base);
	fd = mkostemp(w->tmpname, O_CLOEXEC);
	if (fd < 0) {
		free(w->tmpname);
		w->tmpname = NULL;
		return -1;
	}
	/* From here on the name is used relative to dirfd. */
	memmove(w->tmpname, w->tmpname + strlen(dir) + 1,
		strlen(w->tmpname + strlen(dir) + 1) + 1);
	return fd;
}

enum image_status image_writer_open(char const *path, unsigned flags,
				    struct image_writer **wp,
				    struct image_err *err)
{
	static uint8_t const zero_header[IMAGE_HEADER_SIZE];
	struct image_writer *w;
	char *dir = NULL, *slash;
	enum image_status st;

	*wp = NULL;
	if (flags & ~IMAGE_COMPRESS)
		return image_err_set(err, IMAGE_ERR_USAGE, path,
				     "unknown writer flags 0x%x", flags);
	if (!(w = calloc(1, sizeof(*w))))
		return image_err_set(err, IMAGE_ERR_NOMEM, path,
				     "out of memory");
	w->fd = w->dirfd = -1;
	w->flags = flags;
	w->level = IMAGE_LEVEL_DEFAULT;
	if (!(w->path = strdup(path)) || !(dir = strdup(path)) ||
	    !(w->out = malloc(OUT_BUF_SIZE)) ||
	    !(w->file_hash = XXH3_createState()) ||
	    !(w->raw_hash = XXH3_createState()) ||
	    !(w->stored_hash = XXH3_createState()) ||
	    ((flags & IMAGE_COMPRESS) && !(w->cctx = ZSTD_createCCtx()))) {
		st = image_err_set(err, IMAGE_ERR_NOMEM, path, "out of memory");
		goto err;
	}
	slash = strrchr(dir, '/');
	w->base = strrchr(w->path, '/') ? strrchr(w->path, '/') + 1 : w->path;
	if (!*w->base) {
		st = image_err_set(err, IMAGE_ERR_USAGE, path,
				   "not a file name");
		goto err;
	}
	if (!slash)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';		/* "/img": the root directory */
	else
		*slash = '\0';

	w->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (w->dirfd < 0 || (w->fd = create_file(w, dir)) < 0) {
		st = image_err_set(err, IMAGE_ERR_IO, path,
				   "cannot create image in %s: %s", dir,
				   strerror(errno));
		goto err;
	}
	XXH3_64bits_reset(w->file_hash);
	/* The real header goes here at commit, when it is known. */
	if ((st = write_all(w, zero_header, sizeof(zero_header)))) {
		if (err)
			*err = w->err;
		goto err;
	}
	w->pos = IMAGE_HEADER_SIZE;
	free(dir);
	*wp = w;
	if (err)
		*err = (struct image_err){ .code = IMAGE_OK };
	return IMAGE_OK;

err:
	free(dir);
	image_writer_abort(w);
	return st;
}

enum image_status image_writer_set_level(struct image_writer *w, int level)
{
	if (w->err.code)
		return w->err.code;
	if (level < ZSTD_minCLevel() || level > ZSTD_maxCLevel())
		return w_fail(w, IMAGE_ERR_USAGE,
			      "zstd level %d out of range %d..%d", level,
			      ZSTD_minCLevel(), ZSTD_maxCLevel());
	w->level = level;
	return IMAGE_OK;
}

struct image_err const *image_writer_error(struct image_writer const *w)
{
	return &w->err;
}

/* ---------------------------------------------------------------- */
/* Sections                                                          */

/* Checks common to both ways of adding a section; fills the entry head. */
static enum image_status section_start(struct image_writer *w, uint32_t type,
				       struct image_entry *e)
{
	struct image_type_desc const *d = image_type_desc(type);

	if (w->err.code)
		return w->err.code;
	if (w->streaming)
		return w_fail(w, IMAGE_ERR_USAGE,
			      "section %zu: a new section while one is streamed",
			      w->n_entries);
	if (!d)
		return w_fail(w, IMAGE_ERR_USAGE,
			      "section %zu: type %u unknown to this build",
			      w->n_entries, type);
	if (w->n_entries == IMAGE_SECTIONS_MAX)
		return w_fail(w, IMAGE_ERR_USAGE, "more than %u sections",
			      IMAGE_SECTIONS_MAX);
	if (w->n_entries == w->cap_entries) {
		size_t cap = w->cap_entries ? 2 * w->cap_entries : 16;
		struct image_entry *n = realloc(w->entries, cap * sizeof(*n));

		if (!n)
			return w_fail(w, IMAGE_ERR_NOMEM, "out of memory");
		w->entries = n;
		w->cap_entries = cap;
	}
	*e = (struct image_entry){
		.type = type,
		.flags = d->optional ? IMAGE_SF_OPTIONAL : 0,
		.offset = w->pos,
	};
	return IMAGE_OK;
}

static enum image_status zstd_fail(struct image_writer *w, size_t r)
{
	return w_fail(w, IMAGE_ERR_ZSTD, "section %zu: zstd: %s", w->n_entries,
		      ZSTD_getErrorName(r));
}

static enum image_status set_level(struct image_writer *w)
{
	size_t r = ZSTD_CCtx_reset(w->cctx, ZSTD_reset_session_and_parameters);

	if (!ZSTD_isError(r))
		r = ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_compressionLevel,
					   w->level);
	return ZSTD_isError(r) ? zstd_fail(w, r) : IMAGE_OK;
}

static enum image_status zbuf_reserve(struct image_writer *w, size_t cap)
{
	uint8_t *n;

	if (w->zbuf_cap >= cap)
		return IMAGE_OK;
	if (!(n = realloc(w->zbuf, cap)))
		return w_fail(w, IMAGE_ERR_NOMEM, "out of memory");
	w->zbuf = n;
	w->zbuf_cap = cap;
	return IMAGE_OK;
}

enum image_status image_writer_section(struct image_writer *w, uint32_t type,
				       void const *data, size_t len)
{
	struct image_entry e;
	enum image_status st;
	void const *stored = data;
	size_t stored_len = len;

	if ((w->flags & IMAGE_COMPRESS) && len > ONESHOT_MAX) {
		if ((st = image_writer_begin(w, type)) ||
		    (st = image_writer_append(w, data, len)))
			return st;
		return image_writer_end(w);
	}
	if ((st = section_start(w, type, &e)))
		return st;
	if (len > IMAGE_RAW_MAX)
		return w_fail(w, IMAGE_ERR_USAGE,
			      "section %zu: larger than %llu bytes",
			      w->n_entries, (unsigned long long)IMAGE_RAW_MAX);
	e.raw_len = len;
	e.raw_hash = image_hash(data, len);
	if ((w->flags & IMAGE_COMPRESS) && len) {
		size_t r;

		if ((st = zbuf_reserve(w, ZSTD_compressBound(len))) ||
		    (st = set_level(w)))
			return st;
		r = ZSTD_compress2(w->cctx, w->zbuf, w->zbuf_cap, data, len);
		if (ZSTD_isError(r))
			return zstd_fail(w, r);
		/* Data that does not shrink is cheaper to keep as it is. */
		if (r < len) {
			stored = w->zbuf;
			stored_len = r;
			e.flags |= IMAGE_SF_ZSTD;
		}
	}
	e.stored_len = stored_len;
	e.stored_hash = stored == data ? e.raw_hash
				       : image_hash(stored, stored_len);
	if ((st = out_put(w, stored, stored_len)))
		return st;
	w->entries[w->n_entries++] = e;
	return IMAGE_OK;
}

enum image_status image_writer_begin(struct image_writer *w, uint32_t type)
{
	enum image_status st;

	if ((st = section_start(w, type, &w->cur)))
		return st;
	XXH3_64bits_reset(w->raw_hash);
	XXH3_64bits_reset(w->stored_hash);
	if (w->flags & IMAGE_COMPRESS) {
		if ((st = zbuf_reserve(w, ZSTD_CStreamOutSize())) ||
		    (st = set_level(w)))
			return st;
		w->cur.flags |= IMAGE_SF_ZSTD;
	}
	w->streaming = true;
	return IMAGE_OK;
}

/* Run the compressor over IN (possibly empty) and write what it emits. */
static enum image_status compress_some(struct image_writer *w,
				       ZSTD_inBuffer *in, ZSTD_EndDirective op)
{
	size_t left;
	enum image_status st;

	do {
		ZSTD_outBuffer out = { w->zbuf, w->zbuf_cap, 0 };

		left = ZSTD_compressStream2(w->cctx, &out, in, op);
		if (ZSTD_isError(left))
			return zstd_fail(w, left);
		XXH3_64bits_update(w->stored_hash, out.dst, out.pos);
		w->cur.stored_len += out.pos;
		if ((st = out_put(w, out.dst, out.pos)))
			return st;
	} while (op == ZSTD_e_end ? left != 0 : in->pos < in->size);
	return IMAGE_OK;
}

enum image_status image_writer_append(struct image_writer *w,
				      void const *data, size_t len)
{
	if (w->err.code)
		return w->err.code;
	if (!w->streaming)
		return w_fail(w, IMAGE_ERR_USAGE,
			      "section %zu: append without begin",
			      w->n_entries);
	if (len > IMAGE_RAW_MAX - w->cur.raw_len)
		return w_fail(w, IMAGE_ERR_USAGE,
			      "section %zu: larger than %llu bytes",
			      w->n_entries, (unsigned long long)IMAGE_RAW_MAX);
	XXH3_64bits_update(w->raw_hash, data, len);
	w->cur.raw_len += len;
	if (w->cur.flags & IMAGE_SF_ZSTD) {
		ZSTD_inBuffer in = { data, len, 0 };

		return compress_some(w, &in, ZSTD_e_continue);
	}
	w->cur.stored_len += len;
	return out_put(w, data, len);
}

enum image_status image_writer_end(struct image_writer *w)
{
	enum image_status st;

	if (w->err.code)
		return w->err.code;
	if (!w->streaming)
		return w_fail(w, IMAGE_ERR_USAGE,
			      "section %zu: end without begin", w->n_entries);
	if (w->cur.flags & IMAGE_SF_ZSTD) {
		ZSTD_inBuffer in = { NULL, 0, 0 };

		if ((st = compress_some(w, &in, ZSTD_e_end)))
			return st;
	}
	w->cur.raw_hash = XXH3_64bits_digest(w->raw_hash);
	w->cur.stored_hash = (w->cur.flags & IMAGE_SF_ZSTD)
		? XXH3_64bits_digest(w->stored_hash) : w->cur.raw_hash;
	w->entries[w->n_entries++] = w->cur;
	w->streaming = false;
	return IMAGE_OK;
}

/* ---------------------------------------------------------------- */
/* Commit and abort                                                  */

/* Write the table and the header, and make the file's content durable. */
static enum image_status finish_file(struct image_writer *w)
{
	uint8_t head[IMAGE_HEADER_SIZE];
	struct image_header h = {
		.version = IMAGE_VERSION,
		.header_size = IMAGE_HEADER_SIZE,
		.flags = (w->flags & IMAGE_COMPRESS) ? IMAGE_HF_COMPRESSED : 0,
		.count = (uint32_t)w->n_entries,
	};
	XXH3_state_t *table_hash = w->raw_hash;	/* free by now */
	enum image_status st;
	ssize_t n;

	h.table_offset = w->pos;
	XXH3_64bits_reset(table_hash);
	for (size_t i = 0; i < w->n_entries; i++) {
		uint8_t ent[IMAGE_ENTRY_SIZE];

		image_entry_encode(ent, &w->entries[i]);
		XXH3_64bits_update(table_hash, ent, sizeof(ent));
		if ((st = out_put(w, ent, sizeof(ent))))
			return st;
	}
	if ((st = out_flush(w)))
		return st;
	h.file_size = w->pos;
	h.table_hash = XXH3_64bits_digest(table_hash);
	h.file_hash = XXH3_64bits_digest(w->file_hash);
	image_header_encode(head, &h);
	n = pwrite(w->fd, head, sizeof(head), 0);
	if (n != (ssize_t)sizeof(head))
		return w_fail(w, IMAGE_ERR_IO, "write header: %s",
			      n < 0 ? strerror(errno) : "short write");
	if (fsync(w->fd) < 0)
		return w_fail(w, IMAGE_ERR_IO, "sync: %s", strerror(errno));
	return IMAGE_OK;
}

/*
 * Give the unnamed file a temporary name next to the target. linkat through
 * /proc/self/fd needs no privilege (AT_EMPTY_PATH would need
 * CAP_DAC_READ_SEARCH); AT_EMPTY_PATH is the fallback without /proc.
 */
static enum image_status link_tmpfile(struct image_writer *w)
{
	char proc[64];
	size_t n = strlen(w->base) + 32;

	if (!(w->tmpname = malloc(n)))
		return w_fail(w, IMAGE_ERR_NOMEM, "out of memory");
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", w->fd);
	for (unsigned tries = 0; tries < 100; tries++) {
		struct timespec t;
		int r;

		clock_gettime(CLOCK_MONOTONIC, &t);
		snprintf(w->tmpname, n, ".%s.tmp.%x%05x", w->base,
			 (unsigned)getpid() & 0xfffff,
			 (unsigned)(t.tv_nsec ^ tries) & 0xfffff);
		r = linkat(AT_FDCWD, proc, w->dirfd, w->tmpname,
			   AT_SYMLINK_FOLLOW);
		if (r < 0 && errno == ENOENT)
			r = linkat(w->fd, "", w->dirfd, w->tmpname,
				   AT_EMPTY_PATH);
		if (r == 0)
			return IMAGE_OK;
		if (errno != EEXIST)
			break;
	}
	free(w->tmpname);
	w->tmpname = NULL;
	return w_fail(w, IMAGE_ERR_IO, "cannot name the new image: %s",
		      strerror(errno));
}

enum image_status image_writer_commit(struct image_writer *w)
{
	return image_writer_commit_err(w, NULL);
}

enum image_status image_writer_commit_err(struct image_writer *w,
					  struct image_err *err)
{
	enum image_status st = w->err.code;

	if (!st && w->streaming)
		st = w_fail(w, IMAGE_ERR_USAGE,
			    "commit while section %zu is streamed",
			    w->n_entries);
	if (!st)
		st = finish_file(w);
	if (!st && !w->tmpname)
		st = link_tmpfile(w);
	if (!st && renameat(w->dirfd, w->tmpname, w->dirfd, w->base) < 0)
		st = w_fail(w, IMAGE_ERR_IO, "rename: %s", strerror(errno));
	if (st) {
		if (err)
			*err = w->err;
		image_writer_abort(w);
		return st;
	}
	free(w->tmpname);		/* the name is the target's now */
	w->tmpname = NULL;
	/*
	 * The new image is in place; syncing the directory makes the rename
	 * survive a power failure. If this fails the caller learns that the
	 * image may not be durable, though PATH already names it.
	 */
	if (fsync(w->dirfd) < 0)
		st = w_fail(w, IMAGE_ERR_IO, "sync directory: %s",
			    strerror(errno));
	if (err)
		*err = w->err;
	image_writer_abort(w);
	return st;
}

void image_writer_abort(struct image_writer *w)
{
	if (!w)
		return;
	if (w->tmpname)
		unlinkat(w->dirfd, w->tmpname, 0);
	if (w->fd >= 0)
		close(w->fd);		/* an unnamed file vanishes here */
	if (w->dirfd >= 0)
		close(w->dirfd);
	free(w->tmpname);
	free(w->path);
	free(w->out);
	free(w->entries);
	free(w->zbuf);
	XXH3_freeState(w->file_hash);
	XXH3_freeState(w->raw_hash);
	XXH3_freeState(w->stored_hash);
	ZSTD_freeCCtx(w->cctx);
	free(w);
}

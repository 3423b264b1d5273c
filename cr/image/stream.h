/*
 * stream — between checkpoint streams (recap/cr_stream.h: what cr writes
 * into a RAM dataspace) and image files (image.h), host side.
 *
 * A stream's section payloads are exactly the image's section payloads, in
 * the same order, so the conversion adds or checks only what the container
 * does: checksums, compression, atomic replacement of the file.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "image.h"

/*
 * Write the image PATH from the checkpoint stream STREAM of LEN bytes,
 * zstd-compressed if COMPRESS. The stream is validated completely first
 * (cr_stream_check: magic, version, count, each section's type, flags,
 * length and padding, no trailing bytes); a bad stream is reported as
 * IMAGE_ERR_STREAM with one line ("PATH: stream: section 2 at byte 96:
 * unknown section type 99") and nothing is written. The file is replaced
 * atomically (image_writer_commit), so on any failure PATH is as it was.
 */
enum image_status image_write_from_stream(char const *path,
					  void const *stream, size_t len,
					  bool compress, struct image_err *err);

/*
 * The same for a stream in memory somebody else may take back: after the
 * last byte of STREAM is read and before the file is replaced, LOST(ARG)
 * is asked whether the stream may have changed meanwhile; if it says why
 * (not NULL), nothing is written and ERR says "PATH: stream: WHY"
 * (IMAGE_ERR_STREAM).
 */
enum image_status image_write_from_stream_lent(
	char const *path, void const *stream, size_t len, bool compress,
	char const *(*lost)(void *arg), void *arg, struct image_err *err);

/*
 * Open and verify the image PATH (image_open: every check) and return its
 * sections as a checkpoint stream in *BUF (malloc'd, the caller frees it)
 * of *LEN bytes. On failure *BUF is NULL, *LEN 0 and ERR says why.
 */
enum image_status image_read_to_stream(char const *path, void **buf,
				       size_t *len, struct image_err *err);

/*
 * The same from an image already open (for callers that also inspect it).
 */
enum image_status image_to_stream(struct image const *img, void **buf,
				  size_t *len, struct image_err *err);

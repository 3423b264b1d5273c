/*
 * tlv_host — the host's record writer: a buffer grown with realloc (see
 * tlv.h). Components give tlv_writer_init_buf a grow callback of their own.
 */
#include <stdlib.h>

#include "tlv.h"

static bool grow_realloc(void *ctx, uint8_t **buf, size_t *cap, size_t need)
{
	size_t c = *cap ? *cap : 256;
	uint8_t *b;

	(void)ctx;
	while (c < need) {
		if (c > SIZE_MAX / 2)
			return false;
		c *= 2;
	}
	if (!(b = realloc(*buf, c)))
		return false;
	*buf = b;
	*cap = c;
	return true;
}

void tlv_writer_init(struct tlv_writer *w)
{
	tlv_writer_init_buf(w, NULL, 0, grow_realloc, NULL);
}

void tlv_writer_free(struct tlv_writer *w)
{
	free(w->buf);
	tlv_writer_init(w);
}

/*
 * image_types — the one table of section types (CRIU's image-desc.c).
 *
 * A new kind of checkpointed state gets a number in enum image_section_type
 * and a line here; nothing else in the image layer changes. Numbers are
 * never reused. A type is "optional" if a reader that predates it can
 * restore correctly without it (statistics, hints); every type below
 * carries state a restore cannot do without, so an older reader must
 * refuse an image containing one it does not know.
 */
#include <stddef.h>

#include "image_format.h"

static struct image_type_desc const image_types[] = {
	{ IMAGE_SEC_META, "meta", false },
	{ IMAGE_SEC_CAPSPACE, "capspace", false },
	{ IMAGE_SEC_THREADS, "threads", false },
	{ IMAGE_SEC_SESSIONS, "sessions", false },
	{ IMAGE_SEC_REGIONS, "regions", false },
	{ IMAGE_SEC_PAGES, "pages", false },
	{ IMAGE_SEC_PARENT, "parent", false },
};

struct image_type_desc const *image_type_desc(uint32_t type)
{
	for (size_t i = 0; i < sizeof(image_types) / sizeof(image_types[0]); i++)
		if (image_types[i].type == type)
			return &image_types[i];
	return NULL;
}

char const *image_section_name(uint32_t type)
{
	struct image_type_desc const *d = image_type_desc(type);

	return d ? d->name : NULL;
}

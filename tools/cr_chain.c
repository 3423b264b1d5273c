/*
 * cr_chain — chains of incremental images (cr_chain.h).
 *
 * Composition keeps one dataspace in memory at a time: for each dataspace
 * of the newest image, the chain is walked back to the image that holds it
 * whole, and the runs of the images in between are laid over that content
 * from the oldest to the newest.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <recap/cr_stream.h>

#include "cr_chain.h"

typedef unsigned long long ull;

__attribute__((format(printf, 2, 3)))
static int fail(char msg[CR_CHAIN_MSG], char const *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, CR_CHAIN_MSG, fmt, ap);
	va_end(ap);
	return -1;
}

int cr_chain_read(struct image const *img, char const *path,
		  struct crfmt_meta *meta, bool *has_parent,
		  struct crfmt_parent *parent, char msg[CR_CHAIN_MSG])
{
	struct crfmt_err err;
	void const *data;
	size_t len;

	if (image_section(img, IMAGE_SEC_META, 0, &data, &len))
		return fail(msg, "%s: no meta section", path);
	if (crfmt_meta_decode(data, len, meta, &err))
		return fail(msg, "%s: %s", path, err.msg);
	*has_parent = image_section_count(img, IMAGE_SEC_PARENT) > 0;
	if (image_section_count(img, IMAGE_SEC_PARENT) > 1)
		return fail(msg, "%s: more than one parent section", path);
	if (*has_parent) {
		image_section(img, IMAGE_SEC_PARENT, 0, &data, &len);
		if (crfmt_parent_decode(data, len, parent, &err))
			return fail(msg, "%s: %s", path, err.msg);
	}
	if (*has_parent != !!(meta->flags & CRFMT_META_INCREMENTAL))
		return fail(msg, "%s: %s", path, *has_parent
			    ? "a parent section in a full image"
			    : "an incremental image without a parent section");
	return 0;
}

int cr_chain_check_link(struct crfmt_meta const *prev,
			struct crfmt_meta const *next, char msg[CR_CHAIN_MSG])
{
	if (strcmp(prev->target, next->target))
		return fail(msg, "it is a checkpoint of '%s', not of '%s'",
			    prev->target, next->target);
	if (!prev->instance || prev->instance != next->instance)
		return fail(msg, "it is a checkpoint of another run of '%s'",
			    next->target);
	if (prev->seq + 1 != next->seq)
		return fail(msg, "it is checkpoint %llu of '%s', the increment "
			    "extends checkpoint %llu", (ull)prev->seq,
			    next->target, (ull)next->seq - 1);
	return 0;
}

/* Open the parent of link l (relative: to the working directory, else to
 * the increment's directory). */
static int parent_open(struct cr_chain_link const *l,
		       struct cr_chain_link *p, char msg[CR_CHAIN_MSG])
{
	char const *given = l->parent.path;
	struct image_err ierr;
	char dir[PATH_MAX], alt[PATH_MAX * 2];

	if (image_open(given, &p->img, &ierr) == IMAGE_OK) {
		p->path = strdup(given);
	} else {
		snprintf(dir, sizeof(dir), "%s", l->path);
		snprintf(alt, sizeof(alt), "%s/%s", dirname(dir), given);
		if (given[0] == '/' || ierr.code != IMAGE_ERR_IO ||
		    image_open(alt, &p->img, NULL) != IMAGE_OK)
			return fail(msg, "%s: its parent %s", l->path, ierr.msg);
		p->path = strdup(alt);
	}
	if (!p->path) {
		image_close(p->img);
		p->img = NULL;
		return fail(msg, "out of memory");
	}
	return 0;
}

/* Link l has no parent section: refuse it only if its meta says it is an
 * increment (its pages would be half of it). */
static int full_only(struct cr_chain_link *l, char msg[CR_CHAIN_MSG])
{
	struct crfmt_err err;
	void const *data;
	size_t len;

	if (image_section(l->img, IMAGE_SEC_META, 0, &data, &len) ||
	    crfmt_meta_decode(data, len, &l->meta, &err)) {
		memset(&l->meta, 0, sizeof(l->meta));
		return 0;
	}
	if (l->meta.flags & CRFMT_META_INCREMENTAL)
		return fail(msg, "%s: an incremental image without a parent "
			    "section", l->path);
	return 0;
}

void cr_chain_close(struct cr_chain *ch)
{
	for (size_t i = 0; i < ch->n; i++) {
		image_close(ch->link[i].img);
		free(ch->link[i].path);
	}
	ch->n = 0;
}

int cr_chain_open(char const *path, struct cr_chain *ch,
		  char msg[CR_CHAIN_MSG])
{
	struct image_err ierr;
	struct cr_chain_link *l = &ch->link[0];

	memset(ch, 0, sizeof(*ch));
	if (image_open(path, &l->img, &ierr))
		return fail(msg, "%s", ierr.msg);
	if (!(l->path = strdup(path))) {
		image_close(l->img);
		return fail(msg, "out of memory");
	}
	ch->n = 1;
	for (;;) {
		struct cr_chain_link *p;
		char why[CR_CHAIN_MSG];

		l = &ch->link[ch->n - 1];
		l->id = image_id(l->img);
		/* A full image is cr's to judge (a stand-in's meta may be
		 * anything): only an incremental one needs a chain. */
		if (ch->n == 1 && !image_section_count(l->img, IMAGE_SEC_PARENT)) {
			if (full_only(l, msg))
				goto fail;
			return 0;
		}
		if (cr_chain_read(l->img, l->path, &l->meta, &l->has_parent,
				  &l->parent, msg))
			goto fail;
		if (!l->has_parent)
			return 0;
		if (ch->n == CR_CHAIN_MAX) {
			fail(msg, "%s: a chain of more than %d images", path,
			     CR_CHAIN_MAX);
			goto fail;
		}
		p = &ch->link[ch->n];
		if (parent_open(l, p, msg))
			goto fail;
		ch->n++;
		if (image_id(p->img) != l->parent.image_id) {
			fail(msg, "%s: its parent %s is not the image it extends "
			     "(id 0x%016llx, expected 0x%016llx)", l->path,
			     p->path, (ull)image_id(p->img),
			     (ull)l->parent.image_id);
			goto fail;
		}
		p->id = image_id(p->img);
		if (cr_chain_read(p->img, p->path, &p->meta, &p->has_parent,
				  &p->parent, msg))
			goto fail;
		if (cr_chain_check_link(&p->meta, &l->meta, why)) {
			fail(msg, "%s: its parent %s: %s", l->path, p->path, why);
			goto fail;
		}
	}
fail:
	cr_chain_close(ch);
	return -1;
}

/* ---- composition --------------------------------------------------------- */

/* One image's dataspaces: regions by object id, pages by id. */
struct ds_index {
	struct crfmt_ds *ds;		/* regions, in order */
	size_t nds;
	struct crfmt_pages *pages;	/* pages records, in order */
	size_t npages;
};

static void index_free(struct ds_index *x)
{
	free(x->ds);
	free(x->pages);
}

static int index_build(struct cr_chain_link const *l, struct ds_index *x,
		       char msg[CR_CHAIN_MSG])
{
	struct crfmt_iter it;
	struct crfmt_err err;
	enum crfmt_status st;
	void const *data;
	size_t len, cap = 0;

	memset(x, 0, sizeof(*x));
	if (image_section(l->img, IMAGE_SEC_REGIONS, 0, &data, &len))
		return fail(msg, "%s: no regions section", l->path);
	crfmt_iter_init(&it, data, len);
	for (;;) {
		if (x->nds == cap) {
			void *n = realloc(x->ds, (cap = cap * 2 + 16) * sizeof(*x->ds));
			if (!n)
				return fail(msg, "out of memory");
			x->ds = n;
		}
		if ((st = crfmt_regions_next(&it, &x->ds[x->nds], &err)))
			break;
		x->nds++;
	}
	if (st != CRFMT_END)
		return fail(msg, "%s: regions: %s", l->path, err.msg);
	if (image_section(l->img, IMAGE_SEC_PAGES, 0, &data, &len))
		return fail(msg, "%s: no pages section", l->path);
	crfmt_iter_init(&it, data, len);
	cap = 0;
	for (;;) {
		if (x->npages == cap) {
			void *n = realloc(x->pages, (cap = cap * 2 + 16) *
					  sizeof(*x->pages));
			if (!n)
				return fail(msg, "out of memory");
			x->pages = n;
		}
		if ((st = crfmt_pages_next(&it, &x->pages[x->npages], &err)))
			break;
		x->npages++;
	}
	if (st != CRFMT_END)
		return fail(msg, "%s: pages: %s", l->path, err.msg);
	return 0;
}

static struct crfmt_ds const *ds_by_object(struct ds_index const *x,
					   uint64_t object)
{
	for (size_t i = 0; object && i < x->nds; i++)
		if (x->ds[i].object == object)
			return &x->ds[i];
	return NULL;
}

static struct crfmt_pages const *pages_by_id(struct ds_index const *x,
					     uint64_t id)
{
	for (size_t i = 0; i < x->npages; i++)
		if (x->pages[i].id == id)
			return &x->pages[i];
	return NULL;
}

static void runs_apply(struct crfmt_pages const *p, uint8_t *buf)
{
	struct crfmt_iter it;
	struct crfmt_run r;

	crfmt_runs_init(&it, p);
	while (crfmt_runs_next(&it, &r, NULL) == CRFMT_OK)
		memcpy(buf + r.page * CRFMT_PAGE_SIZE, r.data.data, r.data.len);
}

/* Dataspace d of the newest image, whole, into buf (d->size bytes). */
static int ds_compose(struct cr_chain const *ch, struct ds_index const *x,
		      struct crfmt_ds const *d, uint8_t *buf,
		      char msg[CR_CHAIN_MSG])
{
	struct crfmt_pages const *layer[CR_CHAIN_MAX];
	size_t n = 0;

	for (size_t i = 0; i < ch->n; i++) {
		struct crfmt_ds const *di = i ? ds_by_object(&x[i], d->object) : d;
		struct crfmt_pages const *p = di ? pages_by_id(&x[i], di->id) : NULL;

		if (!di || !p || di->size != d->size || p->size != d->size)
			return fail(msg, "%s: dataspace %llu (object %llu) is "
				    "missing from %s, before any image holds "
				    "it whole", ch->link[0].path, (ull)d->id,
				    (ull)d->object, ch->link[i].path);
		if (p->data.data) {
			memcpy(buf, p->data.data, p->data.len);
			while (n)
				runs_apply(layer[--n], buf);
			return 0;
		}
		layer[n++] = p;
	}
	return fail(msg, "%s: dataspace %llu: no image of the chain holds it "
		    "whole", ch->link[0].path, (ull)d->id);
}

static int pages_compose(struct cr_chain const *ch, struct tlv_writer *w,
			 char msg[CR_CHAIN_MSG])
{
	struct ds_index *x = calloc(ch->n, sizeof(*x));
	size_t mark;
	int rc = 0;

	if (!x)
		return fail(msg, "out of memory");
	for (size_t i = 0; i < ch->n && !rc; i++)
		rc = index_build(&ch->link[i], &x[i], msg);
	mark = crfmt_stream_section_begin(w, CR_SEC_PAGES);
	for (size_t j = 0; !rc && j < x[0].nds; j++) {
		struct crfmt_ds const *d = &x[0].ds[j];
		uint8_t *buf;

		/* No content of its own: its map's dataspaces have theirs. */
		if (d->kind == CRFMT_DS_MANAGED)
			continue;

		if (d->size >= (1ull << 32)) {
			rc = fail(msg, "%s: dataspace %llu: %llu bytes, more "
				  "than a chain restores", ch->link[0].path,
				  (ull)d->id, (ull)d->size);
			break;
		}
		if (!(buf = calloc(1, d->size ? d->size : 1))) {
			rc = fail(msg, "out of memory");
			break;
		}
		rc = ds_compose(ch, x, d, buf, msg);
		if (!rc)
			crfmt_pages_encode(w, d->id, buf, d->size);
		free(buf);
	}
	crfmt_stream_section_end(w, mark);
	for (size_t i = 0; i < ch->n; i++)
		index_free(&x[i]);
	free(x);
	return rc;
}

int cr_chain_stream(struct cr_chain const *ch, void **buf, size_t *len,
		    char msg[CR_CHAIN_MSG])
{
	struct image const *img = ch->link[0].img;
	struct tlv_writer w;
	int rc = 0;

	*buf = NULL;
	*len = 0;
	tlv_writer_init(&w);
	crfmt_stream_begin(&w);
	for (size_t i = 0; i < image_nsections(img) && !rc; i++) {
		struct image_section_info s;
		struct crfmt_meta m;
		size_t mark;

		image_section_info(img, i, &s);
		if (s.type == IMAGE_SEC_PARENT)
			continue;
		if (s.type == IMAGE_SEC_PAGES) {
			rc = pages_compose(ch, &w, msg);
			continue;
		}
		mark = crfmt_stream_section_begin(&w, s.type);
		if (s.type == IMAGE_SEC_META) {
			m = ch->link[0].meta;
			m.flags &= ~CRFMT_META_INCREMENTAL;
			crfmt_meta_encode(&w, &m);
		} else {
			tlv_put_raw(&w, s.data, s.raw_len);
		}
		crfmt_stream_section_end(&w, mark);
	}
	if (!rc && !tlv_writer_ok(&w))
		rc = fail(msg, "out of memory");
	if (rc) {
		tlv_writer_free(&w);
		return -1;
	}
	*buf = w.buf;
	*len = w.len;
	return 0;
}

/*
 * restore.c — one restore (cr.h, docs/cr.md "Restore"): the stream read
 * and every section checked before anything is made, the order of the
 * parts (rst.h), and what is undone when a part fails: the whole new
 * child, which the child API takes down with its PD handle.
 */
#include <stdarg.h>

#include <recap/env_heap.h>
#include <recap/err.h>
#include <recap/format.h>
#include <recap/string.h>

#include "rst.h"

int rst_fail(struct rst *r, int err, char const *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	recap_vsnprintf(r->msg, r->msg_size, fmt, ap);
	va_end(ap);
	return err;
}

int rst_map_add(struct rst *r, unsigned long old_id, struct recap_cap cap)
{
	if (r->nmap == r->map_max)
		return RECAP_ERR_NOMEM;
	r->map[r->nmap++] = (struct rst_map){ .old_id = old_id, .cap = cap };
	return RECAP_OK;
}

struct caps_entry const *rst_cap_at(struct rst const *r, unsigned long long slot)
{
	for (unsigned i = 0; i < r->ncaps; i++)
		if (r->caps[i].slot == slot)
			return &r->caps[i];
	return NULL;
}

/* Each section once; all but pages required. */
static int sections(struct rst *r, void const *stream, unsigned long len)
{
	struct cr_stream_reader rd;
	struct cr_stream_section s;
	enum cr_stream_status st = cr_stream_check(stream, len, NULL, NULL);

	if (st == CR_STREAM_OK)
		st = cr_stream_reader_init(&rd, stream, len);
	while (st == CR_STREAM_OK && (st = cr_stream_next(&rd, &s)) == CR_STREAM_OK) {
		struct cr_stream_section *to =
			s.type == CR_SEC_META ? &r->meta :
			s.type == CR_SEC_THREADS ? &r->threads :
			s.type == CR_SEC_CAPSPACE ? &r->capspace :
			s.type == CR_SEC_SESSIONS ? &r->sessions :
			s.type == CR_SEC_REGIONS ? &r->regions :
			s.type == CR_SEC_PAGES ? &r->pages : NULL;

		if (!to)
			return rst_fail(r, RECAP_ERR_INVAL,
					"section type %u: not for a restore",
					(unsigned)s.type);
		if (to->payload)
			return rst_fail(r, RECAP_ERR_INVAL, "section type %u twice",
					(unsigned)s.type);
		*to = s;
	}
	if (st != CR_STREAM_END)
		return rst_fail(r, RECAP_ERR_INVAL, "bad stream: %s",
				cr_stream_status_str(st));
	if (!r->meta.payload || !r->threads.payload || !r->capspace.payload ||
	    !r->sessions.payload || !r->regions.payload || !r->pages.payload)
		return rst_fail(r, RECAP_ERR_INVAL, "a section is missing");
	return RECAP_OK;
}

/* Decode every record once, so that a bad one stops the restore here. */
static int check_records(struct rst *r)
{
	struct crfmt_err ferr;
	struct crfmt_iter it;
	struct crfmt_thread *t;
	struct crfmt_session *s;
	struct crfmt_ds *d;
	struct crfmt_pages p;
	enum crfmt_status st;
	int err = RECAP_OK;

	if (crfmt_meta_decode(r->meta.payload, r->meta.len, &r->m, &ferr))
		return rst_fail(r, RECAP_ERR_INVAL, "meta: %s", ferr.msg);
	if (recap_heap_alloc(r->env, sizeof(*t) + sizeof(*s) + sizeof(*d),
			     (void **)&t) != RECAP_OK)
		return rst_fail(r, RECAP_ERR_NOMEM, "out of memory");
	s = (struct crfmt_session *)(t + 1);
	d = (struct crfmt_ds *)(s + 1);
	crfmt_iter_init(&it, r->threads.payload, r->threads.len);
	while ((st = crfmt_threads_next(&it, t, &ferr)) == CRFMT_OK)
		;
	if (st != CRFMT_END)
		err = rst_fail(r, RECAP_ERR_INVAL, "threads: %s", ferr.msg);
	crfmt_iter_init(&it, r->sessions.payload, r->sessions.len);
	while (!err && (st = crfmt_sessions_next(&it, s, &ferr)) == CRFMT_OK)
		;
	if (!err && st != CRFMT_END)
		err = rst_fail(r, RECAP_ERR_INVAL, "sessions: %s", ferr.msg);
	crfmt_iter_init(&it, r->regions.payload, r->regions.len);
	while (!err && (st = crfmt_regions_next(&it, d, &ferr)) == CRFMT_OK)
		;
	if (!err && st != CRFMT_END)
		err = rst_fail(r, RECAP_ERR_INVAL, "regions: %s", ferr.msg);
	crfmt_iter_init(&it, r->pages.payload, r->pages.len);
	while (!err && (st = crfmt_pages_next(&it, &p, &ferr)) == CRFMT_OK)
		;
	if (!err && st != CRFMT_END)
		err = rst_fail(r, RECAP_ERR_INVAL, "pages: %s", ferr.msg);
	recap_heap_free(r->env, t);
	return err;
}

/* A PD for the child, named as asked, with its old parent badge. */
static int make_child(struct rst *r, char const *as_label)
{
	char const *name = as_label && as_label[0] ? as_label : r->m.target;
	struct caps_entry const *parent = rst_cap_at(r, 8);
	char *config;
	int err;

	if (r->replace && (err = rst_replace_end(r, name)))
		return err;
	if (cr_child_find(r->cr, name))
		return rst_fail(r, RECAP_ERR_EXIST, "a child named \"%s\" exists",
				name);
	r->c = cr_child_alloc(r->cr, name, r->m.binary);
	if (!r->c)
		return rst_fail(r, RECAP_ERR_NOMEM, "out of memory");
	/* The child API keeps a pointer to the config text: keep a copy. */
	err = recap_heap_alloc(r->env, r->m.config.len + 1, (void **)&config);
	if (err != RECAP_OK)
		return rst_fail(r, err, "out of memory");
	RECAP_STRING_NAME(memcpy)(config, r->m.config.data, r->m.config.len);
	config[r->m.config.len] = '\0';
	err = recap_child_create(r->env, &r->c->child, name, r->cr->child_ram,
				 r->cr->child_caps, config, &cr_policy,
				 parent ? parent->label & ~3UL : 0);
	if (err != RECAP_OK) {
		recap_heap_free(r->env, config);
		recap_heap_free(r->env, r->c);
		r->c = NULL;
		return rst_fail(r, err, "cannot make a PD for \"%s\": %s", name,
				recap_err_str(err));
	}
	return RECAP_OK;
}

static int run(struct rst *r, void const *stream, unsigned long len,
	       char const *as_label)
{
	int err;

	if ((err = sections(r, stream, len)) || (err = check_records(r)) ||
	    (err = rst_capspace_read(r)))
		return err;
	r->map_max = r->ncaps + CR_MAX_DS;
	err = recap_heap_alloc(r->env, r->map_max * sizeof(*r->map), (void **)&r->map);
	if (err != RECAP_OK)
		return rst_fail(r, err, "out of memory");
	if ((err = make_child(r, as_label)))
		return err;
	/* Entrypoint gates before the threads labelled like one of them. */
	if ((err = rst_memory(r)) || (err = rst_threads_create(r, false)) ||
	    (err = rst_ep_gates(r)) || (err = rst_threads_create(r, true)) ||
	    (err = rst_ep_gates(r)) || (err = rst_sessions(r)) ||
	    (err = rst_memory_managed(r)) ||
	    (err = rst_capspace_install(r)) || (err = rst_capmap(r)) ||
	    (err = rst_threads_start(r))) {
		recap_child_destroy(&r->c->child);
		recap_heap_free(r->env, r->c);
		r->c = NULL;
		return err;
	}
	r->c->next = r->cr->children;
	r->cr->children = r->c;
	return RECAP_OK;
}

int cr_restore(struct cr *cr, void const *stream, unsigned long len,
	       char const *as_label, unsigned long flags,
	       char *msg, unsigned long msg_size)
{
	struct rst *r;
	int err = recap_heap_alloc(cr->env, sizeof(*r), (void **)&r);

	if (err != RECAP_OK)
		return recap_snprintf(msg, msg_size, "out of memory"), err;
	RECAP_STRING_NAME(memset)(r, 0, sizeof(*r));
	r->cr = cr;
	r->env = cr->env;
	r->msg = msg;
	r->msg_size = msg_size;
	r->replace = (flags & RECAP_CR_FLAG_REPLACE) != 0;
	err = run(r, stream, len, as_label);
	recap_heap_free(cr->env, r->caps);
	recap_heap_free(cr->env, r->map);
	recap_heap_free(cr->env, r);
	return err;
}

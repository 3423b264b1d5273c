/*
 * memory.c — the child's memory in a checkpoint: its address space as
 * core's region map has it (RM REGION, never what the child says), each
 * dataspace once with all its attachments (regions section) and its
 * contents (pages section).
 */
#include <l4/sys/consts.h>

#include <recap/dataspace.h>
#include <recap/env_heap.h>
#include <recap/err.h>
#include <recap/region_map.h>
#include <recap/string.h>

#include "../intercept/forward.h"
#include "ckpt.h"

#define MAX_DS 256

struct mem_ds {
	struct crfmt_ds rec;
	struct recap_cap cap;		/* cr's copy */
};

struct mem {
	struct mem_ds *ds;		/* heap, MAX_DS */
	unsigned n;
};

static uint32_t rights_of(unsigned long fpage)
{
	return CRFMT_R | (fpage & L4_FPAGE_W ? CRFMT_W : 0) |
	       (fpage & L4_FPAGE_X ? CRFMT_X : 0);
}

/* The dataspace's size and whether it is writable, from core. */
static int ds_info(struct recap_env *env, struct recap_cap ds,
		   unsigned long *size, bool *writable)
{
	struct cr_call call = { .op = RECAP_DS_INFO };
	int err = cr_call_make(env, ds, &call);

	if (err != RECAP_OK)
		return err;
	if (call.nret != 2)
		return RECAP_ERR_INVAL;
	*size = call.ret[0];
	*writable = call.ret[1] != 0;
	return RECAP_OK;
}

/*
 * Is ds a managed dataspace (a region map's, recap/region_map.h)? cr
 * cannot save one yet: it has no memory of its own, and reading its holes
 * would fault in cr.
 */
static bool ds_managed(struct recap_env *env, struct recap_cap ds)
{
	struct cr_call call = { .op = RECAP_DS_KIND };

	return cr_call_make(env, ds, &call) == RECAP_OK && call.nret == 1 &&
	       call.ret[0] == RECAP_DS_KIND_MANAGED;
}

static struct mem_ds *mem_ds_of(struct ckpt *k, struct mem *m,
				struct recap_cap cap)
{
	unsigned long size;
	bool writable;
	struct mem_ds *d;

	/* cr's cap map keeps one slot per object: same object, same slot. */
	for (unsigned i = 0; i < m->n; i++)
		if (m->ds[i].cap.sel == cap.sel)
			return &m->ds[i];
	if (m->n == MAX_DS || ds_info(k->env, cap, &size, &writable) != RECAP_OK)
		return NULL;
	d = &m->ds[m->n];
	crfmt_ds_init(&d->rec);
	d->rec.id = ++m->n;
	d->rec.size = size;
	d->rec.kind = CRFMT_DS_RAM;
	d->rec.writable = writable;
	d->rec.object = cr_own_object_id(k->env, cap);
	d->cap = cap;
	return d;
}

/* Walk the address space into m. */
static int collect(struct ckpt *k, struct mem *m)
{
	struct cr_region r;
	unsigned long addr = 0;
	int err = recap_heap_alloc(k->env, MAX_DS * sizeof(*m->ds), (void **)&m->ds);

	if (err != RECAP_OK)
		return ckpt_fail(k, err, "no memory for the region list");
	m->n = 0;
	while ((err = cr_real_region(k->env, k->c->child.rm, addr, &r)) == RECAP_OK) {
		struct mem_ds *d;

		if (!recap_cap_valid(r.ds))
			return ckpt_fail(k, RECAP_ERR_DENIED,
					 "memory at 0x%lx is core's, not a dataspace",
					 r.addr);
		if (ds_managed(k->env, r.ds))
			return ckpt_fail(k, RECAP_ERR_DENIED,
					 "memory at 0x%lx is a managed dataspace, which cr cannot checkpoint yet",
					 r.addr);
		d = mem_ds_of(k, m, r.ds);
		if (!d || d->rec.n_attach == CRFMT_ATTACH_MAX)
			return ckpt_fail(k, RECAP_ERR_NOMEM,
					 "too many dataspaces or attachments");
		d->rec.attach[d->rec.n_attach++] = (struct crfmt_attach){
			.addr = r.addr, .offset = r.offset, .size = r.size,
			.rights = rights_of(r.rights) };
		addr = r.addr + r.size;
	}
	if (err != RECAP_ERR_NOENT)
		return ckpt_fail(k, err, "cannot read the region map");
	/* Dataspaces the child holds without having them attached. */
	for (unsigned i = 0; i < CR_MAX_DS; i++)
		if (k->c->ds[i].used && !mem_ds_of(k, m, k->c->ds[i].cap))
			return ckpt_fail(k, RECAP_ERR_NOMEM, "too many dataspaces");
	return RECAP_OK;
}

int ckpt_memory_size(struct ckpt *k, unsigned long *bytes)
{
	struct mem m = { 0 };
	int err = collect(k, &m);

	*bytes = 0;
	for (unsigned i = 0; i < m.n; i++) {
		*bytes += m.ds[i].rec.size;
		/* A slot naming one of these is a dataspace (one the child
		 * got elsewhere than from cr's RAM session: its config's),
		 * which the restore makes again, not a third party's. */
		for (size_t j = 0; j < k->caps.n; j++)
			if (k->caps.entries[j].role == CAPS_ROLE_UNKNOWN &&
			    k->caps.entries[j].object == m.ds[i].rec.object)
				k->caps.entries[j].role = CAPS_ROLE_DATASPACE;
	}
	recap_heap_free(k->env, m.ds);
	return err;
}

/* Each dataspace's contents; progress in bytes after each one. */
static int write_pages(struct ckpt *k, struct mem *m)
{
	size_t mark = crfmt_stream_section_begin(&k->w, CR_SEC_PAGES);
	unsigned long done = 0, total = 0;

	for (unsigned i = 0; i < m->n; i++)
		total += m->ds[i].rec.size;
	for (unsigned i = 0; i < m->n; i++) {
		unsigned long addr;
		int err = recap_rm_attach(k->env, m->ds[i].cap, 0, 0,
					  RECAP_RM_ANYWHERE, L4_FPAGE_RO, &addr);

		if (err != RECAP_OK)
			return ckpt_fail(k, err, "cannot attach dataspace %u", i + 1);
		crfmt_pages_encode(&k->w, m->ds[i].rec.id, (void const *)addr,
				   m->ds[i].rec.size);
		recap_rm_detach(k->env, addr);
		done += m->ds[i].rec.size;
		cr_progress(k->cr, done, total);
	}
	crfmt_stream_section_end(&k->w, mark);
	return RECAP_OK;
}

int ckpt_memory_write(struct ckpt *k)
{
	struct mem m = { 0 };
	size_t mark;
	int err = collect(k, &m);

	if (err == RECAP_OK) {
		mark = crfmt_stream_section_begin(&k->w, CR_SEC_REGIONS);
		for (unsigned i = 0; i < m.n; i++)
			crfmt_ds_encode(&k->w, &m.ds[i].rec);
		crfmt_stream_section_end(&k->w, mark);
		err = write_pages(k, &m);
	}
	recap_heap_free(k->env, m.ds);
	return err;
}

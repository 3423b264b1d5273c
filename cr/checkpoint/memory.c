/*
 * memory.c — the child's memory in a checkpoint: its address space as
 * core's region map has it (RM REGION, never what the child says), each
 * dataspace once with all its attachments (regions section) and its
 * contents (pages section).
 *
 * Incremental checkpoints (docs/cr.md): every checkpoint restarts the
 * kernel's dirty tracking (native PD DIRTY with RESET) over every
 * attachment while the child is paused, and remembers its dataspaces by
 * the kernel object id of cr's copy (image-local ids change). An
 * increment saves, of a dataspace the last checkpoint had, only the pages
 * written since through any of its attachments; a new dataspace, one
 * detached somewhere since (the detach took its tracking along: rm.c) or
 * one without an object id is saved whole. The regions section is always
 * complete.
 *
 * Managed region maps (intercept/rm.c notes them): each is a record of
 * its own (kind managed, no pages: its memory is the dataspaces attached
 * in it, saved as the child's RAM), read from core like the address
 * space: its layout (REGION on the map), its dataspace (DATASPACE) and its
 * fault handler (STATE). Its windows are its attachments. A write through
 * a window is not tracked at the inner dataspace's own addresses, so an
 * increment saves every dataspace attached inside a map whole.
 *
 * Views (model.h): cr reads each dataspace through an attachment of its
 * own that it keeps for the next checkpoint. A view is believed only while
 * cr's region map still has that dataspace there: destroying a dataspace
 * detaches it everywhere (the child freed it, its session closed), and
 * cr may have attached something else at that address since.
 */
#include <l4/sys/consts.h>

#include <recap/dataspace.h>
#include <recap/env_heap.h>
#include <recap/err.h>
#include <recap/native_pd.h>
#include <recap/ram_session.h>
#include <recap/region_map.h>
#include <recap/session_args.h>
#include <recap/string.h>

#include "../intercept/forward.h"
#include "ckpt.h"

#define MAX_DS CKPT_MAX_DS

struct mem_ds {
	struct crfmt_ds rec;
	struct recap_cap cap;		/* cr's copy */
	bool whole;			/* attached inside a managed map */
};

struct ckpt_mem {
	struct mem_ds *ds;		/* heap, MAX_DS */
	unsigned n;
};

static uint32_t rights_of(unsigned long fpage)
{
	return CRFMT_R | (fpage & L4_FPAGE_W ? CRFMT_W : 0) |
	       (fpage & L4_FPAGE_X ? CRFMT_X : 0);
}

/*
 * Is ds a managed dataspace (a region map's, recap/region_map.h)? It has
 * no memory of its own, and reading its holes would fault in cr: cr saves
 * only the ones of maps it knows (managed_collect).
 */
static bool ds_managed(struct recap_env *env, struct recap_cap ds)
{
	struct cr_call call = { .op = RECAP_DS_KIND };

	return cr_call_make(env, ds, &call) == RECAP_OK && call.nret == 1 &&
	       call.ret[0] == RECAP_DS_KIND_MANAGED;
}

/* The record of cap's dataspace if m has one. cr's cap map keeps one slot
 * per object: same object, same slot. */
static struct mem_ds *mem_ds_find(struct ckpt_mem *m, struct recap_cap cap)
{
	for (unsigned i = 0; i < m->n; i++)
		if (m->ds[i].cap.sel == cap.sel)
			return &m->ds[i];
	return NULL;
}

/* A new record for cap's dataspace (size bytes, kernel object id object),
 * or NULL if m is full. */
static struct mem_ds *mem_ds_new(struct ckpt_mem *m, struct recap_cap cap,
				 unsigned long size, bool writable,
				 unsigned long object)
{
	struct mem_ds *d;

	if (m->n == MAX_DS)
		return NULL;
	d = &m->ds[m->n];
	crfmt_ds_init(&d->rec);
	d->rec.id = ++m->n;
	d->rec.size = size;
	d->rec.kind = CRFMT_DS_RAM;
	d->rec.writable = writable;
	d->rec.object = object;
	d->cap = cap;
	d->whole = false;
	return d;
}

/* cr's record of the child's dataspace at cap's slot, or NULL (not one
 * cr's sessions or a restore handed out). cr's cap map keeps one slot
 * per object. */
static struct cr_ds const *ds_record(struct cr_child const *c,
				     struct recap_cap cap)
{
	for (unsigned i = 0; i < CR_MAX_DS; i++)
		if (c->ds[i].used && c->ds[i].cap.sel == cap.sel)
			return &c->ds[i];
	return NULL;
}

/* m's record of cap's dataspace, a new one (what cr's record says, else
 * what core and the kernel say), or NULL if m is full. */
static struct mem_ds *mem_ds_of(struct ckpt *k, struct ckpt_mem *m,
				struct recap_cap cap)
{
	struct cr_ds const *r = ds_record(k->c, cap);
	struct mem_ds *d = mem_ds_find(m, cap);
	unsigned long size;
	bool writable;

	if (d)
		return d;
	if (r)
		return mem_ds_new(m, cap, r->size, r->writable, r->object);
	if (recap_ds_info(k->env, cap, &size, &writable) != RECAP_OK)
		return NULL;
	return mem_ds_new(m, cap, size, writable, cr_own_object_id(k->env, cap));
}

/* What is attached inside the managed map rm (record d). */
static int managed_inner(struct ckpt *k, struct ckpt_mem *m,
			 struct recap_cap rm, struct mem_ds *d)
{
	struct cr_region r;
	unsigned long addr = 0;
	struct mem_ds *in;
	int err;

	while ((err = cr_real_region(k->env, rm, addr, &r)) == RECAP_OK) {
		/* Core's memory cannot be inside (core attaches none). */
		if (!recap_cap_valid(r.ds) || !(in = mem_ds_of(k, m, r.ds)) ||
		    d->rec.n_inner == CRFMT_INNER_MAX)
			return ckpt_fail(k, RECAP_ERR_NOMEM, "managed dataspace "
					 "%llu: too many dataspaces inside, or "
					 "one unknown", (unsigned long long)d->rec.id);
		in->whole = true;
		d->rec.inner[d->rec.n_inner++] = (struct crfmt_inner){
			.ds = in->rec.id, .offset = r.addr, .size = r.size,
			.ds_offset = r.offset, .rights = rights_of(r.rights) };
		addr = r.addr + r.size;
	}
	return err == RECAP_ERR_NOENT ? RECAP_OK :
	       ckpt_fail(k, err, "cannot read a managed region map");
}

/* Managed map i of the child: its record, unless core destroyed it. */
static int managed_one(struct ckpt *k, struct ckpt_mem *m, unsigned i)
{
	struct cr_managed *mm = &k->c->managed[i];
	struct cr_call ds = { .op = RECAP_RM_DATASPACE };
	struct cr_call state = { .op = RECAP_RM_STATE };
	struct mem_ds *d;

	/* Its session closed: gone with it. */
	if (cr_call_make(k->env, mm->cap, &ds) != RECAP_OK ||
	    ds.nret_caps != 1 || ds.nret < 1) {
		mm->used = false;
		return RECAP_OK;
	}
	if (cr_call_make(k->env, mm->cap, &state) != RECAP_OK || state.nret < 3)
		return ckpt_fail(k, RECAP_ERR_INVAL,
				 "cannot read a managed region map's state");
	if (!(d = mem_ds_new(m, ds.ret_caps[0], ds.ret[0], true,
			     cr_own_object_id(k->env, ds.ret_caps[0]))))
		return ckpt_fail(k, RECAP_ERR_NOMEM, "too many dataspaces");
	d->rec.kind = CRFMT_DS_MANAGED;
	d->rec.map_object = cr_own_object_id(k->env, mm->cap);
	d->rec.map_session = (uint64_t)mm->session + 1;	/* sessions.c's id */
	d->rec.map_signal = state.ret[2];
	return managed_inner(k, m, mm->cap, d);
}

static int managed_collect(struct ckpt *k, struct ckpt_mem *m)
{
	int err = RECAP_OK;

	for (unsigned i = 0; !err && i < CR_MAX_MANAGED; i++)
		if (k->c->managed[i].used)
			err = managed_one(k, m, i);
	return err;
}

/*
 * A ROM session's dataspace (intercept/rom.c) is saved as the module's:
 * its session's record names it (sessions.c), and a restore asks the
 * session opened again for it, so that the child holds core's read-only
 * dataspace again, not a writable copy.
 */
static void rom_mark(struct cr_child const *c, struct cr_ds const *ds,
		     struct crfmt_ds *rec)
{
	struct cr_session const *s;

	if (ds->session < 0 || ds->session >= CR_MAX_SESSIONS)
		return;
	s = &c->sessions[ds->session];
	if (!s->used || s->service != CR_SVC_ROM ||
	    session_args_get(s->args, "label", rec->module,
			     sizeof(rec->module)) != RECAP_OK)
		return;
	rec->kind = CRFMT_DS_ROM;
}

/*
 * The config ROM's dataspace is the child API's (in the child's RAM, not
 * from cr's RAM session): it is the child's once a slot of the child
 * names it, attached or not yet (between ROM DATASPACE and RM ATTACH).
 */
static bool config_held(struct ckpt const *k)
{
	struct recap_cap ds = k->c->child.config_ds.cap;
	unsigned long id = recap_cap_valid(ds) ? cr_own_object_id(k->env, ds) : 0;

	return id && ckpt_capspace_has_id(k, id);
}

/* Walk the address space into m. */
static int collect(struct ckpt *k, struct ckpt_mem *m)
{
	struct cr_region r;
	unsigned long addr = 0;
	struct mem_ds *d;
	int err = recap_heap_alloc(k->env, MAX_DS * sizeof(*m->ds), (void **)&m->ds);

	if (err != RECAP_OK)
		return ckpt_fail(k, err, "no memory for the region list");
	m->n = 0;
	if ((err = managed_collect(k, m)))
		return err;
	while ((err = cr_real_region(k->env, k->c->child.rm, addr, &r)) == RECAP_OK) {
		if (!recap_cap_valid(r.ds))
			return ckpt_fail(k, RECAP_ERR_DENIED,
					 "memory at 0x%lx is core's, not a dataspace",
					 r.addr);
		/* Those of cr's records are memory (RAM, ROM, loader). */
		if (!mem_ds_find(m, r.ds) && !ds_record(k->c, r.ds) &&
		    ds_managed(k->env, r.ds))
			return ckpt_fail(k, RECAP_ERR_DENIED,
					 "memory at 0x%lx is a managed dataspace of a region map the child did not create",
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
	for (unsigned i = 0; i < CR_MAX_DS; i++) {
		if (!k->c->ds[i].used)
			continue;
		if (!(d = mem_ds_of(k, m, k->c->ds[i].cap)))
			return ckpt_fail(k, RECAP_ERR_NOMEM, "too many dataspaces");
		rom_mark(k->c, &k->c->ds[i], &d->rec);
	}
	if (config_held(k) && !mem_ds_of(k, m, k->c->child.config_ds.cap))
		return ckpt_fail(k, RECAP_ERR_NOMEM, "too many dataspaces");
	return RECAP_OK;
}

void ckpt_memory_fini(struct ckpt *k)
{
	if (!k->mem)
		return;
	recap_heap_free(k->env, k->mem->ds);
	recap_heap_free(k->env, k->mem);
	k->mem = NULL;
}

int ckpt_memory_size(struct ckpt *k, unsigned long *bytes)
{
	struct ckpt_mem *m;
	int err;

	*bytes = 0;
	ckpt_memory_fini(k);
	err = recap_heap_alloc(k->env, sizeof(*m), (void **)&m);
	if (err != RECAP_OK)
		return ckpt_fail(k, err, "no memory for the region list");
	*m = (struct ckpt_mem){ 0 };
	k->mem = m;
	err = collect(k, m);
	for (unsigned i = 0; i < m->n; i++) {
		if (m->ds[i].rec.kind != CRFMT_DS_MANAGED)
			*bytes += m->ds[i].rec.size;
		/* A slot naming one of these is a dataspace (one the child
		 * got elsewhere than from cr's RAM session: its config's),
		 * which the restore makes again, not a third party's. */
		for (size_t j = 0; j < k->caps.n; j++)
			if (k->caps.entries[j].role == CAPS_ROLE_UNKNOWN &&
			    k->caps.entries[j].object == m->ds[i].rec.object)
				k->caps.entries[j].role = CAPS_ROLE_DATASPACE;
	}
	return err;
}

uint64_t ckpt_memory_id_of(struct ckpt const *k, struct recap_cap ds)
{
	for (unsigned i = 0; k->mem && i < k->mem->n; i++)
		if (k->mem->ds[i].cap.sel == ds.sel)
			return k->mem->ds[i].rec.id;
	return 0;
}

/* ---- dirty tracking ------------------------------------------------------ */

void cr_incr_detached(struct cr_child *c, unsigned long object)
{
	struct cr_incr *in = &c->incr;

	for (unsigned i = 0; i < in->nwhole; i++)
		if (in->whole[i] == object)
			return;
	if (!object || in->nwhole == CR_INCR_MAX_DS)
		in->whole_all = true;	/* unknown: nothing is believed */
	else
		in->whole[in->nwhole++] = object;
}

/* Did the child have the dataspace at its last checkpoint, and can its
 * written pages since be known? */
static bool incr_known(struct cr_child const *c, unsigned long object)
{
	struct cr_incr const *in = &c->incr;

	if (!object || in->whole_all)
		return false;
	for (unsigned i = 0; i < in->nwhole; i++)
		if (in->whole[i] == object)
			return false;
	for (unsigned i = 0; i < in->nobjects; i++)
		if (in->objects[i] == object)
			return true;
	return false;
}

/*
 * Read and restart the tracking of every page of d's attachments; with
 * out, set bit i of out for each page i of the dataspace written since
 * the last restart (through any attachment: tracking is per address).
 * One DIRTY a window of RECAP_PD_DIRTY_MAX_PAGES (16 GiB), its bitmap in
 * cr's scratch buffer (cr.h), sized by write_pages for the largest.
 */
static int dirty_read(struct ckpt *k, struct crfmt_ds const *d, uint64_t *out)
{
	uint64_t const *bits = k->cr->scratch.buf;

	for (size_t a = 0; a < d->n_attach; a++) {
		struct crfmt_attach const *at = &d->attach[a];
		unsigned long pages = at->size / L4_PAGESIZE;

		for (unsigned long p = 0; p < pages; p += RECAP_PD_DIRTY_MAX_PAGES) {
			unsigned long n = pages - p, count, base;
			int err;

			if (n > RECAP_PD_DIRTY_MAX_PAGES)
				n = RECAP_PD_DIRTY_MAX_PAGES;
			k->dirty_touched = true;
			err = recap_native_pd_dirty_at(k->env, k->c->child.pd,
						       at->addr + p * L4_PAGESIZE, n,
						       RECAP_PD_DIRTY_RESET,
						       k->cr->scratch.ds.cap, &count);
			if (err != RECAP_OK)
				return err;
			if (!out || !count)
				continue;
			base = at->offset / L4_PAGESIZE + p;
			for (unsigned long w = 0; w < (n + 63) / 64; w++)
				for (uint64_t x = bits[w]; x; x &= x - 1) {
					unsigned long pg = base + w * 64 +
						(unsigned long)__builtin_ctzll(x);

					out[pg / 64] |= 1ULL << (pg % 64);
				}
		}
	}
	return RECAP_OK;
}

/* The first page at or after p below end whose bit in map is set (set)
 * or clear (!set); end if none. */
static unsigned long next_page(uint64_t const *map, unsigned long p,
			       unsigned long end, bool set)
{
	while (p < end) {
		uint64_t w = map[p / 64] ^ (set ? 0 : ~0ULL);

		w &= ~0ULL << (p % 64);
		if (w) {
			p = p / 64 * 64 + (unsigned long)__builtin_ctzll(w);
			return p < end ? p : end;
		}
		p = (p / 64 + 1) * 64;
	}
	return end;
}

/* The runs of set bits in dirty (pages of d) from the dataspace at addr. */
static void write_runs(struct ckpt *k, struct crfmt_ds const *d,
		       uint64_t const *dirty, unsigned long addr)
{
	unsigned long pages = (d->size + L4_PAGESIZE - 1) / L4_PAGESIZE;
	size_t mark = crfmt_pages_begin(&k->w, d->id, d->size);

	for (unsigned long p = next_page(dirty, 0, pages, true); p < pages;
	     p = next_page(dirty, p, pages, true)) {
		unsigned long e = next_page(dirty, p, pages, false);
		unsigned long len = (e - p) * L4_PAGESIZE;

		if (len > d->size - p * L4_PAGESIZE)
			len = d->size - p * L4_PAGESIZE;
		crfmt_pages_run(&k->w, p, (void const *)(addr + p * L4_PAGESIZE),
				len);
		k->pages_saved += e - p;
		p = e;
	}
	crfmt_pages_end(&k->w, mark);
}

/* Is v still an attachment of its dataspace in cr's address space? */
static bool view_attached(struct ckpt *k, struct cr_view const *v)
{
	struct cr_region r;

	return cr_real_region(k->env, k->env->rm, v->addr, &r) == RECAP_OK &&
	       r.addr == v->addr && r.size == v->size && !r.offset &&
	       recap_cap_valid(r.ds) &&
	       cr_own_object_id(k->env, r.ds) == v->object;
}

/*
 * Let go of the views of dataspaces the child no longer has. A view of
 * one destroyed since is gone from cr's region map already (destroying a
 * dataspace detaches it everywhere), and cr may have attached something
 * else there since: only a view still attached is detached.
 */
static void views_prune(struct ckpt *k, struct ckpt_mem const *m)
{
	for (unsigned i = 0; i < CR_MAX_VIEWS; i++) {
		struct cr_view *v = &k->c->views[i];
		bool held = false;

		for (unsigned j = 0; v->object && !held && j < m->n; j++)
			held = m->ds[j].rec.object == v->object &&
			       m->ds[j].rec.kind != CRFMT_DS_MANAGED;
		if (!v->object || held)
			continue;
		if (view_attached(k, v))
			recap_rm_detach(k->env, v->addr);
		v->object = 0;
	}
}

/*
 * Where cr reads d: its view, or a new attachment (kept as a view where
 * there is room; *temporary if not, to be detached after reading). A
 * view of d's object is still attached: object ids are never reused, so
 * the object the child has now was never destroyed, and cr detaches
 * views only in views_prune.
 */
static int view_of(struct ckpt *k, struct mem_ds const *d,
		   unsigned long *addr, bool *temporary)
{
	struct cr_view *free = NULL;
	int err;

	*temporary = false;
	for (unsigned i = 0; i < CR_MAX_VIEWS; i++) {
		struct cr_view *v = &k->c->views[i];

		if (v->object == d->rec.object && d->rec.object) {
			*addr = v->addr;
			return RECAP_OK;
		}
		if (!v->object && !free)
			free = v;
	}
	err = recap_rm_attach(k->env, d->cap, 0, 0, RECAP_RM_ANYWHERE,
			      L4_FPAGE_RO, addr);
	if (err != RECAP_OK)
		return err;
	if (free && d->rec.object)
		*free = (struct cr_view){ .object = d->rec.object, .addr = *addr,
					  .size = (d->rec.size + L4_PAGESIZE - 1) &
						  ~(L4_PAGESIZE - 1) };
	else
		*temporary = true;
	return RECAP_OK;
}

/* One dataspace's content, whole or (incremental, known before) the pages
 * written since; its tracking restarted. */
static int write_ds(struct ckpt *k, struct mem_ds *d, unsigned i)
{
	unsigned long words = (d->rec.size / L4_PAGESIZE + 64) / 64;
	bool sparse = k->incremental && !d->whole &&
		      incr_known(k->c, d->rec.object);
	uint64_t *dirty = NULL;
	unsigned long addr;
	bool temporary;
	int err;

	if (sparse) {
		err = recap_heap_alloc(k->env, words * sizeof(*dirty), (void **)&dirty);
		if (err != RECAP_OK)
			return ckpt_fail(k, err, "no memory for a dirty bitmap");
		RECAP_STRING_NAME(memset)(dirty, 0, words * sizeof(*dirty));
	}
	err = dirty_read(k, &d->rec, dirty);
	if (err != RECAP_OK && k->incremental) {
		recap_heap_free(k->env, dirty);
		return ckpt_fail(k, err, "cannot read the written pages of dataspace %u", i + 1);
	}
	/* A full checkpoint does without: only the next increment is lost. */
	if (err != RECAP_OK)
		k->dirty_reset = false;
	err = view_of(k, d, &addr, &temporary);
	if (err != RECAP_OK) {
		recap_heap_free(k->env, dirty);
		return ckpt_fail(k, err, "cannot attach dataspace %u", i + 1);
	}
	if (sparse) {
		write_runs(k, &d->rec, dirty, addr);
	} else {
		crfmt_pages_encode(&k->w, d->rec.id, (void const *)addr, d->rec.size);
		k->pages_saved += (d->rec.size + L4_PAGESIZE - 1) / L4_PAGESIZE;
	}
	if (temporary)
		recap_rm_detach(k->env, addr);
	recap_heap_free(k->env, dirty);
	if (d->rec.object && k->nobjects < CR_INCR_MAX_DS)
		k->objects[k->nobjects++] = d->rec.object;
	return RECAP_OK;
}

/* Bytes of bitmap DIRTY writes for d's largest attachment window. */
static unsigned long bitmap_bytes(struct crfmt_ds const *d)
{
	unsigned long most = 0;

	for (size_t a = 0; a < d->n_attach; a++) {
		unsigned long pages = d->attach[a].size / L4_PAGESIZE;

		if (pages > RECAP_PD_DIRTY_MAX_PAGES)
			pages = RECAP_PD_DIRTY_MAX_PAGES;
		if (pages > most)
			most = pages;
	}
	return (most + 63) / 64 * sizeof(uint64_t);
}

/* Each dataspace's contents; progress in bytes after each one. */
static int write_pages(struct ckpt *k, struct ckpt_mem *m)
{
	size_t mark = crfmt_stream_section_begin(&k->w, CR_SEC_PAGES);
	unsigned long done = 0, total = 0, bits = L4_PAGESIZE;
	int err;

	for (unsigned i = 0; i < m->n; i++) {
		if (m->ds[i].rec.kind == CRFMT_DS_MANAGED)
			continue;
		total += m->ds[i].rec.size;
		if (bitmap_bytes(&m->ds[i].rec) > bits)
			bits = bitmap_bytes(&m->ds[i].rec);
	}
	err = cr_buffer_get(k->cr, &k->cr->scratch, bits);
	if (err != RECAP_OK)
		return ckpt_fail(k, err, "no memory for a dirty bitmap");
	views_prune(k, m);
	k->dirty_reset = true;
	for (unsigned i = 0; i < m->n && err == RECAP_OK; i++) {
		/* Its memory is the dataspaces in its map, saved as theirs. */
		if (m->ds[i].rec.kind == CRFMT_DS_MANAGED)
			continue;
		err = write_ds(k, &m->ds[i], i);
		done += m->ds[i].rec.size;
		cr_progress(k->cr, done, total);
	}
	if (err != RECAP_OK)
		return err;
	crfmt_stream_section_end(&k->w, mark);
	return RECAP_OK;
}

int ckpt_memory_write(struct ckpt *k)
{
	struct ckpt_mem *m = k->mem;
	size_t mark;

	/* The list ckpt_memory_size made while the child is paused: the
	 * sessions section names its ids, and nothing could change it since
	 * (the child's calls are cr's to serve, and cr is here). */
	if (!m)
		return ckpt_fail(k, RECAP_ERR_INVAL, "the region list was not read");
	mark = crfmt_stream_section_begin(&k->w, CR_SEC_REGIONS);
	for (unsigned i = 0; i < m->n; i++)
		crfmt_ds_encode(&k->w, &m->ds[i].rec);
	crfmt_stream_section_end(&k->w, mark);
	return write_pages(k, m);
}

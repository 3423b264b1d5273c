/*
 * memory.c — the child's memory on restore: every dataspace of the image
 * made again in the child's RAM (charged to it), filled with its pages and
 * attached where it was, with the same rights. A dataspace the child held
 * a capability to is mapped to the new one for the capability space.
 *
 * A ROM module's dataspace is not made: the ROM session that had it is
 * opened again (sessions.c), and its dataspace, core's, read-only, takes
 * the old one's place (rst_memory_rom), so that the child can no more
 * write to it than before.
 */
#include <l4/sys/consts.h>

#include <recap/env_heap.h>
#include <recap/err.h>
#include <recap/ram_session.h>
#include <recap/region_map.h>
#include <recap/rom_session.h>
#include <recap/string.h>

#include "../intercept/forward.h"
#include "rst.h"

static unsigned rights_of(uint32_t r)
{
	return L4_FPAGE_RO | (r & CRFMT_W ? L4_FPAGE_W : 0) |
	       (r & CRFMT_X ? L4_FPAGE_X : 0);
}

/* The pages record of dataspace id (whole content), or NULL data. */
static void const *content(struct rst *r, uint64_t id, uint64_t size)
{
	struct crfmt_iter it;
	struct crfmt_pages p;
	struct crfmt_err ferr;

	crfmt_iter_init(&it, r->pages.payload, r->pages.len);
	while (crfmt_pages_next(&it, &p, &ferr) == CRFMT_OK)
		if (p.id == id)
			return p.data.data && p.data.len == size ? p.data.data : NULL;
	return NULL;
}

/* The label the child knew the dataspace by (0: it held no capability). */
static unsigned long old_label(struct rst const *r, uint64_t object)
{
	for (unsigned i = 0; object && i < r->ncaps; i++)
		if (r->caps[i].object == object && r->caps[i].label != CAPS_NO_LABEL)
			return r->caps[i].label & ~3UL;
	return 0;
}

static int alloc_filled(struct rst *r, struct crfmt_ds const *d,
			struct recap_cap *cap)
{
	struct cr_call call = { .op = RECAP_RAM_ALLOC,
				.args = { d->size, old_label(r, d->object) },
				.nargs = 2 };
	void const *bytes = content(r, d->id, d->size);
	struct recap_ds ds;
	void *local;
	int err;

	if (!bytes)
		return rst_fail(r, RECAP_ERR_INVAL,
				"dataspace %llu: no content in the image",
				(unsigned long long)d->id);
	err = cr_call_make(r->env, r->c->child.ram, &call);
	if (err == RECAP_ERR_EXIST) {
		/* Its label is taken (a copy beside the original): a new one,
		 * translated in the cap map (capmap.c). */
		call.nargs = 1;
		err = cr_call_make(r->env, r->c->child.ram, &call);
	}
	if (err != RECAP_OK || call.nret_caps != 1 || call.nret < 1)
		return rst_fail(r, err ? err : RECAP_ERR_INVAL,
				"dataspace %llu: %llu bytes: %s",
				(unsigned long long)d->id,
				(unsigned long long)d->size, recap_err_str(err));
	ds = (struct recap_ds){ .cap = call.ret_caps[0], .size = call.ret[0] };
	err = recap_rm_attach_rw(r->env, &ds, &local);
	if (err != RECAP_OK)
		return rst_fail(r, err, "dataspace %llu: cannot attach it here",
				(unsigned long long)d->id);
	RECAP_STRING_NAME(memcpy)(local, bytes, d->size);
	recap_rm_detach(r->env, (unsigned long)local);
	*cap = ds.cap;
	return RECAP_OK;
}

static int attach(struct rst *r, struct recap_cap ds, struct crfmt_attach const *a)
{
	struct cr_call call = { .op = RECAP_RM_ATTACH,
				.args = { a->size, a->offset, a->addr,
					  rights_of(a->rights) },
				.nargs = 4, .arg_caps = { ds }, .narg_caps = 1 };
	int err = cr_call_make(r->env, r->c->child.rm, &call);

	if (err == RECAP_OK && (call.nret != 1 || call.ret[0] != a->addr))
		err = RECAP_ERR_INVAL;
	if (err != RECAP_OK)
		return rst_fail(r, err, "cannot attach at 0x%llx: %s",
				(unsigned long long)a->addr, recap_err_str(err));
	return RECAP_OK;
}

/* Does a ROM session of the image have dataspace id (rst_memory_rom)? */
static bool rom_session_has(struct rst *r, uint64_t id)
{
	struct crfmt_session *fs;
	struct crfmt_iter it;
	struct crfmt_err ferr;
	bool has = false;

	if (recap_heap_alloc(r->env, sizeof(*fs), (void **)&fs) != RECAP_OK)
		return false;
	crfmt_iter_init(&it, r->sessions.payload, r->sessions.len);
	while (!has && crfmt_sessions_next(&it, fs, &ferr) == CRFMT_OK)
		has = (fs->has & CRFMT_HAS_ROM) && fs->rom.ds == id;
	recap_heap_free(r->env, fs);
	return has;
}

/* The image's dataspace id into d. */
static bool ds_by_id(struct rst *r, uint64_t id, struct crfmt_ds *d)
{
	struct crfmt_iter it;
	struct crfmt_err ferr;

	crfmt_iter_init(&it, r->regions.payload, r->regions.len);
	while (crfmt_regions_next(&it, d, &ferr) == CRFMT_OK)
		if (d->id == id)
			return true;
	return false;
}

/* Is ds (size bytes) what the image saved of d, if it saved it? */
static int rom_same(struct rst *r, struct recap_cap ds, struct crfmt_ds const *d)
{
	void const *bytes = content(r, d->id, d->size);
	unsigned long local;
	int err, diff;

	if (!bytes)
		return RECAP_OK;
	err = recap_rm_attach(r->env, ds, 0, 0, RECAP_RM_ANYWHERE, L4_FPAGE_RO,
			      &local);
	if (err != RECAP_OK)
		return rst_fail(r, err, "ROM \"%s\": cannot attach it here",
				d->module);
	diff = RECAP_STRING_NAME(memcmp)((void const *)local, bytes, d->size);
	recap_rm_detach(r->env, local);
	return diff ? rst_fail(r, RECAP_ERR_INVAL, "ROM \"%s\" has changed "
			       "since the checkpoint", d->module) : RECAP_OK;
}

int rst_memory_rom(struct rst *r, struct cr_session *s, uint64_t id)
{
	struct cr_call call = { .op = RECAP_ROM_DATASPACE };
	struct crfmt_ds d;
	struct recap_cap cap;
	int err;

	if (!ds_by_id(r, id, &d) || d.kind != CRFMT_DS_ROM)
		return rst_fail(r, RECAP_ERR_INVAL, "ROM session: dataspace %llu "
				"is no ROM module's", (unsigned long long)id);
	err = cr_call_make(r->env, s->real, &call);
	if (err == RECAP_OK && (call.nret_caps != 1 || call.nret < 1))
		err = RECAP_ERR_INVAL;
	if (err != RECAP_OK)
		return rst_fail(r, err, "ROM \"%s\": %s", d.module,
				recap_err_str(err));
	cap = call.ret_caps[0];
	if (call.ret[0] != d.size)
		return rst_fail(r, RECAP_ERR_INVAL, "ROM \"%s\" is %lu bytes, "
				"was %llu", d.module, call.ret[0],
				(unsigned long long)d.size);
	if ((err = rom_same(r, cap, &d)))
		return err;
	for (size_t i = 0; i < d.n_attach; i++)
		if ((err = attach(r, cap, &d.attach[i])))
			return err;
	if (cr_ds_add(r->c, cap, d.size, (int)(s - r->c->sessions), false) < 0)
		return rst_fail(r, RECAP_ERR_NOMEM, "too many dataspaces");
	if (d.object && rst_map_add(r, d.object, cap))
		return rst_fail(r, RECAP_ERR_NOMEM, "too many objects");
	return RECAP_OK;
}

/* Progress in bytes after each dataspace. */
int rst_memory(struct rst *r)
{
	struct crfmt_ds d;
	struct crfmt_iter it;
	struct crfmt_err ferr;
	unsigned long done = 0, total = 0;

	crfmt_iter_init(&it, r->regions.payload, r->regions.len);
	while (crfmt_regions_next(&it, &d, &ferr) == CRFMT_OK)
		total += d.size;
	crfmt_iter_init(&it, r->regions.payload, r->regions.len);
	while (crfmt_regions_next(&it, &d, &ferr) == CRFMT_OK) {
		struct recap_cap cap;
		int err;

		/* Its ROM session brings it back (rst_memory_rom). */
		if (d.kind == CRFMT_DS_ROM) {
			if (!rom_session_has(r, d.id))
				return rst_fail(r, RECAP_ERR_INVAL, "dataspace "
						"%llu: ROM \"%s\" of no session",
						(unsigned long long)d.id, d.module);
			done += d.size;
			continue;
		}
		err = alloc_filled(r, &d, &cap);

		for (size_t i = 0; !err && i < d.n_attach; i++)
			err = attach(r, cap, &d.attach[i]);
		if (err)
			return err;
		if (cr_ds_add(r->c, cap, d.size, -1, d.writable) < 0)
			return rst_fail(r, RECAP_ERR_NOMEM, "too many dataspaces");
		if (d.object && (err = rst_map_add(r, d.object, cap)))
			return rst_fail(r, err, "too many objects");
		done += d.size;
		cr_progress(r->cr, done, total);
	}
	return RECAP_OK;
}

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
 *
 * A managed region map is made after the sessions (rst_memory_managed):
 * through the RM session that owned it, which must be open again, with
 * the dataspaces attached in it (made here before, with the rest) and its
 * fault handler, a signal context made again with the sessions. Then its
 * windows are attached where they were.
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
		if (d.kind != CRFMT_DS_MANAGED)
			total += d.size;
	crfmt_iter_init(&it, r->regions.payload, r->regions.len);
	while (crfmt_regions_next(&it, &d, &ferr) == CRFMT_OK) {
		struct recap_cap cap;
		int err;

		/* Made after the sessions (rst_memory_managed). */
		if (d.kind == CRFMT_DS_MANAGED)
			continue;
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

/* cr's capability to what the image knew as object old_id, or invalid. */
static struct recap_cap mapped(struct rst const *r, uint64_t old_id)
{
	for (unsigned m = 0; old_id && m < r->nmap; m++)
		if (r->map[m].old_id == old_id)
			return r->map[m].cap;
	return recap_cap_invalid();
}

/* The inner attachment in of managed dataspace d in the new map. */
static int inner_attach(struct rst *r, struct crfmt_ds const *d,
			struct recap_cap map, struct crfmt_inner const *in)
{
	struct crfmt_ds *inner;
	struct cr_call call = { .op = RECAP_RM_ATTACH,
				.args = { in->size, in->ds_offset, in->offset,
					  rights_of(in->rights) },
				.nargs = 4, .narg_caps = 1 };
	int err = recap_heap_alloc(r->env, sizeof(*inner), (void **)&inner);

	if (err != RECAP_OK)
		return rst_fail(r, err, "out of memory");
	if (ds_by_id(r, in->ds, inner) && inner->kind != CRFMT_DS_MANAGED)
		call.arg_caps[0] = mapped(r, inner->object);
	recap_heap_free(r->env, inner);
	if (!recap_cap_valid(call.arg_caps[0]))
		return rst_fail(r, RECAP_ERR_INVAL, "managed dataspace %llu: "
				"dataspace %llu inside is not in the image",
				(unsigned long long)d->id,
				(unsigned long long)in->ds);
	err = cr_call_make(r->env, map, &call);
	if (err == RECAP_OK && (call.nret != 1 || call.ret[0] != in->offset))
		err = RECAP_ERR_INVAL;
	if (err != RECAP_OK)
		return rst_fail(r, err, "managed dataspace %llu: cannot attach "
				"dataspace %llu at 0x%llx: %s",
				(unsigned long long)d->id,
				(unsigned long long)in->ds,
				(unsigned long long)in->offset, recap_err_str(err));
	return RECAP_OK;
}

/* The signal context the image knew by badge, made again, or invalid. */
static struct recap_cap context_of(struct rst const *r, uint64_t badge)
{
	for (unsigned i = 0; i < r->nrenamed; i++)
		if (r->renamed[i].from == badge) {
			badge = r->renamed[i].to;
			break;
		}
	for (unsigned i = 0; i < CR_MAX_CONTEXTS; i++)
		if (r->c->contexts[i].used && r->c->contexts[i].irq.badge == badge)
			return r->c->contexts[i].irq;
	return recap_cap_invalid();
}

/* cr's record of the new map, as intercept/rm.c keeps it. */
static int managed_note(struct rst *r, struct cr_session *s, struct recap_cap map)
{
	for (unsigned i = 0; i < CR_MAX_MANAGED; i++) {
		if (r->c->managed[i].used)
			continue;
		r->c->managed[i] = (struct cr_managed){
			.used = true, .session = (int)(s - r->c->sessions),
			.cap = map };
		return RECAP_OK;
	}
	return rst_fail(r, RECAP_ERR_NOMEM, "too many managed region maps");
}

static int managed(struct rst *r, struct crfmt_ds const *d)
{
	unsigned long long id = (unsigned long long)d->id;
	struct cr_session *s = d->map_session <= CR_MAX_SESSIONS ?
			       r->session_by_id[d->map_session] : NULL;
	struct cr_call create = { .op = RECAP_RM_CREATE, .args = { d->size },
				  .nargs = 1 };
	struct cr_call ds = { .op = RECAP_RM_DATASPACE };
	struct cr_call sigh = { .op = RECAP_RM_FAULT_HANDLER, .narg_caps = 1 };
	struct recap_cap map;
	int err;

	if (!s || s->service != CR_SVC_RM)
		return rst_fail(r, RECAP_ERR_INVAL, "managed dataspace %llu: "
				"session %llu is no RM session", id,
				(unsigned long long)d->map_session);
	err = cr_call_make(r->env, s->real, &create);
	if (err == RECAP_OK && create.nret_caps != 1)
		err = RECAP_ERR_INVAL;
	if (err != RECAP_OK)
		return rst_fail(r, err, "managed dataspace %llu: cannot create "
				"its region map: %s", id, recap_err_str(err));
	map = create.ret_caps[0];
	if ((err = managed_note(r, s, map)))
		return err;
	err = cr_call_make(r->env, map, &ds);
	if (err == RECAP_OK && (ds.nret_caps != 1 || ds.nret < 1 ||
				ds.ret[0] != d->size))
		err = RECAP_ERR_INVAL;
	if (err != RECAP_OK)
		return rst_fail(r, err, "managed dataspace %llu: no dataspace "
				"of its size: %s", id, recap_err_str(err));
	for (size_t i = 0; i < d->n_inner; i++)
		if ((err = inner_attach(r, d, map, &d->inner[i])))
			return err;
	sigh.arg_caps[0] = d->map_signal ? context_of(r, d->map_signal)
					 : recap_cap_invalid();
	if (d->map_signal && !recap_cap_valid(sigh.arg_caps[0]))
		return rst_fail(r, RECAP_ERR_INVAL, "managed dataspace %llu: "
				"fault handler 0x%llx is no signal context of "
				"the image", id, (unsigned long long)d->map_signal);
	if ((err = cr_call_make(r->env, map, &sigh)))
		return rst_fail(r, err, "managed dataspace %llu: fault handler: "
				"%s", id, recap_err_str(err));
	for (size_t i = 0; i < d->n_attach; i++)
		if ((err = attach(r, ds.ret_caps[0], &d->attach[i])))
			return err;
	if ((d->map_object && rst_map_add(r, d->map_object, map)) ||
	    (d->object && rst_map_add(r, d->object, ds.ret_caps[0])))
		return rst_fail(r, RECAP_ERR_NOMEM, "too many objects");
	return RECAP_OK;
}

int rst_memory_managed(struct rst *r)
{
	struct crfmt_ds *d;
	struct crfmt_iter it;
	struct crfmt_err ferr;
	int err = recap_heap_alloc(r->env, sizeof(*d), (void **)&d);

	if (err != RECAP_OK)
		return rst_fail(r, err, "out of memory");
	crfmt_iter_init(&it, r->regions.payload, r->regions.len);
	while (!err && crfmt_regions_next(&it, d, &ferr) == CRFMT_OK)
		if (d->kind == CRFMT_DS_MANAGED)
			err = managed(r, d);
	recap_heap_free(r->env, d);
	return err;
}

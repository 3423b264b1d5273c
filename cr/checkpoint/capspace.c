/*
 * capspace.c — the child's capability space in a checkpoint, read from the
 * kernel through the native PD (CAP_INFO: kind, rights, kernel object id,
 * label; iterating from 0 visits exactly the used slots), never from the
 * child. Each slot is tied to what cr knows the object to be by kernel
 * object id: cr asks the kernel for the ids of its own copies first.
 */
#include <recap/cap_layout.h>
#include <recap/env_heap.h>
#include <recap/err.h>
#include <recap/format.h>
#include <recap/string.h>

#include "ckpt.h"

#define CAPS_CHUNK 256

static int known_add(struct ckpt *k, struct recap_cap cap, unsigned role,
		     unsigned index)
{
	unsigned long id = cr_own_object_id(k->env, cap);

	if (!id)
		return RECAP_OK;	/* gone meanwhile: nothing to match */
	k->known[k->nknown++] = (struct ckpt_known){ .id = id, .role = role,
						     .index = index };
	return RECAP_OK;
}

/* The ids of everything cr handed the child. */
static int known_collect(struct ckpt *k)
{
	struct cr_child *c = k->c;
	unsigned max = CR_MAX_SESSIONS + 1 + CR_MAX_DS + CR_MAX_THREADS +
		       CR_MAX_RPC_GATES + CR_MAX_CONTEXTS;
	int err = recap_heap_alloc(k->env, max * sizeof(*k->known),
				   (void **)&k->known);

	if (err != RECAP_OK)
		return err;
	k->nknown = 0;
	for (unsigned i = 0; i < CR_MAX_SESSIONS; i++)
		if (c->sessions[i].used)
			known_add(k, c->sessions[i].obj.cap, CAPS_ROLE_SESSION, i);
	/* The config ROM is the child API's object, not an intercepting one. */
	known_add(k, c->child.config_rom.cap, CAPS_ROLE_SESSION, CKPT_CONFIG_ROM);
	for (unsigned i = 0; i < CR_MAX_DS; i++)
		if (c->ds[i].used)
			known_add(k, c->ds[i].cap, CAPS_ROLE_DATASPACE, i);
	for (unsigned i = 0; i < CR_MAX_THREADS; i++)
		if (c->threads[i].used && i != 0)
			known_add(k, c->threads[i].cap, CAPS_ROLE_THREAD, i);
	for (unsigned i = 0; i < CR_MAX_RPC_GATES; i++)
		if (c->rpc_gates[i].used)
			known_add(k, c->rpc_gates[i].gate, CAPS_ROLE_EP_GATE, i);
	for (unsigned i = 0; i < CR_MAX_CONTEXTS; i++)
		if (c->contexts[i].used)
			known_add(k, c->contexts[i].irq, CAPS_ROLE_SIGNAL_CONTEXT, i);
	return RECAP_OK;
}

static struct ckpt_known const *known_find(struct ckpt const *k, unsigned long id)
{
	for (unsigned i = 0; i < k->nknown; i++)
		if (k->known[i].id == id)
			return &k->known[i];
	return NULL;
}

/* Fixed and thread-area slots are what their place says. */
static void classify_by_slot(struct caps_entry *e)
{
	unsigned long s = e->slot, t;

	if (s == RECAP_TASK_SLOT) {
		e->role = CAPS_ROLE_TASK;
		return;
	}
	if (s == RECAP_PARENT_SLOT) {
		e->role = CAPS_ROLE_PARENT;
		return;
	}
	if (s < RECAP_THREAD_AREA_BASE ||
	    s >= RECAP_THREAD_AREA_BASE + RECAP_THREAD_SLOTS * RECAP_THREAD_MAX)
		return;
	t = (s - RECAP_THREAD_AREA_BASE) / RECAP_THREAD_SLOTS;
	e->thread = (uint32_t)t;
	switch ((s - RECAP_THREAD_AREA_BASE) % RECAP_THREAD_SLOTS) {
	case RECAP_THREAD_GATE:
		e->role = CAPS_ROLE_THREAD_GATE;
		break;
	case RECAP_THREAD_PAGER:
		e->role = CAPS_ROLE_THREAD_PAGER;
		break;
	default:
		e->role = CAPS_ROLE_THREAD_IRQ;
		break;
	}
}

static void classify_known(struct ckpt *k, struct caps_entry *e)
{
	struct ckpt_known const *kn = known_find(k, e->object);
	struct cr_child *c = k->c;

	if (!kn)
		return;
	e->role = kn->role;
	switch (kn->role) {
	case CAPS_ROLE_SESSION:
		if (kn->index == CKPT_CONFIG_ROM) {
			RECAP_STRING_NAME(strlcpy)(e->service, "ROM", sizeof(e->service));
			RECAP_STRING_NAME(strlcpy)(e->detail, "config ROM",
						   sizeof(e->detail));
			break;
		}
		RECAP_STRING_NAME(strlcpy)(e->service,
					   c->sessions[kn->index].service_name,
					   sizeof(e->service));
		recap_snprintf(e->detail, sizeof(e->detail), "%s session",
			       c->sessions[kn->index].service_name);
		break;
	case CAPS_ROLE_EP_GATE:
		e->thread = c->rpc_gates[kn->index].thread;
		e->badge = c->rpc_gates[kn->index].gate.badge;
		break;
	case CAPS_ROLE_THREAD:
		e->thread = kn->index;
		break;
	case CAPS_ROLE_SIGNAL_CONTEXT:
		e->thread = (uint32_t)c->contexts[kn->index].thread;
		break;
	}
}

static int entry_add(struct ckpt *k, struct caps_entry const *e)
{
	struct caps_space *cs = &k->caps;

	if (cs->n == cs->cap) {
		struct caps_entry *more;
		int err = recap_heap_alloc(k->env, (cs->cap + CAPS_CHUNK) * sizeof(*more),
					   (void **)&more);

		if (err != RECAP_OK)
			return err;
		if (cs->n)
			RECAP_STRING_NAME(memcpy)(more, cs->entries, cs->n * sizeof(*more));
		recap_heap_free(k->env, cs->entries);
		cs->entries = more;
		cs->cap += CAPS_CHUNK;
	}
	cs->entries[cs->n++] = *e;
	return RECAP_OK;
}

int ckpt_capspace_capture(struct ckpt *k)
{
	struct recap_native_cap_info info;
	unsigned long slot = 0;
	int err = known_collect(k);

	if (err != RECAP_OK)
		return ckpt_fail(k, err, "no memory for the capability space");
	RECAP_STRING_NAME(memset)(&k->caps, 0, sizeof(k->caps));
	RECAP_STRING_NAME(strlcpy)(k->caps.name, k->c->name, sizeof(k->caps.name));
	while (slot != RECAP_SLOT_NONE) {
		struct caps_entry e;

		err = cr_real_cap_info(k->env, k->c->child.pd, slot, &info);
		if (err != RECAP_OK)
			return ckpt_fail(k, err, "cannot read slot 0x%lx", slot);
		if (info.kind != 0) {
			caps_entry_init(&e);
			e.slot = slot;
			e.kind = (uint32_t)info.kind;
			e.rights = (uint32_t)info.rights;
			e.object = info.id;
			e.label = info.label == ~0UL ? CAPS_NO_LABEL : info.label;
			classify_by_slot(&e);
			if (e.role == CAPS_ROLE_UNKNOWN)
				classify_known(k, &e);
			err = entry_add(k, &e);
			if (err != RECAP_OK)
				return ckpt_fail(k, err, "no memory for the capability space");
		}
		slot = info.next;
	}
	return RECAP_OK;
}

bool ckpt_capspace_has_id(struct ckpt const *k, unsigned long id)
{
	return ckpt_capspace_slot_of(k, id) != CRFMT_NO_SLOT;
}

unsigned long long ckpt_capspace_slot_of(struct ckpt const *k, unsigned long id)
{
	for (size_t i = 0; i < k->caps.n; i++)
		if (k->caps.entries[i].object == id)
			return k->caps.entries[i].slot;
	return CRFMT_NO_SLOT;
}

void ckpt_capspace_write(struct ckpt *k)
{
	size_t mark = crfmt_stream_section_begin(&k->w, CR_SEC_CAPSPACE);

	caps_encode(&k->caps, &k->w);
	crfmt_stream_section_end(&k->w, mark);
}

void ckpt_capspace_fini(struct ckpt *k)
{
	recap_heap_free(k->env, k->caps.entries);
	recap_heap_free(k->env, k->known);
	k->caps.entries = NULL;
	k->known = NULL;
}

/*
 * capspace.c — the child's capability space in a checkpoint, read from the
 * kernel through the native PD (CAP_INFO: kind, rights, kernel object id,
 * label; iterating from 0 visits exactly the used slots), never from the
 * child. Each slot is tied to what cr knows the object to be by kernel
 * object id: cr asks the kernel for the ids of its own copies first.
 */
#include <l4/sys/consts.h>

#include <recap/cap_layout.h>
#include <recap/env_heap.h>
#include <recap/err.h>
#include <recap/format.h>
#include <recap/native_pd.h>
#include <recap/string.h>

#include "../intercept/forward.h"
#include "../intercept/intercept.h"
#include "ckpt.h"

#define CAPS_CHUNK 256

static void known_add_id(struct ckpt *k, unsigned long id, unsigned role,
			 unsigned index)
{
	if (!id)
		return;		/* gone meanwhile: nothing to match */
	k->known[k->nknown++] = (struct ckpt_known){ .id = id, .role = role,
						     .index = index };
}

static void known_add(struct ckpt *k, struct recap_cap cap, unsigned role,
		      unsigned index)
{
	known_add_id(k, cr_own_object_id(k->env, cap), role, index);
}

/* The ids of everything cr handed the child. */
static int known_collect(struct ckpt *k)
{
	struct cr_child *c = k->c;
	unsigned max = CR_MAX_SESSIONS + 1 + RECAP_CHILD_SESSIONS_MAX +
		       CR_MAX_DS + CR_MAX_THREADS + CR_MAX_RPC_GATES +
		       CR_MAX_CONTEXTS + CR_MAX_MANAGED;
	int err = recap_heap_alloc(k->env, max * sizeof(*k->known),
				   (void **)&k->known);

	if (err != RECAP_OK)
		return err;
	k->nknown = 0;
	for (unsigned i = 0; i < CR_MAX_SESSIONS; i++)
		if (c->sessions[i].used)
			known_add_id(k, c->sessions[i].object, CAPS_ROLE_SESSION, i);
	/* The config ROM is the child API's object, not an intercepting one. */
	known_add(k, c->child.config_rom.cap, CAPS_ROLE_SESSION, CKPT_CONFIG_ROM);
	/* Third parties' sessions, routed through cr's parent (not
	 * intercepted): the child API's record has them. */
	for (unsigned i = 0; i < RECAP_CHILD_SESSIONS_MAX; i++)
		if (recap_cap_valid(c->child.sessions[i].cap) &&
		    c->child.sessions[i].via == RECAP_CHILD_VIA_PARENT)
			known_add(k, c->child.sessions[i].cap, CAPS_ROLE_SESSION,
				  CKPT_OTHER_SESSION + i);
	for (unsigned i = 0; i < CR_MAX_DS; i++)
		if (c->ds[i].used)
			known_add_id(k, c->ds[i].object, CAPS_ROLE_DATASPACE, i);
	for (unsigned i = 0; i < CR_MAX_THREADS; i++)
		if (c->threads[i].used && i != 0)
			known_add(k, c->threads[i].cap, CAPS_ROLE_THREAD, i);
	for (unsigned i = 0; i < CR_MAX_RPC_GATES; i++)
		if (c->rpc_gates[i].used)
			known_add(k, c->rpc_gates[i].gate, CAPS_ROLE_EP_GATE, i);
	for (unsigned i = 0; i < CR_MAX_CONTEXTS; i++)
		if (c->contexts[i].used)
			known_add(k, c->contexts[i].irq, CAPS_ROLE_SIGNAL_CONTEXT, i);
	for (unsigned i = 0; i < CR_MAX_MANAGED; i++)
		if (c->managed[i].used)
			known_add(k, c->managed[i].cap, CAPS_ROLE_REGION_MAP, i);
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
		if (kn->index >= CKPT_OTHER_SESSION) {
			struct recap_child_session const *o =
				&c->child.sessions[kn->index - CKPT_OTHER_SESSION];

			RECAP_STRING_NAME(strlcpy)(e->service, o->service,
						   sizeof(e->service));
			recap_snprintf(e->detail, sizeof(e->detail),
				       "%s session (third party)", o->service);
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

/* The entry of used slot ce, classified. */
static int entry_take(struct ckpt *k, struct recap_native_cap_entry const *ce)
{
	struct caps_entry e;

	caps_entry_init(&e);
	e.slot = ce->slot;
	e.kind = (uint32_t)ce->kind;
	e.rights = (uint32_t)ce->rights;
	e.object = ce->id;
	e.label = ce->label == ~0UL ? CAPS_NO_LABEL : ce->label;
	classify_by_slot(&e);
	if (e.role == CAPS_ROLE_UNKNOWN)
		classify_known(k, &e);
	return entry_add(k, &e);
}

/* The used slots, read from the kernel (through core's CAP_LIST, as many
 * a call as cr's scratch buffer holds). */
int ckpt_capspace_capture(struct ckpt *k)
{
	struct cr_buffer *b = &k->cr->scratch;
	unsigned long slot = 0, n, max;
	int err = known_collect(k);

	if (err != RECAP_OK)
		return ckpt_fail(k, err, "no memory for the capability space");
	if ((err = cr_buffer_get(k->cr, b, L4_PAGESIZE)) != RECAP_OK)
		return ckpt_fail(k, err, "no memory for the capability space");
	max = b->ds.size / sizeof(struct recap_native_cap_entry);
	RECAP_STRING_NAME(memset)(&k->caps, 0, sizeof(k->caps));
	RECAP_STRING_NAME(strlcpy)(k->caps.name, k->c->name, sizeof(k->caps.name));
	while (slot != RECAP_SLOT_NONE) {
		struct recap_native_cap_entry const *ce = b->buf;
		unsigned long from = slot;

		err = recap_native_pd_cap_list_at(k->env, k->c->child.pd, from,
						  max, b->ds.cap, &n, &slot);
		if (err != RECAP_OK)
			return ckpt_fail(k, err, "cannot read the slots from 0x%lx",
					 from);
		for (unsigned long i = 0; i < n; i++)
			if ((err = entry_take(k, &ce[i])) != RECAP_OK)
				return ckpt_fail(k, err, "no memory for the capability space");
	}
	return RECAP_OK;
}

/* Objects cr cannot make again: a third party's session or object. */
static bool third_party(struct caps_entry const *e)
{
	return e->role == CAPS_ROLE_UNKNOWN ||
	       (e->role == CAPS_ROLE_SESSION &&
		cr_service_of(e->service) == CR_SVC_OTHER &&
		RECAP_STRING_NAME(strcmp)(e->detail, "config ROM"));
}

static int keep_session(struct ckpt *k, struct caps_entry const *e)
{
	struct recap_child const *ch = &k->c->child;

	for (unsigned i = 0; i < RECAP_CHILD_SESSIONS_MAX; i++)
		if (recap_cap_valid(ch->sessions[i].cap) &&
		    cr_own_object_id(k->env, ch->sessions[i].cap) == e->object)
			return cr_kept_add(k->cr, e->object, e->label,
					   ch->sessions[i].cap) == RECAP_OK ? RECAP_OK :
			       ckpt_fail(k, RECAP_ERR_NOMEM, "cannot keep slot 0x%llx "
					 "(a third party's session): too many",
					 (unsigned long long)e->slot);
	return ckpt_fail(k, RECAP_ERR_NOENT, "slot 0x%llx: the %s session is gone",
			 (unsigned long long)e->slot, e->service);
}

int ckpt_capspace_keep(struct ckpt *k)
{
	for (size_t i = 0; i < k->caps.n; i++) {
		struct caps_entry const *e = &k->caps.entries[i];
		struct cr_call call = { .op = RECAP_PD_REQUEST_CAP,
					.args = { e->slot }, .nargs = 1 };
		int err;

		if (!third_party(e) ||
		    recap_cap_valid(cr_kept_find(k->cr, e->object, e->label)))
			continue;
		/* A session: the child API's capability, under the badge the
		 * child knows it by (the child closes it by that badge). */
		if (e->role == CAPS_ROLE_SESSION) {
			err = keep_session(k, e);
			if (err != RECAP_OK)
				return err;
			continue;
		}
		/* cr's own copy, from the child's slot (the kernel's view; core
		 * gives it a badge of its own). */
		err = cr_call_make(k->env, k->c->child.pd, &call);
		if (err == RECAP_OK && (call.nret_caps != 1 ||
					!recap_cap_valid(call.ret_caps[0])))
			err = RECAP_ERR_NOENT;
		if (err == RECAP_OK)
			err = cr_kept_add(k->cr, e->object, e->label, call.ret_caps[0]);
		if (err != RECAP_OK)
			return ckpt_fail(k, err, "cannot keep slot 0x%llx (a third "
					 "party's object): %s",
					 (unsigned long long)e->slot,
					 recap_err_str(err));
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

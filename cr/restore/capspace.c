/*
 * capspace.c — the child's capability space on restore: read from the
 * image, the gates of the child's own entrypoints made again (bound to
 * the new threads, with the same labels: its object pool finds its
 * objects by them), and every used slot filled with the counterpart of
 * what it held. Slots core fills itself when it makes a thread (the
 * thread area) and the parent slot (the child API) are checked, not
 * filled.
 */
#include <recap/cap_layout.h>
#include <recap/cpu_session.h>
#include <recap/env_heap.h>
#include <recap/err.h>
#include <recap/pd_session.h>
#include <recap/rpc.h>

#include "../intercept/forward.h"
#include "rst.h"

int rst_capspace_read(struct rst *r)
{
	struct tlv_reader rd;
	struct tlv_item it;
	struct tlv_err terr;
	struct caps_err cerr;
	enum tlv_status ts;
	unsigned max = (unsigned)(r->capspace.len / 8);	/* a slot record is more */
	int err = recap_heap_alloc(r->env, (max + 1) * sizeof(*r->caps),
				   (void **)&r->caps);

	if (err != RECAP_OK)
		return rst_fail(r, err, "out of memory for the capability space");
	tlv_reader_init(&rd, r->capspace.payload, r->capspace.len);
	while ((ts = tlv_next(&rd, &it, &terr)) == TLV_OK) {
		struct caps_entry *e = &r->caps[r->ncaps];

		if (it.tag != CAPS_TAG_SLOT)
			continue;
		if (r->ncaps == max || caps_entry_decode(&it, e, &cerr))
			return rst_fail(r, RECAP_ERR_INVAL, "capspace: %s",
					r->ncaps == max ? "too many slots" : cerr.msg);
		if (r->ncaps && e->slot <= r->caps[r->ncaps - 1].slot)
			return rst_fail(r, RECAP_ERR_INVAL,
					"capspace: slots out of order");
		r->ncaps++;
	}
	if (ts != TLV_END)
		return rst_fail(r, RECAP_ERR_INVAL, "capspace: %s", terr.msg);
	return RECAP_OK;
}

/* cr's capability to the gate of the new thread t (from its slot). */
static int thread_gate(struct rst *r, unsigned t, struct recap_cap *gate)
{
	struct cr_call call = { .op = RECAP_PD_REQUEST_CAP,
				.args = { recap_thread_slot(t, RECAP_THREAD_GATE) },
				.nargs = 1 };
	int err = cr_call_make(r->env, r->c->child.pd, &call);

	if (err != RECAP_OK || call.nret_caps != 1 || !recap_cap_valid(call.ret_caps[0]))
		return err ? err : RECAP_ERR_NOENT;
	*gate = call.ret_caps[0];
	return RECAP_OK;
}

/*
 * A gate of a killed thread (CAPS_THREAD_GONE; in an older image, a thread
 * it does not have) is bound to nothing: calls to it fail. Core makes
 * gates only for live threads, so such a gate is made for a stand-in
 * thread, which is killed once all of them exist: the kernel unbinds them
 * then, as it did the original's.
 */
static bool thread_gone(struct rst const *r, unsigned t)
{
	return t >= CR_MAX_THREADS || (!r->c->threads[t].used && !r->thread_late[t]);
}

/* A thread of the image not made yet (threads.c): its gates wait. */
static bool thread_later(struct rst const *r, unsigned t)
{
	return t < CR_MAX_THREADS && !r->c->threads[t].used && r->thread_late[t];
}

static int standin_make(struct rst *r, struct recap_cpu_thread *standin)
{
	int err = recap_cpu_create_thread_wish(r->env, r->c->child.cpu, "gone",
					       RECAP_THREAD_ANY, 0, standin);

	if (err != RECAP_OK)
		return rst_fail(r, err, "a stand-in thread for gates of killed "
				"threads: %s", recap_err_str(err));
	return RECAP_OK;
}

static int standin_kill(struct rst *r, struct recap_cpu_thread const *standin)
{
	struct cr_call call = { .op = RECAP_CPU_KILL_THREAD, .narg_caps = 1,
				.arg_caps = { standin->cap } };
	int err = cr_call_make(r->env, r->c->child.cpu, &call);

	recap_cap_forget(r->env, standin->cap);
	if (err != RECAP_OK)
		return rst_fail(r, err, "the stand-in thread: cannot kill it: %s",
				recap_err_str(err));
	return RECAP_OK;
}

static int ep_gate(struct rst *r, struct caps_entry const *e,
		   struct recap_cpu_thread *standin)
{
	struct cr_child *c = r->c;
	struct recap_cap gate;
	struct cr_call call = { .op = RECAP_PD_ALLOC_RPC_CAP,
				.args = { e->label & ~3UL }, .nargs = 1,
				.narg_caps = 1 };
	bool gone = thread_gone(r, e->thread);
	unsigned thread = e->thread;
	bool adopted = false;
	int err = RECAP_OK;

	if (gone && !recap_cap_valid(standin->cap))
		err = standin_make(r, standin);
	if (err != RECAP_OK)
		return err;
	if (gone)
		thread = (unsigned)standin->index;
	err = thread_gate(r, thread, &call.arg_caps[0]);
	/* Replacing: the very gate the original's clients hold, if held. */
	if (err == RECAP_OK && r->replace && !gone) {
		err = rst_replace_adopt(r, call.arg_caps[0], e->label & ~3UL,
					&call.ret_caps[0]);
		adopted = err == RECAP_OK;
		call.nret_caps = adopted ? 1 : 0;
		if (err == RECAP_ERR_NOENT)
			err = RECAP_OK;		/* none held: made anew */
	}
	if (err == RECAP_OK && !adopted)
		err = cr_call_make(r->env, c->child.pd, &call);
	if (err != RECAP_OK || call.nret_caps != 1)
		return rst_fail(r, err ? err : RECAP_ERR_INVAL,
				"slot 0x%llx: cannot make the gate of thread %u "
				"with label 0x%llx: %s",
				(unsigned long long)e->slot, thread,
				(unsigned long long)(e->label & ~3UL),
				recap_err_str(err));
	gate = call.ret_caps[0];
	for (unsigned i = 0; i < CR_MAX_RPC_GATES; i++) {
		if (c->rpc_gates[i].used)
			continue;
		c->rpc_gates[i] = (struct cr_rpc_gate){
			.used = true, .thread = gone ? CAPS_THREAD_GONE : e->thread,
			.gate = gate };
		return rst_map_add(r, e->object, gate);
	}
	return rst_fail(r, RECAP_ERR_NOMEM, "too many entrypoint gates");
}

int rst_ep_gates(struct rst *r)
{
	struct recap_cpu_thread standin = { .cap = recap_cap_invalid() };
	int err = RECAP_OK;

	for (unsigned i = 0; !err && i < r->ncaps; i++) {
		struct caps_entry const *e = &r->caps[i];
		bool made = false;

		/* One gate per object, however many slots hold it. */
		if (e->role != CAPS_ROLE_EP_GATE)
			continue;
		for (unsigned m = 0; m < r->nmap; m++)
			made |= r->map[m].old_id == e->object;
		if (!made && !thread_later(r, e->thread))
			err = ep_gate(r, e, &standin);
	}
	if (!err && recap_cap_valid(standin.cap))
		err = standin_kill(r, &standin);
	return err;
}

/* Slots whose content core or the child API put there already. */
static bool made_elsewhere(struct caps_entry const *e)
{
	switch (e->role) {
	case CAPS_ROLE_TASK:
	case CAPS_ROLE_PARENT:
	case CAPS_ROLE_THREAD_GATE:
	case CAPS_ROLE_THREAD_PAGER:
	case CAPS_ROLE_THREAD_IRQ:
		return true;
	}
	return false;
}

int rst_capspace_install(struct rst *r)
{
	for (unsigned i = 0; i < r->ncaps; i++) {
		struct caps_entry const *e = &r->caps[i];
		struct recap_cap cap = recap_cap_invalid();
		int err;

		if (made_elsewhere(e))
			continue;
		for (unsigned m = 0; m < r->nmap; m++)
			if (r->map[m].old_id == e->object)
				cap = r->map[m].cap;
		/* A third party's object: the one cr kept, if it still is. */
		if (!recap_cap_valid(cap) && e->role == CAPS_ROLE_UNKNOWN)
			cap = cr_kept_find(r->cr, e->object, e->label);
		if (!recap_cap_valid(cap))
			return rst_fail(r, RECAP_ERR_NOENT,
					"missing: slot 0x%llx (role %u, object %llu) has "
					"no counterpart", (unsigned long long)e->slot,
					e->role, (unsigned long long)e->object);
		err = recap_native_pd_install_cap_at(r->env, r->c->child.pd, cap, e->slot);
		if (err != RECAP_OK)
			return rst_fail(r, err, "slot 0x%llx: cannot install: %s",
					(unsigned long long)e->slot, recap_err_str(err));
	}
	return RECAP_OK;
}

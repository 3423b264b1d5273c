/*
 * sessions.c — the child's sessions on restore: each opened again through
 * cr (cr_session_open: the real one behind, cr's object in front with its
 * old badge where free); the signal contexts bound again to the same
 * threads with the same labels, with their undelivered signals raised
 * again; the timers programmed again to signal the new contexts; a ROM
 * session's dataspace in the old one's place (memory.c).
 */
#include <l4/sys/irq.h>

#include <recap/cr_session.h>
#include <recap/env_heap.h>
#include <recap/err.h>
#include <recap/signal_session.h>
#include <recap/string.h>
#include <recap/timer_session.h>

#include "../intercept/forward.h"
#include "../intercept/intercept.h"
#include "rst.h"

/* Old context badge -> new context, for the timers. */
struct ctx_map {
	unsigned long old_badge;
	struct recap_cap cap;
};

struct sess_pass {
	struct ctx_map ctx[CR_MAX_CONTEXTS];
	unsigned nctx;
};

static struct cr_session *session_of_cap(struct cr_child *c, struct recap_cap cap)
{
	for (unsigned i = 0; i < CR_MAX_SESSIONS; i++)
		if (c->sessions[i].used && c->sessions[i].obj.cap.sel == cap.sel)
			return &c->sessions[i];
	return NULL;
}

static int context(struct rst *r, struct cr_session *s,
		   struct crfmt_signal const *sig, struct sess_pass *pass)
{
	struct caps_entry const *e = rst_cap_at(r, sig->slot);
	struct cr_call call = { .op = RECAP_SIGNAL_ALLOC_CONTEXT,
				.args = { sig->thread, e ? e->label : 0, sig->badge },
				.nargs = 3 };
	int err;

	if (!e)
		return rst_fail(r, RECAP_ERR_INVAL, "signal context 0x%llx: no slot",
				(unsigned long long)sig->badge);
	err = cr_call_make(r->env, s->real, &call);
	if (err == RECAP_ERR_EXIST) {
		call.nargs = 2;		/* its badge is taken: a new one */
		err = cr_call_make(r->env, s->real, &call);
	}
	if (err != RECAP_OK || call.nret_caps != 1)
		return rst_fail(r, err ? err : RECAP_ERR_INVAL,
				"signal context 0x%llx: %s",
				(unsigned long long)sig->badge, recap_err_str(err));
	if (call.ret_caps[0].badge != sig->badge && r->nrenamed < CR_MAX_CONTEXTS) {
		r->renamed[r->nrenamed].from = sig->badge;
		r->renamed[r->nrenamed++].to = call.ret_caps[0].badge;
	}
	/* Signals the child had not received yet are not lost. */
	for (uint64_t i = 0; i < sig->pending; i++)
		l4_irq_trigger(call.ret_caps[0].sel);
	for (unsigned i = 0; i < CR_MAX_CONTEXTS; i++) {
		if (r->c->contexts[i].used)
			continue;
		r->c->contexts[i] = (struct cr_context){
			.used = true, .thread = sig->thread, .label = e->label,
			.irq = call.ret_caps[0] };
		break;
	}
	if (pass->nctx < CR_MAX_CONTEXTS)
		pass->ctx[pass->nctx++] = (struct ctx_map){ sig->badge,
							    call.ret_caps[0] };
	return rst_map_add(r, e->object, call.ret_caps[0]);
}

/*
 * A third party's session (routed through cr's parent): not opened again
 * — that would be a new session, without the server's state — but the
 * very one, if cr kept it; recorded in the child API as the child's, so
 * that the child can close it.
 */
static int adopt(struct rst *r, struct crfmt_session const *fs,
		 struct caps_entry const *e)
{
	struct recap_cap cap = e ? cr_kept_find(r->cr, e->object, e->label)
				 : recap_cap_invalid();
	struct recap_child *ch = &r->c->child;

	if (!recap_cap_valid(cap))
		return rst_fail(r, RECAP_ERR_NOENT,
				"missing: slot 0x%llx (a third party's %s session) "
				"has no counterpart", (unsigned long long)fs->slot,
				fs->service);
	/* A stopped original never uses it again: the session is the new
	 * child's alone, and the original's end does not close it. */
	for (struct cr_child *x = r->cr->children; x; x = x->next)
		for (unsigned i = 0; x->stopped && i < RECAP_CHILD_SESSIONS_MAX; i++)
			if (x->child.sessions[i].cap.sel == cap.sel)
				x->child.sessions[i].cap = recap_cap_invalid();
	for (unsigned i = 0; i < RECAP_CHILD_SESSIONS_MAX; i++) {
		struct recap_child_session *o = &ch->sessions[i];

		if (recap_cap_valid(o->cap))
			continue;
		RECAP_STRING_NAME(strlcpy)(o->service, fs->service, sizeof(o->service));
		RECAP_STRING_NAME(strlcpy)(o->args, fs->args, sizeof(o->args));
		o->cap = cap;
		o->via = RECAP_CHILD_VIA_PARENT;
		return rst_map_add(r, e->object, cap) ?
			rst_fail(r, RECAP_ERR_NOMEM, "too many objects") : RECAP_OK;
	}
	return rst_fail(r, RECAP_ERR_NOMEM, "too many sessions");
}

static int open_one(struct rst *r, struct crfmt_session const *fs,
		    struct sess_pass *pass)
{
	struct caps_entry const *e = rst_cap_at(r, fs->slot);
	struct recap_cap cap;
	struct cr_session *s;
	int err;

	if (cr_service_of(fs->service) == CR_SVC_OTHER)
		return adopt(r, fs, e);
	err = cr_session_open(r->c, fs->service, fs->args,
			      e ? e->label & ~3UL : 0, &cap);

	if (err != RECAP_OK)
		return rst_fail(r, err, "session %llu (%s): %s",
				(unsigned long long)fs->id, fs->service,
				recap_err_str(err));
	if (e && (err = rst_map_add(r, e->object, cap)))
		return rst_fail(r, err, "too many objects");
	s = session_of_cap(r->c, cap);
	if (s && fs->id <= CR_MAX_SESSIONS)
		r->session_by_id[fs->id] = s;
	for (size_t i = 0; s && !err && i < fs->n_signals; i++)
		err = context(r, s, &fs->signals[i], pass);
	if (s && !err && (fs->has & CRFMT_HAS_ROM) && fs->rom.ds)
		err = rst_memory_rom(r, s, fs->rom.ds);
	return err;
}

/* The restored session of record fs (by its slot's object), or NULL. */
static struct cr_session *restored(struct rst *r, struct crfmt_session const *fs)
{
	struct caps_entry const *e = rst_cap_at(r, fs->slot);
	struct cr_session *s = NULL;

	for (unsigned m = 0; e && m < r->nmap; m++)
		if (r->map[m].old_id == e->object)
			s = session_of_cap(r->c, r->map[m].cap);
	return s;
}

/* The new signal context of the one badge named (invalid: none). */
static struct recap_cap new_context(struct sess_pass const *pass,
				    uint64_t badge)
{
	for (unsigned i = 0; badge && i < pass->nctx; i++)
		if (pass->ctx[i].old_badge == badge)
			return pass->ctx[i].cap;
	return recap_cap_invalid();
}

/* A CR session signals the new context of the one it signalled. */
static int requests(struct rst *r, struct crfmt_session const *fs,
		    struct sess_pass const *pass)
{
	struct cr_session *s = restored(r, fs);
	struct cr_call call = { .op = RECAP_CR_SIGH, .narg_caps = 1 };
	int err;

	if (!s)
		return rst_fail(r, RECAP_ERR_NOENT, "CR session %llu: gone",
				(unsigned long long)fs->id);
	if (s->service != CR_SVC_CR)
		return rst_fail(r, RECAP_ERR_INVAL, "session %llu (%s): a "
				"context for requests, but not a CR session",
				(unsigned long long)fs->id, fs->service);
	call.arg_caps[0] = new_context(pass, fs->sigh);
	if ((err = cr_call_make(r->env, s->real, &call)))
		return rst_fail(r, err, "CR session: SIGH: %s", recap_err_str(err));
	s->requests.sigh = call.arg_caps[0].badge;
	return RECAP_OK;
}

static int timer(struct rst *r, struct crfmt_session const *fs,
		 struct sess_pass const *pass)
{
	struct cr_session *s = restored(r, fs);
	struct cr_call call = { .narg_caps = 1 };
	int err;

	if (!s)
		return rst_fail(r, RECAP_ERR_NOENT, "timer session %llu: gone",
				(unsigned long long)fs->id);
	/* The session's time goes on from where it was (ELAPSED answers). */
	struct cr_call now = { .op = RECAP_TIMER_ELAPSED_US };

	if ((err = cr_call_make(r->env, s->real, &now)) || now.nret < 1)
		return rst_fail(r, err ? err : RECAP_ERR_INVAL,
				"timer session: elapsed: %s", recap_err_str(err));
	s->timer.elapsed_offset_us = (long)(fs->timer.elapsed_us - now.ret[0]);
	call.op = RECAP_TIMER_SIGH;
	call.arg_caps[0] = new_context(pass, fs->timer.signal);
	s->timer.sigh = call.arg_caps[0].badge;
	if ((err = cr_call_make(r->env, s->real, &call)))
		return rst_fail(r, err, "timer session: SIGH: %s", recap_err_str(err));
	s->timer.programmed_at_us = fs->timer.elapsed_us;
	if (fs->timer.mode == CRFMT_TIMER_IDLE)
		return RECAP_OK;
	call = (struct cr_call){ .nargs = 1 };
	if (fs->timer.mode == CRFMT_TIMER_PERIODIC) {
		call.op = RECAP_TIMER_TRIGGER_PERIODIC;
		call.args[0] = fs->timer.period_us;
		s->timer.mode = CR_TIMER_PERIODIC;
		s->timer.us = fs->timer.period_us;
	} else {
		call.op = RECAP_TIMER_TRIGGER_ONCE;
		call.args[0] = fs->timer.next_us;
		s->timer.mode = CR_TIMER_ONCE;
		s->timer.us = fs->timer.next_us;
	}
	if ((err = cr_call_make(r->env, s->real, &call)))
		return rst_fail(r, err, "timer session: %s", recap_err_str(err));
	/* Bounds of core's deadline, as cr_intercept_timer records them
	 * (checkpoint/sessions.c): the time before and after asking core. */
	s->timer.programmed_lo_us = fs->timer.elapsed_us;
	if ((err = cr_timer_now_us(s, &s->timer.programmed_at_us)))
		return rst_fail(r, err, "timer session: elapsed: %s", recap_err_str(err));
	return RECAP_OK;
}

/* The config ROM is the child API's object: it exists already. */
static int config_rom(struct rst *r)
{
	for (unsigned i = 0; i < r->ncaps; i++) {
		struct caps_entry const *e = &r->caps[i];

		if (e->role == CAPS_ROLE_SESSION &&
		    !RECAP_STRING_NAME(strcmp)(e->detail, "config ROM"))
			return rst_map_add(r, e->object, r->c->child.config_rom.cap);
	}
	return RECAP_OK;
}

int rst_sessions(struct rst *r)
{
	struct crfmt_session *fs;
	struct sess_pass *pass;
	struct crfmt_iter it;
	struct crfmt_err ferr;
	int err = recap_heap_alloc(r->env, sizeof(*fs) + sizeof(*pass), (void **)&fs);

	if (err != RECAP_OK)
		return rst_fail(r, err, "out of memory");
	pass = (struct sess_pass *)(fs + 1);
	pass->nctx = 0;
	crfmt_iter_init(&it, r->sessions.payload, r->sessions.len);
	while (!err && crfmt_sessions_next(&it, fs, &ferr) == CRFMT_OK)
		err = open_one(r, fs, pass);
	/* Second pass: timers and CR sessions signal contexts of any
	 * session. */
	crfmt_iter_init(&it, r->sessions.payload, r->sessions.len);
	while (!err && crfmt_sessions_next(&it, fs, &ferr) == CRFMT_OK)
		if (fs->has & CRFMT_HAS_TIMER)
			err = timer(r, fs, pass);
		else if (fs->sigh)
			err = requests(r, fs, pass);
	if (!err)
		err = config_rom(r);
	recap_heap_free(r->env, fs);
	return err;
}

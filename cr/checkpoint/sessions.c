/*
 * sessions.c — the child's sessions in a checkpoint: creation arguments,
 * label, where the child holds each, and what each service needs to be
 * recreated: the timer's programme (time to the next deadline, from the
 * real session's clock), the signal contexts with their undelivered
 * triggers (the kernel's count, native PD IRQ_INFO), a ROM session's
 * module and dataspace, and the context a CR session signals.
 */
#include <recap/err.h>
#include <recap/session_args.h>
#include <recap/string.h>
#include <recap/timer_session.h>

#include "../intercept/forward.h"
#include "../intercept/intercept.h"
#include "ckpt.h"

/*
 * A one-shot's signal must be in the image exactly once: in its context's
 * count (the kernel keeps a trigger in the IRQ while the child is paused)
 * or as the timeout still to come, never both, never neither. Core's
 * deadline is between cr's two readings around programming it + us
 * (cr_intercept_timer); at a session time at or after the later one's,
 * it has passed, and core has signalled it before it answers the next
 * request (it expires its timers before every wait); before the earlier
 * one's, it has not. So the counts are read between two readings of the
 * timers' times at which no one-shot is in between (the window is one
 * call to core: cr waits it out), and no one-shot may leave "not yet"
 * while they are read (else all is read again).
 */
enum once_state { ONCE_NONE, ONCE_AHEAD, ONCE_UNSURE, ONCE_PASSED };

#define SNAPSHOT_TRIES 1000

static enum once_state once_state(struct cr_timer const *t, unsigned long now)
{
	if (t->mode != CR_TIMER_ONCE)
		return ONCE_NONE;
	if (now < t->programmed_lo_us + t->us)
		return ONCE_AHEAD;
	/* + 1: core's µs are rounded down, its deadline is not */
	return now < t->programmed_at_us + t->us + 1 ? ONCE_UNSURE : ONCE_PASSED;
}

/* Every Timer session's time; false if a one-shot is unsure at it, or
 * (was, if not NULL) one that was ahead at was is not any more. */
static bool timers_now(struct ckpt *k, unsigned long now[CR_MAX_SESSIONS],
		       unsigned long const *was)
{
	bool settled = true;

	for (unsigned i = 0; i < CR_MAX_SESSIONS; i++) {
		struct cr_session *s = &k->c->sessions[i];
		enum once_state st;

		if (!s->used || s->service != CR_SVC_TIMER)
			continue;
		if (cr_timer_now_us(s, &now[i]) != RECAP_OK)
			now[i] = s->timer.programmed_at_us;
		st = once_state(&s->timer, now[i]);
		if (st == ONCE_UNSURE ||
		    (was && once_state(&s->timer, was[i]) == ONCE_AHEAD && st != ONCE_AHEAD))
			settled = false;
	}
	return settled;
}

/* The undelivered triggers of the context at slot (native PD IRQ_INFO). */
static unsigned long context_pending(struct ckpt *k, uint64_t slot)
{
	struct recap_native_irq_info irq;

	if (slot != CRFMT_NO_SLOT &&
	    recap_native_pd_irq_info_at(k->env, k->c->child.pd, slot, &irq) == RECAP_OK)
		return irq.pending;
	return 0;
}

/* Each used context's slot in the child's space (CRFMT_NO_SLOT: none). */
static void context_slots(struct ckpt *k, uint64_t slot[CR_MAX_CONTEXTS])
{
	for (unsigned i = 0; i < CR_MAX_CONTEXTS; i++)
		slot[i] = k->c->contexts[i].used ?
			  ckpt_capspace_slot_of(k, cr_own_object_id(k->env,
								    k->c->contexts[i].irq)) :
			  CRFMT_NO_SLOT;
}

/* The timers' times (now) and the counts (pending) of the contexts at
 * slot, taken together as above; the last try's if none of
 * SNAPSHOT_TRIES settles. */
static void snapshot(struct ckpt *k, unsigned long now[CR_MAX_SESSIONS],
		     uint64_t const slot[CR_MAX_CONTEXTS],
		     unsigned long pending[CR_MAX_CONTEXTS])
{
	unsigned long after[CR_MAX_SESSIONS];

	for (unsigned tries = 1;; tries++) {
		bool last = tries == SNAPSHOT_TRIES;

		if (!timers_now(k, now, NULL) && !last)
			continue;
		for (unsigned i = 0; i < CR_MAX_CONTEXTS; i++)
			pending[i] = k->c->contexts[i].used ?
				     context_pending(k, slot[i]) : 0;
		if (timers_now(k, after, now) || last)
			return;
	}
}

static void timer_record(struct cr_session const *s, unsigned long now,
			 struct crfmt_session *fs)
{
	struct cr_timer const *t = &s->timer;
	unsigned long since;

	fs->has |= CRFMT_HAS_TIMER;
	fs->timer.elapsed_us = now;
	fs->timer.signal = t->sigh == RECAP_BADGE_INVALID ? 0 : t->sigh;
	since = now > t->programmed_at_us ? now - t->programmed_at_us : 0;
	switch (t->mode) {
	case CR_TIMER_ONCE:
		fs->timer.mode = since < t->us ? CRFMT_TIMER_ONCE : CRFMT_TIMER_IDLE;
		fs->timer.next_us = since < t->us ? t->us - since : 0;
		break;
	case CR_TIMER_PERIODIC:
		fs->timer.mode = CRFMT_TIMER_PERIODIC;
		fs->timer.period_us = t->us;
		fs->timer.next_us = t->us - since % t->us;
		break;
	default:
		fs->timer.mode = CRFMT_TIMER_IDLE;
		break;
	}
}

/* A ROM session: its module, and its dataspace if the child asked for it
 * (memory.c saves that one as the module's, for the restore to ask the
 * session opened again for it). */
static void rom_record(struct ckpt *k, unsigned i, struct crfmt_session *fs)
{
	struct cr_child const *c = k->c;

	fs->has |= CRFMT_HAS_ROM;
	RECAP_STRING_NAME(strlcpy)(fs->rom.module, fs->label, sizeof(fs->rom.module));
	for (unsigned d = 0; d < CR_MAX_DS; d++)
		if (c->ds[d].used && c->ds[d].session == (int)i)
			fs->rom.ds = ckpt_memory_id_of(k, c->ds[d].cap);
}

/* Every signal context of the child goes with its (first) SIGNAL session. */
static void signals_record(struct ckpt *k, uint64_t const *slot,
			   unsigned long const *pending, struct crfmt_session *fs)
{
	struct cr_child *c = k->c;

	for (unsigned i = 0; i < CR_MAX_CONTEXTS && fs->n_signals < CRFMT_SIGNALS_MAX; i++) {
		struct cr_context const *x = &c->contexts[i];
		struct crfmt_signal *sig;

		if (!x->used)
			continue;
		sig = &fs->signals[fs->n_signals++];
		sig->badge = x->irq.badge;
		sig->thread = (uint32_t)x->thread;
		sig->slot = slot[i];
		sig->pending = pending[i];
	}
}

bool ckpt_sessions_serving(struct ckpt const *k)
{
	for (unsigned i = 0; i < CR_MAX_SESSIONS; i++)
		if (k->c->sessions[i].used &&
		    k->c->sessions[i].service == CR_SVC_CR &&
		    k->c->sessions[i].requests.serving)
			return true;
	return false;
}

void ckpt_sessions_write(struct ckpt *k)
{
	struct cr_child *c = k->c;
	size_t mark = crfmt_stream_section_begin(&k->w, CR_SEC_SESSIONS);
	bool signals_done = false;
	unsigned long now[CR_MAX_SESSIONS], pending[CR_MAX_CONTEXTS];
	uint64_t slot[CR_MAX_CONTEXTS];

	context_slots(k, slot);
	snapshot(k, now, slot, pending);

	for (unsigned i = 0; i < CR_MAX_SESSIONS; i++) {
		struct cr_session *s = &c->sessions[i];
		struct crfmt_session fs;

		if (!s->used)
			continue;
		crfmt_session_init(&fs);
		fs.id = i + 1;
		fs.role = CRFMT_ROLE_CLIENT;
		RECAP_STRING_NAME(strlcpy)(fs.service, s->service_name, sizeof(fs.service));
		RECAP_STRING_NAME(strlcpy)(fs.args, s->args, sizeof(fs.args));
		if (session_args_get(s->args, "label", fs.label, sizeof(fs.label)) != RECAP_OK)
			fs.label[0] = '\0';
		fs.slot = ckpt_capspace_slot_of(k, s->object);
		if (s->service == CR_SVC_CR && s->requests.sigh != RECAP_BADGE_INVALID)
			fs.sigh = s->requests.sigh;
		if (s->service == CR_SVC_TIMER)
			timer_record(s, now[i], &fs);
		if (s->service == CR_SVC_ROM)
			rom_record(k, i, &fs);
		if (s->service == CR_SVC_SIGNAL && !signals_done) {
			signals_record(k, slot, pending, &fs);
			signals_done = true;
		}
		crfmt_session_encode(&k->w, &fs);
	}
	/* Third parties' sessions (the child API's record): a restore names
	 * the same session again if cr kept it (ckpt_capspace_keep). */
	for (unsigned i = 0; i < RECAP_CHILD_SESSIONS_MAX; i++) {
		struct recap_child_session const *o = &c->child.sessions[i];
		struct crfmt_session fs;

		if (!recap_cap_valid(o->cap) || o->via != RECAP_CHILD_VIA_PARENT)
			continue;
		crfmt_session_init(&fs);
		fs.id = CKPT_OTHER_SESSION + i + 1;
		fs.role = CRFMT_ROLE_CLIENT;
		RECAP_STRING_NAME(strlcpy)(fs.service, o->service, sizeof(fs.service));
		RECAP_STRING_NAME(strlcpy)(fs.args, o->args, sizeof(fs.args));
		if (session_args_get(o->args, "label", fs.label, sizeof(fs.label)) != RECAP_OK)
			fs.label[0] = '\0';
		fs.slot = ckpt_capspace_slot_of(k, cr_own_object_id(k->env, o->cap));
		crfmt_session_encode(&k->w, &fs);
	}
	crfmt_stream_section_end(&k->w, mark);
}

/*
 * sessions.c — the child's sessions in a checkpoint: creation arguments,
 * label, where the child holds each, and what each service needs to be
 * recreated: the timer's programme (time to the next deadline, from the
 * real session's clock) and the signal contexts with their undelivered
 * triggers (the kernel's count, native PD IRQ_INFO).
 */
#include <recap/err.h>
#include <recap/session_args.h>
#include <recap/string.h>
#include <recap/timer_session.h>

#include "../intercept/forward.h"
#include "ckpt.h"

static unsigned long timer_now_us(struct ckpt *k, struct cr_session *s)
{
	struct cr_call call = { .op = RECAP_TIMER_ELAPSED_US };

	if (cr_call_make(k->env, s->real, &call) != RECAP_OK || call.nret < 1)
		return s->timer.programmed_at_us;
	return call.ret[0] + (unsigned long)s->timer.elapsed_offset_us;
}

static void timer_record(struct ckpt *k, struct cr_session *s,
			 struct crfmt_session *fs)
{
	struct cr_timer const *t = &s->timer;
	unsigned long now = timer_now_us(k, s), since;

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

/* Every signal context of the child goes with its (first) SIGNAL session. */
static void signals_record(struct ckpt *k, struct crfmt_session *fs)
{
	struct cr_child *c = k->c;

	for (unsigned i = 0; i < CR_MAX_CONTEXTS && fs->n_signals < CRFMT_SIGNALS_MAX; i++) {
		struct cr_context const *x = &c->contexts[i];
		struct crfmt_signal *sig;
		struct recap_native_irq_info irq;
		unsigned long pending = 0;

		if (!x->used)
			continue;
		sig = &fs->signals[fs->n_signals++];
		sig->badge = x->irq.badge;
		sig->thread = (uint32_t)x->thread;
		sig->slot = ckpt_capspace_slot_of(k, cr_own_object_id(k->env, x->irq));
		if (sig->slot != CRFMT_NO_SLOT &&
		    recap_native_pd_irq_info_at(k->env, c->child.pd, sig->slot,
						&irq) == RECAP_OK)
			pending = irq.pending;
		sig->pending = pending;
	}
}

void ckpt_sessions_write(struct ckpt *k)
{
	struct cr_child *c = k->c;
	size_t mark = crfmt_stream_section_begin(&k->w, CR_SEC_SESSIONS);
	bool signals_done = false;

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
		fs.slot = ckpt_capspace_slot_of(k, cr_own_object_id(k->env, s->obj.cap));
		if (s->service == CR_SVC_TIMER)
			timer_record(k, s, &fs);
		if (s->service == CR_SVC_SIGNAL && !signals_done) {
			signals_record(k, &fs);
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

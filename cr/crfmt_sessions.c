/*
 * crfmt_sessions — the sessions section: per session, how it was created
 * (service, arguments, label, upgrades, which side the target is on) and
 * what its service keeps for it (timer programming, signal contexts, RAM
 * quota, ROM module, region map) (crfmt.h). Freestanding (compat.h).
 */
#include "crfmt_impl.h"

/* A session record as read: sub-records as views, decoded after. */
struct session_wire {
	struct tlv_bytes timer, ram, rom, rm;
};

static struct tlv_field const session_fields[] = {
	TLV_FIELD(CRFMT_SES_ID, TLV_U64, struct crfmt_session, id, true),
	TLV_FIELD(CRFMT_SES_SERVICE, TLV_STR, struct crfmt_session, service,
		  true),
	TLV_FIELD(CRFMT_SES_ROLE, TLV_U32, struct crfmt_session, role, true),
	TLV_FIELD(CRFMT_SES_ARGS, TLV_STR, struct crfmt_session, args, false),
	TLV_FIELD(CRFMT_SES_LABEL, TLV_STR, struct crfmt_session, label,
		  false),
	TLV_FIELD(CRFMT_SES_RAM_UPGRADE, TLV_U64, struct crfmt_session,
		  ram_upgrade, false),
	TLV_FIELD(CRFMT_SES_CAP_UPGRADE, TLV_U64, struct crfmt_session,
		  cap_upgrade, false),
	TLV_FIELD(CRFMT_SES_SLOT, TLV_U64, struct crfmt_session, slot, false),
	TLV_FIELD(CRFMT_SES_SIGH, TLV_U64, struct crfmt_session, sigh, false),
};

static struct tlv_field const session_parts[] = {
	TLV_FIELD(CRFMT_SES_TIMER, TLV_BLOB, struct session_wire, timer, false),
	TLV_FIELD(CRFMT_SES_RAM, TLV_BLOB, struct session_wire, ram, false),
	TLV_FIELD(CRFMT_SES_ROM, TLV_BLOB, struct session_wire, rom, false),
	TLV_FIELD(CRFMT_SES_RM, TLV_BLOB, struct session_wire, rm, false),
};

static struct tlv_field const timer_fields[] = {
	TLV_FIELD(CRFMT_TIM_MODE, TLV_U32, struct crfmt_timer, mode, true),
	TLV_FIELD(CRFMT_TIM_PERIOD, TLV_U64, struct crfmt_timer, period_us,
		  false),
	TLV_FIELD(CRFMT_TIM_NEXT, TLV_U64, struct crfmt_timer, next_us, false),
	TLV_FIELD(CRFMT_TIM_ELAPSED, TLV_U64, struct crfmt_timer, elapsed_us,
		  false),
	TLV_FIELD(CRFMT_TIM_SIGNAL, TLV_U64, struct crfmt_timer, signal,
		  false),
};

static struct tlv_field const signal_fields[] = {
	TLV_FIELD(CRFMT_SIG_BADGE, TLV_U64, struct crfmt_signal, badge, true),
	TLV_FIELD(CRFMT_SIG_THREAD, TLV_U32, struct crfmt_signal, thread,
		  false),
	TLV_FIELD(CRFMT_SIG_PENDING, TLV_U64, struct crfmt_signal, pending,
		  false),
	TLV_FIELD(CRFMT_SIG_SLOT, TLV_U64, struct crfmt_signal, slot, false),
};

static struct tlv_field const ram_fields[] = {
	TLV_FIELD(CRFMT_RAM_QUOTA, TLV_U64, struct crfmt_ram, quota, true),
	TLV_FIELD(CRFMT_RAM_USED, TLV_U64, struct crfmt_ram, used, false),
};

static struct tlv_field const rom_fields[] = {
	TLV_FIELD(CRFMT_ROM_MODULE, TLV_STR, struct crfmt_rom, module, true),
	TLV_FIELD(CRFMT_ROM_DS, TLV_U64, struct crfmt_rom, ds, false),
};

static struct tlv_field const rm_fields[] = {
	TLV_FIELD(CRFMT_RM_SIZE, TLV_U64, struct crfmt_rm, size, true),
	TLV_FIELD(CRFMT_RM_DS, TLV_U64, struct crfmt_rm, ds, false),
};

void crfmt_session_init(struct crfmt_session *s)
{
	memset(s, 0, sizeof(*s));
	s->slot = CRFMT_NO_SLOT;
}

static void encode_timer(struct tlv_writer *w, struct crfmt_timer const *t)
{
	size_t mark = tlv_begin(w, CRFMT_SES_TIMER);

	tlv_put_u64(w, CRFMT_TIM_MODE, t->mode);
	crfmt_put_opt(w, CRFMT_TIM_PERIOD, t->period_us, 0);
	crfmt_put_opt(w, CRFMT_TIM_NEXT, t->next_us, 0);
	crfmt_put_opt(w, CRFMT_TIM_SIGNAL, t->signal, 0);
	crfmt_put_opt(w, CRFMT_TIM_ELAPSED, t->elapsed_us, 0);
	tlv_end(w, mark);
}

static void encode_signal(struct tlv_writer *w, struct crfmt_signal const *g)
{
	size_t mark = tlv_begin(w, CRFMT_SES_SIGNAL);

	tlv_put_u64(w, CRFMT_SIG_BADGE, g->badge);
	crfmt_put_opt(w, CRFMT_SIG_THREAD, g->thread, 0);
	crfmt_put_opt(w, CRFMT_SIG_PENDING, g->pending, 0);
	crfmt_put_opt(w, CRFMT_SIG_SLOT, g->slot, CRFMT_NO_SLOT);
	tlv_end(w, mark);
}

void crfmt_session_encode(struct tlv_writer *w,
			  struct crfmt_session const *s)
{
	size_t mark = tlv_begin(w, CRFMT_SESSIONS_SESSION), sub;

	tlv_put_u64(w, CRFMT_SES_ID, s->id);
	tlv_put_blob(w, CRFMT_SES_SERVICE, s->service,
		     crfmt_strnlen(s->service, sizeof(s->service)));
	tlv_put_u64(w, CRFMT_SES_ROLE, s->role);
	crfmt_put_str(w, CRFMT_SES_ARGS, s->args, sizeof(s->args));
	crfmt_put_str(w, CRFMT_SES_LABEL, s->label, sizeof(s->label));
	crfmt_put_opt(w, CRFMT_SES_RAM_UPGRADE, s->ram_upgrade, 0);
	crfmt_put_opt(w, CRFMT_SES_CAP_UPGRADE, s->cap_upgrade, 0);
	crfmt_put_opt(w, CRFMT_SES_SLOT, s->slot, CRFMT_NO_SLOT);
	crfmt_put_opt(w, CRFMT_SES_SIGH, s->sigh, 0);
	if (s->has & CRFMT_HAS_TIMER)
		encode_timer(w, &s->timer);
	for (size_t i = 0; i < s->n_signals && i < CRFMT_SIGNALS_MAX; i++)
		encode_signal(w, &s->signals[i]);
	if (s->has & CRFMT_HAS_RAM) {
		sub = tlv_begin(w, CRFMT_SES_RAM);
		tlv_encode(w, ram_fields, 1, &s->ram);
		crfmt_put_opt(w, CRFMT_RAM_USED, s->ram.used, 0);
		tlv_end(w, sub);
	}
	if (s->has & CRFMT_HAS_ROM) {
		sub = tlv_begin(w, CRFMT_SES_ROM);
		tlv_encode(w, rom_fields, 1, &s->rom);
		crfmt_put_opt(w, CRFMT_ROM_DS, s->rom.ds, 0);
		tlv_end(w, sub);
	}
	if (s->has & CRFMT_HAS_RM) {
		sub = tlv_begin(w, CRFMT_SES_RM);
		tlv_encode(w, rm_fields, 1, &s->rm);
		crfmt_put_opt(w, CRFMT_RM_DS, s->rm.ds, 0);
		tlv_end(w, sub);
	}
	tlv_end(w, mark);
}

/* Decode the sub-record SUB (if present) into OUT, setting BIT in has. */
static enum crfmt_status decode_part(struct crfmt_session *s,
				     struct tlv_bytes const *sub,
				     struct tlv_field const *fields, size_t n,
				     void *out, uint32_t bit,
				     char const *what, struct crfmt_err *err)
{
	struct tlv_err terr;

	if (!sub->data)
		return CRFMT_OK;
	if (tlv_decode(sub->data, sub->len, fields, n, out, &terr))
		return crfmt_fail(err, CRFMT_ERR_RECORD, "session %llu: %s: %s",
				  (unsigned long long)s->id, what, terr.msg);
	s->has |= bit;
	return CRFMT_OK;
}

/* The repeated signal-context sub-records of the session record ITEM. */
static enum crfmt_status decode_signals(struct crfmt_session *s,
					struct tlv_item const *item,
					struct crfmt_err *err)
{
	struct tlv_reader r;
	struct tlv_item sub;
	struct tlv_err terr;

	tlv_reader_init(&r, item->val, item->len);
	/* tlv_decode has walked this record already: it is well-formed. */
	while (tlv_next(&r, &sub, &terr) == TLV_OK) {
		struct crfmt_signal *g;

		if (sub.tag != CRFMT_SES_SIGNAL)
			continue;
		if (s->n_signals == CRFMT_SIGNALS_MAX)
			return crfmt_fail(err, CRFMT_ERR_FULL,
					  "session %llu: more than %u signal "
					  "contexts", (unsigned long long)s->id,
					  CRFMT_SIGNALS_MAX);
		g = &s->signals[s->n_signals];
		*g = (struct crfmt_signal){ .slot = CRFMT_NO_SLOT };
		if (tlv_decode(sub.val, sub.len, signal_fields,
			       CRFMT_N(signal_fields), g, &terr))
			return crfmt_fail(err, CRFMT_ERR_RECORD,
					  "session %llu: signal context %zu: "
					  "%s", (unsigned long long)s->id,
					  s->n_signals, terr.msg);
		s->n_signals++;
	}
	return CRFMT_OK;
}

enum crfmt_status crfmt_sessions_next(struct crfmt_iter *it,
				      struct crfmt_session *s,
				      struct crfmt_err *err)
{
	struct session_wire wire;
	struct tlv_item item;
	struct tlv_err terr;
	enum crfmt_status st;

	if ((st = crfmt_iter_item(it, CRFMT_SESSIONS_SESSION, &item, err)))
		return st;
	crfmt_session_init(s);
	memset(&wire, 0, sizeof(wire));
	if (tlv_decode(item.val, item.len, session_fields,
		       CRFMT_N(session_fields), s, &terr) ||
	    tlv_decode(item.val, item.len, session_parts,
		       CRFMT_N(session_parts), &wire, &terr))
		return crfmt_tlv_fail(err, "session", item.offset, &terr);
	if (!crfmt_role_name(s->role))
		return crfmt_fail(err, CRFMT_ERR_VALUE,
				  "session %llu: unknown role %u",
				  (unsigned long long)s->id, s->role);
	if ((st = decode_part(s, &wire.timer, timer_fields,
			      CRFMT_N(timer_fields), &s->timer,
			      CRFMT_HAS_TIMER, "timer", err)) ||
	    (st = decode_part(s, &wire.ram, ram_fields, CRFMT_N(ram_fields),
			      &s->ram, CRFMT_HAS_RAM, "RAM", err)) ||
	    (st = decode_part(s, &wire.rom, rom_fields, CRFMT_N(rom_fields),
			      &s->rom, CRFMT_HAS_ROM, "ROM", err)) ||
	    (st = decode_part(s, &wire.rm, rm_fields, CRFMT_N(rm_fields),
			      &s->rm, CRFMT_HAS_RM, "RM", err)) ||
	    (st = decode_signals(s, &item, err)))
		return st;
	if ((s->has & CRFMT_HAS_TIMER) && !crfmt_timer_mode_name(s->timer.mode))
		return crfmt_fail(err, CRFMT_ERR_VALUE,
				  "session %llu: unknown timer mode %u",
				  (unsigned long long)s->id, s->timer.mode);
	if ((st = crfmt_iter_key(it, s->id, "session", item.offset, err)))
		return st;
	return crfmt_ok(err);
}

char const *crfmt_role_name(uint32_t role)
{
	switch (role) {
	case CRFMT_ROLE_CLIENT:
		return "client";
	case CRFMT_ROLE_SERVER:
		return "server";
	}
	return NULL;
}

char const *crfmt_timer_mode_name(uint32_t mode)
{
	switch (mode) {
	case CRFMT_TIMER_IDLE:
		return "idle";
	case CRFMT_TIMER_ONCE:
		return "once";
	case CRFMT_TIMER_PERIODIC:
		return "periodic";
	}
	return NULL;
}

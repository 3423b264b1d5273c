/*
 * crfmt_threads — the threads section: per thread, its kernel state
 * (struct l4x_thread_state, every register and pending-call word a field
 * of its own, the FPU area and UTCB as bytes of their exact size) and what
 * cr knows about it (crfmt.h). Freestanding (compat.h).
 *
 * Registers are fields, not one blob of struct l4x_regs, so the section
 * does not depend on the struct's layout: a register added to the struct
 * gets a new tag, and an old image still reads.
 */
#include "crfmt_impl.h"

#define REG(n, name) \
	{ (n), TLV_U64, #name, offsetof(struct l4x_regs, name), 8, true }

static struct tlv_field const reg_fields[CRFMT_REGS_COUNT] = {
	REG(1, r15), REG(2, r14), REG(3, r13), REG(4, r12), REG(5, rbp),
	REG(6, rbx), REG(7, r11), REG(8, r10), REG(9, r9), REG(10, r8),
	REG(11, rax), REG(12, rcx), REG(13, rdx), REG(14, rsi), REG(15, rdi),
	REG(16, orig_rax), REG(17, rip), REG(18, cs), REG(19, rflags),
	REG(20, rsp), REG(21, ss), REG(22, fs_base), REG(23, gs_base),
	REG(24, ds), REG(25, es), REG(26, fs), REG(27, gs),
};

#define PEND(n, name) \
	{ (n), TLV_U64, #name, offsetof(struct l4x_pending, name), 8, true }

static struct tlv_field const pending_fields[CRFMT_PENDING_COUNT] = {
	PEND(1, kind), PEND(2, dest), PEND(3, label), PEND(4, tag),
	PEND(5, timeout), PEND(6, remaining_us), PEND(7, partner_id),
	PEND(8, reply_to_id), PEND(9, result_label), PEND(10, self_id),
};

_Static_assert(sizeof(struct l4x_regs) == CRFMT_REGS_COUNT * 8,
	       "a register of struct l4x_regs has no tag");
_Static_assert(sizeof(struct l4x_pending) == CRFMT_PENDING_COUNT * 8,
	       "a field of struct l4x_pending has no tag");
_Static_assert(sizeof(l4_umword_t) == 8, "registers are 64-bit");

/* A thread record as read: nested parts as views, decoded after. */
struct thread_wire {
	struct crfmt_thread *t;
	struct tlv_bytes regs;
	struct tlv_bytes pending;
};

static struct tlv_field const thread_fields[] = {
	TLV_FIELD(CRFMT_THR_INDEX, TLV_U32, struct crfmt_thread, index, true),
	TLV_FIELD(CRFMT_THR_NAME, TLV_STR, struct crfmt_thread, name, false),
	TLV_FIELD(CRFMT_THR_FLAGS, TLV_U64, struct crfmt_thread, flags, false),
	TLV_FIELD(CRFMT_THR_SLOT_THREAD, TLV_U64, struct crfmt_thread,
		  slot_thread, false),
	TLV_FIELD(CRFMT_THR_SLOT_GATE, TLV_U64, struct crfmt_thread,
		  slot_gate, false),
	TLV_FIELD(CRFMT_THR_SLOT_PAGER, TLV_U64, struct crfmt_thread,
		  slot_pager, false),
	TLV_FIELD(CRFMT_THR_SLOT_IRQ, TLV_U64, struct crfmt_thread, slot_irq,
		  false),
	TLV_FIELD(CRFMT_THR_VID, TLV_U64, struct crfmt_thread, vid, false),
	TLV_FIELD(CRFMT_THR_IRQ_VID, TLV_U64, struct crfmt_thread, irq_vid,
		  false),
	TLV_FIELD(CRFMT_THR_VID_NEXT, TLV_U64, struct crfmt_thread, vid_next,
		  false),
	TLV_FIELD(CRFMT_THR_IRQ_PENDING, TLV_U64, struct crfmt_thread,
		  irq_pending, false),
	TLV_FIELD(CRFMT_THR_FPU, TLV_BYTES, struct crfmt_thread, state.fpu,
		  true),
	TLV_FIELD(CRFMT_THR_UTCB, TLV_BYTES, struct crfmt_thread, state.utcb,
		  true),
};

/* The nested parts, into a struct thread_wire. */
static struct tlv_field const thread_parts[] = {
	TLV_FIELD(CRFMT_THR_REGS, TLV_BLOB, struct thread_wire, regs, true),
	TLV_FIELD(CRFMT_THR_PENDING, TLV_BLOB, struct thread_wire, pending,
		  true),
};

void crfmt_thread_init(struct crfmt_thread *t)
{
	memset(t, 0, sizeof(*t));
	t->slot_thread = CRFMT_NO_SLOT;
	t->slot_gate = CRFMT_NO_SLOT;
	t->slot_pager = CRFMT_NO_SLOT;
	t->slot_irq = CRFMT_NO_SLOT;
}

void crfmt_thread_encode(struct tlv_writer *w, struct crfmt_thread const *t)
{
	size_t mark = tlv_begin(w, CRFMT_THREADS_THREAD), sub;

	tlv_put_u64(w, CRFMT_THR_INDEX, t->index);
	crfmt_put_str(w, CRFMT_THR_NAME, t->name, sizeof(t->name));
	crfmt_put_opt(w, CRFMT_THR_FLAGS, t->flags, 0);
	crfmt_put_opt(w, CRFMT_THR_SLOT_THREAD, t->slot_thread, CRFMT_NO_SLOT);
	crfmt_put_opt(w, CRFMT_THR_SLOT_GATE, t->slot_gate, CRFMT_NO_SLOT);
	crfmt_put_opt(w, CRFMT_THR_SLOT_PAGER, t->slot_pager, CRFMT_NO_SLOT);
	crfmt_put_opt(w, CRFMT_THR_SLOT_IRQ, t->slot_irq, CRFMT_NO_SLOT);
	crfmt_put_opt(w, CRFMT_THR_VID, t->vid, 0);
	crfmt_put_opt(w, CRFMT_THR_IRQ_VID, t->irq_vid, 0);
	crfmt_put_opt(w, CRFMT_THR_VID_NEXT, t->vid_next, 0);
	crfmt_put_opt(w, CRFMT_THR_IRQ_PENDING, t->irq_pending, 0);
	sub = tlv_begin(w, CRFMT_THR_REGS);
	tlv_encode(w, reg_fields, CRFMT_N(reg_fields), &t->state.regs);
	tlv_end(w, sub);
	sub = tlv_begin(w, CRFMT_THR_PENDING);
	tlv_encode(w, pending_fields, CRFMT_N(pending_fields),
		   &t->state.pending);
	tlv_end(w, sub);
	tlv_put_blob(w, CRFMT_THR_FPU, t->state.fpu, sizeof(t->state.fpu));
	tlv_put_blob(w, CRFMT_THR_UTCB, t->state.utcb, sizeof(t->state.utcb));
	tlv_end(w, mark);
}

enum crfmt_status crfmt_threads_next(struct crfmt_iter *it,
				     struct crfmt_thread *t,
				     struct crfmt_err *err)
{
	struct thread_wire wire = { .t = t };
	struct tlv_item item;
	struct tlv_err terr;
	enum crfmt_status st;

	if ((st = crfmt_iter_item(it, CRFMT_THREADS_THREAD, &item, err)))
		return st;
	crfmt_thread_init(t);
	if (tlv_decode(item.val, item.len, thread_fields,
		       CRFMT_N(thread_fields), t, &terr) ||
	    tlv_decode(item.val, item.len, thread_parts,
		       CRFMT_N(thread_parts), &wire, &terr))
		return crfmt_tlv_fail(err, "thread", item.offset, &terr);
	if (tlv_decode(wire.regs.data, wire.regs.len, reg_fields,
		       CRFMT_N(reg_fields), &t->state.regs, &terr))
		return crfmt_fail(err, CRFMT_ERR_RECORD,
				  "thread %u: registers: %s", t->index,
				  terr.msg);
	if (tlv_decode(wire.pending.data, wire.pending.len, pending_fields,
		       CRFMT_N(pending_fields), &t->state.pending, &terr))
		return crfmt_fail(err, CRFMT_ERR_RECORD,
				  "thread %u: pending call: %s", t->index,
				  terr.msg);
	if (t->flags & ~CRFMT_THREAD_FLAGS_KNOWN)
		return crfmt_fail(err, CRFMT_ERR_VALUE,
				  "thread %u: unknown flags 0x%llx", t->index,
				  (unsigned long long)(t->flags &
						       ~CRFMT_THREAD_FLAGS_KNOWN));
	if ((st = crfmt_iter_key(it, t->index, "thread", item.offset, err)))
		return st;
	return crfmt_ok(err);
}

char const *crfmt_reg_name(unsigned i)
{
	return i < CRFMT_REGS_COUNT ? reg_fields[i].name : NULL;
}

char const *crfmt_pending_name(unsigned i)
{
	return i < CRFMT_PENDING_COUNT ? pending_fields[i].name : NULL;
}

char const *crfmt_pending_kind_name(uint64_t kind)
{
	switch (kind) {
	case L4X_PENDING_NONE:
		return "none";
	case L4X_PENDING_SEND:
		return "send";
	case L4X_PENDING_RECV:
		return "recv";
	case L4X_PENDING_WAIT:
		return "wait";
	case L4X_PENDING_RESULT:
		return "result";
	}
	return NULL;
}

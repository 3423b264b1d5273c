/*
 * l4/sys/x.h — recap's host extensions to the l4sys interface (prefix l4x_).
 *
 * A user-level kernel on Linux needs a few operations a hardware kernel gets
 * for free: putting host memory (memfd dataspaces) into a task, reading and
 * writing a paused thread's complete register state, iterating a capability
 * space in O(used slots), and tracking written pages. They are invocations of
 * the kernel's host object; the kernel refuses them (-L4_EPERM) to anyone
 * who does not hold a capability to that object with W. The root task gets
 * it at L4X_BASE_HOST_CAP and may delegate it.
 *
 * Unlike Fiasco's kernel-object calls, these take the objects they act on as
 * selectors in the caller's own capability space (in message registers), not
 * as map items: the caller already holds them, and no transfer is wanted.
 */
#pragma once

#include <l4/sys/types.h>
#include <l4/sys/consts.h>
#include <l4/sys/utcb.h>
#include <l4/sys/ipc.h>
#include <l4/sys/syscall_impl.h>

/* Slot of the host-extension object in the root task. */
#define L4X_BASE_HOST_CAP (0xfUL << L4_CAP_SHIFT)

/* Protocol label of host-extension calls. */
#define L4X_PROTO_HOST (-100L)

/* The part of a stub task's address space that belongs to the component. */
#define L4X_TASK_VM_START 0x10000000UL
#define L4X_TASK_VM_END 0x500000000000UL

enum l4x_host_op {
	L4X_HOST_DS_MAP = 1,	  /* mr1 task, mr2 addr, mr3 size, mr4 offset, mr5 rights; fd passed */
	L4X_HOST_DS_UNMAP = 2,	  /* mr1 task, mr2 addr, mr3 size */
	L4X_HOST_THREAD_PAUSE = 3,  /* mr1 thread */
	L4X_HOST_THREAD_RESUME = 4, /* mr1 thread */
	L4X_HOST_STATE_GET = 5,	  /* mr1 thread, mr2 part -> mr0.. part */
	L4X_HOST_STATE_SET = 6,	  /* mr1 thread, mr2 part, mr3.. part; part 0 commits */
	L4X_HOST_CAP_NEXT = 7,	  /* mr1 task, mr2 selector -> label: next used selector */
	L4X_HOST_CAP_INFO = 8,	  /* mr1 task, mr2 selector -> mr0 kind, mr1 rights, mr2 id, mr3 obj id */
	L4X_HOST_DIRTY = 9,	  /* mr1 task, mr2 addr, mr3 pages (<= L4X_DIRTY_MAX_PAGES), mr4 flags -> bitmap */
	L4X_HOST_TASK_INFO = 10,  /* mr1 task -> mr0 pid, mr1 threads, mr2 used slots */
	L4X_HOST_IRQ_BIND_FD = 11, /* mr1 irq; fd passed: fd readable triggers the irq */
	L4X_HOST_IRQ_INFO = 12,	  /* mr1 task, mr2 selector -> mr0 pending, mr1 label, mr2 thread id */
};

/* Object kinds reported by l4x_cap_info (kernel/kobj.h mirrors these). */
enum l4x_obj_kind {
	L4X_KIND_NONE = 0,
	L4X_KIND_TASK = 1,
	L4X_KIND_THREAD = 2,
	L4X_KIND_GATE = 3,
	L4X_KIND_IRQ = 4,
	L4X_KIND_FACTORY = 5,
	L4X_KIND_LOG = 6,
	L4X_KIND_HOST = 7,
};

/*
 * A thread's general registers, in the order of Linux's user_regs_struct
 * for x86-64 (so the kernel can move them with one copy).
 */
struct l4x_regs {
	l4_umword_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	l4_umword_t rax, rcx, rdx, rsi, rdi, orig_rax;
	l4_umword_t rip, cs, rflags, rsp, ss;
	l4_umword_t fs_base, gs_base, ds, es, fs, gs;
};

/*
 * What a thread was doing in the kernel when it was paused. Register state
 * alone cannot say this: a thread blocked in a call sits in read() on its
 * channel either way, whether its partner has taken the message or not.
 */
enum l4x_pending_kind {
	L4X_PENDING_NONE = 0,	/* computing, or about to enter the kernel */
	L4X_PENDING_SEND = 1,	/* send phase: not yet taken by a receiver */
	L4X_PENDING_RECV = 2,	/* receive phase (reply of a call, closed wait, IRQ) */
	L4X_PENDING_WAIT = 3,	/* open wait */
	L4X_PENDING_RESULT = 4,	/* the kernel answered; the thread has not read it yet */
};

struct l4x_pending {
	l4_umword_t kind;	/* enum l4x_pending_kind */
	l4_umword_t dest;	/* the call's dest|flags word (rdx) */
	l4_umword_t label;	/* the call's label word (rsi) */
	l4_umword_t tag;	/* the call's tag (rax); for RESULT: the result tag */
	l4_umword_t timeout;	/* the call's timeout word (r8) */
	l4_umword_t remaining_us; /* time left of a finite timeout, ~0 = none */
	l4_umword_t partner_id;	/* kernel id of the thread we wait on / owe a reply */
	l4_umword_t reply_to_id; /* kernel id of the caller this thread owes a reply */
	l4_umword_t result_label; /* for RESULT: the result label */
	l4_umword_t self_id;	/* kernel id of the thread this state was read from */
};

#define L4X_FPU_SIZE 512	/* fxsave image: x87 and SSE state */

/*
 * The complete state of a thread. The UTCB is part of it: a thread paused in
 * a call has its message registers there, and the UTCB area is kernel
 * memory no dataspace covers.
 */
struct l4x_thread_state {
	struct l4x_regs regs;
	struct l4x_pending pending;
	l4_uint8_t fpu[L4X_FPU_SIZE] __attribute__((aligned(16)));
	l4_uint8_t utcb[L4_UTCB_OFFSET];
};

/*
 * A state moves in parts, each fitting the message registers: part 0 is
 * regs + pending (on set, it commits), parts 1.. are L4X_STATE_CHUNK_WORDS
 * words of the byte block fpu + utcb.
 */
#define L4X_STATE_PART_REGS 0
#define L4X_STATE_CHUNK_WORDS 32
#define L4X_STATE_BLOB_SIZE (L4X_FPU_SIZE + L4_UTCB_OFFSET)
#define L4X_STATE_PARTS (1 + L4X_STATE_BLOB_SIZE / (L4X_STATE_CHUNK_WORDS * 8))

/* Dirty-tracking flags. */
#define L4X_DIRTY_RESET 1UL	/* restart tracking of the range after reading */
#define L4X_DIRTY_MAX_PAGES (62UL * 64UL)

/* ---- IMPLEMENTATION ---------------------------------------------------- */

L4_INLINE l4_msgtag_t
l4x_host_call_u(l4_cap_idx_t host, unsigned words, l4_utcb_t *u)
{
	return l4_ipc_call(host, u, l4_msgtag(L4X_PROTO_HOST, words, 0, 0),
			   L4_IPC_NEVER);
}

/*
 * Map size bytes of the memfd ds_fd at offset into task at addr with the
 * rights L4_FPAGE_RO / RW / RX / RWX. Only host tasks can pass descriptors.
 */
L4_INLINE long
l4x_ds_map(l4_cap_idx_t host, l4_cap_idx_t task, int ds_fd, l4_addr_t addr,
	   l4_umword_t size, l4_umword_t offset, unsigned rights)
{
	l4_utcb_t *u = l4_utcb();
	l4_msg_regs_t *m = l4_utcb_mr_u(u);
	m->mr[0] = L4X_HOST_DS_MAP;
	m->mr[1] = task;
	m->mr[2] = addr;
	m->mr[3] = size;
	m->mr[4] = offset;
	m->mr[5] = rights;
	return l4_error(l4x_syscall_fd(u, host | L4_SYSF_CALL, 0,
				       l4_msgtag(L4X_PROTO_HOST, 6, 0, 0),
				       L4_IPC_NEVER, 0, ds_fd));
}

L4_INLINE long
l4x_ds_unmap(l4_cap_idx_t host, l4_cap_idx_t task, l4_addr_t addr,
	     l4_umword_t size)
{
	l4_utcb_t *u = l4_utcb();
	l4_msg_regs_t *m = l4_utcb_mr_u(u);
	m->mr[0] = L4X_HOST_DS_UNMAP;
	m->mr[1] = task;
	m->mr[2] = addr;
	m->mr[3] = size;
	return l4_error(l4x_host_call_u(host, 4, u));
}

L4_INLINE long
l4x_thread_pause(l4_cap_idx_t host, l4_cap_idx_t thread)
{
	l4_utcb_t *u = l4_utcb();
	l4_utcb_mr_u(u)->mr[0] = L4X_HOST_THREAD_PAUSE;
	l4_utcb_mr_u(u)->mr[1] = thread;
	return l4_error(l4x_host_call_u(host, 2, u));
}

L4_INLINE long
l4x_thread_resume(l4_cap_idx_t host, l4_cap_idx_t thread)
{
	l4_utcb_t *u = l4_utcb();
	l4_utcb_mr_u(u)->mr[0] = L4X_HOST_THREAD_RESUME;
	l4_utcb_mr_u(u)->mr[1] = thread;
	return l4_error(l4x_host_call_u(host, 2, u));
}

/* Word copies that stay freestanding (no memcpy in components). */
L4_INLINE void
l4x_copy_words(l4_umword_t *dst, l4_umword_t const *src, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		dst[i] = src[i];
}

#define L4X_REGS_WORDS (sizeof(struct l4x_regs) / sizeof(l4_umword_t))
#define L4X_PENDING_WORDS (sizeof(struct l4x_pending) / sizeof(l4_umword_t))

/* Read a paused thread's complete state: registers, FPU/SSE, UTCB, pending
 * call. -L4_EBUSY: it is in a fault its handler has not answered yet. */
L4_INLINE long
l4x_thread_state_get(l4_cap_idx_t host, l4_cap_idx_t thread,
		     struct l4x_thread_state *s)
{
	l4_utcb_t *u = l4_utcb();
	l4_msg_regs_t *m = l4_utcb_mr_u(u);
	for (unsigned part = 0; part < L4X_STATE_PARTS; part++) {
		m->mr[0] = L4X_HOST_STATE_GET;
		m->mr[1] = thread;
		m->mr[2] = part;
		long err = l4_error(l4x_host_call_u(host, 3, u));
		if (err < 0)
			return err;
		if (part == L4X_STATE_PART_REGS) {
			l4x_copy_words((l4_umword_t *)&s->regs, &m->mr[0],
				       L4X_REGS_WORDS);
			l4x_copy_words((l4_umword_t *)&s->pending,
				       &m->mr[L4X_REGS_WORDS], L4X_PENDING_WORDS);
		} else {
			l4x_copy_words((l4_umword_t *)s->fpu +
					       (part - 1) * L4X_STATE_CHUNK_WORDS,
				       &m->mr[0], L4X_STATE_CHUNK_WORDS);
		}
	}
	return 0;
}

/*
 * Write a thread's complete state. The thread must be paused, or created and
 * bound but never started. The pending call is re-entered in the kernel:
 * a SEND is queued again on its destination, a RECV waits again for its
 * partner (found by kernel id; if that thread was itself re-created, its new
 * incarnation), a WAIT waits again, a RESULT is delivered again.
 */
L4_INLINE long
l4x_thread_state_set(l4_cap_idx_t host, l4_cap_idx_t thread,
		     struct l4x_thread_state const *s)
{
	l4_utcb_t *u = l4_utcb();
	l4_msg_regs_t *m = l4_utcb_mr_u(u);
	for (int part = L4X_STATE_PARTS - 1; part >= 0; part--) {
		unsigned words;
		m->mr[0] = L4X_HOST_STATE_SET;
		m->mr[1] = thread;
		m->mr[2] = (l4_umword_t)part;
		if (part == L4X_STATE_PART_REGS) {
			l4x_copy_words(&m->mr[3], (l4_umword_t const *)&s->regs,
				       L4X_REGS_WORDS);
			l4x_copy_words(&m->mr[3 + L4X_REGS_WORDS],
				       (l4_umword_t const *)&s->pending,
				       L4X_PENDING_WORDS);
			words = 3 + L4X_REGS_WORDS + L4X_PENDING_WORDS;
		} else {
			l4x_copy_words(&m->mr[3],
				       (l4_umword_t const *)s->fpu +
					       (part - 1) * L4X_STATE_CHUNK_WORDS,
				       L4X_STATE_CHUNK_WORDS);
			words = 3 + L4X_STATE_CHUNK_WORDS;
		}
		long err = l4_error(l4x_host_call_u(host, words, u));
		if (err < 0)
			return err;
	}
	return 0;
}

/*
 * The first used slot at or after selector from in task, as a selector;
 * L4_INVALID_CAP when there is none. Iterating from 0 visits exactly the
 * used slots.
 */
L4_INLINE l4_cap_idx_t
l4x_cap_next(l4_cap_idx_t host, l4_cap_idx_t task, l4_cap_idx_t from)
{
	l4_utcb_t *u = l4_utcb();
	l4_utcb_mr_u(u)->mr[0] = L4X_HOST_CAP_NEXT;
	l4_utcb_mr_u(u)->mr[1] = task;
	l4_utcb_mr_u(u)->mr[2] = from;
	l4_msgtag_t t = l4x_host_call_u(host, 3, u);
	if (l4_msgtag_has_error(t) || l4_msgtag_label(t) < 0)
		return L4_INVALID_CAP;
	return l4_utcb_mr_u(u)->mr[0];
}

struct l4x_cap_info {
	l4_umword_t kind;	/* enum l4x_obj_kind; L4X_KIND_NONE if empty */
	l4_umword_t rights;	/* L4_CAP_FPAGE_R | W | S | D */
	l4_umword_t id;		/* kernel object id, unique, never reused */
	l4_umword_t obj_id;	/* gate / IRQ label, ~0UL for other kinds */
};

L4_INLINE long
l4x_cap_info(l4_cap_idx_t host, l4_cap_idx_t task, l4_cap_idx_t sel,
	     struct l4x_cap_info *info)
{
	l4_utcb_t *u = l4_utcb();
	l4_msg_regs_t *m = l4_utcb_mr_u(u);
	m->mr[0] = L4X_HOST_CAP_INFO;
	m->mr[1] = task;
	m->mr[2] = sel;
	long err = l4_error(l4x_host_call_u(host, 3, u));
	if (err < 0)
		return err;
	info->kind = m->mr[0];
	info->rights = m->mr[1];
	info->id = m->mr[2];
	info->obj_id = m->mr[3];
	return 0;
}

/*
 * Which of the pages [addr, addr + pages * L4_PAGESIZE) of task were written
 * since tracking of them last started (the first map of a page starts it;
 * L4X_DIRTY_RESET restarts it). Bit i of bitmap[i / 64] is page i.
 * Returns the number of dirty pages or a negative error.
 */
L4_INLINE long
l4x_dirty_pages(l4_cap_idx_t host, l4_cap_idx_t task, l4_addr_t addr,
		l4_umword_t pages, l4_umword_t flags, l4_umword_t *bitmap)
{
	l4_utcb_t *u = l4_utcb();
	l4_msg_regs_t *m = l4_utcb_mr_u(u);
	if (pages > L4X_DIRTY_MAX_PAGES)
		return -L4_ERANGE;
	m->mr[0] = L4X_HOST_DIRTY;
	m->mr[1] = task;
	m->mr[2] = addr;
	m->mr[3] = pages;
	m->mr[4] = flags;
	l4_msgtag_t t = l4x_host_call_u(host, 5, u);
	long err = l4_error(t);
	if (err < 0)
		return err;
	l4x_copy_words(bitmap, &m->mr[0], (unsigned)((pages + 63) / 64));
	return err;
}

struct l4x_task_info {
	l4_umword_t pid;	/* Linux process of the task's stub (0: none) */
	l4_umword_t threads;	/* threads bound to the task */
	l4_umword_t used_slots;	/* used capability slots */
};

L4_INLINE long
l4x_task_info(l4_cap_idx_t host, l4_cap_idx_t task, struct l4x_task_info *ti)
{
	l4_utcb_t *u = l4_utcb();
	l4_msg_regs_t *m = l4_utcb_mr_u(u);
	m->mr[0] = L4X_HOST_TASK_INFO;
	m->mr[1] = task;
	long err = l4_error(l4x_host_call_u(host, 2, u));
	if (err < 0)
		return err;
	ti->pid = m->mr[0];
	ti->threads = m->mr[1];
	ti->used_slots = m->mr[2];
	return 0;
}

/* An IRQ's state, as l4x_irq_info reads it. */
struct l4x_irq_info {
	l4_umword_t pending;	/* triggers counted but not yet delivered */
	l4_umword_t label;	/* the label it is attached with */
	l4_umword_t thread_id;	/* kernel id of the attached thread, 0: none */
};

/*
 * The state of the IRQ at selector sel of task: what a checkpoint needs so
 * that a restore loses no signal (it triggers the new IRQ `pending` times).
 * -L4_EINVAL if sel names no IRQ.
 */
L4_INLINE long
l4x_irq_info(l4_cap_idx_t host, l4_cap_idx_t task, l4_cap_idx_t sel,
	     struct l4x_irq_info *info)
{
	l4_utcb_t *u = l4_utcb();
	l4_msg_regs_t *m = l4_utcb_mr_u(u);
	m->mr[0] = L4X_HOST_IRQ_INFO;
	m->mr[1] = task;
	m->mr[2] = sel;
	long err = l4_error(l4x_host_call_u(host, 3, u));
	if (err < 0)
		return err;
	info->pending = m->mr[0];
	info->label = m->mr[1];
	info->thread_id = m->mr[2];
	return 0;
}

/*
 * Let a host descriptor (passed with the call; host tasks only) trigger an
 * IRQ: whenever fd is readable the IRQ is triggered once, then masked until
 * the receiver acknowledges it (l4_irq_receive, l4_irq_wait and
 * l4_irq_unmask do). A host task serving a Unix socket — core answering the
 * recap command — waits for it in its ordinary IPC loop this way.
 */
L4_INLINE long
l4x_irq_bind_fd(l4_cap_idx_t host, l4_cap_idx_t irq, int fd)
{
	l4_utcb_t *u = l4_utcb();
	l4_msg_regs_t *m = l4_utcb_mr_u(u);
	m->mr[0] = L4X_HOST_IRQ_BIND_FD;
	m->mr[1] = irq;
	return l4_error(l4x_syscall_fd(u, host | L4_SYSF_CALL, 0,
				       l4_msgtag(L4X_PROTO_HOST, 2, 0, 0),
				       L4_IPC_NEVER, 0, fd));
}

/*
 * Holding a gate (recap extension of the IPC gate protocol, L4_PROTO_KOBJECT
 * like bind, and like bind only through a capability carrying
 * L4_FPAGE_C_IPCGATE_SVR): a held gate outlives the death of the thread it
 * is bound to without failing its callers. When that thread is deleted,
 * the calls queued on it through this gate, and every call made through
 * the gate afterwards, wait on the gate itself (send phase, their own
 * timeouts) until the gate is bound to a thread again, which takes them
 * in order. Core holds the entrypoint gates of a component being replaced
 * by its restore (docs/cr.md, "Restoring a server under its clients").
 * mr0 = L4X_IPC_GATE_HOLD_OP, mr1 = 1 (hold) or 0 (let go).
 */
#define L4X_IPC_GATE_HOLD_OP 0x18

L4_INLINE long
l4x_ipc_gate_hold(l4_cap_idx_t gate, int hold)
{
	l4_msg_regs_t *v = l4_utcb_mr();

	v->mr[0] = L4X_IPC_GATE_HOLD_OP;
	v->mr[1] = hold ? 1 : 0;
	return l4_error(l4_ipc_call(gate, l4_utcb(),
				    l4_msgtag(L4_PROTO_KOBJECT, 2, 0, 0), L4_IPC_NEVER));
}

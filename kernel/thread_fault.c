/*
 * thread_fault — page faults and exceptions of a thread, delivered as IPC.
 *
 * A fault stops the Linux thread (ptrace signal-delivery stop). The kernel
 * then makes a call on the thread's behalf to its pager (a page fault inside
 * the component range) or its exception handler (anything else), exactly as
 * Fiasco.OC does: the message is built in the thread's UTCB, whose message
 * registers are saved around the call and restored afterwards, so a fault
 * in the middle of composing a message does not destroy it.
 *
 * When the handler replies, the thread retries the faulting instruction
 * (page fault) or continues from the registers in the reply (exception).
 * A fault nobody can handle (no handler, handler gone) ends the thread and
 * is reported on recapd's standard error; other threads and tasks go on.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <l4/sys/consts.h>
#include <l4/sys/ipc.h>

#include "ipc.h"
#include "task.h"
#include "thread.h"

/* x86 vector numbers reported for the Linux signals that stand for them. */
static l4_umword_t thread_fault_trapno(int signo)
{
	switch (signo) {
	case SIGFPE:  return 0;		/* #DE */
	case SIGTRAP: return 3;		/* #BP */
	case SIGILL:  return 6;		/* #UD */
	case SIGBUS:  return 17;	/* #AC */
	case SIGSEGV: return 13;	/* #GP (a page fault outside the component range) */
	case SIGSYS:  return 0x80;	/* a forbidden host system call */
	default:      return 0xff;
	}
}

static void thread_fault_unhandled(struct thread *th, char const *why)
{
	fprintf(stderr, "recapd: thread %llu: unhandled %s at ip 0x%lx (pfa 0x%lx): thread stopped\n",
		(unsigned long long)th->kobj.id,
		th->fault == THREAD_FAULT_PAGE ? "page fault" : "exception",
		(unsigned long)th->fault_regs.rip, (unsigned long)th->fault_pfa);
	(void)why;
	th->fault = THREAD_FAULT_NONE;
	if (th->host && !th->dead)
		host_thread_kill(th->host);
	th->host = NULL;
	th->dead = true;
}

static void thread_fault_exc_regs(struct thread *th, int signo, l4_exc_regs_t *e)
{
	struct l4x_regs const *r = &th->fault_regs;
	memset(e, 0, sizeof(*e));
	e->r15 = r->r15; e->r14 = r->r14; e->r13 = r->r13; e->r12 = r->r12;
	e->r11 = r->r11; e->r10 = r->r10; e->r9 = r->r9; e->r8 = r->r8;
	e->rdi = r->rdi; e->rsi = r->rsi; e->rbp = r->rbp;
	e->rbx = r->rbx; e->rdx = r->rdx; e->rcx = r->rcx; e->rax = r->rax;
	e->pfa = th->fault_pfa;
	e->trapno = thread_fault_trapno(signo);
	e->ip = r->rip; e->cs = r->cs; e->flags = r->rflags;
	e->sp = r->rsp; e->ss = r->ss;
	e->fs_base = r->fs_base; e->gs_base = r->gs_base;
}

/* Take the handler's register changes (an exception reply) back. */
static void thread_fault_apply(struct thread *th, l4_exc_regs_t const *e)
{
	struct l4x_regs *r = &th->fault_regs;
	r->r15 = e->r15; r->r14 = e->r14; r->r13 = e->r13; r->r12 = e->r12;
	r->r11 = e->r11; r->r10 = e->r10; r->r9 = e->r9; r->r8 = e->r8;
	r->rdi = e->rdi; r->rsi = e->rsi; r->rbp = e->rbp;
	r->rbx = e->rbx; r->rdx = e->rdx; r->rcx = e->rcx; r->rax = e->rax;
	r->rip = e->ip; r->rsp = e->sp;
	/* Only the arithmetic and direction flags are the handler's to change. */
	r->rflags = (r->rflags & ~0xcd5UL) | (e->flags & 0xcd5UL);
	if (th->host && !th->dead)
		host_thread_set_regs(th->host, r, NULL);
}

void thread_fault(struct thread *th, struct host_event const *ev)
{
	bool page = ev->signo == SIGSEGV && ev->addr >= L4X_TASK_VM_START &&
		    ev->addr < L4X_TASK_VM_END;
	l4_msg_regs_t *mr = l4_utcb_mr_u(th->utcb);
	l4_msgtag_t tag;

	th->fault = page ? THREAD_FAULT_PAGE : THREAD_FAULT_EXCEPTION;
	th->fault_regs = ev->regs;
	th->fault_pfa = ev->addr;
	l4_cap_idx_t handler = page ? th->pager : th->exc_handler;
	/* Only a thread or a gate can answer a fault: a kernel object would
	 * reply at once, the thread would fault again, for ever. */
	struct kobj *h = th->task ? task_lookup(th->task, handler, KOBJ_NONE, NULL) : NULL;
	if (th->ipc != THREAD_IPC_NONE || !h ||
	    (h->kind != KOBJ_THREAD && h->kind != KOBJ_GATE)) {
		thread_fault_unhandled(th, "no handler");
		return;
	}
	memcpy(th->fault_saved_mr, mr->mr, sizeof(th->fault_saved_mr));
	if (page) {
		mr->mr[0] = (ev->addr & ~7UL) | (ev->write ? 2 : 0);
		mr->mr[1] = ev->regs.rip;
		tag = l4_msgtag(L4_PROTO_PAGE_FAULT, 2, 0, 0);
	} else {
		thread_fault_exc_regs(th, ev->signo, (l4_exc_regs_t *)mr->mr);
		tag = l4_msgtag(L4_PROTO_EXCEPTION, L4_UTCB_EXCEPTION_REGS_SIZE, 0, 0);
	}
	th->req = (struct l4x_sys_req){
		.dest = handler | L4_SYSF_CALL,
		.tag = (l4_umword_t)tag.raw,
		.timeout = L4_IPC_NEVER.raw,
	};
	ipc_syscall(th);
}

void thread_fault_done(struct thread *th, l4_msgtag_t tag)
{
	l4_msg_regs_t *mr = l4_utcb_mr_u(th->utcb);
	if (l4_msgtag_has_error(tag)) {
		memcpy(mr->mr, th->fault_saved_mr, sizeof(th->fault_saved_mr));
		thread_fault_unhandled(th, "handler failed");
		return;
	}
	if (th->fault == THREAD_FAULT_EXCEPTION &&
	    l4_msgtag_words(tag) >= L4_UTCB_EXCEPTION_REGS_SIZE)
		thread_fault_apply(th, (l4_exc_regs_t const *)mr->mr);
	memcpy(mr->mr, th->fault_saved_mr, sizeof(th->fault_saved_mr));
	th->fault = THREAD_FAULT_NONE;
	if (!th->paused && th->host && !th->dead)
		host_thread_resume(th->host);
}

/*
 * cpu.c — core's CPU service (cpu.h; protocol: recap/cpu_session.h).
 *
 * A thread is made as Genode core makes one on Fiasco.OC (platform_pd.cc
 * bind_thread, platform_thread.cc start) and as pd.c makes the main
 * thread: a pager object of its own, mapped at the thread's pager slot;
 * the kernel thread with pager = exception handler = that slot, bound to
 * its UTCB; its own gate (a fresh badge) and its IRQ (attached, label 0)
 * at their thread slots. Its stack is not core's: the runtime allocates it
 * as a RAM dataspace and attaches it in the stack area through its RM
 * session, so that everything in the address space is a dataspace the
 * PD's parent sees (recap/cpu_session.h).
 * Core keeps the kernel thread: the client gets the thread capability, an
 * object of core's that names the record below, and nothing that could
 * control the thread behind core's back.
 *
 * Every kernel call here uses core's message registers, where the request
 * still is: handlers read all their arguments first.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <l4/sys/consts.h>
#include <l4/sys/factory.h>
#include <l4/sys/rcv_endpoint.h>
#include <l4/sys/task.h>
#include <l4/sys/thread.h>
#include <l4/sys/x.h>

#include <recap/cap_layout.h>
#include <recap/cpu_session.h>
#include <recap/err.h>
#include <recap/layout.h>

#include "cap_quota.h"
#include "cap_sel.h"
#include "child.h"
#include "cpu.h"
#include "diag.h"
#include "pager.h"
#include "region_map.h"
#include "dataspace.h"
#include "session.h"
#include "signal.h"
#include "thread_state.h"

struct cpu_session;

struct cpu_thread {
	struct rpc_object obj;		/* the thread capability */
	struct rpc_object pager;	/* its pager, at (index, PAGER) */
	struct cpu_session *session;	/* the session it belongs to */
	char name[RECAP_THREAD_NAME_MAX + 1];
	unsigned long index;		/* thread-area slots, UTCB, stack */
	l4_cap_idx_t thread;		/* core's selectors, L4_INVALID_CAP if none: */
	l4_cap_idx_t gate;		/*  its gate (label gate_badge) */
	l4_cap_idx_t irq;		/*  its IRQ */
	recap_badge_t gate_badge;
	bool started;
	bool paused;			/* by PAUSE, until RESUME */
	struct cpu_thread *next;	/* the session's threads */
};

struct cpu_session {
	struct session s;
	struct cpu_thread *threads;
	recap_badge_t exc_sigh;		/* signalled when one faults; 0: none */
};

static void cpu_destroy(struct session *s);

/* s as a CPU session, or NULL if it is another service's. */
static struct cpu_session *as_cpu(struct session *s)
{
	return s->destroy == cpu_destroy ?
		       core_container_of(s, struct cpu_session, s) : NULL;
}

/* The thread of one of c's CPU sessions with that index, or NULL. */
static struct cpu_thread *thread_by_index(struct child *c, unsigned long index)
{
	for (struct session *s = c->sessions; s; s = s->next) {
		struct cpu_session *cs = as_cpu(s);

		for (struct cpu_thread *t = cs ? cs->threads : NULL; t; t = t->next)
			if (t->index == index)
				return t;
	}
	return NULL;
}

/*
 * The lowest thread index c's PD does not use; RECAP_THREAD_MAX if all are
 * taken. A PD core made from an ELF file has its main thread at 0; an empty
 * PD made for a component's child (child_pd.h) has none, so its first
 * thread, the one its parent starts at the entry, becomes thread 0.
 */
static unsigned long index_alloc(struct child *c)
{
	unsigned long i = l4_is_valid_cap(c->pd.thread) ? 1 : 0;

	for (; i < RECAP_THREAD_MAX; i++)
		if (!thread_by_index(c, i))
			return i;
	return RECAP_THREAD_MAX;
}

bool cpu_thread_by_gate(struct child *c, recap_badge_t badge,
			l4_cap_idx_t *thread, l4_cap_idx_t *gate)
{
	if (!badge || badge == RECAP_BADGE_INVALID)
		return false;
	if (c->pd.thread_badge == badge && l4_is_valid_cap(c->pd.thread_gate)) {
		*thread = c->pd.thread;
		*gate = c->pd.thread_gate;
		return true;
	}
	for (struct session *s = c->sessions; s; s = s->next) {
		struct cpu_session *cs = as_cpu(s);

		for (struct cpu_thread *t = cs ? cs->threads : NULL; t; t = t->next) {
			if (t->gate_badge == badge) {
				*thread = t->thread;
				*gate = t->gate;
				return true;
			}
		}
	}
	return false;
}

l4_cap_idx_t cpu_thread_kcap(struct child *c, unsigned long index)
{
	struct cpu_thread *t;

	if (index == 0 && l4_is_valid_cap(c->pd.thread))
		return c->pd.thread;
	t = thread_by_index(c, index);
	return t ? t->thread : L4_INVALID_CAP;
}

/* Delete an object core made (it holds D): every copy everywhere empties. */
static void delete_object(l4_cap_idx_t *sel)
{
	if (!l4_is_valid_cap(*sel))
		return;
	l4_task_delete_obj(L4_BASE_TASK_CAP, *sel);
	cap_sel_free(*sel);
	*sel = L4_INVALID_CAP;
}

/* Undo whatever of t exists and free it (t is in no list any more). */
static void thread_destroy(struct cpu_thread *t)
{
	/* The thread first: it must not run on while its slots go. */
	delete_object(&t->thread);
	delete_object(&t->gate);
	delete_object(&t->irq);
	rpc_object_detach(&t->pager);
	rpc_object_detach(&t->obj);
	cap_quota_release(t->session->s.client, CAP_QUOTA_THREAD);
	free(t);
}

/* A thread capability takes no calls of its own: it is a name. */
static int thread_dispatch(struct rpc_object *obj, struct rpc_request *req)
{
	(void)obj;
	(void)req;
	return RECAP_ERR_INVAL;
}

static int thread_pager_dispatch(struct rpc_object *obj, struct rpc_request *req)
{
	struct cpu_thread *t = core_container_of(obj, struct cpu_thread, pager);
	recap_badge_t sigh = t->session->exc_sigh;
	int r;

	/* A fault a managed region map's handler takes: no crash, no signal. */
	if (pager_hold(t->session->s.client, t->thread, req))
		return RPC_NO_REPLY;
	/* Thread 0 is a PD's main thread, reported as core's main threads
	 * are. May end the child, which frees t: nothing of t after this. */
	r = pager_fault(t->session->s.client, t->index ? t->name : NULL, req);
	/* A fault (not a malformed message): the session's handler hears of
	 * it too; a context of the ended child itself is gone already. */
	if (r == RPC_NO_REPLY && sigh)
		signal_submit(sigh);
	return r;
}

static long new_object(l4_cap_idx_t *sel, l4_msgtag_t msg)
{
	long err = l4_error(msg);

	if (err < 0) {
		cap_sel_free(*sel);
		*sel = L4_INVALID_CAP;
	}
	return err;
}

static int failed(struct child *c, char const *what, long err)
{
	diag("%s: %s failed (%ld)", c->name, what, err);
	return err < 0 && err > -4096 ? (int)err : RECAP_ERR_NOMEM;
}

/* Make the kernel thread, bound and with its pager; not started. */
static long make_thread(struct cpu_thread *t, struct pd *pd)
{
	l4_cap_idx_t pager = recap_slot_sel(recap_thread_slot(t->index,
							      RECAP_THREAD_PAGER));
	long err;

	t->thread = cap_sel_alloc();
	if (!l4_is_valid_cap(t->thread))
		return -L4_ENOMEM;
	err = new_object(&t->thread, l4_factory_create_thread(L4_BASE_FACTORY_CAP,
							      t->thread));
	if (err < 0)
		return err;
	l4_thread_control_start();
	l4_thread_control_pager(pager);
	l4_thread_control_exc_handler(pager);
	l4_thread_control_bind((l4_utcb_t *)recap_utcb_addr(t->index), pd->task);
	return l4_error(l4_thread_control_commit(t->thread));
}

/* Its gate and IRQ, made and mapped at its thread slots. */
static long make_gate_irq(struct cpu_thread *t, struct pd *pd)
{
	long err;

	t->gate = cap_sel_alloc();
	if (!l4_is_valid_cap(t->gate))
		return -L4_ENOMEM;
	if (!t->gate_badge)	/* not a granted wish */
		t->gate_badge = rpc_badge_alloc();
	err = new_object(&t->gate, l4_factory_create_gate(L4_BASE_FACTORY_CAP,
							  t->gate, t->thread,
							  t->gate_badge));
	if (err < 0)
		return err;
	t->irq = cap_sel_alloc();
	if (!l4_is_valid_cap(t->irq))
		return -L4_ENOMEM;
	err = new_object(&t->irq, l4_factory_create_irq(L4_BASE_FACTORY_CAP, t->irq));
	if (err < 0)
		return err;
	err = l4_error(l4_rcv_ep_bind_thread(t->irq, t->thread, 0));
	if (err < 0)
		return err;
	if (pd_map(pd, t->gate, recap_thread_slot(t->index, RECAP_THREAD_GATE)) ||
	    pd_map(pd, t->irq, recap_thread_slot(t->index, RECAP_THREAD_IRQ)))
		return -L4_EINVAL;
	return 0;
}

/*
 * May a new thread of c have the wished index (RECAP_THREAD_ANY: the
 * lowest free) and gate badge (0: a fresh one)? A wished badge follows
 * PD ALLOC_RPC_CAP's rules (rpc_badge_grant), and no other thread of the
 * PD may have it: ALLOC_RPC_CAP finds the entrypoint thread by it.
 * RECAP_OK with *index; RECAP_ERR_RANGE, RECAP_ERR_EXIST, RECAP_ERR_INVAL.
 */
static int thread_wishes(struct child *c, unsigned long *index,
			 recap_badge_t badge)
{
	l4_cap_idx_t thread, gate;

	if (*index == RECAP_THREAD_ANY) {
		*index = index_alloc(c);
		if (*index >= RECAP_THREAD_MAX)
			return RECAP_ERR_NOMEM;
	} else if (*index >= RECAP_THREAD_MAX) {
		return RECAP_ERR_RANGE;
	} else if (thread_by_index(c, *index) ||
		   (*index == 0 && l4_is_valid_cap(c->pd.thread))) {
		return RECAP_ERR_EXIST;
	}
	if (!badge)
		return RECAP_OK;
	if (cpu_thread_by_gate(c, badge, &thread, &gate))
		return RECAP_ERR_EXIST;
	return rpc_badge_grant(badge);
}

static int thread_create(struct cpu_session *cs, char const *name,
			 unsigned long index, recap_badge_t badge,
			 struct cpu_thread **out)
{
	struct child *c = cs->s.client;
	struct cpu_thread *t;
	long err;

	if ((err = thread_wishes(c, &index, badge)))
		return (int)err;
	if ((err = cap_quota_charge(c, CAP_QUOTA_THREAD, "a thread")))
		return (int)err;
	t = calloc(1, sizeof(*t));
	if (!t) {
		cap_quota_release(c, CAP_QUOTA_THREAD);
		return RECAP_ERR_NOMEM;
	}
	t->session = cs;
	t->index = index;
	t->gate_badge = badge;
	t->thread = t->gate = t->irq = L4_INVALID_CAP;
	snprintf(t->name, sizeof(t->name), "%s", name);

	if ((err = rpc_object_attach(&t->obj, RPC_OBJECT_RPC, thread_dispatch)) ||
	    (err = rpc_object_attach(&t->pager, RPC_OBJECT_FAULT,
				     thread_pager_dispatch))) {
		thread_destroy(t);
		return (int)err;
	}
	if (pd_map(&c->pd, t->pager.gate,
			recap_thread_slot(index, RECAP_THREAD_PAGER)))
		err = RECAP_ERR_NOMEM;
	else if ((err = make_thread(t, &c->pd)) < 0)
		err = failed(c, "creating a thread", err);
	else if ((err = make_gate_irq(t, &c->pd)) < 0)
		err = failed(c, "creating a thread's gate and IRQ", err);
	if (err) {
		thread_destroy(t);
		return (int)err;
	}
	t->next = cs->threads;
	cs->threads = t;
	*out = t;
	return RECAP_OK;
}

/* The thread capability argument i of req, if it is one of cs's threads. */
static struct cpu_thread *request_thread(struct cpu_session *cs,
					 struct rpc_request *req, unsigned i)
{
	struct rpc_object *obj = rpc_request_object(req, i);

	for (struct cpu_thread *t = cs->threads; obj && t; t = t->next)
		if (&t->obj == obj)
			return t;
	return NULL;
}

static void unlink_thread(struct cpu_session *cs, struct cpu_thread *t)
{
	struct cpu_thread **p = &cs->threads;

	while (*p && *p != t)
		p = &(*p)->next;
	if (*p)
		*p = t->next;
}

/* Thread names end up in crash reports: no control characters. */
static bool printable(char const *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

static int op_create_thread(struct cpu_session *cs, struct rpc_request *req)
{
	char name[RECAP_THREAD_NAME_MAX + 1];
	unsigned long index;
	recap_badge_t badge;
	struct cpu_thread *t;
	struct recap_cap cap;
	int err;

	rpc_msg_get_string(&req->msg, name, sizeof(name));
	index = rpc_msg_get_word_or(&req->msg, RECAP_THREAD_ANY);
	badge = rpc_msg_get_word_or(&req->msg, 0);
	if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps || !name[0] ||
	    !printable(name))
		return RECAP_ERR_INVAL;
	err = thread_create(cs, name, index, badge, &t);
	if (err != RECAP_OK)
		return err;
	cap = rpc_object_cap(&t->obj);
	rpc_reply_start(req, &cap, 1);
	rpc_msg_put_word(&req->msg, t->index);
	rpc_msg_put_word(&req->msg, t->gate_badge);
	return RECAP_OK;
}

static int op_start(struct cpu_session *cs, struct rpc_request *req)
{
	struct cpu_thread *t;
	l4_umword_t ip, sp;
	long err;

	ip = rpc_msg_get_word(&req->msg);
	sp = rpc_msg_get_word(&req->msg);
	if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps != 1)
		return RECAP_ERR_INVAL;
	t = request_thread(cs, req, 0);
	if (!t)
		return RECAP_ERR_NOENT;
	if (t->started)
		return RECAP_ERR_EXIST;
	/* Whatever ip and sp: a thread that faults is the client's crash. */
	err = l4_error(l4_thread_ex_regs(t->thread, ip, sp, 0));
	if (err < 0)
		return failed(cs->s.client, "starting a thread", err);
	t->started = true;
	return RECAP_OK;
}

static int op_kill_thread(struct cpu_session *cs, struct rpc_request *req)
{
	struct cpu_thread *t;

	if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps != 1)
		return RECAP_ERR_INVAL;
	t = request_thread(cs, req, 0);
	if (!t)
		return RECAP_ERR_NOENT;
	unlink_thread(cs, t);
	/* A thread that kills itself gets no answer: it is gone. */
	thread_destroy(t);
	return RECAP_OK;
}

/*
 * The thread argument of PAUSE, RESUME, STATE_GET and STATE_SET: cap 0, a
 * thread of cs; with_ds: cap 1 a dataspace. Arguments are all read here,
 * before any kernel call overwrites the registers.
 */
static int thread_ds_args(struct cpu_session *cs, struct rpc_request *req,
			  bool with_ds, struct cpu_thread **t,
			  struct dataspace **ds)
{
	if (rpc_msg_end(&req->msg) != RECAP_OK ||
	    req->msg.ncaps != (with_ds ? 2u : 1u))
		return RECAP_ERR_INVAL;
	*t = request_thread(cs, req, 0);
	if (!*t)
		return RECAP_ERR_NOENT;
	if (with_ds && !(*ds = dataspace_from_request(req, 1)))
		return RECAP_ERR_INVAL;
	return RECAP_OK;
}

static int op_pause(struct cpu_session *cs, struct rpc_request *req)
{
	struct cpu_thread *t;
	long err = thread_ds_args(cs, req, false, &t, NULL);

	if (err != RECAP_OK)
		return (int)err;
	if (!t->started)
		return RECAP_ERR_DENIED;
	if (t->paused)
		return RECAP_ERR_EXIST;
	err = l4x_thread_pause(L4X_BASE_HOST_CAP, t->thread);
	if (err < 0)
		return failed(cs->s.client, "pausing a thread", err);
	t->paused = true;
	return RECAP_OK;
}

static int op_resume(struct cpu_session *cs, struct rpc_request *req)
{
	struct cpu_thread *t;
	long err = thread_ds_args(cs, req, false, &t, NULL);

	if (err != RECAP_OK)
		return (int)err;
	if (!t->paused)
		return RECAP_ERR_DENIED;
	err = l4x_thread_resume(L4X_BASE_HOST_CAP, t->thread);
	if (err < 0)
		return failed(cs->s.client, "resuming a thread", err);
	t->paused = false;
	/* A fault answered while it was paused is answered now. */
	region_map_resumed();
	return RECAP_OK;
}

/* The kernel id of the object at core's selector sel; 0 if none. */
static l4_umword_t kernel_id(l4_cap_idx_t sel)
{
	struct l4x_cap_info info;

	if (!l4_is_valid_cap(sel) ||
	    l4x_cap_info(L4X_BASE_HOST_CAP, L4_BASE_TASK_CAP, sel, &info) < 0 ||
	    info.kind == L4X_KIND_NONE)
		return 0;
	return info.id;
}

/*
 * STATE_SET of t: the ids its pending call may name are its own, its
 * IRQ's and those of its PD's threads (thread_state.h). A thread never
 * started is started paused by it (the kernel's state_set on a bound,
 * never-started thread); RESUME lets it run.
 */
static int state_set(struct cpu_session *cs, struct cpu_thread *t,
		     struct dataspace *ds)
{
	struct child *c = cs->s.client;
	l4_umword_t ids[RECAP_THREAD_MAX + 1];
	struct thread_state_ids tid = { .threads = ids };
	int err;

	if (t->started && !t->paused)
		return RECAP_ERR_DENIED;
	if (l4_is_valid_cap(c->pd.thread))
		ids[tid.nthreads++] = kernel_id(c->pd.thread);
	for (struct session *s = c->sessions; s; s = s->next) {
		struct cpu_session *other = as_cpu(s);

		for (struct cpu_thread *x = other ? other->threads : NULL;
		     x && tid.nthreads < RECAP_THREAD_MAX + 1; x = x->next)
			ids[tid.nthreads++] = kernel_id(x->thread);
	}
	tid.self = kernel_id(t->thread);
	tid.irq = kernel_id(t->irq);
	err = thread_state_load(t->thread, ds, &tid);
	if (err == RECAP_OK && !t->started)
		t->started = t->paused = true;
	return err;
}

static int op_state(struct cpu_session *cs, struct rpc_request *req, bool set)
{
	struct dataspace *ds;
	struct cpu_thread *t;
	int err = thread_ds_args(cs, req, true, &t, &ds);

	if (err != RECAP_OK)
		return err;
	if (set)
		return state_set(cs, t, ds);
	if (!t->paused)
		return RECAP_ERR_DENIED;
	return thread_state_save(t->thread, ds);
}

/* THREAD_ID: the kernel id of the thread, which pending calls name. */
static int op_thread_id(struct cpu_session *cs, struct rpc_request *req)
{
	struct cpu_thread *t;
	l4_umword_t id;
	int err = thread_ds_args(cs, req, false, &t, NULL);

	if (err != RECAP_OK)
		return err;
	id = kernel_id(t->thread);
	if (!id)
		return RECAP_ERR_NOENT;
	rpc_reply_start(req, NULL, 0);
	rpc_msg_put_word(&req->msg, id);
	return RECAP_OK;
}

static int op_exc_sigh(struct cpu_session *cs, struct rpc_request *req)
{
	recap_badge_t badge;

	if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps != 1)
		return RECAP_ERR_INVAL;
	if (!recap_cap_valid(req->msg.caps[0])) {
		cs->exc_sigh = 0;
		return RECAP_OK;
	}
	badge = signal_request_context(req, 0);
	if (!badge)
		return RECAP_ERR_INVAL;
	cs->exc_sigh = badge;
	return RECAP_OK;
}

int cpu_thread_state(struct child *c, unsigned long index, struct dataspace *ds)
{
	struct cpu_thread *t = thread_by_index(c, index);

	if (!t) {
		/* A main thread core made is in no session: never paused. */
		return index == 0 && l4_is_valid_cap(c->pd.thread) ?
			       RECAP_ERR_DENIED : RECAP_ERR_NOENT;
	}
	if (!t->paused)
		return RECAP_ERR_DENIED;
	return thread_state_save(t->thread, ds);
}

unsigned long cpu_thread_index_by_id(struct child *c, unsigned long id)
{
	if (!id)
		return ~0UL;
	if (l4_is_valid_cap(c->pd.thread) && kernel_id(c->pd.thread) == id)
		return 0;
	for (struct session *s = c->sessions; s; s = s->next) {
		struct cpu_session *cs = as_cpu(s);

		for (struct cpu_thread *t = cs ? cs->threads : NULL; t; t = t->next)
			if (kernel_id(t->thread) == id)
				return t->index;
	}
	return ~0UL;
}

static int cpu_dispatch(struct rpc_object *obj, struct rpc_request *req)
{
	struct cpu_session *cs = core_container_of(obj, struct cpu_session, s.obj);

	switch (req->op) {
	case RECAP_CPU_CREATE_THREAD:
		return op_create_thread(cs, req);
	case RECAP_CPU_START:
		return op_start(cs, req);
	case RECAP_CPU_KILL_THREAD:
		return op_kill_thread(cs, req);
	case RECAP_CPU_PAUSE:
		return op_pause(cs, req);
	case RECAP_CPU_RESUME:
		return op_resume(cs, req);
	case RECAP_CPU_STATE_GET:
		return op_state(cs, req, false);
	case RECAP_CPU_STATE_SET:
		return op_state(cs, req, true);
	case RECAP_CPU_EXC_SIGH:
		return op_exc_sigh(cs, req);
	case RECAP_CPU_THREAD_ID:
		return op_thread_id(cs, req);
	}
	return RECAP_ERR_INVAL;
}

static void cpu_destroy(struct session *s)
{
	struct cpu_session *cs = core_container_of(s, struct cpu_session, s);

	while (cs->threads) {
		struct cpu_thread *t = cs->threads;

		cs->threads = t->next;
		thread_destroy(t);
	}
	rpc_object_detach(&cs->s.obj);
	free(cs);
}

int cpu_session_open(struct child *client, struct recap_cap *cap)
{
	struct cpu_session *cs = calloc(1, sizeof(*cs));
	int err;

	if (!cs)
		return RECAP_ERR_NOMEM;
	err = rpc_object_attach(&cs->s.obj, RPC_OBJECT_RPC, cpu_dispatch);
	if (err != RECAP_OK) {
		free(cs);
		return err;
	}
	cs->s.destroy = cpu_destroy;
	session_add(client, &cs->s);
	*cap = rpc_object_cap(&cs->s.obj);
	return RECAP_OK;
}

/*
 * rpc_forgery — forged and malformed requests to a component's own
 * entrypoint and to core's CPU and PD services, one per line of output,
 * each refused with the right error while everything keeps serving.
 *
 * The entrypoint under attack is ep2, a second thread serving two objects
 * (a and b), so that the main thread can call it. What is forged:
 *  - at the entrypoint: a gate whose badge is no object's (the thread's
 *    own gate, a gate core made but nobody managed, a dissolved object's);
 *    a protocol label; an IRQ protocol label through a gate; a capability
 *    argument under another object's badge. mr[0] naming another object
 *    than the gate does is no forgery any more: it is the client's idea of
 *    the destination, and the gate's label decides (a restored client
 *    keeps sending the badges it remembers);
 *  - at core: entrypoint capabilities that are not the component's thread
 *    gates, under their own badges or a thread's; thread capabilities that
 *    are not threads; a gate of the component's own labelled with the
 *    badge of a dead object of core's (core goes by the kernel's label and
 *    l4_task_cap_equal, so a claimed badge neither helps nor hurts);
 *    wished badges that are taken; malformed thread creations.
 * Exits 0 if every answer was the expected one.
 */
#include <l4/sys/consts.h>
#include <l4/sys/ipc.h>
#include <l4/sys/utcb.h>

#include <recap/cap_layout.h>
#include <recap/cpu_session.h>
#include <recap/entrypoint.h>
#include <recap/env.h>
#include <recap/err.h>
#include <recap/log.h>
#include <recap/parent_client.h>
#include <recap/pd_session.h>
#include <recap/ram_session.h>
#include <recap/region_map.h>
#include <recap/rpc.h>
#include <recap/rpc_server.h>
#include <recap/thread.h>

enum obj_op {
	OBJ_WHO = 1,		/* -> word: 1 for a, 2 for b */
	OBJ_SAME = 2,		/* cap -> word: 1 if it is really this object */
};

static struct recap_env *env;
static struct recap_entrypoint ep2;
static struct recap_rpc_object a, b, c, d;
static int failures;

static int obj_dispatch(struct recap_rpc_object *obj, struct recap_rpc_request *req)
{
	switch (req->op) {
	case OBJ_WHO:
		if (rpc_msg_end(&req->msg) != RECAP_OK)
			return RECAP_ERR_INVAL;
		recap_rpc_reply_start(req, NULL, 0);
		rpc_msg_put_word(&req->msg, obj == &a ? 1 : obj == &b ? 2 : 3);
		return RECAP_OK;
	case OBJ_SAME:
		if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps != 1)
			return RECAP_ERR_INVAL;
		if (recap_rpc_request_object(&ep2, req, 0) != obj)
			return RECAP_ERR_DENIED;
		return RECAP_OK;
	}
	return RECAP_ERR_INVAL;
}

/* One line: the answer (an error's name, or the word WHO answered). */
static void expect(char const *what, long got, long want)
{
	char const *bad = got == want ? "" : " UNEXPECTED";

	if (got > 0)
		recap_log(env, "%s: %ld%s", what, got, bad);
	else
		recap_log(env, "%s: %ld (%s)%s", what, got, recap_err_str((int)got), bad);
	failures += got != want;
}

/* Send the words already in the registers; the error result, the first
 * data word of a successful reply (WHO's answer), or the IPC failure as
 * RECAP_ERR_IPC. */
static long call_raw(l4_cap_idx_t gate, long proto, unsigned words)
{
	l4_msgtag_t tag = l4_ipc_call(gate, l4_utcb(), l4_msgtag(proto, words, 0, 0),
				      L4_IPC_NEVER);
	l4_umword_t const *mr = l4_utcb_mr()->mr;

	if (l4_msgtag_has_error(tag))
		return RECAP_ERR_IPC;
	if (mr[0] != RECAP_OK || l4_msgtag_words(tag) != 3 || mr[1] != 0)
		return (long)mr[0];
	return (long)mr[2];
}

static void set(unsigned n, l4_umword_t const *w)
{
	for (unsigned i = 0; i < n; i++)
		l4_utcb_mr()->mr[i] = w[i];
}

#define RAW(gate, proto, ...) \
	(set(sizeof((l4_umword_t[]){ __VA_ARGS__ }) / sizeof(l4_umword_t), \
	     (l4_umword_t[]){ __VA_ARGS__ }), \
	 call_raw(gate, proto, sizeof((l4_umword_t[]){ __VA_ARGS__ }) / sizeof(l4_umword_t)))

/* A call of op on dst with capability arguments and no words. */
static int call_caps(struct recap_cap dst, l4_umword_t op,
		     struct recap_cap const *caps, unsigned n)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, dst, op, caps, n);
	err = recap_rpc_call(env, dst, &m);
	return err == RECAP_OK ? rpc_msg_end(&m) : err;
}

static void entrypoint_forgeries(void)
{
	struct recap_cap gate = ep2.thread->gate, spare;
	struct recap_cap a_under_b = { .badge = b.cap.badge, .sel = a.cap.sel };
	int err;

	expect("a: who", RAW(a.cap.sel, 0, a.cap.badge, 0, OBJ_WHO), 1);
	expect("b: who", RAW(b.cap.sel, 0, b.cap.badge, 0, OBJ_WHO), 2);
	expect("a's gate, mr0 naming b (the label decides)",
	       RAW(a.cap.sel, 0, b.cap.badge, 0, OBJ_WHO), 1);
	expect("a's gate, mr0 naming nothing (the label decides)",
	       RAW(a.cap.sel, 0, a.cap.badge + 4, 0, OBJ_WHO), 1);
	expect("the thread's own gate",
	       RAW(gate.sel, 0, gate.badge, 0, OBJ_WHO), RECAP_ERR_INVAL);
	expect("protocol label", RAW(a.cap.sel, 5, a.cap.badge, 0, OBJ_WHO),
	       RECAP_ERR_INVAL);
	expect("IRQ protocol through a gate",
	       RAW(a.cap.sel, L4_PROTO_IRQ, a.cap.badge, 0, OBJ_WHO), RECAP_ERR_INVAL);
	expect("no opcode", RAW(a.cap.sel, 0, a.cap.badge, 0), RECAP_ERR_INVAL);

	/* A gate core made for ep2, but in nobody's pool. */
	err = recap_pd_alloc_rpc_cap(env, gate, &spare);
	expect("an unmanaged gate: alloc", err, RECAP_OK);
	if (err == RECAP_OK) {
		expect("an unmanaged gate: call",
		       RAW(spare.sel, 0, spare.badge, 0, OBJ_WHO), RECAP_ERR_INVAL);
		expect("an unmanaged gate: free", recap_pd_free_rpc_cap(env, spare),
		       RECAP_OK);
	}

	expect("a is a", call_caps(a.cap, OBJ_SAME, &a.cap, 1), RECAP_OK);
	expect("b's badge on a's gate is b",
	       call_caps(b.cap, OBJ_SAME, &a_under_b, 1), RECAP_ERR_DENIED);
	expect("a is b", call_caps(b.cap, OBJ_SAME, &a.cap, 1), RECAP_ERR_DENIED);

	/* A dissolved object: its gate is gone everywhere. */
	spare = c.cap;
	expect("dissolve c", recap_ep_dissolve(&ep2, &c), RECAP_OK);
	expect("call c after dissolve", RAW(spare.sel, 0, spare.badge, 0, OBJ_WHO),
	       RECAP_ERR_IPC);
	expect("dissolve c again", recap_ep_dissolve(&ep2, &c), RECAP_ERR_NOENT);
	/* Restored objects keep their badges: c again under its old one. */
	expect("manage c under its old badge",
	       recap_ep_manage_badge(&ep2, &c, obj_dispatch, spare.badge), RECAP_OK);
	expect("c has its old badge", c.cap.badge == spare.badge ? 1 : 0, 1);
	expect("call c", RAW(c.cap.sel, 0, c.cap.badge, 0, OBJ_WHO), 3);
	expect("manage d under a's badge",
	       recap_ep_manage_badge(&ep2, &d, obj_dispatch, a.cap.badge),
	       RECAP_ERR_EXIST);
	expect("b after all that", RAW(b.cap.sel, 0, b.cap.badge, 0, OBJ_WHO), 2);
}

static void pd_forgeries(void)
{
	struct recap_cap main_gate = recap_thread_self()->gate, got;
	struct recap_cap parent_as_thread = { .badge = main_gate.badge,
					      .sel = env->parent.sel };
	struct recap_cap a_as_thread = { .badge = main_gate.badge, .sel = a.cap.sel };
	struct recap_cpu_thread alias;
	struct rpc_msg m;
	int err;

	/* Core goes by the labels, so the claimed badge does not help. */
	expect("alloc_rpc_cap: the parent under the main thread's badge",
	       recap_pd_alloc_rpc_cap(env, parent_as_thread, &got), RECAP_ERR_NOENT);
	expect("alloc_rpc_cap: an object's gate under the main thread's badge",
	       recap_pd_alloc_rpc_cap(env, a_as_thread, &got), RECAP_ERR_NOENT);
	/* A thread whose gate has a's label: a's gate is not that thread's. */
	err = recap_cpu_create_thread_wish(env, env->cpu, "alias", RECAP_THREAD_ANY,
					   a.cap.badge, &alias);
	expect("create a thread whose gate has a's badge", err, RECAP_OK);
	if (err == RECAP_OK) {
		expect("alloc_rpc_cap: a's gate, labelled like that thread's",
		       recap_pd_alloc_rpc_cap(env, a.cap, &got), RECAP_ERR_DENIED);
		expect("alloc_rpc_cap: wished badge of that thread's gate",
		       recap_pd_alloc_rpc_cap_at(env, env->pd, main_gate,
						 a.cap.badge, &got), RECAP_ERR_EXIST);
		expect("kill it", recap_cpu_kill_thread(env, alias.cap), RECAP_OK);
	}
	expect("alloc_rpc_cap: an object's gate, its own badge",
	       recap_pd_alloc_rpc_cap(env, a.cap, &got), RECAP_ERR_NOENT);
	expect("alloc_rpc_cap: the parent", recap_pd_alloc_rpc_cap(env, env->parent, &got),
	       RECAP_ERR_NOENT);
	expect("alloc_rpc_cap: no capability",
	       recap_pd_alloc_rpc_cap(env, recap_cap_invalid(), &got), RECAP_ERR_INVAL);
	recap_rpc_begin(&m, env->pd, RECAP_PD_ALLOC_RPC_CAP, NULL, 0);
	expect("alloc_rpc_cap: no argument", recap_rpc_call(env, env->pd, &m),
	       RECAP_ERR_INVAL);
	expect("free_rpc_cap: the main thread's gate",
	       call_caps(env->pd, RECAP_PD_FREE_RPC_CAP, &main_gate, 1),
	       RECAP_ERR_NOENT);
	expect("free_rpc_cap: the parent",
	       call_caps(env->pd, RECAP_PD_FREE_RPC_CAP, &env->parent, 1),
	       RECAP_ERR_NOENT);
	expect("alloc_rpc_cap: wished badge of a, on a's thread",
	       recap_pd_alloc_rpc_cap_at(env, env->pd, ep2.thread->gate, a.cap.badge,
					 &got), RECAP_ERR_EXIST);
	expect("alloc_rpc_cap: wished badge of ep2's own gate",
	       recap_pd_alloc_rpc_cap_at(env, env->pd, ep2.thread->gate,
					 ep2.thread->gate.badge, &got), RECAP_ERR_EXIST);
	expect("alloc_rpc_cap: wished badge of the PD session (core's)",
	       recap_pd_alloc_rpc_cap_at(env, env->pd, main_gate, env->pd.badge, &got),
	       RECAP_ERR_EXIST);
	expect("alloc_rpc_cap: wished badge not a multiple of the step",
	       recap_pd_alloc_rpc_cap_at(env, env->pd, main_gate, a.cap.badge + 1, &got),
	       RECAP_ERR_INVAL);
	expect("alloc_rpc_cap: wished badge below core's first",
	       recap_pd_alloc_rpc_cap_at(env, env->pd, main_gate, RECAP_BADGE_STEP, &got),
	       RECAP_ERR_INVAL);
	/* A gate of ours named under b's badge: freed, for core goes by the
	 * capability, and b is untouched. */
	expect("alloc_rpc_cap: a spare gate",
	       recap_pd_alloc_rpc_cap(env, ep2.thread->gate, &got), RECAP_OK);
	expect("free_rpc_cap: the spare gate under b's badge",
	       call_caps(env->pd, RECAP_PD_FREE_RPC_CAP,
			 &(struct recap_cap){ .badge = b.cap.badge, .sel = got.sel }, 1),
	       RECAP_OK);
	recap_cap_forget(env, got);
	expect("b still works", RAW(b.cap.sel, 0, b.cap.badge, 0, OBJ_WHO), 2);
	expect("a still works", RAW(a.cap.sel, 0, a.cap.badge, 0, OBJ_WHO), 1);
}

/* Where the raw thread below runs: it only waits to be killed. */
static __attribute__((noreturn)) void park(void)
{
	for (;;)
		l4_ipc_sleep(L4_IPC_NEVER);
}

static void cpu_forgeries(void)
{
	struct recap_cpu_thread t;
	struct recap_cap t_as_cpu, fake;
	struct recap_ds stack;
	unsigned long sp, at;
	int err;

	expect("create: a newline in the name",
	       recap_cpu_create_thread(env, "bad\nname", &t), RECAP_ERR_INVAL);
	expect("create: an empty name", recap_cpu_create_thread(env, "", &t),
	       RECAP_ERR_INVAL);
	expect("start: the CPU session as the thread",
	       recap_cpu_start(env, env->cpu, 0, 0), RECAP_ERR_NOENT);
	expect("start: the main thread's gate",
	       recap_cpu_start(env, recap_thread_self()->gate, 0, 0), RECAP_ERR_NOENT);
	err = recap_cpu_create_thread(env, "raw", &t);
	expect("create a raw thread", err, RECAP_OK);
	if (err != RECAP_OK)
		return;
	/* Core makes no stacks: the raw thread's is ours to place. */
	err = recap_ram_alloc(env, 4096, &stack);
	if (err == RECAP_OK)
		err = recap_rm_attach(env, stack.cap, 0, 0,
				      recap_stack_top(t.index) - 4096, L4_FPAGE_RW, &at);
	expect("its stack", err, RECAP_OK);
	t_as_cpu = (struct recap_cap){ .badge = env->cpu.badge, .sel = t.cap.sel };
	sp = recap_stack_top(t.index) - sizeof(long);
	expect("start: its capability under the CPU session's badge (the label decides)",
	       recap_cpu_start(env, t_as_cpu, (unsigned long)park, sp), RECAP_OK);
	expect("start it again", recap_cpu_start(env, t.cap, (unsigned long)park, sp),
	       RECAP_ERR_EXIST);
	expect("kill it", recap_cpu_kill_thread(env, t.cap), RECAP_OK);
	expect("kill it again", recap_cpu_kill_thread(env, t.cap), RECAP_ERR_NOENT);
	expect("call its capability", RAW(t.cap.sel, 0, t.cap.badge, 0, RECAP_CPU_START),
	       RECAP_ERR_IPC);
	/* A gate of our own labelled as the dead thread capability was: core
	 * granted the badge (no live object has it), but it is no object of
	 * core's, whatever its label says. */
	err = recap_pd_alloc_rpc_cap_at(env, env->pd, recap_thread_self()->gate,
					t.cap.badge, &fake);
	expect("alloc_rpc_cap: wished badge of the dead thread capability", err,
	       RECAP_OK);
	if (err == RECAP_OK) {
		expect("start: our gate labelled as the dead thread",
		       recap_cpu_start(env, fake, (unsigned long)park, sp),
		       RECAP_ERR_NOENT);
		expect("free it", recap_pd_free_rpc_cap(env, fake), RECAP_OK);
	}
	recap_rm_detach(env, recap_stack_top(t.index) - 4096);
	recap_ram_free(env, &stack);
}

void component_construct(struct recap_env *e)
{
	int err;

	env = e;
	recap_log(env, "start");
	if ((err = recap_ep_create(env, &ep2, "ep2")) ||
	    (err = recap_ep_manage(&ep2, &a, obj_dispatch)) ||
	    (err = recap_ep_manage(&ep2, &b, obj_dispatch)) ||
	    (err = recap_ep_manage(&ep2, &c, obj_dispatch))) {
		expect("setting up", err, RECAP_OK);
		recap_parent_exit(env, 1);
	}
	entrypoint_forgeries();
	pd_forgeries();
	cpu_forgeries();
	/* Objects outlive no entrypoint: their gates lead nowhere. */
	expect("kill ep2's thread", recap_cpu_kill_thread(env, ep2.own.cap), RECAP_OK);
	expect("a after its entrypoint is gone",
	       RAW(a.cap.sel, 0, a.cap.badge, 0, OBJ_WHO), RECAP_ERR_IPC);
	recap_log(env, "%s", failures ? "FAILED" : "all answers as expected");
	recap_parent_exit(env, failures ? 1 : 0);
}

/*
 * thread_restore — what cr does to a child's threads on restore, done by a
 * component to two threads of its own, through the CPU session: wished
 * thread indices and gate badges (CREATE_THREAD), kernel ids (THREAD_ID),
 * STATE_SET of a pending call on a never-started thread, RESUME. And the
 * native PD's IRQ_INFO.
 *
 * Thread B calls thread A's gate; A takes the call (B is then in the
 * receive phase of its call with partner A, A owes B a reply) and spins
 * until `go`. Both are paused and their states read; the originals are
 * killed before A could reply, and two new threads are created at the same
 * indices with the same gate badges. Their states are the saved ones with
 * the kernel ids rewritten to the new threads' (as cr rewrites an image's);
 * resumed, A replies to B and B's call returns 41 + 1 — exactly once.
 * Refused on the way: a pending call naming a thread that is none of the
 * PD's (the main thread of a child of ours, in another PD; the PD's task;
 * a dead thread), a state whose self_id is another thread's, a wished
 * index or gate badge that is taken.
 */
#include <l4/sys/ipc.h>
#include <l4/sys/utcb.h>
#include <l4/sys/x.h>

#include <recap/cap_layout.h>
#include <recap/child.h>
#include <recap/cpu_session.h>
#include <recap/env.h>
#include <recap/err.h>
#include <recap/log.h>
#include <recap/native_pd.h>
#include <recap/parent_client.h>
#include <recap/ram_session.h>
#include <recap/region_map.h>
#include <recap/signal.h>
#include <recap/signal_session.h>
#include <recap/string.h>
#include <recap/thread.h>

static struct recap_env *env;
static struct recap_thread ta, tb;
static struct recap_child idle;		/* a thread in another PD */

/* The child gets no LOG session: its greeting would race with our lines. */
static int quiet_session(struct recap_child *ch, char const *service,
			 char const *args, struct recap_cap *cap,
			 enum recap_child_via *via)
{
	if (!RECAP_STRING_NAME(strcmp)(service, "LOG"))
		return RECAP_ERR_DENIED;
	return recap_child_session_forward(ch, service, args, cap, via);
}

static struct recap_child_policy const quiet = { .session = quiet_session };
static l4_cap_idx_t a_gate;
static volatile unsigned long a_taken, go, a_replies, b_completions, b_result;
static int failures;

static void expect(char const *what, int got, int want)
{
	recap_log(env, "%s: %d (%s)%s", what, got, recap_err_str(got),
		  got == want ? "" : " UNEXPECTED");
	failures += got != want;
}

static void check(char const *what, bool ok)
{
	recap_log(env, "%s: %s", what, ok ? "yes" : "no UNEXPECTED");
	failures += !ok;
}

/* A: take one call, compute until go, reply with the word + 1. */
static void fn_a(void *arg)
{
	l4_umword_t label, x;

	(void)arg;
	l4_ipc_wait(l4_utcb(), &label, L4_IPC_NEVER);
	x = l4_utcb_mr()->mr[0];
	a_taken = 1;
	while (!go)
		;
	__atomic_add_fetch(&a_replies, 1, __ATOMIC_SEQ_CST);
	l4_utcb_mr()->mr[0] = x + 1;
	l4_ipc_reply(0, l4_utcb(), l4_msgtag(0, 1, 0, 0), L4_IPC_SEND_TIMEOUT_0);
}

/* B: call A with 41. */
static void fn_b(void *arg)
{
	l4_msgtag_t tag;

	(void)arg;
	l4_utcb_mr()->mr[0] = 41;
	tag = l4_ipc_call(a_gate, l4_utcb(), l4_msgtag(0, 1, 0, 0), L4_IPC_NEVER);
	b_result = l4_msgtag_has_error(tag) ? ~0UL : l4_utcb_mr()->mr[0];
	__atomic_add_fetch(&b_completions, 1, __ATOMIC_SEQ_CST);
}

static char const *pending_name(unsigned long kind)
{
	switch (kind) {
	case L4X_PENDING_NONE:   return "none";
	case L4X_PENDING_SEND:   return "send";
	case L4X_PENDING_RECV:   return "recv";
	case L4X_PENDING_WAIT:   return "wait";
	case L4X_PENDING_RESULT: return "result";
	}
	return "?";
}

/* A RAM dataspace of a page, attached: where a thread state goes. */
static int state_ds(struct recap_ds *ds, struct l4x_thread_state **s)
{
	void *addr;
	int err = recap_ram_alloc(env, 4096, ds);

	if (err == RECAP_OK)
		err = recap_rm_attach_rw(env, ds, &addr);
	*s = addr;
	return err;
}

static void state_copy(struct l4x_thread_state *d,
			       struct l4x_thread_state const *s)
{
	RECAP_STRING_NAME(memcpy)(d, s, sizeof(*d));
}

static int thread_id(struct recap_cap t, unsigned long *id)
{
	return recap_cpu_thread_id_at(env, env->cpu, t, id);
}

static int restore_test(void)
{
	struct recap_ds ds_a, ds_b, ds_x;
	struct l4x_thread_state *sa, *sb, *sx;
	struct recap_cpu_thread na, nb, x;
	struct recap_native_cap_info task = { 0 };
	unsigned long id_a, id_b, id_na, id_nb, id_idle;
	int err, before;

	if ((err = state_ds(&ds_a, &sa)) || (err = state_ds(&ds_b, &sb)) ||
	    (err = state_ds(&ds_x, &sx)) ||
	    (err = recap_thread_create(env, &ta, "A", fn_a, NULL)))
		return err;
	a_gate = ta.gate.sel;
	if ((err = recap_thread_create(env, &tb, "B", fn_b, NULL)))
		return err;
	while (!a_taken)
		;
	expect("pause A", recap_cpu_pause(env, ta.cap), RECAP_OK);
	expect("pause B", recap_cpu_pause(env, tb.cap), RECAP_OK);
	expect("state of A", recap_cpu_state_get(env, ta.cap, ds_a.cap), RECAP_OK);
	expect("state of B", recap_cpu_state_get(env, tb.cap, ds_b.cap), RECAP_OK);
	expect("id of A", thread_id(ta.cap, &id_a), RECAP_OK);
	expect("id of B", thread_id(tb.cap, &id_b), RECAP_OK);
	recap_log(env, "A: pending %s, self is A: %s, owes B a reply: %s",
		  pending_name(sa->pending.kind), sa->pending.self_id == id_a ? "yes" : "no",
		  sa->pending.reply_to_id == id_b ? "yes" : "no");
	recap_log(env, "B: pending %s, self is B: %s, waits for A: %s",
		  pending_name(sb->pending.kind), sb->pending.self_id == id_b ? "yes" : "no",
		  sb->pending.partner_id == id_a ? "yes" : "no");
	expect("id of the main thread's gate (not a thread cap)",
	       thread_id(recap_thread_self()->gate, &id_na), RECAP_ERR_NOENT);

	/* Wishes that are taken. */
	expect("create at A's index", recap_cpu_create_thread_wish(env, env->cpu, "x",
		ta.index, 0, &x), RECAP_ERR_EXIST);
	expect("create at index 0 (the main thread's)", recap_cpu_create_thread_wish(
		env, env->cpu, "x", 0, 0, &x), RECAP_ERR_EXIST);
	expect("create at index RECAP_THREAD_MAX", recap_cpu_create_thread_wish(
		env, env->cpu, "x", RECAP_THREAD_MAX, 0, &x), RECAP_ERR_RANGE);
	expect("create with A's gate badge", recap_cpu_create_thread_wish(
		env, env->cpu, "x", RECAP_THREAD_ANY, ta.gate.badge, &x), RECAP_ERR_EXIST);
	expect("create with the CPU session's badge (core's)",
	       recap_cpu_create_thread_wish(env, env->cpu, "x", RECAP_THREAD_ANY,
					    env->cpu.badge, &x), RECAP_ERR_EXIST);

	/* Pending calls naming what is no other thread of the PD. */
	expect("start a child", recap_child_start(env, &idle, "idle", "idle",
						  1UL << 20, 60, NULL, &quiet),
	       RECAP_OK);
	expect("id of the child's main thread",
	       recap_cpu_thread_id_at(env, idle.cpu, idle.main_thread, &id_idle),
	       RECAP_OK);
	state_copy(sx, sb);
	sx->pending.partner_id = id_idle;
	expect("B's state, partner the child's thread (another PD)",
	       recap_cpu_state_set(env, tb.cap, ds_x.cap), RECAP_ERR_DENIED);
	state_copy(sx, sa);
	sx->pending.reply_to_id = id_idle;
	expect("A's state, owing the child's thread a reply",
	       recap_cpu_state_set(env, ta.cap, ds_x.cap), RECAP_ERR_DENIED);
	recap_child_destroy(&idle);
	expect("task id", recap_native_pd_cap_info(env, RECAP_TASK_SLOT, &task),
	       RECAP_OK);
	state_copy(sx, sb);
	sx->pending.partner_id = task.id;
	expect("B's state, partner the PD's task",
	       recap_cpu_state_set(env, tb.cap, ds_x.cap), RECAP_ERR_DENIED);
	state_copy(sx, sb);
	sx->pending.partner_id = id_b;
	expect("B's state, partner B itself",
	       recap_cpu_state_set(env, tb.cap, ds_x.cap), RECAP_ERR_DENIED);
	state_copy(sx, sa);
	sx->pending.self_id = id_b;
	expect("A's state with B's self_id",
	       recap_cpu_state_set(env, ta.cap, ds_x.cap), RECAP_ERR_DENIED);
	expect("B's own state set again", recap_cpu_state_set(env, tb.cap, ds_b.cap),
	       RECAP_OK);

	/* The originals go before A replied; new ones take their places.
	 * Only if that fails is there nothing more to try (a refusal above
	 * that did not come, e.g. under cr, which keeps the native PD and
	 * child starts to itself, is reported and the rest goes on). */
	before = failures;
	expect("kill A", recap_cpu_kill_thread(env, ta.cap), RECAP_OK);
	expect("kill B", recap_cpu_kill_thread(env, tb.cap), RECAP_OK);
	expect("create A' at A's index with A's gate badge",
	       recap_cpu_create_thread_wish(env, env->cpu, "A'", ta.index,
					    ta.gate.badge, &na), RECAP_OK);
	expect("create B' at B's index with B's gate badge",
	       recap_cpu_create_thread_wish(env, env->cpu, "B'", tb.index,
					    tb.gate.badge, &nb), RECAP_OK);
	if (failures > before)
		return RECAP_ERR_INVAL;
	expect("id of A'", thread_id(na.cap, &id_na), RECAP_OK);
	expect("id of B'", thread_id(nb.cap, &id_nb), RECAP_OK);
	check("new ids", id_na != id_a && id_nb != id_b && id_na != id_nb);
	expect("resume B' (never started, no state)", recap_cpu_resume(env, nb.cap),
	       RECAP_ERR_DENIED);

	/* The old ids are a dead thread's now: no thread of the PD. */
	sb->pending.self_id = id_nb;
	expect("B' waits for dead A", recap_cpu_state_set(env, nb.cap, ds_b.cap),
	       RECAP_ERR_DENIED);
	sb->pending.partner_id = id_na;
	sa->pending.self_id = id_na;
	sa->pending.reply_to_id = id_nb;
	expect("state of B'", recap_cpu_state_set(env, nb.cap, ds_b.cap), RECAP_OK);
	expect("state of A'", recap_cpu_state_set(env, na.cap, ds_a.cap), RECAP_OK);
	expect("start A' (its state started it)", recap_cpu_start(env, na.cap, 0, 0),
	       RECAP_ERR_EXIST);
	expect("resume A'", recap_cpu_resume(env, na.cap), RECAP_OK);
	expect("resume B'", recap_cpu_resume(env, nb.cap), RECAP_OK);
	check("B's call still open", b_completions == 0 && a_replies == 0);
	go = 1;
	ta.cap = na.cap;
	tb.cap = nb.cap;
	expect("join B'", recap_thread_join(&tb), RECAP_OK);
	expect("join A'", recap_thread_join(&ta), RECAP_OK);
	recap_log(env, "B's call returned %lu, %lu time(s); A replied %lu time(s)",
		  b_result, b_completions, a_replies);
	check("exactly once", b_result == 42 && b_completions == 1 && a_replies == 1);
	return RECAP_OK;
}

static void on_signal(void *arg)
{
	(void)arg;
}

/* Three triggers nobody received: IRQ_INFO counts them. */
static int irq_info_test(void)
{
	static struct recap_signal_context sig;
	struct recap_native_irq_info info = { 0, 0, 0 };	/* if refused */
	unsigned long label = (unsigned long)&sig | RECAP_SIGNAL_LABEL_BIT;
	struct recap_cap cap;
	unsigned long slot;
	int err;

	if ((err = recap_signal_context_create(env, &sig, on_signal, NULL)))
		return err;
	cap = recap_signal_context_cap(&sig);
	slot = recap_sel_slot(cap.sel);
	expect("irq info, untriggered", recap_native_pd_irq_info(env, slot, &info),
	       RECAP_OK);
	recap_log(env, "pending %lu, label is the context's: %s, thread %lu",
		  info.pending, info.label == label ? "yes" : "no", info.thread);
	for (int i = 0; i < 3; i++)
		expect("trigger", recap_signal_submit(cap), RECAP_OK);
	expect("irq info", recap_native_pd_irq_info(env, slot, &info), RECAP_OK);
	recap_log(env, "pending %lu, label is the context's: %s, thread %lu",
		  info.pending, info.label == label ? "yes" : "no", info.thread);
	expect("irq info of the main thread's IRQ",
	       recap_native_pd_irq_info(env, recap_thread_slot(0, RECAP_THREAD_IRQ),
					&info), RECAP_OK);
	recap_log(env, "pending %lu, label %lu, thread %lu", info.pending,
		  info.label, info.thread);
	expect("irq info of the parent (a gate)",
	       recap_native_pd_irq_info(env, RECAP_PARENT_SLOT, &info), RECAP_ERR_INVAL);
	expect("irq info of slot RECAP_CAP_SLOTS",
	       recap_native_pd_irq_info(env, RECAP_CAP_SLOTS, &info), RECAP_ERR_RANGE);
	return RECAP_OK;
}

void component_construct(struct recap_env *e)
{
	int err;

	env = e;
	err = restore_test();
	if (err == RECAP_OK)
		err = irq_info_test();
	if (err != RECAP_OK)
		expect("setup", err, RECAP_OK);
	recap_log(env, "%s", failures ? "FAILED" : "all as expected");
	recap_parent_exit(env, failures ? 1 : 0);
}

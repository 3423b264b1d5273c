/*
 * thread.c — threads (recap/thread.h), as Genode's thread_start.cc does it
 * on Fiasco.OC: create at core, record the gate core made for the thread
 * (cap_map insert_at its thread slot, the thread_state kcap/id pair), start
 * at an entry that finds its record and calls the thread's function.
 *
 * A thread's stack is a RAM dataspace the runtime attaches through its RM
 * session right below recap_stack_top(i), as Genode's stack area does:
 * core makes no memory for threads, so everything in the address space
 * is a dataspace the component's parent sees (and a C/R parent can save).
 * The lowest page of the thread's RECAP_STACK_SLOT, and whatever of the
 * slot the stack does not fill, stays unmapped: an overflow faults.
 *
 * The records are found by thread index, which a thread computes from its
 * UTCB address: no thread-local storage. The table is written before a
 * thread starts and cleared after it is killed, each entry by the one
 * thread creating or joining it.
 */
#include <l4/sys/ipc.h>

#include <recap/cap_alloc.h>
#include <recap/cap_map.h>
#include <recap/err.h>
#include <recap/layout.h>
#include <recap/ram_session.h>
#include <recap/region_map.h>
#include <recap/rpc_wire.h>
#include <recap/string.h>
#include <recap/thread.h>

static struct recap_thread *threads[RECAP_THREAD_MAX];
static struct recap_thread main_thread;

struct recap_thread *recap_thread_self(void)
{
	unsigned long i = recap_thread_index();

	return i < RECAP_THREAD_MAX ? __atomic_load_n(&threads[i], __ATOMIC_ACQUIRE)
				    : NULL;
}

l4_cap_idx_t recap_thread_rcv_window(struct recap_env *env)
{
	struct recap_thread *t = recap_thread_self();

	return t ? t->rcv_window : env->rcv_window;
}

struct recap_thread *recap_thread_init_main(struct recap_env *env,
					    recap_badge_t gate_badge)
{
	struct recap_thread *t = &main_thread;
	unsigned long slot = recap_thread_slot(0, RECAP_THREAD_GATE);

	t->env = env;
	RECAP_STRING_NAME(strlcpy)(t->name, "main", sizeof(t->name));
	t->index = 0;
	t->cap = recap_cap_invalid();
	t->gate = recap_cap_invalid();
	t->stack.cap = recap_cap_invalid();	/* core's, from the ELF start */
	t->rcv_window = env->rcv_window;
	/* Written by core; a component started by an older parent has none,
	 * and its main entrypoint then cannot get RPC objects. */
	if (gate_badge && gate_badge % RECAP_BADGE_STEP == 0 &&
	    cap_map_insert_at(&env->cap_map, gate_badge, slot) == RECAP_OK)
		t->gate = (struct recap_cap){ .badge = gate_badge,
					      .sel = recap_slot_sel(slot) };
	threads[0] = t;
	return t;
}

/* Where every thread but the main one starts (with rsp 8 below a 16-byte
 * boundary, as at any function's entry). */
static __attribute__((noreturn, used)) void thread_entry(void)
{
	struct recap_thread *t = recap_thread_self();
	unsigned long joiner;

	t->fn(t->arg);
	__atomic_store_n(&t->done, 1, __ATOMIC_SEQ_CST);
	joiner = __atomic_load_n(&t->joiner, __ATOMIC_SEQ_CST);
	if (joiner)
		recap_thread_wake(joiner - 1);
	/* Until the joiner kills it; nothing wakes a closed wait on nobody. */
	for (;;)
		l4_ipc_sleep(L4_IPC_NEVER);
}

/* t's stack: RAM, attached right below its stack top. */
static int stack_make(struct recap_thread *t)
{
	struct recap_env *env = t->env;
	unsigned long at = recap_stack_top(t->index) - RECAP_THREAD_STACK_SIZE;
	unsigned long addr;
	int err;

	_Static_assert(RECAP_THREAD_STACK_SIZE <= RECAP_STACK_SLOT - 4096UL,
		       "no guard page below a thread's stack");
	/* The RAM and RM sessions open lazily: one thread at a time. */
	recap_lock_acquire(&env->session_lock);
	err = recap_ram_alloc(env, RECAP_THREAD_STACK_SIZE, &t->stack);
	if (err == RECAP_OK)
		err = recap_rm_attach(env, t->stack.cap, RECAP_THREAD_STACK_SIZE, 0,
				      at, L4_FPAGE_RW, &addr);
	if (err != RECAP_OK && recap_cap_valid(t->stack.cap))
		recap_ram_free(env, &t->stack);
	recap_lock_release(&env->session_lock);
	return err;
}

/* Detach and free t's stack (the thread is gone). */
static void stack_drop(struct recap_thread *t)
{
	struct recap_env *env = t->env;

	if (!recap_cap_valid(t->stack.cap))
		return;
	recap_lock_acquire(&env->session_lock);
	recap_rm_detach(env, recap_stack_top(t->index) - RECAP_THREAD_STACK_SIZE);
	recap_ram_free(env, &t->stack);
	recap_lock_release(&env->session_lock);
}

/* Give back what the runtime holds for t (not the thread at core). */
static void forget(struct recap_thread *t)
{
	struct recap_env *env = t->env;

	__atomic_store_n(&threads[t->index], NULL, __ATOMIC_RELEASE);
	recap_lock_acquire(&env->cap_lock);
	if (l4_is_valid_cap(t->rcv_window))
		cap_alloc_free_range(&env->cap_alloc, recap_sel_slot(t->rcv_window),
				     RECAP_RPC_MAX_CAPS);
	if (recap_cap_valid(t->gate))
		cap_map_remove(&env->cap_map, t->gate.badge);
	recap_lock_release(&env->cap_lock);
	t->rcv_window = L4_INVALID_CAP;
	t->gate = recap_cap_invalid();
}

int recap_thread_create(struct recap_env *env, struct recap_thread *t,
			char const *name, recap_thread_fn fn, void *arg)
{
	unsigned long gate_slot, window;
	struct recap_cpu_thread ct;
	int err;

	RECAP_STRING_NAME(memset)(t, 0, sizeof(*t));
	t->cap = t->gate = recap_cap_invalid();
	t->stack.cap = recap_cap_invalid();
	t->rcv_window = L4_INVALID_CAP;
	err = recap_cpu_create_thread(env, name, &ct);
	if (err != RECAP_OK)
		return err;
	t->env = env;
	RECAP_STRING_NAME(strlcpy)(t->name, name, sizeof(t->name));
	t->index = ct.index;
	t->cap = ct.cap;
	t->fn = fn;
	t->arg = arg;
	gate_slot = recap_thread_slot(ct.index, RECAP_THREAD_GATE);

	recap_lock_acquire(&env->cap_lock);
	window = cap_alloc_range(&env->cap_alloc, RECAP_RPC_MAX_CAPS);
	err = window == RECAP_SLOT_NONE ? RECAP_ERR_NOMEM
		: cap_map_insert_at(&env->cap_map, ct.gate_badge, gate_slot);
	recap_lock_release(&env->cap_lock);
	if (err == RECAP_OK)
		err = stack_make(t);
	if (window != RECAP_SLOT_NONE)
		t->rcv_window = recap_slot_sel(window);
	if (err == RECAP_OK) {
		t->gate = (struct recap_cap){ .badge = ct.gate_badge,
					      .sel = recap_slot_sel(gate_slot) };
		__atomic_store_n(&threads[ct.index], t, __ATOMIC_RELEASE);
		err = recap_cpu_start(env, ct.cap, (unsigned long)thread_entry,
				      recap_stack_top(ct.index) - sizeof(long));
	}
	if (err != RECAP_OK) {
		recap_cpu_kill_thread(env, ct.cap);
		stack_drop(t);
		forget(t);
		t->cap = recap_cap_invalid();
	}
	return err;
}

int recap_thread_join(struct recap_thread *t)
{
	int err;

	__atomic_store_n(&t->joiner, recap_thread_index() + 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&t->done, __ATOMIC_SEQ_CST))
		recap_thread_block();
	err = recap_cpu_kill_thread(t->env, t->cap);
	stack_drop(t);
	forget(t);
	t->cap = recap_cap_invalid();
	return err;
}

/*
 * startup.c — from _start (crt0.S) to component_construct, then the
 * entrypoint (recap/env.h).
 *
 * What Genode's _main and init_main_thread do on Fiasco.OC, reduced to what
 * exists so far: the capability allocator and cap map, the parent
 * capability (its badge from _parent_cap, its gate at RECAP_PARENT_SLOT),
 * the receive window, then the component's construct function.
 */
#include <l4/sys/ipc.h>
#include <l4/sys/utcb.h>

#include <recap/cap_layout.h>
#include <recap/cap_map.h>
#include <recap/env.h>
#include <recap/err.h>
#include <recap/rpc_wire.h>

/* Written by the parent before the start (crt0.S). */
extern l4_umword_t _parent_cap[8];

void recap_startup(void) __attribute__((noreturn));

static struct recap_env env;

/*
 * Answer every request with "no such object": the main entrypoint has no
 * RPC objects yet. Incoming capabilities are refused (no receive buffer),
 * so nothing lands in the receive window behind the runtime's back.
 */
static void serve_forever(void)
{
	l4_utcb_t *u = l4_utcb();
	l4_umword_t label;
	l4_msgtag_t tag;

	for (;;) {
		l4_utcb_br_u(u)->bdr = 0;
		l4_utcb_br_u(u)->br[0] = 0;
		tag = l4_ipc_wait(u, &label, L4_IPC_NEVER);
		while (!l4_msgtag_has_error(tag)) {
			l4_utcb_mr_u(u)->mr[0] = (l4_umword_t)(long)RECAP_ERR_NOENT;
			l4_utcb_mr_u(u)->mr[1] = 0;
			tag = l4_ipc_reply_and_wait(u, l4_msgtag(0, 2, 0, 0), &label,
						    L4_IPC_SEND_TIMEOUT_0);
		}
	}
}

static void env_init(struct recap_env *e)
{
	unsigned long window;

	cap_alloc_init(&e->cap_alloc);
	cap_map_init(&e->cap_map, &e->cap_alloc, &cap_map_l4_ops, NULL);
	e->parent = recap_cap_invalid();
	e->log = recap_cap_invalid();
	e->log_err = RECAP_OK;
	if (cap_map_insert_at(&e->cap_map, _parent_cap[0], RECAP_PARENT_SLOT) ==
	    RECAP_OK)
		e->parent = (struct recap_cap){
			.badge = _parent_cap[0],
			.sel = recap_slot_sel(RECAP_PARENT_SLOT),
		};
	/* Taken first, from a fresh allocator: cannot fail. */
	window = cap_alloc_range(&e->cap_alloc, RECAP_RPC_MAX_CAPS);
	e->rcv_window = recap_slot_sel(window);
}

void recap_startup(void)
{
	env_init(&env);
	component_construct(&env);
	serve_forever();
	for (;;)
		;
}

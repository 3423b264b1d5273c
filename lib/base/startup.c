/*
 * startup.c — from _start (crt0.S) to component_construct, then the
 * entrypoint (recap/env.h).
 *
 * What Genode's _main and init_main_thread do on Fiasco.OC, reduced to what
 * exists so far: the capability allocator and cap map, the parent
 * capability (its badge from _parent_cap, its gate at RECAP_PARENT_SLOT),
 * the receive window, the main thread's record (its gate's badge from
 * _parent_cap too, recap/cpu_session.h) and its entrypoint, then the
 * component's construct function, then that entrypoint's loop
 * (recap/entrypoint.h), which also hands signals to recap/signal.h.
 */
#include <l4/sys/ipc.h>
#include <l4/sys/utcb.h>

#include <recap/cap_layout.h>
#include <recap/cap_map.h>
#include <recap/cpu_session.h>
#include <recap/entrypoint.h>
#include <recap/env.h>
#include <recap/err.h>
#include <recap/rpc_wire.h>
#include <recap/signal.h>

/* Written by the parent before the start (crt0.S). */
extern l4_umword_t _parent_cap[8];

void recap_startup(void) __attribute__((noreturn));

static struct recap_env env;
static struct recap_entrypoint main_ep;

/*
 * Where this component's cap map is (recap/cap_map.h): a checkpointing
 * parent that restores it with some objects under new labels rewrites the
 * map's entries in the restored memory (cr/restore/capmap.c), as it writes
 * _parent_cap at the start.
 */
__attribute__((used)) struct cap_map *const _recap_cap_map = &env.cap_map;

/* The main entrypoint takes IRQ deliveries for signal contexts. */
static bool signal_hook(struct recap_entrypoint *ep, l4_umword_t label)
{
	return recap_signal_dispatch(ep->env, label);
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
	/* The main thread (its gate's badge from core, next to the parent's)
	 * and the entrypoint it serves once component_construct returns. */
	recap_ep_init(e, &main_ep,
		      recap_thread_init_main(e, _parent_cap[RECAP_PARENT_CAP_MAIN_GATE]));
	main_ep.irq_hook = signal_hook;
	e->ep = &main_ep;
}

void recap_startup(void)
{
	env_init(&env);
	component_construct(&env);
	recap_ep_serve(env.ep);
}

/*
 * recap/pd_session.h — the PD service, the part of it RPC objects need
 * (Genode's Pd_session::alloc_rpc_cap / free_rpc_cap), and the client
 * calls. A PD session names the client's own protection domain.
 *
 * An RPC object a component serves is an IPC gate bound to the entrypoint
 * thread that serves it, labelled with a badge core allocates (unique among
 * every badge core hands out, never reused) or one the component wished
 * for (a restored component's). The component names the entrypoint by
 * that thread's own gate; core believes the capability, not the badge the
 * component claims: the gate's label as the kernel reports it picks one of
 * the client's threads, and the capability must be the very gate core made
 * for it (l4_task_cap_equal against core's copy).
 *
 * Opcodes and arguments (wire format: recap/rpc_wire.h):
 *   ALLOC_RPC_CAP  cap entrypoint (a thread's gate)[, word wished badge]
 *                                                   -> 1 cap: the new gate
 *                  wished badge 0 or left out: a fresh one. Otherwise it
 *                  must be a multiple of RECAP_BADGE_STEP from core's first
 *                  badge on (RECAP_ERR_INVAL), and neither a live object of
 *                  core's nor a thread gate of the PD nor another gate of
 *                  this session bound to the same thread may have it
 *                  (RECAP_ERR_EXIST). Core never hands it out later.
 *   FREE_RPC_CAP   cap (one ALLOC_RPC_CAP gave)     -> -
 *                  the gate is deleted: every copy, in every PD, empties;
 *                  found by capability (l4_task_cap_equal), not by badge
 * Errors: RECAP_ERR_INVAL (malformed), RECAP_ERR_NOENT (no thread of the
 * client's gate has that label / not a capability of this session),
 * RECAP_ERR_DENIED (a gate labelled like a thread's gate that is not that
 * thread's gate), RECAP_ERR_NOMEM (RECAP_PD_RPC_CAPS_MAX reached, or core out of
 * slots).
 *
 *   ADDRESS_SPACE  -                               -> 1 cap: an RM session
 *                  naming the PD's own address space (Genode's
 *                  Pd_session::address_space(); recap/region_map.h), the
 *                  same one every time; it goes with the PD session
 *
 *   HOLD_RPC_CAPS  -                               -> -
 *                  every gate of the session goes into the keeping of
 *                  the session's client's owner (a sub-child's parent,
 *                  cr): the gates outlive the session and the PD, and
 *                  calls through them wait (the kernel holds them, l4/sys/
 *                  x.h) until one is adopted; charged to the owner's cap
 *                  quota. RECAP_ERR_DENIED: the client has no owner
 *   ADOPT_RPC_CAP  cap entrypoint, word badge       -> 1 cap: the gate
 *                  the gate the client's owner holds under badge, bound
 *                  to the entrypoint (checked as for ALLOC_RPC_CAP) and
 *                  this session's from now on; the calls that waited on
 *                  it go to that thread. RECAP_ERR_NOENT: none held,
 *                  RECAP_ERR_EXIST: as for a wished badge. Held gates
 *                  nobody adopts are deleted when the owner ends.
 *                  (docs/cr.md, "Restoring a server under its clients")
 *
 * Closing the session frees its gates.
 *
 * The C/R extension of the session (opcodes 0x10 and up) is in
 * recap/native_pd.h.
 */
#pragma once

#include <recap/capability.h>

struct recap_env;

enum recap_pd_op {
	RECAP_PD_ALLOC_RPC_CAP = 1,
	RECAP_PD_FREE_RPC_CAP = 2,
	RECAP_PD_ADDRESS_SPACE = 3,
	RECAP_PD_HOLD_RPC_CAPS = 4,
	RECAP_PD_ADOPT_RPC_CAP = 5,
};

/* Gates one PD session may hold at once (no capability quota yet). */
#define RECAP_PD_RPC_CAPS_MAX 256

/*
 * The component's PD session, opened at the parent on first use (service
 * "PD") and kept in env->pd. RECAP_OK or the error of opening it (tried
 * again next time).
 */
int recap_pd_session(struct recap_env *env);

/* ALLOC_RPC_CAP: *cap is the new gate, recorded in the cap map. */
int recap_pd_alloc_rpc_cap(struct recap_env *env, struct recap_cap ep,
			   struct recap_cap *cap);

/*
 * ALLOC_RPC_CAP on the PD session pd (the own one, or a child's for cr)
 * with a wished badge (0: any): RECAP_ERR_EXIST if core refuses it,
 * RECAP_ERR_INVAL if it is no badge core hands out.
 */
int recap_pd_alloc_rpc_cap_at(struct recap_env *env, struct recap_cap pd,
			      struct recap_cap ep, recap_badge_t badge,
			      struct recap_cap *cap);

/* ADDRESS_SPACE of PD session pd (the own one, or a child's). */
int recap_pd_address_space(struct recap_env *env, struct recap_cap pd,
			   struct recap_cap *rm);

/* FREE_RPC_CAP; the cap-map entry goes either way. */
int recap_pd_free_rpc_cap(struct recap_env *env, struct recap_cap cap);

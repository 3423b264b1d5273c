/*
 * recap/child_pd.h — the PD handle: what a component gets when it asks its
 * parent for a new PD for a child of its own (Genode's Pd_session made by
 * a parent for its child, plus what init's Child does at core).
 *
 * Request: service "PD" with new_pd="yes", label="NAME" (the child's name;
 * core names it "PARENT -> NAME", the parent's session label) and
 * ram_quota=N, cap_quota=N (taken from the parent's quotas, given back
 * when the child goes; RECAP_ERR_NOMEM / RECAP_ERR_QUOTA if they do not
 * cover it; RECAP_ERR_EXIST if a component of that name exists).
 *
 * The new PD is empty: a task with its UTCB area, its own region map and
 * RAM account, no image, no thread. Its parent builds it through the
 * handle (recap/child.h does all of it) and decides everything the child
 * asks for: the child's parent capability is the parent's own object, so
 * none of its requests reaches core on its own.
 *
 * Opcodes and arguments (wire format: recap/rpc_wire.h):
 *   SESSION  string service, string args  -> 1 cap: a session of core's,
 *            opened on behalf of the child (its client is the child):
 *            "PD" (its own PD: ALLOC_RPC_CAP, the native PD), "CPU"
 *            (threads in its PD; the first one is thread 0, its main
 *            thread), "RM" (its address space), "RAM" (its account),
 *            "SIGNAL", "LOG" (labelled "PARENT -> NAME[ -> label]"),
 *            "ROM" (boot files; "config" is <config/>), "Timer". No
 *            routing: the parent decided.
 *   CLOSE    cap session                  -> -   one of the child's
 *   SIGH     cap signal context (invalid: none) -> -   triggered when the
 *            child ends other than by closing the handle (a crash)
 *   STATE    -                            -> word running, word exit code
 *            (-1: crashed)
 * Errors: RECAP_ERR_INVAL (malformed, not a signal context),
 * RECAP_ERR_NOENT (CLOSE of a session that is not the child's),
 * RECAP_ERR_DENIED (a service core does not provide), those of the
 * services.
 *
 * Closing the handle (parent CLOSE, or the parent's end) ends the child
 * and everything it holds, its own children included.
 */
#pragma once

enum recap_child_pd_op {
	RECAP_CHILD_PD_SESSION = 1,
	RECAP_CHILD_PD_CLOSE = 2,
	RECAP_CHILD_PD_SIGH = 3,
	RECAP_CHILD_PD_STATE = 4,
};

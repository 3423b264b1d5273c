/*
 * rpc_server.h — core's RPC objects, its object pool, and the loop that
 * serves them (Genode's Rpc_entrypoint with its Object_pool, on one thread).
 *
 * Every object core serves is a struct rpc_object embedded in a bigger
 * struct (a child's parent object, a LOG session, a pager). Attaching one
 * gives it a fresh badge and an IPC gate with that badge as its label,
 * bound to core's serving thread (its main thread); the pool maps badges
 * to objects. A request arrives with label = badge | the invoker's W/S
 * bits: the loop finds the object by badge and calls its dispatch function.
 *
 * Two kinds of objects:
 *  - RPC objects speak recap/rpc_wire.h. The loop checks the message before
 *    dispatch (well-formed, protocol label 0, an opcode present; mr[0], the
 *    client's idea of the destination, is not believed) and answers a malformed one with
 *    RECAP_ERR_INVAL itself; dispatch gets the opcode and a cursor at the
 *    first argument.
 *  - Fault objects (pagers) receive what the kernel sends for a faulting
 *    thread: page-fault and exception messages in the kernel's format, not
 *    ours. Dispatch gets the raw message.
 *
 * A dispatch function returns the result to answer with (RECAP_OK or a
 * negative enum recap_err), or RPC_NO_REPLY to leave the caller waiting
 * (an exiting child, a crashed thread). To answer with capabilities or
 * data, it calls rpc_reply_start() after reading every argument, then
 * rpc_msg_put_*(&req->msg, ...), and returns RECAP_OK. For an error result
 * the loop drops whatever was started and answers with the result alone.
 *
 * Everything here runs on core's one thread: no locking.
 */
#pragma once

#include <stdbool.h>

#include <l4/sys/types.h>

#include <recap/capability.h>
#include <recap/rpc_msg.h>

#define RPC_NO_REPLY 1

struct rpc_object;
struct rpc_request;

typedef int (*rpc_dispatch_fn)(struct rpc_object *obj, struct rpc_request *req);

enum rpc_object_kind {
	RPC_OBJECT_RPC,		/* speaks recap/rpc_wire.h */
	RPC_OBJECT_FAULT,	/* receives kernel fault messages */
};

struct rpc_object {
	recap_badge_t badge;		/* 0 while not attached */
	l4_cap_idx_t gate;		/* core's selector of the gate */
	enum rpc_object_kind kind;
	rpc_dispatch_fn dispatch;
	struct rpc_object *next;	/* pool chain */
};

struct rpc_request {
	l4_msgtag_t tag;	/* as received */
	l4_umword_t label;	/* as received: badge | W/S rights */
	l4_umword_t *mr;	/* core's message registers */
	l4_umword_t op;		/* RPC objects: the opcode */
	struct rpc_msg msg;	/* RPC objects: the arguments, then the reply */
	bool reply_started;	/* rpc_reply_start() was called */
};

/* Core's serving thread is ready: arm its receive window. RECAP_ERR_NOMEM. */
int rpc_server_init(void);

/*
 * Give obj a badge and a gate and put it into the pool. RECAP_ERR_NOMEM:
 * no slot left; a kernel error if the gate cannot be created.
 */
int rpc_object_attach(struct rpc_object *obj, enum rpc_object_kind kind,
		      rpc_dispatch_fn dispatch);

/*
 * The same with the badge wish if it is not 0: granted as rpc_badge_grant
 * grants (RECAP_ERR_EXIST if a live object of core's has it), for a
 * restored component that remembers its objects' labels.
 */
int rpc_object_attach_badge(struct rpc_object *obj, enum rpc_object_kind kind,
			    rpc_dispatch_fn dispatch, recap_badge_t wish);

/*
 * Take obj out of the pool and delete its gate: every copy any task holds
 * becomes empty (core created the gate, so it holds it with D). Its badge
 * is never handed out again. A detached object may be attached anew.
 */
void rpc_object_detach(struct rpc_object *obj);

/* The capability to obj, as core holds it (for a reply's map item). */
struct recap_cap rpc_object_cap(struct rpc_object const *obj);

/*
 * A fresh badge for a gate core creates for someone else's thread (a
 * component's own thread gate): unique among all badges core hands out.
 */
recap_badge_t rpc_badge_alloc(void);

/*
 * May a component have a gate labelled badge (a wished badge: a restored
 * child's gates keep their labels)? RECAP_OK if badge is a multiple of
 * RECAP_BADGE_STEP from core's first badge on and no live object of core's
 * has it; the counter then moves past it if it is of this run's epoch, so
 * rpc_badge_alloc never returns it (a badge of another epoch it never
 * reaches). RECAP_ERR_INVAL for a badge core never hands out, RECAP_ERR_EXIST if
 * one of core's objects has it. Gates of different components may share a
 * granted badge: they are not core's objects, and nobody believes a label
 * without l4_task_cap_equal.
 */
int rpc_badge_grant(recap_badge_t badge);

/*
 * The object behind capability argument i of an RPC request, if it is one
 * of core's: found by the label the kernel reports for the received gate
 * (not by the badge the sender claims), and confirmed to be the very gate
 * core made for it (l4_task_cap_equal); otherwise NULL.
 */
struct rpc_object *rpc_request_object(struct rpc_request *req, unsigned i);

/*
 * The badge the kernel reports as the label of capability argument i
 * (l4x_cap_info on core's receive slot), whatever badge the sender
 * claims; 0 if it is no gate. The registers are left as they were.
 */
recap_badge_t rpc_request_label(struct rpc_request *req, unsigned i);

/*
 * Does capability argument i of an RPC request name the same object as
 * core's selector sel (for objects that are not in the pool: the IRQs of
 * signal contexts)? The registers are left as they were.
 */
bool rpc_request_cap_is(struct rpc_request *req, unsigned i, l4_cap_idx_t sel);

/* Begin the reply (result RECAP_OK) with n capabilities; see above. */
void rpc_reply_start(struct rpc_request *req, struct recap_cap const *caps,
		     unsigned n);

/*
 * Timed work beside the requests (core's Timer service). Before every wait
 * the loop calls expire(), which does whatever has fallen due, and then
 * waits for a request no longer than timeout() says. expire() must leave
 * the message registers alone: a reply may be waiting in them. Setting
 * NULLs removes the clock; without one the loop waits for ever.
 */
void rpc_server_set_clock(l4_timeout_s (*timeout)(void), void (*expire)(void));

/*
 * Serve requests until more() says false (asked before every wait); a
 * reply still owed then is sent before returning.
 */
void rpc_server_run(bool (*more)(void));

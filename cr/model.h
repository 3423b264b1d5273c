/*
 * model.h — what cr knows about one child: the record its intercepting
 * objects keep while the child runs, which a checkpoint writes out and a
 * restore rebuilds from (docs/cr.md).
 *
 * Invariants:
 *  - every capability the child got through one of cr's sessions is in the
 *    record, with cr's own copy of it (cr_ds.cap, cr_thread.cap,
 *    cr_rpc_gate.gate, cr_context.irq), until the child gives it back;
 *  - a dataspace is recorded once; where it is attached is core's region
 *    map's to say (a checkpoint asks it: RM REGION);
 *  - threads are indexed as core indexes them (recap_thread_slot(i, ...)),
 *    so the record's index is the thread's place in the capability space
 *    and the UTCB area.
 *
 * Tables are fixed-size arrays with a `used` flag: a child's resources
 * are bounded by core's own limits (RAM sessions hold at most 256
 * dataspaces, a PD at most 256 RPC gates, 128 threads), and indices stay
 * stable, which is what records refer to each other by.
 */
#pragma once

#include <stdbool.h>

#include <l4/sys/types.h>

#include <recap/capability.h>
#include <recap/child.h>
#include <recap/rpc_server.h>

#define CR_NAME_MAX 63
#define CR_ARGS_MAX 256
#define CR_THREAD_NAME_MAX 31
#define CR_MAX_SESSIONS 32
#define CR_MAX_DS 512
#define CR_MAX_THREADS 128
#define CR_MAX_RPC_GATES 256
#define CR_MAX_CONTEXTS 256
#define CR_MAX_MANAGED 32

struct cr_child;

enum cr_service {
	CR_SVC_PD = 1,
	CR_SVC_CPU,
	CR_SVC_RM,
	CR_SVC_RAM,
	CR_SVC_ROM,
	CR_SVC_LOG,
	CR_SVC_TIMER,
	CR_SVC_SIGNAL,
	CR_SVC_CR,		/* the child serves checkpoint requests */
	CR_SVC_OTHER,		/* routed through cr, not intercepted */
};

/* A dataspace the child holds or has attached. */
struct cr_ds {
	bool used;
	struct recap_cap cap;		/* cr's copy */
	unsigned long size;		/* bytes, whole pages */
	int session;			/* the RAM / ROM session it came from, -1: loader */
	bool writable;			/* RAM: yes; ROM: no */
	unsigned long object;		/* kernel object id of cap (0: unknown),
					   read once: a checkpoint needs it
					   of every dataspace, and ids never
					   change (or come back) */
};

struct cr_thread {
	bool used;
	char name[CR_THREAD_NAME_MAX + 1];
	struct recap_cap cap;		/* core's thread capability (cr's copy) */
	recap_badge_t gate_badge;	/* its gate at recap_thread_slot(i, GATE) */
	bool started;
	bool held;			/* paused by the child itself (CPU PAUSE) */
	unsigned long ip, sp;		/* where START sent it */
	/* Kernel ids: this run's (0: not asked yet) and the ones the child
	 * sees (0: none handed out yet), cr/intercept/ids.c. */
	unsigned long id, irq_id;
	unsigned long vid, irq_vid;
};

/* A gate of one of the child's own entrypoints (PD ALLOC_RPC_CAP). */
struct cr_rpc_gate {
	bool used;
	unsigned thread;		/* the entrypoint's thread index;
					   CAPS_THREAD_GONE once it was killed */
	struct recap_cap gate;		/* cr's copy; its badge is the label */
};

/* A signal context (SIGNAL ALLOC_CONTEXT): an IRQ bound to a thread. */
struct cr_context {
	bool used;
	unsigned long thread;		/* as the child asked: 0 main thread */
	l4_umword_t label;
	struct recap_cap irq;		/* cr's copy */
};

/*
 * A managed region map the child created (RM CREATE, intercept/rm.c):
 * only which one and through which session. Its layout, dataspace and
 * fault handler are core's to say at a checkpoint (checkpoint/memory.c);
 * the child speaks to core's map directly, not through cr.
 */
struct cr_managed {
	bool used;
	int session;			/* the RM session that owns it */
	struct recap_cap cap;		/* cr's copy of the map */
};

/* The timer session's programme. */
struct cr_timer {
	enum { CR_TIMER_NONE, CR_TIMER_ONCE, CR_TIMER_PERIODIC } mode;
	unsigned long us;		/* delay or period */
	unsigned long programmed_at_us;	/* session time when it was set (read
					   after core set it) */
	unsigned long programmed_lo_us;	/* and read before: core's deadline is
					   within these two + us */
	recap_badge_t sigh;		/* the context's badge, RECAP_BADGE_INVALID: none */
	long elapsed_offset_us;		/* added to the real session's time (restore) */
};

/* A CR session of the child's (intercept/cr.c): whom core signals, and
 * whether the child is serving a request (fetched, not DONE yet: a
 * checkpoint then would lose it). */
struct cr_requests {
	recap_badge_t sigh;		/* the context's badge, RECAP_BADGE_INVALID: none */
	bool serving;
};

/* One session the child holds: cr's object, and the real one behind it. */
struct cr_session {
	bool used;
	enum cr_service service;
	char service_name[CR_NAME_MAX + 1];
	char args[CR_ARGS_MAX + 1];
	struct recap_rpc_object obj;	/* what the child holds */
	unsigned long object;		/* obj's kernel object id (0: unknown),
					   read once, as cr_ds's */
	struct recap_cap real;		/* the session behind it */
	struct cr_child *child;
	struct cr_timer timer;		/* CR_SVC_TIMER */
	struct cr_requests requests;	/* CR_SVC_CR */
};

/*
 * The child's last checkpoint, which an incremental one extends
 * (cr/checkpoint/memory.c, docs/cr.md "Incremental checkpoints"). Dirty
 * tracking (native PD DIRTY) restarts for all of the child's memory at
 * every checkpoint; `valid` says it did at checkpoint `seq`.
 */
#define CR_INCR_MAX_DS 256
struct cr_incr {
	unsigned long seq;			/* checkpoints taken, the last one's number */
	unsigned long instance;			/* this run of the child, not 0 once set */
	bool valid;				/* an increment may extend checkpoint seq */
	bool whole_all;				/* whole[] overflowed: save all whole */
	unsigned nobjects;
	unsigned long objects[CR_INCR_MAX_DS];	/* its dataspaces' kernel object ids */
	unsigned nwhole;
	unsigned long whole[CR_INCR_MAX_DS];	/* detached since: its dirty
						   pages there are unknown */
};

/* The child detached (part of) the dataspace with that kernel object id:
 * its next increment saves it whole. */
void cr_incr_detached(struct cr_child *c, unsigned long object);

/*
 * A dataspace of the child cr keeps attached read-only between
 * checkpoints (cr/checkpoint/memory.c): reading a fresh attachment costs a
 * page fault every 16 pages, a third of what the copy itself costs.
 */
#define CR_MAX_VIEWS 64
struct cr_view {
	unsigned long object;			/* kernel object id; 0: free */
	unsigned long addr, size;		/* in cr's address space */
};

struct cr;

struct cr_child {
	struct recap_child child;		/* the child API's part */
	char name[CR_NAME_MAX + 1];
	char binary[CR_NAME_MAX + 1];
	struct recap_env *env;			/* cr's */
	struct cr *cr;				/* its cr (cr.h) */
	struct recap_entrypoint *ep;		/* serves the child's objects */
	struct cr_child *next;			/* cr's children */
	bool stopped;				/* paused for good (--stop) */
	struct cr_session sessions[CR_MAX_SESSIONS];
	struct cr_ds ds[CR_MAX_DS];
	struct cr_thread threads[CR_MAX_THREADS];
	struct cr_rpc_gate rpc_gates[CR_MAX_RPC_GATES];
	struct cr_context contexts[CR_MAX_CONTEXTS];
	struct cr_managed managed[CR_MAX_MANAGED];
	unsigned long parent_cap_addr;		/* the child's _parent_cap */
	struct cr_incr incr;			/* what an increment extends */
	struct cr_view views[CR_MAX_VIEWS];
	unsigned long vid_next;			/* the next id ids.c hands out */
};

/* ---- record keeping (model.c) ------------------------------------------- */

/* The dataspace record whose capability names the same object as cap. */
int cr_ds_find(struct cr_child *c, struct recap_cap cap);

/* Record a dataspace (cr's copy of its capability); index or -1 if full. */
int cr_ds_add(struct cr_child *c, struct recap_cap cap, unsigned long size,
	      int session, bool writable);

/* Forget dataspace i. */
void cr_ds_remove(struct cr_child *c, unsigned i);

/* The thread whose gate has that badge, or -1. */
int cr_thread_by_gate(struct cr_child const *c, recap_badge_t badge);

/* The thread record whose capability names the same object as cap, or -1. */
int cr_thread_find(struct cr_child *c, struct recap_cap cap);

/* Do a (cr's own selector) and b name the same object? */
bool cr_cap_same(struct recap_cap a, struct recap_cap b);

/*
 * cr.h — the checkpoint/restore component: its children, the requests it
 * takes from core's CR service, and the two operations (docs/cr.md).
 *
 * cr is single-threaded: its main entrypoint serves the children's parent
 * objects, every intercepting session object and the CR signal. While it
 * checkpoints or restores, no call of a child is being served, so none can
 * be half-done inside cr (docs/cr.md, "Choose the moment").
 */
#pragma once

#include <recap/cr_session.h>
#include <recap/env.h>

#include "model.h"

#define CR_MAX_KEPT 256

/*
 * A third party's object a checkpointed child held (a session routed
 * through cr's parent, a capability a server handed it): cr keeps its
 * own capability to it, so that a restore in the same system names the
 * same object again (docs/cr.md, "Third parties"). Found by the kernel
 * object id and label the image records; believed only while the
 * capability still names an object with that id (ids are unique in one
 * kernel run, and cr's slot for an object is shared with every other
 * holder inside cr: an object cr lets go elsewhere is gone here too).
 */
struct cr_kept {
	unsigned long id;			/* kernel object id at checkpoint */
	unsigned long label;
	struct recap_cap cap;			/* cr's */
};

/*
 * A buffer cr keeps from one checkpoint to the next (checkpoint.c): a RAM
 * dataspace, attached and written once. Memory fresh from core costs a
 * page fault, a page allocated and a page zeroed for every 4 KiB
 * written, several times what a copy into it costs, and allocating and
 * attaching it costs calls to core. Two are kept:
 *  - the stream buffer, which checkpoints are written into: in it a
 *    checkpoint is one memcpy of the child's memory. Core hands cr no
 *    checkpoint request while the command that took the previous stream
 *    still reads it (core/cr_service.c), so it is never rewritten under
 *    a reader;
 *  - the scratch buffer, which core writes answers into that do not fit
 *    a message: a thread's state (threads.c; STATE_SET's translated copy,
 *    intercept/cpu.c), native PD CAP_LIST's slots
 *    (capspace.c), DIRTY's bitmap of one attachment's written pages
 *    (memory.c).
 */
struct cr_buffer {
	struct recap_ds ds;			/* invalid cap: none */
	void *buf;				/* ds attached here */
};

struct cr {
	struct cr_kept kept[CR_MAX_KEPT];	/* third parties' objects */
	unsigned nkept;
	struct recap_env *env;
	struct recap_cap session;		/* CR at core */
	struct cr_child *children;
	unsigned long child_ram, child_caps;	/* quotas of each child */
	unsigned long request;		/* id of the request being carried out,
					   for PROGRESS (cr_progress) */
	/* config report_times="yes" (benchmarks, docs/cr.md): a Timer
	 * session as clock; how long the current checkpoint has kept the
	 * child paused (every pause of it, summed) and since when. */
	bool report_times;
	struct recap_cap clock;
	unsigned long pause_from_us, paused_us;
	unsigned long progress_done;	/* what cr_progress last reported */
	struct cr_buffer stream, scratch;
};

/* b, at least bytes long (page-rounded): the kept one, or a new one with
 * every page written once. RECAP_OK or an error (then b is empty). */
int cr_buffer_get(struct cr *cr, struct cr_buffer *b, unsigned long bytes);

/* Give b back to cr's RAM session (the stream buffer before a restore:
 * the restore needs the room more than the next checkpoint the speed). */
void cr_buffer_release(struct cr *cr, struct cr_buffer *b);

/* Microseconds on cr's clock; 0 unless cr reports times. */
unsigned long cr_clock_us(struct cr *cr);

/* Tell core (and the waiting command) that done of total units of the
 * current request are done: bytes of memory, say. Best effort: a command
 * that gave up makes core refuse it, which changes nothing here. Only
 * steps of at least 1% and the end are reported (core passes on no more;
 * a call to core costs an increment more than its small dataspaces). */
void cr_progress(struct cr *cr, unsigned long done, unsigned long total);

/* The child policy cr starts children with: everything intercepted. */
extern struct recap_child_policy const cr_policy;

/* cr's capability to the third party's object the image knows by id and
 * label, if cr kept it and it still exists; else invalid. */
struct recap_cap cr_kept_find(struct cr *cr, unsigned long id,
			      unsigned long label);

/* Keep cap, cr's capability to that object. RECAP_ERR_NOMEM: no room. */
int cr_kept_add(struct cr *cr, unsigned long id, unsigned long label,
		struct recap_cap cap);

/* The child named name, or NULL. */
struct cr_child *cr_child_find(struct cr *cr, char const *name);

/*
 * Open the intercepting session for service on c's behalf: the real one
 * behind it (an env session, or one through the PD handle), cr's object in
 * front, with the given badge if not 0 and free (a restore keeps the old
 * one). RECAP_OK and *cap (what the child gets), or an error.
 */
int cr_session_open(struct cr_child *c, char const *service, char const *args,
		    recap_badge_t badge, struct recap_cap *cap);

/* A new child record named name (heap), or NULL. */
struct cr_child *cr_child_alloc(struct cr *cr, char const *name,
				char const *binary);

/* Record c's main thread, made by the child API, as the CPU session
 * records threads (its gate badge from the kernel). */
void cr_child_seed_main(struct cr_child *c);

/*
 * Checkpoint child c into the stream buffer (cr->stream): *ds (the
 * buffer's dataspace, still cr's), *len. flags: RECAP_CR_FLAG_*.
 * RECAP_OK, or an error with a one-line reason in msg (msg_size bytes).
 */
int cr_checkpoint(struct cr *cr, struct cr_child *c, unsigned long flags,
		  struct recap_ds *ds, unsigned long *len,
		  char *msg, unsigned long msg_size);

/*
 * Restore a child from the stream of len bytes at stream, named as_label
 * if not empty, else as the stream says. flags: RECAP_CR_FLAG_REPLACE
 * (end the stopped child of that name first, its entrypoint gates taken
 * over: docs/cr.md, "Restoring a server under its clients") or 0.
 * RECAP_OK or an error and msg.
 */
int cr_restore(struct cr *cr, void const *stream, unsigned long len,
	       char const *as_label, unsigned long flags,
	       char *msg, unsigned long msg_size);

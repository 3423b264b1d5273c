/*
 * rst.h — one restore in progress: the parts of it, one module per kind
 * of resource (CRIU's restore side), sharing this context.
 *
 * Order (restore.c): read and check every section before anything is
 * made; the PD (child API, no image); memory (memory.c); threads, made
 * but not started (threads.c); sessions, signal contexts and the timer
 * (sessions.c); managed region maps (memory.c); entrypoint gates and
 * every slot (capspace.c); thread states, then all threads go
 * (threads.c).
 *
 * Objects are matched by the kernel object id the image names them by
 * (ids of the checkpointed run): rst_map records, for each old id, the
 * capability cr made for it in this run.
 */
#pragma once

#include <recap/cr_stream.h>

#include "../capspace_record.h"
#include "../cr.h"
#include "../crfmt.h"
#include "../real.h"

struct rst_map {
	unsigned long old_id;		/* kernel object id in the image */
	struct recap_cap cap;		/* cr's capability to the new object */
};

struct rst_thread_id {
	unsigned long old_id, new_id;	/* kernel ids: image, this run */
};

struct rst {
	struct cr *cr;
	struct recap_env *env;
	struct cr_child *c;		/* the new child */
	bool replace;			/* RECAP_CR_FLAG_REPLACE (replace.c) */
	char *msg;
	unsigned long msg_size;

	/* the stream's sections (views into it) */
	struct cr_stream_section meta, threads, capspace, sessions, regions, pages;
	struct crfmt_meta m;

	/* the capability space of the image, in slot order (heap) */
	struct caps_entry *caps;
	unsigned ncaps;

	/* old object -> new capability (heap) */
	struct rst_map *map;
	unsigned nmap, map_max;

	/* badges that changed for objects other than gates (signal
	 * contexts: core's name for an IRQ), for the cap map (capmap.c) */
	struct { recap_badge_t from, to; } renamed[CR_MAX_CONTEXTS];
	unsigned nrenamed;

	/* old thread / IRQ ids -> new ones */
	struct rst_thread_id ids[2 * CR_MAX_THREADS];
	unsigned nids;

	/* threads of the image made after the entrypoint gates (threads.c) */
	bool thread_late[CR_MAX_THREADS];

	/* the intercepted sessions opened again, by their id in the image
	 * (1..CR_MAX_SESSIONS; sessions.c), for managed maps (memory.c) */
	struct cr_session *session_by_id[CR_MAX_SESSIONS + 1];
};

int rst_fail(struct rst *r, int err, char const *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Record that old_id is now cap; RECAP_ERR_NOMEM if the map is full. */
int rst_map_add(struct rst *r, unsigned long old_id, struct recap_cap cap);

/* The image's entry for slot, or NULL. */
struct caps_entry const *rst_cap_at(struct rst const *r, unsigned long long slot);

/* memory.c */
int rst_memory(struct rst *r);
/* The ROM module's dataspace id of the image, from s, the ROM session
 * opened again that had it: attached where it was, recorded, mapped. */
int rst_memory_rom(struct rst *r, struct cr_session *s, uint64_t id);
/* The image's managed region maps, made again through their RM sessions
 * (after rst_sessions: the sessions and signal contexts exist), with what
 * was attached in them, their fault handlers and their windows. */
int rst_memory_managed(struct rst *r);

/* threads.c: the threads whose gate label is an entrypoint gate's of the
 * image (late), or the others; see there. */
int rst_threads_create(struct rst *r, bool late);
int rst_threads_start(struct rst *r);

/* sessions.c */
int rst_sessions(struct rst *r);

/* capmap.c */
int rst_capmap(struct rst *r);

/* replace.c: end the stopped child named name, its gates held by core
 * for the restore to adopt (none of that name: nothing to end). */
int rst_replace_end(struct rst *r, char const *name);

/* replace.c: the gate core holds for this child under label, bound to
 * the entrypoint ep: RECAP_OK and *gate, RECAP_ERR_NOENT if none. */
int rst_replace_adopt(struct rst *r, struct recap_cap ep, recap_badge_t label,
		      struct recap_cap *gate);

/* capspace.c */
int rst_capspace_read(struct rst *r);
int rst_ep_gates(struct rst *r);
int rst_capspace_install(struct rst *r);

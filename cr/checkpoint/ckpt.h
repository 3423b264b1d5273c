/*
 * ckpt.h — one checkpoint in progress: the parts of it, one module per
 * kind of resource (CRIU's dump side), sharing this context.
 *
 * Order (checkpoint.c): pause the threads and read their states
 * (threads.c), read the capability space from the kernel (capspace.c),
 * check the moment is safe (threads.c), then write the sections:
 * meta, threads, capspace, sessions (sessions.c), regions and pages
 * (memory.c); resume unless stopping.
 */
#pragma once

#include <stdbool.h>

#include <recap/cr_stream.h>

#include "../capspace_record.h"
#include "../cr.h"
#include "../crfmt.h"
#include "../real.h"

/* Dataspaces one checkpoint saves at most. */
#define CKPT_MAX_DS 256

/* The session index that stands for the config ROM (the child API's). */
#define CKPT_CONFIG_ROM CR_MAX_SESSIONS
/* Session indices from here on stand for the child API's sessions through
 * cr's parent (a third party's): CKPT_OTHER_SESSION + its index there. */
#define CKPT_OTHER_SESSION (CR_MAX_SESSIONS + 1)

/* An object cr knows, by kernel object id: what a slot can turn out to be. */
struct ckpt_known {
	unsigned long id;		/* kernel object id of cr's copy */
	unsigned role;			/* enum caps_role */
	unsigned index;			/* session / thread / gate / context index */
};

struct ckpt {
	struct cr *cr;
	struct cr_child *c;
	struct recap_env *env;
	unsigned long flags;		/* RECAP_CR_FLAG_* */
	char *msg;			/* where a failure is explained */
	unsigned long msg_size;

	/* threads.c */
	struct crfmt_thread *threads;	/* heap: one per recorded thread */
	unsigned nthreads;
	bool paused[CR_MAX_THREADS];
	int in_fault;			/* a thread in a fault not answered
					   yet (-1: none), ckpt_threads_capture */

	/* capspace.c */
	struct ckpt_known *known;	/* heap */
	unsigned nknown;
	struct caps_space caps;		/* entries on the heap */

	/* memory.c: dirty tracking (docs/cr.md "Incremental checkpoints") */
	bool incremental;		/* only pages written since the last one */
	bool dirty_touched;		/* tracking was restarted (for some pages) */
	bool dirty_reset;		/* ... for all of the child's memory */
	unsigned nobjects;		/* the dataspaces saved, by object id */
	unsigned long objects[CR_INCR_MAX_DS];
	unsigned long pages_saved;	/* pages in the pages section */
	/* the child's dataspaces as the last ckpt_memory_size found them
	 * (their ids are the regions section's), memory.c's */
	struct ckpt_mem *mem;		/* heap */

	/* the stream, in cr->stream */
	struct tlv_writer w;
};

/* Say why it failed (printf-like), return err. */
int ckpt_fail(struct ckpt *k, int err, char const *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* threads.c */
int ckpt_threads_pause(struct ckpt *k);
void ckpt_threads_resume(struct ckpt *k);
int ckpt_threads_capture(struct ckpt *k);
int ckpt_threads_check_moment(struct ckpt *k);
void ckpt_threads_write(struct ckpt *k);
void ckpt_threads_fini(struct ckpt *k);

/* capspace.c */
int ckpt_capspace_capture(struct ckpt *k);
void ckpt_capspace_write(struct ckpt *k);
bool ckpt_capspace_has_id(struct ckpt const *k, unsigned long id);
/* The slot holding the object with that id, or CRFMT_NO_SLOT. */
unsigned long long ckpt_capspace_slot_of(struct ckpt const *k, unsigned long id);
void ckpt_capspace_fini(struct ckpt *k);
/* Keep cr's own capability to every third party's object the child
 * holds (cr.h, cr_kept), so that a restore can name it again. */
int ckpt_capspace_keep(struct ckpt *k);

/* sessions.c */
void ckpt_sessions_write(struct ckpt *k);
/* Is the child serving a CR request (fetched, not answered)? */
bool ckpt_sessions_serving(struct ckpt const *k);

/* memory.c */
/* The child's dataspaces (kept in k->mem for ckpt_memory_write) and the
 * bytes of them; slots naming them are marked as dataspaces. */
int ckpt_memory_size(struct ckpt *k, unsigned long *bytes);
void ckpt_memory_fini(struct ckpt *k);
/* The regions section's id of dataspace ds (cr's copy), as the last
 * ckpt_memory_size numbered them; 0 if it has none. */
uint64_t ckpt_memory_id_of(struct ckpt const *k, struct recap_cap ds);
/* Writes regions and pages of the dataspaces ckpt_memory_size found
 * (k->mem); with k->incremental only the pages written
 * since the child's last checkpoint (of dataspaces it had then). Restarts
 * dirty tracking of all the child's memory either way. */
int ckpt_memory_write(struct ckpt *k);

/*
 * capspace_record — the capability space of one task as checkpointed: the
 * in-memory model and its image section (IMAGE_SEC_CAPSPACE).
 *
 * Checkpointing walks the target's space with l4x_cap_next/l4x_cap_info and
 * gets, per used slot, what the kernel knows: kind, rights, kernel object
 * id and (gates, IRQs) label. cr adds what only it knows: the object's
 * role (its own session object, a gate of the target's own entrypoint,
 * a thread-area IRQ, ...), which is what restore needs to recreate the
 * object. The model keeps both; capspace_check compares two of them,
 * capspace_print lists one for people and for programs.
 *
 * Module prefix caps_ (the kernel's own capability space is capspace_*).
 *
 * The section is a sequence of TLV records (image/tlv.h): an optional
 * CAPS_TAG_NAME string, then one CAPS_TAG_SLOT field per used slot, in
 * ascending slot order, each a nested record of the slot's fields (tags
 * below). Tags are never renumbered or reused; readers skip tags they do
 * not know, so newer writers can add fields.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <l4/sys/consts.h>	/* L4_CAP_FPAGE_R/W/S/D */
#include <l4/sys/x.h>		/* enum l4x_obj_kind */

#include "image/image.h"
#include "image/tlv.h"

#define CAPS_MSG_MAX 256		/* error messages, NUL included */
#define CAPS_NAME_MAX 64		/* task name, NUL included */
#define CAPS_SERVICE_MAX 32		/* session service name, NUL included */
#define CAPS_DETAIL_MAX 128		/* role detail, NUL included */
/* Slots of a kernel capability space (Fiasco's 20-bit object-space index,
 * kernel/capspace.h): a slot beyond cannot be restored, so it is refused. */
#define CAPS_SLOT_LIMIT (1ULL << 20)

#define CAPS_NO_LABEL (~0ULL)		/* label of kinds without one */

/* Rights: the l4sys capability rights bits, as l4x_cap_info reports them. */
#define CAPS_R ((uint32_t)L4_CAP_FPAGE_R)
#define CAPS_W ((uint32_t)L4_CAP_FPAGE_W)
#define CAPS_S ((uint32_t)L4_CAP_FPAGE_S)
#define CAPS_D ((uint32_t)L4_CAP_FPAGE_D)
#define CAPS_RIGHTS_ALL (CAPS_R | CAPS_W | CAPS_S | CAPS_D)

/*
 * What cr knows a slot's object to be. The numbers are part of the image
 * format: never renumbered or reused. A reader keeps numbers it does not
 * know (from a newer writer) and prints them as "role N".
 */
enum caps_role {
	CAPS_ROLE_UNKNOWN = 0,		/* not identified: a third party's object */
	CAPS_ROLE_TASK = 1,		/* the task's own task object (slot 1) */
	CAPS_ROLE_PARENT = 2,		/* the gate to the parent (slot 8) */
	CAPS_ROLE_THREAD_GATE = 3,	/* thread area: IPC gate of thread .thread */
	CAPS_ROLE_THREAD_PAGER = 4,	/* thread area: its pager gate */
	CAPS_ROLE_THREAD_IRQ = 5,	/* thread area: the IRQ its locks block on */
	CAPS_ROLE_SESSION = 6,		/* a session (cr's object); .service */
	CAPS_ROLE_DATASPACE = 7,	/* a dataspace (cr's object) */
	CAPS_ROLE_REGION_MAP = 8,	/* a region map (cr's object) */
	CAPS_ROLE_SIGNAL_SOURCE = 9,	/* an IRQ signals are delivered through */
	CAPS_ROLE_SIGNAL_CONTEXT = 10,	/* a signal context (cr's object) */
	CAPS_ROLE_EP_GATE = 11,		/* a gate of the task's own entrypoint
					   thread .thread, for the RPC object
					   with badge .badge */
	CAPS_ROLE_THREAD = 12,		/* a CPU-session thread (cr's object) */
	CAPS_ROLE_COUNT
};

/* .thread of an EP gate whose thread was killed: the gate is bound to
 * nothing (calls to it fail), and a restore makes it so again. */
#define CAPS_THREAD_GONE (~0U)

/* One used slot. */
struct caps_entry {
	uint64_t slot;			/* index in the space (selector >> L4_CAP_SHIFT) */
	uint32_t kind;			/* enum l4x_obj_kind, never L4X_KIND_NONE */
	uint32_t rights;		/* CAPS_R | CAPS_W | CAPS_S | CAPS_D */
	uint64_t object;		/* kernel object id: unique in one kernel run */
	uint64_t label;			/* gate / IRQ label; CAPS_NO_LABEL otherwise */
	uint32_t role;			/* enum caps_role */
	uint32_t thread;		/* thread roles, EP gate: the thread's index */
	uint64_t badge;			/* EP gate: the RPC object's badge */
	char service[CAPS_SERVICE_MAX];	/* session: "LOG", "ROM", ...; else "" */
	char detail[CAPS_DETAIL_MAX];	/* for people: "LOG session 'hello'" */
};

/* A capability space: its used slots, ascending, each once. */
struct caps_space {
	char name[CAPS_NAME_MAX];	/* the task's name, "" if none */
	struct caps_entry *entries;
	size_t n;
	size_t cap;			/* entries allocated */
};

enum caps_status {
	CAPS_OK = 0,
	CAPS_ERR_NOMEM,
	CAPS_ERR_RECORD,		/* a malformed record (see the message) */
	CAPS_ERR_SLOT,			/* slot beyond the limit, twice, out of order */
	CAPS_ERR_ENTRY,			/* kind none, unknown rights bits */
	CAPS_ERR_IMAGE,			/* the image layer failed, or no such section */
};

struct caps_err {
	enum caps_status code;
	char msg[CAPS_MSG_MAX];		/* one line, "" when CAPS_OK */
};

/* Tags of the section's top-level fields. */
enum caps_tag {
	CAPS_TAG_NAME = 1,		/* string: struct caps_space.name */
	CAPS_TAG_SLOT = 2,		/* nested record: one struct caps_entry */
};

/* Tags inside a slot record. */
enum caps_slot_tag {
	CAPS_STAG_SLOT = 1,		/* required */
	CAPS_STAG_KIND = 2,		/* required */
	CAPS_STAG_RIGHTS = 3,		/* required */
	CAPS_STAG_OBJECT = 4,		/* required */
	CAPS_STAG_LABEL = 5,		/* absent: CAPS_NO_LABEL */
	CAPS_STAG_ROLE = 6,		/* absent: CAPS_ROLE_UNKNOWN */
	CAPS_STAG_THREAD = 7,		/* absent: 0 */
	CAPS_STAG_BADGE = 8,		/* absent: 0 */
	CAPS_STAG_SERVICE = 9,		/* absent: "" */
	CAPS_STAG_DETAIL = 10,		/* absent: "" */
};

/* ---------------------------------------------------------------- */
/* The model                                                         */

void caps_init(struct caps_space *cs);
void caps_free(struct caps_space *cs);

/* An entry with every optional field at its default (no label, unknown
 * role); the caller fills in slot, kind, rights and object. */
void caps_entry_init(struct caps_entry *e);

/*
 * Add E (copied) at its slot, keeping the entries sorted. Refuses a slot
 * already used or beyond CAPS_SLOT_LIMIT, kind L4X_KIND_NONE and rights
 * bits other than CAPS_RIGHTS_ALL. Adding in ascending slot order (as
 * l4x_cap_next walks a space) costs O(1) per entry.
 */
enum caps_status caps_add(struct caps_space *cs, struct caps_entry const *e,
			  struct caps_err *err);

/* The entry at SLOT, NULL if the slot is empty. O(log n). */
struct caps_entry const *caps_find(struct caps_space const *cs, uint64_t slot);

/* ---------------------------------------------------------------- */
/* Names (shared by the checker and the printer)                     */

/* "gate", ... (the kernel's names, kobj_kind_name); NULL if unknown. */
char const *caps_kind_name(uint32_t kind);

/* The kind's name, or "kind N" (in buf) for one this build does not know. */
char const *caps_kind_str(uint32_t kind, char buf[16]);

/* "thread-gate", ...; NULL for a number this build does not know. */
char const *caps_role_name(uint32_t role);

#define CAPS_RIGHTS_STR 5		/* "RWSD" plus NUL */

/* "RWSD" with '-' for each right absent: "RW--". */
char *caps_rights_str(uint32_t rights, char out[CAPS_RIGHTS_STR]);

/* ---------------------------------------------------------------- */
/* The image section                                                 */

/* Append CS as a section's content (fails only as W does: out of memory). */
void caps_encode(struct caps_space const *cs, struct tlv_writer *w);

/*
 * One slot record (the value of a CAPS_TAG_SLOT field) into *e, checked as
 * caps_add checks an entry (slot, kind, rights); freestanding, for cr.
 */
enum caps_status caps_entry_decode(struct tlv_item const *it,
				   struct caps_entry *e, struct caps_err *err);

/* Record code and a formatted message in *err (if not NULL); code. */
enum caps_status caps_fail(struct caps_err *err, enum caps_status code,
			   char const *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* What caps_add refuses whatever the space holds. */
enum caps_status caps_entry_valid(struct caps_entry const *e,
				  struct caps_err *err);

/*
 * Replace the content of CS (initialised) by the section content DATA.
 * Refuses malformed records, slots out of order or twice, and entries
 * caps_add would refuse; on failure CS is left empty.
 */
enum caps_status caps_decode(void const *data, size_t len,
			     struct caps_space *cs, struct caps_err *err);

/* Write CS as one IMAGE_SEC_CAPSPACE section of W. */
enum caps_status caps_write(struct image_writer *w,
			    struct caps_space const *cs, struct caps_err *err);

/* Read the INDEX-th IMAGE_SEC_CAPSPACE section of IMG into CS. */
enum caps_status caps_read(struct image const *img, size_t index,
			   struct caps_space *cs, struct caps_err *err);

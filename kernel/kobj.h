/*
 * kobj — the common part of every kernel object.
 *
 * Invariants:
 *  - id is unique for the lifetime of the kernel and never reused
 *    (a JDB-style global id; checkpoint images refer to objects by it).
 *  - refcnt == number of *counted* capability slots naming the object
 *    (weak slots, mapped with L4_FPAGE_C_NO_REF_CNT, are on the mapping list
 *    but not counted).
 *  - mappings lists every slot (in every capability space) naming the object.
 *  - Once destroyed, an object has no mappings, is never found through a
 *    capability again, and is freed when the last kernel-internal pin
 *    (kobj_pin) is dropped.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

enum kobj_kind {
	KOBJ_NONE = 0,
	KOBJ_TASK,
	KOBJ_THREAD,
	KOBJ_GATE,
	KOBJ_IRQ,
	KOBJ_FACTORY,
	KOBJ_LOG,	/* Fiasco's Vlog: text output of the root task */
	KOBJ_HOST,	/* the privileged host-extension object (l4x_) */
	KOBJ_KIND_COUNT
};

struct kobj;
struct cap_slot;

/*
 * Per-kind behaviour. destroy() is called exactly once, after every slot
 * naming the object has been emptied; it tears down kind-specific state
 * (cancel IPC, kill a substrate thread, release a capability space).
 * free() is called when the last pin is gone.
 */
struct kobj_ops {
	const char *name;
	void (*destroy)(struct kobj *o);
	void (*free)(struct kobj *o);
	/* Fiasco's obj_id(): a gate's or IRQ's label; NULL means ~0UL. */
	unsigned long (*obj_id)(struct kobj const *o);
};

struct kobj {
	enum kobj_kind kind;
	uint64_t id;			/* unique, never reused */
	unsigned long refcnt;		/* counted slots */
	unsigned long pins;		/* kernel-internal references */
	struct cap_slot *mappings;	/* every slot naming this object */
	bool destroyed;
	const struct kobj_ops *ops;
};

/* Initialise the header of a freshly allocated object; assigns its id. */
void kobj_init(struct kobj *o, enum kobj_kind kind, const struct kobj_ops *ops);

/*
 * Destroy the object: empty every slot that names it, in every capability
 * space, then call ops->destroy. Idempotent. The memory lives on while pinned.
 */
void kobj_destroy(struct kobj *o);

/* Kernel-internal references that keep the memory (not the object) alive. */
void kobj_pin(struct kobj *o);
void kobj_unpin(struct kobj *o);

/* Identity a gate or IRQ exposes (Fiasco's obj_id()): its label; ~0 else. */
unsigned long kobj_obj_id(struct kobj const *o);

const char *kobj_kind_name(enum kobj_kind kind);

/* The id the next object will get (tests and images use it). */
uint64_t kobj_next_id(void);

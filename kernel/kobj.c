/*
 * kobj — the common part of every kernel object: identity, counted
 * references, the mapping list and the two-stage end of life.
 *
 * Invariants (see kobj.h for the full list):
 *  - Ids come from one counter that starts at 1 and only grows; 0 is never
 *    an id, so a zeroed header is recognisably "no object".
 *  - destroyed is set before anything else happens in kobj_destroy(), so
 *    a destroy that re-enters itself (an object whose teardown releases a
 *    capability to itself, e.g. a task holding its own task cap with D) is
 *    a no-op, and ops->destroy runs exactly once.
 *  - ops->free runs exactly once, when the object is destroyed AND its pin
 *    count is 0, whichever of the two happens last.
 *
 * Concurrency: the kernel is entered under one big lock; only the id counter
 * is atomic, so that ids stay unique even if objects are set up outside it.
 */
#include <assert.h>
#include <stddef.h>

#include "kobj.h"
#include "capspace.h"

/* The only global state of this layer: the next id to hand out. */
static uint64_t next_id = 1;

void kobj_init(struct kobj *o, enum kobj_kind kind, const struct kobj_ops *ops)
{
	assert(o != NULL);
	assert(ops != NULL);
	assert((unsigned)kind < KOBJ_KIND_COUNT);

	o->kind = kind;
	o->id = __atomic_fetch_add(&next_id, 1, __ATOMIC_RELAXED);
	o->refcnt = 0;
	o->pins = 0;
	o->mappings = NULL;
	o->destroyed = false;
	o->ops = ops;
}

uint64_t kobj_next_id(void)
{
	return __atomic_load_n(&next_id, __ATOMIC_RELAXED);
}

void kobj_pin(struct kobj *o)
{
	assert(o != NULL);
	assert(o->pins + 1 != 0);

	o->pins++;
}

void kobj_unpin(struct kobj *o)
{
	assert(o != NULL);
	assert(o->pins > 0);

	if (--o->pins == 0 && o->destroyed && o->ops->free)
		o->ops->free(o);	/* o is gone from here on */
}

void kobj_destroy(struct kobj *o)
{
	assert(o != NULL);

	if (o->destroyed)
		return;

	/*
	 * Pin across the teardown: emptying the slots and ops->destroy may
	 * cascade into code that pins and unpins o, and the memory must not
	 * go away before we are done with it. The final unpin frees o if no
	 * one else holds it.
	 */
	kobj_pin(o);
	o->destroyed = true;

	/* Empty every slot naming o, in every space; each drops its count. */
	while (o->mappings)
		cap_slot_clear(o->mappings);

	assert(o->refcnt == 0);

	if (o->ops->destroy)
		o->ops->destroy(o);

	/* ops->destroy must not hand out new capabilities to a dead object. */
	assert(o->mappings == NULL);
	kobj_unpin(o);
}

unsigned long kobj_obj_id(struct kobj const *o)
{
	assert(o != NULL);

	return o->ops->obj_id ? o->ops->obj_id(o) : ~0UL;
}

const char *kobj_kind_name(enum kobj_kind kind)
{
	static const char *const names[KOBJ_KIND_COUNT] = {
		[KOBJ_NONE] = "none",
		[KOBJ_TASK] = "task",
		[KOBJ_THREAD] = "thread",
		[KOBJ_GATE] = "gate",
		[KOBJ_IRQ] = "irq",
		[KOBJ_FACTORY] = "factory",
		[KOBJ_LOG] = "log",
		[KOBJ_HOST] = "host",
	};

	if ((unsigned)kind >= KOBJ_KIND_COUNT)
		return "?";
	return names[kind];
}

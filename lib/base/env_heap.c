/*
 * env_heap.c — the component's heap (recap/env_heap.h): lib/base's heap
 * over RAM dataspaces, a chunk added whenever it runs out.
 *
 * Chunks grow with the heap (a quarter of what it has, at least
 * RECAP_HEAP_CHUNK), so that many small allocations do not cost a
 * dataspace each; if the quota does not cover such a chunk, the smallest
 * one that serves the request is tried before giving up.
 */
#include <l4/sys/consts.h>

#include <recap/env.h>
#include <recap/env_heap.h>
#include <recap/err.h>
#include <recap/heap.h>
#include <recap/ram_session.h>
#include <recap/region_map.h>

static unsigned long page_up(unsigned long n)
{
	return (n + L4_PAGESIZE - 1) & ~(L4_PAGESIZE - 1);
}

/* Add a chunk of size bytes (whole pages) to the heap. */
static int add_chunk(struct recap_env *env, unsigned long size)
{
	struct recap_ds ds;
	void *base;
	int err = recap_ram_alloc(env, size, &ds);

	if (err != RECAP_OK)
		return err;
	err = recap_rm_attach_rw(env, &ds, &base);
	if (err != RECAP_OK) {
		recap_ram_free(env, &ds);
		return err;
	}
	return heap_add_region(&env->heap, base, ds.size);
}

int recap_heap_alloc(struct recap_env *env, size_t size, void **p)
{
	unsigned long need, chunk;
	int err;

	*p = heap_alloc(&env->heap, size);
	if (*p)
		return RECAP_OK;
	/* A block is the request, its header, and alignment slack. */
	if (size > ~0UL / 2)
		return RECAP_ERR_RANGE;
	need = page_up(size + HEAP_HEADER + 2 * HEAP_ALIGN);
	if (need < RECAP_HEAP_CHUNK)
		need = RECAP_HEAP_CHUNK;
	chunk = page_up(env->heap.total / 4);
	if (chunk < need)
		chunk = need;
	err = add_chunk(env, chunk);
	if (err == RECAP_ERR_NOMEM && chunk > need)
		err = add_chunk(env, need);
	if (err != RECAP_OK)
		return err;
	*p = heap_alloc(&env->heap, size);
	return *p ? RECAP_OK : RECAP_ERR_NOMEM;
}

int recap_heap_free(struct recap_env *env, void *p)
{
	return heap_free(&env->heap, p);
}

/*
 * recap/env_heap.h — the component's heap: recap/heap.h over RAM
 * dataspaces, grown on demand.
 *
 * When the heap has no block large enough, the runtime allocates a RAM
 * dataspace (recap/ram_session.h, charged to the component's quota) of at
 * least RECAP_HEAP_CHUNK bytes, big enough for the request, attaches it
 * anywhere (recap/region_map.h) and adds it to the heap. Attachments
 * "anywhere" are placed first-fit, so chunks usually follow each other
 * and merge into one free range. Chunks are never given back.
 */
#pragma once

#include <stddef.h>

struct recap_env;

#define RECAP_HEAP_CHUNK (64UL * 1024)	/* smallest dataspace the heap takes */

/*
 * size bytes, HEAP_ALIGN-aligned, in *p. RECAP_OK, or why not: the error
 * of allocating or attaching a chunk (RECAP_ERR_NOMEM: the RAM quota does
 * not cover it), RECAP_ERR_RANGE for a size no chunk can hold.
 */
int recap_heap_alloc(struct recap_env *env, size_t size, void **p);

/* Give back what recap_heap_alloc gave; NULL is ignored. */
int recap_heap_free(struct recap_env *env, void *p);

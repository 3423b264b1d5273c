/*
 * recap/heap.h — a first-fit heap over memory regions the caller provides.
 *
 * The heap never asks for memory itself: the caller adds regions (in the
 * runtime, RAM dataspaces attached to the address space) and adds another
 * when heap_alloc() returns NULL. Regions are never given back.
 *
 * Every allocation is HEAP_ALIGN-aligned and carries a HEAP_HEADER-byte
 * header in front of it. Freed blocks go on a free list kept in address
 * order and are merged with free neighbours at once, so free memory never
 * stays split into adjacent pieces. Allocation is first fit: the lowest free
 * block large enough is split, its front part handed out.
 *
 * Invariants (heap_check() tests them):
 *  - free blocks are listed by ascending address, and no two are adjacent;
 *  - every block's size is a multiple of HEAP_ALIGN, at least HEAP_MIN_BLOCK;
 *  - used + the sizes of all free blocks == total.
 *
 * The caller owns the struct and serialises access to it.
 */
#pragma once

#include <stddef.h>

#define HEAP_ALIGN 16u		/* alignment of every allocation */
#define HEAP_HEADER 16u		/* bytes in front of every allocation */
#define HEAP_MIN_BLOCK 32u	/* header plus the smallest payload */

struct heap_block;

struct heap {
	struct heap_block *free;	/* free blocks, ascending addresses */
	size_t total;		/* bytes in all regions (after alignment) */
	size_t used;		/* bytes in allocated blocks, with headers */
	unsigned long nused;	/* allocated blocks */
};

struct heap_stats {
	size_t total;		/* bytes in all regions */
	size_t used;		/* bytes in allocated blocks, with headers */
	size_t free;		/* total - used */
	size_t largest_free;	/* largest block heap_alloc could use now */
	unsigned long blocks_used;
	unsigned long blocks_free;
};

/* An empty heap with no memory. */
void heap_init(struct heap *h);

/*
 * Give the heap the memory [base, base + size); its ends are trimmed to
 * HEAP_ALIGN. The region must not overlap one already added. A region
 * adjacent to free heap memory merges with it.
 * RECAP_ERR_RANGE: fewer than HEAP_MIN_BLOCK bytes remain after trimming.
 */
int heap_add_region(struct heap *h, void *base, size_t size);

/*
 * size bytes, HEAP_ALIGN-aligned, or NULL if no free block is large enough.
 * size 0 gets a minimal block (a unique pointer that heap_free takes).
 */
void *heap_alloc(struct heap *h, size_t size);

/*
 * Give back what heap_alloc returned; NULL is ignored.
 * RECAP_ERR_INVAL: p is not an allocated block of a heap (misaligned, freed
 * already, or its header was overwritten); the heap is left unchanged.
 */
int heap_free(struct heap *h, void *p);

/* Bytes in allocated blocks, headers included. */
size_t heap_used(struct heap const *h);

void heap_stats(struct heap const *h, struct heap_stats *st);

/* RECAP_OK if the invariants above hold, else RECAP_ERR_INVAL. */
int heap_check(struct heap const *h);

/*
 * heap.c — the first-fit, coalescing heap of recap/heap.h.
 *
 * Every block starts with a struct heap_block. A free block is on the free
 * list through `next`; an allocated block holds a tag there instead: its
 * own address XORed with HEAP_TAG. The tag's high bits make it a
 * non-canonical address, so it can never equal a free-list pointer, and
 * heap_free() tells an allocated block from a freed or foreign one.
 */
#include <stdbool.h>
#include <stdint.h>

#include <recap/err.h>
#include <recap/heap.h>

struct heap_block {
	size_t size;	/* bytes in the block, header included */
	union {
		struct heap_block *next; /* free: next free block */
		uintptr_t tag;	/* allocated: block ^ HEAP_TAG */
	};
};

_Static_assert(sizeof(struct heap_block) == HEAP_HEADER, "header size");
_Static_assert(HEAP_HEADER % HEAP_ALIGN == 0, "header keeps alignment");
_Static_assert(HEAP_MIN_BLOCK % HEAP_ALIGN == 0 &&
		       HEAP_MIN_BLOCK > HEAP_HEADER,
	       "minimal block");

#define HEAP_TAG 0xa110c8ed00000000ULL

static uintptr_t addr(void const *p)
{
	return (uintptr_t)p;
}

static uintptr_t align_down(uintptr_t a)
{
	return a & ~(uintptr_t)(HEAP_ALIGN - 1);
}

/* Wraps to a value below a if a is within HEAP_ALIGN of the top. */
static uintptr_t align_up(uintptr_t a)
{
	return align_down(a + HEAP_ALIGN - 1);
}

static uintptr_t block_end(struct heap_block const *b)
{
	return addr(b) + b->size;
}

static uintptr_t tag_of(struct heap_block const *b)
{
	return addr(b) ^ HEAP_TAG;
}

void heap_init(struct heap *h)
{
	*h = (struct heap){ .free = NULL };
}

/*
 * Put the free block b on the free list in address order, merged with its
 * neighbours where they touch it.
 */
static void insert_free(struct heap *h, struct heap_block *b)
{
	struct heap_block *prev = NULL;
	struct heap_block *next = h->free;

	while (next != NULL && addr(next) < addr(b)) {
		prev = next;
		next = next->next;
	}
	if (next != NULL && block_end(b) == addr(next)) {
		b->size += next->size;
		next = next->next;
	}
	b->next = next;
	if (prev != NULL && block_end(prev) == addr(b)) {
		prev->size += b->size;
		prev->next = next;
	} else if (prev != NULL) {
		prev->next = b;
	} else {
		h->free = b;
	}
}

int heap_add_region(struct heap *h, void *base, size_t size)
{
	uintptr_t start = align_up(addr(base));
	uintptr_t end = align_down(addr(base) + size);
	struct heap_block *b;

	if (size > UINTPTR_MAX - addr(base) || start < addr(base) ||
	    end < start || end - start < HEAP_MIN_BLOCK)
		return RECAP_ERR_RANGE;
	b = (struct heap_block *)start;
	b->size = end - start;
	h->total += b->size;
	insert_free(h, b);
	return RECAP_OK;
}

/* Block size for a request of size bytes, or 0 if it cannot exist. */
static size_t block_size(size_t size)
{
	if (size > SIZE_MAX - HEAP_HEADER - HEAP_ALIGN)
		return 0;
	size = align_up(size + HEAP_HEADER);
	return size < HEAP_MIN_BLOCK ? HEAP_MIN_BLOCK : size;
}

/*
 * Take need bytes from the front of the free block *link points to (the
 * list link that names it); a remainder of at least HEAP_MIN_BLOCK stays
 * free in its place.
 */
static struct heap_block *take(struct heap_block **link, size_t need)
{
	struct heap_block *b = *link;

	if (b->size - need >= HEAP_MIN_BLOCK) {
		struct heap_block *rest = (struct heap_block *)(addr(b) + need);

		rest->size = b->size - need;
		rest->next = b->next;
		b->size = need;
		*link = rest;
	} else {
		*link = b->next;	/* too small to split: hand out all */
	}
	return b;
}

void *heap_alloc(struct heap *h, size_t size)
{
	size_t need = block_size(size);
	struct heap_block **link;
	struct heap_block *b;

	if (need == 0)
		return NULL;
	for (link = &h->free; *link != NULL; link = &(*link)->next) {
		if ((*link)->size >= need) {
			b = take(link, need);
			b->tag = tag_of(b);
			h->used += b->size;
			h->nused++;
			return (char *)b + HEAP_HEADER;
		}
	}
	return NULL;
}

int heap_free(struct heap *h, void *p)
{
	struct heap_block *b;

	if (p == NULL)
		return RECAP_OK;
	if (addr(p) % HEAP_ALIGN != 0)
		return RECAP_ERR_INVAL;
	b = (struct heap_block *)((char *)p - HEAP_HEADER);
	if (b->tag != tag_of(b) || b->size > h->used)
		return RECAP_ERR_INVAL;
	h->used -= b->size;
	h->nused--;
	insert_free(h, b);
	return RECAP_OK;
}

size_t heap_used(struct heap const *h)
{
	return h->used;
}

void heap_stats(struct heap const *h, struct heap_stats *st)
{
	struct heap_block const *b;

	*st = (struct heap_stats){
		.total = h->total,
		.used = h->used,
		.free = h->total - h->used,
		.blocks_used = h->nused,
	};
	for (b = h->free; b != NULL; b = b->next) {
		if (b->size > st->largest_free)
			st->largest_free = b->size;
		st->blocks_free++;
	}
	/* What one heap_alloc can get: the largest block minus its header. */
	st->largest_free = st->largest_free > 0
				   ? st->largest_free - HEAP_HEADER : 0;
}

static bool block_ok(struct heap_block const *b)
{
	return addr(b) % HEAP_ALIGN == 0 && b->size % HEAP_ALIGN == 0 &&
	       b->size >= HEAP_MIN_BLOCK;
}

int heap_check(struct heap const *h)
{
	struct heap_block const *b;
	size_t free_bytes = 0;

	for (b = h->free; b != NULL; b = b->next) {
		if (!block_ok(b))
			return RECAP_ERR_INVAL;
		/* Unsorted, overlapping or adjacent (unmerged) blocks. */
		if (b->next != NULL && block_end(b) >= addr(b->next))
			return RECAP_ERR_INVAL;
		free_bytes += b->size;
	}
	return h->used + free_bytes == h->total ? RECAP_OK : RECAP_ERR_INVAL;
}

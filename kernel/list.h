/*
 * list — intrusive doubly linked lists (FIFO queues of the IPC engine).
 *
 * Invariant: a node is either unlinked (next == prev == NULL) or on exactly
 * one list; list_del on an unlinked node is a no-op.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct list_node {
	struct list_node *next, *prev;
};

struct list {
	struct list_node head;	/* head.next: first, head.prev: last */
};

#define list_entry(node, type, member) \
	((type *)((char *)(node) - offsetof(type, member)))

static inline void list_init(struct list *l)
{
	l->head.next = l->head.prev = &l->head;
}

static inline bool list_empty(struct list const *l)
{
	return l->head.next == &l->head;
}

static inline bool list_linked(struct list_node const *n)
{
	return n->next != NULL;
}

static inline void list_add_tail(struct list *l, struct list_node *n)
{
	n->prev = l->head.prev;
	n->next = &l->head;
	l->head.prev->next = n;
	l->head.prev = n;
}

static inline void list_del(struct list_node *n)
{
	if (!n->next)
		return;
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->next = n->prev = NULL;
}

static inline struct list_node *list_first(struct list const *l)
{
	return list_empty(l) ? NULL : l->head.next;
}

#define list_for_each(pos, l) \
	for (struct list_node *pos = (l)->head.next; pos != &(l)->head; pos = pos->next)

#define list_for_each_safe(pos, tmp, l)                                   \
	for (struct list_node *pos = (l)->head.next, *tmp = pos->next;    \
	     pos != &(l)->head; pos = tmp, tmp = pos->next)

/*
 * A node on a sender queue, which holds threads and IRQs alike: the tag
 * says which kind of object embeds it.
 */
enum sender_kind { SENDER_THREAD = 1, SENDER_IRQ = 2 };

struct sender_link {
	struct list_node node;	/* first: a list_node * is a sender_link * */
	enum sender_kind kind;
};

/*
 * tidmap — which task and thread a Linux tid belongs to.
 *
 * waitpid() hands recapd bare tids; everything else speaks host_task /
 * host_thread. A chained hash table keyed by tid: lookups happen once per
 * wait status, so they must not cost O(threads).
 *
 * Invariant: a tid is in the table at most once; entries of the control
 * thread and of threads nobody ordered (a hijacked stub cloning on its own)
 * have thread == NULL.
 */
#include <errno.h>
#include <stdlib.h>

#include "host_internal.h"

#define TIDMAP_BUCKETS 1024

struct tid_entry {
	struct tid_entry *next;
	pid_t tid;
	struct host_task *task;
	struct host_thread *thread;
};

static struct tid_entry *buckets[TIDMAP_BUCKETS];

static struct tid_entry **slot_of(pid_t tid)
{
	struct tid_entry **e = &buckets[(unsigned)tid % TIDMAP_BUCKETS];

	while (*e && (*e)->tid != tid)
		e = &(*e)->next;
	return e;
}

int tidmap_put(pid_t tid, struct host_task *t, struct host_thread *th)
{
	struct tid_entry **slot = slot_of(tid);
	struct tid_entry *e = *slot;

	if (!e) {
		e = calloc(1, sizeof(*e));
		if (!e)
			return -ENOMEM;
		e->tid = tid;
		*slot = e;
	}
	e->task = t;
	e->thread = th;
	return 0;
}

bool tidmap_get(pid_t tid, struct host_task **t, struct host_thread **th)
{
	struct tid_entry *e = *slot_of(tid);

	if (!e)
		return false;
	*t = e->task;
	*th = e->thread;
	return true;
}

void tidmap_del(pid_t tid)
{
	struct tid_entry **slot = slot_of(tid);
	struct tid_entry *e = *slot;

	if (e) {
		*slot = e->next;
		free(e);
	}
}

unsigned tidmap_tids_of(struct host_task const *t, pid_t *out, unsigned max)
{
	unsigned n = 0;

	for (unsigned b = 0; b < TIDMAP_BUCKETS; b++)
		for (struct tid_entry *e = buckets[b]; e; e = e->next)
			if (e->task == t && n++ < max)
				out[n - 1] = e->tid;
	return n;
}

int tidmap_each(int (*fn)(pid_t tid, void *arg), void *arg)
{
	for (unsigned b = 0; b < TIDMAP_BUCKETS; b++) {
		struct tid_entry *e = buckets[b];

		while (e) {
			/* fn may delete e (a reaped thread): step first. */
			struct tid_entry *next = e->next;
			int r = fn(e->tid, arg);

			if (r)
				return r;
			e = next;
		}
	}
	return 0;
}

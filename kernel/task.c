/*
 * task — the Task kernel object (see task.h for its invariants).
 *
 * Operations (L4_PROTO_TASK, opcode in mr0):
 *   map       needs W on the destination task; the source task comes as a
 *             map item naming a task capability of the caller; S survives
 *             only if the fpage, the source and the destination caps all
 *             carry S (Fiasco's rule).
 *   unmap     mr1 = mask, mr2.. = object flexpages (a batch)
 *   cap_info  2 words: cap_valid(mr1); 3 words: cap_equal(mr1, mr2)
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <l4/sys/consts.h>
#include <l4/sys/task.h>

#include "kerr.h"
#include "objtab.h"
#include "task.h"
#include "thread.h"

/* Path of the task stub binary; recapd sets it at start. */
const char *task_stub_path = "build/stub";

static void task_destroy(struct kobj *o)
{
	struct task *t = task_of(o);
	/* Threads bound here lose their substrate; they live on as objects
	 * (frozen) as long as someone holds them. */
	for (unsigned i = 0; i < L4X_MAX_THREADS; i++)
		if (t->by_utcb[i])
			thread_substrate_gone(t->by_utcb[i]);
	if (t->host) {
		host_task_destroy(t->host);
		t->host = NULL;
	}
	capspace_fini(&t->caps);
}

static void task_free(struct kobj *o)
{
	struct task *t = task_of(o);
	if (t->utcb_mem)
		munmap(t->utcb_mem, t->utcb_size);
	if (t->utcb_memfd >= 0)
		close(t->utcb_memfd);
	objtab_remove(o);
	free(t);
}

static const struct kobj_ops task_ops = {
	.name = "task",
	.destroy = task_destroy,
	.free = task_free,
};

/* A UTCB area: a memory flexpage of 1 KiB .. 128 KiB, naturally aligned. */
static int task_check_utcb_area(l4_fpage_t fp, bool host_task)
{
	if (fp.raw == 0)
		return KERR_OK;
	unsigned order = (unsigned)l4_fpage_size(fp);
	l4_addr_t base = l4_fpage_memaddr(fp);
	if (l4_fpage_type(fp) != L4_FPAGE_MEMORY || order < 10 || order > 17)
		return KERR_INVAL;
	if (base & ((1UL << order) - 1))
		return KERR_INVAL;
	if (!host_task && (base < L4X_TASK_VM_START ||
			   base + (1UL << order) > L4X_TASK_VM_END))
		return KERR_RANGE;
	return KERR_OK;
}

static int task_setup_utcb(struct task *t, l4_fpage_t fp)
{
	if (fp.raw == 0)
		return KERR_OK;
	t->utcb_base = l4_fpage_memaddr(fp);
	t->utcb_size = 1UL << l4_fpage_size(fp);
	t->utcb_memfd = memfd_create("recap-utcb", MFD_CLOEXEC);
	if (t->utcb_memfd < 0 || ftruncate(t->utcb_memfd, (off_t)t->utcb_size) < 0)
		return KERR_NOMEM;
	void *m = mmap(NULL, t->utcb_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       t->utcb_memfd, 0);
	if (m == MAP_FAILED)
		return KERR_NOMEM;
	t->utcb_mem = m;
	if (t->host && host_task_map(t->host, t->utcb_memfd, t->utcb_base,
				     t->utcb_size, 0, PROT_READ | PROT_WRITE) < 0)
		return KERR_NOMEM;
	return KERR_OK;
}

int task_create(l4_fpage_t utcb_area, bool spawn, struct task **out)
{
	int r = task_check_utcb_area(utcb_area, !spawn);
	if (r)
		return r;
	struct task *t = calloc(1, sizeof(*t));
	if (!t)
		return KERR_NOMEM;
	kobj_init(&t->kobj, KOBJ_TASK, &task_ops);
	objtab_add(&t->kobj);
	capspace_init(&t->caps, &t->kobj);
	t->utcb_memfd = -1;

	if (spawn && host_task_spawn(task_stub_path, &t->host) < 0) {
		kobj_destroy(&t->kobj);
		return KERR_NOMEM;
	}
	if (t->host)
		t->host->owner = t;
	r = task_setup_utcb(t, utcb_area);
	if (r) {
		kobj_destroy(&t->kobj);
		return r;
	}
	*out = t;
	return KERR_OK;
}

struct kobj *task_lookup(struct task *t, l4_cap_idx_t sel, enum kobj_kind kind,
			 unsigned *rights)
{
	struct cap_slot *s = capspace_lookup(&t->caps, sel);
	if (!s || (kind != KOBJ_NONE && s->obj->kind != kind))
		return NULL;
	if (rights)
		*rights = s->rights | L4_CAP_FPAGE_R;
	return s->obj;
}

l4_utcb_t *task_utcb(struct task *t, l4_addr_t addr)
{
	if (!t->utcb_mem || addr < t->utcb_base ||
	    addr + L4_UTCB_OFFSET > t->utcb_base + t->utcb_size ||
	    (addr & (L4_UTCB_OFFSET - 1)))
		return NULL;
	return (l4_utcb_t *)(t->utcb_mem + (addr - t->utcb_base));
}

/* ---- operations ----------------------------------------------------------- */

static long task_map(struct task *dst, unsigned dst_rights, struct thread *caller,
		     l4_msg_regs_t *mr, l4_msgtag_t tag)
{
	if (!(dst_rights & L4_CAP_FPAGE_W))
		return KERR_PERM;
	if (l4_msgtag_words(tag) < 3 || l4_msgtag_items(tag) < 1)
		return KERR_INVAL;
	l4_fpage_t src_fp = { .raw = mr->mr[4] };
	unsigned src_rights;
	struct kobj *src = task_lookup(caller->task, l4_fpage_page(src_fp) << L4_CAP_SHIFT,
				       KOBJ_TASK, &src_rights);
	if (!src)
		return KERR_INVAL;
	src_rights &= (unsigned)l4_fpage_rights(src_fp) | L4_CAP_FPAGE_R;
	unsigned mask = ~0u;
	if (!(src_rights & dst_rights & L4_CAP_FPAGE_S))
		mask &= ~(unsigned)L4_CAP_FPAGE_S;
	l4_fpage_t fp = { .raw = mr->mr[2] };
	return cap_map(&dst->caps, &task_of(src)->caps, fp, mr->mr[1], mask);
}

static long task_unmap(struct task *t, l4_msg_regs_t *mr, l4_msgtag_t tag)
{
	unsigned words = l4_msgtag_words(tag);
	if (words < 3)
		return KERR_INVAL;
	for (unsigned i = 2; i < words; i++) {
		l4_fpage_t fp = { .raw = mr->mr[i] };
		if (l4_fpage_type(fp) != L4_FPAGE_OBJ)
			continue;	/* memory is unmapped through l4x */
		long r = cap_unmap(&t->caps, fp, mr->mr[1]);
		if (r < 0)
			return r;
	}
	return 0;
}

l4_msgtag_t task_invoke(struct task *t, unsigned rights, struct thread *caller,
			l4_msgtag_t tag)
{
	l4_msg_regs_t *mr = l4_utcb_mr_u(caller->utcb);
	unsigned words = l4_msgtag_words(tag);
	long r;

	if (l4_msgtag_label(tag) != L4_PROTO_TASK)
		return l4_msgtag(KERR_BADPROTO, 0, 0, 0);
	if (words < 1)
		return l4_msgtag(KERR_INVAL, 0, 0, 0);

	switch (mr->mr[0]) {
	case L4_TASK_MAP_OP:
		r = task_map(t, rights, caller, mr, tag);
		break;
	case L4_TASK_UNMAP_OP:
		r = task_unmap(t, mr, tag);
		break;
	case L4_TASK_CAP_INFO_OP:
		if (words == 2)
			r = cap_valid(&t->caps, mr->mr[1]);
		else if (words == 3)
			r = cap_equal(&t->caps, mr->mr[1], mr->mr[2]);
		else
			r = KERR_INVAL;
		break;
	default:
		r = KERR_NOSYS;
	}
	return l4_msgtag(r, 0, 0, 0);
}

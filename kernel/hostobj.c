/*
 * hostobj — the host-extension object: recapd's l4x_ operations.
 *
 * Every operation needs W on the host capability. Objects are named by
 * selectors in the caller's own space and checked for kind before use
 * (decode), and only then acted upon (invoke).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <l4/sys/consts.h>
#include <l4/sys/x.h>

#include "hostobj.h"
#include "irq.h"
#include "kerr.h"
#include "objtab.h"
#include "task.h"
#include "thread.h"

static void hostobj_free(struct kobj *o)
{
	objtab_remove(o);
	free(o);
}

static const struct kobj_ops hostobj_ops = { .name = "host", .free = hostobj_free };

int hostobj_create(struct hostobj **out)
{
	struct hostobj *h = calloc(1, sizeof(*h));
	if (!h)
		return KERR_NOMEM;
	kobj_init(&h->kobj, KOBJ_HOST, &hostobj_ops);
	objtab_add(&h->kobj);
	*out = h;
	return KERR_OK;
}

static struct task *hostobj_task(struct thread *caller, l4_umword_t sel)
{
	return (struct task *)task_lookup(caller->task, sel, KOBJ_TASK, NULL);
}

static struct thread *hostobj_thread(struct thread *caller, l4_umword_t sel)
{
	return (struct thread *)task_lookup(caller->task, sel, KOBJ_THREAD, NULL);
}

static int hostobj_prot(unsigned rights)
{
	int prot = 0;
	if (rights & L4_FPAGE_RO)
		prot |= PROT_READ;
	if (rights & L4_FPAGE_W)
		prot |= PROT_WRITE | PROT_READ;
	if (rights & L4_FPAGE_X)
		prot |= PROT_EXEC | PROT_READ;
	return prot;
}

static bool hostobj_range_ok(l4_addr_t addr, l4_umword_t size)
{
	return size && !(addr & (L4_PAGESIZE - 1)) && !(size & (L4_PAGESIZE - 1)) &&
	       addr >= L4X_TASK_VM_START && addr < L4X_TASK_VM_END &&
	       size <= L4X_TASK_VM_END - addr;
}

static long hostobj_ds_map(struct thread *caller, l4_msg_regs_t *mr)
{
	/* Taken first, so that a refused call leaves no descriptor behind. */
	int fd = thread_take_passed_fd(caller);
	long r = KERR_OK;
	struct task *t = hostobj_task(caller, mr->mr[1]);
	int prot = hostobj_prot((unsigned)mr->mr[5]);
	if (!t || !t->host || fd < 0 || !prot)
		r = KERR_INVAL;
	else if (!hostobj_range_ok(mr->mr[2], mr->mr[3]) || (mr->mr[4] & (L4_PAGESIZE - 1)))
		r = KERR_RANGE;
	else if (host_task_map(t->host, fd, mr->mr[2], mr->mr[3], mr->mr[4], prot) < 0)
		r = KERR_INVAL;
	if (fd >= 0)
		close(fd);
	return r;
}

static long hostobj_ds_unmap(struct thread *caller, l4_msg_regs_t *mr)
{
	struct task *t = hostobj_task(caller, mr->mr[1]);
	if (!t || !t->host)
		return KERR_INVAL;
	if (!hostobj_range_ok(mr->mr[2], mr->mr[3]))
		return KERR_RANGE;
	return host_task_unmap(t->host, mr->mr[2], mr->mr[3]) < 0 ? KERR_INVAL : 0;
}

static l4_msgtag_t hostobj_state_get(struct thread *caller, l4_msg_regs_t *mr)
{
	struct thread *th = hostobj_thread(caller, mr->mr[1]);
	l4_umword_t part = mr->mr[2];
	struct l4x_thread_state s;
	if (!th || part >= L4X_STATE_PARTS)
		return l4_msgtag(KERR_INVAL, 0, 0, 0);
	int r = thread_state_get(th, &s);
	if (r)
		return l4_msgtag(r, 0, 0, 0);
	if (part == L4X_STATE_PART_REGS) {
		memcpy(&mr->mr[0], &s.regs, sizeof(s.regs));
		memcpy(&mr->mr[L4X_REGS_WORDS], &s.pending, sizeof(s.pending));
		return l4_msgtag(0, L4X_REGS_WORDS + L4X_PENDING_WORDS, 0, 0);
	}
	memcpy(&mr->mr[0], (l4_umword_t *)s.fpu + (part - 1) * L4X_STATE_CHUNK_WORDS,
	       L4X_STATE_CHUNK_WORDS * sizeof(l4_umword_t));
	return l4_msgtag(0, L4X_STATE_CHUNK_WORDS, 0, 0);
}

/*
 * A state is set in parts: the chunks collect in the target thread
 * (thread->staged) and part 0 commits them.
 */
static long hostobj_state_set(struct thread *caller, l4_msg_regs_t *mr, unsigned words)
{
	struct thread *th = hostobj_thread(caller, mr->mr[1]);
	l4_umword_t part = mr->mr[2];
	if (!th || part >= L4X_STATE_PARTS)
		return KERR_INVAL;
	if (!th->staged && !(th->staged = calloc(1, sizeof(*th->staged))))
		return KERR_NOMEM;
	struct l4x_thread_state *s = th->staged;
	if (part != L4X_STATE_PART_REGS) {
		if (words < 3 + L4X_STATE_CHUNK_WORDS)
			return KERR_INVAL;
		memcpy((l4_umword_t *)s->fpu + (part - 1) * L4X_STATE_CHUNK_WORDS,
		       &mr->mr[3], L4X_STATE_CHUNK_WORDS * sizeof(l4_umword_t));
		return 0;
	}
	if (words < 3 + L4X_REGS_WORDS + L4X_PENDING_WORDS)
		return KERR_INVAL;
	memcpy(&s->regs, &mr->mr[3], sizeof(s->regs));
	memcpy(&s->pending, &mr->mr[3 + L4X_REGS_WORDS], sizeof(s->pending));
	th->staged = NULL;
	long r = thread_state_set(th, s);
	free(s);
	return r;
}

static l4_msgtag_t hostobj_cap_next(struct thread *caller, l4_msg_regs_t *mr)
{
	struct task *t = hostobj_task(caller, mr->mr[1]);
	if (!t)
		return l4_msgtag(KERR_INVAL, 0, 0, 0);
	unsigned long next = capspace_next_used(&t->caps, mr->mr[2] >> L4_CAP_SHIFT);
	if (next == CAPSPACE_NONE)
		return l4_msgtag(KERR_NOENT, 0, 0, 0);
	mr->mr[0] = next << L4_CAP_SHIFT;
	return l4_msgtag(0, 1, 0, 0);
}

static l4_msgtag_t hostobj_cap_info(struct thread *caller, l4_msg_regs_t *mr)
{
	struct task *t = hostobj_task(caller, mr->mr[1]);
	if (!t)
		return l4_msgtag(KERR_INVAL, 0, 0, 0);
	struct cap_slot *s = capspace_lookup(&t->caps, mr->mr[2]);
	if (!s) {
		mr->mr[0] = L4X_KIND_NONE;
		mr->mr[1] = mr->mr[2] = 0;
		mr->mr[3] = ~0UL;
		return l4_msgtag(0, 4, 0, 0);
	}
	mr->mr[0] = (l4_umword_t)s->obj->kind;	/* kobj kinds match l4x kinds */
	mr->mr[1] = s->rights | L4_CAP_FPAGE_R;
	mr->mr[2] = s->obj->id;
	mr->mr[3] = kobj_obj_id(s->obj);
	return l4_msgtag(0, 4, 0, 0);
}

static l4_msgtag_t hostobj_dirty(struct thread *caller, l4_msg_regs_t *mr)
{
	struct task *t = hostobj_task(caller, mr->mr[1]);
	l4_umword_t pages = mr->mr[3];
	if (!t || !t->host || !pages || pages > L4X_DIRTY_MAX_PAGES)
		return l4_msgtag(KERR_INVAL, 0, 0, 0);
	if (!hostobj_range_ok(mr->mr[2], pages * L4_PAGESIZE))
		return l4_msgtag(KERR_RANGE, 0, 0, 0);
	uint64_t bitmap[L4X_DIRTY_MAX_PAGES / 64];
	long n = host_task_dirty(t->host, mr->mr[2], pages,
				 (mr->mr[4] & L4X_DIRTY_RESET) != 0, bitmap);
	if (n < 0)
		return l4_msgtag(KERR_INVAL, 0, 0, 0);
	unsigned words = (unsigned)((pages + 63) / 64);
	memcpy(&mr->mr[0], bitmap, words * sizeof(l4_umword_t));
	return l4_msgtag(n, words, 0, 0);
}

static l4_msgtag_t hostobj_task_info(struct thread *caller, l4_msg_regs_t *mr)
{
	struct task *t = hostobj_task(caller, mr->mr[1]);
	if (!t)
		return l4_msgtag(KERR_INVAL, 0, 0, 0);
	mr->mr[0] = t->host && !t->host->dead ? (l4_umword_t)t->host->pid
					       : (l4_umword_t)t->host_pid;
	mr->mr[1] = t->threads;
	mr->mr[2] = t->caps.used;
	return l4_msgtag(0, 3, 0, 0);
}

static long hostobj_irq_bind_fd(struct thread *caller, l4_msg_regs_t *mr)
{
	int fd = thread_take_passed_fd(caller);
	struct irq *q = (struct irq *)task_lookup(caller->task, mr->mr[1], KOBJ_IRQ, NULL);
	if (fd < 0 || !q) {
		if (fd >= 0)
			close(fd);
		return KERR_INVAL;
	}
	long r = irq_bind_fd(q, fd);
	if (r)
		close(fd);
	return r;
}

static l4_msgtag_t hostobj_irq_info(struct thread *caller, l4_msg_regs_t *mr)
{
	struct task *t = hostobj_task(caller, mr->mr[1]);
	struct cap_slot *s = t ? capspace_lookup(&t->caps, mr->mr[2]) : NULL;
	if (!s || s->obj->kind != KOBJ_IRQ)
		return l4_msgtag(KERR_INVAL, 0, 0, 0);
	struct irq const *q = (struct irq const *)s->obj;
	mr->mr[0] = q->count;
	mr->mr[1] = q->label;
	mr->mr[2] = q->thread ? q->thread->kobj.id : 0;
	return l4_msgtag(0, 3, 0, 0);
}

static long hostobj_thread_op(struct thread *caller, l4_msg_regs_t *mr, bool pause)
{
	struct thread *th = hostobj_thread(caller, mr->mr[1]);
	if (!th)
		return KERR_INVAL;
	return pause ? thread_pause(th) : thread_resume(th);
}

l4_msgtag_t hostobj_invoke(struct hostobj *h, unsigned rights,
			   struct thread *caller, l4_msgtag_t tag)
{
	(void)h;
	l4_msg_regs_t *mr = l4_utcb_mr_u(caller->utcb);
	unsigned words = l4_msgtag_words(tag);
	static const unsigned min_words[] = {
		[L4X_HOST_DS_MAP] = 6, [L4X_HOST_DS_UNMAP] = 4,
		[L4X_HOST_THREAD_PAUSE] = 2, [L4X_HOST_THREAD_RESUME] = 2,
		[L4X_HOST_STATE_GET] = 3, [L4X_HOST_STATE_SET] = 3,
		[L4X_HOST_CAP_NEXT] = 3, [L4X_HOST_CAP_INFO] = 3,
		[L4X_HOST_DIRTY] = 5, [L4X_HOST_TASK_INFO] = 2,
		[L4X_HOST_IRQ_BIND_FD] = 2, [L4X_HOST_IRQ_INFO] = 3,
	};

	if (l4_msgtag_label(tag) != L4X_PROTO_HOST)
		return l4_msgtag(KERR_BADPROTO, 0, 0, 0);
	if (!(rights & L4_CAP_FPAGE_W))
		return l4_msgtag(KERR_PERM, 0, 0, 0);
	if (words < 1 || mr->mr[0] == 0 || mr->mr[0] > L4X_HOST_IRQ_INFO)
		return l4_msgtag(KERR_NOSYS, 0, 0, 0);
	if (words < min_words[mr->mr[0]])
		return l4_msgtag(KERR_INVAL, 0, 0, 0);

	switch (mr->mr[0]) {
	case L4X_HOST_DS_MAP:
		return l4_msgtag(hostobj_ds_map(caller, mr), 0, 0, 0);
	case L4X_HOST_DS_UNMAP:
		return l4_msgtag(hostobj_ds_unmap(caller, mr), 0, 0, 0);
	case L4X_HOST_THREAD_PAUSE:
		return l4_msgtag(hostobj_thread_op(caller, mr, true), 0, 0, 0);
	case L4X_HOST_THREAD_RESUME:
		return l4_msgtag(hostobj_thread_op(caller, mr, false), 0, 0, 0);
	case L4X_HOST_STATE_GET:
		return hostobj_state_get(caller, mr);
	case L4X_HOST_STATE_SET:
		return l4_msgtag(hostobj_state_set(caller, mr, words), 0, 0, 0);
	case L4X_HOST_CAP_NEXT:
		return hostobj_cap_next(caller, mr);
	case L4X_HOST_CAP_INFO:
		return hostobj_cap_info(caller, mr);
	case L4X_HOST_DIRTY:
		return hostobj_dirty(caller, mr);
	case L4X_HOST_IRQ_BIND_FD:
		return l4_msgtag(hostobj_irq_bind_fd(caller, mr), 0, 0, 0);
	case L4X_HOST_IRQ_INFO:
		return hostobj_irq_info(caller, mr);
	default:
		return hostobj_task_info(caller, mr);
	}
}

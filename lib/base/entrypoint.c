/*
 * entrypoint.c — RPC entrypoints and the requests their objects get
 * (recap/entrypoint.h, recap/rpc_server.h).
 *
 * The pool is a hash of chains keyed by badge, under the entrypoint's
 * lock: objects are managed and dissolved from any thread while the
 * entrypoint's thread looks them up. The lock is held only for the lookup,
 * never across a dispatch, so a handler may manage and dissolve objects
 * itself. Lock operations leave the message registers alone
 * (recap/lock.h), so taking the lock with a request or reply in them is
 * safe.
 */
#include <l4/sys/consts.h>
#include <l4/sys/ipc.h>
#include <l4/sys/task.h>
#include <l4/sys/utcb.h>

#include <recap/cap_layout.h>
#include <recap/cap_map.h>
#include <recap/entrypoint.h>
#include <recap/err.h>
#include <recap/pd_session.h>
#include <recap/rpc_wire.h>
#include <recap/string.h>

#define MR_WORDS L4_UTCB_GENERIC_DATA_SIZE

static unsigned bucket(recap_badge_t badge)
{
	return (unsigned)(badge / RECAP_BADGE_STEP) & (RECAP_EP_BUCKETS - 1);
}

/* ---- the pool (callers hold ep->lock) -------------------------------------- */

static struct recap_rpc_object *pool_find(struct recap_entrypoint *ep,
					  recap_badge_t badge)
{
	for (struct recap_rpc_object *o = ep->pool[bucket(badge)]; o; o = o->next)
		if (o->cap.badge == badge)
			return o;
	return NULL;
}

static bool pool_remove(struct recap_entrypoint *ep, struct recap_rpc_object *obj)
{
	struct recap_rpc_object **p = &ep->pool[bucket(obj->cap.badge)];

	while (*p && *p != obj)
		p = &(*p)->next;
	if (!*p)
		return false;
	*p = obj->next;
	obj->next = NULL;
	return true;
}

/* ---- objects ---------------------------------------------------------------- */

void recap_ep_init(struct recap_env *env, struct recap_entrypoint *ep,
		   struct recap_thread *thread)
{
	RECAP_STRING_NAME(memset)(ep, 0, sizeof(*ep));
	ep->env = env;
	ep->thread = thread;
}

static void ep_thread(void *arg)
{
	recap_ep_serve(arg);
}

int recap_ep_create(struct recap_env *env, struct recap_entrypoint *ep,
		    char const *name)
{
	recap_ep_init(env, ep, &ep->own);
	return recap_thread_create(env, &ep->own, name, ep_thread, ep);
}

int recap_ep_manage_badge(struct recap_entrypoint *ep,
			  struct recap_rpc_object *obj,
			  recap_rpc_dispatch_fn dispatch, recap_badge_t badge)
{
	struct recap_cap cap;
	int err;

	if (!recap_cap_valid(ep->thread->gate))
		return RECAP_ERR_INVAL;
	/* One object per badge: the badge is all a request is dispatched by.
	 * (Core refuses it too, but a pool with two would be this file's bug.) */
	recap_lock_acquire(&ep->lock);
	err = badge && pool_find(ep, badge) ? RECAP_ERR_EXIST : RECAP_OK;
	recap_lock_release(&ep->lock);
	if (err != RECAP_OK)
		return err;
	err = recap_pd_session(ep->env);
	if (err == RECAP_OK)
		err = recap_pd_alloc_rpc_cap_at(ep->env, ep->env->pd,
						ep->thread->gate, badge, &cap);
	if (err != RECAP_OK)
		return err;
	obj->cap = cap;
	obj->dispatch = dispatch;
	obj->ep = ep;
	recap_lock_acquire(&ep->lock);
	obj->next = ep->pool[bucket(cap.badge)];
	ep->pool[bucket(cap.badge)] = obj;
	recap_lock_release(&ep->lock);
	return RECAP_OK;
}

int recap_ep_manage(struct recap_entrypoint *ep, struct recap_rpc_object *obj,
		    recap_rpc_dispatch_fn dispatch)
{
	return recap_ep_manage_badge(ep, obj, dispatch, 0);
}

int recap_ep_dissolve(struct recap_entrypoint *ep, struct recap_rpc_object *obj)
{
	unsigned long me = recap_thread_index();
	bool found;
	int err;

	recap_lock_acquire(&ep->lock);
	found = pool_remove(ep, obj);
	/* Out of the pool, it gets no new dispatch; wait out a running one. */
	while (found && ep->current == obj && me != ep->thread->index &&
	       me < RECAP_THREAD_MAX) {
		ep->dissolvers[me / 64] |= 1UL << (me % 64);
		recap_lock_release(&ep->lock);
		recap_thread_block();
		recap_lock_acquire(&ep->lock);
	}
	recap_lock_release(&ep->lock);
	if (!found)
		return RECAP_ERR_NOENT;
	err = recap_pd_free_rpc_cap(ep->env, obj->cap);
	obj->cap = recap_cap_invalid();
	obj->ep = NULL;
	return err;
}

/* ---- requests --------------------------------------------------------------- */

void recap_rpc_reply_start(struct recap_rpc_request *req,
			   struct recap_cap const *caps, unsigned n)
{
	rpc_msg_start(&req->msg, req->msg.mr, RECAP_OK, caps, n);
	req->reply_started = true;
}

struct recap_rpc_object *recap_rpc_request_object(struct recap_entrypoint *ep,
						  struct recap_rpc_request *req,
						  unsigned i)
{
	l4_umword_t saved[MR_WORDS];
	struct recap_rpc_object *obj;
	long same;

	if (i >= req->msg.ncaps || !recap_cap_valid(req->msg.caps[i]))
		return NULL;
	recap_lock_acquire(&ep->lock);
	obj = pool_find(ep, req->msg.caps[i].badge);
	recap_lock_release(&ep->lock);
	if (!obj)
		return NULL;
	/* The kernel call borrows the registers the request is still in. */
	RECAP_STRING_NAME(memcpy)(saved, req->msg.mr, sizeof(saved));
	same = l4_error(l4_task_cap_equal(recap_slot_sel(RECAP_TASK_SLOT),
					  req->msg.caps[i].sel, obj->cap.sel));
	RECAP_STRING_NAME(memcpy)(req->msg.mr, saved, sizeof(saved));
	return same == 1 ? obj : NULL;
}

int recap_rpc_request_cap(struct recap_rpc_request *req, unsigned i,
			  struct recap_cap *cap)
{
	struct recap_env *env = req->ep->env;
	l4_umword_t saved[MR_WORDS];
	unsigned long slot;
	int err;

	*cap = recap_cap_invalid();
	if (i >= req->msg.ncaps || !recap_cap_valid(req->msg.caps[i]))
		return RECAP_ERR_NOENT;
	RECAP_STRING_NAME(memcpy)(saved, req->msg.mr, sizeof(saved));
	recap_lock_acquire(&env->cap_lock);
	err = cap_map_insert_map(&env->cap_map, req->msg.caps[i].badge,
				 recap_sel_slot(req->msg.caps[i].sel), &slot);
	recap_lock_release(&env->cap_lock);
	RECAP_STRING_NAME(memcpy)(req->msg.mr, saved, sizeof(saved));
	if (err != RECAP_OK)
		return err;
	*cap = (struct recap_cap){ .badge = req->msg.caps[i].badge,
				   .sel = recap_slot_sel(slot) };
	return RECAP_OK;
}

/* ---- the serving loop ------------------------------------------------------- */

/* Check a request to obj; on RECAP_OK req->op and req->msg are ready. */
static int check(struct recap_rpc_request *req, l4_umword_t *mr,
		 l4_cap_idx_t window)
{
	int err;

	if (l4_msgtag_label(req->tag) != 0)
		return RECAP_ERR_INVAL;
	err = rpc_msg_parse(&req->msg, mr, req->tag, window);
	if (err != RECAP_OK)
		return err;
	/* mr[0] is not checked: it is the client's idea of the destination
	 * (a restored client sends the badge it remembers); the label the
	 * kernel delivered, which picked obj, is what counts. */
	req->op = rpc_msg_get_word(&req->msg);
	return req->msg.err;
}

/* The dispatch is over: wake whoever waits to dissolve its object. */
static void dispatch_done(struct recap_entrypoint *ep)
{
	unsigned long waiting[RECAP_LOCK_WORDS];

	recap_lock_acquire(&ep->lock);
	ep->current = NULL;
	for (unsigned w = 0; w < RECAP_LOCK_WORDS; w++) {
		waiting[w] = ep->dissolvers[w];
		ep->dissolvers[w] = 0;
	}
	recap_lock_release(&ep->lock);
	for (unsigned w = 0; w < RECAP_LOCK_WORDS; w++)
		for (unsigned long bits = waiting[w]; bits; bits &= bits - 1)
			recap_thread_wake(w * 64 + (unsigned long)__builtin_ctzl(bits));
}

/* Handle one request; true and *reply if it is to be answered. */
static bool dispatch(struct recap_entrypoint *ep, l4_msgtag_t tag,
		     l4_umword_t label, l4_cap_idx_t window, l4_msgtag_t *reply)
{
	l4_umword_t *mr = l4_utcb_mr()->mr;
	struct recap_rpc_request req = {
		.tag = tag,
		.label = label,
		.ep = ep,
	};
	struct recap_rpc_object *obj;
	int result;

	recap_lock_acquire(&ep->lock);
	obj = pool_find(ep, recap_label_badge(label));
	ep->current = obj;
	recap_lock_release(&ep->lock);
	if (!obj)
		result = RECAP_ERR_INVAL;	/* no object of ours has that badge */
	else if ((result = check(&req, mr, window)) == RECAP_OK)
		result = obj->dispatch(obj, &req);
	dispatch_done(ep);
	if (result == RECAP_RPC_NO_REPLY)
		return false;
	if (result != RECAP_OK || !req.reply_started)
		rpc_msg_start(&req.msg, mr, (l4_umword_t)(long)result, NULL, 0);
	if (rpc_msg_finish(&req.msg, reply) != RECAP_OK) {
		/* The handler's reply did not fit: a bug, but not the client's
		 * to wait for for ever. */
		rpc_msg_start(&req.msg, mr, (l4_umword_t)(long)RECAP_ERR_RANGE,
			      NULL, 0);
		rpc_msg_finish(&req.msg, reply);
	}
	return true;
}

static void arm_window(l4_utcb_t *u, l4_cap_idx_t window)
{
	l4_buf_regs_t *br = l4_utcb_br_u(u);

	br->bdr = 0;
	for (unsigned i = 0; i < RECAP_RPC_MAX_CAPS; i++)
		br->br[i] = (window + ((l4_cap_idx_t)i << L4_CAP_SHIFT)) |
			    L4_RCV_ITEM_SINGLE_CAP;
}

void recap_ep_serve(struct recap_entrypoint *ep)
{
	l4_utcb_t *u = l4_utcb();
	l4_cap_idx_t window = ep->thread->rcv_window;
	l4_msgtag_t reply = l4_msgtag(0, 0, 0, 0);
	bool owed = false;

	for (;;) {
		l4_umword_t label = 0;
		l4_msgtag_t tag;

		arm_window(u, window);
		tag = owed ? l4_ipc_reply_and_wait(u, reply, &label,
						   L4_IPC_SEND_TIMEOUT_0)
			   : l4_ipc_wait(u, &label, L4_IPC_NEVER);
		owed = false;
		/* A failed reply (the caller is gone) or a failed receive (a
		 * sender's capability did not fit): nothing to serve. */
		if (l4_msgtag_has_error(tag))
			continue;
		/* The thread's own IRQ: a wake-up nobody blocked for. */
		if (label == 0)
			continue;
		if (l4_msgtag_label(tag) == L4_PROTO_IRQ && ep->irq_hook &&
		    ep->irq_hook(ep, label))
			continue;
		owed = dispatch(ep, tag, label, window, &reply);
	}
}

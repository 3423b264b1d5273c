/*
 * rpc_server.c — core's object pool and serving loop (rpc_server.h).
 *
 * The pool is a hash table of chains keyed by badge. Badges come from a
 * counter that never goes back, in steps of RECAP_BADGE_STEP: a badge is
 * never reused, so a stale capability can never reach a newer object under
 * an old name (Genode's Cap_id_allocator reuses ids once freed; core
 * deletes the gate first, which makes that safe too, but never reusing
 * costs nothing at 2^62 badges).
 *
 * A component may be granted a badge it asks for (rpc_badge_grant: a
 * restored child's gates keep their labels); the counter is then moved
 * past it, so core never hands out a badge equal to a granted one.
 *
 * Core believes the kernel, not the sender: a request's object is the one
 * whose badge the kernel delivers as the gate's label, and a capability
 * argument is the object whose badge the kernel reports as the received
 * capability's label (l4x_cap_info on core's receive slot), confirmed with
 * l4_task_cap_equal. What a sender writes (mr[0], the badges in its
 * message) is its own idea of the destination and of its arguments.
 *
 * The loop is Genode's Ipc_server on Fiasco.OC: wait, dispatch,
 * reply_and_wait with a zero send timeout (a client that gave up or died
 * must not block core). Every kernel call core makes while dispatching
 * (creating a gate, comparing capabilities) uses the same message and
 * buffer registers as the request, so the receive window is armed again
 * before every wait, and handlers read their arguments first.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <l4/sys/consts.h>
#include <l4/sys/factory.h>
#include <l4/sys/ipc.h>
#include <l4/sys/task.h>
#include <l4/sys/utcb.h>
#include <l4/sys/x.h>

#include <recap/err.h>

#include "cap_sel.h"
#include "rpc_server.h"

#define POOL_BUCKETS 256u		/* a power of two */
#define BADGE_BASE 0x10000UL		/* first badge: clearly not a small number */
#define BADGE_EPOCH_OF(b) ((b) >> 40)	/* badge_epoch(): bits 40.. */

static struct rpc_object *pool[POOL_BUCKETS];
static recap_badge_t next_badge = BADGE_BASE;
static l4_cap_idx_t rcv_window = L4_INVALID_CAP;
static l4_timeout_s (*clock_timeout)(void);	/* see rpc_server_set_clock */
static void (*clock_expire)(void);

static unsigned bucket(recap_badge_t badge)
{
	return (unsigned)(badge / RECAP_BADGE_STEP) & (POOL_BUCKETS - 1);
}

static struct rpc_object *pool_find(recap_badge_t badge)
{
	for (struct rpc_object *o = pool[bucket(badge)]; o; o = o->next)
		if (o->badge == badge)
			return o;
	return NULL;
}

recap_badge_t rpc_badge_alloc(void)
{
	recap_badge_t badge = next_badge;

	next_badge += RECAP_BADGE_STEP;
	return badge;
}

int rpc_badge_grant(recap_badge_t badge)
{
	if (!badge || badge % RECAP_BADGE_STEP || badge < BADGE_BASE ||
	    badge == RECAP_BADGE_INVALID)
		return RECAP_ERR_INVAL;
	if (pool_find(badge))
		return RECAP_ERR_EXIST;
	/* Only a badge of this run's epoch moves the counter: one from an
	 * earlier run (a restore in a fresh system) would pull it into that
	 * epoch, where the next fresh badges are the very labels the rest of
	 * the restore is about to wish for. Counting never leaves an epoch
	 * (2^38 badges), so a foreign badge is never handed out anyway. */
	if (badge >= next_badge && BADGE_EPOCH_OF(badge) == BADGE_EPOCH_OF(next_badge))
		next_badge = badge + RECAP_BADGE_STEP;
	return RECAP_OK;
}

/*
 * Badges of one run start in an epoch of their own: bits 40..55 of the
 * badge, chosen at random when core starts. A restored component asks
 * for its old labels back (rpc_badge_grant); had every run counted from
 * the same first badge, core's own objects of the new run would hold
 * those labels already. RECAP_BADGE_EPOCH (a number, 0 for none) fixes
 * the epoch, for output that must be the same in every run.
 */
static void badge_epoch(void)
{
	char const *fixed = getenv("RECAP_BADGE_EPOCH");
	unsigned short epoch = 0;

	if (fixed)
		epoch = (unsigned short)strtoul(fixed, NULL, 0);
	else if (getrandom(&epoch, sizeof(epoch), 0) != sizeof(epoch))
		epoch = (unsigned short)getpid();
	next_badge = BADGE_BASE + ((recap_badge_t)epoch << 40);
}

int rpc_server_init(void)
{
	badge_epoch();
	rcv_window = cap_sel_alloc_range(RECAP_RPC_MAX_CAPS);
	return l4_is_valid_cap(rcv_window) ? RECAP_OK : RECAP_ERR_NOMEM;
}

int rpc_object_attach(struct rpc_object *obj, enum rpc_object_kind kind,
		      rpc_dispatch_fn dispatch)
{
	return rpc_object_attach_badge(obj, kind, dispatch, 0);
}

int rpc_object_attach_badge(struct rpc_object *obj, enum rpc_object_kind kind,
			    rpc_dispatch_fn dispatch, recap_badge_t wish)
{
	l4_cap_idx_t gate;
	recap_badge_t badge;
	long err;

	if (wish && (err = rpc_badge_grant(wish)) != RECAP_OK)
		return (int)err;
	gate = cap_sel_alloc();
	if (!l4_is_valid_cap(gate))
		return RECAP_ERR_NOMEM;
	badge = wish ? wish : rpc_badge_alloc();
	err = l4_error(l4_factory_create_gate(L4_BASE_FACTORY_CAP, gate,
					      L4_BASE_THREAD_CAP, badge));
	if (err < 0) {
		cap_sel_free(gate);
		return (int)err;
	}
	obj->badge = badge;
	obj->gate = gate;
	obj->kind = kind;
	obj->dispatch = dispatch;
	obj->next = pool[bucket(badge)];
	pool[bucket(badge)] = obj;
	return RECAP_OK;
}

void rpc_object_detach(struct rpc_object *obj)
{
	struct rpc_object **p = &pool[bucket(obj->badge)];

	if (!obj->badge)
		return;
	while (*p && *p != obj)
		p = &(*p)->next;
	if (*p)
		*p = obj->next;
	l4_task_delete_obj(L4_BASE_TASK_CAP, obj->gate);
	cap_sel_free(obj->gate);
	obj->badge = 0;
	obj->gate = L4_INVALID_CAP;
	obj->next = NULL;
}

struct recap_cap rpc_object_cap(struct rpc_object const *obj)
{
	if (!obj->badge)
		return recap_cap_invalid();
	return (struct recap_cap){ .badge = obj->badge, .sel = obj->gate };
}

/*
 * The label of the gate core's selector sel names, as the kernel has it;
 * 0 if sel is no gate. Borrows the message registers: callers save them.
 */
static recap_badge_t kernel_label(l4_cap_idx_t sel)
{
	struct l4x_cap_info info;

	if (l4x_cap_info(L4X_BASE_HOST_CAP, L4_BASE_TASK_CAP, sel, &info) < 0 ||
	    info.kind != L4X_KIND_GATE)
		return 0;
	return recap_label_badge(info.obj_id);
}

recap_badge_t rpc_request_label(struct rpc_request *req, unsigned i)
{
	l4_umword_t saved[L4_UTCB_GENERIC_DATA_SIZE];
	recap_badge_t badge;

	if (i >= req->msg.ncaps || !recap_cap_valid(req->msg.caps[i]))
		return 0;
	memcpy(saved, req->mr, sizeof(saved));
	badge = kernel_label(req->msg.caps[i].sel);
	memcpy(req->mr, saved, sizeof(saved));
	return badge;
}

struct rpc_object *rpc_request_object(struct rpc_request *req, unsigned i)
{
	l4_umword_t saved[L4_UTCB_GENERIC_DATA_SIZE];
	struct rpc_object *obj;
	long same = 0;

	if (i >= req->msg.ncaps || !recap_cap_valid(req->msg.caps[i]))
		return NULL;
	/* The badge the sender claims proves nothing: the kernel says which
	 * gate arrived, and that must be the very gate core made for the
	 * object (a gate someone else made with the same label is not it).
	 * The kernel calls borrow the registers the request is still in. */
	memcpy(saved, req->mr, sizeof(saved));
	obj = pool_find(kernel_label(req->msg.caps[i].sel));
	if (obj)
		same = l4_error(l4_task_cap_equal(L4_BASE_TASK_CAP,
						  req->msg.caps[i].sel, obj->gate));
	memcpy(req->mr, saved, sizeof(saved));
	return same == 1 ? obj : NULL;
}

bool rpc_request_cap_is(struct rpc_request *req, unsigned i, l4_cap_idx_t sel)
{
	l4_umword_t saved[L4_UTCB_GENERIC_DATA_SIZE];
	long same;

	if (i >= req->msg.ncaps || !recap_cap_valid(req->msg.caps[i]))
		return false;
	memcpy(saved, req->mr, sizeof(saved));
	same = l4_error(l4_task_cap_equal(L4_BASE_TASK_CAP,
					  req->msg.caps[i].sel, sel));
	memcpy(req->mr, saved, sizeof(saved));
	return same == 1;
}

void rpc_reply_start(struct rpc_request *req, struct recap_cap const *caps,
		     unsigned n)
{
	rpc_msg_start(&req->msg, req->mr, RECAP_OK, caps, n);
	req->reply_started = true;
}

/* Check an RPC request; on RECAP_OK req->op and req->msg are ready. */
static int check_rpc(struct rpc_request *req)
{
	int err;

	if (l4_msgtag_label(req->tag) != 0)
		return RECAP_ERR_INVAL;
	err = rpc_msg_parse(&req->msg, req->mr, req->tag, rcv_window);
	if (err != RECAP_OK)
		return err;
	/* mr[0] is not checked: it is the client's idea of the destination
	 * (a restored child sends the badge it remembers); the label the
	 * kernel delivered, which picked the object, is what counts. */
	req->op = rpc_msg_get_word(&req->msg);
	return req->msg.err;
}

/* Handle one request; true and *reply if it is to be answered. */
static bool dispatch(l4_msgtag_t tag, l4_umword_t label, l4_msgtag_t *reply)
{
	struct rpc_request req = {
		.tag = tag,
		.label = label,
		.mr = l4_utcb_mr()->mr,
	};
	struct rpc_object *obj = pool_find(recap_label_badge(label));
	int result;

	if (!obj)
		result = RECAP_ERR_INVAL;	/* nobody core knows sent this */
	else if (obj->kind == RPC_OBJECT_FAULT)
		result = obj->dispatch(obj, &req);
	else if ((result = check_rpc(&req)) == RECAP_OK)
		result = obj->dispatch(obj, &req);
	if (result == RPC_NO_REPLY)
		return false;
	if (result != RECAP_OK || !req.reply_started)
		rpc_msg_start(&req.msg, req.mr, (l4_umword_t)(long)result, NULL, 0);
	if (rpc_msg_finish(&req.msg, reply) != RECAP_OK) {
		/* The handler's reply did not fit: a bug, but not the client's
		 * to wait for forever. */
		rpc_msg_start(&req.msg, req.mr, (l4_umword_t)(long)RECAP_ERR_RANGE,
			      NULL, 0);
		rpc_msg_finish(&req.msg, reply);
	}
	return true;
}

static void arm_window(l4_utcb_t *u)
{
	l4_buf_regs_t *br = l4_utcb_br_u(u);

	br->bdr = 0;
	for (unsigned i = 0; i < RECAP_RPC_MAX_CAPS; i++)
		br->br[i] = (rcv_window + ((l4_cap_idx_t)i << L4_CAP_SHIFT)) |
			    L4_RCV_ITEM_SINGLE_CAP;
}

void rpc_server_set_clock(l4_timeout_s (*timeout)(void), void (*expire)(void))
{
	clock_timeout = timeout;
	clock_expire = expire;
}

void rpc_server_run(bool (*more)(void))
{
	l4_utcb_t *u = l4_utcb();
	bool owed = false;
	l4_msgtag_t reply = l4_msgtag(0, 0, 0, 0);

	while (more()) {
		l4_timeout_s rcv = L4_IPC_TIMEOUT_NEVER;
		l4_umword_t label = 0;
		l4_msgtag_t tag;

		/* Before every wait, not only after a timeout: a stream of
		 * requests must not starve the timers. */
		if (clock_expire) {
			clock_expire();
			rcv = clock_timeout();
		}
		arm_window(u);
		tag = owed ? l4_ipc_reply_and_wait(u, reply, &label,
						   l4_timeout(L4_IPC_TIMEOUT_0, rcv))
			   : l4_ipc_wait(u, &label,
					 l4_timeout(L4_IPC_TIMEOUT_NEVER, rcv));
		owed = false;
		/* A failed reply (the caller is gone), a failed receive (a
		 * sender's capability did not fit) or a timeout: nothing to
		 * serve. */
		if (l4_msgtag_has_error(tag))
			continue;
		owed = dispatch(tag, label, &reply);
	}
	if (owed)
		l4_ipc_reply(0, u, reply, L4_IPC_SEND_TIMEOUT_0);
}

/*
 * rm_managed — managed region maps (Genode's Rm_session::create) from a
 * component's side, one line per check:
 *  - a 64 KiB managed map, its dataspace attached as a window at WINDOW
 *    and a part of it as a second window at WINDOW2;
 *  - two RAM dataspaces attached inside it, written and read through the
 *    window and through their own attachments: the same memory;
 *  - one detached inside and attached at another offset: both windows
 *    show the move at once, the old place is empty (REGION of the map);
 *    the address space's REGION shows the window as one region;
 *  - every refused argument (size 0, offsets out of range, misaligned,
 *    overlapping, the map or another managed map attached inside a map,
 *    a fault handler that is no signal context, detaching nothing);
 *  - the address space through the PD session (ADDRESS_SPACE): the same
 *    capability twice, an attachment through it seen by the RM session;
 *  - with a fault handler: a thread reads a hole and blocks, the handler
 *    sees the fault in STATE (read, offset), attaches a page there and the
 *    thread goes on with its contents; the thread writes to a read-only
 *    attachment, the handler sees a write fault, replaces the page with a
 *    writable one, and the write lands in it;
 *  - without a fault handler, a read of a hole is a crash at the global
 *    label rmm_fault_ip.
 * With <config window_only="yes"/> it stops after the move and idles with
 * its windows (for a checkpoint by cr); with show_ms="N" too, every N ms
 * it counts in the map (through the window, in A) and logs what its
 * windows and A's own attachment show, so that a restored run's lines say
 * that it reads the same memory through the same windows.
 * With <config detach_window="yes"/> (no refusals, no address space) the
 * fault handler detaches the window instead of attaching: the waiting
 * thread is resumed, faults again where nothing is, and crashes.
 */
#include <l4/sys/consts.h>

#include <recap/config.h>
#include <recap/dataspace.h>
#include <recap/env.h>
#include <recap/err.h>
#include <recap/log.h>
#include <recap/pd_session.h>
#include <recap/ram_session.h>
#include <recap/region_map.h>
#include <recap/rpc.h>
#include <recap/signal.h>
#include <recap/thread.h>
#include <recap/timer.h>

#define PAGE 4096UL
#define MAP_SIZE (16 * PAGE)
#define WINDOW 0x60000000UL		/* the whole map */
#define WINDOW2 0x60100000UL		/* its upper half */
#define HOLE_READ (12 * PAGE)		/* the thread reads here */
#define RO_PAGE (14 * PAGE)		/* read-only, the thread writes here */
#define HOLE_CRASH (15 * PAGE)		/* read without a fault handler */

static struct recap_env *env;
static struct recap_cap map;
static struct recap_ds rw_ds;
static unsigned long *rw_direct;
static struct recap_thread toucher;
static struct recap_signal_context fault_ctx, done_ctx;
static int failures;
static bool detach_window;	/* config: the fault handler detaches the window */
static unsigned long *shown_a;	/* show_ms: A's own attachment */
static struct recap_cap show_timer;
static struct recap_signal_context show_ctx;

static volatile unsigned long *at(unsigned long base, unsigned long offset)
{
	return (volatile unsigned long *)(base + offset);
}

static unsigned long __attribute__((noinline, noclone)) peek(unsigned long addr)
{
	unsigned long v;

	__asm__ volatile(".globl rmm_fault_ip\nrmm_fault_ip:\n\tmovq (%1), %0"
			 : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static void expect(char const *what, int got, int want)
{
	recap_log(env, "%s: %d (%s)%s", what, got, recap_err_str(got),
		  got == want ? "" : " UNEXPECTED");
	failures += got != want;
}

static void check(char const *what, unsigned long got, unsigned long want)
{
	recap_log(env, "%s: 0x%lx%s", what, got, got == want ? "" : " UNEXPECTED");
	failures += got != want;
}

/* A fresh page of RAM, attached in the own address space too. */
static int page(struct recap_ds *ds, unsigned long **direct)
{
	int err = recap_ram_alloc(env, PAGE, ds);

	return err != RECAP_OK ? err : recap_rm_attach_rw(env, ds, (void **)direct);
}

static int attach_in(struct recap_cap rm, struct recap_cap ds, unsigned long size,
		     unsigned long offset, unsigned long where, unsigned rights)
{
	unsigned long addr;

	return recap_rm_attach_to(env, rm, ds, size, offset, where, rights, &addr);
}

/* REGION of rm: the first attachment at or above from (words addr, size). */
static int region(struct recap_cap rm, unsigned long from, unsigned long *addr,
		  unsigned long *size)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, rm, RECAP_RM_REGION, NULL, 0);
	rpc_msg_put_word(&m, from);
	err = recap_rpc_call(env, rm, &m);
	if (err != RECAP_OK)
		return err;
	*addr = rpc_msg_get_word(&m);
	*size = rpc_msg_get_word(&m);
	rpc_msg_get_word(&m);	/* offset */
	rpc_msg_get_word(&m);	/* rights */
	return rpc_msg_end(&m);
}

static char const *fault_name(unsigned type)
{
	switch (type) {
	case RECAP_RM_FAULT_NONE:  return "none";
	case RECAP_RM_FAULT_READ:  return "read";
	case RECAP_RM_FAULT_WRITE: return "write";
	}
	return "?";
}

/* Runs while the toucher waits in its fault: logs only before the attach
 * that lets it go on, so the lines keep their order. */
static void on_fault(void *arg)
{
	unsigned type = 0;
	unsigned long offset = 0, *direct;
	struct recap_ds ds;
	int err = recap_rm_state(env, map, &type, &offset);

	(void)arg;
	recap_log(env, "fault handler: state %d, %s fault at offset 0x%lx", err,
		  fault_name(type), offset);
	if (detach_window) {
		/* The waiting thread goes on, faults again where no window is
		 * any more, and crashes. Nothing logged after this. */
		recap_log(env, "fault handler: detaching the window instead");
		recap_rm_detach(env, WINDOW);
		return;
	}
	if (type == RECAP_RM_FAULT_READ) {
		err = page(&ds, &direct);
		direct[0] = 0xc0ffee;
		recap_log(env, "fault handler: a page with 0xc0ffee at 0x%lx", offset);
	} else if (type == RECAP_RM_FAULT_WRITE) {
		err = recap_rm_detach_from(env, map, offset);
		recap_log(env, "fault handler: read-only page detached: %d (%s)", err,
			  recap_err_str(err));
		ds = rw_ds;
		recap_log(env, "fault handler: a writable page at 0x%lx", offset);
	} else {
		failures++;
		return;
	}
	err = attach_in(map, ds.cap, 0, 0, offset, L4_FPAGE_RW);
	if (err != RECAP_OK) {
		recap_log(env, "fault handler: attach: %d (%s) UNEXPECTED", err,
			  recap_err_str(err));
		failures++;
	}
}

static void touch(void *arg)
{
	unsigned long v;

	(void)arg;
	recap_log(env, "toucher: reading window + 0x%lx (a hole)", HOLE_READ);
	v = peek(WINDOW + HOLE_READ);
	recap_log(env, "toucher: read 0x%lx there", v);
	recap_log(env, "toucher: writing window + 0x%lx (read-only)", RO_PAGE);
	*at(WINDOW, RO_PAGE) = 0xd00d;
	recap_log(env, "toucher: wrote 0x%lx there", *at(WINDOW, RO_PAGE));
	recap_signal_submit(recap_signal_context_cap(&done_ctx));
}

static void on_done(void *arg)
{
	unsigned type = 9;
	unsigned long offset = 9;
	int err;

	(void)arg;
	expect("toucher joined", recap_thread_join(&toucher), RECAP_OK);
	check("the write in the writable page", rw_direct[0], 0xd00d);
	check("seen through the second window", *at(WINDOW2, RO_PAGE - 8 * PAGE), 0xd00d);
	err = recap_rm_state(env, map, &type, &offset);
	recap_log(env, "state: %d, %s at 0x%lx", err, fault_name(type), offset);
	expect("no fault handler", recap_rm_fault_handler(env, map, recap_cap_invalid()),
	       RECAP_OK);
	recap_log(env, failures ? "%d answers UNEXPECTED" : "all answers as expected",
		  failures);
	recap_log(env, "reading window + 0x%lx (a hole) without a fault handler",
		  HOLE_CRASH);
	peek(WINDOW + HOLE_CRASH);
	recap_log(env, "read it: UNEXPECTED");
}

/* show_ms: one count more, through the window, and what the windows show. */
static void on_show(void *arg)
{
	(void)arg;
	*at(WINDOW, 8) += 1;
	recap_log(env, "windows: 0x%lx 0x%lx 0x%lx, count %lu (A: %lu)",
		  *at(WINDOW, 0), *at(WINDOW, 8 * PAGE), *at(WINDOW2, 0),
		  *at(WINDOW, 8), shown_a[1]);
}

static void show(unsigned long *a_direct, unsigned long ms)
{
	int err = recap_timer_open(env, &show_timer);

	shown_a = a_direct;
	if (err == RECAP_OK)
		err = recap_signal_context_create(env, &show_ctx, on_show, 0);
	if (err == RECAP_OK)
		err = recap_timer_sigh(env, show_timer,
				       recap_signal_context_cap(&show_ctx));
	if (err == RECAP_OK)
		err = recap_timer_trigger_periodic(env, show_timer, ms * 1000);
	if (err != RECAP_OK)
		expect("timer", err, RECAP_OK);
}

static void refusals(struct recap_ds const *a, struct recap_ds const *b,
		     struct recap_ds const *mds)
{
	struct recap_cap other;
	struct recap_ds other_ds;

	expect("create 0 bytes", recap_rm_create(env, 0, &other), RECAP_ERR_INVAL);
	expect("attach at the end", attach_in(map, b->cap, 0, 0, MAP_SIZE, L4_FPAGE_RW),
	       RECAP_ERR_RANGE);
	expect("attach across the end", attach_in(map, a->cap, 0, 0, MAP_SIZE - PAGE,
						   L4_FPAGE_RW), RECAP_ERR_RANGE);
	expect("attach far beyond", attach_in(map, b->cap, 0, 0, WINDOW, L4_FPAGE_RW),
	       RECAP_ERR_RANGE);
	expect("misaligned offset", attach_in(map, b->cap, 0, 0, 100, L4_FPAGE_RW),
	       RECAP_ERR_INVAL);
	expect("overlapping", attach_in(map, b->cap, 0, 0, PAGE, L4_FPAGE_RW),
	       RECAP_ERR_EXIST);
	expect("the map into itself", attach_in(map, mds->cap, PAGE, 0, 10 * PAGE,
						L4_FPAGE_RW), RECAP_ERR_DENIED);
	expect("create another", recap_rm_create(env, MAP_SIZE, &other), RECAP_OK);
	expect("its dataspace", recap_rm_dataspace(env, other, &other_ds), RECAP_OK);
	expect("it into the map", attach_in(map, other_ds.cap, PAGE, 0, 10 * PAGE,
					    L4_FPAGE_RW), RECAP_ERR_DENIED);
	expect("the window again over itself", attach_in(env->rm, mds->cap, 0, 0,
							 WINDOW + PAGE, L4_FPAGE_RW),
	       RECAP_ERR_EXIST);
	expect("detach nothing", recap_rm_detach_from(env, map, 10 * PAGE),
	       RECAP_ERR_NOENT);
	expect("a dataspace as fault handler", recap_rm_fault_handler(env, map, a->cap),
	       RECAP_ERR_INVAL);
	expect("STATE on the address space", recap_rm_state(env, env->rm,
		(unsigned[]){ 0 }, (unsigned long[]){ 0 }), RECAP_ERR_INVAL);
}

static void address_space(void)
{
	struct recap_cap as, as2;
	struct recap_ds ds;
	unsigned long *direct;
	int err;

	err = recap_pd_session(env);
	if (err == RECAP_OK)
		err = recap_pd_address_space(env, env->pd, &as);
	expect("PD address space", err, RECAP_OK);
	err = recap_pd_address_space(env, env->pd, &as2);
	recap_log(env, "asked again: %d, the same capability: %s", err,
		  err == RECAP_OK && as.badge == as2.badge ? "yes" : "no");
	expect("page", page(&ds, &direct), RECAP_OK);
	direct[0] = 0xa5a5;
	expect("attach through it", attach_in(as, ds.cap, 0, 0, 0x61000000UL, L4_FPAGE_RO),
	       RECAP_OK);
	check("read there", *at(0x61000000UL, 0), 0xa5a5);
	expect("detach through the RM session", recap_rm_detach(env, 0x61000000UL),
	       RECAP_OK);
	expect("detach through it again", recap_rm_detach_from(env, as, 0x61000000UL),
	       RECAP_ERR_NOENT);
}

void component_construct(struct recap_env *e)
{
	struct recap_ds mds, a, b, ro;
	unsigned long *a_direct, *b_direct, *ro_direct, addr, size = 0;
	int err;

	env = e;
	expect("create 64 KiB", recap_rm_create(env, MAP_SIZE, &map), RECAP_OK);
	err = recap_rm_dataspace(env, map, &mds);
	recap_log(env, "dataspace: %d, size 0x%lx", err, mds.size);
	expect("window", recap_rm_attach(env, mds.cap, 0, 0, WINDOW, L4_FPAGE_RW, &addr),
	       RECAP_OK);
	expect("second window", recap_rm_attach(env, mds.cap, 8 * PAGE, 8 * PAGE,
						WINDOW2, L4_FPAGE_RW, &addr), RECAP_OK);

	expect("alloc A, 2 pages", recap_ram_alloc(env, 2 * PAGE, &a), RECAP_OK);
	expect("attach A directly", recap_rm_attach_rw(env, &a, (void **)&a_direct),
	       RECAP_OK);
	expect("page B", page(&b, &b_direct), RECAP_OK);
	expect("A in the map at 0", attach_in(map, a.cap, 0, 0, 0, L4_FPAGE_RW), RECAP_OK);
	expect("B in the map at 0x4000", attach_in(map, b.cap, 0, 0, 4 * PAGE, L4_FPAGE_RW),
	       RECAP_OK);
	*at(WINDOW, 0) = 0x1111;
	*at(WINDOW, 4 * PAGE) = 0x2222;
	a_direct[PAGE / 8 + 1] = 0x3333;
	check("A written through the window", a_direct[0], 0x1111);
	check("B written through the window", b_direct[0], 0x2222);
	check("A's second page through the window", *at(WINDOW, PAGE + 8), 0x3333);

	expect("B detached inside", recap_rm_detach_from(env, map, 4 * PAGE), RECAP_OK);
	expect("B in the map at 0x8000", attach_in(map, b.cap, 0, 0, 8 * PAGE, L4_FPAGE_RW),
	       RECAP_OK);
	check("window + 0x8000", *at(WINDOW, 8 * PAGE), 0x2222);
	check("second window + 0", *at(WINDOW2, 0), 0x2222);
	err = region(map, 2 * PAGE, &addr, &size);
	recap_log(env, "first region from 0x2000: %d, at 0x%lx, 0x%lx bytes", err,
		  addr, size);
	err = region(env->rm, WINDOW, &addr, &size);
	recap_log(env, "the window in the address space: %d, at 0x%lx, 0x%lx bytes",
		  err, addr, size);

	/* <config window_only="yes"/>: stop here, with a window, and idle (a
	 * child under cr, checkpointed with its windows). */
	if (recap_config_bool(env, "window_only", false)) {
		unsigned long ms = recap_config_ulong(env, "show_ms", 0);

		recap_log(env, "idling with a window");
		if (ms)
			show(a_direct, ms);
		return;
	}
	detach_window = recap_config_bool(env, "detach_window", false);
	if (!detach_window)
		refusals(&a, &b, &mds);
	if (!detach_window)
		address_space();

	expect("page for the read-only place", page(&ro, &ro_direct), RECAP_OK);
	ro_direct[0] = 0x5555;
	expect("it in the map, read-only", attach_in(map, ro.cap, 0, 0, RO_PAGE, L4_FPAGE_RO),
	       RECAP_OK);
	check("read through the window", *at(WINDOW, RO_PAGE), 0x5555);
	expect("page for the write", page(&rw_ds, &rw_direct), RECAP_OK);

	expect("fault context", recap_signal_context_create(env, &fault_ctx, on_fault, 0),
	       RECAP_OK);
	expect("done context", recap_signal_context_create(env, &done_ctx, on_done, 0),
	       RECAP_OK);
	expect("fault handler", recap_rm_fault_handler(env, map,
		recap_signal_context_cap(&fault_ctx)), RECAP_OK);
	/* Logged only if it fails: the thread logs as soon as it runs. */
	err = recap_thread_create(env, &toucher, "toucher", touch, 0);
	if (err != RECAP_OK)
		expect("toucher", err, RECAP_OK);
}

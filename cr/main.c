/*
 * main.c — cr, the checkpoint/restore component: starts the children its
 * config names, intercepting all their sessions (policy.c), and carries
 * out what core's CR service asks of it (docs/cr.md).
 *
 *	<config child_ram="4M" child_caps="200">
 *		<start name="counter" caps="200">
 *			<binary name="counter"/>
 *			<resource name="RAM" quantum="2M"/>
 *			<config period_ms="100"/>
 *		</start>
 *	</config>
 *
 * Each <start> as in a scenario (recap_start_node_read): a child, its
 * quotas (default: the root's child_ram, child_caps, which restored
 * children get too), its config (default <config/>).
 *
 * report_times="yes" on the root (bench/cr_checkpoint.c): cr opens a
 * Timer session as its clock and logs, for each checkpoint that leaves
 * the child running, how long it took and kept the child paused, and for
 * each restore how long it took (docs/cr.md, "Benchmark").
 */
#include <recap/cap_layout.h>
#include <recap/config.h>
#include <recap/cr_session.h>
#include <recap/dataspace.h>
#include <recap/env.h>
#include <recap/env_heap.h>
#include <recap/err.h>
#include <recap/format.h>
#include <recap/log.h>
#include <recap/parent_client.h>
#include <recap/ram_session.h>
#include <recap/region_map.h>
#include <recap/signal.h>
#include <recap/string.h>
#include <recap/timer.h>
#include <recap/xml_node.h>

#include "cr.h"
#include "real.h"

static struct cr cr;
static struct recap_signal_context requests;

struct cr_child *cr_child_find(struct cr *c, char const *name)
{
	for (struct cr_child *ch = c->children; ch; ch = ch->next)
		if (!RECAP_STRING_NAME(strcmp)(ch->name, name))
			return ch;
	return NULL;
}

struct cr_child *cr_child_alloc(struct cr *c0, char const *name,
				char const *binary)
{
	struct cr_child *c;

	if (recap_heap_alloc(c0->env, sizeof(*c), (void **)&c) != RECAP_OK)
		return NULL;
	RECAP_STRING_NAME(memset)(c, 0, sizeof(*c));
	RECAP_STRING_NAME(strlcpy)(c->name, name, sizeof(c->name));
	RECAP_STRING_NAME(strlcpy)(c->binary, binary, sizeof(c->binary));
	c->env = c0->env;
	c->cr = c0;
	c->ep = c0->env->ep;
	return c;
}

/* The child API made the main thread through the real CPU session: record
 * it as the intercepted CPU session records the others. */
void cr_child_seed_main(struct cr_child *c)
{
	struct recap_native_cap_info info;
	struct cr_thread *t = &c->threads[0];

	*t = (struct cr_thread){ .used = true, .cap = c->child.main_thread,
				 .started = true };
	RECAP_STRING_NAME(strlcpy)(t->name, "main", sizeof(t->name));
	if (recap_native_pd_cap_info_at(c->env, c->child.pd,
			     recap_thread_slot(0, RECAP_THREAD_GATE), &info) == RECAP_OK)
		t->gate_badge = info.label & ~3UL;
}

/*
 * Record the dataspaces the child API loaded the child into (its ELF
 * segments, stack), as a restore records them (session -1): a
 * checkpoint then knows them without asking core about each (docs/cr.md
 * "Speed"). Best effort: one not recorded is asked about then.
 */
static void seed_memory(struct cr_child *c)
{
	struct cr_region r;
	unsigned long addr = 0, size;
	bool writable;

	while (cr_real_region(c->env, c->child.rm, addr, &r) == RECAP_OK) {
		if (recap_cap_valid(r.ds) &&
		    recap_ds_info(c->env, r.ds, &size, &writable) == RECAP_OK)
			cr_ds_add(c, r.ds, size, -1, writable);
		addr = r.addr + r.size;
	}
}

/* Start the child a <start> node describes. */
static void start(struct recap_xml_node const *node)
{
	struct recap_start_info info;
	struct cr_child *c;
	char *config = NULL;
	int err = recap_start_node_read(node, &info);

	if (err != RECAP_OK) {
		recap_log(cr.env, "<start name=\"%s\">: %s", info.name, info.why);
		return;
	}
	c = cr_child_alloc(&cr, info.name, info.binary);
	/* The child API keeps a pointer to the config text: a copy of ours. */
	if (c && info.config &&
	    recap_heap_alloc(cr.env, info.config_len + 1, (void **)&config) == RECAP_OK) {
		RECAP_STRING_NAME(memcpy)(config, info.config, info.config_len);
		config[info.config_len] = '\0';
	}
	if (!c || (info.config && !config)) {
		recap_log(cr.env, "%s: out of memory for its record", info.name);
		recap_heap_free(cr.env, c);
		return;
	}
	err = recap_child_start(cr.env, &c->child, info.name, info.binary,
				info.ram_quota ? info.ram_quota : cr.child_ram,
				info.caps ? info.caps : cr.child_caps, config,
				&cr_policy);
	if (err != RECAP_OK) {
		recap_log(cr.env, "starting %s failed: %s", info.name,
			  recap_err_str(err));
		recap_heap_free(cr.env, config);
		recap_heap_free(cr.env, c);
		return;
	}
	cr_child_seed_main(c);
	seed_memory(c);
	c->next = cr.children;
	cr.children = c;
}

void cr_progress(struct cr *c, unsigned long done, unsigned long total)
{
	if (!c->request || (done < total && done >= c->progress_done &&
			    done - c->progress_done < total / 100))
		return;
	c->progress_done = done;
	recap_cr_progress(c->env, c->session, c->request, done, total);
}

unsigned long cr_clock_us(struct cr *c)
{
	unsigned long us = 0;

	if (c->report_times)
		recap_timer_elapsed_us(c->env, c->clock, &us);
	return us;
}

static void do_checkpoint(struct recap_cr_request *req)
{
	struct cr_child *c = cr_child_find(&cr, req->target);
	struct recap_ds ds = { .cap = recap_cap_invalid() };
	unsigned long len = 0, t0 = cr_clock_us(&cr);
	char msg[RECAP_CR_MESSAGE_MAX + 1] = "";
	int err;

	if (!c) {
		recap_snprintf(msg, sizeof(msg), "no child '%s'", req->target);
		recap_cr_done(cr.env, cr.session, req, RECAP_ERR_NOENT, msg,
			      recap_cap_invalid(), 0);
		return;
	}
	cr.paused_us = 0;
	err = cr_checkpoint(&cr, c, req->flags, &ds, &len, msg, sizeof(msg));
	if (err == RECAP_OK && cr.report_times && !(req->flags & RECAP_CR_FLAG_STOP))
		recap_log(cr.env, "checkpoint of %s: %lu KiB in %lu us, paused %lu us",
			  c->name, len >> 10, cr_clock_us(&cr) - t0, cr.paused_us);
	if (err != RECAP_OK) {
		recap_cr_done(cr.env, cr.session, req, err, msg,
			      recap_cap_invalid(), 0);
		return;
	}
	recap_cr_done(cr.env, cr.session, req, RECAP_OK, NULL, ds.cap, len);
}

static void do_restore(struct recap_cr_request *req)
{
	char msg[RECAP_CR_MESSAGE_MAX + 1] = "";
	unsigned long addr, t0 = cr_clock_us(&cr);
	int err;

	cr_buffer_release(&cr, &cr.stream);
	err = recap_rm_attach(cr.env, req->ds, 0, 0, RECAP_RM_ANYWHERE,
			      L4_FPAGE_RO, &addr);
	if (err != RECAP_OK) {
		recap_cr_done(cr.env, cr.session, req, err,
			      "cannot attach the stream", recap_cap_invalid(), 0);
		return;
	}
	err = cr_restore(&cr, (void const *)addr, req->length, req->as_label,
			 req->flags, msg, sizeof(msg));
	recap_rm_detach(cr.env, addr);
	if (err == RECAP_OK && cr.report_times)
		recap_log(cr.env, "restore of %lu KiB in %lu us", req->length >> 10,
			  cr_clock_us(&cr) - t0);
	recap_cr_done(cr.env, cr.session, req, err, err ? msg : NULL,
		      recap_cap_invalid(), 0);
}

/* A request is queued: take it (or several) and answer each. */
static void on_request(void *arg)
{
	struct recap_cr_request req;

	(void)arg;
	while (recap_cr_fetch(cr.env, cr.session, &req) == RECAP_OK) {
		cr.request = req.id;
		cr.progress_done = 0;
		if (req.kind == RECAP_CR_CHECKPOINT)
			do_checkpoint(&req);
		else if (req.kind == RECAP_CR_RESTORE)
			do_restore(&req);
		else
			recap_cr_done(cr.env, cr.session, &req, RECAP_ERR_INVAL,
				      "unknown request", recap_cap_invalid(), 0);
		cr.request = 0;
	}
}

void component_construct(struct recap_env *env)
{
	struct recap_xml_node root, node;
	int err;

	cr.env = env;
	cr.stream.ds.cap = cr.scratch.ds.cap = recap_cap_invalid();
	cr.child_ram = recap_config_ulong(env, "child_ram", 4UL << 20);
	cr.child_caps = recap_config_ulong(env, "child_caps", 100);
	if (recap_config_bool(env, "report_times", false)) {
		err = recap_timer_open(env, &cr.clock);
		if (err == RECAP_OK)
			cr.report_times = true;
		else
			recap_log(env, "report_times: no Timer session: %s",
				  recap_err_str(err));
	}

	err = recap_cr_open(env, &cr.session);
	if (err == RECAP_OK)
		err = recap_signal_context_create(env, &requests, on_request, NULL);
	if (err == RECAP_OK)
		err = recap_cr_sigh(env, cr.session,
				    recap_signal_context_cap(&requests));
	if (err != RECAP_OK) {
		recap_log(env, "no CR session: %s", recap_err_str(err));
		recap_parent_exit(env, 1);
		return;
	}
	if (recap_config_root(env, &root) != RECAP_OK)
		return;		/* reported; cr serves restores all the same */
	for (err = recap_xml_sub_first(&root, "start", &node); err == RECAP_OK;
	     err = recap_xml_sub_next(&root, "start", &node))
		start(&node);
}

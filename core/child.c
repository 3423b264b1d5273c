/*
 * child.c — starting and ending the components of the scenario (child.h).
 *
 * Start order, as Genode core and init do it: the PD (task, its own task
 * capability), the parent object, the image (whose _parent_cap gets the
 * parent object's badge), the parent gate at RECAP_PARENT_SLOT, the main
 * thread's pager at its thread slot, and last the main thread, which may
 * run at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <recap/cap_layout.h>
#include <recap/err.h>

#include "cap_quota.h"
#include "child.h"
#include "diag.h"
#include "pager.h"
#include "parent.h"
#include "pd_session.h"
#include "service.h"
#include "session.h"
#include "signal.h"

static struct child *children;
static unsigned running;

bool child_any_running(void)
{
	return running > 0;
}

void child_for_each(void (*fn)(struct child *c, void *arg), void *arg)
{
	for (struct child *c = children; c; c = c->next)
		fn(c, arg);
}

struct child *child_find(char const *name)
{
	for (struct child *c = children; c; c = c->next)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/* Take down whatever of c exists (objects detach only if attached). */
static void teardown(struct child *c)
{
	pd_destroy(&c->pd);
	/* The task is gone: its regions go without unmapping, before the
	 * sessions' dataspaces, which would otherwise detach from it. */
	region_map_fini(&c->rm);
	session_close_all(c);
	pd_held_release(c);	/* gates it held for a replaced sub-child */
	rpc_object_detach(&c->parent);
	rpc_object_detach(&c->pager);
}

/* The binary's path; refuses names that would leave the boot directory. */
static int binary_path(char *buf, size_t size, char const *boot_dir,
		       char const *binary)
{
	int n;

	if (!binary[0] || binary[0] == '.' || strchr(binary, '/'))
		return -1;
	n = snprintf(buf, size, "%s/%s", boot_dir, binary);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

static int build(struct child *c, struct scenario_start const *start,
		 char const *boot_dir)
{
	char path[4096], why[ELF_ERR_MAX];
	struct elf_image img;
	int err;

	if (binary_path(path, sizeof(path), boot_dir, start->binary)) {
		diag("%s: bad binary name \"%s\"", c->name, start->binary);
		return -1;
	}
	if (elf_image_load(&img, path, why)) {
		diag("%s: cannot load %s: %s", c->name, path, why);
		return -1;
	}
	if (cap_quota_charge(c, CAP_QUOTA_START, "starting it") != RECAP_OK ||
	    pd_create(&c->pd, c->name))
		goto fail;
	/* Known before the load: _parent_cap tells it to the main thread. */
	c->pd.thread_badge = rpc_badge_alloc();
	err = parent_attach(c);
	if (err != RECAP_OK) {
		diag("%s: no parent object (%d)", c->name, err);
		goto fail;
	}
	if (pd_load(&c->pd, &img, c->parent.badge) ||
	    pd_map(&c->pd, c->parent.gate, RECAP_PARENT_SLOT))
		goto fail;
	err = region_map_init(&c->rm, &c->pd);
	if (err != RECAP_OK) {
		diag("%s: no region map (%d)", c->name, err);
		goto fail;
	}
	err = pager_attach(c);
	if (err != RECAP_OK) {
		diag("%s: no pager object (%d)", c->name, err);
		goto fail;
	}
	if (pd_map(&c->pd, c->pager.gate, recap_thread_slot(0, RECAP_THREAD_PAGER)) ||
	    pd_start_main(&c->pd, c->pd.thread_badge))
		goto fail;
	elf_image_free(&img);
	return 0;
fail:
	elf_image_free(&img);
	return -1;
}

int child_start(struct scenario const *s, struct scenario_start const *start,
		char const *boot_dir)
{
	struct child *c = calloc(1, sizeof(*c));

	if (!c) {
		diag("%s: out of memory", start->name);
		return -1;
	}
	snprintf(c->name, sizeof(c->name), "%s", start->name);
	c->scenario = s;
	c->ram.quota = start->ram;
	c->caps.quota = start->caps;
	c->boot_dir = boot_dir;
	c->pd.task = c->pd.thread = c->pd.thread_gate = c->pd.irq = L4_INVALID_CAP;
	if (build(c, start, boot_dir)) {
		teardown(c);
		free(c);
		return -1;
	}
	c->running = true;
	c->next = children;
	children = c;
	running++;
	return 0;
}

int child_create_empty(struct child *owner, char const *name,
		       unsigned long ram_quota, unsigned long cap_quota,
		       struct child **out)
{
	struct child *c = calloc(1, sizeof(*c));

	if (!c)
		return RECAP_ERR_NOMEM;
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->owner = owner;
	c->ram.quota = ram_quota;
	c->caps.quota = cap_quota;
	c->boot_dir = owner->boot_dir;
	c->pd.task = c->pd.thread = c->pd.thread_gate = c->pd.irq = L4_INVALID_CAP;
	if (pd_create(&c->pd, c->name) ||
	    region_map_init(&c->rm, &c->pd) != RECAP_OK) {
		teardown(c);
		free(c);
		return RECAP_ERR_NOMEM;
	}
	c->running = true;
	c->next = children;
	children = c;
	running++;
	*out = c;
	return RECAP_OK;
}

void child_destroy_empty(struct child *c)
{
	struct child **p = &children;

	/* Its owner ends it: the owner needs no signal for that. */
	c->end_sigh = 0;
	child_exit(c, -1);
	while (*p && *p != c)
		p = &(*p)->next;
	if (*p)
		*p = c->next;
	c->owner->ram.quota += c->ram_lent;
	c->owner->caps.quota += c->caps_lent;
	free(c);
}

void child_exit(struct child *c, long code)
{
	if (!c->running)
		return;
	c->running = false;
	c->exit_code = code;
	running--;
	service_child_exit(c);	/* its services and its sessions at others */
	teardown(c);
	/* A child of a component: tell its parent (a crash, mostly: an exit
	 * goes to the parent anyway). The context may be gone: then not. */
	if (c->end_sigh)
		signal_submit(c->end_sigh);
}

void child_free_all(void)
{
	struct child *c;

	/* Components first: ending one ends the children it made, which
	 * take themselves out of the list. */
	for (;;) {
		for (c = children; c && (c->owner || !c->running); c = c->next)
			;
		if (!c)
			break;
		child_exit(c, -1);
	}
	while (children) {
		c = children;
		children = c->next;
		free(c);
	}
}

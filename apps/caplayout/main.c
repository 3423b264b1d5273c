/*
 * caplayout — a component reads its own capability space through its own
 * PD session's native interface (recap/native_pd.h) and prints the layout
 * the kernel reports: slot 1 its task, slot 8 the parent gate, the thread
 * area from slot 9 with three slots per thread, its own capabilities from
 * RECAP_USER_BASE_SLOT; then again with a second thread. It checks that
 * iterating from 0 visits exactly the used slots (against cap_valid
 * probing), that REQUEST_CAP delegates the very objects, and the refusals.
 *
 * Kernel object ids depend on creation order, so labels are printed by
 * what they are (the parent's badge, the thread gates' badges, the
 * sessions'), not as numbers.
 */
#include <l4/sys/task.h>
#include <l4/sys/x.h>

#include <recap/cap_layout.h>
#include <recap/env.h>
#include <recap/err.h>
#include <recap/log.h>
#include <recap/native_pd.h>
#include <recap/parent_client.h>
#include <recap/pd_session.h>
#include <recap/ram_session.h>
#include <recap/region_map.h>
#include <recap/rpc.h>
#include <recap/thread.h>

#define PROBE_SLOTS 0x300UL
#define MAX_USED 64

struct layout {
	unsigned long n;
	unsigned long slot[MAX_USED];
	struct recap_native_cap_info info[MAX_USED];
};

static struct recap_thread second;

static char const *kind_name(unsigned long kind)
{
	switch (kind) {
	case L4X_KIND_NONE: return "empty";
	case L4X_KIND_TASK: return "task";
	case L4X_KIND_THREAD: return "thread";
	case L4X_KIND_GATE: return "gate";
	case L4X_KIND_IRQ: return "irq";
	case L4X_KIND_FACTORY: return "factory";
	case L4X_KIND_LOG: return "log";
	case L4X_KIND_HOST: return "host";
	}
	return "?";
}

/* What a gate's or IRQ's label is, by the badges the component knows. */
static char const *label_name(struct recap_env *env, unsigned long label)
{
	struct recap_thread *main_thread = recap_thread_self();

	if (label == ~0UL)
		return "-";
	if (label == 0)
		return "0";
	if (label == env->parent.badge)
		return "parent";
	if (main_thread && label == main_thread->gate.badge)
		return "main thread gate";
	if (second.index && label == second.gate.badge)
		return "second thread gate";
	if (label == env->log.badge)
		return "LOG session";
	if (label == env->pd.badge)
		return "PD session";
	if (label == env->cpu.badge)
		return "CPU session";
	if (second.index && label == second.cap.badge)
		return "second thread (core)";
	if (label == env->ram.badge)
		return "RAM session";
	if (label == env->rm.badge)
		return "RM session";
	if (second.index && label == second.stack.cap.badge)
		return "second thread's stack";
	return "core object";
}

static void rights_name(unsigned long rights, char *s)
{
	s[0] = rights & L4_CAP_FPAGE_R ? 'r' : '-';
	s[1] = rights & L4_CAP_FPAGE_W ? 'w' : '-';
	s[2] = rights & L4_CAP_FPAGE_S ? 's' : '-';
	s[3] = rights & L4_CAP_FPAGE_D ? 'd' : '-';
	s[4] = 0;
}

/* CAP_INFO from slot 0 on, following next. */
static int read_layout(struct recap_env *env, struct layout *l)
{
	unsigned long slot = 0;

	l->n = 0;
	while (slot != RECAP_SLOT_NONE) {
		struct recap_native_cap_info info;
		int err = recap_native_pd_cap_info(env, slot, &info);

		if (err != RECAP_OK)
			return err;
		if (info.kind != L4X_KIND_NONE) {
			if (l->n == MAX_USED)
				return RECAP_ERR_NOMEM;
			l->slot[l->n] = slot;
			l->info[l->n++] = info;
		}
		if (info.next != RECAP_SLOT_NONE && info.next <= slot)
			return RECAP_ERR_INVAL;	/* must move on */
		slot = info.next;
	}
	return RECAP_OK;
}

/* Do the used slots below PROBE_SLOTS match what cap_valid finds? */
static bool probe_matches(struct layout const *l)
{
	unsigned long k = 0;

	for (unsigned long s = 0; s < PROBE_SLOTS; s++) {
		bool valid = l4_msgtag_label(l4_task_cap_valid(
				     recap_slot_sel(RECAP_TASK_SLOT),
				     recap_slot_sel(s))) > 0;
		bool listed = k < l->n && l->slot[k] == s;

		if (valid != listed)
			return false;
		if (listed)
			k++;
	}
	return k == l->n || l->slot[k] >= PROBE_SLOTS;
}

static void print_layout(struct recap_env *env, char const *title)
{
	static struct layout l;
	int err = read_layout(env, &l);
	bool probed = err == RECAP_OK && probe_matches(&l);

	recap_log(env, "--- %s ---", title);
	if (err != RECAP_OK) {
		recap_log(env, "CAP_INFO walk failed: %d", err);
		return;
	}
	for (unsigned long i = 0; i < l.n; i++) {
		char r[5];
		char const *where = "user";
		unsigned long s = l.slot[i];

		rights_name(l.info[i].rights, r);
		if (s == RECAP_TASK_SLOT)
			where = "task";
		else if (s == RECAP_PARENT_SLOT)
			where = "parent";
		else if (s >= RECAP_THREAD_AREA_BASE && s < RECAP_USER_BASE_SLOT)
			where = (s - RECAP_THREAD_AREA_BASE) % RECAP_THREAD_SLOTS ==
						RECAP_THREAD_GATE ? "thread gate" :
				(s - RECAP_THREAD_AREA_BASE) % RECAP_THREAD_SLOTS ==
						RECAP_THREAD_PAGER ? "thread pager" :
									 "thread irq";
		recap_log(env, "slot 0x%lx (%s): %s %s label %s", s, where,
			  kind_name(l.info[i].kind), r,
			  label_name(env, l.info[i].label));
	}
	recap_log(env, "%lu used slots; cap_valid on 0..0x%lx agrees: %s", l.n,
		  PROBE_SLOTS, probed ? "yes" : "NO");
}

/*
 * REQUEST_CAP from 0 on: it visits the slots CAP_INFO lists, and each
 * delegated capability names its slot's object. Each copy is released
 * at once, so the walk leaves the space as it found it.
 */
static void request_walk(struct recap_env *env)
{
	static struct layout l;
	unsigned long slot = 0, visited = 0, same = 0, k = 0;
	bool in_order = true;
	int err = read_layout(env, &l);

	while (slot != RECAP_SLOT_NONE && err == RECAP_OK) {
		struct recap_cap cap;
		unsigned long next;

		err = recap_native_pd_request_cap(env, slot, &cap, &next);
		if (err != RECAP_OK)
			break;
		if (recap_cap_valid(cap)) {
			visited++;
			if (k >= l.n || l.slot[k++] != slot)
				in_order = false;
			if (l4_error(l4_task_cap_equal(recap_slot_sel(RECAP_TASK_SLOT),
						       cap.sel,
						       recap_slot_sel(slot))) == 1)
				same++;
			l4_task_release_cap(recap_slot_sel(RECAP_TASK_SLOT), cap.sel);
			recap_cap_forget(env, cap);
		}
		if (next != RECAP_SLOT_NONE && next <= slot)
			err = RECAP_ERR_INVAL;
		slot = next;
	}
	recap_log(env, "REQUEST_CAP walk: %d, %lu capabilities, %lu the same object, "
		  "the slots CAP_INFO lists: %s", err, visited, same,
		  in_order && k == l.n ? "yes" : "NO");
}

/* Is e what CAP_INFO listed as used slot k of l? */
static bool entry_is(struct layout const *l, unsigned long k,
		     struct recap_native_cap_entry const *e)
{
	struct recap_native_cap_info const *i = &l->info[k];

	return k < l->n && l->slot[k] == e->slot && i->kind == e->kind &&
	       i->id == e->id && i->rights == e->rights && i->label == e->label;
}

/*
 * CAP_LIST from 0 on, at most CHUNK slots a call, into a page of RAM: the
 * slots CAP_INFO lists, each as CAP_INFO says; then all in one call, and
 * what it refuses. The page is freed after, leaving the space as it was.
 */
#define CHUNK 4
static void list_walk(struct recap_env *env)
{
	static struct layout l;
	struct recap_native_cap_entry const *e;
	unsigned long slot = 0, n, k = 0, calls = 0, max;
	struct recap_ds ds;
	bool same = true;
	void *buf;
	int err = recap_ram_alloc(env, L4_PAGESIZE, &ds);

	if (err == RECAP_OK && (err = recap_rm_attach_rw(env, &ds, &buf)) != RECAP_OK)
		recap_ram_free(env, &ds);
	if (err != RECAP_OK) {
		recap_log(env, "CAP_LIST: no page: %d", err);
		return;
	}
	e = buf;
	max = L4_PAGESIZE / sizeof(*e);
	err = read_layout(env, &l);
	while (slot != RECAP_SLOT_NONE && err == RECAP_OK) {
		err = recap_native_pd_cap_list_at(env, env->pd, slot, CHUNK,
						  ds.cap, &n, &slot);
		calls++;
		for (unsigned long i = 0; err == RECAP_OK && i < n; i++)
			same = same && entry_is(&l, k++, &e[i]);
		if (err == RECAP_OK && (n > CHUNK || (!n && slot != RECAP_SLOT_NONE)))
			err = RECAP_ERR_INVAL;	/* too many, or no progress */
	}
	recap_log(env, "CAP_LIST walk: %d, %lu slots in %lu calls of at most %d, "
		  "as CAP_INFO lists them: %s", err, k, calls, CHUNK,
		  same && k == l.n ? "yes" : "NO");
	err = recap_native_pd_cap_list_at(env, env->pd, 0, max, ds.cap, &n, &slot);
	same = err == RECAP_OK && n == l.n && slot == RECAP_SLOT_NONE;
	for (unsigned long i = 0; same && i < n; i++)
		same = entry_is(&l, i, &e[i]);
	recap_log(env, "CAP_LIST of %lu in one call: %d, all %lu, none left: %s",
		  max, err, n, same ? "yes" : "NO");
	err = recap_native_pd_cap_list_at(env, env->pd, 0xc, 1, ds.cap, &n, &slot);
	recap_log(env, "CAP_LIST of 1 from 0xc: %d, %lu: slot 0x%lx, next 0x%lx",
		  err, n, n ? e[0].slot : 0UL, slot);
	err = recap_native_pd_cap_list_at(env, env->pd, 0x2f0, 1, ds.cap, &n, &slot);
	recap_log(env, "CAP_LIST of 1 from 0x2f0 (none above): %d, %lu, next %s",
		  err, n, slot == RECAP_SLOT_NONE ? "none" : "some");
	recap_log(env, "CAP_LIST of 0: %d",
		  recap_native_pd_cap_list_at(env, env->pd, 0, 0, ds.cap, &n, &slot));
	recap_log(env, "CAP_LIST from 0x%lx: %d", RECAP_CAP_SLOTS,
		  recap_native_pd_cap_list_at(env, env->pd, RECAP_CAP_SLOTS, 1,
					      ds.cap, &n, &slot));
	recap_log(env, "CAP_LIST of %lu into a page: %d", max + 1,
		  recap_native_pd_cap_list_at(env, env->pd, 0, max + 1, ds.cap,
					      &n, &slot));
	recap_log(env, "CAP_LIST into no dataspace: %d",
		  recap_native_pd_cap_list_at(env, env->pd, 0, 1, env->cpu, &n,
					      &slot));
	recap_rm_detach(env, (unsigned long)buf);
	recap_ram_free(env, &ds);
}

static void refusals(struct recap_env *env)
{
	struct recap_native_cap_info info;
	struct recap_cap cap;
	unsigned long next;
	int err;

	err = recap_native_pd_request_cap(env, RECAP_PARENT_SLOT, &cap, &next);
	if (err == RECAP_OK && recap_cap_valid(cap)) {
		char r[5];

		err = recap_native_pd_cap_info(env, recap_sel_slot(cap.sel), &info);
		rights_name(info.rights, r);
		recap_log(env, "REQUEST_CAP 8: %d, %s %s label %s, next 0x%lx", err,
			  kind_name(info.kind), r, label_name(env, info.label), next);
		l4_task_release_cap(recap_slot_sel(RECAP_TASK_SLOT), cap.sel);
		recap_cap_forget(env, cap);
	} else {
		recap_log(env, "REQUEST_CAP 8: %d", err);
	}
	err = recap_native_pd_request_cap(env, 2, &cap, &next);
	recap_log(env, "REQUEST_CAP 2 (empty): %d, %s, next 0x%lx", err,
		  recap_cap_valid(cap) ? "a capability" : "invalid", next);
	err = recap_native_pd_request_cap(env, RECAP_CAP_SLOTS, &cap, &next);
	recap_log(env, "REQUEST_CAP 0x%lx: %d", RECAP_CAP_SLOTS, err);
	err = recap_native_pd_cap_info(env, RECAP_CAP_SLOTS, &info);
	recap_log(env, "CAP_INFO 0x%lx: %d", RECAP_CAP_SLOTS, err);
	err = recap_native_pd_install_cap(env, env->parent, 0);
	recap_log(env, "INSTALL_CAP at 0: %d", err);
	err = recap_native_pd_install_cap(env, env->parent, RECAP_CAP_SLOTS);
	recap_log(env, "INSTALL_CAP at 0x%lx: %d", RECAP_CAP_SLOTS, err);
	err = recap_native_pd_install_cap(env, recap_cap_invalid(), 0x2f0);
	recap_log(env, "INSTALL_CAP of no capability: %d", err);

	err = recap_native_pd_install_cap(env, env->parent, 0x2f0);
	recap_log(env, "INSTALL_CAP parent at 0x2f0: %d", err);
	err = recap_native_pd_cap_info(env, 0x2f0, &info);
	if (err == RECAP_OK) {
		char r[5];

		rights_name(info.rights, r);
		recap_log(env, "slot 0x2f0: %s %s label %s, same as slot 8: %s",
			  kind_name(info.kind), r, label_name(env, info.label),
			  l4_error(l4_task_cap_equal(recap_slot_sel(RECAP_TASK_SLOT),
						     recap_slot_sel(0x2f0),
						     recap_slot_sel(RECAP_PARENT_SLOT))) == 1
				  ? "yes" : "no");
	}
	l4_task_release_cap(recap_slot_sel(RECAP_TASK_SLOT), recap_slot_sel(0x2f0));
	err = recap_native_pd_cap_info(env, 0x2f0, &info);
	recap_log(env, "slot 0x2f0 released: %d, %s", err, kind_name(info.kind));
}

static void idle(void *arg)
{
	(void)arg;
}

void component_construct(struct recap_env *env)
{
	int err;

	recap_log(env, "caplayout: the capability space from the kernel");
	err = recap_pd_session(env);
	if (err != RECAP_OK) {
		recap_log(env, "no PD session: %d", err);
		recap_parent_exit(env, 1);
	}
	print_layout(env, "one thread");
	err = recap_thread_create(env, &second, "second", idle, NULL);
	if (err != RECAP_OK) {
		recap_log(env, "thread: %d", err);
		recap_parent_exit(env, 1);
	}
	recap_log(env, "second thread: index %lu", second.index);
	print_layout(env, "two threads");
	request_walk(env);
	list_walk(env);
	refusals(env);
	recap_thread_join(&second);
	second.index = 0;
	print_layout(env, "joined");
	recap_parent_exit(env, 0);
}

/*
 * child.c — the child API (recap/child.h): building a child's PD through
 * the sessions its PD handle gives, and serving its parent interface.
 *
 * Build order (as core's child.c does it for its own children): PD handle;
 * the child's PD, CPU, RM, RAM sessions; the binary checked; the main
 * thread (thread 0 of the empty PD); the parent object; each segment a
 * RAM dataspace of the child's, filled here and attached in the child's
 * RM; the main stack; the parent capability at RECAP_PARENT_SLOT through
 * the native PD; START. A failure anywhere closes the handle, which takes
 * the whole PD with it.
 */
#include <l4/sys/consts.h>

#include <recap/cap_layout.h>
#include <recap/cap_map.h>
#include <recap/child.h>
#include <recap/child_pd.h>
#include <recap/cpu_session.h>
#include <recap/elf_load.h>
#include <recap/entrypoint.h>
#include <recap/err.h>
#include <recap/format.h>
#include <recap/layout.h>
#include <recap/log.h>
#include <recap/native_pd.h>
#include <recap/parent_client.h>
#include <recap/ram_session.h>
#include <recap/region_map.h>
#include <recap/rom_session.h>
#include <recap/rpc.h>
#include <recap/session_args.h>
#include <recap/string.h>

#define EMPTY_CONFIG "<config/>"
#define PARENT_CAP_SYMBOL "_parent_cap"

/* SESSION through the child's PD handle: a session of core's for it. */
static int handle_session(struct recap_child *ch, char const *service,
			  char const *args, struct recap_cap *cap)
{
	struct rpc_msg m;
	int err;

	*cap = recap_cap_invalid();
	recap_rpc_begin(&m, ch->handle, RECAP_CHILD_PD_SESSION, NULL, 0);
	rpc_msg_put_string(&m, service, RECAP_STRING_NAME(strlen)(service));
	rpc_msg_put_string(&m, args, RECAP_STRING_NAME(strlen)(args));
	err = recap_rpc_call(ch->env, ch->handle, &m);
	if (err != RECAP_OK)
		return err;
	if (recap_rpc_end_one_cap(&m) != RECAP_OK)
		return RECAP_ERR_INVAL;
	*cap = m.caps[0];
	return RECAP_OK;
}

static int handle_call(struct recap_child *ch, l4_umword_t op,
		       struct recap_cap const *arg)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, ch->handle, op, arg, arg ? 1 : 0);
	err = recap_rpc_call(ch->env, ch->handle, &m);
	return err == RECAP_OK ? rpc_msg_end(&m) : err;
}

/* RAM ALLOC on the child's RAM session: charged to the child. */
static int child_ram_alloc(struct recap_child *ch, unsigned long size,
			   struct recap_ds *ds)
{
	return recap_ram_alloc_at(ch->env, ch->ram, size, ds);
}

/* ATTACH in the child's address space at a fixed address. */
static int child_rm_attach(struct recap_child *ch, struct recap_cap ds,
			   unsigned long size, unsigned long at, unsigned rights)
{
	unsigned long addr;

	return recap_rm_attach_to(ch->env, ch->rm, ds, size, 0, at, rights,
				  &addr);
}
/* Fill ds (attached here for the while) with len bytes of data at off. */
static int ds_fill(struct recap_env *env, struct recap_ds const *ds,
		   unsigned long off, void const *data, unsigned long len)
{
	void *p;
	int err = recap_rm_attach_rw(env, ds, &p);

	if (err != RECAP_OK)
		return err;
	RECAP_STRING_NAME(memcpy)((char *)p + off, data, len);
	return recap_rm_detach(env, (unsigned long)p);
}

static int load_segment(struct recap_child *ch, struct recap_rom const *rom,
			struct recap_elf_segment const *s,
			unsigned long parent_cap, l4_umword_t const *raw,
			unsigned long raw_size)
{
	unsigned long lead = s->vaddr - s->page;
	struct recap_ds ds;
	char *p;
	int err = child_ram_alloc(ch, s->size, &ds);

	if (err != RECAP_OK)
		return err;
	err = recap_rm_attach_rw(ch->env, &ds, (void **)&p);
	if (err != RECAP_OK)
		return err;
	/* RAM is zero-filled: the bss and the lead need nothing. */
	RECAP_STRING_NAME(memcpy)(p + lead, rom->data + s->offset, s->filesz);
	if ((s->rights & L4_FPAGE_W) && parent_cap >= s->vaddr &&
	    s->memsz >= raw_size && parent_cap - s->vaddr <= s->memsz - raw_size)
		RECAP_STRING_NAME(memcpy)(p + (parent_cap - s->page), raw, raw_size);
	err = recap_rm_detach(ch->env, (unsigned long)p);
	if (err == RECAP_OK)
		err = child_rm_attach(ch, ds.cap, s->size, s->page, s->rights);
	return err;
}

/* Segments and main stack into the child's address space. */
static int load(struct recap_child *ch, struct recap_rom const *rom,
		struct recap_elf_image const *img, recap_badge_t gate_badge)
{
	l4_umword_t raw[RECAP_PARENT_CAP_MAIN_GATE + 1] = {
		ch->parent.cap.badge, 0, 0, 0,
	};
	unsigned long parent_cap;
	struct recap_ds stack;
	bool found = false;
	int err;

	raw[RECAP_PARENT_CAP_MAIN_GATE] = gate_badge;
	if (recap_elf_symbol(rom->data, rom->len, PARENT_CAP_SYMBOL,
			     &parent_cap) != RECAP_OK)
		return RECAP_ERR_INVAL;
	/* Not a recap component unless _parent_cap is writable data. */
	for (unsigned i = 0; i < img->nsegs; i++) {
		struct recap_elf_segment const *s = &img->seg[i];

		found |= (s->rights & L4_FPAGE_W) && parent_cap >= s->vaddr &&
			 s->memsz >= sizeof(raw) &&
			 parent_cap - s->vaddr <= s->memsz - sizeof(raw);
	}
	if (!found)
		return RECAP_ERR_INVAL;
	for (unsigned i = 0; i < img->nsegs; i++) {
		err = load_segment(ch, rom, &img->seg[i], parent_cap, raw,
				   sizeof(raw));
		if (err != RECAP_OK)
			return err;
	}
	err = child_ram_alloc(ch, RECAP_MAIN_STACK_SIZE, &stack);
	if (err == RECAP_OK)
		err = child_rm_attach(ch, stack.cap, RECAP_MAIN_STACK_SIZE,
				      recap_stack_top(0) - RECAP_MAIN_STACK_SIZE,
				      L4_FPAGE_RW);
	return err;
}

/* INSTALL_CAP on the child's PD session. */
static int install_cap(struct recap_child *ch, struct recap_cap cap,
		       unsigned long slot)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, ch->pd, RECAP_PD_INSTALL_CAP, &cap, 1);
	rpc_msg_put_word(&m, slot);
	err = recap_rpc_call(ch->env, ch->pd, &m);
	return err == RECAP_OK ? rpc_msg_end(&m) : err;
}

static int record(struct recap_child *ch, char const *service,
		  char const *args, struct recap_cap cap, enum recap_child_via via)
{
	for (unsigned i = 0; i < RECAP_CHILD_SESSIONS_MAX; i++) {
		struct recap_child_session *s = &ch->sessions[i];

		if (recap_cap_valid(s->cap))
			continue;
		RECAP_STRING_NAME(strlcpy)(s->service, service, sizeof(s->service));
		RECAP_STRING_NAME(strlcpy)(s->args, args, sizeof(s->args));
		s->cap = cap;
		s->via = via;
		return RECAP_OK;
	}
	return RECAP_ERR_NOMEM;
}

/* The record of the session capability argument 0 of req names. */
static struct recap_child_session *request_session(struct recap_child *ch,
						   struct recap_rpc_request *req)
{
	struct recap_cap cap;

	/* Only a capability the cap map confirms under its badge counts. */
	if (recap_rpc_request_cap(req, 0, &cap) != RECAP_OK)
		return NULL;
	for (unsigned i = 0; i < RECAP_CHILD_SESSIONS_MAX; i++)
		if (recap_cap_valid(ch->sessions[i].cap) &&
		    ch->sessions[i].cap.badge == cap.badge)
			return &ch->sessions[i];
	return NULL;
}

int recap_child_session_forward(struct recap_child *ch, char const *service,
				char const *args, struct recap_cap *cap,
				enum recap_child_via *via)
{
	char asked[RECAP_SESSION_ARGS_MAX + 1], fwd[RECAP_SESSION_ARGS_MAX + 1];
	int err = session_args_get(args, "label", asked, sizeof(asked));
	int n;

	if (err == RECAP_ERR_NOENT)
		asked[0] = '\0';
	else if (err != RECAP_OK)
		return RECAP_ERR_INVAL;
	*via = RECAP_CHILD_VIA_ENV;
	if (!RECAP_STRING_NAME(strcmp)(service, "PD"))
		return *cap = ch->pd, RECAP_OK;
	if (!RECAP_STRING_NAME(strcmp)(service, "CPU"))
		return *cap = ch->cpu, RECAP_OK;
	if (!RECAP_STRING_NAME(strcmp)(service, "RM"))
		return *cap = ch->rm, RECAP_OK;
	if (!RECAP_STRING_NAME(strcmp)(service, "RAM"))
		return *cap = ch->ram, RECAP_OK;
	if (!RECAP_STRING_NAME(strcmp)(service, "ROM") &&
	    !RECAP_STRING_NAME(strcmp)(asked, "config")) {
		*via = RECAP_CHILD_VIA_LOCAL;
		return *cap = ch->config_rom.cap, RECAP_OK;
	}
	/* Core's services for the child itself: a CR session is the
	 * child's (core routes requests for the labels below it there). */
	if (!RECAP_STRING_NAME(strcmp)(service, "SIGNAL") ||
	    !RECAP_STRING_NAME(strcmp)(service, "LOG") ||
	    !RECAP_STRING_NAME(strcmp)(service, "Timer") ||
	    !RECAP_STRING_NAME(strcmp)(service, "ROM") ||
	    !RECAP_STRING_NAME(strcmp)(service, "CR")) {
		*via = RECAP_CHILD_VIA_HANDLE;
		return handle_session(ch, service, args, cap);
	}
	/* Someone else's service: the label says whose child asks. A quoted
	 * label cannot hold '"' or '\\' unescaped: refuse those. */
	for (char const *p = asked; *p; p++)
		if (*p == '"' || *p == '\\')
			return RECAP_ERR_INVAL;
	if (asked[0])
		n = recap_snprintf(fwd, sizeof(fwd), "label=\"%s -> %s\"", ch->name,
				   asked);
	else
		n = recap_snprintf(fwd, sizeof(fwd), "label=\"%s\"", ch->name);
	if (n < 0 || (unsigned long)n >= sizeof(fwd))
		return RECAP_ERR_RANGE;
	*via = RECAP_CHILD_VIA_PARENT;
	return recap_parent_session(ch->env, service, fwd, cap);
}

void recap_child_exit_default(struct recap_child *ch, long code)
{
	if (code)
		recap_log(ch->env, "%s exited with exit value %ld", ch->name, code);
	recap_child_destroy(ch);
	if (ch->policy && ch->policy->ended)
		ch->policy->ended(ch);
}

static int op_session(struct recap_child *ch, struct recap_rpc_request *req)
{
	char service[RECAP_SERVICE_NAME_MAX + 1];
	char args[RECAP_SESSION_ARGS_MAX + 1];
	enum recap_child_via via;
	struct recap_cap cap;
	int err;

	rpc_msg_get_string(&req->msg, service, sizeof(service));
	rpc_msg_get_string(&req->msg, args, sizeof(args));
	if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps || !service[0])
		return RECAP_ERR_INVAL;
	err = ch->policy && ch->policy->session ?
		      ch->policy->session(ch, service, args, &cap, &via) :
		      recap_child_session_forward(ch, service, args, &cap, &via);
	if (err != RECAP_OK)
		return err;
	if (via != RECAP_CHILD_VIA_ENV && via != RECAP_CHILD_VIA_LOCAL &&
	    record(ch, service, args, cap, via) != RECAP_OK) {
		/* Untracked, it could never be closed: give it back. */
		if (via == RECAP_CHILD_VIA_HANDLE)
			handle_call(ch, RECAP_CHILD_PD_CLOSE, &cap);
		else
			recap_parent_close(ch->env, cap);
		return RECAP_ERR_NOMEM;
	}
	recap_rpc_reply_start(req, &cap, 1);
	return RECAP_OK;
}

static int op_close(struct recap_child *ch, struct recap_rpc_request *req)
{
	struct recap_child_session *s;
	struct recap_cap cap;

	if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps != 1)
		return RECAP_ERR_INVAL;
	s = request_session(ch, req);
	if (!s)
		return RECAP_ERR_NOENT;
	cap = s->cap;
	s->cap = recap_cap_invalid();
	if (s->via == RECAP_CHILD_VIA_HANDLE) {
		handle_call(ch, RECAP_CHILD_PD_CLOSE, &cap);
		recap_cap_forget(ch->env, cap);
		return RECAP_OK;
	}
	return recap_parent_close(ch->env, cap);
}

/* ANNOUNCE: only a policy that can serve it (cr announces on the
 * child's behalf at its own parent). */
static int op_announce(struct recap_child *ch, struct recap_rpc_request *req)
{
	char service[RECAP_SERVICE_NAME_MAX + 1];
	struct recap_cap root;
	int err;

	rpc_msg_get_string(&req->msg, service, sizeof(service));
	if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps != 1 || !service[0])
		return RECAP_ERR_INVAL;
	if (!ch->policy || !ch->policy->announce)
		return RECAP_ERR_DENIED;
	err = recap_rpc_request_cap(req, 0, &root);
	if (err != RECAP_OK)
		return err;
	return ch->policy->announce(ch, service, root);
}

static int parent_dispatch(struct recap_rpc_object *obj,
			   struct recap_rpc_request *req)
{
	struct recap_child *ch = RECAP_CONTAINER_OF(obj, struct recap_child, parent);
	char buf[RECAP_SESSION_ARGS_MAX + 1];
	l4_umword_t code;

	switch (req->op) {
	case RECAP_PARENT_SESSION:
		return op_session(ch, req);
	case RECAP_PARENT_UPGRADE:
		rpc_msg_get_string(&req->msg, buf, sizeof(buf));
		if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps != 1)
			return RECAP_ERR_INVAL;
		return request_session(ch, req) ? RECAP_OK : RECAP_ERR_NOENT;
	case RECAP_PARENT_CLOSE:
		return op_close(ch, req);
	case RECAP_PARENT_ANNOUNCE:
		return op_announce(ch, req);
	case RECAP_PARENT_EXIT:
		code = rpc_msg_get_word(&req->msg);
		if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps)
			return RECAP_ERR_INVAL;
		if (ch->policy && ch->policy->exit)
			ch->policy->exit(ch, (long)code);
		else
			recap_child_exit_default(ch, (long)code);
		return RECAP_RPC_NO_REPLY;
	}
	return RECAP_ERR_INVAL;
}

/* The child's "config" ROM: its text in a RAM dataspace of the child's. */
static int config_dispatch(struct recap_rpc_object *obj,
			   struct recap_rpc_request *req)
{
	struct recap_child *ch = RECAP_CONTAINER_OF(obj, struct recap_child,
						    config_rom);

	if (req->op != RECAP_ROM_DATASPACE || rpc_msg_end(&req->msg) != RECAP_OK ||
	    req->msg.ncaps)
		return RECAP_ERR_INVAL;
	recap_rpc_reply_start(req, &ch->config_ds.cap, 1);
	rpc_msg_put_word(&req->msg, ch->config_ds.size);
	rpc_msg_put_word(&req->msg, ch->config_len);
	return RECAP_OK;
}

/* The child crashed (core's end signal): say so, end its record. */
static void on_end(void *arg)
{
	struct recap_child *ch = arg;

	if (!ch->running)
		return;
	recap_log(ch->env, "%s crashed", ch->name);
	recap_child_destroy(ch);
	if (ch->policy && ch->policy->ended)
		ch->policy->ended(ch);
}

static int open_env_sessions(struct recap_child *ch)
{
	int err;

	if ((err = handle_session(ch, "PD", "", &ch->pd)) ||
	    (err = handle_session(ch, "CPU", "", &ch->cpu)) ||
	    (err = handle_session(ch, "RM", "", &ch->rm)) ||
	    (err = handle_session(ch, "RAM", "", &ch->ram)))
		return err;
	return RECAP_OK;
}

/*
 * What every child has before any thread: its env sessions, its parent
 * object (badge: as asked if not 0 and free) at RECAP_PARENT_SLOT, its
 * config ROM, the end signal.
 */
static int build_pd(struct recap_child *ch, recap_badge_t parent_badge)
{
	struct recap_env *env = ch->env;
	struct recap_cap sigh;
	int err;

	if ((err = open_env_sessions(ch)))
		return err;
	if (parent_badge)
		err = recap_ep_manage_badge(env->ep, &ch->parent, parent_dispatch,
					    parent_badge);
	if (!parent_badge || err == RECAP_ERR_EXIST)
		err = recap_ep_manage(env->ep, &ch->parent, parent_dispatch);
	if (err != RECAP_OK)
		return err;
	/* Its config, in its own RAM. */
	if ((err = child_ram_alloc(ch, ch->config_len ? ch->config_len : 1,
				   &ch->config_ds)) ||
	    (err = ds_fill(env, &ch->config_ds, 0, ch->config, ch->config_len)) ||
	    (err = recap_ep_manage(env->ep, &ch->config_rom, config_dispatch)))
		return err;
	if ((err = recap_signal_context_create(env, &ch->end, on_end, ch)))
		return err;
	sigh = recap_signal_context_cap(&ch->end);
	if ((err = handle_call(ch, RECAP_CHILD_PD_SIGH, &sigh)) ||
	    (err = install_cap(ch, ch->parent.cap, RECAP_PARENT_SLOT)))
		return err;
	return RECAP_OK;
}

/* The binary's image and main thread in the PD build_pd made; started. */
static int build_image(struct recap_child *ch, char const *binary)
{
	struct recap_env *env = ch->env;
	struct recap_cpu_thread main;
	struct recap_elf_image img;
	struct recap_rom rom;
	int err;

	err = recap_rom_open(env, binary, &rom);
	if (err != RECAP_OK)
		return err;
	err = recap_elf_read(rom.data, rom.len, &img);
	if (err == RECAP_OK)
		err = recap_cpu_create_thread_at(env, ch->cpu, "main", &main);
	if (err == RECAP_OK) {
		ch->main_thread = main.cap;
		/* The first thread of an empty PD is its main thread. */
		if (main.index != 0)
			err = RECAP_ERR_INVAL;
	}
	if (err == RECAP_OK)
		err = load(ch, &rom, &img, main.gate_badge);
	recap_rom_close(env, &rom);
	if (err != RECAP_OK)
		return err;
	return recap_cpu_start_at(env, ch->cpu, ch->main_thread, img.entry,
				  recap_stack_top(0));
}

int recap_child_create(struct recap_env *env, struct recap_child *ch,
		       char const *name, unsigned long ram_quota,
		       unsigned long cap_quota, char const *config,
		       struct recap_child_policy const *policy,
		       recap_badge_t parent_badge)
{
	char args[RECAP_SESSION_ARGS_MAX + 1];
	int err;

	RECAP_STRING_NAME(memset)(ch, 0, sizeof(*ch));
	ch->handle = ch->pd = ch->cpu = ch->rm = ch->ram = recap_cap_invalid();
	ch->main_thread = ch->config_ds.cap = recap_cap_invalid();
	ch->parent.cap = ch->config_rom.cap = ch->end.cap = recap_cap_invalid();
	for (unsigned i = 0; i < RECAP_CHILD_SESSIONS_MAX; i++)
		ch->sessions[i].cap = recap_cap_invalid();
	ch->env = env;
	ch->policy = policy;
	ch->config = config ? config : EMPTY_CONFIG;
	ch->config_len = RECAP_STRING_NAME(strlen)(ch->config);
	if (RECAP_STRING_NAME(strlcpy)(ch->name, name, sizeof(ch->name)) >=
	    sizeof(ch->name) || !name[0])
		return RECAP_ERR_RANGE;
	for (char const *p = name; *p; p++)
		if (*p == '"' || *p == '\\')
			return RECAP_ERR_INVAL;
	recap_snprintf(args, sizeof(args),
		       "label=\"%s\", ram_quota=%lu, cap_quota=%lu, new_pd=\"yes\"",
		       name, ram_quota, cap_quota);
	err = recap_parent_session(env, "PD", args, &ch->handle);
	if (err != RECAP_OK)
		return err;
	ch->running = true;
	err = build_pd(ch, parent_badge);
	if (err != RECAP_OK)
		recap_child_destroy(ch);
	return err;
}

int recap_child_start(struct recap_env *env, struct recap_child *ch,
		      char const *name, char const *binary,
		      unsigned long ram_quota, unsigned long cap_quota,
		      char const *config,
		      struct recap_child_policy const *policy)
{
	int err = recap_child_create(env, ch, name, ram_quota, cap_quota,
				     config, policy, 0);

	if (err != RECAP_OK)
		return err;
	err = build_image(ch, binary);
	if (err != RECAP_OK)
		recap_child_destroy(ch);
	return err;
}

void recap_child_destroy(struct recap_child *ch)
{
	struct recap_env *env = ch->env;
	struct recap_cap *held[] = { &ch->pd, &ch->cpu, &ch->rm, &ch->ram,
				     &ch->main_thread, &ch->config_ds.cap };

	if (!ch->running)
		return;
	ch->running = false;
	/* What it got elsewhere than from core through the handle. */
	for (unsigned i = 0; i < RECAP_CHILD_SESSIONS_MAX; i++) {
		struct recap_child_session *s = &ch->sessions[i];

		if (recap_cap_valid(s->cap) && s->via == RECAP_CHILD_VIA_PARENT)
			recap_parent_close(env, s->cap);
		else if (recap_cap_valid(s->cap))
			recap_cap_forget(env, s->cap);
		s->cap = recap_cap_invalid();
	}
	if (recap_cap_valid(ch->end.cap))
		recap_signal_context_destroy(env, &ch->end);
	if (recap_cap_valid(ch->parent.cap))
		recap_ep_dissolve(env->ep, &ch->parent);
	if (recap_cap_valid(ch->config_rom.cap))
		recap_ep_dissolve(env->ep, &ch->config_rom);
	/* Core ends the PD and everything it held with the handle. */
	recap_parent_close(env, ch->handle);
	/* Their objects went with the PD: only the cap-map entries are left. */
	for (unsigned i = 0; i < sizeof(held) / sizeof(held[0]); i++) {
		if (recap_cap_valid(*held[i]))
			recap_cap_forget(env, *held[i]);
		*held[i] = recap_cap_invalid();
	}
	ch->handle = recap_cap_invalid();
}

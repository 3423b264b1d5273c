/*
 * rpc_abuse — sends its parent (core) and its LOG session malformed and
 * forged requests, one per line of output, and checks that each is refused
 * with the right error while core keeps serving. Then it uses a labelled
 * LOG session, closes it and sees it gone. Exits 0 if every answer was the
 * expected one.
 */
#include <l4/sys/consts.h>
#include <l4/sys/ipc.h>
#include <l4/sys/utcb.h>

#include <recap/cap_layout.h>
#include <recap/err.h>
#include <recap/env.h>
#include <recap/log.h>
#include <recap/log_session.h>
#include <recap/parent.h>
#include <recap/parent_client.h>
#include <recap/rpc.h>

static int failures;

/* Send the words already in the registers; the result word, or the IPC
 * failure as RECAP_ERR_IPC. */
static long call_raw(l4_cap_idx_t gate, long proto, unsigned words)
{
	l4_msgtag_t tag = l4_ipc_call(gate, l4_utcb(), l4_msgtag(proto, words, 0, 0),
				      L4_IPC_NEVER);

	if (l4_msgtag_has_error(tag))
		return RECAP_ERR_IPC;
	return (long)l4_utcb_mr()->mr[0];
}

static void expect(struct recap_env *env, char const *what, long got, long want)
{
	recap_log(env, "%s: %ld (%s)%s", what, got, recap_err_str((int)got),
		  got == want ? "" : " UNEXPECTED");
	failures += got != want;
}

static void set(unsigned n, l4_umword_t const *w)
{
	for (unsigned i = 0; i < n; i++)
		l4_utcb_mr()->mr[i] = w[i];
}

#define RAW(gate, proto, ...) \
	(set(sizeof((l4_umword_t[]){ __VA_ARGS__ }) / sizeof(l4_umword_t), \
	     (l4_umword_t[]){ __VA_ARGS__ }), \
	 call_raw(gate, proto, sizeof((l4_umword_t[]){ __VA_ARGS__ }) / sizeof(l4_umword_t)))

static void malformed_parent_requests(struct recap_env *env)
{
	l4_cap_idx_t p = env->parent.sel;
	l4_umword_t b = env->parent.badge;

	/* No "wrong badge in mr[0]": core does not believe mr[0] (the label
	 * the kernel delivers decides), see apps/rpc_forgery. */
	expect(env, "one word", RAW(p, 0, b), RECAP_ERR_INVAL);
	expect(env, "no opcode", RAW(p, 0, b, 0), RECAP_ERR_INVAL);
	expect(env, "five caps", RAW(p, 0, b, 5, ~0UL, ~0UL, ~0UL, ~0UL, ~0UL, 1),
	       RECAP_ERR_INVAL);
	expect(env, "badge without item", RAW(p, 0, b, 1, b, RECAP_PARENT_CLOSE),
	       RECAP_ERR_INVAL);
	expect(env, "protocol label", RAW(p, 5, b, 0, RECAP_PARENT_EXIT, 0),
	       RECAP_ERR_INVAL);
	expect(env, "unknown opcode", RAW(p, 0, b, 0, 99), RECAP_ERR_INVAL);
	expect(env, "huge string", RAW(p, 0, b, 0, RECAP_PARENT_SESSION, ~0UL, 0, 0),
	       RECAP_ERR_INVAL);
	expect(env, "string past the end",
	       RAW(p, 0, b, 0, RECAP_PARENT_SESSION, 3, 0x474f4c, 40, 0),
	       RECAP_ERR_INVAL);
	expect(env, "missing args", RAW(p, 0, b, 0, RECAP_PARENT_SESSION, 3, 0x474f4c),
	       RECAP_ERR_INVAL);
	expect(env, "word left over",
	       RAW(p, 0, b, 0, RECAP_PARENT_SESSION, 3, 0x474f4c, 0, 7),
	       RECAP_ERR_INVAL);
	expect(env, "empty service", RAW(p, 0, b, 0, RECAP_PARENT_SESSION, 0, 0),
	       RECAP_ERR_INVAL);
	/* "label=" */
	expect(env, "malformed args",
	       RAW(p, 0, b, 0, RECAP_PARENT_SESSION, 3, 0x474f4c, 6, 0x3d6c6562616cUL),
	       RECAP_ERR_INVAL);
	expect(env, "exit without code", RAW(p, 0, b, 0, RECAP_PARENT_EXIT),
	       RECAP_ERR_INVAL);
}

static void forged_capabilities(struct recap_env *env)
{
	struct recap_cap forged = { .badge = env->log.badge, .sel = env->parent.sel };
	struct rpc_msg m;

	/* The parent's own gate under the LOG session's badge. */
	recap_rpc_begin(&m, env->parent, RECAP_PARENT_CLOSE, &forged, 1);
	expect(env, "close a forged capability", recap_rpc_call(env, env->parent, &m),
	       RECAP_ERR_NOENT);
	/* A real capability of core's, but not a session. */
	expect(env, "close the parent", recap_parent_close(env, env->parent),
	       RECAP_ERR_NOENT);
	/* recap_parent_close dropped the parent's cap-map entry: put it back. */
	cap_map_insert_at(&env->cap_map, env->parent.badge, RECAP_PARENT_SLOT);
}

static void log_requests(struct recap_env *env)
{
	l4_cap_idx_t pager = recap_slot_sel(recap_thread_slot(0, RECAP_THREAD_PAGER));

	/* "a\0b" */
	expect(env, "NUL in a log line",
	       RAW(env->log.sel, 0, env->log.badge, 0, RECAP_LOG_WRITE, 3, 0x620061),
	       RECAP_ERR_INVAL);
	expect(env, "parent opcode to LOG",
	       RAW(env->log.sel, 0, env->log.badge, 0, RECAP_PARENT_EXIT, 0),
	       RECAP_ERR_INVAL);
	expect(env, "plain call to the pager", RAW(pager, 0, 1, 2), RECAP_ERR_INVAL);
}

static void labelled_session(struct recap_env *env)
{
	struct recap_cap s;
	struct rpc_msg m;
	int err;

	expect(env, "label with a newline",
	       recap_parent_session(env, "LOG", "label=\"x\n[other] y\"", &s),
	       RECAP_ERR_INVAL);

	err = recap_parent_session(env, "LOG", "label=\"extra\"", &s);
	expect(env, "labelled LOG session", err, RECAP_OK);
	if (err != RECAP_OK)
		return;
	recap_rpc_begin(&m, s, RECAP_LOG_WRITE, NULL, 0);
	rpc_msg_put_string(&m, "through the labelled session", 28);
	expect(env, "write", recap_rpc_call(env, s, &m), RECAP_OK);
	expect(env, "close", recap_parent_close(env, s), RECAP_OK);
	recap_rpc_begin(&m, s, RECAP_LOG_WRITE, NULL, 0);
	rpc_msg_put_string(&m, "closed", 6);
	expect(env, "write after close", recap_rpc_call(env, s, &m), RECAP_ERR_IPC);
}

void component_construct(struct recap_env *env)
{
	/* Opens the LOG session the checks report through. */
	recap_log(env, "start");
	malformed_parent_requests(env);
	forged_capabilities(env);
	log_requests(env);
	labelled_session(env);
	recap_log(env, "%s", failures ? "FAILED" : "all answers as expected");
	recap_parent_exit(env, failures ? 1 : 0);
}

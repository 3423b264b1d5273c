/*
 * rpc_client — uses the "Hello" service of apps/rpc_server (hello.h),
 * routed to it by the scenario, and prints what each call gives:
 *
 *   LABEL         the label the server got: this component's name, then
 *                 " -> " and the label asked for — set by core, not by us
 *   ADD           plain words there and back
 *   STORE         a capability to our own callback object (on an
 *                 entrypoint thread of ours, free while the main thread
 *                 waits) goes to the server, which calls it at once
 *   CALL_STORED   and again later, through the capability it kept
 *   MAKE_COUNTER  capabilities to the server's objects come back; we call
 *                 them, and hand one back to be recognised (IDENTIFY);
 *                 our callback is no counter of the server's: denied
 *
 * then closes the session and exits.
 *
 * Config loops="N" period_ms="P" (checkpoint/restore tests): before it
 * closes the session, N times: sleep P ms (100 by default), increment
 * both counters and have the server identify them, one line each time —
 * after a restore the same lines continue only if its capabilities name
 * the server's very objects again.
 *
 * Config: probe="yes" instead asks for one Hello session per label in
 * probe_labels (comma-separated), printing the error each one ends with —
 * the error cases of tests/scenarios/service_errors.xml.
 */
#include <l4/sys/ipc.h>

#include <recap/config.h>
#include <recap/entrypoint.h>
#include <recap/env.h>
#include <recap/err.h>
#include <recap/format.h>
#include <recap/log.h>
#include <recap/parent_client.h>
#include <recap/rpc.h>
#include <recap/rpc_server.h>
#include <recap/string.h>

#include "../rpc_server/hello.h"

#define LABEL_MAX 200
#define PROBES_MAX 256
#define DEFAULT_PERIOD_MS 100
#define MAX_PERIOD_MS 60000

static struct recap_env *env;
static struct recap_entrypoint ep2;
static struct recap_rpc_object callback;
static int failures;
static struct recap_cap counter1, counter2;	/* the server's, from MAKE_COUNTER */

static int callback_dispatch(struct recap_rpc_object *obj,
			     struct recap_rpc_request *req)
{
	l4_umword_t n;

	(void)obj;
	n = rpc_msg_get_word(&req->msg);
	if (req->op != HELLO_CALLBACK_SQUARE || rpc_msg_end(&req->msg) != RECAP_OK ||
	    req->msg.ncaps)
		return RECAP_ERR_INVAL;
	recap_log(env, "rpc_client: callback: squaring %lu", (unsigned long)n);
	recap_rpc_reply_start(req, NULL, 0);
	rpc_msg_put_word(&req->msg, n * n);
	return RECAP_OK;
}

static void check(char const *what, int err)
{
	if (err == RECAP_OK)
		return;
	recap_log(env, "rpc_client: %s: %s UNEXPECTED", what, recap_err_str(err));
	failures++;
}

/* op on obj with n words and an optional capability; one word back. */
static int call(struct recap_cap obj, l4_umword_t op, struct recap_cap const *cap,
		unsigned nwords, l4_umword_t a, l4_umword_t b, l4_umword_t *out)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, obj, op, cap, cap ? 1 : 0);
	if (nwords > 0)
		rpc_msg_put_word(&m, a);
	if (nwords > 1)
		rpc_msg_put_word(&m, b);
	err = recap_rpc_call(env, obj, &m);
	*out = 0;
	if (err != RECAP_OK)
		return err;
	*out = rpc_msg_get_word(&m);
	return rpc_msg_end(&m);
}

static int get_label(struct recap_cap session, char *buf, size_t size)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, session, HELLO_LABEL, NULL, 0);
	err = recap_rpc_call(env, session, &m);
	if (err != RECAP_OK)
		return err;
	rpc_msg_get_string(&m, buf, size);
	return rpc_msg_end(&m);
}

static int make_counter(struct recap_cap session, struct recap_cap *counter)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, session, HELLO_MAKE_COUNTER, NULL, 0);
	err = recap_rpc_call(env, session, &m);
	if (err != RECAP_OK)
		return err;
	if (recap_rpc_end_one_cap(&m) != RECAP_OK)
		return RECAP_ERR_INVAL;
	*counter = m.caps[0];
	return RECAP_OK;
}

static void use_session(struct recap_cap session)
{
	char label[LABEL_MAX];
	struct recap_cap c1, c2;
	l4_umword_t v, v2, v3;
	int err;

	check("LABEL", get_label(session, label, sizeof(label)));
	recap_log(env, "rpc_client: the server knows me as \"%s\"", label);
	check("ADD", call(session, HELLO_ADD, NULL, 2, 2, 3, &v));
	recap_log(env, "rpc_client: 2 + 3 = %lu", (unsigned long)v);
	check("STORE", call(session, HELLO_STORE, &callback.cap, 0, 0, 0, &v));
	recap_log(env, "rpc_client: the server called back: %lu", (unsigned long)v);
	check("CALL_STORED", call(session, HELLO_CALL_STORED, NULL, 1, 12, 0, &v));
	recap_log(env, "rpc_client: through the stored callback: %lu",
		  (unsigned long)v);
	check("MAKE_COUNTER", make_counter(session, &c1));
	check("INC", call(c1, HELLO_COUNTER_INC, NULL, 0, 0, 0, &v));
	check("INC", call(c1, HELLO_COUNTER_INC, NULL, 0, 0, 0, &v2));
	check("INC", call(c1, HELLO_COUNTER_INC, NULL, 0, 0, 0, &v3));
	recap_log(env, "rpc_client: counter 1: %lu %lu %lu", (unsigned long)v,
		  (unsigned long)v2, (unsigned long)v3);
	check("MAKE_COUNTER", make_counter(session, &c2));
	check("INC", call(c2, HELLO_COUNTER_INC, NULL, 0, 0, 0, &v));
	recap_log(env, "rpc_client: counter 2: %lu", (unsigned long)v);
	check("IDENTIFY", call(session, HELLO_IDENTIFY, &c2, 0, 0, 0, &v));
	check("IDENTIFY", call(session, HELLO_IDENTIFY, &c1, 0, 0, 0, &v2));
	recap_log(env, "rpc_client: the server recognises its counters: %lu %lu",
		  (unsigned long)v, (unsigned long)v2);
	err = call(session, HELLO_IDENTIFY, &callback.cap, 0, 0, 0, &v);
	recap_log(env, "rpc_client: our callback as a counter: %s",
		  recap_err_str(err));
	if (err != RECAP_ERR_DENIED)
		failures++;
	counter1 = c1;
	counter2 = c2;
}

/* loops="N": the counters used again and again, with a pause between. */
static void loop(struct recap_cap session)
{
	unsigned long loops = recap_config_ulong(env, "loops", 0);
	unsigned long period_ms = recap_config_ulong(env, "period_ms",
						     DEFAULT_PERIOD_MS);
	l4_umword_t v1, v2, w1, w2;

	if (period_ms > MAX_PERIOD_MS)
		period_ms = MAX_PERIOD_MS;
	for (unsigned long i = 1; i <= loops; i++) {
		l4_ipc_sleep_us(period_ms * 1000);
		check("INC", call(counter1, HELLO_COUNTER_INC, NULL, 0, 0, 0, &v1));
		check("INC", call(counter2, HELLO_COUNTER_INC, NULL, 0, 0, 0, &v2));
		check("IDENTIFY", call(session, HELLO_IDENTIFY, &counter1, 0, 0, 0, &w1));
		check("IDENTIFY", call(session, HELLO_IDENTIFY, &counter2, 0, 0, 0, &w2));
		recap_log(env, "rpc_client: loop %lu/%lu: counter 1 -> %lu, counter 2 "
			  "-> %lu, the server says %lu and %lu", i, loops,
			  (unsigned long)v1, (unsigned long)v2, (unsigned long)w1,
			  (unsigned long)w2);
	}
}

/* The error cases: one session request per label, each one's result. */
static void probe(void)
{
	char labels[PROBES_MAX], args[LABEL_MAX];
	char *p = labels;

	recap_config_string(env, "probe_labels", labels, sizeof(labels), "");
	while (*p) {
		char *label = p;
		struct recap_cap session;
		int err;

		while (*p && *p != ',')
			p++;
		if (*p)
			*p++ = '\0';
		recap_snprintf(args, sizeof(args), "label=\"%s\"", label);
		err = recap_parent_session(env, HELLO_SERVICE, args, &session);
		recap_log(env, "rpc_client: Hello as \"%s\": %s", label,
			  recap_err_str(err));
		if (err == RECAP_OK)
			use_session(session);
		if (err == RECAP_OK)
			check("close", recap_parent_close(env, session));
	}
}

void component_construct(struct recap_env *e)
{
	struct recap_cap session;
	int err;

	env = e;
	if ((err = recap_ep_create(env, &ep2, "callbacks")) ||
	    (err = recap_ep_manage(&ep2, &callback, callback_dispatch))) {
		recap_log(env, "rpc_client: setup: %s", recap_err_str(err));
		recap_parent_exit(env, 1);
	}
	if (recap_config_bool(env, "probe", false)) {
		probe();
	} else {
		err = recap_parent_session(env, HELLO_SERVICE, "label=\"hello\"",
					   &session);
		if (err != RECAP_OK) {
			recap_log(env, "rpc_client: session: %s", recap_err_str(err));
			recap_parent_exit(env, 1);
		}
		use_session(session);
		loop(session);
		check("close", recap_parent_close(env, session));
		recap_log(env, "rpc_client: session closed");
	}
	recap_log(env, "rpc_client: %s", failures ? "FAILED" : "done");
	recap_parent_exit(env, failures ? 1 : 0);
}

/*
 * local_service — a component that serves RPC objects to itself, the case
 * the seeds left open: objects on an entrypoint of its own (a second
 * thread) and on the main entrypoint, capabilities kept, passed and
 * checked, an object dissolved.
 *
 *   ep2 (a thread)   calculator: ADD, MUL, IDENTIFY(cap) -> which object
 *                    counter:    INC -> the new value
 *   main entrypoint  echo:       SHOUT(string) -> it in capitals; DONE
 *
 * The main thread calls ep2's objects during component_construct, then
 * starts a client thread and returns to serve echo. The client calls all
 * three, dissolves the counter and sees its capability dead, then says
 * DONE, and the main thread ends the component. Lines are printed by one
 * thread at a time, in an order the calls fix.
 *
 * Config cycles="N" period_ms="P" (checkpoint/restore tests): before the
 * dissolve, the client goes N times round all three objects — echo,
 * calculator, counter, and the calculator identifying both — with a pause
 * of P ms (100 by default) before each cycle, one line per cycle.
 */
#include <l4/sys/ipc.h>

#include <recap/config.h>
#include <recap/entrypoint.h>
#include <recap/env.h>
#include <recap/err.h>
#include <recap/log.h>
#include <recap/parent_client.h>
#include <recap/rpc.h>
#include <recap/rpc_server.h>
#include <recap/string.h>
#include <recap/thread.h>

enum calc_op {
	CALC_ADD = 1,		/* word a, word b -> word a + b */
	CALC_MUL = 2,		/* word a, word b -> word a * b */
	CALC_IDENTIFY = 3,	/* cap -> word: 1 calculator, 2 counter */
};

enum counter_op {
	COUNTER_INC = 1,	/* -> word: the new value */
};

enum echo_op {
	ECHO_SHOUT = 1,		/* string -> string */
	ECHO_DONE = 2,		/* -> (the component exits) */
};

#define TEXT_MAX 64
#define DEFAULT_PERIOD_MS 100
#define MAX_PERIOD_MS 60000

static struct recap_env *env;
static struct recap_entrypoint ep2;
static struct recap_rpc_object calculator, counter, echo;
static unsigned long count;		/* counter's state: only ep2 touches it */
static struct recap_thread client;
static int failures;

/* ---- the objects ------------------------------------------------------------ */

static int calculator_dispatch(struct recap_rpc_object *obj,
			       struct recap_rpc_request *req)
{
	struct recap_rpc_object *which;
	l4_umword_t a, b;

	(void)obj;
	switch (req->op) {
	case CALC_ADD:
	case CALC_MUL:
		a = rpc_msg_get_word(&req->msg);
		b = rpc_msg_get_word(&req->msg);
		if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps)
			return RECAP_ERR_INVAL;
		recap_rpc_reply_start(req, NULL, 0);
		rpc_msg_put_word(&req->msg, req->op == CALC_ADD ? a + b : a * b);
		return RECAP_OK;
	case CALC_IDENTIFY:
		if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps != 1)
			return RECAP_ERR_INVAL;
		/* Believed only if the capability is really ours. */
		which = recap_rpc_request_object(&ep2, req, 0);
		if (!which)
			return RECAP_ERR_DENIED;
		recap_rpc_reply_start(req, NULL, 0);
		rpc_msg_put_word(&req->msg, which == &calculator ? 1 : 2);
		return RECAP_OK;
	}
	return RECAP_ERR_INVAL;
}

static int counter_dispatch(struct recap_rpc_object *obj,
			    struct recap_rpc_request *req)
{
	(void)obj;
	if (req->op != COUNTER_INC || rpc_msg_end(&req->msg) != RECAP_OK)
		return RECAP_ERR_INVAL;
	recap_rpc_reply_start(req, NULL, 0);
	rpc_msg_put_word(&req->msg, ++count);
	return RECAP_OK;
}

static int echo_dispatch(struct recap_rpc_object *obj,
			 struct recap_rpc_request *req)
{
	char text[TEXT_MAX];
	size_t len;

	(void)obj;
	switch (req->op) {
	case ECHO_SHOUT:
		len = rpc_msg_get_string(&req->msg, text, sizeof(text));
		if (rpc_msg_end(&req->msg) != RECAP_OK)
			return RECAP_ERR_INVAL;
		for (size_t i = 0; i < len; i++)
			if (text[i] >= 'a' && text[i] <= 'z')
				text[i] = (char)(text[i] - 'a' + 'A');
		recap_rpc_reply_start(req, NULL, 0);
		rpc_msg_put_string(&req->msg, text, len);
		return RECAP_OK;
	case ECHO_DONE:
		if (rpc_msg_end(&req->msg) != RECAP_OK)
			return RECAP_ERR_INVAL;
		recap_log(env, "%s", failures ? "FAILED" : "all answers as expected");
		recap_parent_exit(env, failures ? 1 : 0);
	}
	return RECAP_ERR_INVAL;
}

/* ---- calling them ----------------------------------------------------------- */

static void check(char const *what, int err, int want)
{
	if (err == want)
		return;
	recap_log(env, "%s: %d (%s) UNEXPECTED", what, err, recap_err_str(err));
	failures++;
}

/* op on obj with two words, one word back; the error, and *out. */
static int call2(struct recap_cap obj, l4_umword_t op, l4_umword_t a,
		 l4_umword_t b, unsigned nwords, l4_umword_t *out)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, obj, op, NULL, 0);
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

static int identify(struct recap_cap cap, l4_umword_t *which)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, calculator.cap, CALC_IDENTIFY, &cap, 1);
	err = recap_rpc_call(env, calculator.cap, &m);
	*which = 0;
	if (err != RECAP_OK)
		return err;
	*which = rpc_msg_get_word(&m);
	return rpc_msg_end(&m);
}

static char const *object_name(l4_umword_t which)
{
	return which == 1 ? "calculator" : which == 2 ? "counter" : "?";
}

static void main_calls(void)
{
	struct recap_cap forged = { .badge = counter.cap.badge,
				    .sel = calculator.cap.sel };
	l4_umword_t v;
	int err;

	err = call2(calculator.cap, CALC_ADD, 2, 3, 2, &v);
	check("add", err, RECAP_OK);
	recap_log(env, "main: calculator 2 + 3 = %lu", v);
	err = call2(calculator.cap, CALC_MUL, 6, 7, 2, &v);
	check("mul", err, RECAP_OK);
	recap_log(env, "main: calculator 6 * 7 = %lu", v);
	for (int i = 0; i < 3; i++) {
		err = call2(counter.cap, COUNTER_INC, 0, 0, 0, &v);
		check("inc", err, RECAP_OK);
		recap_log(env, "main: counter -> %lu", v);
	}
	err = identify(counter.cap, &v);
	check("identify counter", err, RECAP_OK);
	recap_log(env, "main: the counter's capability is the %s", object_name(v));
	err = identify(calculator.cap, &v);
	check("identify calculator", err, RECAP_OK);
	recap_log(env, "main: the calculator's capability is the %s",
		  object_name(v));
	err = identify(forged, &v);
	check("identify forged", err, RECAP_ERR_DENIED);
	recap_log(env, "main: the calculator's gate under the counter's badge: %d (%s)",
		  err, recap_err_str(err));
}

static int shout(char const *what, char *text)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, echo.cap, ECHO_SHOUT, NULL, 0);
	rpc_msg_put_string(&m, what, RECAP_STRING_NAME(strlen)(what));
	err = recap_rpc_call(env, echo.cap, &m);
	text[0] = '\0';
	if (err != RECAP_OK)
		return err;
	rpc_msg_get_string(&m, text, TEXT_MAX);
	return rpc_msg_end(&m);
}

/* cycles="N": every object used again and again, with a pause between. */
static void cycles(void)
{
	unsigned long n = recap_config_ulong(env, "cycles", 0);
	unsigned long period_ms = recap_config_ulong(env, "period_ms",
						     DEFAULT_PERIOD_MS);
	char text[TEXT_MAX];
	l4_umword_t sum, v, w1, w2;

	if (period_ms > MAX_PERIOD_MS)
		period_ms = MAX_PERIOD_MS;
	for (unsigned long i = 1; i <= n; i++) {
		l4_ipc_sleep_us(period_ms * 1000);
		check("cycle shout", shout("cycle", text), RECAP_OK);
		check("cycle add", call2(calculator.cap, CALC_ADD, i, 1000, 2, &sum),
		      RECAP_OK);
		check("cycle inc", call2(counter.cap, COUNTER_INC, 0, 0, 0, &v),
		      RECAP_OK);
		check("cycle identify", identify(counter.cap, &w1), RECAP_OK);
		check("cycle identify", identify(calculator.cap, &w2), RECAP_OK);
		recap_log(env, "client: cycle %lu/%lu: echo \"%s\", %lu + 1000 = %lu, "
			  "counter -> %lu, %s, %s", i, n, text, i, (unsigned long)sum,
			  (unsigned long)v, object_name(w1), object_name(w2));
	}
}

static void client_calls(void *arg)
{
	char text[TEXT_MAX];
	struct recap_cap dead = counter.cap;
	struct rpc_msg m;
	l4_umword_t v;
	int err;

	(void)arg;
	recap_rpc_begin(&m, echo.cap, ECHO_SHOUT, NULL, 0);
	rpc_msg_put_string(&m, "hello from a thread", 19);
	err = recap_rpc_call(env, echo.cap, &m);
	check("shout", err, RECAP_OK);
	rpc_msg_get_string(&m, text, sizeof(text));
	check("shout reply", rpc_msg_end(&m), RECAP_OK);
	recap_log(env, "client: echo says \"%s\"", text);

	err = call2(calculator.cap, CALC_ADD, 40, 2, 2, &v);
	check("client add", err, RECAP_OK);
	recap_log(env, "client: calculator 40 + 2 = %lu", v);
	err = call2(counter.cap, COUNTER_INC, 0, 0, 0, &v);
	check("client inc", err, RECAP_OK);
	recap_log(env, "client: counter -> %lu", v);
	cycles();

	err = recap_ep_dissolve(&ep2, &counter);
	check("dissolve", err, RECAP_OK);
	recap_log(env, "client: counter dissolved: %d (%s)", err, recap_err_str(err));
	err = call2(dead, COUNTER_INC, 0, 0, 0, &v);
	check("inc after dissolve", err, RECAP_ERR_IPC);
	recap_log(env, "client: counter after dissolve: %d (%s)", err,
		  recap_err_str(err));
	err = call2(calculator.cap, CALC_MUL, 11, 11, 2, &v);
	check("client mul", err, RECAP_OK);
	recap_log(env, "client: calculator 11 * 11 = %lu", v);

	call2(echo.cap, ECHO_DONE, 0, 0, 0, &v);	/* does not come back */
}

static void fail(char const *what, int err)
{
	recap_log(env, "%s: %d (%s)", what, err, recap_err_str(err));
	recap_parent_exit(env, 1);
}

void component_construct(struct recap_env *e)
{
	int err;

	env = e;
	if ((err = recap_ep_create(env, &ep2, "ep2")) != RECAP_OK)
		fail("creating ep2", err);
	if ((err = recap_ep_manage(&ep2, &calculator, calculator_dispatch)) ||
	    (err = recap_ep_manage(&ep2, &counter, counter_dispatch)) ||
	    (err = recap_ep_manage(env->ep, &echo, echo_dispatch)))
		fail("managing an object", err);
	recap_log(env, "serving: calculator and counter on ep2 (thread %lu), "
		  "echo on the main entrypoint", ep2.thread->index);
	main_calls();
	if ((err = recap_thread_create(env, &client, "client", client_calls, NULL)))
		fail("creating the client", err);
	/* Returning: the main thread serves echo from now on. */
}

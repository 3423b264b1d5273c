/*
 * rpc_bench — the component half of bench/component_rpc.c: seven rounds,
 * each timing (rdtsc) RPC_BENCH_CALLS calls of
 *
 *   core  RAM QUOTA at core: the cheapest call core answers (two words
 *         read, two written back; no system call in core),
 *   ep    a no-op RPC object on an entrypoint thread of this component
 *         (recap_ep_create + recap_ep_manage), called from the main
 *         thread: gate, entrypoint loop, object pool, dispatch,
 *   comp  ADD on a "Hello" session of apps/rpc_server (hello.h), another
 *         component: component -> component -> component, two words
 *         there, one back,
 *
 * and printing one line per round:
 *
 *	rpc_bench: calls N core C ep E comp X cycles
 *
 * At the end it closes the Hello session (the server exits after it).
 *
 * The host side converts cycles to time and compares with a pipe
 * ping-pong between two Linux processes.
 */
#include <recap/entrypoint.h>
#include <recap/env.h>
#include <recap/err.h>
#include <recap/log.h>
#include <recap/parent_client.h>
#include <recap/ram_session.h>
#include <recap/rpc.h>
#include <recap/rpc_server.h>

#include "../rpc_server/hello.h"

#define RPC_BENCH_CALLS 20000UL
#define ROUNDS 7

enum nop_op {
	NOP_CALL = 1,		/* - -> - */
};

static struct recap_entrypoint ep2;
static struct recap_rpc_object nop;
static struct recap_cap hello;		/* the Hello session */

static unsigned long cycles(void)
{
	unsigned lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((unsigned long)hi << 32) | lo;
}

static int nop_dispatch(struct recap_rpc_object *obj, struct recap_rpc_request *req)
{
	(void)obj;
	if (req->op != NOP_CALL || rpc_msg_end(&req->msg) != RECAP_OK)
		return RECAP_ERR_INVAL;
	return RECAP_OK;
}

static int nop_call(struct recap_env *env)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, nop.cap, NOP_CALL, NULL, 0);
	err = recap_rpc_call(env, nop.cap, &m);
	return err != RECAP_OK ? err : rpc_msg_end(&m);
}

static int add_call(struct recap_env *env)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, hello, HELLO_ADD, NULL, 0);
	rpc_msg_put_word(&m, 2);
	rpc_msg_put_word(&m, 3);
	err = recap_rpc_call(env, hello, &m);
	if (err != RECAP_OK)
		return err;
	if (rpc_msg_get_word(&m) != 5)
		return RECAP_ERR_INVAL;
	return rpc_msg_end(&m);
}

static int round_once(struct recap_env *env)
{
	unsigned long quota, used, t0, t1, t2, t3;
	int err = RECAP_OK;

	t0 = cycles();
	for (unsigned long i = 0; i < RPC_BENCH_CALLS && err == RECAP_OK; i++)
		err = recap_ram_quota(env, &quota, &used);
	t1 = cycles();
	for (unsigned long i = 0; i < RPC_BENCH_CALLS && err == RECAP_OK; i++)
		err = nop_call(env);
	t2 = cycles();
	for (unsigned long i = 0; i < RPC_BENCH_CALLS && err == RECAP_OK; i++)
		err = add_call(env);
	t3 = cycles();
	if (err != RECAP_OK) {
		recap_log(env, "rpc_bench: %s", recap_err_str(err));
		return err;
	}
	recap_log(env, "rpc_bench: calls %lu core %lu ep %lu comp %lu cycles",
		  RPC_BENCH_CALLS, t1 - t0, t2 - t1, t3 - t2);
	return RECAP_OK;
}

void component_construct(struct recap_env *env)
{
	unsigned long quota, used;
	int err;

	/* Sessions and the entrypoint first: the rounds time calls only. */
	if ((err = recap_ram_quota(env, &quota, &used)) ||
	    (err = recap_ep_create(env, &ep2, "ep2")) ||
	    (err = recap_ep_manage(&ep2, &nop, nop_dispatch)) ||
	    (err = nop_call(env)) ||
	    (err = recap_parent_session(env, HELLO_SERVICE, "", &hello)) ||
	    (err = add_call(env))) {
		recap_log(env, "rpc_bench: setup: %s", recap_err_str(err));
		recap_parent_exit(env, 1);
	}
	for (int i = 0; i < ROUNDS; i++)
		if (round_once(env) != RECAP_OK)
			recap_parent_exit(env, 1);
	recap_parent_close(env, hello);
	recap_parent_exit(env, 0);
}

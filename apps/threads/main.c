/*
 * threads — worker threads, a lock, and RPC from threads to the main
 * entrypoint, with a result that does not depend on scheduling.
 *
 * Each round, WORKERS threads sum 1..n in equal ranges. A worker adds its
 * range to a shared total in CHUNKS pieces, each under one lock, and each
 * time also bumps a shared counter by a read, a pause and a write (without
 * the lock, workers running at once would lose increments; they start
 * together, on a lock the main thread holds while it creates them, so
 * they do run at once and the lock's blocking path is taken). Then it
 * reports its partial sum to the collector, an RPC object of the main
 * entrypoint, and returns. A reaper thread joins the workers (and the
 * previous round's reaper) and tells the collector; the collector, on the
 * main thread, prints the round and starts the next one, whose workers
 * reuse the thread indices the joined ones gave back. Only the main thread
 * prints, each line in an order the protocol fixes.
 *
 * Config rounds="R" (1..MAX_ROUNDS; checkpoint/restore tests): R rounds
 * instead of 2 (round r > 2 sums 1..40000 + 1000 (r mod 16)), and the
 * reaper tells the main thread by a signal instead of a call: the main
 * thread waits for RPC and signals at once, the workers compute and block
 * on the lock, the reaper blocks in joins, a moment of every kind.
 * linger_ms="L": after each round's lines, the main thread sleeps L ms
 * before the next round starts — a moment in which no thread is made or
 * ended.
 */
#include <stdbool.h>

#include <l4/sys/ipc.h>

#include <recap/config.h>
#include <recap/entrypoint.h>
#include <recap/env.h>
#include <recap/err.h>
#include <recap/lock.h>
#include <recap/log.h>
#include <recap/parent_client.h>
#include <recap/rpc.h>
#include <recap/rpc_server.h>
#include <recap/signal.h>
#include <recap/thread.h>

#define WORKERS 4
#define CHUNKS 1000		/* locked additions per worker */
#define ROUNDS 2
#define MAX_ROUNDS 64

enum collector_op {
	COLLECT_REPORT = 1,	/* word worker, word partial sum -> - */
	COLLECT_JOINED = 2,	/* -> - : every worker of the round is joined */
};

struct worker {
	struct recap_thread thread;
	unsigned k;			/* which range */
	unsigned long lo, hi;		/* its range, inclusive */
};

static struct recap_env *env;
static struct recap_lock start;		/* held by main while it creates workers */
static struct recap_lock lock;		/* total and counter */
static unsigned long total;
static unsigned long counter;

static struct worker workers[WORKERS];
static struct recap_thread reapers[MAX_ROUNDS];
static unsigned rounds = ROUNDS;
static unsigned long linger_ms;
static bool by_signal;			/* rounds="R": the reaper signals */
static struct recap_signal_context joined;
static unsigned round;			/* 0-based, the round running */
static unsigned long partial[WORKERS];
static unsigned reports;

static struct recap_rpc_object collector;

static unsigned long n_of(unsigned r)
{
	return r == 0 ? 100000 : r == 1 ? 60000 : 40000 + 1000 * (r % 16);
}

/* Call the collector with op and words; RECAP_OK or the error. */
static int collect(l4_umword_t op, unsigned n, l4_umword_t const *w)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, collector.cap, op, NULL, 0);
	for (unsigned i = 0; i < n; i++)
		rpc_msg_put_word(&m, w[i]);
	err = recap_rpc_call(env, collector.cap, &m);
	return err == RECAP_OK ? rpc_msg_end(&m) : err;
}

static void work(void *arg)
{
	struct worker *w = arg;
	unsigned long len = w->hi - w->lo + 1, sum = 0, i = w->lo;

	/* Wait until all workers exist, so that they really run at once. */
	recap_lock_acquire(&start);
	recap_lock_release(&start);
	for (unsigned c = 0; c < CHUNKS; c++) {
		unsigned long end = w->lo + len * (c + 1) / CHUNKS, piece = 0;
		unsigned long seen;

		for (; i < end; i++)	/* the last chunk ends at hi + 1 */
			piece += i;
		sum += piece;
		recap_lock_acquire(&lock);
		seen = counter;
		for (volatile int d = 0; d < 10000; d++)
			;			/* widen the window a lost update needs */
		counter = seen + 1;
		total += piece;
		recap_lock_release(&lock);
	}
	collect(COLLECT_REPORT, 2, (l4_umword_t[]){ w->k, sum });
}

static void reap(void *arg)
{
	unsigned r = (unsigned)(unsigned long)arg;

	for (unsigned k = 0; k < WORKERS; k++)
		recap_thread_join(&workers[k].thread);
	if (r > 0)
		recap_thread_join(&reapers[r - 1]);
	if (by_signal)
		recap_signal_submit(recap_signal_context_cap(&joined));
	else
		collect(COLLECT_JOINED, 0, NULL);
}

static void fail(char const *what, int err)
{
	recap_log(env, "%s: %d (%s)", what, err, recap_err_str(err));
	recap_parent_exit(env, 1);
}

static void start_round(unsigned r)
{
	unsigned long n = n_of(r);
	int err;

	round = r;
	reports = 0;
	total = 0;
	counter = 0;
	recap_log(env, "round %u: %d workers sum 1..%lu", r + 1, WORKERS, n);
	recap_lock_acquire(&start);
	for (unsigned k = 0; k < WORKERS; k++) {
		struct worker *w = &workers[k];

		w->k = k;
		w->lo = n * k / WORKERS + 1;
		w->hi = n * (k + 1) / WORKERS;
		err = recap_thread_create(env, &w->thread, "worker", work, w);
		if (err != RECAP_OK)
			fail("creating a worker", err);
	}
	recap_lock_release(&start);
	err = recap_thread_create(env, &reapers[r], "reaper", reap,
				  (void *)(unsigned long)r);
	if (err != RECAP_OK)
		fail("creating the reaper", err);
}

static void finish_round(void)
{
	unsigned long n = n_of(round), want = n * (n + 1) / 2;
	bool ok = total == want && counter == WORKERS * CHUNKS;

	for (unsigned k = 0; k < WORKERS; k++)
		recap_log(env, "worker %u (thread %lu): %lu..%lu -> %lu", k,
			  workers[k].thread.index, workers[k].lo, workers[k].hi,
			  partial[k]);
	recap_log(env, "total %lu (expected %lu), counter %lu (expected %d)",
		  total, want, counter, WORKERS * CHUNKS);
	if (!ok)
		fail("round", RECAP_ERR_INVAL);
	if (linger_ms)
		l4_ipc_sleep_us(linger_ms * 1000);
	if (round + 1 < rounds) {
		start_round(round + 1);
		return;
	}
	recap_log(env, "all rounds correct");
	recap_parent_exit(env, 0);
}

static int collector_dispatch(struct recap_rpc_object *obj,
			      struct recap_rpc_request *req)
{
	l4_umword_t k, sum;

	(void)obj;
	switch (req->op) {
	case COLLECT_REPORT:
		k = rpc_msg_get_word(&req->msg);
		sum = rpc_msg_get_word(&req->msg);
		if (rpc_msg_end(&req->msg) != RECAP_OK || k >= WORKERS)
			return RECAP_ERR_INVAL;
		partial[k] = sum;
		reports++;
		return RECAP_OK;
	case COLLECT_JOINED:
		if (rpc_msg_end(&req->msg) != RECAP_OK || reports != WORKERS ||
		    by_signal)
			return RECAP_ERR_INVAL;
		/* The reaper waits for the answer while the next round
		 * starts; it is joined by the next reaper. */
		finish_round();
		return RECAP_OK;
	}
	return RECAP_ERR_INVAL;
}

/* The reaper's signal: every worker of the round is joined. */
static void on_joined(void *arg)
{
	(void)arg;
	if (reports != WORKERS)
		fail("joined before every report", RECAP_ERR_INVAL);
	finish_round();
}

void component_construct(struct recap_env *e)
{
	unsigned long r;
	int err;

	env = e;
	r = recap_config_ulong(env, "rounds", 0);
	linger_ms = recap_config_ulong(env, "linger_ms", 0);
	if (linger_ms > 60000)
		fail("linger_ms", RECAP_ERR_RANGE);
	if (r > MAX_ROUNDS)
		fail("rounds", RECAP_ERR_RANGE);
	if (r) {
		rounds = (unsigned)r;
		by_signal = true;
		err = recap_signal_context_create(env, &joined, on_joined, NULL);
		if (err != RECAP_OK)
			fail("the reaper's signal", err);
	}
	err = recap_ep_manage(env->ep, &collector, collector_dispatch);
	if (err != RECAP_OK)
		fail("managing the collector", err);
	start_round(0);
	/* Returning: the main thread serves the collector from now on. */
}

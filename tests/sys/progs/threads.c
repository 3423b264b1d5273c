/*
 * threads — forty threads of one task, each doing its own deterministic
 * work in rounds of calls to the main thread. The even ones call the main
 * thread's thread capability (the kernel delivers the caller's label word),
 * the odd ones call through a gate of their own bound to the main thread
 * (the kernel delivers the gate's label with the caller's W and S bits).
 * Main serves all of them in whatever order they queue up, checks every
 * message (sender identity, round order, value). Then the threads pass a
 * token along a ring 1 -> 2 -> ... -> 40, each in a closed receive from its
 * predecessor's thread capability. Main prints a summary in thread order,
 * so the output does not depend on scheduling.
 */
#include "../rt/rt.h"

#define NTHREADS 40
#define ROUNDS 25

#define MSG_ROUND 1			/* call: mr0 i, mr1 round, mr2 value */
#define MSG_DONE 2			/* send: mr0 i, mr1 sum of answers, mr2 bad answers,
					   mr3 token */
#define THREAD_LABEL(i) (0x5000UL + (i))	/* label word of direct sends */
#define GATE(i) RT_ARG_CAP(i)		/* the odd threads' gates */
#define GATE_LABEL(i) ((unsigned long)(i) << 4)

/* A value only thread i computes in round r (xorshift, varying lengths). */
static unsigned long work(unsigned i, unsigned r)
{
	unsigned long x = 0x9e3779b97f4a7c15UL * (i * 131 + r + 1);
	for (unsigned k = 0; k < 200 + 37 * (i % 11); k++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	return x;
}

/* The token as thread i passes it on. */
static unsigned long token_step(unsigned long token, unsigned i)
{
	return token * 31 + i;
}

/* Main's answer to a value. */
static unsigned long answer(unsigned long v)
{
	return (v >> 3) ^ 0x5a5a5a5aUL;
}

static l4_msgtag_t to_main(unsigned i, l4_msgtag_t tag, unsigned long flags)
{
	if (i & 1)
		return l4_ipc(GATE(i), l4_utcb(), flags, 0, tag, NULL, L4_IPC_NEVER);
	return l4_ipc(RT_THREAD_CAP, l4_utcb(), flags, THREAD_LABEL(i), tag, NULL,
		      L4_IPC_NEVER);
}

static void worker(void *arg)
{
	unsigned i = (unsigned)(unsigned long)arg;
	l4_msg_regs_t *mr = l4_utcb_mr();
	unsigned long acc = 0, bad = 0;
	for (unsigned r = 0; r < ROUNDS; r++) {
		unsigned long v = work(i, r);
		mr->mr[0] = i;
		mr->mr[1] = r;
		mr->mr[2] = v;
		l4_msgtag_t t = to_main(i, l4_msgtag(MSG_ROUND, 3, 0, 0), L4_SYSF_CALL);
		if (l4_msgtag_has_error(t) || l4_msgtag_label(t) != 0 ||
		    l4_msgtag_words(t) != 1 || mr->mr[0] != answer(v))
			bad++;
		acc += mr->mr[0];
	}

	/* The token ring: from thread i - 1, on to thread i + 1. */
	unsigned long token = 0;
	if (i > 1) {
		l4_msgtag_t t = l4_ipc_receive(RT_THREAD_SLOT(i - 1), l4_utcb(), L4_IPC_NEVER);
		if (l4_msgtag_has_error(t) || l4_msgtag_words(t) != 1)
			bad++;
		token = mr->mr[0];
	}
	token = token_step(token, i);
	if (i < NTHREADS) {
		mr->mr[0] = token;
		if (l4_msgtag_has_error(l4_ipc_send(RT_THREAD_SLOT(i + 1), l4_utcb(),
						    l4_msgtag(0, 1, 0, 0), L4_IPC_NEVER)))
			bad++;
	}

	mr->mr[0] = i;
	mr->mr[1] = acc;
	mr->mr[2] = bad;
	mr->mr[3] = token;
	to_main(i, l4_msgtag(MSG_DONE, 4, 0, 0), L4_SYSF_SEND);
}

struct seen {
	unsigned rounds;	/* calls served, in order */
	unsigned long acc;	/* what main answered, summed */
	int done;
	unsigned long reported_acc, reported_bad, token;
	unsigned errors;	/* wrong label, round or value */
};

static struct seen seen[NTHREADS + 1];

/* The thread a message came from, by its label; 0 if no thread's. */
static unsigned sender_of(l4_umword_t label)
{
	if ((label & ~0xfffUL) == THREAD_LABEL(0)) {
		unsigned i = (unsigned)(label & 0xfff);
		return i >= 1 && i <= NTHREADS && !(i & 1) ? i : 0;
	}
	unsigned i = (unsigned)(label >> 4);
	if ((label & 0xf) != (L4_CAP_FPAGE_W | L4_CAP_FPAGE_S) || i < 1 ||
	    i > NTHREADS || !(i & 1))
		return 0;
	return i;
}

int main(void)
{
	for (unsigned i = 1; i <= NTHREADS; i += 2)
		if (l4_error(l4_factory_create_gate(RT_FACTORY_CAP, GATE(i), RT_THREAD_CAP,
						    GATE_LABEL(i))) < 0) {
			rt_printf("threads: cannot create gate %u\n", i);
			return 1;
		}
	for (unsigned i = 1; i <= NTHREADS; i++)
		if (l4_is_invalid_cap(rt_thread_start(i, worker, (void *)(unsigned long)i))) {
			rt_printf("threads: cannot start thread %u\n", i);
			return 1;
		}

	l4_msg_regs_t *mr = l4_utcb_mr();
	unsigned done = 0, strays = 0, calls = 0;
	l4_umword_t label;
	l4_msgtag_t t = l4_ipc_wait(l4_utcb(), &label, L4_IPC_NEVER);
	while (done < NTHREADS) {
		if (l4_msgtag_has_error(t)) {
			rt_printf("threads: ipc error %lu\n", l4_ipc_error(t, l4_utcb()));
			return 1;
		}
		unsigned i = sender_of(label);
		if (!i || mr->mr[0] != i) {
			rt_printf("threads: stray message, label 0x%lx mr0 %lu\n", label, mr->mr[0]);
			if (++strays > 5)
				return 1;
			t = l4_ipc_wait(l4_utcb(), &label, L4_IPC_NEVER);
			continue;
		}
		struct seen *s = &seen[i];
		if (l4_msgtag_label(t) == MSG_ROUND) {
			unsigned long v = mr->mr[2];
			if (mr->mr[1] != s->rounds || v != work(i, s->rounds))
				s->errors++;
			s->rounds++;
			calls++;
			mr->mr[0] = answer(v);
			s->acc += mr->mr[0];
			t = l4_ipc_reply_and_wait(l4_utcb(), l4_msgtag(0, 1, 0, 0), &label,
						  L4_IPC_NEVER);
			continue;
		}
		if (l4_msgtag_label(t) != MSG_DONE || s->done)
			s->errors++;
		s->done = 1;
		s->reported_acc = mr->mr[1];
		s->reported_bad = mr->mr[2];
		s->token = mr->mr[3];
		done++;
		if (done < NTHREADS)
			t = l4_ipc_wait(l4_utcb(), &label, L4_IPC_NEVER);
	}

	unsigned failed = 0;
	unsigned long total = 0, token = 0;
	for (unsigned i = 1; i <= NTHREADS; i++) {
		struct seen *s = &seen[i];
		token = token_step(token, i);
		int ok = s->rounds == ROUNDS && !s->errors && !s->reported_bad &&
			 s->reported_acc == s->acc && s->token == token;
		failed += !ok;
		total += s->acc;
		rt_printf("thread %2u via %s: %u rounds, answers sum %16lx, %s\n", i,
			  (i & 1) ? "gate  " : "thread", s->rounds, s->reported_acc,
			  ok ? "ok" : "WRONG");
	}
	rt_printf("threads: %u threads, %u calls, total %lx, token %lx, %u failed\n",
		  NTHREADS, calls, total, seen[NTHREADS].token, failed);
	return failed ? 1 : 0;
}

/*
 * cpu_state — a thread paused, read, changed and resumed through the CPU
 * session (PAUSE, STATE_GET, STATE_SET, RESUME), the same state read
 * through the native PD (THREAD_STATE, by thread index), dirty pages of a
 * RAM dataspace through the native PD (DIRTY), and every refusal.
 *
 * The thread spins in cs_spin, adding %rbx (1) to cs_counter. Paused, its
 * rip must be inside the loop and its pending call none; with rbx set to
 * 1000 and resumed, the counter grows by 1000 a step.
 */
#include <l4/sys/x.h>

#include <recap/env.h>
#include <recap/err.h>
#include <recap/log.h>
#include <recap/native_pd.h>
#include <recap/parent_client.h>
#include <recap/ram_session.h>
#include <recap/region_map.h>
#include <recap/signal.h>
#include <recap/thread.h>

volatile unsigned long cs_counter, cs_stop;
void cs_spin(void *arg);
extern char cs_spin_loop[], cs_spin_end[];

/* rbx is callee-saved: changed inside the loop, restored before ret. */
__asm__(".text\n"
	".globl cs_spin, cs_spin_loop, cs_spin_end\n"
	"cs_spin:\n"
	"	push %rbx\n"
	"	mov $1, %rbx\n"
	"cs_spin_loop:\n"
	"	add %rbx, cs_counter(%rip)\n"
	"	cmpq $0, cs_stop(%rip)\n"
	"	je cs_spin_loop\n"
	"cs_spin_end:\n"
	"	pop %rbx\n"
	"	ret\n");

static struct recap_thread spinner;
static struct recap_signal_context exc;

static void on_exc(void *arg)
{
	(void)arg;
}

static void report(struct recap_env *env, char const *what, int err)
{
	recap_log(env, "%s: %d (%s)", what, err, recap_err_str(err));
}

static char const *pending_name(unsigned long kind)
{
	switch (kind) {
	case L4X_PENDING_NONE:   return "none";
	case L4X_PENDING_SEND:   return "send";
	case L4X_PENDING_RECV:   return "recv";
	case L4X_PENDING_WAIT:   return "wait";
	case L4X_PENDING_RESULT: return "result";
	}
	return "?";
}

static bool in_spin(unsigned long rip)
{
	return rip >= (unsigned long)cs_spin_loop && rip < (unsigned long)cs_spin_end;
}

static int thread_state_test(struct recap_env *env)
{
	struct recap_ds ds;
	struct l4x_thread_state *s;
	unsigned long c0, c1, rip;
	void *addr;
	int err;

	if ((err = recap_ram_alloc(env, 4096, &ds)) ||
	    (err = recap_rm_attach_rw(env, &ds, &addr)))
		return err;
	s = addr;
	err = recap_thread_create(env, &spinner, "spinner", cs_spin, NULL);
	if (err)
		return err;
	while (!cs_counter)
		;
	report(env, "state of a running thread", recap_cpu_state_get(env, spinner.cap, ds.cap));
	report(env, "resume a running thread", recap_cpu_resume(env, spinner.cap));
	report(env, "pause", recap_cpu_pause(env, spinner.cap));
	report(env, "pause again", recap_cpu_pause(env, spinner.cap));
	c0 = cs_counter;
	report(env, "state get", recap_cpu_state_get(env, spinner.cap, ds.cap));
	rip = s->regs.rip;
	recap_log(env, "rip in cs_spin: %s, rbx %lu, pending %s, counter still: %s",
		  in_spin(rip) ? "yes" : "no", s->regs.rbx,
		  pending_name(s->pending.kind), c0 == cs_counter ? "yes" : "no");
	s->regs.rip = 0;
	report(env, "native PD thread state", recap_native_pd_thread_state(env, spinner.index, ds.cap));
	recap_log(env, "same rip: %s, rbx %lu, pending %s",
		  s->regs.rip == rip ? "yes" : "no", s->regs.rbx,
		  pending_name(s->pending.kind));
	report(env, "native PD state of the main thread (not paused)",
	       recap_native_pd_thread_state(env, 0, ds.cap));
	report(env, "native PD state of thread 100", recap_native_pd_thread_state(env, 100, ds.cap));
	report(env, "native PD state into a thread cap",
	       recap_native_pd_thread_state(env, spinner.index, spinner.cap));
	report(env, "state get into a thread cap", recap_cpu_state_get(env, spinner.cap, spinner.cap));

	/* The state read through the CPU session, rbx changed. Its rip was
	 * zeroed for the native PD read to put back; where that read is
	 * refused (a child of cr), put back here: the spinner must not crash
	 * at ip 0, racing with these lines. */
	s->regs.rip = rip;
	s->regs.rbx = 1000;
	report(env, "state set rbx 1000", recap_cpu_state_set(env, spinner.cap, ds.cap));
	report(env, "resume", recap_cpu_resume(env, spinner.cap));
	while (cs_counter == c0)
		;
	report(env, "pause", recap_cpu_pause(env, spinner.cap));
	c1 = cs_counter;
	report(env, "state get", recap_cpu_state_get(env, spinner.cap, ds.cap));
	recap_log(env, "rip in cs_spin: %s, rbx %lu, counter grew by 1000s: %s",
		  in_spin(s->regs.rip) ? "yes" : "no", s->regs.rbx,
		  c1 > c0 && (c1 - c0) % 1000 == 0 ? "yes" : "no");
	report(env, "resume", recap_cpu_resume(env, spinner.cap));
	report(env, "state set on a running thread", recap_cpu_state_set(env, spinner.cap, ds.cap));

	err = recap_signal_context_create(env, &exc, on_exc, NULL);
	if (err)
		return err;
	report(env, "exception handler", recap_cpu_exc_sigh(env, recap_signal_context_cap(&exc)));
	report(env, "exception handler: a thread cap", recap_cpu_exc_sigh(env, spinner.cap));
	report(env, "exception handler: none", recap_cpu_exc_sigh(env, recap_cap_invalid()));

	cs_stop = 1;
	report(env, "join", recap_thread_join(&spinner));
	report(env, "pause a killed thread", recap_cpu_pause(env, spinner.cap));
	return RECAP_OK;
}

/*
 * DIRTY on an 8-page region: every page written, then tracking restarted;
 * pages 1, 3, 4 written (5 only read): exactly those; page 6 written and
 * tracking restarted while reading: 1, 3, 4, 6; then nothing.
 */
static int dirty_test(struct recap_env *env)
{
	struct recap_ds mem, map;
	unsigned long count, *bitmap;
	volatile char *p;
	void *a;
	int err;

	if ((err = recap_ram_alloc(env, 8 * 4096, &mem)) ||
	    (err = recap_rm_attach_rw(env, &mem, &a)))
		return err;
	p = a;
	if ((err = recap_ram_alloc(env, 4096, &map)) ||
	    (err = recap_rm_attach_rw(env, &map, &a)))
		return err;
	bitmap = a;
	for (int i = 0; i < 8; i++)
		p[i * 4096] = 1;
	report(env, "dirty, reset", recap_native_pd_dirty(env, (unsigned long)p, 8,
							 RECAP_PD_DIRTY_RESET, map.cap, &count));
	recap_log(env, "dirty pages %lu, bitmap 0x%lx", count, bitmap[0]);
	p[1 * 4096] = 2;
	p[3 * 4096 + 100] = 2;
	p[4 * 4096 + 4095] = 2;
	(void)p[5 * 4096];
	report(env, "dirty", recap_native_pd_dirty(env, (unsigned long)p, 8, 0, map.cap, &count));
	recap_log(env, "dirty pages %lu, bitmap 0x%lx", count, bitmap[0]);
	p[6 * 4096] = 3;
	report(env, "dirty, reset", recap_native_pd_dirty(env, (unsigned long)p, 8,
							 RECAP_PD_DIRTY_RESET, map.cap, &count));
	recap_log(env, "dirty pages %lu, bitmap 0x%lx", count, bitmap[0]);
	report(env, "dirty", recap_native_pd_dirty(env, (unsigned long)p, 8, 0, map.cap, &count));
	recap_log(env, "dirty pages %lu, bitmap 0x%lx", count, bitmap[0]);
	report(env, "dirty, 0 pages", recap_native_pd_dirty(env, (unsigned long)p, 0, 0, map.cap, &count));
	report(env, "dirty, unaligned", recap_native_pd_dirty(env, (unsigned long)p + 1, 8, 0, map.cap, &count));
	report(env, "dirty, bad flags", recap_native_pd_dirty(env, (unsigned long)p, 8, 2, map.cap, &count));
	report(env, "dirty, too many pages",
	       recap_native_pd_dirty(env, (unsigned long)p, RECAP_PD_DIRTY_MAX_PAGES + 1, 0,
				     map.cap, &count));
	report(env, "dirty, no dataspace",
	       recap_native_pd_dirty(env, (unsigned long)p, 8, 0, env->cpu, &count));
	return RECAP_OK;
}

void component_construct(struct recap_env *env)
{
	int err = thread_state_test(env);

	if (err == RECAP_OK)
		err = dirty_test(env);
	if (err != RECAP_OK)
		report(env, "setup failed", err);
	recap_parent_exit(env, err == RECAP_OK ? 0 : 1);
}

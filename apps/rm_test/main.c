/*
 * rm_test — the RAM and RM services from a component's side, one line per
 * check: quota accounting and its limit, page rounding, dataspace info,
 * attaching anywhere and at fixed addresses, one dataspace attached twice
 * sharing its memory, every refused attachment and detachment with its
 * error, malformed requests, a FREE through another session, and the
 * memory gone after FREE.
 * Last it writes to a read-only attachment, which core reports as a page
 * fault at the global label rm_test_fault_ip.
 */
#include <l4/sys/consts.h>

#include <recap/dataspace.h>
#include <recap/env.h>
#include <recap/err.h>
#include <recap/layout.h>
#include <recap/log.h>
#include <recap/parent_client.h>
#include <recap/ram_session.h>
#include <recap/region_map.h>
#include <recap/rpc.h>

#define FIXED 0x60000000UL	/* in the attach area, far above what "anywhere" takes here */

static int failures;

static void expect(struct recap_env *env, char const *what, int got, int want)
{
	recap_log(env, "%s: %d (%s)%s", what, got, recap_err_str(got),
		  got == want ? "" : " UNEXPECTED");
	failures += got != want;
}

static void __attribute__((noinline, noclone)) poke(unsigned long addr,
						   unsigned long v)
{
	__asm__ volatile(".globl rm_test_fault_ip\nrm_test_fault_ip:\n\tmovq %1, (%0)"
			 : : "r"(addr), "r"(v) : "memory");
}

static void show_quota(struct recap_env *env)
{
	unsigned long quota = 0, used = 0;
	int err = recap_ram_quota(env, &quota, &used);

	recap_log(env, "quota %lu KiB, used %lu KiB (%s)", quota >> 10,
		  used >> 10, recap_err_str(err));
}

static int attach(struct recap_env *env, struct recap_cap ds, unsigned long size,
		  unsigned long offset, unsigned long at, unsigned rights)
{
	unsigned long addr;

	return recap_rm_attach(env, ds, size, offset, at, rights, &addr);
}

static void refused_attachments(struct recap_env *env, struct recap_ds const *ds)
{
	expect(env, "overlapping", attach(env, ds->cap, 0, 0, FIXED + 4096, L4_FPAGE_RO),
	       RECAP_ERR_EXIST);
	expect(env, "misaligned at", attach(env, ds->cap, 0, 0, FIXED + 0x10800, L4_FPAGE_RO),
	       RECAP_ERR_INVAL);
	expect(env, "misaligned offset", attach(env, ds->cap, 4096, 100, RECAP_RM_ANYWHERE,
						L4_FPAGE_RO), RECAP_ERR_INVAL);
	expect(env, "beyond the dataspace", attach(env, ds->cap, 8192, 4096,
						   RECAP_RM_ANYWHERE, L4_FPAGE_RO),
	       RECAP_ERR_RANGE);
	expect(env, "offset at the end", attach(env, ds->cap, 0, 8192, RECAP_RM_ANYWHERE,
						L4_FPAGE_RO), RECAP_ERR_RANGE);
	expect(env, "into the UTCB area", attach(env, ds->cap, 0, 0, RECAP_UTCB_AREA,
						 L4_FPAGE_RO), RECAP_ERR_RANGE);
	expect(env, "from the UTCB into the stack area",
	       attach(env, ds->cap, 0, 0, RECAP_STACK_AREA - 4096, L4_FPAGE_RO),
	       RECAP_ERR_RANGE);
	expect(env, "below the component range", attach(env, ds->cap, 0, 0, 0x1000,
							L4_FPAGE_RO), RECAP_ERR_RANGE);
	expect(env, "beyond the component range",
	       attach(env, ds->cap, 0, 0, 0x500000000000UL - 4096, L4_FPAGE_RO),
	       RECAP_ERR_RANGE);
	expect(env, "over the image", attach(env, ds->cap, 0, 0, 0x10000000UL, L4_FPAGE_RO),
	       RECAP_ERR_EXIST);
	expect(env, "no rights", attach(env, ds->cap, 0, 0, RECAP_RM_ANYWHERE, 0),
	       RECAP_ERR_INVAL);
	expect(env, "write without read", attach(env, ds->cap, 0, 0, RECAP_RM_ANYWHERE,
						 L4_FPAGE_W), RECAP_ERR_INVAL);
	expect(env, "unknown rights", attach(env, ds->cap, 0, 0, RECAP_RM_ANYWHERE, 0x10 | 4),
	       RECAP_ERR_INVAL);
	/* A real capability of core's, but not a dataspace. */
	expect(env, "the RAM session as dataspace",
	       attach(env, env->ram, 0, 0, RECAP_RM_ANYWHERE, L4_FPAGE_RO), RECAP_ERR_INVAL);
}

/* Requests the client library would never send. */
static void malformed_requests(struct recap_env *env, struct recap_ds const *ds)
{
	struct rpc_msg m;

	recap_rpc_begin(&m, env->rm, RECAP_RM_ATTACH, NULL, 0);
	rpc_msg_put_word(&m, 0);
	rpc_msg_put_word(&m, 0);
	rpc_msg_put_word(&m, RECAP_RM_ANYWHERE);
	rpc_msg_put_word(&m, L4_FPAGE_RO);
	expect(env, "attach without a dataspace", recap_rpc_call(env, env->rm, &m),
	       RECAP_ERR_INVAL);
	recap_rpc_begin(&m, env->rm, RECAP_RM_ATTACH, &ds->cap, 1);
	rpc_msg_put_word(&m, 0);
	expect(env, "attach with words missing", recap_rpc_call(env, env->rm, &m),
	       RECAP_ERR_INVAL);
	recap_rpc_begin(&m, ds->cap, RECAP_DS_INFO, NULL, 0);
	rpc_msg_put_word(&m, 1);
	expect(env, "info with a word left over", recap_rpc_call(env, ds->cap, &m),
	       RECAP_ERR_INVAL);
	recap_rpc_begin(&m, env->ram, 99, NULL, 0);
	expect(env, "unknown RAM opcode", recap_rpc_call(env, env->ram, &m),
	       RECAP_ERR_INVAL);
	expect(env, "attach ~0 bytes", attach(env, ds->cap, ~0UL, 0, RECAP_RM_ANYWHERE,
					      L4_FPAGE_RO), RECAP_ERR_RANGE);
}

static void refused_detachments(struct recap_env *env)
{
	expect(env, "detach nothing", recap_rm_detach(env, FIXED + 0x100000),
	       RECAP_ERR_NOENT);
	expect(env, "detach the image", recap_rm_detach(env, (unsigned long)&failures),
	       RECAP_ERR_DENIED);
	expect(env, "detach the stack", recap_rm_detach(env, (unsigned long)&env),
	       RECAP_ERR_DENIED);
}

/* FREE of this session's dataspace through a second RAM session. */
static void second_session(struct recap_env *env, struct recap_ds const *ds)
{
	struct recap_cap other;
	struct rpc_msg m;
	int err = recap_parent_session(env, "RAM", "", &other);

	expect(env, "second RAM session", err, RECAP_OK);
	recap_rpc_begin(&m, other, RECAP_RAM_FREE, &ds->cap, 1);
	expect(env, "free through it", recap_rpc_call(env, other, &m), RECAP_ERR_NOENT);
	recap_rpc_begin(&m, other, RECAP_RAM_ALLOC, NULL, 0);
	rpc_msg_put_word(&m, 4096);
	expect(env, "alloc through it", recap_rpc_call(env, other, &m), RECAP_OK);
	show_quota(env);
	expect(env, "close it", recap_parent_close(env, other), RECAP_OK);
	show_quota(env);
}

void component_construct(struct recap_env *env)
{
	struct recap_ds ds, big, gone;
	unsigned long size = 0, at = 0, fixed = 0;
	bool writable = false;
	volatile unsigned long *rw;
	volatile unsigned long const *ro;

	show_quota(env);
	expect(env, "alloc 5000 bytes", recap_ram_alloc(env, 5000, &ds), RECAP_OK);
	expect(env, "info", recap_ds_info(env, ds.cap, &size, &writable), RECAP_OK);
	recap_log(env, "size %lu (allocated %lu), writable %d", size, ds.size, writable);
	show_quota(env);
	expect(env, "alloc 0 bytes", recap_ram_alloc(env, 0, &big), RECAP_ERR_INVAL);
	expect(env, "alloc ~0 bytes", recap_ram_alloc(env, ~0UL, &big), RECAP_ERR_NOMEM);
	expect(env, "alloc 1 MiB", recap_ram_alloc(env, 1UL << 20, &big), RECAP_ERR_NOMEM);
	expect(env, "alloc 1 MiB - 8 KiB", recap_ram_alloc(env, (1UL << 20) - 8192, &big),
	       RECAP_OK);
	show_quota(env);
	expect(env, "alloc 1 byte more", recap_ram_alloc(env, 1, &gone), RECAP_ERR_NOMEM);
	expect(env, "free it", recap_ram_free(env, &big), RECAP_OK);
	show_quota(env);

	expect(env, "attach anywhere",
	       recap_rm_attach(env, ds.cap, 0, 0, RECAP_RM_ANYWHERE, L4_FPAGE_RW, &at),
	       RECAP_OK);
	recap_log(env, "at the attach area: %s", at == RECAP_ATTACH_AREA ? "yes" : "no");
	expect(env, "attach at a fixed address, read-only",
	       recap_rm_attach(env, ds.cap, 0, 0, FIXED, L4_FPAGE_RO, &fixed), RECAP_OK);
	rw = (unsigned long *)at;
	ro = (unsigned long const *)fixed;
	rw[0] = 0x1234;
	rw[1023] = 0x5678;
	recap_log(env, "one dataspace, two places: 0x%lx 0x%lx", ro[0], ro[1023]);
	refused_attachments(env, &ds);
	malformed_requests(env, &ds);
	refused_detachments(env);
	second_session(env, &ds);

	expect(env, "alloc another", recap_ram_alloc(env, 4096, &gone), RECAP_OK);
	expect(env, "attach it", recap_rm_attach(env, gone.cap, 0, 0, RECAP_RM_ANYWHERE,
						 L4_FPAGE_RW, &at), RECAP_OK);
	big = gone;		/* keep the capability's name to try it again */
	expect(env, "free it, attached", recap_ram_free(env, &gone), RECAP_OK);
	expect(env, "detach after free", recap_rm_detach(env, at), RECAP_ERR_NOENT);
	expect(env, "attach after free", attach(env, big.cap, 0, 0, RECAP_RM_ANYWHERE,
						L4_FPAGE_RO), RECAP_ERR_INVAL);
	expect(env, "detach the fixed one", recap_rm_detach(env, fixed + 100), RECAP_OK);
	expect(env, "attach it again there",
	       recap_rm_attach(env, ds.cap, 0, 0, FIXED, L4_FPAGE_RO, &fixed), RECAP_OK);
	show_quota(env);
	recap_log(env, failures ? "%d answers unexpected" : "all answers as expected",
		  failures);
	recap_log(env, "writing to the read-only attachment");
	poke(fixed, 1);
	recap_log(env, "not reached");
	recap_parent_exit(env, 1);
}

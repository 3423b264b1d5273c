/*
 * l4sys_compile_test.c -- checks that the l4sys headers (include/l4/sys)
 * build freestanding and hosted, and that their ABI values match Fiasco.OC.
 *
 * Compile-time facts are _Static_asserts.  Inline constructors are not
 * constant expressions in C, so their results are checked by main(), which
 * uses no libc and never enters the kernel (it only builds values).  The
 * system-call wrappers are referenced from l4sys_test_refs() so that every
 * one of them is compiled, but it is never called.
 *
 *   gcc -std=gnu11 -Wall -Wextra -Werror -ffreestanding -nostdlib \
 *       -fno-stack-protector -Iinclude -c tests/unit/l4sys_compile_test.c
 *   gcc -std=gnu11 -Wall -Wextra -Werror -Iinclude \
 *       tests/unit/l4sys_compile_test.c -o l4sys_compile_test && ./l4sys_compile_test
 */
#include <l4/sys/consts.h>
#include <l4/sys/types.h>
#include <l4/sys/err.h>
#include <l4/sys/utcb.h>
#include <l4/sys/syscall_impl.h>
#include <l4/sys/ipc.h>
#include <l4/sys/task.h>
#include <l4/sys/factory.h>
#include <l4/sys/thread.h>
#include <l4/sys/irq.h>
#include <l4/sys/rcv_endpoint.h>
#include <l4/sys/ipc_gate.h>

#define OFFSETOF(t, m) __builtin_offsetof(t, m)

/* ---- Selectors and fixed caps ------------------------------------------- */
_Static_assert(L4_CAP_SHIFT == 12, "cap shift");
_Static_assert(L4_CAP_OFFSET == 0x1000 && L4_CAP_SIZE == 0x1000, "cap size");
_Static_assert(L4_CAP_MASK == ~0x3ffUL, "cap mask");
_Static_assert(L4_INVALID_CAP_BIT == 0x800, "invalid bit");
_Static_assert(L4_INVALID_CAP == ~0x7ffUL, "invalid cap");
_Static_assert(L4_BASE_TASK_CAP == 0x1000, "base task");
_Static_assert(L4_BASE_FACTORY_CAP == 0x2000, "base factory");
_Static_assert(L4_BASE_THREAD_CAP == 0x3000, "base thread");
_Static_assert(L4_BASE_PAGER_CAP == 0x4000, "base pager");
_Static_assert(L4_BASE_LOG_CAP == 0x5000, "base log");
_Static_assert(L4_BASE_ICU_CAP == 0x6000, "base icu");
_Static_assert(L4_BASE_SCHEDULER_CAP == 0x7000, "base scheduler");
_Static_assert(L4_BASE_IOMMU_CAP == 0x8000, "base iommu");
_Static_assert(L4_BASE_DEBUGGER_CAP == 0xa000, "base debugger");
_Static_assert(L4_BASE_ARM_SMCCC_CAP == 0xb000, "base smccc");
_Static_assert(L4_BASE_CAPS_LAST == 0xb000, "last base cap");

/* ---- Syscall flags ------------------------------------------------------ */
_Static_assert(L4_SYSF_SEND == 1 && L4_SYSF_RECV == 2 && L4_SYSF_OPEN_WAIT == 4
               && L4_SYSF_REPLY == 8, "sysf bits");
_Static_assert(L4_SYSF_CALL == 3 && L4_SYSF_WAIT == 6
               && L4_SYSF_SEND_AND_WAIT == 7 && L4_SYSF_REPLY_AND_WAIT == 0xf,
               "sysf combinations");

/* ---- Items, unmap flags, rights ----------------------------------------- */
_Static_assert(L4_ITEM_MAP == 8 && L4_ITEM_CONT == 1, "items");
_Static_assert(L4_MAP_ITEM_GRANT == 2 && L4_MAP_ITEM_MAP == 0, "map items");
_Static_assert(L4_RCV_ITEM_SINGLE_CAP == 0xa && L4_RCV_ITEM_LOCAL_ID == 4,
               "rcv items");
_Static_assert(L4_BDR_OBJ_SHIFT == 10 && L4_BDR_OFFSET_MASK == 0xfffff, "bdr");
_Static_assert(L4_FP_ALL_SPACES == 0x80000000UL, "unmap all");
_Static_assert(L4_FP_DELETE_OBJ == 0xc0000000UL, "unmap delete");
_Static_assert(L4_FP_OTHER_SPACES == 0, "unmap others");
_Static_assert(L4_CAP_FPAGE_W == 1 && L4_CAP_FPAGE_S == 2 && L4_CAP_FPAGE_R == 4
               && L4_CAP_FPAGE_RO == 4 && L4_CAP_FPAGE_D == 8, "cap rights");
_Static_assert(L4_CAP_FPAGE_RW == 5 && L4_CAP_FPAGE_RS == 6
               && L4_CAP_FPAGE_RWS == 7 && L4_CAP_FPAGE_RWSD == 0xf
               && L4_CAP_FPAGE_RWD == 0xd && L4_CAP_FPAGE_RSD == 0xe,
               "cap right sets");
_Static_assert(L4_FPAGE_X == 1 && L4_FPAGE_W == 2 && L4_FPAGE_RO == 4
               && L4_FPAGE_RW == 6 && L4_FPAGE_RX == 5 && L4_FPAGE_RWX == 7,
               "memory rights");
_Static_assert((int)L4_FPAGE_RWX == (int)L4_CAP_FPAGE_RWS, "Genode's RWX == RWS");
_Static_assert(L4_FPAGE_SPECIAL == 0 && L4_FPAGE_MEMORY == 1 && L4_FPAGE_IO == 2
               && L4_FPAGE_OBJ == 3, "fpage types");
_Static_assert(L4_FPAGE_C_NO_REF_CNT == 0x10 && L4_FPAGE_C_IPCGATE_SVR == 0x20
               && L4_FPAGE_C_OBJ_RIGHTS == 0xe0, "obj control");
_Static_assert(L4_FPAGE_CONTROL_MASK == ~0xfffUL, "control mask");
_Static_assert(L4_PAGESHIFT == 12 && L4_PAGESIZE == 4096, "page size");

/* ---- Tags, protocols, timeouts ------------------------------------------ */
_Static_assert(L4_PROTO_IRQ == -1 && L4_PROTO_PAGE_FAULT == -2
               && L4_PROTO_EXCEPTION == -5 && L4_PROTO_KOBJECT == -10
               && L4_PROTO_TASK == -11 && L4_PROTO_THREAD == -12
               && L4_PROTO_LOG == -13 && L4_PROTO_SCHEDULER == -14
               && L4_PROTO_FACTORY == -15 && L4_PROTO_VM == -16
               && L4_PROTO_IRQ_SENDER == -18 && L4_PROTO_SEMAPHORE == -20
               && L4_PROTO_DEBUGGER == -23, "protocols");
_Static_assert(L4_MSGTAG_ERROR == 0x8000 && L4_MSGTAG_TRANSFER_FPU == 0x1000
               && L4_MSGTAG_SCHEDULE == 0x2000
               && L4_MSGTAG_PROPAGATE == 0x4000, "tag flags");
_Static_assert(sizeof(l4_msgtag_t) == 8 && sizeof(l4_fpage_t) == 8, "sizes");
_Static_assert(sizeof(l4_timeout_t) == 4 && sizeof(l4_timeout_s) == 2,
               "timeout sizes");
_Static_assert(OFFSETOF(l4_timeout_t, p.rcv) == 0
               && OFFSETOF(l4_timeout_t, p.snd) == 2, "rcv low, snd high");

/* ---- UTCB --------------------------------------------------------------- */
_Static_assert(sizeof(l4_msg_regs_t) == 63 * 8, "msg regs");
_Static_assert(sizeof(l4_buf_regs_t) == 59 * 8, "buf regs");
_Static_assert(sizeof(l4_thread_regs_t) == 5 * 8, "thread regs");
_Static_assert(L4_UTCB_GENERIC_DATA_SIZE == 63, "mr count");
_Static_assert(L4_UTCB_GENERIC_BUFFERS_SIZE == 58, "br count");
_Static_assert(L4_UTCB_BUF_REGS_OFFSET == 64 * 8, "br offset");
_Static_assert(L4_UTCB_THREAD_REGS_OFFSET == 123 * 8, "tcr offset");
_Static_assert(L4_UTCB_OFFSET == 1024, "utcb size");
_Static_assert(L4X_UTCB_SELF_OFFSET == 992, "self pointer at tcr.free_marker");
_Static_assert(OFFSETOF(l4_thread_regs_t, free_marker) == 8, "free marker");
_Static_assert(OFFSETOF(l4_exc_regs_t, pfa) == 11 * 8, "exc pfa");
_Static_assert(OFFSETOF(l4_exc_regs_t, rax) == 15 * 8, "exc rax");
_Static_assert(OFFSETOF(l4_exc_regs_t, trapno) == 16 * 8, "exc trapno");
_Static_assert(OFFSETOF(l4_exc_regs_t, ip) == 18 * 8, "exc ip");
_Static_assert(OFFSETOF(l4_exc_regs_t, cs) == 19 * 8
               && OFFSETOF(l4_exc_regs_t, dummy1) == 19 * 8, "exc cs");
_Static_assert(OFFSETOF(l4_exc_regs_t, sp) == 21 * 8, "exc sp");
_Static_assert(OFFSETOF(l4_exc_regs_t, gs_base) == 24 * 8, "exc gs_base");
_Static_assert(L4_UTCB_EXCEPTION_REGS_SIZE == 26, "exc regs words");

/* ---- IPC errors and errno ----------------------------------------------- */
_Static_assert(L4_IPC_ENOT_EXISTENT == 4 && L4_IPC_RETIMEOUT == 3
               && L4_IPC_SETIMEOUT == 2 && L4_IPC_RECANCELED == 7
               && L4_IPC_SECANCELED == 6 && L4_IPC_REMAPFAILED == 0x11
               && L4_IPC_SEMAPFAILED == 0x10 && L4_IPC_SND_ERR_MASK == 1
               && L4_IPC_ERROR_MASK == 0x1f, "ipc errors");
_Static_assert(L4_EOK == 0 && L4_EPERM == 1 && L4_ENOENT == 2
               && L4_ENOMEM == 12 && L4_EBUSY == 16 && L4_EEXIST == 17
               && L4_EINVAL == 22 && L4_ERANGE == 34 && L4_ENOSYS == 38
               && L4_EBADPROTO == 39 && L4_EADDRNOTAVAIL == 99
               && L4_ENOREPLY == 1000, "errno values");
_Static_assert(L4_EIPC_LO == 2000 && L4_EIPC_HI == 2031, "ipc errno range");

/* ---- Object opcodes ----------------------------------------------------- */
_Static_assert(L4_TASK_MAP_OP == 0 && L4_TASK_UNMAP_OP == 1
               && L4_TASK_CAP_INFO_OP == 2, "task ops");
_Static_assert(L4_THREAD_CONTROL_OP == 0 && L4_THREAD_EX_REGS_OP == 1
               && L4_THREAD_SWITCH_OP == 2, "thread ops");
_Static_assert(L4_THREAD_CONTROL_SET_PAGER == 0x10000
               && L4_THREAD_CONTROL_BIND_TASK == 0x200000
               && L4_THREAD_CONTROL_ALIEN == 0x400000
               && L4_THREAD_CONTROL_SET_EXC_HANDLER == 0x1000000,
               "thread control flags");
_Static_assert(L4_THREAD_EX_REGS_CANCEL == 0x10000
               && L4_THREAD_EX_REGS_TRIGGER_EXCEPTION == 0x20000,
               "ex_regs flags");
_Static_assert(L4_IRQ_OP_EOI == 4 && L4_IRQ_OP_TRIGGER == 2
               && L4_IRQ_SENDER_OP_DETACH == 1, "irq ops");
_Static_assert(L4_RCV_EP_BIND_OP == 0x10 && L4_IPC_GATE_BIND_OP == 0x10
               && L4_IPC_GATE_GET_INFO_OP == 0x11, "gate ops");

/* ---- recap channel ------------------------------------------------------ */
_Static_assert(L4X_CHAN_FD_BASE == 64 && L4X_MAX_THREADS == 256, "channel");
_Static_assert(sizeof(struct l4x_sys_req) == 32
               && OFFSETOF(struct l4x_sys_req, dest) == 0
               && OFFSETOF(struct l4x_sys_req, label) == 8
               && OFFSETOF(struct l4x_sys_req, tag) == 16
               && OFFSETOF(struct l4x_sys_req, timeout) == 24, "request");
_Static_assert(sizeof(struct l4x_sys_ret) == 16, "reply");

/* ---- Values of inline constructors (checked at run time) ---------------- */

int l4sys_test_values(void);
void l4sys_test_refs(void);
int main(void);

/* Returns 0 or the line of the first failed check. */
#define CHECK(c) do { if (!(c)) return __LINE__; } while (0)

int l4sys_test_values(void)
{
  l4_msgtag_t t = l4_msgtag(1, 2, 3, 0);
  CHECK(t.raw == (1 << 16 | 3 << 6 | 2));
  CHECK(l4_msgtag_label(t) == 1 && l4_msgtag_words(t) == 2
        && l4_msgtag_items(t) == 3 && l4_msgtag_flags(t) == 0);

  t = l4_msgtag(L4_PROTO_TASK, 3, 1, L4_MSGTAG_ERROR);
  CHECK(l4_msgtag_label(t) == L4_PROTO_TASK);  /* sign survives */
  CHECK(l4_msgtag_has_error(t) && l4_msgtag_words(t) == 3
        && l4_msgtag_items(t) == 1);
  CHECK(l4_msgtag(0, 64, 64, 0x0fff).raw == 0);  /* fields are masked */

  CHECK(l4_is_valid_cap(L4_BASE_TASK_CAP) && !l4_is_invalid_cap(0x1000));
  CHECK(l4_is_invalid_cap(L4_INVALID_CAP) && !l4_is_valid_cap(L4_INVALID_CAP));
  CHECK(l4_capability_equal(0x5000, 0x5000 | L4_SYSF_CALL));
  CHECK(!l4_capability_equal(0x5000, 0x6000));
  CHECK(l4_capability_next(0x5000) == 0x6000);

  l4_fpage_t f = l4_obj_fpage(0x7000, 0, L4_CAP_FPAGE_RWSD);
  CHECK(f.raw == (0x7000 | 3 << 4 | 0xf));
  CHECK(l4_fpage_type(f) == L4_FPAGE_OBJ && l4_fpage_rights(f) == 0xf
        && l4_fpage_size(f) == 0 && l4_fpage_order(f) == 0
        && l4_fpage_page(f) == 7 && l4_fpage_obj(f) == 0x7000);
  f = l4_fpage(0x400000, 22, L4_FPAGE_RW);
  CHECK(f.raw == (0x400000 | 22 << 6 | 1 << 4 | 6));
  CHECK(l4_fpage_memaddr(f) == 0x400000 && l4_is_fpage_writable(f));
  CHECK(l4_fpage_contains(f, 0x401000, 12) && !l4_fpage_contains(f, 0x800000, 12));
  CHECK(l4_fpage_set_rights(f, L4_FPAGE_RO).raw == (0x400000 | 22 << 6 | 1 << 4 | 4));
  CHECK(l4_fpage_all().raw == 63 << 6);
  CHECK(l4_fpage_invalid().raw == 0);
  CHECK(l4_map_obj_control(0, 0) == L4_ITEM_MAP);
  CHECK(l4_map_obj_control(0x5abc, L4_MAP_ITEM_GRANT) == (0x5000 | 8 | 2));
  CHECK(l4_map_control(0x10000, 3, 0) == (0x10000 | 3 << 4 | 8));

  CHECK(L4_IPC_NEVER.raw == 0);
  CHECK(L4_IPC_SEND_TIMEOUT_0.raw == 0x04000000);
  CHECK(L4_IPC_RECV_TIMEOUT_0.raw == 0x400);
  CHECK(L4_IPC_BOTH_TIMEOUT_0.raw == 0x04000400);
  CHECK(l4_timeout(L4_IPC_TIMEOUT_0, L4_IPC_TIMEOUT_0).raw == 0x04000400);
  CHECK(l4_timeout(L4_IPC_TIMEOUT_NEVER, L4_IPC_TIMEOUT_0).raw == 0x400);
  CHECK(l4_timeout_rel(1000, 3).t == (1000 | 3 << 10));
  CHECK(l4_ipc_timeout(1, 2, 3, 4).raw == ((1u | 2u << 10) << 16 | (3u | 4u << 10)));
  CHECK(l4_timeout_from_us(0).t == 0x400);
  CHECK(l4_timeout_from_us(L4_TIMEOUT_US_NEVER).t == 0);
  CHECK(l4_timeout_from_us(L4_TIMEOUT_US_MAX + 1).t == 0);
  CHECK(l4_timeout_from_us(1).t == 1);
  CHECK(l4_timeout_from_us(1023).t == 1023);
  CHECK(l4_timeout_from_us(1024).t == (512 | 1 << 10));
  CHECK(l4_timeout_from_us(1025).t == (513 | 1 << 10));       /* rounds up */
  CHECK(l4_timeout_from_us(2047).t == (512 | 2 << 10));  /* 1024 << 1 overflows */
  CHECK(l4_timeout_from_us(1000000).t == (977 | 10 << 10));   /* 1 s */
  CHECK(l4_timeout_from_us(L4_TIMEOUT_US_MAX).t == (1023 | 31 << 10));
  CHECK(l4_timeout_rel_get(l4_timeout_from_us(1000000)) >= 1000000);
  CHECK(l4_timeout_rel_get(L4_IPC_TIMEOUT_NEVER) == ~0ULL);
  CHECK(l4_timeout_rel_get(L4_IPC_TIMEOUT_0) == 0);

  CHECK(l4_ipc_to_errno(L4_IPC_RETIMEOUT) == -2003);
  CHECK(l4_trunc_page(0x1234) == 0x1000 && l4_round_page(0x1001) == 0x2000);
  CHECK(l4_round_size(0x1001, 16) == 0x10000 && l4_trunc_size(0x1ffff, 16) == 0x10000);

  /* UTCB accessors on a stand-in UTCB (no kernel involved). */
  static struct l4x_utcb_layout fake __attribute__((aligned(1024)));
  l4_utcb_t *u = (l4_utcb_t *)&fake;
  CHECK((void *)l4_utcb_mr_u(u) == (void *)&fake.mr);
  CHECK((void *)l4_utcb_br_u(u) == (void *)&fake.br);
  CHECK((void *)l4_utcb_tcr_u(u) == (void *)&fake.tcr);
  CHECK((char *)&l4_utcb_tcr_u(u)->free_marker - (char *)u == L4X_UTCB_SELF_OFFSET);
  CHECK((void *)l4_utcb_exc_u(u) == (void *)u);
  l4_utcb_exc_u(u)->ip = 0x1234;
  l4_utcb_exc_u(u)->trapno = 14;
  l4_utcb_exc_u(u)->pfa = 0x5007;
  l4_utcb_exc_u(u)->err = 6;
  CHECK(l4_utcb_exc_pc(l4_utcb_exc_u(u)) == 0x1234);
  CHECK(l4_utcb_exc_is_pf(l4_utcb_exc_u(u)));
  CHECK(l4_utcb_exc_pfa(l4_utcb_exc_u(u)) == 0x5002);

  fake.tcr.error = L4_IPC_RETIMEOUT;
  t = l4_msgtag(0, 0, 0, L4_MSGTAG_ERROR);
  CHECK(l4_ipc_error(t, u) == L4_IPC_RETIMEOUT);
  CHECK(l4_error_u(t, u) == -(L4_EIPC_LO + L4_IPC_RETIMEOUT));
  CHECK(l4_ipc_is_rcv_error(u) && !l4_ipc_is_snd_error(u));
  CHECK(l4_error_u(l4_msgtag(-L4_EPERM, 0, 0, 0), u) == -L4_EPERM);
  CHECK(l4_ipc_error(l4_msgtag(5, 0, 0, 0), u) == 0);

  /* Channel descriptors: distinct for the 256 UTCBs of one area. */
  CHECK(l4x_chan_fd((l4_utcb_t *)0x7000000000UL) == 64);
  CHECK(l4x_chan_fd((l4_utcb_t *)(0x7000000000UL + 255 * 1024)) == 64 + 255);
  CHECK(l4x_chan_fd((l4_utcb_t *)(0x7000000000UL + 256 * 1024)) == 64);

  /* Thread control staging (builds registers only; no commit). */
  l4_thread_control_start_u(u);
  l4_thread_control_pager_u(0x4000, u);
  l4_thread_control_exc_handler_u(0x9000, u);
  l4_thread_control_bind_u((l4_utcb_t *)0x7000000400UL, L4_BASE_TASK_CAP, u);
  l4_thread_control_alien_u(u, 1);
  CHECK(fake.mr.mr[0] == (0x10000 | 0x1000000 | 0x200000 | 0x400000));
  CHECK(fake.mr.mr[1] == 0x4000 && fake.mr.mr[2] == 0x9000);
  CHECK(fake.mr.mr[4] == 0x400000 && fake.mr.mr[5] == 0x7000000400UL);
  CHECK(fake.mr.mr[6] == L4_ITEM_MAP
        && fake.mr.mr[7] == l4_obj_fpage(L4_BASE_TASK_CAP, 0, L4_CAP_FPAGE_RWS).raw);

  return 0;
}

/*
 * Make the compiler generate every system-call wrapper.  Never called: it
 * would need a live recapd and a %gs-based UTCB.
 */
void l4sys_test_refs(void)
{
  l4_utcb_t *u = l4_utcb();
  l4_umword_t w = 0;
  l4_addr_t ip = 0, sp = 0;
  l4_fpage_t area = l4_fpage(0x7000000000UL, 18, L4_FPAGE_RW);
  l4_fpage_t fps[2] = { l4_fpage_all(), l4_fpage_invalid() };
  l4_msgtag_t t = l4_msgtag(0, 0, 0, 0);

  (void)l4_utcb_mr(); (void)l4_utcb_br(); (void)l4_utcb_tcr(); (void)l4_utcb_exc();
  (void)l4_error(t);
  (void)l4_ipc_error_code(u);

  (void)l4x_syscall(u, 0x5000 | L4_SYSF_CALL, 0, t, L4_IPC_NEVER, &w);
  (void)l4x_syscall_fd(u, 0x5000 | L4_SYSF_CALL, 0, t, L4_IPC_NEVER, &w, 3);

  (void)l4_ipc(0x5000, u, L4_SYSF_CALL, 0, t, &w, L4_IPC_NEVER);
  (void)l4_ipc_call(0x5000, u, t, L4_IPC_NEVER);
  (void)l4_ipc_send(0x5000, u, t, L4_IPC_NEVER);
  (void)l4_ipc_send(L4_SYSF_REPLY, u, t, L4_IPC_SEND_TIMEOUT_0);
  (void)l4_ipc_wait(u, &w, L4_IPC_NEVER);
  (void)l4_ipc_receive(0x5000, u, L4_IPC_NEVER);
  (void)l4_ipc_reply_and_wait(u, t, &w, L4_IPC_SEND_TIMEOUT_0);
  (void)l4_ipc_send_and_wait(0x5000, u, t, &w, L4_IPC_NEVER);
  (void)l4_ipc_reply(0, u, t, L4_IPC_SEND_TIMEOUT_0);
  (void)l4_ipc_sleep(l4_timeout(L4_IPC_TIMEOUT_NEVER, l4_timeout_from_us(10)));
  (void)l4_ipc_sleep_us(10);
  (void)l4_ipc_sleep_ms(10);
  (void)l4_sndfpage_add(l4_obj_fpage(0x5000, 0, L4_CAP_FPAGE_RW), 0x9000, &t);

  (void)l4_task_map(0x1000, 0x1000, l4_obj_fpage(0x5000, 0, L4_CAP_FPAGE_RWS),
                    0x9000 | L4_ITEM_MAP);
  (void)l4_task_unmap(0x1000, l4_obj_fpage(0x5000, 0, L4_CAP_FPAGE_RWSD),
                      L4_FP_ALL_SPACES);
  (void)l4_task_unmap_batch(0x1000, fps, 2, L4_FP_OTHER_SPACES);
  (void)l4_task_delete_obj(0x1000, 0x5000);
  (void)l4_task_release_cap(0x1000, 0x5000);
  (void)l4_task_cap_valid(0x1000, 0x5000);
  (void)l4_task_cap_equal(0x1000, 0x5000, 0x6000);

  (void)l4_factory_create(L4_BASE_FACTORY_CAP, L4_PROTO_THREAD, 0x5000);
  (void)l4_factory_create_task(L4_BASE_FACTORY_CAP, 0x5000, &area);
  (void)l4_factory_create_thread(L4_BASE_FACTORY_CAP, 0x5000);
  (void)l4_factory_create_gate(L4_BASE_FACTORY_CAP, 0x5000, L4_BASE_THREAD_CAP, 0x40);
  (void)l4_factory_create_gate(L4_BASE_FACTORY_CAP, 0x5000, L4_INVALID_CAP, 0x40);
  (void)l4_factory_create_irq(L4_BASE_FACTORY_CAP, 0x5000);

  (void)l4_thread_ex_regs(0x5000, 0x1000, 0x2000, L4_THREAD_EX_REGS_CANCEL);
  (void)l4_thread_ex_regs_ret(0x5000, &ip, &sp, &w);
  l4_thread_control_start();
  l4_thread_control_pager(0x4000);
  l4_thread_control_exc_handler(0x4000);
  l4_thread_control_bind((l4_utcb_t *)0x7000000400UL, 0x1000);
  l4_thread_control_alien(0);
  (void)l4_thread_control_commit(0x5000);
  (void)l4_thread_yield();
  (void)l4_thread_switch(0x5000);

  (void)l4_irq_attach(0x5000, 0x10, L4_BASE_THREAD_CAP);
  (void)l4_irq_detach(0x5000);
  (void)l4_irq_trigger(0x5000);
  (void)l4_irq_receive(0x5000, L4_IPC_NEVER);
  (void)l4_irq_wait(0x5000, &w, L4_IPC_NEVER);
  (void)l4_irq_unmask(0x5000);

  (void)l4_rcv_ep_bind_thread(0x5000, L4_BASE_THREAD_CAP, 0x40);
  (void)l4_ipc_gate_bind_thread(0x5000, L4_BASE_THREAD_CAP, 0x40);
  (void)l4_ipc_gate_get_infos(0x5000, &w);
}

int main(void)
{
  return l4sys_test_values();
}

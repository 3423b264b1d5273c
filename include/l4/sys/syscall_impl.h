/*
 * l4/sys/syscall_impl.h -- recap's system-call path (not part of l4sys).
 *
 * On Fiasco.OC an L4 system call is the `syscall` instruction with the
 * arguments in rdx/rsi/rax/r8.  Under recap the kernel is a Linux process
 * (recapd), so the same four words travel over a per-thread channel:
 *
 *   - every thread owns two pipes to recapd, at fixed descriptor numbers
 *     derived from its UTCB address (no lookup, no shared table, no locking
 *     between threads): it writes requests into one and reads answers from
 *     the other. Pipes, not a socket: on Linux a pipe wake-up is much
 *     cheaper than a Unix-socket one, and a call crosses four of them;
 *   - the request (32 bytes, atomic in a pipe) is written, the reply
 *     (16 bytes) read back;
 *   - message and buffer registers are not copied: they live in the UTCB,
 *     which recapd maps too and reads/writes directly.
 *
 * Linux is entered with raw `syscall` instructions so that this works in
 * freestanding components (no libc, no errno) and in hosted programs alike.
 * All l4_ipc_*() functions in ipc.h end up in l4x_syscall().
 */
#pragma once

#include <l4/sys/compiler.h>
#include <l4/sys/l4int.h>
#include <l4/sys/types.h>
#include <l4/sys/utcb.h>

/* ---- Channel descriptor -------------------------------------------------- */

#define L4X_CHAN_FD_BASE 64   /* thread i: request fd 64 + 2i, answer fd 65 + 2i */
#define L4X_MAX_THREADS  128  /* per task; the UTCB area is at most 128 KiB */
#define L4X_CHAN_FD_END  (L4X_CHAN_FD_BASE + 2 * L4X_MAX_THREADS)
/* Host tasks only: a socket per thread to hand descriptors to recapd. */
#define L4X_SIDE_FD_BASE L4X_CHAN_FD_END

_Static_assert(L4_UTCB_OFFSET == 1 << 10, "channel fd assumes 1 KiB UTCBs");
_Static_assert((L4X_MAX_THREADS & (L4X_MAX_THREADS - 1)) == 0,
               "L4X_MAX_THREADS must be a power of two");

/*
 * UTCB index within the area, modulo L4X_MAX_THREADS: distinct for every
 * thread of a task as long as its UTCB area is at most 128 KiB.
 */
L4_INLINE int l4x_utcb_index(l4_utcb_t *u)
{
  return (int)(((l4_addr_t)u >> 10) & (L4X_MAX_THREADS - 1));
}

/* The descriptor a thread writes its requests to; answers come on +1. */
L4_INLINE int l4x_chan_fd(l4_utcb_t *u)
{
  return L4X_CHAN_FD_BASE + 2 * l4x_utcb_index(u);
}

/* ---- Wire format --------------------------------------------------------- */

/* One system call: the four registers of the Fiasco amd64 ABI. */
struct l4x_sys_req
{
  l4_umword_t dest;     /* rdx: selector | L4_SYSF_* flags */
  l4_umword_t label;    /* rsi: label sent to a thread cap */
  l4_umword_t tag;      /* rax: l4_msgtag_t.raw */
  l4_umword_t timeout;  /* r8:  l4_timeout_t.raw */
};

/* Its result: the two registers Fiasco returns. */
struct l4x_sys_ret
{
  l4_umword_t tag;      /* rax: reply l4_msgtag_t.raw */
  l4_umword_t label;    /* rsi: label of the received message */
};

_Static_assert(sizeof(struct l4x_sys_req) == 32, "wire format: request");
_Static_assert(sizeof(struct l4x_sys_ret) == 16, "wire format: reply");

/* ---- Raw Linux system calls ---------------------------------------------- */

#define L4X_NR_read    0
#define L4X_NR_write   1
#define L4X_NR_sendmsg 46
#define L4X_EINTR      4

/* Linux returns -errno in rax; the kernel clobbers rcx and r11. */
L4_INLINE long l4x_linux_syscall3(long nr, long a1, long a2, long a3)
{
  long ret;
  __asm__ __volatile__ ("syscall"
                        : "=a" (ret)
                        : "0" (nr), "D" (a1), "S" (a2), "d" (a3)
                        : "rcx", "r11", "memory");
  return ret;
}

/*
 * sendmsg(2) structures, spelt out for the Linux amd64 ABI so we need no
 * <sys/socket.h>; prefixed so they never clash with the host's.
 */
struct l4x_iovec
{
  void        *iov_base;
  l4_umword_t  iov_len;
};

struct l4x_msghdr
{
  void             *msg_name;
  l4_uint32_t       msg_namelen;
  struct l4x_iovec *msg_iov;
  l4_umword_t       msg_iovlen;
  void             *msg_control;
  l4_umword_t       msg_controllen;
  l4_uint32_t       msg_flags;
};

struct l4x_cmsghdr
{
  l4_umword_t cmsg_len;    /* header + payload, without trailing padding */
  l4_int32_t  cmsg_level;
  l4_int32_t  cmsg_type;
};

/* A control buffer carrying exactly one descriptor (CMSG_SPACE(4) bytes). */
struct l4x_cmsg_one_fd
{
  struct l4x_cmsghdr hdr;
  l4_int32_t         fd;
  l4_int32_t         pad;  /* control data is padded to 8 bytes */
};

#define L4X_SOL_SOCKET   1
#define L4X_SCM_RIGHTS   1
#define L4X_MSG_NOSIGNAL 0x4000

_Static_assert(sizeof(struct l4x_msghdr) == 56, "struct msghdr mismatch");
_Static_assert(__builtin_offsetof(struct l4x_msghdr, msg_control) == 32,
               "struct msghdr mismatch");
_Static_assert(sizeof(struct l4x_cmsghdr) == 16, "struct cmsghdr mismatch");
_Static_assert(sizeof(struct l4x_cmsg_one_fd) == 24, "CMSG_SPACE(int) is 24");

/* ---- The system call ----------------------------------------------------- */

/*
 * Second half of a call: collect recapd's answer.  `sent` says whether the
 * request went out.  If either direction fails the kernel is gone (or the
 * channel was never set up); report that as a cancelled IPC, the way
 * Fiasco reports an IPC whose partner vanished.
 */
L4_INLINE l4_msgtag_t
l4x_syscall_finish(l4_utcb_t *u, int fd, int sent, l4_umword_t *label_out)
{
  struct l4x_sys_ret ret;
  l4_msgtag_t tag;
  long r = -1;

  if (sent)
    do
      r = l4x_linux_syscall3(L4X_NR_read, fd + 1, (long)&ret, sizeof(ret));
    while (r == -L4X_EINTR
           || (r == (long)sizeof(ret) && (ret.tag & L4_MSGTAG_ERROR)
               && (ret.tag >> 16) != 0));  /* refusal of someone else's write */

  if (r != (long)sizeof(ret))
    {
      l4_utcb_tcr_u(u)->error = sent ? L4_IPC_RECANCELED : L4_IPC_SECANCELED;
      return l4_msgtag(0, 0, 0, L4_MSGTAG_ERROR);
    }

  if (label_out)
    *label_out = ret.label;
  tag.raw = (l4_mword_t)ret.tag;
  return tag;
}

/*
 * Perform one L4 system call for the thread owning UTCB `u` (NULL means the
 * calling thread, as some l4sys code passes NULL when no registers are
 * used).  dest = selector | L4_SYSF_*; the received label is stored in
 * *label_out if label_out is not NULL and the call reached the kernel.
 *
 * If SIGPIPE is not ignored, a write after recapd died raises it (write(2)
 * has no MSG_NOSIGNAL); write is used because components' seccomp filter
 * admits only read/write on the channel.
 */
L4_INLINE l4_msgtag_t
l4x_syscall(l4_utcb_t *u, l4_umword_t dest, l4_umword_t label,
            l4_msgtag_t tag, l4_timeout_t to, l4_umword_t *label_out)
{
  struct l4x_sys_req req;
  long r;
  int fd;

  if (!u)
    u = l4_utcb();
  fd = l4x_chan_fd(u);

  req.dest    = dest;
  req.label   = label;
  req.tag     = (l4_umword_t)tag.raw;
  req.timeout = to.raw;

  /* A pipe write of 32 bytes is atomic: EINTR means not sent. */
  do
    r = l4x_linux_syscall3(L4X_NR_write, fd, (long)&req, sizeof(req));
  while (r == -L4X_EINTR);

  return l4x_syscall_finish(u, fd, r == (long)sizeof(req), label_out);
}

/*
 * Same, but first hand the open Linux descriptor `pass_fd` to recapd
 * (SCM_RIGHTS on the thread's side socket), e.g. a memory file to back a
 * dataspace; the call that uses it follows at once. Only host tasks have a
 * side socket (components' seccomp filter forbids sendmsg anyway). With
 * pass_fd < 0 this is plain l4x_syscall(). MSG_NOSIGNAL: a dead recapd
 * yields an error result instead of SIGPIPE.
 */
L4_INLINE l4_msgtag_t
l4x_syscall_fd(l4_utcb_t *u, l4_umword_t dest, l4_umword_t label,
               l4_msgtag_t tag, l4_timeout_t to, l4_umword_t *label_out,
               int pass_fd)
{
  struct l4x_iovec iov;
  struct l4x_cmsg_one_fd ctl;
  struct l4x_msghdr msg;
  char byte = 0;
  long r;

  if (pass_fd < 0)
    return l4x_syscall(u, dest, label, tag, to, label_out);
  if (!u)
    u = l4_utcb();

  iov.iov_base = &byte;
  iov.iov_len  = 1;

  ctl.hdr.cmsg_len   = sizeof(ctl.hdr) + sizeof(ctl.fd);  /* CMSG_LEN(4) */
  ctl.hdr.cmsg_level = L4X_SOL_SOCKET;
  ctl.hdr.cmsg_type  = L4X_SCM_RIGHTS;
  ctl.fd             = pass_fd;
  ctl.pad            = 0;

  msg.msg_name       = 0;
  msg.msg_namelen    = 0;
  msg.msg_iov        = &iov;
  msg.msg_iovlen     = 1;
  msg.msg_control    = &ctl;
  msg.msg_controllen = sizeof(ctl);                       /* CMSG_SPACE(4) */
  msg.msg_flags      = 0;

  do
    r = l4x_linux_syscall3(L4X_NR_sendmsg, L4X_SIDE_FD_BASE + l4x_utcb_index(u),
                           (long)&msg, L4X_MSG_NOSIGNAL);
  while (r == -L4X_EINTR);
  if (r != 1)
    {
      l4_utcb_tcr_u(u)->error = L4_IPC_SECANCELED;
      return l4_msgtag(0, 0, 0, L4_MSGTAG_ERROR);
    }
  return l4x_syscall(u, dest, label, tag, to, label_out);
}


/*
 * l4/sys/ipc.h -- the IPC system call and its common forms (call, send,
 * wait, reply, ...), as in L4Re's l4sys.
 *
 * Every operation is one l4_ipc() with a different combination of
 * L4_SYSF_* flags; under recap l4_ipc() forwards to l4x_syscall()
 * (syscall_impl.h).  The untyped words and map items of a message are in
 * the UTCB's message registers, the receive buffers in its buffer
 * registers.  The IPC error codes (L4_IPC_RETIMEOUT, ...) and l4_error()
 * live in utcb.h, next to tcr->error which carries them.
 */
#pragma once

#include <l4/sys/compiler.h>
#include <l4/sys/types.h>
#include <l4/sys/utcb.h>
#include <l4/sys/err.h>
#include <l4/sys/syscall_impl.h>

/*
 * The generic system call.  dest: selector of the partner (or
 * L4_INVALID_CAP for open wait); flags: L4_SYSF_*; slabel: label word
 * passed in rsi (seen by the receiver when sending straight to a thread);
 * rlabel: where to store the label of the received message, may be NULL.
 */
L4_INLINE l4_msgtag_t
l4_ipc(l4_cap_idx_t dest, l4_utcb_t *utcb, l4_umword_t flags,
       l4_umword_t slabel, l4_msgtag_t tag, l4_umword_t *rlabel,
       l4_timeout_t timeout)
{
  return l4x_syscall(utcb, dest | flags, slabel, tag, timeout, rlabel);
}

/* Send to `object` and wait for its reply (atomically: the reply cannot
 * be missed).  The usual way to invoke a kernel object or server. */
L4_INLINE l4_msgtag_t
l4_ipc_call(l4_cap_idx_t object, l4_utcb_t *utcb, l4_msgtag_t tag,
            l4_timeout_t timeout)
{ return l4_ipc(object, utcb, L4_SYSF_CALL, 0, tag, NULL, timeout); }

/* Send only. */
L4_INLINE l4_msgtag_t
l4_ipc_send(l4_cap_idx_t dest, l4_utcb_t *utcb, l4_msgtag_t tag,
            l4_timeout_t timeout)
{ return l4_ipc(dest, utcb, L4_SYSF_SEND, 0, tag, NULL, timeout); }

/* Receive from anybody (open wait); *label identifies the sender/gate. */
L4_INLINE l4_msgtag_t
l4_ipc_wait(l4_utcb_t *utcb, l4_umword_t *label, l4_timeout_t timeout)
{
  return l4_ipc(L4_INVALID_CAP, utcb, L4_SYSF_WAIT, 0, l4_msgtag(0, 0, 0, 0),
                label, timeout);
}

/* Receive only from `object` (closed wait). */
L4_INLINE l4_msgtag_t
l4_ipc_receive(l4_cap_idx_t object, l4_utcb_t *utcb, l4_timeout_t timeout)
{
  return l4_ipc(object, utcb, L4_SYSF_RECV, 0, l4_msgtag(0, 0, 0, 0),
                NULL, timeout);
}

/*
 * Reply to the last caller, then wait openly for the next request: the
 * server loop's one system call.  The reply goes to the implicit reply
 * partner, hence no destination.
 */
L4_INLINE l4_msgtag_t
l4_ipc_reply_and_wait(l4_utcb_t *utcb, l4_msgtag_t tag, l4_umword_t *label,
                      l4_timeout_t timeout)
{
  return l4_ipc(L4_INVALID_CAP, utcb, L4_SYSF_REPLY_AND_WAIT, 0, tag, label,
                timeout);
}

/* Send to `dest`, then wait openly (e.g. acknowledge an IRQ and wait). */
L4_INLINE l4_msgtag_t
l4_ipc_send_and_wait(l4_cap_idx_t dest, l4_utcb_t *utcb, l4_msgtag_t tag,
                     l4_umword_t *label, l4_timeout_t timeout)
{
  return l4_ipc(dest, utcb, L4_SYSF_SEND_AND_WAIT, 0, tag, label, timeout);
}

/*
 * Reply without waiting.  Pass reply_cap 0 for the implicit reply partner:
 * the destination word becomes 0 | REPLY | SEND, exactly what the older
 * idiom l4_ipc_send(L4_SYSF_REPLY, u, tag, to) produces.  Usually used with
 * L4_IPC_SEND_TIMEOUT_0 so that a caller that gave up cannot block us.
 */
L4_INLINE l4_msgtag_t
l4_ipc_reply(l4_cap_idx_t reply_cap, l4_utcb_t *utcb, l4_msgtag_t tag,
             l4_timeout_t timeout)
{
  return l4_ipc(reply_cap, utcb, L4_SYSF_REPLY | L4_SYSF_SEND, 0, tag, NULL,
                timeout);
}

/*
 * Block for the receive timeout: a closed receive from the invalid cap,
 * which nothing can ever send from, so it ends with IPC error
 * L4_IPC_RETIMEOUT (or never, for L4_IPC_NEVER).
 * (l4sys passes a NULL UTCB here; recap needs the caller's UTCB to find its
 * channel, so it is looked up.)
 */
L4_INLINE l4_msgtag_t l4_ipc_sleep(l4_timeout_t timeout)
{ return l4_ipc_receive(L4_INVALID_CAP, l4_utcb(), timeout); }

L4_INLINE l4_msgtag_t l4_ipc_sleep_us(l4_uint64_t us)
{
  return l4_ipc_sleep(l4_timeout(L4_IPC_TIMEOUT_NEVER,
                                 l4_timeout_from_us(us)));
}

L4_INLINE l4_msgtag_t l4_ipc_sleep_ms(l4_uint32_t ms)
{ return l4_ipc_sleep_us(ms * 1000ULL); }

/*
 * Append a send item (map `snd_fpage` at `snd_base` in the receiver's
 * window) after the words and items already counted in *tag.  The item is
 * marked L4_ITEM_CONT as in l4sys.  Returns 0 or -L4_ENOMEM if the message
 * registers are full.
 */
L4_INLINE int
l4_sndfpage_add_u(l4_fpage_t const snd_fpage, unsigned long snd_base,
                  l4_msgtag_t *tag, l4_utcb_t *utcb)
{
  l4_msg_regs_t *v = l4_utcb_mr_u(utcb);
  unsigned i = l4_msgtag_words(*tag) + 2 * l4_msgtag_items(*tag);

  if (i >= L4_UTCB_GENERIC_DATA_SIZE - 1)
    return -L4_ENOMEM;

  v->mr[i]     = snd_base | L4_ITEM_MAP | L4_ITEM_CONT;
  v->mr[i + 1] = snd_fpage.raw;
  *tag = l4_msgtag(l4_msgtag_label(*tag), l4_msgtag_words(*tag),
                   l4_msgtag_items(*tag) + 1, l4_msgtag_flags(*tag));
  return 0;
}

L4_INLINE int
l4_sndfpage_add(l4_fpage_t const snd_fpage, unsigned long snd_base,
                l4_msgtag_t *tag)
{ return l4_sndfpage_add_u(snd_fpage, snd_base, tag, l4_utcb()); }

/*
 * l4/sys/err.h -- error codes returned by Fiasco.OC kernel objects.
 *
 * Kernel operations report failure as a negative value of these codes in
 * the label of the reply tag (l4_error() turns a tag into this form).  The
 * small codes deliberately equal the Linux/POSIX errno numbers.  IPC
 * failures (timeouts, cancellation, ...) are mapped into the range
 * L4_EIPC_LO..L4_EIPC_HI; see l4_ipc_to_errno() in utcb.h.
 */
#pragma once

enum l4_error_code_t
{
  L4_EOK           = 0,
  L4_EPERM         = 1,     /* missing right on a capability */
  L4_ENOENT        = 2,     /* no such object / empty slot */
  L4_EIO           = 5,
  L4_ENXIO         = 6,
  L4_E2BIG         = 7,
  L4_EAGAIN        = 11,
  L4_ENOMEM        = 12,    /* kernel memory (quota) exhausted */
  L4_EACCESS       = 13,
  L4_EFAULT        = 14,
  L4_EBUSY         = 16,
  L4_EEXIST        = 17,
  L4_ENODEV        = 19,
  L4_ENOTDIR       = 20,
  L4_EINVAL        = 22,
  L4_ENOSPC        = 28,
  L4_ERANGE        = 34,
  L4_ENAMETOOLONG  = 36,
  L4_ENOSYS        = 38,    /* unknown opcode for this object */
  L4_EBADPROTO     = 39,    /* tag label does not match the object type */
  L4_EADDRNOTAVAIL = 99,
  L4_ERRNOMAX      = 100,   /* end of the errno-compatible range */

  /* Codes produced by user-level IPC frameworks, not by the kernel. */
  L4_ENOREPLY      = 1000,
  L4_EMSGTOOSHORT  = 1001,
  L4_EMSGTOOLONG   = 1002,
  L4_EMSGMISSARG   = 1003,
  L4_EMSGERRRANGE  = 1004,
  L4_EDROPREPLY    = 1005,

  /* IPC errors: L4_EIPC_LO + (tcr error & L4_IPC_ERROR_MASK). */
  L4_EIPC_LO       = 2000,
  L4_EIPC_HI       = 2000 + 0x1f,
};

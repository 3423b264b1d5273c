/*
 * l4/sys/compiler.h -- compiler helpers shared by the recap l4sys headers.
 *
 * Only the few macros the other headers (and code ported from L4Re) rely on.
 * Nothing here may pull in a host header: the l4sys headers must build with
 * -ffreestanding -nostdlib as well as in a hosted program.
 */
#pragma once

#if !defined(__x86_64__) || !defined(__LP64__)
#error "recap: the l4sys headers implement the amd64 ABI only"
#endif

/* Every l4sys function is a header-only inline; no library to link. */
#ifndef L4_INLINE
#define L4_INLINE static inline
#endif

/* Branch hints, as used by L4Re code. */
#define L4_LIKELY(x)   __builtin_expect(!!(x), 1)
#define L4_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* Accepted for source compatibility; C has no exception specifications. */
#define L4_NOTHROW

/* Turn a macro's value into a string literal (used to build asm operands). */
#define L4X_STR_(x) #x
#define L4X_STR(x)  L4X_STR_(x)

/*
 * compat — what the record code (tlv.c, tlv_write.c, the cr/crfmt_*.c
 * section records) needs from a C library, for both of its builds:
 *
 *  - host (libimage.a, libcrfmt-host: __STDC_HOSTED__ 1): glibc;
 *  - component ($(B)/libcrfmt.a, -ffreestanding: __STDC_HOSTED__ 0):
 *    lib/base (recap/string.h, recap/format.h).
 *
 * Only memcpy, memset, memcmp, strlen and a vsnprintf of lib/base's
 * subset (%u %llu %zu %x %s, no floating point) may be used by code that
 * includes this; the two helpers lib/base lacks are defined here.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>

#if __STDC_HOSTED__
#include <stdio.h>
#include <string.h>
#define crfmt_vsnprintf vsnprintf
#else
#include <recap/format.h>
#include <recap/string.h>
#define crfmt_vsnprintf recap_vsnprintf
#endif

/*
 * Define a fail function NAME(err, code, fmt, ...): it records code and the
 * formatted one-line message in *err (if err is not NULL) and returns
 * code. The record modules (tlv, crfmt, caps) each have one; their error
 * structs differ only in the type of code. LINKAGE: static, or empty.
 */
#define CRFMT_FAIL_FN(LINKAGE, NAME, ERR_TYPE, CODE_TYPE)			\
	LINKAGE CODE_TYPE NAME(ERR_TYPE *err, CODE_TYPE code,			\
			       char const *fmt, ...)				\
		__attribute__((format(printf, 3, 4)));				\
	LINKAGE CODE_TYPE NAME(ERR_TYPE *err, CODE_TYPE code,			\
			       char const *fmt, ...)				\
	{									\
		va_list ap;							\
										\
		if (!err)							\
			return code;						\
		err->code = code;						\
		va_start(ap, fmt);						\
		crfmt_vsnprintf(err->msg, sizeof(err->msg), fmt, ap);		\
		va_end(ap);							\
		return code;							\
	}

/* Does N bytes at P contain a byte C? */
static inline int crfmt_has_byte(void const *p, int c, size_t n)
{
	unsigned char const *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] == (unsigned char)c)
			return 1;
	return 0;
}

/* Length of S, looking at no more than MAX bytes. */
static inline size_t crfmt_strnlen(char const *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

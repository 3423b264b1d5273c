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

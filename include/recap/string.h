/*
 * recap/string.h — the memory and string functions of the component runtime.
 *
 * Components have no host C library, yet the compiler emits calls to memset,
 * memcpy, memmove and memcmp for struct copies and initialisers even with
 * -ffreestanding. So lib/base defines them under libc's own names.
 *
 * Hosted builds (unit tests, core if it links lib/base) already have libc's
 * definitions; defining them twice would clash. The switch is the compiler's
 * own __STDC_HOSTED__ (0 under -ffreestanding): hosted, the same code is
 * compiled under recap_-prefixed names (recap_memset, ...) and this header
 * also includes the host's <string.h>, so lib/base code that calls memset()
 * gets libc's. RECAP_STRING_NAME(memset) names "our" memset in either build.
 *
 * strlcpy is not in every host libc (glibc has it since 2.38): hosted code
 * must call recap_strlcpy by that name.
 */
#pragma once

#include <stddef.h>

#if __STDC_HOSTED__
#include <string.h>
#define RECAP_STRING_NAME(name) recap_##name
#else
#define RECAP_STRING_NAME(name) name
#endif

/* Fill n bytes at d with (unsigned char)c; returns d. */
void *RECAP_STRING_NAME(memset)(void *d, int c, size_t n);

/* Copy n bytes from s to d, which must not overlap; returns d. */
void *RECAP_STRING_NAME(memcpy)(void *restrict d, void const *restrict s,
				size_t n);

/* Copy n bytes from s to d, which may overlap; returns d. */
void *RECAP_STRING_NAME(memmove)(void *d, void const *s, size_t n);

/* Compare n bytes as unsigned char: <0, 0, >0. */
int RECAP_STRING_NAME(memcmp)(void const *a, void const *b, size_t n);

/* Length of the NUL-terminated string s. */
size_t RECAP_STRING_NAME(strlen)(char const *s);

/* Compare NUL-terminated strings as unsigned char: <0, 0, >0. */
int RECAP_STRING_NAME(strcmp)(char const *a, char const *b);

/* Like strcmp, but looks at no more than n characters. */
int RECAP_STRING_NAME(strncmp)(char const *a, char const *b, size_t n);

/*
 * Copy the string s into d of size bytes, truncating if needed; d is always
 * NUL-terminated when size > 0. Returns strlen(s): a result >= size means
 * the copy was truncated.
 */
size_t RECAP_STRING_NAME(strlcpy)(char *restrict d, char const *restrict s,
				  size_t size);

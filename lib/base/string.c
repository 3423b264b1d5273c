/*
 * string.c — memset, memcpy, memmove, memcmp and the string functions of
 * lib/base (see recap/string.h for why they carry libc's names).
 *
 * The memory functions move a machine word at a time once source and
 * destination are word-aligned (memset: once the destination is); the head
 * and tail are done bytewise. Words are accessed through a may_alias type,
 * so the copies are valid whatever the objects' declared types are.
 *
 * These bodies must not be compiled into calls to themselves: GCC's loop
 * distribution would turn the byte loops into memset/memcpy calls, which in
 * a freestanding build are these very functions. mk/base.mk compiles this
 * file with -fno-tree-loop-distribute-patterns and base-check verifies that
 * libbase.a leaves no symbol undefined.
 */
#include <stdint.h>

#include <recap/string.h>

typedef unsigned long __attribute__((may_alias)) string_word;

#define WORD_SIZE sizeof(string_word)
#define WORD_MASK (WORD_SIZE - 1)

static int word_aligned(void const *p)
{
	return ((uintptr_t)p & WORD_MASK) == 0;
}

void *RECAP_STRING_NAME(memset)(void *d, int c, size_t n)
{
	unsigned char *p = d;
	unsigned char b = (unsigned char)c;

	for (; n > 0 && !word_aligned(p); n--)
		*p++ = b;
	if (n >= WORD_SIZE) {
		/* b in every byte: b times 0x0101...01 */
		string_word w = (string_word)b * (~0UL / 0xff);
		string_word *q = (string_word *)p;

		for (; n >= WORD_SIZE; n -= WORD_SIZE)
			*q++ = w;
		p = (unsigned char *)q;
	}
	for (; n > 0; n--)
		*p++ = b;
	return d;
}

/*
 * Copy upwards. Safe for overlapping buffers when d < s: every word is read
 * before the write that could overlap it, and later reads lie above it.
 */
static void copy_up(unsigned char *d, unsigned char const *s, size_t n)
{
	/* Equal misalignment: a bytewise head aligns both at once. */
	if (((uintptr_t)d & WORD_MASK) == ((uintptr_t)s & WORD_MASK)) {
		for (; n > 0 && !word_aligned(d); n--)
			*d++ = *s++;
		for (; n >= WORD_SIZE; n -= WORD_SIZE) {
			*(string_word *)d = *(string_word const *)s;
			d += WORD_SIZE;
			s += WORD_SIZE;
		}
	}
	for (; n > 0; n--)
		*d++ = *s++;
}

/* Copy downwards, from the end: safe for overlapping buffers when d > s. */
static void copy_down(unsigned char *d, unsigned char const *s, size_t n)
{
	d += n;
	s += n;
	if (((uintptr_t)d & WORD_MASK) == ((uintptr_t)s & WORD_MASK)) {
		for (; n > 0 && !word_aligned(d); n--)
			*--d = *--s;
		for (; n >= WORD_SIZE; n -= WORD_SIZE) {
			d -= WORD_SIZE;
			s -= WORD_SIZE;
			*(string_word *)d = *(string_word const *)s;
		}
	}
	for (; n > 0; n--)
		*--d = *--s;
}

/*
 * Large copies (a checkpoint copies a component's whole memory) go through
 * the processor's string copy: on x86-64 with ERMS, `rep movsb` moves cache
 * lines at a time, about twice the word loop's speed on 256 MiB.
 */
#define STRING_COPY_LARGE 512

void *RECAP_STRING_NAME(memcpy)(void *restrict d, void const *restrict s,
				size_t n)
{
#if defined(__x86_64__)
	if (n >= STRING_COPY_LARGE) {
		void *dst = d;

		__asm__ volatile("rep movsb"
				 : "+D"(dst), "+S"(s), "+c"(n)
				 :
				 : "memory");
		return d;
	}
#endif
	copy_up(d, s, n);
	return d;
}

void *RECAP_STRING_NAME(memmove)(void *d, void const *s, size_t n)
{
	/* Compare as integers: the buffers may be unrelated objects. */
	if ((uintptr_t)d < (uintptr_t)s)
		copy_up(d, s, n);
	else if ((uintptr_t)d > (uintptr_t)s)
		copy_down(d, s, n);
	return d;
}

int RECAP_STRING_NAME(memcmp)(void const *a, void const *b, size_t n)
{
	unsigned char const *p = a;
	unsigned char const *q = b;

	for (; n > 0; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

size_t RECAP_STRING_NAME(strlen)(char const *s)
{
	size_t n = 0;

	while (s[n] != '\0')
		n++;
	return n;
}

int RECAP_STRING_NAME(strncmp)(char const *a, char const *b, size_t n)
{
	unsigned char const *p = (unsigned char const *)a;
	unsigned char const *q = (unsigned char const *)b;

	for (; n > 0; n--, p++, q++)
		if (*p != *q || *p == '\0')
			return *p - *q;
	return 0;
}

int RECAP_STRING_NAME(strcmp)(char const *a, char const *b)
{
	return RECAP_STRING_NAME(strncmp)(a, b, SIZE_MAX);
}

size_t RECAP_STRING_NAME(strlcpy)(char *restrict d, char const *restrict s,
				  size_t size)
{
	size_t len = RECAP_STRING_NAME(strlen)(s);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;

		copy_up((unsigned char *)d, (unsigned char const *)s, n);
		d[n] = '\0';
	}
	return len;
}

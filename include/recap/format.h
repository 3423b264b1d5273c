/*
 * recap/format.h — formatted output into a buffer (lib/base's snprintf).
 *
 * Conversions: %d %i %u %x %X %c %s %p %%, with the length modifiers l, ll
 * and z on the integer conversions (%ld %lu %lx %llu %zu ...).
 * Flags: '-' (left-align) and '0' (pad with zeros; ignored with '-', and for
 * integers when a precision is given). Width and precision are decimal
 * numbers or '*' (an int argument; a negative width means '-').
 * Precision: for %s the maximum number of characters, for integers the
 * minimum number of digits (so "%.0d" of 0 prints nothing), as in C.
 *
 * Where this differs from C's printf, on purpose:
 *  - %p prints "0x" and the address in lowercase hex, also for NULL ("0x0").
 *  - %s of NULL prints "(null)".
 *  - An unknown conversion (e.g. %q, %f) is copied to the output as written,
 *    from its '%', so that a bad format shows in the log instead of silently
 *    consuming an argument. It consumes no argument (except for a '*' width
 *    or precision written before it).
 *  - No '+', ' ', '#' flags, no floating point, no %n.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>

/*
 * Format into buf of size bytes. The output is always NUL-terminated if
 * size > 0 (buf may be NULL if size == 0). Returns the length the complete
 * output has, not counting the NUL: a result >= size means it was truncated.
 */
int recap_vsnprintf(char *buf, size_t size, char const *fmt, va_list ap);

int recap_snprintf(char *buf, size_t size, char const *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * format.c — recap_vsnprintf: the conversions and rules of recap/format.h.
 *
 * The formatter writes through struct fmt_out, which counts every character
 * of the complete output but stores only those that fit before the final
 * NUL. Invariants of struct fmt_out:
 *  - len is the length of the complete output so far;
 *  - buf[0 .. min(len, size - 1)) holds its first characters;
 *  - nothing is ever stored at or beyond buf[size - 1] except the final NUL.
 *
 * Each conversion is parsed into a struct fmt_spec, then one function per
 * kind of argument (integer, string, character) lays it out: prefix (sign or
 * "0x"), zeros, digits, with spaces on the left or right to fill the width.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include <recap/format.h>

struct fmt_out {
	char *buf;
	size_t size;	/* bytes at buf, including room for the NUL */
	size_t len;	/* length of the complete output so far */
};

enum fmt_length { LEN_INT, LEN_LONG, LEN_LLONG, LEN_SIZE };

struct fmt_spec {
	bool left;		/* '-': pad on the right */
	bool zero;		/* '0': pad integers with zeros */
	int width;		/* minimum field width, 0: none */
	int prec;		/* precision, -1: none */
	enum fmt_length length;
};

/* Width and precision saturate here instead of overflowing an int. */
#define FMT_NUM_MAX 1000000

static void out_char(struct fmt_out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_repeat(struct fmt_out *o, char c, int n)
{
	for (; n > 0; n--)
		out_char(o, c);
}

static void out_chars(struct fmt_out *o, char const *s, size_t n)
{
	for (; n > 0; n--)
		out_char(o, *s++);
}

/* Characters of s, but no more than max. */
static size_t bounded_strlen(char const *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0')
		n++;
	return n;
}

static int parse_num(char const **f)
{
	int v = 0;

	for (; **f >= '0' && **f <= '9'; (*f)++)
		if (v < FMT_NUM_MAX)
			v = v * 10 + (**f - '0');
	return v < FMT_NUM_MAX ? v : FMT_NUM_MAX;
}

/* Parse flags, width, precision and length after the '%' at *f. */
static void parse_spec(char const **f, va_list *ap, struct fmt_spec *sp)
{
	*sp = (struct fmt_spec){ .prec = -1, .length = LEN_INT };

	for (;; (*f)++) {
		if (**f == '-')
			sp->left = true;
		else if (**f == '0')
			sp->zero = true;
		else
			break;
	}
	if (**f == '*') {
		(*f)++;
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = sp->width < -FMT_NUM_MAX ? FMT_NUM_MAX
							     : -sp->width;
		} else if (sp->width > FMT_NUM_MAX) {
			sp->width = FMT_NUM_MAX;
		}
	} else {
		sp->width = parse_num(f);
	}
	if (**f == '.') {
		(*f)++;
		if (**f == '*') {
			(*f)++;
			sp->prec = va_arg(*ap, int);
			if (sp->prec < -1)
				sp->prec = -1;	/* negative: as if omitted */
			else if (sp->prec > FMT_NUM_MAX)
				sp->prec = FMT_NUM_MAX;
		} else {
			sp->prec = parse_num(f);
		}
	}
	if (**f == 'l') {
		(*f)++;
		sp->length = LEN_LONG;
		if (**f == 'l') {
			(*f)++;
			sp->length = LEN_LLONG;
		}
	} else if (**f == 'z') {
		(*f)++;
		sp->length = LEN_SIZE;
	}
}

/* Lay out [prefix][zeros]digits in the field described by sp. */
static void put_number(struct fmt_out *o, struct fmt_spec const *sp,
		       char const *prefix, char const *digits, int ndigits)
{
	int nprefix = (int)bounded_strlen(prefix, 2);
	int nzeros = sp->prec > ndigits ? sp->prec - ndigits : 0;
	int pad = sp->width - nprefix - nzeros - ndigits;

	/* '0' fills the width with zeros only without '-' and precision. */
	if (sp->zero && !sp->left && sp->prec < 0 && pad > 0) {
		nzeros += pad;
		pad = 0;
	}
	if (!sp->left)
		out_repeat(o, ' ', pad);
	out_chars(o, prefix, (size_t)nprefix);
	out_repeat(o, '0', nzeros);
	out_chars(o, digits, (size_t)ndigits);
	if (sp->left)
		out_repeat(o, ' ', pad);
}

/* Digits of v in base (10 or 16) into the end of tmp; returns their count. */
static int to_digits(unsigned long long v, unsigned base, bool upper,
		     char tmp[static 24])
{
	char const *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;

	do {
		tmp[23 - n++] = set[v % base];
		v /= base;
	} while (v != 0);
	return n;
}

static void put_integer(struct fmt_out *o, struct fmt_spec const *sp,
			unsigned long long mag, bool negative, unsigned base,
			bool upper, char const *prefix)
{
	char tmp[24];
	int n = to_digits(mag, base, upper, tmp);

	if (mag == 0 && sp->prec == 0)
		n = 0;	/* C: zero with precision 0 has no digits */
	put_number(o, sp, negative ? "-" : prefix, tmp + 24 - n, n);
}

static void put_signed(struct fmt_out *o, struct fmt_spec const *sp,
		       va_list *ap)
{
	long long v;
	unsigned long long mag;

	switch (sp->length) {
	case LEN_LONG:	v = va_arg(*ap, long); break;
	case LEN_LLONG:	v = va_arg(*ap, long long); break;
	case LEN_SIZE:	v = (long long)va_arg(*ap, size_t); break;
	default:	v = va_arg(*ap, int); break;
	}
	/* Negate in unsigned arithmetic: -LLONG_MIN does not fit. */
	mag = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	put_integer(o, sp, mag, v < 0, 10, false, "");
}

static void put_unsigned(struct fmt_out *o, struct fmt_spec const *sp,
			 va_list *ap, unsigned base, bool upper)
{
	unsigned long long v;

	switch (sp->length) {
	case LEN_LONG:	v = va_arg(*ap, unsigned long); break;
	case LEN_LLONG:	v = va_arg(*ap, unsigned long long); break;
	case LEN_SIZE:	v = va_arg(*ap, size_t); break;
	default:	v = va_arg(*ap, unsigned int); break;
	}
	put_integer(o, sp, v, false, base, upper, "");
}

static void put_pointer(struct fmt_out *o, struct fmt_spec const *sp,
			va_list *ap)
{
	uintptr_t v = (uintptr_t)va_arg(*ap, void *);

	put_integer(o, sp, v, false, 16, false, "0x");
}

/* Strings and characters: spaces only, whatever '0' says. */
static void put_text(struct fmt_out *o, struct fmt_spec const *sp,
		     char const *s, size_t n)
{
	int pad = sp->width > (int)n ? sp->width - (int)n : 0;

	if (!sp->left)
		out_repeat(o, ' ', pad);
	out_chars(o, s, n);
	if (sp->left)
		out_repeat(o, ' ', pad);
}

static void put_string(struct fmt_out *o, struct fmt_spec const *sp,
		       va_list *ap)
{
	char const *s = va_arg(*ap, char const *);
	size_t max = sp->prec < 0 ? SIZE_MAX : (size_t)sp->prec;

	if (s == NULL)
		s = "(null)";
	put_text(o, sp, s, bounded_strlen(s, max));
}

static void put_char(struct fmt_out *o, struct fmt_spec const *sp,
		     va_list *ap)
{
	char c = (char)va_arg(*ap, int);

	put_text(o, sp, &c, 1);
}

/*
 * Format one conversion; *f points after its '%' and is advanced past it.
 * Returns false for an unknown conversion, of which nothing was consumed.
 */
static bool convert(struct fmt_out *o, char const **f, va_list *ap)
{
	struct fmt_spec sp;

	parse_spec(f, ap, &sp);
	switch (**f) {
	case 'd':
	case 'i': put_signed(o, &sp, ap); break;
	case 'u': put_unsigned(o, &sp, ap, 10, false); break;
	case 'x': put_unsigned(o, &sp, ap, 16, false); break;
	case 'X': put_unsigned(o, &sp, ap, 16, true); break;
	case 'p': put_pointer(o, &sp, ap); break;
	case 's': put_string(o, &sp, ap); break;
	case 'c': put_char(o, &sp, ap); break;
	case '%': out_char(o, '%'); break;
	default: return false;
	}
	(*f)++;
	return true;
}

int recap_vsnprintf(char *buf, size_t size, char const *fmt, va_list ap)
{
	struct fmt_out o = { .buf = buf, .size = size, .len = 0 };
	va_list args;

	/* A copy, so that helpers can take its address portably. */
	va_copy(args, ap);
	while (*fmt != '\0') {
		char const *start = fmt;

		if (*fmt++ != '%') {
			out_char(&o, *start);
			continue;
		}
		if (!convert(&o, &fmt, &args)) {
			/* Copy the unknown conversion, its character too. */
			if (*fmt != '\0')
				fmt++;
			out_chars(&o, start, (size_t)(fmt - start));
		}
	}
	va_end(args);
	if (size > 0)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len < INT_MAX ? (int)o.len : INT_MAX;
}

int recap_snprintf(char *buf, size_t size, char const *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = recap_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

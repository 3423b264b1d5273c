/*
 * rt — implementation of the system-test runtime (see rt.h).
 */
#include <stdarg.h>

#include "rt.h"

void *memset(void *d, int c, unsigned long n)
{
	unsigned char *p = d;
	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

void *memcpy(void *d, void const *s, unsigned long n)
{
	unsigned char *p = d;
	unsigned char const *q = s;
	while (n--)
		*p++ = *q++;
	return d;
}

unsigned long strlen(char const *s)
{
	unsigned long n = 0;
	while (s[n])
		n++;
	return n;
}

struct rt_buf {
	char b[L4_VCON_WRITE_SIZE];
	unsigned n;
};

static void rt_putc(struct rt_buf *o, char c)
{
	if (o->n < sizeof(o->b))
		o->b[o->n++] = c;
}

static void rt_putu(struct rt_buf *o, unsigned long v, unsigned base, int width)
{
	char tmp[24];
	int i = 0;
	do {
		tmp[i++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (i < width)
		tmp[i++] = '0';
	while (i)
		rt_putc(o, tmp[--i]);
}

void rt_printf(char const *fmt, ...)
{
	struct rt_buf o = { .n = 0 };
	va_list ap;
	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			rt_putc(&o, *fmt);
			continue;
		}
		int lng = 0, width = 0;
		fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l') {
			lng = 1;
			fmt++;
		}
		switch (*fmt) {
		case 'd': {
			long v = lng ? va_arg(ap, long) : va_arg(ap, int);
			if (v < 0) {
				rt_putc(&o, '-');
				v = -v;
			}
			rt_putu(&o, (unsigned long)v, 10, width);
			break;
		}
		case 'u':
			rt_putu(&o, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 10, width);
			break;
		case 'x':
			rt_putu(&o, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 16, width);
			break;
		case 'p':
			rt_putc(&o, '0');
			rt_putc(&o, 'x');
			rt_putu(&o, (unsigned long)va_arg(ap, void *), 16, 0);
			break;
		case 's': {
			char const *s = va_arg(ap, char const *);
			while (*s)
				rt_putc(&o, *s++);
			break;
		}
		case 'c':
			rt_putc(&o, (char)va_arg(ap, int));
			break;
		default:
			rt_putc(&o, *fmt);
		}
	}
	va_end(ap);
	l4_vcon_write(RT_LOG_CAP, o.b, o.n);
}

unsigned long rt_ready(unsigned long value)
{
	l4_utcb_mr()->mr[0] = value;
	l4_msgtag_t t = l4_ipc_call(RT_PARENT_CAP, l4_utcb(),
				    l4_msgtag(RT_PROTO_READY, 1, 0, 0), L4_IPC_NEVER);
	return l4_msgtag_has_error(t) ? ~0UL : l4_utcb_mr()->mr[0];
}

void rt_exit(int code)
{
	l4_utcb_mr()->mr[0] = (unsigned long)(long)code;
	l4_ipc_call(RT_PARENT_CAP, l4_utcb(), l4_msgtag(RT_PROTO_EXIT, 1, 0, 0),
		    L4_IPC_NEVER);
	for (;;)
		l4_ipc_receive(L4_INVALID_CAP, l4_utcb(), L4_IPC_NEVER);
}

#define RT_STACK_SIZE 16384
#define RT_MAX_THREADS 64

static unsigned char rt_stacks[RT_MAX_THREADS][RT_STACK_SIZE] __attribute__((aligned(16)));

struct rt_start {
	void (*fn)(void *);
	void *arg;
};

static struct rt_start rt_starts[RT_MAX_THREADS];

/* A new thread finds what to run through its UTCB's index in the area. */
static void rt_thread_entry(void) __attribute__((noreturn, used));
static void rt_thread_entry(void)
{
	unsigned long idx = ((unsigned long)l4_utcb() - RT_UTCB_AREA) / L4_UTCB_OFFSET;
	rt_starts[idx].fn(rt_starts[idx].arg);
	for (;;)
		l4_ipc_receive(L4_INVALID_CAP, l4_utcb(), L4_IPC_NEVER);
}

l4_cap_idx_t rt_thread_start(unsigned index, void (*fn)(void *), void *arg)
{
	if (index == 0 || index >= RT_MAX_THREADS)
		return L4_INVALID_CAP;
	l4_cap_idx_t th = RT_THREAD_SLOT(index);
	if (l4_error(l4_factory_create_thread(RT_FACTORY_CAP, th)) < 0)
		return L4_INVALID_CAP;
	l4_thread_control_start();
	l4_thread_control_pager(RT_PARENT_CAP);
	l4_thread_control_exc_handler(RT_PARENT_CAP);
	l4_thread_control_bind((l4_utcb_t *)(RT_UTCB_AREA + index * L4_UTCB_OFFSET),
			       RT_TASK_CAP);
	if (l4_error(l4_thread_control_commit(th)) < 0)
		return L4_INVALID_CAP;
	rt_starts[index].fn = fn;
	rt_starts[index].arg = arg;
	/* As if called: rsp + 8 is 16-byte aligned at the entry. */
	l4_addr_t sp = (l4_addr_t)(rt_stacks[index] + RT_STACK_SIZE - 8);
	if (l4_error(l4_thread_ex_regs(th, (l4_addr_t)rt_thread_entry, sp, 0)) < 0)
		return L4_INVALID_CAP;
	return th;
}

char const *rt_ipc_result(l4_msgtag_t t)
{
	if (!l4_msgtag_has_error(t))
		return "ok";
	switch (l4_ipc_error(t, l4_utcb())) {
	case L4_IPC_RETIMEOUT: return "RETIMEOUT";
	case L4_IPC_SETIMEOUT: return "SETIMEOUT";
	case L4_IPC_RECANCELED: return "RECANCELED";
	case L4_IPC_SECANCELED: return "SECANCELED";
	case L4_IPC_ENOT_EXISTENT: return "ENOT_EXISTENT";
	default: return "other error";
	}
}

long rt_linux_syscall(long nr, long a1, long a2, long a3)
{
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3)
			 : "rcx", "r11", "memory");
	return ret;
}

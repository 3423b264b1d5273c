/*
 * diag.c — core's diagnostics on stderr (diag.h).
 */
#include <stdarg.h>
#include <stdio.h>

#include "diag.h"

static char const *sys_name;

void diag_set_name(char const *name)
{
	sys_name = name;
}

void diag(char const *fmt, ...)
{
	va_list ap;

	if (sys_name)
		fprintf(stderr, "core[%s]: ", sys_name);
	else
		fputs("core: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * kerr — the kernel's error codes.
 *
 * Values are the negated l4sys error numbers (l4/sys/err.h), so a kernel
 * operation's result can be returned to user space as a reply label unchanged.
 */
#pragma once

enum kerr {
	KERR_OK = 0,
	KERR_PERM = -1,		/* missing right on a capability */
	KERR_NOENT = -2,	/* no such object / empty slot */
	KERR_NOMEM = -12,	/* kernel or substrate out of memory */
	KERR_BUSY = -16,	/* object in a state that forbids the operation */
	KERR_EXIST = -17,
	KERR_INVAL = -22,	/* malformed arguments */
	KERR_RANGE = -34,	/* selector or address out of range */
	KERR_NOSYS = -38,	/* unknown operation */
	KERR_BADPROTO = -39,	/* protocol label does not match the object */
};

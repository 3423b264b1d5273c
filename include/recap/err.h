/*
 * recap/err.h — error codes of the component runtime (lib/base).
 *
 * The values are the negated l4sys error numbers (l4/sys/err.h), as the
 * kernel's are (kernel/kerr.h), so that a kernel result can be passed on
 * unchanged and one table of names serves both. RECAP_OK is 0; every error
 * is negative.
 */
#pragma once

enum recap_err {
	RECAP_OK = 0,
	RECAP_ERR_NOENT = -2,	/* no such entry */
	RECAP_ERR_IPC = -5,	/* the kernel could not deliver a call or reply */
	RECAP_ERR_AGAIN = -11,	/* busy for now: try again later */
	RECAP_ERR_NOMEM = -12,	/* out of slots or memory */
	RECAP_ERR_DENIED = -13,	/* refused: e.g. a forged capability */
	RECAP_ERR_EXIST = -17,	/* already present */
	RECAP_ERR_INVAL = -22,	/* malformed argument */
	RECAP_ERR_RANGE = -34,	/* slot or size out of range */
	RECAP_ERR_QUOTA = -122,	/* the capability quota is used up (EDQUOT) */
};

/* A short name for an error code ("denied", ...); "unknown error" if none. */
char const *recap_err_str(int err);

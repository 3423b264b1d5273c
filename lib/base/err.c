/*
 * err.c — names of the runtime's error codes (recap/err.h), for log lines
 * that a person reads: "session LOG: denied" says more than "-13".
 */
#include <recap/err.h>

char const *recap_err_str(int err)
{
	switch (err) {
	case RECAP_OK:		return "ok";
	case RECAP_ERR_NOENT:	return "no such entry";
	case RECAP_ERR_IPC:	return "IPC failed";
	case RECAP_ERR_AGAIN:	return "busy, try again";
	case RECAP_ERR_NOMEM:	return "out of memory";
	case RECAP_ERR_DENIED:	return "denied";
	case RECAP_ERR_EXIST:	return "already exists";
	case RECAP_ERR_INVAL:	return "invalid argument";
	case RECAP_ERR_RANGE:	return "out of range";
	case RECAP_ERR_QUOTA:	return "out of quota";
	}
	return "unknown error";
}

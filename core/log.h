/*
 * log.h — core's LOG service (protocol: recap/log_session.h). Each session
 * has a label; each write is printed on core's stdout as "[label] text".
 */
#pragma once

#include <recap/capability.h>

struct child;

#define LOG_LABEL_MAX 191	/* bytes: "child -> client label" */

/*
 * Open a LOG session for client labelled label; *cap is its capability.
 * RECAP_OK, RECAP_ERR_RANGE (label too long), RECAP_ERR_NOMEM or a kernel
 * error.
 */
int log_session_open(struct child *client, char const *label,
		     struct recap_cap *cap);

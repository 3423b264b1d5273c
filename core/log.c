/*
 * log.c — core's LOG sessions (log.h).
 *
 * A write is text from a component, printed where people and tests read
 * it, so it is printed so that it cannot pass for something else: every
 * line it contains gets the session's label in front (a component cannot
 * start a line that looks like another's), and control characters other
 * than tab show as '?' (no terminal escapes). One write is one line in the
 * usual case; a missing final newline is added.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <recap/err.h>
#include <recap/log_session.h>
#include <recap/rpc_wire.h>

#include "child.h"
#include "log.h"
#include "session.h"

struct log_session {
	struct session s;
	char label[LOG_LABEL_MAX + 1];
};

static void print_text(char const *label, char const *text, size_t len)
{
	size_t start = 0;

	do {
		size_t end = start;

		fprintf(stdout, "[%s] ", label);
		for (; end < len && text[end] != '\n'; end++) {
			unsigned char c = (unsigned char)text[end];

			putchar((c < 0x20 && c != '\t') || c == 0x7f ? '?' : c);
		}
		putchar('\n');
		start = end + 1;
	} while (start < len);
}

static int log_dispatch(struct rpc_object *obj, struct rpc_request *req)
{
	struct log_session *ls = core_container_of(obj, struct log_session, s.obj);
	char text[RECAP_RPC_MAX_STRING + 1];
	size_t len;

	switch (req->op) {
	case RECAP_LOG_WRITE:
		len = rpc_msg_get_string(&req->msg, text, sizeof(text));
		if (rpc_msg_end(&req->msg) != RECAP_OK)
			return RECAP_ERR_INVAL;
		print_text(ls->label, text, len);
		return RECAP_OK;
	}
	return RECAP_ERR_INVAL;
}

static void log_destroy(struct session *s)
{
	struct log_session *ls = core_container_of(s, struct log_session, s);

	rpc_object_detach(&ls->s.obj);
	free(ls);
}

int log_session_open(struct child *client, char const *label,
		     struct recap_cap *cap)
{
	struct log_session *ls;
	int err;

	if (strlen(label) > LOG_LABEL_MAX)
		return RECAP_ERR_RANGE;
	ls = calloc(1, sizeof(*ls));
	if (!ls)
		return RECAP_ERR_NOMEM;
	strcpy(ls->label, label);
	err = rpc_object_attach(&ls->s.obj, RPC_OBJECT_RPC, log_dispatch);
	if (err != RECAP_OK) {
		free(ls);
		return err;
	}
	ls->s.destroy = log_destroy;
	session_add(client, &ls->s);
	*cap = rpc_object_cap(&ls->s.obj);
	return RECAP_OK;
}

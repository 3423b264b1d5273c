/*
 * cr_service.c — core's CR service (cr_service.h, recap/cr_session.h).
 *
 * Every CR session is on one list; a session holds at most one request,
 * from the moment a command queues it until cr's DONE, the session's end
 * or the deadline. The request keeps the command's connection: the only
 * thing core ever writes to it is a whole answer line, sent without
 * waiting (MSG_DONTWAIT; a progress line that does not fit is dropped, a
 * command that went away is simply not answered), so a slow or dead
 * command can never stall core's loop.
 *
 * Invariants: req.active iff a command waits on req.conn; req.fetched only
 * if active; req.ds (a restore's stream, owned here) only if active or
 * parked in stale_ds for destruction. Destroying a dataspace unmaps it
 * through the kernel, which uses the message registers, so the timeout
 * path (run while a reply may wait in them) parks the stream in stale_ds
 * and the next dispatch on the session, the next command or the session's
 * end destroys it.
 *
 * A checkpoint's stream is cr's stream buffer, which cr reuses (cr/cr.h):
 * after "ok" core keeps the command's connection as the session's
 * reader, and queues no checkpoint for that cr until the reader hangs up
 * (the command has written its image) or its deadline passes (then core
 * says "reclaimed" and hangs up, and the command, which checks before it
 * commits, writes nothing; a plain hang-up, core or cr ending, leaves
 * the stream as it is).
 *
 * Which cr serves a label: a running component core knows by that name
 * goes to its owner (struct child: owner), if that is a cr, as the name
 * the owner knows ("counter" for "cr -> counter"); "P -> REST" where P is
 * a running component with a CR session goes to P as REST (the innermost
 * such P: cr is authoritative for its own children, also ones core has no
 * record of); a plain label goes to the cr whose child has that relative
 * name, else to the only cr if there is exactly one.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <l4/sys/consts.h>

#include <recap/cr_session.h>
#include <recap/err.h>

#include "child.h"
#include "cr_service.h"
#include "dataspace.h"
#include "session.h"
#include "signal.h"

#define CR_TIMEOUT_MS_DEFAULT 60000UL
#define NS_PER_MS 1000000ULL
#define ANSWER_MAX (RECAP_CR_MESSAGE_MAX + 2 * RECAP_CR_LABEL_MAX + 64)

struct cr_request {
	bool active;			/* a command waits for it */
	bool fetched;			/* cr has taken it (FETCH) */
	unsigned long id;
	unsigned long kind;		/* enum recap_cr_kind */
	unsigned long flags;
	char target[RECAP_CR_LABEL_MAX + 1];
	char as_label[RECAP_CR_LABEL_MAX + 1];
	struct dataspace *ds;		/* RESTORE: the stream, ours */
	size_t length;			/* RESTORE: its bytes */
	int conn;			/* the command's connection */
	uint64_t deadline;		/* ns, monotonic */
	int percent;			/* last progress passed on; -1: none */
};

struct cr_session {
	struct session s;
	recap_badge_t sigh;		/* signal context; 0: none */
	struct cr_request req;
	struct dataspace *stale_ds;	/* a timed-out stream, to destroy */
	int reader;			/* command reading cr's last stream; -1 */
	uint64_t reader_deadline;	/* ns, monotonic */
	struct cr_session *next;	/* all sessions */
};

static struct cr_session *sessions;
static unsigned long next_id = 1;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* RECAP_CR_TIMEOUT_MS lets tests wait less than a minute. */
static unsigned long timeout_ms(void)
{
	char const *v = getenv("RECAP_CR_TIMEOUT_MS");
	char *end;
	unsigned long ms;

	if (!v || !*v)
		return CR_TIMEOUT_MS_DEFAULT;
	errno = 0;
	ms = strtoul(v, &end, 10);
	return errno || *end || !ms ? CR_TIMEOUT_MS_DEFAULT : ms;
}

/* ---- the command's connection -------------------------------------- */

/* Send text (and fd, if >= 0) without waiting; false if it did not go. */
static bool conn_send(int conn, char const *text, int fd)
{
	struct iovec iov = { .iov_base = (void *)text, .iov_len = strlen(text) };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (fd >= 0) {
		memset(&ctl, 0, sizeof(ctl));
		msg.msg_control = ctl.buf;
		msg.msg_controllen = sizeof(ctl.buf);
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	return sendmsg(conn, &msg, MSG_DONTWAIT | MSG_NOSIGNAL) ==
	       (ssize_t)iov.iov_len;
}

/* Answer "error: ..." and close. */
static void conn_fail(int conn, char const *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void conn_fail(int conn, char const *fmt, ...)
{
	char line[ANSWER_MAX];
	va_list ap;
	int n = snprintf(line, sizeof(line), "error: ");

	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	strcat(line, "\n");
	conn_send(conn, line, -1);
	close(conn);
}

/* Has the command hung up? (It never shuts down only its writing side.) */
static bool conn_gone(int conn)
{
	struct pollfd p = { .fd = conn, .events = 0 };

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR));
}

/* ---- requests ------------------------------------------------------- */

static char const *cr_name(struct cr_session const *cs)
{
	return cs->s.client->name;
}

static void destroy_stale(struct cr_session *cs)
{
	if (cs->stale_ds) {
		dataspace_destroy(cs->stale_ds);
		cs->stale_ds = NULL;
	}
}

/*
 * The request is over (answered or abandoned). park: keep the stream for
 * destroy_stale (message registers in use); else destroy it now.
 */
static void request_end(struct cr_session *cs, bool park)
{
	struct cr_request *r = &cs->req;

	if (r->ds) {
		if (park && !cs->stale_ds)
			cs->stale_ds = r->ds;
		else
			dataspace_destroy(r->ds);
	}
	if (r->conn >= 0)
		close(r->conn);
	*r = (struct cr_request){ .conn = -1 };
}

/* Fail the request with a message to the command, then end it. */
static void request_fail(struct cr_session *cs, bool park, char const *msg)
{
	conn_fail(cs->req.conn, "cr '%s': %s", cr_name(cs), msg);
	cs->req.conn = -1;
	request_end(cs, park);
}

static void request_queue(struct cr_session *cs, int conn, unsigned long kind,
			  unsigned long flags, char const *target,
			  char const *as_label, struct dataspace *ds,
			  size_t length)
{
	struct cr_request *r = &cs->req;

	*r = (struct cr_request){
		.active = true, .id = next_id++, .kind = kind, .flags = flags,
		.ds = ds, .length = length, .conn = conn,
		.deadline = now_ns() + timeout_ms() * NS_PER_MS, .percent = -1,
	};
	snprintf(r->target, sizeof(r->target), "%s", target);
	snprintf(r->as_label, sizeof(r->as_label), "%s", as_label);
	if (cs->sigh)
		signal_submit(cs->sigh);
}

/* ---- finding the cr -------------------------------------------------- */

static struct cr_session *cr_of_name(char const *name, size_t len)
{
	for (struct cr_session *cs = sessions; cs; cs = cs->next)
		if (cs->s.client->running && strlen(cr_name(cs)) == len &&
		    !strncmp(cr_name(cs), name, len))
			return cs;
	return NULL;
}

static unsigned cr_count(struct cr_session **only)
{
	unsigned n = 0;

	for (struct cr_session *cs = sessions; cs; cs = cs->next)
		if (cs->s.client->running) {
			*only = cs;
			n++;
		}
	return n;
}

/*
 * "P -> REST" with P a cr: the innermost such P, and *rest. NULL if no
 * prefix of label is a cr.
 */
static struct cr_session *cr_of_prefix(char const *label, char const **rest)
{
	/* From the right: the innermost cr wins over one further out. */
	for (char const *p = label + strlen(label); p - label >= 4; p--) {
		if (*p && !strncmp(p - 4, " -> ", 4)) {
			struct cr_session *cs = cr_of_name(label, (size_t)(p - 4 - label));

			if (cs) {
				*rest = p;
				return cs;
			}
		}
	}
	return NULL;
}

/* Control characters would end up in answers and in cr's logs. */
static bool label_ok(char const *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* The CR session of a running component, or NULL: is it a cr? */
static struct cr_session *cr_of_child(struct child const *c)
{
	for (struct cr_session *cs = sessions; cs; cs = cs->next)
		if (c && cs->s.client == c && c->running)
			return cs;
	return NULL;
}

/* c's name as its owner knows it: what follows "OWNER -> ". */
static char const *relative_name(struct child const *c)
{
	size_t n = strlen(c->owner->name);

	if (!strncmp(c->name, c->owner->name, n) && !strncmp(c->name + n, " -> ", 4))
		return c->name + n + 4;
	return c->name;
}

struct match {
	char const *label;
	struct child *found, *second;
};

/* A running child of a cr whose relative name is m->label. */
static void match_child(struct child *c, void *arg)
{
	struct match *m = arg;

	if (!c->running || !c->owner || !cr_of_child(c->owner) ||
	    strcmp(relative_name(c), m->label))
		return;
	if (!m->found)
		m->found = c;
	else if (!m->second)
		m->second = c;
}

/* The cr to serve label, and the target there; NULL with conn answered. */
static struct cr_session *resolve(int conn, char const *label,
				  char const **target)
{
	struct child *c = child_find(label);
	struct cr_session *cs, *only = NULL;
	struct match m = { .label = label };
	unsigned n;

	if (c && c->running) {
		cs = c->owner ? cr_of_child(c->owner) : NULL;
		if (!cs) {
			conn_fail(conn, "component '%s' is not under a cr", label);
			return NULL;
		}
		*target = relative_name(c);
		return cs;
	}
	cs = cr_of_prefix(label, target);
	if (cs)
		return cs;
	child_for_each(match_child, &m);
	if (m.second) {
		/* In name order: the message must not depend on start order. */
		bool swap = strcmp(m.found->name, m.second->name) > 0;

		conn_fail(conn, "'%s' is ambiguous: name it as '%s' or '%s'", label,
			  (swap ? m.second : m.found)->name,
			  (swap ? m.found : m.second)->name);
		return NULL;
	}
	if (m.found) {
		*target = label;
		return cr_of_child(m.found->owner);
	}
	n = cr_count(&only);
	if (!n) {
		conn_fail(conn, "no component '%s', and no cr in this scenario", label);
		return NULL;
	}
	if (n > 1) {
		conn_fail(conn, "no component '%s' under any cr", label);
		return NULL;
	}
	/* The only cr decides: it may hold children core has no record of
	 * (stopped ones, say). */
	*target = label;
	return only;
}

/*
 * Has the command that took cs's last checkpoint stream let go of it?
 * Past its deadline it is made to: cr's next checkpoint must not wait
 * for ever on a stuck command.
 */
static bool reader_gone(struct cr_session *cs)
{
	if (cs->reader < 0)
		return true;
	if (!conn_gone(cs->reader)) {
		if (now_ns() < cs->reader_deadline)
			return false;
		conn_send(cs->reader, "reclaimed\n", -1);
	}
	close(cs->reader);
	cs->reader = -1;
	return true;
}

/* Is cs free for a request? If not, conn is answered. */
static bool cr_free(struct cr_session *cs, int conn)
{
	destroy_stale(cs);
	if (!cs->req.active)
		return true;
	/* A command that gave up leaves the cr free for the next one. */
	if (conn_gone(cs->req.conn)) {
		request_end(cs, false);
		return true;
	}
	conn_fail(conn, "cr '%s' is busy with another request", cr_name(cs));
	return false;
}

void cr_service_checkpoint(int conn, char const *label, unsigned long flags)
{
	char const *target = NULL;
	struct cr_session *cs;

	if (!label_ok(label) || !label[0]) {
		conn_fail(conn, "bad label");
		return;
	}
	if (flags & ~(unsigned long)(RECAP_CR_FLAG_STOP | RECAP_CR_FLAG_INCREMENTAL)) {
		conn_fail(conn, "unknown flags %#lx", flags);
		return;
	}
	cs = resolve(conn, label, &target);
	if (!cs)
		return;
	if (strlen(target) > RECAP_CR_LABEL_MAX) {
		conn_fail(conn, "label '%s' too long", target);
		return;
	}
	if (!reader_gone(cs)) {
		conn_fail(conn, "cr '%s' is busy: the command that took its "
			  "last checkpoint is still writing the image",
			  cr_name(cs));
		return;
	}
	if (cr_free(cs, conn))
		request_queue(cs, conn, RECAP_CR_CHECKPOINT, flags, target, "",
			      NULL, 0);
}

/* A sealed read-only dataspace over the command's memfd; NULL: bad. */
static struct dataspace *stream_ds(int fd, size_t length)
{
	size_t size = (length + L4_PAGESIZE - 1) & ~(size_t)(L4_PAGESIZE - 1);
	struct dataspace *ds;
	struct stat st;

	if (!length || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size != size) {
		close(fd);
		return NULL;
	}
	if (dataspace_adopt(&ds, fd, size) != RECAP_OK)
		return NULL;
	/* Sealing also proves it a memfd: nothing else takes seals. */
	if (dataspace_seal(ds) != RECAP_OK) {
		dataspace_destroy(ds);
		return NULL;
	}
	return ds;
}

void cr_service_restore(int conn, int stream_fd, size_t length,
			unsigned long flags, char const *as_label)
{
	struct cr_session *cs = NULL, *only = NULL;
	struct dataspace *ds;
	char const *as = as_label;
	unsigned n;

	if (!label_ok(as_label)) {
		close(stream_fd);
		conn_fail(conn, "bad label");
		return;
	}
	if (flags & ~(unsigned long)RECAP_CR_FLAG_REPLACE) {
		close(stream_fd);
		conn_fail(conn, "unknown flags %#lx", flags);
		return;
	}
	cs = cr_of_prefix(as_label, &as);
	n = cr_count(&only);
	if (!cs && n == 1)
		cs = only;
	if (!cs) {
		close(stream_fd);
		if (n)
			conn_fail(conn, "%u crs in this scenario: name one in --as "
				  "(CR -> LABEL)", n);
		else
			conn_fail(conn, "no cr in this scenario");
		return;
	}
	if (strlen(as) > RECAP_CR_LABEL_MAX) {
		close(stream_fd);
		conn_fail(conn, "label '%s' too long", as);
		return;
	}
	if (!cr_free(cs, conn)) {
		close(stream_fd);
		return;
	}
	ds = stream_ds(stream_fd, length);
	if (!ds) {
		conn_fail(conn, "the stream is not a memfd of its length in whole pages");
		return;
	}
	ds->owner = cs;
	request_queue(cs, conn, RECAP_CR_RESTORE, flags, "", as, ds, length);
}

/* ---- the session ------------------------------------------------------ */

static int cr_fetch(struct cr_session *cs, struct rpc_request *req)
{
	struct cr_request *r = &cs->req;
	struct recap_cap cap;

	if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps)
		return RECAP_ERR_INVAL;
	if (!r->active || r->fetched)
		return RECAP_ERR_NOENT;
	r->fetched = true;
	if (r->ds) {
		cap = rpc_object_cap(&r->ds->obj);
		rpc_reply_start(req, &cap, 1);
	} else {
		rpc_reply_start(req, NULL, 0);
	}
	rpc_msg_put_word(&req->msg, r->id);
	rpc_msg_put_word(&req->msg, r->kind);
	rpc_msg_put_word(&req->msg, r->flags);
	rpc_msg_put_word(&req->msg, r->length);
	rpc_msg_put_string(&req->msg, r->target, strlen(r->target));
	rpc_msg_put_string(&req->msg, r->as_label, strlen(r->as_label));
	return RECAP_OK;
}

static int cr_progress(struct cr_session *cs, struct rpc_request *req)
{
	struct cr_request *r = &cs->req;
	l4_umword_t id = rpc_msg_get_word(&req->msg);
	l4_umword_t done = rpc_msg_get_word(&req->msg);
	l4_umword_t total = rpc_msg_get_word(&req->msg);
	char line[80];
	int percent;

	if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps || done > total)
		return RECAP_ERR_INVAL;
	if (!r->active || !r->fetched || r->id != id)
		return RECAP_ERR_NOENT;
	/* At most one line per percent: however often cr reports, the
	 * command's socket never fills up and the final answer always fits. */
	percent = total ? (int)((unsigned __int128)done * 100 / total) : 0;
	if (percent == r->percent)
		return RECAP_OK;
	r->percent = percent;
	snprintf(line, sizeof(line), "progress %lu %lu\n", (unsigned long)done,
		 (unsigned long)total);
	conn_send(r->conn, line, -1);
	return RECAP_OK;
}

static int cr_done(struct cr_session *cs, struct rpc_request *req)
{
	struct cr_request *r = &cs->req;
	char message[RECAP_CR_MESSAGE_MAX + 1], line[64];
	l4_umword_t id = rpc_msg_get_word(&req->msg);
	long status = (long)rpc_msg_get_word(&req->msg);
	l4_umword_t length = rpc_msg_get_word(&req->msg);
	struct dataspace *ds = NULL;

	rpc_msg_get_string(&req->msg, message, sizeof(message));
	if (rpc_msg_end(&req->msg) != RECAP_OK || status > 0 || !label_ok(message))
		return RECAP_ERR_INVAL;
	if (!r->active || !r->fetched || r->id != id)
		return RECAP_ERR_NOENT;
	if (status == RECAP_OK && r->kind == RECAP_CR_CHECKPOINT) {
		if (req->msg.ncaps != 1)
			return RECAP_ERR_INVAL;
		ds = dataspace_from_request(req, 0);
		if (!ds || !length || length > ds->size)
			return RECAP_ERR_INVAL;
	} else if (req->msg.ncaps || length) {
		return RECAP_ERR_INVAL;
	}
	if (status != RECAP_OK) {
		request_fail(cs, false, message[0] ? message : recap_err_str((int)status));
		return RECAP_OK;
	}
	if (ds)
		snprintf(line, sizeof(line), "ok %lu\n", (unsigned long)length);
	else
		snprintf(line, sizeof(line), "ok\n");
	if (conn_send(r->conn, line, ds ? ds->fd : -1) && ds) {
		/* The command reads cr's stream buffer now. */
		cs->reader = r->conn;
		cs->reader_deadline = now_ns() + timeout_ms() * NS_PER_MS;
		r->conn = -1;
	}
	request_end(cs, false);
	return RECAP_OK;
}

static int cr_dispatch(struct rpc_object *obj, struct rpc_request *req)
{
	struct cr_session *cs = core_container_of(obj, struct cr_session, s.obj);
	recap_badge_t sigh;

	destroy_stale(cs);
	switch (req->op) {
	case RECAP_CR_SIGH:
		if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps != 1)
			return RECAP_ERR_INVAL;
		if (!recap_cap_valid(req->msg.caps[0])) {
			cs->sigh = 0;
			return RECAP_OK;
		}
		sigh = signal_request_context(req, 0);
		if (!sigh)
			return RECAP_ERR_INVAL;
		cs->sigh = sigh;
		/* A request queued before cr was ready is not lost. */
		if (cs->req.active && !cs->req.fetched)
			signal_submit(sigh);
		return RECAP_OK;
	case RECAP_CR_FETCH:
		return cr_fetch(cs, req);
	case RECAP_CR_PROGRESS:
		return cr_progress(cs, req);
	case RECAP_CR_DONE:
		return cr_done(cs, req);
	}
	return RECAP_ERR_INVAL;
}

static void cr_destroy(struct session *s)
{
	struct cr_session *cs = core_container_of(s, struct cr_session, s);
	struct cr_session **p = &sessions;

	while (*p && *p != cs)
		p = &(*p)->next;
	if (*p)
		*p = cs->next;
	if (cs->req.active)
		request_fail(cs, false, "ended before answering");
	if (cs->reader >= 0)
		close(cs->reader);
	destroy_stale(cs);
	rpc_object_detach(&cs->s.obj);
	free(cs);
}

int cr_service_open(struct child *client, struct recap_cap *cap)
{
	struct cr_session *cs;
	int err;

	/* Requests go to a component, so it has one session to take them. */
	for (cs = sessions; cs; cs = cs->next)
		if (cs->s.client == client)
			return RECAP_ERR_EXIST;
	cs = calloc(1, sizeof(*cs));
	if (!cs)
		return RECAP_ERR_NOMEM;
	err = rpc_object_attach(&cs->s.obj, RPC_OBJECT_RPC, cr_dispatch);
	if (err != RECAP_OK) {
		free(cs);
		return err;
	}
	cs->req.conn = -1;
	cs->reader = -1;
	cs->s.destroy = cr_destroy;
	session_add(client, &cs->s);
	cs->next = sessions;
	sessions = cs;
	*cap = rpc_object_cap(&cs->s.obj);
	return RECAP_OK;
}

/* ---- the deadline ------------------------------------------------------ */

l4_timeout_s cr_service_timeout(void)
{
	uint64_t first = 0, now;

	for (struct cr_session *cs = sessions; cs; cs = cs->next)
		if (cs->req.active && (!first || cs->req.deadline < first))
			first = cs->req.deadline;
	if (!first)
		return L4_IPC_TIMEOUT_NEVER;
	now = now_ns();
	if (first <= now)
		return L4_IPC_TIMEOUT_0;
	return l4_timeout_from_us((first - now + 999) / 1000);
}

void cr_service_expire(void)
{
	uint64_t now = now_ns();
	char msg[64];

	for (struct cr_session *cs = sessions; cs; cs = cs->next) {
		if (!cs->req.active || cs->req.deadline > now)
			continue;
		unsigned long ms = timeout_ms();

		if (ms % 1000)
			snprintf(msg, sizeof(msg), "no answer within %lu ms", ms);
		else
			snprintf(msg, sizeof(msg), "no answer within %lu s", ms / 1000);
		request_fail(cs, true, msg);
	}
}

/*
 * cr_echo — a stand-in for cr in the tests of the CR plumbing (core's CR
 * service, recap checkpoint / restore): it takes the requests as cr does,
 * but checkpoints nothing.
 *
 * Config: children="a b ..." names the children it pretends to have;
 * start="NAME:BINARY" starts a real one (the child API), which core then
 * knows as "cr_echo -> NAME", owned by cr_echo — nothing of it is
 * checkpointed, it only gives core's label lookup something to find.
 *  - CHECKPOINT of one of them: a valid checkpoint stream
 *    (recap/cr_stream.h) with one META section whose bytes are built from
 *    the request ("cr_echo: TARGET flags F"), two PROGRESS reports, DONE
 *    with the stream in a RAM dataspace.
 *  - CHECKPOINT of "silent": no answer ever (the timeout); of "exit":
 *    cr_echo exits instead of answering.
 *  - CHECKPOINT of anything else: DONE with RECAP_ERR_NOENT and a message.
 *  - RESTORE: the stream attached read-only, its length, magic, section
 *    count and first section logged, DONE.
 * Every request is logged when it is fetched, so a test sees exactly what
 * reached cr (and that a refused image reached nothing).
 */
#include <stdint.h>

#include <recap/child.h>
#include <recap/config.h>
#include <recap/cr_session.h>
#include <recap/cr_stream.h>
#include <recap/env.h>
#include <recap/err.h>
#include <recap/format.h>
#include <recap/log.h>
#include <recap/parent_client.h>
#include <recap/ram_session.h>
#include <recap/region_map.h>
#include <recap/signal.h>
#include <recap/string.h>

#define META_MAX 200

static struct {
	struct recap_env *env;
	struct recap_cap cr;
	struct recap_signal_context sig;
	char children[256];
	char start[128];		/* "NAME:BINARY" */
	struct recap_child child;	/* the one started, if any */
} echo;

/* Is name one of the words of children, or the child started? */
static int is_child(char const *name)
{
	size_t n = strlen(name);

	if (echo.child.running && !strcmp(echo.child.name, name))
		return 1;

	for (char const *p = echo.children; *p;) {
		while (*p == ' ')
			p++;
		size_t w = 0;
		while (p[w] && p[w] != ' ')
			w++;
		if (w && w == n && !strncmp(p, name, n))
			return 1;
		p += w;
	}
	return 0;
}

static void checkpoint(struct recap_cr_request *req)
{
	struct recap_env *env = echo.env;
	char meta[META_MAX];
	struct recap_ds ds;
	uint8_t *p;
	void *addr;
	int err;

	if (!strcmp(req->target, "silent")) {
		recap_log(env, "cr_echo: not answering");
		return;
	}
	if (!strcmp(req->target, "exit")) {
		recap_log(env, "cr_echo: exiting instead");
		recap_parent_exit(env, 0);
	}
	if (!is_child(req->target)) {
		recap_snprintf(meta, sizeof(meta), "no child '%s'", req->target);
		recap_cr_done(env, echo.cr, req, RECAP_ERR_NOENT, meta,
			      recap_cap_invalid(), 0);
		return;
	}
	int mlen = recap_snprintf(meta, sizeof(meta), "cr_echo: %s flags %lu",
				  req->target, req->flags);
	unsigned long len = CR_STREAM_HEADER_SIZE + CR_STREAM_SECTION_HEADER_SIZE +
			    (unsigned long)mlen + cr_stream_pad((uint64_t)mlen);

	err = recap_ram_alloc(env, len, &ds);
	if (err == RECAP_OK)
		err = recap_rm_attach_rw(env, &ds, &addr);
	if (err != RECAP_OK) {
		recap_cr_done(env, echo.cr, req, err, "no memory for the stream",
			      recap_cap_invalid(), 0);
		return;
	}
	p = addr;
	cr_stream_header(p, 1);
	recap_cr_progress(env, echo.cr, req->id, 1, 2);
	cr_stream_section_header(p + CR_STREAM_HEADER_SIZE, CR_SEC_META,
				 (uint64_t)mlen);
	memcpy(p + CR_STREAM_HEADER_SIZE + CR_STREAM_SECTION_HEADER_SIZE, meta,
	       (size_t)mlen);	/* padding: the dataspace is zero-filled */
	recap_cr_progress(env, echo.cr, req->id, 2, 2);
	recap_rm_detach(env, (unsigned long)addr);
	/* Logged before DONE: once DONE is in, the test may stop the system. */
	recap_log(env, "cr_echo: sending a stream of %lu bytes", len);
	err = recap_cr_done(env, echo.cr, req, RECAP_OK, NULL, ds.cap, len);
	if (err != RECAP_OK)
		recap_log(env, "cr_echo: DONE refused: %s", recap_err_str(err));
	recap_ram_free(env, &ds);
}

static void restore(struct recap_cr_request *req)
{
	struct recap_env *env = echo.env;
	char meta[META_MAX + 1];
	unsigned long addr;
	int err = recap_rm_attach(env, req->ds, 0, 0, RECAP_RM_ANYWHERE,
				  L4_FPAGE_RO, &addr);

	if (err != RECAP_OK) {
		recap_cr_done(env, echo.cr, req, err, "cannot attach the stream",
			      recap_cap_invalid(), 0);
		return;
	}
	uint8_t const *p = (uint8_t const *)addr;
	unsigned long need = CR_STREAM_HEADER_SIZE + CR_STREAM_SECTION_HEADER_SIZE;
	if (req->length < need || memcmp(p, CR_STREAM_MAGIC, CR_STREAM_MAGIC_LEN)) {
		recap_rm_detach(env, addr);
		recap_cr_done(env, echo.cr, req, RECAP_ERR_INVAL, "not a stream",
			      recap_cap_invalid(), 0);
		return;
	}
	uint64_t slen = cr_stream_get_u64(p + CR_STREAM_HEADER_SIZE + 8);
	if (slen > req->length - need)
		slen = req->length - need;
	if (slen > META_MAX)
		slen = META_MAX;
	memcpy(meta, p + need, (size_t)slen);
	meta[slen] = 0;
	recap_log(env, "cr_echo: stream of %lu bytes, %u section(s), "
		  "section 1 type %u: %s", req->length,
		  cr_stream_get_u32(p + 12), cr_stream_get_u32(p + CR_STREAM_HEADER_SIZE),
		  meta);
	recap_rm_detach(env, addr);
	err = recap_cr_done(env, echo.cr, req, RECAP_OK, NULL,
			    recap_cap_invalid(), 0);
	if (err != RECAP_OK)
		recap_log(env, "cr_echo: DONE refused: %s", recap_err_str(err));
}

static void on_request(void *arg)
{
	struct recap_cr_request req;
	(void)arg;

	while (recap_cr_fetch(echo.env, echo.cr, &req) == RECAP_OK) {
		if (req.kind == RECAP_CR_CHECKPOINT) {
			recap_log(echo.env, "cr_echo: checkpoint '%s' flags %lu",
				  req.target, req.flags);
			checkpoint(&req);
		} else if (req.kind == RECAP_CR_RESTORE) {
			recap_log(echo.env, "cr_echo: restore as '%s'", req.as_label);
			restore(&req);
		} else {
			recap_cr_done(echo.env, echo.cr, &req, RECAP_ERR_INVAL,
				      "unknown request", recap_cap_invalid(), 0);
		}
	}
}

void component_construct(struct recap_env *env)
{
	int err;

	echo.env = env;
	recap_config_string(env, "children", echo.children,
			    sizeof(echo.children), "");
	recap_config_string(env, "start", echo.start, sizeof(echo.start), "");
	char *binary = echo.start;
	while (*binary && *binary != ':')
		binary++;
	if (*binary) {
		*binary++ = '\0';
		err = recap_child_start(env, &echo.child, echo.start, binary,
					1UL << 20, 60, NULL, NULL);
		if (err != RECAP_OK)
			recap_log(env, "cr_echo: starting %s: %s", echo.start,
				  recap_err_str(err));
	}
	err = recap_cr_open(env, &echo.cr);
	if (err == RECAP_OK)
		err = recap_signal_context_create(env, &echo.sig, on_request, NULL);
	if (err == RECAP_OK)
		err = recap_cr_sigh(env, echo.cr, recap_signal_context_cap(&echo.sig));
	if (err != RECAP_OK) {
		recap_log(env, "cr_echo: %s", recap_err_str(err));
		return;
	}
	/* What core refuses, before any request came. */
	struct recap_cr_request req;
	struct recap_cap second;
	recap_log(env, "cr_echo: fetch with nothing queued: %s",
		  recap_err_str(recap_cr_fetch(env, echo.cr, &req)));
	recap_log(env, "cr_echo: progress of no request: %s",
		  recap_err_str(recap_cr_progress(env, echo.cr, 1, 0, 1)));
	recap_log(env, "cr_echo: a second CR session: %s",
		  recap_err_str(recap_cr_open(env, &second)));
	recap_log(env, "cr_echo: ready");
}

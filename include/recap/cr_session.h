/*
 * recap/cr_session.h — the CR service: how core hands checkpoint and
 * restore requests (from `recap checkpoint` / `recap restore`) to the
 * component that does the work, cr, the parent of the components it
 * checkpoints. Core never checkpoints anything itself and never waits for
 * cr: it queues a request, signals cr, and answers the command once cr
 * says DONE (or gives up after a timeout).
 *
 * A component opens one session "CR" (routed like any core service; the
 * scenario lists it in <parent-provides>). Protocol (recap/rpc_wire.h):
 *
 *   SIGH      cap context            -> -   triggered whenever a request
 *                                           is queued for this session
 *                                           (at once if one is queued);
 *                                           invalid: none
 *   FETCH     -                      -> word id, word kind, word flags,
 *                                       word length, string target,
 *                                       string as_label; RESTORE: 1 cap,
 *                                       the stream's dataspace
 *   PROGRESS  word id, word done, word total -> -
 *   DONE      [cap ds], word id, word status, word length,
 *             string message         -> -
 *
 * FETCH takes the queued request (RECAP_ERR_NOENT: none). A session has at
 * most one request at a time, from queued to DONE. kind is CHECKPOINT or
 * RESTORE, flags a set of RECAP_CR_FLAG_*. target is the label of the child
 * as cr knows it ("counter" for the component core calls "cr -> counter");
 * empty for RESTORE (the stream names the child). RESTORE's flags:
 * RECAP_CR_FLAG_REPLACE or none. as_label is restore's
 * --as, or empty. For RESTORE the capability is a read-only dataspace that
 * holds the checkpoint stream (recap/cr_stream.h), length bytes of it; it
 * stays valid until DONE, when core destroys it (and detaches it wherever
 * it is attached). For CHECKPOINT length is 0 and no capability comes.
 *
 * PROGRESS reports done of total units (cr's choice: bytes, say) of the
 * fetched request id to whoever waits; done <= total. Core passes on at
 * most one report per percent, so cr may report as often as it likes.
 *
 * DONE ends request id. status is RECAP_OK or a negative enum recap_err;
 * message (printable, may be empty) says what went wrong and is shown to
 * the user. A successful CHECKPOINT carries exactly one capability: a
 * dataspace holding the stream's length bytes (1 .. its size), which core
 * passes to the command at once — cr may free the dataspace after DONE
 * returns. Everything else carries none and length 0.
 *
 * Errors: RECAP_ERR_NOENT (FETCH with nothing queued; PROGRESS or DONE for
 * an id that is not this session's fetched request — the command gave up
 * or the request timed out), RECAP_ERR_EXIST (a second CR session of one
 * component), RECAP_ERR_INVAL (malformed; done > total; a CHECKPOINT DONE
 * without a dataspace of core's or with a length beyond it; a capability
 * where none belongs; a non-printable message).
 *
 * Client side: the functions below (lib/base/cr_client.c).
 */
#pragma once

#include <recap/capability.h>

struct recap_env;

#define RECAP_CR_LABEL_MAX 127		/* bytes of target and as_label */
#define RECAP_CR_MESSAGE_MAX 255	/* bytes of a DONE message */

enum recap_cr_op {
	RECAP_CR_SIGH = 1,
	RECAP_CR_FETCH = 2,
	RECAP_CR_PROGRESS = 3,
	RECAP_CR_DONE = 4,
};

enum recap_cr_kind {
	RECAP_CR_CHECKPOINT = 1,
	RECAP_CR_RESTORE = 2,
};

enum recap_cr_flag {
	RECAP_CR_FLAG_STOP = 1,		/* checkpoint: leave the child stopped */
	RECAP_CR_FLAG_INCREMENTAL = 2,	/* checkpoint: only what changed */
	RECAP_CR_FLAG_REPLACE = 4,	/* restore: end the stopped child of
					   that name first and take over its
					   entrypoint gates (docs/cr.md) */
};

/* A fetched request. */
struct recap_cr_request {
	unsigned long id;
	unsigned long kind;		/* enum recap_cr_kind */
	unsigned long flags;		/* enum recap_cr_flag bits */
	unsigned long length;		/* RESTORE: stream bytes in ds */
	char target[RECAP_CR_LABEL_MAX + 1];
	char as_label[RECAP_CR_LABEL_MAX + 1];
	struct recap_cap ds;		/* RESTORE: the stream; else invalid */
};

/* Open the CR session. RECAP_OK, or the parent's answer. */
int recap_cr_open(struct recap_env *env, struct recap_cap *cr);

/* Signal context to trigger when a request is queued. */
int recap_cr_sigh(struct recap_env *env, struct recap_cap cr,
		  struct recap_cap context);

/* Take the queued request: RECAP_OK and *req, or RECAP_ERR_NOENT. */
int recap_cr_fetch(struct recap_env *env, struct recap_cap cr,
		   struct recap_cr_request *req);

int recap_cr_progress(struct recap_env *env, struct recap_cap cr,
		      unsigned long id, unsigned long done, unsigned long total);

/*
 * End req with status and message (NULL: none). ds: the stream of a
 * successful CHECKPOINT, length bytes of it; otherwise invalid and 0. A
 * RESTORE's req->ds is forgotten (core destroys it): detach it first.
 */
int recap_cr_done(struct recap_env *env, struct recap_cap cr,
		  struct recap_cr_request *req, int status, char const *message,
		  struct recap_cap ds, unsigned long length);

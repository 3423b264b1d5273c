/*
 * recap/rpc_msg.h — building and reading RPC messages in the wire format of
 * recap/rpc_wire.h. The same code (lib/base/rpc_msg.c) serves both sides:
 * components build it freestanding, core hosted.
 *
 * A struct rpc_msg is a cursor over an array of message registers (a UTCB's
 * l4_utcb_mr()->mr, or any L4_UTCB_GENERIC_DATA_SIZE words in a test). It
 * does no system call.
 *
 * Writing a call or a reply:
 *
 *	rpc_msg_start(&m, mr, head, caps, ncaps);  head: the destination's
 *	                                            badge, or the result
 *	rpc_msg_put_word(&m, RECAP_PARENT_SESSION);
 *	rpc_msg_put_string(&m, "LOG", 3);
 *	err = rpc_msg_finish(&m, &tag);             appends the map items
 *
 * Reading one (after the IPC delivered it into mr):
 *
 *	err = rpc_msg_parse(&m, mr, tag, window);   header, badges, items
 *	op = rpc_msg_get_word(&m);
 *	len = rpc_msg_get_string(&m, buf, sizeof(buf));
 *	err = rpc_msg_end(&m);                      and nothing left over
 *
 * Errors are sticky: after the first failure every operation does nothing
 * (getters return 0 / an empty string) and finish/end report that first
 * error. A handler reads all its arguments, then checks once.
 *
 * Reading and writing share the registers: build a reply only after every
 * argument was read (strings copied out), as the reply overwrites them.
 */
#pragma once

#include <stddef.h>

#include <l4/sys/types.h>

#include <recap/capability.h>
#include <recap/rpc_wire.h>

struct rpc_msg {
	l4_umword_t *mr;	/* the message registers */
	unsigned pos;		/* next word to write or read */
	unsigned limit;		/* writing: words available; reading: words sent */
	unsigned ncaps;		/* capability arguments (valid or not) */
	/*
	 * Writing: the capabilities to send (sel: the sender's selector).
	 * Reading: the capabilities received; sel is the receive-window slot
	 * the kernel put each valid one into, and a capability that did not
	 * arrive (the sender's slot was empty) reads as invalid.
	 */
	struct recap_cap caps[RECAP_RPC_MAX_CAPS];
	int err;		/* the first error, RECAP_OK if none */
};

/*
 * Begin a message with head word `head` (mr[0]) and ncaps capabilities,
 * whose badges go into the header; invalid ones (recap_cap_valid() false)
 * travel as RECAP_BADGE_INVALID without a map item. More than
 * RECAP_RPC_MAX_CAPS: RECAP_ERR_INVAL.
 */
void rpc_msg_start(struct rpc_msg *m, l4_umword_t *mr, l4_umword_t head,
		   struct recap_cap const *caps, unsigned ncaps);

/* Append a word. No room: RECAP_ERR_RANGE. */
void rpc_msg_put_word(struct rpc_msg *m, l4_umword_t w);

/*
 * Append a string of len bytes (its length word, then the bytes).
 * len > RECAP_RPC_MAX_STRING or no room: RECAP_ERR_RANGE; a NUL byte in it:
 * RECAP_ERR_INVAL.
 */
void rpc_msg_put_string(struct rpc_msg *m, char const *s, size_t len);

/*
 * Append the map items and give the message tag (label 0). Returns the
 * first error of the message; *tag is set only on RECAP_OK.
 */
int rpc_msg_finish(struct rpc_msg *m, l4_msgtag_t *tag);

/*
 * Check a received message and position the cursor after its capability
 * badges (at the opcode of a call, at the data of a reply). window: the
 * first slot of the receive window the receiver armed (as a selector), or
 * L4_INVALID_CAP if it armed none. RECAP_ERR_INVAL if the message is
 * malformed: fewer than 2 words, words and items beyond the registers, more
 * than RECAP_RPC_MAX_CAPS capabilities or fewer words than they need, a
 * badge 0 or not a multiple of RECAP_BADGE_STEP, not exactly one map item
 * per valid badge, or an item the kernel did not deliver into the window.
 */
int rpc_msg_parse(struct rpc_msg *m, l4_umword_t *mr, l4_msgtag_t tag,
		  l4_cap_idx_t window);

/* The head word (mr[0]) of a parsed message. */
static inline l4_umword_t rpc_msg_head(struct rpc_msg const *m)
{
	return m->mr[0];
}

/* The next word; 0 and RECAP_ERR_INVAL if there is none. */
l4_umword_t rpc_msg_get_word(struct rpc_msg *m);

/*
 * An optional trailing word: the next word if the sender sent one, else
 * dflt (for arguments added to an operation later, which older callers
 * leave out).
 */
static inline l4_umword_t rpc_msg_get_word_or(struct rpc_msg *m, l4_umword_t dflt)
{
	return !m->err && m->pos < m->limit ? m->mr[m->pos++] : dflt;
}

/*
 * The next string, copied NUL-terminated into buf of size bytes; returns
 * its length. RECAP_ERR_INVAL (and "" in buf, 0 returned) if it is longer
 * than RECAP_RPC_MAX_STRING, runs past the message, contains a NUL byte, or
 * does not fit buf with its NUL.
 */
size_t rpc_msg_get_string(struct rpc_msg *m, char *buf, size_t size);

/* Reading is over: the first error, or RECAP_ERR_INVAL if words are left. */
int rpc_msg_end(struct rpc_msg *m);

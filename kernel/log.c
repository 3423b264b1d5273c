/*
 * log — the kernel log object: text from its holders onto recapd's stdout.
 *
 * The text is taken from the sender's UTCB as it is; a length beyond the
 * words actually sent is cut to them, so a garbage length cannot make the
 * kernel read past the message registers.
 */
#include <stdio.h>
#include <stdlib.h>

#include <l4/sys/vcon.h>

#include "kerr.h"
#include "log.h"
#include "objtab.h"
#include "thread.h"

static void log_free(struct kobj *o)
{
	objtab_remove(o);
	free(o);
}

static const struct kobj_ops log_ops = { .name = "log", .free = log_free };

int log_create(struct log **out)
{
	struct log *l = calloc(1, sizeof(*l));
	if (!l)
		return KERR_NOMEM;
	kobj_init(&l->kobj, KOBJ_LOG, &log_ops);
	objtab_add(&l->kobj);
	*out = l;
	return KERR_OK;
}

l4_msgtag_t log_invoke(struct log *l, unsigned rights, struct thread *caller,
		       l4_msgtag_t tag)
{
	(void)l;
	(void)rights;
	l4_msg_regs_t *mr = l4_utcb_mr_u(caller->utcb);
	unsigned words = l4_msgtag_words(tag);
	if (l4_msgtag_label(tag) != L4_PROTO_LOG)
		return l4_msgtag(KERR_BADPROTO, 0, 0, 0);
	if (words < 2 || mr->mr[0] != L4_VCON_WRITE_OP)
		return l4_msgtag(KERR_NOSYS, 0, 0, 0);
	unsigned long len = mr->mr[1];
	unsigned long max = (words - 2) * sizeof(l4_umword_t);
	if (len > max)
		len = max;
	fwrite(&mr->mr[2], 1, len, stdout);
	fflush(stdout);
	return l4_msgtag(0, 0, 0, 0);
}

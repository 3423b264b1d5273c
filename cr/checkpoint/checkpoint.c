/*
 * checkpoint.c — one checkpoint of a child (cr.h, docs/cr.md): the order
 * of the parts (ckpt.h), the meta section, and the buffers cr keeps.
 *
 * The stream goes into cr's stream buffer (cr.h), sized before anything
 * is written from what the parts will need (memory dominates), so that a
 * checkpoint that cannot fit fails before the child notices anything but
 * a pause. The buffer stays with cr for the next checkpoint.
 */
#include <stdarg.h>

#include <l4/sys/consts.h>

#include <recap/env_heap.h>
#include <recap/err.h>
#include <recap/format.h>
#include <recap/ram_session.h>
#include <recap/region_map.h>
#include <recap/rpc.h>
#include <recap/string.h>

#include "ckpt.h"

#define CR_VERSION "recap 0.1"
/* Room for everything but the pages: thread states, slots, sessions. */
#define STREAM_SLACK (1UL << 20)

int ckpt_fail(struct ckpt *k, int err, char const *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	recap_vsnprintf(k->msg, k->msg_size, fmt, ap);
	va_end(ap);
	return err;
}

void cr_buffer_release(struct cr *cr, struct cr_buffer *b)
{
	if (b->buf)
		recap_rm_detach(cr->env, (unsigned long)b->buf);
	if (recap_cap_valid(b->ds.cap))
		recap_ram_free(cr->env, &b->ds);
	*b = (struct cr_buffer){ .ds = { .cap = recap_cap_invalid() } };
}

int cr_buffer_get(struct cr *cr, struct cr_buffer *b, unsigned long bytes)
{
	int err;

	if (recap_cap_valid(b->ds.cap) && b->ds.size >= bytes)
		return RECAP_OK;
	/* Too small: let go of it first, the quota may hold only one. */
	cr_buffer_release(cr, b);
	err = recap_ram_alloc(cr->env, bytes, &b->ds);
	if (err == RECAP_OK)
		err = recap_rm_attach_rw(cr->env, &b->ds, &b->buf);
	if (err != RECAP_OK) {
		cr_buffer_release(cr, b);
		return err;
	}
	for (unsigned long off = 0; off < b->ds.size; off += L4_PAGESIZE)
		((char volatile *)b->buf)[off] = 0;
	return RECAP_OK;
}

/* Bytes of stream for bytes of the child's memory and k's slots. */
static unsigned long stream_bytes(struct ckpt const *k, unsigned long bytes)
{
	return bytes + STREAM_SLACK + k->caps.n * 128;
}

/*
 * Before the pause: a stream buffer for the child's memory as it is now,
 * faulted in while the child runs on, with STREAM_SLACK to spare for its
 * slots (not read yet) and a little growth. Best effort: stream_open
 * checks again once the threads are paused.
 */
static void stream_prepare(struct ckpt *k)
{
	unsigned long bytes = k->c->child.config_ds.size;

	/* cr's records of the child's dataspaces bound what the region map
	 * will show (but for third parties'): a kept buffer that holds them
	 * needs no walk of it here. */
	for (unsigned i = 0; i < CR_MAX_DS; i++)
		if (k->c->ds[i].used)
			bytes += k->c->ds[i].size;
	if (recap_cap_valid(k->cr->stream.ds.cap) &&
	    k->cr->stream.ds.size >= stream_bytes(k, bytes) + STREAM_SLACK)
		return;
	if (ckpt_memory_size(k, &bytes) == RECAP_OK)
		cr_buffer_get(k->cr, &k->cr->stream, stream_bytes(k, bytes) + STREAM_SLACK);
}

static int stream_open(struct ckpt *k)
{
	unsigned long bytes;
	int err = ckpt_memory_size(k, &bytes);

	if (err != RECAP_OK)
		return err;
	bytes = stream_bytes(k, bytes);
	err = cr_buffer_get(k->cr, &k->cr->stream, bytes);
	if (err != RECAP_OK)
		return ckpt_fail(k, err, "no room for a checkpoint of %lu KiB",
				 bytes >> 10);
	tlv_writer_init_buf(&k->w, k->cr->stream.buf, k->cr->stream.ds.size,
			    NULL, NULL);
	crfmt_stream_begin(&k->w);
	return RECAP_OK;
}

static void meta_write(struct ckpt *k)
{
	size_t mark = crfmt_stream_section_begin(&k->w, CR_SEC_META);
	struct crfmt_meta m;

	crfmt_meta_init(&m);
	RECAP_STRING_NAME(strlcpy)(m.target, k->c->name, sizeof(m.target));
	RECAP_STRING_NAME(strlcpy)(m.binary, k->c->binary, sizeof(m.binary));
	RECAP_STRING_NAME(strlcpy)(m.version, CR_VERSION, sizeof(m.version));
	m.flags = k->flags & RECAP_CR_FLAG_STOP ? CRFMT_META_STOPPED : 0;
	if (k->incremental)
		m.flags |= CRFMT_META_INCREMENTAL;
	m.seq = k->c->incr.seq + 1;
	m.instance = k->c->incr.instance;
	m.config.data = k->c->child.config;
	m.config.len = k->c->child.config_len;
	crfmt_meta_encode(&k->w, &m);
	crfmt_stream_section_end(&k->w, mark);
}

static int take(struct ckpt *k)
{
	int err;

	stream_prepare(k);
	err = ckpt_threads_pause(k);

	if (err == RECAP_OK)
		err = ckpt_threads_capture(k);
	if (err == RECAP_OK)
		err = ckpt_capspace_capture(k);
	if (err == RECAP_OK)
		err = ckpt_threads_check_moment(k);
	if (err == RECAP_OK)
		err = stream_open(k);
	if (err == RECAP_OK)
		err = ckpt_capspace_keep(k);
	if (err != RECAP_OK)
		return err;
	meta_write(k);
	ckpt_threads_write(k);
	ckpt_capspace_write(k);
	ckpt_sessions_write(k);
	err = ckpt_memory_write(k);
	if (err == RECAP_OK && !tlv_writer_ok(&k->w))
		err = ckpt_fail(k, RECAP_ERR_NOMEM, "the checkpoint outgrew its buffer");
	return err;
}

/*
 * The identity of one run of a child in its images (meta instance): the
 * time stamp counter when cr first checkpoints it, mixed with its
 * record's address, so that an increment names the same child as its
 * parent image only if both came from this run of it.
 */
static unsigned long instance_make(struct cr_child const *c)
{
	unsigned long x = __builtin_ia32_rdtsc() ^ (unsigned long)c;

	x = (x ^ (x >> 31)) * 0x9e3779b97f4a7c15UL;
	return x ? x : 1;
}

/* After the checkpoint: what the next increment extends. */
static void incr_update(struct ckpt *k, int err)
{
	struct cr_incr *in = &k->c->incr;

	if (err != RECAP_OK) {
		/* Pages written before a restart are forgotten. */
		if (k->dirty_touched)
			in->valid = false;
		return;
	}
	in->seq++;
	in->valid = k->dirty_reset;
	in->whole_all = false;
	in->nwhole = 0;
	in->nobjects = k->nobjects;
	RECAP_STRING_NAME(memcpy)(in->objects, k->objects,
				  k->nobjects * sizeof(k->objects[0]));
}

/*
 * A stopped child is never checkpointed again, and a restore of its image
 * beside it (--as) makes its entrypoint gates again with the same labels:
 * cr lets go of its copies, since lib/base's cap map holds one gate per
 * badge (docs/cr.md, "Badges"). The child keeps its gates.
 */
static void forget_gates(struct cr_child *c)
{
	for (unsigned i = 0; i < CR_MAX_RPC_GATES; i++) {
		if (!c->rpc_gates[i].used)
			continue;
		recap_cap_forget(c->env, c->rpc_gates[i].gate);
		c->rpc_gates[i].used = false;
	}
}

int cr_checkpoint(struct cr *cr, struct cr_child *c, unsigned long flags,
		  struct recap_ds *ds, unsigned long *len,
		  char *msg, unsigned long msg_size)
{
	struct ckpt *k;
	int err;

	if (c->stopped)
		return recap_snprintf(msg, msg_size, "%s is stopped", c->name),
		       RECAP_ERR_DENIED;
	if ((flags & RECAP_CR_FLAG_INCREMENTAL) && !c->incr.valid)
		return recap_snprintf(msg, msg_size, "%s has no checkpoint an "
				      "increment can extend: take a full one "
				      "first", c->name),
		       RECAP_ERR_DENIED;
	if (!c->incr.instance)
		c->incr.instance = instance_make(c);
	err = recap_heap_alloc(cr->env, sizeof(*k), (void **)&k);
	if (err != RECAP_OK)
		return recap_snprintf(msg, msg_size, "out of memory"), err;
	RECAP_STRING_NAME(memset)(k, 0, sizeof(*k));
	*k = (struct ckpt){ .cr = cr, .c = c, .env = cr->env, .flags = flags,
			    .msg = msg, .msg_size = msg_size,
			    .incremental = (flags & RECAP_CR_FLAG_INCREMENTAL) != 0 };
	err = take(k);
	incr_update(k, err);
	if (err == RECAP_OK && (flags & RECAP_CR_FLAG_STOP)) {
		c->stopped = true;	/* its threads stay paused */
		forget_gates(c);
	} else
		ckpt_threads_resume(k);
	ckpt_threads_fini(k);
	ckpt_capspace_fini(k);
	ckpt_memory_fini(k);
	if (err == RECAP_OK) {
		*ds = cr->stream.ds;
		*len = k->w.len;
	}
	recap_heap_free(cr->env, k);
	return err;
}

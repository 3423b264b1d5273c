/*
 * Unit tests for the section records (cr/crfmt_*.c): every record kind
 * round-trips with exact values, optional fields at their default cost
 * nothing on the wire, and malformed records are refused with their exact
 * message. Linked twice: against the hosted build, and against the
 * freestanding $(B)/libcrfmt.a cr links (comp_roundtrip).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <recap/cr_stream.h>

#include "capspace_record.h"
#include "sample.h"

/* ---- meta --------------------------------------------------------- */

static void meta_roundtrip(void **state)
{
	struct tlv_writer w;
	struct crfmt_meta m, out;
	struct crfmt_err err;

	(void)state;
	sample_meta_rec(&m);
	sample_writer_init(&w);
	crfmt_meta_encode(&w, &m);
	assert_true(tlv_writer_ok(&w));
	assert_int_equal(crfmt_meta_decode(w.buf, w.len, &out, &err), CRFMT_OK);
	assert_string_equal(err.msg, "");
	assert_string_equal(out.target, "counter");
	assert_string_equal(out.binary, "counter.elf");
	assert_string_equal(out.version, "0.1");
	assert_true(out.time_ns == 1700000000123456789ull);
	assert_int_equal(out.flags, CRFMT_META_STOPPED);
	assert_int_equal(out.seq, 3);
	assert_int_equal(out.config.len, strlen(sample_config));
	assert_memory_equal(out.config.data, sample_config,
			    strlen(sample_config));
	sample_writer_free(&w);
}

/* Defaults are not written: a minimal meta is target, version, time. */
static void meta_minimal(void **state)
{
	struct tlv_writer w;
	struct crfmt_meta m, out;
	struct crfmt_err err;

	(void)state;
	crfmt_meta_init(&m);
	strcpy(m.target, "t");
	strcpy(m.version, "v");
	m.time_ns = 5;
	sample_writer_init(&w);
	crfmt_meta_encode(&w, &m);
	assert_int_equal(w.len, (6 + 1) + (6 + 1) + (6 + 8));
	assert_int_equal(crfmt_meta_decode(w.buf, w.len, &out, &err), CRFMT_OK);
	assert_string_equal(out.binary, "");
	assert_int_equal(out.flags, 0);
	assert_null(out.config.data);
	sample_writer_free(&w);
}

static void meta_rejects(void **state)
{
	struct tlv_writer w;
	struct crfmt_meta out;
	struct crfmt_err err;

	(void)state;
	/* no version */
	sample_writer_init(&w);
	tlv_put_str(&w, CRFMT_META_TARGET, "t");
	tlv_put_u64(&w, CRFMT_META_TIME, 1);
	assert_int_equal(crfmt_meta_decode(w.buf, w.len, &out, &err),
			 CRFMT_ERR_RECORD);
	assert_string_equal(err.msg,
			    "meta record at byte 0: tag 3 (version) missing");
	/* unknown flags */
	tlv_put_str(&w, CRFMT_META_VERSION, "v");
	tlv_put_u64(&w, CRFMT_META_FLAGS, 0x10);
	assert_int_equal(crfmt_meta_decode(w.buf, w.len, &out, &err),
			 CRFMT_ERR_VALUE);
	assert_string_equal(err.msg, "meta record: unknown flags 0x10");
	sample_writer_free(&w);
	/* time of the wrong length */
	sample_writer_init(&w);
	tlv_put_str(&w, CRFMT_META_TARGET, "t");
	tlv_put_str(&w, CRFMT_META_VERSION, "v");
	tlv_put_blob(&w, CRFMT_META_TIME, "1234", 4);
	assert_int_equal(crfmt_meta_decode(w.buf, w.len, &out, &err),
			 CRFMT_ERR_RECORD);
	assert_string_equal(err.msg, "meta record at byte 0: at byte 14: tag "
				     "4 (time_ns): length 4, expected 8");
	sample_writer_free(&w);
}

/* ---- parent (incremental images) and meta's instance ---------------- */

static void parent_roundtrip(void **state)
{
	struct tlv_writer w;
	struct crfmt_meta m, mout;
	struct crfmt_parent p = { .path = "dir/base.img",
				  .image_id = 0xfedcba9876543210ull, .seq = 4 };
	struct crfmt_parent out;
	struct crfmt_err err;

	(void)state;
	sample_meta_rec(&m);
	m.flags = CRFMT_META_INCREMENTAL;
	m.instance = 0x1234567890abcdefull;
	sample_writer_init(&w);
	crfmt_meta_encode(&w, &m);
	assert_int_equal(crfmt_meta_decode(w.buf, w.len, &mout, &err), CRFMT_OK);
	assert_true(mout.instance == 0x1234567890abcdefull);
	assert_int_equal(mout.flags, CRFMT_META_INCREMENTAL);
	sample_writer_free(&w);

	sample_writer_init(&w);
	crfmt_parent_encode(&w, &p);
	assert_int_equal(crfmt_parent_decode(w.buf, w.len, &out, &err), CRFMT_OK);
	assert_string_equal(err.msg, "");
	assert_string_equal(out.path, "dir/base.img");
	assert_true(out.image_id == 0xfedcba9876543210ull);
	assert_int_equal(out.seq, 4);
	sample_writer_free(&w);

	/* seq at its default is not written */
	p.seq = 0;
	sample_writer_init(&w);
	crfmt_parent_encode(&w, &p);
	assert_int_equal(w.len, (6 + 12) + (6 + 8));
	sample_writer_free(&w);
}

static void parent_rejects(void **state)
{
	struct tlv_writer w;
	struct crfmt_parent out;
	struct crfmt_err err;

	(void)state;
	sample_writer_init(&w);
	tlv_put_str(&w, CRFMT_PARENT_PATH, "a.img");
	assert_int_equal(crfmt_parent_decode(w.buf, w.len, &out, &err),
			 CRFMT_ERR_RECORD);
	assert_string_equal(err.msg,
			    "parent record at byte 0: tag 2 (image_id) missing");
	sample_writer_free(&w);
	sample_writer_init(&w);
	tlv_put_blob(&w, CRFMT_PARENT_PATH, "", 0);
	tlv_put_u64(&w, CRFMT_PARENT_ID, 1);
	assert_int_equal(crfmt_parent_decode(w.buf, w.len, &out, &err),
			 CRFMT_ERR_VALUE);
	assert_string_equal(err.msg, "parent record: empty path");
	sample_writer_free(&w);
}

/* ---- threads ------------------------------------------------------ */

static struct crfmt_thread t_in, t_out;

static void threads_roundtrip(void **state)
{
	struct tlv_writer w;
	struct crfmt_iter it;
	struct crfmt_err err;

	(void)state;
	sample_writer_init(&w);
	for (uint32_t i = 0; i < 2; i++) {
		sample_thread(&t_in, i);
		crfmt_thread_encode(&w, &t_in);
	}
	assert_true(tlv_writer_ok(&w));
	crfmt_iter_init(&it, w.buf, w.len);
	for (uint32_t i = 0; i < 2; i++) {
		sample_thread(&t_in, i);
		memset(&t_out, 0x5a, sizeof(t_out));
		assert_int_equal(crfmt_threads_next(&it, &t_out, &err),
				 CRFMT_OK);
		/* Every field, including each register and pending word. */
		assert_int_equal(t_out.index, i);
		assert_string_equal(t_out.name, t_in.name);
		assert_int_equal(t_out.flags, t_in.flags);
		assert_int_equal(t_out.slot_thread, t_in.slot_thread);
		assert_int_equal(t_out.slot_gate, t_in.slot_gate);
		assert_int_equal(t_out.slot_pager, t_in.slot_pager);
		assert_true(t_out.slot_irq == t_in.slot_irq);
		assert_true(t_out.vid == t_in.vid);
		assert_true(t_out.irq_vid == t_in.irq_vid);
		assert_true(t_out.vid_next == t_in.vid_next);
		assert_true(t_out.irq_pending == t_in.irq_pending);
		assert_memory_equal(&t_out.state.regs, &t_in.state.regs,
				    sizeof(t_in.state.regs));
		assert_memory_equal(&t_out.state.pending, &t_in.state.pending,
				    sizeof(t_in.state.pending));
		assert_memory_equal(t_out.state.fpu, t_in.state.fpu,
				    L4X_FPU_SIZE);
		assert_memory_equal(t_out.state.utcb, t_in.state.utcb,
				    L4_UTCB_OFFSET);
	}
	assert_true(t_out.state.regs.rip == 0x10001235);
	assert_true(t_out.slot_irq == 0x46);
	assert_true(t_out.vid == ((1ull << 62) | 3) && t_out.vid_next == 4);
	assert_true(t_out.irq_pending == 2);
	assert_int_equal(crfmt_threads_next(&it, &t_out, &err), CRFMT_END);
	sample_writer_free(&w);
}

/* Each register has its own tag: r15 is 1, rip 17, gs 27. */
static void threads_register_tags(void **state)
{
	(void)state;
	assert_string_equal(crfmt_reg_name(0), "r15");
	assert_string_equal(crfmt_reg_name(16), "rip");
	assert_string_equal(crfmt_reg_name(26), "gs");
	assert_null(crfmt_reg_name(27));
	assert_string_equal(crfmt_pending_name(6), "partner_id");
	assert_string_equal(crfmt_pending_kind_name(L4X_PENDING_WAIT), "wait");
	assert_null(crfmt_pending_kind_name(5));
}

/* Encode thread 0 with one part replaced by the raw bytes REPL. */
static enum crfmt_status thread_with(uint16_t drop, void const *repl,
				     size_t repl_len, struct crfmt_err *err)
{
	struct tlv_writer w, o;
	struct tlv_reader r, rr;
	struct tlv_item item, f;
	struct crfmt_iter it;
	enum crfmt_status st;

	sample_thread(&t_in, 0);
	sample_writer_init(&w);
	crfmt_thread_encode(&w, &t_in);
	tlv_reader_init(&r, w.buf, w.len);
	assert_int_equal(tlv_next(&r, &item, NULL), TLV_OK);
	sample_writer_init(&o);
	size_t mark = tlv_begin(&o, CRFMT_THREADS_THREAD);
	tlv_reader_init(&rr, item.val, item.len);
	while (tlv_next(&rr, &f, NULL) == TLV_OK) {
		if (f.tag == drop) {
			if (repl)
				tlv_put_blob(&o, drop, repl, repl_len);
			continue;
		}
		tlv_put_blob(&o, f.tag, f.val, f.len);
	}
	tlv_end(&o, mark);
	crfmt_iter_init(&it, o.buf, o.len);
	st = crfmt_threads_next(&it, &t_out, err);
	sample_writer_free(&o);
	sample_writer_free(&w);
	return st;
}

static void threads_rejects(void **state)
{
	struct crfmt_err err;
	uint8_t fpu[L4X_FPU_SIZE - 1] = { 0 };
	struct tlv_writer w;

	(void)state;
	assert_int_equal(thread_with(CRFMT_THR_FPU, NULL, 0, &err),
			 CRFMT_ERR_RECORD);
	assert_string_equal(err.msg, "thread record at byte 0: tag 10 "
				     "(state.fpu) missing");
	assert_int_equal(thread_with(CRFMT_THR_FPU, fpu, sizeof(fpu), &err),
			 CRFMT_ERR_RECORD);
	/* "thread record at byte 0: at byte N: tag 10 (state.fpu): ..." */
	assert_non_null(strstr(err.msg, ": tag 10 (state.fpu): length 511, "
					"expected 512"));
	assert_int_equal(strncmp(err.msg, "thread record at byte 0: at byte ",
				 33), 0);
	assert_int_equal(thread_with(CRFMT_THR_REGS, NULL, 0, &err),
			 CRFMT_ERR_RECORD);
	assert_string_equal(err.msg, "thread record at byte 0: tag 8 (regs) "
				     "missing");
	/* The registers without rip (tag 17). */
	sample_writer_init(&w);
	for (unsigned i = 1; i <= CRFMT_REGS_COUNT; i++)
		if (i != 17)
			tlv_put_u64(&w, (uint16_t)i, i);
	assert_int_equal(thread_with(CRFMT_THR_REGS, w.buf, w.len, &err),
			 CRFMT_ERR_RECORD);
	assert_string_equal(err.msg, "thread 0: registers: tag 17 (rip) "
				     "missing");
	sample_writer_free(&w);
	/* Unknown flags. */
	sample_writer_init(&w);
	tlv_put_u64(&w, 0, 0);
	uint8_t flags[8] = { 0x40 };
	assert_int_equal(thread_with(CRFMT_THR_FLAGS, flags, 8, &err),
			 CRFMT_ERR_VALUE);
	assert_string_equal(err.msg, "thread 0: unknown flags 0x40");
	sample_writer_free(&w);
}

static void threads_order(void **state)
{
	struct tlv_writer w;
	struct crfmt_iter it;
	struct crfmt_err err;

	(void)state;
	sample_writer_init(&w);
	sample_thread(&t_in, 1);
	crfmt_thread_encode(&w, &t_in);
	size_t first = w.len;
	crfmt_thread_encode(&w, &t_in);
	crfmt_iter_init(&it, w.buf, w.len);
	assert_int_equal(crfmt_threads_next(&it, &t_out, &err), CRFMT_OK);
	assert_int_equal(crfmt_threads_next(&it, &t_out, &err),
			 CRFMT_ERR_ORDER);
	char want[96];
	snprintf(want, sizeof(want),
		 "thread record at byte %zu: thread 1 after 1", first);
	assert_string_equal(err.msg, want);
	/* A section cut short. */
	crfmt_iter_init(&it, w.buf, first - 1);
	assert_int_equal(crfmt_threads_next(&it, &t_out, &err),
			 CRFMT_ERR_RECORD);
	sample_writer_free(&w);
}

/* ---- sessions ----------------------------------------------------- */

static void sessions_roundtrip(void **state)
{
	struct tlv_writer w;
	struct crfmt_session in[4], out;
	struct crfmt_iter it;
	struct crfmt_err err;

	(void)state;
	sample_session_timer(&in[0]);
	sample_session_log(&in[1]);
	sample_session_cr(&in[2]);
	sample_session_ram(&in[3]);
	sample_writer_init(&w);
	for (int i = 0; i < 4; i++)
		crfmt_session_encode(&w, &in[i]);
	crfmt_iter_init(&it, w.buf, w.len);
	for (int i = 0; i < 4; i++) {
		memset(&out, 0x5a, sizeof(out));
		assert_int_equal(crfmt_sessions_next(&it, &out, &err),
				 CRFMT_OK);
		assert_memory_equal(&out, &in[i], sizeof(out));
	}
	assert_int_equal(crfmt_sessions_next(&it, &out, &err), CRFMT_END);
	sample_writer_free(&w);
}

static void sessions_rejects(void **state)
{
	struct tlv_writer w;
	struct crfmt_session out;
	struct crfmt_iter it;
	struct crfmt_err err;
	size_t m, t;

	(void)state;
	/* Unknown role. */
	sample_writer_init(&w);
	m = tlv_begin(&w, CRFMT_SESSIONS_SESSION);
	tlv_put_u64(&w, CRFMT_SES_ID, 4);
	tlv_put_str(&w, CRFMT_SES_SERVICE, "LOG");
	tlv_put_u64(&w, CRFMT_SES_ROLE, 3);
	tlv_end(&w, m);
	crfmt_iter_init(&it, w.buf, w.len);
	assert_int_equal(crfmt_sessions_next(&it, &out, &err),
			 CRFMT_ERR_VALUE);
	assert_string_equal(err.msg, "session 4: unknown role 3");
	sample_writer_free(&w);
	/* A timer without its mode. */
	sample_writer_init(&w);
	m = tlv_begin(&w, CRFMT_SESSIONS_SESSION);
	tlv_put_u64(&w, CRFMT_SES_ID, 4);
	tlv_put_str(&w, CRFMT_SES_SERVICE, "Timer");
	tlv_put_u64(&w, CRFMT_SES_ROLE, 1);
	t = tlv_begin(&w, CRFMT_SES_TIMER);
	tlv_put_u64(&w, CRFMT_TIM_PERIOD, 5);
	tlv_end(&w, t);
	tlv_end(&w, m);
	crfmt_iter_init(&it, w.buf, w.len);
	assert_int_equal(crfmt_sessions_next(&it, &out, &err),
			 CRFMT_ERR_RECORD);
	assert_string_equal(err.msg, "session 4: timer: tag 1 (mode) missing");
	sample_writer_free(&w);
	/* Too many signal contexts. */
	sample_writer_init(&w);
	m = tlv_begin(&w, CRFMT_SESSIONS_SESSION);
	tlv_put_u64(&w, CRFMT_SES_ID, 4);
	tlv_put_str(&w, CRFMT_SES_SERVICE, "Signal");
	tlv_put_u64(&w, CRFMT_SES_ROLE, 1);
	for (unsigned i = 0; i <= CRFMT_SIGNALS_MAX; i++) {
		t = tlv_begin(&w, CRFMT_SES_SIGNAL);
		tlv_put_u64(&w, CRFMT_SIG_BADGE, i);
		tlv_end(&w, t);
	}
	tlv_end(&w, m);
	crfmt_iter_init(&it, w.buf, w.len);
	assert_int_equal(crfmt_sessions_next(&it, &out, &err), CRFMT_ERR_FULL);
	assert_string_equal(err.msg, "session 4: more than 256 signal contexts");
	sample_writer_free(&w);
	/* A service name too long. */
	sample_writer_init(&w);
	m = tlv_begin(&w, CRFMT_SESSIONS_SESSION);
	tlv_put_u64(&w, CRFMT_SES_ID, 4);
	tlv_put_str(&w, CRFMT_SES_SERVICE, "0123456789012345678901234567890123");
	tlv_put_u64(&w, CRFMT_SES_ROLE, 1);
	tlv_end(&w, m);
	crfmt_iter_init(&it, w.buf, w.len);
	assert_int_equal(crfmt_sessions_next(&it, &out, &err),
			 CRFMT_ERR_RECORD);
	assert_string_equal(err.msg, "session record at byte 0: at byte 14: "
				     "tag 2 (service): 34 bytes, at most 31");
	sample_writer_free(&w);
}

/* ---- regions ------------------------------------------------------ */

static void regions_roundtrip(void **state)
{
	struct tlv_writer w;
	struct crfmt_ds in[2], out;
	struct crfmt_iter it;
	struct crfmt_err err;

	(void)state;
	sample_ds_ram(&in[0]);
	sample_ds_rom(&in[1]);
	sample_writer_init(&w);
	for (int i = 0; i < 2; i++)
		crfmt_ds_encode(&w, &in[i]);
	crfmt_iter_init(&it, w.buf, w.len);
	for (int i = 0; i < 2; i++) {
		memset(&out, 0x5a, sizeof(out));
		assert_int_equal(crfmt_regions_next(&it, &out, &err), CRFMT_OK);
		assert_memory_equal(&out, &in[i], sizeof(out));
	}
	assert_int_equal(crfmt_regions_next(&it, &out, &err), CRFMT_END);
	sample_writer_free(&w);
}

/* The sample RAM dataspace with attachment 0 changed by SET. */
static enum crfmt_status ds_with(struct crfmt_attach a, uint64_t writable,
				 struct crfmt_err *err)
{
	struct tlv_writer w;
	struct crfmt_ds d, out;
	struct crfmt_iter it;
	enum crfmt_status st;

	sample_ds_ram(&d);
	d.attach[0] = a;
	d.writable = writable;
	sample_writer_init(&w);
	crfmt_ds_encode(&w, &d);
	crfmt_iter_init(&it, w.buf, w.len);
	st = crfmt_regions_next(&it, &out, err);
	sample_writer_free(&w);
	return st;
}

static void regions_rejects(void **state)
{
	struct crfmt_err err;

	(void)state;
	assert_int_equal(ds_with((struct crfmt_attach){ 0x10100000, 0, 8192,
							CRFMT_R }, 1, &err),
			 CRFMT_OK);
	assert_int_equal(ds_with((struct crfmt_attach){ 0x10100001, 0, 8192,
							CRFMT_R }, 1, &err),
			 CRFMT_ERR_VALUE);
	assert_string_equal(err.msg, "dataspace 7: attachment 0: not whole "
				     "pages");
	assert_int_equal(ds_with((struct crfmt_attach){ 0x10100000, 4096,
							8192, CRFMT_R }, 1,
				 &err),
			 CRFMT_ERR_VALUE);
	assert_string_equal(err.msg, "dataspace 7: attachment 0: offset "
				     "0x1000 size 0x2000 beyond the dataspace "
				     "(0x2000 bytes)");
	assert_int_equal(ds_with((struct crfmt_attach){ 0x1000, 0, 4096,
							CRFMT_R }, 1, &err),
			 CRFMT_ERR_VALUE);
	assert_string_equal(err.msg, "dataspace 7: attachment 0: address "
				     "0x1000 size 0x1000 outside the component "
				     "range");
	assert_int_equal(ds_with((struct crfmt_attach){ 0x10100000, 0, 4096,
							CRFMT_W }, 1, &err),
			 CRFMT_ERR_VALUE);
	assert_string_equal(err.msg, "dataspace 7: attachment 0: bad rights "
				     "0x2");
	assert_int_equal(ds_with((struct crfmt_attach){ 0x10100000, 0, 4096,
							CRFMT_R | CRFMT_W }, 0,
				 &err),
			 CRFMT_ERR_VALUE);
	assert_string_equal(err.msg, "dataspace 7: attachment 0: writable, "
				     "the dataspace is not");
}

/* A managed dataspace (id 3): two windows, two dataspaces inside (the
 * sample RAM one, 7, twice), a fault handler. */
static void ds_managed(struct crfmt_ds *d)
{
	crfmt_ds_init(d);
	d->id = 3;
	d->size = 65536;
	d->kind = CRFMT_DS_MANAGED;
	d->writable = 1;
	d->object = 77;
	d->n_attach = 2;
	d->attach[0] = (struct crfmt_attach){ 0x60000000, 0, 65536,
					      CRFMT_R | CRFMT_W };
	d->attach[1] = (struct crfmt_attach){ 0x60100000, 32768, 32768,
					      CRFMT_R };
	d->map_object = 78;
	d->map_session = 2;
	d->map_signal = 0x1000c4;
	d->n_inner = 2;
	d->inner[0] = (struct crfmt_inner){ 7, 0, 8192, 0, CRFMT_R | CRFMT_W };
	d->inner[1] = (struct crfmt_inner){ 7, 32768, 4096, 4096, CRFMT_R };
}

static void regions_managed_roundtrip(void **state)
{
	struct tlv_writer w;
	struct crfmt_ds in[2], out;
	struct crfmt_iter it;
	struct crfmt_err err;

	(void)state;
	ds_managed(&in[0]);
	sample_ds_ram(&in[1]);
	sample_writer_init(&w);
	for (int i = 0; i < 2; i++)
		crfmt_ds_encode(&w, &in[i]);
	crfmt_iter_init(&it, w.buf, w.len);
	for (int i = 0; i < 2; i++) {
		memset(&out, 0x5a, sizeof(out));
		assert_int_equal(crfmt_regions_next(&it, &out, &err), CRFMT_OK);
		assert_memory_equal(&out, &in[i], sizeof(out));
	}
	assert_int_equal(crfmt_regions_next(&it, &out, &err), CRFMT_END);
	sample_writer_free(&w);
	/* No fault handler, no map object: both optional. */
	ds_managed(&in[0]);
	in[0].map_signal = in[0].map_object = 0;
	sample_writer_init(&w);
	crfmt_ds_encode(&w, &in[0]);
	crfmt_iter_init(&it, w.buf, w.len);
	assert_int_equal(crfmt_regions_next(&it, &out, &err), CRFMT_OK);
	assert_memory_equal(&out, &in[0], sizeof(out));
	sample_writer_free(&w);
}

/* d encoded and decoded again. */
static enum crfmt_status ds_decode(struct crfmt_ds const *d,
				   struct crfmt_err *err)
{
	struct tlv_writer w;
	struct crfmt_ds out;
	struct crfmt_iter it;
	enum crfmt_status st;

	sample_writer_init(&w);
	crfmt_ds_encode(&w, d);
	crfmt_iter_init(&it, w.buf, w.len);
	st = crfmt_regions_next(&it, &out, err);
	sample_writer_free(&w);
	return st;
}

static void regions_managed_rejects(void **state)
{
	struct crfmt_ds d;
	struct crfmt_err err;

	(void)state;
	ds_managed(&d);
	d.inner[1].offset = 61440;	/* its last page, 2 pages long */
	d.inner[1].size = 8192;
	assert_int_equal(ds_decode(&d, &err), CRFMT_ERR_VALUE);
	assert_string_equal(err.msg, "dataspace 3: inner attachment 1: offset "
				     "0xf000 size 0x2000 not whole pages inside "
				     "the map (0x10000 bytes)");
	ds_managed(&d);
	d.inner[0].ds_offset = 100;
	assert_int_equal(ds_decode(&d, &err), CRFMT_ERR_VALUE);
	assert_string_equal(err.msg, "dataspace 3: inner attachment 0: offset "
				     "0x0 size 0x2000 not whole pages inside "
				     "the map (0x10000 bytes)");
	ds_managed(&d);
	d.inner[0].ds = 3;		/* the map inside itself */
	assert_int_equal(ds_decode(&d, &err), CRFMT_ERR_VALUE);
	assert_string_equal(err.msg, "dataspace 3: inner attachment 0: "
				     "dataspace 3");
	ds_managed(&d);
	d.inner[0].rights = CRFMT_W;
	assert_int_equal(ds_decode(&d, &err), CRFMT_ERR_VALUE);
	assert_string_equal(err.msg, "dataspace 3: inner attachment 0: bad "
				     "rights 0x2");
	ds_managed(&d);
	d.map_session = 0;
	assert_int_equal(ds_decode(&d, &err), CRFMT_ERR_VALUE);
	assert_string_equal(err.msg, "dataspace 3: managed without an RM "
				     "session, whole pages, or with a module");
	ds_managed(&d);
	d.size = 65000;
	assert_int_equal(ds_decode(&d, &err), CRFMT_ERR_VALUE);
	ds_managed(&d);
	d.kind = CRFMT_DS_RAM;		/* map fields on plain RAM */
	d.n_inner = 0;
	assert_int_equal(ds_decode(&d, &err), CRFMT_ERR_VALUE);
	assert_string_equal(err.msg, "dataspace 3: map fields on a dataspace "
				     "not managed");
}

/* ---- pages -------------------------------------------------------- */

static void pages_roundtrip(void **state)
{
	struct tlv_writer w;
	struct crfmt_pages p;
	struct crfmt_run r;
	struct crfmt_iter it, rit;
	struct crfmt_err err;
	static uint8_t run[4096 * 2];
	size_t mark;

	(void)state;
	sample_fill_ram();
	memset(run, 0xcd, sizeof(run));
	sample_writer_init(&w);
	crfmt_pages_encode(&w, 7, sample_ram, SAMPLE_RAM_SIZE);
	mark = crfmt_pages_begin(&w, 9, 5 * 4096 + 100);
	crfmt_pages_run(&w, 0, run, 4096);
	crfmt_pages_run(&w, 2, run, 8192);
	crfmt_pages_run(&w, 5, run, 100);	/* the last, partial page */
	crfmt_pages_end(&w, mark);
	crfmt_iter_init(&it, w.buf, w.len);
	assert_int_equal(crfmt_pages_next(&it, &p, &err), CRFMT_OK);
	assert_int_equal(p.id, 7);
	assert_int_equal(p.size, SAMPLE_RAM_SIZE);
	assert_int_equal(p.data.len, SAMPLE_RAM_SIZE);
	assert_memory_equal(p.data.data, sample_ram, SAMPLE_RAM_SIZE);
	assert_int_equal(p.n_runs, 0);
	assert_int_equal(crfmt_pages_next(&it, &p, &err), CRFMT_OK);
	assert_int_equal(p.id, 9);
	assert_null(p.data.data);
	assert_int_equal(p.n_runs, 3);
	crfmt_runs_init(&rit, &p);
	uint64_t pages[] = { 0, 2, 5 }, lens[] = { 4096, 8192, 100 };
	for (int i = 0; i < 3; i++) {
		assert_int_equal(crfmt_runs_next(&rit, &r, &err), CRFMT_OK);
		assert_int_equal(r.page, pages[i]);
		assert_int_equal(r.data.len, lens[i]);
		assert_memory_equal(r.data.data, run, lens[i]);
	}
	assert_int_equal(crfmt_runs_next(&rit, &r, &err), CRFMT_END);
	assert_int_equal(crfmt_pages_next(&it, &p, &err), CRFMT_END);
	sample_writer_free(&w);
}

static enum crfmt_status run_case(uint64_t size, uint64_t p1, size_t l1,
				  uint64_t p2, size_t l2,
				  struct crfmt_err *err)
{
	static uint8_t run[3 * 4096];
	struct tlv_writer w;
	struct crfmt_pages p;
	struct crfmt_iter it;
	enum crfmt_status st;
	size_t mark;

	sample_writer_init(&w);
	mark = crfmt_pages_begin(&w, 3, size);
	crfmt_pages_run(&w, p1, run, l1);
	if (l2)
		crfmt_pages_run(&w, p2, run, l2);
	crfmt_pages_end(&w, mark);
	crfmt_iter_init(&it, w.buf, w.len);
	st = crfmt_pages_next(&it, &p, err);
	sample_writer_free(&w);
	return st;
}

static void pages_rejects(void **state)
{
	struct crfmt_err err;
	struct tlv_writer w;
	struct crfmt_pages p;
	struct crfmt_iter it;
	size_t mark;

	(void)state;
	assert_int_equal(run_case(8192, 0, 4096, 1, 4096, &err), CRFMT_OK);
	assert_int_equal(run_case(8192, 1, 4096, 0, 4096, &err),
			 CRFMT_ERR_ORDER);
	assert_string_equal(err.msg, "dataspace 3: run at byte 4150: page 0 "
				     "overlaps or precedes the previous run");
	assert_int_equal(run_case(8192, 0, 8192, 1, 4096, &err),
			 CRFMT_ERR_ORDER);
	assert_int_equal(run_case(8192, 2, 4096, 0, 0, &err), CRFMT_ERR_ORDER);
	assert_string_equal(err.msg, "dataspace 3: run at byte 28: page 2 "
				     "beyond the end");
	assert_int_equal(run_case(8192, 0, 100, 0, 0, &err), CRFMT_ERR_VALUE);
	assert_string_equal(err.msg, "dataspace 3: run at byte 28: 100 bytes "
				     "at page 0, not whole pages inside 0x2000 "
				     "bytes");
	assert_int_equal(run_case(8192, 1, 8192, 0, 0, &err), CRFMT_ERR_VALUE);
	/* whole content of the wrong size */
	sample_writer_init(&w);
	crfmt_pages_encode(&w, 3, "abc", 3);
	w.buf[6 + 6 + 8 + 6] = 4;	/* size 4, content 3 */
	crfmt_iter_init(&it, w.buf, w.len);
	assert_int_equal(crfmt_pages_next(&it, &p, &err), CRFMT_ERR_VALUE);
	assert_string_equal(err.msg, "dataspace 3: 3 bytes of content, size 4");
	sample_writer_free(&w);
	/* both forms */
	sample_writer_init(&w);
	mark = crfmt_pages_begin(&w, 3, 4096);
	tlv_put_blob(&w, CRFMT_PG_DATA, sample_ram, 4096);
	crfmt_pages_run(&w, 0, sample_ram, 4096);
	crfmt_pages_end(&w, mark);
	crfmt_iter_init(&it, w.buf, w.len);
	assert_int_equal(crfmt_pages_next(&it, &p, &err), CRFMT_ERR_VALUE);
	assert_string_equal(err.msg, "dataspace 3: both whole content and runs");
	sample_writer_free(&w);
}

/* ---- capspace ----------------------------------------------------- */

/* caps_encode (capspace_encode.c, also in libcrfmt.a) writes exactly the
 * bytes of docs/image-format.md: name, then the slot record with its
 * required fields, label, role and service. */
static void capspace_bytes(void **state)
{
	static uint8_t const want[] =
		"\x01\x00\x07\x00\x00\x00" "counter"
		"\x02\x00\x5d\x00\x00\x00"
		"\x01\x00\x08\x00\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00"
		"\x02\x00\x08\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00"
		"\x03\x00\x08\x00\x00\x00\x05\x00\x00\x00\x00\x00\x00\x00"
		"\x04\x00\x08\x00\x00\x00\x1f\x00\x00\x00\x00\x00\x00\x00"
		"\x05\x00\x08\x00\x00\x00\x2a\x00\x00\x00\x00\x00\x00\x00"
		"\x06\x00\x08\x00\x00\x00\x06\x00\x00\x00\x00\x00\x00\x00"
		"\x09\x00\x03\x00\x00\x00" "LOG";
	struct caps_entry e = {
		.slot = 0x200, .kind = L4X_KIND_GATE, .rights = CAPS_R | CAPS_W,
		.object = 31, .label = 0x2a, .role = CAPS_ROLE_SESSION,
		.service = "LOG",
	};
	struct caps_space cs = { .name = "counter", .entries = &e, .n = 1,
				 .cap = 1 };
	struct tlv_writer w;

	(void)state;
	sample_writer_init(&w);
	caps_encode(&cs, &w);
	assert_true(tlv_writer_ok(&w));
	assert_int_equal(w.len, sizeof(want) - 1);
	assert_memory_equal(w.buf, want, w.len);
	sample_writer_free(&w);
}

/* A writer on a fixed buffer without a grow callback fails when full,
 * and stays failed: cr learns at the end, not by a crash. */
static void fixed_buffer(void **state)
{
	uint8_t buf[20];
	struct tlv_writer w;

	(void)state;
	tlv_writer_init_buf(&w, buf, sizeof(buf), NULL, NULL);
	tlv_put_u64(&w, 1, 7);
	assert_true(tlv_writer_ok(&w));
	assert_int_equal(w.len, 14);
	tlv_put_u64(&w, 2, 7);
	assert_false(tlv_writer_ok(&w));
	assert_int_equal(w.len, 14);
	tlv_put_blob(&w, 3, "x", 1);
	assert_int_equal(w.len, 14);
}

/* ---- the stream --------------------------------------------------- */

static void stream_builds(void **state)
{
	size_t len, at;
	uint32_t index;
	uint8_t *s = sample_stream("\1\0\0\0\0\0", 6, &len);
	struct cr_stream_reader r;
	struct cr_stream_section sec;
	uint32_t types[] = { 1, 2, 3, 4, 5, 6 };

	(void)state;
	assert_non_null(s);
	assert_int_equal(len % 8, 0);
	assert_int_equal(cr_stream_check(s, len, &at, &index), CR_STREAM_OK);
	assert_int_equal(cr_stream_reader_init(&r, s, len), CR_STREAM_OK);
	assert_int_equal(r.count, 6);
	for (int i = 0; i < 6; i++) {
		assert_int_equal(cr_stream_next(&r, &sec), CR_STREAM_OK);
		assert_int_equal(sec.type, types[i]);
	}
	assert_int_equal(cr_stream_next(&r, &sec), CR_STREAM_END);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(meta_roundtrip),
		cmocka_unit_test(meta_minimal),
		cmocka_unit_test(meta_rejects),
		cmocka_unit_test(parent_roundtrip),
		cmocka_unit_test(parent_rejects),
		cmocka_unit_test(threads_roundtrip),
		cmocka_unit_test(threads_register_tags),
		cmocka_unit_test(threads_rejects),
		cmocka_unit_test(threads_order),
		cmocka_unit_test(sessions_roundtrip),
		cmocka_unit_test(sessions_rejects),
		cmocka_unit_test(regions_roundtrip),
		cmocka_unit_test(regions_rejects),
		cmocka_unit_test(regions_managed_roundtrip),
		cmocka_unit_test(regions_managed_rejects),
		cmocka_unit_test(pages_roundtrip),
		cmocka_unit_test(pages_rejects),
		cmocka_unit_test(capspace_bytes),
		cmocka_unit_test(fixed_buffer),
		cmocka_unit_test(stream_builds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Sample records for the crfmt tests (see sample.h).
 */
#include <stdlib.h>
#include <string.h>

#include <recap/cr_stream.h>

#include "sample.h"

static bool grow(void *ctx, uint8_t **buf, size_t *cap, size_t need)
{
	size_t c = *cap ? *cap : 64;
	uint8_t *b;

	(void)ctx;
	while (c < need)
		c *= 2;
	if (!(b = realloc(*buf, c)))
		return false;
	*buf = b;
	*cap = c;
	return true;
}

void sample_writer_init(struct tlv_writer *w)
{
	tlv_writer_init_buf(w, NULL, 0, grow, NULL);
}

void sample_writer_free(struct tlv_writer *w)
{
	free(w->buf);
	w->buf = NULL;
}

char const sample_config[] = "<config><count>5</count></config>";

void sample_meta_rec(struct crfmt_meta *m)
{
	crfmt_meta_init(m);
	strcpy(m->target, "counter");
	strcpy(m->binary, "counter.elf");
	strcpy(m->version, "0.1");
	m->time_ns = 1700000000123456789ull;
	m->flags = CRFMT_META_STOPPED;
	m->seq = 3;
	m->config = (struct tlv_bytes){ sample_config,
					sizeof(sample_config) - 1 };
}

void sample_thread(struct crfmt_thread *t, uint32_t index)
{
	l4_umword_t *regs = (l4_umword_t *)&t->state.regs;
	l4_umword_t *pend = (l4_umword_t *)&t->state.pending;

	crfmt_thread_init(t);
	t->index = index;
	strcpy(t->name, index ? "ep" : "main");
	t->flags = CRFMT_THREAD_PAUSED |
		   (index ? CRFMT_THREAD_BLOCKED | CRFMT_THREAD_EP
			  : CRFMT_THREAD_MAIN);
	t->slot_thread = 0x100 + index;
	t->slot_gate = 0x40 + 4 * index;
	t->slot_pager = 0x41 + 4 * index;
	if (index) {
		t->slot_irq = 0x42 + 4 * index;
		/* ids cr handed out (thread 0: none yet, the fields absent) */
		t->vid = (1ull << 62) | 3;
		t->irq_vid = (1ull << 62) | 4;
		t->vid_next = 4;
		t->irq_pending = 2;	/* a lock released to it while pausing */
	}
	/* Every register distinct: r15 = 0x1000 + index * 0x100, ... */
	for (unsigned i = 0; i < CRFMT_REGS_COUNT; i++)
		regs[i] = 0x1000 + index * 0x100 + i;
	t->state.regs.rip = 0x10001234 + index;
	t->state.regs.rsp = 0x7fff0000 - index * 0x1000;
	t->state.regs.rflags = 0x246;
	t->state.regs.fs_base = 0x20000000 + index;
	t->state.regs.gs_base = 0;
	for (unsigned i = 0; i < CRFMT_PENDING_COUNT; i++)
		pend[i] = 0x500 + index * 0x10 + i;
	t->state.pending.kind = index ? L4X_PENDING_RECV : L4X_PENDING_NONE;
	t->state.pending.partner_id = index ? 42 : 0;
	t->state.pending.reply_to_id = 0;
	t->state.pending.self_id = 17 + index;
	for (unsigned i = 0; i < L4X_FPU_SIZE; i++)
		t->state.fpu[i] = (uint8_t)(i * 7 + index);
	for (unsigned i = 0; i < L4_UTCB_OFFSET; i++)
		t->state.utcb[i] = (uint8_t)(i * 13 + index);
}

void sample_session_timer(struct crfmt_session *s)
{
	crfmt_session_init(s);
	s->id = 1;
	strcpy(s->service, "Timer");
	s->role = CRFMT_ROLE_CLIENT;
	strcpy(s->args, "ram_quota=8192, cap_quota=2, label=\"counter\"");
	strcpy(s->label, "counter");
	s->slot = 0x203;
	s->has = CRFMT_HAS_TIMER;
	s->timer = (struct crfmt_timer){ CRFMT_TIMER_PERIODIC, 250000, 1200,
					 0x77, 0 };
	s->n_signals = 2;
	s->signals[0] = (struct crfmt_signal){ 0x77, 1, 2, 0x205 };
	s->signals[1] = (struct crfmt_signal){ 0x78, 0, 0, CRFMT_NO_SLOT };
}

void sample_session_log(struct crfmt_session *s)
{
	crfmt_session_init(s);
	s->id = 2;
	strcpy(s->service, "LOG");
	s->role = CRFMT_ROLE_CLIENT;
	strcpy(s->label, "counter");
	s->slot = 0x200;
}

/* A CR session of a child serving requests itself: the context it
 * signals. */
void sample_session_cr(struct crfmt_session *s)
{
	crfmt_session_init(s);
	s->id = 3;
	strcpy(s->service, "CR");
	s->role = CRFMT_ROLE_CLIENT;
	s->slot = 0x207;
	s->sigh = 0xdc750000010098ULL;
}

void sample_session_ram(struct crfmt_session *s)
{
	crfmt_session_init(s);
	s->id = 5;
	strcpy(s->service, "RAM");
	s->role = CRFMT_ROLE_CLIENT;
	s->ram_upgrade = 65536;
	s->cap_upgrade = 4;
	s->has = CRFMT_HAS_RAM;
	s->ram = (struct crfmt_ram){ 1 << 20, 12288 };
}

void sample_ds_ram(struct crfmt_ds *d)
{
	crfmt_ds_init(d);
	d->id = 7;
	d->size = SAMPLE_RAM_SIZE;
	d->kind = CRFMT_DS_RAM;
	d->writable = 1;
	d->n_attach = 2;
	d->attach[0] = (struct crfmt_attach){ 0x10100000, 0, 8192,
					      CRFMT_R | CRFMT_W };
	d->attach[1] = (struct crfmt_attach){ 0x10200000, 4096, 4096,
					      CRFMT_R };
}

void sample_ds_rom(struct crfmt_ds *d)
{
	crfmt_ds_init(d);
	d->id = 9;
	d->size = 10000;
	d->kind = CRFMT_DS_ROM;
	strcpy(d->module, "config");
	d->n_attach = 1;
	d->attach[0] = (struct crfmt_attach){ 0x10300000, 0, 12288,
					      CRFMT_R | CRFMT_X };
}

uint8_t sample_ram[SAMPLE_RAM_SIZE];

void sample_fill_ram(void)
{
	for (unsigned i = 0; i < SAMPLE_RAM_SIZE; i++)
		sample_ram[i] = (uint8_t)(i ^ (i >> 8));
}

uint8_t *sample_stream(void const *capspace, size_t capspace_len,
		       size_t *len)
{
	static struct crfmt_thread t;	/* 1.6 KiB: off the stack */
	struct tlv_writer w;
	struct crfmt_meta m;
	struct crfmt_session s;
	struct crfmt_ds d;
	size_t sec, mark;
	uint8_t rom_page[10000 - 4096];

	sample_fill_ram();
	memset(rom_page, 0xab, sizeof(rom_page));
	sample_writer_init(&w);
	crfmt_stream_begin(&w);
	sec = crfmt_stream_section_begin(&w, CR_SEC_META);
	sample_meta_rec(&m);
	crfmt_meta_encode(&w, &m);
	crfmt_stream_section_end(&w, sec);
	sec = crfmt_stream_section_begin(&w, CR_SEC_CAPSPACE);
	tlv_put_raw(&w, capspace, capspace_len);
	crfmt_stream_section_end(&w, sec);
	sec = crfmt_stream_section_begin(&w, CR_SEC_THREADS);
	for (uint32_t i = 0; i < 2; i++) {
		sample_thread(&t, i);
		crfmt_thread_encode(&w, &t);
	}
	crfmt_stream_section_end(&w, sec);
	sec = crfmt_stream_section_begin(&w, CR_SEC_SESSIONS);
	sample_session_timer(&s);
	crfmt_session_encode(&w, &s);
	sample_session_log(&s);
	crfmt_session_encode(&w, &s);
	sample_session_ram(&s);
	crfmt_session_encode(&w, &s);
	crfmt_stream_section_end(&w, sec);
	sec = crfmt_stream_section_begin(&w, CR_SEC_REGIONS);
	sample_ds_ram(&d);
	crfmt_ds_encode(&w, &d);
	sample_ds_rom(&d);
	crfmt_ds_encode(&w, &d);
	crfmt_stream_section_end(&w, sec);
	sec = crfmt_stream_section_begin(&w, CR_SEC_PAGES);
	crfmt_pages_encode(&w, 7, sample_ram, SAMPLE_RAM_SIZE);
	mark = crfmt_pages_begin(&w, 9, 10000);
	crfmt_pages_run(&w, 1, rom_page, sizeof(rom_page));
	crfmt_pages_end(&w, mark);
	crfmt_stream_section_end(&w, sec);
	if (!tlv_writer_ok(&w)) {
		sample_writer_free(&w);
		return NULL;
	}
	*len = w.len;
	return w.buf;
}

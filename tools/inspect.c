/*
 * inspect — `recap inspect FILE [--json]` (see inspect.h).
 *
 * The image is opened with image_open, so every byte is verified before
 * anything is decoded; then every section is decoded with the same record
 * code cr uses (cr/crfmt.h, cr/capspace_record.h). The listing is built in
 * memory and written only when the whole image decoded, so a malformed
 * record gives one line on stderr and no half listing on stdout.
 *
 * Sections are listed in file order, each by its decoder; strings from the
 * image are escaped (caps_put_text / caps_put_json_str), so a hostile image
 * can neither drive the terminal nor break the JSON.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "capspace_images.h"
#include "capspace_print.h"
#include "capspace_record.h"
#include "cr_chain.h"
#include "crfmt.h"
#include "image.h"
#include "inspect.h"

typedef unsigned long long ull;	/* for printf: uint64_t is not %llx */

#define INSPECT_USAGE "recap inspect FILE [--json]"

struct inspect {
	FILE *f;			/* the listing being built */
	char const *path;		/* the image listed */
	bool json;
	char msg[CRFMT_MSG_MAX + 128];	/* why a section did not decode */
};

/* ---- small printers ------------------------------------------------ */

static void text_str(FILE *f, char const *s)
{
	caps_put_text(f, s);
}

/* A quoted string for the text form: "name" */
static void text_quoted(FILE *f, char const *s)
{
	fputc('"', f);
	caps_put_text(f, s);
	fputc('"', f);
}

static void json_key_str(FILE *f, char const *key, char const *s)
{
	fprintf(f, "\"%s\": ", key);
	caps_put_json_str(f, s);
}

static void json_key_hex(FILE *f, char const *key, uint64_t v)
{
	fprintf(f, "\"%s\": \"0x%llx\"", key, (ull)v);
}

/* A slot number (a number, as in the capspace listing), or null. */
static void json_key_slot(FILE *f, char const *key, uint64_t slot)
{
	if (slot == CRFMT_NO_SLOT)
		fprintf(f, "\"%s\": null", key);
	else
		fprintf(f, "\"%s\": %llu", key, (ull)slot);
}

/* ---- lists of records ---------------------------------------------- */

/*
 * The framing shared by the record sections (threads, sessions, regions,
 * pages): a "NAME" heading (text) or a JSON array, one record per line;
 * list_item() before each record, list_end() after the last with the
 * iterator's final status.
 */
static void list_begin(struct inspect *in, char const *name)
{
	if (in->json)
		fputs("[", in->f);
	else
		fprintf(in->f, "%s\n", name);
}

static void list_item(struct inspect *in, size_t n)
{
	if (in->json)
		fputs(n ? ",\n    " : "\n    ", in->f);
}

/* 0 if the records ended well (ST is CRFMT_END), else -1 with ERR's message. */
static int list_end(struct inspect *in, size_t n, enum crfmt_status st,
		    struct crfmt_err const *err)
{
	if (in->json)
		fputs(n ? "\n  ]" : "]", in->f);
	if (st != CRFMT_END) {
		snprintf(in->msg, sizeof(in->msg), "%s", err->msg);
		return -1;
	}
	return 0;
}

/* ---- meta ---------------------------------------------------------- */

void inspect_meta_flags(FILE *f, uint64_t flags)
{
	if (!flags) {
		fputs("none", f);
		return;
	}
	fprintf(f, "%s%s%s", flags & CRFMT_META_STOPPED ? "stopped" : "",
		(flags & CRFMT_META_STOPPED) && (flags & CRFMT_META_INCREMENTAL)
			? ", " : "",
		flags & CRFMT_META_INCREMENTAL ? "incremental" : "");
}

/* The config text: a string member cannot hold it, so copy it out. */
char *inspect_config_str(struct crfmt_meta const *m)
{
	char *s = malloc(m->config.len + 1);

	if (!s)
		return NULL;
	memcpy(s, m->config.data, m->config.len);
	s[m->config.len] = '\0';
	/* A NUL inside would cut it: show it escaped instead. */
	for (size_t i = 0; i < m->config.len; i++)
		if (!s[i])
			s[i] = 0x7f;
	return s;
}

static int show_meta(struct inspect *in, void const *data, size_t len)
{
	struct crfmt_meta m;
	struct crfmt_err err;
	FILE *f = in->f;
	char *config;

	if (crfmt_meta_decode(data, len, &m, &err)) {
		snprintf(in->msg, sizeof(in->msg), "%s", err.msg);
		return -1;
	}
	if (!(config = inspect_config_str(&m))) {
		snprintf(in->msg, sizeof(in->msg), "out of memory");
		return -1;
	}
	if (in->json) {
		fputs("{", f);
		json_key_str(f, "target", m.target);
		fputs(", ", f);
		json_key_str(f, "binary", m.binary);
		fputs(", ", f);
		json_key_str(f, "recap", m.version);
		fprintf(f, ", \"time_ns\": \"%llu\", \"seq\": %llu, "
			   "\"stopped\": %s, \"incremental\": %s, ",
			(ull)m.time_ns, (ull)m.seq,
			m.flags & CRFMT_META_STOPPED ? "true" : "false",
			m.flags & CRFMT_META_INCREMENTAL ? "true" : "false");
		if (m.instance)
			fprintf(f, "\"instance\": \"0x%016llx\", ",
				(ull)m.instance);
		json_key_str(f, "config", config);
		fputs("}", f);
	} else {
		fputs("meta\n  target ", f);
		text_quoted(f, m.target);
		fputs(", binary ", f);
		text_quoted(f, m.binary);
		fputs(", recap ", f);
		text_str(f, m.version);
		fprintf(f, "\n  time %llu.%09llu, checkpoint %llu, flags ",
			(ull)(m.time_ns / 1000000000ull),
			(ull)(m.time_ns % 1000000000ull), (ull)m.seq);
		inspect_meta_flags(f, m.flags);
		if (m.instance)
			fprintf(f, ", instance 0x%016llx", (ull)m.instance);
		fprintf(f, "\n  config %zu bytes", m.config.len);
		if (m.config.len) {
			fputs(": ", f);
			text_str(f, config);
		}
		fputc('\n', f);
	}
	free(config);
	return 0;
}

/* ---- threads ------------------------------------------------------- */

/* What the thread was doing, from its pending call. */
static void thread_doing(FILE *f, struct l4x_pending const *p)
{
	switch (p->kind) {
	case L4X_PENDING_NONE:
		fputs("running", f);
		break;
	case L4X_PENDING_SEND:
		fprintf(f, "blocked in call: send to thread %llu",
			(ull)p->partner_id);
		break;
	case L4X_PENDING_RECV:
		fprintf(f, "blocked in call: receive from thread %llu",
			(ull)p->partner_id);
		break;
	case L4X_PENDING_WAIT:
		fputs("blocked in wait", f);
		break;
	case L4X_PENDING_RESULT:
		fprintf(f, "result from thread %llu not yet read",
			(ull)p->partner_id);
		break;
	default:
		fprintf(f, "pending kind %llu", (ull)p->kind);
		break;
	}
	if (p->reply_to_id)
		fprintf(f, ", owes a reply to thread %llu",
			(ull)p->reply_to_id);
}

static void thread_flags_text(FILE *f, uint64_t flags)
{
	static char const *const names[] = { "paused", "blocked", "main",
					     "entrypoint", "unstarted", "held" };
	bool any = false;

	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (flags & (1ull << i)) {
			fprintf(f, "%s%s", any ? " " : "", names[i]);
			any = true;
		}
	if (!any)
		fputs("-", f);
}

/* The registers people look at first, then the rest, four a line. */
static unsigned const reg_order[] = {
	16, 19, 18,			/* rip rsp rflags */
	10, 5, 11, 12, 13, 14, 4,	/* rax rbx rcx rdx rsi rdi rbp */
	9, 8, 7, 6, 3, 2, 1, 0,		/* r8 .. r15 */
	21, 22,				/* fs_base gs_base */
	15, 17, 20, 23, 24, 25, 26,	/* orig_rax cs ss ds es fs gs */
};

void inspect_thread_doing(FILE *f, struct l4x_pending const *p)
{
	thread_doing(f, p);
}

void inspect_thread_flags(FILE *f, uint64_t flags)
{
	thread_flags_text(f, flags);
}

static void thread_text(FILE *f, struct crfmt_thread const *t)
{
	l4_umword_t const *regs = (l4_umword_t const *)&t->state.regs;
	struct l4x_pending const *p = &t->state.pending;

	fprintf(f, "  thread %u ", t->index);
	text_quoted(f, t->name);
	fputs(" [", f);
	thread_flags_text(f, t->flags);
	fputs("]: ", f);
	thread_doing(f, p);
	fprintf(f, "\n    kernel id %llu", (ull)p->self_id);
	if (t->slot_thread != CRFMT_NO_SLOT)
		fprintf(f, ", thread slot 0x%llx", (ull)t->slot_thread);
	if (t->slot_gate != CRFMT_NO_SLOT)
		fprintf(f, ", gate 0x%llx", (ull)t->slot_gate);
	if (t->slot_pager != CRFMT_NO_SLOT)
		fprintf(f, ", pager 0x%llx", (ull)t->slot_pager);
	if (t->slot_irq != CRFMT_NO_SLOT)
		fprintf(f, ", irq 0x%llx", (ull)t->slot_irq);
	if (t->irq_pending)
		fprintf(f, " (%llu triggers pending)", (ull)t->irq_pending);
	for (unsigned i = 0; i < sizeof(reg_order) / sizeof(reg_order[0]);
	     i++) {
		unsigned r = reg_order[i];

		fprintf(f, "%s%-8s 0x%016llx", i % 4 ? "  " : "\n    ",
			crfmt_reg_name(r), (ull)regs[r]);
	}
	fprintf(f, "\n    pending  kind %s dest 0x%llx label 0x%llx tag "
		   "0x%llx timeout 0x%llx",
		crfmt_pending_kind_name(p->kind)
			? crfmt_pending_kind_name(p->kind) : "?",
		(ull)p->dest, (ull)p->label, (ull)p->tag, (ull)p->timeout);
	fprintf(f, "\n             remaining_us 0x%llx partner %llu reply_to "
		   "%llu result_label 0x%llx\n",
		(ull)p->remaining_us, (ull)p->partner_id, (ull)p->reply_to_id,
		(ull)p->result_label);
}

static void thread_json(FILE *f, struct crfmt_thread const *t)
{
	l4_umword_t const *regs = (l4_umword_t const *)&t->state.regs;
	l4_umword_t const *pend = (l4_umword_t const *)&t->state.pending;
	char const *kind = crfmt_pending_kind_name(t->state.pending.kind);

	fprintf(f, "{\"index\": %u, ", t->index);
	json_key_str(f, "name", t->name);
	fprintf(f, ", \"paused\": %s, \"blocked\": %s, \"main\": %s, "
		   "\"entrypoint\": %s, ",
		t->flags & CRFMT_THREAD_PAUSED ? "true" : "false",
		t->flags & CRFMT_THREAD_BLOCKED ? "true" : "false",
		t->flags & CRFMT_THREAD_MAIN ? "true" : "false",
		t->flags & CRFMT_THREAD_EP ? "true" : "false");
	json_key_slot(f, "thread_slot", t->slot_thread);
	fputs(", ", f);
	json_key_slot(f, "gate_slot", t->slot_gate);
	fputs(", ", f);
	json_key_slot(f, "pager_slot", t->slot_pager);
	fputs(", ", f);
	json_key_slot(f, "irq_slot", t->slot_irq);
	fprintf(f, ", \"irq_pending\": %llu", (ull)t->irq_pending);
	fputs(",\n      \"regs\": {", f);
	for (unsigned i = 0; i < CRFMT_REGS_COUNT; i++) {
		fputs(i ? ", " : "", f);
		json_key_hex(f, crfmt_reg_name(i), regs[i]);
	}
	fputs("},\n      \"pending\": {", f);
	if (kind)
		fprintf(f, "\"state\": \"%s\"", kind);
	else
		fprintf(f, "\"state\": \"kind %llu\"",
			(ull)t->state.pending.kind);
	for (unsigned i = 1; i < CRFMT_PENDING_COUNT; i++) {
		fputs(", ", f);
		json_key_hex(f, crfmt_pending_name(i), pend[i]);
	}
	fprintf(f, "}, \"fpu_bytes\": %u, \"utcb_bytes\": %u}", L4X_FPU_SIZE,
		L4_UTCB_OFFSET);
}

static int show_threads(struct inspect *in, void const *data, size_t len)
{
	static struct crfmt_thread t;	/* 1.6 KiB: off the stack */
	struct crfmt_iter it;
	struct crfmt_err err;
	enum crfmt_status st;
	size_t n = 0;

	crfmt_iter_init(&it, data, len);
	list_begin(in, "threads");
	while ((st = crfmt_threads_next(&it, &t, &err)) == CRFMT_OK) {
		list_item(in, n++);
		if (in->json)
			thread_json(in->f, &t);
		else
			thread_text(in->f, &t);
	}
	return list_end(in, n, st, &err);
}

/* ---- sessions ------------------------------------------------------ */

static void session_text(FILE *f, struct crfmt_session const *s)
{
	fprintf(f, "  session %llu ", (ull)s->id);
	text_str(f, s->service);
	fprintf(f, " (%s)", crfmt_role_name(s->role));
	if (s->label[0]) {
		fputs(" label ", f);
		text_quoted(f, s->label);
	}
	if (s->slot != CRFMT_NO_SLOT)
		fprintf(f, " slot 0x%llx", (ull)s->slot);
	fputc('\n', f);
	if (s->args[0]) {
		fputs("    args ", f);
		text_str(f, s->args);
		fputc('\n', f);
	}
	if (s->ram_upgrade || s->cap_upgrade)
		fprintf(f, "    upgraded by %llu bytes, %llu caps\n",
			(ull)s->ram_upgrade, (ull)s->cap_upgrade);
	if (s->sigh)
		fprintf(f, "    requests signal 0x%llx\n", (ull)s->sigh);
	if (s->has & CRFMT_HAS_TIMER) {
		fprintf(f, "    timer %s", crfmt_timer_mode_name(s->timer.mode));
		if (s->timer.mode == CRFMT_TIMER_PERIODIC)
			fprintf(f, " every %llu us",
				(ull)s->timer.period_us);
		if (s->timer.mode != CRFMT_TIMER_IDLE)
			fprintf(f, ", next in %llu us",
				(ull)s->timer.next_us);
		if (s->timer.signal)
			fprintf(f, ", signals 0x%llx", (ull)s->timer.signal);
		fputc('\n', f);
	}
	for (size_t i = 0; i < s->n_signals; i++) {
		struct crfmt_signal const *g = &s->signals[i];

		fprintf(f, "    signal context 0x%llx: thread %u, %llu pending",
			(ull)g->badge, g->thread, (ull)g->pending);
		if (g->slot != CRFMT_NO_SLOT)
			fprintf(f, ", slot 0x%llx", (ull)g->slot);
		fputc('\n', f);
	}
	if (s->has & CRFMT_HAS_RAM)
		fprintf(f, "    ram quota %llu bytes, %llu used\n",
			(ull)s->ram.quota, (ull)s->ram.used);
	if (s->has & CRFMT_HAS_ROM) {
		fputs("    rom module ", f);
		text_quoted(f, s->rom.module);
		fprintf(f, ", dataspace %llu\n", (ull)s->rom.ds);
	}
	if (s->has & CRFMT_HAS_RM)
		fprintf(f, "    region map of %llu bytes, dataspace %llu\n",
			(ull)s->rm.size, (ull)s->rm.ds);
}

static void session_json(FILE *f, struct crfmt_session const *s)
{
	fprintf(f, "{\"id\": %llu, ", (ull)s->id);
	json_key_str(f, "service", s->service);
	fprintf(f, ", \"role\": \"%s\", ", crfmt_role_name(s->role));
	json_key_str(f, "label", s->label);
	fputs(", ", f);
	json_key_str(f, "args", s->args);
	fprintf(f, ", \"ram_upgrade\": %llu, \"cap_upgrade\": %llu, ",
		(ull)s->ram_upgrade, (ull)s->cap_upgrade);
	json_key_slot(f, "slot", s->slot);
	if (s->sigh)
		fprintf(f, ", \"sigh\": \"0x%llx\"", (ull)s->sigh);
	if (s->has & CRFMT_HAS_TIMER)
		fprintf(f, ", \"timer\": {\"mode\": \"%s\", \"period_us\": "
			   "%llu, \"next_us\": %llu, \"signal\": \"0x%llx\"}",
			crfmt_timer_mode_name(s->timer.mode),
			(ull)s->timer.period_us, (ull)s->timer.next_us,
			(ull)s->timer.signal);
	fputs(", \"signals\": [", f);
	for (size_t i = 0; i < s->n_signals; i++) {
		struct crfmt_signal const *g = &s->signals[i];

		fprintf(f, "%s{\"badge\": \"0x%llx\", \"thread\": %u, "
			   "\"pending\": %llu, ", i ? ", " : "",
			(ull)g->badge, g->thread, (ull)g->pending);
		json_key_slot(f, "slot", g->slot);
		fputs("}", f);
	}
	fputs("]", f);
	if (s->has & CRFMT_HAS_RAM)
		fprintf(f, ", \"ram\": {\"quota\": %llu, \"used\": %llu}",
			(ull)s->ram.quota, (ull)s->ram.used);
	if (s->has & CRFMT_HAS_ROM) {
		fputs(", \"rom\": {", f);
		json_key_str(f, "module", s->rom.module);
		fprintf(f, ", \"dataspace\": %llu}", (ull)s->rom.ds);
	}
	if (s->has & CRFMT_HAS_RM)
		fprintf(f, ", \"rm\": {\"size\": %llu, \"dataspace\": %llu}",
			(ull)s->rm.size, (ull)s->rm.ds);
	fputs("}", f);
}

static int show_sessions(struct inspect *in, void const *data, size_t len)
{
	static struct crfmt_session s;
	struct crfmt_iter it;
	struct crfmt_err err;
	enum crfmt_status st;
	size_t n = 0;

	crfmt_iter_init(&it, data, len);
	list_begin(in, "sessions");
	while ((st = crfmt_sessions_next(&it, &s, &err)) == CRFMT_OK) {
		list_item(in, n++);
		if (in->json)
			session_json(in->f, &s);
		else
			session_text(in->f, &s);
	}
	return list_end(in, n, st, &err);
}

/* ---- regions ------------------------------------------------------- */

static void ds_text(FILE *f, struct crfmt_ds const *d)
{
	char r[CRFMT_RIGHTS_STR];

	fprintf(f, "  dataspace %llu: %s", (ull)d->id,
		crfmt_ds_kind_name(d->kind));
	if (d->module[0]) {
		fputc(' ', f);
		text_quoted(f, d->module);
	}
	fprintf(f, ", %llu bytes, %s\n", (ull)d->size,
		d->writable ? "writable" : "read-only");
	for (size_t i = 0; i < d->n_attach; i++) {
		struct crfmt_attach const *a = &d->attach[i];

		fprintf(f, "    0x%llx-0x%llx %s offset 0x%llx\n",
			(ull)a->addr, (ull)(a->addr + a->size),
			crfmt_rights_str(a->rights, r), (ull)a->offset);
	}
	if (d->kind != CRFMT_DS_MANAGED)
		return;
	fprintf(f, "    region map of RM session %llu, fault handler ",
		(ull)d->map_session);
	if (d->map_signal)
		fprintf(f, "0x%llx\n", (ull)d->map_signal);
	else
		fputs("none\n", f);
	for (size_t i = 0; i < d->n_inner; i++) {
		struct crfmt_inner const *in = &d->inner[i];

		fprintf(f, "    inside +0x%llx-0x%llx %s: dataspace %llu offset "
			"0x%llx\n", (ull)in->offset, (ull)(in->offset + in->size),
			crfmt_rights_str(in->rights, r), (ull)in->ds,
			(ull)in->ds_offset);
	}
}

static void ds_json(FILE *f, struct crfmt_ds const *d)
{
	char r[CRFMT_RIGHTS_STR];

	fprintf(f, "{\"id\": %llu, \"kind\": \"%s\", ", (ull)d->id,
		crfmt_ds_kind_name(d->kind));
	json_key_str(f, "module", d->module);
	fprintf(f, ", \"size\": %llu, \"writable\": %s, \"attachments\": [",
		(ull)d->size, d->writable ? "true" : "false");
	for (size_t i = 0; i < d->n_attach; i++) {
		struct crfmt_attach const *a = &d->attach[i];

		fprintf(f, "%s{\"address\": \"0x%llx\", \"size\": %llu, "
			   "\"offset\": %llu, \"rights\": \"%s\"}",
			i ? ", " : "", (ull)a->addr, (ull)a->size,
			(ull)a->offset, crfmt_rights_str(a->rights, r));
	}
	fputs("]", f);
	if (d->kind == CRFMT_DS_MANAGED) {
		fprintf(f, ", \"rm_session\": %llu, \"fault_handler\": %llu, "
			   "\"inside\": [", (ull)d->map_session,
			(ull)d->map_signal);
		for (size_t i = 0; i < d->n_inner; i++) {
			struct crfmt_inner const *in = &d->inner[i];

			fprintf(f, "%s{\"offset\": %llu, \"size\": %llu, "
				   "\"dataspace\": %llu, \"ds_offset\": %llu, "
				   "\"rights\": \"%s\"}", i ? ", " : "",
				(ull)in->offset, (ull)in->size, (ull)in->ds,
				(ull)in->ds_offset,
				crfmt_rights_str(in->rights, r));
		}
		fputs("]", f);
	}
	fputc('}', f);
}

static int show_regions(struct inspect *in, void const *data, size_t len)
{
	static struct crfmt_ds d;
	struct crfmt_iter it;
	struct crfmt_err err;
	enum crfmt_status st;
	size_t n = 0;

	crfmt_iter_init(&it, data, len);
	list_begin(in, "regions");
	while ((st = crfmt_regions_next(&it, &d, &err)) == CRFMT_OK) {
		list_item(in, n++);
		if (in->json)
			ds_json(in->f, &d);
		else
			ds_text(in->f, &d);
	}
	return list_end(in, n, st, &err);
}

/* ---- pages --------------------------------------------------------- */

/* Pages held by P's runs (checked: whole pages but the last). */
static uint64_t run_pages(struct crfmt_pages const *p)
{
	struct crfmt_iter it;
	struct crfmt_run r;
	uint64_t n = 0;

	crfmt_runs_init(&it, p);
	while (crfmt_runs_next(&it, &r, NULL) == CRFMT_OK)
		n += (r.data.len + CRFMT_PAGE_SIZE - 1) / CRFMT_PAGE_SIZE;
	return n;
}

static int show_pages(struct inspect *in, void const *data, size_t len)
{
	struct crfmt_pages p;
	struct crfmt_iter it;
	struct crfmt_err err;
	enum crfmt_status st;
	size_t n = 0;

	crfmt_iter_init(&it, data, len);
	list_begin(in, "pages");
	while ((st = crfmt_pages_next(&it, &p, &err)) == CRFMT_OK) {
		bool whole = p.data.data != NULL;

		list_item(in, n++);
		if (in->json)
			fprintf(in->f, "{\"dataspace\": %llu, \"size\": %llu, "
				       "\"form\": \"%s\", \"runs\": %zu, "
				       "\"pages\": %llu}",
				(ull)p.id, (ull)p.size, whole ? "whole" : "runs",
				p.n_runs, (ull)(whole ?
					(p.size + CRFMT_PAGE_SIZE - 1) /
						CRFMT_PAGE_SIZE
					: run_pages(&p)));
		else if (whole)
			fprintf(in->f, "  dataspace %llu: %llu bytes, whole\n",
				(ull)p.id, (ull)p.size);
		else
			fprintf(in->f, "  dataspace %llu: %llu bytes, %zu "
				       "run%s, %llu page%s\n", (ull)p.id,
				(ull)p.size, p.n_runs, p.n_runs == 1 ? "" : "s",
				(ull)run_pages(&p),
				run_pages(&p) == 1 ? "" : "s");
	}
	return list_end(in, n, st, &err);
}

/* ---- capspace and others --------------------------------------------- */

static int show_capspace(struct inspect *in, void const *data, size_t len)
{
	struct caps_space cs;
	struct caps_err err;
	int r;

	caps_init(&cs);
	if (caps_decode(data, len, &cs, &err)) {
		snprintf(in->msg, sizeof(in->msg), "%s", err.msg);
		return -1;
	}
	r = in->json ? caps_print_json(in->f, &cs) : caps_print_text(in->f, &cs);
	caps_free(&cs);
	if (r) {
		snprintf(in->msg, sizeof(in->msg), "cannot write the listing");
		return -1;
	}
	return 0;
}

/* ---- parent ---------------------------------------------------------- */

/* The chain the image ends, newest first, if every link holds; else why
 * not (an image is listed even if its parent is gone). */
static void show_chain(struct inspect *in)
{
	struct cr_chain *ch = malloc(sizeof(*ch));
	char msg[CR_CHAIN_MSG];
	FILE *f = in->f;

	if (!ch || cr_chain_open(in->path, ch, msg)) {
		if (!ch)
			snprintf(msg, sizeof(msg), "out of memory");
		if (in->json) {
			fputs(", ", f);
			json_key_str(f, "chain_error", msg);
		} else {
			fputs("  chain broken: ", f);
			text_str(f, msg);
			fputc('\n', f);
		}
		free(ch);
		return;
	}
	fputs(in->json ? ", \"chain\": [" : "  chain, newest first:\n", f);
	for (size_t i = 0; i < ch->n; i++) {
		struct cr_chain_link const *l = &ch->link[i];
		bool incr = l->meta.flags & CRFMT_META_INCREMENTAL;

		if (in->json) {
			fputs(i ? ", {" : "{", f);
			json_key_str(f, "file", l->path);
			fprintf(f, ", \"id\": \"0x%016llx\", \"seq\": %llu, "
				   "\"incremental\": %s}", (ull)l->id,
				(ull)l->meta.seq, incr ? "true" : "false");
		} else {
			fputs("    ", f);
			text_quoted(f, l->path);
			fprintf(f, ", id 0x%016llx, checkpoint %llu, %s\n",
				(ull)l->id, (ull)l->meta.seq,
				incr ? "incremental" : "full");
		}
	}
	if (in->json)
		fputs("]", f);
	cr_chain_close(ch);
	free(ch);
}

static int show_parent(struct inspect *in, void const *data, size_t len)
{
	struct crfmt_parent p;
	struct crfmt_err err;
	FILE *f = in->f;

	if (crfmt_parent_decode(data, len, &p, &err)) {
		snprintf(in->msg, sizeof(in->msg), "%s", err.msg);
		return -1;
	}
	if (in->json) {
		fputs("{", f);
		json_key_str(f, "path", p.path);
		fprintf(f, ", \"id\": \"0x%016llx\", \"seq\": %llu",
			(ull)p.image_id, (ull)p.seq);
	} else {
		fputs("parent\n  ", f);
		text_quoted(f, p.path);
		fprintf(f, ", id 0x%016llx, checkpoint %llu\n",
			(ull)p.image_id, (ull)p.seq);
	}
	if (in->path)
		show_chain(in);
	if (in->json)
		fputs("}", f);
	return 0;
}

/* A section this listing has no decoder for: its size. */
static int show_raw(struct inspect *in, struct image_section_info const *s)
{
	if (in->json)
		fprintf(in->f, "{\"bytes\": %llu}", (ull)s->raw_len);
	else
		fprintf(in->f, "%s\n  %llu bytes\n", s->name, (ull)s->raw_len);
	return 0;
}

/* ---- the image ------------------------------------------------------- */

/* Section I's info, an optional type this build does not know named
 * "unknown" (image_open refuses unknown types that are not optional). */
static void section_info(struct image const *img, size_t i,
			 struct image_section_info *s)
{
	image_section_info(img, i, s);
	if (!s->name)
		s->name = "unknown";
}

static void header(struct inspect *in, char const *path,
		   struct image const *img)
{
	size_t n = image_nsections(img);
	struct image_section_info s;
	uint64_t stored = 0, raw = 0;
	bool compressed = false;
	struct stat sb;
	FILE *f = in->f;

	for (size_t i = 0; i < n; i++) {
		section_info(img, i, &s);
		stored += s.stored_len;
		raw += s.raw_len;
		compressed |= s.compressed;
	}
	if (stat(path, &sb))
		sb.st_size = 0;
	if (in->json) {
		fputs("{\n  ", f);
		json_key_str(f, "file", path);
		fprintf(f, ",\n  \"format\": %d, \"id\": \"0x%016llx\", "
			   "\"size\": %lld, \"compressed\": %s, \"stored\": "
			   "%llu, \"raw\": %llu,\n  \"sections\": [",
			IMAGE_VERSION, (ull)image_id(img),
			(long long)sb.st_size, compressed ? "true" : "false",
			(ull)stored, (ull)raw);
		for (size_t i = 0; i < n; i++) {
			section_info(img, i, &s);
			fprintf(f, "%s{\"type\": \"%s\", \"stored\": %llu, "
				   "\"raw\": %llu, \"zstd\": %s}",
				i ? ",\n    " : "\n    ", s.name, (ull)s.stored_len,
				(ull)s.raw_len, s.compressed ? "true" : "false");
		}
		fputs(n ? "\n  ]" : "]", f);
		return;
	}
	fputs("image ", f);
	text_str(f, path);
	fprintf(f, "\n  format %d, id 0x%016llx, %lld bytes, %zu sections, %s"
		   "\n  %llu bytes stored, %llu raw\n",
		IMAGE_VERSION, (ull)image_id(img), (long long)sb.st_size, n,
		compressed ? "zstd" : "uncompressed", (ull)stored, (ull)raw);
	fprintf(f, "  %3s  %-9s %12s %12s  %s\n", "#", "section", "stored",
		"raw", "zstd");
	for (size_t i = 0; i < n; i++) {
		section_info(img, i, &s);
		fprintf(f, "  %3zu  %-9s %12llu %12llu  %s\n", i, s.name,
			(ull)s.stored_len, (ull)s.raw_len,
			s.compressed ? "yes" : "no");
	}
}

static int show_section(struct inspect *in, struct image_section_info *s)
{
	switch (s->type) {
	case IMAGE_SEC_META:
		return show_meta(in, s->data, s->raw_len);
	case IMAGE_SEC_CAPSPACE:
		return show_capspace(in, s->data, s->raw_len);
	case IMAGE_SEC_THREADS:
		return show_threads(in, s->data, s->raw_len);
	case IMAGE_SEC_SESSIONS:
		return show_sessions(in, s->data, s->raw_len);
	case IMAGE_SEC_REGIONS:
		return show_regions(in, s->data, s->raw_len);
	case IMAGE_SEC_PAGES:
		return show_pages(in, s->data, s->raw_len);
	case IMAGE_SEC_PARENT:
		return show_parent(in, s->data, s->raw_len);
	default:
		return show_raw(in, s);
	}
}

/* The whole listing of IMG into IN->f; -1 with IN->msg on a bad record. */
static int listing(struct inspect *in, char const *path,
		   struct image const *img)
{
	size_t n = image_nsections(img);
	struct image_section_info s;

	header(in, path, img);
	if (in->json)
		fputs(",\n  \"contents\": [", in->f);
	for (size_t i = 0; i < n; i++) {
		section_info(img, i, &s);
		if (in->json)
			fprintf(in->f, "%s{\"section\": %zu, \"type\": \"%s\", "
				       "\"content\": ",
				i ? ",\n  " : "\n  ", i, s.name);
		else
			fputc('\n', in->f);
		if (show_section(in, &s)) {
			char msg[sizeof(in->msg)];

			memcpy(msg, in->msg, sizeof(msg));
			snprintf(in->msg, sizeof(in->msg),
				 "section %zu (%s): %.256s", i, s.name, msg);
			return -1;
		}
		if (in->json)
			fputs("}", in->f);
	}
	if (in->json)
		fputs(n ? "\n  ]\n}\n" : "]\n}\n", in->f);
	return 0;
}

static int usage_error(FILE *err, char const *what, char const *arg)
{
	fprintf(err, "recap inspect: %s%s%s (usage: %s)\n", what,
		arg ? " " : "", arg ? arg : "", INSPECT_USAGE);
	return 2;
}

int inspect_main(int argc, char **argv, FILE *out, FILE *err)
{
	struct inspect in = { .json = false };
	char const *path = NULL;
	struct image_err ierr;
	struct image *img;
	char *buf = NULL;
	size_t len = 0;
	int r;

	/* Two images compared: capspace_images.h. */
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--check-against"))
			return caps_images_main(argc, argv, out, err);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fprintf(out,
				"usage: " INSPECT_USAGE "\n\n"
				"List what the checkpoint image FILE holds: "
				"its sections, the\ncheckpoint's metadata, "
				"threads (registers, what each was doing),\n"
				"sessions, memory regions and pages, and the "
				"capability space.\nThe whole file is verified "
				"first; a damaged, truncated or foreign\nfile "
				"is reported in one line on stderr (exit 1).\n"
				"\n  --json   one JSON document instead of "
				"text\n\n"
				"recap inspect --check-against ORIG RESTORED: "
				"is the capability space\nin image RESTORED "
				"equivalent to the one in ORIG? \"equivalent\"\n"
				"(exit 0) or each difference (exit 1).\n");
			return 0;
		} else if (!strcmp(argv[i], "--json")) {
			in.json = true;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return usage_error(err, "unknown option", argv[i]);
		} else if (path) {
			return usage_error(err, "unexpected argument", argv[i]);
		} else {
			path = argv[i];
		}
	}
	if (!path)
		return usage_error(err, "missing FILE", NULL);
	if (image_open(path, &img, &ierr)) {
		fprintf(err, "recap inspect: %s\n", ierr.msg);
		return 1;
	}
	if (!(in.f = open_memstream(&buf, &len))) {
		image_close(img);
		fprintf(err, "recap inspect: out of memory\n");
		return 1;
	}
	in.path = path;
	r = listing(&in, path, img);
	image_close(img);
	if (fclose(in.f) && !r) {
		r = -1;
		snprintf(in.msg, sizeof(in.msg), "out of memory");
	}
	if (r) {
		fprintf(err, "recap inspect: %s: %s\n", path, in.msg);
		free(buf);
		return 1;
	}
	r = fwrite(buf, 1, len, out) == len && !fflush(out) ? 0 : 1;
	if (r)
		fprintf(err, "recap inspect: cannot write the listing\n");
	free(buf);
	return r;
}

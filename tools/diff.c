/*
 * diff — `recap diff A B [--json] [--ignore-ids]` (see diff.h).
 *
 * Both images are opened with image_open (every byte verified) and every
 * section is decoded with the record code cr and recap inspect use
 * (cr/crfmt.h, cr/capspace_record.h), so an image recap inspect refuses is
 * refused here too, before anything is compared. The first section of
 * each type is then compared object by object, matched by key (slot,
 * thread index, session id, dataspace address).
 *
 * Every difference is one "item": an object added, removed or changed,
 * with the fields that changed. Items are written to a memory stream as
 * they are found, in text or JSON, and the result is printed only when
 * both images decoded and the comparison finished: a bad image gives one
 * line on stderr and nothing on stdout. Strings from the images are
 * escaped as recap inspect escapes them (caps_put_text, caps_put_json_str).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capspace_print.h"
#include "capspace_record.h"
#include "crfmt.h"
#include "diff.h"
#include "image.h"
#include "inspect.h"

typedef unsigned long long ull;	/* for printf: uint64_t is not %llx */

#define DIFF_USAGE "recap diff A B [--json] [--ignore-ids]"
#define VAL_MAX 640			/* one formatted value */

/* What one image holds, decoded: the first section of each type. */
struct side {
	char const *path;
	struct image *img;
	bool has_meta, has_caps;
	struct crfmt_meta meta;
	struct caps_space caps;
	struct crfmt_thread *thr;
	size_t n_thr;
	struct crfmt_session *ses;
	size_t n_ses;
	struct crfmt_ds *ds;
	size_t n_ds;
	struct crfmt_pages *pg;		/* views into img */
	size_t n_pg;
};

struct diff {
	FILE *f;			/* the items, text or JSON */
	bool json;
	bool ignore_ids;
	unsigned n;			/* items so far */
	char const *section;		/* of the last item (text: headers) */
	/* The item being built: started at its first field. */
	char const *it_section;
	char it_what[VAL_MAX];
	bool it_started;
	unsigned it_fields;
};

/* ---- items ----------------------------------------------------------- */

static char const *change_name(char mark)
{
	return mark == '+' ? "added" : mark == '-' ? "removed" : "changed";
}

/* Start an item: an object MARK ('+', '-', '~') named WHAT; DESC (may be
 * NULL) describes an added or removed one. */
static void item_start(struct diff *d, char const *section, char mark,
		       char const *what, char const *desc)
{
	FILE *f = d->f;

	if (d->json) {
		fprintf(f, "%s{\"section\": \"%s\", \"change\": \"%s\", "
			   "\"what\": ", d->n ? ",\n    " : "\n    ", section,
			change_name(mark));
		caps_put_json_str(f, what);
		if (desc) {
			fputs(", \"desc\": ", f);
			caps_put_json_str(f, desc);
		}
	} else {
		if (!d->section || strcmp(d->section, section))
			fprintf(f, "%s\n", section);
		fprintf(f, "  %c ", mark);
		caps_put_text(f, what);
		if (desc) {
			fputs(": ", f);
			caps_put_text(f, desc);
		}
		fputc('\n', f);
	}
	d->section = section;
	d->n++;
}

/* An object only one image has. */
static void item_one(struct diff *d, char const *section, char mark,
		     char const *what, char const *desc)
{
	item_start(d, section, mark, what, desc);
	if (d->json)
		fputs("}", d->f);
}

/* Begin comparing an object; the item appears with its first field. */
static void changed_begin(struct diff *d, char const *section,
			  char const *what)
{
	d->it_section = section;
	snprintf(d->it_what, sizeof(d->it_what), "%s", what);
	d->it_started = false;
	d->it_fields = 0;
}

static void field_start(struct diff *d, char const *name)
{
	if (!d->it_started) {
		item_start(d, d->it_section, '~', d->it_what, NULL);
		if (d->json)
			fputs(", \"fields\": [", d->f);
		d->it_started = true;
	}
	if (d->json) {
		fputs(d->it_fields ? ", {\"field\": " : "{\"field\": ", d->f);
		caps_put_json_str(d->f, name);
	} else {
		fputs("      ", d->f);
		caps_put_text(d->f, name);
		fputc(' ', d->f);
	}
	d->it_fields++;
}

/* Field NAME changed from OLD to NEW. */
static void field(struct diff *d, char const *name, char const *old,
		  char const *new)
{
	field_start(d, name);
	if (d->json) {
		fputs(", \"old\": ", d->f);
		caps_put_json_str(d->f, old);
		fputs(", \"new\": ", d->f);
		caps_put_json_str(d->f, new);
		fputs("}", d->f);
	} else {
		caps_put_text(d->f, old);
		fputs(" -> ", d->f);
		caps_put_text(d->f, new);
		fputc('\n', d->f);
	}
}

/* Field NAME differs, as NOTE says ("3 of 512 bytes differ"). */
static void field_note(struct diff *d, char const *name, char const *note)
{
	field_start(d, name);
	if (d->json) {
		fputs(", \"note\": ", d->f);
		caps_put_json_str(d->f, note);
		fputs("}", d->f);
	} else {
		caps_put_text(d->f, note);
		fputc('\n', d->f);
	}
}

/* The two strings, a field if they differ. */
static void field_str(struct diff *d, char const *name, char const *a,
		      char const *b)
{
	if (strcmp(a, b))
		field(d, name, a, b);
}

static void field_quoted(struct diff *d, char const *name, char const *a,
			 char const *b)
{
	char va[VAL_MAX], vb[VAL_MAX];

	if (!strcmp(a, b))
		return;
	snprintf(va, sizeof(va), "\"%s\"", a);
	snprintf(vb, sizeof(vb), "\"%s\"", b);
	field(d, name, va, vb);
}

static void field_hex(struct diff *d, char const *name, uint64_t a,
		      uint64_t b)
{
	char va[24], vb[24];

	if (a == b)
		return;
	snprintf(va, sizeof(va), "0x%llx", (ull)a);
	snprintf(vb, sizeof(vb), "0x%llx", (ull)b);
	field(d, name, va, vb);
}

static void field_dec(struct diff *d, char const *name, uint64_t a,
		      uint64_t b)
{
	char va[24], vb[24];

	if (a == b)
		return;
	snprintf(va, sizeof(va), "%llu", (ull)a);
	snprintf(vb, sizeof(vb), "%llu", (ull)b);
	field(d, name, va, vb);
}

/* A slot field: hex, or "none". */
static char *slot_str(uint64_t slot, char buf[24])
{
	if (slot == CRFMT_NO_SLOT)
		snprintf(buf, 24, "none");
	else
		snprintf(buf, 24, "0x%llx", (ull)slot);
	return buf;
}

static void field_slot(struct diff *d, char const *name, uint64_t a,
		       uint64_t b)
{
	char va[24], vb[24];

	if (a != b)
		field(d, name, slot_str(a, va), slot_str(b, vb));
}

static void changed_end(struct diff *d)
{
	if (d->it_started && d->json)
		fputs("]}", d->f);
	d->it_started = false;
}

/* What a printer wrote to a FILE, as a string (for the shared printers
 * of recap inspect, which write to streams). */
struct capture {
	FILE *f;
	char *buf;
	size_t len;
};

static FILE *capture_open(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	return c->f;
}

/* Copy what was captured into OUT (SIZE bytes) and free it. */
static void capture_close(struct capture *c, char *out, size_t size)
{
	out[0] = '\0';
	if (!c->f)
		return;
	fclose(c->f);
	snprintf(out, size, "%s", c->buf ? c->buf : "");
	free(c->buf);
}

/* ---- meta ------------------------------------------------------------ */

static void meta_flags(uint64_t flags, char buf[64])
{
	struct capture c;

	if (capture_open(&c))
		inspect_meta_flags(c.f, flags);
	capture_close(&c, buf, 64);
}

static int diff_meta(struct diff *d, struct side const *a,
		     struct side const *b)
{
	char fa[64], fb[64];

	if (!a->has_meta || !b->has_meta) {
		if (a->has_meta != b->has_meta)
			item_one(d, "meta", a->has_meta ? '-' : '+',
				 "meta section", NULL);
		return 0;
	}
	changed_begin(d, "meta", "checkpoint");
	field_quoted(d, "target", a->meta.target, b->meta.target);
	field_quoted(d, "binary", a->meta.binary, b->meta.binary);
	meta_flags(a->meta.flags, fa);
	meta_flags(b->meta.flags, fb);
	field_str(d, "flags", fa, fb);
	if (a->meta.config.len != b->meta.config.len ||
	    memcmp(a->meta.config.data, b->meta.config.data,
		   a->meta.config.len)) {
		char *ca = inspect_config_str(&a->meta);
		char *cb = inspect_config_str(&b->meta);

		if (!ca || !cb) {
			free(ca);
			free(cb);
			return -1;
		}
		field(d, "config", ca, cb);
		free(ca);
		free(cb);
	}
	changed_end(d);
	return 0;
}

/* ---- capspace -------------------------------------------------------- */

static char *label_str(uint64_t label, char buf[24])
{
	if (label == CAPS_NO_LABEL)
		snprintf(buf, 24, "none");
	else
		snprintf(buf, 24, "0x%llx", (ull)label);
	return buf;
}

/* "gate 31 RW-- label 0x2a, session LOG: LOG session 'counter'" */
static void slot_desc(struct caps_entry const *e, char *buf, size_t size)
{
	char kind[16], rights[CAPS_RIGHTS_STR], label[24], role[CAPS_DETAIL_MAX + 64];

	caps_describe(e, role, sizeof(role));
	snprintf(buf, size, "%s %llu %s label %s, %s",
		 caps_kind_str(e->kind, kind), (ull)e->object,
		 caps_rights_str(e->rights, rights), label_str(e->label, label),
		 role);
}

static bool same_role(struct caps_entry const *x, struct caps_entry const *y)
{
	return x->role == y->role && x->thread == y->thread &&
	       x->badge == y->badge && !strcmp(x->service, y->service) &&
	       !strcmp(x->detail, y->detail);
}

static void slot_changed(struct diff *d, struct caps_entry const *x,
			 struct caps_entry const *y)
{
	char what[32], va[VAL_MAX], vb[VAL_MAX];

	snprintf(what, sizeof(what), "slot 0x%llx", (ull)x->slot);
	changed_begin(d, "capspace", what);
	if (x->kind != y->kind) {
		char ka[16], kb[16];

		field(d, "kind", caps_kind_str(x->kind, ka),
		      caps_kind_str(y->kind, kb));
	}
	if (x->rights != y->rights) {
		char ra[CAPS_RIGHTS_STR], rb[CAPS_RIGHTS_STR];

		field(d, "rights", caps_rights_str(x->rights, ra),
		      caps_rights_str(y->rights, rb));
	}
	if (x->label != y->label)
		field(d, "label", label_str(x->label, va),
		      label_str(y->label, vb));
	if (!same_role(x, y)) {
		caps_describe(x, va, sizeof(va));
		caps_describe(y, vb, sizeof(vb));
		field(d, "role", va, vb);
	}
	if (!d->ignore_ids)
		field_dec(d, "object", x->object, y->object);
	changed_end(d);
}

static void slot_one(struct diff *d, char mark, struct caps_entry const *e)
{
	char what[32], desc[VAL_MAX];

	snprintf(what, sizeof(what), "slot 0x%llx", (ull)e->slot);
	slot_desc(e, desc, sizeof(desc));
	item_one(d, "capspace", mark, what, desc);
}

/* Both spaces hold their slots in ascending order: one merge. */
static int diff_caps(struct diff *d, struct side const *a,
		     struct side const *b)
{
	struct caps_space const *x = &a->caps, *y = &b->caps;
	size_t i = 0, j = 0;

	if (!a->has_caps || !b->has_caps) {
		if (a->has_caps != b->has_caps)
			item_one(d, "capspace", a->has_caps ? '-' : '+',
				 "capspace section", NULL);
		return 0;
	}
	if (strcmp(x->name, y->name)) {
		changed_begin(d, "capspace", "space");
		field_quoted(d, "name", x->name, y->name);
		changed_end(d);
	}
	while (i < x->n || j < y->n) {
		if (j == y->n ||
		    (i < x->n && x->entries[i].slot < y->entries[j].slot))
			slot_one(d, '-', &x->entries[i++]);
		else if (i == x->n || y->entries[j].slot < x->entries[i].slot)
			slot_one(d, '+', &y->entries[j++]);
		else
			slot_changed(d, &x->entries[i++], &y->entries[j++]);
	}
	return 0;
}

/* ---- threads --------------------------------------------------------- */

static void thread_doing(struct l4x_pending const *p, char *buf, size_t size)
{
	struct capture c;

	if (capture_open(&c))
		inspect_thread_doing(c.f, p);
	capture_close(&c, buf, size);
}

static void thread_flags(uint64_t flags, char *buf, size_t size)
{
	struct capture c;

	if (capture_open(&c))
		inspect_thread_flags(c.f, flags);
	capture_close(&c, buf, size);
}

static void thread_one(struct diff *d, char mark, struct crfmt_thread const *t)
{
	char what[32], desc[VAL_MAX], flags[64], doing[160];

	snprintf(what, sizeof(what), "thread %u", t->index);
	thread_flags(t->flags, flags, sizeof(flags));
	thread_doing(&t->state.pending, doing, sizeof(doing));
	snprintf(desc, sizeof(desc), "\"%s\" [%s], %s", t->name, flags, doing);
	item_one(d, "threads", mark, what, desc);
}

/* Bytes of A and B (N each) that differ, as a note; false if none. */
static bool bytes_note(uint8_t const *a, uint8_t const *b, size_t n,
		       char buf[48])
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += a[i] != b[i];
	snprintf(buf, 48, "%zu of %zu bytes differ", k, n);
	return k != 0;
}

/* Thread ids in the pending call: kernel object ids (see diff.h). */
static bool pending_is_id(unsigned i)
{
	return i == 6 || i == 7 || i == 9;	/* partner, reply_to, self */
}

static void thread_changed(struct diff *d, struct crfmt_thread const *x,
			   struct crfmt_thread const *y)
{
	l4_umword_t const *ra = (l4_umword_t const *)&x->state.regs;
	l4_umword_t const *rb = (l4_umword_t const *)&y->state.regs;
	l4_umword_t const *pa = (l4_umword_t const *)&x->state.pending;
	l4_umword_t const *pb = (l4_umword_t const *)&y->state.pending;
	char what[96], va[160], vb[160], note[48];
	bool doing = false;

	snprintf(what, sizeof(what), "thread %u \"%s\"", x->index, x->name);
	changed_begin(d, "threads", what);
	field_quoted(d, "name", x->name, y->name);
	if (x->flags != y->flags) {
		thread_flags(x->flags, va, sizeof(va));
		thread_flags(y->flags, vb, sizeof(vb));
		field(d, "flags", va, vb);
	}
	field_slot(d, "thread-slot", x->slot_thread, y->slot_thread);
	field_slot(d, "gate-slot", x->slot_gate, y->slot_gate);
	field_slot(d, "pager-slot", x->slot_pager, y->slot_pager);
	field_slot(d, "irq-slot", x->slot_irq, y->slot_irq);
	for (unsigned i = 0; i < CRFMT_REGS_COUNT; i++)
		field_hex(d, crfmt_reg_name(i), ra[i], rb[i]);
	/* What it was doing, in words, when that changed; then the words. */
	for (unsigned i = 0; i < CRFMT_PENDING_COUNT; i++)
		if (pa[i] != pb[i] && (i == 0 || (i == 6 || i == 7)) &&
		    !(d->ignore_ids && pending_is_id(i)))
			doing = true;
	if (doing) {
		thread_doing(&x->state.pending, va, sizeof(va));
		thread_doing(&y->state.pending, vb, sizeof(vb));
		field_str(d, "doing", va, vb);
	}
	for (unsigned i = 0; i < CRFMT_PENDING_COUNT; i++) {
		char name[32];

		if (d->ignore_ids && pending_is_id(i))
			continue;
		snprintf(name, sizeof(name), "pending.%s",
			 crfmt_pending_name(i));
		if (i == 0 && pa[0] != pb[0]) {
			char const *ka = crfmt_pending_kind_name(pa[0]);
			char const *kb = crfmt_pending_kind_name(pb[0]);

			snprintf(va, sizeof(va), "%s", ka ? ka : "?");
			snprintf(vb, sizeof(vb), "%s", kb ? kb : "?");
			field(d, name, va, vb);
		} else if (i) {
			field_hex(d, name, pa[i], pb[i]);
		}
	}
	if (bytes_note(x->state.fpu, y->state.fpu, L4X_FPU_SIZE, note))
		field_note(d, "fpu", note);
	if (bytes_note(x->state.utcb, y->state.utcb, L4_UTCB_OFFSET, note))
		field_note(d, "utcb", note);
	changed_end(d);
}

static int diff_threads(struct diff *d, struct side const *a,
			struct side const *b)
{
	size_t i = 0, j = 0;

	while (i < a->n_thr || j < b->n_thr) {
		if (j == b->n_thr ||
		    (i < a->n_thr && a->thr[i].index < b->thr[j].index))
			thread_one(d, '-', &a->thr[i++]);
		else if (i == a->n_thr || b->thr[j].index < a->thr[i].index)
			thread_one(d, '+', &b->thr[j++]);
		else
			thread_changed(d, &a->thr[i++], &b->thr[j++]);
	}
	return 0;
}

/* ---- sessions -------------------------------------------------------- */

static void timer_str(struct crfmt_session const *s, char *buf, size_t size)
{
	struct crfmt_timer const *t = &s->timer;
	char const *mode = crfmt_timer_mode_name(t->mode);
	int n;

	if (!(s->has & CRFMT_HAS_TIMER)) {
		snprintf(buf, size, "none");
		return;
	}
	n = snprintf(buf, size, "%s", mode ? mode : "?");
	if (t->mode == CRFMT_TIMER_PERIODIC && n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - n, " every %llu us",
			      (ull)t->period_us);
	if (t->mode != CRFMT_TIMER_IDLE && n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - n, ", next in %llu us",
			      (ull)t->next_us);
	if (t->signal && n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - n, ", signals 0x%llx", (ull)t->signal);
}

static struct crfmt_signal const *find_signal(struct crfmt_session const *s,
					      uint64_t badge)
{
	for (size_t i = 0; i < s->n_signals; i++)
		if (s->signals[i].badge == badge)
			return &s->signals[i];
	return NULL;
}

static void signal_str(struct crfmt_signal const *g, char *buf, size_t size)
{
	char slot[24];

	if (!g)
		snprintf(buf, size, "none");
	else
		snprintf(buf, size, "thread %u, %llu pending, slot %s",
			 g->thread, (ull)g->pending, slot_str(g->slot, slot));
}

/* Signal contexts of X and Y, matched by badge. */
static void signals_changed(struct diff *d, struct crfmt_session const *x,
			    struct crfmt_session const *y)
{
	char name[48], va[96], vb[96];

	for (int pass = 0; pass < 2; pass++) {
		struct crfmt_session const *s = pass ? y : x;

		for (size_t i = 0; i < s->n_signals; i++) {
			uint64_t badge = s->signals[i].badge;
			struct crfmt_signal const *ga = find_signal(x, badge);
			struct crfmt_signal const *gb = find_signal(y, badge);

			if (pass && ga)
				continue;	/* seen in the first pass */
			signal_str(ga, va, sizeof(va));
			signal_str(gb, vb, sizeof(vb));
			snprintf(name, sizeof(name), "signal 0x%llx",
				 (ull)badge);
			field_str(d, name, va, vb);
		}
	}
}

static void session_desc(struct crfmt_session const *s, char *buf,
			 size_t size)
{
	char const *role = crfmt_role_name(s->role);

	snprintf(buf, size, "%s (%s) label \"%s\"", s->service,
		 role ? role : "?", s->label);
}

static void session_one(struct diff *d, char mark,
			struct crfmt_session const *s)
{
	char what[32], desc[VAL_MAX];

	snprintf(what, sizeof(what), "session %llu", (ull)s->id);
	session_desc(s, desc, sizeof(desc));
	item_one(d, "sessions", mark, what, desc);
}

static void session_changed(struct diff *d, struct crfmt_session const *x,
			    struct crfmt_session const *y)
{
	char what[96], va[VAL_MAX], vb[VAL_MAX];

	snprintf(what, sizeof(what), "session %llu %s", (ull)x->id,
		 x->service);
	changed_begin(d, "sessions", what);
	field_str(d, "service", x->service, y->service);
	if (x->role != y->role) {
		char const *ra = crfmt_role_name(x->role);
		char const *rb = crfmt_role_name(y->role);

		field(d, "role", ra ? ra : "?", rb ? rb : "?");
	}
	field_quoted(d, "args", x->args, y->args);
	field_quoted(d, "label", x->label, y->label);
	field_dec(d, "ram-upgrade", x->ram_upgrade, y->ram_upgrade);
	field_dec(d, "cap-upgrade", x->cap_upgrade, y->cap_upgrade);
	field_slot(d, "slot", x->slot, y->slot);
	field_hex(d, "requests-signal", x->sigh, y->sigh);
	timer_str(x, va, sizeof(va));
	timer_str(y, vb, sizeof(vb));
	field_str(d, "timer", va, vb);
	signals_changed(d, x, y);
	snprintf(va, sizeof(va), x->has & CRFMT_HAS_RAM ?
		 "quota %llu, used %llu" : "none", (ull)x->ram.quota,
		 (ull)x->ram.used);
	snprintf(vb, sizeof(vb), y->has & CRFMT_HAS_RAM ?
		 "quota %llu, used %llu" : "none", (ull)y->ram.quota,
		 (ull)y->ram.used);
	field_str(d, "ram", va, vb);
	if (x->has & CRFMT_HAS_ROM)
		snprintf(va, sizeof(va), "\"%s\", dataspace %llu",
			 x->rom.module, (ull)x->rom.ds);
	else
		snprintf(va, sizeof(va), "none");
	if (y->has & CRFMT_HAS_ROM)
		snprintf(vb, sizeof(vb), "\"%s\", dataspace %llu",
			 y->rom.module, (ull)y->rom.ds);
	else
		snprintf(vb, sizeof(vb), "none");
	field_str(d, "rom", va, vb);
	snprintf(va, sizeof(va), x->has & CRFMT_HAS_RM ?
		 "%llu bytes, dataspace %llu" : "none", (ull)x->rm.size,
		 (ull)x->rm.ds);
	snprintf(vb, sizeof(vb), y->has & CRFMT_HAS_RM ?
		 "%llu bytes, dataspace %llu" : "none", (ull)y->rm.size,
		 (ull)y->rm.ds);
	field_str(d, "rm", va, vb);
	changed_end(d);
}

static int diff_sessions(struct diff *d, struct side const *a,
			 struct side const *b)
{
	size_t i = 0, j = 0;

	while (i < a->n_ses || j < b->n_ses) {
		if (j == b->n_ses ||
		    (i < a->n_ses && a->ses[i].id < b->ses[j].id))
			session_one(d, '-', &a->ses[i++]);
		else if (i == a->n_ses || b->ses[j].id < a->ses[i].id)
			session_one(d, '+', &b->ses[j++]);
		else
			session_changed(d, &a->ses[i++], &b->ses[j++]);
	}
	return 0;
}

/* ---- regions --------------------------------------------------------- */

/* A dataspace's key across images: its lowest attachment address, or,
 * unattached, its id. */
struct ds_key {
	bool attached;
	uint64_t v;
};

static struct ds_key ds_key(struct crfmt_ds const *ds)
{
	struct ds_key k = { false, ds->id };

	for (size_t i = 0; i < ds->n_attach; i++)
		if (!k.attached || ds->attach[i].addr < k.v)
			k = (struct ds_key){ true, ds->attach[i].addr };
	return k;
}

static struct crfmt_ds const *ds_match(struct side const *s,
				       struct crfmt_ds const *ds)
{
	struct ds_key k = ds_key(ds);

	for (size_t i = 0; i < s->n_ds; i++) {
		struct ds_key l = ds_key(&s->ds[i]);

		if (l.attached == k.attached && l.v == k.v)
			return &s->ds[i];
	}
	return NULL;
}

static void ds_what(struct crfmt_ds const *ds, char buf[64])
{
	struct ds_key k = ds_key(ds);

	if (k.attached)
		snprintf(buf, 64, "dataspace at 0x%llx", (ull)k.v);
	else
		snprintf(buf, 64, "dataspace %llu (not attached)", (ull)k.v);
}

static void attach_str(struct crfmt_attach const *at, char *buf, size_t size)
{
	char r[CRFMT_RIGHTS_STR];

	if (!at)
		snprintf(buf, size, "none");
	else
		snprintf(buf, size, "0x%llx-0x%llx %s offset 0x%llx",
			 (ull)at->addr, (ull)(at->addr + at->size),
			 crfmt_rights_str(at->rights, r), (ull)at->offset);
}

static void ds_one(struct diff *d, char mark, struct crfmt_ds const *ds)
{
	char what[64], desc[VAL_MAX], at[96];
	char const *kind = crfmt_ds_kind_name(ds->kind);
	int n;

	ds_what(ds, what);
	n = snprintf(desc, sizeof(desc), "id %llu, %s%s%s%s, %llu bytes, %s",
		     (ull)ds->id, kind ? kind : "?", ds->module[0] ? " \"" : "",
		     ds->module, ds->module[0] ? "\"" : "", (ull)ds->size,
		     ds->writable ? "writable" : "read-only");
	for (size_t i = 0; i < ds->n_attach && n >= 0 &&
			   (size_t)n < sizeof(desc); i++) {
		attach_str(&ds->attach[i], at, sizeof(at));
		n += snprintf(desc + n, sizeof(desc) - n, "%s%s",
			      i ? ", " : "; ", at);
	}
	item_one(d, "regions", mark, what, desc);
}

static struct crfmt_attach const *find_attach(struct crfmt_ds const *ds,
					      uint64_t addr)
{
	for (size_t i = 0; i < ds->n_attach; i++)
		if (ds->attach[i].addr == addr)
			return &ds->attach[i];
	return NULL;
}

static void ds_changed(struct diff *d, struct crfmt_ds const *x,
		       struct crfmt_ds const *y)
{
	char what[64], name[48], va[96], vb[96];

	ds_what(x, what);
	changed_begin(d, "regions", what);
	if (x->kind != y->kind) {
		char const *ka = crfmt_ds_kind_name(x->kind);
		char const *kb = crfmt_ds_kind_name(y->kind);

		field(d, "kind", ka ? ka : "?", kb ? kb : "?");
	}
	field_quoted(d, "module", x->module, y->module);
	field_dec(d, "size", x->size, y->size);
	if (x->writable != y->writable)
		field(d, "writable", x->writable ? "yes" : "no",
		      y->writable ? "yes" : "no");
	if (!d->ignore_ids)
		field_dec(d, "object", x->object, y->object);
	/* Attachments by address: those of X, then those only Y has. */
	for (int pass = 0; pass < 2; pass++) {
		struct crfmt_ds const *s = pass ? y : x;

		for (size_t i = 0; i < s->n_attach; i++) {
			uint64_t addr = s->attach[i].addr;
			struct crfmt_attach const *aa = find_attach(x, addr);

			if (pass && aa)
				continue;
			attach_str(aa, va, sizeof(va));
			attach_str(find_attach(y, addr), vb, sizeof(vb));
			snprintf(name, sizeof(name), "attach 0x%llx",
				 (ull)addr);
			field_str(d, name, va, vb);
		}
	}
	changed_end(d);
}

static int diff_regions(struct diff *d, struct side const *a,
			struct side const *b)
{
	for (size_t i = 0; i < a->n_ds; i++) {
		struct crfmt_ds const *m = ds_match(b, &a->ds[i]);

		if (m)
			ds_changed(d, &a->ds[i], m);
		else
			ds_one(d, '-', &a->ds[i]);
	}
	for (size_t j = 0; j < b->n_ds; j++)
		if (!ds_match(a, &b->ds[j]))
			ds_one(d, '+', &b->ds[j]);
	return 0;
}

/* ---- pages ----------------------------------------------------------- */

/* Room for one more element in *ARR (of *N, ELEM bytes each). */
static int more(void **arr, size_t n, size_t elem)
{
	void *p;

	if (n & (n - 1) && n)
		return 0;		/* not a power of two: there is room */
	p = realloc(*arr, (n ? 2 * n : 1) * elem);
	if (!p)
		return -1;
	*arr = p;
	return 0;
}

/* One range of differing pages into C ("0-1" / [0, 1]), after a comma
 * unless it is the first. */
static void range_put(struct diff const *d, struct capture *c, uint64_t first,
		      uint64_t last, bool comma)
{
	if (d->json)
		fprintf(c->f, "%s[%llu, %llu]", comma ? ", " : "", (ull)first,
			(ull)last);
	else if (first == last)
		fprintf(c->f, "%s%llu", comma ? ", " : "", (ull)first);
	else
		fprintf(c->f, "%s%llu-%llu", comma ? ", " : "", (ull)first,
			(ull)last);
}


/* One 4 KiB page of a dataspace as an image holds it. */
struct page {
	uint64_t k;			/* page index */
	uint8_t const *p;
	size_t len;			/* 4096, less at the dataspace's end */
};

static struct crfmt_pages const *find_pages(struct side const *s,
					    uint64_t id)
{
	for (size_t i = 0; i < s->n_pg; i++)
		if (s->pg[i].id == id)
			return &s->pg[i];
	return NULL;
}

/* Append the pages of DATA (LEN bytes from page FIRST) to *V. */
static int pages_add(struct page **v, size_t *n, uint64_t first,
		     uint8_t const *data, size_t len)
{
	for (size_t j = 0; j * CRFMT_PAGE_SIZE < len; j++) {
		size_t left = len - j * CRFMT_PAGE_SIZE;

		if (more((void **)v, *n, sizeof(**v)))
			return -1;
		(*v)[(*n)++] = (struct page){
			first + j, data + j * CRFMT_PAGE_SIZE,
			left < CRFMT_PAGE_SIZE ? left : CRFMT_PAGE_SIZE };
	}
	return 0;
}

/* The pages P holds (NULL: none), ascending: as many as its data has, so
 * a sparse dataspace of any declared size costs only what it holds. */
static int pages_list(struct crfmt_pages const *p, struct page **v,
		      size_t *n)
{
	struct crfmt_iter it;
	struct crfmt_run r;

	*v = NULL;
	*n = 0;
	if (!p)
		return 0;
	if (p->data.data)
		return pages_add(v, n, 0, p->data.data, p->data.len);
	crfmt_runs_init(&it, p);
	while (crfmt_runs_next(&it, &r, NULL) == CRFMT_OK)
		if (pages_add(v, n, r.page, r.data.data, r.data.len))
			return -1;
	return 0;
}

/* Compare the pages of dataspaces X and Y (matched); -1: out of memory.
 * A page only one image holds differs; one neither holds does not. */
static int pages_changed(struct diff *d, struct side const *a,
			 struct crfmt_ds const *x, struct side const *b,
			 struct crfmt_ds const *y)
{
	struct crfmt_pages const *pa = find_pages(a, x->id);
	struct crfmt_pages const *pb = find_pages(b, y->id);
	uint64_t sa = pa ? pa->size : 0, sb = pb ? pb->size : 0;
	uint64_t total = ((sa > sb ? sa : sb) + CRFMT_PAGE_SIZE - 1) /
			 CRFMT_PAGE_SIZE;
	struct page *va = NULL, *vb = NULL;
	size_t na, nb, i = 0, j = 0;
	uint64_t count = 0, first = 0, last = 0;
	size_t nranges = 0;
	bool open = false;
	struct capture c;
	char what[64], note[VAL_MAX];

	if (pages_list(pa, &va, &na) || pages_list(pb, &vb, &nb) ||
	    !capture_open(&c)) {
		free(va);
		free(vb);
		return -1;
	}
	/* Both lists ascend: one merge. Ranges of differing pages, "0-1, 5";
	 * JSON [[0, 1], [5, 5]]. */
	while (i < na || j < nb) {
		uint64_t k;
		bool differs;

		if (j == nb || (i < na && va[i].k < vb[j].k)) {
			k = va[i++].k;
			differs = true;
		} else if (i == na || vb[j].k < va[i].k) {
			k = vb[j++].k;
			differs = true;
		} else {
			k = va[i].k;
			differs = va[i].len != vb[j].len ||
				  memcmp(va[i].p, vb[j].p, va[i].len);
			i++;
			j++;
		}
		if (!differs)
			continue;
		if (open && k == last + 1) {
			last = k;
		} else {
			if (open)
				range_put(d, &c, first, last, nranges++ > 0);
			first = last = k;
			open = true;
		}
		count++;
	}
	if (open)
		range_put(d, &c, first, last, nranges++ > 0);
	free(va);
	free(vb);
	fclose(c.f);
	if (!c.buf)
		return -1;
	if (count) {
		ds_what(x, what);
		changed_begin(d, "pages", what);
		if (d->json) {
			snprintf(note, sizeof(note), "%llu of %llu pages differ",
				 (ull)count, (ull)total);
			field_note(d, "pages", note);
			fprintf(d->f, "], \"pages\": %llu, \"ranges\": [%s]}",
				(ull)count, c.buf);
			d->it_started = false;
		} else {
			field_start(d, "pages");
			fprintf(d->f, "%llu of %llu differ: %s\n", (ull)count,
				(ull)total, c.buf);
		}
		changed_end(d);
	}
	free(c.buf);
	return 0;
}

static int diff_pages(struct diff *d, struct side const *a,
		      struct side const *b)
{
	for (size_t i = 0; i < a->n_ds; i++) {
		struct crfmt_ds const *m = ds_match(b, &a->ds[i]);

		if (m && pages_changed(d, a, &a->ds[i], b, m))
			return -1;
	}
	return 0;
}

/* ---- loading an image ------------------------------------------------ */

/* Decode section S; the first of its type is kept in SIDE, later ones
 * only checked. -1 with MSG on a malformed record. */
static int load_section(struct side *side, struct image_section_info const *s,
			bool first, char *msg, size_t size)
{
	static struct crfmt_thread t;	/* 1.6 KiB: off the stack */
	static struct crfmt_session ses;
	static struct crfmt_ds ds;
	struct crfmt_pages pg;
	struct crfmt_meta meta;
	struct crfmt_iter it;
	struct crfmt_err err = { CRFMT_OK, "" };
	enum crfmt_status st = CRFMT_END;
	struct caps_space cs;
	struct caps_err cerr;

	crfmt_iter_init(&it, s->data, s->raw_len);
	switch (s->type) {
	case IMAGE_SEC_META:
		if (crfmt_meta_decode(s->data, s->raw_len, &meta, &err)) {
			snprintf(msg, size, "%s", err.msg);
			return -1;
		}
		if (first)
			side->meta = meta;
		side->has_meta = true;
		return 0;
	case IMAGE_SEC_CAPSPACE:
		caps_init(&cs);
		if (caps_decode(s->data, s->raw_len, &cs, &cerr)) {
			snprintf(msg, size, "%s", cerr.msg);
			return -1;
		}
		if (first) {
			side->caps = cs;
			side->has_caps = true;
		} else {
			caps_free(&cs);
		}
		return 0;
	case IMAGE_SEC_THREADS:
		while ((st = crfmt_threads_next(&it, &t, &err)) == CRFMT_OK) {
			if (!first)
				continue;
			if (more((void **)&side->thr, side->n_thr, sizeof(t)))
				goto nomem;
			side->thr[side->n_thr++] = t;
		}
		break;
	case IMAGE_SEC_SESSIONS:
		while ((st = crfmt_sessions_next(&it, &ses, &err)) == CRFMT_OK) {
			if (!first)
				continue;
			if (more((void **)&side->ses, side->n_ses, sizeof(ses)))
				goto nomem;
			side->ses[side->n_ses++] = ses;
		}
		break;
	case IMAGE_SEC_REGIONS:
		while ((st = crfmt_regions_next(&it, &ds, &err)) == CRFMT_OK) {
			if (!first)
				continue;
			if (more((void **)&side->ds, side->n_ds, sizeof(ds)))
				goto nomem;
			side->ds[side->n_ds++] = ds;
		}
		break;
	case IMAGE_SEC_PAGES:
		while ((st = crfmt_pages_next(&it, &pg, &err)) == CRFMT_OK) {
			if (!first)
				continue;
			if (more((void **)&side->pg, side->n_pg, sizeof(pg)))
				goto nomem;
			side->pg[side->n_pg++] = pg;
		}
		break;
	default:
		return 0;		/* parent, optional ones: not compared */
	}
	if (st == CRFMT_END)
		return 0;
	snprintf(msg, size, "%s", err.msg);
	return -1;
nomem:
	snprintf(msg, size, "out of memory");
	return -1;
}

static void side_free(struct side *s)
{
	if (s->img)
		image_close(s->img);
	caps_free(&s->caps);
	free(s->thr);
	free(s->ses);
	free(s->ds);
	free(s->pg);
}

/* Open and decode PATH; 2 with one line on ERR if it is bad. */
static int load(struct side *s, char const *path, FILE *err)
{
	struct image_err ierr;
	bool seen[IMAGE_SEC_PARENT + 1] = { false };
	char msg[CRFMT_MSG_MAX + 64];

	memset(s, 0, sizeof(*s));
	caps_init(&s->caps);
	s->path = path;
	if (image_open(path, &s->img, &ierr)) {
		fprintf(err, "recap diff: %s\n", ierr.msg);
		return 2;
	}
	for (size_t i = 0; i < image_nsections(s->img); i++) {
		struct image_section_info si;
		bool first;

		image_section_info(s->img, i, &si);
		first = si.type <= IMAGE_SEC_PARENT && !seen[si.type];
		if (si.type <= IMAGE_SEC_PARENT)
			seen[si.type] = true;
		if (load_section(s, &si, first, msg, sizeof(msg))) {
			fprintf(err, "recap diff: %s: section %zu (%s): %s\n",
				path, i, si.name ? si.name : "unknown", msg);
			return 2;
		}
	}
	return 0;
}

/* ---- the command ----------------------------------------------------- */

static int usage_error(FILE *err, char const *what, char const *arg)
{
	fprintf(err, "recap diff: %s%s%s (usage: %s)\n", what, arg ? " " : "",
		arg ? arg : "", DIFF_USAGE);
	return 2;
}

static void help(FILE *out)
{
	fprintf(out,
		"usage: " DIFF_USAGE "\n\n"
		"What changed between the checkpoint images A and B: capability\n"
		"slots added, removed or changed; threads (registers, pending\n"
		"call); sessions (timer, signals); memory regions; and which\n"
		"4 KiB pages differ, per dataspace matched by address. Both\n"
		"images are verified first. Exit status 0 if identical, 1 if\n"
		"they differ, 2 for bad usage or an image that cannot be read\n"
		"(one line on stderr).\n\n"
		"  --json         one JSON document instead of text\n"
		"  --ignore-ids   leave kernel object ids out (images of\n"
		"                 different runs, e.g. a restored component)\n");
}

/* All differences of A and B into D; -1 if out of memory. */
static int compare(struct diff *d, struct side const *a, struct side const *b)
{
	return diff_meta(d, a, b) || diff_caps(d, a, b) ||
	       diff_threads(d, a, b) || diff_sessions(d, a, b) ||
	       diff_regions(d, a, b) || diff_pages(d, a, b) ? -1 : 0;
}

static int report(struct diff *d, struct side const *a, struct side const *b,
		  char const *items, FILE *out)
{
	if (d->json) {
		fputs("{\n  \"a\": ", out);
		caps_put_json_str(out, a->path);
		fputs(", \"b\": ", out);
		caps_put_json_str(out, b->path);
		fprintf(out, ",\n  \"identical\": %s, \"differences\": %u,\n"
			     "  \"changes\": [%s%s]\n}\n",
			d->n ? "false" : "true", d->n, items, d->n ? "\n  " : "");
	} else if (d->n) {
		fprintf(out, "%s%u difference%s\n", items, d->n,
			d->n == 1 ? "" : "s");
	} else {
		fputs("identical\n", out);
	}
	return fflush(out) || ferror(out) ? -1 : 0;
}

int diff_main(int argc, char **argv, FILE *out, FILE *err)
{
	struct diff d = { .json = false };
	char const *path[2] = { NULL, NULL };
	struct side a, b;
	char *buf = NULL;
	size_t len = 0;
	int r;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			help(out);
			return 0;
		} else if (!strcmp(argv[i], "--json")) {
			d.json = true;
		} else if (!strcmp(argv[i], "--ignore-ids")) {
			d.ignore_ids = true;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return usage_error(err, "unknown option", argv[i]);
		} else if (path[1]) {
			return usage_error(err, "unexpected argument", argv[i]);
		} else {
			path[!!path[0]] = argv[i];
		}
	}
	if (!path[1])
		return usage_error(err, "two images needed", NULL);
	if ((r = load(&a, path[0], err))) {
		side_free(&a);
		return r;
	}
	if ((r = load(&b, path[1], err))) {
		side_free(&a);
		side_free(&b);
		return r;
	}
	r = (d.f = open_memstream(&buf, &len)) ? compare(&d, &a, &b) : -1;
	if (d.f && fclose(d.f))
		r = -1;
	if (!r)
		r = report(&d, &a, &b, buf, out) ? -2 : 0;
	side_free(&a);
	side_free(&b);
	free(buf);
	if (r) {
		fprintf(err, "recap diff: %s\n", r == -1 ? "out of memory"
						       : "cannot write the result");
		return 2;
	}
	return d.n ? 1 : 0;
}

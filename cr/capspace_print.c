/*
 * capspace_print — text and JSON listings of a capability space (see
 * capspace_print.h).
 *
 * Strings in a space come from an image, which may be damaged or written
 * by someone hostile: both forms print valid UTF-8 as it is and escape
 * everything else, so the output is always valid JSON and never carries
 * terminal control sequences.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "capspace_print.h"

typedef unsigned long long ull;	/* for printf: uint64_t is not %llx */

/* Length of the valid UTF-8 sequence at S (1-4), 0 if S starts none:
 * overlong forms, surrogates and code points past U+10FFFF are invalid. */
static size_t utf8_len(unsigned char const *s, size_t left)
{
	uint32_t cp;
	size_t n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n > left)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* S for a terminal: control characters and invalid bytes as \xNN. */
void caps_put_text(FILE *f, char const *str)
{
	unsigned char const *s = (unsigned char const *)str;
	size_t left = strlen(str);

	while (left) {
		size_t n = utf8_len(s, left);

		if (!n || s[0] < 0x20 || s[0] == 0x7f) {
			fprintf(f, "\\x%02x", s[0]);
			n = 1;
		} else {
			fwrite(s, 1, n, f);
		}
		s += n;
		left -= n;
	}
}

/* S as a JSON string, quotes included; an invalid byte becomes U+FFFD. */
void caps_put_json_str(FILE *f, char const *str)
{
	unsigned char const *s = (unsigned char const *)str;
	size_t left = strlen(str);

	fputc('"', f);
	while (left) {
		size_t n = utf8_len(s, left);

		if (!n) {
			fputs("\\ufffd", f);
			n = 1;
		} else if (s[0] == '"' || s[0] == '\\') {
			fprintf(f, "\\%c", s[0]);
		} else if (s[0] == '\n') {
			fputs("\\n", f);
		} else if (s[0] == '\t') {
			fputs("\\t", f);
		} else if (s[0] == '\r') {
			fputs("\\r", f);
		} else if (s[0] < 0x20 || s[0] == 0x7f) {
			fprintf(f, "\\u%04x", s[0]);
		} else {
			fwrite(s, 1, n, f);
		}
		s += n;
		left -= n;
	}
	fputc('"', f);
}

/* "thread-gate", or "role 13". */
static char const *role_str(uint32_t role, char buf[16])
{
	char const *name = caps_role_name(role);

	if (name)
		return name;
	snprintf(buf, 16, "role %u", role);
	return buf;
}

void caps_describe(struct caps_entry const *e, char *buf, size_t size)
{
	int n;

	switch (e->role) {
	case CAPS_ROLE_UNKNOWN:
		n = snprintf(buf, size, "unknown");
		break;
	case CAPS_ROLE_TASK:
		n = snprintf(buf, size, "own task");
		break;
	case CAPS_ROLE_PARENT:
		n = snprintf(buf, size, "parent");
		break;
	case CAPS_ROLE_THREAD_GATE:
		n = snprintf(buf, size, "thread %u gate", e->thread);
		break;
	case CAPS_ROLE_THREAD_PAGER:
		n = snprintf(buf, size, "thread %u pager", e->thread);
		break;
	case CAPS_ROLE_THREAD_IRQ:
		n = snprintf(buf, size, "thread %u irq", e->thread);
		break;
	case CAPS_ROLE_SESSION:
		n = snprintf(buf, size, e->service[0] ? "session %s" : "session",
			     e->service);
		break;
	case CAPS_ROLE_DATASPACE:
		n = snprintf(buf, size, "dataspace");
		break;
	case CAPS_ROLE_REGION_MAP:
		n = snprintf(buf, size, "region map");
		break;
	case CAPS_ROLE_SIGNAL_SOURCE:
		n = snprintf(buf, size, "signal source");
		break;
	case CAPS_ROLE_SIGNAL_CONTEXT:
		n = snprintf(buf, size, "signal context");
		break;
	case CAPS_ROLE_EP_GATE:
		if (e->thread == CAPS_THREAD_GONE)
			n = snprintf(buf, size, "entrypoint gone, badge 0x%llx",
				     (ull)e->badge);
		else
			n = snprintf(buf, size, "entrypoint %u, badge 0x%llx",
				     e->thread, (ull)e->badge);
		break;
	case CAPS_ROLE_THREAD:
		n = snprintf(buf, size, "thread %u", e->thread);
		break;
	default:
		n = snprintf(buf, size, "role %u", e->role);
		break;
	}
	if (e->detail[0] && n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, ": %s", e->detail);
}

int caps_print_text(FILE *f, struct caps_space const *cs)
{
	char role[CAPS_SERVICE_MAX + CAPS_DETAIL_MAX + 64];

	fputs("capspace", f);
	if (cs->name[0]) {
		fputc(' ', f);
		caps_put_text(f, cs->name);
	}
	fprintf(f, ": %zu slot%s\n", cs->n, cs->n == 1 ? "" : "s");
	fprintf(f, "%-8s %-8s %-8s %-7s %-18s %s\n", "slot", "kind", "object",
		"rights", "label", "role");
	for (size_t i = 0; i < cs->n; i++) {
		struct caps_entry const *e = &cs->entries[i];
		char slot[24], kind[16], object[24], rights[CAPS_RIGHTS_STR];
		char label[24];

		snprintf(slot, sizeof(slot), "0x%03llx", (ull)e->slot);
		snprintf(object, sizeof(object), "%llu", (ull)e->object);
		if (e->label == CAPS_NO_LABEL)
			snprintf(label, sizeof(label), "none");
		else
			snprintf(label, sizeof(label), "0x%llx", (ull)e->label);
		fprintf(f, "%-8s %-8s %-8s %-7s %-18s ", slot,
			caps_kind_str(e->kind, kind), object,
			caps_rights_str(e->rights, rights), label);
		caps_describe(e, role, sizeof(role));
		caps_put_text(f, role);
		fputc('\n', f);
	}
	return fflush(f) || ferror(f) ? -1 : 0;
}

/* A thread index means something for these roles; for others only when
 * a newer writer set it. */
static bool has_thread(struct caps_entry const *e)
{
	switch (e->role) {
	case CAPS_ROLE_THREAD_GATE:
	case CAPS_ROLE_THREAD_PAGER:
	case CAPS_ROLE_THREAD_IRQ:
	case CAPS_ROLE_EP_GATE:
	case CAPS_ROLE_THREAD:
		return true;
	default:
		return e->thread != 0;
	}
}

static void json_entry(FILE *f, struct caps_entry const *e)
{
	char buf[16], all[CAPS_RIGHTS_STR], rights[CAPS_RIGHTS_STR];
	size_t r = 0;

	/* Only the rights held: "RW", not "RW--". */
	caps_rights_str(e->rights, all);
	for (size_t i = 0; all[i]; i++)
		if (all[i] != '-')
			rights[r++] = all[i];
	rights[r] = '\0';

	fprintf(f, "{\"slot\": %llu, \"kind\": ", (ull)e->slot);
	caps_put_json_str(f, caps_kind_str(e->kind, buf));
	fprintf(f, ", \"object\": %llu, \"rights\": \"%s\", \"label\": ",
		(ull)e->object, rights);
	if (e->label == CAPS_NO_LABEL)
		fputs("null", f);
	else
		fprintf(f, "\"0x%llx\"", (ull)e->label);
	fputs(", \"role\": ", f);
	caps_put_json_str(f, role_str(e->role, buf));
	if (has_thread(e))
		fprintf(f, ", \"thread\": %u", e->thread);
	if (e->role == CAPS_ROLE_EP_GATE || e->badge)
		fprintf(f, ", \"badge\": \"0x%llx\"", (ull)e->badge);
	if (e->service[0]) {
		fputs(", \"service\": ", f);
		caps_put_json_str(f, e->service);
	}
	if (e->detail[0]) {
		fputs(", \"detail\": ", f);
		caps_put_json_str(f, e->detail);
	}
	fputc('}', f);
}

int caps_print_json(FILE *f, struct caps_space const *cs)
{
	fputs("{\n  \"name\": ", f);
	caps_put_json_str(f, cs->name);
	fputs(",\n  \"slots\": [", f);
	for (size_t i = 0; i < cs->n; i++) {
		fputs(i ? ",\n    " : "\n    ", f);
		json_entry(f, &cs->entries[i]);
	}
	fputs(cs->n ? "\n  ]\n}\n" : "]\n}\n", f);
	return fflush(f) || ferror(f) ? -1 : 0;
}

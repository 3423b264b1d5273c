/*
 * capspace_print — a capability space as `recap inspect` shows it.
 *
 * Text, capDL-like: one line per used slot, in slot order, under a header
 * line and a column line:
 *
 *   capspace hello: 3 slots
 *   slot     kind     object   rights  label              role
 *   0x001    task     3        RWSD    none               own task
 *   0x008    gate     12       RWS-    0x1000             parent
 *   0x200    gate     31       RW--    0x2a               session LOG: LOG session 'hello'
 *
 * The role column is cr's annotation: what the object is, then ": detail"
 * when there is one. Strings from the image are printed with control
 * characters and invalid UTF-8 escaped as \xNN, so a damaged or hostile
 * image cannot drive the terminal.
 *
 * JSON: one object {"name": ..., "slots": [...]}, one slot per line, each
 * {"slot", "kind", "object", "rights", "label", "role"} plus "thread",
 * "badge", "service", "detail" where they apply. Rights are the letters
 * held ("RW"); labels and badges are hex strings (64-bit values do not
 * survive JSON numbers in every reader), a missing label is null; kinds
 * and roles unknown to this build are "kind N" / "role N".
 */
#pragma once

#include <stdio.h>

#include "capspace_record.h"

/* Both flush F and return 0, or -1 if writing to F failed (errno set). */
int caps_print_text(FILE *f, struct caps_space const *cs);
int caps_print_json(FILE *f, struct caps_space const *cs);

/* The role column of one entry ("thread 0 gate", "session LOG: ..."),
 * unescaped, truncated to fit SIZE. */
void caps_describe(struct caps_entry const *e, char *buf, size_t size);

/* A string from an image, escaped as the listings do: for a terminal
 * (control characters and invalid UTF-8 as \xNN), and as a JSON string
 * (quotes included, invalid bytes as U+FFFD). Also used by recap inspect
 * for the other sections' strings. */
void caps_put_text(FILE *f, char const *str);
void caps_put_json_str(FILE *f, char const *str);

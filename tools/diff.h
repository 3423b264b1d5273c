/*
 * diff — `recap diff A B [--json] [--ignore-ids]`: what changed between
 * two checkpoint images, usually of one component at two moments.
 *
 * Compared, with the decoders recap inspect uses (cr/crfmt.h,
 * cr/capspace_record.h), the first section of each type of each image:
 *
 *   meta      target, binary, flags, config (not the time, the checkpoint
 *             number or recap's version: they describe the checkpoint,
 *             not the component);
 *   capspace  slots matched by number: added, removed, changed (kind,
 *             rights, label, role; the object id alone: see --ignore-ids);
 *   threads   matched by index: added, removed, changed (name, flags,
 *             slots, each register that differs, the pending call, how
 *             many bytes of the FPU area and the UTCB differ);
 *   sessions  matched by id: added, removed, changed (service, role,
 *             arguments, label, upgrades, slot, timer programme, each
 *             signal context's thread, pending count and slot, RAM, ROM,
 *             RM records);
 *   regions   dataspaces matched by their lowest attachment address (ids
 *             are per image), unattached ones by id: added, removed,
 *             changed (kind, module, size, writability, object id, each
 *             attachment by address: size, offset, rights);
 *   pages     per matched dataspace, how many 4 KiB pages differ and
 *             which (ranges of page indices). Images are compared as they
 *             are: a page one image holds and the other does not (an
 *             incremental image's parent's page) counts as different.
 *
 * Kernel object ids (slot objects, the dataspaces' object, the thread ids
 * in the pending call) are unique in one kernel run, so between images of
 * one run a different id means a different object, and is a difference.
 * Images of different runs (a component and its restored copy) differ in
 * every id; --ignore-ids leaves them out.
 *
 * Text: per section with differences a header line, then one line per
 * object ("  + ..." added, "  - ..." removed, "  ~ ..." changed), under a
 * changed one a line per field "      name old -> new"; at the end
 * "N difference(s)", or just "identical". --json: one JSON document
 * {"a", "b", "identical", "differences", "changes": [{"section",
 * "change", "what", "desc" | "fields": [{"field", "old", "new"} |
 * {"field", "note"}], "pages", "ranges"}]}.
 *
 * Exit status 0 when identical, 1 when different, 2 for bad usage or an
 * image that cannot be read (one line on ERR, nothing on OUT).
 */
#pragma once

#include <stdio.h>

/* ARGV[0] is "diff". */
int diff_main(int argc, char **argv, FILE *out, FILE *err);

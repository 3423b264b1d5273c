/*
 * capspace_images — the equivalence checker (capspace_check.h) between two
 * checkpoint images: `recap inspect --check-against ORIG.img RESTORED.img`.
 *
 * ORIG is a checkpoint of a component, RESTORED a checkpoint of the
 * component restored from it (in a fresh system, or beside the original
 * with --as). Each image's first capspace section is read; the checker
 * gets what only the two images together say:
 *
 *   - the new parent: the object RESTORED's capspace names in its slot of
 *     role "parent" (cr identified it as its own parent object for the
 *     restored child, by the kernel's l4_task_cap_equal, not by label);
 *     none: reported, and slot 8's object stands in so that the checker
 *     does not report the same again;
 *   - the badge translations: a gate's label may change on restore only
 *     where the component merely calls the object (cr's objects, core's
 *     dataspaces and pagers: docs/cr.md "Badges"), never where it serves
 *     it (its thread gates and own entrypoint gates, by ORIG's role).
 *     The first slot where such a label differs fixes its translation; the
 *     checker then holds every other slot with that label to it. A served
 *     label that changed is a difference even where another slot
 *     translated the same label.
 *
 * Output: each difference on OUT, one line, then "N difference(s)";
 * or "equivalent: N slots, M labels translated". Exit status 0 if
 * equivalent, 1 if not or an image cannot be read (one line on ERR,
 * nothing on OUT), 2 for bad usage.
 */
#pragma once

#include <stdio.h>

/* ARGV: "inspect" "--check-against" ORIG RESTORED (any order of the
 * option and RESTORED). */
int caps_images_main(int argc, char **argv, FILE *out, FILE *err);

/* Compare the capspace sections of the images at ORIG and RESTORED (see
 * above); the exit status. */
int caps_images_check(char const *orig, char const *restored, FILE *out,
		      FILE *err);

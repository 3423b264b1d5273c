/*
 * cr_chain — chains of incremental checkpoint images (docs/cr.md,
 * "Incremental checkpoints"): an increment's parent section names the
 * image it extends by path and image_id; the chain runs from the newest
 * image back to a full one. Host side, for `recap checkpoint
 * --incremental` (link a new increment to its parent), `recap restore`
 * (one full stream from a chain) and `recap inspect` (show a chain).
 *
 * A chain is believed only if every link holds: the parent file opens and
 * verifies (image_open), its image_id is the one recorded, it is of the
 * same target and the same run of it (meta target and instance) and its
 * checkpoint number is one less. Errors are one line into msg.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crfmt.h"
#include "image.h"

#define CR_CHAIN_MAX 256		/* images in one chain */
#define CR_CHAIN_MSG 1024

struct cr_chain_link {
	char *path;			/* as opened (malloc'd) */
	struct image *img;
	uint64_t id;			/* image_id */
	struct crfmt_meta meta;		/* config: a view into img */
	bool has_parent;
	struct crfmt_parent parent;
};

struct cr_chain {
	struct cr_chain_link link[CR_CHAIN_MAX];	/* [0] the newest */
	size_t n;
};

/* The meta and (if any) parent records of an open image. 0, or -1 and
 * msg ("PATH: ..."). */
int cr_chain_read(struct image const *img, char const *path,
		  struct crfmt_meta *meta, bool *has_parent,
		  struct crfmt_parent *parent, char msg[CR_CHAIN_MSG]);

/* Is PREV, opened, what the increment with meta NEW extends? 0, or -1 and
 * msg (without a path prefix). */
int cr_chain_check_link(struct crfmt_meta const *prev_meta,
			struct crfmt_meta const *new_meta,
			char msg[CR_CHAIN_MSG]);

/* Open PATH and every image it extends. 0, or -1 and msg; on failure
 * nothing stays open. An image without a parent section is a chain of
 * one whose meta is not required to decode (cr judges it on restore),
 * unless it decodes and says it is incremental. */
int cr_chain_open(char const *path, struct cr_chain *ch,
		  char msg[CR_CHAIN_MSG]);
void cr_chain_close(struct cr_chain *ch);

/*
 * The checkpoint stream cr restores the chain's newest image from: its
 * sections as they are (no parent section; meta without the incremental
 * flag), but every dataspace's whole content, composed from the base
 * upwards: the base's content, overlaid with each increment's runs in
 * order. Dataspaces are matched across images by their kernel object id
 * (regions `object`). *buf malloc'd. 0, or -1 and msg.
 */
int cr_chain_stream(struct cr_chain const *ch, void **buf, size_t *len,
		    char msg[CR_CHAIN_MSG]);

/*
 * Sample records for the crfmt tests: one of each kind with every field
 * set to a distinct value, and a writer grown with realloc through the
 * callback (as cr grows it with RAM dataspaces). Uses nothing but what
 * $(B)/libcrfmt.a has, so test_roundtrip also links against it.
 */
#pragma once

#include "crfmt.h"

void sample_writer_init(struct tlv_writer *w);
void sample_writer_free(struct tlv_writer *w);

extern char const sample_config[];

void sample_meta_rec(struct crfmt_meta *m);
void sample_thread(struct crfmt_thread *t, uint32_t index);
void sample_session_timer(struct crfmt_session *s);
void sample_session_log(struct crfmt_session *s);
void sample_session_cr(struct crfmt_session *s);
void sample_session_ram(struct crfmt_session *s);
void sample_ds_ram(struct crfmt_ds *d);
void sample_ds_rom(struct crfmt_ds *d);

/* Content of the sample RAM dataspace (8 KiB, a pattern). */
#define SAMPLE_RAM_SIZE 8192
extern uint8_t sample_ram[SAMPLE_RAM_SIZE];
void sample_fill_ram(void);

/*
 * A whole checkpoint stream: meta, capspace (from CAPSPACE, CAPSPACE_LEN
 * bytes, may be 0), threads (2), sessions (3), regions (2), pages (RAM
 * whole, ROM sparse: one run at page 1). *LEN its length; free() it.
 */
uint8_t *sample_stream(void const *capspace, size_t capspace_len,
		       size_t *len);

/*
 * crfmt — the records of an image's meta, threads, sessions, regions and
 * pages sections (the capspace section is capspace_record.h): a C model
 * struct per record, its tags, and encode/decode functions.
 *
 * The same code runs in two places. cr, the freestanding checkpointing
 * component, encodes sections into a checkpoint stream (recap/cr_stream.h)
 * and decodes them again on restore; the host (recap inspect, the tests)
 * decodes them from an image. So nothing here allocates: encoders append
 * to a struct tlv_writer (whose buffer the caller grows: realloc on the
 * host, RAM dataspaces in cr), decoders fill fixed-size structs and walk a
 * section one record at a time (struct crfmt_iter). Built freestanding
 * into $(B)/libcrfmt.a and hosted into $(B)/libcrfmt-host.a.
 *
 * Every section is a sequence of TLV records (image/tlv.h): one top-level
 * field per object (thread, session, dataspace), each a nested record of
 * the object's fields; the meta section is one record of fields. Objects
 * appear in ascending order of their key (thread index, session id,
 * dataspace id), each once; a decoder refuses anything else. Tags are never
 * renumbered or reused, readers skip tags they do not know
 * (docs/image-format.md has the tables).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <l4/sys/x.h>		/* struct l4x_thread_state */

#include "image/tlv.h"

#define CRFMT_MSG_MAX 256		/* error messages, NUL included */
#define CRFMT_PAGE_SIZE 4096ull
#define CRFMT_NO_SLOT (~0ULL)		/* a slot field that names no slot */

enum crfmt_status {
	CRFMT_OK = 0,
	CRFMT_END,			/* an iterator: no more records */
	CRFMT_ERR_RECORD,		/* a malformed record (tlv_decode's checks) */
	CRFMT_ERR_VALUE,		/* a field's value is out of its range */
	CRFMT_ERR_ORDER,		/* keys not ascending, or given twice */
	CRFMT_ERR_FULL,			/* more sub-records than the model holds */
};

struct crfmt_err {
	enum crfmt_status code;
	char msg[CRFMT_MSG_MAX];	/* one line, "" when CRFMT_OK */
};

/*
 * Walks a section's top-level records of one tag: each *_next call
 * returns the next one, decoded and checked, or CRFMT_END; other tags
 * (from a newer writer) are skipped.
 */
struct crfmt_iter {
	struct tlv_reader r;
	uint64_t last;			/* the previous record's key */
	bool any;			/* a record was returned */
};

void crfmt_iter_init(struct crfmt_iter *it, void const *data, size_t len);

/* ---------------------------------------------------------------- */
/* meta: what was checkpointed, when, by which recap (one record)    */

#define CRFMT_LABEL_MAX 128		/* component label, NUL included */
#define CRFMT_NAME_MAX 64		/* binary / module / thread name */
#define CRFMT_VERSION_MAX 32

/* meta flags */
#define CRFMT_META_STOPPED 0x1ull	/* the target stayed stopped afterwards */
#define CRFMT_META_INCREMENTAL 0x2ull	/* only pages changed since the parent */
#define CRFMT_META_FLAGS_KNOWN 0x3ull

enum crfmt_meta_tag {
	CRFMT_META_TARGET = 1,		/* string, required: the target's label */
	CRFMT_META_BINARY = 2,		/* string: its binary (ROM module) */
	CRFMT_META_VERSION = 3,		/* string, required: recap's version */
	CRFMT_META_TIME = 4,		/* u64, required: ns since the epoch */
	CRFMT_META_FLAGS = 5,		/* u64: CRFMT_META_* */
	CRFMT_META_CONFIG = 6,		/* bytes: the target's <config> text */
	CRFMT_META_SEQ = 7,		/* u64: checkpoint number of this target */
	CRFMT_META_INSTANCE = 8,	/* u64: cr's identity of the target, the
					   same in every checkpoint of one run of
					   it (an incremental chain's check) */
};

struct crfmt_meta {
	char target[CRFMT_LABEL_MAX];
	char binary[CRFMT_NAME_MAX];
	char version[CRFMT_VERSION_MAX];
	uint64_t time_ns;
	uint64_t flags;
	uint64_t seq;
	uint64_t instance;		/* 0: unknown */
	struct tlv_bytes config;	/* a view: into the section on decode */
};

void crfmt_meta_init(struct crfmt_meta *m);
void crfmt_meta_encode(struct tlv_writer *w, struct crfmt_meta const *m);
enum crfmt_status crfmt_meta_decode(void const *data, size_t len,
				    struct crfmt_meta *m,
				    struct crfmt_err *err);

/* ---------------------------------------------------------------- */
/* threads: one record per thread (tag CRFMT_THREADS_THREAD)         */

/* What cr knows about a thread besides its kernel state. */
#define CRFMT_THREAD_PAUSED 0x1ull	/* cr paused it for the checkpoint */
#define CRFMT_THREAD_BLOCKED 0x2ull	/* it was blocked in the kernel
					   (state.pending says in what) */
#define CRFMT_THREAD_MAIN 0x4ull	/* the component's first thread */
#define CRFMT_THREAD_EP 0x8ull		/* it runs an entrypoint */
#define CRFMT_THREAD_UNSTARTED 0x10ull	/* created, never started: no state,
					   made again but not started */
#define CRFMT_THREAD_HELD 0x20ull	/* the component paused it itself: a
					   restore leaves it paused */
#define CRFMT_THREAD_FLAGS_KNOWN 0x3full

enum crfmt_threads_tag {
	CRFMT_THREADS_THREAD = 1,	/* nested: one thread */
};

enum crfmt_thread_tag {
	CRFMT_THR_INDEX = 1,		/* u32, required: key, ascending */
	CRFMT_THR_NAME = 2,		/* string */
	CRFMT_THR_FLAGS = 3,		/* u64: CRFMT_THREAD_* */
	CRFMT_THR_SLOT_THREAD = 4,	/* u64: slot of its thread object */
	CRFMT_THR_SLOT_GATE = 5,	/* u64: thread area: its IPC gate */
	CRFMT_THR_SLOT_PAGER = 6,	/* u64: thread area: its pager gate */
	CRFMT_THR_SLOT_IRQ = 7,		/* u64: thread area: its lock IRQ */
	CRFMT_THR_REGS = 8,		/* nested, required: struct l4x_regs */
	CRFMT_THR_PENDING = 9,		/* nested, required: struct l4x_pending */
	CRFMT_THR_FPU = 10,		/* bytes, required: exactly L4X_FPU_SIZE */
	CRFMT_THR_UTCB = 11,		/* bytes, required: exactly L4_UTCB_OFFSET */
	CRFMT_THR_VID = 12,		/* u64: the id the component knows it by */
	CRFMT_THR_IRQ_VID = 13,		/* u64: likewise its lock IRQ's id */
	CRFMT_THR_VID_NEXT = 14,	/* u64: cr's next such id (every record) */
	CRFMT_THR_IRQ_PENDING = 15,	/* u64: triggers its lock IRQ holds */
};

/* Inside CRFMT_THR_REGS: tag = 1 + the register's position in struct
 * l4x_regs (r15 = 1, ..., rip = 17, ..., gs = 27); all required. Inside
 * CRFMT_THR_PENDING: tag = 1 + the field's position in struct l4x_pending
 * (kind = 1, ..., self_id = 10); all required. */
#define CRFMT_REGS_COUNT 27
#define CRFMT_PENDING_COUNT 10

struct crfmt_thread {
	uint32_t index;			/* cr's thread index in the component */
	char name[CRFMT_NAME_MAX];
	uint64_t flags;
	uint64_t slot_thread;		/* CRFMT_NO_SLOT: none */
	uint64_t slot_gate;
	uint64_t slot_pager;
	uint64_t slot_irq;
	/* Kernel ids as the component sees them (cr/intercept/ids.c); 0:
	 * none handed out yet. */
	uint64_t vid;
	uint64_t irq_vid;
	uint64_t vid_next;
	/* Triggers of its lock IRQ not taken yet: a paused thread takes none
	 * (docs/kernel.md), so a lock released while the child was being
	 * paused is here, not in the thread's state. */
	uint64_t irq_pending;
	struct l4x_thread_state state;	/* as l4x_thread_state_get read it */
};

/* Defaults: no name, no flags, no slots, a zero state. */
void crfmt_thread_init(struct crfmt_thread *t);
void crfmt_thread_encode(struct tlv_writer *w, struct crfmt_thread const *t);
enum crfmt_status crfmt_threads_next(struct crfmt_iter *it,
				     struct crfmt_thread *t,
				     struct crfmt_err *err);

/* Names for people: "r15", ... (index 0..26) and "kind", ... (0..9). */
char const *crfmt_reg_name(unsigned i);
char const *crfmt_pending_name(unsigned i);

/* "none", "send", "recv", "wait", "result"; NULL if unknown. */
char const *crfmt_pending_kind_name(uint64_t kind);

/* ---------------------------------------------------------------- */
/* sessions: one record per session (tag CRFMT_SESSIONS_SESSION)     */

#define CRFMT_SERVICE_MAX 32
#define CRFMT_ARGS_MAX 256
#define CRFMT_SIGNALS_MAX 256		/* signal contexts of one session (core: RECAP_SIGNAL_CONTEXTS_MAX) */

enum crfmt_session_role {
	CRFMT_ROLE_CLIENT = 1,		/* the target opened it at its parent */
	CRFMT_ROLE_SERVER = 2,		/* the target serves it */
};

/* Timer session modes. */
enum crfmt_timer_mode {
	CRFMT_TIMER_IDLE = 0,		/* no timeout programmed */
	CRFMT_TIMER_ONCE = 1,
	CRFMT_TIMER_PERIODIC = 2,
};

/* Which service-specific sub-records a session has. */
#define CRFMT_HAS_TIMER 0x1u
#define CRFMT_HAS_RAM 0x2u
#define CRFMT_HAS_ROM 0x4u
#define CRFMT_HAS_RM 0x8u

enum crfmt_sessions_tag {
	CRFMT_SESSIONS_SESSION = 1,	/* nested: one session */
};

enum crfmt_session_tag {
	CRFMT_SES_ID = 1,		/* u64, required: key, ascending */
	CRFMT_SES_SERVICE = 2,		/* string, required: "LOG", ... */
	CRFMT_SES_ROLE = 3,		/* u32, required: crfmt_session_role */
	CRFMT_SES_ARGS = 4,		/* string: the creation arguments */
	CRFMT_SES_LABEL = 5,		/* string: the session label */
	CRFMT_SES_RAM_UPGRADE = 6,	/* u64: RAM quota added by upgrades */
	CRFMT_SES_CAP_UPGRADE = 7,	/* u64: cap quota added by upgrades */
	CRFMT_SES_SLOT = 8,		/* u64: its slot in the target's space */
	CRFMT_SES_TIMER = 9,		/* nested: struct crfmt_timer */
	CRFMT_SES_SIGNAL = 10,		/* nested, repeated: a signal context */
	CRFMT_SES_RAM = 11,		/* nested: struct crfmt_ram */
	CRFMT_SES_ROM = 12,		/* nested: struct crfmt_rom */
	CRFMT_SES_RM = 13,		/* nested: struct crfmt_rm */
	CRFMT_SES_SIGH = 14,		/* u64: a CR session's signal context */
};

enum crfmt_timer_tag {
	CRFMT_TIM_MODE = 1,		/* u32, required */
	CRFMT_TIM_PERIOD = 2,		/* u64: period_us (periodic) */
	CRFMT_TIM_NEXT = 3,		/* u64: µs from the checkpoint to the
					   next deadline */
	CRFMT_TIM_SIGNAL = 4,		/* u64: badge of the context it signals */
	CRFMT_TIM_ELAPSED = 5,		/* u64: the session's time (µs) at the
					   checkpoint: a restore goes on from it */
};

enum crfmt_signal_tag {
	CRFMT_SIG_BADGE = 1,		/* u64, required: the context's badge */
	CRFMT_SIG_THREAD = 2,		/* u32: index of the thread handling it */
	CRFMT_SIG_PENDING = 3,		/* u64: signals not yet delivered */
	CRFMT_SIG_SLOT = 4,		/* u64: its slot in the target's space */
};

enum crfmt_ram_tag {
	CRFMT_RAM_QUOTA = 1,		/* u64, required: bytes */
	CRFMT_RAM_USED = 2,		/* u64: bytes */
};

enum crfmt_rom_tag {
	CRFMT_ROM_MODULE = 1,		/* string, required */
	CRFMT_ROM_DS = 2,		/* u64: id of its dataspace in regions */
};

enum crfmt_rm_tag {
	CRFMT_RM_SIZE = 1,		/* u64, required: bytes managed */
	CRFMT_RM_DS = 2,		/* u64: id of its managed dataspace */
};

struct crfmt_timer {
	uint32_t mode;			/* enum crfmt_timer_mode */
	uint64_t period_us;
	uint64_t next_us;
	uint64_t signal;		/* 0: none */
	uint64_t elapsed_us;
};

struct crfmt_signal {
	uint64_t badge;
	uint32_t thread;
	uint64_t pending;
	uint64_t slot;			/* CRFMT_NO_SLOT: none */
};

struct crfmt_ram {
	uint64_t quota;
	uint64_t used;
};

struct crfmt_rom {
	char module[CRFMT_NAME_MAX];
	uint64_t ds;			/* 0: none */
};

struct crfmt_rm {
	uint64_t size;
	uint64_t ds;			/* 0: none */
};

struct crfmt_session {
	uint64_t id;
	char service[CRFMT_SERVICE_MAX];
	uint32_t role;			/* enum crfmt_session_role */
	char args[CRFMT_ARGS_MAX];
	char label[CRFMT_LABEL_MAX];
	uint64_t ram_upgrade;
	uint64_t cap_upgrade;
	uint64_t slot;			/* CRFMT_NO_SLOT: none */
	uint64_t sigh;			/* CR: badge of the context a queued
					   request signals; 0: none */
	uint32_t has;			/* CRFMT_HAS_*: which below are set */
	struct crfmt_timer timer;
	struct crfmt_ram ram;
	struct crfmt_rom rom;
	struct crfmt_rm rm;
	struct crfmt_signal signals[CRFMT_SIGNALS_MAX];
	size_t n_signals;
};

void crfmt_session_init(struct crfmt_session *s);
void crfmt_session_encode(struct tlv_writer *w,
			  struct crfmt_session const *s);
enum crfmt_status crfmt_sessions_next(struct crfmt_iter *it,
				      struct crfmt_session *s,
				      struct crfmt_err *err);

char const *crfmt_role_name(uint32_t role);	/* NULL if unknown */
char const *crfmt_timer_mode_name(uint32_t mode);	/* NULL if unknown */

/* ---------------------------------------------------------------- */
/* regions: one record per dataspace (tag CRFMT_REGIONS_DS)          */

#define CRFMT_ATTACH_MAX 16		/* attachments of one dataspace */
#define CRFMT_DS_SIZE_MAX (1ull << 47)	/* the image's section limit */

enum crfmt_ds_kind {
	CRFMT_DS_RAM = 1,		/* anonymous memory, content in pages */
	CRFMT_DS_ROM = 2,		/* a ROM module (.module), read-only */
	CRFMT_DS_ELF = 3,		/* loaded from the binary (.module) */
	CRFMT_DS_MANAGED = 4,		/* a managed region map's dataspace: no
					   content of its own (no pages record);
					   .inner says what its map holds */
};

/* Attachment rights. */
#define CRFMT_R 0x1u
#define CRFMT_W 0x2u
#define CRFMT_X 0x4u
#define CRFMT_RIGHTS_ALL (CRFMT_R | CRFMT_W | CRFMT_X)

enum crfmt_regions_tag {
	CRFMT_REGIONS_DS = 1,		/* nested: one dataspace */
};

enum crfmt_ds_tag {
	CRFMT_DS_ID = 1,		/* u64, required: key, ascending, not 0 */
	CRFMT_DS_SIZE = 2,		/* u64, required: bytes */
	CRFMT_DS_KIND = 3,		/* u32, required: crfmt_ds_kind */
	CRFMT_DS_WRITABLE = 4,		/* u64: 1 if writable, absent: 0 */
	CRFMT_DS_MODULE = 5,		/* string: ROM module / binary name */
	CRFMT_DS_ATTACH = 6,		/* nested, repeated: an attachment */
	CRFMT_DS_OBJECT = 7,		/* u64: kernel object id of its capability,
					   as the capspace section names it */
	/* managed only: */
	CRFMT_DS_MAP_OBJECT = 8,	/* u64: kernel object id of the region
					   map's capability (capspace section) */
	CRFMT_DS_MAP_SESSION = 9,	/* u64, required: id of the RM session
					   (sessions section) that owns the map */
	CRFMT_DS_MAP_SIGNAL = 10,	/* u64: badge of the fault handler's
					   signal context, absent: none */
	CRFMT_DS_INNER = 11,		/* nested, repeated: struct crfmt_inner */
};

enum crfmt_inner_tag {
	CRFMT_INN_DS = 1,		/* u64, required: id of a ram dataspace */
	CRFMT_INN_OFFSET = 2,		/* u64, required: where in the map */
	CRFMT_INN_SIZE = 3,		/* u64, required: pages, not 0 */
	CRFMT_INN_DS_OFFSET = 4,	/* u64, required: into the dataspace */
	CRFMT_INN_RIGHTS = 5,		/* u32, required: CRFMT_R/W/X */
};

enum crfmt_attach_tag {
	CRFMT_ATT_ADDR = 1,		/* u64, required: page-aligned */
	CRFMT_ATT_OFFSET = 2,		/* u64, required: page-aligned */
	CRFMT_ATT_SIZE = 3,		/* u64, required: pages, not 0 */
	CRFMT_ATT_RIGHTS = 4,		/* u32, required: CRFMT_R/W/X */
};

struct crfmt_attach {
	uint64_t addr;
	uint64_t offset;		/* into the dataspace */
	uint64_t size;
	uint32_t rights;
};

/* A dataspace attached inside a managed region map. */
struct crfmt_inner {
	uint64_t ds;			/* its id in the regions section */
	uint64_t offset;		/* in the map */
	uint64_t size;
	uint64_t ds_offset;
	uint32_t rights;
};

#define CRFMT_INNER_MAX 16		/* attachments inside one managed map */

struct crfmt_ds {
	uint64_t id;
	uint64_t size;
	uint32_t kind;			/* enum crfmt_ds_kind */
	uint64_t writable;		/* 0 or 1 */
	char module[CRFMT_NAME_MAX];
	uint64_t object;		/* 0: unknown */
	struct crfmt_attach attach[CRFMT_ATTACH_MAX];
	size_t n_attach;
	/* CRFMT_DS_MANAGED: the map (object 0: unknown), its owner, its
	 * fault handler (0: none) and what is attached in it */
	uint64_t map_object;
	uint64_t map_session;
	uint64_t map_signal;
	struct crfmt_inner inner[CRFMT_INNER_MAX];
	size_t n_inner;
};

void crfmt_ds_init(struct crfmt_ds *d);
void crfmt_ds_encode(struct tlv_writer *w, struct crfmt_ds const *d);
enum crfmt_status crfmt_regions_next(struct crfmt_iter *it,
				     struct crfmt_ds *d,
				     struct crfmt_err *err);

char const *crfmt_ds_kind_name(uint32_t kind);	/* NULL if unknown */

#define CRFMT_RIGHTS_STR 4		/* "rwx" plus NUL */
char *crfmt_rights_str(uint32_t rights, char out[CRFMT_RIGHTS_STR]);

/* ---------------------------------------------------------------- */
/* pages: one record per dataspace (tag CRFMT_PAGES_DS)              */

/*
 * A dataspace's content, either whole (CRFMT_PG_DATA: size bytes from
 * offset 0) or sparse (CRFMT_PG_RUN records: pages that changed, for an
 * incremental image; the others are the parent image's). Not both.
 */
enum crfmt_pages_tag {
	CRFMT_PAGES_DS = 1,		/* nested: one dataspace's content */
};

enum crfmt_pg_tag {
	CRFMT_PG_ID = 1,		/* u64, required: the dataspace, ascending */
	CRFMT_PG_SIZE = 2,		/* u64, required: the dataspace's size */
	CRFMT_PG_DATA = 3,		/* bytes: the whole content, size bytes */
	CRFMT_PG_RUN = 4,		/* nested, repeated: (page, bytes) */
};

enum crfmt_run_tag {
	CRFMT_RUN_PAGE = 1,		/* u64, required: first page index */
	CRFMT_RUN_DATA = 2,		/* bytes, required: whole pages, except
					   a run ending at the dataspace's end */
};

struct crfmt_pages {
	uint64_t id;
	uint64_t size;
	struct tlv_bytes data;		/* whole content; .data NULL if sparse */
	struct tlv_bytes runs;		/* the run records (crfmt_runs_next) */
	size_t n_runs;
};

struct crfmt_run {
	uint64_t page;
	struct tlv_bytes data;
};

/* Whole content of dataspace ID (SIZE bytes at DATA). */
void crfmt_pages_encode(struct tlv_writer *w, uint64_t id, void const *data,
			uint64_t size);

/* Sparse form: begin, one call per run (ascending, not overlapping), end. */
size_t crfmt_pages_begin(struct tlv_writer *w, uint64_t id, uint64_t size);
void crfmt_pages_run(struct tlv_writer *w, uint64_t page, void const *data,
		     size_t len);
void crfmt_pages_end(struct tlv_writer *w, size_t mark);

/* The next dataspace's content; its runs are checked (in range, ascending,
 * whole pages) but returned as a view for crfmt_runs_next. */
enum crfmt_status crfmt_pages_next(struct crfmt_iter *it,
				   struct crfmt_pages *p,
				   struct crfmt_err *err);

/* The runs of P, one at a time (already checked by crfmt_pages_next). */
void crfmt_runs_init(struct crfmt_iter *it, struct crfmt_pages const *p);
enum crfmt_status crfmt_runs_next(struct crfmt_iter *it, struct crfmt_run *r,
				  struct crfmt_err *err);

/* ---------------------------------------------------------------- */
/* parent: the image an incremental image extends (one record)       */

#define CRFMT_PATH_MAX 1024		/* the parent's path, NUL included */

enum crfmt_parent_tag {
	CRFMT_PARENT_PATH = 1,		/* string, required: as given to
					   recap checkpoint --incremental */
	CRFMT_PARENT_ID = 2,		/* u64, required: its image_id */
	CRFMT_PARENT_SEQ = 3,		/* u64: its meta seq */
};

struct crfmt_parent {
	char path[CRFMT_PATH_MAX];
	uint64_t image_id;
	uint64_t seq;
};

void crfmt_parent_encode(struct tlv_writer *w, struct crfmt_parent const *p);
enum crfmt_status crfmt_parent_decode(void const *data, size_t len,
				      struct crfmt_parent *p,
				      struct crfmt_err *err);

/* ---------------------------------------------------------------- */
/* A checkpoint stream (recap/cr_stream.h) in a writer's buffer      */

/*
 * cr builds its stream with these in one tlv_writer from offset 0: the
 * stream header, then per section begin, the section's records, end (which
 * sets the length, pads and counts the section).
 */
void crfmt_stream_begin(struct tlv_writer *w);
size_t crfmt_stream_section_begin(struct tlv_writer *w, uint32_t type);
void crfmt_stream_section_end(struct tlv_writer *w, size_t mark);

/*
 * crfmt_meta — the meta section: one record saying what was checkpointed,
 * when and by which recap (crfmt.h). Freestanding (compat.h).
 */
#include "crfmt_impl.h"

static struct tlv_field const meta_fields[] = {
	TLV_FIELD(CRFMT_META_TARGET, TLV_STR, struct crfmt_meta, target, true),
	TLV_FIELD(CRFMT_META_BINARY, TLV_STR, struct crfmt_meta, binary, false),
	TLV_FIELD(CRFMT_META_VERSION, TLV_STR, struct crfmt_meta, version,
		  true),
	TLV_FIELD(CRFMT_META_TIME, TLV_U64, struct crfmt_meta, time_ns, true),
	TLV_FIELD(CRFMT_META_FLAGS, TLV_U64, struct crfmt_meta, flags, false),
	TLV_FIELD(CRFMT_META_CONFIG, TLV_BLOB, struct crfmt_meta, config,
		  false),
	TLV_FIELD(CRFMT_META_SEQ, TLV_U64, struct crfmt_meta, seq, false),
	TLV_FIELD(CRFMT_META_INSTANCE, TLV_U64, struct crfmt_meta, instance,
		  false),
};

void crfmt_meta_init(struct crfmt_meta *m)
{
	memset(m, 0, sizeof(*m));
}

void crfmt_meta_encode(struct tlv_writer *w, struct crfmt_meta const *m)
{
	tlv_put_blob(w, CRFMT_META_TARGET, m->target,
		     crfmt_strnlen(m->target, sizeof(m->target)));
	crfmt_put_str(w, CRFMT_META_BINARY, m->binary, sizeof(m->binary));
	tlv_put_blob(w, CRFMT_META_VERSION, m->version,
		     crfmt_strnlen(m->version, sizeof(m->version)));
	tlv_put_u64(w, CRFMT_META_TIME, m->time_ns);
	crfmt_put_opt(w, CRFMT_META_FLAGS, m->flags, 0);
	if (m->config.len)
		tlv_put_blob(w, CRFMT_META_CONFIG, m->config.data,
			     m->config.len);
	crfmt_put_opt(w, CRFMT_META_SEQ, m->seq, 0);
	crfmt_put_opt(w, CRFMT_META_INSTANCE, m->instance, 0);
}

enum crfmt_status crfmt_meta_decode(void const *data, size_t len,
				    struct crfmt_meta *m,
				    struct crfmt_err *err)
{
	struct tlv_err terr;

	crfmt_meta_init(m);
	if (tlv_decode(data, len, meta_fields, CRFMT_N(meta_fields), m, &terr))
		return crfmt_tlv_fail(err, "meta", 0, &terr);
	if (m->flags & ~CRFMT_META_FLAGS_KNOWN)
		return crfmt_fail(err, CRFMT_ERR_VALUE,
				  "meta record: unknown flags 0x%llx",
				  (unsigned long long)(m->flags &
						       ~CRFMT_META_FLAGS_KNOWN));
	return crfmt_ok(err);
}

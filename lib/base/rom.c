/*
 * rom.c — the ROM client (recap/rom_session.h): a session per module, its
 * dataspace attached read-only anywhere.
 */
#include <recap/cap_map.h>
#include <recap/env.h>
#include <recap/err.h>
#include <recap/format.h>
#include <recap/parent.h>
#include <recap/parent_client.h>
#include <recap/region_map.h>
#include <recap/rom_session.h>
#include <recap/rpc.h>
#include <recap/string.h>

static int rom_dataspace(struct recap_env *env, struct recap_rom *rom)
{
	struct rpc_msg m;
	unsigned long size, len;
	int err;

	recap_rpc_begin(&m, rom->session, RECAP_ROM_DATASPACE, NULL, 0);
	err = recap_rpc_call(env, rom->session, &m);
	if (err != RECAP_OK)
		return err;
	size = rpc_msg_get_word(&m);
	len = rpc_msg_get_word(&m);
	if (recap_rpc_end_one_cap(&m) != RECAP_OK || len > size)
		return RECAP_ERR_INVAL;
	rom->ds = (struct recap_ds){ .cap = m.caps[0], .size = size };
	rom->len = len;
	return RECAP_OK;
}

int recap_rom_open(struct recap_env *env, char const *name,
		   struct recap_rom *rom)
{
	char args[RECAP_SESSION_ARGS_MAX + 1];
	unsigned long addr;
	int err;

	*rom = (struct recap_rom){ .session = recap_cap_invalid(),
				   .ds = { .cap = recap_cap_invalid() } };
	if (RECAP_STRING_NAME(strlen)(name) > RECAP_ROM_NAME_MAX)
		return RECAP_ERR_RANGE;
	/* A name that needs escaping is no module name core serves. */
	for (char const *p = name; *p; p++)
		if (*p == '"' || *p == '\\')
			return RECAP_ERR_INVAL;
	recap_snprintf(args, sizeof(args), "label=\"%s\"", name);
	err = recap_parent_session(env, "ROM", args, &rom->session);
	if (err != RECAP_OK)
		return err;
	err = rom_dataspace(env, rom);
	if (err == RECAP_OK)
		err = recap_rm_attach(env, rom->ds.cap, 0, 0, RECAP_RM_ANYWHERE,
				      L4_FPAGE_RO, &addr);
	if (err != RECAP_OK) {
		recap_rom_close(env, rom);
		return err;
	}
	rom->data = (char const *)addr;
	return RECAP_OK;
}

int recap_rom_close(struct recap_env *env, struct recap_rom *rom)
{
	int err = RECAP_OK;

	if (rom->data)
		err = recap_rm_detach(env, (unsigned long)rom->data);
	if (recap_cap_valid(rom->ds.cap))
		cap_map_remove(&env->cap_map, rom->ds.cap.badge);
	if (recap_cap_valid(rom->session)) {
		int e = recap_parent_close(env, rom->session);

		if (err == RECAP_OK)
			err = e;
	}
	*rom = (struct recap_rom){ .session = recap_cap_invalid(),
				   .ds = { .cap = recap_cap_invalid() } };
	return err;
}

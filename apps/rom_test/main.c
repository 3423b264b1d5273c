/*
 * rom_test — reads its configuration and ROM modules and prints what it
 * got: the config's attributes (numbers, a string with entities, a bool,
 * an absent one, one that is not a number), the config ROM's text, a boot
 * file (its own binary: the ELF magic), and the refusals: writing to a
 * ROM, a module that does not exist, a name leaving the boot directory.
 */
#include <l4/sys/consts.h>

#include <recap/config.h>
#include <recap/env.h>
#include <recap/err.h>
#include <recap/log.h>
#include <recap/parent_client.h>
#include <recap/region_map.h>
#include <recap/rom_session.h>

static void config(struct recap_env *env)
{
	char name[32];

	recap_log(env, "period_ms = %lu", recap_config_ulong(env, "period_ms", 1000));
	recap_log(env, "n_mib = %lu", recap_config_ulong(env, "n_mib", 16));
	recap_log(env, "mask = 0x%lx", recap_config_ulong(env, "mask", 0));
	recap_log(env, "name = \"%s\"",
		  recap_config_string(env, "name", name, sizeof(name), "nobody"));
	recap_log(env, "verbose = %s",
		  recap_config_bool(env, "verbose", false) ? "yes" : "no");
	recap_log(env, "missing = %lu", recap_config_ulong(env, "missing", 7));
	recap_log(env, "bad = %lu", recap_config_ulong(env, "bad", 3));
	recap_log(env, "config ROM: %lu bytes: %.*s", env->config.len,
		  (int)env->config.len, env->config.data);
}

static void modules(struct recap_env *env)
{
	struct recap_rom rom;
	unsigned long addr;
	int err;

	err = recap_rom_open(env, "rom_test", &rom);
	recap_log(env, "ROM rom_test: %s", recap_err_str(err));
	if (err != RECAP_OK)
		return;
	recap_log(env, "ELF magic: %s",
		  rom.len > 4 && rom.data[0] == 0x7f && rom.data[1] == 'E' &&
		  rom.data[2] == 'L' && rom.data[3] == 'F' ? "yes" : "no");
	err = recap_rm_attach(env, rom.ds.cap, 0, 0, RECAP_RM_ANYWHERE,
			      L4_FPAGE_RW, &addr);
	recap_log(env, "attach it writable: %s", recap_err_str(err));
	recap_log(env, "close: %s", recap_err_str(recap_rom_close(env, &rom)));
	recap_log(env, "ROM nonexistent: %s",
		  recap_err_str(recap_rom_open(env, "nonexistent", &rom)));
	recap_log(env, "ROM ../rom_test: %s",
		  recap_err_str(recap_rom_open(env, "../rom_test", &rom)));
}

void component_construct(struct recap_env *env)
{
	config(env);
	modules(env);
	recap_parent_exit(env, 0);
}

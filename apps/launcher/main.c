/*
 * launcher — starts children of its own from ROM binaries with the child
 * API (recap/child.h) and the default forwarding policy: their LOG,
 * Timer, SIGNAL and ROM sessions are opened at core on their behalf, their
 * PD, CPU, RM and RAM are the sessions the launcher built them with, and
 * their config is the launcher's to give.
 *
 * Its config lists the children as the scenario does its own (read with
 * recap_start_node_read, recap/xml_node.h), at most LAUNCHER_MAX:
 *
 *	<config>
 *		<start name="hello1" caps="60">
 *			<binary name="hello"/>
 *			<resource name="RAM" quantum="1M"/>
 *			<config limit="3"/>
 *		</start>
 *	</config>
 *
 * binary defaults to the name, the RAM quota to 1 MiB, caps to 60, the
 * child's config (its nested <config>, passed on verbatim) to
 * "<config/>". A <start> that cannot be read is reported and skipped.
 */
#include <recap/child.h>
#include <recap/config.h>
#include <recap/env.h>
#include <recap/err.h>
#include <recap/log.h>
#include <recap/parent_client.h>
#include <recap/string.h>
#include <recap/xml_node.h>

#define LAUNCHER_MAX 8
#define LAUNCHER_CONFIG_MAX 512	/* bytes of a child's config text */
#define LAUNCHER_RAM_DEFAULT (1UL << 20)
#define LAUNCHER_CAPS_DEFAULT 60

static struct recap_child children[LAUNCHER_MAX];
/* Each child's config text: recap_child_start keeps the pointer. */
static char child_config[LAUNCHER_MAX][LAUNCHER_CONFIG_MAX];
static struct recap_env *env;

/* The launcher is done when its last child is. */
static void ended(struct recap_child *ch)
{
	(void)ch;
	for (unsigned i = 0; i < LAUNCHER_MAX; i++)
		if (children[i].running)
			return;
	recap_log(env, "all children ended");
	recap_parent_exit(env, 0);
}

static struct recap_child_policy const policy = { .ended = ended };

/* Start ch as the <start> node s says; false if it is not started. */
static bool start(struct recap_child *ch, char *config,
		  struct recap_xml_node const *s)
{
	struct recap_start_info info;
	struct recap_xml_node cfg = { 0 };
	int err = recap_start_node_read(s, &info);

	if (err != RECAP_OK) {
		recap_log(env, "bad <start name=\"%s\">: %s", info.name, info.why);
		return false;
	}
	cfg.p = info.config;
	cfg.len = info.config_len;
	if (!info.config)
		RECAP_STRING_NAME(strlcpy)(config, "<config/>", LAUNCHER_CONFIG_MAX);
	else if (recap_xml_copy(&cfg, config, LAUNCHER_CONFIG_MAX) != RECAP_OK) {
		recap_log(env, "<start name=\"%s\">: its <config> is longer than "
			  "%u bytes", info.name, LAUNCHER_CONFIG_MAX - 1);
		return false;
	}
	err = recap_child_start(env, ch, info.name, info.binary,
				info.ram_quota ? info.ram_quota
					       : LAUNCHER_RAM_DEFAULT,
				info.caps ? info.caps : LAUNCHER_CAPS_DEFAULT,
				config, &policy);
	if (err != RECAP_OK)
		recap_log(env, "starting %s failed: %s", info.name,
			  recap_err_str(err));
	return err == RECAP_OK;
}

void component_construct(struct recap_env *e)
{
	struct recap_xml_node root, s;
	unsigned n = 0;

	env = e;
	if (recap_config_root(env, &root) == RECAP_OK) {
		for (int err = recap_xml_sub_first(&root, "start", &s);
		     err == RECAP_OK;
		     err = recap_xml_sub_next(&root, "start", &s)) {
			if (n == LAUNCHER_MAX) {
				recap_log(env, "more than %u children: the "
					  "rest are not started", LAUNCHER_MAX);
				break;
			}
			/* A slot is used only by a child that started. */
			if (start(&children[n], child_config[n], &s))
				n++;
		}
	}
	/* Lives on in its entrypoint: it is its children's parent. */
	if (n)
		return;
	recap_log(env, "no child started");
	recap_parent_exit(env, 1);
}

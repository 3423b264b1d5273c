/*
 * rom.c — ROM sessions (rom.h).
 *
 * A session's module is read once, when the session opens, into a
 * dataspace of its own that is then sealed (dataspace_seal): what the
 * component sees can change neither under it nor by it. The config comes from the scenario
 * (the start node's nested <config>, as the scenario parser serialised
 * it); a start without one gets "<config/>", so every component can read
 * its config the same way.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <l4/sys/consts.h>

#include <recap/err.h>
#include <recap/rom_session.h>

#include "cap_quota.h"
#include "child.h"
#include "dataspace.h"
#include "diag.h"
#include "rom.h"
#include "session.h"

#define ROM_CONFIG "config"
#define EMPTY_CONFIG "<config/>"

struct rom_session {
	struct session s;
	struct dataspace *ds;		/* the module, sealed */
	size_t len;			/* its length in bytes */
};

bool rom_is_config(char const *service, char const *label)
{
	return !strcmp(service, "ROM") && !strcmp(label, ROM_CONFIG);
}

static int rom_dispatch(struct rpc_object *obj, struct rpc_request *req)
{
	struct rom_session *rs = core_container_of(obj, struct rom_session, s.obj);
	struct recap_cap cap;

	switch (req->op) {
	case RECAP_ROM_DATASPACE:
		if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps)
			return RECAP_ERR_INVAL;
		cap = rpc_object_cap(&rs->ds->obj);
		rpc_reply_start(req, &cap, 1);
		rpc_msg_put_word(&req->msg, rs->ds->size);
		rpc_msg_put_word(&req->msg, rs->len);
		return RECAP_OK;
	}
	return RECAP_ERR_INVAL;
}

static void rom_destroy(struct session *s)
{
	struct rom_session *rs = core_container_of(s, struct rom_session, s);

	if (rs->ds)
		dataspace_destroy(rs->ds);
	cap_quota_release(s->client, CAP_QUOTA_ONE);
	rpc_object_detach(&rs->s.obj);
	free(rs);
}

/* A dataspace for len bytes: whole pages, at least one. */
static int rom_ds(struct rom_session *rs, char const *name, size_t len)
{
	size_t size = (len + L4_PAGESIZE - 1) & ~(L4_PAGESIZE - 1);
	char label[RECAP_ROM_NAME_MAX + 8];

	snprintf(label, sizeof(label), "rom:%s", name);
	rs->len = len;
	return dataspace_create(&rs->ds, label, size ? size : L4_PAGESIZE);
}

static int write_all(int fd, void const *data, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pwrite(fd, (char const *)data + done, len - done,
				   (off_t)done);

		if (n <= 0)
			return RECAP_ERR_NOMEM;
		done += (size_t)n;
	}
	return RECAP_OK;
}

static int load_config(struct child *c, struct rom_session *rs)
{
	/* A component's child (no scenario) gets <config/> from core; its
	 * parent normally serves its config itself. */
	struct scenario_start const *start =
		c->scenario ? scenario_find(c->scenario, c->name) : NULL;
	char const *text = start && start->config ? start->config : EMPTY_CONFIG;
	size_t len = start && start->config ? start->config_len : strlen(EMPTY_CONFIG);
	int err = rom_ds(rs, ROM_CONFIG, len);

	return err != RECAP_OK ? err : write_all(rs->ds->fd, text, len);
}

/* Copy the boot file name into a fresh dataspace. */
static int load_file(struct child *c, struct rom_session *rs, char const *name)
{
	char path[4096], buf[65536];
	struct stat st;
	size_t done = 0;
	int fd, err;

	if (snprintf(path, sizeof(path), "%s/%s", c->boot_dir, name) >=
	    (int)sizeof(path))
		return RECAP_ERR_INVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		diag("%s: ROM \"%s\": %s", c->name, name,
		     fd < 0 ? strerror(errno) : "not a regular file");
		if (fd >= 0)
			close(fd);
		return RECAP_ERR_NOENT;
	}
	if ((unsigned long long)st.st_size > ROM_FILE_MAX) {
		diag("%s: ROM \"%s\": larger than %lu MiB", c->name, name,
		     ROM_FILE_MAX >> 20);
		close(fd);
		return RECAP_ERR_NOMEM;
	}
	err = rom_ds(rs, name, (size_t)st.st_size);
	/* The file may change meanwhile: take what is there, up to the size
	 * seen (the rest of the dataspace stays zero). */
	while (err == RECAP_OK && done < rs->len) {
		size_t want = rs->len - done < sizeof(buf) ? rs->len - done : sizeof(buf);
		ssize_t n = read(fd, buf, want);

		if (n < 0)
			err = RECAP_ERR_NOENT;
		if (n <= 0)
			break;
		if (pwrite(rs->ds->fd, buf, (size_t)n, (off_t)done) != n)
			err = RECAP_ERR_NOMEM;
		done += (size_t)n;
	}
	close(fd);
	rs->len = done;
	return err;
}

/* A module name: a plain file name of the boot directory. */
static bool name_ok(char const *name)
{
	return name[0] && name[0] != '.' && !strchr(name, '/') &&
	       strlen(name) <= RECAP_ROM_NAME_MAX;
}

int rom_session_open(struct child *client, char const *name,
		     struct recap_cap *cap)
{
	struct rom_session *rs;
	int err;

	if (!name_ok(name))
		return RECAP_ERR_INVAL;
	err = cap_quota_charge(client, CAP_QUOTA_ONE, "a ROM dataspace");
	if (err != RECAP_OK)
		return err;
	rs = calloc(1, sizeof(*rs));
	if (!rs) {
		cap_quota_release(client, CAP_QUOTA_ONE);
		return RECAP_ERR_NOMEM;
	}
	if (!strcmp(name, ROM_CONFIG))
		err = load_config(client, rs);
	else
		err = load_file(client, rs, name);
	if (err == RECAP_OK)
		err = dataspace_seal(rs->ds);
	if (err == RECAP_OK)
		err = rpc_object_attach(&rs->s.obj, RPC_OBJECT_RPC, rom_dispatch);
	if (err != RECAP_OK) {
		if (rs->ds)
			dataspace_destroy(rs->ds);
		free(rs);
		cap_quota_release(client, CAP_QUOTA_ONE);
		return err;
	}
	rs->ds->owner = rs;
	rs->s.destroy = rom_destroy;
	session_add(client, &rs->s);
	*cap = rpc_object_cap(&rs->s.obj);
	return RECAP_OK;
}

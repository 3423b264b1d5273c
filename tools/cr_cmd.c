/*
 * cr_cmd — `recap checkpoint` and `recap restore` (cr_cmd.h): the host
 * side of checkpoint/restore. The work is cr's, inside the scenario; these
 * commands talk to core over the control socket (tools/control.h) and
 * convert between cr's checkpoint stream and the image file
 * (cr/image/stream.h).
 *
 *   checkpoint: send "checkpoint FLAGS LABEL"; core answers "progress D T"
 *   lines while cr works, then "ok LENGTH" with the stream's memfd
 *   (SCM_RIGHTS), or "error: MESSAGE". The stream is mapped and written
 *   to the image file atomically (image_write_from_stream_lent). The
 *   memfd is cr's stream buffer, which cr writes its next checkpoint into
 *   (cr/cr.h): the connection stays open until the image is written, and
 *   core gives cr no checkpoint request before it is closed (or, for a
 *   command slower than the CR timeout, core closes it: then the image is
 *   not written, since the stream may have changed while it was read).
 *
 *   restore: the image is opened and verified completely
 *   (image_read_to_stream) before core hears of it — a bad image is
 *   refused here and nothing reaches the scenario. The stream goes into a
 *   memfd of whole pages, passed with "restore LENGTH FLAGS AS_LABEL"; core seals
 *   it and gives it to cr read-only.
 *
 * stdout stays empty. Errors are one line on stderr and exit status 1 (2
 * for bad usage). While waiting, a progress line is drawn on stderr if it
 * is a terminal, and nothing otherwise, so captured output is exact.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <recap/cr_session.h>
#include <recap/cr_stream.h>

#include "control.h"
#include "cr_chain.h"
#include "cr_cmd.h"
#include "stream.h"

#define CR_PAGE 4096UL

static char const checkpoint_synopsis[] =
	"recap checkpoint [--name NAME] LABEL -o FILE [--stop] "
	"[--incremental PARENT] [--no-compress]";
static char const restore_synopsis[] =
	"recap restore [--name NAME] FILE [--as LABEL] [--replace]";

static void checkpoint_help(void)
{
	printf("usage: %s\n\n"
	       "Checkpoint component LABEL of the running scenario NAME (default\n"
	       "\"recap\") into the image FILE. LABEL is a component under a cr: its\n"
	       "full name (\"cr -> counter\") or the name its cr knows (\"counter\").\n"
	       "The cr of the scenario takes the checkpoint; FILE is replaced\n"
	       "atomically (zstd-compressed unless --no-compress), or left as it\n"
	       "was if anything fails.\n"
	       "\n"
	       "  -o FILE     the image to write (required)\n"
	       "  --stop      leave the component stopped after the checkpoint\n"
	       "  --incremental PARENT\n"
	       "              save only the pages written since the previous\n"
	       "              checkpoint of the component, which must be the\n"
	       "              image PARENT (full or incremental); FILE names it\n"
	       "              as its parent, and restoring FILE restores the chain\n"
	       "  --no-compress\n"
	       "              store the sections as they are (faster to write,\n"
	       "              larger; still checksummed)\n"
	       "  --name NAME the scenario, as given to recap run --name\n"
	       "\n"
	       "Prints nothing on success (a progress line on a terminal). Errors\n"
	       "(no such scenario, unknown label, a component not under a cr, the\n"
	       "cr busy or not answering within a minute, the cr's own failure)\n"
	       "are one line on stderr and exit status 1; bad usage exits 2.\n",
	       checkpoint_synopsis);
}

static void restore_help(void)
{
	printf("usage: %s\n\n"
	       "Restore the component checkpointed in the image FILE into the cr of\n"
	       "the running scenario NAME (default \"recap\"). The image is verified\n"
	       "completely first: a corrupt, truncated or foreign image is refused\n"
	       "and the scenario is not touched. An incremental image is restored\n"
	       "with the chain of images it extends (each verified, each the one\n"
	       "its successor names).\n"
	       "\n"
	       "  --as LABEL  run the restored component as LABEL (default: the\n"
	       "              label it had); \"CR -> LABEL\" picks the cr when the\n"
	       "              scenario has several\n"
	       "  --replace   end the stopped component of that label first and\n"
	       "              take over its entrypoints: its clients' capabilities\n"
	       "              (sessions, objects) name the restored one\n"
	       "  --name NAME the scenario, as given to recap run --name\n"
	       "\n"
	       "Prints nothing on success. Errors are one line on stderr and exit\n"
	       "status 1; bad usage exits 2.\n",
	       restore_synopsis);
}

/* A label goes on the request line: no line breaks, no control bytes. */
static bool label_ok(char const *s)
{
	size_t n = strlen(s);

	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return n <= RECAP_CR_LABEL_MAX * 2 + 4;
}

/* ---- the answer ---------------------------------------------------------- */

static void progress_show(char const *what, unsigned long done,
			  unsigned long total)
{
	unsigned long pct = total ? (unsigned long)((double)done * 100 / total) : 0;

	fprintf(stderr, "\r%s: %3lu%%", what, pct);
	fflush(stderr);
}

/*
 * Read core's answer on fd to the end: progress lines, then the status.
 * Returns 0 for "ok" (*length and *passed from "ok LENGTH" and its memfd,
 * if asked for), 1 for an error (printed). A descriptor that comes and is
 * not wanted is closed.
 */
static int answer_wait(int fd, char const *name, char const *what,
		       unsigned long *length, int *passed)
{
	bool tty = isatty(STDERR_FILENO), shown = false;
	char buf[1024];
	size_t have = 0;
	int got = -1, rc = -1;

	for (;;) {
		char *nl;

		while ((nl = memchr(buf, '\n', have))) {
			unsigned long d, t;
			*nl = 0;
			if (sscanf(buf, "progress %lu %lu", &d, &t) == 2) {
				if (tty) {
					progress_show(what, d, t);
					shown = true;
				}
			} else if (rc < 0) {
				if (shown)
					fprintf(stderr, "\r\033[K");
				shown = false;
				if (!strncmp(buf, "error: ", 7)) {
					fprintf(stderr, "recap: %s\n", buf + 7);
					rc = 1;
				} else if (!strcmp(buf, "ok") && !length) {
					rc = 0;
				} else if (length && sscanf(buf, "ok %lu", length) == 1) {
					rc = 0;
				} else {
					fprintf(stderr, "recap: scenario '%s' gave a "
						"malformed answer\n", name);
					rc = 1;
				}
			}
			have -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, have);
		}
		if (rc >= 0)
			break;
		if (have == sizeof(buf)) {
			fprintf(stderr, "recap: scenario '%s' gave a malformed answer\n",
				name);
			rc = 1;
			break;
		}

		union {
			struct cmsghdr h;
			char b[CMSG_SPACE(sizeof(int))];
		} ctl;
		struct iovec iov = { buf + have, sizeof(buf) - have };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
				      .msg_control = ctl.b,
				      .msg_controllen = sizeof(ctl.b) };
		ssize_t n = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC);

		if (n < 0 && errno == EINTR)
			continue;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); n > 0 && c;
		     c = CMSG_NXTHDR(&msg, c)) {
			if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
				continue;
			for (size_t i = 0; i < (c->cmsg_len - CMSG_LEN(0)) / sizeof(int); i++) {
				int f;
				memcpy(&f, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
				if (got < 0)
					got = f;
				else
					close(f);
			}
		}
		if (n <= 0) {
			if (shown)
				fprintf(stderr, "\r\033[K");
			fprintf(stderr, "recap: scenario '%s' gave no answer\n", name);
			rc = 1;
			break;
		}
		have += (size_t)n;
	}
	if (rc == 0 && passed)
		*passed = got;
	else if (got >= 0)
		close(got);
	return rc;
}

/* Send line (and fd, if >= 0) as one message. */
static int request_send(int sock, char const *line, int fd)
{
	struct iovec iov = { .iov_base = (void *)line, .iov_len = strlen(line) };
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (fd >= 0) {
		memset(&ctl, 0, sizeof(ctl));
		msg.msg_control = ctl.b;
		msg.msg_controllen = sizeof(ctl.b);
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	return sendmsg(sock, &msg, MSG_NOSIGNAL) == (ssize_t)iov.iov_len ? 0 : -1;
}

/* ---- checkpoint ----------------------------------------------------------- */

/* Will FILE be writable? Asked before the checkpoint: a --stop checkpoint
 * that cannot be saved would leave a stopped component and nothing else. */
static int output_ok(char const *file)
{
	char copy[PATH_MAX];
	struct stat st;

	if (snprintf(copy, sizeof(copy), "%s", file) >= (int)sizeof(copy)) {
		fprintf(stderr, "recap checkpoint: %s: name too long\n", file);
		return -1;
	}
	if (!stat(file, &st) && S_ISDIR(st.st_mode)) {
		fprintf(stderr, "recap checkpoint: %s: is a directory\n", file);
		return -1;
	}
	char *dir = dirname(copy);
	if (access(dir, W_OK | X_OK)) {
		fprintf(stderr, "recap checkpoint: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	return 0;
}

/* The meta record of the stream (checked by the caller's length bounds). */
static int stream_meta(uint8_t const *st, size_t len, struct crfmt_meta *m)
{
	struct crfmt_err err;
	size_t off = CR_STREAM_HEADER_SIZE;

	while (off + CR_STREAM_SECTION_HEADER_SIZE <= len) {
		uint32_t type = cr_stream_get_u32(st + off);
		uint64_t n = cr_stream_get_u64(st + off + 8);

		off += CR_STREAM_SECTION_HEADER_SIZE;
		if (n > len - off)
			return -1;
		if (type == CR_SEC_META)
			return crfmt_meta_decode(st + off, n, m, &err) ? -1 : 0;
		off += n + cr_stream_pad(n);
	}
	return -1;
}

/* The parent an increment extends, opened before the checkpoint. */
struct parent_img {
	char const *path;
	struct image *img;
	struct crfmt_meta meta;
};

/*
 * The increment's stream: cr's, checked to extend p, with the parent
 * section added. 0 and *out (malloc'd), or 1 (printed).
 */
static int stream_link(struct parent_img const *p, char const *file,
		       void const *stream, size_t len, void **out, size_t *out_len)
{
	struct crfmt_parent rec = { .image_id = image_id(p->img),
				    .seq = p->meta.seq };
	char why[CR_CHAIN_MSG];
	struct crfmt_meta m;
	struct tlv_writer w;
	size_t mark;

	if (stream_meta(stream, len, &m)) {
		fprintf(stderr, "recap checkpoint: the stream has no readable "
			"meta section\n");
		return 1;
	}
	if (cr_chain_check_link(&p->meta, &m, why)) {
		fprintf(stderr, "recap checkpoint: %s is not the previous "
			"checkpoint: %s (%s not written; take a full "
			"checkpoint before the next increment)\n", p->path,
			why, file);
		return 1;
	}
	if (snprintf(rec.path, sizeof(rec.path), "%s", p->path) >=
	    (int)sizeof(rec.path)) {
		fprintf(stderr, "recap checkpoint: %s: name too long\n", p->path);
		return 1;
	}
	tlv_writer_init(&w);
	tlv_put_raw(&w, stream, len);
	mark = crfmt_stream_section_begin(&w, CR_SEC_PARENT);
	crfmt_parent_encode(&w, &rec);
	crfmt_stream_section_end(&w, mark);
	if (!tlv_writer_ok(&w)) {
		tlv_writer_free(&w);
		fprintf(stderr, "recap checkpoint: out of memory\n");
		return 1;
	}
	*out = w.buf;
	*out_len = w.len;
	return 0;
}

/* Has core taken the stream back (past the CR timeout it says
 * "reclaimed" and hangs up)? A plain hang-up (the scenario or cr ended)
 * leaves the stream as it was. */
static char const *stream_lost(void *arg)
{
	static char const word[] = "reclaimed\n";
	char buf[sizeof(word)] = "";
	struct pollfd p = { .fd = *(int *)arg, .events = POLLIN };

	if (poll(&p, 1, 0) == 0 ||
	    recv(p.fd, buf, sizeof(word) - 1, MSG_DONTWAIT) !=
		    (ssize_t)sizeof(word) - 1 ||
	    strcmp(buf, word))
		return NULL;
	return "cr took its stream buffer back before the image was written "
	       "(this command was slower than the CR timeout); try again";
}

/* Map the stream core passed and write the image (linked to parent, if
 * any) while sock, core's connection, holds the stream. 0, or 1
 * (printed). */
static int image_save(char const *file, int memfd, unsigned long length,
		      struct parent_img const *parent, bool compress, int sock)
{
	struct image_err err;
	struct stat st;
	void *map, *linked = NULL;
	size_t linked_len = 0;

	if (fstat(memfd, &st) < 0 || (unsigned long long)st.st_size < length ||
	    !length) {
		fprintf(stderr, "recap checkpoint: the stream is shorter than "
			"its length\n");
		return 1;
	}
	map = mmap(NULL, length, PROT_READ, MAP_SHARED, memfd, 0);
	if (map == MAP_FAILED) {
		fprintf(stderr, "recap checkpoint: cannot map the stream: %s\n",
			strerror(errno));
		return 1;
	}
	if (parent && stream_link(parent, file, map, length, &linked,
				  &linked_len)) {
		munmap(map, length);
		return 1;
	}
	enum image_status st_w = image_write_from_stream_lent(
		file, linked ? linked : map, linked ? linked_len : length,
		compress, stream_lost, &sock, &err);
	munmap(map, length);
	free(linked);
	if (st_w != IMAGE_OK) {
		fprintf(stderr, "recap checkpoint: %s\n", err.msg);
		return 1;
	}
	return 0;
}

/* Open the parent of an increment and check it is the label's. 0, or 1
 * (printed). */
static int parent_open(struct parent_img *p, char const *label)
{
	char const *name = strrchr(label, '>');
	struct image_err ierr;
	struct crfmt_parent unused;
	char msg[CR_CHAIN_MSG];
	bool has_parent;

	/* "cr -> counter": cr knows it as "counter". */
	name = name && name > label && name[-1] == '-' && name[1] == ' '
		? name + 2 : label;
	/* Its identity and place in the chain: the rest is verified when
	 * the chain is restored. */
	static uint32_t const chain[] = { IMAGE_SEC_META, IMAGE_SEC_PARENT };

	if (image_open_only(p->path, chain, 2, &p->img, &ierr)) {
		fprintf(stderr, "recap checkpoint: %s\n", ierr.msg);
		return 1;
	}
	if (cr_chain_read(p->img, p->path, &p->meta, &has_parent, &unused, msg)) {
		fprintf(stderr, "recap checkpoint: %s\n", msg);
		return 1;
	}
	if (strcmp(p->meta.target, name)) {
		fprintf(stderr, "recap checkpoint: %s is a checkpoint of '%s', "
			"not of '%s'\n", p->path, p->meta.target, name);
		return 1;
	}
	return 0;
}

/* Ask for the checkpoint, write the image. 0, or 1 (printed). */
static int checkpoint_take(char const *name, char const *line,
			   char const *file, struct parent_img const *parent, bool compress)
{
	unsigned long length = 0;
	int sock, memfd = -1, rc;

	sock = control_connect(name, stderr);
	if (sock < 0)
		return 1;
	if (request_send(sock, line, -1)) {
		fprintf(stderr, "recap: scenario '%s': %s\n", name, strerror(errno));
		close(sock);
		return 1;
	}
	rc = answer_wait(sock, name, "checkpoint", &length, &memfd);
	if (!rc && memfd < 0) {
		fprintf(stderr, "recap: scenario '%s' sent no stream\n", name);
		rc = 1;
	}
	if (!rc)
		rc = image_save(file, memfd, length, parent, compress, sock);
	/* Closing lets cr write its next checkpoint into the stream. */
	close(sock);
	if (memfd >= 0)
		close(memfd);
	return rc;
}

int cr_cmd_checkpoint(int argc, char **argv)
{
	char const *name = CONTROL_DEFAULT_NAME, *label = NULL, *file = NULL;
	unsigned long flags = 0;
	char line[CONTROL_LINE_MAX];
	struct parent_img parent = { 0 };
	bool compress = true;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			checkpoint_help();
			return 0;
		} else if (!strcmp(argv[i], "--name") && i + 1 < argc) {
			name = argv[++i];
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			file = argv[++i];
		} else if (!strcmp(argv[i], "--stop")) {
			flags |= RECAP_CR_FLAG_STOP;
		} else if (!strcmp(argv[i], "--no-compress")) {
			compress = false;
		} else if (!strcmp(argv[i], "--incremental") && i + 1 < argc &&
			   !parent.path) {
			flags |= RECAP_CR_FLAG_INCREMENTAL;
			parent.path = argv[++i];
		} else if (argv[i][0] != '-' && !label) {
			label = argv[i];
		} else {
			fprintf(stderr, "recap checkpoint: unexpected argument '%s' "
				"(usage: %s)\n", argv[i], checkpoint_synopsis);
			return 2;
		}
	}
	if (!label || !file) {
		fprintf(stderr, "recap checkpoint: missing %s (usage: %s)\n",
			!label ? "LABEL" : "-o FILE", checkpoint_synopsis);
		return 2;
	}
	if (!label_ok(label) || !label[0] ||
	    snprintf(line, sizeof(line), "checkpoint %lu %s\n", flags, label) >=
		    (int)sizeof(line)) {
		fprintf(stderr, "recap checkpoint: bad label '%s'\n", label);
		return 2;
	}
	if (output_ok(file))
		return 1;
	if (parent.path && parent_open(&parent, label)) {
		image_close(parent.img);
		return 1;
	}
	rc = checkpoint_take(name, line, file, parent.path ? &parent : NULL,
			     compress);
	image_close(parent.img);
	return rc;
}

/* ---- restore ---------------------------------------------------------------- */

/* The stream in a sealable memfd of whole pages; -1 (printed) on failure. */
static int stream_memfd(void const *stream, size_t len)
{
	size_t size = (len + CR_PAGE - 1) & ~(CR_PAGE - 1);
	int fd = memfd_create("recap-restore", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	size_t done = 0;

	if (fd < 0 || ftruncate(fd, (off_t)size) < 0)
		goto fail;
	while (done < len) {
		ssize_t n = pwrite(fd, (char const *)stream + done, len - done,
				   (off_t)done);
		if (n <= 0)
			goto fail;
		done += (size_t)n;
	}
	return fd;
fail:
	fprintf(stderr, "recap restore: cannot hold the stream: %s\n",
		strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

/* The stream to restore FILE from: its own, or its chain's composed.
 * 0, or 1 (printed). */
static int restore_stream(char const *file, void **stream, size_t *len)
{
	struct cr_chain *ch = malloc(sizeof(*ch));
	char msg[CR_CHAIN_MSG];
	struct image_err err;
	int rc = 0;

	if (!ch) {
		fprintf(stderr, "recap restore: out of memory\n");
		return 1;
	}
	if (cr_chain_open(file, ch, msg)) {
		fprintf(stderr, "recap restore: %s\n", msg);
		free(ch);
		return 1;
	}
	if (ch->n == 1 && image_to_stream(ch->link[0].img, stream, len, &err)) {
		fprintf(stderr, "recap restore: %s\n", err.msg);
		rc = 1;
	} else if (ch->n > 1 && cr_chain_stream(ch, stream, len, msg)) {
		fprintf(stderr, "recap restore: %s\n", msg);
		rc = 1;
	}
	cr_chain_close(ch);
	free(ch);
	return rc;
}

int cr_cmd_restore(int argc, char **argv)
{
	char const *name = CONTROL_DEFAULT_NAME, *file = NULL, *as = "";
	char line[CONTROL_LINE_MAX];
	unsigned long flags = 0;
	void *stream;
	size_t len;
	int sock, memfd, rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			restore_help();
			return 0;
		} else if (!strcmp(argv[i], "--name") && i + 1 < argc) {
			name = argv[++i];
		} else if (!strcmp(argv[i], "--as") && i + 1 < argc) {
			as = argv[++i];
		} else if (!strcmp(argv[i], "--replace")) {
			flags |= RECAP_CR_FLAG_REPLACE;
		} else if (argv[i][0] != '-' && !file) {
			file = argv[i];
		} else {
			fprintf(stderr, "recap restore: unexpected argument '%s' "
				"(usage: %s)\n", argv[i], restore_synopsis);
			return 2;
		}
	}
	if (!file) {
		fprintf(stderr, "recap restore: missing FILE (usage: %s)\n",
			restore_synopsis);
		return 2;
	}
	if (!label_ok(as)) {
		fprintf(stderr, "recap restore: bad label '%s'\n", as);
		return 2;
	}
	/* All of the image (and of the chain it ends) is checked before the
	 * scenario hears of it. */
	if (restore_stream(file, &stream, &len))
		return 1;
	memfd = stream_memfd(stream, len);
	free(stream);
	if (memfd < 0)
		return 1;
	if (snprintf(line, sizeof(line), "restore %zu %lu %s\n", len, flags, as) >=
	    (int)sizeof(line)) {
		fprintf(stderr, "recap restore: bad label '%s'\n", as);
		close(memfd);
		return 2;
	}
	sock = control_connect(name, stderr);
	if (sock < 0) {
		close(memfd);
		return 1;
	}
	rc = request_send(sock, line, memfd);
	close(memfd);	/* core has its own now */
	if (rc) {
		fprintf(stderr, "recap: scenario '%s': %s\n", name, strerror(errno));
		close(sock);
		return 1;
	}
	rc = answer_wait(sock, name, "restore", NULL, NULL);
	close(sock);
	return rc;
}

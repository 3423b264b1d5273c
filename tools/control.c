/*
 * control — the socket of a running scenario, client side and path rules
 * (see control.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "control.h"

static int control_dir(char *buf, size_t size)
{
	char const *dir = getenv("RECAP_RUNTIME_DIR");
	char const *xdg = getenv("XDG_RUNTIME_DIR");
	int n;
	if (dir && *dir)
		n = snprintf(buf, size, "%s", dir);
	else if (xdg && *xdg)
		n = snprintf(buf, size, "%s/recap", xdg);
	else
		n = snprintf(buf, size, "/tmp/recap-%u", (unsigned)getuid());
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

int control_make_dir(void)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct stat st;
	if (control_dir(dir, sizeof(dir)))
		return -ENAMETOOLONG;
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -errno;
	/* Someone else's directory would let them answer in our place. */
	if (stat(dir, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode) || st.st_uid != getuid())
		return -EPERM;
	return 0;
}

int control_path(char const *name, char *buf, size_t size)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	if (control_dir(dir, sizeof(dir)))
		return -1;
	int n = snprintf(buf, size, "%s/%s.sock", dir, name);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

int control_connect(char const *name, FILE *err)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	if (control_path(name, a.sun_path, sizeof(a.sun_path))) {
		fprintf(err, "recap: scenario name too long: %s\n", name);
		return -1;
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		fprintf(err, "recap: no scenario named '%s' is running\n", name);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

int control_request(char const *name, char const *request, FILE *out, FILE *err)
{
	int fd = control_connect(name, err);
	if (fd < 0)
		return -1;
	FILE *in = fdopen(fd, "r+");
	if (!in) {
		close(fd);
		fprintf(err, "recap: %s\n", strerror(errno));
		return -1;
	}
	fprintf(in, "%s\n", request);
	fflush(in);
	shutdown(fd, SHUT_WR);

	/* Print every line but the last, which is the status. */
	char line[4096], prev[4096];
	int have_prev = 0;
	while (fgets(line, sizeof(line), in)) {
		if (have_prev)
			fputs(prev, out);
		memcpy(prev, line, sizeof(line));
		have_prev = 1;
	}
	fclose(in);
	if (!have_prev) {
		fprintf(err, "recap: scenario '%s' gave no answer\n", name);
		return -1;
	}
	prev[strcspn(prev, "\n")] = 0;
	if (!strcmp(prev, "ok"))
		return 0;
	fprintf(err, "recap: %s\n", !strncmp(prev, "error: ", 7) ? prev + 7 : prev);
	return 1;
}

// SPDX-License-Identifier: GPL-2.0
/* anonlazy-top --source bpf: anonlazy-bpf's --stats-socket, one frame a connection. */
#define _GNU_SOURCE
#include "top_bpf.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "esc.h"
#include "top_file.h"

/* The message of errno e on path. */
static int say(int e, const char *fullpath, char *err, size_t errlen)
{
	char path[AL_QUOTE_MAX];

	al_escs(fullpath, path, sizeof(path));
	switch (e) {
	case ENOENT:
		snprintf(err, errlen,
			 "%s: no such socket: start anonlazy-bpf --stats-socket %s", path, path);
		break;
	case EACCES:
	case EPERM:
		snprintf(err, errlen,
			 "%s: permission denied: anonlazy-bpf's socket is root's (mode 0600); run anonlazy-top as root (sudo)",
			 path);
		break;
	case ENOTSOCK:
		snprintf(err, errlen,
			 "%s: not a socket (--bpf-socket wants the PATH of anonlazy-bpf --stats-socket PATH)",
			 path);
		break;
	case ECONNREFUSED:
		snprintf(err, errlen,
			 "%s: nobody serves this socket (has anonlazy-bpf exited?): remove it and start anonlazy-bpf --stats-socket %s",
			 path, path);
		break;
	case ENAMETOOLONG:
		snprintf(err, errlen, "%s: longer than a unix socket's path may be", path);
		break;
	default:
		snprintf(err, errlen, "%s: %s", path, strerror(e));
	}
	return e;
}

/* say(), then -1 */
static int fail(int e, const char *path, char *err, size_t errlen)
{
	say(e, path, err, errlen);
	return -1;
}

int top_bpf_check(const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (stat(path, &st))
		return say(errno, path, err, errlen);
	if (!S_ISSOCK(st.st_mode))
		return say(ENOTSOCK, path, err, errlen);
	return 0;
}

static int connect_to(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, e;

	e = top_bpf_check(path, err, errlen);
	if (e)
		return -1;
	if (strlen(path) >= sizeof(sa.sun_path))
		return fail(ENAMETOOLONG, path, err, errlen);
	memcpy(sa.sun_path, path, strlen(path));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return fail(errno, path, err, errlen);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		e = errno;
		close(fd);
		say(e, path, err, errlen);
		return -1;
	}
	return fd;
}

/* Read fd to its end into a malloc'd, NUL-terminated *buf. */
static int read_all(int fd, const char *path, char **buf, size_t *len,
		    char *err, size_t errlen)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t cap = 16384, n = 0;
	char *b = malloc(cap + 1);

	if (!b)
		return fail(ENOMEM, path, err, errlen);
	for (;;) {
		ssize_t r;
		int pr = poll(&p, 1, TOP_BPF_TIMEOUT_MS);

		if (pr < 0 && errno == EINTR)
			continue;
		if (pr == 0) {
			snprintf(err, errlen, "%s: no answer in %d s (is anonlazy-bpf stopped?)",
				 path, TOP_BPF_TIMEOUT_MS / 1000);
			free(b);
			return -1;
		}
		if (n == cap) {
			char *nb;

			if (cap >= TOP_FILE_MAX) {
				snprintf(err, errlen, "%s: an answer larger than %u bytes",
					 path, TOP_FILE_MAX);
				free(b);
				return -1;
			}
			cap *= 2;
			nb = realloc(b, cap + 1);
			if (!nb) {
				free(b);
				return fail(ENOMEM, path, err, errlen);
			}
			b = nb;
		}
		r = pr < 0 ? -1 : read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		/* the server closed with our request unread: an older one */
		if (r == 0 || (r < 0 && errno == ECONNRESET && n))
			break;
		if (r < 0) {
			snprintf(err, errlen, "%s: read: %s", path, strerror(errno));
			free(b);
			return -1;
		}
		n += (size_t)r;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

int top_bpf_read(const char *path, const char *slabinfo, struct top_snap *out,
		 char *err, size_t errlen)
{
	size_t len, rl = strlen(TOP_BPF_REQUEST);
	char *buf;
	int fd, r;

	fd = connect_to(path, err, errlen);
	if (fd < 0) {
		top_snap_begin(out);
		return -1;
	}
	/* An anonlazy-bpf older than requests answers without reading it. */
	if (send(fd, TOP_BPF_REQUEST, rl, MSG_NOSIGNAL) != (ssize_t)rl &&
	    errno != EPIPE && errno != ECONNRESET) {
		snprintf(err, errlen, "%s: send: %s", path, strerror(errno));
		close(fd);
		top_snap_begin(out);
		return -1;
	}
	shutdown(fd, SHUT_WR);
	r = read_all(fd, path, &buf, &len, err, errlen);
	close(fd);
	if (r) {
		top_snap_begin(out);
		return -1;
	}
	r = top_snap_read_text(path, buf, len, slabinfo, out, err, errlen);
	free(buf);
	return r;
}

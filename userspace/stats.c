// SPDX-License-Identifier: GPL-2.0
/* Reader of /sys/kernel/debug/anon_vma_lazy/stats. */
#define _GNU_SOURCE
#include "stats.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static int fail(char *err, size_t errlen, int e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	errno = e;
	return -1;
}

int al_counter_index(const char *name)
{
	for (int i = 0; i < ANONLAZY_NR_COUNTERS; i++)
		if (!strcmp(anonlazy_counter_names[i], name))
			return i;
	return -1;
}

int al_parse_u64(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;

	if (n == 0 || n > 20)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned int d;

		if (s[i] < '0' || s[i] > '9')
			return -1;
		d = (unsigned int)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int al_stats_parse(const char *text, size_t len, struct al_stats *out,
		   char *err, size_t errlen)
{
	return al_stats_parse_other(text, len, out, NULL, NULL, err, errlen);
}

int al_stats_parse_other(const char *text, size_t len, struct al_stats *out,
			 al_stats_other_fn other, void *ctx,
			 char *err, size_t errlen)
{
	size_t pos = 0;
	int lineno = 0, known = 0;

	memset(out, 0, sizeof(*out));
	while (pos < len) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		const char *sp = memchr(line, ' ', n);
		size_t namelen = sp ? (size_t)(sp - line) : n;
		char name[64];
		uint64_t v;
		int idx = -1;

		lineno++;
		pos += n + (nl ? 1 : 0);
		if (!nl)
			return fail(err, errlen, EINVAL,
				    "line %d: no newline at end of file", lineno);
		if (namelen == 0)
			return fail(err, errlen, EINVAL,
				    "line %d: expected '<name> <value>'", lineno);
		if (namelen < sizeof(name)) {
			memcpy(name, line, namelen);
			name[namelen] = '\0';
			idx = al_counter_index(name);
		}
		if (idx < 0) {
			/* not a counter this header knows */
			if (other && other(ctx, lineno, line, n, err, errlen)) {
				errno = EINVAL;
				return -1;
			}
			continue;
		}
		if (!sp)
			return fail(err, errlen, EINVAL,
				    "line %d: expected '<name> <value>'", lineno);
		if (al_parse_u64(sp + 1, n - namelen - 1, &v))
			return fail(err, errlen, EINVAL,
				    "line %d: value of '%s' is not an unsigned 64-bit number",
				    lineno, name);
		if (out->present[idx])
			return fail(err, errlen, EINVAL,
				    "line %d: counter '%s' appears twice", lineno, name);
		out->present[idx] = true;
		out->val[idx] = v;
		known++;
	}
	if (!known)
		return fail(err, errlen, EINVAL, "no counter this reader knows");
	return 0;
}

int al_stats_absent(const struct al_stats *s, char *buf, size_t len)
{
	size_t used = 0;
	int n = 0;

	if (len)
		buf[0] = '\0';
	for (int i = 0; i < ANONLAZY_NR_COUNTERS; i++) {
		if (s->present[i])
			continue;
		if (used < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
						 n ? " " : "", anonlazy_counter_names[i]);
		n++;
	}
	return n;
}

/*
 * A unix stream socket (anonlazy-bpf --stats-socket) is read like the
 * file: connect, half-close (no request: the stats, see
 * userspace/bpf_sock.h), read to end of file. open() of a socket fails
 * ENXIO.
 */
static int open_socket(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, e;

	if (stat(path, &st) || !S_ISSOCK(st.st_mode) ||
	    strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENXIO;
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	/* No request line: the server answers with the stats at once. */
	shutdown(fd, SHUT_WR);
	return fd;
}

int al_stats_read(const char *path, struct al_stats *out,
		  char *err, size_t errlen)
{
	char buf[AL_STATS_MAX + 1];	/* one spare byte detects "too large" */
	size_t len = 0;
	char why[160];
	struct stat st;
	int fd, e;

	/* O_NONBLOCK: a FIFO's open returns at once, to be refused below */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 && errno == ENXIO)
		fd = open_socket(path);
	if (fd < 0) {
		e = errno;
		if (e == ENOENT)
			return fail(err, errlen, e,
				    "%s: no such file (is the anonlazy module loaded and debugfs mounted?)",
				    path);
		if (e == EACCES || e == EPERM)
			return fail(err, errlen, e,
				    "%s: permission denied (debugfs is root-only)", path);
		if (e == ECONNREFUSED)
			return fail(err, errlen, e,
				    "%s: nobody serves this socket (has anonlazy-bpf exited?)",
				    path);
		return fail(err, errlen, e, "%s: %s", path, strerror(e));
	}
	if (fstat(fd, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) ||
				    S_ISBLK(st.st_mode))) {
		close(fd);
		return fail(err, errlen, EINVAL,
			    "%s: not a regular file (want the module's stats file or anonlazy-bpf's socket)",
			    path);
	}
	for (;;) {
		ssize_t r = read(fd, buf + len, sizeof(buf) - len);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			e = errno;
			close(fd);
			return fail(err, errlen, e, "%s: read: %s", path, strerror(e));
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len == sizeof(buf)) {
			close(fd);
			return fail(err, errlen, EFBIG, "%s: larger than %d bytes",
				    path, AL_STATS_MAX);
		}
	}
	close(fd);
	if (al_stats_parse(buf, len, out, why, sizeof(why)))
		return fail(err, errlen, EINVAL, "%s: malformed: %s", path, why);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/* anonlazy-top: whole-file reads, lines, words and numbers. */
#define _GNU_SOURCE
#include "top_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "esc.h"

int top_read_file(const char *path, size_t max, char **buf, size_t *len)
{
	size_t cap = 4096, n = 0;
	struct stat st;
	char *b;
	int fd, e;

	*buf = NULL;
	*len = 0;
	/* O_NONBLOCK: the open of a FIFO returns at once, to be refused */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return errno;
	if (fstat(fd, &st)) {
		e = errno;
		close(fd);
		return e;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return S_ISDIR(st.st_mode) ? EISDIR : TOP_ENOTREG;
	}
	b = malloc(cap + 1);
	if (!b) {
		close(fd);
		return ENOMEM;
	}
	for (;;) {
		ssize_t r;

		if (n == cap) {
			char *nb;

			if (cap > max) {
				e = EFBIG;
				goto fail;
			}
			cap *= 2;
			nb = realloc(b, cap + 1);
			if (!nb) {
				e = ENOMEM;
				goto fail;
			}
			b = nb;
		}
		r = read(fd, b + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			e = errno;
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (n > max) {
		free(b);
		return EFBIG;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
fail:
	close(fd);
	free(b);
	return e;
}

void top_lines_init(struct top_lines *l, const char *text, size_t len)
{
	l->text = text;
	l->len = len;
	l->pos = 0;
	l->lineno = 0;
}

bool top_lines_next(struct top_lines *l, const char **line, size_t *n, bool *nl)
{
	const char *s, *e;

	if (l->pos >= l->len)
		return false;
	s = l->text + l->pos;
	e = memchr(s, '\n', l->len - l->pos);
	*line = s;
	*n = e ? (size_t)(e - s) : l->len - l->pos;
	*nl = e != NULL;
	l->pos += *n + (e ? 1 : 0);
	l->lineno++;
	return true;
}

int top_split(const char *line, size_t n, const char **w, size_t *wl, int max)
{
	size_t i = 0;
	int k = 0;

	if (n == 0)
		return 0;
	for (;;) {
		size_t s = i;

		while (i < n && line[i] != ' ')
			i++;
		if (i == s || k == max)
			return -1;
		w[k] = line + s;
		wl[k] = i - s;
		k++;
		if (i == n)
			return k;
		i++;		/* the space */
		if (i == n)
			return -1;	/* trailing space */
	}
}

bool top_word_is(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && !memcmp(w, s, n);
}

const char *top_quote(const char *line, size_t n, char *buf, size_t size)
{
	size_t i, o = 0, lim = n > 60 ? 60 : n;

	if (!size)
		return buf;
	for (i = 0; i < lim && o + 1 < size; i++) {
		unsigned char c = (unsigned char)line[i];

		buf[o++] = c >= 0x20 && c <= 0x7e ? (char)c : '?';
	}
	if (n > lim)
		for (i = 0; i < 3 && o + 1 < size; i++)
			buf[o++] = '.';
	buf[o] = '\0';
	return buf;
}

int top_bad(char *err, size_t errlen, const char *file, int lineno,
	    const char *line, size_t n, const char *fmt, ...)
{
	char what[200], q[80], f[AL_QUOTE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	al_escs(file, f, sizeof(f));
	if (line)
		snprintf(err, errlen, "%s:%d: %s: '%s'", f, lineno, what,
			 top_quote(line, n, q, sizeof(q)));
	else
		snprintf(err, errlen, "%s: %s", f, what);
	return -1;
}

bool top_ident(const char *w, size_t n)
{
	if (n == 0 || n >= TOP_WORD_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((w[i] >= 'a' && w[i] <= 'z') || (w[i] >= '0' && w[i] <= '9') ||
		      w[i] == '_'))
			return false;
	return true;
}

bool top_comm_ok(const char *w, size_t n, size_t max)
{
	if (n == 0 || n >= max)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)w[i] < 0x21 || (unsigned char)w[i] > 0x7e)
			return false;
	return true;
}

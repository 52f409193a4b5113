/* SPDX-License-Identifier: GPL-2.0 */
/*
 * anonlazy-top: reading a whole text file, walking its lines and words,
 * strict u64 numbers. Shared by the parsers of top_snap.c and top_slab.c.
 */
#ifndef ANONLAZY_TOP_FILE_H
#define ANONLAZY_TOP_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest file the readers accept (processes of a big system: ~100 B/row). */
#define TOP_FILE_MAX	(64u << 20)

/*
 * top_read_file()'s answer for a FIFO, socket or device: not an errno
 * (no errno says it), and never waited on (a FIFO's open and read would
 * block until a writer came).
 */
#define TOP_ENOTREG	4096

/*
 * Read all of path into a malloc'd, NUL-terminated *buf (*len bytes, not
 * counting the NUL). Returns 0, or an errno value (ENOENT, EACCES, EFBIG
 * for more than max bytes, EISDIR, ...) or TOP_ENOTREG with *buf NULL.
 */
int top_read_file(const char *path, size_t max, char **buf, size_t *len);

/* A cursor over the lines of a text. */
struct top_lines {
	const char *text;
	size_t len, pos;
	int lineno;		/* of the line last returned, from 1 */
};

void top_lines_init(struct top_lines *l, const char *text, size_t len);

/*
 * The next line: *line and *n (without the newline); *nl false when the
 * text ended without one (a truncated file). Returns false at the end.
 */
bool top_lines_next(struct top_lines *l, const char **line, size_t *n, bool *nl);

/*
 * Split a line into at most max words separated by single spaces (the
 * module's formats: no leading, trailing or double space). Returns the
 * number of words, or -1 when the line has an empty word or more than max.
 */
int top_split(const char *line, size_t n, const char **w, size_t *wl, int max);

/* w[0..n) is exactly word s. */
bool top_word_is(const char *w, size_t n, const char *s);

/*
 * The line for an error message: at most 60 bytes of it, bytes outside
 * 0x20..0x7e as '?', "..." when cut, into buf.
 */
const char *top_quote(const char *line, size_t n, char *buf, size_t size);

/* The longest name top_ident() takes, with its NUL (top_snap.h's TOP_NAME_MAX). */
#define TOP_WORD_MAX	64

/* [a-z0-9_]+, shorter than TOP_WORD_MAX: a name the module could print. */
bool top_ident(const char *w, size_t n);

/*
 * A comm as the module's processes file and anonlazy-bpf print it
 * (include/anonlazy.h): 1 to max - 1 bytes, each in 0x21..0x7e.
 */
bool top_comm_ok(const char *w, size_t n, size_t max);

/*
 * A parse error into err: "FILE:LINE: what: 'content'" (the line quoted
 * by top_quote()), or "FILE: what" when line is NULL. Returns -1.
 */
int top_bad(char *err, size_t errlen, const char *file, int lineno,
	    const char *line, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

#endif /* ANONLAZY_TOP_FILE_H */

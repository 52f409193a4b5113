// SPDX-License-Identifier: GPL-2.0
/*
 * anonlazy-top: anonlazy-bpf's processes section, the events of each
 * process (userspace/bpf_print.h):
 *   "dropped_events <u64>\n"
 *   "pid <counter>... comm\n"
 *   "<tgid> <u64>... <comm>\n"	one per process, by tgid
 * or, when anonlazy-bpf runs without --processes, one line
 *   "off: <why>\n"		no table: not present, off
 */
#define _GNU_SOURCE
#include "top_snap.h"

#include <stdlib.h>
#include <string.h>

#define EV_MAX_WORDS	(ANONLAZY_NR_COUNTERS + TOP_MAX_EXTRA + 2)

/* The header: each column's counter (-1: one this header does not know). */
static int header(const char *file, const char *line, size_t n, int lineno,
		  int *colmap, int *ncols, struct top_events *out,
		  char *err, size_t errlen)
{
	const char *w[EV_MAX_WORDS];
	size_t wl[EV_MAX_WORDS];
	int k = top_split(line, n, w, wl, EV_MAX_WORDS);

	if (k < 2 || !top_word_is(w[0], wl[0], anonlazy_proc_cols[ANONLAZY_PROC_PID]) ||
	    !top_word_is(w[k - 1], wl[k - 1], ANONLAZY_PROC_COMM_COL))
		return top_bad(err, errlen, file, lineno, line, n,
			       "not a header 'pid <counter>... comm'");
	for (int i = 1; i < k - 1; i++) {
		colmap[i] = -1;
		if (!top_ident(w[i], wl[i]))
			return top_bad(err, errlen, file, lineno, line, n,
				       "column %d is no name", i + 1);
		for (int c = 0; c < ANONLAZY_NR_COUNTERS; c++)
			if (top_word_is(w[i], wl[i], anonlazy_counter_names[c]))
				colmap[i] = c;
		if (colmap[i] >= 0 && out->has[colmap[i]])
			return top_bad(err, errlen, file, lineno, line, n,
				       "column %d appears twice", i + 1);
		if (colmap[i] >= 0)
			out->has[colmap[i]] = true;
	}
	*ncols = k;
	return 0;
}

int top_parse_events(const char *file, const char *text, size_t len,
		     struct top_events *out, char *err, size_t errlen)
{
	int colmap[EV_MAX_WORDS], ncols = 0;
	const char *w[EV_MAX_WORDS], *line;
	size_t wl[EV_MAX_WORDS], n, cap = 0;
	struct top_lines l;
	bool nl;

	memset(out, 0, sizeof(*out));
	top_lines_init(&l, text, len);
	if (!top_lines_next(&l, &line, &n, &nl))
		return top_bad(err, errlen, file, 0, NULL, 0,
			       "empty (want '" TOP_EVENTS_DROPPED " <u64>')");
	if (n >= strlen(TOP_EVENTS_OFF) &&
	    !memcmp(line, TOP_EVENTS_OFF, strlen(TOP_EVENTS_OFF))) {
		out->off = true;
		return 0;
	}
	out->present = true;
	if (!nl || top_split(line, n, w, wl, 2) != 2 ||
	    !top_word_is(w[0], wl[0], TOP_EVENTS_DROPPED) ||
	    al_parse_u64(w[1], wl[1], &out->dropped))
		return top_bad(err, errlen, file, l.lineno, line, n,
			       "not '" TOP_EVENTS_DROPPED " <u64>'");
	if (!top_lines_next(&l, &line, &n, &nl))
		return top_bad(err, errlen, file, 2, NULL, 0,
			       "no header line after line 1 (truncated?)");
	if (!nl)
		return top_bad(err, errlen, file, l.lineno, line, n,
			       "no newline at end (truncated?)");
	if (header(file, line, n, l.lineno, colmap, &ncols, out, err, errlen))
		return -1;
	while (top_lines_next(&l, &line, &n, &nl)) {
		struct top_event_row *r;

		if (!nl)
			return top_bad(err, errlen, file, l.lineno, line, n,
				       "no newline at end (truncated?)");
		if (top_split(line, n, w, wl, EV_MAX_WORDS) != ncols ||
		    wl[ncols - 1] >= TOP_COMM_MAX)
			return top_bad(err, errlen, file, l.lineno, line, n,
				       "not %d columns of the header, comm last (at most %d bytes)",
				       ncols, TOP_COMM_MAX - 1);
		if (!top_comm_ok(w[ncols - 1], wl[ncols - 1], TOP_COMM_MAX))
			return top_bad(err, errlen, file, l.lineno, line, n,
				       "a comm byte outside 0x21..0x7e (anonlazy-bpf prints '?' for those)");
		if (out->n == cap) {
			size_t nc = cap ? cap * 2 : 256;
			struct top_event_row *nr = realloc(out->rows, nc * sizeof(*nr));

			if (!nr)
				return top_bad(err, errlen, file, 0, NULL, 0, "out of memory");
			out->rows = nr;
			cap = nc;
		}
		r = &out->rows[out->n];
		memset(r, 0, sizeof(*r));
		for (int k = 0; k < ncols - 1; k++) {
			uint64_t v;

			if (al_parse_u64(w[k], wl[k], &v))
				return top_bad(err, errlen, file, l.lineno, line, n,
					       "column %d is not a u64", k + 1);
			if (!k)
				r->pid = v;
			else if (colmap[k] >= 0)
				r->c[colmap[k]] = v;
		}
		memcpy(r->comm, w[ncols - 1], wl[ncols - 1]);
		r->comm[wl[ncols - 1]] = '\0';
		out->n++;
	}
	return 0;
}

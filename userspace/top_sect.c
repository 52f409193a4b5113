// SPDX-License-Identifier: GPL-2.0
/*
 * anonlazy-top: a snapshot from anonlazy-bpf's multi-section text (its
 * answer on --stats-socket), each section handed to the parser of its
 * format. Errors name the section; their line numbers count from the
 * section's first line after its "==" line.
 */
#define _GNU_SOURCE
#include "top_snap.h"

#include <stdio.h>
#include <string.h>

#include "esc.h"

#define MARK	"== "

enum { S_STATS, S_LATENCY, S_PROBES, S_PROCESSES, S_CENSUS, NR_SECTS };

/* anonlazy-bpf's section names (userspace/bpf_opts.c). */
static const char * const sect_names[NR_SECTS] = {
	[S_STATS] = ANONLAZY_STATS_FILE,
	[S_LATENCY] = ANONLAZY_LATENCY_FILE,
	[S_PROBES] = ANONLAZY_PROBES_FILE,
	[S_PROCESSES] = ANONLAZY_PROCESSES_FILE,
	[S_CENSUS] = ANONLAZY_CENSUS_FILE,
};

static int parse_sect(int k, const char *file, const char *text, size_t len,
		      struct top_snap *s, char *err, size_t errlen)
{
	switch (k) {
	case S_STATS:
		return top_parse_stats(file, text, len, &s->stats, err, errlen);
	case S_LATENCY:
		return top_parse_latency(file, text, len, &s->lat, err, errlen);
	case S_PROBES:
		return top_parse_probes(file, text, len, &s->probes, err, errlen);
	case S_CENSUS:
		/* "off: no census: <why>" (bpf_print.h): none to show */
		if (len >= 4 && !memcmp(text, "off:", 4))
			return 0;
		return top_parse_census(file, text, len, &s->census, err, errlen);
	default:
		return top_parse_events(file, text, len, &s->events, err, errlen);
	}
}

/* The section a "== <name>" line of n bytes starts; -1 unknown, -2 not a mark. */
static int mark(const char *line, size_t n)
{
	size_t ml = strlen(MARK);

	if (n < ml || memcmp(line, MARK, ml))
		return -2;
	for (int k = 0; k < NR_SECTS; k++)
		if (top_word_is(line + ml, n - ml, sect_names[k]))
			return k;
	return -1;
}

int top_snap_read_text(const char *name, const char *text, size_t len,
		       const char *slabinfo, struct top_snap *out,
		       char *err, size_t errlen)
{
	const char *start[NR_SECTS] = { 0 }, *end[NR_SECTS] = { 0 }, *line;
	int cur = -3;
	struct top_lines l;
	char file[4200];
	size_t n;
	bool nl;

	top_snap_begin(out);
	if (!len)
		return top_bad(err, errlen, name, 0, NULL, 0,
			       "empty answer (did anonlazy-bpf fail to read its maps? see its stderr)");
	if (len > 7 && !memcmp(text, "error: ", 7)) {
		const char *e = memchr(text, '\n', len);
		size_t el = e ? (size_t)(e - text) : len;
		char q[200];

		/* its bytes escaped: no control byte from a socket reaches a terminal */
		return top_bad(err, errlen, name, 0, NULL, 0, "anonlazy-bpf answered '%s'",
			       al_esc(text, el, q, sizeof(q)));
	}
	top_lines_init(&l, text, len);
	while (top_lines_next(&l, &line, &n, &nl)) {
		int k = mark(line, n);

		if (k == -2) {
			if (cur == -3)	/* no mark yet: the stats alone? */
				break;
			continue;
		}
		if (cur >= 0)
			end[cur] = line;
		cur = k;
		if (k < 0)
			continue;	/* a newer anonlazy-bpf's section */
		if (start[k])
			return top_bad(err, errlen, name, l.lineno, line, n,
				       "section appears twice");
		start[k] = nl ? line + n + 1 : line + n;
	}
	if (cur == -3) {
		/* no "==" line first: all of it is stats */
		start[S_STATS] = text;
		cur = S_STATS;
	}
	if (cur >= 0)
		end[cur] = text + len;
	if (!start[S_STATS])
		return top_bad(err, errlen, name, 0, NULL, 0,
			       "no stats section in anonlazy-bpf's answer");
	for (int k = 0; k < NR_SECTS; k++) {
		if (!start[k])
			continue;
		snprintf(file, sizeof(file), "%s (section %s)", name, sect_names[k]);
		if (parse_sect(k, file, start[k], (size_t)(end[k] - start[k]), out,
			       err, errlen))
			return -1;
	}
	return top_snap_slab(slabinfo, out, err, errlen);
}

// SPDX-License-Identifier: GPL-2.0
/* anonlazy-top: the slab caches an anon_vma costs, from /proc/slabinfo. */
#define _GNU_SOURCE
#include "top_slab.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esc.h"
#include "stats.h"
#include "top_file.h"

const char * const top_slab_names[TOP_NR_SLAB] = {
	[TOP_SLAB_ANON_VMA] = "anon_vma",
	[TOP_SLAB_ANON_VMA_CHAIN] = "anon_vma_chain",
	[TOP_SLAB_VMA] = "vm_area_struct",
};

uint64_t top_slab_kb(const struct top_slab_cache *c)
{
	uint64_t b;

	if (c->objsize && c->active_objs > UINT64_MAX / c->objsize)
		return UINT64_MAX / 1024;
	b = c->active_objs * c->objsize;
	return b / 1024;
}

int top_parse_slabinfo(const char *file, const char *text, size_t len,
		       struct top_slab *out, char *err, size_t errlen)
{
	struct top_lines l;
	const char *line;
	size_t n;
	bool nl;

	memset(out, 0, sizeof(*out));
	top_lines_init(&l, text, len);
	/* what /proc/slabinfo has begun with since Linux 2.6 */
	if (!top_lines_next(&l, &line, &n, &nl))
		return top_bad(err, errlen, file, 0, NULL, 0,
			       "empty file (want slabinfo: '" TOP_SLAB_HEADER "...' first)");
	if (n < strlen(TOP_SLAB_HEADER) || memcmp(line, TOP_SLAB_HEADER, strlen(TOP_SLAB_HEADER)))
		return top_bad(err, errlen, file, 1, line, n,
			       "not slabinfo (want '" TOP_SLAB_HEADER "...' first)");
	while (top_lines_next(&l, &line, &n, &nl)) {
		const char *w[4];
		size_t wl[4], i = 0;
		char q[80], f[AL_QUOTE_MAX];
		int k, id = -1;

		/* "name <active_objs> <num_objs> <objsize> ...", space-padded */
		for (k = 0; k < 4; k++) {
			while (i < n && line[i] == ' ')
				i++;
			w[k] = line + i;
			while (i < n && line[i] != ' ')
				i++;
			wl[k] = (size_t)(line + i - w[k]);
		}
		for (k = 0; k < TOP_NR_SLAB; k++)
			if (top_word_is(w[0], wl[0], top_slab_names[k]))
				id = k;
		if (id < 0)
			continue;
		if (!nl || al_parse_u64(w[1], wl[1], &out->c[id].active_objs) ||
		    al_parse_u64(w[2], wl[2], &out->c[id].num_objs) ||
		    al_parse_u64(w[3], wl[3], &out->c[id].objsize) ||
		    out->c[id].present) {
			snprintf(err, errlen,
				 "%s:%d: not '<name> <active_objs> <num_objs> <objsize> ...' (slabinfo 2.1) or a repeated cache: '%s'",
				 al_escs(file, f, sizeof(f)), l.lineno,
				 top_quote(line, n, q, sizeof(q)));
			return -1;
		}
		out->c[id].present = true;
	}
	return 0;
}

int top_slab_read(const char *path, struct top_slab *out, char *err, size_t errlen)
{
	char *buf;
	size_t len;
	int e, r;

	memset(out, 0, sizeof(*out));
	e = top_read_file(path, TOP_FILE_MAX, &buf, &len);
	if (e == TOP_ENOTREG || e == EISDIR) {
		char q[AL_QUOTE_MAX];

		/* never what the kernel has there: a wrong path */
		snprintf(err, errlen, "%s: %s (want /proc/slabinfo or a copy of it)",
			 al_escs(path, q, sizeof(q)),
			 e == EISDIR ? "a directory, not a file" : "not a regular file");
		return -1;
	}
	if (e) {
		out->status = e;
		return 0;
	}
	r = top_parse_slabinfo(path, buf, len, out, err, errlen);
	free(buf);
	return r;
}

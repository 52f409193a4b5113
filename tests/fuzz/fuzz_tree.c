// SPDX-License-Identifier: GPL-2.0
/*
 * A whole recorded debugfs tree, as anonlazy-top --debugfs reads it: the
 * input split at its NUL bytes into stats, latency, probes, census,
 * processes and slabinfo (a part not there: the file is absent), then
 * six more for a previous snapshot (the rates). Each file by its parser;
 * a tree that parses is drawn (render.h).
 */
#include "render.h"

#include "top_slab.h"
#include "top_snap.h"

enum { F_STATS, F_LATENCY, F_PROBES, F_CENSUS, F_PROCESSES, F_SLABINFO, NR_FILES };

/* Parse the parts of one tree into s as top_snap_read() does. */
static int tree(const char *const *part, const size_t *len, int n, struct top_snap *s)
{
	char err[512];
	int r = 0;

	top_snap_begin(s);
	if (n <= F_STATS)
		return -1;	/* stats is required */
	for (int k = 0; k < n && !r; k++) {
		switch (k) {
		case F_STATS:
			r = top_parse_stats("t/stats", part[k], len[k], &s->stats, err, sizeof(err));
			break;
		case F_LATENCY:
			r = top_parse_latency("t/latency", part[k], len[k], &s->lat, err, sizeof(err));
			break;
		case F_PROBES:
			r = top_parse_probes("t/probes", part[k], len[k], &s->probes, err, sizeof(err));
			break;
		case F_CENSUS:
			r = top_parse_census("t/census", part[k], len[k], &s->census, err, sizeof(err));
			break;
		case F_PROCESSES:
			r = top_parse_processes("t/processes", part[k], len[k], &s->procs, err,
						sizeof(err));
			break;
		default:
			r = top_parse_slabinfo("t/slabinfo", part[k], len[k], &s->slab, err,
					       sizeof(err));
		}
		if (r)
			fz_check_msg(err, sizeof(err));
	}
	if (n <= F_SLABINFO)
		s->slab.status = 2;	/* ENOENT: no slabinfo */
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct top_snap snaps[2];
	const char *part[2 * NR_FILES];
	size_t len[2 * NR_FILES], i = 0;
	int n = 0;
	uint8_t pick = size ? data[0] : 0;

	/* the first byte picks how the tree is drawn */
	if (size) {
		data++;
		size--;
	}
	while (n < 2 * NR_FILES && i <= size) {
		const uint8_t *z = memchr(data + i, 0, size - i);
		size_t e = z ? (size_t)(z - data) : size;

		part[n] = (const char *)data + i;
		len[n++] = e - i;
		i = e + 1;
		if (!z)
			break;
	}
	if (!tree(part, len, n < NR_FILES ? n : NR_FILES, &snaps[0])) {
		bool two = n > NR_FILES &&
			   !tree(part + NR_FILES, len + NR_FILES, n - NR_FILES, &snaps[1]);

		if (two)
			snaps[0].t = snaps[1].t + 1.0;
		fz_render(&snaps[0], two ? &snaps[1] : NULL, TOP_SRC_MODULE, pick);
	}
	top_snap_free(&snaps[0]);
	top_snap_free(&snaps[1]);
	return 0;
}

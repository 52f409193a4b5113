/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The harnesses that read a whole snapshot (fuzz_tree.c, fuzz_sect.c)
 * draw what they read, as anonlazy-top would: text (whole, and cut to
 * a few terminal sizes), JSON and Prometheus, under each sort key, into
 * /dev/null. A snapshot that parses must draw without a fault.
 */
#ifndef AL_FUZZ_RENDER_H
#define AL_FUZZ_RENDER_H

#include "fuzz.h"
#include "top_fit.h"
#include "top_json.h"
#include "top_opts.h"
#include "top_prom.h"
#include "top_text.h"
#include "top_view.h"

static inline void fz_render(const struct top_snap *cur, const struct top_snap *prev,
			     enum top_source src, uint8_t pick)
{
	static const int sizes[][2] = { { 24, 80 }, { 3, 10 }, { 1, 1 }, { 200, 300 } };
	char *argv[] = { "anonlazy-top", NULL };
	struct top_frame f = {
		.cur = cur, .prev = prev, .src = src, .seq = 2, .elapsed = 1.5,
		.source = src == TOP_SRC_BPF ? "bpf" : "module", .where = "fuzz",
	};
	struct top_opts o;
	char err[256];
	FILE *out = fz_null();

	FZ_ASSERT(!top_opts_parse(1, argv, &o, err, sizeof(err)));
	o.debugfs_given = pick & 1;
	o.rows = pick & 2 ? 3 : TOP_DEFAULT_ROWS;
	o.pid = pick & 4 ? 1 : -1;
	o.sort = (int)(pick >> 4) % (ANONLAZY_NR_PROC_COLS + 1) - 1;	/* comm too */
	f.o = &o;
	top_render_text(out, &f);
	for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		top_render_fit(out, &f, sizes[i][0], sizes[i][1]);
	top_render_json(out, &f);
	top_render_prom(out, &f);
}

#endif /* AL_FUZZ_RENDER_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * The stats file's readers: userspace/stats.c (alwork, anonlazy-bpf's
 * tests) and anonlazy-top's top_parse_stats() on top of it, with its
 * disabled line and unknown counters. Either parses, or says why in one
 * printable line.
 */
#include "fuzz.h"

#include "stats.h"
#include "top_snap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct top_stats st;
	struct al_stats s;
	char err[512], buf[AL_STATS_MAX];

	if (top_parse_stats("stats", (const char *)data, size, &st, err, sizeof(err)))
		fz_check_msg(err, sizeof(err));
	else
		FZ_ASSERT(st.n_extra >= 0 && st.n_extra <= TOP_MAX_EXTRA);
	if (al_stats_parse((const char *)data, size, &s, err, sizeof(err)))
		fz_check_msg(err, sizeof(err));
	else
		al_stats_absent(&s, buf, sizeof(buf));
	return 0;
}

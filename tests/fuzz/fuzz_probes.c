// SPDX-License-Identifier: GPL-2.0
/*
 * anonlazy-top's reader of the probes file (top_parse_probes()):
 * attached, failed with a hint, off with a group.
 */
#include "fuzz.h"

#include "top_snap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct top_probes p;
	char err[512];

	if (top_parse_probes("probes", (const char *)data, size, &p, err, sizeof(err))) {
		fz_check_msg(err, sizeof(err));
		return 0;
	}
	FZ_ASSERT(p.n >= 0 && p.n <= TOP_MAX_PROBES);
	for (int i = 0; i < p.n; i++)
		FZ_ASSERT(strlen(p.p[i].symbol) > 0 && strlen(p.p[i].state) > 0);
	return 0;
}
